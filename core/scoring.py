"""New rows scored by a finished run: its own fitted preprocessing (preprocess.joblib), then its own model, the
way the run scored its test rows. Tables get the column steps of the run's spec (declared kinds, dates expanded
to year/month/weekday); the steps that choose rows (filters, duplicates, missing rows) do not apply to rows
being scored. Images must be the size the run trained on (`read_images` converts and resizes picture files).

`score_rows(store, run_id, frame)` and `score_images` return one row per input row: the predicted class and one
probability column per class. What a user can get wrong (a missing column, text where numbers belong, a run
without a saved model) is a ScoringError naming it, in one line.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.errors import TrainboardError
from core.runs import artifacts

PREDICTED = "predicted"
DATE_PARTS = ("year", "month", "weekday", "hour")  # the columns core.preprocess.rows expands a date into
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


class ScoringError(TrainboardError):
    """These rows cannot be scored by this run; the message names the run, column or file."""


def probability_column(class_name: str) -> str:
    return f"p({class_name})"


@dataclass(frozen=True)
class Scorer:
    """What scoring with one run needs, read from its folder once (the model itself when first used)."""

    run_id: str
    classes: tuple[str, ...]
    features: Any  # the fitted feature steps: rows (a frame, or uint8 images) -> the model's X
    spec: Any  # the run's PreprocessSpec (for the declared column kinds)
    image_shape: tuple[int, ...] | None  # H x W [x C] for image runs, None for tables
    predict_proba: Callable[[np.ndarray], np.ndarray]  # X -> N x len(classes)

    @property
    def columns(self) -> list[str]:
        """The table columns the run's preprocessing reads, in its order ([] for image runs)."""
        return [] if self.image_shape is not None else [str(c) for c in self.features[0].feature_names_in_]

    def score_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Predictions for the table `frame` (the columns the run was trained on), with frame's index."""
        if self.image_shape is not None:
            raise ScoringError(f"run {self.run_id} was trained on images; give it images, not a table")
        X = self.features.transform(prepare_rows(self, frame))
        return predictions_frame(self.predict_proba(X), self.classes, frame.index)

    def score_images(self, images: np.ndarray) -> pd.DataFrame:
        """Predictions for uint8 `images`, N x H x W [x C] of the size the run was trained on (or one image)."""
        if self.image_shape is None:
            raise ScoringError(f"run {self.run_id} was trained on a table; give it rows with its columns, not images")
        images = np.asarray(images)
        if images.ndim == len(self.image_shape):
            images = images[None]
        if images.shape[1:] != self.image_shape or len(images) == 0:
            size = " x ".join(map(str, self.image_shape))
            got = " x ".join(map(str, images.shape[1:])) or "nothing"
            raise ScoringError(f"run {self.run_id} takes images of {size} pixels; got {got}")
        X = self.features.transform(images.astype(np.uint8))
        return predictions_frame(self.predict_proba(X), self.classes)


def load_scorer(store, run_id: str) -> Scorer:
    """The run's scorer; ScoringError when it has no model to score with (not finished, or trained before its
    preprocessing was kept)."""
    from core.preprocess import PreprocessSpec
    from core.training.execute import PREPROCESS_FILE

    record = store.get(run_id)
    if record.status != "finished":
        raise ScoringError(f"run {run_id} is {record.status}; only a finished run has a model to score with")
    run_dir = store.artifacts_dir(run_id)
    if not (run_dir / PREPROCESS_FILE).exists():
        raise ScoringError(
            f"run {run_id} was trained before Trainboard kept a run's fitted preprocessing; train it again to "
            "score new rows with it"
        )
    info = artifacts.read_json(run_dir, "dataset.json")
    features = artifacts.load_sklearn_model(run_dir, PREPROCESS_FILE)
    classes = tuple(info["classes"])
    image_shape = tuple(info["image_shape"]) if info.get("image_shape") else None
    if record.family == "classical":
        predict = _classical_predictor(run_dir, len(classes))
    else:
        predict = _network_predictor(record, run_dir, len(classes), image_shape, info)
    spec = PreprocessSpec.from_json(record.preprocess or "{}")
    return Scorer(run_id, classes, features, spec, image_shape, predict)


def _classical_predictor(run_dir: Path, n_classes: int) -> Callable[[np.ndarray], np.ndarray]:
    """The fitted estimator's probabilities; the file (a forest's can be hundreds of MB) is read on first use."""
    from core.training.execute import full_probabilities

    loaded: list = []

    def predict(X: np.ndarray) -> np.ndarray:
        if not loaded:
            loaded.append(artifacts.load_sklearn_model(run_dir))
        return full_probabilities(loaded[0], X, n_classes)

    return predict


def _network_predictor(record, run_dir: Path, n_classes: int, image_shape, info: dict):
    """The run's network rebuilt from its config and model.safetensors, on the CPU, predicting as its engine
    did; built on first use (when the width of a table's X is known), so loading a scorer stays cheap."""
    from core.training.network_run import MODEL_WEIGHTS, engine_for
    from core.training.options import TrainOptions

    training = dict(record.config.get("training") or {})
    # The CPU, whatever the run trained on; 'on' would refuse a CPU without bfloat16, 'auto' picks what it has.
    training.update(device="cpu", amp="auto" if training.get("amp") == "on" else training.get("amp", "auto"))
    engine = engine_for(record.model, TrainOptions.from_dict(training))
    built: dict[str, Any] = {}

    def predict(X: np.ndarray) -> np.ndarray:
        if image_shape is None:
            shape: tuple[int, ...] = (X.shape[1],)
        else:
            height, width, *channels = image_shape
            shape = (channels[0] if channels else 1, height, width)
        if not built:
            network = engine.build(
                record.model,
                record.params,
                n_classes=n_classes,
                n_rows=max(1, int((info.get("split") or {}).get("train", 1))),
                shape=shape,
                seed=record.seed,
            )
            classes = tuple(info["classes"])
            trainer = engine.trainer(network, classes=classes, callbacks=[], run_dir=None, class_weights=None, seed=0)
            engine.load_weights(trainer, run_dir / MODEL_WEIGHTS)
            built["trainer"] = trainer
        return engine.predict_proba(built["trainer"], X, shape)

    return predict


# -- tables -------------------------------------------------------------------------------------------------
def as_dates(values: pd.Series) -> pd.Series:
    """A date column as datetimes, text read the way a table file's loader reads it (the format found from the
    values: 05.01.2013 is the 5th of January); what is not a date becomes NaT."""
    from core.datasets.kinds import parse_text_dates

    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    parsed = parse_text_dates(values.to_frame(name="date"))[0]["date"]
    if pd.api.types.is_datetime64_any_dtype(parsed):
        return parsed
    return pd.to_datetime(values.astype("string"), errors="coerce", format="mixed")


def _first_lost(before: pd.Series, after: pd.Series) -> str | None:
    """The first value there before a conversion and missing after it, as "'x' in row N"; None if none."""
    lost = np.flatnonzero((before.notna() & after.isna()).to_numpy())
    return f"{before.iloc[lost[0]]!r} in row {lost[0] + 1}" if len(lost) else None


def prepare_rows(scorer: Scorer, frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the run's preprocessing reads, as it read them: declared kinds converted, dates expanded into
    year/month/weekday(/hour), numbers read from text. Extra columns are ignored. ScoringError naming every
    missing column, or every column that should hold numbers (or dates) and does not."""
    from core.preprocess.rows import CONVERTERS

    if frame.empty:
        raise ScoringError("no rows to score")
    frame = frame.rename(columns=lambda c: str(c).strip())
    declared = {kind.column: kind for kind in scorer.spec.column_kinds}
    for column, kind in declared.items():
        if column in frame.columns:
            frame[column] = CONVERTERS[kind.kind](frame[column], kind.format)
    wanted, wrong, dates = scorer.columns, [], {}
    for column in wanted:
        base, _, part = column.rpartition(" ")
        if column not in frame.columns and part in DATE_PARTS and base in frame.columns:
            if base not in dates:
                dates[base] = as_dates(frame[base])
                lost = None if base in declared else _first_lost(frame[base], dates[base])
                wrong += [f"'{base}' should hold dates ({lost})"] if lost else []
            when = dates[base].dt
            frame[column] = getattr(when, "day_of_week" if part == "weekday" else part).astype("Int64")
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        named = ", ".join(f"'{c}'" for c in missing)
        raise ScoringError(f"the rows lack {len(missing)} column(s) run {scorer.run_id} was trained on: {named}")
    rows = frame[wanted].copy()
    for column in _numeric_columns(scorer):
        if pd.api.types.is_numeric_dtype(rows[column]):
            continue
        numbers = CONVERTERS["numeric"](rows[column], "")
        # A declared kind made what is not a number missing in training too: so it does here, silently.
        lost = None if column in declared else _first_lost(rows[column], numbers)
        wrong += [f"'{column}' should hold numbers ({lost})"] if lost else []
        rows[column] = numbers
    if wrong:
        raise ScoringError(f"run {scorer.run_id} cannot read these columns: {'; '.join(wrong)}")
    return rows


def _numeric_columns(scorer: Scorer) -> list[str]:
    transformer = scorer.features[0]
    return [str(c) for name, _, columns in transformer.transformers_ if name == "numeric" for c in columns]


def predictions_frame(proba: np.ndarray, classes: tuple[str, ...], index=None) -> pd.DataFrame:
    """'predicted' (the most probable class) and one 'p(class)' column per class."""
    proba = np.asarray(proba, dtype=np.float64)
    table = pd.DataFrame({PREDICTED: np.asarray(classes, dtype=object)[proba.argmax(axis=1)]}, index=index)
    for code, name in enumerate(classes):
        table[probability_column(name)] = proba[:, code]
    return table


def beside_rows(frame: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """The rows and their predictions side by side (a prediction column named like an input one gets ' (scored)')."""
    scored = scored.rename(columns=lambda c: f"{c} (scored)" if c in frame.columns else c)
    return pd.concat([frame, scored], axis=1)


def score_rows(store, run_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Predictions of run `run_id` for the table `frame` (the columns it was trained on), with frame's index."""
    return load_scorer(store, run_id).score_rows(frame)


# -- images -------------------------------------------------------------------------------------------------
def score_images(store, run_id: str, images: np.ndarray) -> pd.DataFrame:
    """Predictions of image run `run_id` for uint8 `images`, N x H x W [x C] of the size it was trained on."""
    return load_scorer(store, run_id).score_images(images)


def read_images(files: list[tuple[str, bytes]], image_shape: tuple[int, ...]) -> np.ndarray:
    """Picture files (name, content) as uint8 N x H x W [x C]: grey or RGB as the run's images, resized to
    its size. ScoringError naming a file that is not a picture."""
    from PIL import Image, UnidentifiedImageError

    height, width, *channels = image_shape
    mode = "RGB" if channels and channels[0] == 3 else "L"
    arrays = []
    for name, content in files:
        try:
            with Image.open(io.BytesIO(content)) as picture:
                arrays.append(np.asarray(picture.convert(mode).resize((width, height)), dtype=np.uint8))
        except (UnidentifiedImageError, OSError) as exc:
            raise ScoringError(f"{name} is not a picture that can be read ({exc})") from None
    if not arrays:
        raise ScoringError("no images to score")
    return np.stack(arrays).reshape(len(arrays), *image_shape)


def score_path(store, run_id: str, path: Path | str) -> pd.DataFrame:
    """The CLI's way in: a table file (CSV or parquet, read like a dataset file) for a table run, its rows and
    their predictions side by side; an image file or a folder of them for an image run, a 'file' column first."""
    from core.datasets.tabular_file import read_table

    path = Path(path)
    scorer = load_scorer(store, run_id)
    if scorer.image_shape is None:
        frame, _ = read_table(path)
        return beside_rows(frame, scorer.score_rows(frame))
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if path.is_dir() else [path]
    if not files:
        raise ScoringError(f"{path}: no picture files ({', '.join(IMAGE_SUFFIXES)})")
    images = read_images([(p.name, p.read_bytes()) for p in files], scorer.image_shape)
    scored = scorer.score_images(images)
    scored.insert(0, "file", [p.name for p in files])
    return scored
