"""How long a run's current stage has left, from that stage's own measured progress.

A run's stages take very different times (loading 10 s, training minutes, evaluating seconds), so the whole
run's fraction says little about what is left: extrapolating it gave 478 s for a 10 s load. Only a stage that
measures its progress (training: the batches done of those planned) gets an estimate, made from the time that
stage has taken so far; the others get none. An estimate is stored with the moment it was made, so a reader
counts it down between two reports instead of showing a number that stays frozen through a long epoch.
"""

from __future__ import annotations

import time


def stage_eta(stage_seconds: float, stage_fraction: float | None) -> float | None:
    """Seconds the stage has left when `stage_fraction` (0..1) of it took `stage_seconds`; None before any
    progress is measured."""
    if stage_fraction is None or stage_fraction <= 0:
        return None
    stage_fraction = min(1.0, float(stage_fraction))
    return max(0.0, stage_seconds) * (1 - stage_fraction) / stage_fraction


def eta_left(eta_seconds: float | None, eta_at: float | None, now: float | None = None) -> float | None:
    """What an estimate of `eta_seconds` made at `eta_at` (Unix seconds) leaves at `now`, never below 0."""
    if eta_seconds is None:
        return None
    if eta_at is None:
        return max(0.0, eta_seconds)
    now = time.time() if now is None else now
    return max(0.0, eta_seconds - max(0.0, now - eta_at))


def duration_text(seconds: float) -> str:
    """'8 s', '3 min 20 s', '1 h 05 min': rounded to what a person reads."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def eta_text(record, now: float | None = None) -> str:
    """', about 3 min 20 s left in training' for a running run with an estimate; ', training nearly done' once
    the estimate has run out; '' when there is none (a stage that does not measure its progress)."""
    if record.status != "running":
        return ""
    left = eta_left(record.eta_seconds, record.eta_at, now)
    if left is None:
        return ""
    stage = record.stage or "this stage"
    if left < 1:
        return f", {stage} nearly done"
    return f", about {duration_text(left)} left in {stage}"
