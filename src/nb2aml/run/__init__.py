"""Run an emitted job here: `nb2aml run DIR` (see `local.run_job`)."""

from nb2aml.run.local import default_tracking_uri, run_job
from nb2aml.run.result import RunResult, StepResult

__all__ = ["RunResult", "StepResult", "default_tracking_uri", "run_job"]
