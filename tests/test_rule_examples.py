"""Every rule's VALID / INVALID examples are tests (Fixit style)."""

import pytest

from helpers import notebook_from_example
from nb2aml.api import analyze_notebook
from nb2aml.analysis.versions import LibraryVersions
from nb2aml.rules import all_rules
from nb2aml.rules.base import Example

CASES = [
    pytest.param(rule, example, valid, id=f"{rule.CODE}-{'valid' if valid else 'invalid'}-{i}")
    for rule in all_rules()
    for valid, examples in ((True, rule.VALID), (False, rule.INVALID))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("rule, example, valid", CASES)
def test_rule_example(rule, example, valid):
    pins = dict(Example.of(example).pins)
    analysis, _ = analyze_notebook(notebook_from_example(example), select=(rule.CODE,), versions=LibraryVersions(pins=pins))
    codes = [f.code for f in analysis.findings]
    if valid:
        assert codes == [], f"{rule.CODE} fired on a VALID example: {analysis.findings}"
    else:
        assert rule.CODE in codes, f"{rule.CODE} did not fire on an INVALID example"


def test_every_rule_is_documented_and_has_examples():
    codes = [rule.CODE for rule in all_rules()]
    assert len(codes) == len(set(codes))
    for code in ("NB001", "NB002", "NB101", "NB102", "NB201", "NB202", "NB203", "NB301", "NB302", "NB401", "NB501", "NB601", "NB701", "NB702", "NB703"):
        assert code in codes
    for rule in all_rules():
        doc = rule.doc()
        for heading in ("## What it does", "## Why is this bad", "## Fix safety"):
            assert heading in doc, f"{rule.CODE} docstring lacks {heading}"
        assert rule.VALID and rule.INVALID, rule.CODE
        assert rule.FIX in ("safe", "unsafe", "none")
        assert rule.SEVERITY in ("error", "warning")
