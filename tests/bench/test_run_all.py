"""The runner: a script's JSON line becomes its rows, a failing or silent script a 'failed' row rather than a crash,
and --only keeps the other targets' last rows. The scripts here are tiny stand-ins: no real benchmark runs."""

import json
import sys
import textwrap

import pytest
import results_store
import run_all
from catalog import Bench
from record import Result, json_line
from results_md import BEGIN, END
from results_store import Record, Row
from targets import TARGETS

EDA = TARGETS["eda-620k"]
PLAYGROUND = TARGETS["playground-frame"]


def stand_in(tmp_path, body: str, targets=("eda-620k",), timeout_s: int = 60) -> Bench:
    script = tmp_path / "bench_stand_in.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(run_all.BENCH_DIR)!r})\n" + textwrap.dedent(body))
    return Bench("stand_in", str(script), targets, timeout_s=timeout_s)  # an absolute path stays as it is


def test_the_json_line_gives_the_rows_whatever_the_exit_status():
    stdout = "total 7.1 s; target MISSED\n" + json_line("eda", [Result(EDA, 7.1)]) + "\n"
    [result] = run_all.results_of(Bench("eda", "bench_eda.py", ("eda-620k",)), 1, stdout, "")
    assert result.measured == 7.1 and result.met is False


def test_a_script_that_prints_no_json_gives_a_failed_row_with_its_last_stderr_line():
    stderr = "Traceback (most recent call last):\n  ...\nbench: xgboost failed: out of memory\n\n"
    [result] = run_all.results_of(Bench("la_speed", "bench_la_speed.py", ("baselines-620k",)), 1, "machine\n", stderr)
    assert result.status == "failed" and result.detail == "bench: xgboost failed: out of memory"
    assert result.target == TARGETS["baselines-620k"]


def test_a_silent_failure_still_says_something():
    [result] = run_all.results_of(Bench("eda", "bench_eda.py", ("eda-620k",)), -9, "", "")
    assert result.detail == "exit status -9, no results printed"


def test_a_target_the_script_left_out_is_failed():
    bench = Bench("numpy_speed", "bench_numpy_speed.py", ("numpy-mlp-speed", "numpy-cnn-speed"))
    stdout = json_line("numpy_speed", [Result(TARGETS["numpy-mlp-speed"], 0.83)])
    mlp, cnn = run_all.results_of(bench, 0, stdout, "")
    assert mlp.met is True
    assert cnn.status == "failed" and "printed no result" in cnn.detail


def test_run_bench_reads_a_real_process(tmp_path):
    bench = stand_in(
        tmp_path,
        """
        from record import Result, print_json_if_asked
        from targets import TARGETS
        print("human-readable line")
        print_json_if_asked("stand_in", [Result(TARGETS["eda-620k"], 1.5, "from a stand-in")])
        sys.exit(1)  # as a script whose target is missed exits
        """,
    )
    [result] = run_all.run_bench(bench)
    assert (result.measured, result.detail, result.met) == (1.5, "from a stand-in", True)


def test_run_bench_survives_a_crashing_script(tmp_path):
    bench = stand_in(tmp_path, 'raise RuntimeError("the dataset is not installed")\n')
    [result] = run_all.run_bench(bench)
    assert result.status == "failed" and result.detail == "RuntimeError: the dataset is not installed"


def test_run_bench_stops_a_script_past_its_timeout(tmp_path):
    bench = stand_in(tmp_path, "import time\ntime.sleep(30)\n", timeout_s=1)
    [result] = run_all.run_bench(bench)
    assert result.status == "failed" and result.detail == "timed out after 1 s"


@pytest.fixture
def files(tmp_path, monkeypatch):
    """RESULTS.md and results.json in a temporary folder, and a machine that needs no git or nvidia-smi."""
    md, store = tmp_path / "RESULTS.md", tmp_path / "results.json"
    md.write_text("# Benchmark results\n\nThe history, written by hand.\n")
    monkeypatch.setattr(run_all, "RESULTS_MD", md)
    monkeypatch.setattr(run_all, "RESULTS_JSON", store)
    monkeypatch.setattr(run_all.machine_info, "describe_machine", lambda: {"cpu": "test CPU", "cores": 2})
    monkeypatch.setattr(run_all.machine_info, "library_versions", lambda: {"python": "3.11"})
    monkeypatch.setattr(run_all.machine_info, "commit", lambda repo: "new5678")
    return md, store


def test_only_keeps_the_other_targets_last_rows(files, monkeypatch):
    md, store = files
    earlier = Record({"eda-620k": Row(Result(EDA, 1.4, "earlier"), "2026-12-01 10:00 UTC", "old1234", "eda")})
    results_store.save(earlier, store)
    ran = []

    def fake_run(bench, python=sys.executable):
        ran.append(bench.name)
        return [Result(PLAYGROUND, 14.2, "p95 26 ms")]

    monkeypatch.setattr(run_all, "run_bench", fake_run)
    assert run_all.main(["--only", "playground_step"]) == 0
    assert ran == ["playground_step"]
    rows = results_store.load(store).rows
    assert rows["eda-620k"].measured_at == "2026-12-01 10:00 UTC" and rows["eda-620k"].commit == "old1234"
    assert rows["playground-frame"].result.measured == 14.2 and rows["playground-frame"].commit == "new5678"
    text = md.read_text()
    assert "| 1.40 s | met | earlier | 2026-12-01 10:00 UTC (old1234) |" in text
    assert "| 14.2 ms | met | p95 26 ms |" in text
    assert text.count(BEGIN) == 1 and text.endswith(END + "\n\nThe history, written by hand.\n")
    assert json.loads(store.read_text())["machine"] == {"cpu": "test CPU", "cores": 2}


def test_only_refuses_unknown_and_skipped_names(files):
    with pytest.raises(SystemExit, match="unknown benchmark"):
        run_all.main(["--only", "no_such_bench"])
    with pytest.raises(SystemExit, match="not run by the runner"):
        run_all.main(["--only", "baselines_la"])


def test_list_runs_nothing(files, capsys, monkeypatch):
    monkeypatch.setattr(run_all, "run_bench", lambda bench: pytest.fail("--list ran a benchmark"))
    assert run_all.main(["--list"]) == 0
    assert "baselines-620k (issue 15)" in capsys.readouterr().out
    assert not files[1].exists()


def test_render_rewrites_the_table_from_the_record_and_runs_nothing(files, monkeypatch):
    md, store = files
    recorded = Record({"eda-620k": Row(Result(EDA, 1.4, "earlier"), "2026-12-01 10:00 UTC", "old1234", "eda")})
    results_store.save(recorded, store)
    before = store.read_text()
    monkeypatch.setattr(run_all, "run_bench", lambda bench: pytest.fail("--render ran a benchmark"))
    assert run_all.main(["--render"]) == 0
    assert "| 1.40 s | met | earlier | 2026-12-01 10:00 UTC (old1234) |" in md.read_text()
    assert store.read_text() == before
