"""A study's figures, drawn by Optuna's own plotly visualisations, or the sentence that says why a figure is not
there yet (too few trials, a single parameter for a contour, no second objective for a Pareto front).

Optuna draws an empty figure and logs a warning when a study cannot give a plot; a user would see a blank box.
Each check here runs before Optuna is called, so the page says in words what is missing. No streamlit here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import optuna
import optuna.visualization as ov
import plotly.graph_objects as go
from optuna.study import StudyDirection
from optuna.trial import FrozenTrial, TrialState

PLOTS = {
    "history": "Optimisation history",
    "parallel": "Parallel coordinates",
    "importances": "Importances",
    "slice": "Slice",
    "contour": "Contour",
    "pareto": "Pareto front",
    "timeline": "Timeline",
}
MIN_COMPLETE = {"history": 1, "parallel": 2, "importances": 3, "slice": 1, "contour": 2, "pareto": 1}
HEIGHT = 440
MARGIN = dict(t=60, b=50, l=60, r=30)


def complete_trials(study: optuna.Study) -> list[FrozenTrial]:
    return study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))


def varying_params(study: optuna.Study) -> list[str]:
    """Parameters that took at least two values among the complete trials, in the order the trials met them."""
    seen: dict[str, set] = {}
    for trial in complete_trials(study):
        for name, value in trial.params.items():
            seen.setdefault(name, set()).add(repr(value))
    return [name for name, values in seen.items() if len(values) >= 2]


def _trials_word(count: int) -> str:
    return f"{count} complete trial" + ("" if count == 1 else "s")


def _not_enough(kind: str, study: optuna.Study) -> str | None:
    have, need = len(complete_trials(study)), MIN_COMPLETE.get(kind, 0)
    if have >= need:
        return None
    return f"{PLOTS[kind]}: at least {_trials_word(need)} needed; the study has {have} so far."


def _first_objective(study: optuna.Study, names: Sequence[str]) -> dict:
    """Keyword arguments that make a plot read the first objective: Optuna asks for a target on a
    multi-objective study."""
    if not study._is_multi_objective():
        return {"target_name": names[0]}
    return {"target": lambda trial: trial.values[0], "target_name": names[0]}


def _history(study, names, params):
    return ov.plot_optimization_history(study, **_first_objective(study, names))


def _parallel(study, names, params):
    if not varying_params(study):
        return "Parallel coordinates need a parameter that took two values or more; every trial had the same ones."
    return ov.plot_parallel_coordinate(study, params=params or None, **_first_objective(study, names))


def _importances(study, names, params):
    varying = varying_params(study)
    if len(varying) < 2:
        return "Importances compare parameters: they need two or more that took different values" + (
            f" (only {varying[0]} did)." if varying else " (none did yet)."
        )
    kwargs = {"target_name": names[0]}
    if study._is_multi_objective():
        # Optuna's default evaluator (PED-ANOVA) reads a given target as lower-is-better.
        sign = -1.0 if study.directions[0] == StudyDirection.MAXIMIZE else 1.0
        kwargs["target"] = lambda trial: sign * trial.values[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = ov.plot_param_importances(study, params=varying, **kwargs)
    if any("importances will be equal" in str(w.message).lower() for w in caught):
        count = len(complete_trials(study))
        return (
            f"With {_trials_word(count)} the best trials cannot be told apart from the rest, so every parameter "
            "would look equally important; importances appear after a few more trials."
        )
    return figure


def _slice(study, names, params):
    return ov.plot_slice(study, params=params or None, **_first_objective(study, names))


def _contour(study, names, params):
    varying = varying_params(study)
    if len(varying) < 2:
        return "A contour plot needs two parameters that took different values" + (
            f"; only {varying[0]} did." if varying else "; none did yet."
        )
    chosen = [p for p in (params or []) if p in varying][:2] or varying[:2]
    if len(chosen) < 2:
        return "Choose two parameters for the contour plot."
    return ov.plot_contour(study, params=chosen, **_first_objective(study, names))


def _pareto(study, names, params):
    return ov.plot_pareto_front(study, target_names=list(names[: len(study.directions)]))


def _timeline(study, names, params):
    if not study.get_trials(deepcopy=False):
        return "The timeline shows each trial from start to end; no trial has started yet."
    return ov.plot_timeline(study)


DRAW = {
    "history": _history,
    "parallel": _parallel,
    "importances": _importances,
    "slice": _slice,
    "contour": _contour,
    "pareto": _pareto,
    "timeline": _timeline,
}


def sweep_figure(kind: str, study: optuna.Study, names: Sequence[str], params: Sequence[str] | None = None):
    """Optuna's figure `kind` (a key of PLOTS) for `study`, or a sentence saying why it is not there yet.
    `names` label the objectives in the study's order; `params` narrows the parallel, slice and contour plots."""
    if kind == "pareto" and not study._is_multi_objective():
        return "The Pareto front needs a second objective (for example training time); this study has one."
    reason = _not_enough(kind, study)
    if reason:
        return reason
    result = DRAW[kind](study, list(names), list(params or []))
    if isinstance(result, go.Figure):
        result.update_layout(height=HEIGHT, margin=MARGIN)
        # Plotly labels 2 and 5 between the decades of a log axis; in a slice plot's narrow panels they overlap.
        for axes in (result.update_xaxes, result.update_yaxes):
            axes(dtick=1, exponentformat="power", selector=dict(type="log"))
    return result


def contour_defaults(study: optuna.Study) -> list[str]:
    """The two varying parameters that matter most (by Optuna's importances), else the first two met."""
    varying = varying_params(study)
    if len(varying) <= 2 or len(complete_trials(study)) < MIN_COMPLETE["importances"] or study._is_multi_objective():
        return varying[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ranked = list(optuna.importance.get_param_importances(study, params=varying))
    return ranked[:2]
