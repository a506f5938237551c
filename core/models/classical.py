"""Classical models: scikit-learn estimators and XGBoost, one small builder each.

Each builder imports its library when called, so listing models (every page does) costs no scikit-learn import.
Builders take the validated params and the data's shape, and return an unfitted estimator with predict_proba.
Estimators that take a thread count get the run's share of the cores (core/runs/threads.py), not every core:
several workers at once would otherwise run several threads per core. HistGradientBoosting takes none; its
OpenMP threads are limited by the worker itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from core.models.registry import ModelError, ModelSpec, Param, register_model

# lbfgs keeps every row in each step; past this many rows saga's stochastic passes are faster.
# Each tree of a forest sees at most this many bootstrap rows: on 365,000 LA rows a full bootstrap took
# 72 s for 100 trees on 2 cores, a 100,000-row one 20 s (min_samples_leaf 5). Sets up to that size are unaffected.
RF_BOOTSTRAP_ROWS = 100_000

N_ESTIMATORS = Param("n_estimators", 100, "number of trees", minimum=1, maximum=2000, log=True)
MAX_DEPTH = Param("max_depth", None, "deepest a tree may grow; none: until leaves are pure", minimum=1, maximum=100)


def _threads() -> int:
    from core.runs.threads import run_threads  # here: listing models need not import the run store

    return run_threads()


def _learning_rate(default: float) -> Param:
    return Param("learning_rate", default, "shrinkage of each tree's contribution", minimum=1e-3, maximum=1.0, log=True)


def build_rf(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.ensemble import RandomForestClassifier

    params = dict(params)
    cap = params.pop("max_bootstrap_rows")
    max_samples = None if cap is None or n_rows <= cap else cap / n_rows
    return RandomForestClassifier(**params, max_samples=max_samples, n_jobs=_threads(), random_state=seed)


register_model(
    ModelSpec(
        name="rf",
        title="Random forest",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_rf,
        params=(
            N_ESTIMATORS,
            MAX_DEPTH,
            Param("min_samples_leaf", 1, "fewest rows a leaf may hold", minimum=1, maximum=1000, log=True),
            Param(
                "max_bootstrap_rows",
                RF_BOOTSTRAP_ROWS,
                "most rows each tree samples; none: all (slower on big tables)",
                minimum=1000,
                optional=True,
            ),
        ),
        description="A strong first baseline on tables: no scaling needed, few settings to get wrong.",
        auto_encoding="ordinal",
    )
)


def build_logreg(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    # lbfgs at every size: on 365,000 scaled LA rows x 174 columns it converged in 10 s where saga took 211 s.
    # saga pays off for very wide sparse data, which our dense pipelines do not produce.
    return LogisticRegression(**params, solver="lbfgs", random_state=seed)


register_model(
    ModelSpec(
        name="logreg",
        title="Logistic regression",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_logreg,
        params=(
            Param(
                "C", 1.0, "inverse regularisation strength; smaller: simpler model", minimum=1e-4, maximum=1e4, log=True
            ),
            Param("max_iter", 200, "most solver iterations", minimum=10, maximum=10_000, log=True),
        ),
        tags=frozenset({"needs_scaling"}),
        description="The linear baseline: fast and interpretable; choose it to see how far a straight boundary gets.",
    )
)


def build_gboost(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(**params, random_state=seed)


register_model(
    ModelSpec(
        name="gboost",
        title="Gradient boosting (classic)",
        family="classical",
        kinds=("tabular",),  # one tree per class per round: far too slow on 784-pixel images
        builder=build_gboost,
        params=(
            N_ESTIMATORS,
            _learning_rate(0.1),
            Param("max_depth", 3, "depth of each tree", minimum=1, maximum=20),
        ),
        description="scikit-learn's exact gradient boosting, as in the reference study; choose hgb above ~10k rows.",
        auto_encoding="ordinal",
    )
)


def build_hgb(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**params, random_state=seed)


register_model(
    ModelSpec(
        name="hgb",
        title="Histogram gradient boosting",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_hgb,
        params=(
            Param("max_iter", 200, "most boosting rounds", minimum=1, maximum=2000, log=True),
            _learning_rate(0.1),
            Param(
                "early_stopping",
                "auto",
                "stop when a held-out 10% stops improving; auto: only above 10,000 rows",
                choices=("auto", True, False),
            ),
        ),
        description="The go-to boosted trees for large tables: fast on any number of rows, handles missing values.",
        auto_encoding="ordinal",
    )
)


def build_xgboost(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from xgboost import XGBClassifier

    params = dict(params)
    device = params.pop("device")
    if device == "auto":
        device = "cuda" if _cuda_available() else "cpu"
    elif device == "cuda" and not _cuda_available():
        raise ModelError("xgboost: device 'cuda' was asked for but no CUDA GPU is visible; use device=cpu or auto")
    return XGBClassifier(**params, tree_method="hist", device=device, n_jobs=_threads(), random_state=seed)


def nvidia_driver_absent() -> bool:
    """True where there surely is no CUDA GPU: Linux without the NVIDIA driver, which shows itself in /proc and
    /dev (in containers too). Asking torch instead cost 1.2 s of importing it in every XGBoost run on CPU."""
    if not sys.platform.startswith("linux"):
        return False  # no such sign elsewhere: ask torch
    return not (Path("/proc/driver/nvidia").exists() or any(Path("/dev").glob("nvidia[0-9]*")))


def _cuda_available() -> bool:
    if nvidia_driver_absent():
        return False
    # torch is the cheapest reliable probe for a GPU; the classical models must work where it is not installed.
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


register_model(
    ModelSpec(
        name="xgboost",
        title="XGBoost",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_xgboost,
        params=(
            # XGBoost's own defaults (100 rounds, depth 6, rate 0.3): 200 rounds at 0.1 took 29 s on 365,000 LA
            # rows, about twice as long.
            Param("n_estimators", 100, "number of boosting rounds", minimum=1, maximum=5000, log=True),
            Param("max_depth", 6, "depth of each tree", minimum=1, maximum=20),
            _learning_rate(0.3),
            Param(
                "device", "auto", "where to train; auto: the GPU when one is visible", choices=("auto", "cpu", "cuda")
            ),
        ),
        tags=frozenset({"gpu"}),
        description="Boosted trees that use the GPU when there is one; choose it for the best accuracy on big tables.",
        auto_encoding="ordinal",
    )
)


def build_svc(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    # SVC(probability=True) is deprecated in scikit-learn 1.9; this is the replacement it names (Platt
    # scaling fitted on 5-fold cross-validated decision values, one final SVC).
    return CalibratedClassifierCV(SVC(**params, random_state=seed), ensemble=False)


register_model(
    ModelSpec(
        name="svc",
        title="Support vector machine",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_svc,
        params=(
            Param(
                "C", 1.0, "penalty on misclassified points; larger: tighter fit", minimum=1e-3, maximum=1e3, log=True
            ),
            Param("kernel", "rbf", "shape of the decision boundary", choices=("rbf", "linear", "poly", "sigmoid")),
        ),
        tags=frozenset({"needs_scaling"}),
        max_train_rows=20_000,  # fitting grows with the square of the rows or worse
        description="A kernel method for small, scaled data (up to 20,000 rows); curved boundaries without trees.",
    )
)


def build_knn(params: dict, *, n_classes: int, n_features: int, n_rows: int, seed: int) -> Any:
    from sklearn.neighbors import KNeighborsClassifier

    # More neighbours than training rows cannot be asked for; seed unused: k-NN has no randomness.
    return KNeighborsClassifier(n_neighbors=min(params["n_neighbors"], n_rows), n_jobs=_threads())


register_model(
    ModelSpec(
        name="knn",
        title="k nearest neighbours",
        family="classical",
        kinds=("tabular", "image"),
        builder=build_knn,
        params=(Param("n_neighbors", 5, "neighbours that vote on each prediction", minimum=1, maximum=200),),
        tags=frozenset({"needs_scaling"}),
        max_train_rows=100_000,  # every prediction searches the whole training set
        description="Predicts by the nearest training rows; choose it to see how far similarity alone goes.",
    )
)
