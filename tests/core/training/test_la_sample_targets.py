"""The real LA sample with each of its class-like columns as the target: with a class operation for the rare
classes, every one trains; a quantity as the target is told to bin it; nothing fails with a traceback."""

import pytest

from core.datasets import LoadRequest
from core.errors import DataError
from core.preprocess import PreprocessSpec
from core.runs import RunStore, jobs
from core.training.config import RunConfig, create_run
from tests.conftest import REAL_SAMPLE

pytestmark = pytest.mark.skipif(not REAL_SAMPLE.exists(), reason=f"the real LA sample is not at {REAL_SAMPLE}")
CLASS_TARGETS = ("Victim_Sex", "Victim_Descent", "Area_Name", "Week_names", "Weekend", "Time_Occurred_h")
MERGE_RARE = PreprocessSpec(merge_rare_under=3).to_json()


@pytest.mark.parametrize("target", CLASS_TARGETS)
def test_each_class_target_trains_with_the_rare_classes_merged(tmp_path, target):
    store = RunStore(tmp_path / "runs.db")
    request = LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target=target)
    record = jobs.run_inline(create_run(store, RunConfig.build(request, "logreg", preprocess=MERGE_RARE)), store)
    assert record.status == "finished", record.error
    assert record.dataset == "csv:la_collisions_jan2013_real_sample"


@pytest.mark.parametrize("target", ["latitud", "DR Number"])
@pytest.mark.parametrize("preprocess", ["{}", MERGE_RARE])
def test_a_quantity_as_the_target_is_told_to_bin_it(tmp_path, target, preprocess):
    request = LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target=target)
    with pytest.raises(DataError, match="looks continuous .* derived target"):
        create_run(RunStore(tmp_path / "runs.db"), RunConfig.build(request, "logreg", preprocess=preprocess))
