from .base import InvalidExample, Rule, source_text


class ExplorationExpression(Rule):
    """
    ## What it does
    Reports expressions whose result is only shown: `df.head()`, `.describe()`, `.info()`,
    `.shape`, `.value_counts()`, `.isnull().sum()`, a bare name at the end of a cell.

    ## Why is this bad
    In a script the value is computed and thrown away: it costs time on full data and tells nobody
    anything. Use `print` (kept as a log) for what should stay visible.

    ## Fix safety
    Safe: only expressions without side effects are reported (no `inplace=True`, no unknown calls).
    """

    CODE = "NB102"
    NAME = "ExplorationExpression"
    MESSAGE = "exploration expression whose result is only shown"
    FIX = "safe"
    VALID = [
        "import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df.head())\n",
        "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.dropna(inplace=True)\nprint(df)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('a.csv')
                df.head()
                """,
            at=(1, 3, 1),
            message="`df.head()` is only displayed",
            fixed="""
                import pandas as pd
                df = pd.read_csv('a.csv')
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('a.csv')
                df.isnull().sum()
                """,
            at=(1, 3, 1),
            message="`df.isnull().sum()` is only displayed",
            fixed="""
                import pandas as pd
                df = pd.read_csv('a.csv')
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('a.csv')
                df.shape
                """,
            at=(1, 3, 1),
            message="`df.shape` is only displayed",
            fixed="""
                import pandas as pd
                df = pd.read_csv('a.csv')
                """,
        ),
        InvalidExample(
            """
                x = 1
                x
                """,
            at=(1, 2, 1),
            message="`x` is only displayed",
            fixed="""
                x = 1
                """,
        ),
    ]

    def check(self, nb):
        for s in nb.facts.statements:
            if s.role == "explore" and (s.parent is None or nb.facts.statements[s.parent].role != "explore"):
                yield self.finding(
                    s.pos, f"`{source_text(nb.facts.notebook, s.pos, s.end)}` is only displayed", end=s.end
                )
