"""Print how many differential cases give the notebook's result, refuse, or differ (and why)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from differential.cases import CASES  # noqa: E402
from differential.harness import check  # noqa: E402


def main() -> int:
    started = time.perf_counter()
    counts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="nb2aml-diff-") as tmp:
        for case in CASES:
            outcome = check(case, Path(tmp))
            counts[outcome.status] += 1
            if outcome.status != "same":
                print(f"{case.name}: {outcome.status}: {outcome.detail}")
    print(
        f"{len(CASES)} cases: {counts['same']} same, {counts['refused']} refused, {counts['differs']} differ "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return 1 if counts["differs"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
