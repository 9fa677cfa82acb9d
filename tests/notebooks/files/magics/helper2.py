"""Run by the notebook with `%run helper2.py`."""


def triple(x):
    return 3 * x
