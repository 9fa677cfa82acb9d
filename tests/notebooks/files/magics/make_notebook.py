"""Writes magics.ipynb: kept as a script so the cells are readable in review (run it to regenerate)."""

import json

CELLS = [
    ("markdown", "# Magics that shape the notebook's world"),
    ("code", "%matplotlib inline\nimport pandas as pd"),
    ("code", "%%writefile helper.py\ndef double(x):\n    return 2 * x\n"),
    ("code", "from helper import double\n%run helper2.py"),
    ("code", "%%writefile settings.txt\nscale=3\n"),
    ("code", "%cd data\ndf = pd.read_csv('d.csv')\nscale = int(open('../settings.txt').read().split('=')[1])"),
    ("code", "df['y2'] = triple(double(df['y'])) * scale\ndf.to_csv('doubled.csv', index=False)"),
    ("code", "back = pd.read_csv('doubled.csv')\nprint('total', back['y2'].sum())"),
]


def cell(kind, text):
    lines = text.split("\n")
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    if kind == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


notebook = {"cells": [cell(k, t) for k, t in CELLS], "metadata": {"language_info": {"name": "python", "version": "3.11.0"}},
            "nbformat": 4, "nbformat_minor": 5}
with open("magics.ipynb", "w", encoding="utf-8") as handle:
    json.dump(notebook, handle, indent=1)
    handle.write("\n")
