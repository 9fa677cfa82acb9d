"""Compare what the kept code prints: the notebook's kept statements against the conversion's run.

The baseline records what its kept statements write to stdout (stripped ones run apart, see
`baseline_runner`): that is exactly what the job, made of those statements, must print. The run
streams the job's stdout and stderr merged, line by line (a pipeline's lines prefixed with
`[step] `), so the notebook's lines must appear in the job's, in order, as a subsequence: lines
only the job has (warnings on stderr, MLflow's messages) are allowed, a notebook line the job does
not print where expected is a difference. Same code, same libraries: the text compares exactly,
floating-point digits included. Only trailing blanks, blank lines and object addresses
(`<... at 0x7f...>`, different in every process) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEWLINES = re.compile(r"\r\n|\r|\n")  # as the run reads a pipe in text mode (universal newlines)
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


@dataclass(frozen=True)
class PrintedComparison:
    lines: int  # lines the notebook's kept code prints (blank lines left out)
    match: bool
    detail: str = ""  # the first notebook line the job does not print, and the job's line there


def printed_lines(text: str) -> list[str]:
    """The lines of `text` as compared: trailing blanks and blank lines left out."""
    return [line.rstrip() for line in _NEWLINES.split(text) if line.strip()]


def _key(line: str) -> str:
    return _ADDRESS.sub("0x…", line.rstrip())


class StepLines:
    """Collects the lines a run streams, per step, and passes each on to `forward`."""

    def __init__(self, forward, pipeline: bool) -> None:
        self.forward = forward
        self.pipeline = pipeline
        self.by_step: dict[str, list[str]] = {}

    def __call__(self, line: str) -> None:
        step = ""
        if self.pipeline and line.startswith("[") and "] " in line:
            step, line = line[1:].split("] ", 1)
        self.by_step.setdefault(step, []).append(line)
        self.forward(line if not self.pipeline else f"[{step}] {line}")

    def in_order(self, steps: list[str]) -> list[str]:
        """The steps' lines, step after step in the pipeline's order (the notebook's order of their cells)."""
        names = [s for s in steps if s in self.by_step] + [s for s in self.by_step if s not in steps]
        return [line for name in names for line in self.by_step[name]]


def compare_printed(notebook_text: str, job_lines: list[str]) -> PrintedComparison:
    """Is every line the notebook's kept code printed printed by the job, in the same order?"""
    expected = printed_lines(notebook_text)
    actual = [line.rstrip() for line in job_lines if line.strip()]
    keys = [_key(line) for line in actual]
    cursor = 0
    for number, line in enumerate(expected, start=1):
        wanted = _key(line)
        try:
            cursor = keys.index(wanted, cursor) + 1
        except ValueError:
            there = actual[cursor] if cursor < len(actual) else "(nothing more)"
            return PrintedComparison(
                len(expected),
                False,
                f"printed line {number} of {len(expected)}: notebook {_short(line)!r}, job {_short(there)!r}",
            )
    return PrintedComparison(len(expected), True)


def _short(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= 80 else line[:77] + "..."
