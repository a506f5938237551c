"""Met or not against each kind of limit, and the JSON line a script ends with, read back."""

import pytest
from record import RECORD_ONLY, Result, Target, failed, json_line, not_run, parse_json_line

UNDER_5_S = Target("t-under", 3, "a time", "<", 5, "s")
AT_MOST_2X = Target("t-at-most", 12, "a ratio", "<=", 2, "x")
AT_LEAST_93 = Target("t-at-least", 5, "an accuracy", ">=", 0.93, "")


@pytest.mark.parametrize(
    ("target", "measured", "met"),
    [
        (UNDER_5_S, 4.99, True),
        (UNDER_5_S, 5.0, False),  # "under 5 s" is strict
        (AT_MOST_2X, 2.0, True),
        (AT_MOST_2X, 2.01, False),
        (AT_LEAST_93, 0.93, True),
        (AT_LEAST_93, 0.9299, False),
    ],
)
def test_met_follows_the_comparison(target, measured, met):
    assert Result(target, measured).met is met


def test_nothing_measured_is_neither_met_nor_missed():
    assert not_run(UNDER_5_S, "no CUDA GPU").met is None
    assert failed(UNDER_5_S, "boom").met is None
    assert Result(Target("gpu", 5, "a figure", RECORD_ONLY, 0, "examples/s"), 1234.0).met is None


def test_ratio_to_limit_is_measured_over_limit():
    assert Result(Target("b", 15, "baselines", "<", 60, "s"), 148.0).ratio_to_limit == pytest.approx(148 / 60)
    assert not_run(UNDER_5_S, "why").ratio_to_limit is None


def test_an_unknown_comparison_is_refused():
    with pytest.raises(ValueError, match="comparison"):
        Target("bad", 1, "x", ">", 1, "s")


def test_limit_text_reads_as_the_issue_words_it():
    assert UNDER_5_S.limit_text == "< 5 s"
    assert AT_MOST_2X.limit_text == "<= 2x"
    assert AT_LEAST_93.limit_text == ">= 0.93"


def test_the_json_line_reads_back_as_the_same_results():
    results = [Result(UNDER_5_S, 1.4, "profile 0.3 s"), not_run(AT_MOST_2X, "no CUDA GPU")]
    stdout = "machine: x86_64\nprofile 0.30 s\n{not json at all\n" + json_line("eda", results) + "\n"
    parsed = parse_json_line(stdout)
    assert parsed == results
    assert parsed[0].met is True and parsed[1].status == "not run"


def test_the_last_json_line_wins_and_other_json_is_ignored():
    first = json_line("eda", [Result(UNDER_5_S, 9.0)])
    last = json_line("eda", [Result(UNDER_5_S, 1.0)])
    stdout = '{"rows": 3}\n' + first + "\n" + last + "\n" + "[1, 2]\n"
    assert parse_json_line(stdout)[0].measured == 1.0


def test_no_json_line_gives_none():
    assert parse_json_line("machine: x86_64\ntarget met\n") is None
    assert parse_json_line("") is None
