from __future__ import annotations

from dataclasses import replace

from ..analysis.api_uses import ApiUse, find_api_uses, shipped_module_api_uses
from ..analysis.catalogue import RemovedApi as CatalogueEntry
from ..analysis.catalogue import by_key, catalogue
from ..analysis.versions import LibraryVersions, verdict
from ..types import Finding, Position
from .base import Example, InvalidExample, Rule


class RemovedApi(Rule):
    """
    ## What it does
    Reports APIs that pandas, NumPy, scikit-learn, matplotlib, seaborn, XGBoost, LightGBM and
    statsmodels removed or changed (`DataFrame.append`, `np.float`, `sklearn.cross_validation`,
    `LinearRegression(normalize=True)`, `RFE(model, 10)`, `plt.style.use('seaborn-whitegrid')`,
    `boxplot(labels=...)`, `sns.factorplot`, `groupby(...).mean()` over text columns, ...): a
    catalogue of entries (`nb2aml.analysis.catalogue`), each with the release that removed it.
    Methods are decided by the receiver's inferred type, so `lst.append(x)` on a list is not reported.
    The notebook's own modules that the job ships into `src/` (`import helper` of a `helper.py`
    beside it) are read too: such a finding names the module's file and line and the cell that
    imports it (`helper.py:1:1 (imported by nb.ipynb:cell 2)`).

    ## Why is this bad
    The notebook ran on old libraries. The job runs twice: here (`nb2aml run`, `nb2aml verify`)
    on the installed libraries, and on Azure ML on the data scientist's pinned versions (the
    requirements file beside the notebook). Each use is checked against both: it is reported as
    an error when either version no longer has it, and the message says which ("removed in pandas
    2.0: your pinned 1.3.3 still has it, the pandas 3.1 here does not"). A library that is not
    installed here counts as its newest release. An API only deprecated so far is a warning, and
    so is a change whose effect depends on the data (`groupby(...).mean()` fails only on text columns).

    ## Fix safety
    Safe where the rewrite means the same on the old and the new version, so the fixed job still
    runs on the pinned environment: `a.append(b)` -> `pd.concat([a, b])` when `b` is a
    DataFrame, `np.float` -> `float`, `'precision'` -> `'display.precision'`, `RFE(m, 10)` ->
    `RFE(m, n_features_to_select=10)`, `from sklearn.cross_validation import train_test_split`
    -> `sklearn.model_selection`. A rewrite whose replacement is newer than the pinned version
    (`boxplot(tick_labels=...)` needs matplotlib 3.9) needs `--unsafe-fixes`, as do rewrites that
    change meaning (`normalize=True` -> a `StandardScaler` pipeline). Some have no rewrite.
    In a shipped module the fix is applied to the job's copy, never to the data scientist's file.
    """

    CODE = "NB501"
    NAME = "RemovedApi"
    MESSAGE = "API removed or changed in the libraries the job runs with"
    SEVERITY = "error"
    FIX = "safe"
    VALID = [
        "rows = []\nrows.append(1)\nprint(rows)\n",
        "import pandas as pd\na = pd.DataFrame()\nb = pd.DataFrame()\nc = pd.concat([a, b])\n",
        "import numpy as np\nx = np.float64(1)\n",
        *(Example(entry.valid, pins=((entry.library, entry.removed_in),)) for entry in catalogue()),
    ]
    INVALID = [
        InvalidExample(
            "import pandas as pd\na = pd.read_csv('a.csv')\nb = pd.read_csv('b.csv')\n"
            "c = a.append(b, ignore_index=True)\nprint(c)\n",
            at=(1, 4, 5),
            message="`DataFrame.append` was removed: use `pd.concat([...])` (removed in pandas 2.0 (N here))",
            fixed="import pandas as pd\na = pd.read_csv('a.csv')\nb = pd.read_csv('b.csv')\n"
            "c = pd.concat([a, b], ignore_index=True)\nprint(c)\n",
        ),
        InvalidExample(
            "import numpy as np\nimport pandas as pd\ndf = pd.read_csv('a.csv')\ndf = df.astype(np.float)\nprint(df)\n",
            at=(1, 4, 16),
            message="`np.float` was removed: use `float` (removed in numpy 1.24 (N here))",
            fixed="import numpy as np\nimport pandas as pd\ndf = pd.read_csv('a.csv')\n"
            "df = df.astype(float)\nprint(df)\n",
        ),
        # Pinned to the release that removed it: reported whatever is installed here.
        *(Example(entry.invalid, pins=((entry.library, entry.removed_in),)) for entry in catalogue()),
    ]

    def check(self, nb):
        entries = by_key()
        # The notebook's cells, then the modules of its own that the job ships into src/.
        for use in find_api_uses(nb.facts) + shipped_module_api_uses(nb.facts):
            finding = removed_api_finding(self, entries[use.key], use, nb.versions)
            if finding is not None:
                yield finding


def removed_api_finding(rule: Rule, entry: CatalogueEntry, use: ApiUse, versions: LibraryVersions) -> Finding | None:
    """The finding for one use, or None when neither version the job meets is affected."""
    where = verdict(
        versions, entry.library, entry.removed_in, entry.replacement_since, entry.deprecated_in, entry.restored_in
    )
    fix = use.fix or entry.fix
    notes = [use.note] if use.note else []
    if fix == "safe" and not where.replacement_everywhere:
        fix = "unsafe"
        notes.append(
            f"the rewrite needs {entry.library}>={entry.replacement_since}, newer than your pinned {where.pinned}"
        )
    if where.reported:
        verb = "changed" if entry.changed else "removed"
        detail = where.words(entry.library, entry.removed_in, verb)
        # A change whose effect depends on the data (text columns in a groupby mean) may be harmless.
        severity = "warning" if entry.changed else "error"
    elif where.deprecated_here:
        detail = f"deprecated since {entry.library} {entry.deprecated_in}, removed in {entry.removed_in}"
        severity = "warning"
    else:
        return None
    message = f"{entry.message} ({detail})" + "".join(f"; {note}" for note in notes)
    finding = rule.finding(use.pos, message, end=use.end, fix=fix)
    return finding if severity == "error" else replace(finding, severity="warning")


def removed_where_the_job_runs(nb) -> frozenset[Position]:
    """Where the notebook's cells use an API with no fix that the job's own versions lack: the freeze's
    pin when the data scientist gave one, else the version installed here (what the job is pinned to).
    A job keeping such a use fails at once, so it blocks like an undefined name (`plan.refusals`)."""
    entries = by_key()
    found = set()
    for use in find_api_uses(nb.facts):
        entry = entries[use.key]
        if (use.fix or entry.fix) != "none" or entry.changed:
            continue
        where = verdict(
            nb.versions,
            entry.library,
            entry.removed_in,
            entry.replacement_since,
            entry.deprecated_in,
            entry.restored_in,
        )
        if where.removed_pinned if where.pinned is not None else where.removed_here:
            found.add(use.pos)
    return frozenset(found)
