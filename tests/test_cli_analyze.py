"""`nb2aml analyze`, `nb2aml rules`, `--help` and `--version` as a user runs them."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nb2aml import __version__
from nb2aml.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
NYC = EXAMPLES / "nyc_taxi" / "notebook.ipynb"
CHURN = EXAMPLES / "churn" / "notebook.ipynb"

NOTEBOOK = """# %%
import pandas as pd
import matplotlib.pyplot as plt
df = pd.read_csv("data/train.csv")
# %%
plt.plot(df["a"])
# %%
both = df.append(df)
print(both.shape)
"""


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _json(*args):
    result = run("analyze", "--format", "json", *args)
    return result, json.loads(result.stdout)


# --- exit codes and formats -----------------------------------------------------------------------


def test_exit_codes():
    assert run("analyze", NYC).exit_code == 1  # DataFrame.append: an error
    assert run("analyze", CHURN).exit_code == 0  # warnings only
    assert run("analyze", EXAMPLES / "missing.ipynb").exit_code == 2


def test_text_report():
    result = run("analyze", NYC)
    out = result.stdout
    assert "Refactoring plan" in out and "Job interface" in out
    assert f"{NYC}:cell 16:1:15" in out.replace("\n", "")  # rich may wrap long lines
    assert "NB501" in out and "raw_data" in out and "learning_rate" in out


def test_text_report_prints_code_with_brackets_as_written():
    # rich would read `[column]` as a markup tag and drop it.
    case = Path(__file__).parent / "notebooks" / "analyze" / "plot_in_loop.py"
    result = run("analyze", case)
    assert result.exit_code == 0
    assert "plotting call `plt.hist(df[column])`" in result.stdout


def test_json_document_shape():
    result, doc = _json(NYC)
    assert result.exit_code == 1
    assert set(doc) == {
        "schema_version",
        "notebook",
        "python_version",
        "cells",
        "findings",
        "inputs",
        "outputs",
        "parameters",
        "metrics",
        "requirements",
    }
    assert doc["schema_version"] == 1 and doc["notebook"] == str(NYC) and doc["python_version"] == "3.8"
    assert all(set(c) == {"cell", "kind", "action", "why", "rules", "kept_unknown"} for c in doc["cells"])
    assert {c["action"] for c in doc["cells"]} == {"keep", "strip", "partial"}
    assert [c["cell"] for c in doc["cells"]] == list(range(1, len(doc["cells"]) + 1))
    for f in doc["findings"]:
        assert set(f) == {"code", "name", "severity", "cell", "line", "col", "message", "fix", "location"}
        assert f["location"] == f"{NYC}:cell {f['cell']}:{f['line']}:{f['col']}"
        assert f["fix"] in ("safe", "unsafe", "none") and f["severity"] in ("error", "warning")
    append = next(f for f in doc["findings"] if f["code"] == "NB501")
    assert (append["cell"], append["line"], append["col"], append["name"]) == (16, 1, 15, "RemovedApi")
    asset_keys = {"name", "path", "type", "cell", "variable", "calls"}
    assert doc["inputs"] == [
        {
            "name": "raw_data",
            "path": "./data/",
            "type": "uri_folder",
            "cell": 4,
            "variable": "raw_data",
            "calls": ["os.listdir", "pandas.read_csv"],
        }
    ]
    assert all(set(o) == asset_keys and o["type"] == "uri_folder" for o in doc["outputs"])
    assert doc["outputs"][0]["name"] == "model_output" and doc["outputs"][0]["calls"] == ["os.mkdir", "builtins.open"]
    assert {"name": "learning_rate", "value": 0.1, "type": "number", "cell": 30, "origin": "variable"} in doc[
        "parameters"
    ]
    assert all(p["type"] in ("integer", "number", "string", "boolean") for p in doc["parameters"])
    assert {
        "name": "r2_score",
        "cell": 36,
        "function": "sklearn.metrics.r2_score",
        "printed": True,
        "logged": False,
    } in doc["metrics"]
    assert isinstance(doc["requirements"], list)
    for r in doc["requirements"]:
        assert set(r) == {"name", "version", "source", "imported_as"}


def test_sarif_document():
    result = run("analyze", "--format", "sarif", NYC)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    (sarif_run,) = doc["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "nb2aml" and driver["version"] == __version__
    rule_ids = {r["id"] for r in driver["rules"]}
    assert len(rule_ids) >= 15
    results = sarif_run["results"]
    _, plain = _json(NYC)
    assert len(results) == len(plain["findings"])
    for r in results:
        assert r["ruleId"] in rule_ids and r["level"] in ("error", "warning") and r["message"]["text"]
        (location,) = r["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == str(NYC)
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert location["logicalLocations"][0]["name"] == f"cell {r['properties']['cell']}"


# --- selection -------------------------------------------------------------------------------------


def _codes(doc):
    return {f["code"] for f in doc["findings"]}


def test_select_and_ignore_take_prefixes():
    _, everything = _json(NYC)
    assert _codes(everything) >= {"NB101", "NB102", "NB201", "NB501"}
    result, doc = _json(NYC, "--select", "NB1")
    assert _codes(doc) == {"NB101", "NB102"} and result.exit_code == 0
    result, doc = _json(NYC, "--select", "nb501,NB2")
    assert _codes(doc) == {"NB501", "NB201", "NB202"} and result.exit_code == 1
    result, doc = _json(NYC, "--select", "NB5", "--select", "NB7")
    assert _codes(doc) == {"NB501", "NB703"}
    result, doc = _json(NYC, "--ignore", "NB1", "--ignore", "NB501")
    assert _codes(doc) == _codes(everything) - {"NB101", "NB102", "NB501"} and result.exit_code == 0
    result, doc = _json(NYC, "--select", "NB1", "--ignore", "NB102")
    assert _codes(doc) == {"NB101"}


def test_pyproject_in_a_parent_folder_changes_the_selection(tmp_path):
    folder = tmp_path / "project" / "notebooks"
    folder.mkdir(parents=True)
    notebook = folder / "nb.py"
    notebook.write_text(NOTEBOOK, encoding="utf-8")
    _, before = _json(notebook)
    assert _codes(before) == {"NB101", "NB201", "NB501", "NB703"}
    (tmp_path / "project" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.nb2aml]\nselect = ["NB1", "NB5"]\nignore = ["NB501"]\n'
    )
    result, after = _json(notebook)
    assert _codes(after) == {"NB101"} and result.exit_code == 0
    # The command line wins over the file.
    _, explicit = _json(notebook, "--select", "NB2")
    assert _codes(explicit) == {"NB201"}


def test_pyproject_without_the_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.nb2aml]\nselect = ["NB2"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "inner"\n')
    (inner / "nb.py").write_text(NOTEBOOK, encoding="utf-8")
    _, doc = _json(inner / "nb.py")
    assert _codes(doc) == {"NB201"}


def test_unreadable_pyproject_is_an_input_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.nb2aml\nselect = 3\n")
    (tmp_path / "nb.py").write_text(NOTEBOOK, encoding="utf-8")
    result = run("analyze", tmp_path / "nb.py")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "pyproject.toml" in result.stderr


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("empty.ipynb", b""),
        ("truncated.ipynb", b'{"nbformat": 4, "cells": ['),
        ("list.ipynb", b"[]"),
        ("v5.ipynb", b'{"nbformat": 5, "cells": []}'),
        ("latin1.ipynb", '{"x": "café"}'.encode("latin-1")),
        ("cell.ipynb", b'{"nbformat": 4, "metadata": {}, "cells": ["x = 1"]}'),
        ("missing.ipynb", None),
        ("folder.ipynb", "dir"),
    ],
)
def test_bad_input_is_one_line_on_stderr(tmp_path, name, data):
    path = tmp_path / name
    if data == "dir":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    for fmt in ("text", "json"):
        result = run("analyze", "--format", fmt, path)
        assert result.exit_code == 2
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"nb2aml: error: {path}")
        assert "Traceback" not in result.output


def test_the_notebook_is_not_modified(tmp_path):
    copy = tmp_path / "notebook.ipynb"
    shutil.copy(NYC, copy)
    percent = tmp_path / "nb.py"
    percent.write_text(NOTEBOOK, encoding="utf-8")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (NYC, copy, percent)}
    listing = sorted(p.name for p in tmp_path.iterdir())
    for path in (NYC, copy, percent):
        for fmt in ("text", "json", "sarif"):
            run("analyze", "--format", fmt, path)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # nothing written beside it


def test_console_script_in_a_subprocess(tmp_path):
    script = Path(sys.executable).with_name("nb2aml")
    if not script.exists():
        found = shutil.which("nb2aml")
        if found is None:
            pytest.skip("the nb2aml console script is not installed")
        script = Path(found)
    ok = subprocess.run(
        [str(script), "analyze", "--format", "json", str(NYC)], capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 1
    assert json.loads(ok.stdout)["findings"]
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    failed = subprocess.run([str(script), "analyze", str(bad)], capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.count("\n") == 1 and str(bad) in failed.stderr and "Traceback" not in failed.stderr


# --- rules, help, version -------------------------------------------------------------------------


def test_rules_lists_every_rule():
    from nb2aml.rules import all_rules

    result = run("rules")
    assert result.exit_code == 0
    codes = [rule.CODE for rule in all_rules()]
    assert len(codes) >= 15
    for code in codes:
        assert code in result.stdout


def test_rules_explains_one():
    result = run("rules", "NB501")
    assert result.exit_code == 0
    assert "RemovedApi" in result.stdout and "What it does" in result.stdout and "pd.concat" in result.stdout
    assert run("rules", "nb501").stdout == result.stdout
    assert run("rules", "RemovedApi").exit_code == 0


def test_unknown_rule_is_an_error():
    result = run("rules", "NB999")
    assert result.exit_code == 2
    assert result.stderr.strip() == "nb2aml: error: no rule 'NB999'; `nb2aml rules` lists them"


def test_help_on_every_command():
    result = run("--help")
    assert result.exit_code == 0 and "analyze" in result.stdout and "rules" in result.stdout
    assert run("-h").stdout == result.stdout
    for name in main.commands:
        sub = run(name, "--help")
        assert sub.exit_code == 0, name
        assert f"Usage: main {name}" in sub.stdout or f"{name} [OPTIONS]" in sub.stdout
    analyze_help = run("analyze", "--help").stdout
    for option in ("--format", "--select", "--ignore", "--strip-prints"):
        assert option in analyze_help


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nb2aml, version {__version__}"
