"""core/eda.py: exact profile figures against pandas/numpy/scipy, each alert on a frame built to fire it
and on a near miss, and the leakage checks on the LA synthetic table and the real January 2013 sample."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats

from core.datasets.dataset import Dataset, Provenance, Split, make_split
from core.datasets.registry import LoadRequest, load_dataset
from core.eda import Alert, Thresholds, dataset_frame, find_alerts, profile, profile_table
from core.eda.alerts import ADVICE, CHECKS, check
from tests.conftest import REAL_SAMPLE

LA_ROWS = 30_000


@pytest.fixture(scope="module")
def la():
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=LA_ROWS))
    return dataset, dataset_frame(dataset), make_split(dataset)


def by_kind(alerts: list[Alert], kind: str) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]


# --- dataset_frame -----------------------------------------------------------------------------


def test_dataset_frame_appends_the_decoded_target_last(la):
    dataset, frame, _ = la
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


# --- each alert: fires on a frame built for it, stays quiet on a near miss --------------------------


def base_frame(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Quiet for every check: uniform numbers, a five-letter category, a balanced two-class label."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.uniform(0, 1, n),
            "y": rng.uniform(0, 1, n),
            "letter": pd.Series(rng.choice(list("abcde"), n), dtype="str"),
            "label": pd.Series(rng.choice(["yes", "no"], n), dtype="str"),
        }
    )


def random_split(n: int, seed: int = 0) -> Split:
    order = np.random.default_rng(seed).permutation(n)
    train, val, test = np.split(order, [int(0.7 * n), int(0.8 * n)])
    return Split(np.sort(train), np.sort(val), np.sort(test), seed, "test")


def _constant(frame, fire, rng):
    frame["code"] = np.where(np.arange(len(frame)) % 9 == 0, np.nan, 7.0)
    if not fire:
        frame.loc[1, "code"] = 8.0
    return frame


def _mostly_missing(frame, fire, rng):
    frame["note"] = frame["x"].where(np.arange(len(frame)) % 10 >= (6 if fire else 4))
    return frame


def _high_cardinality(frame, fire, rng):
    frame["street"] = pd.Series([f"street {i % (60 if fire else 50)}" for i in range(len(frame))], dtype="str")
    return frame


def _identifier_number(frame, fire, rng):
    numbers = rng.permutation(len(frame)) + 130_000_000
    frame["DR Number"] = numbers if fire else numbers + 0.5  # all distinct, but not whole: a measurement
    return frame


def _identifier_text(frame, fire, rng):
    ids = [f"case-{i}" for i in range(len(frame))]
    frame["case"] = pd.Series(ids if fire else [ids[i % 250] for i in range(len(frame))], dtype="str")  # 83% distinct
    return frame


def _duplicate_rows(frame, fire, rng):
    return pd.concat([frame, frame.iloc[[3, 5, 8, 13, 21, 34, 55]]], ignore_index=True) if fire else frame


def _correlated(frame, fire, rng):
    frame["z"] = frame["x"] + rng.normal(0, 0.02 if fire else 0.2, len(frame))
    return frame


def _skewed(frame, fire, rng):
    frame["income"] = rng.lognormal(0, 1.5, len(frame)) if fire else rng.uniform(0, 1, len(frame))
    return frame


def _imbalanced(frame, fire, rng):
    share = 0.9 if fire else 0.7
    frame["label"] = pd.Series(np.where(rng.random(len(frame)) < share, "yes", "no"), dtype="str")
    return frame


def _outliers(frame, fire, rng):
    if fire:
        frame.loc[[10, 20, 30], "x"] = [5.0, -4.0, 9.0]
    return frame


def _dates_as_text(frame, fire, rng):
    days = pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 365, len(frame)), unit="D")
    text = days.strftime("%m/%d/%Y").to_numpy(dtype=object)
    if not fire:
        text[::2] = [f"{rng.integers(3000, 3999)} {rng.integers(100, 999)}" for _ in text[::2]]  # MO-code-like
    frame["Date Reported"] = pd.Series(text, dtype="str")
    return frame


def _leak_code(frame, fire, rng):
    frame["area"] = rng.integers(1, 21, len(frame))
    if fire:  # the label is a function of the code (like Area Name of Area ID), but for 1% of rows
        label = np.where(frame["area"] < 9, "north", "south")
        noisy = rng.random(len(frame)) < 0.01
        frame["label"] = pd.Series(np.where(noisy, np.where(label == "north", "south", "north"), label), dtype="str")
    return frame


def _leak_binned(frame, fire, rng):  # many distinct values: scored through 200 quantile bins of the train rows
    frame["age"] = rng.uniform(10, 90, len(frame))
    if fire:
        frame["label"] = pd.Series(pd.cut(frame["age"], [0, 30, 60, 100]).astype("str"), dtype="str")
    return frame


def _after_event(frame, fire, rng):
    opened = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, len(frame)), unit="D")
    delay = pd.to_timedelta(rng.integers(0, 6, len(frame)) if fire else rng.integers(-3, 6, len(frame)), unit="D")
    frame["opened"], frame["updated"] = opened, opened + delay
    return frame


def _after_event_name(frame, fire, rng):
    frame["Case Outcome" if fire else "Income"] = frame["letter"]
    return frame


def _train_test_duplicates(frame, fire, rng):
    if fire:
        split = random_split(len(frame))
        frame.iloc[split.test[:4]] = frame.iloc[split.train[:4]].to_numpy()
    return frame


CASES = {
    "constant": ("constant", _constant, {}),
    "mostly_missing": ("mostly_missing", _mostly_missing, {}),
    "high_cardinality": ("high_cardinality", _high_cardinality, {}),
    "identifier (number)": ("identifier", _identifier_number, {}),
    "identifier (text)": ("identifier", _identifier_text, {}),
    "duplicate_rows": ("duplicate_rows", _duplicate_rows, {}),
    "correlated": ("correlated", _correlated, {}),
    "skewed": ("skewed", _skewed, {}),
    "imbalanced_target": ("imbalanced_target", _imbalanced, {}),
    "outliers": ("outliers", _outliers, {}),
    "dates_as_text": ("dates_as_text", _dates_as_text, {}),
    "leak_single_feature (code)": ("leak_single_feature", _leak_code, {"rows": 3000}),
    "leak_single_feature (binned)": ("leak_single_feature", _leak_binned, {"rows": 3000}),
    "leak_after_event (dates)": ("leak_after_event", _after_event, {}),
    "leak_after_event (name)": ("leak_after_event", _after_event_name, {}),
    "leak_train_test_duplicates": ("leak_train_test_duplicates", _train_test_duplicates, {"split": True}),
}


def run_case(name: str, fire: bool) -> list[Alert]:
    kind, build, options = CASES[name]
    rows = options.get("rows", 300)
    frame = build(base_frame(rows), fire, np.random.default_rng(1))
    split = random_split(len(frame)) if options.get("split") else None
    return by_kind(find_alerts(frame, target="label", split=split), kind)


def test_the_base_frame_is_quiet():
    assert find_alerts(base_frame(), target="label", split=random_split(300)) == []


@pytest.mark.parametrize("fire", [True, False], ids=["fires", "quiet"])
@pytest.mark.parametrize("name", list(CASES))
def test_each_alert_fires_and_stays_quiet(name, fire):
    alerts = run_case(name, fire)
    assert len(alerts) == (1 if fire else 0), [a.message for a in alerts]
    if fire:
        (alert,) = alerts
        assert alert.message and alert.advice and alert.severity in ("info", "warning", "leakage")
        assert "label" not in alert.columns or alert.kind == "imbalanced_target"  # never suggests dropping the target


def test_every_check_has_advice_and_a_duplicate_name_is_refused():
    assert set(CHECKS) <= set(ADVICE)
    with pytest.raises(ValueError, match="already registered"):
        check("constant", "warning", "")(lambda context: [])


def test_alert_figures_are_exact():
    assert run_case("duplicate_rows", True)[0].figure == 7
    assert run_case("mostly_missing", True)[0].figure == 0.6
    assert run_case("identifier (number)", True)[0].figure == 1.0
    (outliers,) = run_case("outliers", True)
    assert outliers.figure == 3 and outliers.columns == ("x",)
    (pair,) = run_case("correlated", True)
    frame = _correlated(base_frame(), True, np.random.default_rng(1))
    assert pair.columns == ("x", "z") and pair.figure == pytest.approx(abs(np.corrcoef(frame["x"], frame["z"])[0, 1]))
    (after,) = run_case("leak_after_event (dates)", True)
    assert after.columns == ("updated",) and after.severity == "leakage" and "opened" in after.message
    assert run_case("leak_after_event (name)", True)[0].severity == "warning"
    (imbalanced,) = run_case("imbalanced_target", True)
    labels = _imbalanced(base_frame(), True, np.random.default_rng(1))["label"].value_counts()
    assert imbalanced.figure == labels.min() / labels.max()


def test_single_feature_accuracy_is_the_majority_rule_scored_on_the_test_rows():
    frame = _leak_code(base_frame(3000), True, np.random.default_rng(1))
    split = random_split(len(frame))
    (alert,) = by_kind(find_alerts(frame, target="label", split=split), "leak_single_feature")
    train, test = frame.iloc[split.train], frame.iloc[split.test]
    rule = train.groupby("area")["label"].agg(lambda labels: labels.value_counts().idxmax())
    expected = (test["area"].map(rule) == test["label"]).mean()
    assert alert.columns == ("area",) and alert.figure == pytest.approx(expected) and 0.98 <= expected < 1


def test_alerts_come_leakage_first_and_thresholds_apply():
    frame = _after_event(_constant(base_frame(), True, np.random.default_rng(1)), True, np.random.default_rng(1))
    severities = [a.severity for a in find_alerts(frame, target="label")]
    assert severities == sorted(severities, key=["leakage", "warning", "info"].index) and "leakage" in severities
    frame = _mostly_missing(base_frame(), False, np.random.default_rng(1))
    assert by_kind(find_alerts(frame, thresholds=Thresholds(mostly_missing=0.3)), "mostly_missing")
    with pytest.raises(ValueError, match="nope"):
        find_alerts(frame, target="nope")


def test_duplicate_rows_match_pandas_with_missing_values_and_many_columns():
    rng = np.random.default_rng(7)
    low = pd.DataFrame({f"c{i}": rng.choice([0.0, 1.0, np.nan], 2000) for i in range(5)})
    wide = pd.DataFrame({f"w{i}": rng.integers(0, 1000, 3000) for i in range(12)})  # packs past int64: renumbers
    wide = pd.concat([wide, wide.iloc[rng.integers(0, 3000, 11)]], ignore_index=True)
    for frame in (low, wide):
        (alert,) = by_kind(find_alerts(frame), "duplicate_rows")
        assert alert.figure == frame.duplicated().sum() > 0


def test_train_test_duplicates_are_counted_exactly():
    rng = np.random.default_rng(11)
    n = 2000
    frame = pd.DataFrame(
        {
            "a": rng.integers(0, 10**6, n),
            "b": rng.normal(size=n),
            "c": pd.Series(rng.choice(["p", "q", None], n), dtype="str"),
            "label": rng.choice(["u", "v"], n),
        }
    )
    split = random_split(n)
    planted = split.test[:25]
    frame.iloc[planted] = frame.iloc[split.train[100:125]].to_numpy()  # 25 test rows copy training rows
    frame.loc[planted[:5], "label"] = np.where(frame.loc[planted[:5], "label"] == "u", "v", "u")  # label differs
    frame.iloc[split.test[30:40]] = frame.iloc[split.test[40:50]].to_numpy()  # copies within the test part
    frame.iloc[split.test[60], 1] = frame.iloc[split.train[0], 1]
    frame.iloc[split.test[60], [0, 2]] = [-1, frame.iloc[split.train[0], 2]]  # differs in one column only
    (alert,) = by_kind(find_alerts(frame, target="label", split=split), "leak_train_test_duplicates")
    features = frame.drop(columns="label").astype(str).to_numpy()
    train_rows = set(map(tuple, features[split.train]))
    expected = sum(tuple(row) in train_rows for row in features[split.test])
    assert alert.figure == expected == 25 and alert.severity == "leakage" and alert.columns == ()


# --- the LA synthetic table ----------------------------------------------------------------------


def test_age_group_derived_from_victim_age_leaks(la):
    dataset, frame, split = la
    frame = frame.assign(**{"Age Group": pd.cut(frame["Victim Age"], [0, 17, 29, 44, 64, 120]).astype("str")})
    frame["Age Group"] = frame["Age Group"].mask(frame["Victim Age"].isna())
    alerts = find_alerts(frame, target="Age Group", kinds=dataset.feature_types, split=split)
    alerts = by_kind(alerts, "leak_single_feature")
    assert [a.columns for a in alerts] == [("Victim Age",)]
    assert alerts[0].figure == 1.0 and "baseline" in alerts[0].message


def test_victim_sex_has_no_single_feature_leak_but_date_reported_is_after_the_event(la):
    dataset, frame, split = la
    alerts = find_alerts(frame, target="Victim Sex", kinds=dataset.feature_types, split=split)
    assert by_kind(alerts, "leak_single_feature") == []
    (after,) = by_kind(alerts, "leak_after_event")
    assert after.columns == ("Date Reported",) and "Date Occurred" in after.message and after.figure == 1.0
    assert [a.columns for a in by_kind(alerts, "identifier")] == [("DR Number",)]
    assert by_kind(alerts, "leak_train_test_duplicates") == by_kind(alerts, "duplicate_rows") == []


def test_area_name_as_target_leaks_through_its_code(la):
    dataset, frame, _ = la
    alerts = by_kind(find_alerts(frame, target="Area Name", kinds=dataset.feature_types), "leak_single_feature")
    assert {"Area ID", "Reporting District"} == {a.columns[0] for a in alerts}


# --- the real January 2013 sample ----------------------------------------------------------------


@pytest.mark.skipif(not REAL_SAMPLE.exists(), reason=f"the real sample is not at {REAL_SAMPLE}")
def test_real_sample_profiles_and_flags_its_dr_number():
    frame = pd.read_csv(REAL_SAMPLE)
    profiles = {p.name: p for p in profile(frame)}
    assert profiles["Victim_Age"].missing == 581 and profiles["Victim_Sex"].missing == 26
    assert len(profile_table(list(profiles.values()))) == frame.shape[1]
    alerts = find_alerts(frame, target="Victim_Sex")
    assert ("DR Number",) in [a.columns for a in by_kind(alerts, "identifier")]
    assert all(a.columns != ("Victim_Sex",) or a.kind == "imbalanced_target" for a in alerts)


def test_alerts_from_given_profiles_match_alerts_that_profile_themselves():
    from core.datasets import LoadRequest, load_dataset, make_split

    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3000))
    frame = dataset_frame(dataset)
    kinds = {**dataset.feature_types, dataset.target_name: "categorical"}
    split = make_split(dataset)
    given = find_alerts(frame, target=dataset.target_name, kinds=kinds, split=split, profiles=profile(frame, kinds))
    assert given == find_alerts(frame, target=dataset.target_name, kinds=kinds, split=split) and given
