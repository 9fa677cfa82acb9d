"""Names users see: argparse options, YAML keys, Azure ML component names."""

from __future__ import annotations

import keyword
import re


def identifier(text: str, fallback: str = "data") -> str:
    """A valid, lower-case Python identifier made from `text`."""
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", text).strip("_").lower()
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name):
        name += "_"
    return name


def slug(text: str) -> str:
    """`"Mean squared error: %.2f"` -> `mean_squared_error`."""
    text = re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^}]*\}", " ", text)
    return identifier(text.strip(" :=-\n\t"), fallback="metric")


class UniqueNames:
    """Hands out names that are unique among everything handed out before."""

    def __init__(self, taken: set[str] | None = None):
        self.taken = set(taken or ())

    def claim(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.taken:
            candidate = f"{name}_{n}"
            n += 1
        self.taken.add(candidate)
        return candidate
