"""What nb2aml tells a user when it stops: one line naming the file (and cell) at fault.

Every error the library raises for something the user can fix is an `Nb2amlError`; the command
line prints `str(error)` and exits 2, never a traceback. The subclasses say which input is at
fault, so a library caller can tell a notebook it cannot read from a folder it cannot write.
"""

from __future__ import annotations


class Nb2amlError(Exception):
    """Something the user can fix. `str()` is one line naming the file (and cell where known)."""


class NotebookError(Nb2amlError):
    """The notebook cannot be read, analysed or converted as it is."""


class NotebookRefused(NotebookError):
    """`convert` and `split` will not write this notebook (`plan/refusals.py` decides): the same line
    from the command line and from `plan_job` / `plan_pipeline`, so a library caller can tell a refusal
    from a notebook nb2aml cannot read."""


class ConfigError(Nb2amlError):
    """An option or a `[tool.nb2aml]` setting that cannot be used."""


class OutputError(Nb2amlError):
    """The output folder cannot be written (or updated) safely."""


class JobError(Nb2amlError):
    """A job, pipeline or sweep folder that cannot be run here as it is."""


class EnvironmentSetupError(Nb2amlError):
    """A requirements or environment file, or the tools that build an environment from it."""
