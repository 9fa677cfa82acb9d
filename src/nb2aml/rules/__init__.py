"""Rule registry, selection and suppression."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

from ..analysis import NotebookFacts
from ..types import Finding, Notebook
from .base import Rule

_SUPPRESS = re.compile(r"#\s*nb2aml:\s*ignore(?:\[(?P<codes>[A-Z0-9, ]+)\])?")


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("nb"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda r: r.CODE))


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    return next((r for r in all_rules() if code == r.CODE or r.NAME.lower() == code.lower()), None)


def selected(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    chosen = (
        not select or any(code.startswith(prefix.upper()) for prefix in select) or "ALL" in (s.upper() for s in select)
    )
    return chosen and not any(code.startswith(prefix.upper()) for prefix in ignore)


def run_rules(nb: NotebookFacts, *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> tuple[Finding, ...]:
    return reported(run_all_rules(nb), nb.facts.notebook, select=select, ignore=ignore)


def run_all_rules(nb: NotebookFacts) -> tuple[Finding, ...]:
    """Every rule's findings, before selection and suppression: what the rewrites act on."""
    findings: list[Finding] = []
    for rule in all_rules():
        findings.extend(rule().check(nb))
    return tuple(sorted(set(findings), key=lambda f: (f.pos, f.code, f.message)))


def reported(
    findings: tuple[Finding, ...], notebook: Notebook, *, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> tuple[Finding, ...]:
    """The findings the user asked to see: selection and `# nb2aml: ignore` change the report only."""
    suppressed = _suppressions(notebook)
    return tuple(f for f in findings if selected(f.code, select, ignore) and not _is_suppressed(f, suppressed))


def _suppressions(notebook: Notebook) -> dict[tuple[int, int], frozenset[str] | None]:
    found: dict[tuple[int, int], frozenset[str] | None] = {}
    for cell in notebook.cells:
        if cell.kind != "code" or "nb2aml" not in cell.source:
            continue
        for number, line in enumerate(cell.source.split("\n"), start=1):
            match = _SUPPRESS.search(line)
            if match:
                codes = match.group("codes")
                found[(cell.number, number)] = frozenset(c.strip() for c in codes.split(",")) if codes else None
    return found


def _is_suppressed(finding: Finding, suppressed: dict) -> bool:
    key = (finding.pos.cell, finding.pos.line)
    if finding.pos.file or key not in suppressed:  # a comment in a cell says nothing of a module's lines
        return False
    codes = suppressed[key]
    return codes is None or finding.code in codes
