"""A tiny, deterministic YAML writer for the plain data nb2aml emits.

Keys keep the order they are given in; strings are quoted only when YAML would otherwise read
them as something else (`'0.1'`, `'true'`, `'1'`, `''`) or could not hold them plain (`: `,
` #`, a leading indicator character). Whatever is written, `yaml.safe_load` reads back as the
same data: the writer decides with PyYAML's own resolver, the one `az ml` loads files with.

A `Folded` string (the job's `command`) is written as a `>-` block broken before each `--option`
and `$[[...]]`, the way the Azure ML examples write commands; it still loads as one line.
"""

from __future__ import annotations

import math
import re

import yaml

__all__ = ["Folded", "dump_yaml"]

_INDENT = "  "
_STR_TAG = "tag:yaml.org,2002:str"
# Characters that cannot begin a plain scalar (YAML 1.1 indicators), plus space.
_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
# Characters that are printable in YAML and need no escaping inside single quotes.
# (U+2028 / U+2029 are line breaks to YAML 1.1, U+FEFF a byte-order mark: both are escaped.)
_PRINTABLE = re.compile("[\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\u00a0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# Folded commands break before these words.
_FOLD_BEFORE = re.compile(r" (?=--|\$\[\[)")

_resolver = yaml.resolver.Resolver()


class Folded(str):
    """A one-line string to write as a `>-` folded block, broken before `--options` and `$[[`."""


def dump_yaml(data) -> str:
    """YAML text for `data`: dicts (string keys, order kept), lists, str, int, float, bool, None."""
    if isinstance(data, dict) and data:
        return "".join(line + "\n" for line in _mapping(data, 0))
    if isinstance(data, list) and data:
        return "".join(line + "\n" for line in _sequence(data, 0))
    # A block scalar at the top is indented too: a `...` or `---` line would end the document.
    return "\n".join(_scalar(data, 1)) + "\n"


def _mapping(data: dict, depth: int) -> list[str]:
    pad = _INDENT * depth
    lines: list[str] = []
    for key, value in data.items():
        if not isinstance(key, str):
            raise TypeError(f"YAML keys must be strings, not {type(key).__name__}: {key!r}")
        head = f"{pad}{_string_inline(key)}:"
        if isinstance(value, dict) and value:
            lines.append(head)
            lines.extend(_mapping(value, depth + 1))
        elif isinstance(value, list) and value:
            lines.append(head)
            lines.extend(_sequence(value, depth + 1))
        else:
            first, *rest = _scalar(value, depth + 1)
            lines.append(f"{head} {first}")
            lines.extend(rest)
    return lines


def _sequence(data: list, depth: int) -> list[str]:
    pad = _INDENT * depth
    lines: list[str] = []
    for item in data:
        if isinstance(item, (dict, list)) and item:
            # The first line of the nested block goes after `- `; the rest keep its indentation.
            nested = _mapping(item, depth + 1) if isinstance(item, dict) else _sequence(item, depth + 1)
            lines.append(f"{pad}- {nested[0][len(pad) + len(_INDENT) :]}")
            lines.extend(nested[1:])
        else:
            first, *rest = _scalar(item, depth + 1)
            lines.append(f"{pad}- {first}")
            lines.extend(rest)
    return lines


def _scalar(value, depth: int) -> list[str]:
    """The scalar's text: one line, or a block header followed by its indented lines."""
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(int(value))]
    if isinstance(value, float):
        return [_float(value)]
    if isinstance(value, str):
        return _string(value, depth)
    if isinstance(value, dict):  # empty: non-empty ones are blocks
        return ["{}"]
    if isinstance(value, list):  # empty
        return ["[]"]
    raise TypeError(f"cannot write {type(value).__name__} as YAML: {value!r}")


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    # PyYAML (YAML 1.1) reads `1e-05` as a string: a float needs a dot in its mantissa.
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _string(value: str, depth: int) -> list[str]:
    if isinstance(value, Folded) and _foldable(value):
        pad = _INDENT * depth
        return [">-"] + [pad + part for part in _FOLD_BEFORE.split(value)]
    if "\n" in value and _literal_ok(value):
        pad = _INDENT * depth
        body = value[:-1] if value.endswith("\n") else value
        return ["|" if value.endswith("\n") else "|-"] + [pad + line if line else "" for line in body.split("\n")]
    return [_string_inline(value)]


def _string_inline(value: str) -> str:
    if _plain_ok(value):
        return value
    if _PRINTABLE.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _plain_ok(value: str) -> bool:
    if not value or value[0] in _BAD_START or value[-1] in " \t:" or value.startswith("..."):
        return False
    if ": " in value or " #" in value or "\t" in value:
        return False
    if not value.isascii() or not value.isprintable():
        return False
    # Anything the resolver would read as null, bool, int, float, timestamp, merge key, ...
    return _resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


def _foldable(value: str) -> bool:
    # Folding joins lines with one space: safe for one line of printable text whose break
    # points are single spaces between words.
    return (
        bool(value)
        and value.isascii()
        and value.isprintable()
        and value == value.strip()
        and "  " not in value
        and not value.startswith(("#", "-", "$[["))
    )


def _literal_ok(value: str) -> bool:
    body = value[:-1] if value.endswith("\n") else value
    if not body or body.endswith("\n") or body[0] in " \t":
        return False
    lines = body.split("\n")
    return all(
        _PRINTABLE.fullmatch(line) and line == line.rstrip(" ") and "\ufeff" not in line for line in lines
    ) and bool(lines[0].strip())


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _PRINTABLE.fullmatch(ch):
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
