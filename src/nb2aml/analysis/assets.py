"""Group the notebook's I/O paths into named inputs and outputs."""

from __future__ import annotations

import posixpath
import re

from ..naming import UniqueNames, identifier
from ..types import DataAsset, Facts, PathUse

_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_remote(path: str) -> bool:
    return bool(_REMOTE.match(path))


def find_assets(facts: Facts, names: UniqueNames) -> tuple[tuple[DataAsset, ...], tuple[DataAsset, ...]]:
    groups: dict[tuple, list[PathUse]] = {}
    for _, use in facts.paths:
        groups.setdefault(_group_key(use), []).append(use)
    inputs, outputs = [], []
    for _key, uses in groups.items():
        writes = [u for u in uses if u.direction == "write"]
        first = uses[0]
        folder = any(u.folder for u in uses)
        variable = first.variable
        if writes:
            path, members = _output_folder(uses)
            # A file written in the working folder (`to_csv("submission.csv")`) is named after the file.
            base = variable or _stem(path) or _stem(first.member or first.literal_value) or "output"
            outputs.append(
                DataAsset(
                    name=names.claim(identifier(base, "output")),
                    path=path,
                    type="uri_folder",
                    direction="write",
                    pos=first.literal_pos,
                    variable=variable,
                    calls=_calls(uses),
                    uses=_literal_positions(uses),
                    members=members,
                )
            )
        else:
            path = first.literal_value
            base = variable or _stem(path) or "input"
            inputs.append(
                DataAsset(
                    name=names.claim(identifier(base, "input")),
                    path=path,
                    type="uri_folder" if folder or path.endswith("/") else "uri_file",
                    direction="read",
                    pos=first.literal_pos,
                    variable=variable,
                    calls=_calls(uses),
                    uses=_literal_positions(uses),
                )
            )
    return tuple(inputs), tuple(outputs)


def _group_key(use: PathUse) -> tuple:
    if use.variable is not None:
        return ("variable", use.variable, use.literal_pos)
    if use.direction == "write":
        folder = use.literal_value if use.folder else posixpath.dirname(use.literal_value)
        return ("written", posixpath.normpath(folder) if folder else use.literal_pos)
    return ("literal", use.literal_pos)


def _output_folder(uses: list[PathUse]) -> tuple[str, tuple[str, ...]]:
    first = uses[0]
    if first.variable is not None and not any(u.folder or u.member for u in uses):
        # `name = 'ufo-model.pkl'` then `open(name, 'wb')`: the variable names one file, written
        # inside the output folder (the folder itself cannot be opened as a file).
        return posixpath.dirname(first.literal_value) or ".", (posixpath.basename(first.literal_value),)
    if first.variable is not None or first.folder:
        members = {u.member for u in uses if u.member}
        # `os.makedirs('outputs')` then `joblib.dump(m, 'outputs/model.joblib')`: the second literal
        # names a file inside the folder the first one created.
        folder = posixpath.normpath(first.literal_value)
        members |= {
            posixpath.relpath(u.literal_value, folder)
            for u in uses
            if u.variable is None and not u.folder and posixpath.dirname(posixpath.normpath(u.literal_value)) == folder
        }
        return first.literal_value, tuple(sorted(members))
    folder = posixpath.dirname(first.literal_value)
    if not folder:
        # `to_csv("submission.csv")` writes into the working folder: the output is that folder, and
        # the script writes the file inside the output folder it is given.
        return ".", tuple(sorted({u.literal_value for u in uses if not u.folder}))
    files = sorted({posixpath.basename(u.literal_value) for u in uses if not u.folder and u.literal_value != folder})
    return folder, tuple(files)


def _stem(path: str) -> str:
    # Windows paths separate with backslashes: `C:\Users\ana\train.csv` is named `train`.
    base = re.split(r"[/\\]", path.rstrip("/\\"))[-1] or path.strip("/\\.")
    return base.split(".")[0] if not base.startswith(".") else base.lstrip(".")


def _calls(uses: list[PathUse]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u.call for u in uses))


def _literal_positions(uses: list[PathUse]) -> tuple:
    return tuple(sorted({u.literal_pos for u in uses}))
