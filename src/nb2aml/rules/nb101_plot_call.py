from .base import Rule, source_text


class PlotCall(Rule):
    """
    ## What it does
    Reports statements that only draw: matplotlib, seaborn, plotly calls, pandas `.plot` /
    `.hist` / `.boxplot`, methods of figures and axes, and IPython's `display`.

    ## Why is this bad
    A job has no screen: plotting costs compute time and pulls plotting libraries into the image.

    ## Fix safety
    Safe: the statement is removed only when nothing that is kept uses what it defines.
    """

    CODE = "NB101"
    NAME = "PlotCall"
    MESSAGE = "plotting call"
    FIX = "safe"
    VALID = ["import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df.shape)\n", "plot = [1, 2]\nplot.append(3)\nprint(plot)\n"]
    INVALID = [
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\n",
        "import seaborn as sns\nimport pandas as pd\ndf = pd.read_csv('a.csv')\nsns.histplot(df['a'])\n",
        "import pandas as pd\ndf = pd.read_csv('a.csv')\ndf.boxplot(column=['a'])\n",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title('x')\n",
    ]

    def check(self, nb):
        for s in nb.facts.statements:
            if s.role == "plot" and (s.parent is None or _parent_role(nb, s) != "plot"):
                yield self.finding(s.pos, f"plotting call `{source_text(nb.facts.notebook, s.pos, s.end)}`: nothing a job produces uses it", end=s.end)


def _parent_role(nb, statement):
    return nb.facts.statements[statement.parent].role
