"""`nb2aml run DIR --isolated`: run the job or pipeline in a fresh environment built from its
requirements alone, so that "it ran here" proves `environment/requirements.txt`.

Each environment the folder declares becomes a virtual environment made by uv from the image's
Python (`FROM python:X.Y`) and the requirements, wheels only as the image installs them. It is
kept under the user's cache folder, keyed by the requirements' hash and the interpreter, so a
second run starts at once. Nothing of nb2aml is installed there: the job reaches MLflow through
a local tracking server (as it reaches the workspace in Azure ML), the seeding `sitecustomize`
of `verify` is a plain file on PYTHONPATH, and a pipeline's handoff module is copied beside its
scripts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ..envtools.record import record_check
from ..envtools.targets import Environment, environment_of
from ..envtools.uvtool import (
    IndexUnreachable,
    is_network_failure,
    run_uv,
    uv_environment,
)
from ..errors import EnvironmentSetupError
from .command import find_job_yaml
from .result import RunResult
from .seeding import FOLDER as SEEDING_FOLDER

_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b:?")
_MISSING = re.compile(r"ModuleNotFoundError: No module named '([\w.]+)'")


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nb2aml" / "venvs"


def _interpreter_version(path: str) -> str | None:
    try:
        out = subprocess.run(
            [path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _local_candidates(version: str) -> list[str]:
    """Interpreters of `version` on this machine that uv's discovery may miss (pyenv's own folders)."""
    minor = ".".join(version.split(".")[:2])
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    found = sorted(glob.glob(str(pyenv / "versions" / f"{version}*" / "bin" / f"python{minor}")), reverse=True)
    for folder in ("/usr/local/bin", "/usr/bin", "/opt/python/bin"):
        found.append(f"{folder}/python{minor}")
    return [path for path in found if os.access(path, os.X_OK)]


def find_interpreter(request: str) -> str:
    """An interpreter for `request`: a path, or a version X.Y[.Z] found here or provided by uv."""
    if not _VERSION.match(request):
        path = shutil.which(request) or request
        if not (os.path.isfile(path) and os.access(path, os.X_OK)) or _interpreter_version(path) is None:
            raise EnvironmentSetupError(f"--python {request}: not a Python interpreter")
        return path
    found = run_uv(["python", "find", request], timeout=120)
    if found.returncode == 0 and found.stdout.strip():
        return found.stdout.strip().splitlines()[-1]
    for path in _local_candidates(request):
        got = _interpreter_version(path)
        if got and (got == request or got.startswith(request + ".")):
            return path
    # Last: a Python uv manages, downloaded if it can be (it cannot where only package indexes are reachable).
    env = uv_environment()
    env["UV_PYTHON_DOWNLOADS"] = "automatic"
    installed = run_uv(["python", "install", request], timeout=300, env=env)
    if installed.returncode == 0:
        found = run_uv(["python", "find", request], timeout=120, env=env)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip().splitlines()[-1]
    raise EnvironmentSetupError(
        f"no Python {request} on this machine and uv could not download one: "
        f"install Python {request}, or give --python X.Y or --python PATH to run on another"
    )


def _cache_key(environment: Environment, interpreter_version: str) -> str:
    digest = hashlib.sha256()
    digest.update(environment.requirements.read_bytes())
    if environment.constraints is not None:
        digest.update(b"\0" + environment.constraints.read_bytes())
    digest.update(f"\0{interpreter_version}\0{sys.platform}\0only-binary".encode())
    return f"py{interpreter_version}-{digest.hexdigest()[:16]}"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_environment(environment: Environment, interpreter: str, say: Callable[[str], object] = print) -> Path:
    """The cached virtual environment of `environment` on `interpreter`: its python executable."""
    version = _interpreter_version(interpreter)
    if version is None:
        raise EnvironmentSetupError(f"{interpreter}: not a working Python interpreter")
    root = cache_root()
    final = root / _cache_key(environment, version)
    where = environment.requirements
    if (final / "nb2aml-env.json").is_file():
        say(f"isolated: {where}: Python {version} environment from the cache ({final})")
        return venv_python(final)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".{final.name}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    say(f"isolated: {where}: building a fresh Python {version} environment from the requirements alone...")
    try:
        made = run_uv(["venv", "--quiet", "--relocatable", "--python", interpreter, str(staging)], timeout=300)
        if made.returncode != 0:
            raise EnvironmentSetupError(f"{interpreter}: uv cannot make a virtual environment: {_tail(made.stderr)}")
        # Bytecode compiled once here: the first import of MLflow & co. otherwise compiles it at every cold run.
        installed = run_uv(
            [
                "pip",
                "install",
                "--quiet",
                "--compile-bytecode",
                "--python",
                str(venv_python(staging)),
                "--only-binary",
                ":all:",
                "-r",
                str(environment.requirements),
                *environment.constraint_args(),
            ],
            timeout=1800,
        )
        if installed.returncode != 0:
            if is_network_failure(installed.stderr):
                raise IndexUnreachable(
                    f"{where}: the package index cannot be reached: {_tail(installed.stderr)}; nothing was installed"
                )
            raise EnvironmentSetupError(
                f"{where}: does not install on Python {version} (wheels only, as the image installs): "
                f"{_tail(installed.stderr)}"
            )
        (staging / "nb2aml-env.json").write_text(
            json.dumps(
                {
                    "requirements": str(where),
                    "requirements_text": environment.requirements.read_text(encoding="utf-8"),
                    "python": version,
                    "interpreter": interpreter,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        with contextlib.suppress(OSError):  # made meanwhile by another run: theirs is as good
            os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return venv_python(final)


def _tail(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.strip().startswith("hint:")]
    return " ".join(lines[-4:])[:500] or "no detail"


def folder_environments(folder: Path) -> dict[Path, Environment]:
    """Job or component YAML -> the environment it names."""
    from .pipeline import find_pipeline_yaml

    folder = Path(folder)
    pipeline = find_pipeline_yaml(folder) if folder.is_dir() else None
    if pipeline is None:
        job = find_job_yaml(folder).resolve()
        return {job: environment_of(job)}
    import yaml

    doc = yaml.safe_load(pipeline.read_text(encoding="utf-8")) or {}
    found = {}
    for name, job in (doc.get("jobs") or {}).items():
        component = (pipeline.parent / str((job or {}).get("component", ""))).resolve()
        if not component.is_file():
            raise EnvironmentSetupError(f"{pipeline}: job {name}: component {component} is not a file here")
        found[component] = environment_of(component)
    return found


def isolated_environment(env_extra: dict | None) -> dict[str, str]:
    """The variables that keep the caller's packages out: only nb2aml's seeding folder stays on PYTHONPATH."""
    extra = dict(env_extra or {})
    kept = [p for p in (extra.get("PYTHONPATH") or "").split(os.pathsep) if p == SEEDING_FOLDER]
    extra["PYTHONPATH"] = os.pathsep.join(kept)
    extra["PYTHONNOUSERSITE"] = "1"
    for name in ("PYTHONHOME", "VIRTUAL_ENV"):
        extra[name] = ""
    return extra


def _environments(
    declared: dict[Path, Environment], python: str | None, stream: Callable[[str], object]
) -> dict[Path, str]:
    """Job or component YAML -> the python of its built (or cached) environment."""
    interpreters: dict[str, str] = {}
    pythons: dict[Path, str] = {}
    for path, environment in declared.items():
        request = python or environment.python_version
        if request is None:
            raise EnvironmentSetupError(
                f"{environment.dockerfile}: base image {environment.base_image} does not say its "
                "Python: give --python X.Y or --python PATH"
            )
        if request not in interpreters:
            interpreters[request] = find_interpreter(request)
        pythons[path] = str(build_environment(environment, interpreters[request], say=stream))
    return pythons


def run_isolated(
    folder: Path,
    *,
    python: str | None = None,
    tracking_uri: str | None = None,
    stream: Callable[[str], object] = print,
    env_extra: dict | None = None,
    **options,
) -> RunResult:
    """Build (or reuse) each environment of FOLDER and run the job or pipeline in it."""
    from .folder import run_folder
    from .local import default_tracking_uri
    from .pipeline import find_pipeline_yaml
    from .tracking_server import tracking_server

    folder = Path(folder)
    declared = folder_environments(folder)
    # The store `run` itself would use: beside the job or pipeline YAML.
    base = ((find_pipeline_yaml(folder) if folder.is_dir() else None) or find_job_yaml(folder)).resolve().parent
    uri = tracking_uri or default_tracking_uri(base)
    extra = isolated_environment(env_extra)
    with contextlib.ExitStack() as stack:
        # The tracking server takes seconds to start: it does while the environments are found or built.
        server = None if uri.startswith(("http://", "https://")) else stack.enter_context(tracking_server(uri))
        pythons = _environments(declared, python, stream)
        chosen: str | Callable[[Path], str] = next(iter(pythons.values()))
        if len(set(pythons.values())) > 1:  # one environment per component

            def chosen(component: Path) -> str:
                return pythons[Path(component).resolve()]

        if server is not None:
            extra["MLFLOW_TRACKING_URI"] = server.url()
        result = run_folder(folder, python=chosen, tracking_uri=uri, stream=stream, env_extra=extra, **options)
    result = _name_missing_modules(result, declared)
    versions = sorted({Path(p).parent.parent.name.split("-")[0].removeprefix("py") for p in pythons.values()})
    where = f"a fresh Python {', '.join(versions)} environment of the requirements"
    images = sorted({e.python_version for e in declared.values() if e.python_version})
    if python and not all(v.startswith(f"{image}.") for v in versions for image in images):
        where += f" (--python {python}; the image has Python {', '.join(images)})"
    record_check(base, "isolated", summary(result, where))
    return result


def summary(result: RunResult, where: str) -> str:
    """One line for the README: how the run ended, and the first error."""
    if result.status == "succeeded":
        return f"succeeded in {where}"
    failed = next((s for s in result.steps if s.status == "failed"), None)
    if failed is None:
        return f"failed in {where}"
    lines = [line.strip() for line in (failed.error or "").splitlines() if line.strip()]
    # The missing-module note when there is one, else the exception's own line, else the last line.
    notes = [line for line in lines if line.startswith("module '")]
    raised = [line for line in lines if _EXCEPTION_LINE.match(line)]
    told = (notes or raised[-1:] or lines[-1:] or [""])[0]
    return f"failed in {where}: step {failed.name}: {told}"


def _name_missing_modules(result: RunResult, declared: dict[Path, Environment]) -> RunResult:
    """A step that failed on an import names the module and the requirements file that lacks it."""
    files = sorted({str(e.requirements) for e in declared.values()})
    steps = []
    for step in result.steps:
        missing = _MISSING.search(step.error or "")
        if missing:
            module = missing.group(1)
            note = (
                f"module {module!r} is imported but not installed by {', '.join(files)}: "
                f"add its package to the requirements"
            )
            step = dataclasses.replace(step, error=f"{note}\n{step.error}")
        steps.append(step)
    return dataclasses.replace(result, steps=tuple(steps))
