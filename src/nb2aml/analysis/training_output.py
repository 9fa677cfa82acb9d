"""What a training call prints and records beyond its return value: LightGBM, XGBoost and Keras.

`lgb.train(..., valid_sets=[valid], callbacks=[lgb.log_evaluation(10), lgb.record_evaluation(evals)])`
prints the validation metric every ten rounds and fills `evals`; `xgb.train(..., evals=[...])` and
`XGBClassifier().fit(..., eval_set=[...])` print every round unless told not to; a Keras `fit`
draws a progress bar with the metrics. Such a call is an output of the notebook even when nothing
reads the model it returns, so the slice keeps it (the core principle: only a call proven
display-only may go). A callback nobody can see (a name, a call of a library nb2aml does not know)
makes the effect unknown: kept, and the plan says so.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from .astutil import argument, literal, root_name

# Functions that train or cross-validate and take callbacks or evaluation sets.
TRAINING_FUNCTIONS = frozenset({"lightgbm.train", "lightgbm.cv", "xgboost.train", "xgboost.cv"})
# Libraries whose estimators' `fit` prints evaluation results when given evaluation data.
_FIT_LIBRARIES = ("lightgbm.", "xgboost.", "keras.", "tensorflow.keras.", "tf_keras.")
_KERAS = ("keras.", "tensorflow.keras.", "tf_keras.")
_KERAS_PRINTING_METHODS = frozenset({"fit", "evaluate", "fit_generator", "evaluate_generator"})

# Callbacks that print the evaluation as training runs (whatever their other arguments).
PRINTING_CALLBACKS = frozenset(
    {
        "lightgbm.log_evaluation",
        "lightgbm.print_evaluation",
        "xgboost.callback.EvaluationMonitor",
        "keras.callbacks.ProgbarLogger",
        "tensorflow.keras.callbacks.ProgbarLogger",
    }
)
# Callbacks that print unless given `verbose=False`/`verbose=0` (their default is to print), and
# those that are quiet unless given a true `verbose`.
_VERBOSE_BY_DEFAULT = frozenset({"lightgbm.early_stopping"})
_QUIET_BY_DEFAULT = frozenset(
    {
        "xgboost.callback.EarlyStopping",
        "keras.callbacks.EarlyStopping",
        "tensorflow.keras.callbacks.EarlyStopping",
        "keras.callbacks.ReduceLROnPlateau",
        "tensorflow.keras.callbacks.ReduceLROnPlateau",
    }
)
# Callbacks with no effect outside the training they steer: the learning rate, the history.
_QUIET_CALLBACKS = frozenset(
    {
        "lightgbm.reset_parameter",
        "lightgbm.record_evaluation",  # fills its dict: a mutation the fact collector follows
        "xgboost.callback.LearningRateScheduler",
        "keras.callbacks.LearningRateScheduler",
        "tensorflow.keras.callbacks.LearningRateScheduler",
        "keras.callbacks.History",
        "tensorflow.keras.callbacks.History",
        "keras.callbacks.TerminateOnNaN",
        "tensorflow.keras.callbacks.TerminateOnNaN",
    }
)
# Keywords through which a training call fills a dict with its evaluation history.
_RECORD_KEYWORDS = ("evals_result",)


@dataclass(frozen=True)
class TrainingOutput:
    prints: bool = False  # writes the evaluation (or a progress bar) to the output
    records: frozenset[str] = frozenset()  # names of the dicts it fills with its evaluation history
    callbacks: frozenset[str] = frozenset()  # names of callbacks it calls, and so may change
    unknown: str | None = None  # a callback whose effect nobody can name: `lgb.train(callbacks=cbs)`


def training_output(
    node: ast.Call, qualname: str | None, builder: str | None, resolve: Callable[[ast.expr], str | None]
) -> TrainingOutput | None:
    """The output of a training call, or None when `node` is not one. `builder` is the qualified
    name of the call that built the receiver of `model.fit(...)`, when known."""
    method = node.func.attr if isinstance(node.func, ast.Attribute) else None
    if qualname in TRAINING_FUNCTIONS:
        library = qualname.split(".")[0]
        default_prints = _function_prints_by_default(node, qualname)
    elif method is not None and builder is not None and builder.startswith(_FIT_LIBRARIES):
        library = "keras" if builder.startswith(_KERAS) else builder.split(".")[0]
        if library == "keras":
            if method not in _KERAS_PRINTING_METHODS:
                return None
            default_prints = True  # `verbose="auto"`: a progress bar with the metrics
        elif method == "fit":
            # XGBoost's `fit(eval_set=...)` prints every round (`verbose=True`); LightGBM's only
            # with a logging callback (or the `verbose=` of LightGBM < 4).
            default_prints = library == "xgboost" and any(k.arg == "eval_set" for k in node.keywords)
        else:
            return None
    else:
        return None
    prints = _verbosity(node, default_prints)
    callbacks_prints, callback_names, unknown = _callbacks(node, resolve)
    records = {r for keyword in _RECORD_KEYWORDS if (r := _keyword_root(node, keyword)) is not None}
    return TrainingOutput(
        prints=prints or callbacks_prints,
        records=frozenset(records),
        callbacks=frozenset(callback_names),
        unknown=unknown,
    )


def _function_prints_by_default(node: ast.Call, qualname: str) -> bool:
    if qualname == "xgboost.train":
        # `verbose_eval=True` is the default: each round's evaluation on `evals` is printed.
        evals = argument(node, 3, ("evals",))
        return evals is not None and not (isinstance(evals, (ast.List, ast.Tuple)) and not evals.elts)
    return False


def _verbosity(node: ast.Call, default: bool) -> bool:
    """`verbose_eval=` (train/cv) or `verbose=` (fit, evaluate): a literal false or 0 silences, any
    other value prints, no keyword leaves the default."""
    for keyword in node.keywords:
        if keyword.arg in ("verbose_eval", "verbose"):
            value = literal(keyword.value)
            return not (value is None or value is False or value == 0)
    return default


def _callbacks(node: ast.Call, resolve: Callable[[ast.expr], str | None]) -> tuple[bool, list[str], str | None]:
    """(prints, names of callbacks passed by name, the first callback whose effect is unknown)."""
    given = next((k.value for k in node.keywords if k.arg == "callbacks"), None)
    if given is None:
        return False, [], None
    elements = given.elts if isinstance(given, (ast.List, ast.Tuple)) else [given]
    prints, names, unknown = False, [], None
    for element in elements:
        if isinstance(element, ast.Call):
            callee = resolve(element.func)
            if callee in PRINTING_CALLBACKS:
                prints = prints or not _silenced(element, callee)
            elif callee in _VERBOSE_BY_DEFAULT:
                prints = prints or _verbosity(element, True)
            elif callee in _QUIET_BY_DEFAULT:
                prints = prints or _verbosity(element, False)
            elif callee not in _QUIET_CALLBACKS:
                unknown = unknown or f"callbacks=[{ast.unparse(element.func)}(...)]"
            continue
        name = root_name(element)
        if name is not None:
            names.append(name)
        # A callback built elsewhere may print, log or write: nobody can tell from here.
        unknown = unknown or f"callbacks={ast.unparse(given)}"
    return prints, names, unknown


def _silenced(call: ast.Call, callee: str) -> bool:
    """`lgb.log_evaluation(0)` / `period=0` logs nothing."""
    if callee not in ("lightgbm.log_evaluation", "lightgbm.print_evaluation"):
        return False
    period = argument(call, 0, ("period",))
    return period is not None and literal(period) == 0


def _keyword_root(node: ast.Call, keyword: str) -> str | None:
    value = next((k.value for k in node.keywords if k.arg == keyword), None)
    return root_name(value) if value is not None else None
