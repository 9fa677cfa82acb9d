from ..types import Position
from .base import Example, InvalidExample, Rule


class OutOfOrderExecution(Rule):
    """
    ## What it does
    Reports code cells whose execution counts do not increase from top to bottom.

    ## Why is this bad
    The notebook's saved results came from running cells in another order than the file shows;
    a job runs them top to bottom, so its results may differ from the ones the data scientist saw.

    ## Fix safety
    No fix: rerun the notebook top to bottom and check the results.
    """

    CODE = "NB002"
    NAME = "OutOfOrderExecution"
    MESSAGE = "cell was executed out of order: results may not reproduce"
    VALID = [
        Example("# %%\na = 1\n# %%\nb = a + 1\n", execution_counts=(1, 2)),
        Example("# %%\na = 1\n# %%\nb = 2\n", execution_counts=(None, 3)),
    ]
    INVALID = [
        InvalidExample(
            """
                # %%
                a = 1
                # %%
                b = a + 1
                """,
            execution_counts=(5, 2),
            at=(2, 1, 1),
            message="cell ran as [2] after cell 1 ran as [5]: results may not reproduce top to bottom",
        ),
    ]

    def check(self, nb):
        previous = None
        for cell in nb.facts.notebook.code_cells:
            count = cell.execution_count
            if count is None:
                continue
            if previous is not None and count <= previous[1]:
                yield self.finding(
                    Position(cell.number, 1, 1),
                    f"cell ran as [{count}] after cell {previous[0]} ran as [{previous[1]}]: results may not "
                    "reproduce top to bottom",
                )
            previous = (cell.number, count)
