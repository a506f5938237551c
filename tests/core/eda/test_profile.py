"""core/eda/profile.py: the table a dataset explores as, and exact profile figures against pandas/numpy/scipy."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from core.datasets.dataset import Dataset, Provenance
from core.datasets.registry import LoadRequest, load_dataset
from core.eda import dataset_frame, dataset_kinds, is_quantity, profile, profile_table, target_kind
from tests.conftest import REAL_SAMPLE


@pytest.fixture(scope="module")
def la():
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3000))
    return dataset, dataset_frame(dataset)


# --- dataset_frame -----------------------------------------------------------------------------


def test_dataset_frame_appends_the_decoded_target_last(la):
    dataset, frame = la
    assert list(frame.columns) == [*dataset.features.columns, "Victim Sex"]
    assert frame["Victim Sex"].tolist() == [dataset.classes[code] for code in dataset.target]
    pd.testing.assert_frame_equal(frame.drop(columns="Victim Sex"), dataset.features)
    assert "Victim Sex" not in dataset.features.columns  # the dataset's own frame is untouched


def test_dataset_frame_refuses_images():
    images = Dataset(
        "tiny", "image", np.zeros((2, 3, 3), np.uint8), np.array([0, 1]), ("a", "b"), {}, Provenance("x", "x", "0", 2)
    )
    with pytest.raises(ValueError, match="image"):
        dataset_frame(images)


# --- profile -------------------------------------------------------------------------------------


@pytest.fixture
def small():
    rng = np.random.default_rng(3)
    n = 400
    age = rng.gamma(2.0, 12.0, n).round(1)
    age[rng.random(n) < 0.1] = np.nan
    age[:7] = 0.0
    colour = rng.choice(["red", "green", "blue", "black"], n, p=[0.5, 0.3, 0.15, 0.05]).astype(object)
    colour[rng.random(n) < 0.05] = None
    return pd.DataFrame(
        {
            "age": age,
            "count": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(-3, 9, n)), dtype="Int64"),
            "colour": pd.Series(colour, dtype="str"),
            "flag": rng.random(n) < 0.3,
            "day": pd.Series(pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 31, n), unit="D")).where(
                rng.random(n) > 0.02
            ),
        }
    )


@pytest.mark.parametrize("column", ["age", "count"])
def test_numeric_profile_matches_pandas_numpy_and_scipy(small, column):
    series = small[column].astype("float64")
    present = series.dropna().to_numpy()
    (p,) = profile(small[[column]])
    assert p.kind == "numeric"
    assert (p.count, p.missing, p.unique) == (len(present), series.isna().sum(), series.nunique())
    assert p.missing_pct == pytest.approx(100 * series.isna().mean())
    assert p.mean == pytest.approx(np.mean(present), rel=1e-12)
    assert p.median == pytest.approx(np.median(present), rel=1e-12)
    assert p.std == pytest.approx(np.std(present, ddof=1), rel=1e-12)
    assert p.var == pytest.approx(np.var(present, ddof=1), rel=1e-12)
    assert (p.q1, p.q3) == pytest.approx((series.quantile(0.25), series.quantile(0.75)), rel=1e-12)
    assert (p.min, p.max) == (present.min(), present.max())
    # skew: the bias-corrected sample skewness G1, as pandas' .skew() and scipy's skew(bias=False)
    assert p.skew == pytest.approx(series.skew(), rel=1e-9)
    assert p.skew == pytest.approx(scipy.stats.skew(present, bias=False), rel=1e-9)
    assert p.zeros == int((present == 0).sum())
    assert p.mode == series.mode().iloc[0]
    assert p.top_values == () and p.first is None


def test_categorical_profile_counts_top_values_against_value_counts(small):
    (p,) = profile(small[["colour"]])
    counts = small["colour"].value_counts()
    assert p.kind == "categorical"
    assert (p.count, p.missing, p.unique) == (counts.sum(), small["colour"].isna().sum(), len(counts))
    assert [(v, n) for v, n, _ in p.top_values] == list(counts.items())
    assert [share for _, _, share in p.top_values] == pytest.approx((counts / counts.sum()).tolist())
    assert p.mode == counts.index[0] and p.mean is None and p.zeros is None


def test_boolean_and_datetime_profiles(small):
    flag, day = profile(small[["flag", "day"]])
    assert flag.kind == "boolean" and flag.unique == 2
    assert dict((v, n) for v, n, _ in flag.top_values) == {"False": (~small["flag"]).sum(), "True": small["flag"].sum()}
    assert day.kind == "datetime" and day.missing == small["day"].isna().sum()
    assert (day.first, day.last) == (small["day"].min().date().isoformat(), small["day"].max().date().isoformat())
    assert day.unique == small["day"].nunique()


def test_kinds_override_the_dtype_and_unknown_kinds_are_refused(small):
    (p,) = profile(small[["count"]], kinds={"count": "categorical", "not there": "numeric"})
    assert p.kind == "categorical" and p.top_values[0][1] == small["count"].value_counts().iloc[0]
    with pytest.raises(ValueError, match="kind 'text'"):
        profile(small[["count"]], kinds={"count": "text"})
    with pytest.raises(ValueError, match="repeated: age"):
        profile(small[["age", "age"]])


def test_profile_table_has_one_row_per_column(small):
    table = profile_table(profile(small))
    assert table["column"].tolist() == list(small.columns)
    assert table.loc[table["column"] == "age", "mean"].iloc[0] == pytest.approx(small["age"].mean())
    assert np.isnan(table.loc[table["column"] == "colour", "mean"].iloc[0])
    assert table.loc[table["column"] == "colour", "top values"].iloc[0].startswith("red (")


def test_empty_and_all_missing_columns_profile_without_error():
    frame = pd.DataFrame({"x": [np.nan, np.nan], "t": pd.Series([None, None], dtype="str")})
    x, t = profile(frame)
    assert (x.count, x.missing_pct, x.mean, t.unique, t.top_values) == (0, 100.0, None, 0, ())


@pytest.mark.parametrize("value", [0.1, 1 / 3, 7.0])
def test_a_constant_column_has_no_skew_and_no_spread(value):
    (p,) = profile(pd.DataFrame({"x": [value] * 500 + [np.nan]}))
    assert p.skew is None and p.std == p.var == 0.0 and p.mean == value  # not rounding noise
    assert np.isnan(profile_table([p])["skew"].iloc[0])  # a blank in the table, no number


@pytest.mark.skipif(not REAL_SAMPLE.exists(), reason=f"the real sample is not at {REAL_SAMPLE}")
@pytest.mark.parametrize("target", ["longitud", "DR Number", "Victim_Sex", "Area_ID", "Victim_Age"])
def test_a_quantity_target_is_explored_as_numbers_and_classes_as_classes(target):
    dataset = load_dataset(LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target=target))
    frame = dataset_frame(dataset)
    quantity = target in ("longitud", "DR Number")  # many distinct numbers, most of them in 1-2 rows
    assert target_kind(dataset) == dataset_kinds(dataset)[target] == ("numeric" if quantity else "categorical")
    assert is_quantity(frame[target]) == quantity
    read = pd.read_csv(REAL_SAMPLE)
    kept = read[target].notna()
    if quantity:
        assert pd.api.types.is_numeric_dtype(frame[target])
        np.testing.assert_allclose(frame[target].to_numpy(), read.loc[kept, target].to_numpy(dtype="float64"))
    else:
        assert frame[target].tolist() == [dataset.classes[code] for code in dataset.target]


def test_classes_coded_as_numbers_are_no_quantity():
    assert not is_quantity(pd.Series(np.arange(300) % 5))  # five classes
    assert not is_quantity(pd.Series(np.arange(300) % 60))  # sixty, five rows each: still classes
    assert is_quantity(pd.Series(np.linspace(0, 1, 300)))
    assert is_quantity(pd.Series(np.linspace(0, 1, 300).astype(str)))  # numbers read as text
    assert not is_quantity(pd.Series([f"name {i}" for i in range(300)]))
