from .base import InvalidExample, Rule


class HardcodedOutputPath(Rule):
    """
    ## What it does
    Reports a path literal the notebook writes to (`to_csv`, `pickle.dump(open(..., 'wb'))`,
    `joblib.dump`, `np.save`, `os.makedirs`, ...).

    ## Why is this bad
    Files a job writes to its working directory are lost when the job ends: outputs must go to a
    folder Azure ML uploads.

    ## Fix safety
    Safe: `convert` makes it a `uri_folder` output; a file written to `out.csv` is written to
    `Path(args.out) / 'out.csv'`, and the folder is created if missing.
    """

    CODE = "NB202"
    NAME = "HardcodedOutputPath"
    MESSAGE = "hard-coded output path"
    FIX = "safe"
    VALID = ["import pandas as pd\nimport sys\ndf = pd.DataFrame()\ndf.to_csv(sys.argv[1])\n"]
    INVALID = [
        InvalidExample(
            """
                import pandas as pd
                df = pd.DataFrame()
                df.to_csv('outputs/preds.csv')
                """,
            at=(1, 3, 11),
            message="hard-coded output path 'outputs' (written by pandas.to_csv): becomes output `outputs`",
            fixed="""
                import pandas as pd
                df = pd.DataFrame()
                df.to_csv(os.path.join(args.outputs, 'preds.csv'))
                """,
        ),
        InvalidExample(
            """
                import pickle
                model_output = './model/'
                pickle.dump(1, open(model_output + 'model.sav', 'wb'))
                """,
            at=(1, 2, 16),
            message=("hard-coded output path './model/' (written by builtins.open): becomes output `model_output`"),
            fixed="""
                import pickle
                model_output = args.model_output
                pickle.dump(1, open(model_output + 'model.sav', 'wb'))
                """,
        ),
    ]

    def check(self, nb):
        for asset in nb.outputs:
            yield self.finding(
                asset.pos,
                f"hard-coded output path '{asset.path}' (written by {', '.join(asset.calls)}): becomes output "
                f"`{asset.name}`",
            )
