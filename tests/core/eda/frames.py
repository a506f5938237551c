"""Frames built to fire each alert, and their near misses, shared by the alert and leakage tests."""

import numpy as np
import pandas as pd

from core.datasets.dataset import Split
from core.eda import Alert, find_alerts


def by_kind(alerts: list[Alert], kind: str) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]


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


def make_constant(frame, fire, rng):
    frame["code"] = np.where(np.arange(len(frame)) % 9 == 0, np.nan, 7.0)
    if not fire:
        frame.loc[1, "code"] = 8.0
    return frame


def make_missing(frame, fire, rng):  # 6% missing is reported; 4% is not
    frame["note"] = frame["x"].where(np.arange(len(frame)) % 50 >= (3 if fire else 2))
    return frame


def make_high_cardinality(frame, fire, rng):
    frame["street"] = pd.Series([f"street {i % (60 if fire else 50)}" for i in range(len(frame))], dtype="str")
    return frame


def make_identifier_number(frame, fire, rng):
    numbers = rng.permutation(len(frame)) + 130_000_000
    frame["DR Number"] = numbers if fire else numbers + 0.5  # all distinct, but not whole: a measurement
    return frame


def make_identifier_text(frame, fire, rng):
    ids = [f"case-{i}" for i in range(len(frame))]
    frame["case"] = pd.Series(ids if fire else [ids[i % 250] for i in range(len(frame))], dtype="str")  # 83% distinct
    return frame


def make_duplicate_rows(frame, fire, rng):
    return pd.concat([frame, frame.iloc[[3, 5, 8, 13, 21, 34, 55]]], ignore_index=True) if fire else frame


def make_correlated(frame, fire, rng):
    frame["z"] = frame["x"] + rng.normal(0, 0.02 if fire else 0.2, len(frame))
    return frame


def make_correlated_log(frame, fire, rng):  # a count and its logarithm: one column, whatever Pearson says
    frame["popul"] = rng.lognormal(8, 2, len(frame))
    frame["log popul"] = np.log(frame["popul"]) if fire else rng.normal(8, 2, len(frame))
    return frame


def make_correlated_grade(frame, fire, rng):  # an interest rate and its letter grade
    frame["rate"] = rng.uniform(5, 30, len(frame))
    grades = pd.cut(frame["rate"], [0, 8, 12, 16, 20, 25, 31], labels=list("ABCDEF")).astype("str")
    frame["grade"] = pd.Series(grades if fire else rng.choice(list("ABCDEF"), len(frame)), dtype="str")
    return frame


def make_correlated_categories(frame, fire, rng):  # two names for one thing
    names = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo"}
    spelled = frame["letter"].map(names)
    frame["spelled"] = pd.Series(spelled if fire else rng.choice(list(names.values()), len(frame)), dtype="str")
    return frame


def make_skewed(frame, fire, rng):
    frame["income"] = rng.lognormal(0, 1.5, len(frame)) if fire else rng.uniform(0, 1, len(frame))
    return frame


def make_imbalanced(frame, fire, rng):
    share = 0.9 if fire else 0.7
    frame["label"] = pd.Series(np.where(rng.random(len(frame)) < share, "yes", "no"), dtype="str")
    return frame


def make_outliers(frame, fire, rng):
    if fire:
        frame.loc[[10, 20, 30], "x"] = [5.0, -4.0, 9.0]
    return frame


def make_integer_code(frame, fire, rng):  # a 1-5 rating's 1s and 5s are codes, not outliers; a 250 is an outlier
    frame["rating"] = rng.choice([1, 2, 3, 4, 5], len(frame), p=[0.02, 0.2, 0.5, 0.26, 0.02])
    if fire:
        frame.loc[7, "rating"] = 250
    return frame


def make_rare_classes(frame, fire, rng):  # a class of 2 rows: training's split cannot take it, exploring can
    frame.loc[: (1 if fire else 2), "label"] = "maybe"
    return frame


def make_continuous_target(frame, fire, rng):
    frame["label"] = rng.normal(50, 10, len(frame)).round(2) if fire else rng.integers(1, 5, len(frame))
    return frame


def make_dates_as_text(frame, fire, rng):
    days = pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 365, len(frame)), unit="D")
    text = days.strftime("%m/%d/%Y").to_numpy(dtype=object)
    if not fire:
        text[::2] = [f"{rng.integers(3000, 3999)} {rng.integers(100, 999)}" for _ in text[::2]]  # MO-code-like
    frame["Date Reported"] = pd.Series(text, dtype="str")
    return frame


def make_leak_code(frame, fire, rng):
    frame["area"] = rng.integers(1, 21, len(frame))
    if fire:  # the label is a function of the code (like Area Name of Area ID), but for 1% of rows
        label = np.where(frame["area"] < 9, "north", "south")
        noisy = rng.random(len(frame)) < 0.01
        frame["label"] = pd.Series(np.where(noisy, np.where(label == "north", "south", "north"), label), dtype="str")
    return frame


def make_leak_binned(frame, fire, rng):  # many distinct values: scored through 200 quantile bins of the train rows
    frame["age"] = rng.uniform(10, 90, len(frame))
    if fire:
        frame["label"] = pd.Series(pd.cut(frame["age"], [0, 30, 60, 100]).astype("str"), dtype="str")
    return frame


def make_after_event(frame, fire, rng):
    opened = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, len(frame)), unit="D")
    delay = pd.to_timedelta(rng.integers(0, 6, len(frame)) if fire else rng.integers(-3, 6, len(frame)), unit="D")
    frame["opened"], frame["updated"] = opened, opened + delay
    return frame


def make_after_event_name(frame, fire, rng):
    frame["Case Outcome" if fire else "Income"] = frame["letter"]
    return frame


def make_train_test_duplicates(frame, fire, rng):
    if fire:
        split = random_split(len(frame))
        frame.iloc[split.test[:4]] = frame.iloc[split.train[:4]].to_numpy()
    return frame


CASES = {
    "constant": ("constant", make_constant, {}),
    "missing": ("missing", make_missing, {}),
    "high_cardinality": ("high_cardinality", make_high_cardinality, {}),
    "identifier (number)": ("identifier", make_identifier_number, {}),
    "identifier (text)": ("identifier", make_identifier_text, {}),
    "duplicate_rows": ("duplicate_rows", make_duplicate_rows, {}),
    "correlated": ("correlated", make_correlated, {}),
    "correlated (log)": ("correlated", make_correlated_log, {}),
    "correlated (grade)": ("correlated", make_correlated_grade, {}),
    "correlated (categories)": ("correlated", make_correlated_categories, {}),
    "skewed": ("skewed", make_skewed, {}),
    "imbalanced_target": ("imbalanced_target", make_imbalanced, {}),
    "outliers": ("outliers", make_outliers, {}),
    "outliers (integer code)": ("outliers", make_integer_code, {}),
    "rare_classes": ("rare_classes", make_rare_classes, {}),
    "continuous_target": ("continuous_target", make_continuous_target, {}),
    "dates_as_text": ("dates_as_text", make_dates_as_text, {}),
    "leak_single_feature (code)": ("leak_single_feature", make_leak_code, {"rows": 3000}),
    "leak_single_feature (binned)": ("leak_single_feature", make_leak_binned, {"rows": 3000}),
    "leak_after_event (dates)": ("leak_after_event", make_after_event, {}),
    "leak_after_event (name)": ("leak_after_event", make_after_event_name, {}),
    "leak_train_test_duplicates": ("leak_train_test_duplicates", make_train_test_duplicates, {"split": True}),
}


def run_case(name: str, fire: bool) -> list[Alert]:
    kind, build, options = CASES[name]
    rows = options.get("rows", 300)
    frame = build(base_frame(rows), fire, np.random.default_rng(1))
    split = random_split(len(frame)) if options.get("split") else None
    return by_kind(find_alerts(frame, target="label", split=split), kind)
