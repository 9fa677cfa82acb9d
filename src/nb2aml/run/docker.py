"""`nb2aml run DIR --docker`: build the emitted Dockerfile and run the job in that image, with the
code and data mounted the way Azure ML mounts them (the walk-through's last local step).

Azure ML starts the image with the code snapshot as the working folder, each data input mounted
read-only and each output folder mounted read-write, and hands the script their mount paths. Here
the same: `/mnt/azureml/code` (working folder), `/mnt/azureml/inputs/<name>` (read-only),
`/mnt/azureml/outputs/<name>`; MLflow reaches a tracking server on the host (`--network host`).
The job runs through a launcher that `run` calls in place of `python`: it turns the host paths
of the command line into mount paths and starts `docker run`.
Usage of the launcher: python -m nb2aml.run.docker IMAGE SCRIPT [ARGS...] (in the code folder).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..envtools.targets import Environment
from ..errors import EnvironmentSetupError
from .result import RunResult
from .seeding import FOLDER as SEEDING_FOLDER

CODE = "/mnt/azureml/code"
INPUTS = "/mnt/azureml/inputs"
OUTPUTS = "/mnt/azureml/outputs"
SEEDING = "/mnt/nb2aml/seeding"
# What the launcher hands into the container: MLflow's run, verify's seed, and the job's own variables.
PASSED = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_RUN_ID",
    "MLFLOW_EXPERIMENT_ID",
    "NB2AML_SEED",
    "MPLBACKEND",
    "PYTHONUNBUFFERED",
)
JOB_VARIABLES = "NB2AML_DOCKER_VARIABLES"  # names of the job's environment variables, comma-separated


def engine_answers() -> str | None:
    """None when a Docker engine answers `docker info`, else why not (one line)."""
    try:
        probe = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return "the docker command is not installed"
    except subprocess.TimeoutExpired:
        return "docker info did not answer in 30 s"
    if probe.returncode == 0 and probe.stdout.strip():
        return None
    lines = [line.strip() for line in (probe.stderr or probe.stdout).splitlines() if line.strip()]
    return lines[-1][:300] if lines else f"docker info exited with code {probe.returncode}"


def image_tag(environment: Environment) -> str:
    return f"nb2aml-{environment.yaml_path.stem.lower()}:{environment.requirements_hash()}"


def container_argv(
    image: str, code_dir: str, args: list[str], env: dict[str, str], *, user: str, runs_marker: str = "/.runs/"
) -> list[str]:
    """`docker run ...` for SCRIPT ARGS run in `code_dir`: host paths in ARGS become mount paths."""
    mounts = [f"--volume={code_dir}:{CODE}"]
    translated = []
    used: set[str] = set()
    for arg in args:
        if os.path.isabs(arg) and os.path.exists(arg):
            is_output = runs_marker in arg.replace(os.sep, "/") + "/"
            root = OUTPUTS if is_output else INPUTS
            name = Path(arg).name or "data"
            while f"{root}/{name}" in used:
                name += "_"
            target = f"{root}/{name}"
            used.add(target)
            mounts.append(f"--volume={arg}:{target}" + ("" if is_output else ":ro"))
            translated.append(target)
        else:
            translated.append(arg)
    variables = [f"--env={name}={env[name]}" for name in PASSED if env.get(name)]
    for name in filter(None, env.get(JOB_VARIABLES, "").split(",")):
        if name in env:
            variables.append(f"--env={name}={env[name]}")
    if SEEDING_FOLDER in (env.get("PYTHONPATH") or "").split(os.pathsep):
        mounts.append(f"--volume={SEEDING_FOLDER}:{SEEDING}:ro")
        variables.append(f"--env=PYTHONPATH={SEEDING}")
    return [
        "docker",
        "run",
        "--rm",
        "--network=host",
        f"--user={user}",
        "--env=HOME=/tmp",
        f"--workdir={CODE}",
        *mounts,
        *variables,
        image,
        "python",
        *translated,
    ]


def main(argv: list[str]) -> int:
    image, args = argv[0], argv[1:]
    user = f"{os.getuid()}:{os.getgid()}" if hasattr(os, "getuid") else "1000:1000"
    command = container_argv(image, os.getcwd(), args, dict(os.environ), user=user)
    return subprocess.call(command, stdin=subprocess.DEVNULL)


def _launcher(folder: Path, image: str) -> str:
    """An executable that `run` starts in place of `python`: it runs the script in `image`."""
    path = folder / f"python-in-{image.replace(':', '-').replace('/', '-')}"
    path.write_text(f'#!/bin/sh\nexec {sys.executable!s} -m nb2aml.run.docker {image} "$@"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def build_image(environment: Environment, stream: Callable[[str], object]) -> str:
    tag = image_tag(environment)
    stream(f"docker: building {tag} from {environment.dockerfile}")
    built = subprocess.run(
        ["docker", "build", "--tag", tag, "--file", str(environment.dockerfile), str(environment.build_dir)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if built.returncode != 0:
        tail = " ".join((built.stderr or built.stdout).strip().splitlines()[-3:])[:500]
        raise EnvironmentSetupError(f"{environment.dockerfile}: the image does not build: {tail}")
    return tag


def run_docker(
    folder: Path,
    *,
    tracking_uri: str | None = None,
    stream: Callable[[str], object] = print,
    env_extra: dict | None = None,
    **options,
) -> RunResult:
    """Build each image FOLDER declares and run the job or pipeline in them; NotebookError without an engine."""
    import yaml

    from ..envtools.record import record_check
    from .command import find_job_yaml
    from .folder import run_folder
    from .isolated import folder_environments, summary
    from .local import default_tracking_uri
    from .pipeline import find_pipeline_yaml
    from .tracking_server import tracking_server

    why_not = engine_answers()
    if why_not is not None:
        raise EnvironmentSetupError(
            f"run --docker needs a Docker engine and none answers here ({why_not}); "
            "run --isolated proves the requirements without one"
        )
    folder = Path(folder)
    declared = folder_environments(folder)
    images = {path: build_image(environment, stream) for path, environment in declared.items()}
    extra = dict(env_extra or {})
    names = set()
    for path in declared:
        variables = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("environment_variables") or {}
        names.update(str(name) for name in variables)
    extra[JOB_VARIABLES] = ",".join(sorted(names))
    base = ((find_pipeline_yaml(folder) if folder.is_dir() else None) or find_job_yaml(folder)).resolve().parent
    uri = tracking_uri or default_tracking_uri(base)
    with tempfile.TemporaryDirectory(prefix="nb2aml-docker-") as tmp:
        launchers = {path: _launcher(Path(tmp), image) for path, image in images.items()}
        chosen: str | Callable[[Path], str] = next(iter(launchers.values()))
        if len(set(launchers.values())) > 1:

            def chosen(component: Path) -> str:
                return launchers[Path(component).resolve()]

        if uri.startswith(("http://", "https://")):
            result = run_folder(folder, python=chosen, tracking_uri=uri, stream=stream, env_extra=extra, **options)
        else:
            with tracking_server(uri) as server:
                extra["MLFLOW_TRACKING_URI"] = server.url()
                result = run_folder(folder, python=chosen, tracking_uri=uri, stream=stream, env_extra=extra, **options)
    record_check(
        base,
        "docker",
        summary(
            result, f"the image{'s' if len(set(images.values())) > 1 else ''} {', '.join(sorted(set(images.values())))}"
        ),
    )
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
