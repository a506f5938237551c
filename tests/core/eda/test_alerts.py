"""core/eda/alerts: each alert on a frame built to fire it and on a near miss, and every alert's figure
against the same figure computed independently (pandas, scipy) on a frame that fires them all."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from scipy.stats import chi2_contingency

from core.eda import Thresholds, find_alerts, profile
from core.eda.alerts import ADVICE, CHECKS, check
from core.eda.alerts.base import SETTLING
from tests.core.eda.frames import (
    CASES,
    base_frame,
    by_kind,
    make_after_event,
    make_constant,
    make_correlated,
    make_correlated_categories,
    make_correlated_grade,
    make_correlated_log,
    make_high_cardinality,
    make_identifier_number,
    make_imbalanced,
    make_integer_code,
    make_missing,
    make_outliers,
    make_rare_classes,
    make_skewed,
    random_split,
    run_case,
)

TARGET_KINDS = ("imbalanced_target", "rare_classes", "continuous_target")  # alerts about the target itself


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
        assert "label" not in alert.columns or alert.kind in TARGET_KINDS  # never suggests dropping the target


def test_every_check_has_advice_and_a_duplicate_name_is_refused():
    assert set(CHECKS) <= set(ADVICE) and SETTLING <= set(ADVICE)
    with pytest.raises(ValueError, match="already registered"):
        check("constant", "warning", "")(lambda context: [])


def test_alert_figures_are_exact():
    assert run_case("duplicate_rows", True)[0].figure == 7
    assert run_case("missing", True)[0].figure == 0.06
    assert run_case("identifier (number)", True)[0].figure == 1.0
    (outliers,) = run_case("outliers", True)
    assert outliers.figure == 3 and outliers.columns == ("x",)
    (pair,) = run_case("correlated", True)
    frame = make_correlated(base_frame(), True, np.random.default_rng(1))
    assert pair.columns == ("x", "z") and pair.figure == pytest.approx(scipy.stats.spearmanr(frame["x"], frame["z"])[0])
    (after,) = run_case("leak_after_event (dates)", True)
    assert after.columns == ("updated",) and after.severity == "leakage" and "opened" in after.message
    assert run_case("leak_after_event (name)", True)[0].severity == "warning"
    (imbalanced,) = run_case("imbalanced_target", True)
    labels = make_imbalanced(base_frame(), True, np.random.default_rng(1))["label"].value_counts()
    assert imbalanced.figure == labels.min() / labels.max()


def test_alerts_come_leakage_first_and_thresholds_apply():
    rng = np.random.default_rng(1)
    frame = make_after_event(make_constant(base_frame(), True, rng), True, rng)
    severities = [a.severity for a in find_alerts(frame, target="label")]
    assert severities == sorted(severities, key=["leakage", "warning", "info"].index) and "leakage" in severities
    frame = make_missing(base_frame(), False, np.random.default_rng(1))  # 4% missing
    assert by_kind(find_alerts(frame, thresholds=Thresholds(missing=0.03)), "missing")
    with pytest.raises(ValueError, match="nope"):
        find_alerts(frame, target="nope")


@pytest.mark.parametrize(("share", "severity"), [(0.05, "info"), (0.2, "info"), (0.48, "info"), (0.6, "warning")])
def test_a_missing_share_from_5_percent_is_reported_with_that_share(share, severity):
    frame = base_frame(500)
    frame["note"] = frame["x"].where(np.arange(500) >= share * 500)
    (alert,) = by_kind(find_alerts(frame, target="label"), "missing")
    assert alert.columns == ("note",) and alert.figure == share and alert.severity == severity
    assert f"{share:.1%} of rows" in alert.message
    assert ("Drop note" in alert.advice) == (severity == "warning")  # drop only when most of it is missing


def test_duplicate_rows_match_pandas_with_missing_values_and_many_columns():
    rng = np.random.default_rng(7)
    low = pd.DataFrame({f"c{i}": rng.choice([0.0, 1.0, np.nan], 2000) for i in range(5)})
    wide = pd.DataFrame({f"w{i}": rng.integers(0, 1000, 3000) for i in range(12)})  # packs past int64: renumbers
    wide = pd.concat([wide, wide.iloc[rng.integers(0, 3000, 11)]], ignore_index=True)
    for frame in (low, wide):
        (alert,) = by_kind(find_alerts(frame), "duplicate_rows")
        assert alert.figure == frame.duplicated().sum() > 0


# --- every alert's figure, computed again independently ---------------------------------------------


def cramers_v_by_hand(a: pd.Series, b: pd.Series) -> float:
    table = pd.crosstab(a, b).to_numpy()  # rows missing either value are left out
    chi2 = chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1))))


def eta_by_hand(category: pd.Series, number: pd.Series) -> float:
    both = pd.DataFrame({"g": category, "x": number}).dropna()
    means = both.groupby("g")["x"].transform("mean")
    return float(np.sqrt(((means - both["x"].mean()) ** 2).sum() / ((both["x"] - both["x"].mean()) ** 2).sum()))


def spearman_by_hand(a: pd.Series, b: pd.Series) -> float:
    both = pd.DataFrame({"a": a, "b": b}).dropna()
    return float(scipy.stats.spearmanr(both["a"], both["b"])[0])


@pytest.fixture(scope="module")
def messy():
    """One frame that fires most alerts: missing shares of 6% to 60%, pairs of every kind, a skewed and an
    outlying number, a rating, a constant, an id, a many-valued category and a class of two rows."""
    rng = np.random.default_rng(5)
    frame = base_frame(600)
    for build in (
        make_constant,
        make_high_cardinality,
        make_identifier_number,
        make_correlated_log,
        make_correlated_grade,
        make_correlated_categories,
        make_skewed,
        make_outliers,
        make_rare_classes,
    ):
        frame = build(frame, True, rng)
    frame = make_integer_code(frame, False, rng)  # a plain 1-5 rating
    order = rng.permutation(600)
    frame["income"] = frame["income"].mask(np.isin(np.arange(600), order[:228]))  # 38% missing
    frame["rate"] = frame["rate"].mask(np.isin(np.arange(600), order[300:330]))  # 5%, and the pair's rows shrink
    frame["spelled"] = frame["spelled"].mask(np.isin(np.arange(600), order[:120]))  # 20%
    frame["y"] = frame["y"].mask(np.isin(np.arange(600), order[200:560]))  # 60%
    return frame


def test_each_alert_states_the_figure_the_profile_and_scipy_give(messy):
    frame = messy
    profiles = {p.name: p for p in profile(frame)}
    alerts = find_alerts(frame, target="label")
    checked = set()
    for alert in alerts:
        assert "nan" not in alert.message.lower(), alert.message
        column = alert.columns[0] if alert.columns else None
        if alert.kind == "missing":
            share = frame[column].isna().mean()
            assert alert.figure == share == profiles[column].missing_pct / 100
            assert f"{share:.1%}" in alert.message
        elif alert.kind == "correlated":
            a, b = (frame[c] for c in alert.columns)
            if "Spearman" in alert.message:
                expected = abs(spearman_by_hand(a, b))
            elif "Cramér" in alert.message:
                expected = cramers_v_by_hand(a, b)
            else:
                number, category = (a, b) if pd.api.types.is_numeric_dtype(a) else (b, a)
                expected = eta_by_hand(category, number)
            assert alert.figure == pytest.approx(expected, rel=1e-9) and f"{expected:.3f}" in alert.message
        elif alert.kind == "skewed":
            assert alert.figure == pytest.approx(frame[column].skew(), rel=1e-9)
            assert f"{frame[column].skew():.2f}" in alert.message
        elif alert.kind == "outliers":
            values = frame[column].dropna()
            q1, q3 = values.quantile([0.25, 0.75])
            count = int((~values.between(q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))).sum())
            assert alert.figure == count and f"{count:,} outliers" in alert.message
        elif alert.kind == "identifier":
            assert alert.figure == frame[column].nunique() / frame[column].notna().sum()
        elif alert.kind == "high_cardinality":
            assert alert.figure == frame[column].nunique() and f"{frame[column].nunique():,} distinct" in alert.message
        elif alert.kind == "constant":
            assert frame[column].nunique() == 1 and str(int(frame[column].dropna().iloc[0])) in alert.message
        elif alert.kind == "imbalanced_target":
            counts = frame[column].value_counts()
            assert alert.figure == counts.min() / counts.max()
        elif alert.kind == "rare_classes":
            counts = frame[column].value_counts()
            assert alert.figure == (counts < 3).sum() == 1 and "'maybe' (2 rows)" in alert.message
        else:
            continue
        checked.add(alert.kind)
    every = {"missing", "correlated", "skewed", "outliers", "identifier", "high_cardinality", "constant"}
    assert checked == every | {"imbalanced_target", "rare_classes"}
    pairs = {a.columns for a in by_kind(alerts, "correlated")}
    assert {("popul", "log popul"), ("rate", "grade"), ("letter", "spelled")} <= pairs  # one of each measure
    assert ("rating",) not in {a.columns for a in by_kind(alerts, "outliers")}  # a 1-5 rating has no outliers


def test_a_constant_column_gets_no_skew_alert_and_prints_no_nan():
    frame = base_frame()
    frame["ratio"] = 0.1  # floating point makes its deviations tiny but not zero
    alerts = find_alerts(frame, target="label")
    assert [a.kind for a in alerts if a.columns == ("ratio",)] == ["constant"]
    assert all("nan" not in a.message.lower() for a in alerts)


# --- one piece of advice per column --------------------------------------------------------------------


def test_dates_stored_as_text_are_parsed_not_dropped():
    rng = np.random.default_rng(2)
    frame = base_frame()
    moments = pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 10**7, len(frame)), unit="s")
    frame["Date Occurred"] = pd.Series(moments.strftime("%m/%d/%Y %I:%M:%S %p"), dtype="str")  # all distinct
    about = [a for a in find_alerts(frame, target="label") if "Date Occurred" in a.columns]
    assert [a.kind for a in about] == ["dates_as_text"] and about[0].advice.startswith("Parse Date Occurred")


def test_a_column_whose_fate_is_settled_gets_no_other_advice(messy):
    frame = messy.assign(income=messy["income"].mask(np.arange(len(messy)) % 10 < 6))  # skewed and 60%+ missing
    alerts = find_alerts(frame, target="label")
    assert [a.kind for a in alerts if a.columns == ("income",)] == ["missing"]  # drop or impute; no log-transform
    for column in frame.columns:
        about = [a for a in alerts if a.columns == (column,)]
        if any(a.settles for a in about):
            assert len(about) == 1, [a.message for a in about]


def test_integer_codes_are_not_outliers_but_a_stray_value_among_them_is():
    rng = np.random.default_rng(1)
    rating = make_integer_code(base_frame(), False, rng)
    assert by_kind(find_alerts(rating, target="label"), "outliers") == []
    assert by_kind(find_alerts(rating.assign(rating=rating["rating"] * 1.5), target="label"), "outliers")  # not whole
    weekday = base_frame().assign(day=np.arange(300) % 7)
    assert by_kind(find_alerts(weekday, target="label"), "outliers") == []


def test_any_target_or_none_explores_without_error():
    frame = make_rare_classes(base_frame(), True, np.random.default_rng(1))
    for target in [None, *frame.columns]:
        find_alerts(frame, target=target)
    quantity = make_rare_classes(base_frame(), True, np.random.default_rng(1)).assign(label=np.linspace(0, 1, 300))
    kinds = [a.kind for a in find_alerts(quantity, target="label")]
    assert "continuous_target" in kinds and "rare_classes" not in kinds and "imbalanced_target" not in kinds
