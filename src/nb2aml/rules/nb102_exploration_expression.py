from .base import Rule, source_text


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
    VALID = ["import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df.head())\n", "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.dropna(inplace=True)\nprint(df)\n"]
    INVALID = [
        "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.head()\n",
        "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.isnull().sum()\n",
        "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.shape\n",
        "x = 1\nx\n",
    ]

    def check(self, nb):
        for s in nb.facts.statements:
            if s.role == "explore" and (s.parent is None or nb.facts.statements[s.parent].role != "explore"):
                yield self.finding(s.pos, f"`{source_text(nb.facts.notebook, s.pos, s.end)}` is only displayed", end=s.end)
