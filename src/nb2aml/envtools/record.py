"""The emitted README's "Environment checks" section: which checks ran on this folder and what they proved.

The section is written with the README (every check "not run") and each check rewrites its own
row when it has run, so the README read in review says what is known about the environment.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Literal

Check = Literal["resolve", "isolated", "docker"]
BEGIN = "<!-- nb2aml:environment-checks -->"
END = "<!-- /nb2aml:environment-checks -->"
COMMANDS: dict[Check, str] = {
    "resolve": "nb2aml validate . --resolve",
    "isolated": "nb2aml run . --isolated",
    "docker": "nb2aml run . --docker",
}
PROVES: dict[Check, str] = {
    "resolve": "each pin has a wheel for the image's Python on Linux and the pins agree: "
    "the image's pip install resolves",
    "isolated": "the job runs in a fresh environment of the requirements alone: no import is missing, the pinned "
    "versions run the code",
    "docker": "the Dockerfile builds and the job runs in the image with code and data mounted as Azure ML mounts them",
}


def section(rows: dict[Check, tuple[str, str]] | None = None) -> list[str]:
    """The section's lines; `rows`: check -> (when, result) for the checks that ran."""
    rows = rows or {}
    lines = [
        "## Environment checks",
        "",
        BEGIN,
        "| check | when | result | what it proves when it passes |",
        "|---|---|---|---|",
    ]
    for check, command in COMMANDS.items():
        when, result = rows.get(check, ("", "not run"))
        lines.append(f"| `{command}` | {when} | {result} | {PROVES[check]} |")
    lines.append(END)
    return lines


def _parse(text: str) -> dict[Check, tuple[str, str]]:
    rows: dict[Check, tuple[str, str]] = {}
    inside = text.split(BEGIN, 1)[1].split(END, 1)[0] if BEGIN in text and END in text else ""
    for check, command in COMMANDS.items():
        match = re.search(rf"^\| `{re.escape(command)}` \| ([^|]*) \| ([^|]*) \|", inside, re.M)
        if match and match.group(2).strip() != "not run":
            rows[check] = (match.group(1).strip(), match.group(2).strip())
    return rows


def record_check(folder: Path, check: Check, result: str) -> None:
    """Rewrite `check`'s row in FOLDER/README.md (the section is added when the README has none)."""
    readme = Path(folder) / "README.md"
    if not readme.is_file():
        return
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    rows = _parse(text)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows[check] = (when, " ".join(result.replace("|", "/").split())[:300])
    lines = section(rows)
    if BEGIN in text and END in text:
        start = text.index(BEGIN)
        heading = text.rfind("## Environment checks", 0, start)
        start = heading if heading != -1 else start
        end = text.index(END) + len(END)
        text = text[:start] + "\n".join(lines) + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    try:
        readme.write_text(text, encoding="utf-8")
    except OSError:
        return
