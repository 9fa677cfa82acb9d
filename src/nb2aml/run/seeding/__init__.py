"""A folder put on PYTHONPATH so that `sitecustomize` seeds every process `verify` starts."""

from pathlib import Path

FOLDER = str(Path(__file__).parent)
