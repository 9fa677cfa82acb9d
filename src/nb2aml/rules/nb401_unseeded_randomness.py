from ..analysis import knowledge as K
from .base import InvalidExample, Rule

_NUMPY_SAFE = frozenset(
    {"seed", "default_rng", "RandomState", "Generator", "get_state", "set_state", "SeedSequence", "PCG64", "MT19937"}
)


class UnseededRandomness(Rule):
    """
    ## What it does
    Reports randomness without a seed: `train_test_split`, `shuffle`, `resample` or an estimator
    that accepts `random_state` called without one; `df.sample(...)` without `random_state`;
    `np.random` / `random` functions with no seed set earlier; `default_rng()` without a seed.

    ## Why is this bad
    Two runs give two results: the job cannot reproduce the notebook's metrics, and a change in
    results cannot be told from noise.

    ## Fix safety
    No automatic fix (choosing a seed changes results). `nb2aml verify` seeds Python's and NumPy's
    global generators in every process it starts so that comparisons stay meaningful.
    """

    CODE = "NB401"
    NAME = "UnseededRandomness"
    MESSAGE = "randomness without a seed"
    VALID = [
        "from sklearn.model_selection import train_test_split\na, b = train_test_split([1, 2, 3, 4], random_state=0)\n",
        "import numpy as np\nnp.random.seed(0)\nx = np.random.rand(3)\nprint(x)\n",
        "import numpy as np\nrng = np.random.default_rng(42)\n",
    ]
    INVALID = [
        InvalidExample(
            """
                from sklearn.model_selection import train_test_split
                a, b = train_test_split([1, 2, 3, 4], test_size=0.5)
                """,
            at=(1, 2, 8),
            message="`train_test_split` without random_state: results change from run to run",
        ),
        InvalidExample(
            """
                from sklearn.ensemble import RandomForestRegressor
                model = RandomForestRegressor(n_estimators=10)
                """,
            at=(1, 2, 9),
            message="`RandomForestRegressor` without random_state: results change from run to run",
        ),
        InvalidExample(
            """
                import numpy as np
                x = np.random.rand(3)
                print(x)
                """,
            at=(1, 2, 5),
            message="`np.random.rand` with no `np.random.seed(...)` before it",
        ),
        InvalidExample(
            """
                import pandas as pd
                df = pd.read_csv('a.csv')
                small = df.sample(10)
                print(small)
                """,
            at=(1, 3, 9),
            message="`.sample(...)` without random_state",
        ),
    ]

    def check(self, nb):
        seeded = "seeded" in nb.facts.flags
        for _, call in nb.facts.calls:
            if call.in_function:
                continue
            keywords = set(call.keyword_names)
            qual = call.qualname or ""
            last = qual.rsplit(".", 1)[-1]
            if (
                qual in K.RANDOM_FUNCTIONS
                and not keywords & K.SEED_KEYWORDS
                or (
                    qual.split(".")[0] in K.ESTIMATOR_MODULES
                    and last in K.RANDOM_ESTIMATORS
                    and not keywords & K.SEED_KEYWORDS
                )
            ):
                yield self.finding(
                    call.pos, f"`{last}` without random_state: results change from run to run", end=call.end
                )
            elif qual.startswith("numpy.random."):
                if last in ("default_rng", "RandomState") and not call.arg_names and not keywords:
                    yield self.finding(call.pos, f"`np.random.{last}()` without a seed", end=call.end)
                elif last not in _NUMPY_SAFE and not seeded:
                    yield self.finding(
                        call.pos, f"`np.random.{last}` with no `np.random.seed(...)` before it", end=call.end
                    )
            elif (
                qual.startswith("random.")
                and qual.count(".") == 1
                and last not in ("seed", "Random", "SystemRandom")
                and not seeded
            ):
                yield self.finding(call.pos, f"`random.{last}` with no `random.seed(...)` before it", end=call.end)
            elif call.method == "sample" and call.receiver_type == "pandas" and not keywords & K.SEED_KEYWORDS:
                yield self.finding(call.pos, "`.sample(...)` without random_state", end=call.end)
