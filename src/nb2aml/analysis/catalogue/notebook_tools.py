"""Removed APIs of the notebook tooling itself (IPython), met in course notebooks of the real corpus."""

from __future__ import annotations

from . import RemovedApi

ENTRIES = (
    RemovedApi(
        key="IPython.html.widgets",
        library="ipython",
        removed_in="8.0",
        deprecated_in="4.0",
        match="module",
        targets=("IPython.html.widgets",),
        message="`IPython.html.widgets` was removed: import the widgets from `ipywidgets`",
        # From IPython 4.0 on, `IPython.html.widgets` was only a shim that mirrored `ipywidgets` (and
        # failed without it): the same objects wherever the old import still worked.
        fix="safe",
        rewrite="module",
        replacement="ipywidgets",
        replacement_since="4.0",
        invalid="from IPython.html.widgets import interact\nprint(interact.__name__)\n",
        at="from IPython",
        valid="from ipywidgets import interact\nprint(interact.__name__)\n",
        fixed="from ipywidgets import interact\nprint(interact.__name__)\n",
    ),
)
