"""Removed and changed APIs of matplotlib and seaborn.

Most of these are in cells the job strips; they still matter for `verify`, which runs the
notebook's own code here, and for the data scientist reading the report.
"""

from __future__ import annotations

from . import RemovedApi

_PLT = "import matplotlib.pyplot as plt\n"
_SNS = (
    "import pandas as pd\nimport seaborn as sns\ndf = pd.DataFrame({'day': ['a', 'b', 'a'], 'tip': [1.0, 2.0, 3.0]})\n"
)

MATPLOTLIB = (
    RemovedApi(
        key="matplotlib.style.seaborn",
        library="matplotlib",
        removed_in="3.8",
        match="string_argument",
        targets=("matplotlib.pyplot.style.use", "matplotlib.style.use"),
        value="seaborn",
        message="the 'seaborn-*' styles were renamed 'seaborn-v0_8-*' (matplotlib 3.6)",
        fix="safe",
        rewrite="string_argument",
        replacement="seaborn-v0_8",
        replacement_since="3.6",
        invalid=_PLT + "plt.style.use('seaborn-whitegrid')\n",
        at="'seaborn-whitegrid'",
        valid=_PLT + "plt.style.use('seaborn-v0_8-whitegrid')\n",
        fixed=_PLT + "plt.style.use('seaborn-v0_8-whitegrid')\n",
    ),
    RemovedApi(
        key="matplotlib.boxplot.labels",
        library="matplotlib",
        removed_in="3.11",
        deprecated_in="3.9",
        match="keyword",
        targets=(".boxplot", "matplotlib.pyplot.boxplot"),
        keyword="labels",
        message="`boxplot(labels=...)` was renamed `tick_labels` (matplotlib 3.9)",
        fix="safe",
        rewrite="rename",
        replacement="tick_labels",
        replacement_since="3.9",
        invalid=_PLT + "parts = plt.boxplot([[1, 2, 3], [2, 3, 4]], labels=['a', 'b'])\n",
        at="labels=",
        valid=_PLT + "parts = plt.boxplot([[1, 2, 3], [2, 3, 4]], tick_labels=['a', 'b'])\n",
        fixed=_PLT + "parts = plt.boxplot([[1, 2, 3], [2, 3, 4]], tick_labels=['a', 'b'])\n",
    ),
    RemovedApi(
        key="matplotlib.Tick.label",
        library="matplotlib",
        removed_in="3.8",
        match="attribute",
        targets=(".label",),
        receiver="tick",
        message="`Tick.label` was removed: use `Tick.label1`",
        fix="safe",
        rewrite="rename",
        replacement="label1",
        invalid=_PLT
        + "fig, ax = plt.subplots()\nfor tick in ax.xaxis.get_major_ticks():\n    tick.label.set_fontsize(14)\n",
        at="tick.label",
        valid=_PLT
        + "fig, ax = plt.subplots()\nfor tick in ax.xaxis.get_major_ticks():\n    tick.label1.set_fontsize(14)\n",
        fixed=_PLT
        + "fig, ax = plt.subplots()\nfor tick in ax.xaxis.get_major_ticks():\n    tick.label1.set_fontsize(14)\n",
    ),
    RemovedApi(
        key="matplotlib.hist.normed",
        library="matplotlib",
        removed_in="3.1",
        match="keyword",
        targets=(".hist", "matplotlib.pyplot.hist"),
        keyword="normed",
        message="`hist(normed=...)` was removed: use density=",
        fix="safe",
        rewrite="rename",
        replacement="density",
        replacement_since="2.1",
        invalid=_PLT + "counts = plt.hist([1, 2, 2, 3], normed=True)\n",
        at="normed=",
        valid=_PLT + "counts = plt.hist([1, 2, 2, 3], density=True)\n",
        fixed=_PLT + "counts = plt.hist([1, 2, 2, 3], density=True)\n",
    ),
    RemovedApi(
        key="matplotlib.grid.b",
        library="matplotlib",
        removed_in="3.7",
        match="keyword",
        targets=(".grid", "matplotlib.pyplot.grid"),
        keyword="b",
        message="`grid(b=...)` was renamed visible= (matplotlib 3.5)",
        fix="safe",
        rewrite="rename",
        replacement="visible",
        replacement_since="3.5",
        invalid=_PLT + "plt.grid(b=True)\n",
        at="b=",
        valid=_PLT + "plt.grid(visible=True)\n",
        fixed=_PLT + "plt.grid(visible=True)\n",
    ),
    RemovedApi(
        key="matplotlib.Axes.set_axis_bgcolor",
        library="matplotlib",
        removed_in="2.2",
        match="method",
        targets=(".set_axis_bgcolor",),
        message="`set_axis_bgcolor` was removed: use `set_facecolor`",
        fix="safe",
        rewrite="rename",
        replacement="set_facecolor",
        replacement_since="2.0",
        invalid=_PLT + "fig, ax = plt.subplots()\nax.set_axis_bgcolor('white')\n",
        at="ax.set_axis_bgcolor",
        valid=_PLT + "fig, ax = plt.subplots()\nax.set_facecolor('white')\n",
        fixed=_PLT + "fig, ax = plt.subplots()\nax.set_facecolor('white')\n",
    ),
    RemovedApi(
        key="matplotlib.cm.get_cmap",
        library="matplotlib",
        removed_in="3.9",
        match="name",
        targets=("matplotlib.cm.get_cmap",),
        message="`matplotlib.cm.get_cmap` was removed: use `matplotlib.colormaps[name]` (3.5+) or `plt.get_cmap`",
        invalid="from matplotlib import cm\ncmap = cm.get_cmap('viridis')\n",
        at="cm.get_cmap",
        valid="import matplotlib\ncmap = matplotlib.colormaps['viridis']\n",
    ),
)

_SEABORN_XY = tuple(
    f"seaborn.{name}"
    for name in (
        "barplot",
        "boxplot",
        "violinplot",
        "boxenplot",
        "stripplot",
        "swarmplot",
        "pointplot",
        "scatterplot",
        "lineplot",
        "regplot",
        "residplot",
    )
)

SEABORN = (
    RemovedApi(
        key="seaborn.factorplot",
        library="seaborn",
        removed_in="0.12",
        match="name",
        targets=("seaborn.factorplot",),
        message="`sns.factorplot` was renamed `sns.catplot` (seaborn 0.9), whose default kind is 'strip', not 'point'",
        fix="safe",
        rewrite="catplot",
        replacement="catplot",
        replacement_since="0.9",
        invalid=_SNS + "grid = sns.factorplot(x='day', y='tip', data=df)\n",
        at="sns.factorplot",
        valid=_SNS + "grid = sns.catplot(x='day', y='tip', data=df, kind='point')\n",
        fixed=_SNS + "grid = sns.catplot(x='day', y='tip', data=df, kind='point')\n",
    ),
    RemovedApi(
        key="seaborn.distplot",
        library="seaborn",
        removed_in="0.14",
        deprecated_in="0.11",
        match="name",
        targets=("seaborn.distplot",),
        message="`sns.distplot` is deprecated: use `sns.histplot` (axes) or `sns.displot` (figure)",
        invalid=_SNS + "ax = sns.distplot(df['tip'])\n",
        at="sns.distplot",
        valid=_SNS + "ax = sns.histplot(df['tip'], kde=True, stat='density')\n",
    ),
    RemovedApi(
        key="seaborn.tsplot",
        library="seaborn",
        removed_in="0.10",
        match="name",
        targets=("seaborn.tsplot",),
        message="`sns.tsplot` was removed: use `sns.lineplot`",
        invalid=_SNS + "ax = sns.tsplot(df['tip'])\n",
        at="sns.tsplot",
        valid=_SNS + "ax = sns.lineplot(data=df['tip'])\n",
    ),
    RemovedApi(
        key="seaborn.positional_xy",
        library="seaborn",
        removed_in="0.12",
        match="positional",
        targets=_SEABORN_XY,
        positional=0,
        message="seaborn takes x and y as keywords since 0.12 (a first positional argument is the data)",
        fix="safe",
        rewrite="positional_keywords",
        replacement="x,y",
        replacement_since="0.9",
        invalid=_SNS + "ax = sns.barplot(df['day'], df['tip'])\n",
        at="df['day']",
        valid=_SNS + "ax = sns.barplot(x=df['day'], y=df['tip'])\n",
        fixed=_SNS + "ax = sns.barplot(x=df['day'], y=df['tip'])\n",
    ),
)

ENTRIES = MATPLOTLIB + SEABORN
