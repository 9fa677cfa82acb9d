"""The job's world as the notebook saw it: magics that define names, move the working folder or make
files, applied to the analysed code and to the job's inputs and outputs."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path

from ..types import DataAsset, Facts, Notebook
from . import knowledge as K
from .cwd_paths import rewrite_cwd_paths
from .files import link_internal_files
from .local_modules import defined_names, plot_only_functions
from .magics import (
    cd_folders,
    folder_at,
    magic_effects,
    with_run_imports,
    written_code_files,
)
from .shell_steps import with_shell_steps


def prepare_notebook(notebook: Notebook) -> Notebook:
    """`%run file.py` becomes an import of the names the file defines (see `magics.with_run_imports`);
    a one-line path built from the working folder becomes the literal it named (`cwd_paths`); a shell
    escape that makes files becomes the Python step that does the same (`shell_steps`)."""
    notebook = with_shell_steps(rewrite_cwd_paths(notebook))
    targets = {e.target for e in magic_effects(notebook) if e.kind == "run" and e.target}
    if not targets:
        return notebook
    folder = Path(notebook.path).resolve().parent
    written = written_code_files(notebook)
    defined = {}
    for target in targets:
        name = posixpath.normpath(target)
        if name in written:
            defined[target] = defined_names(written[name])
        elif (folder / name).is_file():
            defined[target] = defined_names((folder / name).read_text(encoding="utf-8", errors="replace"))
    return with_run_imports(notebook, defined)


def world_assets(
    notebook: Notebook, facts: Facts, inputs: tuple[DataAsset, ...], outputs: tuple[DataAsset, ...]
) -> tuple[tuple[DataAsset, ...], tuple[DataAsset, ...]]:
    """Inputs and outputs as the notebook resolved them: under the folder `%cd` made current, a
    download's URL for the file it made, files the notebook wrote itself linked to their writer."""
    cd = cd_folders(notebook)
    if cd:
        inputs = tuple(_under(a, folder_at(cd, a.pos.cell, a.pos.line)) for a in inputs)
        outputs = tuple(_under(a, folder_at(cd, a.pos.cell, a.pos.line)) for a in outputs)
    downloads = {}
    for effect in magic_effects(notebook):
        if effect.kind == "download" and effect.target and effect.url:
            where = folder_at(cd, effect.magic.cell, effect.magic.line) if cd else "."
            if where is not None:
                downloads[posixpath.normpath(posixpath.join(where, effect.target))] = effect.url
    kept = []
    for asset in inputs:
        path = posixpath.normpath(asset.path) if asset.path else asset.path
        if path in downloads:
            asset = replace(asset, path=downloads[path], type="uri_file")
        kept.append(asset)
    return link_internal_files(facts, tuple(kept), outputs)


def _under(asset: DataAsset, folder: str | None) -> DataAsset:
    if folder in (None, ".") or asset.path.startswith(("/", "~")) or "://" in asset.path:
        return asset
    return replace(
        asset, path=posixpath.normpath(posixpath.join(folder, asset.path)) + ("/" if asset.path.endswith("/") else "")
    )


def with_local_plot_calls(notebook: Notebook, facts: Facts) -> Facts:
    """A statement whose only calls are plot-only functions of the notebook's own modules is
    plotting (NB101), as a plot-only function the notebook defines itself is."""
    candidates: dict[int, list] = {}
    for sid, call in facts.calls:
        if not call.in_function:
            candidates.setdefault(sid, []).append(call)
    names = {
        c.qualname
        for calls in candidates.values()
        for c in calls
        if c.qualname and not c.qualname.startswith(("<local>.", "builtins."))
    }
    if not names:
        return facts
    plot_only = plot_only_functions(notebook, names)
    if not plot_only:
        return facts
    statements = []
    for s in facts.statements:
        calls = candidates.get(s.id, [])
        if (
            s.depth == 0
            and s.role == "code"
            and s.effects
            and not s.defines
            and calls
            and any(c.qualname in plot_only for c in calls)
            and all(c.qualname in plot_only or (c.qualname or "").startswith(K.PLOT_MODULES) for c in calls)
        ):
            s = replace(s, role="plot", effects=False)
        statements.append(s)
    return replace(facts, statements=tuple(statements))
