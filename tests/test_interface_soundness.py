"""The job's interface is what its kept code reads, its logging respects the notebook's own MLflow
use, split steps keep process-global state, and rule selection never changes a rewrite.

Fast tests plan the job (job.yml inputs, argparse options, the script) without running it; the
differential tests (marked slow) run the notebook's code as one script and the converted job or
split pipeline with the real run machinery, and compare printed output, metrics and files.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
import yaml

from helpers import notebook_from_text
from nb2aml.api import analyze_notebook
from nb2aml.convert import plan_job
from nb2aml.refactor.policy import FixPolicy, no_fix_codes
from nb2aml.refactor.script import ConvertOptions
from nb2aml.split.assign import from_cells_option
from nb2aml.split.plan import plan_pipeline
from nb2aml.types import NotebookError


def planned(code: str, *, ignore: tuple[str, ...] = (), options: ConvertOptions = ConvertOptions(), path: str = "example.ipynb"):
    notebook = notebook_from_text(textwrap.dedent(code), path=path)
    analysis, facts = analyze_notebook(notebook, ignore=ignore)
    return plan_job(analysis, facts, Path("out"), options=_job_options(), convert=options)


def _job_options():
    from nb2aml.convert import JobOptions

    return JobOptions()


def job_inputs(plan) -> dict:
    return yaml.safe_load(plan.files["job.yml"]).get("inputs") or {}


def argparse_options(script_text: str) -> set[str]:
    """The `--name` options `parse_args` declares."""
    options = set()
    for node in ast.walk(ast.parse(script_text)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_argument":
            options.add(node.args[0].value.lstrip("-"))
    return options


def split_scripts(code: str, cells: str, options: ConvertOptions = ConvertOptions()) -> dict:
    notebook = notebook_from_text(textwrap.dedent(code))
    analysis, facts = analyze_notebook(notebook)
    plan = plan_pipeline(analysis, facts, from_cells_option(notebook, (cells,)), Path("out"), convert=options)
    return {step.name: step for step in plan.steps}


# --- 1. the interface is what kept code reads ---------------------------------------------------

STRIPPED_READERS = """\
# %%
import pandas as pd
from sklearn.linear_model import Ridge
train = pd.read_csv("data/train.csv")
pd.read_csv("data/extra.csv").head()
# %%
Ridge(alpha=0.3).fit(train[["x"]], train["y"]).coef_
# %%
model = Ridge(alpha=0.5).fit(train[["x"]], train["y"])
print(model.coef_)
"""


def test_inputs_and_parameters_read_only_by_stripped_code_are_not_in_the_job():
    plan = planned(STRIPPED_READERS)
    inputs = job_inputs(plan)
    assert set(inputs) == {"train", "alpha"}
    assert inputs["alpha"] == 0.5
    assert argparse_options(plan.script.text) == {"train", "alpha"}
    assert "args.train" in plan.script.text and "args.alpha" in plan.script.text
    notes = plan.files["README.md"].split("## Not in the job", 1)[1]
    assert "'data/extra.csv' (cell 1): no kept code reads it" in notes
    assert "parameter alpha=0.3 (cell 2): no kept code reads it" in notes and "0.5" not in notes


def test_the_summary_analysis_is_the_jobs_interface():
    plan = planned(STRIPPED_READERS)
    assert [a.name for a in plan.analysis.inputs] == ["train"]
    assert [p.value for p in plan.analysis.parameters] == [0.5]


URL_INPUT = """\
# %%
import pandas as pd
df = pd.read_csv("https://example.com/data/houses.csv")
print(df.shape)
"""


def test_a_url_input_is_wired_into_the_call_that_reads_it():
    plan = planned(URL_INPUT)
    assert job_inputs(plan) == {"houses": {"type": "uri_file", "path": "https://example.com/data/houses.csv"}}
    assert "df = pd.read_csv(args.houses)" in plan.script.text
    assert "default='https://example.com/data/houses.csv'" in plan.script.text


def test_a_url_held_in_a_variable_is_replaced_where_it_is_defined():
    plan = planned("""\
        # %%
        import pandas as pd
        url = "https://example.com/data/houses.csv"
        df = pd.read_csv(url)
        print(df.shape)
        """)
    assert "url = args.url" in plan.script.text and "https://" not in plan.script.text.split("args = parse_args()")[1]


def test_split_steps_declare_only_what_their_kept_code_reads():
    steps = split_scripts(STRIPPED_READERS, "load=1,fit=3")
    assert argparse_options(steps["load"].script.text) == {"train", "train_out"} or "extra" not in argparse_options(steps["load"].script.text)
    assert not any(i.name == "extra" for step in steps.values() for i in step.spec.inputs)
    assert [p.default for p in steps["fit"].spec.inputs if p.name == "alpha"] == [0.5]


def test_a_url_input_of_a_split_step_is_wired_into_its_reader():
    steps = split_scripts(URL_INPUT + "# %%\nprint(df['x'].sum())\n", "load=1,use=2")
    assert "df = pd.read_csv(args.houses)" in steps["load"].script.text


# --- 2. metrics: numbers kept code computes -------------------------------------------------------

PLOT_HELPER = """\
# %%
import numpy as np
import matplotlib.pyplot as plt
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
X = np.arange(20.0).reshape(10, 2)
y = X[:, 0] * 2 - X[:, 1]
model = Ridge(alpha=0.5).fit(X[:7], y[:7])
# %%
def plot_x(model, X, y):
    pred = model.predict(X)
    print("r2 in plot", round(r2_score(y, pred), 4))
    plt.scatter(y, pred)
plot_x(model, X[7:], y[7:])
# %%
def evaluate_rmse(model, X, y):
    return mean_squared_error(y, model.predict(X)) ** 0.5
rmse = evaluate_rmse(model, X[7:], y[7:])
print("rmse", round(rmse, 6))
# %%
mean_squared_error(y[7:], model.predict(X[7:]))
"""


def test_a_helper_returning_nothing_is_not_logged_as_a_metric():
    plan = planned(PLOT_HELPER)
    assert "'plot_x'" not in plan.script.text
    assert "mlflow.log_metric('evaluate_rmse', rmse)" in plan.script.text
    assert [m.name for m in plan.analysis.metrics] == ["evaluate_rmse"]


def test_a_metric_whose_computation_is_stripped_is_not_logged():
    plan = planned(PLOT_HELPER)
    assert "mean_squared_error'" not in plan.script.text
    assert "metric mean_squared_error (cell 4): its computation is not kept" in plan.files["README.md"]


# --- 3. MLflow-aware ------------------------------------------------------------------------------

OWN_RUN = """\
# %%
import mlflow
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
X = np.arange(20.0).reshape(10, 2)
y = X[:, 0] * 2 - X[:, 1] + np.sin(X[:, 0])
alpha = 0.5
# %%
with mlflow.start_run():
    model = Ridge(alpha=alpha).fit(X[:7], y[:7])
    mse = mean_squared_error(y[7:], model.predict(X[7:]))
    mlflow.log_metric("mse", mse)
    print("mse", round(mse, 6))
# %%
print("r2", round(r2_score(y[7:], model.predict(X[7:])), 6))
"""


def test_a_notebook_starting_its_own_run_gets_logging_that_never_starts_one():
    text = planned(OWN_RUN).script.text
    assert "mlflow.log_param(" not in text and "mlflow.log_metric('" not in text
    assert "log_to_run('log_param', 'alpha', args.alpha)" in text
    assert "log_to_run('log_metric', 'r2_score', r2_score_value)" in text
    assert text.count("log_metric") == 2 and "'mse'" not in text  # the notebook's own mse and r2_score: mse is not logged twice


def test_a_parameter_the_notebook_logs_itself_is_not_logged_again():
    text = planned(OWN_RUN.replace('    mlflow.log_metric("mse", mse)', '    mlflow.log_param("alpha", alpha)\n    mlflow.log_metric("mse", mse)')).script.text
    assert "log_to_run('log_param'" not in text and text.count("log_param") == 1


def test_autologged_estimator_parameters_are_not_logged_again():
    text = planned("""\
        # %%
        import mlflow
        import numpy as np
        from sklearn.linear_model import Ridge
        mlflow.sklearn.autolog()
        X = np.arange(20.0).reshape(10, 2)
        model = Ridge(alpha=0.5).fit(X, X[:, 0])
        print(model.coef_)
        """).script.text
    assert "log_param" not in text


def test_without_mlflow_in_the_notebook_logging_is_plain_fluent_mlflow():
    text = planned(STRIPPED_READERS).script.text
    assert "mlflow.log_param('alpha', args.alpha)" in text and "log_to_run" not in text


# --- 5. selection changes the report, not the rewrites --------------------------------------------

LEGACY = """\
# %%
import pandas as pd
a = pd.DataFrame({"x": [1, 2]})
b = pd.DataFrame({"x": [3]})
c = a.append(b, ignore_index=True)
print(c["x"].sum())
"""


@pytest.mark.parametrize("ignore", [(), ("NB501",), ("NB5",)])
def test_ignoring_a_rule_keeps_its_rewrite(ignore):
    plan = planned(LEGACY, ignore=ignore)
    assert "c = pd.concat([a, b], ignore_index=True)" in plan.script.text
    notebook = notebook_from_text(LEGACY)
    analysis, _ = analyze_notebook(notebook, ignore=ignore)
    assert any(f.code == "NB501" for f in analysis.findings) == (ignore == ())


def test_a_suppression_comment_keeps_the_rewrite():
    plan = planned(LEGACY.replace("ignore_index=True)", "ignore_index=True)  # nb2aml: ignore[NB501]"))
    assert "pd.concat([a, b], ignore_index=True)" in plan.script.text


def test_no_fix_turns_a_rewrite_off_and_says_so():
    plan = planned(LEGACY, options=ConvertOptions(no_fix=frozenset({"NB501"})))
    assert "c = a.append(b, ignore_index=True)" in plan.script.text
    assert "NB501 not applied (--no-fix)" in plan.files["README.md"]


def test_no_fix_of_paths_and_parameters_leaves_them_out_of_the_interface():
    plan = planned(STRIPPED_READERS, options=ConvertOptions(no_fix=frozenset({"NB201", "NB301"})))
    assert job_inputs(plan) == {}
    assert argparse_options(plan.script.text) == set()
    assert 'pd.read_csv("data/train.csv")' in plan.script.text and "Ridge(alpha=0.5)" in plan.script.text


def test_no_fix_in_split_leaves_no_unbound_variable():
    steps = split_scripts("""\
        # %%
        import pandas as pd
        path = "data/train.csv"
        # %%
        df = pd.read_csv(path)
        print(df.shape)
        """, "a=1,b=2", ConvertOptions(no_fix=frozenset({"NB201"})))
    script = steps["b"].script.text
    assert "path = " in script or "path = nb2aml_handoff.load" in script
    assert not any(i.name == "path" and i.type == "uri_file" for i in steps["b"].spec.inputs)


def test_no_fix_codes_refuses_what_it_cannot_turn_off():
    assert no_fix_codes(("nb501,NB703",)) == {"NB501", "NB703"}
    for code, message in (("NB101", "cannot be turned off"), ("NB601", "credentials"), ("NB999", "no such rewrite")):
        with pytest.raises(NotebookError, match=message):
            no_fix_codes((code,))
    assert FixPolicy(disabled=frozenset({"NB501"})).applies("NB501") is False
    assert FixPolicy().applies("NB501", "unsafe") is False and FixPolicy(unsafe=True).applies("NB501", "unsafe")


def test_no_fix_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from nb2aml.cli import main

    notebook = tmp_path / "nb.py"
    notebook.write_text(LEGACY)
    (tmp_path / "pyproject.toml").write_text('[tool.nb2aml]\nignore = ["NB501"]\n')
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(notebook), "-o", str(tmp_path / "job"), "--yes", "--no-validate"])
    assert result.exit_code == 0, result.output
    assert "pd.concat([a, b]" in (tmp_path / "job/src/nb.py").read_text()
    result = runner.invoke(main, ["split", str(notebook), "--cells", "all=1", "-o", str(tmp_path / "pipe"), "--yes", "--no-validate", "--no-fix", "NB501"])
    assert result.exit_code == 0, result.output
    assert "a.append(b" in (tmp_path / "pipe/src/all.py").read_text()
    assert "NB501 not applied (--no-fix)" in (tmp_path / "pipe/README.md").read_text()
    result = runner.invoke(main, ["convert", str(notebook), "-o", str(tmp_path / "x"), "--no-fix", "NB101"])
    assert result.exit_code == 2 and "cannot be turned off" in result.output
