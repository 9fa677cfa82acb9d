"""NB501 reads the notebook's own modules the job ships into src/, reports at the module's file and
line (naming the cell that imports it), and fixes the shipped copy, never the user's file."""

from __future__ import annotations

from pathlib import Path

import nbformat

from nb2aml.api import analyze_path
from nb2aml.plan.job import plan_job
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.refactor.script import ConvertOptions
from nb2aml.report.sarif import sarif_document
from nb2aml.split.assign import from_cells_option

HELPER = (
    "from sklearn.externals import six\n"
    "from sklearn.datasets.samples_generator import make_blobs\n\n\n"
    "def name():\n"
    "    return six.text_type('x') + str(make_blobs(random_state=0)[0].shape)\n"
)


def _project(folder: Path, cells: tuple[str, ...] = ("import numpy as np", "import helper\nprint(helper.name())")):
    (folder / "helper.py").write_text(HELPER)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = folder / "nb.ipynb"
    nbformat.write(notebook, str(path))
    return path


def _module_findings(path: Path):
    analysis, nb = analyze_path(path)
    return analysis, nb, [f for f in analysis.findings if f.code == "NB501"]


def test_findings_name_the_module_file_its_line_and_the_importing_cell(tmp_path):
    path = _project(tmp_path)
    _, _, findings = _module_findings(path)
    assert [(f.pos.file, f.pos.line, f.pos.cell) for f in findings] == [("helper.py", 1, 2), ("helper.py", 2, 2)]
    six, samples = findings
    assert six.fix == "unsafe" and samples.fix == "safe"
    assert samples.pos.render(str(path)) == f"{tmp_path / 'helper.py'}:2:1 (imported by {path}:cell 2)"


def test_a_suppression_comment_in_the_cell_does_not_hide_the_module_lines(tmp_path):
    # Line 1 of cell 2 carries the comment; the module's line 1 is another line altogether.
    path = _project(tmp_path, ("import numpy as np", "import helper  # nb2aml: ignore[NB501]\nprint(helper.name())"))
    _, _, findings = _module_findings(path)
    assert {f.pos.line for f in findings} == {1, 2}


def test_a_module_the_notebook_does_not_import_is_not_read(tmp_path):
    path = _project(tmp_path, ("import numpy as np\nprint(np.zeros(2))",))
    assert _module_findings(path)[2] == []


def test_convert_fixes_the_shipped_copy_safely_and_leaves_the_users_file(tmp_path):
    path = _project(tmp_path)
    analysis, nb, _ = _module_findings(path)
    plan = plan_job(analysis, nb, tmp_path / "out")
    shipped = plan.files["src/helper.py"]
    assert "from sklearn.datasets import make_blobs" in shipped
    assert "from sklearn.externals import six" in shipped  # unsafe: needs --unsafe-fixes
    assert (tmp_path / "helper.py").read_text() == HELPER
    assert (
        "cell 2: sklearn.datasets.samples_generator -> from sklearn.datasets import make_blobs at line 2 of "
        "src/helper.py" in plan.files["README.md"]
    )


def test_unsafe_fixes_and_no_fix_reach_the_shipped_copy(tmp_path):
    path = _project(tmp_path)
    analysis, nb, _ = _module_findings(path)
    unsafe = plan_job(analysis, nb, tmp_path / "out", convert=ConvertOptions(unsafe_fixes=True))
    assert unsafe.files["src/helper.py"].startswith("import six\nfrom sklearn.datasets import make_blobs\n")
    untouched = plan_job(analysis, nb, tmp_path / "out", convert=ConvertOptions(no_fix=frozenset({"NB501"})))
    assert untouched.files["src/helper.py"] == HELPER


def test_split_fixes_the_copy_every_component_shares(tmp_path):
    path = _project(tmp_path, ("import helper\nname = helper.name()\nprint(name)", "print(len(name))"))
    analysis, nb, _ = _module_findings(path)
    plan = plan_pipeline(analysis, nb, from_cells_option(analysis.notebook, ("a=1,b=2",)), tmp_path / "out")
    assert "from sklearn.datasets import make_blobs\n" in plan.files["src/helper.py"]
    assert any("at line 2 of src/helper.py" in note for note in plan.notes)
    assert (tmp_path / "helper.py").read_text() == HELPER


def test_sarif_locates_a_module_finding_in_the_module_file(tmp_path):
    path = _project(tmp_path)
    analysis, _, _ = _module_findings(path)
    results = sarif_document(analysis)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results if r["ruleId"] == "NB501"}
    assert uris == {str(tmp_path / "helper.py")}
