"""Running a study's trials: `run_trials` in this process until the budget is spent or a stop is requested;
`start_workers` starts that in detached processes (`python -m core.sweeps.worker`), which is also what joins a
study from another machine. Each worker claims a budget slot before every trial (core/sweeps/claims.py), so any
number of workers, anywhere, together run exactly the budget."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time

from core.paths import REPO_ROOT, data_dir, ensure_dir
from core.sweeps import claims
from core.sweeps.config import SweepError
from core.sweeps.storage import display_url, open_storage

HEARTBEAT_SECONDS = 30
LOG_FOLDER = "logs"


def run_trials(
    name: str, storage: str | None = None, *, store=None, max_trials: int | None = None, on_trial=None
) -> int:
    """Run trials of study `name` here, one after another, until its budget (trials and/or seconds) is spent, a
    stop is requested, or `max_trials` have run here; returns how many ran here (pruned and failed included).
    `on_trial(frozen_trial)` is called after each (the CLI prints a line)."""
    import optuna

    from core.runs import RunStore
    from core.sweeps.sampling import make_sampler
    from core.sweeps.study import SPENT_ATTR, load_study, mark_started, stop_requested
    from core.sweeps.trial import run_trial

    study, config = load_study(name, storage)
    engine = open_storage(storage).engine
    store = store if store is not None else RunStore()
    claims.worker_seen(engine, name)
    done = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(engine, name, done), daemon=True, name=f"sweep-{name}")
    beat.start()
    ran = 0
    try:
        _fail_dead_trials(study, engine)
        while max_trials is None or ran < max_trials:
            _, config = load_study(name, storage)  # the budget may have been raised since
            if stop_requested(study):
                break
            now = time.time()
            if config.timeout_seconds is not None and now - mark_started(study) >= config.timeout_seconds:
                # The last trial may have ended a moment before the budget ran out: the study is as old as this.
                study.set_user_attr(SPENT_ATTR, now)
                break
            slot = claims.claim_slot(engine, name, config.budget_trials())
            if slot is None:
                break
            mark_started(study)
            study.sampler = make_sampler(config, slot)
            trial = study.ask()
            trial.set_user_attr("slot", slot)
            state = run_trial(study, trial, config, store)
            if state is None:
                claims.release_slot(engine, name, slot)
                break  # the user stopped it: stop this worker too
            ran += 1
            claims.worker_seen(engine, name)
            if on_trial is not None:
                on_trial(study.get_trials(deepcopy=False)[trial.number])
    except optuna.exceptions.StorageInternalError as exc:
        raise SweepError(f"study '{name}': the storage failed ({exc})") from None
    finally:
        done.set()
        claims.worker_seen(engine, name, ended=True)
    return ran


def _heartbeat(engine, name: str, done: threading.Event) -> None:
    while not done.wait(HEARTBEAT_SECONDS):
        try:
            claims.worker_seen(engine, name)
        except Exception:  # a busy database: the next beat or the next trial says it again
            pass


def _fail_dead_trials(study, engine) -> None:
    """Trials left running by a worker of this host that has died: told failed, and their slots given back, so
    the budget runs them again (a dead worker elsewhere is not ours to judge)."""
    import optuna

    for trial in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        pid, slot = trial.user_attrs.get("pid"), trial.user_attrs.get("slot")
        if trial.user_attrs.get("host") != claims.host() or pid is None or pid == os.getpid():
            continue
        if claims.pid_alive(int(pid)):
            continue
        study.tell(trial.number, state=optuna.trial.TrialState.FAIL)
        if slot is not None:
            claims.release_slot(engine, study.study_name, int(slot))


def resume(name: str, storage: str | None = None) -> None:
    """Clear a stop request, so workers run the study's remaining budget."""
    from core.sweeps.study import load_study, set_stop

    study, _ = load_study(name, storage)
    set_stop(study, False)


def request_stop(name: str, storage: str | None = None, store=None) -> None:
    """Ask every worker of the study to stop: none starts another trial, and the trials running on this machine
    stop at their next batch (their runs end 'stopped'; their slots go back to the budget)."""
    import optuna

    from core.runs import RunStore
    from core.runs.store import RunStateError
    from core.sweeps.study import load_study, set_stop
    from core.sweeps.trial import RUN_ID_ATTR

    study, _ = load_study(name, storage)
    set_stop(study, True)
    store = store if store is not None else RunStore()
    for trial in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        run_id = trial.user_attrs.get(RUN_ID_ATTR)
        if run_id and trial.user_attrs.get("host") == claims.host():
            try:
                store.request_stop(run_id)
            except (RunStateError, LookupError):
                pass  # it ended meanwhile, or lives in another run store


def start_workers(
    name: str, storage: str | None = None, count: int = 1, store=None, share: int | None = None
) -> list[int]:
    """Start `count` detached worker processes on study `name` (at most the worker limit, max_workers());
    returns their pids. Each writes its output to data_dir()/sweeps/logs/<study>-<pid>.log and takes the cores
    shared among `share` workers (default: those it starts; more when the caller is one of them)."""
    from core.runs.jobs import max_workers
    from core.sweeps.study import load_study

    if count < 1:
        raise SweepError(f"workers: must be at least 1, got {count}")
    load_study(name, storage)  # refuses an unknown study or storage before any process starts
    resume(name, storage)
    count = min(count, max_workers())
    logs = ensure_dir(data_dir() / "sweeps" / LOG_FOLDER)
    command = [sys.executable, "-m", "core.sweeps.worker", "--study", name, "--storage", storage or ""]
    command += ["--share", str(max(count, share or count))]
    if store is not None:
        command += ["--db", str(store.path)]
    env = dict(os.environ, TRAINBOARD_HOME=str(data_dir()), PYTHONUNBUFFERED="1")
    pids = []
    for number in range(count):
        with open(logs / f"{_safe(name)}-{int(time.time())}-{number}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C to the app does not reach it
            )
        threading.Thread(target=process.wait, daemon=True, name=f"reap-{process.pid}").start()  # no zombies
        pids.append(process.pid)
    return pids


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80]


def main(argv: list[str] | None = None) -> int:
    from core.errors import TrainboardError
    from core.runs.jobs import max_workers
    from core.runs.threads import apply_thread_budget, available_cores, thread_budget

    parser = argparse.ArgumentParser(prog="python -m core.sweeps.worker", description="Run a study's trials.")
    parser.add_argument("--study", required=True)
    parser.add_argument("--storage", default="", help="the study's RDB URL (default: data/sweeps/sweeps.db)")
    parser.add_argument("--db", default=None, help="the run database (default: data_dir()/runs/runs.db)")
    parser.add_argument("--share", type=int, default=None, help="workers sharing the cores (default: the limit)")
    args = parser.parse_args(argv)
    # Before numpy loads: the workers started together then use each core once (core/runs/threads.py); its
    # trials keep this share (trial.py), as the other workers' trials come and go.
    apply_thread_budget(thread_budget(available_cores(), args.share or max_workers()))
    from core.runs import RunStore

    try:
        ran = run_trials(args.study, args.storage or None, store=RunStore(args.db) if args.db else None)
    except TrainboardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shown = display_url(args.storage) if args.storage else "the default storage"
    print(f"worker {os.getpid()}: ran {ran} trial(s) of study '{args.study}' in {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
