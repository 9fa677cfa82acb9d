from .base import Rule


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
    INVALID = ['print "hello"\n', "# %%\nx = 1\n# %%\ndef f(:\n    pass\n"]

    def check(self, nb):
        for cell, pos, message in nb.facts.parse_errors:
            yield self.finding(pos, f"cell does not parse: {message}")
