"""uv, the resolver and installer, and the package index pip is configured to use.

uv ships its binary inside its wheel (a dependency of nb2aml). uv does not read pip's
configuration, so the index pip uses here (a mirror, a proxy) is handed to uv explicitly: what
resolves here then resolves in CI and in the image build the same way. Only pip's main index is
passed on: extra indexes and find-links are folders of this machine the image never sees.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import EnvironmentSetupError
from ..types import NotebookError

INSTALL_UV = f"{Path(sys.executable).name} -m pip install uv"


class IndexUnreachable(NotebookError):
    """The package index could not be reached: nothing about the requirements is known."""


# What uv prints when the index cannot be reached (DNS, TCP, TLS, timeouts, offline mode).
NETWORK_MARKERS = (
    "error sending request",
    "dns error",
    "tcp connect error",
    "connection refused",
    "timed out",
    "network is unreachable",
    "failed to fetch",
    "offline mode",
    "certificate",
    "connection reset",
    "name or service not known",
    "temporary failure in name resolution",
)


def find_uv() -> str:
    """The uv binary: the one of the `uv` package, else one on PATH; NotebookError naming the install otherwise."""
    try:
        import uv

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found:
            return found
    raise EnvironmentSetupError(f"uv is not installed (nb2aml resolves and builds environments with it): {INSTALL_UV}")


def _pip_config_files() -> list[Path]:
    """pip's configuration files in pip's own order: later ones override earlier ones."""
    if os.environ.get("PIP_CONFIG_FILE") == os.devnull:
        return []
    xdg_dirs = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    files = [Path("/etc/pip.conf")] + [Path(d) / "pip" / "pip.conf" for d in reversed(xdg_dirs.split(os.pathsep)) if d]
    home = Path.home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    files += [home / ".pip" / "pip.conf", config_home / "pip" / "pip.conf"]
    if sys.prefix != sys.base_prefix:
        files.append(Path(sys.prefix) / "pip.conf")
    if os.environ.get("PIP_CONFIG_FILE"):
        files.append(Path(os.environ["PIP_CONFIG_FILE"]))
    return files


def pip_setting(name: str) -> str | None:
    """A setting of pip (`index-url`, `cert`) as pip would see it: environment, then its config files."""
    from_env = os.environ.get("PIP_" + name.upper().replace("-", "_"))
    if from_env:
        return from_env
    value = None
    for path in _pip_config_files():
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error, UnicodeDecodeError):
            continue
        for section in ("global", "install"):
            if parser.has_option(section, name):
                value = parser.get(section, name).strip() or value
    return value


def uv_environment() -> dict[str, str]:
    """The environment uv runs in: pip's index and certificate, no Python downloads unless asked."""
    env = dict(os.environ)
    index = pip_setting("index-url")
    if index and not (env.get("UV_INDEX_URL") or env.get("UV_DEFAULT_INDEX")):
        env["UV_DEFAULT_INDEX"] = index.split()[0]
    cert = pip_setting("cert")
    if cert and Path(cert).is_file() and not env.get("SSL_CERT_FILE"):
        env["SSL_CERT_FILE"] = cert
    # uv would try to download a missing interpreter from GitHub; that is asked for explicitly only.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.pop("VIRTUAL_ENV", None)  # uv pip would install into the caller's virtual environment
    return env


def run_uv(
    args: list[str], *, timeout: float = 900, env: dict | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess:
    """Run uv with `args` (`input_text` on its stdin); the caller reads returncode, stdout and stderr."""
    uv = find_uv()
    try:
        return subprocess.run(
            [uv, *args],
            env=env or uv_environment(),
            input=input_text,
            capture_output=True,
            stdin=None if input_text is not None else subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise IndexUnreachable(
            f"uv {args[0]} {args[1] if len(args) > 1 else ''} did not finish in {timeout:.0f} s: "
            "the package index may be unreachable"
        ) from None


def is_network_failure(stderr: str) -> bool:
    lowered = stderr.lower()
    return any(marker in lowered for marker in NETWORK_MARKERS) and "no solution found" not in lowered


def index_name() -> str:
    return uv_environment().get("UV_DEFAULT_INDEX") or os.environ.get("UV_INDEX_URL") or "https://pypi.org/simple"
