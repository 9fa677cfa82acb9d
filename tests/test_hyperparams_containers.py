"""Hyperparameters in dicts, config objects, argparse defaults and training loops (issue 15).

Pure analysis and rewriting: the notebook in, the parameters and the script text out.
"""

from __future__ import annotations

from pathlib import Path

from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.notebook import load_notebook
from nb2aml.refactor.script import build_script

SWEEP_NOTEBOOKS = Path(__file__).parent / "notebooks" / "sweep"


def _convert(code: str):
    analysis, nb = analyze_notebook(notebook_from_text(code))
    return analysis, build_script(analysis, nb)


def _params(analysis) -> dict:
    return {p.name: (p.value, p.type, p.origin) for p in analysis.parameters}


def test_lgb_train_dict_values_become_parameters_wired_back_into_the_dict():
    analysis, nb = analyze_notebook(load_notebook(SWEEP_NOTEBOOKS / "lgb_train" / "notebook.py"))
    params = _params(analysis)
    assert params["learning_rate"] == (0.05, "number", "container")
    assert params["num_leaves"] == (31, "integer", "container")
    assert params["objective"] == ("binary", "string", "container")
    assert params["num_boost_round"] == (40, "integer", "container")
    assert "seed" not in params and "verbose" not in params  # a seed and verbosity are not tuned
    text = build_script(analysis, nb).text
    assert '"learning_rate": args.learning_rate,' in text and '"num_leaves": args.num_leaves,' in text
    assert '"seed": 7,' in text and '"verbose": -1,' in text
    assert "lgb.train(params, train_set, num_boost_round=args.num_boost_round)" in text
    assert "mlflow.log_param('num_leaves', args.num_leaves)" in text
    assert "parser.add_argument('--num_leaves', type=int, default=31)" in text


def test_a_key_in_two_dicts_is_named_after_each_dict():
    analysis, script = _convert(
        "import xgboost as xgb\nimport lightgbm as lgb\n"
        "lgb_params = {'learning_rate': 0.05, 'num_leaves': 15}\n"
        "xgb_params = {'learning_rate': 0.3, 'max_depth': 4}\n"
        "a = lgb.train(lgb_params, data)\nb = xgb.train(xgb_params, data)\nprint(a, b)\n"
    )
    params = _params(analysis)
    assert params["lgb_params_learning_rate"][0] == 0.05 and params["xgb_params_learning_rate"][0] == 0.3
    assert params["num_leaves"][0] == 15 and params["max_depth"][0] == 4
    assert "'learning_rate': args.lgb_params_learning_rate" in script.text


def test_dict_unpacked_into_an_estimator():
    analysis, script = _convert(
        "from sklearn.ensemble import RandomForestClassifier\n"
        "rf_params = {'n_estimators': 200, 'max_depth': 6, 'n_jobs': -1}\n"
        "model = RandomForestClassifier(**rf_params).fit(X, y)\nprint(model.predict(X))\n"
    )
    params = _params(analysis)
    assert params["n_estimators"][0] == 200 and params["max_depth"][0] == 6 and "n_jobs" not in params
    assert "'n_estimators': args.n_estimators" in script.text and "'n_jobs': -1" in script.text


def test_a_dict_no_training_api_reads_stays_as_written():
    analysis, _ = _convert("columns = {'a': 1, 'b': 2}\ndf = df.rename(columns=columns)\n")
    assert not [p for p in analysis.parameters if p.origin == "container"]


def test_config_class_dataclass_namespace_and_argparse_defaults():
    analysis, nb = analyze_notebook(load_notebook(SWEEP_NOTEBOOKS / "configs" / "notebook.py"))
    params = _params(analysis)
    assert params["lr"] == (0.01, "number", "container")  # class args: lr = 0.01
    assert params["penalty"] == ("l2", "string", "container")
    assert params["n_estimators"] == (20, "integer", "container")  # @dataclass field default
    assert params["alpha"] == (0.0001, "number", "container")  # SimpleNamespace(alpha=...)
    assert params["tol"] == (0.001, "number", "container")  # parser.add_argument default, parse_args([])
    assert params["fit_intercept"] == (True, "boolean", "container")
    assert params["epochs"] == (5, "integer", "variable")  # a training loop's name
    assert "shuffle" not in params
    text = build_script(analysis, nb).text
    assert "job_args = parse_args()" in text  # the notebook's own `args` keeps its name
    assert "    lr = job_args.lr" in text and "    n_estimators: int = job_args.n_estimators" in text
    assert 'parser.add_argument("--tol", type=float, default=job_args.tol)' in text
    assert "ns = SimpleNamespace(alpha=job_args.alpha, shuffle=False)" in text


def test_argparse_default_argparse_would_not_convert_stays():
    # `type=float, default=1`: argparse leaves the int 1; a float argument would change it.
    analysis, _ = _convert(
        "import argparse\np = argparse.ArgumentParser()\np.add_argument('--n', type=float, default=1)\n"
        "p.add_argument('--k', type=int, default=3)\nopts = p.parse_args([])\nprint(opts.n, opts.k)\n"
    )
    params = _params(analysis)
    assert "n" not in params and params["k"][0] == 3


def test_a_parser_reading_the_command_line_is_not_a_container():
    analysis, _ = _convert(
        "import argparse\np = argparse.ArgumentParser()\np.add_argument('--k', type=int, default=3)\n"
        "opts = p.parse_args()\nprint(opts.k)\n"
    )
    assert "k" not in _params(analysis)


def test_a_class_with_behaviour_is_not_a_config():
    analysis, _ = _convert(
        "class Model:\n    lr = 0.1\n    def step(self):\n        return self.lr\nprint(Model().step())\n"
    )
    assert "lr" not in _params(analysis)


def test_credentials_in_a_config_stay_out_of_the_parameters():
    analysis, _ = _convert(
        "class cfg:\n    api_key = 'sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'\n    lr = 0.1\n"
        "print(cfg.lr, cfg.api_key)\n"
    )
    params = _params(analysis)
    assert "lr" in params and "api_key" not in params


def test_training_loop_names_bound_to_literals_become_parameters():
    analysis, script = _convert(
        "epochs = 5\nbatch_size = 32\nlr = 0.01\nfor epoch in range(epochs):\n    w = lr * batch_size\nprint(w)\n"
    )
    params = _params(analysis)
    assert params["epochs"][0] == 5 and params["batch_size"][0] == 32 and params["lr"][0] == 0.01
    assert "epochs = args.epochs" in script.text


def test_a_usual_name_only_a_plot_reads_is_not_a_parameter():
    analysis, _ = _convert("import matplotlib.pyplot as plt\nseed = 3\nplt.plot([1, 2], alpha=seed)\nplt.show()\n")
    assert "seed" not in _params(analysis)
