"""How long nb2aml's static analysis takes on large notebooks, as ratios to `libcst.parse_module`.

Run: python bench/bench_analysis.py [--quick] [--profile]

Generates realistic data-science notebooks of 100, 1,000 and 5,000 code cells (fixed seed,
~25-40 lines a cell, names suffixed with the cell index, markdown cells in between, a few
`%matplotlib inline` / `!pip install` lines) and, in one process, best of 3 runs with the
garbage collector run between them, times:

- the baseline, `libcst.parse_module` on all code cells' `.python` joined with "\\n";
- `analyze_notebook` on the already-built notebook (everything `nb2aml analyze` does after
  loading: facts, slice, rules, plan);
- building the cells with `make_cell` (magic handling) and `load_notebook` on the notebook
  written to a temporary .ipynb;
- at 1,000 cells only, libcst's naive metadata route:
  `MetadataWrapper(module).resolve_many([ScopeProvider, QualifiedNameProvider, PositionProvider])`.

It prints a table of seconds and ratios, the growth of analyze time from 100 to 1,000 to 5,000
cells (linear scaling gives growth equal to the growth in lines), the peak memory (tracemalloc)
of analyze against that of the libcst parse at 1,000 cells, and a PASS/FAIL line for the
requirement "analyze <= 1.5x libcst parse at 1,000 cells" (exit status 1 on FAIL).

`--quick` runs 100 and 1,000 cells, one repeat, without the metadata route and the memory
measurement (meant to take under a minute while analyze is near the target). `--budget S`
stops repeating a measurement once one run took longer than S seconds (default 60; noted in the
output), so a pathological slowdown does not multiply the run time by the repeat count.
`--profile` adds the top 10 functions by cumulative time from cProfile of one analyze at
1,000 cells.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import nb2aml  # noqa: F401
except ImportError:  # not installed: run from the source tree
    sys.path.insert(0, str(ROOT / "src"))

import libcst  # noqa: E402
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider, ScopeProvider  # noqa: E402

from nb2aml.api import analyze_notebook  # noqa: E402
from nb2aml.notebook import load_notebook, make_cell  # noqa: E402
from nb2aml.types import Notebook  # noqa: E402

SEED = 20240611
TARGET_RATIO = 1.5  # analyze / libcst parse at 1,000 cells
CHECK_CELLS = 1000

# --------------------------------------------------------------------------- notebook generator

COLUMNS = ("price", "quantity", "age", "income", "score", "distance", "duration", "rating", "count", "weight")
CATEGORIES = ("region", "segment", "channel", "product", "store", "city", "vendor", "category")
ESTIMATORS = (
    ("sklearn.ensemble", "RandomForestClassifier", "n_estimators=200, max_depth=8, random_state=42"),
    ("sklearn.ensemble", "GradientBoostingRegressor", "n_estimators=150, learning_rate=0.05"),
    ("sklearn.linear_model", "LogisticRegression", "C=0.5, max_iter=1000"),
    ("sklearn.linear_model", "Ridge", "alpha=0.5"),
    ("sklearn.tree", "DecisionTreeClassifier", "max_depth=6, min_samples_leaf=5"),
    ("sklearn.svm", "SVC", "kernel='rbf', C=1.0, probability=True"),
)
METRICS = ("accuracy_score", "f1_score", "mean_squared_error", "r2_score", "roc_auc_score", "mean_absolute_error")


class Generator:
    """Builds cell sources; keeps the names earlier cells defined so later cells use them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.frames: list[str] = []  # dataframes defined so far
        self.models: list[tuple[str, str, str]] = []  # (model, X_test, y_test)
        self.funcs: list[str] = []
        self.raw_data = False

    # helpers
    def col(self) -> str:
        return self.rng.choice(COLUMNS)

    def cat(self) -> str:
        return self.rng.choice(CATEGORIES)

    def frame(self, i: int) -> str:
        if not self.frames:
            return self.read_prefix(i)
        recent = self.frames[-12:]
        return self.rng.choice(recent)

    def read_prefix(self, i: int) -> str:  # pragma: no cover - only when no frame yet
        name = f"df_{i}"
        self.frames.append(name)
        return name

    # cell kinds -------------------------------------------------------------------------
    def imports(self, i: int) -> str:
        mod, est, _ = self.rng.choice(ESTIMATORS)
        metric_a, metric_b = self.rng.sample(METRICS, 2)
        lines = [
            "import os",
            "import json",
            "import math",
            "from pathlib import Path",
            "from collections import defaultdict, Counter",
            "",
            "import numpy as np",
            "import pandas as pd",
            "import matplotlib.pyplot as plt",
            "import seaborn as sns",
            f"from {mod} import {est}",
            "from sklearn.model_selection import train_test_split, cross_val_score",
            f"from sklearn.metrics import {metric_a}, {metric_b}",
            "from sklearn.preprocessing import StandardScaler, OneHotEncoder",
            "",
        ]
        if self.rng.random() < 0.3:
            lines.insert(0, "%matplotlib inline")
        if self.rng.random() < 0.2:
            lines.insert(0, f"!pip install {self.rng.choice(['seaborn', 'lightgbm', 'xgboost', 'pyarrow'])}")
        if not self.raw_data:
            self.raw_data = True
            lines += [
                'raw_data = "data/raw"',
                'output_dir = "outputs"',
                f"random_state_{i} = {self.rng.randint(1, 99)}",
                f"test_size_{i} = {self.rng.choice([0.1, 0.2, 0.25, 0.3])}",
                f"learning_rate_{i} = {self.rng.choice([0.01, 0.05, 0.1])}",
                "",
            ]
        lines += [
            'pd.set_option("display.max_columns", 50)',
            'pd.set_option("display.width", 200)',
            'sns.set_theme(style="whitegrid")',
            'plt.rcParams["figure.figsize"] = (10, 6)',
            "np.random.seed(42)",
            "",
            "print(pd.__version__, np.__version__)",
        ]
        return "\n".join(lines)

    def read(self, i: int) -> str:
        name = f"df_{i}"
        a, b, c = self.rng.sample(COLUMNS, 3)
        cat = self.cat()
        lines = [
            f"# load partition {i}",
            f'df_{i} = pd.read_csv(Path(raw_data) / f"part_{i}.csv")',
            f"print(df_{i}.shape)",
            f"df_{i}.columns = [c.strip().lower().replace(' ', '_') for c in df_{i}.columns]",
            f'df_{i} = df_{i}.rename(columns={{"{a.title()}": "{a}", "{b.upper()}": "{b}"}})',
            f"df_{i}.dropna(subset=['{a}', '{b}'], inplace=True)",
            f"df_{i}.drop_duplicates(inplace=True)",
            f"df_{i}['{c}'] = df_{i}['{c}'].fillna(df_{i}['{c}'].median())",
            f"df_{i}['{cat}'] = df_{i}['{cat}'].astype('category')",
            f"df_{i}['{a}_per_{b}'] = df_{i}['{a}'] / (df_{i}['{b}'] + 1e-9)",
            f"df_{i}['log_{c}'] = np.log1p(df_{i}['{c}'].clip(lower=0))",
            f"df_{i}.reset_index(drop=True, inplace=True)",
            "",
            f"missing_{i} = df_{i}.isna().mean().sort_values(ascending=False)",
            f"print(missing_{i}.head(10))",
            f"n_rows_{i}, n_cols_{i} = df_{i}.shape",
            f'print(f"partition {i}: {{n_rows_{i}}} rows, {{n_cols_{i}}} columns")',
        ]
        if self.frames and self.rng.random() < 0.5:
            other = self.frame(i)
            lines += [
                "",
                "# combine with an earlier partition",
                f"combined_{i} = pd.concat([{other}, df_{i}], ignore_index=True)",
                f"combined_{i} = combined_{i}.loc[combined_{i}['{a}'] > 0]",
                f"print(combined_{i}.shape)",
            ]
            self.frames.append(f"combined_{i}")
        self.frames.append(name)
        return "\n".join(lines)

    def explore(self, i: int) -> str:
        df = self.frame(i)
        a, b = self.rng.sample(COLUMNS, 2)
        cat = self.cat()
        lines = [
            f"# explore {df}",
            f"{df}.head()",
            f"{df}.describe()",
            f"{df}.info()",
            f"summary_{i} = {df}.groupby('{cat}').agg(",
            f"    mean_{a}=('{a}', 'mean'),",
            f"    median_{b}=('{b}', 'median'),",
            f"    n=('{a}', 'size'),",
            ")",
            f"summary_{i} = summary_{i}.sort_values('n', ascending=False)",
            f"print(summary_{i}.head(20))",
            f"corr_{i} = {df}[['{a}', '{b}']].corr()",
            f"print(corr_{i})",
            f"counts_{i} = {df}['{cat}'].value_counts(normalize=True)",
            f"top_{i} = counts_{i}[counts_{i} > 0.05].index.tolist()",
            f"print(len(top_{i}), 'frequent levels')",
            f"pivot_{i} = pd.pivot_table({df}, values='{a}', index='{cat}', aggfunc=['mean', 'std'])",
            f"pivot_{i}",
        ]
        return "\n".join(lines)

    def transform(self, i: int) -> str:
        df = self.frame(i)
        a, b, c = self.rng.sample(COLUMNS, 3)
        cat = self.cat()
        lines = [
            f"# feature engineering on {df}",
            f"features_{i} = {df}.copy()",
            f"features_{i}['{a}_sq'] = features_{i}['{a}'] ** 2",
            f"features_{i}['{a}_x_{b}'] = features_{i}['{a}'] * features_{i}['{b}']",
            f"features_{i}['{c}_bucket'] = pd.cut(features_{i}['{c}'], bins=[0, 10, 100, 1000, np.inf], labels=False)",
            f"features_{i}['{cat}_code'] = features_{i}['{cat}'].cat.codes",
            f"features_{i}['is_big_{i}'] = (features_{i}['{b}'] > features_{i}['{b}'].quantile(0.9)).astype(int)",
            f"features_{i}['{a}_z'] = (features_{i}['{a}'] - features_{i}['{a}'].mean()) / features_{i}['{a}'].std()",
            f"features_{i}['{a}_rank'] = features_{i}.groupby('{cat}')['{a}'].rank(pct=True)",
            f"features_{i}['{b}_roll'] = features_{i}['{b}'].rolling(window=7, min_periods=1).mean()",
            f"features_{i} = features_{i}.drop(columns=['{cat}'])",
            f"features_{i} = features_{i}.replace([np.inf, -np.inf], np.nan).dropna()",
            "",
            f"dummies_{i} = pd.get_dummies({df}['{cat}'], prefix='{cat}')",
            f"features_{i} = features_{i}.join(dummies_{i})",
            f"numeric_cols_{i} = [c for c in features_{i}.columns if features_{i}[c].dtype != 'object']",
            f"scaler_{i} = StandardScaler()",
            f"features_{i}[numeric_cols_{i}] = scaler_{i}.fit_transform(features_{i}[numeric_cols_{i}])",
            f"print(features_{i}.shape)",
        ]
        if self.rng.random() < 0.3:
            lines += [
                f"features_{i}.to_parquet(Path(output_dir) / 'features_{i}.parquet')",
            ]
        self.frames.append(f"features_{i}")
        return "\n".join(lines)

    def plot(self, i: int) -> str:
        df = self.frame(i)
        a, b = self.rng.sample(COLUMNS, 2)
        cat = self.cat()
        lines = [
            f"fig_{i}, axes_{i} = plt.subplots(2, 2, figsize=(14, 10))",
            f"sns.histplot({df}['{a}'], bins=50, kde=True, ax=axes_{i}[0, 0])",
            f"axes_{i}[0, 0].set_title('Distribution of {a}')",
            f"sns.boxplot(data={df}, x='{cat}', y='{b}', ax=axes_{i}[0, 1])",
            f"axes_{i}[0, 1].tick_params(axis='x', rotation=45)",
            f"sns.scatterplot(data={df}.sample(min(len({df}), 2000), random_state=0), x='{a}', y='{b}',",
            f"                hue='{cat}', alpha=0.5, ax=axes_{i}[1, 0])",
            f"axes_{i}[1, 0].set_xscale('log')",
            f"{df}.groupby('{cat}')['{a}'].mean().plot(kind='bar', ax=axes_{i}[1, 1], color='steelblue')",
            f"axes_{i}[1, 1].set_ylabel('mean {a}')",
            f"for ax in axes_{i}.flat:",
            "    ax.grid(True, alpha=0.3)",
            "    for spine in ('top', 'right'):",
            "        ax.spines[spine].set_visible(False)",
            "plt.tight_layout()",
        ]
        if self.rng.random() < 0.25:
            lines.append(f"plt.savefig(Path(output_dir) / 'figure_{i}.png', dpi=120)")
        lines.append("plt.show()")
        if self.rng.random() < 0.15:
            lines.insert(0, "%matplotlib inline")
        return "\n".join(lines)

    def function(self, i: int) -> str:
        a, b = self.rng.sample(COLUMNS, 2)
        cat = self.cat()
        name = f"clean_frame_{i}"
        self.funcs.append(name)
        lines = [
            f"def {name}(frame, threshold={self.rng.randint(2, 9)}, columns=None):",
            '    """Drop outliers beyond `threshold` standard deviations and normalise names."""',
            "    columns = columns or [c for c in frame.columns if frame[c].dtype.kind in 'if']",
            "    result = frame.copy()",
            "    stats = {}",
            "    for column in columns:",
            "        mean, std = result[column].mean(), result[column].std()",
            "        if std == 0 or math.isnan(std):",
            "            continue",
            "        mask = (result[column] - mean).abs() <= threshold * std",
            "        stats[column] = int((~mask).sum())",
            "        result = result.loc[mask]",
            "    renamed = {c: c.lower().replace(' ', '_') for c in result.columns}",
            "    result = result.rename(columns=renamed)",
            "    dropped = sum(stats.values())",
            "    if dropped:",
            "        print(f'dropped {dropped} outlier rows')",
            "    return result, stats",
            "",
            "",
            f"def summarize_{i}(frame, by='{cat}'):",
            "    out = defaultdict(list)",
            "    for key, group in frame.groupby(by):",
            "        out['key'].append(key)",
            f"        out['mean_{a}'].append(group['{a}'].mean())",
            f"        out['max_{b}'].append(group['{b}'].max())",
            "        out['size'].append(len(group))",
            "    return pd.DataFrame(out).sort_values('size', ascending=False)",
            "",
        ]
        if self.frames:
            df = self.frame(i)
            lines += [
                f"cleaned_{i}, outlier_stats_{i} = {name}({df})",
                f"summary_table_{i} = summarize_{i}(cleaned_{i})",
                f"summary_table_{i}.head()",
            ]
            self.frames.append(f"cleaned_{i}")
        return "\n".join(lines)

    def klass(self, i: int) -> str:
        a = self.col()
        return "\n".join(
            [
                f"class FeatureBuilder{i}:",
                f'    """Stateful transformer used by the modelling cells (variant {i})."""',
                "",
                f"    def __init__(self, columns, clip_quantile={self.rng.choice([0.95, 0.99, 0.999])}):",
                "        self.columns = list(columns)",
                "        self.clip_quantile = clip_quantile",
                "        self.limits_ = {}",
                "        self.fitted_ = False",
                "",
                "    def fit(self, frame):",
                "        for column in self.columns:",
                "            self.limits_[column] = frame[column].quantile(self.clip_quantile)",
                "        self.fitted_ = True",
                "        return self",
                "",
                "    def transform(self, frame):",
                "        if not self.fitted_:",
                "            raise RuntimeError('call fit() first')",
                "        out = frame.copy()",
                "        for column, limit in self.limits_.items():",
                "            out[column] = out[column].clip(upper=limit)",
                "            out[f'{column}_was_clipped'] = (frame[column] > limit).astype(int)",
                "        return out",
                "",
                "    def fit_transform(self, frame):",
                "        return self.fit(frame).transform(frame)",
                "",
                "    @property",
                "    def n_features(self):",
                "        return len(self.columns) * 2",
                "",
                f"builder_{i} = FeatureBuilder{i}(['{a}'])",
                f"print(builder_{i}.n_features)",
            ]
        )

    def model(self, i: int) -> str:
        df = self.frame(i)
        mod, est, kwargs = self.rng.choice(ESTIMATORS)
        target = self.col()
        metric = self.rng.choice(METRICS)
        lines = [
            f"from {mod} import {est}",
            f"from sklearn.metrics import {metric}",
            "",
            f"target_{i} = '{target}'",
            f"X_{i} = {df}.drop(columns=[target_{i}]).select_dtypes('number').fillna(0)",
            f"y_{i} = {df}[target_{i}]",
            f"X_train_{i}, X_test_{i}, y_train_{i}, y_test_{i} = train_test_split(",
            f"    X_{i}, y_{i}, test_size={self.rng.choice([0.2, 0.25, 0.3])}, random_state={self.rng.randint(0, 99)}",
            ")",
            f"model_{i} = {est}({kwargs})",
            f"model_{i}.fit(X_train_{i}, y_train_{i})",
            f"pred_{i} = model_{i}.predict(X_test_{i})",
            f"train_pred_{i} = model_{i}.predict(X_train_{i})",
            f"scores_{i} = cross_val_score({est}({kwargs}), X_train_{i}, y_train_{i}, cv=5)",
            "",
            f"test_score_{i} = {metric}(y_test_{i}, pred_{i})",
            f"train_score_{i} = {metric}(y_train_{i}, train_pred_{i})",
            f'print(f"{est} {metric}: train={{train_score_{i}:.4f}} test={{test_score_{i}:.4f}}")',
            f'print("cv mean", scores_{i}.mean(), "+/-", scores_{i}.std())',
            f"if hasattr(model_{i}, 'feature_importances_'):",
            f"    importances_{i} = pd.Series(model_{i}.feature_importances_, index=X_{i}.columns)",
            f"    print(importances_{i}.sort_values(ascending=False).head(10))",
            f"results_{i} = pd.DataFrame({{'actual': y_test_{i}, 'predicted': pred_{i}}})",
            f"results_{i}['error'] = results_{i}['actual'] - results_{i}['predicted']",
            f"results_{i}.describe()",
        ]
        if self.rng.random() < 0.3:
            lines.append(f"results_{i}.to_csv(Path(output_dir) / 'predictions_{i}.csv', index=False)")
        self.models.append((f"model_{i}", f"X_test_{i}", f"y_test_{i}"))
        return "\n".join(lines)

    def evaluate(self, i: int) -> str:
        if not self.models:
            return self.model(i)
        model, x_test, y_test = self.rng.choice(self.models[-8:])
        m1, m2 = self.rng.sample(METRICS, 2)
        return "\n".join(
            [
                f"from sklearn.metrics import {m1}, {m2}",
                "",
                f"eval_pred_{i} = {model}.predict({x_test})",
                f"metric_a_{i} = {m1}({y_test}, eval_pred_{i})",
                f"metric_b_{i} = {m2}({y_test}, eval_pred_{i})",
                f"print('{m1}:', round(metric_a_{i}, 4))",
                f"print('{m2}:', round(metric_b_{i}, 4))",
                f"thresholds_{i} = [t / 20 for t in range(1, 20)]",
                f"sweep_{i} = []",
                f"for t in thresholds_{i}:",
                f"    labels = [1 if p > t else 0 for p in eval_pred_{i}]",
                f"    hits = sum(1 for l, y in zip(labels, {y_test}) if l == y)",
                f"    sweep_{i}.append((t, hits / max(len(labels), 1)))",
                f"best_t_{i}, best_acc_{i} = max(sweep_{i}, key=lambda item: item[1])",
                f'print(f"best threshold {{best_t_{i}:.2f}} -> {{best_acc_{i}:.3f}}")',
                f"errors_{i} = {{k: v for k, v in zip(range(len(eval_pred_{i})), eval_pred_{i}) if v < 0}}",
                f"print(len(errors_{i}), 'negative predictions')",
                f"report_{i} = {{",
                f"    'model': type({model}).__name__,",
                f"    '{m1}': float(metric_a_{i}),",
                f"    '{m2}': float(metric_b_{i}),",
                f"    'threshold': best_t_{i},",
                "}",
                f"print(json.dumps(report_{i}, indent=2))",
            ]
        )

    def extra(self, i: int) -> list[str]:
        """A few more realistic lines (checks, loops, comprehensions) so cells average ~30 lines."""
        df = self.frame(i)
        a, b = self.rng.sample(COLUMNS, 2)
        cat = self.cat()
        blocks = [
            [
                "",
                f"# sanity checks on {df}",
                f"assert not {df}.empty, '{df} is empty'",
                f"dupes_{i} = {df}.duplicated().sum()",
                f"print('duplicates:', dupes_{i})",
            ],
            [
                "",
                f"ranges_{i} = {{}}",
                f"for column in ['{a}', '{b}']:",
                f"    low, high = {df}[column].min(), {df}[column].max()",
                f"    ranges_{i}[column] = (low, high)",
                "    print(f'{column}: {low:.2f} .. {high:.2f}')",
            ],
            [
                "",
                f"levels_{i} = sorted({df}['{cat}'].dropna().unique())",
                f"share_{i} = {{level: ({df}['{cat}'] == level).mean() for level in levels_{i}}}",
                f"rare_{i} = [level for level, share in share_{i}.items() if share < 0.01]",
                f"print(f'{{len(rare_{i})}} rare levels of {cat}')",
            ],
            [
                "",
                f"quantiles_{i} = {df}['{a}'].quantile([0.01, 0.25, 0.5, 0.75, 0.99])",
                f"iqr_{i} = quantiles_{i}[0.75] - quantiles_{i}[0.25]",
                f"outliers_{i} = {df}[({df}['{a}'] < quantiles_{i}[0.25] - 1.5 * iqr_{i}) |",
                f"                  ({df}['{a}'] > quantiles_{i}[0.75] + 1.5 * iqr_{i})]",
                f"print(len(outliers_{i}), 'outliers in {a}')",
            ],
            [
                "",
                f"memory_mb_{i} = {df}.memory_usage(deep=True).sum() / 1024 ** 2",
                f"dtypes_{i} = Counter(str(t) for t in {df}.dtypes)",
                f"print(f'{{memory_mb_{i}:.1f}} MB', dict(dtypes_{i}))",
            ],
        ]
        self.rng.shuffle(blocks)
        out: list[str] = []
        for block in blocks[: self.rng.randint(1, 3)]:
            out += block
        return out

    def cell(self, i: int) -> str:
        if i == 0:
            return self.imports(i)
        if not self.frames:
            return self.read(i)
        kinds = (
            (self.imports, 3),
            (self.read, 16),
            (self.explore, 15),
            (self.transform, 14),
            (self.plot, 12),
            (self.function, 10),
            (self.klass, 4),
            (self.model, 14),
            (self.evaluate, 12),
        )
        fn = self.rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
        src = fn(i)
        if fn not in (self.imports, self.klass):
            src += "\n" + "\n".join(self.extra(i))
        if self.rng.random() < 0.03:  # the odd shell escape in the middle of a cell
            src += f"\n!pip install --quiet package-{i % 7}"
        return src


def markdown(i: int, rng: random.Random) -> str:
    return f"## Step {i}\n\n" + rng.choice(
        [
            "Load the next partition and check for missing values.",
            "Look at the distributions before engineering features.",
            "Fit a baseline model and compare metrics.",
            "Plot the relationship between the main variables.",
        ]
    )


def generate(n_code: int, seed: int = SEED) -> list[tuple[str, str]]:
    """Return [(kind, source)], n_code code cells with a markdown cell before roughly every third."""
    gen = Generator(seed + n_code)
    md_rng = random.Random(seed - n_code)
    cells: list[tuple[str, str]] = []
    for i in range(n_code):
        if i % 3 == 0:
            cells.append(("markdown", markdown(i, md_rng)))
        cells.append(("code", gen.cell(i)))
    return cells


def build_cells(spec: list[tuple[str, str]]):
    return tuple(
        make_cell(number, kind, source, (), number if kind == "code" else None)
        for number, (kind, source) in enumerate(spec, start=1)
    )


def to_ipynb(spec: list[tuple[str, str]]) -> dict:
    cells = []
    for number, (kind, source) in enumerate(spec, start=1):
        lines = source.splitlines(keepends=True)
        cell = {"cell_type": kind, "metadata": {}, "source": lines}
        if kind == "code":
            cell.update(execution_count=number, outputs=[])
        cells.append(cell)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.10.12"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# --------------------------------------------------------------------------- timing


SHORTFALL: list[str] = []  # measurements that stopped repeating because one run exceeded the budget
BUDGET = [60.0]  # seconds; set from --budget


def best_of(fn, repeat: int, label: str = "") -> tuple[float, object]:
    """Best of `repeat` runs, gc collected before each; stops early once a run exceeds the budget."""
    best, result = float("inf"), None
    for done in range(1, repeat + 1):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        if elapsed > BUDGET[0] and done < repeat:
            SHORTFALL.append(
                f"{label}: {done} run(s) of {repeat} (one took {elapsed:.1f} s > budget {BUDGET[0]:.0f} s)"
            )
            break
    return best, result


def peak_memory(fn) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def progress(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(n: int, repeat: int, tmp: Path, naive: bool, memory: bool, keep: bool) -> dict:
    spec = generate(n)
    t_build, cells = best_of(lambda spec=spec: build_cells(spec), repeat, f"{n} cells build")
    notebook = Notebook(path="bench.ipynb", cells=cells)
    code = "\n".join(c.python for c in notebook.code_cells)
    row = {"cells": n, "lines": code.count("\n") + 1, "build": t_build}

    path = tmp / f"bench_{n}.ipynb"
    path.write_text(json.dumps(to_ipynb(spec), indent=1))
    row["load"], loaded = best_of(lambda: load_notebook(path), repeat, f"{n} cells load")
    assert len(loaded.code_cells) == n, (len(loaded.code_cells), n)
    del loaded, spec
    progress(f"{n} cells: built and loaded, {row['lines']} lines")

    # Nothing big stays alive across the timed calls: a retained libcst tree would make every
    # full garbage collection during analyze slower (and the other way round).
    row["parse"] = best_of(lambda: libcst.parse_module(code), repeat, f"{n} cells libcst parse")[0]
    progress(f"{n} cells: libcst parse {row['parse']:.3f} s")
    row["analyze"] = best_of(lambda: analyze_notebook(notebook), repeat, f"{n} cells analyze")[0]
    progress(f"{n} cells: analyze {row['analyze']:.3f} s")

    if naive:
        module = libcst.parse_module(code)
        providers = [ScopeProvider, QualifiedNameProvider, PositionProvider]
        row["naive"] = best_of(lambda: MetadataWrapper(module).resolve_many(providers), 1, "naive")[0]
        del module
        progress(f"{n} cells: libcst metadata resolve {row['naive']:.3f} s")
    if memory:
        row["mem_parse"] = peak_memory(lambda: libcst.parse_module(code))
        row["mem_analyze"] = peak_memory(lambda: analyze_notebook(notebook))
        progress(f"{n} cells: peak memory measured")
    if keep:
        row["notebook"] = notebook
    return row


def profile(notebook: Notebook, top: int = 10) -> str:
    prof = cProfile.Profile()
    prof.enable()
    analyze_notebook(notebook)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="100 and 1,000 cells, one repeat, no metadata route, no memory measurement"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="stop repeating a measurement once one run takes longer than this (seconds)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one analyze at 1,000 cells (top 10 cumulative)"
    )
    args = parser.parse_args()
    sizes = (100, 1000) if args.quick else (100, 1000, 5000)
    repeat = 1 if args.quick else 3
    BUDGET[0] = args.budget

    # warm up: imports, rule registry, first-call caches are not what is measured
    warm = Notebook(path="warm.ipynb", cells=build_cells(generate(20)))
    analyze_notebook(warm)
    libcst.parse_module("\n".join(c.python for c in warm.code_cells))

    rows = []
    with tempfile.TemporaryDirectory(prefix="nb2aml-bench-") as tmp:
        for n in sizes:
            check = n == CHECK_CELLS
            rows.append(
                measure(
                    n,
                    repeat,
                    Path(tmp),
                    naive=check and not args.quick,
                    memory=check and not args.quick,
                    keep=check and args.profile,
                )
            )

    print(f"nb2aml analysis benchmark (best of {repeat}; python {sys.version.split()[0]}, libcst {libcst_version()})")
    print()
    header = (
        f"{'cells':>6} {'lines':>8} {'parse s':>9} {'analyze s':>10} {'build s':>8} {'load s':>8} "
        f"{'analyze/parse':>14} {'(build+an)/parse':>17} {'(load+an)/parse':>16}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        p = r["parse"]
        print(
            f"{r['cells']:>6} {r['lines']:>8} {p:>9.3f} {r['analyze']:>10.3f} {r['build']:>8.3f} {r['load']:>8.3f} "
            f"{r['analyze'] / p:>13.2f}x {(r['build'] + r['analyze']) / p:>16.2f}x "
            f"{(r['load'] + r['analyze']) / p:>15.2f}x"
        )
    print()

    growth = []
    for a, b in zip(rows, rows[1:], strict=False):
        growth.append(
            f"{a['cells']}->{b['cells']} cells: analyze x{b['analyze'] / a['analyze']:.2f}, "
            f"parse x{b['parse'] / a['parse']:.2f}, lines x{b['lines'] / a['lines']:.2f}"
        )
    print("growth (linear scaling: analyze grows like lines)")
    for g in growth:
        print("  " + g)
    per_line = ", ".join(f"{r['cells']}: {r['analyze'] / r['lines'] * 1e6:.1f}" for r in rows)
    print(f"  analyze microseconds per line: {per_line}")
    print()

    check = next(r for r in rows if r["cells"] == CHECK_CELLS)
    if "naive" in check:
        print(
            f"libcst naive metadata route at {CHECK_CELLS} cells "
            f"(MetadataWrapper.resolve_many Scope+QualifiedName+Position): {check['naive']:.3f} s = "
            f"{check['naive'] / check['parse']:.2f}x parse, {(check['parse'] + check['naive']) / check['parse']:.2f}x "
            f"parse+resolve; analyze is {check['analyze'] / check['naive']:.2f}x of resolve alone"
        )
    if "mem_parse" in check:
        mp, ma = check["mem_parse"], check["mem_analyze"]
        print(
            f"peak memory at {CHECK_CELLS} cells (tracemalloc): libcst parse {mp / 2**20:.1f} MiB, "
            f"analyze {ma / 2**20:.1f} MiB, ratio {ma / mp:.2f}x"
        )
    for note in SHORTFALL:
        print(f"note: {note}")
    print()
    ratio = check["analyze"] / check["parse"]
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"{verdict}: analyze <= {TARGET_RATIO}x libcst parse at {CHECK_CELLS:,} cells "
        f"(measured {ratio:.2f}x: {check['analyze']:.3f} s vs {check['parse']:.3f} s)"
    )

    if args.profile:
        print()
        print(f"cProfile of analyze_notebook at {CHECK_CELLS} cells, top 10 by cumulative time:")
        print(profile(check["notebook"]))
    return 0 if verdict == "PASS" else 1


def libcst_version() -> str:
    try:
        from importlib.metadata import version

        return version("libcst")
    except Exception:  # pragma: no cover
        return "?"


if __name__ == "__main__":
    sys.exit(main())
