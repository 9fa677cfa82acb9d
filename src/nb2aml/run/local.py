"""`nb2aml run DIR`: run the job's command here, the way Azure ML would run it there.

Inputs are the local paths of job.yml (or `--input` overrides), each output is a fresh folder
under DIR/.runs/<timestamp>/, and the script's plain `mlflow.log_param` / `mlflow.log_metric`
calls land in an MLflow run created beforehand: Azure ML does the same by setting
`MLFLOW_TRACKING_URI` and `MLFLOW_RUN_ID` in the job's environment, and MLflow's fluent API
resumes the run named by `MLFLOW_RUN_ID` on its first call.

MLflow is imported only here, inside the functions: the CLI starts without it.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from nb2aml.run.command import LocalJob, build_argv, find_job_yaml, load_job
from nb2aml.run.result import RunResult
from nb2aml.run.step import execute_step, step_environment, tracked_step

from ..errors import JobError, Nb2amlError

RUNS_DIR = ".runs"
STATE_DIR = ".nb2aml"


def default_tracking_uri(job_dir: Path) -> str:
    """`sqlite:////abs/DIR/.nb2aml/mlflow.db` (the folder is created)."""
    folder = Path(job_dir).absolute() / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "mlflow.db"
    if not db.exists():
        _seed_store(db)
    return f"sqlite:///{db.as_posix()}"


def _seed_store(db: Path) -> None:
    """Start a new store as a copy of an empty one already migrated by this MLflow version.

    MLflow migrates a new sqlite store through every schema revision (seconds, more than most
    scripts take), and `verify` runs each conversion in a new folder. The empty store is made
    once per MLflow version in the user's cache; any failure leaves MLflow to create `db` itself.
    """
    import shutil
    import tempfile

    try:
        from importlib.metadata import version

        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nb2aml"
        template = cache / f"mlflow-{version('mlflow-skinny')}-empty.db"
        if not template.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            from mlflow.tracking import MlflowClient

            with tempfile.TemporaryDirectory(dir=cache) as tmp, quiet_mlflow():
                fresh = Path(tmp) / "mlflow.db"
                MlflowClient(tracking_uri=f"sqlite:///{fresh.as_posix()}").search_experiments(max_results=1)
                os.replace(fresh, template)  # atomic: concurrent runs each see a whole file or none
        partial = db.with_name(db.name + f".{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.copyfile(template, partial)
        os.replace(partial, db)
    except Exception:  # noqa: BLE001 - an optimisation only: MLflow creates the store as before
        return


def run_job(
    job_dir: Path,
    *,
    inputs: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    tracking_uri: str | None = None,
    python: str = sys.executable,
    stream: Callable[[str], object] = print,
    env_extra: dict[str, str] | None = None,
) -> RunResult:
    """Run DIR/job.yml here; see the module docstring.

    `inputs`: data input name -> local path (relative to the current directory); `params`:
    parameter name -> text, converted to the parameter's type. Each line the script prints, on
    stdout or stderr, goes to `stream` as it comes. Raises `NotebookError` (one line naming the
    file) when the job cannot be read or run at all; a script that fails gives a failed result.
    """
    yaml_path = find_job_yaml(Path(job_dir)).resolve()
    job_dir = yaml_path.parent
    job = load_job(yaml_path, inputs=inputs, params=params)

    run_dir = new_run_dir(job_dir / RUNS_DIR)
    outputs = {}
    for name in job.outputs:
        folder = run_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        outputs[name] = str(folder)
    argv, shell = build_argv(job, outputs, python)

    uri = tracking_uri or default_tracking_uri(job_dir)
    tracker = Tracker(uri, str(yaml_path))
    experiment_id = tracker.experiment(job.experiment_name)
    run_id = tracker.start(experiment_id, job)

    env = step_environment(uri, run_id, experiment_id, job.environment_variables, env_extra)
    step = tracked_step(
        tracker, run_id, job.name, outputs, lambda: execute_step(argv, shell, job.code_dir, env, stream)
    )
    return RunResult(
        status=step.status,
        steps=(step,),
        run_dir=str(run_dir),
        tracking_uri=uri,
        experiment_id=experiment_id,
    )


def new_run_dir(runs: Path) -> Path:
    """DIR/.runs/20261126-083012-123456: unique even for runs started in the same microsecond."""
    runs.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        try:
            (runs / stamp).mkdir()
            return runs / stamp
        except FileExistsError:
            time.sleep(0.000_01)


class Tracker:
    """The MLflow side: experiment, run, status, and reading back what the script logged."""

    def __init__(self, uri: str, where: str) -> None:
        self.uri = uri
        self.where = where
        from mlflow.tracking import (
            MlflowClient,  # first: importing configures MLflow's loggers
        )

        with quiet_mlflow():
            try:
                self.client = MlflowClient(tracking_uri=uri)
            except Exception as exc:  # noqa: BLE001 - bad URI, unreachable server, locked db
                raise JobError(f"{where}: MLflow tracking store {uri}: {_one_line(exc)}") from None

    def experiment(self, name: str) -> str:
        with quiet_mlflow():
            try:
                found = self.client.get_experiment_by_name(name)
                if found is None:
                    try:
                        return self.client.create_experiment(name)
                    except Exception:  # noqa: BLE001 - created meanwhile by another run
                        found = self.client.get_experiment_by_name(name)
                        if found is None:
                            raise
                if found.lifecycle_stage == "deleted":
                    self.client.restore_experiment(found.experiment_id)
                return found.experiment_id
            except Nb2amlError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise JobError(f"{self.where}: MLflow tracking store {self.uri}: {_one_line(exc)}") from None

    def start(self, experiment_id: str, job: LocalJob) -> str:
        with quiet_mlflow():
            run = self.client.create_run(
                experiment_id,
                run_name=job.name,
                tags={"nb2aml.job": str(job.yaml_path), "mlflow.source.type": "LOCAL"},
            )
        return run.info.run_id

    def finish(self, run_id: str, status: str) -> None:
        with quiet_mlflow():
            self.client.set_terminated(run_id, status)

    def read(self, run_id: str) -> tuple[dict, dict]:
        with quiet_mlflow():
            data = self.client.get_run(run_id).data
        return dict(sorted(data.params.items())), dict(sorted(data.metrics.items()))


@contextlib.contextmanager
def quiet_mlflow():
    """MLflow logs its schema migration ("Creating initial MLflow database tables...") at INFO."""
    import logging
    import warnings

    loggers = [logging.getLogger(name) for name in ("mlflow", "alembic")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=False):
            logger.setLevel(level)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__
