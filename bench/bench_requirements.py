"""How long requirement inference takes for the NYC taxi example's imports.

Run: python bench/bench_requirements.py [--repeat N]

Cold is the first call in the process (it builds the installed-distribution index) and, to
smooth out noise, the median of rebuilds after clearing the cache; warm reuses the index.
Baselines measured in the same process give ratios that hold across machines:
`importlib.metadata.packages_distributions()` (the stdlib's own import->distribution map, which
does comparable work) and parsing the freeze. Target: cold under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import nb2aml  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(ROOT / "src"))

from nb2aml.deps.envfile import parse_freeze  # noqa: E402
from nb2aml.deps.infer import infer_requirements, render_requirements  # noqa: E402
from nb2aml.deps.resolve import installed_index  # noqa: E402

# The example's own freeze (~80 lines); the test fixture of the same size if it is absent.
FREEZE = next(
    p
    for p in (
        ROOT / "examples" / "nyc_taxi" / "requirements.txt",
        ROOT / "tests" / "fixtures" / "deps" / "nyc_requirements.txt",
    )
    if p.is_file()
)
IMPORTS = (
    "pathlib",
    "os",
    "pandas",
    "sklearn.ensemble",
    "sklearn.model_selection",
    "pickle",
    "numpy",
    "sklearn.metrics",
    "matplotlib.pyplot",
)
TARGET_COLD = 0.5


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def infer(text: str):
    return infer_requirements(IMPORTS, env=parse_freeze(text, str(FREEZE)), python_version="3.8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rebuilds / baseline runs")
    args = parser.parse_args()
    text = FREEZE.read_text()

    first_cold = timed(lambda: infer(text))  # before anything else touches the metadata
    rebuilds = []
    for _ in range(args.repeat):
        installed_index.cache_clear()
        rebuilds.append(timed(lambda: infer(text)))
    cold = statistics.median(rebuilds)
    warm = statistics.median(timed(lambda: infer(text)) for _ in range(args.repeat * 20))

    import importlib.metadata

    pkg_dists = statistics.median(timed(importlib.metadata.packages_distributions) for _ in range(args.repeat))
    parse = statistics.median(timed(lambda: parse_freeze(text)) for _ in range(args.repeat * 20))
    index = installed_index()

    print(
        f"freeze: {FREEZE.relative_to(ROOT)} ({len(text.splitlines())} lines), "
        f"imports: {len(IMPORTS)}, "
        f"installed distributions: {len(index.versions)}, indexed prefixes: {len(index.modules)}"
    )
    print(render_requirements(infer(text)), end="")
    print(f"cold, first call in process : {first_cold * 1000:8.1f} ms")
    print(f"cold, median of {args.repeat} rebuilds : {cold * 1000:8.1f} ms")
    print(f"warm, median                : {warm * 1000:8.3f} ms")
    print(f"baseline packages_distributions(): {pkg_dists * 1000:8.1f} ms -> cold/baseline = {cold / pkg_dists:.2f}x")
    print(f"baseline parse freeze        : {parse * 1000:8.3f} ms -> warm/parse = {warm / parse:.2f}x")
    ok = first_cold < TARGET_COLD
    print(f"target cold < {TARGET_COLD} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
