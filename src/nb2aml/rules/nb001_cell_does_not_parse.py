from .base import InvalidExample, Rule


class CellDoesNotParse(Rule):
    """
    ## What it does
    Reports a code cell that is not valid Python once IPython magics, shell escapes and help
    queries are set aside (Python 2 `print "x"`, a half-typed line, a stray merge marker).

    ## Why is this bad
    The cell cannot be analysed or converted: whatever it did is missing from the job. The other
    cells are still analysed.

    ## Fix safety
    No fix: only the author knows what the cell was meant to say.
    """

    CODE = "NB001"
    NAME = "CellDoesNotParse"
    MESSAGE = "cell does not parse"
    SEVERITY = "error"
    VALID = ["%matplotlib inline\nx = 1\n", "!pip install pandas\nimport pandas as pd\n"]
    INVALID = [
        InvalidExample(
            """
                print "hello"
                """,
            at=(1, 1, 1),
            message="cell does not parse: Missing parentheses in call to 'print'. Did you mean print(...)?",
        ),
        InvalidExample(
            """
                # %%
                x = 1
                # %%
                def f(:
                    pass
                """,
            at=(2, 1, 7),
            message="cell does not parse: invalid syntax",
        ),
    ]

    def check(self, nb):
        for _cell, pos, message in nb.facts.parse_errors:
            yield self.finding(pos, f"cell does not parse: {message}")
