"""Hand-made edge-case notebooks under tests/notebooks/analyze, each with its exact findings.

The expected sets are (code, cell, line): a finding that is not listed fails as surely as one that
is missing. Cells count every cell from 1, markdown included. Every finding was checked by hand.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from nb2aml.api import analyze_notebook
from nb2aml.notebook import load_notebook

CASES = Path(__file__).parent / "notebooks" / "analyze"

EXPECTED: dict[str, set[tuple[str, int, int]]] = {
    # Slice: mutation, aliases, functions.
    "inplace_mutation.py": {("NB201", 1, 3), ("NB102", 2, 2)},
    "dataframe_alias.py": {("NB201", 1, 3)},
    "function_mutates_argument.py": {("NB201", 1, 3)},
    "function_reads_later_global.py": set(),
    "plot_helper_function.py": {("NB703", 1, 1), ("NB201", 1, 4), ("NB101", 3, 1), ("NB101", 3, 2)},
    "plot_in_loop.py": {("NB703", 1, 1), ("NB201", 1, 4), ("NB101", 2, 3), ("NB101", 2, 4)},
    "unknown_object_save.py": set(),
    "exploration_bare_name.py": {("NB201", 1, 3), ("NB102", 1, 4), ("NB102", 2, 2)},
    # Removed APIs, decided by type and resolved name.
    "append_list_vs_dataframe.py": {("NB201", 1, 6), ("NB201", 1, 7), ("NB501", 1, 8)},
    "numpy_float.py": {("NB501", 1, 3)},
    "sklearn_externals_joblib.py": {("NB501", 1, 1), ("NB202", 1, 6)},
    # Paths.
    "fstring_path.py": {("NB201", 1, 3)},
    "os_path_join.py": {("NB201", 1, 5)},
    "pathlib_division.py": {("NB201", 1, 5)},
    "string_concat_path.py": {("NB201", 1, 3)},
    "absolute_home_path.py": {("NB201", 1, 3), ("NB203", 1, 3)},
    "windows_path.py": {("NB201", 1, 3), ("NB203", 1, 3)},
    "open_write_vs_read.py": {("NB201", 1, 1), ("NB202", 3, 1)},
    "with_open_read.py": {("NB201", 1, 3)},
    "array_model_table_outputs.py": {("NB201", 1, 6), ("NB202", 2, 1), ("NB202", 2, 2), ("NB202", 2, 3)},
    # Parameters, metrics, randomness.
    "parameters_cell.ipynb": {("NB201", 2, 1), ("NB301", 3, 6), ("NB302", 4, 3)},
    "time_cell_magic.py": {("NB201", 1, 4), ("NB301", 2, 2), ("NB802", 2, 1)},
    "metrics_score_and_helper.py": {("NB302", 3, 3), ("NB302", 3, 4)},
    "mlflow_logged_metric.py": set(),
    "seeded_numpy.py": set(),
    "dataframe_sample.py": {("NB201", 1, 3), ("NB401", 1, 4)},
    # Secrets and names.
    "secrets.py": {
        ("NB601", 1, 3),
        ("NB601", 1, 4),
        ("NB601", 1, 5),
        ("NB601", 1, 6),
        ("NB601", 1, 7),
        ("NB601", 2, 1),
    },
    "dead_store_did_you_mean.py": {("NB703", 1, 1), ("NB201", 1, 3), ("NB701", 1, 3), ("NB701", 1, 4), ("NB702", 2, 1)},
    "use_before_definition.py": {("NB702", 1, 1), ("NB702", 1, 2)},
    # Decorators, nested functions, walrus, annotations, match, class bodies; a free name of a
    # function called twice is reported once, where the function reads it.
    "undefined_name_edges.py": {("NB702", 1, 12), ("NB702", 1, 18)},
    "comprehension_variables.py": set(),
    "global_in_function.py": set(),
    "try_except_import.py": set(),
    "star_import.py": set(),
    # Notebook shape.
    "out_of_order.ipynb": {("NB002", 3, 1), ("NB002", 6, 1)},
    "python2_cell.py": {("NB001", 2, 1)},
    "magics_only_cell.py": {("NB802", 1, 1), ("NB802", 1, 2), ("NB802", 1, 3)},
    "ipython_syntax.py": {
        ("NB201", 2, 4),
        ("NB101", 3, 2),
        ("NB802", 1, 1),
        ("NB802", 1, 3),
        ("NB802", 2, 5),
        ("NB802", 2, 7),
    },
    "magic_text_in_string.py": set(),
    "empty_notebook.ipynb": set(),
    "suppression.py": {("NB703", 1, 1), ("NB101", 1, 6)},
    "unicode_column.py": {("NB401", 2, 1), ("NB201", 3, 1), ("NB401", 3, 1)},
}

# The refactoring plan, cell by cell (markdown and raw cells are always "strip").
PLANS: dict[str, list[str]] = {
    "inplace_mutation.py": ["keep", "partial", "keep"],
    "dataframe_alias.py": ["keep", "keep", "keep"],
    "function_mutates_argument.py": ["keep", "keep", "keep", "keep"],
    "function_reads_later_global.py": ["keep", "keep", "keep"],
    "plot_helper_function.py": ["partial", "strip", "strip", "keep"],
    "plot_in_loop.py": ["keep", "partial", "keep"],
    "unknown_object_save.py": ["keep"],
    "exploration_bare_name.py": ["partial", "partial", "keep"],
    "sklearn_externals_joblib.py": ["keep"],
    "dead_store_did_you_mean.py": ["strip", "keep"],
    "python2_cell.py": ["keep", "strip", "keep"],
    "magics_only_cell.py": ["strip", "keep"],
    "time_cell_magic.py": ["keep", "partial", "keep"],
    "empty_notebook.ipynb": ["strip", "strip"],
    "out_of_order.ipynb": ["keep", "strip", "keep", "keep", "keep", "keep"],
    "star_import.py": ["keep"],
    "suppression.py": ["partial"],
    "magic_text_in_string.py": ["keep"],
}


@cache
def analysed(name: str):
    return analyze_notebook(load_notebook(CASES / name))


def test_every_case_file_has_expectations():
    files = {p.name for p in CASES.iterdir() if p.suffix in (".py", ".ipynb")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_expected_ones(name):
    analysis, _ = analysed(name)
    found = {(f.code, f.pos.cell, f.pos.line) for f in analysis.findings}
    assert found == EXPECTED[name], "\n".join(f"{f.code} {f.pos} {f.message}" for f in analysis.findings)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_cell_plan(name):
    analysis, _ = analysed(name)
    assert [c.action for c in analysis.cells] == PLANS[name]


# --- slice ---------------------------------------------------------------------------------------


def _kept_text(name: str) -> list[str]:
    """The source of every kept top-level statement, nested removals excluded."""
    analysis, nb = analysed(name)
    out = []
    for s in nb.facts.statements:
        if s.depth == 0 and s.id in nb.kept:
            lines = analysis.notebook.cells[s.cell - 1].source.split("\n")
            out.append("\n".join(lines[s.pos.line - 1 : s.end.line]).strip())
    return out


def test_inplace_mutation_is_kept_and_its_copy_is_not():
    kept = _kept_text("inplace_mutation.py")
    assert "df.dropna(inplace=True)" in kept
    assert "df.fillna(0)" not in kept


def test_mutation_through_an_alias_is_kept():
    assert {"b = a", 'b["x"] = 1'} <= set(_kept_text("dataframe_alias.py"))


def test_call_of_a_function_that_mutates_its_argument_is_kept():
    _, nb = analysed("function_mutates_argument.py")
    assert nb.facts.functions["clean"].mutated_params == frozenset({0})
    assert "clean(df)" in _kept_text("function_mutates_argument.py")


def test_global_read_by_a_function_is_kept():
    kept = _kept_text("function_reads_later_global.py")
    assert "factor = 3" in kept


def test_plot_in_a_loop_is_removed_and_the_loop_kept():
    _, nb = analysed("plot_in_loop.py")
    loop = next(s for s in nb.facts.statements if s.kind == "For")
    assert loop.id in nb.kept
    # `plt.hist(...)` and `plt.show()` go; `totals[column] = ...` (line 2) stays.
    assert {nb.facts.statements[i].pos.line for i in nb.removed_nested} == {3, 4}


def test_method_of_an_object_of_unknown_type_is_an_effect():
    # keras is not a library nb2aml knows: `model.save(...)` may write a file and must stay.
    assert 'model.save("model.keras")' in _kept_text("unknown_object_save.py")


def test_star_import_is_kept():
    assert "from math import *" in _kept_text("star_import.py")


def test_python2_cell_does_not_stop_the_analysis_of_the_others():
    _, nb = analysed("python2_cell.py")
    assert [c for c, _, _ in nb.facts.parse_errors] == [2]
    assert {s.cell for s in nb.facts.statements} == {1, 3}
    assert "print(y)" in _kept_text("python2_cell.py")


# --- inputs, outputs, parameters, metrics -------------------------------------------------------


def _assets(items):
    return [(a.name, a.path, a.type) for a in items]


@pytest.mark.parametrize(
    "name, inputs, outputs",
    [
        ("inplace_mutation.py", [("train", "data/train.csv", "uri_file")], []),
        ("fstring_path.py", [("data_dir", "data", "uri_folder")], []),
        ("os_path_join.py", [("base", "inputs", "uri_folder")], []),
        ("pathlib_division.py", [("a", "inputs", "uri_folder")], []),
        ("string_concat_path.py", [("raw", "raw/", "uri_folder")], []),
        ("windows_path.py", [("train", r"C:\Users\ana\Documents\train.csv", "uri_file")], []),
        (
            "open_write_vs_read.py",
            [("config_path", "config/settings.json", "uri_file")],
            [("results", "results", "uri_folder")],
        ),
        ("with_open_read.py", [("params", "config/params.json", "uri_file")], []),
        (
            "array_model_table_outputs.py",
            [("train", "data/train.csv", "uri_file")],
            [
                ("arrays", "arrays", "uri_folder"),
                ("models", "models", "uri_folder"),
                ("processed", "processed", "uri_folder"),
            ],
        ),
        ("sklearn_externals_joblib.py", [], [("outputs", "outputs", "uri_folder")]),
        ("parameters_cell.ipynb", [("data_path", "data/train.csv", "uri_file")], []),
    ],
)
def test_inputs_and_outputs(name, inputs, outputs):
    analysis, _ = analysed(name)
    assert _assets(analysis.inputs) == inputs
    assert _assets(analysis.outputs) == outputs


def test_asset_details():
    analysis, _ = analysed("fstring_path.py")
    (data_dir,) = analysis.inputs
    assert data_dir.variable == "data_dir" and data_dir.calls == ("pandas.read_csv",)
    analysis, _ = analysed("array_model_table_outputs.py")
    assert [(o.calls, o.members) for o in analysis.outputs] == [
        (("numpy.save",), ("features.npy",)),
        (("joblib.dump",), ("model.joblib",)),
        (("pandas.to_parquet",), ("train.parquet",)),
    ]
    analysis, _ = analysed("open_write_vs_read.py")
    assert analysis.inputs[0].calls == ("builtins.open",)
    assert analysis.outputs[0].members == ("summary.txt",)


@pytest.mark.parametrize(
    "name, parameters",
    [
        (
            "parameters_cell.ipynb",
            [
                ("alpha", 0.5, "number", "parameters_cell"),
                ("epochs", 10, "integer", "parameters_cell"),
                ("use_gpu", False, "boolean", "parameters_cell"),
                ("model_name", "ridge", "string", "parameters_cell"),
                ("test_size", 0.2, "number", "keyword"),
            ],
        ),
        ("time_cell_magic.py", [("alpha", 1.0, "number", "keyword")]),
        ("inplace_mutation.py", []),
    ],
)
def test_parameters(name, parameters):
    analysis, _ = analysed(name)
    assert [(p.name, p.value, p.type, p.origin) for p in analysis.parameters] == parameters


@pytest.mark.parametrize(
    "name, metrics",
    [
        ("metrics_score_and_helper.py", [("score", "<estimator>.score", True, False), ("rmse", "rmse", True, False)]),
        ("mlflow_logged_metric.py", [("accuracy_score", "sklearn.metrics.accuracy_score", True, True)]),
        ("parameters_cell.ipynb", [("score", "<estimator>.score", True, False)]),
    ],
)
def test_metrics(name, metrics):
    analysis, _ = analysed(name)
    assert [(m.name, m.function, m.printed, m.logged) for m in analysis.metrics] == metrics


# --- messages and positions ----------------------------------------------------------------------


def test_secret_text_never_appears_in_a_message_or_report():
    from nb2aml.report.json_report import analysis_document
    from nb2aml.report.sarif import sarif_document

    analysis, nb = analysed("secrets.py")
    secrets = [
        lit.value
        for _, lit in nb.facts.literals
        if lit.bound_to in ("conn", "aws_key", "password", "db_url", "api_token", "Authorization")
    ]
    assert len(secrets) == 6
    reports = [f.message for f in analysis.findings] + [
        json.dumps(analysis_document(analysis)),
        json.dumps(sarif_document(analysis)),
    ]
    for secret in secrets:
        for text in reports:
            assert secret not in text
            assert secret[4:] not in text  # the mask shows at most the first four characters
    kinds = {f.message.split(" assigned")[0] for f in analysis.findings}
    assert kinds == {
        "hard-coded Azure storage connection string",
        "hard-coded AWS access key",
        "hard-coded password",
        "hard-coded password in a URL",
        "hard-coded secret",
        "hard-coded bearer token",
    }


def test_dead_store_suggests_the_name_read_later():
    analysis, _ = analysed("dead_store_did_you_mean.py")
    messages = {f.pos.line: f.message for f in analysis.findings if f.code == "NB701"}
    assert "did you mean `train` (read in cell 2)" in messages[3]
    assert "did you mean" not in messages[4]


def test_undefined_name_says_where_it_is_defined_later():
    analysis, _ = analysed("use_before_definition.py")
    messages = {f.pos.line: f.message for f in analysis.findings}
    assert messages[1].endswith("it is defined later, in cell 2")
    assert "later" not in messages[2]


def test_undefined_name_first_bound_by_its_own_statement_is_not_defined_later():
    analysis, _ = analysed("undefined_name_edges.py")
    messages = {f.pos.line: f.message for f in analysis.findings}
    assert messages[18] == "`total` is used before any cell defines it"


def test_append_on_a_list_is_not_a_removed_api():
    analysis, _ = analysed("append_list_vs_dataframe.py")
    (finding,) = [f for f in analysis.findings if f.code == "NB501"]
    assert finding.fix == "safe"  # `second` is known to be a DataFrame: the rewrite is exact


def test_columns_are_counted_in_characters():
    analysis, _ = analysed("unicode_column.py")
    cells = analysis.notebook.cells
    cols = {(f.code, f.pos.cell): f.pos.col for f in analysis.findings}
    assert cols[("NB401", 2)] == cells[1].source.split("\n")[0].index("np.random.rand") + 1 == 26
    assert cols[("NB401", 3)] == cells[2].source.split("\n")[0].index("df.sample") + 1
    assert cols[("NB201", 3)] == cells[2].source.split("\n")[0].index('"données') + 1 == 18


def test_suppressed_findings_are_gone_and_others_stay():
    analysis, _ = analysed("suppression.py")
    assert [f.pos.line for f in analysis.findings if f.code == "NB101"] == [6]


def test_magic_text_in_a_string_stays_python():
    analysis, _ = analysed("magic_text_in_string.py")
    (cell,) = analysis.notebook.cells
    assert cell.magics == () and cell.python == cell.source


def test_ipython_syntax_is_set_aside():
    analysis, _ = analysed("ipython_syntax.py")
    first, second, _ = analysis.notebook.cells
    assert [(m.kind, m.packages, m.assigns) for m in first.magics] == [
        ("shell", ("scikit-learn", "pandas"), None),
        ("shell", (), "files"),
    ]
    assert [m.kind for m in second.magics] == ["help", "line_magic"]
    assert second.python.split("\n")[6] == 'model.fit(df[["x"]], df["y"])'


def test_empty_notebook_has_no_facts():
    analysis, nb = analysed("empty_notebook.ipynb")
    assert analysis.notebook.code_cells == ()
    assert nb.facts.statements == () and analysis.inputs == () and analysis.parameters == ()
