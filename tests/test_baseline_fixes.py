"""verify's baseline gets its removed-API and copy-on-write fixes from the rewrite registry, under the
same policy as the job: the notebook's own run and the job are fixed alike, reporting selection never
turns a fix off, and --unsafe-fixes widens both."""

from __future__ import annotations

import textwrap

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.baseline import baseline_cells
from nb2aml.refactor.script import ConvertOptions, build_script

APPENDS = textwrap.dedent("""\
    import pandas as pd
    a = pd.DataFrame({'x': [1, 2]})
    b = pd.DataFrame({'x': [3]})
    # %%
    c = a.append(b, ignore_index=True)
    d = a.append({'x': 9}, ignore_index=True)
    print(len(c), len(d))
    """)


def _both(code: str, unsafe: bool, **analysis_options):
    analysis, nb = analyze_notebook(notebook_from_text(code), **analysis_options)
    baseline = baseline_cells(analysis, nb, {}, unsafe_fixes=unsafe)
    script = build_script(analysis, nb, ConvertOptions(unsafe_fixes=unsafe))
    job_fixes = tuple(c.description for c in script.changes if c.kind in ("NB501", "NB502"))
    return baseline, script, job_fixes


@pytest.mark.parametrize("unsafe", [False, True])
def test_the_baseline_is_fixed_exactly_as_the_job(unsafe):
    baseline, script, job_fixes = _both(APPENDS, unsafe)
    assert baseline.fixes == job_fixes and job_fixes
    code = "\n".join(c.code for c in baseline.cells)
    fixed_frames = "c = pd.concat([a, b], ignore_index=True)"
    assert fixed_frames in code and fixed_frames in script.text
    # The dict append changes behaviour (a dict is not a frame): only with --unsafe-fixes, in both.
    fixed_dict = "pd.concat([a, {'x': 9}], ignore_index=True)"
    assert (fixed_dict in code) is unsafe and (fixed_dict in script.text) is unsafe


def test_ignoring_the_rule_in_the_report_does_not_unfix_the_baseline():
    baseline, _, job_fixes = _both(APPENDS, False, ignore=("NB501",))
    assert baseline.fixes == job_fixes and len(baseline.fixes) == 1


def test_a_fix_naming_pandas_under_its_own_import_needs_no_extra_import():
    code = APPENDS.replace("import pandas as pd", "import pandas").replace("pd.", "pandas.")
    baseline, _, _ = _both(code, False)
    assert baseline.needs_pandas_as is None and baseline.imports == ()
    assert "c = pandas.concat([a, b], ignore_index=True)" in "\n".join(c.code for c in baseline.cells)
