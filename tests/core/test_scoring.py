"""Scoring new rows with a finished run: the run's own preprocessing and model give the test rows the very
probabilities the run kept for them (a table with dates and a declared kind, images, each engine), and what a
user gets wrong is one line naming it."""

import io

import numpy as np
import pandas as pd
import pytest

from core.datasets import LoadRequest
from core.preprocess import ColumnKind, PreprocessSpec
from core.runs import RunStore, jobs
from core.runs.artifacts import PREDICTIONS_FILE, read_arrays
from core.scoring import PREDICTED, ScoringError, load_scorer, read_images, score_images, score_path, score_rows
from core.training.config import RunConfig, create_run
from core.training.execute import PREPROCESS_FILE
from core.training.precheck import split_data


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs" / "runs.db")


def table_file(folder, rows=240, seed=0):
    """A CSV with a numeric, a text-date, a categorical and an integer-code column, and a target that depends on
    them."""
    rng = np.random.default_rng(seed)
    size = rng.normal(size=rows)
    colour = rng.choice(["red", "green", "blue"], rows)
    when = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), unit="D")
    area = rng.integers(1, 4, rows)
    label = np.where(size + (colour == "red") + 0.5 * (area == 2) > 0.7, "big", "small")
    frame = pd.DataFrame(
        {"size": size.round(4), "colour": colour, "day": when.strftime("%Y-%m-%d"), "area": area, "id": range(rows)}
    )
    frame["label"] = label
    path = folder / "table.csv"
    frame.to_csv(path, index=False)
    return path, frame


def train(store, request, model, spec="{}", training=None):
    config = RunConfig.build(request, model, {}, spec, seed=3, training=training)
    record = jobs.run_inline(create_run(store, config), store)
    assert record.status == "finished", record.error
    return record, config


def kept_predictions(store, record):
    return read_arrays(store.artifacts_dir(record.id), PREDICTIONS_FILE)


def probabilities(scored):
    return scored[[c for c in scored.columns if c.startswith("p(")]].to_numpy()


@pytest.mark.parametrize("model", ["logreg", "rf", "mlp", "numpy-mlp"])  # rf: category codes (encoding auto)
def test_the_test_rows_score_as_the_run_scored_them(store, tmp_path, model):
    path, raw = table_file(tmp_path)
    spec = PreprocessSpec(drop_columns=("id",), column_kinds=(ColumnKind("area", "categorical"),))
    request = LoadRequest("csv", source="file", path=str(path), target="label")
    record, _ = train(store, request, model, spec.to_json(), {"epochs": 3} if model != "logreg" else None)
    kept = kept_predictions(store, record)
    # No row step drops or reorders rows here, so the run's rows are the file's rows.
    rows = raw.drop(columns="label").iloc[kept["rows"]]
    scored = score_rows(store, record.id, rows)
    assert list(scored.index) == list(rows.index)
    assert list(scored.columns) == [PREDICTED, "p(big)", "p(small)"]
    np.testing.assert_allclose(probabilities(scored), kept["proba"], atol=1e-6)
    assert (scored[PREDICTED] == np.array(["big", "small"])[kept["proba"].argmax(axis=1)]).all()
    scorer = load_scorer(store, record.id)
    assert "day year" in scorer.columns and "id" not in scorer.columns  # the date expanded, the dropped column gone


def test_images_score_as_the_run_scored_them(store):
    request = LoadRequest("digits")
    record, config = train(store, request, "logreg")
    kept = kept_predictions(store, record)
    dataset, _ = split_data(config)
    scored = score_images(store, record.id, dataset.features[kept["rows"]])
    np.testing.assert_allclose(probabilities(scored), kept["proba"], atol=1e-6)
    with pytest.raises(ScoringError, match="takes images of 8 x 8 pixels; got 28 x 28"):
        score_images(store, record.id, np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ScoringError, match="trained on images; give it images"):
        score_rows(store, record.id, pd.DataFrame({"a": [1]}))


def test_pictures_are_made_the_runs_size_and_colour():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 255, 255)).save(buffer, format="PNG")
    images = read_images([("white.png", buffer.getvalue())], (8, 8))
    assert images.shape == (1, 8, 8) and images.dtype == np.uint8 and (images == 255).all()
    assert read_images([("white.png", buffer.getvalue())], (4, 6, 3)).shape == (1, 4, 6, 3)
    with pytest.raises(ScoringError, match="notes.txt is not a picture"):
        read_images([("notes.txt", b"hello")], (8, 8))


def test_missing_columns_and_text_for_numbers_are_named(store, tmp_path):
    path, raw = table_file(tmp_path)
    record, _ = train(store, LoadRequest("csv", source="file", path=str(path), target="label"), "logreg")
    rows = raw.drop(columns=["label"]).head(5)
    with pytest.raises(ScoringError, match=r"lack 2 column\(s\) run .* was trained on: 'colour', 'area'$"):
        score_rows(store, record.id, rows.drop(columns=["colour", "area"]))
    wrong = rows.astype({"size": object})
    wrong.loc[wrong.index[2], "size"] = "large"
    wrong.loc[wrong.index[4], "day"] = "soon"
    both = r"'day' should hold dates \('soon' in row 5\); 'size' should hold numbers \('large' in row 3\)$"
    with pytest.raises(ScoringError, match=both):
        score_rows(store, record.id, wrong)
    with pytest.raises(ScoringError, match="no rows to score"):
        score_rows(store, record.id, rows.iloc[:0])
    # Numbers written as text with a decimal comma read as numbers; extra columns are ignored.
    as_text = rows.assign(size=rows["size"].map(lambda v: f"{v}".replace(".", ",")), extra="x")
    np.testing.assert_allclose(
        probabilities(score_rows(store, record.id, as_text)), probabilities(score_rows(store, record.id, rows))
    )


def test_a_file_scores_with_its_rows_beside_the_predictions(store, tmp_path):
    path, raw = table_file(tmp_path)
    record, _ = train(store, LoadRequest("csv", source="file", path=str(path), target="label"), "logreg")
    new = tmp_path / "new.csv"
    raw.drop(columns="label").head(7).to_csv(new, index=False)
    scored = score_path(store, record.id, new)
    assert list(scored.columns) == ["size", "colour", "day", "area", "id", PREDICTED, "p(big)", "p(small)"]
    assert len(scored) == 7 and np.allclose(probabilities(scored).sum(axis=1), 1.0)


def test_a_run_without_a_model_to_score_with_says_why(store, tmp_path):
    record, _ = train(store, LoadRequest("iris"), "logreg")
    (store.artifacts_dir(record.id) / PREPROCESS_FILE).unlink()  # as a run from before it was kept
    with pytest.raises(ScoringError, match="trained before Trainboard kept"):
        load_scorer(store, record.id)
    queued = store.create({}, "iris", "logreg", "classical", {}, "{}", seed=0)
    with pytest.raises(ScoringError, match="is queued; only a finished run"):
        load_scorer(store, queued)
