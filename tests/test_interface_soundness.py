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
from nb2aml.errors import ConfigError
from nb2aml.plan.job import JobOptions, plan_job
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.refactor.policy import FixPolicy, no_fix_codes
from nb2aml.refactor.script import ConvertOptions
from nb2aml.split.assign import from_cells_option


def planned(
    code: str, *, ignore: tuple[str, ...] = (), options: ConvertOptions | None = None, path: str = "example.ipynb"
):
    notebook = notebook_from_text(textwrap.dedent(code), path=path)
    analysis, facts = analyze_notebook(notebook, ignore=ignore)
    return plan_job(analysis, facts, Path("out"), options=JobOptions(), convert=options or ConvertOptions())


def job_inputs(plan) -> dict:
    return yaml.safe_load(plan.files["job.yml"]).get("inputs") or {}


def argparse_options(script_text: str) -> set[str]:
    """The `--name` options `parse_args` declares."""
    options = set()
    for node in ast.walk(ast.parse(script_text)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_argument":
            options.add(node.args[0].value.lstrip("-"))
    return options


def split_scripts(code: str, cells: str, options: ConvertOptions | None = None) -> dict:
    notebook = notebook_from_text(textwrap.dedent(code))
    analysis, facts = analyze_notebook(notebook)
    plan = plan_pipeline(
        analysis, facts, from_cells_option(notebook, (cells,)), Path("out"), convert=options or ConvertOptions()
    )
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
    assert argparse_options(steps["load"].script.text) == {"train", "train_out"} or "extra" not in argparse_options(
        steps["load"].script.text
    )
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
    assert (
        text.count("log_metric") == 2 and "'mse'" not in text
    )  # the notebook's own mse and r2_score: mse is not logged twice


def test_a_parameter_the_notebook_logs_itself_is_not_logged_again():
    text = planned(
        OWN_RUN.replace(
            '    mlflow.log_metric("mse", mse)',
            '    mlflow.log_param("alpha", alpha)\n    mlflow.log_metric("mse", mse)',
        )
    ).script.text
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


def test_the_notebooks_experiment_becomes_the_jobs_and_its_placement_calls_are_left_out():
    plan = planned(
        OWN_RUN.replace(
            "alpha = 0.5", 'alpha = 0.5\nmlflow.set_experiment("houses")\nmlflow.set_tracking_uri("file:./mlruns")'
        )
    )
    assert yaml.safe_load(plan.files["job.yml"])["experiment_name"] == "houses"
    assert "set_experiment" not in plan.script.text and "set_tracking_uri" not in plan.script.text
    assert "removed mlflow.set_experiment(...) at line 8: Azure ML sets the job's experiment" in plan.files["README.md"]
    steps = split_scripts(OWN_RUN.replace("alpha = 0.5", 'alpha = 0.5\nmlflow.set_experiment("houses")'), "a=1,b=2,c=3")
    assert not any("set_experiment" in step.script.text for step in steps.values())


def test_without_mlflow_in_the_notebook_logging_is_plain_fluent_mlflow():
    text = planned(STRIPPED_READERS).script.text
    assert "mlflow.log_param('alpha', args.alpha)" in text and "log_to_run" not in text


# --- 4. split keeps process-global state ---------------------------------------------------------

GLOBAL_STATE = """\
# %%
import os
import sys
import random
import warnings
import numpy as np
import pandas as pd
import sklearn
SEED = 7
np.random.seed(42)
random.seed(SEED)
warnings.filterwarnings("ignore")
pd.set_option("display.precision", 2)
pd.options.display.max_columns = 3
os.environ["NB_MODE"] = "fast"
sys.path.append("lib")
sklearn.set_config(assume_finite=True)
data = np.arange(10)
# %%
print(np.random.permutation(data))
# %%
print(random.random(), os.environ["NB_MODE"])
"""

GLOBAL_LINES = [
    "np.random.seed(42)",
    "random.seed(SEED)",
    'warnings.filterwarnings("ignore")',
    'pd.set_option("display.precision", 2)',
    "pd.options.display.max_columns = 3",
    'os.environ["NB_MODE"] = "fast"',
    'sys.path.append("lib")',
    "sklearn.set_config(assume_finite=True)",
]


def test_process_global_statements_are_copied_in_order_into_every_later_step():
    steps = split_scripts(GLOBAL_STATE, "a=1,b=2,c=3")
    for name in ("b", "c"):
        text = steps[name].script.text
        positions = [text.index(line) for line in GLOBAL_LINES]
        assert positions == sorted(positions), name
        # The seed's constant comes along; a module is never handed over.
        assert "SEED = 7" in text and "nb2aml_handoff.load(args.os)" not in text
        assert text.index("np.random.seed(42)") < text.index("print(")
    assert not any(argument in ("os", "np", "random", "SEED") for argument, _ in steps["a"].saves)


def test_the_plan_names_the_copies_and_warns_when_steps_share_a_generator():
    notebook = notebook_from_text(textwrap.dedent(GLOBAL_STATE))
    analysis, facts = analyze_notebook(notebook)
    plan = plan_pipeline(analysis, facts, from_cells_option(notebook, ("a=1,b=2,c=3",)), Path("out"))
    assert "step b runs `np.random.seed(42)` again (cell 1): process-global state" in plan.notes
    assert 'step c runs `os.environ["NB_MODE"] = "fast"` again (cell 1): process-global state' in plan.notes
    assert not any("draw from" in note for note in plan.notes)  # b draws from numpy's, c from random's
    assert "step b runs `np.random.seed(42)` again" in plan.files["README.md"]
    shared = split_plan_notes(
        "# %%\nimport numpy as np\nnp.random.seed(1)\na = np.random.rand(2)\n# %%\nprint(a, np.random.rand(2))\n",
        "x=1,y=2",
    )
    # y draws where x left numpy's generator: x hands its state over, and y does not run the seed again.
    assert "step y continues numpy.random's global generator where step x left it" in " ".join(shared)
    assert not any("draw from" in note or "runs `np.random.seed(1)` again" in note for note in shared)


def split_plan_notes(code: str, cells: str) -> tuple[str, ...]:
    notebook = notebook_from_text(code)
    analysis, facts = analyze_notebook(notebook)
    return plan_pipeline(analysis, facts, from_cells_option(notebook, (cells,)), Path("out")).notes


def test_a_pandas_option_set_on_the_module_is_kept_by_the_job():
    text = planned(GLOBAL_STATE).script.text
    assert "pd.options.display.max_columns = 3" in text


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
    steps = split_scripts(
        """\
        # %%
        import pandas as pd
        path = "data/train.csv"
        # %%
        df = pd.read_csv(path)
        print(df.shape)
        """,
        "a=1,b=2",
        ConvertOptions(no_fix=frozenset({"NB201"})),
    )
    script = steps["b"].script.text
    assert "path = " in script or "path = nb2aml_handoff.load" in script
    assert not any(i.name == "path" and i.type == "uri_file" for i in steps["b"].spec.inputs)


def test_no_fix_codes_refuses_what_it_cannot_turn_off():
    assert no_fix_codes(("nb501,NB703",)) == {"NB501", "NB703"}
    for code, message in (("NB101", "cannot be turned off"), ("NB601", "credentials"), ("NB999", "no such rewrite")):
        with pytest.raises(ConfigError, match=message):  # a bad option, not a bad notebook
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
    result = runner.invoke(
        main,
        [
            "split",
            str(notebook),
            "--cells",
            "all=1",
            "-o",
            str(tmp_path / "pipe"),
            "--yes",
            "--no-validate",
            "--no-fix",
            "NB501",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "a.append(b" in (tmp_path / "pipe/src/all.py").read_text()
    assert "NB501 not applied (--no-fix)" in (tmp_path / "pipe/README.md").read_text()
    result = runner.invoke(main, ["convert", str(notebook), "-o", str(tmp_path / "x"), "--no-fix", "NB101"])
    assert result.exit_code == 2 and "cannot be turned off" in result.output


# --- differential: the notebook's code as one script against the job and the pipeline ---------------


def _write_notebook(folder: Path, code: str, data: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (data or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    notebook = folder / "nb.py"
    notebook.write_text(textwrap.dedent(code))
    return notebook


def _quiet_env(tmp: Path) -> dict[str, str]:
    return {"PYTHONWARNINGS": "ignore", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}


def run_notebook_script(notebook: Path, tmp: Path, *, mlflow_store: bool = False):
    """The notebook's code as one script, in its own folder: (printed lines, returncode, stderr)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, **_quiet_env(tmp))
    if mlflow_store:
        from nb2aml.run.local import default_tracking_uri

        env["MLFLOW_TRACKING_URI"] = default_tracking_uri(tmp / "notebook_store")
    done = subprocess.run(
        [sys.executable, notebook.name],
        check=False,
        cwd=notebook.parent,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    return done.stdout.splitlines(), done.returncode, done.stderr


def convert(notebook: Path, out: Path, *extra: str) -> None:
    from click.testing import CliRunner

    from nb2aml.cli import main

    result = CliRunner().invoke(main, ["convert", str(notebook), "-o", str(out), "--yes", "--no-validate", *extra])
    assert result.exit_code == 0, result.output


def split(notebook: Path, out: Path, cells: str, *extra: str) -> None:
    from click.testing import CliRunner

    from nb2aml.cli import main

    result = CliRunner().invoke(
        main, ["split", str(notebook), "--cells", cells, "-o", str(out), "--yes", "--no-validate", *extra]
    )
    assert result.exit_code == 0, result.output


def run_converted(folder: Path, tmp: Path, **options):
    """Run a job or a pipeline with `nb2aml run`'s machinery: (result, printed lines in step order)."""
    from nb2aml.run.folder import run_folder

    lines: list[str] = []
    result = run_folder(folder, stream=lines.append, env_extra=_quiet_env(tmp), parallel=1, **options)
    if len(result.steps) == 1 and not (folder / "pipeline.yml").exists():
        return result, lines
    by_step: dict[str, list[str]] = {}
    for line in lines:
        step, _, text = line.partition("] ")
        by_step.setdefault(step.lstrip("["), []).append(text)
    order = [step.name for step in result.steps]
    import yaml as _yaml

    declared = list(_yaml.safe_load((folder / "pipeline.yml").read_text())["jobs"])
    order = sorted(order, key=declared.index)
    return result, [line for step in order for line in by_step.get(step, [])]


def every_boundary(notebook: Path) -> str:
    """`--cells` splitting at every boundary between cells that keep code: one step per such cell."""
    from nb2aml.api import analyze_path

    analysis, _ = analyze_path(notebook)
    cells = [c.cell for c in analysis.cells if c.kind == "code" and c.action != "strip"]
    return ",".join(f"s{n}={n}" for n in cells)


def output_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


TRAIN_CSV = "x,y\n" + "".join(f"{i},{2 * i + (i % 3)}\n" for i in range(12))
EXTRA_CSV = "x\n1\n"

DIFF_STRIPPED = """\
# %%
import pandas as pd
from sklearn.linear_model import Ridge
train = pd.read_csv("data/train.csv")
pd.read_csv("data/extra.csv").head()
# %%
Ridge(alpha=0.3).fit(train[["x"]], train["y"]).coef_
# %%
model = Ridge(alpha=0.5).fit(train[["x"]], train["y"])
print("coef", [round(c, 9) for c in model.coef_])
model_frame = pd.DataFrame({"coef": model.coef_})
model_frame.to_csv("outputs/coef.csv", index=False)
"""


@pytest.mark.slow
def test_differential_stripped_readers_leave_the_interface(tmp_path):
    notebook = _write_notebook(
        tmp_path / "nb", DIFF_STRIPPED, {"data/train.csv": TRAIN_CSV, "data/extra.csv": EXTRA_CSV, "outputs/.keep": ""}
    )
    expected, code, err = run_notebook_script(notebook, tmp_path)
    assert code == 0, err
    convert(notebook, tmp_path / "job")
    assert set(yaml.safe_load((tmp_path / "job/job.yml").read_text())["inputs"]) == {"train", "alpha"}
    result, printed = run_converted(tmp_path / "job", tmp_path)
    assert result.succeeded and printed == expected
    (step,) = result.steps
    assert step.params == {"alpha": "0.5"}
    assert output_files(Path(step.outputs["outputs"])) == {
        "coef.csv": (notebook.parent / "outputs/coef.csv").read_bytes()
    }
    split(notebook, tmp_path / "pipe", every_boundary(notebook))
    result, printed = run_converted(tmp_path / "pipe", tmp_path)
    assert result.succeeded and printed == expected
    assert not any(
        i.startswith("extra") for i in yaml.safe_load((tmp_path / "pipe/pipeline.yml").read_text())["inputs"]
    )


DIFF_URL = """\
# %%
import pandas as pd
df = pd.read_csv("{url}")
# %%
print("rows", len(df), "sum", int(df["y"].sum()))
"""


@pytest.mark.slow
def test_differential_a_url_input_is_what_the_job_reads(tmp_path):
    data = tmp_path / "remote" / "train.csv"
    data.parent.mkdir()
    data.write_text(TRAIN_CSV)
    notebook = _write_notebook(tmp_path / "nb", DIFF_URL.format(url=data.as_uri()))
    expected, code, err = run_notebook_script(notebook, tmp_path)
    assert code == 0, err
    convert(notebook, tmp_path / "job")
    assert yaml.safe_load((tmp_path / "job/job.yml").read_text())["inputs"]["train"]["path"] == data.as_uri()
    # Azure ML hands the job a local copy of the URL: the job must read what it is given.
    result, printed = run_converted(tmp_path / "job", tmp_path, inputs={"train": str(data)})
    assert result.succeeded and printed == expected
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("x,y\n1,5\n")
    result, printed = run_converted(tmp_path / "job", tmp_path, inputs={"train": str(smaller)})
    assert result.succeeded and printed == ["rows 1 sum 5"]
    split(notebook, tmp_path / "pipe", every_boundary(notebook))
    result, printed = run_converted(tmp_path / "pipe", tmp_path, inputs={"train": str(data)})
    assert result.succeeded and printed == expected


DIFF_METRICS = PLOT_HELPER.replace(
    "# %%\nmean_squared_error",
    "# %%\nprint('mse', round(float(mean_squared_error(y[7:], model.predict(X[7:]))), 9))\n# %%\nmean_squared_error",
)


@pytest.mark.slow
def test_differential_only_numbers_kept_code_computes_are_metrics(tmp_path):
    notebook = _write_notebook(tmp_path / "nb", DIFF_METRICS)
    expected, code, err = run_notebook_script(notebook, tmp_path)
    assert code == 0, err
    printed_values = {
        line.split()[0]: float(line.split()[-1]) for line in expected if line.split()[0] in ("rmse", "mse")
    }
    convert(notebook, tmp_path / "job")
    result, printed = run_converted(tmp_path / "job", tmp_path)
    assert result.succeeded, result.steps[0].error
    assert printed == expected
    metrics = result.steps[0].metrics
    assert set(metrics) == {"evaluate_rmse", "mse"}  # no plot_x; the bare cell-end mean_squared_error is not computed
    assert round(metrics["evaluate_rmse"], 6) == printed_values["rmse"]
    assert round(metrics["mse"], 9) == printed_values["mse"]


DIFF_BARE_RUN = """\
# %%
import mlflow
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
X = np.arange(20.0).reshape(10, 2)
y = X[:, 0] * 2 - X[:, 1] + np.sin(X[:, 0])
alpha = 0.5
print("before the run", round(r2_score(y, X[:, 0]), 6))
mlflow.set_experiment("houses")
mlflow.start_run()
mlflow.log_param("features", 2)
# %%
model = Ridge(alpha=alpha).fit(X[:7], y[:7])
print("mse", round(mean_squared_error(y[7:], model.predict(X[7:])), 6))
mlflow.end_run()
"""

DIFF_AUTOLOG = """\
# %%
import mlflow
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
mlflow.sklearn.autolog(log_models=False, log_datasets=False)
X = np.arange(20.0).reshape(10, 2)
y = X[:, 0] * 2 - X[:, 1] + np.sin(X[:, 0])
model = Ridge(alpha=0.5, fit_intercept=True).fit(X[:7], y[:7])
print("r2", round(r2_score(y[7:], model.predict(X[7:])), 6))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "code", [OWN_RUN, DIFF_BARE_RUN, DIFF_AUTOLOG], ids=["with-start-run", "bare-start-run", "autolog"]
)
def test_differential_notebooks_using_mlflow_run_in_their_own_run(tmp_path, code):
    notebook = _write_notebook(tmp_path / "nb", code)
    expected, returncode, err = run_notebook_script(notebook, tmp_path, mlflow_store=True)
    assert returncode == 0, err
    convert(notebook, tmp_path / "job")
    result, printed = run_converted(tmp_path / "job", tmp_path)
    assert result.succeeded, result.steps[0].error
    assert [line for line in printed if not line.startswith("2")] == expected  # MLflow may log a dated line
    step = result.steps[0]
    assert step.params.get("alpha") == "0.5"
    for line in expected:
        name, value = line.rsplit(" ", 1)
        logged = {"mse": "mse", "r2": "r2_score"}.get(name)
        if logged in step.metrics:
            assert round(step.metrics[logged], 6) == float(value)
    split(notebook, tmp_path / "pipe", every_boundary(notebook))
    result, printed = run_converted(tmp_path / "pipe", tmp_path)
    assert result.succeeded, [s.error for s in result.steps]
    assert [line for line in printed if not line.startswith("2")] == expected


DIFF_GLOBAL_STATE = """\
# %%
import os
import random
import warnings
import numpy as np
import pandas as pd
SEED = 7
np.random.seed(42)
random.seed(3)
warnings.filterwarnings("ignore")
pd.set_option("display.precision", 2)
pd.options.display.max_columns = 3
os.environ["NB_MODE"] = "fast"
data = np.arange(10)
# %%
perm = np.random.permutation(data)
print("perm", perm.tolist(), random.randint(0, 1000), os.environ["NB_MODE"])
np.random.seed(SEED)
# %%
frame = pd.DataFrame(np.random.rand(2, 5) * 100, columns=list("abcde"))
print(frame)
frame.to_csv("outputs/frame.csv")
"""


@pytest.mark.slow
def test_differential_split_keeps_process_global_state(tmp_path):
    notebook = _write_notebook(tmp_path / "nb", DIFF_GLOBAL_STATE, {"outputs/.keep": ""})
    expected, code, err = run_notebook_script(notebook, tmp_path)
    assert code == 0, err
    split(notebook, tmp_path / "pipe", every_boundary(notebook))
    result, printed = run_converted(tmp_path / "pipe", tmp_path)
    assert result.succeeded, [s.error for s in result.steps]
    assert printed == expected
    written = {name: folder for step in result.steps for name, folder in step.outputs.items() if name == "outputs"}
    assert output_files(Path(written["outputs"])) == {"frame.csv": (notebook.parent / "outputs/frame.csv").read_bytes()}
    convert(notebook, tmp_path / "job")
    result, printed = run_converted(tmp_path / "job", tmp_path)
    assert result.succeeded and printed == expected


@pytest.mark.slow
def test_differential_ignoring_nb501_still_gives_a_job_that_runs(tmp_path):
    import pandas as pd

    notebook = _write_notebook(tmp_path / "nb", LEGACY, {"pyproject.toml": '[tool.nb2aml]\nignore = ["NB501"]\n'})
    printed, code, err = run_notebook_script(notebook, tmp_path)
    if int(pd.__version__.split(".")[0]) >= 2:
        assert code != 0 and "append" in err  # the notebook's own code needs the rewrite on pandas 2
    fixed = pd.concat([pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [3]})], ignore_index=True)
    convert(notebook, tmp_path / "job")
    result, printed = run_converted(tmp_path / "job", tmp_path)
    assert result.succeeded and printed == [str(fixed["x"].sum())]
    split(notebook, tmp_path / "pipe", every_boundary(notebook))
    result, printed = run_converted(tmp_path / "pipe", tmp_path)
    assert result.succeeded and printed == [str(fixed["x"].sum())]


@pytest.mark.slow
def test_verify_compares_what_a_notebook_logs_itself_under_its_own_names(tmp_path):
    from nb2aml.verify import verify_command

    notebook = _write_notebook(tmp_path / "nb", OWN_RUN)
    convert(notebook, tmp_path / "job")
    assert verify_command(notebook, tmp_path / "job", fmt="json") == 0
    assert sorted(p.name for p in notebook.parent.iterdir()) == [
        "nb.py"
    ]  # the notebook's MLflow store is not left beside it
