"""`--input NAME=PATH`: the user names a file or folder the kept code reads where nb2aml cannot
resolve the path statically (an NB801 error: a relative path read inside a function body, a
path built from the working folder across lines or from a run-time value).

Each named input becomes a job input NAME at PATH (relative to the notebook's folder, as every
input path the notebook writes), and the node NB801 points at is replaced by its argument: the
string literal by `args.NAME`, a working-folder call (`os.getcwd()`) by the folder it stands for.
A NAME (or PATH) that matches no unresolved path, a path two NAMEs claim, or one no argument can
stand for, is refused with one line.
"""

from __future__ import annotations

import keyword
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ConfigError
from ..types import DataAsset, NotebookError, Position
from . import NotebookFacts
from .cwd_paths import UnresolvedPath, unresolved_paths
from .files import written_files

NAMED_INPUT_CALL = "nb2aml --input"  # the `calls` of a named input: what reads it was named by the user


@dataclass(frozen=True)
class NamedInput:
    name: str
    path: str

    @property
    def option(self) -> str:
        return f"--input {self.name}={self.path}"


def parse_named_inputs(values: Iterable[str], no_fix: Iterable[str] = ()) -> tuple[NamedInput, ...]:
    """`NAME=PATH` items, each NAME a Python identifier given once; one clear line otherwise.
    `no_fix`: the codes of `--no-fix`; NB201 turns inputs off, which `--input` cannot do without."""
    found: dict[str, NamedInput] = {}
    for item in values:
        name, sep, path = item.partition("=")
        name, path = name.strip(), path.strip()
        if not sep or not name or not path:
            raise ConfigError(f"--input takes NAME=PATH, not {item!r}")
        if not name.isidentifier() or keyword.iskeyword(name) or name == "help":
            raise ConfigError(f"--input {item}: NAME must be a Python identifier (it becomes the argument --{name})")
        if name in found:
            raise ConfigError(f"--input {name} given twice ({found[name].path!r} and {path!r})")
        found[name] = NamedInput(name, path)
    if found and "NB201" in no_fix:
        raise ConfigError("--input makes job inputs, which --no-fix NB201 turns off: give one or the other")
    return tuple(found.values())


def unresolved_sites(nb: NotebookFacts) -> tuple[UnresolvedPath, ...]:
    """The NB801 error sites of the code the job keeps (see `cwd_paths.unresolved_paths`)."""
    facts = nb.facts
    by_id = {s.id: s for s in facts.statements}

    def kept_top_of(sid: int) -> bool:
        top = by_id.get(sid)
        while top is not None and top.parent is not None:
            top = by_id.get(top.parent)
        return top is not None and top.id in nb.kept

    spans = [(s.pos, s.end) for s in facts.statements if s.depth == 0 and s.id in nb.kept]
    written: set[str] = set().union(*(written_files(a) for a in nb.outputs)) if nb.outputs else set()
    # A suggested NAME never takes the name of one of the notebook's own inputs, outputs or parameters.
    taken = {a.name for a in nb.inputs + nb.outputs if NAMED_INPUT_CALL not in a.calls} | {
        p.name for p in nb.parameters
    }
    return unresolved_paths(
        facts.notebook, facts.calls, (literal for _, literal in facts.literals), kept_top_of, spans, written, taken
    )


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def _matches(given: NamedInput, sites: tuple[UnresolvedPath, ...]) -> list[UnresolvedPath]:
    """The sites NAME names (as NB801 suggested it); else those whose path is PATH."""
    by_name = [s for s in sites if s.suggested_name == given.name]
    return by_name or [s for s in sites if _norm(s.suggested_path) == _norm(given.path)]


def with_named_inputs(nb: NotebookFacts, named: tuple[NamedInput, ...]) -> NotebookFacts:
    """`nb` with one input per `--input NAME=PATH`, each used where its unresolved path is."""
    if not named:
        return nb
    notebook = nb.facts.notebook
    sites = unresolved_sites(nb)
    taken = {a.name for a in nb.inputs + nb.outputs} | {p.name for p in nb.parameters}
    claimed: dict[Position, NamedInput] = {}
    added = []
    for given in named:
        matched = _matches(given, sites)
        if not matched:
            known = " ".join(s.option() for s in _unique_options(sites))
            raise NotebookError(
                f"{given.option}: no path of {notebook.path} that nb2aml cannot resolve is named {given.name} "
                f"or reads {given.path!r}"
                + (f" (it needs: {known})" if known else " (it has none: leave the option out)")
            )
        if given.name in taken:
            raise NotebookError(
                f"{given.option}: {given.name} already names an input, output or parameter of {notebook.path}; "
                "choose another NAME"
            )
        for site in matched:
            where = site.pos.render(notebook.path)
            if site.replacement is None:
                raise NotebookError(
                    f"{where}: {given.option}: `{site.text}` cannot be replaced by one argument; "
                    "write the path as a literal relative to the notebook"
                )
            if site.pos in claimed and claimed[site.pos] != given:
                raise NotebookError(
                    f"{where}: both {claimed[site.pos].option} and {given.option} name `{site.text}`; give one"
                )
            claimed[site.pos] = given
        folder = Path(notebook.path).parent
        is_folder = (
            given.path.endswith("/")
            or any(s.kind == "cwd_root" for s in matched)
            or (folder / Path(given.path).expanduser()).is_dir()
        )
        added.append(
            DataAsset(
                name=given.name,
                path=given.path,
                type="uri_folder" if is_folder else "uri_file",
                direction="read",
                pos=matched[0].pos,
                calls=(NAMED_INPUT_CALL,),
                uses=tuple(sorted({s.pos for s in matched})),
            )
        )
        taken.add(given.name)
    return replace(nb, inputs=nb.inputs + tuple(added))


def _unique_options(sites: tuple[UnresolvedPath, ...]) -> list[UnresolvedPath]:
    seen: dict[str, UnresolvedPath] = {}
    for site in sites:
        seen.setdefault(site.suggested_name, site)
    return list(seen.values())


def named_input_of(site: UnresolvedPath, inputs: tuple[DataAsset, ...]) -> DataAsset | None:
    """The input `--input` gave for this site, if any."""
    return next((a for a in inputs if NAMED_INPUT_CALL in a.calls and site.pos in a.uses), None)


def for_conversion(nb: NotebookFacts, given: tuple[NamedInput, ...]) -> tuple[NamedInput, ...]:
    """`nb2aml run NOTEBOOK --input ...`: the items that name an unresolved path (the conversion takes
    them); the others override an input of the converted job, as for a folder."""
    sites = unresolved_sites(nb)
    return tuple(item for item in given if _matches(item, sites))
