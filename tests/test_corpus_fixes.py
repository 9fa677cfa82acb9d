"""Causes found by the real-notebook corpus (issue 12), each pinned by a fast test."""

from __future__ import annotations

from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.script import build_script
from nb2aml.split.assign import from_headings


def test_headings_without_ascii_letters_get_a_numbered_name_and_accents_are_dropped():
    notebook = notebook_from_text(
        "# %% [markdown]\n# # 糖尿病データセット\n# %%\nx = 1\n"
        "# %% [markdown]\n# ## Données préparées\n# %%\nprint(x)\n"
    )
    assignment = from_headings(notebook, level=2)
    assert assignment.order == ("step_1", "donnees_preparees")
    assert assignment.cells[2] == "step_1" and assignment.cells[4] == "donnees_preparees"


def test_lines_drawn_in_a_loop_stay_when_the_figure_is_saved_and_logged():
    # mlflow_elasticnet_diabetes: the saved figure is an artifact; drawing it empty changes the file.
    notebook = notebook_from_text(
        "# %%\nimport matplotlib.pyplot as plt\nimport mlflow\n"
        "# %%\nfig = plt.figure(1)\nfor k in range(3):\n    line = plt.plot([0, 1], [k, k + 1])\n"
        "plt.xlabel('x')\nfig.savefig('paths.png')\n"
        "# %%\nmlflow.log_artifact('paths.png')\n"
    )
    analysis, facts = analyze_notebook(notebook)
    script = build_script(analysis, facts).text
    assert "plt.plot([0, 1], [k, k + 1])" in script
    # The figure is written into an output folder, and logged from there (a read-back of what it wrote).
    assert "fig.savefig(os.path.join(args.paths, 'paths.png'))" in script
    assert "mlflow.log_artifact(os.path.join(args.paths, 'paths.png'))" in script


def test_a_file_named_by_a_variable_written_and_read_back_stays_a_file_inside_the_output():
    # ml4b_web_app_ufos: the output folder itself cannot be opened as a file, and the read-back is
    # of what the run wrote (not an input the job must be given).
    notebook = notebook_from_text(
        "# %%\nimport pickle\nmodel = {'a': 1}\nmodel_filename = 'ufo-model.pkl'\n"
        "pickle.dump(model, open(model_filename, 'wb'))\n"
        "# %%\nmodel = pickle.load(open('ufo-model.pkl', 'rb'))\nprint(model)\n"
    )
    analysis, facts = analyze_notebook(notebook)
    assert not analysis.inputs
    (output,) = analysis.outputs
    assert (output.path, output.members) == (".", ("ufo-model.pkl",))
    text = build_script(analysis, facts).text
    assert f"model_filename = os.path.join(args.{output.name}, 'ufo-model.pkl')" in text
    assert f"pickle.load(open(os.path.join(args.{output.name}, 'ufo-model.pkl'), 'rb'))" in text


def test_the_job_experiment_is_not_the_one_the_notebook_creates_itself():
    # mlflow_quickstart_demo1: the job's experiment (named after the notebook) exists before the
    # script runs, so the script's `create_experiment` of the same name failed with "already exists".
    from nb2aml.refactor.mlflow_logging import experiment_apart_from_created

    notebook = notebook_from_text(
        "# %%\nimport mlflow\nexperiment_id = mlflow.create_experiment('demo_runs')\n"
        "with mlflow.start_run(experiment_id=experiment_id):\n    mlflow.log_metric('m', 1.0)\n"
    )
    _, facts = analyze_notebook(notebook)
    assert experiment_apart_from_created(facts.facts, facts.kept, "demo_runs") == "demo_runs_job"
    assert experiment_apart_from_created(facts.facts, facts.kept, "other") == "other"


def test_an_earlier_unseeded_fit_stays_when_a_later_unseeded_fit_is_kept():
    # kaggle_ml_tut4_validation: an unseeded tree's fit draws from numpy's global generator, so
    # dropping the first (in-sample) fit changed what the kept second fit drew and its metric.
    notebook = notebook_from_text(
        "# %%\nfrom sklearn.tree import DecisionTreeRegressor\nX, y = [[0], [1], [2]], [0, 1, 2]\n"
        "model = DecisionTreeRegressor()\nmodel.fit(X, y)\n"
        "# %%\nmodel = DecisionTreeRegressor()\nmodel.fit(X, y)\nprint(model.predict(X))\n"
    )
    analysis, facts = analyze_notebook(notebook)
    fits = [s for s in facts.facts.statements if s.kind == "Expr" and "random" in s.state]
    assert len(fits) == 2 and all(s.id in facts.kept for s in fits)
