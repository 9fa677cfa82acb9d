"""docs/rules.md is generated from the rule classes and must stay current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nb2aml.rules import all_rules
from nb2aml.rules.docs import all_rules_markdown

DOCS = Path(__file__).parent.parent / "docs" / "rules.md"
REGENERATE = "python -m nb2aml.rules.docs > docs/rules.md"


def test_rules_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == all_rules_markdown(), f"docs/rules.md is stale: run `{REGENERATE}`"


def test_the_module_prints_the_same_document():
    result = subprocess.run(
        [sys.executable, "-m", "nb2aml.rules.docs"], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == DOCS.read_text(encoding="utf-8")


def test_every_rule_has_a_section():
    text = DOCS.read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"# {rule.CODE} {rule.NAME}\n" in text
