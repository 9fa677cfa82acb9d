"""Check emitted YAML with the Azure ML SDK's own schema, the one `az ml ... create` applies.

The SDK is heavy and optional: it is imported only when a check runs.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path


class InvalidYaml(ValueError):
    """The SDK rejected a file. `str()` is one line: the file, then the SDK's complaint."""


def _one_line(path: str | Path, exc: Exception) -> InvalidYaml:
    # The SDK's message is a multi-line JSON dump followed by help links: keep the dump only.
    text = re.sub(r"\s+", " ", str(exc).split("Visit this link", 1)[0]).strip()
    return InvalidYaml(f"{path}: {text or type(exc).__name__}")


def validate_environment_yaml(path: str | Path):
    """Load an environment YAML with `azure.ai.ml.load_environment`; return the Environment."""
    # The SDK's own marshmallow deprecation noise says nothing about the user's file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from azure.ai.ml import load_environment

        try:
            return load_environment(source=str(path))
        except Exception as exc:  # noqa: BLE001 - marshmallow, MlException, OSError...
            raise _one_line(path, exc) from exc
