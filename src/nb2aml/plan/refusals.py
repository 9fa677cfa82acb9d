"""One rule for refusals: what stops `convert` and `split`, and what `analyze` says they will do.

The CLI only asks; the decisions live here so that `analyze`, `convert` and `split` can never
disagree about a notebook (the issue where `analyze` promised "fixed safely by convert" for a
notebook `convert` then refused).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from ..analysis import NotebookFacts
from ..analysis import knowledge as K
from ..errors import NotebookRefused
from ..refactor.interface import in_kept_code, kept_spans
from ..types import Analysis, Finding, NotebookError

# Error-level findings that make a script fail at once: a cell that does not parse, a name nothing defines.
BLOCKING_CODES = frozenset({"NB001", "NB702", "NB801", "NB802"})
NOTHING_USEFUL = "nothing to convert: the kept code writes no file, logs nothing and prints nothing"


@dataclass(frozen=True)
class Refusal:
    """Why `convert` and `split` will not write, as the one line they print (file, cell, line)."""

    message: str
    overridable: bool  # `--force` writes anyway, with the findings in the README


# Findings about code: they block only where the job keeps that code. A plot that names an undefined
# frame is stripped with the rest of the plotting; the job never runs it.
IN_CODE = frozenset({"NB702", "NB801", "NB501"})


def blocking_findings(analysis: Analysis, nb: NotebookFacts) -> tuple[Finding, ...]:
    # Before selection: ignoring NB001 does not make a cell parse.
    spans = kept_spans(nb, nb.kept)
    removed = _removed_where_the_job_runs(analysis, nb)
    return tuple(
        f
        for f in analysis.fixable
        if (f.code in BLOCKING_CODES or (f.code == "NB501" and f.pos in removed))
        and f.severity == "error"
        and (f.code not in IN_CODE or in_kept_code(f.pos, spans))
    )


def _removed_where_the_job_runs(analysis: Analysis, nb: NotebookFacts) -> frozenset:
    """NB501 uses with no fix of an API the job's versions lack (`removed_where_the_job_runs`)."""
    if not any(f.code == "NB501" and f.fix == "none" for f in analysis.fixable):
        return frozenset()
    from ..rules.nb501_removed_api import removed_where_the_job_runs

    return removed_where_the_job_runs(nb)


def refusals(analysis: Analysis, nb: NotebookFacts) -> tuple[Refusal, ...]:
    """Every reason `convert` / `split` refuses this notebook, most fundamental first."""
    notebook = analysis.notebook
    path = notebook.path
    found: list[Refusal] = []
    for finding in blocking_findings(analysis, nb):
        if finding.code == "NB001":
            found.append(
                Refusal(f"{finding.pos.render(path)}: {finding.message}; fix the cell before converting", False)
            )
        else:
            found.append(
                Refusal(
                    f"{finding.pos.render(path)}: {finding.code} {finding.message}; a job would fail here "
                    "(--force writes it anyway)",
                    True,
                )
            )
    if found and not found[0].overridable:
        return tuple(found)
    found = _with_every_input_option(found, nb)
    if not notebook.code_cells:
        return tuple(found) + (Refusal(f"{path}: nothing to convert: the notebook has no code cells", False),)
    if not nb.kept or not produces_something(analysis, nb):
        found.append(Refusal(f"{path}: {NOTHING_USEFUL}", False))
        return tuple(found)
    found += _cells_scripts_cannot_run(analysis, nb)
    return tuple(found)


def _with_every_input_option(found: list[Refusal], nb: NotebookFacts) -> list[Refusal]:
    """Several paths nb2aml cannot resolve: the first NB801 refusal names every `--input` convert needs."""
    from ..analysis.named_inputs import named_input_of, unresolved_sites

    options = list(
        dict.fromkeys(
            site.option() for site in unresolved_sites(nb) if site.replacement and not named_input_of(site, nb.inputs)
        )
    )
    first = next((i for i, r in enumerate(found) if " NB801 " in r.message), None)
    if len(options) < 2 or first is None:
        return found
    found[first] = Refusal(f"{found[first].message}; convert needs all of: {' '.join(options)}", True)
    return found


def check_convertible(analysis: Analysis, nb: NotebookFacts, *, force: bool = False) -> tuple[Refusal, ...]:
    """Raise `NotebookRefused` with the first refusal `force` does not override; return the overridden ones."""
    overridden = []
    for refusal in refusals(analysis, nb):
        if refusal.overridable and force:
            overridden.append(refusal)
            continue
        raise NotebookRefused(refusal.message)
    return tuple(overridden)


def produces_something(analysis: Analysis, nb: NotebookFacts) -> bool:
    """Does the kept code write a file, log to a tracker, compute a metric or print?"""
    kept_statements = _kept_statement_ids(nb)
    if analysis.metrics or analysis.outputs:
        return True
    for s in nb.facts.statements:
        if s.id in kept_statements and s.prints:
            return True
    for sid, use in nb.facts.paths:
        if sid in kept_statements and use.direction == "write":
            return True
    for sid, call in nb.facts.calls:
        if sid not in kept_statements or call.qualname is None:
            continue
        if call.qualname.startswith(K.LOGGING_PREFIXES) or call.qualname in ("builtins.print",):
            return True
        if call.qualname.startswith("<local>.") or call.qualname in ("builtins.exec", "builtins.eval"):
            # A function of the notebook or one of its modules: what it does is not known here.
            return True
    return False


def _kept_statement_ids(nb: NotebookFacts) -> set[int]:
    by_id = {s.id: s for s in nb.facts.statements}
    kept = set()
    for s in nb.facts.statements:
        top = s
        while top.parent is not None:
            top = by_id[top.parent]
        if top.id in nb.kept and s.id not in nb.removed_nested:
            kept.add(s.id)
    return kept


def _cells_scripts_cannot_run(analysis: Analysis, nb: NotebookFacts) -> list[Refusal]:
    """A kept cell that parses but cannot run as a script: `await`, `return` or `break` at the top level."""
    kept_cells = {s.cell for s in nb.facts.statements if s.depth == 0 and s.id in nb.kept}
    for cell in analysis.notebook.code_cells:
        if cell.number not in kept_cells or cell.foreign:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences and the like: not errors
                compile(cell.python, f"cell {cell.number}", "exec", dont_inherit=True)
        except SyntaxError as exc:
            where = f"{analysis.notebook.path}:cell {cell.number}:{exc.lineno or 1}:{exc.offset or 1}"
            message = exc.msg
            if "await" in message:
                message += (
                    " (top-level await only runs in a notebook: wrap the code in a function run with asyncio.run)"
                )
            return [Refusal(f"{where}: {message}; a script cannot run this cell", False)]
        except ValueError as exc:  # null bytes
            return [Refusal(f"{analysis.notebook.path}:cell {cell.number}: {exc}", False)]
    return []


def analyze_verdict(analysis: Analysis, nb: NotebookFacts) -> str:
    """What `analyze` says `convert` will do: refuse (with the first reason) or fix N findings."""
    found = refusals(analysis, nb)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return f"`nb2aml convert` will refuse: {found[0].message}{more}"
    fixable = sum(1 for f in analysis.findings if f.fix == "safe")
    return f"{fixable} fixed safely by `nb2aml convert`"


def readme_with_overrides(readme: str, overridden: tuple[Refusal, ...]) -> str:
    """The output README, with what `--force` overrode: the job may fail where these findings point."""
    if not overridden:
        return readme
    lines = [
        "",
        "## Written with --force despite these findings",
        "",
        "The job may fail where they point; fix the notebook and convert again:",
        "",
    ]
    lines += [f"- {r.message}" for r in overridden]
    return readme.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def check_scripts_compile(files: dict) -> None:
    """The last check of the scripts before writing: a script that does not compile is not written."""
    for name, text in sorted(files.items()):
        if not name.endswith(".py"):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(text, name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise NotebookError(
                f"{name}{f':{line}' if line else ''}: the generated script does not compile "
                f"({getattr(exc, 'msg', exc)}); "
                "this is a bug in nb2aml, nothing was written"
            ) from None
