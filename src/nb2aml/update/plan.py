"""Plan the writing of an output folder that may already hold an earlier conversion.

- a new or empty folder: every file is created;
- a folder nb2aml wrote (it has `.nb2aml/manifest.json`): an update. A file the engineer has not
  touched is replaced; an edited one is merged three ways (base = what nb2aml wrote last time,
  ours = the folder, theirs = nb2aml now); a file nb2aml no longer writes is removed, or moved to
  the backup folder when it was edited; files the engineer added stay where they are;
- a folder nb2aml did not write: refused, or with `--force` the files at the paths nb2aml writes
  are moved to `.nb2aml/backup/<time>/` first, and everything else stays.

Whenever a file holding the engineer's bytes is changed or removed, its text goes to the backup
folder first: no run loses a byte the engineer wrote. Nothing here writes; `apply.write_update`
does, atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from ..errors import OutputError
from .manifest import (
    BACKUP_DIR,
    BASE_DIR,
    CONFLICTS_DIR,
    RECORDS_DIR,
    FileRecord,
    Manifest,
    digest,
    load_manifest,
    record_files,
    stored_text,
)
from .merge import Labels, Side, has_conflict_markers, merge_text

FolderKind = Literal["new", "update", "foreign"]
FileAction = Literal[
    "create",  # a new file
    "replace",  # nb2aml's text changed and the engineer had not touched the file
    "unchanged",  # the file stays as it is (the engineer's edits included)
    "merged",  # nb2aml's changes merged into the engineer's edits (conflicts settled by --ours / --theirs)
    "conflict",  # both changed the same lines: written with conflict markers
    "foreign",  # a file nb2aml did not write is where nb2aml writes one: backed up, then replaced
    "restored",  # the engineer deleted it and nb2aml's text changed: written again
    "absent",  # the engineer deleted it and nb2aml's text did not change (or --ours): stays deleted
    "removed",  # nb2aml no longer writes it and the engineer had not touched it: deleted
    "retired",  # nb2aml no longer writes it and the engineer had edited it: moved to the backup folder
]
# Folders at the top of an output that hold earlier runs and nb2aml's records: never planned over.
PRESERVED = (".runs", RECORDS_DIR)
_YAML = (".yml", ".yaml")


@dataclass(frozen=True)
class FileUpdate:
    path: str
    action: FileAction
    before: str | None  # the folder's text now (None: no file, or not UTF-8 text)
    after: str | None  # the folder's text after the update (None: no file)
    generated: str | None  # what nb2aml writes now (None: nothing, the file was removed from the output)
    backup: bool = False  # the folder's file goes to the backup folder first
    conflicts: int = 0  # hunks left with conflict markers
    resolved: int = 0  # conflicting hunks settled by --ours / --theirs
    merged_by: Literal["lines", "keys", ""] = ""
    sides: tuple[str, str] | None = None  # (base, ours) of a conflict left open, kept for a later --ours / --theirs

    @property
    def markers(self) -> bool:
        """The file still holds conflict markers (left by this update or an earlier one)."""
        return self.after is not None and self.after != self.generated and has_conflict_markers(self.after)

    @property
    def engineer_text(self) -> bool:
        """The file after the update holds more than nb2aml's own text."""
        return self.after is not None and self.after != self.generated


@dataclass(frozen=True)
class UpdatePlan:
    dest: Path
    kind: FolderKind
    files: tuple[FileUpdate, ...]
    kept: tuple[str, ...]  # files nb2aml does not write, staying where they are
    backup_dir: str | None  # `.nb2aml/backup/<time>` when anything is backed up
    manifest: Manifest
    needs_force: bool = False  # a foreign folder, planned for a preview without --force
    extra_backups: tuple[str, ...] = field(default=())  # files in the way of a planned folder or file
    previous: Manifest | None = None  # the record of the last write, for an update

    def tree(self) -> dict[str, str]:
        """What `write_tree` writes: the folder's files after the update, and the records."""
        files = {f.path: f.after for f in self.files if f.after is not None and f.generated is not None}
        bases = {f.path: f.generated for f in self.files if f.generated is not None}
        conflicts = {f.path: f.sides for f in self.files if f.sides is not None}
        return {**files, **record_files(self.manifest, bases, conflicts)}

    def carry(self) -> dict[str, str]:
        """Old path -> new path of the files moved, not written: the engineer's own, and backups."""
        moves = {path: path for path in self.kept}
        backed_up = [f.path for f in self.files if f.backup] + list(self.extra_backups)
        moves.update({path: f"{self.backup_dir}/{path}" for path in backed_up})
        return moves

    @property
    def open_conflicts(self) -> tuple[FileUpdate, ...]:
        return tuple(f for f in self.files if f.markers)

    def backed_up(self) -> list[str]:
        return sorted(self.carry().keys() - set(self.kept))


def existing_files(dest: Path) -> list[str]:
    """Every file (and symbolic link) of the folder, relative, outside the preserved folders."""
    found: list[str] = []
    for root, dirs, names in os.walk(dest):
        relative_root = Path(root).relative_to(dest)
        if relative_root == Path("."):
            dirs[:] = [d for d in dirs if d not in PRESERVED]
            names = [n for n in names if n not in PRESERVED]
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                found.append((relative_root / name).as_posix())  # a link is moved as it is, never followed
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(root, d)))
        found += [(relative_root / name).as_posix() for name in names]
    return sorted(found)


def folder_kind(dest: Path) -> FolderKind:
    if load_manifest(dest) is not None:
        return "update"
    if not Path(dest).is_dir() or not existing_files(Path(dest)):
        return "new"
    return "foreign"


def plan_update(
    files: dict[str, str],
    dest: Path,
    *,
    command: str,
    notebook: Path,
    options: dict,
    force: bool = False,
    side: Side = "merge",
    preview: bool = False,
    now: datetime | None = None,
) -> UpdatePlan:
    """Plan writing `files` (nb2aml's texts) into `dest`; `preview` plans a foreign folder without --force."""
    dest = Path(dest)
    manifest = load_manifest(dest)
    kind = folder_kind(dest)
    if kind == "foreign" and not (force or preview):
        raise OutputError(
            f"{dest}: output folder is not empty (use --force to replace it); nb2aml did not write it "
            "(no .nb2aml/manifest.json): with --force the files it replaces are moved to .nb2aml/backup/ first"
        )
    existing = existing_files(dest) if dest.is_dir() else []
    labels = Labels(ours="yours (in the output folder)", theirs=f"nb2aml (from {Path(notebook).name})")
    updates = [_plan_file(path, text, dest, manifest, side, labels) for path, text in sorted(files.items())]
    planned = set(files)
    kept: list[str] = []
    # A link where nb2aml writes a file is moved aside as it is, never written through.
    in_the_way = [path for path in existing if path in planned and (dest / path).is_symlink()]
    for path in existing:
        if path in planned:
            continue
        if any(p.startswith(path + "/") or path.startswith(p + "/") for p in planned):
            in_the_way.append(path)  # a file where nb2aml needs a folder, or inside a folder where it writes a file
        elif manifest is not None and manifest.record(path) is not None:
            updates.append(_plan_removal(path, dest, manifest))
        else:
            kept.append(path)
    updates.sort(key=lambda f: f.path)
    needs_backup = in_the_way or any(f.backup for f in updates)
    backup_dir = _backup_dir(dest, now) if needs_backup else None
    record = Manifest(
        command=command,
        notebook=Path(notebook).name,
        notebook_sha256=_file_digest(notebook),
        options=tuple(sorted(options.items())),
        files=tuple(
            (
                f.path,
                FileRecord(
                    generated=digest(f.generated),
                    written=None if f.after is None else digest(f.after),
                    conflict=None if f.sides is None else (digest(f.sides[0]), digest(f.sides[1])),
                ),
            )
            for f in updates
            if f.generated is not None
        ),
    )
    return UpdatePlan(
        dest=dest,
        kind=kind,
        files=tuple(updates),
        kept=tuple(kept),
        backup_dir=backup_dir,
        manifest=record,
        needs_force=kind == "foreign" and not force,
        extra_backups=tuple(in_the_way),
        previous=manifest,
    )


def _plan_file(
    path: str, generated: str, dest: Path, manifest: Manifest | None, side: Side, labels: Labels
) -> FileUpdate:
    current = _read(dest, path)
    if current is None and os.path.lexists(dest / path):
        # A link, a folder, or a path through a linked folder: moved aside whole (UpdatePlan.extra_backups).
        return FileUpdate(path, "foreign", None, generated, generated)
    text = _decode(current)
    record = manifest.record(path) if manifest is not None else None
    base = stored_text(dest, BASE_DIR, path, record.generated) if record is not None else None
    if record is None or base is None:  # nb2aml has no record of writing this file
        if current is None:
            return FileUpdate(path, "create", None, generated, generated)
        if text == generated:
            return FileUpdate(path, "unchanged", text, generated, generated)
        return FileUpdate(path, "foreign", text, generated, generated, backup=True)
    last_generated = base
    ours = text
    if record.conflict is not None and current is not None and digest(current) == record.written:
        # The markers of the last update are untouched: merge its two sides again (now perhaps with --ours / --theirs).
        pending_base = stored_text(dest, CONFLICTS_DIR + "/base", path, record.conflict[0])
        pending_ours = stored_text(dest, CONFLICTS_DIR + "/ours", path, record.conflict[1])
        if pending_base is not None and pending_ours is not None:
            base, ours = pending_base, pending_ours
    if current is None:
        if generated == base or side == "ours":
            return FileUpdate(path, "absent", None, None, generated)
        return FileUpdate(path, "restored", None, generated, generated)
    if text is None:  # not UTF-8 text: nothing to merge with
        return FileUpdate(path, "foreign", None, generated, generated, backup=True)
    if ours == base:
        after, action, merged = generated, "replace", None
    elif ours == generated or generated == base:
        after, action, merged = ours, "merged", None
    else:
        merged = merge_text(base, ours, generated, side=side, labels=labels, yaml=path.endswith(_YAML))
        after, action = merged.text, ("conflict" if merged.conflicts else "merged")
    assert ours is not None and after is not None
    if after == text:
        action = "unchanged"
    backup = after != text and text != last_generated
    return FileUpdate(
        path,
        action,
        text,
        after,
        generated,
        backup=backup,
        conflicts=merged.conflicts if merged else 0,
        resolved=merged.resolved if merged else 0,
        merged_by=merged.method if merged else "",
        sides=(base, ours) if merged is not None and merged.conflicts else None,
    )


def _plan_removal(path: str, dest: Path, manifest: Manifest) -> FileUpdate:
    record = manifest.record(path)
    assert record is not None
    current = _read(dest, path)
    text = _decode(current)
    untouched = current is not None and digest(current) == record.generated
    return FileUpdate(path, "removed" if untouched else "retired", text, None, None, backup=not untouched)


def _read(dest: Path, relative: str) -> bytes | None:
    """The file's bytes; None when there is none, or it is reached through a link (not the folder's own)."""
    path = dest / relative
    if os.path.realpath(path) != os.path.join(os.path.realpath(dest), *relative.split("/")) or not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def _decode(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _file_digest(path: Path) -> str:
    try:
        return digest(Path(path).read_bytes())
    except OSError:
        return ""


def _backup_dir(dest: Path, now: datetime | None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    name, count = stamp, 1
    while (dest / BACKUP_DIR / name).exists():
        count += 1
        name = f"{stamp}-{count}"
    return f"{BACKUP_DIR}/{name}"
