"""core/eda/alerts/leakage.py: the single-feature rule scored exactly, train/test copies counted exactly, and
the leakage checks on the LA synthetic table and the real January 2013 sample, with or without a split."""

import numpy as np
import pandas as pd
import pytest

from core.datasets.dataset import make_split
from core.datasets.registry import LoadRequest, load_dataset
from core.eda import dataset_frame, dataset_kinds, find_alerts, profile, profile_table
from tests.conftest import REAL_SAMPLE
from tests.core.eda.frames import base_frame, by_kind, make_leak_code, random_split

LA_ROWS = 30_000


@pytest.fixture(scope="module")
def la():
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=LA_ROWS))
    return dataset, dataset_frame(dataset), make_split(dataset)


def test_single_feature_accuracy_is_the_majority_rule_scored_on_the_test_rows():
    frame = make_leak_code(base_frame(3000), True, np.random.default_rng(1))
    split = random_split(len(frame))
    (alert,) = by_kind(find_alerts(frame, target="label", split=split), "leak_single_feature")
    train, test = frame.iloc[split.train], frame.iloc[split.test]
    rule = train.groupby("area")["label"].agg(lambda labels: labels.value_counts().idxmax())
    expected = (test["area"].map(rule) == test["label"]).mean()
    assert alert.columns == ("area",) and alert.figure == pytest.approx(expected) and 0.98 <= expected < 1


def test_rare_classes_do_not_stop_the_leakage_check():
    frame = make_leak_code(base_frame(3000), True, np.random.default_rng(1))
    frame.loc[:1, "label"] = "once or twice"  # no split could stratify this; the seeded hold-out does not need to
    alerts = find_alerts(frame, target="label")
    assert [a.columns for a in by_kind(alerts, "leak_single_feature")] == [("area",)]
    assert by_kind(alerts, "rare_classes")


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


def test_a_quantity_target_is_not_scored_class_by_class(la):
    dataset, frame, _ = la
    alerts = find_alerts(frame, target="Latitude", kinds=dataset.feature_types)
    assert by_kind(alerts, "leak_single_feature") == [] and by_kind(alerts, "continuous_target")


# --- the real January 2013 sample ----------------------------------------------------------------


@pytest.mark.skipif(not REAL_SAMPLE.exists(), reason=f"the real sample is not at {REAL_SAMPLE}")
def test_real_sample_profiles_and_flags_its_dr_number():
    frame = pd.read_csv(REAL_SAMPLE)
    profiles = {p.name: p for p in profile(frame)}
    assert profiles["Victim_Age"].missing == 581 and profiles["Victim_Sex"].missing == 26
    assert len(profile_table(list(profiles.values()))) == frame.shape[1]
    alerts = find_alerts(frame, target="Victim_Sex")
    assert ("DR Number",) in [a.columns for a in by_kind(alerts, "identifier")]
    assert all(a.columns != ("Victim_Sex",) or a.kind in ("imbalanced_target", "rare_classes") for a in alerts)
    (missing,) = by_kind(alerts, "missing")
    assert missing.columns == ("Victim_Age",) and f"{581 / len(frame):.1%}" in missing.message


def test_alerts_from_given_profiles_match_alerts_that_profile_themselves():
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3000))
    frame = dataset_frame(dataset)
    kinds = dataset_kinds(dataset)
    split = make_split(dataset)
    given = find_alerts(frame, target=dataset.target_name, kinds=kinds, split=split, profiles=profile(frame, kinds))
    assert given == find_alerts(frame, target=dataset.target_name, kinds=kinds, split=split) and given
