"""A Series' name goes through the handoff's JSON manifest exactly, whatever its type (issue 12, bug A):
`df[0]` of `pd.read_csv(..., header=None)` is named `numpy.int64(0)`, which `json.dump` refuses."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from nb2aml.runtime import handoff


def _same_name(back, original) -> bool:
    return type(back.name) is type(original.name) and (back.name == original.name or back.name != back.name)


def test_a_headerless_column_keeps_its_numpy_int_name(tmp_path):
    frame = pd.read_csv(io.StringIO("1\t2\n3\t4\n"), header=None, sep="\t")
    y = frame[0]
    assert fmt_and_back(y, tmp_path)[0] == "series"
    back = handoff.load(str(tmp_path))
    pd.testing.assert_series_equal(back, y)
    assert type(back.name) is type(y.name) and back.name == y.name
    json.loads((tmp_path / handoff.MANIFEST).read_text())  # the manifest is plain JSON


@pytest.mark.parametrize(
    "name",
    [np.int64(0), np.int32(7), np.float64(1.5), np.float64("nan"), np.bool_(True), 3, 2.5, "y", None, ("a", 1)],
    ids=repr,
)
def test_every_kind_of_name_round_trips(tmp_path, name):
    series = pd.Series([1.0, 2.0], name=name)
    fmt, back = fmt_and_back(series, tmp_path)
    assert fmt == "series"
    pd.testing.assert_series_equal(back, series, check_names=False)
    assert _same_name(back, series), (back.name, series.name)


def fmt_and_back(value, folder):
    fmt = handoff.save(value, str(folder))
    return fmt, handoff.load(str(folder))
