"""Values handed between pipeline steps come back exactly (the soorgeon / CSV failure)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from nb2aml.runtime import handoff


def roundtrip(value, tmp_path):
    fmt = handoff.save(value, str(tmp_path / "v"))
    return fmt, handoff.load(str(tmp_path / "v"))


def test_frame_with_non_default_index_categorical_and_datetime_survives(tmp_path):
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2016-02-04 21:44:19", "2016-02-05 08:04:41", "2016-03-01 00:00:00"]),
            "kind": pd.Categorical(["green", "yellow", "green"], categories=["yellow", "green"], ordered=True),
            "cost": [5.0, 7.5, np.nan],
            "passengers": pd.array([1, None, 3], dtype="Int64"),
            "flag": ["N", "Y", "N"],
        },
        index=pd.Index([10, 42, 7], name="trip"),
    )
    fmt, back = roundtrip(frame, tmp_path)
    assert fmt == "dataframe"
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert list(back.dtypes) == list(frame.dtypes)


def test_series_keeps_name_and_index(tmp_path):
    series = pd.Series([1.5, 2.5], index=["a", "b"], name="cost")
    fmt, back = roundtrip(series, tmp_path)
    assert fmt == "series"
    pd.testing.assert_series_equal(back, series)


def test_frame_that_parquet_cannot_hold_falls_back_to_pickle(tmp_path):
    frame = pd.DataFrame({0: [1, "two", 3.0]})
    fmt, back = roundtrip(frame, tmp_path)
    assert fmt == "pickle"
    pd.testing.assert_frame_equal(back, frame)


def test_array_and_json_and_pickle(tmp_path):
    array = np.arange(6, dtype=np.int16).reshape(2, 3)
    fmt, back = roundtrip(array, tmp_path / "a")
    assert fmt == "ndarray" and back.dtype == np.int16 and (back == array).all()
    fmt, back = roundtrip({"cols": ["a", "b"], "n": 3}, tmp_path / "j")
    assert fmt == "json" and back == {"cols": ["a", "b"], "n": 3}
    fmt, back = roundtrip((1, 2), tmp_path / "t")
    assert fmt == "json" and back == (1, 2)
    fmt, back = roundtrip({1: "int keys are not JSON"}, tmp_path / "p")
    assert fmt == "pickle" and back == {1: "int keys are not JSON"}


def test_fitted_estimator_is_saved_as_mlflow_model(tmp_path):
    model = LinearRegression().fit([[0.0], [1.0], [2.0]], [0.0, 2.0, 4.0])
    fmt, back = roundtrip(model, tmp_path)
    assert fmt == "mlflow_sklearn"
    assert back.predict([[3.0]])[0] == pytest.approx(6.0)


def test_handoff_module_does_not_import_nb2aml():
    import inspect

    assert "nb2aml" not in inspect.getsource(handoff).replace("nb2aml_handoff", "").replace("by nb2aml", "").replace(
        "of nb2aml", ""
    )
