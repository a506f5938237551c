from types import SimpleNamespace

from core.runs.eta import duration_text, eta_left, eta_text, stage_eta


def test_stage_eta_extrapolates_the_stage_pace():
    assert stage_eta(30.0, 0.25) == 90.0  # a quarter took 30 s: three quarters take 90 s
    assert stage_eta(30.0, 1.0) == 0.0
    assert stage_eta(30.0, 0.0) is None and stage_eta(30.0, None) is None  # nothing measured: no estimate


def test_an_estimate_counts_down_between_reports_and_stops_at_zero():
    assert eta_left(23.0, 1000.0, now=1006.0) == 17.0
    assert eta_left(23.0, 1000.0, now=1190.0) == 0.0
    assert eta_left(None, 1000.0, now=1006.0) is None
    assert eta_left(5.0, None) == 5.0


def test_duration_text_reads_like_a_person_writes_it():
    assert [duration_text(s) for s in (0.4, 8.2, 59.6, 200, 3900)] == [
        "0 s",
        "8 s",
        "1 min 00 s",
        "3 min 20 s",
        "1 h 05 min",
    ]


def record(status="running", eta=None, at=None, stage="training"):
    return SimpleNamespace(status=status, eta_seconds=eta, eta_at=at, stage=stage)


def test_eta_text_names_the_stage_and_moves_with_the_clock():
    assert eta_text(record(eta=200.0, at=1000.0), now=1000.0) == ", about 3 min 20 s left in training"
    assert eta_text(record(eta=200.0, at=1000.0), now=1150.0) == ", about 50 s left in training"
    assert eta_text(record(eta=200.0, at=1000.0), now=1300.0) == ", training nearly done"
    assert eta_text(record(eta=None)) == ""  # a stage that does not measure its progress
    assert eta_text(record(status="finished", eta=5.0, at=1000.0), now=1000.0) == ""
