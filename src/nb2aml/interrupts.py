"""Ctrl-C that Python swallowed.

A `KeyboardInterrupt` raised while a weakref or garbage-collector callback runs (importlib's module
locks use one) cannot propagate: Python reports it through `sys.unraisablehook` as "Exception
ignored" and the command carries on, so a Ctrl-C pressed at that instant would let `convert` finish
and write. The command line records such an interrupt here; the writer asks before it swaps a folder
in, and the command ends as interrupted (exit 130) instead of succeeding.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

_SWALLOWED = threading.Event()


def watch_swallowed_interrupts() -> Callable[[], None]:
    """Record a swallowed Ctrl-C instead of printing it; other unraisable errors go on as before.

    Returns the function that puts the previous hook back."""
    _SWALLOWED.clear()
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            _SWALLOWED.set()
            return
        previous(unraisable)

    sys.unraisablehook = hook

    def restore() -> None:
        sys.unraisablehook = previous

    return restore


def raise_if_interrupted() -> None:
    """Raise the `KeyboardInterrupt` Python swallowed, if there was one."""
    if _SWALLOWED.is_set():
        raise KeyboardInterrupt
