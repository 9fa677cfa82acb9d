"""Import name -> distribution name, offline.

Order: the installed environment's own file lists (what really provides the module here), then
a curated map of well-known mismatches, then the freeze's names. No package index is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from nb2aml.deps.envfile import EnvSpec, canonical_name

ResolutionOrigin = Literal["index", "curated", "freeze", "unresolved"]

# Deep enough for `google.cloud.storage` / `azure.ai.ml`, where each level is another distribution.
_DEPTH = 3
_HEADER_FIELD = re.compile(r"^(Name|Version|Requires-Dist|Requires-Python):[ \t]*([^\n]*)", re.MULTILINE)
_DIST_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")

# Import name (dotted prefix) -> distributions that provide it, preferred first. Only names whose
# distribution differs from the import, or that the namespace rules below would get wrong.
CURATED: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "PIL": ("pillow",),
    "yaml": ("pyyaml",),
    "ruamel.yaml": ("ruamel-yaml",),
    "bs4": ("beautifulsoup4",),
    "attr": ("attrs",),
    "dateutil": ("python-dateutil",),
    "Crypto": ("pycryptodome",),
    "Cryptodome": ("pycryptodomex",),
    "jwt": ("pyjwt",),
    "dotenv": ("python-dotenv",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "magic": ("python-magic",),
    "slugify": ("python-slugify",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "OpenSSL": ("pyopenssl",),
    "git": ("gitpython",),
    "zmq": ("pyzmq",),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2-binary", "psycopg2"),
    "fitz": ("pymupdf",),
    "umap": ("umap-learn",),
    "kafka": ("kafka-python",),
    "dns": ("dnspython",),
    "Bio": ("biopython",),
    "IPython": ("ipython",),
    "pkg_resources": ("setuptools",),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "google.protobuf": ("protobuf",),
    "google.auth": ("google-auth",),
    "google.oauth2": ("google-auth",),
    "google.api_core": ("google-api-core",),
    "googleapiclient": ("google-api-python-client",),
    "azure.storage.filedatalake": ("azure-storage-file-datalake",),
    "azure.storage.fileshare": ("azure-storage-file-share",),
    "azure.storage.queue": ("azure-storage-queue",),
    # Same name on both sides, listed so a missing install is "curated", not a guess.
    **{
        name: (name,)
        for name in (
            "numpy",
            "pandas",
            "scipy",
            "matplotlib",
            "seaborn",
            "plotly",
            "statsmodels",
            "xgboost",
            "lightgbm",
            "catboost",
            "torch",
            "torchvision",
            "tensorflow",
            "keras",
            "transformers",
            "joblib",
            "tqdm",
            "requests",
            "pyarrow",
            "polars",
            "mlflow",
            "nltk",
            "spacy",
            "gensim",
            "shap",
            "optuna",
            "onnx",
            "onnxruntime",
            "openpyxl",
        )
    },
}
# Namespace packages: `azure.x.y` is `azure-x-y`; these families add one more level.
_AZURE_TWO_LEVEL = {
    "ai",
    "mgmt",
    "storage",
    "keyvault",
    "data",
    "search",
    "monitor",
    "mixedreality",
    "communication",
    "security",
    "messaging",
    "iot",
    "digitaltwins",
    "schemaregistry",
    "synapse",
    "developer",
    "purview",
}


# Top-level names shared by unrelated distributions: the root alone names none of them (and the
# PyPI project literally called `google` is not protobuf).
NAMESPACE_ROOTS = frozenset({"azure", "azureml", "google", "backports", "jaraco", "zope", "sphinxcontrib", "ruamel"})


@dataclass(frozen=True)
class InstalledIndex:
    """The running environment's distributions, keyed for import resolution."""

    modules: dict[str, frozenset[str]] = field(default_factory=dict, hash=False)
    versions: dict[str, str] = field(default_factory=dict, hash=False)  # canonical -> version
    requires: dict[str, frozenset[str]] = field(default_factory=dict, hash=False)
    requires_python: dict[str, str] = field(default_factory=dict, hash=False)  # canonical -> specifier

    # Prefixes that are a module or a regular package somewhere; the rest are namespace folders.
    concrete: frozenset[str] = frozenset()

    def providers(self, module: str) -> frozenset[str]:
        """Distributions owning the longest indexed prefix of dotted `module`."""
        parts = module.split(".")
        for depth in range(min(len(parts), _DEPTH), 0, -1):
            prefix = ".".join(parts[:depth])
            found = self.modules.get(prefix)
            if found:
                # Under a namespace folder (`google`, `azure`) a missing sub-package belongs to a
                # distribution that is not installed, not to whoever else shares the folder.
                if depth < len(parts) and prefix not in self.concrete:
                    return frozenset()
                return found
        return frozenset()


@dataclass(frozen=True)
class Resolution:
    module: str
    names: tuple[str, ...]  # canonical distribution names; one unless truly ambiguous
    origin: ResolutionOrigin


def _module_paths(dist) -> list[str]:
    """Paths (relative to site-packages, no extension) of the modules a distribution installed."""
    record = dist.read_text("RECORD")
    if record is not None:
        lines = (line.partition(",")[0] for line in record.splitlines())
    else:
        # egg-info installs list files relative to the .egg-info folder inside site-packages.
        installed = dist.read_text("installed-files.txt") or ""
        lines = (line[3:] if line.startswith("../") else line for line in installed.splitlines())
    # Plain string tests: a regex over every RECORD line costs twice as much.
    out = []
    for path in lines:
        if path.endswith(".py"):
            out.append(path[:-3])
        elif path.endswith((".so", ".pyd")):
            out.append(path.rpartition(".")[0])
    return out


def _scan(paths: list[str]) -> tuple[set[str], set[str]]:
    """(every dotted prefix to depth 3 holding a module, the modules/packages themselves)."""
    found: set[str] = set()
    concrete: set[str] = set()
    folders: dict[str, list[str] | None] = {}
    for path in paths:
        if path.startswith(("..", "/")):  # scripts and data outside site-packages
            continue
        folder, _, filename = path.rpartition("/")
        if folder in folders:
            parts = folders[folder]
        else:
            parts = folders[folder] = _importable(folder, found)
        if parts is None or len(parts) > _DEPTH:
            continue
        stem = filename.split(".", 1)[0]  # `_yaml.cpython-311-x86_64-linux-gnu` -> `_yaml`
        if stem == "__init__":
            if parts:
                concrete.add(".".join(parts))
        elif stem.isidentifier() and len(parts) < _DEPTH:
            module = ".".join([*parts, stem])
            found.add(module)
            concrete.add(module)
    return found, concrete


def _importable(folder: str, found: set[str]) -> list[str] | None:
    """Record the folder's dotted prefixes; None when a part (`x.dist-info`) is not a name."""
    parts = folder.split("/") if folder else []
    dotted = ""
    for depth, part in enumerate(parts):
        if not part.isidentifier() or part == "__pycache__":
            return None
        dotted = f"{dotted}.{part}" if dotted else part
        if depth < _DEPTH:
            found.add(dotted)
    return parts


def _header(dist) -> dict[str, list[str]]:
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    end = text.find("\n\n")
    fields: dict[str, list[str]] = {}
    # Parsing only the header by regex is ~20x faster than `dist.metadata` (an email parser).
    for key, value in _HEADER_FIELD.findall(text if end < 0 else text[:end]):
        fields.setdefault(key, []).append(value.strip())
    return fields


def _hard_requirements(specs: list[str]) -> frozenset[str]:
    out = set()
    for spec in specs:
        if "extra" in spec.partition(";")[2]:
            continue
        m = _DIST_NAME.match(spec)
        if m:
            out.add(canonical_name(m.group(1)))
    return frozenset(out)


@lru_cache(maxsize=1)
def installed_index() -> InstalledIndex:
    """Build once per process: every distribution importlib.metadata can see."""
    from importlib.metadata import distributions

    modules: dict[str, set[str]] = {}
    versions: dict[str, str] = {}
    requires: dict[str, frozenset[str]] = {}
    requires_python: dict[str, str] = {}
    concrete: set[str] = set()
    for dist in distributions():
        header = _header(dist)
        if not header.get("Name"):
            continue
        name = canonical_name(header["Name"][0])
        if name in versions:  # shadowed by an earlier sys.path entry, as at import time
            continue
        versions[name] = (header.get("Version") or [""])[0]
        requires[name] = _hard_requirements(header.get("Requires-Dist", []))
        if header.get("Requires-Python"):
            requires_python[name] = header["Requires-Python"][0]
        found, shallow = _scan(_module_paths(dist))
        concrete |= shallow
        # Editable installs list only a .pth and a finder: fall back to top_level.txt, then
        # to the distribution's own name.
        found = {m for m in found if not m.startswith("__editable__")}
        if not found:
            top = dist.read_text("top_level.txt") or ""
            found = {t.strip().replace("/", ".") for t in top.splitlines() if t.strip()}
            if not found:
                found = {name.replace("-", "_")}
            concrete.update(found)
        for module in found:
            modules.setdefault(module, set()).add(name)
    return InstalledIndex(
        modules={k: frozenset(v) for k, v in modules.items()},
        versions=versions,
        requires=requires,
        requires_python=requires_python,
        concrete=frozenset(concrete),
    )


def _curated(module: str) -> tuple[str, ...]:
    parts = module.split(".")
    for depth in range(len(parts), 0, -1):
        hit = CURATED.get(".".join(parts[:depth]))
        if hit:
            return tuple(canonical_name(n) for n in hit)
    return _namespace(parts)


def _namespace(parts: list[str]) -> tuple[str, ...]:
    """`azure.x.y` -> azure-x-y, `azureml.x` -> azureml-x, `google.cloud.x` -> google-cloud-x.

    Every dashed prefix is returned, the conventional one first, so a freeze can pick another.
    """
    if parts[0] == "azure" and len(parts) >= 2:
        default = 3 if parts[1] in _AZURE_TWO_LEVEL and len(parts) >= 3 else 2
    elif parts[0] == "azureml" and len(parts) >= 2:
        default = 2
    elif parts[:2] == ["google", "cloud"] and len(parts) >= 3:
        default = 3
    else:
        return ()
    shortest = 3 if default == 3 else 2
    names = [canonical_name("-".join(parts[:n])) for n in range(len(parts), shortest - 1, -1)]
    conventional = canonical_name("-".join(parts[:default]))
    return (conventional, *[n for n in names if n != conventional])


def _in_freeze(names: tuple[str, ...] | frozenset[str], env: EnvSpec | None) -> tuple[str, ...]:
    if env is None:
        return ()
    listed = env.canonical_names
    return tuple(n for n in names if n in listed)


def resolve_module(module: str, env: EnvSpec | None = None) -> Resolution:
    """Which distribution(s) `import module` needs. `module` is dotted, not stdlib, not local."""
    index = installed_index()
    parts = module.split(".")
    namespaced = parts[0] in NAMESPACE_ROOTS
    top = canonical_name("-".join(parts[:2]) if namespaced else parts[0])
    candidates = index.providers(module)
    if candidates:
        listed = _in_freeze(tuple(sorted(candidates)), env)
        if listed:
            candidates = frozenset(listed)
        elif env is not None:
            # Installed here under one name, the data scientist had another (opencv variants).
            other = _in_freeze(_curated(module), env) or (() if namespaced else _in_freeze((top,), env))
            if other:
                return Resolution(module, other[:1], "freeze")
        # A distribution that depends on another candidate contains it (mlflow > mlflow-skinny).
        needed = set().union(*(index.requires.get(c, ()) for c in candidates))
        kept = candidates - needed
        return Resolution(module, tuple(sorted(kept or candidates)), "index")
    curated = _curated(module)
    if curated:
        listed = _in_freeze(curated, env)
        return Resolution(module, (listed or curated)[:1], "curated")
    if not namespaced and _in_freeze((top,), env):
        return Resolution(module, (top,), "freeze")
    return Resolution(module, (top,), "unresolved")
