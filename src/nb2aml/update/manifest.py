"""What nb2aml wrote into an output folder: `.nb2aml/manifest.json`, and the texts themselves.

The manifest names nb2aml's version, the notebook (file name and content hash), the options,
and for each file the hash of the text nb2aml generated and of the text the folder held after
the write (they differ when the engineer's edits were merged in). The generated texts are kept
under `.nb2aml/base/` (the base of the next three-way merge); when a merge left conflict markers,
the two sides it merged are kept under `.nb2aml/conflicts/` so that `--ours` / `--theirs` can
still settle it on a later run. Nothing here holds a time or an absolute path: converting twice
gives byte-identical folders.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import OutputError

RECORDS_DIR = ".nb2aml"
MANIFEST = f"{RECORDS_DIR}/manifest.json"
BASE_DIR = f"{RECORDS_DIR}/base"
CONFLICTS_DIR = f"{RECORDS_DIR}/conflicts"
BACKUP_DIR = f"{RECORDS_DIR}/backup"
FORMAT = 1


def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class FileRecord:
    generated: str  # sha256 of the text nb2aml generated (kept under .nb2aml/base/)
    written: str | None  # sha256 of what the folder held after the write; None: not written (the engineer deleted it)
    # Written with conflict markers: the hashes of the base and of the engineer's side that were
    # merged, both kept under .nb2aml/conflicts/.
    conflict: tuple[str, str] | None = None

    def to_json(self) -> dict:
        document: dict = {"generated": self.generated, "written": self.written}
        if self.conflict:
            document["conflict"] = {"base": self.conflict[0], "ours": self.conflict[1]}
        return document


@dataclass(frozen=True)
class Manifest:
    command: str
    notebook: str  # the notebook's file name
    notebook_sha256: str
    options: tuple[tuple[str, object], ...]
    files: tuple[tuple[str, FileRecord], ...]
    version: str = __version__

    def record(self, path: str) -> FileRecord | None:
        return dict(self.files).get(path)

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "nb2aml": self.version,
            "command": self.command,
            "notebook": {"name": self.notebook, "sha256": self.notebook_sha256},
            "options": dict(self.options),
            "files": {path: record.to_json() for path, record in sorted(self.files)},
        }
        return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def load_manifest(folder: Path) -> Manifest | None:
    """The manifest of `folder`; None when nb2aml did not write it (no manifest)."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        files = tuple(sorted((str(name), _record(entry)) for name, entry in document["files"].items()))
        notebook = document.get("notebook") or {}
        return Manifest(
            command=str(document.get("command", "")),
            notebook=str(notebook.get("name", "")),
            notebook_sha256=str(notebook.get("sha256", "")),
            options=tuple(sorted((document.get("options") or {}).items())),
            files=files,
            version=str(document.get("nb2aml", "")),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutputError(
            f"{path}: not a manifest nb2aml can read ({type(exc).__name__}: {exc}); "
            "move it away and use --force to replace the folder (replaced files are backed up)"
        ) from None


def _record(entry: dict) -> FileRecord:
    conflict = entry.get("conflict")
    sides = (str(conflict["base"]), str(conflict["ours"])) if conflict else None
    written = entry.get("written")
    return FileRecord(
        generated=str(entry["generated"]), written=None if written is None else str(written), conflict=sides
    )


def stored_text(folder: Path, store: str, path: str, expected: str | None) -> str | None:
    """A text kept under `.nb2aml/<store>/`, when it is there and its hash is `expected`."""
    if expected is None:
        return None
    try:
        data = (Path(folder) / store / path).read_bytes()
    except OSError:
        return None
    if digest(data) != expected:
        return None  # changed by hand: not a base to merge against
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def record_files(manifest: Manifest, bases: dict[str, str], conflicts: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The files that record a write: the manifest, the generated texts and the sides of open conflicts."""
    files = {MANIFEST: manifest.to_json()}
    files.update({f"{BASE_DIR}/{path}": text for path, text in bases.items()})
    for path, (base, ours) in conflicts.items():
        files[f"{CONFLICTS_DIR}/base/{path}"] = base
        files[f"{CONFLICTS_DIR}/ours/{path}"] = ours
    return files
