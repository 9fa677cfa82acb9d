from ..analysis.imports import live_reads
from .base import InvalidExample, Rule


class UnusedImport(Rule):
    """
    ## What it does
    Reports an imported name that no statement reads once plotting and exploration are stripped
    (`import matplotlib.pyplot as plt` in a notebook whose only plots are removed), or at all.

    ## Why is this bad
    Every import the job keeps is a package its image must install: unused ones make the image
    bigger and slower to build, and can break the build when they do not install.

    ## Fix safety
    Safe: `convert` drops the import and the requirement.
    """

    CODE = "NB703"
    NAME = "UnusedImport"
    MESSAGE = "import unused once plotting and exploration are stripped"
    FIX = "safe"
    VALID = ["import os\nprint(os.getcwd())\n", "from pathlib import Path\np = Path('a')\nprint(p)\n"]
    INVALID = [
        InvalidExample(
            """
                import matplotlib.pyplot as plt
                import pandas as pd
                df = pd.read_csv('a.csv')
                plt.plot(df['a'])
                print(df)
                """,
            at=(1, 1, 1),
            message=(
                "`plt` (matplotlib.pyplot) is unused once plotting and exploration are stripped: only "
                "plotting or exploration uses it"
            ),
            fixed="""
                import pandas as pd
                df = pd.read_csv('a.csv')
                plt.plot(df['a'])
                print(df)
                """,
        ),
        InvalidExample(
            """
                import json
                x = 1
                print(x)
                """,
            at=(1, 1, 1),
            message="`json` (json) is unused once plotting and exploration are stripped: nothing uses it",
            fixed="""
                x = 1
                print(x)
                """,
        ),
    ]

    def check(self, nb):
        statements = nb.facts.statements
        live = live_reads(nb)
        all_reads: set[str] = set()
        by_id = {s.id: s for s in statements}
        unused_reads: set[str] = set()  # read by statements dropped because nothing kept needs them
        for s in statements:
            all_reads |= s.reads
            if s.role not in ("plot", "explore"):
                unused_reads |= _own_reads(by_id, s)
        for s in statements:
            if s.depth != 0 or s.kind not in ("Import", "ImportFrom"):
                continue
            for name, qual in s.imports:
                if name in live:
                    continue
                if name not in all_reads:
                    why = "nothing uses it"
                elif name in unused_reads:
                    why = "only code whose result nothing uses reads it"
                else:
                    why = "only plotting or exploration uses it"
                yield self.finding(
                    s.pos, f"`{name}` ({qual}) is unused once plotting and exploration are stripped: {why}", end=s.end
                )


def _own_reads(by_id, statement):
    """What a statement reads itself: a compound statement's header, not its body."""
    reads = set(statement.reads)
    for cid in statement.children:
        reads -= by_id[cid].reads
    return reads
