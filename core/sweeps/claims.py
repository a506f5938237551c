"""The trial budget shared by every worker of a study, kept exact: before it asks Optuna for a trial, a worker
claims a slot, a row whose (study, slot) key is unique, in the study's own database. Two workers that race for
the last slot both try to insert it; the database lets one in and the other sees the budget spent. Optuna's own
`n_trials` counts per process, so two workers would each run the whole budget.

The same database keeps a row per worker (host, pid, last seen), which is how a page counts active workers."""

from __future__ import annotations

import os
import socket
import time

import sqlalchemy as sa

_METADATA = sa.MetaData()
# Study names are at most 34 characters (SweepConfig.validate); 128 leaves room, within MySQL's key limit.
SLOTS = sa.Table(
    "trainboard_sweep_slots",
    _METADATA,
    sa.Column("study", sa.String(128), primary_key=True),
    sa.Column("slot", sa.Integer, primary_key=True),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("claimed_at", sa.Float, nullable=False),
)
WORKERS = sa.Table(
    "trainboard_sweep_workers",
    _METADATA,
    sa.Column("study", sa.String(128), primary_key=True),
    sa.Column("host", sa.String(255), primary_key=True),
    sa.Column("pid", sa.Integer, primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("seen_at", sa.Float, nullable=False),
    sa.Column("ended_at", sa.Float, nullable=True),
)
# A worker not seen for this long (it updates its row at every trial and every half minute) counts as gone.
WORKER_STALE_SECONDS = 120
CLAIM_RETRIES = 50


def host() -> str:
    return socket.gethostname()


def ensure_tables(engine) -> None:
    _METADATA.create_all(engine, checkfirst=True)


def claim_slot(engine, study: str, budget: int | None) -> int | None:
    """A free slot (0, 1, ...) of `study` for this process, or None when `budget` slots are already claimed."""
    ensure_tables(engine)
    for _ in range(CLAIM_RETRIES):
        try:
            with engine.begin() as con:
                taken = set(con.execute(sa.select(SLOTS.c.slot).where(SLOTS.c.study == study)).scalars())
                if budget is not None and len(taken) >= budget:
                    return None
                # The smallest free slot: a slot given back (its trial never ran) is run again with its number,
                # so a grid's point k is visited whatever happened to the first try.
                slot = next(i for i in range(len(taken) + 1) if i not in taken)
                con.execute(
                    SLOTS.insert().values(study=study, slot=slot, host=host(), pid=os.getpid(), claimed_at=time.time())
                )
            return slot
        except sa.exc.IntegrityError:
            continue  # another worker took this slot first: count again
        except sa.exc.OperationalError:
            time.sleep(0.05)  # SQLite: another writer held the lock past the busy timeout's patience
    raise RuntimeError(f"study '{study}': could not claim a trial slot after {CLAIM_RETRIES} tries")


def release_slot(engine, study: str, slot: int) -> None:
    """Give a claimed slot back (its trial never ran), so the budget runs one more."""
    with engine.begin() as con:
        con.execute(SLOTS.delete().where(SLOTS.c.study == study, SLOTS.c.slot == slot))


def claimed(engine, study: str) -> int:
    ensure_tables(engine)
    with engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).where(SLOTS.c.study == study)).scalar_one())


def worker_seen(engine, study: str, ended: bool = False) -> None:
    """Record that this process works on `study` now (or, with `ended`, that it has stopped)."""
    ensure_tables(engine)
    now = time.time()
    key = {"study": study, "host": host(), "pid": os.getpid()}
    with engine.begin() as con:
        updated = con.execute(
            WORKERS.update()
            .where(*(WORKERS.c[name] == value for name, value in key.items()))
            .values(seen_at=now, ended_at=now if ended else None)
        ).rowcount
        if not updated:
            con.execute(WORKERS.insert().values(**key, started_at=now, seen_at=now, ended_at=now if ended else None))


def active_workers(engine, study: str) -> int:
    """Workers of `study` that have not ended and were seen lately (on this host: whose process is alive)."""
    ensure_tables(engine)
    cutoff = time.time() - WORKER_STALE_SECONDS
    with engine.connect() as con:
        rows = con.execute(
            sa.select(WORKERS.c.host, WORKERS.c.pid).where(
                WORKERS.c.study == study, WORKERS.c.ended_at.is_(None), WORKERS.c.seen_at >= cutoff
            )
        ).all()
    here = host()
    return sum(1 for row in rows if row.host != here or pid_alive(row.pid))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def forget_study(engine, study: str) -> None:
    ensure_tables(engine)
    with engine.begin() as con:
        con.execute(SLOTS.delete().where(SLOTS.c.study == study))
        con.execute(WORKERS.delete().where(WORKERS.c.study == study))
