from .base import InvalidExample, Rule


class UnloggedMetric(Rule):
    """
    ## What it does
    Reports a metric (a `sklearn.metrics` scalar such as `r2_score`, `estimator.score`, or a metric
    helper defined in the notebook) that is printed but not logged with `mlflow.log_metric`.

    ## Why is this bad
    A printed number is lost in a job's log: runs cannot be compared or tracked.

    ## Fix safety
    Safe: `convert` computes the value once, logs it under the metric's name and prints it as before.
    """

    CODE = "NB302"
    NAME = "UnloggedMetric"
    MESSAGE = "metric computed and printed but not logged"
    FIX = "safe"
    VALID = [
        "import mlflow\nfrom sklearn.metrics import r2_score\nr2 = r2_score([1, 2], [1, 2])\n"
        "mlflow.log_metric('r2', r2)\nprint(r2)\n",
        "from sklearn.metrics import confusion_matrix\nprint(confusion_matrix([1, 0], [1, 0]))\n",
    ]
    INVALID = [
        InvalidExample(
            """
                from sklearn.metrics import mean_squared_error
                print('MSE: %.2f' % mean_squared_error([1, 2], [1, 3]))
                """,
            at=(1, 2, 21),
            message="metric `mean_squared_error` is printed but not logged: log it with mlflow.log_metric",
            fixed="""
                from sklearn.metrics import mean_squared_error
                mean_squared_error_value = mean_squared_error([1, 2], [1, 3])
                mlflow.log_metric('mean_squared_error', mean_squared_error_value)
                print('MSE: %.2f' % mean_squared_error_value)
                """,
        ),
        InvalidExample(
            """
                from sklearn.metrics import accuracy_score
                acc = accuracy_score([1, 0], [1, 1])
                print(acc)
                """,
            at=(1, 2, 7),
            message="metric `accuracy_score` is printed but not logged: log it with mlflow.log_metric",
            fixed="""
                from sklearn.metrics import accuracy_score
                acc = accuracy_score([1, 0], [1, 1])
                mlflow.log_metric('accuracy_score', acc)
                print(acc)
                """,
        ),
    ]

    def check(self, nb):
        for metric in nb.metrics:
            if metric.printed and not metric.logged:
                yield self.finding(
                    metric.pos, f"metric `{metric.name}` is printed but not logged: log it with mlflow.log_metric"
                )
