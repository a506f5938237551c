"""The generated table of bench/RESULTS.md from hand-made results, and the rewrite that keeps the history."""

import pytest
from record import Result, failed, not_run
from results_md import BEGIN, END, NOT_MEASURED_YET, figure, rewrite, section, verdict
from results_store import Record, Row
from targets import TARGETS

HISTORY = "One script per target.\n\n## Dataset layer (issue 2)\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"


def record_of(*results: Result, when: str = "2026-12-02 03:00 UTC") -> Record:
    rows = {r.target.id: Row(r, when, "abc1234", "bench") for r in results}
    machine = {"cpu": "AMD EPYC", "cores": 2, "memory_gib": 23.5, "gpu": "none", "os": "Debian 12", "load_average": 0.7}
    return Record(rows, machine, {"python": "3.11.7", "numpy": "2.4.6"}, when)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(0.025, "s", "0.025 s"), (4.36, "s", "4.36 s"), (148.04, "s", "148.0 s"), (2.125, "x", "2.12x"),
     (0.93521, "", "0.9352"), (14.18, "ms", "14.2 ms"), (28838.4, "examples/s", "28,838 examples/s")],
)  # fmt: skip
def test_figures_carry_their_unit(value, unit, text):
    assert figure(value, unit) == text


def test_verdicts():
    baselines, accuracy = TARGETS["baselines-620k"], TARGETS["accuracy-94"]
    assert verdict(Result(TARGETS["eda-620k"], 1.4)) == "met"
    assert verdict(Result(baselines, 148.0)) == "**not met** (2.47x the limit)"
    assert verdict(Result(accuracy, 0.9391)) == "**not met** (0.09 percentage points short)"
    assert verdict(not_run(TARGETS["gpu-throughput"], "no CUDA GPU")) == "not run: no CUDA GPU"
    assert (
        verdict(failed(baselines, "bench: xgboost failed: out of memory"))
        == "failed: bench: xgboost failed: out of memory"
    )
    assert verdict(Result(TARGETS["gpu-throughput"], 90_000.0)) == "recorded (no limit)"


def table_row(text: str, target_id: str) -> str:
    return next(line for line in text.splitlines() if f"(`{target_id}`)" in line)


def test_every_target_has_a_row_and_unmeasured_ones_say_so():
    text = section(record_of(Result(TARGETS["baselines-620k"], 148.0, "196 CPU s")))
    for target_id in TARGETS:
        table_row(text, target_id)
    row = table_row(text, "baselines-620k")
    assert "| < 60 s | 148.0 s | **not met** (2.47x the limit) | 196 CPU s | 2026-12-02 03:00 UTC (abc1234) |" in row
    assert "`bench/bench_la_speed.py`" in row
    assert NOT_MEASURED_YET in table_row(text, "eda-620k")


def test_the_section_names_the_machine_versions_and_skipped_scripts():
    text = section(record_of(Result(TARGETS["eda-620k"], 1.4)))
    assert "AMD EPYC, 2 cores, 23.5 GiB, GPU: none, Debian 12" in text
    assert "python 3.11.7, numpy 2.4.6" in text
    assert "`bench/bench_baselines_la.py` (baselines_la): superseded by la_speed" in text


def test_a_pipe_in_a_detail_does_not_break_the_table():
    row = table_row(section(record_of(Result(TARGETS["eda-620k"], 1.4, "a | b"))), "eda-620k")
    assert "a \\| b" in row


def test_the_first_rewrite_puts_the_section_under_the_title_and_keeps_the_history():
    text = rewrite("# Benchmark results\n\n" + HISTORY, record_of(Result(TARGETS["eda-620k"], 1.4)))
    assert text.startswith("# Benchmark results\n\n" + BEGIN)
    assert text.endswith(END + "\n\n" + HISTORY)


def test_a_later_rewrite_replaces_only_the_generated_part():
    first = rewrite("# Benchmark results\n\n" + HISTORY, record_of(Result(TARGETS["eda-620k"], 1.4)))
    second = rewrite(first, record_of(Result(TARGETS["eda-620k"], 2.5)))
    assert "| 2.50 s | met |" in table_row(second, "eda-620k")
    assert "1.40 s" not in second
    assert second.count(BEGIN) == 1 and second.count(END) == 1
    assert second.split(END, 1)[1] == first.split(END, 1)[1]
