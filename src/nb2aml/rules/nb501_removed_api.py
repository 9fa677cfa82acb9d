from ..analysis import knowledge as K
from .base import Rule


class RemovedApi(Rule):
    """
    ## What it does
    Reports APIs that current libraries removed: `DataFrame.append` / `Series.append` and
    `.iteritems()` (pandas 2), `np.float` / `np.int` / `np.bool` / `np.object` (NumPy 1.24),
    `sklearn.externals.joblib` (scikit-learn 0.23). Decided by the receiver's inferred type, so
    `lst.append(x)` on a list is not reported.

    ## Why is this bad
    The notebook ran on old libraries; the job's environment will not have them, and the code fails.

    ## Fix safety
    Safe where the rewrite is exact: `a.append(b, ignore_index=True)` -> `pd.concat([a, b],
    ignore_index=True)` when `b` is a DataFrame or Series, `np.float` -> `float`,
    `.iteritems()` -> `.items()`, `from sklearn.externals import joblib` -> `import joblib`.
    Appending a dict or a list of rows is reported with an unsafe fix.
    """

    CODE = "NB501"
    NAME = "RemovedApi"
    MESSAGE = "API removed in current libraries"
    SEVERITY = "error"
    FIX = "safe"
    VALID = [
        "rows = []\nrows.append(1)\nprint(rows)\n",
        "import pandas as pd\na = pd.DataFrame()\nb = pd.DataFrame()\nc = pd.concat([a, b])\n",
        "import numpy as np\nx = np.float64(1)\n",
    ]
    INVALID = [
        "import pandas as pd\na = pd.read_csv('a.csv')\nb = pd.read_csv('b.csv')\nc = a.append(b, ignore_index=True)\n",
        "import numpy as np\nimport pandas as pd\ndf = pd.read_csv('a.csv')\ndf = df.astype(np.float)\n",
        "from sklearn.externals import joblib\n",
        "import pandas as pd\ndf = pd.read_csv('a.csv')\nfor k, v in df.iteritems():\n    print(k)\n",
    ]

    def check(self, nb):
        types = nb.facts.types
        for _, call in nb.facts.calls:
            if call.receiver_type != "pandas" or call.method not in ("append", "iteritems"):
                continue
            if call.method == "iteritems":
                yield self.finding(call.pos, "`.iteritems()` was removed in pandas 2: use `.items()`", end=call.end)
                continue
            argument = call.arg_names[0] if len(call.arg_names) == 1 else None
            exact = argument is not None and types.get(argument) == "pandas" and set(call.keyword_names) <= {"ignore_index", "sort"}
            yield self.finding(
                call.pos,
                "`DataFrame.append` was removed in pandas 2: use `pd.concat([...])`" + ("" if exact else " (argument is not known to be a DataFrame: check the rewrite)"),
                end=call.end, fix="safe" if exact else "unsafe",
            )
        for _, qual, pos, end in nb.facts.references:
            replacement = K.REMOVED_ATTRIBUTES[qual]
            yield self.finding(pos, f"`{qual.replace('numpy', 'np')}` was removed in NumPy 1.24: use `{replacement}`", end=end)
        for s in nb.facts.statements:
            for name, qual in s.imports:
                if qual in K.REMOVED_IMPORTS:
                    yield self.finding(s.pos, f"`{qual}` was removed from scikit-learn: import `{K.REMOVED_IMPORTS[qual]}` directly", end=s.end)
