"""One rule for refusals: an undefined name blocks convert only where the job would run it."""

from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.plan.refusals import refusals

KEPT = "# %%\nimport pandas as pd\ndf = pd.read_csv('data/a.csv')\nprint(df.shape)\n"


def _refusals(text: str) -> list[str]:
    analysis, nb = analyze_notebook(notebook_from_text(text))
    return [r.message for r in refusals(analysis, nb)]


def test_an_undefined_name_in_stripped_plotting_does_not_block():
    text = KEPT + "# %%\nsales.plot()\n"
    analysis, _ = analyze_notebook(notebook_from_text(text))
    assert any(f.code == "NB702" for f in analysis.findings)  # still reported
    assert _refusals(text) == []


def test_an_undefined_name_in_kept_code_blocks_with_its_cell():
    refused = _refusals(KEPT + "# %%\nprint(total)\n")
    assert len(refused) == 1 and "cell 2" in refused[0] and "NB702" in refused[0] and "total" in refused[0]
