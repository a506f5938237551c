import numpy as np
import pandas as pd
import pytest

from core.datasets import kinds
from core.datasets.kinds import (
    base_kind,
    column_kind,
    infer_kinds,
    is_integer_code,
    is_text_id,
    is_time_of_day,
    kinds_note,
    parse_text_dates,
)


def test_kind_names_and_their_base_kinds():
    assert kinds.KINDS == ("numeric", "categorical", "boolean", "datetime", "time_of_day", "text_id")
    assert [base_kind(k) for k in kinds.KINDS] == [
        "numeric",
        "categorical",
        "boolean",
        "datetime",
        "numeric",
        "categorical",
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5] * 4, True),  # a 1-5 rating
        ([0, 1] * 5, True),  # a flag
        ([1.0, 2.0, np.nan, 3.0] * 3, True),  # a rating with blanks, read as floats
        ([0, 1, 2, 3, 4, 5, 6] * 3, True),  # a weekday
        ([1, 2, 3, 4, 250] * 4, False),  # 250 is no code among 1..4: its outlier check stays
        ([1.5, 2.5, 3.5] * 5, False),  # not whole numbers
        (list(range(40)) * 2, False),  # too many levels
        ([1, 2, 4, 5, 6], False),  # five numbers, each once
        ([True, False] * 5, False),  # booleans are booleans
        (["1", "2"] * 5, False),  # text
    ],
)
def test_is_integer_code(values, expected):
    assert is_integer_code(pd.Series(values)) is expected


def test_time_of_day_hhmm_and_hours():
    hhmm = pd.Series([h * 100 + m for h in range(24) for m in (0, 15, 30, 59)], name="Time Occurred")
    assert is_time_of_day(hhmm) and column_kind(hhmm) == "time_of_day"
    assert not is_time_of_day(hhmm + 60)  # minutes over 59: not a clock
    assert not is_time_of_day(pd.Series(list(range(60)) * 3, name="Minute"))  # never reaches the afternoon
    hours = pd.Series(list(range(24)) * 2)
    assert not is_time_of_day(hours.rename("count"))
    assert not is_time_of_day(hours.rename("hours worked"))
    for name in ("Hour", "hour_of_day", "Time_Occurred_h", "crash hr"):
        assert is_time_of_day(hours.rename(name)), name
    assert not is_time_of_day((hours + 1).rename("hour"))  # 24 is no hour of the day
    assert not is_time_of_day(pd.Series([0.5, 1.5], name="hour"))


def test_text_ids_booleans_and_the_rest():
    ids = pd.Series([f"ID-{i:04d}" for i in range(50)])
    assert is_text_id(ids) and column_kind(ids) == "text_id"
    assert not is_text_id(ids.head(10))  # too few rows to tell
    assert column_kind(pd.Series(list("abcde") * 10)) == "categorical"
    assert column_kind(pd.Series(["Yes", "no", None, "YES"])) == "boolean"
    assert column_kind(pd.Series([True, None, False], dtype=object)) == "boolean"
    assert column_kind(pd.Series([True, False])) == "boolean"
    assert column_kind(pd.Series(["yes", "no", "maybe"])) == "categorical"
    assert column_kind(pd.Series([1.5, 2.5])) == "numeric"
    assert column_kind(pd.Series(pd.to_datetime(["2013-01-01"]))) == "datetime"


def test_infer_kinds_skips_the_target():
    frame = pd.DataFrame({"a": [1.0, 2.0], "y": ["x", "y"]})
    assert infer_kinds(frame, skip=("y",)) == {"a": "numeric"}


@pytest.mark.parametrize(
    ("texts", "fmt", "first"),
    [
        (["2013-01-05", "2013-02-28"], "ISO8601", "2013-01-05"),
        (["2013-01-05 10:30:00", "2013-01-06T23:59"], "ISO8601", "2013-01-05 10:30"),
        (["01/05/2013", "12/31/2013"], "%m/%d/%Y", "2013-01-05"),  # US: month first
        (["05/01/2013", "31/12/2013"], "%d/%m/%Y", "2013-01-05"),  # a 31 proves day first
        (["01/05/2013 10:30:00 PM", "1/6/2013 01:00:00 AM"], "%m/%d/%Y %I:%M:%S %p", "2013-01-05 22:30"),
        (["01/05/2013 22:30", "01/06/2013 01:00"], "%m/%d/%Y %H:%M", "2013-01-05 22:30"),
        (["05.01.2013", "06.01.2013"], "%d.%m.%Y", "2013-01-05"),  # European
    ],
)
def test_text_dates_become_datetimes(texts, fmt, first):
    frame = pd.DataFrame({"when": texts, "y": texts})
    parsed, notes = parse_text_dates(frame, skip=("y",))
    assert notes == (f"column 'when': text read as dates ({fmt})",)
    assert str(parsed["when"].dtype).startswith("datetime64")
    assert parsed["when"].iloc[0] == pd.Timestamp(first)
    assert parsed["y"].tolist() == texts  # skipped
    assert column_kind(parsed["when"]) == "datetime"


def test_dates_that_do_not_parse_become_missing_and_other_text_stays():
    texts = ["2013-01-05"] * 199 + ["2013-13-45"] + ["2013-01-06"] * 200 + [None]
    parsed, notes = parse_text_dates(pd.DataFrame({"d": texts}))
    assert notes == ("column 'd': text read as dates (ISO8601); 1 values that are not dates made missing",)
    assert parsed["d"].isna().sum() == 2
    mostly_wrong = pd.DataFrame({"d": ["2013-01-05", "2013-99-99", "2013-98-98"]})
    assert parse_text_dates(mostly_wrong)[0] is mostly_wrong  # under 99% parse: left as text
    words = pd.DataFrame({"d": ["Monday", "Tuesday"], "n": [1, 2], "code": ["12/2013", "1/2014"]})
    assert parse_text_dates(words) == (words, ())


def test_kinds_note_names_what_the_dtype_does_not_say():
    frame = pd.DataFrame(
        {
            "rating": [1, 2, 3] * 10,
            "hour": list(range(10)) * 3,
            "flag": ["y", "n"] * 15,
            "plain": np.arange(30) * 1.5,
            "real_bool": [True, False] * 15,
        }
    )
    note = "column kinds: integer codes 'rating'; time_of_day 'hour'; boolean 'flag'"
    assert kinds_note(frame, infer_kinds(frame)) == note
    plain = frame[["plain", "real_bool"]]
    assert kinds_note(plain, infer_kinds(plain)) is None
