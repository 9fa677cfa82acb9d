"""Which modules come with the TARGET Python, and which PyPI packages only backport them.

The running interpreter's `sys.stdlib_module_names` would be wrong for another target:
`tomllib` is third-party on 3.8, `distutils` is gone on 3.12. `stdlib-list` ships the lists.
"""

from __future__ import annotations

import re
from functools import cache

# Backports published under the stdlib module's own name: the stdlib copy wins on import, so
# the distribution is dead weight whenever the target Python has that module.
SHADOWING_BACKPORTS = {
    "argparse": "argparse",
    "asyncio": "asyncio",
    "configparser": "configparser",
    "contextvars": "contextvars",
    "dataclasses": "dataclasses",
    "enum34": "enum",
    "futures": "concurrent",
    "importlib": "importlib",
    "ipaddress": "ipaddress",
    "pathlib": "pathlib",
    "statistics": "statistics",
    "typing": "typing",
}
# Backports under another import name: needed only by code that imports them, which the
# import-driven inference already sees, so a `!pip install` or an extra alone never adds them.
RENAMED_BACKPORTS = frozenset({"contextlib2", "functools32", "pathlib2", "singledispatch", "subprocess32", "unittest2"})


def python_minor(version: str) -> str:
    """ "3.8.5" / "3.10" / "3.11.0rc1" -> "3.8" / "3.10" / "3.11"."""
    m = re.match(r"^\s*(\d+)\.(\d+)", version)
    if not m:
        raise ValueError(f"not a Python version: {version!r}")
    return f"{m.group(1)}.{m.group(2)}"


def _key(version: str) -> tuple[int, int]:
    major, minor = python_minor(version).split(".")
    return int(major), int(minor)


@cache
def stdlib_modules(python_version: str) -> frozenset[str]:
    """Top-level standard-library module names of `python_version` ("3.8", "3.12.1"...)."""
    from stdlib_list import short_versions, stdlib_list

    known = sorted(short_versions, key=_key)
    wanted = _key(python_version)
    # A Python newer (or older) than the shipped lists gets the nearest list we have.
    usable = [v for v in known if _key(v) <= wanted] or known[:1]
    return frozenset(name.split(".", 1)[0] for name in stdlib_list(usable[-1]))


def is_stdlib(module: str, python_version: str) -> bool:
    """True when the top-level package of dotted `module` ships with that Python."""
    top = module.split(".", 1)[0]
    return top in stdlib_modules(python_minor(python_version)) or top in ("__future__", "__main__")


def is_backport(distribution: str, python_version: str) -> bool:
    """A distribution that only backports stdlib to an older Python than the target."""
    from nb2aml.deps.envfile import canonical_name

    key = canonical_name(distribution)
    if key in RENAMED_BACKPORTS or key.startswith("backports-"):
        return True
    module = SHADOWING_BACKPORTS.get(key)
    return module is not None and is_stdlib(module, python_version)
