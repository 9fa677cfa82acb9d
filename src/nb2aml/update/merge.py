"""Three-way merges of one file: base = what nb2aml wrote last time, ours = what the folder holds
now (the engineer's edits), theirs = what nb2aml writes now.

Lines are merged by `merge3` (Breezy's merge algorithm); conflicts are written with the usual
`<<<<<<<` / `=======` / `>>>>>>>` markers, or settled hunk by hunk with `side="ours"` /
`side="theirs"` (as `git merge -X ours`: clean hunks are still taken from both sides).

A YAML file is first merged key by key: the text is cut into the blocks of its mapping keys
(a key line with everything indented under it, comments above it going with it), each key is
merged on its own, and a key both sides changed is cut again one level down. So an edited
`compute:` survives a new input even when the two are next to each other, two keys added at the
same place by both sides are both kept, and the same key added twice is a conflict, not a YAML
file holding it twice. The text of every block is the side's own, comments included. A file the
cutter does not understand (flow style, anchors, several documents) is merged by lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import merge3

Side = Literal["merge", "ours", "theirs"]
Method = Literal["lines", "keys"]

START, MIDDLE, END = "<<<<<<<", "=======", ">>>>>>>"
_MARKERS = re.compile(rf"^{START} .*\n(?:.*\n)*?{MIDDLE}\n(?:.*\n)*?{END} ", re.M)


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # conflicting hunks left with markers (0 with side="ours"/"theirs")
    resolved: int  # conflicting hunks settled by `side`
    method: Method


@dataclass(frozen=True)
class Labels:
    ours: str = "yours"
    theirs: str = "nb2aml"


def has_conflict_markers(text: str) -> bool:
    """A `<<<<<<< ` line, then a `=======` line, then a `>>>>>>> ` line: an unresolved conflict."""
    return bool(_MARKERS.search(text))


def merge_text(
    base: str, ours: str, theirs: str, *, side: Side = "merge", labels: Labels = Labels(), yaml: bool = False
) -> Merged:
    if yaml:
        keyed = _merge_yaml(base, ours, theirs, side, labels)
        if keyed is not None:
            return keyed
    return _merge_lines(base, ours, theirs, side, labels)


# --- lines -------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _merge_lines(base: str, ours: str, theirs: str, side: Side, labels: Labels) -> Merged:
    a, b = _lines(ours), _lines(theirs)
    merger = merge3.Merge3(_lines(base), a, b)
    out: list[str] = []
    conflicts = resolved = 0
    for region in merger.reprocess_merge_regions(merger.merge_regions()):
        what = region[0]
        if what == "unchanged":
            out += merger.base[region[1] : region[2]]
        elif what in ("a", "same"):
            out += a[region[1] : region[2]]
        elif what == "b":
            out += b[region[1] : region[2]]
        else:  # "conflict": (_, base_start, base_end, a_start, a_end, b_start, b_end)
            ours_lines, theirs_lines = a[region[3] : region[4]], b[region[5] : region[6]]
            if side == "ours":
                out += ours_lines
                resolved += 1
            elif side == "theirs":
                out += theirs_lines
                resolved += 1
            else:
                # A side's last line may lack its newline: the marker must still start a line.
                out += [
                    f"{START} {labels.ours}\n",
                    *_terminated(ours_lines),
                    f"{MIDDLE}\n",
                    *_terminated(theirs_lines),
                    f"{END} {labels.theirs}\n",
                ]
                conflicts += 1
    return Merged("".join(out), conflicts, resolved, "lines")


def _terminated(lines: Sequence[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


# --- YAML keys -----------------------------------------------------------------------------------------

_KEY = re.compile(r"""^(?P<indent> *)(?P<key>[A-Za-z0-9_$][^:#'"{}\[\]]*?|"[^"]*"|'[^']*'):(?: |$)""")
_UNSUPPORTED = re.compile(r"^(?:---|\.\.\.)\s*$|^\s*[{\[]|[&*!]\w|^\s*<<\s*:|\t", re.M)


@dataclass(frozen=True)
class _Blocks:
    head: str  # comments and blank lines before the first key
    keys: tuple[str, ...]
    texts: tuple[str, ...]

    def get(self, key: str) -> str | None:
        return self.texts[self.keys.index(key)] if key in self.keys else None


def _cut(text: str, indent: int) -> _Blocks | None:
    """The key blocks of a block mapping at `indent`; None when the text is not one."""
    head: list[str] = []
    keys: list[str] = []
    texts: list[list[str]] = []
    pending: list[str] = []  # comments and blank lines: they go with the key that follows
    for line in _lines(text):
        stripped = line.strip()
        width = len(line) - len(line.lstrip(" "))
        if not stripped or (stripped.startswith("#") and width <= indent):
            pending.append(line)
            continue
        match = _KEY.match(line)
        if width == indent and match and not stripped.startswith("- "):
            key = match.group("key")
            if key in keys:
                return None  # a key twice: not something to merge by keys
            if keys:
                blank = _trailing_blank_lines(pending)
                texts[-1] += blank
                block = pending[len(blank) :] + [line]
            else:
                head += pending
                block = [line]
            pending = []
            keys.append(key)
            texts.append(block)
        elif width > indent or (width == indent and stripped.startswith("- ")):
            if not texts:
                return None  # indented text before any key
            texts[-1] += pending + [line]
            pending = []
        else:
            return None  # less indented than the mapping: not a block of it
    if not keys:
        return None
    texts[-1] += pending
    return _Blocks("".join(head), tuple(keys), tuple("".join(t) for t in texts))


def _trailing_blank_lines(pending: list[str]) -> list[str]:
    """Blank lines right after a block stay with it; comments after them go with the next key."""
    count = 0
    for line in pending:
        if line.strip():
            break
        count += 1
    return pending[:count]


def _merge_yaml(base: str, ours: str, theirs: str, side: Side, labels: Labels) -> Merged | None:
    import yaml

    if any(_UNSUPPORTED.search(text) for text in (base, ours, theirs)):
        return None
    merged = _merge_mapping(base, ours, theirs, 0, side, labels)
    if merged is None:
        return None
    if merged.conflicts == 0:
        try:
            yaml.safe_load(merged.text)
        except yaml.YAMLError:
            return None  # the line merge is the better guess then; validation reports what is left
    return merged


def _merge_mapping(base: str, ours: str, theirs: str, indent: int, side: Side, labels: Labels) -> Merged | None:
    cut_base, cut_ours, cut_theirs = _cut(base, indent), _cut(ours, indent), _cut(theirs, indent)
    if cut_base is None or cut_ours is None or cut_theirs is None:
        return None
    head = _three_way(cut_base.head, cut_ours.head, cut_theirs.head, indent, side, labels, nested=False)
    pieces = [head.text]
    conflicts, resolved = head.conflicts, head.resolved
    for key in _order(cut_base, cut_ours, cut_theirs):
        block = _three_way(cut_base.get(key), cut_ours.get(key), cut_theirs.get(key), indent, side, labels, nested=True)
        pieces.append(block.text)
        conflicts += block.conflicts
        resolved += block.resolved
    # A block moved away from the end of its file may lack the newline it now needs.
    text = "".join(
        piece if piece.endswith("\n") or index == len(pieces) - 1 else piece + "\n"
        for index, piece in enumerate(pieces)
        if piece
    )
    return Merged(text, conflicts, resolved, "keys")


def _order(base: _Blocks, ours: _Blocks, theirs: _Blocks) -> list[str]:
    """The engineer's order; a key only nb2aml adds goes after the key it follows in nb2aml's text."""
    order = list(ours.keys)
    for index, key in enumerate(theirs.keys):
        if key in order or key in base.keys:
            continue
        before = next((k for k in reversed(theirs.keys[:index]) if k in order), None)
        order.insert(order.index(before) + 1 if before is not None else 0, key)
    return order


def _three_way(
    base: str | None, ours: str | None, theirs: str | None, indent: int, side: Side, labels: Labels, *, nested: bool
) -> Merged:
    if ours == theirs:
        return Merged(ours or "", 0, 0, "keys")
    if ours == base:
        return Merged(theirs or "", 0, 0, "keys")
    if theirs == base:
        return Merged(ours or "", 0, 0, "keys")
    if nested and base is not None and ours is not None and theirs is not None:
        inner = _merge_children(base, ours, theirs, indent, side, labels)
        if inner is not None:
            return inner
    lines = _merge_lines(base or "", ours or "", theirs or "", side, labels)
    return Merged(lines.text, lines.conflicts, lines.resolved, "keys")


def _merge_children(base: str, ours: str, theirs: str, indent: int, side: Side, labels: Labels) -> Merged | None:
    """Both sides changed the same key: when it is the same `key:` line over a mapping, merge that."""
    split = [_split_key_line(text) for text in (base, ours, theirs)]
    if any(s is None for s in split):
        return None
    (base_head, base_body), (ours_head, ours_body), (theirs_head, theirs_body) = split  # type: ignore[misc]
    if not (base_head == ours_head == theirs_head) or not base_head.rstrip().endswith(":"):
        return None
    child = _child_indent(base_body, ours_body, theirs_body)
    if child is None or child <= indent:
        return None
    inner = _merge_mapping(base_body, ours_body, theirs_body, child, side, labels)
    if inner is None:
        return None
    return Merged(ours_head + inner.text, inner.conflicts, inner.resolved, "keys")


def _split_key_line(block: str) -> tuple[str, str] | None:
    """(the comments above the key and the key line, the lines under it)."""
    lines = _lines(block)
    for index, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            return "".join(lines[: index + 1]), "".join(lines[index + 1 :])
    return None


def _child_indent(*bodies: str) -> int | None:
    widths = set()
    for body in bodies:
        for line in _lines(body):
            if line.strip() and not line.lstrip().startswith("#"):
                widths.add(len(line) - len(line.lstrip(" ")))
                break
    return widths.pop() if len(widths) == 1 else None
