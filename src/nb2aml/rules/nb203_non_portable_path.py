import re

from .base import InvalidExample, Rule

_NON_PORTABLE = re.compile(r"^(/|~|[A-Za-z]:[\\/]|\\\\)")


class NonPortablePath(Rule):
    """
    ## What it does
    Reports an absolute, home-directory (`~`) or Windows drive path used for reading or writing.

    ## Why is this bad
    The path exists on the data scientist's machine only: on a cluster node it does not.

    ## Fix safety
    No automatic fix beyond NB201/NB202: the input or output keeps the path as its local default,
    which must be replaced by a datastore URI (`--data-uri`) before the job runs in the cloud.
    """

    CODE = "NB203"
    NAME = "NonPortablePath"
    MESSAGE = "absolute, home-directory or Windows drive path"
    VALID = ["import pandas as pd\ndf = pd.read_csv('data/train.csv')\n"]
    INVALID = [
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('/home/ana/data/train.csv')
                """,
            at=(1, 2, 18),
            message="path '/home/ana/data/train.csv' will not exist on a cluster",
        ),
        InvalidExample(
            r"""
                import pandas as pd
                df = pd.read_csv(r'C:\Users\ana\train.csv')
                """,
            at=(1, 2, 18),
            message="path 'C:\\Users\\ana\\train.csv' will not exist on a cluster",
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('~/data/train.csv')
                """,
            at=(1, 2, 18),
            message="path '~/data/train.csv' will not exist on a cluster",
        ),
    ]

    def check(self, nb):
        seen = set()
        for _, use in nb.facts.paths:
            if use.literal_pos in seen or not _NON_PORTABLE.match(use.literal_value):
                continue
            seen.add(use.literal_pos)
            yield self.finding(use.literal_pos, f"path '{use.literal_value}' will not exist on a cluster")
