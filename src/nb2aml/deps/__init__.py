"""Minimal pinned requirements for the code that ships, inferred offline from its imports."""

from nb2aml.deps.envfile import (
    EnvSpec,
    canonical_name,
    load_env_file,
    parse_conda,
    parse_freeze,
)
from nb2aml.deps.infer import find_env_file, infer_requirements, render_requirements

__all__ = [
    "EnvSpec",
    "canonical_name",
    "find_env_file",
    "infer_requirements",
    "load_env_file",
    "parse_conda",
    "parse_freeze",
    "render_requirements",
]
