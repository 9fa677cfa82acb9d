"""The last check before writing: no credential the notebook holds appears in any output file."""

from __future__ import annotations

from .secrets import classify_secret, find_in_text
from .types import Analysis, NotebookError


def refuse_leaks(analysis: Analysis, facts, files: dict[str, str]) -> None:
    """Raise `NotebookError` (one line, naming the cell, never the secret) when a file would hold a credential.

    Two sources: the string literals NB601 reports (each should have become an environment
    variable), and credentials written in free text, a code comment or a markdown cell, which
    convert copies (comments of kept code, headings, the first paragraph as the description).
    """
    secrets = {
        literal.value: literal.pos for _, literal in facts.literals if classify_secret(literal.value, literal.bound_to)
    }
    for value, pos in secrets.items():
        for name, text in sorted(files.items()):
            if value in text:
                raise NotebookError(
                    f"{pos.render(analysis.notebook.path)}: a credential would be copied into {name}: "
                    f"{_why(analysis, value)}"
                )
    for cell in analysis.notebook.cells:
        for line, where, free_text in _free_text(cell):
            for offset, kind, value in find_in_text(free_text):
                if len(value) < 6:
                    continue
                for name, text in sorted(files.items()):
                    if value in text:
                        line += free_text.count("\n", 0, offset)
                        raise NotebookError(
                            f"{analysis.notebook.path}:cell {cell.number}:{line}: a credential ({kind}) in {where} "
                            f"would be copied into {name}: remove it from the notebook and read it from an environment "
                            "variable"
                        )


def _free_text(cell) -> list[tuple[int, str, str]]:
    """(first line, what it is, text) of the parts of a cell that are not code: markdown, comments."""
    if cell.kind != "code":
        return [(1, "the markdown cell", cell.source)]
    import io
    import tokenize

    comments = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(cell.python).readline):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], "a comment", token.string))
    except (tokenize.TokenError, SyntaxError, ValueError):
        # Code that does not tokenize does not convert either: look at every line after a `#`.
        comments = [
            (n, "a comment", line[line.index("#") :])
            for n, line in enumerate(cell.python.split("\n"), 1)
            if "#" in line
        ]
    return comments


def _why(analysis: Analysis, value: str) -> str:
    for asset in analysis.inputs + analysis.outputs:
        if value in asset.path or asset.path in value:
            kind = "data input" if asset.direction == "read" else "output"
            return (
                f"it is part of the {kind} path of --{asset.name}, which the job files hold; give the path without the "
                "credential (a datastore URI with --data-uri, or a URL read with a key from os.environ in the notebook)"
            )
    for parameter in analysis.parameters:
        if isinstance(parameter.value, str) and value in parameter.value:
            return (
                f"it is the default of the parameter --{parameter.name}; read it from os.environ in the notebook "
                "instead"
            )
    return (
        "it cannot be moved to an environment variable automatically (it is part of a larger expression, such as an "
        "f-string): read it from os.environ in the notebook first"
    )
