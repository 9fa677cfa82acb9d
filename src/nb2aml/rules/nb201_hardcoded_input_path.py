from .base import InvalidExample, Rule


class HardcodedInputPath(Rule):
    """
    ## What it does
    Reports a path literal the notebook reads data from (`pd.read_csv`, `np.load`, `open`,
    `os.listdir`, ...), resolved through variables, `Path(...) / ...`, `os.path.join` and f-strings.

    ## Why is this bad
    On Azure ML the data is mounted somewhere else: the job must take the location as an input.

    ## Fix safety
    Safe: `convert` makes it an argparse input named after the variable that holds it and replaces
    the literal where it is defined, so the notebook's own path arithmetic keeps working.
    """

    CODE = "NB201"
    NAME = "HardcodedInputPath"
    MESSAGE = "hard-coded input path"
    FIX = "safe"
    VALID = ["import pandas as pd\nimport sys\ndf = pd.read_csv(sys.argv[1])\n"]
    INVALID = [
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('data/train.csv')
                print(df.shape)
                """,
            at=(1, 2, 18),
            message=(
                "hard-coded input path 'data/train.csv' (uri_file, read by pandas.read_csv): becomes input `train`"
            ),
            fixed="""
                import pandas as pd
                df = pd.read_csv(args.train)
                print(df.shape)
                """,
        ),
        InvalidExample(
            """
                from pathlib import Path
                import pandas as pd
                raw_data = './data/'
                df = pd.read_csv(Path(raw_data) / 'green.csv')
                print(df.shape)
                """,
            at=(1, 3, 12),
            message=("hard-coded input path './data/' (uri_folder, read by pandas.read_csv): becomes input `raw_data`"),
            fixed="""
                from pathlib import Path
                import pandas as pd
                raw_data = args.raw_data
                df = pd.read_csv(Path(raw_data) / 'green.csv')
                print(df.shape)
                """,
        ),
    ]

    def check(self, nb):
        for asset in nb.inputs:
            how = f"{asset.type}, read by {', '.join(asset.calls)}"
            yield self.finding(asset.pos, f"hard-coded input path '{asset.path}' ({how}): becomes input `{asset.name}`")
