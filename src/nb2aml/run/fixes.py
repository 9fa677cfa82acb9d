"""Which fixes a job needed to run on today's libraries (NB501 removed APIs, NB502 copy-on-write).

A job converted earlier lists its changes in its README ("What was changed"); `nb2aml run NOTEBOOK`
knows them from the conversion it just made.
"""

from __future__ import annotations

import re
from pathlib import Path

FIX_CODES = ("NB501", "NB502")
_SECTION = re.compile(r"^- \*\*(?P<code>NB\d{3})\b")
_ITEM = re.compile(r"^  - (?P<item>cell \d+: .+)$")


def fixes_in_readme(folder: Path) -> tuple[str, ...]:
    """The NB501 / NB502 changes a job's README lists, as `cell 15: DataFrame.append -> pd.concat at line 2`."""
    readme = Path(folder) / "README.md"
    if not readme.is_file():
        return ()
    fixes, code = [], None
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        section = _SECTION.match(line)
        if section:
            code = section.group("code")
            continue
        item = _ITEM.match(line)
        if item and code in FIX_CODES:
            fixes.append(item.group("item"))
        elif not line.startswith("  "):
            code = None if line.startswith("#") else code
    return tuple(fixes)


def fixes_of_changes(changes) -> tuple[str, ...]:
    """The same lines from a conversion's `Change`s."""
    return tuple(f"cell {c.cell}: {c.description}" for c in changes if c.kind in FIX_CODES)
