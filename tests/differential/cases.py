"""The differential cases: tiny notebooks whose every cell is a list of lines.

Each case mixes what must stay (a mutation through an alias, a write, a draw from a generator) with
what may go (a bare expression, a plot), and ends by printing what the mutation reached.
"""

from __future__ import annotations

import importlib.util

from .harness import case

CSV = {"data/in.csv": "a,b\n1,10\n2,20\n3,30\n"}

ALIASING = [
    case("alias_list", "aliasing", "xs = [3, 1, 2]\nys = xs", "ys.append(9)\nys", "print(xs)"),
    case("alias_dict", "aliasing", "d = {'k': 1}\ne = d", "e['k'] = 2\ne", "print(d)"),
    case("alias_chain", "aliasing", "a = [1]\nb = a\nc = b", "c.append(2)", "print(a)"),
    case("alias_rebind_breaks", "aliasing", "a = [1]\nb = a\nb = [5]", "b.append(2)\nb", "print(a)"),
    case("alias_tuple_member", "aliasing", "inner = [1]\npair = (inner, 2)", "pair[0].append(3)", "print(inner)"),
    case(
        "alias_list_member",
        "aliasing",
        "rows = [{'k': 1}, {'k': 2}]\nfirst = rows[0]",
        "first['k'] = 20\nfirst",
        "print(rows)",
    ),
    case("alias_dict_member", "aliasing", "cfg = {'opts': [1]}\nopts = cfg['opts']", "opts.append(2)", "print(cfg)"),
    case("alias_nested_member", "aliasing", "grid = [[0, 0], [0, 0]]\nrow = grid[1]", "row[0] = 5", "print(grid)"),
    case(
        "alias_attribute",
        "aliasing",
        "class Box:\n    pass\nbox = Box()\nbox.items = [1]\nheld = box.items",
        "held.append(2)",
        "print(box.items)",
    ),
    case(
        "alias_for_loop_dicts",
        "aliasing",
        "rows = [{'k': 1}, {'k': 2}]",
        "for r in rows:\n    r['k'] += 1\nrows",
        "print(rows)",
    ),
    case("alias_for_loop_lists", "aliasing", "rows = [[1], [2]]", "for r in rows:\n    r.append(0)", "print(rows)"),
    case(
        "alias_enumerate",
        "aliasing",
        "rows = [[1], [2]]",
        "for i, r in enumerate(rows):\n    r.append(i)",
        "print(rows)",
    ),
    case(
        "alias_zip",
        "aliasing",
        "xs = [[1], [2]]\nys = [3, 4]",
        "for x, y in zip(xs, ys):\n    x.append(y)",
        "print(xs)",
    ),
    case(
        "alias_dict_values", "aliasing", "d = {'a': [1], 'b': [2]}", "for v in d.values():\n    v.append(0)", "print(d)"
    ),
    case("alias_dict_items", "aliasing", "d = {'a': [1]}", "for k, v in d.items():\n    v.append(k)", "print(d)"),
    case(
        "alias_shallow_copy",
        "aliasing",
        "rows = [[1], [2]]\ncopy_rows = list(rows)",
        "copy_rows[0].append(7)",
        "print(rows)",
    ),
    case(
        "alias_copy_module",
        "aliasing",
        "import copy\nrows = [[1]]\nc = copy.copy(rows)",
        "c[0].append(2)",
        "print(rows)",
    ),
    case(
        "alias_deepcopy_independent",
        "aliasing",
        "import copy\nrows = [[1]]\nc = copy.deepcopy(rows)",
        "c[0].append(2)\nc",
        "print(rows)",
    ),
    case("alias_ifexp", "aliasing", "a = [1]\nb = [2]\nc = a if len(a) else b", "c.append(3)", "print(a, b)"),
    case("alias_walrus", "aliasing", "a = [1]\nif (b := a):\n    pass", "b.append(2)", "print(a)"),
    case(
        "alias_function_returns_arg",
        "aliasing",
        "def same(x):\n    return x\na = [1]\nb = same(a)",
        "b.append(2)",
        "print(a)",
    ),
    case(
        "alias_df_assign",
        "aliasing",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\nother = df",
        "other['b'] = other['a'] * 2\nother.head()",
        "print(df)",
    ),
    case("alias_setdefault", "aliasing", "d = {}\nbucket = d.setdefault('k', [])", "bucket.append(1)", "print(d)"),
    case("alias_get", "aliasing", "d = {'k': [1]}\nbucket = d.get('k')", "bucket.append(2)", "print(d)"),
]

VIEWS = [
    case(
        "view_slice_assign",
        "views",
        "import numpy as np\nbase = np.arange(6)\nview = base[:3]",
        "view[:] = 0\nview",
        "print(base)",
    ),
    case(
        "view_reshape",
        "views",
        "import numpy as np\nflat = np.zeros(4)\ngrid = flat.reshape(2, 2)",
        "grid[0, 0] = 1",
        "print(flat)",
    ),
    case("view_ravel", "views", "import numpy as np\nm = np.zeros((2, 2))\nr = m.ravel()", "r[3] = 5", "print(m)"),
    case("view_transpose", "views", "import numpy as np\nm = np.zeros((2, 3))\nt = m.T", "t[0, 1] = 4", "print(m)"),
    case(
        "view_asarray",
        "views",
        "import numpy as np\nbase = np.arange(3)\nv = np.asarray(base)",
        "v += 10",
        "print(base)",
    ),
    case(
        "view_np_reshape_func",
        "views",
        "import numpy as np\nbase = np.arange(4)\nv = np.reshape(base, (2, 2))",
        "v[1] = 0",
        "print(base)",
    ),
    case(
        "view_view_method",
        "views",
        "import numpy as np\nbase = np.arange(4)\nv = base.view()",
        "v[0] = 99",
        "print(base)",
    ),
    case(
        "view_step_slice", "views", "import numpy as np\nbase = np.arange(8)\nev = base[::2]", "ev *= 0", "print(base)"
    ),
    case("view_row", "views", "import numpy as np\nm = np.zeros((2, 2))\nrow = m[1]", "row += 1", "print(m)"),
    case(
        "view_of_view",
        "views",
        "import numpy as np\nbase = np.arange(6)\na = base[1:]\nb = a[1:]",
        "b[0] = -1",
        "print(base)",
    ),
    case("view_squeeze", "views", "import numpy as np\nm = np.zeros((1, 3))\ns = m.squeeze()", "s[1] = 2", "print(m)"),
    case("view_flat", "views", "import numpy as np\nm = np.zeros((2, 2))", "m.flat[2] = 7", "print(m)"),
    case(
        "view_to_numpy_sort",
        "views",
        "import pandas as pd\ns = pd.Series([3, 1, 2])\nvals = s.to_numpy(copy=True)",
        "vals.sort()\nvals",
        "print(vals)",
    ),
    case(
        "view_to_numpy_shared",
        "views",
        "import pandas as pd\nimport numpy as np\ns = pd.Series([3.0, 1.0, 2.0])\nv = s.to_numpy()",
        "v[0] = 0.5",
        "print(s.tolist())",
    ),
    case(
        "view_values",
        "views",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, 2.0]})\nv = df['a'].values",
        "v[0] = 9.0\ndf.describe()",
        "print(df['a'].tolist())",
    ),
    case(
        "view_series_column",
        "views",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\ncol = df['a']",
        "col.iloc[0] = 5",
        "print(df)",
    ),
    case(
        "view_loc_rows",
        "views",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})\npart = df.loc[:, 'a']",
        "part.iloc[1] = 0",
        "print(df)",
    ),
    case(
        "view_frame_head_sort",
        "views",
        "import pandas as pd\ndf = pd.DataFrame({'a': [3, 1, 2]})\ntop = df.head(2).copy()",
        "top.sort_values('a', inplace=True)\ntop",
        "print(top)",
    ),
    case("view_list_slice_copy", "views", "xs = [1, 2, 3]\npart = xs[:2]", "part.append(5)\npart", "print(xs, part)"),
    case("view_array_sort_inplace", "views", "import numpy as np\na = np.array([3, 1, 2])", "a.sort()", "print(a)"),
    case(
        "view_array_fill", "views", "import numpy as np\nbase = np.zeros(3)\nv = base[1:]", "v.fill(2)", "print(base)"
    ),
    case(
        "view_iterate_rows",
        "views",
        "import numpy as np\nm = np.zeros((2, 2))",
        "for row in m:\n    row += 1",
        "print(m)",
    ),
    case(
        "view_diagonal_copy",
        "views",
        "import numpy as np\nm = np.eye(2)\nd = np.diagonal(m).copy()",
        "d[0] = 5\nd",
        "print(m, d)",
    ),
    case(
        "view_series_inplace",
        "views",
        "import pandas as pd\ns = pd.Series([1, None, 3])",
        "s.fillna(0, inplace=True)",
        "print(s)",
    ),
]

WRITE_THROUGH = [
    case("out_add", "write-through", "import numpy as np\nb = np.zeros(3)", "np.add(b, 1, out=b)", "print(b)"),
    case(
        "out_multiply",
        "write-through",
        "import numpy as np\nb = np.ones(3)\nc = np.zeros(3)",
        "np.multiply(b, 3, out=c)",
        "print(c)",
    ),
    case("copyto", "write-through", "import numpy as np\nb = np.zeros(3)", "np.copyto(b, 4)", "print(b)"),
    case("copyto_view", "write-through", "import numpy as np\nb = np.zeros(4)", "np.copyto(b[:2], 4)", "print(b)"),
    case("put", "write-through", "import numpy as np\nb = np.zeros(4)", "np.put(b, [0, 2], 1)", "print(b)"),
    case(
        "fill_diagonal",
        "write-through",
        "import numpy as np\nm = np.zeros((2, 2))",
        "np.fill_diagonal(m, 3)",
        "print(m)",
    ),
    case("ufunc_at", "write-through", "import numpy as np\nb = np.zeros(3)", "np.add.at(b, [0, 0], 1)", "print(b)"),
    case("heappush", "write-through", "import heapq\nh = []", "heapq.heappush(h, 3)\nheapq.heappush(h, 1)", "print(h)"),
    case("heapify", "write-through", "import heapq\nh = [3, 1, 2]", "heapq.heapify(h)", "print(h)"),
    case("insort", "write-through", "import bisect\nxs = [1, 5]", "bisect.insort(xs, 3)", "print(xs)"),
    case("random_shuffle", "write-through", "import random\nxs = [1, 2, 3, 4]", "random.shuffle(xs)", "print(xs)"),
    case("np_shuffle", "write-through", "import numpy as np\nxs = np.arange(5)", "np.random.shuffle(xs)", "print(xs)"),
    case(
        "setattr_builtin", "write-through", "class C:\n    pass\nc = C()\nc.v = 1", "setattr(c, 'v', 2)", "print(c.v)"
    ),
    case(
        "clip_out",
        "write-through",
        "import numpy as np\nb = np.array([-1.0, 5.0])",
        "np.clip(b, 0, 1, out=b)",
        "print(b)",
    ),
]

STATEFUL = [
    case(
        "randomstate_draw",
        "stateful",
        "import numpy as np\nrs = np.random.RandomState(3)",
        "rs.rand()",
        "print(rs.rand())",
    ),
    case(
        "default_rng_draw",
        "stateful",
        "import numpy as np\nrng = np.random.default_rng(1)",
        "rng.integers(10)",
        "print(rng.integers(10))",
    ),
    case(
        "rng_shuffle",
        "stateful",
        "import numpy as np\nrng = np.random.default_rng(2)\nxs = np.arange(5)",
        "rng.shuffle(xs)",
        "print(xs)",
    ),
    case(
        "global_np_random",
        "stateful",
        "import numpy as np\nnp.random.seed(0)",
        "np.random.rand()",
        "print(np.random.rand())",
    ),
    case("global_random", "stateful", "import random\nrandom.seed(0)", "random.random()", "print(random.random())"),
    case(
        "global_random_assigned_unused",
        "stateful",
        "import numpy as np\nnp.random.seed(1)",
        "unused = np.random.rand(3)",
        "print(np.random.permutation(4))",
    ),
    case("random_instance", "stateful", "import random\nr = random.Random(5)", "r.random()", "print(r.random())"),
    case("iterator_next", "stateful", "it = iter([1, 2, 3])", "next(it)", "print(next(it))"),
    case("iterator_consumed", "stateful", "it = iter([1, 2, 3])", "list(it)", "print(list(it))"),
    case(
        "generator_function", "stateful", "def gen():\n    yield 1\n    yield 2\ng = gen()", "next(g)", "print(next(g))"
    ),
    case("zip_iterator", "stateful", "pairs = zip([1, 2], [3, 4])", "next(pairs)", "print(list(pairs))"),
    case(
        "sqlite_cursor",
        "stateful",
        "import sqlite3\ncon = sqlite3.connect(':memory:')\ncon.execute('create table t (a)')",
        "con.execute('insert into t values (1)')",
        "print(con.execute('select count(*) from t').fetchall())",
    ),
    case(
        "sqlite_fetch_advances",
        "stateful",
        "import sqlite3\ncon = sqlite3.connect(':memory:')\ncur = con.execute('select 1 union all select 2')",
        "cur.fetchone()",
        "print(cur.fetchone())",
    ),
    case(
        "file_read_advances",
        "stateful",
        "f = open('data/in.csv')",
        "f.readline()",
        "print(f.readline().strip())",
        data=CSV,
    ),
    case(
        "csv_reader_advances",
        "stateful",
        "import csv\nf = open('data/in.csv')\nrows = csv.reader(f)",
        "next(rows)",
        "print(next(rows))",
        data=CSV,
    ),
    case(
        "df_sample_global",
        "stateful",
        "import numpy as np\nimport pandas as pd\nnp.random.seed(0)\ndf = pd.DataFrame({'a': range(10)})",
        "df.sample(3)",
        "print(df.sample(2).index.tolist())",
    ),
]

GLOBALS = [
    case(
        "global_counter",
        "globals",
        "counter = 0",
        "def bump():\n    global counter\n    counter += 1",
        "bump()\nbump()",
        "print(counter)",
    ),
    case(
        "global_assigned_in_function",
        "globals",
        "state = None",
        "def init():\n    global state\n    state = [1, 2]",
        "init()",
        "print(state)",
    ),
    case(
        "function_appends_global",
        "globals",
        "log = []",
        "def record(x):\n    log.append(x)",
        "record(1)\nrecord(2)",
        "print(log)",
    ),
    case(
        "function_mutates_global_dict",
        "globals",
        "cache = {}",
        "def remember(k, v):\n    cache[k] = v",
        "remember('a', 1)",
        "print(cache)",
    ),
    case(
        "function_mutates_argument",
        "globals",
        "def add_one(xs):\n    xs.append(1)",
        "data = []\nadd_one(data)",
        "print(data)",
    ),
    case(
        "function_mutates_arg_alias",
        "globals",
        "def touch(rows):\n    first = rows[0]\n    first['k'] = 9",
        "rows = [{'k': 1}]\ntouch(rows)",
        "print(rows)",
    ),
    case(
        "function_mutates_arg_loop",
        "globals",
        "def bump_all(rows):\n    for r in rows:\n        r.append(0)",
        "rows = [[1]]\nbump_all(rows)",
        "print(rows)",
    ),
    case("function_reads_global_later", "globals", "def show():\n    return total * 2", "total = 21", "print(show())"),
    case("pure_function_unused", "globals", "def square(x):\n    return x * x", "square(3)\nvalue = 4", "print(value)"),
    case("function_with_print", "globals", "def report(x):\n    print('value', x)", "report(3)", "print('done')"),
    case(
        "nested_function_global",
        "globals",
        "total = 0",
        "def outer():\n    def inner():\n        global total\n        total += 5\n    inner()",
        "outer()",
        "print(total)",
    ),
    case(
        "method_mutates_self",
        "globals",
        "class Acc:\n    def __init__(self):\n        self.items = []\n    def add(self, x):\n"
        "        self.items.append(x)",
        "acc = Acc()\nacc.add(3)",
        "print(acc.items)",
    ),
]

WRITES = [
    case(
        "to_csv",
        "writes",
        "import os\nos.makedirs('out', exist_ok=True)\nimport pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})",
        "df.to_csv('out/t.csv', index=False)",
    ),
    case(
        "to_sql",
        "writes",
        "import pandas as pd\nimport sqlite3\ncon = sqlite3.connect('db.sqlite')\ndf = pd.DataFrame({'a': [1, 2]})",
        "con.execute('DROP TABLE IF EXISTS t')\ndf.to_sql('t', con)\ncon.close()",
    ),
    case(
        "to_pickle",
        "writes",
        "import os\nos.makedirs('out', exist_ok=True)\nimport pandas as pd\ndf = pd.DataFrame({'a': [1]})",
        "df.to_pickle('out/t.pkl')\ndf.head()",
    ),
    case(
        "to_json",
        "writes",
        "import os\nos.makedirs('out', exist_ok=True)\nimport pandas as pd\ndf = pd.DataFrame({'a': [1]})",
        "df.to_json('out/t.json')",
    ),
    case(
        "open_write",
        "writes",
        "lines = ['a', 'b']",
        "with open('notes.txt', 'w') as f:\n    f.write('\\n'.join(lines))",
    ),
    case("open_write_no_with", "writes", "text = 'hello'", "f = open('out.txt', 'w')\nf.write(text)\nf.close()"),
    case(
        "open_append",
        "writes",
        "import os\nos.makedirs('logs', exist_ok=True)",
        "with open('logs/run.log', 'a') as f:\n    f.write('run')",
    ),
    case(
        "pickle_dump",
        "writes",
        "import pickle\nobj = {'a': [1, 2]}",
        "with open('obj.pkl', 'wb') as f:\n    pickle.dump(obj, f)",
    ),
    case(
        "json_dump", "writes", "import json\nobj = {'a': 1}", "with open('obj.json', 'w') as f:\n    json.dump(obj, f)"
    ),
    case("np_save", "writes", "import numpy as np\na = np.arange(3)", "np.save('arr.npy', a)"),
    case("np_savez", "writes", "import numpy as np\na = np.arange(3)", "np.savez('arrs.npz', a=a)"),
    case("np_savetxt", "writes", "import numpy as np\na = np.arange(3)", "np.savetxt('arr.txt', a)"),
    case("joblib_dump", "writes", "import joblib\nobj = [1, 2]", "joblib.dump(obj, 'obj.joblib')"),
    case(
        "savefig",
        "writes",
        "import matplotlib.pyplot as plt",
        "plt.plot([1, 2, 3])\nplt.title('t')",
        "plt.savefig('fig.png')",
    ),
    case(
        "fig_savefig",
        "writes",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()",
        "ax.plot([3, 1])",
        "fig.savefig('fig.png')",
    ),
    case(
        "sqlite_insert_commit",
        "writes",
        "import sqlite3\ncon = sqlite3.connect('db.sqlite')",
        "con.execute('create table if not exists t (a)')\ncon.execute('insert into t values (2)')\ncon.commit()",
    ),
    case(
        "csv_writer",
        "writes",
        "import csv\nrows = [[1, 2], [3, 4]]",
        "with open('rows.csv', 'w', newline='') as f:\n    w = csv.writer(f)\n    w.writerows(rows)",
    ),
    case(
        "path_write_text",
        "writes",
        "from pathlib import Path\nPath('out').mkdir(exist_ok=True)",
        "Path('out/a.txt').write_text('x')",
    ),
    case(
        "write_after_read",
        "writes",
        "import os\nos.makedirs('out', exist_ok=True)\nimport pandas as pd\ndf = pd.read_csv('data/in.csv')",
        "df['c'] = df.a + df.b\ndf.describe()",
        "df.to_csv('out/c.csv', index=False)",
        data=CSV,
        split=True,
    ),
]

HELPERS = [
    case(
        "plot_only_helper",
        "helpers",
        "import matplotlib.pyplot as plt\nimport numpy as np\nvals = np.array([3, 1, 2])",
        "def plot_feature_importances(model):\n    n = len(model)\n    plt.barh(range(n), model)\n"
        "    plt.yticks(range(n))",
        "plot_feature_importances(vals)",
        "print(vals.sum())",
    ),
    case(
        "plot_helper_show",
        "helpers",
        "import matplotlib.pyplot as plt\ndata = [1, 2, 3]",
        "def show(xs):\n    plt.figure()\n    plt.plot(xs)\n    plt.show()",
        "show(data)",
        "print(sum(data))",
    ),
    case(
        "subplots_loop",
        "helpers",
        "import matplotlib.pyplot as plt\nimport numpy as np\nm = np.arange(4.0)",
        "fig, axes = plt.subplots(1, 2)\nfor ax in axes.flat:\n    ax.plot(m)\n    ax.set_title('m')",
        "print(m.mean())",
    ),
    case(
        "subplots_enumerate",
        "helpers",
        "import matplotlib.pyplot as plt\ncols = ['a', 'b']",
        "fig, axes = plt.subplots(1, 2)\nfor i, ax in enumerate(axes):\n    ax.set_xlabel(cols[i])",
        "print(cols)",
    ),
    case(
        "style_chain",
        "helpers",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})",
        "df.style.highlight_max()",
        "print(df.a.max())",
    ),
    case(
        "save_fig_helper",
        "helpers",
        "import matplotlib.pyplot as plt\nimport os\nos.makedirs('images', exist_ok=True)",
        "def save_fig(name):\n    plt.tight_layout()\n    plt.savefig(os.path.join('images', name + '.png'))",
        "plt.plot([1, 2])\nsave_fig('line')",
        "print('saved')",
    ),
    case(
        "helper_mutates_and_plots",
        "helpers",
        "import matplotlib.pyplot as plt\nrows = [1, 2]",
        "def add_and_plot(xs):\n    xs.append(3)\n    plt.plot(xs)",
        "add_and_plot(rows)",
        "print(rows)",
    ),
    case("helper_returns_value", "helpers", "def double(x):\n    return 2 * x", "y = double(4)", "print(y)"),
    case(
        "helper_unused_def",
        "helpers",
        "import matplotlib.pyplot as plt\ndef draw():\n    plt.plot([1])",
        "value = 3",
        "print(value)",
    ),
    case(
        "hist_call",
        "helpers",
        "import matplotlib.pyplot as plt\nimport numpy as np\narr = np.arange(5)",
        "plt.hist(arr)\nplt.show()",
        "print(len(arr))",
    ),
    case(
        "plot_method_pandas",
        "helpers",
        "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})",
        "df.plot()\ndf.a.hist()",
        "print(df.a.sum())",
    ),
    case(
        "helper_calls_helper",
        "helpers",
        "import matplotlib.pyplot as plt",
        "def one(x):\n    plt.plot(x)\ndef two(x):\n    one(x)\n    plt.title('t')",
        "two([1, 2])",
        "print('ok')",
    ),
    case(
        "helper_draws_then_savefig",
        "helpers",
        "import matplotlib.pyplot as plt",
        "def draw(xs):\n    plt.plot(xs)",
        "draw([1, 3, 2])\nplt.savefig('drawn.png')",
    ),
]

UNKNOWN = [
    case(
        "unknown_method_kept",
        "unknown",
        "class Thing:\n    def __init__(self):\n        self.n = 0\n    def poke(self):\n        self.n += 1\n"
        "t = Thing()",
        "t.poke()",
        "print(t.n)",
    ),
    case("exec_kept", "unknown", "ns = {}", "exec('x = 4', ns)", "print(ns['x'])"),
    case("lambda_mutates", "unknown", "xs = []\nadd = lambda v: xs.append(v)", "add(1)", "print(xs)"),
    case("map_consumed", "unknown", "xs = []\nm = map(xs.append, [1, 2])", "list(m)", "print(xs)"),
    case(
        "dict_comprehension_alias",
        "unknown",
        "rows = [[1], [2]]\nby_first = {r[0]: r for r in rows}",
        "by_first[1].append(5)",
        "print(rows)",
    ),
    case("sorted_key_mutation", "unknown", "xs = [[2], [1]]\nys = sorted(xs)", "ys[0].append(0)", "print(xs)"),
    case(
        "split_read_transform",
        "unknown",
        "import pandas as pd\ndf = pd.read_csv('data/in.csv')",
        "df['a'] = df['a'] * 2\ndf.head()",
        "total = df['a'].sum()",
        "print(total)",
        data=CSV,
        split=True,
    ),
    case(
        "split_seeded_numpy",
        "unknown",
        "import numpy as np\nnp.random.seed(7)",
        "x = np.random.permutation(5)",
        "print(x)",
        split=True,
    ),
    case(
        "split_alias_across_cells",
        "unknown",
        "import numpy as np\nbase = np.arange(4)\nview = base[1:]",
        "view[0] = 10",
        "print(base)",
        split=True,
    ),
    case(
        "split_global_counter",
        "unknown",
        "counter = 0",
        "def bump():\n    global counter\n    counter += 1",
        "bump()",
        "print(counter)",
        split=True,
    ),
]


SPLIT_IDENTITY = [
    case(
        "split_identity_alias",
        "aliasing",
        "import pandas as pd\na = pd.DataFrame({'x': [0, 0]})\nb = a",
        "b['x'] = 1",
        "print(a)",
        split=True,
    ),
]

CASES = ALIASING + VIEWS + WRITE_THROUGH + STATEFUL + GLOBALS + WRITES + HELPERS + UNKNOWN + SPLIT_IDENTITY


# A later step that draws from a global generator an earlier step advanced: the generator's state is
# handed over (split/generators.py), so the later step's draws are the notebook's.
SPLIT_GENERATORS = [
    case(
        f"split_unseeded_fit_after_draws{suffix}",
        "globals",
        f"import numpy as np\nfrom sklearn.ensemble import RandomForestRegressor{seed}",
        "X = np.random.rand(40, 3)\ny = X[:, 0] + np.random.rand(40)",
        "model = RandomForestRegressor()",
        "model.fit(X, y)",
        "print(model.predict(X[:3]).round(6))\nprint(np.random.rand())",
        split=True,
    )
    for suffix, seed in (("", ""), ("_seeded", "\nnp.random.seed(0)"))
] + [
    case(
        "split_unseeded_estimator_used_later",
        "globals",
        "import numpy as np\nfrom sklearn.ensemble import RandomForestRegressor\n"
        "from sklearn.model_selection import cross_val_predict",
        "X = np.random.rand(40, 3)\ny = X[:, 0] + np.random.rand(40)",
        "model = RandomForestRegressor()",
        "predicted = cross_val_predict(model, X, y)",
        "print(predicted[:3].round(6), np.random.rand())",
        split=True,
    ),
    case(  # a value drawn from a generator is handed over, never copied and drawn again
        "split_seed_drawn_then_used",
        "globals",
        "import random\nimport numpy as np",
        "SEED = np.random.randint(1000)",
        "random.seed(SEED)\nprint(1)",
        "print(SEED, random.random())",
        split=True,
    ),
    case(
        "split_python_random_draws",
        "globals",
        "import random",
        "first = random.random()",
        "print(first, random.random())",
        split=True,
    ),
]

CASES += SPLIT_GENERATORS

# Decisions the analysis learned from real notebooks, each run as the notebook and as the job.
FROM_REAL_NOTEBOOKS = [
    case(  # binds `sklearn`, read by nobody: kept for what it registers
        "side_effect_import_dotted",
        "unknown",
        "import numpy as np\nimport sklearn.experimental.enable_iterative_imputer\n"
        "from sklearn.impute import IterativeImputer",
        "X = np.array([[1.0, 2.0], [np.nan, 3.0], [7.0, 6.0]])\n"
        "print(IterativeImputer(random_state=0).fit_transform(X).round(3))",
    ),
    case(  # gzip.open writes in mode "wt": an output, not a read-only input
        "gzip_write_then_read",
        "writes",
        "import gzip",
        "with gzip.open('out.txt.gz', 'wt') as f:\n    f.write('hi')",
        "print(gzip.open('out.txt.gz', 'rt').read())",
    ),
    case(  # a plotting helper that also changes its argument is not plot-only
        "helper_subplots_mutates",
        "helpers",
        "import matplotlib.pyplot as plt\nvals = [3, 1, 2]",
        "def plot_variance(v):\n    fig, axs = plt.subplots(1, 2)\n    axs[0].bar(range(len(v)), v)\n    v.append(0)",
        "plot_variance(vals)",
        "print(vals)",
    ),
]
if importlib.util.find_spec("lightgbm") is not None:
    FROM_REAL_NOTEBOOKS.append(
        case(  # training whose callbacks print and record its evaluation is output, not unused
            "lgb_log_evaluation_kept",
            "stateful",
            "import lightgbm as lgb\nimport numpy as np\nrng = np.random.RandomState(0)\n"
            "X = rng.rand(60, 3)\ny = X[:, 0]\nds = lgb.Dataset(X, y)",
            "evals = {}\nlgb.train({'objective': 'regression', 'verbose': -1}, ds, 3, valid_sets=[ds],\n"
            "          callbacks=[lgb.log_evaluation(1), lgb.record_evaluation(evals)])",
            "print(sorted(evals))",
        )
    )
CASES += FROM_REAL_NOTEBOOKS
