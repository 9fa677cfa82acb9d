"""What one statement's expressions read, call, bind and change, accumulated while they are walked."""

from __future__ import annotations

from ..types import CallFact, LiteralFact, Position


class Accumulator:
    """Accumulates what one statement's expressions read, call and bind."""

    __slots__ = (
        "reads",
        "calls",
        "literals",
        "mutates",
        "binds",
        "stack",
        "in_function",
        "local",
        "writes",
        "state",
        "unknown",
        "outputs",
    )

    def __init__(self) -> None:
        self.reads: dict[str, Position] = {}
        self.calls: list[CallFact] = []
        self.literals: list[LiteralFact] = []
        self.mutates: set[str] = set()
        self.binds: set[str] = set()
        self.stack: list[str | None] = []
        self.in_function = False
        self.local: set[str] = set()
        self.writes = False  # writes outside the program: a file opened for writing, SQL that changes data
        self.state: set[str] = set()  # process-wide state read and advanced: "random", "pyplot"
        self.unknown: list[str] = []
        # Calls that print by themselves though no `print` is in sight: training with a logging callback.
        self.outputs: list[str] = []
