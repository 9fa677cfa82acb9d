"""The last check before writing: no credential the notebook holds appears in any output file."""

from __future__ import annotations

from .secrets import classify_secret
from .types import Analysis, NotebookError


def refuse_leaks(analysis: Analysis, facts, files: dict[str, str]) -> None:
    secrets = {literal.value: literal.pos for _, literal in facts.literals if classify_secret(literal.value, literal.bound_to)}
    for value, pos in secrets.items():
        for name, text in files.items():
            if value in text:
                raise NotebookError(
                    f"{pos.render(analysis.notebook.path)}: a credential would be copied into {name} and cannot be moved to an "
                    "environment variable automatically (it is part of a larger expression): read it from os.environ in the notebook first"
                )
