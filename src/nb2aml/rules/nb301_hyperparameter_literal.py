from .base import InvalidExample, Rule


class HyperparameterLiteral(Rule):
    """
    ## What it does
    Reports literal hyperparameters: a number, string or boolean passed to an estimator or a data
    split (`GradientBoostingRegressor(learning_rate=0.1)`, `train_test_split(test_size=0.3)`), or a
    variable holding such a literal (`n_estimators = 100`). Seeds, `n_jobs` and `verbose` are not
    hyperparameters. Cells tagged `parameters` are parameters already and are not reported.

    ## Why is this bad
    Tuning the model means editing code. As job inputs they can be swept, logged and compared.

    ## Fix safety
    Safe: `convert` turns each into a typed argparse argument whose default is the notebook's value.
    """

    CODE = "NB301"
    NAME = "HyperparameterLiteral"
    MESSAGE = "hyperparameter literal that should be a parameter"
    FIX = "safe"
    VALID = [
        "from sklearn.linear_model import Ridge\nimport sys\nmodel = Ridge(alpha=float(sys.argv[1]), random_state=0)\n",
        "counts = [1, 2]\ncounts.append(3)\nprint(counts)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                from sklearn.ensemble import RandomForestClassifier
                clf = RandomForestClassifier(n_estimators=200, max_depth=8)
                print(clf)
                """,
            at=(1, 2, 43),
            message=(
                "hyperparameter of RandomForestClassifier `n_estimators` = 200 is a literal: becomes "
                "parameter `--n_estimators`"
            ),
            fixed="""
                from sklearn.ensemble import RandomForestClassifier
                clf = RandomForestClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth)
                print(clf)
                """,
        ),
        InvalidExample(
            """
                from sklearn.ensemble import GradientBoostingRegressor
                learning_rate = 0.1
                model = GradientBoostingRegressor(learning_rate=learning_rate)
                print(model)
                """,
            at=(1, 2, 17),
            message=(
                "hyperparameter of GradientBoostingRegressor `learning_rate` = 0.1 is a literal: becomes "
                "parameter `--learning_rate`"
            ),
            fixed="""
                from sklearn.ensemble import GradientBoostingRegressor
                learning_rate = args.learning_rate
                model = GradientBoostingRegressor(learning_rate=learning_rate)
                print(model)
                """,
        ),
    ]

    def check(self, nb):
        for param in nb.parameters:
            if param.origin == "parameters_cell":
                continue
            where = f" of {param.call.rsplit('.', 1)[-1]}" if param.call else ""
            yield self.finding(
                param.pos,
                f"hyperparameter{where} `{param.name}` = {param.value!r} is a literal: becomes parameter "
                f"`--{param.name}`",
            )
