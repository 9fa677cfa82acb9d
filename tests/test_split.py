"""Where notebooks split and how values flow between the components."""

import textwrap

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook
from nb2aml.split.assign import from_cells_option, from_headings, from_markers
from nb2aml.split.flow import plan_flow
from nb2aml.types import NotebookError


def flow(code: str, cells: str, tags=None):
    notebook = notebook_from_text(textwrap.dedent(code), tags=tags)
    analysis, facts = analyze_notebook(notebook)
    components, edges = plan_flow(analysis, facts, from_cells_option(notebook, (cells,)))
    return {c.name: c for c in components}, {(e.source, e.target, e.variable) for e in edges}


def test_in_place_mutation_is_handed_over_after_it_happens():
    # soorgeon's failure: the rename happens in `clean`, so `train` must read clean's frame.
    components, edges = flow(
        """\
        # %%
        import pandas as pd
        df = pd.read_csv('data/x.csv')
        # %%
        df.rename(columns={'a': 'b'}, inplace=True)
        df.dropna(inplace=True)
        # %%
        print(df['b'].sum())
        """,
        "load=1,clean=2,train=3",
    )
    assert edges == {("load", "clean", "df"), ("clean", "train", "df")}
    assert components["clean"].saves == {"df"} and components["load"].saves == {"df"}


def test_mutation_through_an_alias_is_followed():
    components, edges = flow(
        """\
        # %%
        import pandas as pd
        a = pd.read_csv('data/x.csv')
        b = a
        # %%
        b['x'] = 1
        # %%
        print(a)
        """,
        "load=1,change=2,use=3",
    )
    assert ("change", "use", "a") in edges


def test_function_defined_in_one_component_is_copied_into_the_caller():
    components, edges = flow(
        """\
        # %%
        import numpy as np
        def scale(values):
            return np.asarray(values) * 2
        data = [1, 2, 3]
        # %%
        print(scale(data))
        """,
        "define=1,call=2",
    )
    call = components["call"]
    assert edges == {("define", "call", "data")}
    assert any(s in call.copied for s in components["define"].own)  # the def statement (and numpy's import)


def test_imports_are_copied_not_handed_over():
    components, edges = flow(
        """\
        # %%
        import pandas as pd
        x = pd.Series([1, 2])
        # %%
        y = pd.concat([x, x])
        print(y)
        """,
        "a=1,b=2",
    )
    assert edges == {("a", "b", "x")}
    assert components["b"].copied


def test_a_value_read_by_two_later_components_comes_from_its_last_writer():
    components, edges = flow(
        """\
        # %%
        total = 1
        # %%
        print(total)
        # %%
        total += 1
        # %%
        print(total)
        """,
        "a=1,b=2,c=3,d=4",
    )
    assert edges == {("a", "b", "total"), ("a", "c", "total"), ("c", "d", "total")}


MARKED = """\
# %% tags=["component:prep"]
import pandas as pd
df = pd.read_csv('data/x.csv')
# %% tags=["skip"]
df.head()
# %% tags=["step:train"]
print(df.shape)
"""


def test_markers_in_cell_tags_and_kale_step_tags():
    notebook = notebook_from_text(MARKED)
    notebook = notebook_from_text(
        MARKED.replace('tags=["component:prep"]', "").replace('tags=["skip"]', "").replace('tags=["step:train"]', ""),
        tags={1: ["component:prep"], 2: ["skip"], 3: ["step:train"]},
    )
    assignment = from_markers(notebook)
    assert assignment.order == ("prep", "train")
    assert assignment.cells == {1: "prep", 3: "train"}


def test_marker_comment_on_the_first_line_and_block_tags():
    notebook = notebook_from_text(
        "# %%\n# nb2aml: component Load Data\nx = 1\n# %%\ny = x + 1\n# %%\nprint(y)\n", tags={3: ["block:report"]}
    )
    assignment = from_markers(notebook)
    assert assignment.order == ("load_data", "report")
    assert assignment.cells == {1: "load_data", 2: "load_data", 3: "report"}


def test_split_at_headings():
    notebook = notebook_from_text(
        "# %% [markdown]\n# # Title\n# %%\nx = 1\n# %% [markdown]\n# ## Train the model\n# %%\nprint(x)\n"
    )
    assignment = from_headings(notebook, level=2)
    assert assignment.order == ("title", "train_the_model")
    assert assignment.cells[2] == "title" and assignment.cells[4] == "train_the_model"


def test_cells_before_the_first_range_join_it_and_gaps_join_the_previous():
    notebook = notebook_from_text("# %%\na = 1\n# %%\nb = 2\n# %%\nc = 3\n# %%\nprint(a, b, c)\n")
    assignment = from_cells_option(notebook, ("x=2-2,y=4",))
    assert assignment.cells == {1: "x", 2: "x", 3: "x", 4: "y"}


@pytest.mark.parametrize(
    "spec, message",
    [
        ("a=1,a=3", "named twice"),
        ("a=1-3,b=2", "overlaps"),
        ("a=1,b=99", "out of range"),
        ("../evil=1", "not allowed"),
        ("a/b=1", "not allowed"),
        ("prep", "NAME=START"),
    ],
)
def test_bad_cells_options_are_refused_with_one_line(spec, message):
    notebook = notebook_from_text("# %%\na = 1\n# %%\nb = 2\n# %%\nprint(a, b)\n")
    with pytest.raises(NotebookError) as error:
        from_cells_option(notebook, (spec,))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_names_are_normalised_to_azure_ml_component_names():
    notebook = notebook_from_text("# %%\na = 1\n# %%\nprint(a)\n")
    assert from_cells_option(notebook, ("Prep-Data=1,Train=2",)).order == ("prep_data", "train")


def test_env_per_component_gives_each_step_only_what_it_imports(tmp_path):
    from click.testing import CliRunner

    from nb2aml.cli import main

    notebook = tmp_path / "nb.py"
    notebook.write_text(
        textwrap.dedent("""\
        # %%
        import pandas as pd
        from sklearn.linear_model import LinearRegression
        df = pd.DataFrame({'x': [1.0, 2.0, 3.0], 'y': [2.0, 4.0, 6.0]})
        # %%
        model = LinearRegression().fit(df[['x']], df['y'])
        print(model.coef_)
        """)
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["split", str(notebook), "--cells", "load=1,fit=2", "-o", str(out), "--yes", "--env-per-component"]
    )
    assert result.exit_code == 0, result.output
    load = (out / "environments/load/requirements.txt").read_text()
    fit = (out / "environments/fit/requirements.txt").read_text()
    assert "scikit-learn" not in load and "scikit-learn" in fit
    assert "environment: file:../environments/fit.yml" in (out / "components/fit.yml").read_text()
    assert not (out / "environment.yml").exists()
    assert "az ml environment create --file environments/fit.yml" in (out / "README.md").read_text()
