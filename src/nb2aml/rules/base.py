"""The rule interface, Fixit style: one class per module with its code, message and examples."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from ..analysis import NotebookFacts
from ..types import Applicability, Finding, Notebook, Position, Severity


@dataclass(frozen=True)
class Example:
    """A notebook for a rule's docs and tests, in percent format (`# %%` separates cells)."""

    code: str
    execution_counts: tuple[int | None, ...] | None = None
    # The data scientist's pinned versions the example is checked against: (distribution, version).
    pins: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, item: str | Example) -> Example:
        return item if isinstance(item, Example) else cls(textwrap.dedent(item).strip("\n") + "\n")


@dataclass(frozen=True)
class InvalidExample(Example):
    """An INVALID example with what the rule reports on it, snapshot style (Fixit's `InvalidTestCase`).

    `at` is where the rule's first finding is (cell, line, 1-based column) and `message` what it
    says; `fixed`, for a rule with a fix, is the notebook's code after that rule's rewrite alone
    (each cell under a `# %%` line when there are several). The version of a library installed
    here, which varies by machine, is written `N` in a message: "(removed in pandas 2.0 (N here))".
    """

    at: tuple[int, int, int] = (1, 1, 1)
    message: str = ""
    fixed: str | None = None

    def __post_init__(self) -> None:
        # Written as indented triple-quoted text in the rule's module: compared as the code it shows.
        object.__setattr__(self, "code", _dedented(self.code))
        if self.fixed is not None:
            object.__setattr__(self, "fixed", _dedented(self.fixed))


def _dedented(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


class Rule:
    CODE: ClassVar[str]
    NAME: ClassVar[str]
    MESSAGE: ClassVar[str]
    SEVERITY: ClassVar[Severity] = "warning"
    FIX: ClassVar[Applicability] = "none"
    VALID: ClassVar[list] = []
    INVALID: ClassVar[list] = []

    def check(self, nb: NotebookFacts) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        pos: Position,
        message: str | None = None,
        *,
        end: Position | None = None,
        fix: Applicability | None = None,
    ) -> Finding:
        return Finding(
            code=self.CODE,
            name=self.NAME,
            message=message or self.MESSAGE,
            pos=pos,
            severity=self.SEVERITY,
            fix=self.FIX if fix is None else fix,
            end=end,
        )

    @classmethod
    def doc(cls) -> str:
        return textwrap.dedent(cls.__doc__ or "").strip()


def source_text(notebook: Notebook, start: Position, end: Position | None, limit: int = 60) -> str:
    """The code between two positions of one cell, for messages."""
    cell = notebook.cells[start.cell - 1]
    lines = cell.source.split("\n")
    if end is None or end.line != start.line:
        text = lines[start.line - 1][start.col - 1 :] if start.line <= len(lines) else ""
        text = text.strip()
        return text if len(text) <= limit else text[: limit - 3] + "..."
    text = lines[start.line - 1][start.col - 1 : end.col - 1]
    return text if len(text) <= limit else text[: limit - 3] + "..."
