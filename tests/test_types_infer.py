"""Type inference, one row per branch: (expression, inferred kind) after a fixed prelude."""

from __future__ import annotations

import ast
import typing

import pytest
from helpers import notebook_from_text

from nb2aml.analysis.collect import collect
from nb2aml.analysis.types_infer import (
    ValueType,
    element_types,
    infer_type,
    method_result_type,
    type_of_qualname,
)

PRELUDE = """\
# %%
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import sqlite3
import random
from pathlib import Path
from sklearn.linear_model import Ridge
df = pd.DataFrame({'a': [1]})
arr = np.zeros(3)
model = Ridge()
fig, axes = plt.subplots(1, 2)
p = Path('x')
s = 'text'
n = 3
con = sqlite3.connect(':memory:')
fh = open('x')
it = iter([1])
rs = np.random.RandomState(0)
rng = np.random.default_rng(0)
rnd = random.Random(1)
class Thing:
    pass
def helper():
    return 1
"""

ROWS = [
    # names
    ("np", "module"),
    ("df", "pandas"),
    ("unknown_name", None),
    ("helper", "function"),
    ("Thing", "class"),
    # constants
    ("True", "bool"),
    ("1", "number"),
    ("1.5", "number"),
    ("1j", "number"),
    ("'x'", "str"),
    ("b'x'", "bytes"),
    ("None", "none"),
    ("...", None),
    # displays and comprehensions
    ("[1]", "list"),
    ("[x for x in s]", "list"),
    ("{1: 2}", "dict"),
    ("{x: 1 for x in s}", "dict"),
    ("{1}", "set"),
    ("{x for x in s}", "set"),
    ("(1, 2)", "tuple"),
    ("(x for x in s)", "iterator"),
    ("f'{n}'", "str"),
    # subscripts
    ("df['a']", "pandas"),
    ("arr[0]", "ndarray"),
    ("axes[0]", "figure"),
    ("[1][0]", None),
    # attributes
    ("df.shape", "tuple"),
    ("df.values", "ndarray"),
    ("df.style", "figure"),
    ("df.plot", "figure"),
    ("df.empty", "bool"),
    ("df.columns", "pandas"),
    ("arr.T", "ndarray"),
    ("arr.shape", "tuple"),
    ("arr.size", "number"),
    ("arr.dtype", None),
    ("axes.flat", "figure"),
    ("np.pi", "ndarray"),
    ("p.name", None),
    # binary, unary, comparison, conditional
    ("df + 1", "pandas"),
    ("1 + arr", "ndarray"),
    ("p / 'a'", "path"),
    ("s + s", "str"),
    ("[1] + [2]", "list"),
    ("n * 2", "number"),
    ("True + 1", "number"),
    ("s * n", None),
    ("-n", "number"),
    ("not df", "bool"),
    ("df > 1", "pandas"),
    ("n > 1", "bool"),
    ("n if s else 2", "number"),
    ("n if s else s", None),
    ("lambda: 1", None),
    # calls of resolved names
    ("pd.read_csv('x')", "pandas"),
    ("pd.set_option('a', 1)", None),
    ("np.arange(3)", "ndarray"),
    ("Ridge()", "estimator"),
    ("plt.figure()", "figure"),
    ("Path('x')", "path"),
    ("np.random.RandomState(1)", "rng"),
    ("np.random.default_rng()", "rng"),
    ("random.Random()", "rng"),
    ("sqlite3.connect('x')", "connection"),
    ("open('x')", "file"),
    ("iter([1])", "iterator"),
    ("zip([1], [2])", "iterator"),
    ("len(s)", "number"),
    ("sorted(s)", "list"),
    ("print(s)", None),
    ("Thing()", "object"),
    ("helper()", None),
    ("random.random()", None),
    # method calls by receiver kind
    ("df.to_numpy()", "ndarray"),
    ("df.tolist()", "list"),
    ("df.to_dict()", "dict"),
    ("df.to_csv('x')", None),
    ("df.to_frame()", "pandas"),
    ("df.hist()", "figure"),
    ("df.dropna()", "pandas"),
    ("model.fit(arr, arr)", "estimator"),
    ("model.predict(arr)", "ndarray"),
    ("model.score(arr, arr)", "number"),
    ("model.get_params()", None),
    ("axes[0].set_title('t')", "figure"),
    ("p.with_suffix('.csv')", "path"),
    ("p.exists()", None),
    ("s.split()", "list"),
    ("s.upper()", "str"),
    ("arr.tolist()", "list"),
    ("arr.reshape(3, 1)", "ndarray"),
    ("con.cursor()", "connection"),
    ("con.execute('select 1')", "connection"),
    ("con.commit()", None),
    ("fh.read()", "str"),
    ("fh.readlines()", "list"),
    ("fh.write('x')", None),
    ("rs.rand()", None),
    ("(1).bit_length()", None),
    ("helper()()", None),
]


@pytest.fixture(scope="module")
def scope():
    _, collector = collect(notebook_from_text(PRELUDE))
    return collector


@pytest.mark.parametrize(("expression", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_inferred_type(scope, expression, expected):
    node = ast.parse(expression, mode="eval").body
    assert infer_type(node, scope) == expected


def test_every_kind_is_a_declared_literal():
    kinds = set(typing.get_args(ValueType))
    assert {e for _, e in ROWS if e is not None} <= kinds
    assert type_of_qualname(None) is None and type_of_qualname("numpy.random.Generator") == "rng"
    assert method_result_type(None, "anything") is None


@pytest.mark.parametrize(
    ("loop", "expected"),
    [
        ("for ax in axes.flat: pass", ["figure"]),
        ("for i, ax in enumerate(axes): pass", ["number", "figure"]),
        ("for a, b in zip(arr, axes): pass", ["ndarray", "figure"]),
        ("for col in df: pass", [None]),
        ("for x, y in [(1, 2)]: pass", [None, None]),
    ],
)
def test_loop_variable_types(scope, loop, expected):
    node = ast.parse(loop).body[0]
    count = len([n for n in ast.walk(node.target) if isinstance(n, ast.Name)])
    assert element_types(node.iter, count, scope) == expected
