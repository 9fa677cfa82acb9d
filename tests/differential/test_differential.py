"""The differential harness: every case gives the notebook's result, or convert/split refuses.

Run with `python -m pytest tests/differential -m slow`; `python tests/differential/report.py` prints the
counts (cases, same, refused, differs).
"""

from __future__ import annotations

from collections import Counter

import pytest

from .cases import CASES
from .harness import check

pytestmark = pytest.mark.slow

# Cases known to differ, with the reason; strict, so a fix that lands shows up as a test to update.
KNOWN: dict[str, str] = {}


def test_there_are_enough_cases_of_every_kind():
    kinds = Counter(c.kind for c in CASES)
    assert len(CASES) >= 100 and len({c.name for c in CASES}) == len(CASES)
    assert all(
        kinds[k] >= 8 for k in ("aliasing", "views", "write-through", "stateful", "globals", "writes", "helpers")
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_the_notebooks_result_or_a_refusal(case, tmp_path_factory, request):
    if case.name in KNOWN:
        request.applymarker(pytest.mark.xfail(reason=KNOWN[case.name], strict=True))
    outcome = check(case, tmp_path_factory.mktemp("diff"))
    assert outcome.status in ("same", "refused"), outcome.detail
    if outcome.status == "refused":
        assert outcome.detail.count("\n") == 0 and ("cell" in outcome.detail or "nothing to convert" in outcome.detail)
    assert "job" in outcome.ran or outcome.status == "refused"
