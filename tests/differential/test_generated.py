"""Generated programs over lists, dicts, ndarrays and DataFrames with aliases, views, in-place
methods and globals: the converted job prints and writes what the notebook does, or convert refuses."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import Case, check

pytestmark = pytest.mark.slow

SETUP = [
    "import random",
    "import numpy as np",
    "import pandas as pd",
    "rows = [[1], [2], [3]]",
    "table = {'k': [0], 'n': 1}",
    "arr = np.arange(6.0)",
    "df = pd.DataFrame({'a': [1.0, None, 3.0]})",
    "counter = 0",
]
# Bindings that share memory with a base value.
ALIASES = [
    "same = rows",
    "first = rows[0]",
    "bucket = table['k']",
    "view = arr[1:4]",
    "grid = arr.reshape(2, 3)",
    "flat = np.asarray(arr)",
    "col = df['a']",
    "frame = df",
    "vals = df['a'].to_numpy()",
    "other = table",
]
ALIAS_NAMES = [a.split(" = ")[0] for a in ALIASES]
# Changes through a name; each line only uses names its alias binding (or the setup) defines.
CHANGES = {
    "same": ["same.append([4])", "same.reverse()", "random.shuffle(same)"],
    "first": ["first.append(9)", "first[0] = -1"],
    "bucket": ["bucket.append(5)", "bucket.clear()"],
    "view": ["view[:] = 0", "view += 1", "np.add(view, 2, out=view)"],
    "grid": ["grid[0, 0] = 42", "grid.T[1, 1] = 7"],
    "flat": ["flat.sort()", "np.copyto(flat, 1.5)", "flat.fill(2)"],
    "col": ["col.fillna(0, inplace=True)"],
    "frame": ["frame['b'] = 1", "frame.fillna(5, inplace=True)", "frame.rename(columns={'a': 'z'}, inplace=True)"],
    "vals": ["vals.sort()", "vals[0] = 8"],
    "other": ["other['n'] += 1", "other.update({'m': 2})", "other.pop('n')"],
    None: ["rows.append([0])", "arr *= 2", "table.setdefault('s', []).append(1)", "bump()", "np.random.shuffle(arr)"],
}
NOISE = [
    "rows",
    "arr.sum()",
    "df.head()",
    "len(table)",
    "df.describe()",
    "arr.mean()",
    "np.random.rand()",
    "[r for r in rows]",
]
FINAL = "print(rows, table, arr.tolist(), df.to_dict(), counter)"


@st.composite
def programs(draw) -> Case:
    chosen = draw(st.lists(st.sampled_from(range(len(ALIASES))), min_size=1, max_size=4, unique=True))
    first_cell = SETUP + ["def bump():\n    global counter\n    counter += 1"] + [ALIASES[i] for i in chosen]
    usable = [ALIAS_NAMES[i] for i in chosen] + [None]
    cells = [first_cell]
    for _ in range(draw(st.integers(1, 4))):
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(CHANGES[draw(st.sampled_from(usable))])))
            else:
                lines.append(draw(st.sampled_from(NOISE)))
        cells.append(lines)
    cells.append([FINAL])
    text_cells = tuple(tuple("\n".join(lines).split("\n")) for lines in cells)
    return Case("generated", "generated", text_cells)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_generated_program_gives_the_notebooks_result(program):
    with tempfile.TemporaryDirectory(prefix="nb2aml-gen-") as tmp:
        outcome = check(program, Path(tmp), with_split=False)
    assert outcome.status in ("same", "refused"), (
        outcome.detail + "\n" + "\n# %%\n".join("\n".join(c) for c in program.cells)
    )
