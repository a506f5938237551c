"""Worker processes for real: submitting, the concurrency limit, stopping, crashes and SIGKILL."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from core.paths import REPO_ROOT
from core.runs import jobs
from core.runs.store import RunStore
from core.runs.worker import failure_message
from tests.core.runs.executors import FAKE_METRICS

EXECUTORS = "tests.core.runs.executors"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "4")
    return RunStore(tmp_path / "runs" / "runs.db")


def make(store, executor, **config):
    return store.create(
        {"executor": f"{EXECUTORS}:{executor}", **config}, "iris", executor, "classical", {}, {}, seed=0
    )


def wait_for(condition, seconds=20.0, what="condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def wait_status(store, run_id, *statuses, seconds=20.0):
    wait_for(lambda: store.get(run_id).status in statuses, seconds, f"{run_id} to become {statuses}")
    return store.get(run_id)


def worker_log(store, run_id):
    return (store.artifacts_dir(run_id) / jobs.LOG_FILE).read_text()


def test_max_workers_from_env(monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "3")
    assert jobs.max_workers() == 3
    monkeypatch.delenv("TRAINBOARD_MAX_WORKERS")
    assert jobs.max_workers() == jobs.default_max_workers(os.cpu_count())
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "zero")
    with pytest.warns(UserWarning, match="TRAINBOARD_MAX_WORKERS"):
        assert jobs.max_workers() == jobs.default_max_workers(os.cpu_count())


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (3, 2), (4, 2), (8, 4), (16, 8)])
def test_by_default_half_the_cores_run_at_once_but_two_on_two_cores(cores, expected):
    assert jobs.default_max_workers(cores) == expected


def test_submitted_run_finishes_in_a_detached_worker(store):
    run_id = make(store, "quick")
    pid = jobs.submit(run_id, store)
    assert pid != os.getpid() and os.getpgid(pid) == pid  # its own session and process group
    record = wait_status(store, run_id, "finished")
    assert record.worker_pid == pid and record.metrics["accuracy"] == 0.9 and record.split_hash == "split-abc"
    assert record.stage == "done" and record.fraction == 1.0 and record.versions["python"]
    assert "started" in worker_log(store, run_id)
    with pytest.raises(ValueError, match="only a queued run"):
        jobs.submit(run_id, store)


def test_two_workers_writing_at_once(store):
    runs = [make(store, "chatty", seconds=2.0) for _ in range(2)]
    for run_id in runs:
        jobs.submit(run_id, store)
    while any(store.get(r).status in ("queued", "running") for r in runs):  # this process reads meanwhile
        store.list(status="running")
        time.sleep(0.01)
    records = [store.get(r) for r in runs]
    assert [r.status for r in records] == ["finished", "finished"], [r.error for r in records]
    assert all(r.metrics["updates"] > 50 for r in records)
    first, second = records
    assert first.started_at < second.finished_at and second.started_at < first.finished_at  # they overlapped
    assert store.integrity_ok()
    assert "locked" not in worker_log(store, runs[0]) + worker_log(store, runs[1])


def test_sigkill_mid_run_is_recorded_by_the_process_that_started_the_worker(store):
    run_id = make(store, "chatty", seconds=30)
    pid = jobs.submit(run_id, store)
    wait_for(lambda: (store.get(run_id).message or "").startswith("update"), what="progress")
    time.sleep(0.3)  # mid tight loop of writes
    os.kill(pid, signal.SIGKILL)
    record = wait_status(store, run_id, "interrupted", seconds=10)  # this process saw its child die
    assert record.error == (
        f"interrupted: its worker process (pid {pid}) was killed by SIGKILL "
        "(the signal the out-of-memory killer sends); see worker.log"
    )
    assert store.integrity_ok()
    assert store.mark_interrupted() == []


def submit_from_a_process_that_exits(store, run_id) -> int:
    """Submit as a CLI command or an app that has since ended would: nobody is left to see the worker die."""
    code = f"from core.runs import jobs, RunStore; print(jobs.submit({run_id!r}, RunStore({str(store.path)!r})))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_a_killed_worker_frees_the_only_slot_for_the_run_waiting_behind_it(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    killed, waiting = make(store, "slow", seconds=60), make(store, "quick")
    pid = submit_from_a_process_that_exits(store, killed)
    wait_for(lambda: store.get(killed).stage == "fit", what="the slow run to start")
    jobs.submit(waiting, store)
    wait_for(lambda: "waits for one of 1 slots" in worker_log(store, waiting), what="the second worker to wait")
    time.sleep(0.6)  # it has asked for the slot at least once, and been told to wait
    assert store.get(waiting).status == "queued"
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    wait_status(store, waiting, "running", "finished")
    assert time.monotonic() - killed_at < 2  # found at its next ask (every 0.5 s)
    record, dead = wait_status(store, waiting, "finished"), store.get(killed)
    assert dead.status == "interrupted"
    assert dead.error == (
        f"interrupted: its worker process (pid {pid}) ended without finishing it (killed, e.g. by the out-of-memory "
        "killer)"
    )
    assert record.started_at >= dead.finished_at and record.metrics["accuracy"] == 0.9


def test_a_worker_stamps_its_heartbeat(store):
    run_id = make(store, "slow", seconds=60)
    jobs.submit(run_id, store)
    wait_status(store, run_id, "running")

    def stamp():
        con = sqlite3.connect(store.path)
        value = con.execute("SELECT heartbeat_at FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
        con.close()
        return value

    first = stamp()
    wait_for(lambda: stamp() > first, seconds=10, what="a newer heartbeat")
    assert jobs.stop(run_id, store).status == "stopped"


def test_concurrency_limit_queues_the_second_run(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    first, second = make(store, "slow", seconds=1.5), make(store, "quick")
    jobs.submit(first, store)
    wait_status(store, first, "running")
    jobs.submit(second, store)
    while store.get(first).status == "running":
        assert store.get(second).status == "queued"
        time.sleep(0.05)
    a, b = store.get(first), wait_status(store, second, "finished")
    assert a.status == "finished" and b.started_at >= a.finished_at


def test_queued_runs_start_in_the_order_submitted(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    runs = [make(store, "slow", seconds=0.3) for _ in range(3)]
    for run_id in runs:
        jobs.submit(run_id, store)
    records = [wait_status(store, r, "finished") for r in runs]
    assert [r.started_at for r in records] == sorted(r.started_at for r in records)


def test_runs_started_together_share_the_workers_that_may_run_at_once(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "2")
    runs = [make(store, "counted") for _ in range(5)]
    pids = jobs.submit_all(runs, store)
    assert len(pids) == 2  # not five processes, each importing and loading the same data
    records = [wait_status(store, r, "finished") for r in runs]
    ran_in = [r.metrics["pid"] for r in records]
    assert set(ran_in) <= set(pids) and all(r.worker_pid == r.metrics["pid"] for r in records)
    for pid in pids:  # each worker ran its own first, then the others it took, in the order they were started
        mine = [r.id for r in records if r.metrics["pid"] == pid]
        assert mine == [r for r in runs if r in mine]
        last = next(r for r in records if r.id == mine[-1])
        assert last.metrics["before"] == mine[:-1]
    assert len({r.id for r in records}) == 5 and sum(len(r.metrics["before"]) == 0 for r in records) <= 2


def test_a_run_taken_by_another_worker_says_so_in_its_log(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    first, second = make(store, "counted"), make(store, "counted")
    (pid,) = jobs.submit_all([first, second], store)
    assert wait_status(store, second, "finished").metrics == {**FAKE_METRICS, "pid": pid, "before": [first]}
    assert f"worker {pid}: runs this run after run {first}" in worker_log(store, second)
    assert f"run {second} started on" in worker_log(store, first)  # the worker's own log has its output


def test_a_stopped_run_of_a_batch_leaves_the_others_to_run(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    slow_one, then = make(store, "slow", seconds=30), make(store, "counted")
    (pid,) = jobs.submit_all([slow_one, then], store)
    wait_status(store, slow_one, "running")
    assert jobs.stop(slow_one, store).status == "stopped"
    assert wait_status(store, then, "finished").metrics["pid"] == pid  # the same worker went on


def test_a_killed_batch_worker_ends_the_runs_it_held_as_interrupted(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    running, held = make(store, "slow", seconds=60), make(store, "quick")
    (pid,) = jobs.submit_all([running, held], store)
    wait_status(store, running, "running")
    os.kill(pid, signal.SIGKILL)
    for run_id in (running, held):
        record = wait_status(store, run_id, "interrupted", seconds=10)
        assert record.error.startswith(f"interrupted: its worker process (pid {pid}) was killed by SIGKILL")


def test_submit_all_refuses_a_run_that_is_not_queued_before_starting_any(store):
    done, queued = make(store, "quick"), make(store, "quick")
    jobs.run_inline(done, store)
    with pytest.raises(ValueError, match="only a queued run"):
        jobs.submit_all([queued, done], store)
    assert store.get(queued).worker_pid is None


def test_stop_a_cooperative_run(store):
    run_id = make(store, "slow")
    jobs.submit(run_id, store)
    wait_for(lambda: store.get(run_id).stage == "fit", what="the fit to start")
    start = time.monotonic()
    record = jobs.stop(run_id, store, grace_seconds=5)
    assert time.monotonic() - start < 2
    assert record.status == "stopped" and record.error == "stopped by user"


def test_stop_a_queued_run(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    running, waiting = make(store, "slow"), make(store, "quick")
    jobs.submit(running, store)
    wait_status(store, running, "running")
    waiting_pid = jobs.submit(waiting, store)
    assert jobs.stop(waiting, store, grace_seconds=5).status == "stopped"
    wait_for(lambda: not store.worker_alive(waiting), what="the waiting worker to give up")
    assert store.get(waiting).worker_pid == waiting_pid and store.get(waiting).started_at is None
    assert "no longer queued" in worker_log(store, waiting)
    assert store.get(running).status == "running"
    assert jobs.stop(running, store).status == "stopped"


def test_stop_a_run_that_ignores_the_flag(store):
    run_id = make(store, "hog")
    pid = jobs.submit(run_id, store)
    wait_for(lambda: store.get(run_id).message == "one long fit", what="the long fit")
    start = time.monotonic()
    record = jobs.stop(run_id, store, grace_seconds=1)
    took = time.monotonic() - start
    assert 1 <= took < 4
    assert record.status == "stopped" and record.error == "stopped by user (the worker was terminated)"
    wait_for(lambda: not store.worker_alive(run_id), what="the worker to exit")
    assert store.get(run_id).worker_pid == pid


def test_a_worker_terminated_for_one_run_goes_on_to_the_next(store, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_MAX_WORKERS", "1")
    hog, then = make(store, "hog"), make(store, "counted")
    (pid,) = jobs.submit_all([hog, then], store)
    wait_for(lambda: store.get(hog).message == "one long fit", what="the long fit")
    record = jobs.stop(hog, store, grace_seconds=1)  # SIGTERM: the fit cannot see the flag
    assert record.status == "stopped" and record.error == "stopped by user (the worker was terminated)"
    assert wait_status(store, then, "finished").metrics["pid"] == pid


def test_crashing_executor_fails_with_one_line_and_error_txt(store):
    run_id = make(store, "crash")
    jobs.submit(run_id, store)
    record = wait_status(store, run_id, "failed")
    assert record.error == "ValueError: boom on two lines"
    error_txt = (store.artifacts_dir(run_id) / "error.txt").read_text()
    assert error_txt.startswith("ValueError: boom on two lines") and "Traceback" in error_txt
    assert "executors.py" in error_txt


def test_worker_exits_zero_after_a_failed_run(store):
    run_id = make(store, "crash")
    command = [sys.executable, "-m", "core.runs.worker", run_id, "--db", str(store.path)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert store.get(run_id).status == "failed" and "RuntimeWarning" not in done.stderr
    missing = subprocess.run([*command[:3], "no-such-run", *command[4:]], cwd=REPO_ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "no run with id 'no-such-run'" in missing.stderr


@pytest.mark.parametrize(
    ("executor", "status", "error_start"),
    [
        ("quick", "finished", None),
        ("user_error", "failed", "column 'age' has no values"),
        ("out_of_memory", "failed", "out of memory: the run needed more memory than was free; try --limit or a"),
        ("forgetful", "failed", "the executor returned without recording a result"),
        ("raises_stop", "stopped", "stopped by the user while fitting"),
        ("raises_diverged", "diverged", "Diverged: loss is NaN at epoch 3"),
        ("raises_finished", "failed", "Finished: all good?"),
        ("no_such_function", "failed", f"executor '{EXECUTORS}:no_such_function' cannot be loaded: "),
    ],
)
def test_run_inline(store, executor, status, error_start):
    run_id = make(store, executor)
    record = jobs.run_inline(run_id, store)
    assert record.status == status and record.worker_pid == os.getpid()
    raised = status in ("failed", "diverged") and executor != "forgetful"
    assert (store.artifacts_dir(run_id) / "error.txt").exists() == raised  # the traceback of what was raised
    if error_start is None:
        assert record.error is None
    else:
        assert record.error.startswith(error_start), record.error
        assert "\n" not in record.error


def test_failure_messages():
    from core.errors import DataError

    assert failure_message(DataError("file 'x.csv' is empty")) == "file 'x.csv' is empty"
    assert failure_message(MemoryError("cannot allocate 8 GiB")).startswith("out of memory: cannot allocate 8 GiB")
    assert failure_message(KeyError("lr")) == "KeyError: 'lr'"
    assert len(failure_message(RuntimeError("x" * 5000))) == 500
