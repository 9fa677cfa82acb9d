"""The one registry of rewrites: a rule declares a fix exactly when a rewrite is registered for its
code, rule selection never turns a rewrite off, `--no-fix` does, and changes have typed kinds."""

from __future__ import annotations

import textwrap
from typing import get_args

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.cell import Change, ChangeKind
from nb2aml.refactor.edits import REWRITES, fix_of
from nb2aml.refactor.policy import OPTIONAL_FIXES, REQUIRED_FIXES, FixPolicy
from nb2aml.refactor.script import ConvertOptions, build_script
from nb2aml.rules import all_rules


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.CODE)
def test_a_rule_declares_the_fix_its_code_has_in_the_registry(rule):
    # Declared (the rule's FIX, in docs/rules.md, SARIF and `nb2aml rules`) and actual (the registry) agree.
    assert fix_of(rule.CODE) == rule.FIX, (
        f"{rule.CODE} declares FIX={rule.FIX!r}, the registry says {fix_of(rule.CODE)!r}"
    )


def test_every_registered_rule_code_is_a_rule():
    codes = {rule.CODE for rule in all_rules()}
    rule_kinds = {kind for kind in REWRITES if kind.startswith("NB")}
    assert rule_kinds <= codes
    assert set(REWRITES) == set(get_args(ChangeKind)), "every kind of change has its rewrite, and no other"
    assert set(OPTIONAL_FIXES) | set(REQUIRED_FIXES) == rule_kinds


def test_selection_policy():
    everything = {r.kind for r in FixPolicy().rewrites()}
    assert everything == set(REWRITES)  # every rewrite is safe today: all apply by default
    without = {r.kind for r in FixPolicy(disabled=frozenset({"NB501", "NB703"})).rewrites()}
    assert everything - without == {"NB501", "NB703"}
    # A rewrite the job needs stays on even when a library caller lists it.
    assert "NB601" in {r.kind for r in FixPolicy(disabled=frozenset({"NB601", "NB101"})).rewrites()}
    assert FixPolicy(disabled=frozenset({"NB601"})).applies("NB601")


def test_change_kinds_are_typed_and_labelled():
    model = Change("mlflow_model", 3, "model also saved")
    assert (model.code, model.label) == (None, "MLflow model")
    placement = Change("run_placement", 1, "removed mlflow.set_experiment(...)")
    assert (placement.code, placement.label) == (None, "NB")
    assert (Change("NB501", 2, "x").code, Change("NB501", 2, "x").label) == ("NB501", "NB501")


SECRET_AND_LEGACY = textwrap.dedent("""\
    import pandas as pd
    import matplotlib.pyplot as plt
    token = 'f3b9c2a7d41e8b6c0a9e7d5c3b1a2f4e'
    a = pd.read_csv('data/a.csv')
    b = pd.read_csv('data/b.csv')
    unused = 1
    plt.plot(a['x'])
    c = a.append(b, ignore_index=True)
    c.to_csv('out/c.csv')
    print(len(token))
    """)


@pytest.mark.parametrize(
    "select, ignore", [((), ()), (("NB2",), ()), ((), ("NB5", "NB6", "NB7", "NB1")), (("NB999",), ())]
)
def test_reporting_selection_never_changes_the_script(select, ignore):
    analysis, nb = analyze_notebook(notebook_from_text(SECRET_AND_LEGACY), select=select, ignore=ignore)
    reference, nb_all = analyze_notebook(notebook_from_text(SECRET_AND_LEGACY))
    script = build_script(analysis, nb)
    assert script.text == build_script(reference, nb_all).text
    kinds = {c.kind for c in script.changes}
    assert {"NB101", "NB201", "NB202", "NB501", "NB601", "NB701", "NB703"} <= kinds
    assert "os.environ['TOKEN']" in script.text and "pd.concat([a, b], ignore_index=True)" in script.text


def test_no_fix_turns_off_exactly_its_rewrite():
    analysis, nb = analyze_notebook(notebook_from_text(SECRET_AND_LEGACY))
    script = build_script(analysis, nb, ConvertOptions(no_fix=frozenset({"NB501", "NB703"})))
    kinds = {c.kind for c in script.changes}
    assert "NB501" not in kinds and "NB703" not in kinds and {"NB101", "NB601", "NB701"} <= kinds
    assert "c = a.append(b, ignore_index=True)" in script.text
    assert "import matplotlib.pyplot as plt" in script.text  # an unused import stays: that is what NB703 removes
    assert "plt.plot" not in script.text and "unused = 1" not in script.text  # the slice still strips


def test_a_dead_store_the_job_keeps_has_no_fix():
    code = "import random\nx = random.random()\ny = 2\nprint(random.random())\n"
    analysis, nb = analyze_notebook(notebook_from_text(code), select=("NB701",))
    fixes = {f.message.split("`")[1]: f.fix for f in analysis.findings}
    assert fixes == {"x": "none", "y": "safe"}  # the draw moves the generator the print reads: kept
    script = build_script(analysis, nb)
    assert "x = random.random()" in script.text and "y = 2" not in script.text
