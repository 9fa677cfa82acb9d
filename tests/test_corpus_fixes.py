"""What the notebook corpus found, pinned down as fast tests: analysis, script and step planning
without running anything (tests/test_corpus.py runs the real thing)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import notebook_from_text
from nb2aml.api import analyze_notebook
from nb2aml.refactor.baseline import baseline_cells
from nb2aml.refactor.script import ConvertOptions, build_script
from nb2aml.split.assign import from_cells_option
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.verify.compare import compare_folders


def analysed(code: str):
    return analyze_notebook(notebook_from_text(textwrap.dedent(code)))


def script(code: str) -> str:
    analysis, facts = analysed(code)
    return build_script(analysis, facts, ConvertOptions()).text


def steps(code: str, cells: str) -> dict[str, str]:
    analysis, facts = analysed(code)
    plan = plan_pipeline(analysis, facts, from_cells_option(analysis.notebook, (cells,)), Path("out"))
    return {step.name: step.script.text for step in plan.steps}


# --- files ------------------------------------------------------------------------------------------


def test_a_file_written_in_the_working_folder_is_an_output_folder():
    code = """\
    # %%
    import pandas as pd
    sub = pd.DataFrame({"a": [1]})
    sub.to_csv("submission.csv", index=False)
    """
    analysis, _ = analysed(code)
    (output,) = analysis.outputs
    assert (output.name, output.path, output.members) == ("submission", ".", ("submission.csv",))
    assert "sub.to_csv(os.path.join(args.submission, 'submission.csv'), index=False)" in script(code)


def test_f_string_paths_keep_what_varies():
    code = """\
    # %%
    import pandas as pd
    year = 2023
    sales = pd.read_csv(f"data/sales_{year}.csv")
    sales.to_csv(f"forecast_{year}.csv")
    """
    analysis, facts = analysed(code)
    assert [(a.name, a.path, a.type) for a in analysis.inputs] == [("data", "data", "uri_folder")]
    assert [(a.name, a.path) for a in analysis.outputs] == [("forecast", ".")]
    text = script(code)
    assert 'sales = pd.read_csv(f"{args.data}/sales_{year}.csv")' in text
    assert 'sales.to_csv(f"{args.forecast}/forecast_{year}.csv")' in text
    # The baseline writes the same file into the folder verify compares.
    baseline = baseline_cells(analysis, facts, {"forecast": "/tmp/out/forecast"})
    assert 'sales.to_csv(f"/tmp/out/forecast/forecast_{year}.csv")' in baseline.cells[0].code


def test_a_path_passed_to_a_notebook_function_is_an_input():
    code = """\
    # %%
    import pandas as pd
    def load_data(path):
        return pd.read_csv(path)
    def load_all(path):
        return load_data(path)
    # %%
    raw = load_all("data/insurance.csv")
    print(raw.shape)
    """
    analysis, _ = analysed(code)
    assert [(a.name, a.path, a.calls) for a in analysis.inputs] == [("insurance", "data/insurance.csv", ("pandas.read_csv",))]
    assert "raw = load_all(args.insurance)" in script(code)


def test_an_estimator_saving_itself_is_kept_and_is_an_output():
    code = """\
    # %%
    import os
    import xgboost as xgb
    model = xgb.XGBRegressor(n_estimators=5)
    model.fit([[1], [2]], [1, 2])
    os.makedirs("outputs", exist_ok=True)
    model.save_model("outputs/model.json")
    """
    analysis, _ = analysed(code)
    assert [a.name for a in analysis.outputs] == ["outputs"]
    assert "model.save_model(os.path.join(args.outputs, 'model.json'))" in script(code)


# --- metrics ----------------------------------------------------------------------------------------


def test_a_helper_returning_two_metrics_logs_each_name():
    code = """\
    # %%
    from sklearn.metrics import mean_absolute_error, r2_score
    def evaluate(model, X, y):
        pred = model.predict(X)
        return mean_absolute_error(y, pred), r2_score(y, pred)
    # %%
    mae, r2 = evaluate(model, X_test, y_test)
    print(f"MAE: {mae:.1f}")
    """
    analysis, facts = analysed(code)
    assert [(m.name, m.variable, m.printed) for m in analysis.metrics] == [("mae", "mae", True), ("r2", "r2", False)]
    assert "mae, r2 = evaluate(model, X_test, y_test)\nmlflow.log_metric('mae', mae)\nmlflow.log_metric('r2', r2)\n" in script(code)
    baseline = baseline_cells(analysis, facts, {})
    assert "__nb2aml_record__('mae', mae)" in baseline.cells[-1].code


def test_cross_val_score_logs_the_mean_of_the_folds():
    code = """\
    # %%
    from sklearn.model_selection import cross_val_score
    from sklearn.linear_model import LogisticRegression
    scores = cross_val_score(LogisticRegression(), X, y, cv=5)
    print("CV accuracy: %.3f" % scores.mean())
    print("again:", cross_val_score(LogisticRegression(), X, y, cv=3).mean())
    """
    text = script(code)
    assert "scores = cross_val_score(LogisticRegression(), X, y, cv=5)\nmlflow.log_metric('scores', scores.mean())" in text
    # `.mean()` chained on the call starts where the call does: only the call is hoisted.
    assert "again_value = cross_val_score(LogisticRegression(), X, y, cv=3)\nmlflow.log_metric('again', again_value.mean())\n" \
        'print("again:", again_value.mean())' in text


# --- pipeline steps ---------------------------------------------------------------------------------


CLASS_NOTEBOOK = """\
# %% [markdown]
# # Churn
# %%
import pandas as pd
class Builder:
    def fit(self, frame):
        self.mean_ = frame["a"].mean()
        return self
    def transform(self, frame):
        return frame["a"] - self.mean_
df = pd.read_csv("data/customers.csv")
# %%
builder = Builder().fit(df)
X = builder.transform(df)
# %%
print("mean:", X.mean(), builder.mean_)
"""


def test_an_instance_handed_to_a_later_step_comes_with_its_class():
    texts = steps(CLASS_NOTEBOOK, "prep=1,fit=3,report=4")
    report = texts["report"]
    # The class is defined before the handed-over instance is unpickled.
    assert report.index("class Builder:") < report.index("builder = nb2aml_handoff.load(args.builder)")
    assert report.index("builder = nb2aml_handoff.load(args.builder)") < report.index('print("mean:"')
    fit = texts["fit"]
    assert fit.index("class Builder:") < fit.index("df = nb2aml_handoff.load(args.df)") < fit.index("builder = Builder().fit(df)")


def test_a_step_fixed_with_pd_concat_imports_pandas():
    code = """\
    # %%
    import pandas as pd
    a = pd.read_csv("a.csv")
    b = pd.read_csv("b.csv")
    # %%
    c = a.append(b, ignore_index=True)
    print(len(c))
    """
    combine = steps(code, "load=1,combine=2")["combine"]
    assert "import pandas as pd\n" in combine and "c = pd.concat([a, b], ignore_index=True)" in combine


# --- verify -----------------------------------------------------------------------------------------


def test_a_json_file_that_is_no_table_is_compared_by_presence(tmp_path):
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "model.json").write_text('{"learner": {"trees": [1, 2]}, "version": [3, 2]}')
    (comparison,) = compare_folders("outputs", tmp_path / "a", tmp_path / "b")
    assert comparison.match and comparison.how == "present"
