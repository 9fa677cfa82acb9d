"""Transforms tested with before / after code: notebook cells in, the script's body out."""

import textwrap

import libcst as cst
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.refactor.cell import CellEdits, MetricEdit, apply_cell_edits
from nb2aml.refactor.fixes import concat_call
from nb2aml.refactor.script import ConvertOptions, build_script


def convert(code: str, **options) -> str:
    analysis, facts = analyze_notebook(
        notebook_from_text(textwrap.dedent(code)), strip_prints=options.get("strip_prints", False)
    )
    return build_script(analysis, facts, ConvertOptions(**options)).text


def body(script: str) -> str:
    """The script after the argparse preamble: what came from the notebook."""
    marker = "args = parse_args()\n"
    rest = script.split(marker, 1)[1] if marker in script else script
    return "\n".join(
        line for line in rest.splitlines() if not line.startswith(("os.makedirs(", "mlflow.log_param("))
    ).strip()


def _edit(code: str, edits: CellEdits) -> str:
    return apply_cell_edits(cst.parse_module(code), edits, lambda n, v: cst.parse_statement(f"log({n!r}, {v})")).code


def test_remove_statements_by_position_keeps_formatting():
    before = "a = 1  # keep me\nb = 2\nc = a   +   1\n"
    after = _edit(before, CellEdits(remove=frozenset({(2, 1)})))
    assert after == "a = 1  # keep me\nc = a   +   1\n"


def test_removing_the_whole_body_of_a_block_leaves_pass():
    before = "for c in cols:\n    plt.plot(c)\nprint(1)\n"
    after = _edit(before, CellEdits(remove=frozenset({(2, 5)})))
    assert after == "for c in cols:\n    pass\nprint(1)\n"


def test_remove_one_of_two_statements_on_a_line():
    assert _edit("a = 1; b.head()\n", CellEdits(remove=frozenset({(1, 8)}))) == "a = 1\n"


def test_metric_call_is_hoisted_logged_and_printed_once():
    before = 'print("MSE: %.2f" % mse(y, p))\n'
    after = _edit(before, CellEdits(metrics={(1, 21): MetricEdit("mse", "mse_value")}))
    assert after == "mse_value = mse(y, p)\nlog('mse', mse_value)\nprint(\"MSE: %.2f\" % mse_value)\n"


def test_metric_assigned_to_a_name_is_logged_after_the_assignment():
    after = _edit("acc = accuracy(y, p)\n", CellEdits(metrics={(1, 7): MetricEdit("accuracy", "accuracy_value")}))
    assert after == "acc = accuracy(y, p)\nlog('accuracy', acc)\n"


def test_concat_rewrite_is_exact():
    after = _edit("c = a.append(b, ignore_index=True)\n", CellEdits(calls={(1, 5): concat_call("pd")}))
    assert after == "c = pd.concat([a, b], ignore_index=True)\n"


def test_plotting_and_exploration_are_stripped_and_matplotlib_dropped():
    script = convert("""\
        import pandas as pd
        import matplotlib.pyplot as plt
        # %%
        df = pd.read_csv('data/train.csv')
        df.head()
        # %%
        plt.hist(df['a'])
        plt.show()
        # %%
        df.to_csv('out/clean.csv')
        """)
    assert "matplotlib" not in script and "plt." not in script and ".head()" not in script
    assert body(script) == "df = pd.read_csv(args.train)\n\ndf.to_csv(os.path.join(args.out, 'clean.csv'))"


def test_in_place_mutation_is_kept_when_a_later_statement_reads_the_frame():
    script = convert("""\
        import pandas as pd
        df = pd.read_csv('data/train.csv')
        df.dropna(inplace=True)
        df.describe()
        print(df.shape)
        """)
    assert "df.dropna(inplace=True)" in script
    assert "describe" not in script


def test_nested_plot_inside_a_loop_that_does_work_is_removed_alone():
    script = convert("""\
        import pandas as pd
        import matplotlib.pyplot as plt
        df = pd.read_csv('data/train.csv')
        for col in ['a', 'b']:
            df[col] = df[col].fillna(0)
            df[col].hist()
        print(df)
        """)
    assert "for col in ['a', 'b']:\n    df[col] = df[col].fillna(0)\nprint(df)" in script
    assert "hist" not in script


def test_paths_become_arguments_where_they_are_defined():
    script = convert("""\
        from pathlib import Path
        import pandas as pd
        raw_data = './data/'
        green = pd.read_csv(Path(raw_data) / 'green.csv')
        print(green)
        """)
    assert "raw_data = args.raw_data\ngreen = pd.read_csv(Path(raw_data) / 'green.csv')" in script
    assert "parser.add_argument('--raw_data', type=str, default='./data/'" in script


def test_hyperparameters_become_typed_arguments_and_are_logged():
    script = convert("""\
        from sklearn.ensemble import RandomForestClassifier
        n_estimators = 100
        clf = RandomForestClassifier(n_estimators=n_estimators, max_depth=8, random_state=0)
        print(clf)
        """)
    assert "n_estimators = args.n_estimators" in script
    assert "max_depth=args.max_depth, random_state=0" in script
    assert "parser.add_argument('--n_estimators', type=int, default=100)" in script
    assert "parser.add_argument('--max_depth', type=int, default=8)" in script
    assert "mlflow.log_param('max_depth', args.max_depth)" in script


def test_removed_pandas_append_is_fixed_safely():
    script = convert("""\
        import pandas as pd
        a = pd.read_csv('a.csv')
        b = pd.read_csv('b.csv')
        c = a.append(b, ignore_index=True)
        print(c)
        """)
    assert "c = pd.concat([a, b], ignore_index=True)" in script


def test_unsafe_append_needs_the_flag():
    code = """\
        import pandas as pd
        a = pd.read_csv('a.csv')
        c = a.append({'x': 1}, ignore_index=True)
        print(c)
        """
    assert "a.append({'x': 1}, ignore_index=True)" in convert(code)
    assert "pd.concat([a, {'x': 1}], ignore_index=True)" in convert(code, unsafe_fixes=True)


def test_prints_stay_unless_stripped():
    code = "x = 1\nprint(x)\n"
    assert "print(x)" in convert(code)
    assert "print(x)" not in convert(code, strip_prints=True)


def test_converted_script_compiles_and_args_name_avoids_clashes():
    script = convert("""\
        import pandas as pd
        args = {'a': 1}
        df = pd.read_csv('data/x.csv')
        print(df, args)
        """)
    compile(script, "script.py", "exec")
    assert "job_args = parse_args()" in script and "df = pd.read_csv(job_args.x)" in script


def test_conversion_is_deterministic():
    code = "import pandas as pd\ndf = pd.read_csv('d.csv')\nprint(df)\n"
    assert convert(code) == convert(code)


def test_mlflow_model_saves_the_written_estimator_beside_it():
    code = """\
        import pickle
        from sklearn.linear_model import LinearRegression
        model = LinearRegression().fit([[0], [1]], [0, 1])
        model_output = './model/'
        pickle.dump(model, open(model_output + 'model.pkl', 'wb'))
        """
    assert "mlflow.sklearn" not in convert(code)
    script = convert(code, mlflow_model=True)
    assert (
        "pickle.dump(model, open(model_output + 'model.pkl', 'wb'))\n"
        "mlflow.sklearn.save_model(model, os.path.join(args.model_output, 'mlflow_model'), "
        "serialization_format='cloudpickle')"
    ) in script
    assert "import mlflow" in script and "import os" in script
