"""What a local run produced: per step, its status, MLflow params and metrics, output folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["succeeded", "failed", "skipped"]  # skipped: a step whose input step failed


@dataclass(frozen=True)
class StepResult:
    name: str
    status: Status
    params: dict = field(default_factory=dict)  # name -> value, as MLflow stores them (strings)
    metrics: dict = field(default_factory=dict)  # name -> last logged value (float)
    outputs: dict = field(default_factory=dict)  # output name -> absolute folder path
    error: str | None = None  # the last lines of the script's stderr when it failed
    returncode: int | None = None  # None when the process could not be started
    run_id: str | None = None  # the MLflow run
    seconds: float = 0.0  # wall time of the script

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "params": dict(self.params),
            "metrics": dict(self.metrics),
            "outputs": dict(self.outputs),
        }


@dataclass(frozen=True)
class RunResult:
    status: Status
    steps: tuple[StepResult, ...]
    run_dir: str | None = None  # DIR/.runs/<timestamp>
    tracking_uri: str | None = None  # where the MLflow runs are
    experiment_id: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    def to_json(self) -> dict:
        """`{"status": ..., "steps": [{"name", "status", "params", "metrics", "outputs"}]}`."""
        return {"status": self.status, "steps": [step.to_json() for step in self.steps]}
