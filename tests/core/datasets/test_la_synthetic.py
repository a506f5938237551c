import numpy as np
import pandas as pd
import pytest

from core.datasets.la_schema import PARSED_COLUMNS
from core.datasets.la_synthetic import synthetic_collisions

AREAS = {
    1: "Central", 2: "Rampart", 3: "Southwest", 4: "Hollenbeck", 5: "Harbor", 6: "Hollywood", 7: "Wilshire",
    8: "West LA", 9: "Van Nuys", 10: "West Valley", 11: "Northeast", 12: "77th Street", 13: "Newton",
    14: "Pacific", 15: "N Hollywood", 16: "Foothill", 17: "Devonshire", 18: "Southeast", 19: "Mission",
    20: "Olympic", 21: "Topanga",
}  # fmt: skip


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return synthetic_collisions(200_000, seed=5)


def test_schema_and_dtypes():
    small = synthetic_collisions(50, seed=0)
    assert list(small.columns) == list(PARSED_COLUMNS)
    assert len(small) == 50
    for column in ("DR Number", "Time Occurred", "Hour Occurred", "Minute Occurred", "Area ID",
                   "Reporting District", "Crime Code", "Premise Code"):  # fmt: skip
        assert small[column].dtype == "Int64", column
    assert small["Date Reported"].dtype == "datetime64[ns]"
    assert small["Date Occurred"].dtype == "datetime64[ns]"
    for column in ("Victim Age", "Latitude", "Longitude"):
        assert small[column].dtype == np.float64
    for column in ("Area Name", "MO Codes", "Victim Sex", "Victim Descent", "Address", "Cross Street"):
        assert pd.api.types.is_string_dtype(small[column]), column


def test_same_seed_same_frame_other_seed_other_frame():
    pd.testing.assert_frame_equal(synthetic_collisions(3_000, seed=7), synthetic_collisions(3_000, seed=7))
    assert not synthetic_collisions(3_000, seed=7).equals(synthetic_collisions(3_000, seed=8))


def test_victim_age_matches_the_published_figures(frame):
    age = frame["Victim Age"]
    assert age.isna().mean() == pytest.approx(0.15, abs=0.01)
    assert age.mean() == pytest.approx(41.4, abs=0.5)
    assert age.std() == pytest.approx(16.7, abs=0.5)
    assert 37 <= age.median() <= 39
    assert age.min() == 10 and age.max() <= 99
    known = age.dropna()
    assert (known == known.round()).all()


def test_time_occurred_has_an_afternoon_peak(frame):
    time = frame["Time Occurred"].astype("float64")
    assert time.notna().all()
    assert time.mean() == pytest.approx(1352, abs=10)
    assert 1415 <= time.median() <= 1445
    hour, minute = frame["Hour Occurred"], frame["Minute Occurred"]
    assert (hour * 100 + minute == frame["Time Occurred"]).all()
    assert hour.between(0, 23).all() and minute.between(0, 59).all()
    assert (minute % 5 == 0).mean() > 0.9
    by_hour = hour.value_counts()
    assert by_hour[17] > 1.5 * by_hour[9] > 3 * by_hour[4]  # evening rush > morning rush > small hours


def test_areas_codes_and_districts(frame):
    area = frame["Area ID"]
    assert sorted(area.unique()) == list(range(1, 22))
    assert (frame["Area Name"] == area.map(AREAS)).all()
    shares = area.value_counts(normalize=True)
    assert shares.max() > 1.5 * shares.min()  # uneven, like the real table
    assert (frame["Reporting District"] // 100 == area).all()
    assert (frame["Crime Code"] == 997).all()
    assert (frame["Crime Code Description"] == "TRAFFIC COLLISION").all()


def test_victims_and_premises(frame):
    sex = frame["Victim Sex"].value_counts(normalize=True, dropna=False)
    assert set(frame["Victim Sex"].dropna()) == {"M", "F", "X"}
    assert sex["M"] == pytest.approx(0.57, abs=0.02)
    assert sex["F"] == pytest.approx(0.38, abs=0.02)
    assert sex["X"] == pytest.approx(0.05, abs=0.01)
    assert frame["Victim Sex"].isna().mean() == pytest.approx(0.01, abs=0.004)
    descent = frame["Victim Descent"]
    assert 0.01 < descent.isna().mean() < 0.05
    assert list(descent.value_counts().index[:4]) == ["H", "W", "O", "B"]
    premise = frame["Premise Code"].value_counts(normalize=True)
    assert premise.index[0] == 101 and premise[101] > 0.6
    assert (frame.loc[frame["Premise Code"] == 108, "Premise Description"] == "PARKING LOT").all()


def test_mo_codes_are_one_to_five_distinct_sorted_codes(frame):
    codes = frame["MO Codes"].dropna()
    assert 0.05 < frame["MO Codes"].isna().mean() < 0.2
    assert codes.str.fullmatch(r"\d{4}( \d{4}){0,4}").all()
    split = codes.str.split(" ")
    assert split.map(lambda parts: parts == sorted(set(parts))).all()
    assert set(split.str.len()) == {1, 2, 3, 4, 5}


def test_dates_dr_numbers_and_places(frame):
    occurred, reported = frame["Date Occurred"], frame["Date Reported"]
    assert occurred.min() >= pd.Timestamp("2010-01-01") and reported.max() <= pd.Timestamp("2025-03-31")
    delay = (reported - occurred).dt.days
    assert (delay >= 0).all() and (delay == 0).mean() > 0.6 and delay.quantile(0.95) <= 10
    assert frame["DR Number"].is_unique
    # LAPD layout: the report year's last two digits, then the area.
    assert (frame["DR Number"] // 10**7 == reported.dt.year % 100).all()
    assert ((frame["DR Number"] // 10**5) % 100 == frame["Area ID"]).all()
    assert frame["Cross Street"].isna().mean() == pytest.approx(0.5, abs=0.02)
    assert frame["Address"].notna().all()
    missing = frame["Latitude"].isna()
    assert (missing == frame["Longitude"].isna()).all()
    assert missing.mean() == pytest.approx(0.005, abs=0.002)
    assert frame["Latitude"].dropna().between(33.6, 34.4).all()
    assert frame["Longitude"].dropna().between(-118.8, -118.1).all()


# The joint structure fitted to the real January 2013 sample (bench/fit_la_stand_in.py); the sample's own
# figures are in the comments.
def test_descent_follows_the_area_and_sex_the_descent(frame):
    descent = pd.crosstab(frame["Area ID"], frame["Victim Descent"], normalize="index")
    assert descent.loc[4, "H"] > 0.6  # Hollenbeck: 75% H
    assert descent.loc[12, "B"] > 0.4  # 77th Street: 51% B
    assert descent.loc[8, "W"] > 0.3 and descent.loc[14, "W"] > 0.35  # West LA 39%, Pacific 43% W
    women = pd.crosstab(frame["Victim Descent"], frame["Victim Sex"], normalize="index")["F"]
    assert women["B"] > 0.48 and women["A"] > 0.42  # 52%, 47%
    assert women["H"] < 0.42 and women["W"] < 0.40 and women["O"] < 0.36  # 37%, 35%, 32%
    unknown = frame["Victim Sex"] == "X"
    assert (frame.loc[frame["Victim Descent"] == "X", "Victim Sex"] == "X").mean() > 0.9
    assert (frame.loc[unknown, "Victim Descent"] == "X").mean() > 0.5  # all 56 in the sample


def test_weekends_move_collisions_into_the_night(frame):
    weekend = frame["Date Occurred"].dt.day_of_week >= 5
    hour = frame["Hour Occurred"]
    night, rush = hour.between(0, 3), hour.between(7, 8)
    assert night[weekend].mean() > 1.8 * night[~weekend].mean()  # 22% against 8%
    assert rush[~weekend].mean() > 2 * rush[weekend].mean()  # 10% against 5%


def test_age_depends_on_the_victim_and_the_hour(frame):
    age = frame["Victim Age"]
    by_descent = age.groupby(frame["Victim Descent"]).mean()
    assert by_descent["O"] - by_descent["H"] > 4  # 45.4 against 39.4
    by_sex = age.groupby(frame["Victim Sex"]).mean()
    assert by_sex["M"] - by_sex["F"] > 2.5  # 43.0 against 39.8
    hour = frame["Hour Occurred"]
    assert age[hour.between(10, 15)].mean() - age[hour.between(20, 23)].mean() > 3  # 44.2 against 38.8
    unknown = age.isna().groupby(frame["Victim Sex"].fillna("none")).mean()
    assert unknown["none"] == 1 and unknown["X"] > 0.9  # 26 of 26, 54 of 56
    assert unknown["M"] > 1.4 * unknown["F"]  # 17% against 10%


def test_positions_spread_as_each_area_does(frame):
    spread = frame.groupby("Area ID")["Latitude"].std()
    assert spread[5] > 3 * spread[1]  # Harbor, long and thin, against Central
