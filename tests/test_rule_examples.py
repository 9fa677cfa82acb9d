"""Every rule's VALID / INVALID examples are tests (Fixit style): an `InvalidExample` also says
where the rule reports, with what message, and what the code is after the rule's rewrite."""

import re

import pytest
from helpers import notebook_from_example

from nb2aml.analysis.versions import LibraryVersions
from nb2aml.api import analyze_notebook
from nb2aml.refactor.preview import fixed_code
from nb2aml.rules import all_rules
from nb2aml.rules.base import Example, InvalidExample

# The version of a library installed here varies by machine: examples write it `N here`.
_HERE = re.compile(r"\b\d+(?:\.\d+)+(?= here\b)")

CASES = [
    pytest.param(rule, example, valid, id=f"{rule.CODE}-{'valid' if valid else 'invalid'}-{i}")
    for rule in all_rules()
    for valid, examples in ((True, rule.VALID), (False, rule.INVALID))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("rule, example, valid", CASES)
def test_rule_example(rule, example, valid):
    pins = dict(Example.of(example).pins)
    analysis, _ = analyze_notebook(
        notebook_from_example(example), select=(rule.CODE,), versions=LibraryVersions(pins=pins)
    )
    codes = [f.code for f in analysis.findings]
    if valid:
        assert codes == [], f"{rule.CODE} fired on a VALID example: {analysis.findings}"
    else:
        assert rule.CODE in codes, f"{rule.CODE} did not fire on an INVALID example"


INVALID_CASES = [
    pytest.param(rule, example, id=f"{rule.CODE}-invalid-{i}")
    for rule in all_rules()
    for i, example in enumerate(rule.INVALID)
    if isinstance(example, InvalidExample)
]


@pytest.mark.parametrize("rule, example", INVALID_CASES)
def test_invalid_example_reports_where_and_what_and_fixes_it(rule, example):
    analysis, nb = analyze_notebook(notebook_from_example(example), select=(rule.CODE,))
    first = min((f for f in analysis.findings if f.code == rule.CODE), key=lambda f: (f.pos, f.message))
    assert (first.pos.cell, first.pos.line, first.pos.col) == example.at
    assert _HERE.sub("N", first.message) == example.message
    fixed = fixed_code(analysis, nb, rule.CODE)
    if rule.FIX == "none":
        assert example.fixed is None and fixed is None, f"{rule.CODE} has no fix: its examples show none"
    else:
        assert example.fixed is not None, f"{rule.CODE} has a fix: each InvalidExample shows the code after it"
        assert fixed == example.fixed
        assert example.fixed != example.code, f"{rule.CODE}: an example of a fix shows the fix change something"


def test_every_rule_has_an_invalid_example_with_its_location_and_message():
    for rule in all_rules():
        assert any(isinstance(e, InvalidExample) for e in rule.INVALID), rule.CODE


def test_every_rule_is_documented_and_has_examples():
    codes = [rule.CODE for rule in all_rules()]
    assert len(codes) == len(set(codes))
    for code in (
        "NB001",
        "NB002",
        "NB101",
        "NB102",
        "NB201",
        "NB202",
        "NB203",
        "NB301",
        "NB302",
        "NB401",
        "NB501",
        "NB601",
        "NB701",
        "NB702",
        "NB703",
    ):
        assert code in codes
    for rule in all_rules():
        doc = rule.doc()
        for heading in ("## What it does", "## Why is this bad", "## Fix safety"):
            assert heading in doc, f"{rule.CODE} docstring lacks {heading}"
        assert rule.VALID and rule.INVALID, rule.CODE
        assert rule.FIX in ("safe", "unsafe", "none")
        assert rule.SEVERITY in ("error", "warning")
