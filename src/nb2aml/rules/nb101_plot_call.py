from .base import InvalidExample, Rule, source_text


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
    VALID = [
        "import pandas as pd\ndf = pd.read_csv('a.csv')\nprint(df.shape)\n",
        "plot = [1, 2]\nplot.append(3)\nprint(plot)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                import matplotlib.pyplot as plt
                plt.plot([1, 2])
                """,
            at=(1, 2, 1),
            message="plotting call `plt.plot([1, 2])`: nothing a job produces uses it",
            fixed="""
                import matplotlib.pyplot as plt
                """,
        ),
        InvalidExample(
            """
                import seaborn as sns
                import pandas as pd
                df = pd.read_csv('a.csv')
                sns.histplot(df['a'])
                """,
            at=(1, 4, 1),
            message="plotting call `sns.histplot(df['a'])`: nothing a job produces uses it",
            fixed="""
                import seaborn as sns
                import pandas as pd
                df = pd.read_csv('a.csv')
                """,
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('a.csv')
                df.boxplot(column=['a'])
                """,
            at=(1, 3, 1),
            message="plotting call `df.boxplot(column=['a'])`: nothing a job produces uses it",
            fixed="""
                import pandas as pd
                df = pd.read_csv('a.csv')
                """,
        ),
        InvalidExample(
            """
                import matplotlib.pyplot as plt
                fig, ax = plt.subplots()
                ax.set_title('x')
                """,
            at=(1, 2, 1),
            message="plotting call `fig, ax = plt.subplots()`: nothing a job produces uses it",
            fixed="""
                import matplotlib.pyplot as plt
                """,
        ),
    ]

    def check(self, nb):
        for s in nb.facts.statements:
            if s.role == "plot" and (s.parent is None or _parent_role(nb, s) != "plot"):
                yield self.finding(
                    s.pos,
                    f"plotting call `{source_text(nb.facts.notebook, s.pos, s.end)}`: nothing a job produces uses it",
                    end=s.end,
                )


def _parent_role(nb, statement):
    return nb.facts.statements[statement.parent].role
