"""The catalogue of removed and changed APIs NB501 reports: plain data, one frozen entry each.

An entry says how to find a use (`match`), in which release of which distribution it stopped
working (`library`, `removed_in`), what to tell the data scientist, and how to rewrite it
(`rewrite`, applied by `refactor.fixes`). `fix` is the entry's applicability when the
replacement exists in every version the job meets; see `analysis.versions` for the policy.

Every entry carries its own test: `invalid` must be reported at `at` (the text the finding
starts at), `valid` must not, and the fixed `invalid` must read `fixed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...types import Applicability

Match = Literal[
    "name",  # a qualified name is used: `np.float`, `sns.factorplot(...)`
    "module",  # a module is imported: `from sklearn.cross_validation import train_test_split`
    "method",  # `receiver.method(...)`
    "attribute",  # `receiver.attr` read, not called: `df.ix[...]`, `rfecv.grid_scores_`
    "keyword",  # a keyword of a call: `LinearRegression(normalize=True)`
    "keyword_value",  # a keyword with a given literal value: `RandomForestRegressor(max_features='auto')`
    "positional",  # more positional arguments than allowed: `RFE(model, 10)`
    "string_argument",  # the first argument is a given string: `pd.set_option('precision', 2)`
    "reduction",  # a groupby reduction without numeric_only
    "regex_replace",  # `.str.replace(pattern, ...)` whose pattern has regex characters, without regex=
]
Rewrite = Literal[
    "rename",  # the last name of the attribute, method or keyword becomes `replacement`
    "replace_name",  # the whole qualified name becomes the expression `replacement` (`np.float` -> `float`)
    "drop_keyword",
    "keyword_value",  # the keyword's value becomes the literal `replacement`
    "positional_keywords",  # extra positional arguments get the keyword names in `replacement` (comma separated)
    "string_argument",  # the first argument's prefix `value` becomes `replacement`
    "module",  # the imported module becomes `replacement`
    "add_keyword",  # `replacement` (`numeric_only=True`) is added to the call
    "concat",  # `a.append(b)` -> `pd.concat([a, b])`
    "method_to_attribute",  # `df.as_matrix()` -> `df.values`
    "function_to_method",  # `np.asscalar(x)` -> `x.item()`
    "scaled_pipeline",  # `Model(normalize=True)` -> `make_pipeline(StandardScaler(), Model())`
    "catplot",  # `sns.factorplot(...)` -> `sns.catplot(..., kind='point')`
    "power_half",  # `f(a, b, squared=False)` -> `f(a, b) ** 0.5`
    "one_vs_rest",  # `Model(multi_class='ovr')` -> `OneVsRestClassifier(Model())`
]


@dataclass(frozen=True)
class RemovedApi:
    key: str  # unique: "pandas.DataFrame.append"
    # The distribution: pandas, numpy, scikit-learn, matplotlib, seaborn, xgboost, lightgbm, statsmodels, ipython.
    library: str
    removed_in: str  # the first release in which the use fails (or silently changes meaning)
    match: Match
    # What is matched: qualified names (`numpy.float`), modules, or `.method` names (any receiver
    # of type `receiver`); several for one entry (the linear models taking `normalize`).
    targets: tuple[str, ...]
    message: str  # what is wrong and what to do, one sentence
    invalid: str  # a notebook using it (percent format)
    at: str  # the text of `invalid` where the finding starts
    valid: str  # the same notebook written for current libraries
    fix: Applicability = "none"
    rewrite: Rewrite | None = None
    replacement: str | None = None
    replacement_since: str | None = None  # the release that introduced the replacement
    fixed: str | None = None  # `invalid` after the fix
    receiver: str | None = (
        None  # method / attribute receivers: an inferred type, or a library (`xgboost`) that built it
    )
    keyword: str | None = None  # keyword and keyword_value entries
    value: object = None  # keyword_value: the literal; string_argument: the prefix
    positional: int = 0  # positional: how many positional arguments are allowed
    changed: bool = False  # the use runs but means something else: "changed in", not "removed in"
    deprecated_in: str | None = None  # deprecated there and not yet removed: reported as a warning
    restored_in: str | None = None  # a later release has the name again (NumPy 2 has `np.bool`)
    same_names: tuple[str, ...] = ()  # module entries: the names the new module has with the same signature

    def __post_init__(self) -> None:
        if (self.fix == "none") != (self.rewrite is None):
            raise ValueError(f"{self.key}: a fix needs a rewrite and a rewrite a fix")


def catalogue() -> tuple[RemovedApi, ...]:
    from .ml import ENTRIES as ML
    from .notebook_tools import ENTRIES as NOTEBOOK_TOOLS
    from .pandas_numpy import ENTRIES as PANDAS_NUMPY
    from .plotting import ENTRIES as PLOTTING
    from .sklearn_arguments import ENTRIES as SKLEARN_ARGUMENTS

    entries = PANDAS_NUMPY + ML + SKLEARN_ARGUMENTS + PLOTTING + NOTEBOOK_TOOLS
    keys = [e.key for e in entries]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate catalogue keys")
    return entries


def by_key() -> dict[str, RemovedApi]:
    return {entry.key: entry for entry in catalogue()}
