"""Removed and changed APIs of pandas and NumPy."""

from __future__ import annotations

from . import RemovedApi

_FRAME = "import pandas as pd\ndf = pd.DataFrame({'a': [1.0, 2.0], 'b': [3.0, 4.0]})\n"
_TEXT_FRAME = "import pandas as pd\ndf = pd.DataFrame({'city': ['x', 'x', 'y'], 'kind': ['a', 'b', 'a'], 'fare': [1.0, 2.0, 3.0]})\n"

PANDAS = (
    RemovedApi(
        key="pandas.DataFrame.append", library="pandas", removed_in="2.0", match="method", targets=(".append",), receiver="pandas",
        message="`DataFrame.append` was removed: use `pd.concat([...])`", fix="safe", rewrite="concat",
        invalid=_FRAME + "more = pd.DataFrame({'a': [5.0], 'b': [6.0]})\nboth = df.append(more, ignore_index=True)\nprint(both)\n",
        at="df.append", valid=_FRAME + "more = pd.DataFrame({'a': [5.0], 'b': [6.0]})\nboth = pd.concat([df, more], ignore_index=True)\nprint(both)\n",
        fixed=_FRAME + "more = pd.DataFrame({'a': [5.0], 'b': [6.0]})\nboth = pd.concat([df, more], ignore_index=True)\nprint(both)\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.iteritems", library="pandas", removed_in="2.0", match="method", targets=(".iteritems",), receiver="pandas",
        message="`.iteritems()` was removed: use `.items()`", fix="safe", rewrite="rename", replacement="items",
        invalid=_FRAME + "for name, column in df.iteritems():\n    print(name, column.sum())\n", at="df.iteritems",
        valid=_FRAME + "for name, column in df.items():\n    print(name, column.sum())\n",
        fixed=_FRAME + "for name, column in df.items():\n    print(name, column.sum())\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.ix", library="pandas", removed_in="1.0", match="attribute", targets=(".ix",), receiver="pandas",
        message="`.ix` was removed: use `.loc` (labels) or `.iloc` (positions)", fix="unsafe", rewrite="rename", replacement="loc",
        invalid=_FRAME + "print(df.ix[0, 'a'])\n", at="df.ix", valid=_FRAME + "print(df.loc[0, 'a'])\n", fixed=_FRAME + "print(df.loc[0, 'a'])\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.as_matrix", library="pandas", removed_in="1.0", match="method", targets=(".as_matrix",), receiver="pandas",
        message="`.as_matrix()` was removed: use `.values`", fix="safe", rewrite="method_to_attribute", replacement="values",
        invalid=_FRAME + "X = df.as_matrix()\nprint(X.sum())\n", at="df.as_matrix",
        valid=_FRAME + "X = df.values\nprint(X.sum())\n", fixed=_FRAME + "X = df.values\nprint(X.sum())\n",
    ),
    RemovedApi(
        key="pandas.datetime", library="pandas", removed_in="2.0", match="name", targets=("pandas.datetime",),
        message="`pd.datetime` was removed: `import datetime` and use `datetime.datetime`",
        invalid="import pandas as pd\nstart = pd.datetime(2016, 1, 1)\nprint(start)\n", at="pd.datetime",
        valid="import datetime\nstart = datetime.datetime(2016, 1, 1)\nprint(start)\n",
    ),
    RemovedApi(
        key="pandas.np", library="pandas", removed_in="2.0", match="name", targets=("pandas.np",),
        message="`pd.np` was removed: `import numpy as np` and use `np`",
        invalid="import pandas as pd\nx = pd.np.zeros(3)\nprint(x)\n", at="pd.np", valid="import numpy as np\nx = np.zeros(3)\nprint(x)\n",
    ),
    RemovedApi(
        key="pandas.set_option.precision", library="pandas", removed_in="1.4", match="string_argument", targets=("pandas.set_option",),
        value="precision", message="`set_option('precision')` matches several options since pandas 1.4: use 'display.precision'",
        fix="safe", rewrite="string_argument", replacement="display.precision",
        invalid="import pandas as pd\npd.set_option('precision', 2)\n", at="'precision'",
        valid="import pandas as pd\npd.set_option('display.precision', 2)\n", fixed="import pandas as pd\npd.set_option('display.precision', 2)\n",
    ),
    RemovedApi(
        key="pandas.set_option.max_columns", library="pandas", removed_in="1.4", match="string_argument", targets=("pandas.set_option",),
        value="max_columns", message="`set_option('max_columns')` matches several options since pandas 1.4: use 'display.max_columns'",
        fix="safe", rewrite="string_argument", replacement="display.max_columns",
        invalid="import pandas as pd\npd.set_option('max_columns', None)\n", at="'max_columns'",
        valid="import pandas as pd\npd.set_option('display.max_columns', None)\n", fixed="import pandas as pd\npd.set_option('display.max_columns', None)\n",
    ),
    RemovedApi(
        key="pandas.set_option.max_rows", library="pandas", removed_in="1.4", match="string_argument", targets=("pandas.set_option",),
        value="max_rows", message="`set_option('max_rows')` matches several options since pandas 1.4: use 'display.max_rows'",
        fix="safe", rewrite="string_argument", replacement="display.max_rows",
        invalid="import pandas as pd\npd.set_option('max_rows', 100)\n", at="'max_rows'",
        valid="import pandas as pd\npd.set_option('display.max_rows', 100)\n", fixed="import pandas as pd\npd.set_option('display.max_rows', 100)\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.swapaxes", library="pandas", removed_in="3.0", match="method", targets=(".swapaxes",), receiver="pandas",
        message="`.swapaxes()` was removed: use `.transpose()`",
        invalid=_FRAME + "print(df.swapaxes(0, 1))\n", at="df.swapaxes", valid=_FRAME + "print(df.transpose())\n",
    ),
    RemovedApi(
        key="pandas.GroupBy.mean.numeric_only", library="pandas", removed_in="2.0", match="reduction", targets=(".mean", ".median"),
        receiver="pandas", changed=True,
        message="a groupby mean over text columns raises since pandas 2.0 (numeric_only defaults to False): pass numeric_only=True",
        fix="safe", rewrite="add_keyword", replacement="numeric_only=True", replacement_since="1.1",
        invalid=_TEXT_FRAME + "means = df.groupby('city').mean()\nprint(means)\n", at="df.groupby('city').mean",
        valid=_TEXT_FRAME + "means = df.groupby('city').mean(numeric_only=True)\nprint(means)\n",
        fixed=_TEXT_FRAME + "means = df.groupby('city').mean(numeric_only=True)\nprint(means)\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.corr.numeric_only", library="pandas", removed_in="2.0", match="method", targets=(".corr",), receiver="pandas",
        changed=True, message="`DataFrame.corr()` over text columns raises since pandas 2.0: pass numeric_only=True",
        fix="safe", rewrite="add_keyword", replacement="numeric_only=True", replacement_since="1.5",
        invalid=_TEXT_FRAME + "corr = df.corr()\nprint(corr)\n", at="df.corr",
        valid=_TEXT_FRAME + "corr = df.corr(numeric_only=True)\nprint(corr)\n", fixed=_TEXT_FRAME + "corr = df.corr(numeric_only=True)\nprint(corr)\n",
    ),
    RemovedApi(
        key="pandas.Series.str.replace.regex", library="pandas", removed_in="2.0", match="regex_replace", targets=(".replace",),
        changed=True, message="`.str.replace` treats the pattern as a literal string since pandas 2.0: pass regex=True to keep the regex",
        fix="safe", rewrite="add_keyword", replacement="regex=True", replacement_since="0.23",
        invalid="import pandas as pd\ns = pd.Series(['$1.50', '$2.00'])\nprint(s.str.replace('[$]', ''))\n", at="s.str.replace",
        valid="import pandas as pd\ns = pd.Series(['$1.50', '$2.00'])\nprint(s.str.replace('[$]', '', regex=True))\n",
        fixed="import pandas as pd\ns = pd.Series(['$1.50', '$2.00'])\nprint(s.str.replace('[$]', '', regex=True))\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.drop.positional_axis", library="pandas", removed_in="2.0", match="positional", targets=(".drop",),
        receiver="pandas", positional=1, message="`drop(labels, 1)`: the axis is keyword-only since pandas 2.0: write axis=1",
        fix="safe", rewrite="positional_keywords", replacement="axis",
        invalid=_FRAME + "X = df.drop('b', 1)\nprint(X)\n", at="1)", valid=_FRAME + "X = df.drop('b', axis=1)\nprint(X)\n",
        fixed=_FRAME + "X = df.drop('b', axis=1)\nprint(X)\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.fillna.method", library="pandas", removed_in="3.0", match="keyword", targets=(".fillna",), receiver="pandas",
        keyword="method", message="`fillna(method=...)` was removed: use `.ffill()` or `.bfill()`",
        invalid=_FRAME + "df = df.fillna(method='ffill')\nprint(df)\n", at="method=", valid=_FRAME + "df = df.ffill()\nprint(df)\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.applymap", library="pandas", removed_in="3.0", match="method", targets=(".applymap",), receiver="pandas",
        message="`DataFrame.applymap` was removed: use `DataFrame.map` (pandas 2.1+)", fix="safe", rewrite="rename", replacement="map",
        replacement_since="2.1",
        invalid=_FRAME + "print(df.applymap(round))\n", at="df.applymap", valid=_FRAME + "print(df.map(round))\n", fixed=_FRAME + "print(df.map(round))\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.lookup", library="pandas", removed_in="2.0", match="method", targets=(".lookup",), receiver="pandas",
        message="`DataFrame.lookup` was removed: use `.melt` and `.loc`, or `df.to_numpy()[rows, columns]`",
        invalid=_FRAME + "print(df.lookup([0, 1], ['a', 'b']))\n", at="df.lookup",
        valid=_FRAME + "print(df.to_numpy()[[0, 1], [df.columns.get_loc(c) for c in ['a', 'b']]])\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.mad", library="pandas", removed_in="2.0", match="method", targets=(".mad",), receiver="pandas",
        message="`.mad()` was removed: use `(df - df.mean()).abs().mean()`",
        invalid=_FRAME + "print(df.mad())\n", at="df.mad", valid=_FRAME + "print((df - df.mean()).abs().mean())\n",
    ),
    RemovedApi(
        key="pandas.DataFrame.sort", library="pandas", removed_in="0.20", match="method", targets=(".sort",), receiver="pandas",
        message="`DataFrame.sort` was removed: use `.sort_values` (or `.sort_index`)", fix="unsafe", rewrite="rename",
        replacement="sort_values", replacement_since="0.17",
        invalid=_FRAME + "print(df.sort('a'))\n", at="df.sort", valid=_FRAME + "print(df.sort_values('a'))\n", fixed=_FRAME + "print(df.sort_values('a'))\n",
    ),
    RemovedApi(
        key="pandas.read_csv.error_bad_lines", library="pandas", removed_in="2.0", match="keyword", targets=("pandas.read_csv", "pandas.read_table"),
        keyword="error_bad_lines", message="`error_bad_lines` was removed: use on_bad_lines='skip' or 'warn' (pandas 1.3+)",
        invalid="import io\nimport pandas as pd\ndf = pd.read_csv(io.StringIO('a\\n1\\n'), error_bad_lines=False)\nprint(df)\n", at="error_bad_lines=",
        valid="import io\nimport pandas as pd\ndf = pd.read_csv(io.StringIO('a\\n1\\n'), on_bad_lines='skip')\nprint(df)\n",
    ),
    RemovedApi(
        key="pandas.rolling_mean", library="pandas", removed_in="0.23", match="name", targets=("pandas.rolling_mean", "pandas.rolling_std"),
        message="`pd.rolling_mean` / `pd.rolling_std` were removed: use `series.rolling(window).mean()`",
        invalid=_FRAME + "print(pd.rolling_mean(df['a'], 2))\n", at="pd.rolling_mean", valid=_FRAME + "print(df['a'].rolling(2).mean())\n",
    ),
    RemovedApi(
        key="pandas.scatter_matrix", library="pandas", removed_in="1.0", match="name", targets=("pandas.scatter_matrix",),
        message="`pd.scatter_matrix` moved to `pd.plotting.scatter_matrix`", fix="safe", rewrite="replace_name",
        replacement="{module}.plotting.scatter_matrix", replacement_since="0.20",
        invalid=_FRAME + "axes = pd.scatter_matrix(df)\n", at="pd.scatter_matrix",
        valid=_FRAME + "axes = pd.plotting.scatter_matrix(df)\n", fixed=_FRAME + "axes = pd.plotting.scatter_matrix(df)\n",
    ),
    RemovedApi(
        key="pandas.io.json.json_normalize", library="pandas", removed_in="2.0", match="module", targets=("pandas.io.json.json_normalize",),
        message="`pandas.io.json.json_normalize` was removed: import `json_normalize` from pandas", fix="safe", rewrite="module",
        replacement="pandas", replacement_since="1.0",
        invalid="from pandas.io.json import json_normalize\nprint(json_normalize([{'a': {'b': 1}}]))\n", at="from pandas.io.json",
        valid="from pandas import json_normalize\nprint(json_normalize([{'a': {'b': 1}}]))\n",
        fixed="from pandas import json_normalize\nprint(json_normalize([{'a': {'b': 1}}]))\n",
    ),
)


def _alias(key: str, replacement: str, removed_in: str, since: str | None = None, expression: str = "np.{name}(1)") -> RemovedApi:
    """`np.float` -> `float`, `np.NaN` -> `np.nan`: the same object under a name that exists in every version."""
    name = key.rsplit(".", 1)[1]
    new = replacement.replace("{module}", "np")
    use = expression.format(name=name)
    return RemovedApi(
        key=key, library="numpy", removed_in=removed_in, match="name", targets=(key,),
        message=f"`np.{name}` was removed: use `{new}`", fix="safe", rewrite="replace_name", replacement=replacement,
        replacement_since=since, invalid=f"import numpy as np\nx = {use}\nprint(x)\n", at=f"np.{name}",
        valid=f"import numpy as np\nx = {use.replace('np.' + name, new, 1)}\nprint(x)\n",
        fixed=f"import numpy as np\nx = {use.replace('np.' + name, new, 1)}\nprint(x)\n",
    )


NUMPY = (
    _alias("numpy.float", "float", "1.24"),
    _alias("numpy.int", "int", "1.24"),
    _alias("numpy.bool", "bool", "1.24"),
    _alias("numpy.object", "object", "1.24", expression="np.array([1], dtype=np.{name})"),
    _alias("numpy.complex", "complex", "1.24"),
    _alias("numpy.str", "str", "1.24"),
    _alias("numpy.unicode", "str", "2.0"),
    _alias("numpy.float_", "{module}.float64", "2.0"),
    _alias("numpy.complex_", "{module}.complex128", "2.0"),
    _alias("numpy.string_", "{module}.bytes_", "2.0", expression="np.{name}(b'x')"),
    _alias("numpy.unicode_", "{module}.str_", "2.0", expression="np.{name}('x')"),
    _alias("numpy.int0", "{module}.intp", "2.0"),
    _alias("numpy.NaN", "{module}.nan", "2.0", expression="np.{name} + 1"),
    _alias("numpy.NAN", "{module}.nan", "2.0", expression="np.{name} + 1"),
    _alias("numpy.Inf", "{module}.inf", "2.0", expression="-np.{name}"),
    _alias("numpy.Infinity", "{module}.inf", "2.0", expression="-np.{name}"),
    _alias("numpy.infty", "{module}.inf", "2.0", expression="-np.{name}"),
    _alias("numpy.PINF", "{module}.inf", "2.0", expression="-np.{name}"),
    _alias("numpy.product", "{module}.prod", "2.0", expression="np.{name}([2, 3])"),
    _alias("numpy.cumproduct", "{module}.cumprod", "2.0", expression="np.{name}([2, 3])"),
    _alias("numpy.alltrue", "{module}.all", "2.0", expression="np.{name}([True, False])"),
    _alias("numpy.sometrue", "{module}.any", "2.0", expression="np.{name}([True, False])"),
    _alias("numpy.round_", "{module}.round", "2.0", expression="np.{name}(1.25, 1)"),
    _alias("numpy.mat", "{module}.asmatrix", "2.0", expression="np.{name}([[1, 2]])"),
    RemovedApi(
        key="numpy.asscalar", library="numpy", removed_in="1.23", match="name", targets=("numpy.asscalar",),
        message="`np.asscalar(a)` was removed: use `a.item()`", fix="safe", rewrite="function_to_method", replacement="item",
        invalid="import numpy as np\nx = np.asscalar(np.array([3.5]))\nprint(x)\n", at="np.asscalar",
        valid="import numpy as np\nx = np.array([3.5]).item()\nprint(x)\n", fixed="import numpy as np\nx = np.array([3.5]).item()\nprint(x)\n",
    ),
)

ENTRIES = PANDAS + NUMPY
