"""Metrics printed in training loops (logged per step under the printed label) and final printed values."""

from __future__ import annotations

from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.baseline import baseline_cells
from nb2aml.refactor.script import ConvertOptions, build_script

LOOP = (
    "from sklearn.linear_model import SGDRegressor\nfrom sklearn.metrics import mean_squared_error\n"
    "model = SGDRegressor()\nhistory = []\n"
    "for epoch in range(5):\n"
    "    model.partial_fit(X, y)\n"
    "    loss = mean_squared_error(y, model.predict(X))\n"
    "    history.append(loss)\n"
    "    print(f'epoch {epoch} loss={loss:.4f}')\n"
    "print('final mse', history[-1])\n"
)


def _script(code: str, **options):
    analysis, nb = analyze_notebook(notebook_from_text(code))
    return build_script(analysis, nb, ConvertOptions(**options)).text


def test_loop_metric_logged_under_its_label_with_the_loop_variable_as_step():
    text = _script(LOOP)
    assert "    print(f'epoch {epoch} loss={loss:.4f}')\n    mlflow.log_metric('loss', loss, step=epoch)\n" in text
    assert "'mean_squared_error'" not in text  # not also logged at step 0 on every iteration


def test_final_printed_value_is_logged_once_with_a_guard():
    text = _script(LOOP)
    assert "print('final mse', history[-1])\ntry:\n    mlflow.log_metric('final_mse', float(history[-1]))\n" in text


def test_enumerate_gives_the_counter_as_step_and_other_loops_none():
    text = _script(
        "for i, batch in enumerate(batches):\n    acc = evaluate(batch)\n    print('accuracy:', acc)\n"
        "for lr in [0.1, 0.01]:\n    err = fit(lr)\n    print('val error', err)\n"
    )
    assert "mlflow.log_metric('accuracy', float(acc), step=i)" in text
    assert "mlflow.log_metric('val_error', float(err))" in text


def test_percent_and_format_labels():
    text = _script(
        "for step in range(3):\n    l = train()\n    print('loss: %.3f' % l)\n    print('rmse = {}'.format(l ** 0.5))\n"
    )
    assert "mlflow.log_metric('loss', float(l), step=step)" in text
    assert "rmse" not in text.split("print('rmse")[1]  # `l ** 0.5` is computed again only if pure: it is not logged


def test_labels_that_name_no_metric_and_top_level_metric_calls_are_left_alone():
    code = "from sklearn.metrics import r2_score\nprint('rows:', n)\nprint('R2:', r2_score(y, p))\n"
    text = _script(code)
    assert "'rows'" not in text
    assert text.count("mlflow.log_metric(") == 1 and "mlflow.log_metric('r2_score'" in text


def test_strip_prints_keeps_the_usual_metric_logging():
    text = _script(LOOP, strip_prints=True)
    assert "mlflow.log_metric('mean_squared_error'" in text and "step=" not in text


def test_verify_baseline_records_the_same_names():
    analysis, nb = analyze_notebook(notebook_from_text(LOOP))
    code = "\n".join(c.code for c in baseline_cells(analysis, nb, {}).cells)
    assert "__nb2aml_record__('loss', loss)" in code and "__nb2aml_record__('final_mse', float(history[-1]))" in code
