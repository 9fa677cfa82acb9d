"""The library entry points the CLI and tests use: notebook in, `Analysis` out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .analysis import NotebookFacts, analyse
from .analysis.slice import plan_cells
from .analysis.versions import LibraryVersions
from .config import find_config
from .errors import Nb2amlError
from .notebook import load_notebook
from .rules import reported, run_all_rules
from .types import Analysis, Notebook


def analyze_notebook(
    notebook: Notebook,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    strip_prints: bool = False,
    env=None,
    requirements: bool = False,
    versions: LibraryVersions | None = None,
    named_inputs: tuple = (),
) -> tuple[Analysis, NotebookFacts]:
    """Facts, findings and the plan; with `requirements=True` also the requirements the
    converted code will need, inferred against `env` (an `EnvSpec`, or None). Removed APIs are
    checked against `versions` (default: the pins of `env` and the libraries installed here).
    `named_inputs`: the `NamedInput`s of `--input NAME=PATH` (see `analysis.named_inputs`)."""
    from .analysis.named_inputs import with_named_inputs
    from .analysis.world import prepare_notebook

    notebook = prepare_notebook(notebook)
    nb = replace(analyse(notebook, strip_prints=strip_prints), versions=versions or LibraryVersions.from_env(env))
    nb = with_named_inputs(nb, named_inputs)
    every_finding = run_all_rules(nb)
    findings = reported(every_finding, notebook, select=select, ignore=ignore)
    by_cell: dict[int, list[str]] = {}
    for finding in findings:
        codes = by_cell.setdefault(finding.pos.cell, [])
        if finding.code not in codes:
            codes.append(finding.code)
    cells = plan_cells(
        notebook, nb.facts, nb.kept, nb.removed_nested, {k: tuple(sorted(v)) for k, v in by_cell.items()}
    )
    python_version = notebook.language_version
    inferred = ()
    if requirements:
        from .analysis.imports import kept_modules
        from .deps.infer import infer_requirements
        from .emit.environment import choose_python_version

        python_version, _ = choose_python_version(
            notebook.language_version, notebook.kernel_name, env.python if env else None
        )
        extra = ["mlflow", "azureml-mlflow"] if nb.parameters or nb.metrics else []
        pip_installs = [p for cell in notebook.cells for m in cell.magics for p in m.packages]
        inferred = infer_requirements(
            kept_modules(nb),
            pip_installs=pip_installs,
            env=env,
            python_version=python_version,
            extra=extra,
            local_dir=Path(notebook.path).parent,
        )
    analysis = Analysis(
        notebook=notebook,
        findings=findings,
        cells=cells,
        inputs=nb.inputs,
        outputs=nb.outputs,
        parameters=nb.parameters,
        metrics=nb.metrics,
        requirements=inferred,
        python_version=python_version,
        fix_findings=every_finding,
    )
    return analysis, nb


def analyze_path(
    path: str | Path,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    strip_prints: bool = False,
    env=None,
    requirements: bool = False,
    named_inputs: tuple = (),
) -> tuple[Analysis, NotebookFacts]:
    path = Path(path)
    notebook = load_notebook(path)
    config = find_config(path.parent)
    versions = LibraryVersions.from_env(env if env is not None else _env_beside(path))
    return analyze_notebook(
        notebook,
        select=select or config.select,
        ignore=ignore or config.ignore,
        strip_prints=strip_prints,
        env=env,
        requirements=requirements,
        versions=versions,
        named_inputs=named_inputs,
    )


def _env_beside(path: Path):
    """The data scientist's requirements beside the notebook, for the pinned versions; none when unreadable."""
    from .deps.envfile import load_env_file
    from .deps.infer import find_env_file

    found = find_env_file(path)
    try:
        return load_env_file(found) if found else None
    except Nb2amlError:
        return None


def env_spec(notebook: Path, requirements: Path | None = None, environment: Path | None = None):
    """The data scientist's environment (`EnvSpec`): the file given, else the one beside the notebook, else None."""
    from .deps.envfile import load_env_file
    from .deps.infer import find_env_file
    from .errors import ConfigError

    if requirements and environment:
        raise ConfigError("give --requirements or --environment, not both")
    for option, given in (("--requirements", requirements), ("--environment", environment)):
        if given is not None and not given.is_file():
            what = "is a folder, not a file" if given.is_dir() else "no such file"
            raise ConfigError(f"{given}: {what} (given as {option})")
    path = requirements or environment or find_env_file(notebook)
    return load_env_file(path) if path else None
