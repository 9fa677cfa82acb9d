from __future__ import annotations

from dataclasses import replace

from ..analysis.cow import find_cow_traps
from ..analysis.versions import parse
from .base import InvalidExample, Rule


class CopyOnWriteTrap(Rule):
    """
    ## What it does
    Reports pandas code that changes a DataFrame through a column it selected first: chained
    assignment (`df[c][mask] = v`, `df[c].loc[mask] = v`) and a chained in-place call
    (`df[c].fillna(x, inplace=True)`). Only receivers the analysis knows to be DataFrames count.

    ## Why is this bad
    Before pandas 3 both changed `df` (with a warning since 1.5). Under copy-on-write, the only
    mode of pandas 3, `df[c]` is a copy: the statement changes nothing and the job silently
    computes other numbers than the notebook. An error when the pandas here (or the pinned one)
    is 3.0 or newer, a warning otherwise.

    ## Fix safety
    Safe: `df.loc[mask, c] = v` and `df[c] = df[c].fillna(x)` change `df` the way the notebook's
    pandas did, on every version. Slices, several columns and in-place methods that change the
    length (`dropna`, `drop_duplicates`) have no rewrite.
    """

    CODE = "NB502"
    NAME = "CopyOnWriteTrap"
    MESSAGE = "chained assignment or chained inplace=True: changes nothing under pandas copy-on-write"
    SEVERITY = "error"
    FIX = "safe"
    VALID = [
        "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None]})\ndf['a'] = df['a'].fillna(0)\nprint(df)\n",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\ndf.loc[df['a'] > 1, 'a'] = 0\nprint(df)\n",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, None]})\ndf.fillna(0, inplace=True)\nprint(df)\n",
        "rows = {'a': [1, 2]}\nrows['a'][0] = 5\nprint(rows)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                import pandas as pd
                df = pd.DataFrame({'a': [1.0, None]})
                df['a'].fillna(0, inplace=True)
                print(df)
                """,
            at=(1, 3, 1),
            message=(
                "chained inplace=True `df['a'].fillna(0, inplace=True)` changes nothing under pandas copy-"
                "on-write: write `df['a'] = df['a'].fillna(0)`"
            ),
            fixed="""
                import pandas as pd
                df = pd.DataFrame({'a': [1.0, None]})
                df['a'] = df['a'].fillna(0)
                print(df)
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.DataFrame({'a': [1, 2]})
                df['a'][df['a'] > 1] = 0
                print(df)
                """,
            at=(1, 3, 1),
            message=(
                "chained assignment `df['a'][df['a'] > 1] = 0` changes nothing under pandas copy-on-write: "
                "write `df.loc[df['a'] > 1, 'a'] = 0`"
            ),
            fixed="""
                import pandas as pd
                df = pd.DataFrame({'a': [1, 2]})
                df.loc[df['a'] > 1, 'a'] = 0
                print(df)
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.DataFrame({'age': [1.0, None]})
                df.age.fillna(df.age.mean(), inplace=True)
                print(df)
                """,
            at=(1, 3, 1),
            message=(
                "chained inplace=True `df.age.fillna(df.age.mean(), inplace=True)` changes nothing under "
                "pandas copy-on-write: write `df['age'] = df.age.fillna(df.age.mean())`"
            ),
            fixed="""
                import pandas as pd
                df = pd.DataFrame({'age': [1.0, None]})
                df['age'] = df.age.fillna(df.age.mean())
                print(df)
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.DataFrame({'a': [1, 2]})
                df['a'].loc[0] += 1
                print(df)
                """,
            at=(1, 3, 1),
            message=(
                "chained assignment `df['a'].loc[0] += 1` changes nothing under pandas copy-on-write: write"
                " `df.loc[0, 'a'] += 1`"
            ),
            fixed="""
                import pandas as pd
                df = pd.DataFrame({'a': [1, 2]})
                df.loc[0, 'a'] += 1
                print(df)
                """,
        ),
    ]

    def check(self, nb):
        copy_on_write = any(
            (parse(v) or parse("0")) >= parse("3.0")
            for v in (nb.versions.pinned("pandas"), nb.versions.here_or_latest("pandas"))
            if v
        )
        for trap in find_cow_traps(nb.facts):
            what = "chained assignment" if trap.kind == "chained_assignment" else "chained inplace=True"
            fix = f": write `{trap.fixed}`" if trap.fixed else ": assign the result to the column instead"
            finding = self.finding(
                trap.pos,
                f"{what} `{_short(trap.written)}` changes nothing under pandas copy-on-write{fix}",
                end=trap.end,
                fix="safe" if trap.fixed else "none",
            )
            yield finding if copy_on_write else replace(finding, severity="warning")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
