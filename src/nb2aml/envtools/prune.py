"""`convert --resolve` / `split --resolve`: the freeze's pins that cannot hold in the image are left out of
the constraints before anything is written.

A freeze is what was installed, not what pip would resolve: a package upgraded by hand past what
another one allows (alembic 1.7.4 under mlflow 1.20.2's `alembic<=1.4.1`), or a release with no wheel
for the image. Such a pin in constraints.txt makes the image's install fail as a whole. Only the index
knows, so this runs where `--resolve` asks for it; the constraints file names each pin it left out and why.
"""

from __future__ import annotations

import dataclasses

from ..deps.constraints import CONSTRAINTS_FILE
from ..deps.envfile import EnvSpec
from .resolve import refused_constraints, requirements_resolve


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-"))]


def without_unresolvable_pins(files: dict[str, str], env: EnvSpec | None, python_version: str) -> EnvSpec | None:
    """`env` less the pins that cannot hold beside the planned requirements; None when every pin holds."""
    if env is None:
        return None
    refused: dict[str, str] = {}
    for name, text in sorted(files.items()):
        if not name.endswith(f"/{CONSTRAINTS_FILE}"):
            continue
        pins = _lines(files.get(name[: -len(CONSTRAINTS_FILE)] + "requirements.txt", ""))
        # Requirements that fail on their own are --resolve's report, not the freeze's doing.
        if not pins or not requirements_resolve(pins, python_version):
            continue
        for pin, why in refused_constraints(pins, _lines(text), python_version):
            refused.setdefault(pin, why)
    if not refused:
        return None
    return dataclasses.replace(env, refused=env.refused + tuple(sorted(refused.items())))
