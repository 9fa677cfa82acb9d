"""Properties of analyze / convert / split on generated notebooks (hypothesis).

Notebooks are drawn from a grammar of data-science statements: imports, reads, transforms, plots,
prints and exploration, hyperparameters and fits, metrics, writes, loops and helper functions,
magics and markdown. Two in three are "stories" (read, clean, fit, evaluate, write, each step
optional, with plots, prints and magics mixed in and random cell boundaries); the rest are
"jumbles" of the grammar's statements in any order, reading names nothing defines. `analyze`
also gets cells of arbitrary text and of tokenizer-tripping junk (sigils, quotes, NUL, BOM).

The properties, for hundreds of examples per run (the library API for speed, the CLI for a few):

1. `analyze` never raises, whatever the cells hold.
2. Every Python file `convert` plans compiles: `plan_job` refuses the notebook (`NotebookRefused`, the
   line `convert` prints) or returns scripts that compile; the refusal is the library's, never re-decided here.
3. split == convert. Formulation: with `--cells` every cell belongs to exactly one component, the
   components are contiguous cell ranges in notebook order, and each top-level statement
   `convert` keeps (`NotebookFacts.kept`) is kept by exactly one component as its own
   (`flow.Component.own`; imports and helper definitions a component needs are *copied* into
   it, `Component.copied`, and are not counted). So: concatenating the sorted `own` ids of the
   components, in pipeline order, gives exactly `sorted(kept)`: nothing lost, nothing duplicated,
   order preserved. And every file `plan_pipeline` plans compiles (fewer examples: it is slower).
4. `analyze` of the converted script (read as a one-cell percent notebook) has nothing left to
   strip, parameterize or log: no NB101, NB102, NB201, NB202, NB301 or NB302. The argparse
   preamble's `parser.add_argument(..., default='./data/')` literals are not I/O paths: they are
   never passed to an I/O call directly, the script reads `args.x` instead.
5. Planning twice gives identical files; `nb2aml convert` twice into two folders gives
   byte-identical trees.
6. `nb2aml convert` writes nothing outside its output folder (cwd and the notebook's folder are
   snapshotted before and after).
7. Loading any JSON document as a notebook (hand-edited, foreign, half-valid nbformat) gives a
   notebook that analyzes, or a one-line `NotebookError` naming the file.

`NB2AML_PROPERTY_SCALE=20` multiplies the example counts for a deeper run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import notebook_from_text
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from nb2aml.api import analyze_notebook
from nb2aml.cli import main
from nb2aml.errors import Nb2amlError, NotebookRefused
from nb2aml.plan.job import plan_job
from nb2aml.plan.pipeline import plan_pipeline
from nb2aml.plan.refusals import check_convertible, check_scripts_compile
from nb2aml.split.assign import from_cells_option
from nb2aml.split.flow import plan_flow

FRAMES = ("df", "train", "test", "sales", "raw")
COLUMNS = ("a", "b", "price", "units")
NUMBERS = ("alpha", "learning_rate", "n_estimators", "test_size", "threshold")
FILES = ("data/train.csv", "data/test.csv", "./data/sales.parquet", "input.csv")
OUTPUTS = ("output/result.csv", "./model/", "out/preds.parquet")

frame = st.sampled_from(FRAMES)
column = st.sampled_from(COLUMNS)
number_name = st.sampled_from(NUMBERS)
integer = st.integers(min_value=0, max_value=500)
fraction = st.sampled_from(("0.1", "0.2", "0.25", "0.5", "1e-3"))

IMPORTS = st.sampled_from(
    (
        "import pandas as pd",
        "import numpy as np",
        "import matplotlib.pyplot as plt",
        "import seaborn as sns",
        "import os",
        "import pickle",
        "import mlflow",
        "from sklearn.linear_model import Ridge",
        "from sklearn.ensemble import RandomForestRegressor",
        "from sklearn.model_selection import train_test_split",
        "from sklearn.metrics import mean_squared_error, r2_score",
        "import pandas as pd\nimport numpy as np\nfrom sklearn.linear_model import Ridge",
    )
)


def _fmt(template: str, **strategies):
    return st.fixed_dictionaries(strategies).map(lambda values: template.format(**values))


READS = st.one_of(
    _fmt('{f} = pd.read_csv("{path}")', f=frame, path=st.sampled_from(FILES)),
    _fmt('{f} = pd.read_parquet("data/{f}.parquet")', f=frame),
    st.just('data_dir = "./data/"'),
    _fmt('{f} = pd.read_csv(os.path.join(data_dir, "{f}.csv"))', f=frame),
    _fmt('with open("{path}") as handle:\n    lines = handle.readlines()', path=st.sampled_from(FILES)),
)
TRANSFORMS = st.one_of(
    _fmt("{f} = {g}.dropna()", f=frame, g=frame),
    _fmt('{f}["{c}"] = {f}["{d}"] * {n}', f=frame, c=column, d=column, n=integer),
    _fmt("{f}.dropna(inplace=True)", f=frame),
    _fmt('{f} = {f}[{f}["{c}"] > {n}]', f=frame, c=column, n=integer),
    _fmt("{f} = pd.concat([{f}, {g}])", f=frame, g=frame),
    _fmt('{f} = {f}.merge({g}, on="{c}")', f=frame, g=frame, c=column),
    _fmt("{f} = {f}.append({g})", f=frame, g=frame),
    _fmt('for col in ["{c}", "{d}"]:\n    {f}[col] = {f}[col].fillna(0)', f=frame, c=column, d=column),
    _fmt('{f}["{c}"] = [x * 2 for x in {f}["{d}"]]', f=frame, c=column, d=column),
    st.just("def scale(frame, factor=2):\n    return frame * factor"),
    _fmt("{f} = scale({f})", f=frame),
)
PLOTS = st.one_of(
    _fmt('plt.plot({f}["{c}"])', f=frame, c=column),
    _fmt("{f}.plot()", f=frame),
    _fmt('sns.histplot({f}["{c}"])', f=frame, c=column),
    st.just("plt.show()"),
    _fmt("{f}.hist(bins={n})", f=frame, n=integer),
    _fmt('fig, ax = plt.subplots()\nax.scatter({f}["{c}"], {f}["{d}"])', f=frame, c=column, d=column),
)
PRINTS = st.one_of(
    _fmt("print({f}.shape)", f=frame),
    _fmt('print("rows:", len({f}))', f=frame),
    _fmt("{f}.head()", f=frame),
    _fmt("{f}.describe()", f=frame),
    _fmt("{f}", f=frame),
    _fmt("{f}.info()", f=frame),
    _fmt("display({f}.tail({n}))", f=frame, n=integer),
)
FITS = st.one_of(
    _fmt("{p} = {v}", p=number_name, v=st.one_of(fraction, integer.map(str))),
    _fmt("model = Ridge(alpha={v})", v=fraction),
    st.just("model = Ridge(alpha=alpha)"),
    _fmt("model = RandomForestRegressor(n_estimators={n}, random_state=0)", n=integer.map(lambda n: n + 1)),
    _fmt('model.fit({f}[["{c}"]], {f}["{d}"])', f=frame, c=column, d=column),
    _fmt(
        'X_train, X_test, y_train, y_test = train_test_split({f}[["{c}"]], {f}["{d}"], test_size={v}, random_state=0)',
        f=frame,
        c=column,
        d=column,
        v=fraction,
    ),
    st.just("model.fit(X_train, y_train)\npreds = model.predict(X_test)"),
    st.just('mse = mean_squared_error(y_test, preds)\nprint("MSE:", mse)'),
    st.just('print("R2:", r2_score(y_test, preds))'),
    st.just("score = model.score(X_test, y_test)\nprint(score)"),
    st.just('mlflow.log_metric("rmse", mse ** 0.5)'),
)
WRITES = st.one_of(
    _fmt('{f}.to_csv("{path}")', f=frame, path=st.sampled_from(OUTPUTS)),
    st.just(
        'os.makedirs("./model/", exist_ok=True)\nwith open("./model/model.pkl", "wb") as handle:\n'
        "    pickle.dump(model, handle)"
    ),
    _fmt('{f}.to_parquet("output/{f}.parquet")', f=frame),
    _fmt('np.save("output/values.npy", {f}.values)', f=frame),
)
MAGICS = st.one_of(
    st.just("%matplotlib inline"),
    st.just("!pip install -q seaborn==0.11.2"),
    _fmt("%time {f}.describe()", f=frame),
    st.just("%load_ext autoreload\n%autoreload 2"),
    _fmt(
        "files = !ls data\nprint(files)",
    ),
    _fmt("{f}?", f=frame),
)
# Text made of what trips tokenizers and magic detection: sigils, quotes, brackets, continuations.
JUNK = st.lists(
    st.sampled_from(
        [
            *"%!?'\"\\\n\t #()[]{}:=.,-+*/@$abcdfxy0129",
            "%%",
            '"""',
            "'" * 3,
            "print ",
            "def ",
            "lambda",
            "pd.read_csv(",
            "if x:\n    ",
            "\r\n",
            "\x00",
            "\ufeff",
            "é",
        ]
    ),
    max_size=60,
).map("".join)
STATEMENT = st.one_of(IMPORTS, READS, TRANSFORMS, PLOTS, PRINTS, FITS, WRITES)
CODE_CELL = st.one_of(
    st.lists(STATEMENT, min_size=1, max_size=4).map("\n".join),
    st.tuples(MAGICS, st.lists(STATEMENT, max_size=2)).map(lambda t: "\n".join([t[0], *t[1]])),
    st.lists(STATEMENT, min_size=1, max_size=3).map(lambda lines: "%%time\n" + "\n".join(lines)),
)
MARKDOWN_CELL = st.one_of(
    st.integers(1, 3).map(lambda n: f"# Section {n}\n\nSome words about it."),
    st.just("## Train the model"),
    st.just("Plain prose, `code` and *emphasis*."),
)


# A story: what a data scientist's notebook does, in order, every step optional, noise in between.
STORY = (
    st.sampled_from(
        (
            'df = pd.read_csv("data/train.csv")',
            'data_dir = "./data/"\ndf = pd.read_csv(os.path.join(data_dir, "train.csv"))',
            'df = pd.read_parquet("data/train.parquet")',
            'train = pd.read_csv("data/train.csv")\ntest = pd.read_csv("data/test.csv")\ndf = pd.concat([train, test])',
            'df = pd.read_csv("data/train.csv")\nextra = pd.read_csv("data/extra.csv")\ndf = df.append(extra)',
        )
    ),
    st.lists(
        st.sampled_from(
            (
                "df = df.dropna()",
                "df.dropna(inplace=True)",
                'df["c"] = df["a"] * 2',
                'df = df[df["a"] > 0]',
                'for col in ["a", "b"]:\n    df[col] = df[col].fillna(0)',
                "def clean(frame):\n    return frame.drop_duplicates()\n\n\ndf = clean(df)",
                "df = df.astype(np.float)",
            )
        ),
        max_size=3,
    ).map("\n".join),
    # Every later step may read these: a story defines each name it uses, as a notebook that runs does
    # (a name used before any cell defines it is NB702, which convert refuses).
    st.sampled_from(
        (
            "alpha = 0.5\ntest_size = 0.2\nn_estimators = 100",
            "test_size = 0.25\nn_estimators = 50\nalpha = 1.0",
            "learning_rate = 0.1\nn_estimators = 100\nalpha = 0.1\ntest_size = 0.3",
        )
    ),
    st.sampled_from(
        (
            'X_train, X_test, y_train, y_test = train_test_split(df[["a", "c"]], df["b"], test_size=0.2, '
            "random_state=0)",
            'X_train, X_test, y_train, y_test = train_test_split(df[["a"]], df["b"], test_size=test_size, '
            "random_state=42)",
            'X_train, X_test, y_train, y_test = train_test_split(df[["a"]], df["b"])',
        )
    ),
    st.sampled_from(
        (
            "model = Ridge(alpha=alpha)",
            "model = Ridge(alpha=1.0)",
            "model = RandomForestRegressor(n_estimators=n_estimators, random_state=0)",
            "model = RandomForestRegressor(n_estimators=50)",
        )
    ),
    st.just("model.fit(X_train, y_train)\npreds = model.predict(X_test)"),
    st.lists(
        st.sampled_from(
            (
                'mse = mean_squared_error(y_test, preds)\nprint("MSE:", mse)',
                'print("R2:", r2_score(y_test, preds))',
                "score = model.score(X_test, y_test)\nprint(score)",
                'mlflow.log_metric("mse", mean_squared_error(y_test, preds))',
            )
        ),
        max_size=2,
        unique=True,
    ).map("\n".join),
    st.sampled_from(
        (
            'df.to_csv("output/clean.csv")',
            'os.makedirs("./model/", exist_ok=True)\nwith open("./model/model.pkl", "wb") as handle:\n'
            "    pickle.dump(model, handle)",
            'pd.DataFrame({"pred": preds}).to_parquet("out/preds.parquet")',
            'np.save("output/preds.npy", preds)',
            # Every story produces something: one that does not is refused ("nothing to convert").
            "print(preds[:3])",
        )
    ),
)
NOISE = st.one_of(PLOTS, PRINTS, MAGICS, st.just("import seaborn as sns"))
PREAMBLE = (
    "import pandas as pd\nimport numpy as np\nimport os\nimport pickle\nimport mlflow\n"
    "import matplotlib.pyplot as plt\n"
    "from sklearn.linear_model import Ridge\nfrom sklearn.ensemble import RandomForestRegressor\n"
    "from sklearn.model_selection import train_test_split\nfrom sklearn.metrics import mean_squared_error, r2_score"
)


@st.composite
def stories(draw) -> list[tuple[str, str]]:
    """A notebook that reads, cleans, fits, evaluates and writes, with plots, prints and magics mixed in."""
    steps = [PREAMBLE] + [step for step in (draw(part) for part in STORY) if step]
    for _ in range(draw(st.integers(0, 4))):
        steps.insert(draw(st.integers(1, len(steps))), draw(NOISE))
    cells: list[tuple[str, str]] = []
    current: list[str] = []
    for step in steps:
        current.append(step)
        if draw(st.booleans()):
            cells.append(("code", "\n".join(current)))
            current = []
        if draw(st.integers(0, 5)) == 0:
            cells.append(("markdown", draw(MARKDOWN_CELL)))
    if current:
        cells.append(("code", "\n".join(current)))
    return cells


@st.composite
def jumbles(draw, junk: bool = False) -> list[tuple[str, str]]:
    """Statements of the grammar in any order: names used before (or without) being defined."""
    cells = [("code", PREAMBLE)]
    cell = st.one_of(CODE_CELL.map(lambda c: ("code", c)), MARKDOWN_CELL.map(lambda c: ("markdown", c)))
    if junk:
        cell = st.one_of(cell, st.one_of(st.text(max_size=80), JUNK).map(lambda t: ("code", t)))
    return cells + draw(st.lists(cell, min_size=1, max_size=8))


def _percent(cells: list[tuple[str, str]]) -> str:
    parts = []
    for kind, text in cells:
        if kind == "markdown":
            parts.append("# %% [markdown]\n" + "\n".join(f"# {line}".rstrip() for line in text.split("\n")))
        else:
            parts.append("# %%\n" + text)
    return "\n".join(parts) + "\n"


def notebooks(junk: bool = False) -> st.SearchStrategy[str]:
    """A percent-format notebook: a story (two in three) or a jumble of the grammar's statements."""
    return st.one_of(stories(), stories(), jumbles(junk)).map(_percent)


def _analysed(text: str):
    notebook = notebook_from_text(text, path="generated/notebook.ipynb")
    return analyze_notebook(notebook)


def _convertible(analysis, nb) -> bool:
    """What convert accepts, asked of the library: `plan_job` / `plan_pipeline` run this same check."""
    try:
        check_convertible(analysis, nb)
    except NotebookRefused:
        return False
    return True


def _planned(plan, *args):
    """`plan_job(*args)` / `plan_pipeline(*args)`, or the example is rejected when the library refuses the
    notebook as convert does (`NotebookRefused`): any other error, a script that does not compile
    included, fails the property."""
    try:
        return plan(*args)
    except NotebookRefused:
        reject()


# Junk cells make Python warn while parsing them (`0x1for`): expected, and not what is tested.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

OUT = Path("generated_out")
# NB2AML_PROPERTY_SCALE=20 multiplies every example count, for a deeper run than the suite's.
SCALE = max(1, int(os.environ.get("NB2AML_PROPERTY_SCALE", "1")))
COMMON = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


# --- 1. analyze never raises ----------------------------------------------------------------------------


@settings(COMMON, max_examples=500 * SCALE)
@given(notebooks(junk=True))
def test_analyze_never_raises(text):
    analysis, nb = _analysed(text)
    assert len(analysis.cells) == len(analysis.notebook.cells)
    assert nb.kept <= {s.id for s in nb.facts.statements if s.depth == 0}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
RAW_CELL = st.fixed_dictionaries(
    {},
    optional={
        "cell_type": st.sampled_from(["code", "markdown", "raw", "heading", 3]) | JSON,
        "source": st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3) | JSON,
        "metadata": st.fixed_dictionaries({}, optional={"tags": JSON | st.lists(st.text(max_size=8))}) | JSON,
        "execution_count": st.integers() | JSON,
        "outputs": JSON,
    },
)
RAW_NOTEBOOK = (
    st.fixed_dictionaries(
        {},
        optional={
            "nbformat": st.sampled_from([4, 3, 5, "4", None]),
            "nbformat_minor": st.integers(0, 5),
            "cells": st.lists(RAW_CELL, max_size=4) | JSON,
            "worksheets": st.lists(st.fixed_dictionaries({"cells": st.lists(RAW_CELL, max_size=3)}), max_size=2) | JSON,
            "metadata": st.fixed_dictionaries({}, optional={"language_info": JSON, "kernelspec": JSON}) | JSON,
        },
    )
    | JSON
)


@settings(COMMON, max_examples=300 * SCALE)
@given(RAW_NOTEBOOK, st.sampled_from(["nb.ipynb", "nb.py"]))
def test_loading_any_json_gives_a_notebook_or_one_line(data, name):
    """Hand-edited or foreign JSON: `load_notebook` returns a notebook or raises NotebookError with one line naming
    the file."""
    import json

    from nb2aml.notebook import load_notebook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(json.dumps(data), encoding="utf-8")
        try:
            notebook = load_notebook(path)
        except Nb2amlError as exc:
            message = str(exc)
            assert message.startswith(str(path)) and "\n" not in message
            return
        analyze_notebook(notebook)


# --- 2. convert output compiles ---------------------------------------------------------------------------


@settings(COMMON, max_examples=200 * SCALE)
@given(notebooks())
def test_convert_output_compiles(text):
    analysis, nb = _analysed(text)
    plan = _planned(plan_job, analysis, nb, OUT)
    scripts = [name for name in plan.files if name.endswith(".py")]
    assert scripts == [f"src/{plan.script.name}.py"]
    check_scripts_compile(plan.files)


# --- 3. split == convert --------------------------------------------------------------------------------


@st.composite
def notebook_and_cells(draw):
    text = draw(notebooks())
    count = text.count("# %%")
    starts = draw(st.lists(st.integers(2, count), max_size=3, unique=True)) if count > 1 else []
    starts = [1, *sorted(starts)]
    spec = ",".join(f"step{i}={start}" for i, start in enumerate(starts))
    return text, spec


@settings(COMMON, max_examples=200 * SCALE)
@given(notebook_and_cells())
def test_split_keeps_what_convert_keeps(case):
    text, spec = case
    analysis, nb = _analysed(text)
    assume(_convertible(analysis, nb))
    try:
        assignment = from_cells_option(analysis.notebook, (spec,))
        components, _edges = plan_flow(analysis, nb, assignment)
    except Nb2amlError as exc:
        # A range of markdown only, or of cells that are all stripped, is refused: not this property.
        assume("has no code cell" not in str(exc) and "keeps no code" not in str(exc))
        raise
    top_level = {s.id for s in nb.facts.statements if s.depth == 0}
    assert [sid for component in components for sid in sorted(component.own)] == sorted(nb.kept & top_level)
    for component in components:
        assert not component.own & component.copied


@settings(COMMON, max_examples=60 * SCALE)
@given(notebook_and_cells())
def test_split_output_compiles(case):
    text, spec = case
    analysis, nb = _analysed(text)
    assume(_convertible(analysis, nb))  # before the cells are read, as `split` refuses
    try:
        plan = _planned(plan_pipeline, analysis, nb, from_cells_option(analysis.notebook, (spec,)), OUT)
    except Nb2amlError as exc:
        assume("has no code cell" not in str(exc) and "keeps no code" not in str(exc))
        raise
    scripts = [name for name in plan.files if name.endswith(".py")]
    assert len(scripts) == len(plan.steps) + 1  # the steps and the handoff module
    check_scripts_compile(plan.files)


# --- 4. nothing left in the converted script ----------------------------------------------------------------

LEFT = {"NB101", "NB102", "NB201", "NB202", "NB301", "NB302"}


@settings(COMMON, max_examples=100 * SCALE)
@given(notebooks())
def test_converted_script_has_nothing_left_to_do(text):
    analysis, nb = _analysed(text)
    plan = _planned(plan_job, analysis, nb, OUT)
    again, _ = _analysed("# %%\n" + plan.script.text)
    left = sorted((f.code, f.pos.line, f.message) for f in again.findings if f.code in LEFT)
    assert left == [], "\n" + plan.script.text


# --- 5. reruns are identical ---------------------------------------------------------------------------------


@settings(COMMON, max_examples=30 * SCALE)
@given(notebook_and_cells())
def test_planning_twice_gives_the_same_files(case):
    text, spec = case
    analysis, nb = _analysed(text)
    assert _planned(plan_job, analysis, nb, OUT).files == plan_job(*_analysed(text), OUT).files
    try:
        first = plan_pipeline(analysis, nb, from_cells_option(analysis.notebook, (spec,)), OUT).files
    except Nb2amlError:
        return
    again, again_nb = _analysed(text)
    assert first == plan_pipeline(again, again_nb, from_cells_option(again.notebook, (spec,)), OUT).files


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@settings(COMMON, max_examples=8 * SCALE)
@given(notebooks())
def test_cli_convert_twice_is_byte_identical_and_writes_only_its_folder(text):
    analysis, nb = _analysed(text)
    assume(_convertible(analysis, nb))
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        work, notebooks_dir = root / "work", root / "notebooks"
        work.mkdir()
        notebooks_dir.mkdir()
        (notebooks_dir / "notebook.py").write_text(text, encoding="utf-8")
        before_work, before_notebooks = _snapshot(work), _snapshot(notebooks_dir)
        os.chdir(work)
        try:
            for out in ("first", "second"):
                result = CliRunner().invoke(
                    main,
                    ["convert", str(notebooks_dir / "notebook.py"), "-o", out, "-y", "--no-validate"],
                    catch_exceptions=False,
                )
                assert result.exit_code == 0, result.output
        finally:
            os.chdir(here)
        assert _snapshot(notebooks_dir) == before_notebooks
        after = _snapshot(work)
        assert {name.split("/")[0] for name in set(after) - set(before_work)} == {"first", "second"}
        assert _snapshot(work / "first") == _snapshot(work / "second")


def test_the_grammar_reaches_every_kind_of_finding():
    """The generator is not vacuous: its notebooks raise the findings the properties are about, and most convert."""
    seen: set[str] = set()
    convertible = []

    @settings(COMMON, max_examples=150)
    @given(notebooks(junk=True))
    def sample(text):
        analysis, nb = _analysed(text)
        seen.update(f.code for f in analysis.findings)
        convertible.append(_convertible(analysis, nb))

    sample()
    assert {"NB001", "NB101", "NB102", "NB201", "NB202", "NB301", "NB302", "NB401", "NB501", "NB703"} <= seen
    # Jumbles use names before defining them and junk does not parse: convert rightly refuses those
    # (NB702, NB001). Stories are notebooks that run, and most of them must convert.
    stories_convertible = []

    @settings(COMMON, max_examples=100)
    @given(stories().map(_percent))
    def sample_stories(text):
        stories_convertible.append(_convertible(*_analysed(text)))

    sample_stories()
    assert sum(stories_convertible) >= len(stories_convertible) * 3 // 5
    assert sum(convertible) >= len(convertible) // 3


def test_a_future_import_survives_conversion():
    text = (
        "# %%\nimport pandas as pd\ndf = pd.read_csv('data/a.csv')\n"
        "# %%\nfrom __future__ import annotations\ndef rows(frame: Frame) -> int:\n    return len(frame)\n"
        "print(rows(df))\n"
    )
    analysis, nb = _analysed(text)
    plan = plan_job(analysis, nb, OUT)
    check_scripts_compile(plan.files)
    script = plan.script.text
    assert "from __future__ import annotations" in script


if __name__ == "__main__":  # pragma: no cover - print a few samples of the grammar
    for _ in range(3):
        print(notebooks().example(), "-" * 60, sep="\n")
