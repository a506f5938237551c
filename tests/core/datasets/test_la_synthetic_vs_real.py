"""The synthetic LA stand-in against the real 3,572-row sample: the reference study's age-group task
(bench/la_age_group_spec.json) is as learnable on a stand-in of the same size as on the real rows. Each score
comes from the run path's own steps (prepare_data, create_model, evaluate), without the run store."""

import json
from dataclasses import replace

import pytest
from threadpoolctl import threadpool_limits

from core.datasets import LoadRequest
from core.evaluate import evaluate
from core.models import create_model
from core.training.config import RunConfig
from core.training.execute import full_probabilities, prepare_data
from tests.conftest import REAL_SAMPLE, REPO

pytestmark = pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason=f"the real LA sample is not at {REAL_SAMPLE}")

# One-hot, as these bounds were measured with: the subject is the data, not the encoding. (Encoding "auto" gives
# rf codes instead: over seeds 0-2 its balanced accuracy was the same on the stand-in, 0.368 against 0.369 at
# 20,000 rows, and higher on the real sample, 0.411 against 0.389, both undersampled; one seed varies by 2 points.)
AGE_GROUP = {**json.loads((REPO / "bench" / "la_age_group_spec.json").read_text()), "encoding": "onehot"}
# The sample was published with fewer columns than the portal's table; the stand-in drops the ones it lacks, so
# both are scored on the same information: area, descent, date, hour, minute, position.
NOT_IN_SAMPLE = [
    "Time Occurred", "Reporting District", "Crime Code", "Crime Code Description", "MO Codes", "Premise Code",
    "Premise Description", "Address", "Cross Street",
]  # fmt: skip
STAND_IN_SPEC = {**AGE_GROUP, "drop_columns": [*AGE_GROUP["drop_columns"], *NOT_IN_SAMPLE]}
# The sample's own column names; it has no Date Reported. Victim_Sex is the loaded target, as Victim Sex is the
# LA loader's, so in both the derived age group replaces it and sex is not a feature.
REAL_SPEC = {
    **AGE_GROUP,
    "drop_columns": ["DR Number"],
    "derived_target": {**AGE_GROUP["derived_target"], "source": "Victim_Age"},
}
STAND_IN = LoadRequest("la-collisions", source="synthetic", rows=3_572)  # the sample's size
REAL = LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target="Victim_Sex")
MODELS = {"logreg": {}, "rf": {"n_estimators": 30}}
SEEDS = (0, 1, 2)  # the split's seed (and the stand-in's): test sets of ~600 rows vary by a few points
TOLERANCE = 0.05


def balanced_accuracy(request: LoadRequest, spec: dict, model: str, seed: int) -> float:
    config = RunConfig.build(replace(request, seed=seed), model, MODELS[model], json.dumps(spec), seed=seed)
    data = prepare_data(config, lambda *progress: None)
    X, y = data.parts["train"]
    estimator = create_model(
        model, MODELS[model], n_classes=data.n_classes, n_features=X.shape[1], n_rows=len(X), seed=seed
    )
    # One BLAS thread: these problems are tiny, and on a shared machine more threads made a 0.1 s fit take 8 s.
    with threadpool_limits(1):
        estimator.fit(X, y)
        X_test, y_test = data.parts["test"]
        proba = full_probabilities(estimator, X_test, data.n_classes)
    return evaluate(proba, y_test, data.dataset.classes).balanced_accuracy


@pytest.fixture(scope="module")
def scores() -> dict:
    """(model, balancing) -> (stand-in, real): mean balanced accuracy over SEEDS."""
    out = {}
    for balancing in ("none", "undersample"):
        for model in MODELS:
            stand_in = [balanced_accuracy(STAND_IN, {**STAND_IN_SPEC, "balancing": balancing}, model, s) for s in SEEDS]
            real = [balanced_accuracy(REAL, {**REAL_SPEC, "balancing": balancing}, model, s) for s in SEEDS]
            out[model, balancing] = (sum(stand_in) / len(SEEDS), sum(real) / len(SEEDS))
    return out


@pytest.mark.parametrize("balancing", ["none", "undersample"])
@pytest.mark.parametrize("model", list(MODELS))
def test_the_stand_in_scores_within_five_points_of_the_real_sample(scores, model, balancing):
    stand_in, real = scores[model, balancing]
    assert abs(stand_in - real) <= TOLERANCE, f"{model}, {balancing}: stand-in {stand_in:.3f}, real {real:.3f}"


@pytest.mark.parametrize("model", list(MODELS))
def test_with_more_rows_the_models_find_the_structure(scores, model):
    # With the classes balanced, the real sample's models beat chance (1/3) by about 5 points. In 3,572 rows the
    # stand-in's gain is noisy (a test set's balanced accuracy varies by 2-3 points), so 20,000 rows ask for at
    # least half of it; columns drawn independently of the age (the stand-in before issue 14) gain under 1.
    real = scores[model, "undersample"][1]
    spec = {**STAND_IN_SPEC, "balancing": "undersample"}
    stand_in = balanced_accuracy(replace(STAND_IN, rows=20_000), spec, model, seed=0)
    assert real - 1 / 3 > 0.03, f"the real sample itself: {real:.3f}"
    assert stand_in - 1 / 3 >= 0.5 * (real - 1 / 3), f"{model}: stand-in {stand_in:.3f}, real {real:.3f}"
