"""`mlflow.log_artifact(path)` reads a file, `savefig(path)` writes one (mlflow_quickstart_demo1, issue 12).

A path the notebook logs as an artifact is an input of the job (or, when the notebook wrote it a moment
before, a read-back of an output), never a literal left pointing beside the notebook.
"""

from __future__ import annotations

from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.script import build_script

LOGGED_DATA = (
    "# %%\nimport pandas as pd\nimport mlflow\n"
    "# %%\ndata = pd.read_csv('./wine-quality.csv')\nmlflow.log_metric('rows', len(data))\n"
    "# %%\nmlflow.log_artifact('./wine-quality.csv', 'raw_data')\n"
    "# %%\nmlflow.log_artifacts('reports')\n"
)


def test_a_logged_artifact_is_an_input_and_its_literal_becomes_the_argument():
    analysis, facts = analyze_notebook(notebook_from_text(LOGGED_DATA))
    by_path = {a.path: a for a in analysis.inputs}
    assert {"./wine-quality.csv", "reports"} <= set(by_path)
    assert "mlflow.log_artifact" in {c for a in analysis.inputs for c in a.calls}
    assert by_path["reports"].type == "uri_folder"  # log_artifacts logs a folder
    script = build_script(analysis, facts).text
    assert "'./wine-quality.csv'" not in script.split("def parse_args", 1)[1].split("args = parse_args()", 1)[1]
    assert "mlflow.log_artifact(args." in script and "'raw_data')" in script
    assert "mlflow.log_artifacts(args.reports)" in script


def test_logging_an_artifact_is_kept_reading_it_is_not_the_whole_effect():
    # A read alone is pure; `log_artifact` also logs, so the job must keep it.
    analysis, facts = analyze_notebook(notebook_from_text(LOGGED_DATA))
    assert not any(f.code == "NB102" and f.pos.cell == 3 for f in analysis.findings)
    assert "mlflow.log_artifact(" in build_script(analysis, facts).text


def test_a_figure_saved_then_logged_is_written_to_an_output_and_read_back_from_it():
    notebook = notebook_from_text(
        "# %%\nimport matplotlib.pyplot as plt\nimport mlflow\n"
        "# %%\nfig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\nfig.savefig('curve.png')\n"
        "plt.savefig('curve2.png')\n"
        "# %%\nmlflow.log_artifact('curve.png')\nmlflow.log_artifact('curve2.png', 'plots')\n"
    )
    analysis, facts = analyze_notebook(notebook)
    assert not analysis.inputs  # nothing the job must be given: it writes the figures itself
    outputs = {a.name: a for a in analysis.outputs}
    assert set(outputs) == {"curve", "curve2"}
    assert all(a.reads for a in outputs.values())  # each read back by log_artifact
    script = build_script(analysis, facts).text
    assert "fig.savefig(os.path.join(args.curve, 'curve.png'))" in script
    assert "mlflow.log_artifact(os.path.join(args.curve, 'curve.png'))" in script
    assert "plt.savefig(os.path.join(args.curve2, 'curve2.png'))" in script
    assert "mlflow.log_artifact(os.path.join(args.curve2, 'curve2.png'), 'plots')" in script
