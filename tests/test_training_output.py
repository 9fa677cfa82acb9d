"""Training calls that print or record their evaluation are outputs: the slice keeps them even when
nothing reads the model (`analysis.training_output`); quiet ones whose result nobody uses still go."""

from __future__ import annotations

from helpers import notebook_from_text

from nb2aml.analysis import analyse

_LGB = (
    "import lightgbm as lgb\nimport numpy as np\nX = np.arange(40.0).reshape(20, 2)\ny = X[:, 0]\n"
    "train = lgb.Dataset(X, y)\n"
)
_XGB = "import xgboost as xgb\nimport numpy as np\nX = np.arange(40.0).reshape(20, 2)\ny = X[:, 0]\n"


def _kept_lines(code: str) -> set[int]:
    """Lines (of the single cell) whose top-level statement the slice keeps."""
    nb = analyse(notebook_from_text(code))
    return {s.pos.line for s in nb.facts.statements if s.depth == 0 and s.id in nb.kept}


def _unknown(code: str) -> list[str]:
    nb = analyse(notebook_from_text(code))
    return [u for s in nb.facts.statements if s.id in nb.kept for u in s.unknown]


def _line(code: str, text: str) -> int:
    return code[: code.index(text)].count("\n") + 1


def test_lightgbm_training_with_a_logging_callback_is_kept_with_what_it_reads():
    code = _LGB + "booster = lgb.train({}, train, 5, valid_sets=[train], callbacks=[lgb.log_evaluation(1)])\n"
    kept = _kept_lines(code)
    assert _line(code, "booster = ") in kept and _line(code, "train = ") in kept


def test_lightgbm_training_silenced_or_quiet_is_stripped_when_its_result_is_unused():
    for callbacks in ("[lgb.log_evaluation(0)]", "[lgb.early_stopping(2, verbose=False)]", "[]"):
        code = _LGB + f"booster = lgb.train({{}}, train, 5, valid_sets=[train], callbacks={callbacks})\nprint(1)\n"
        assert _line(code, "booster = ") not in _kept_lines(code), callbacks


def test_early_stopping_prints_by_default():
    code = _LGB + "booster = lgb.train({}, train, 5, valid_sets=[train], callbacks=[lgb.early_stopping(2)])\n"
    assert _line(code, "booster = ") in _kept_lines(code)


def test_a_recorded_evaluation_the_notebook_prints_keeps_the_training_that_fills_it():
    code = (
        _LGB + "evals = {}\nbooster = lgb.train({}, train, 5, valid_sets=[train], "
        "callbacks=[lgb.record_evaluation(evals)])\nprint(evals['training']['l2'][-1])\n"
    )
    kept = _kept_lines(code)
    assert {_line(code, "evals = {}"), _line(code, "booster = ")} <= kept


def test_xgboost_evals_result_keyword_fills_the_dict():
    code = (
        _XGB + "data = xgb.DMatrix(X, label=y)\nhistory = {}\n"
        "booster = xgb.train({}, data, 3, evals=[(data, 'train')], evals_result=history, verbose_eval=False)\n"
        "print(history)\n"
    )
    assert _line(code, "booster = ") in _kept_lines(code)


def test_xgboost_train_prints_each_round_of_its_evals_unless_told_not_to():
    base = _XGB + "data = xgb.DMatrix(X, label=y)\n"
    loud = base + "booster = xgb.train({}, data, 3, evals=[(data, 'train')])\n"
    quiet = base + "booster = xgb.train({}, data, 3, evals=[(data, 'train')], verbose_eval=False)\nprint(1)\n"
    assert _line(loud, "booster = ") in _kept_lines(loud)
    assert _line(quiet, "booster = ") not in _kept_lines(quiet)


def test_xgboost_estimator_fit_with_an_eval_set_prints():
    base = _XGB + "model = xgb.XGBRegressor(n_estimators=3)\n"
    loud = base + "model.fit(X, y, eval_set=[(X, y)])\n"
    quiet = base + "model.fit(X, y, eval_set=[(X, y)], verbose=False)\nprint(1)\n"
    assert _line(loud, "model.fit") in _kept_lines(loud)
    assert _line(quiet, "model.fit") not in _kept_lines(quiet)


def _prints(code: str, text: str) -> bool:
    nb = analyse(notebook_from_text(code))
    return any(s.prints for s in nb.facts.statements if s.depth == 0 and s.pos.line == _line(code, text))


def test_keras_fit_draws_its_progress_unless_verbose_is_zero():
    # TensorFlow's calls are of unknown effect (kept either way): what changes is that the plan knows
    # the loud one prints.
    base = (
        "from tensorflow import keras\nimport numpy as np\nX = np.zeros((4, 2))\ny = np.zeros(4)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\n"
    )
    assert _prints(base + "model.fit(X, y, epochs=1)\n", "model.fit")
    assert not _prints(base + "model.fit(X, y, epochs=1, verbose=0)\n", "model.fit")


def test_callbacks_built_elsewhere_make_the_training_an_unknown_effect_that_is_kept():
    code = (
        _LGB
        + "evals = {}\ncallbacks = [lgb.record_evaluation(evals)]\n"
        + ("booster = lgb.train({}, train, 5, valid_sets=[train], callbacks=callbacks)\nprint(evals)\n")
    )
    kept = _kept_lines(code)
    assert {_line(code, "callbacks = ["), _line(code, "booster = ")} <= kept
    assert any("callbacks=callbacks" in u for u in _unknown(code))
