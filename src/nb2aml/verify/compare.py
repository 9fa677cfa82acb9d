"""Compare two runs: metrics within a relative tolerance, output files by content."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

TABLE_SUFFIXES = {
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".parquet": "read_parquet",
    ".feather": "read_feather",
    ".json": "read_json",
}

# Files the same code writes byte for byte alike on the same libraries: matplotlib's PNG holds no
# date (its PDF and SVG do, and pickles vary with memo order: those are compared by presence).
BYTE_EXACT_SUFFIXES = frozenset({".png"})


@dataclass(frozen=True)
class MetricComparison:
    name: str
    notebook: float | None
    converted: float | None
    match: bool

    @property
    def difference(self) -> float | None:
        if self.notebook is None or self.converted is None:
            return None
        return self.converted - self.notebook


@dataclass(frozen=True)
class FileComparison:
    output: str
    file: str
    how: str  # "table", "array", "bytes", "present"
    match: bool
    detail: str = ""


def close(a: float, b: float, rtol: float) -> bool:
    if a == b:
        return True
    if math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= rtol * max(abs(a), abs(b))


def compare_metrics(notebook: dict, converted: dict, rtol: float) -> list[MetricComparison]:
    out = []
    for name in sorted(set(notebook) | set(converted)):
        a, b = notebook.get(name), converted.get(name)
        out.append(MetricComparison(name, a, b, a is not None and b is not None and close(a, b, rtol)))
    return out


def compare_folders(output: str, expected: Path, actual: Path) -> list[FileComparison]:
    results = []
    for path in sorted(p for p in expected.rglob("*") if p.is_file()):
        relative = path.relative_to(expected).as_posix()
        other = actual / relative
        if not other.is_file():
            results.append(FileComparison(output, relative, "present", False, "missing in the converted run"))
            continue
        reader = TABLE_SUFFIXES.get(path.suffix.lower())
        if reader:
            results.append(_tables(output, relative, path, other, reader))
        elif path.suffix.lower() in BYTE_EXACT_SUFFIXES:
            same = path.read_bytes() == other.read_bytes()
            results.append(FileComparison(output, relative, "bytes", same, "" if same else "the bytes differ"))
        elif path.suffix.lower() == ".npy":
            import numpy as np

            same = np.array_equal(np.load(path, allow_pickle=False), np.load(other, allow_pickle=False), equal_nan=True)
            results.append(FileComparison(output, relative, "array", bool(same)))
        else:
            results.append(FileComparison(output, relative, "present", True, "binary: compared by presence"))
    return results


def _tables(output: str, relative: str, expected: Path, actual: Path, reader: str) -> FileComparison:
    import pandas as pd

    try:
        a = getattr(pd, reader)(expected)
    except Exception:  # noqa: BLE001 - not a table (`model.save_model("m.json")`): like any other file
        return FileComparison(output, relative, "present", True, "not a table: compared by presence")
    try:
        b = getattr(pd, reader)(actual)
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
    except AssertionError as exc:
        return FileComparison(output, relative, "table", False, " ".join(str(exc).split())[:200])
    except Exception as exc:  # noqa: BLE001 - unreadable table: say so, do not crash the comparison
        return FileComparison(output, relative, "table", False, f"cannot read: {type(exc).__name__}")
    return FileComparison(output, relative, "table", True)
