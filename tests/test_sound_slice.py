"""What the slice keeps and strips, statement by statement: the analysis half of the differential harness."""

from __future__ import annotations

import textwrap

import pytest
from helpers import notebook_from_text

from nb2aml.api import analyze_notebook


def kept_lines(code: str) -> tuple[set[str], set[str], object]:
    notebook = notebook_from_text(textwrap.dedent(code))
    analysis, nb = analyze_notebook(notebook)
    cells = {c.number: c.python.split("\n") for c in notebook.cells if c.kind == "code"}
    removed = nb.removed_nested
    kept, stripped = set(), set()
    for s in nb.facts.statements:
        if s.children:
            continue
        top = s
        while top.parent is not None:
            top = nb.facts.statements[top.parent]
        text = cells[s.cell][s.pos.line - 1].strip()
        (kept if top.id in nb.kept and s.id not in removed else stripped).add(text)
    return kept, stripped, analysis


@pytest.mark.parametrize(
    ("code", "must_keep", "may_strip"),
    [
        (
            "# %%\nimport numpy as np\nbase = np.arange(6)\nview = base[:3]\n# %%\nview[:] = 0\nview\n# %%\n"
            "print(base)",
            {"view[:] = 0", "view = base[:3]"},
            {"view"},
        ),
        (
            "# %%\nimport numpy as np\nflat = np.zeros(4)\ngrid = flat.reshape(2, 2)\n# %%\ngrid[0, 0] = 1\n# %%\n"
            "print(flat)",
            {"grid[0, 0] = 1"},
            set(),
        ),
        (
            "# %%\nrows = [{'k': 1}]\nfirst = rows[0]\n# %%\nfirst['k'] = 2\n# %%\nprint(rows)",
            {"first['k'] = 2"},
            set(),
        ),
        (
            "# %%\nimport pandas as pd\ns = pd.Series([3, 1])\nvals = s.to_numpy(copy=True)\n# %%\nvals.sort()\n"
            "# %%\nprint(vals)",
            {"vals.sort()"},
            set(),
        ),
        (
            "# %%\nimport numpy as np\nb = np.zeros(3)\n# %%\nnp.add(b, 1, out=b)\nnp.copyto(b, 4)\n# %%\nprint(b)",
            {"np.add(b, 1, out=b)", "np.copyto(b, 4)"},
            set(),
        ),
        (
            "# %%\nimport numpy as np\nrs = np.random.RandomState(3)\n# %%\nrs.rand()\n# %%\nprint(rs.rand())",
            {"rs.rand()"},
            set(),
        ),
        (
            "# %%\nimport numpy as np\nnp.random.seed(1)\n# %%\nnp.random.rand()\n# %%\nprint(np.random.rand())",
            {"np.random.rand()"},
            set(),
        ),
        (
            "# %%\ncounter = 0\n# %%\ndef bump():\n    global counter\n    counter += 1\n# %%\nbump()\n# %%\n"
            "print(counter)",
            {"counter = 0", "bump()"},
            set(),
        ),
        ("# %%\nit = iter([1, 2])\n# %%\nlist(it)\n# %%\nprint(list(it))", {"list(it)"}, set()),
        ("# %%\nrows = [[1]]\n# %%\nfor r in rows:\n    r.append(2)\n# %%\nprint(rows)", {"r.append(2)"}, set()),
        ("# %%\nimport heapq\nh = []\n# %%\nheapq.heappush(h, 3)\n# %%\nprint(h)", {"heapq.heappush(h, 3)"}, set()),
    ],
)
def test_changes_through_aliases_views_and_state_are_kept(code, must_keep, may_strip):
    kept, stripped, _ = kept_lines(code)
    assert must_keep <= kept, must_keep - kept
    assert may_strip <= stripped


@pytest.mark.parametrize(
    "write",
    [
        "df.to_sql('t', con)",
        "df.to_parquet('t.parquet')",
        "df.to_pickle('t.pkl')",
        "df.to_feather('t.feather')",
        "joblib.dump(df, 'df.joblib')",
        "np.save('a.npy', df.values)",
        "con.execute('DROP TABLE t')",
        "plt.savefig('fig.png')",
    ],
)
def test_writes_are_always_kept(write):
    code = (
        "# %%\nimport pandas as pd\nimport numpy as np\nimport joblib\nimport sqlite3\n"
        "import matplotlib.pyplot as plt\n"
        "con = sqlite3.connect('db.sqlite')\ndf = pd.DataFrame({'a': [1]})\n# %%\nplt.plot(df.a)\n" + write + "\n"
    )
    kept, _, _ = kept_lines(code)
    assert write in kept
    if "savefig" in write:
        assert "plt.plot(df.a)" in kept  # the drawing the file holds


def test_plot_only_helpers_and_their_definitions_are_stripped():
    kept, stripped, _ = kept_lines("""\
        # %%
        import matplotlib.pyplot as plt
        import numpy as np
        import pandas as pd
        from ipywidgets import interact
        vals = np.array([3, 1, 2])
        df = pd.DataFrame({'a': vals})
        # %%
        def plot_feature_importances(model):
            n = len(model)
            plt.barh(range(n), model)
            plt.yticks(range(n))
        # %%
        plot_feature_importances(vals)
        fig, axes = plt.subplots(1, 2)
        for ax in axes.flat:
            ax.set_title('x')
        interact(plot_feature_importances, model=vals)
        df.style.bar(subset=['a']).highlight_max()
        # %%
        print(vals.sum())
        """)
    assert {
        "plot_feature_importances(vals)",
        "fig, axes = plt.subplots(1, 2)",
        "ax.set_title('x')",
        "def plot_feature_importances(model):",
        "interact(plot_feature_importances, model=vals)",
        "df.style.bar(subset=['a']).highlight_max()",
    } <= stripped
    assert "print(vals.sum())" in kept


def test_a_helper_that_prints_is_kept():
    kept, _, _ = kept_lines("# %%\ndef report(x):\n    print('value', x)\n# %%\nreport(3)\n")
    assert "report(3)" in kept


def test_statements_kept_for_an_unknown_effect_are_named_in_the_plan():
    _, _, analysis = kept_lines(
        "# %%\nimport mystery\nimport pandas as pd\ndf = pd.DataFrame({'a': [1]})\n# %%\nmystery.go(df)\ndf.head()\n"
    )
    plan = {c.cell: c for c in analysis.cells}
    assert plan[2].unknown == ((1, "mystery.go()"),)
    assert "kept: effect unknown: line 1 mystery.go()" in plan[2].why
    assert plan[1].unknown == ()


def test_render_tree_helper_is_display_unless_it_writes_the_dot_file():
    prelude = (
        "# %%\nimport graphviz\nfrom sklearn.tree import DecisionTreeClassifier, export_graphviz\n"
        "model = DecisionTreeClassifier().fit([[0], [1]], [0, 1])\n"
    )
    shown = (
        prelude
        + "# %%\ndef render_tree(m):\n    dot = export_graphviz(m, out_file=None)\n    graphviz.Source(dot)\n# %%\n"
        "render_tree(model)\n"
    )
    written = prelude + "# %%\nexport_graphviz(model, out_file='tree.dot')\n"
    assert "render_tree(model)" in kept_lines(shown)[1]
    assert "export_graphviz(model, out_file='tree.dot')" in kept_lines(written)[0]
