"""Preprocessing: the spec, the row steps (checked against pandas) and the fitted pipeline (checked
against scikit-learn transformers fitted independently on the train rows)."""

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

from core.datasets.dataset import Split, content_sha256, make_split, tabular_dataset
from core.datasets.registry import LoadRequest, load_dataset
from core.errors import TrainboardError
from core.preprocess import (
    DerivedTarget,
    PreprocessSpec,
    RangeFilter,
    SpecError,
    apply_row_steps,
    build_pipeline,
    preview,
    suggested_drops,
    transform_split,
)
from core.preprocess import pipeline as pipeline_module
from core.preprocess.spec import CHOICES

AGE_BINS = (0, 25, 60, 120)
AGE_LABELS = ("Youth", "Adults", "Seniors")
MANUAL_SPLIT = Split(np.arange(0, 80), np.arange(80, 100), np.arange(100, 120), seed=0, hash="manual")
TRAIN = slice(0, 80)
PARTS = {"train": MANUAL_SPLIT.train, "val": MANUAL_SPLIT.val, "test": MANUAL_SPLIT.test}


@pytest.fixture(scope="module")
def la():
    return load_dataset(LoadRequest("la-collisions", source="synthetic", rows=5000))


def toy_frame(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """x numeric with gaps, k codes stored as numbers but categorical, c text with skewed frequencies."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "x": rng.normal(10, 3, n),
        "k": pd.array(rng.choice([1, 2, 3, 10], n, p=[0.4, 0.3, 0.2, 0.1]), dtype="Int64"),
        "c": rng.choice(list("abcdef"), n, p=[0.4, 0.25, 0.15, 0.1, 0.06, 0.04]),
        "y": np.array(["p", "p", "p", "q", "q", "r"])[np.arange(n) % 6],
    })  # fmt: skip
    frame.loc[[3, 17, 40, 61, 85, 101], "x"] = np.nan
    frame.loc[[5, 33, 90], "k"] = pd.NA
    frame.loc[[8, 50, 77, 110], "c"] = np.nan
    return frame


def toy(frame: pd.DataFrame | None = None):
    frame = toy_frame() if frame is None else frame
    return tabular_dataset("toy", frame, "y", {"source": "generator", "location": "test"}, (), {"k": "categorical"})


# --- the spec -------------------------------------------------------------------------------------------


def test_spec_json_round_trip():
    spec = PreprocessSpec(
        drop_columns=("DR Number", "Address"),
        drop_duplicates=True,
        missing_rows="ffill",
        numeric_impute="constant",
        fill_value=-1,
        filters=(RangeFilter("Victim Age", 15, 90), RangeFilter("Latitude", maximum=34.5)),
        derived_target=DerivedTarget("Victim Age", AGE_BINS, AGE_LABELS),
        encoding="label",
        max_categories=5,
        scaling="minmax",
        balancing="smote",
        seed=7,
    )
    again = PreprocessSpec.from_json(spec.to_json())
    assert again == spec
    assert again.derived_target.name == "Victim Age group"
    assert PreprocessSpec.from_json(PreprocessSpec().to_json()) == PreprocessSpec()
    assert PreprocessSpec.from_json("{}") == PreprocessSpec()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"scaling": "robust"}, ["'scaling'", "standard, minmax, none"]),
        ({"missing_rows": "zero"}, ["'missing_rows'", "keep, drop, ffill, bfill"]),
        ({"numeric_impute": "max"}, ["'numeric_impute'", "median, mean, constant, none"]),
        ({"categorical_impute": "median"}, ["'categorical_impute'", "mode, constant, none"]),
        ({"encoding": "target"}, ["'encoding'", "onehot, ordinal, label"]),
        ({"balancing": "adasyn"}, ["'balancing'", "none, smote, oversample, undersample"]),
        ({"drop_duplicates": "yes"}, ["'drop_duplicates'"]),
        ({"drop_columns": "Address"}, ["'drop_columns'"]),
        ({"fill_value": "zero"}, ["'fill_value'"]),
        ({"max_categories": 1}, ["'max_categories'", ">= 2"]),
        ({"max_categories": 2.5}, ["'max_categories'"]),
        ({"seed": -1}, ["'seed'"]),
        ({"seed": True}, ["'seed'"]),
        ({"filters": {"column": "a"}}, ["'filters'"]),
        ({"filters": [{"column": "a"}]}, ["'filters'", "minimum, a maximum"]),
        ({"filters": [{"column": "a", "minimum": 5, "maximum": 1}]}, ["'filters'", "above maximum"]),
        ({"filters": [{"column": "a", "low": 1}]}, ["'filters[0].low'"]),
        ({"filters": [{"column": "a", "minimum": "1"}]}, ["'filters.minimum'"]),
        ({"derived_target": {"source": "a", "bins": [0, 1], "labels": ["x"]}}, ["'derived_target.bins'"]),
        ({"derived_target": {"source": "a", "bins": [0, 2, 1], "labels": ["x", "y"]}}, ["'derived_target.bins'"]),
        ({"derived_target": {"source": "a", "bins": [0, 1, 2], "labels": ["x"]}}, ["'derived_target.labels'", "2"]),
        ({"derived_target": {"source": "a", "bins": [0, 1, 2], "labels": ["x", "x"]}}, ["'derived_target.labels'"]),
        ({"derived_target": {"bins": [0, 1, 2], "labels": ["x", "y"]}}, ["'derived_target'"]),
        ({"scale": "minmax"}, ["'scale'", "is not a known field"]),
    ],
)
def test_bad_field_raises_spec_error_naming_it(changes, named):
    data = {**json.loads(PreprocessSpec().to_json()), **changes}
    with pytest.raises(SpecError) as caught:
        PreprocessSpec.from_json(json.dumps(data))
    message = str(caught.value)
    assert isinstance(caught.value, TrainboardError)
    assert "\n" not in message
    for part in named:
        assert part in message


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '"onehot"'])
def test_unreadable_spec_text(text):
    with pytest.raises(SpecError, match="preprocess spec"):
        PreprocessSpec.from_json(text)


def test_spec_made_in_code_is_validated_too():
    with pytest.raises(SpecError, match="'encoding'"):
        PreprocessSpec(encoding="hash")
    assert PreprocessSpec(drop_columns=["a"]).drop_columns == ("a",)  # a page's multiselect gives a list


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        (PreprocessSpec(drop_columns=("Nope",)), "'Nope'"),
        (PreprocessSpec(drop_columns=("Victim Sex",)), "'Victim Sex', the target"),
        (PreprocessSpec(filters=(RangeFilter("Victim Agee", 1),)), "'Victim Agee'"),
        (PreprocessSpec(filters=(RangeFilter("Area Name", 1),)), "numeric"),
        (PreprocessSpec(drop_columns=("Victim Age",), filters=(RangeFilter("Victim Age", 1),)), "drop_columns"),
        (PreprocessSpec(derived_target=DerivedTarget("Age", AGE_BINS, AGE_LABELS)), "'Age'"),
        (PreprocessSpec(derived_target=DerivedTarget("Victim Age", AGE_BINS, AGE_LABELS, "Latitude")), "Latitude"),
    ],
)
def test_validate_for_names_the_column(la, spec, named):
    with pytest.raises(SpecError, match="preprocess spec") as caught:
        spec.validate_for(la)
    assert named in str(caught.value)


def test_validate_for_accepts_a_good_spec(la):
    PreprocessSpec(
        drop_columns=("Victim Sex", "DR Number"), derived_target=DerivedTarget("Victim Age", AGE_BINS, AGE_LABELS)
    ).validate_for(la)


def test_registries_cover_every_choice():
    assert tuple(pipeline_module.NUMERIC_IMPUTERS) == CHOICES["numeric_impute"]
    assert tuple(pipeline_module.CATEGORICAL_IMPUTERS) == CHOICES["categorical_impute"]
    assert tuple(pipeline_module.ENCODERS) == CHOICES["encoding"]
    assert tuple(pipeline_module.SCALERS) == CHOICES["scaling"]
    assert set(pipeline_module.IMAGE_SCALING) == set(CHOICES["scaling"])
    assert tuple(pipeline_module.SAMPLERS) == CHOICES["balancing"]


def test_suggested_drops():
    alerts = [
        SimpleNamespace(kind="identifier", columns=("DR Number",), severity="warning"),
        SimpleNamespace(kind="correlation", columns=("Area ID", "Area Name"), severity="leakage"),
        SimpleNamespace(kind="missing", columns=("Cross Street",), severity="warning"),
        SimpleNamespace(kind="identifier", columns=("DR Number",), severity="info"),
    ]
    assert suggested_drops(alerts) == ("DR Number", "Area ID", "Area Name")
    assert suggested_drops([]) == ()


# --- row steps -------------------------------------------------------------------------------------------


def test_derived_target_matches_pd_cut(la):
    spec = PreprocessSpec(derived_target=DerivedTarget("Victim Age", AGE_BINS, AGE_LABELS))
    out = apply_row_steps(la, spec)
    expected = pd.cut(la.features["Victim Age"], list(AGE_BINS), labels=list(AGE_LABELS), include_lowest=True)
    keep = expected.notna().to_numpy()
    assert out.rows == keep.sum() < la.rows
    assert out.classes == AGE_LABELS  # bin order, not alphabetical
    assert out.target_name == "Victim Age group"
    assert list(np.asarray(out.classes)[out.target]) == list(expected[keep].astype(str))
    assert "Victim Age" not in out.features.columns
    assert "Victim Sex" not in out.features.columns  # the old target is dropped
    np.testing.assert_array_equal(out.features["Latitude"], la.features["Latitude"].to_numpy()[keep])
    assert out.provenance.sha256 == content_sha256(out.features, out.target, out.classes) != la.provenance.sha256
    assert out.provenance.synthetic and out.provenance.source == la.provenance.source
    assert any(n.startswith("preprocessed: ") and "Victim Age group" in n for n in out.provenance.notes)


def test_range_filter_keeps_what_pandas_keeps(la):
    out = apply_row_steps(la, PreprocessSpec(filters=(RangeFilter("Victim Age", 15, 90),)))
    age = la.features["Victim Age"]
    keep = ((age >= 15) & (age <= 90)).to_numpy()  # NaN compares False: missing ages go
    assert out.rows == keep.sum()
    np.testing.assert_array_equal(out.features["Victim Age"], age[keep])
    assert out.class_counts() == la.class_counts(np.flatnonzero(keep))
    assert out.classes == la.classes

    open_top = apply_row_steps(la, PreprocessSpec(filters=(RangeFilter("Hour Occurred", minimum=20),)))
    assert open_top.rows == (la.features["Hour Occurred"] >= 20).sum()


def test_filter_keeping_nothing_raises(la):
    with pytest.raises(SpecError, match="keep no rows"):
        apply_row_steps(la, PreprocessSpec(filters=(RangeFilter("Victim Age", 500),)))


def test_drop_duplicates_count():
    frame = toy_frame()
    duplicated = pd.concat([frame, frame.iloc[[0, 1, 2]], frame.iloc[[4]].assign(y="r")], ignore_index=True)
    out = apply_row_steps(toy(duplicated), PreprocessSpec(drop_duplicates=True))
    assert out.rows == len(duplicated.drop_duplicates()) == len(frame) + 1  # a different label is no duplicate
    assert apply_row_steps(toy(duplicated), PreprocessSpec()).rows == len(duplicated)


def test_missing_rows_drop_ffill_bfill():
    frame = toy_frame()
    frame.loc[0, "x"] = np.nan  # nothing before it: ffill leaves it
    frame.loc[119, "c"] = np.nan  # nothing after it: bfill leaves it
    features = frame.drop(columns="y")
    ds = toy(frame)

    dropped = apply_row_steps(ds, PreprocessSpec(missing_rows="drop"))
    assert dropped.rows == len(features.dropna())
    assert not dropped.features.isna().any().any()

    for direction in ("ffill", "bfill"):
        out = apply_row_steps(ds, PreprocessSpec(missing_rows=direction))
        expected = getattr(features, direction)()
        assert out.rows == len(frame)
        pd.testing.assert_frame_equal(out.features, expected, check_dtype=False)
        assert out.features.isna().sum().sum() == 1
        assert list(out.target) == list(ds.target)


def test_missing_derived_target_is_not_filled():
    # The derived target is cut before missing rows are handled; filling it would invent labels.
    frame = toy_frame()
    spec = PreprocessSpec(missing_rows="ffill", derived_target=DerivedTarget("x", (-100, 10, 100), ("low", "high")))
    out = apply_row_steps(toy(frame), spec)
    assert out.rows == frame["x"].notna().sum() < len(frame)
    assert any("rows with no 'x group' were dropped" in n for n in out.provenance.notes)


def test_derived_target_edges_are_right_closed_with_the_lowest_included():
    ages = [0, 25, 25.5, 60, 120, 121, np.nan, 60.01]
    frame = pd.DataFrame({"age": ages, "other": range(len(ages)), "y": ["a", "b"] * 4})
    ds = tabular_dataset("edges", frame, "y", {"source": "generator", "location": "test"})
    out = apply_row_steps(ds, PreprocessSpec(derived_target=DerivedTarget("age", AGE_BINS, AGE_LABELS)))
    got = dict(zip(out.features["other"], np.asarray(out.classes)[out.target], strict=True))
    assert got == {0: "Youth", 1: "Youth", 2: "Adults", 3: "Adults", 4: "Seniors", 7: "Seniors"}


def test_dates_become_year_month_weekday(la):
    out = apply_row_steps(la, PreprocessSpec())
    when = la.features["Date Occurred"]
    assert "Date Occurred" not in out.features.columns
    np.testing.assert_array_equal(out.features["Date Occurred year"], when.dt.year)
    np.testing.assert_array_equal(out.features["Date Occurred weekday"], when.dt.day_of_week)
    assert out.feature_types["Date Occurred month"] == "numeric"
    assert out.feature_types["Area ID"] == "categorical"  # overrides survive
    assert out.class_counts() == la.class_counts()


def test_nothing_to_do_returns_the_dataset():
    ds = toy()
    assert apply_row_steps(ds, PreprocessSpec(scaling="minmax")) is ds


# --- the fitted pipeline ----------------------------------------------------------------------------------


def oracle_parts(ds, categorical_encoder, numeric_scaler=None, fill_numeric="median"):
    """The expected transform of MANUAL_SPLIT's parts, from sklearn/pandas fitted on the train rows alone."""
    x = ds.features["x"].to_numpy(dtype=float, na_value=np.nan)
    train_x = x[TRAIN]
    fill = np.nanmedian(train_x) if fill_numeric == "median" else np.nanmean(train_x)
    x = np.where(np.isnan(x), fill, x)[:, None]
    if numeric_scaler is not None:
        x = numeric_scaler.fit(x[TRAIN]).transform(x)
    columns = []
    for name in ("k", "c"):
        text = ds.features[name].astype("str")
        text = text.fillna(text.iloc[TRAIN].mode().iloc[0]).to_numpy(dtype=object)[:, None]
        columns.append(categorical_encoder().fit(text[TRAIN]).transform(text))
    expected = np.hstack([x, *columns])
    return {part: expected[rows] for part, rows in PARTS.items()}


def assert_parts(got, expected, ds):
    for part, rows in PARTS.items():
        np.testing.assert_allclose(got[part][0], expected[part], atol=1e-12)
        np.testing.assert_array_equal(got[part][1], ds.target[rows])


def test_onehot_matches_sklearn_with_infrequent_and_unknown():
    frame = toy_frame()
    frame.loc[[104, 112], "c"] = "zzz"  # a category only test rows have
    ds = toy(frame)
    got = transform_split(ds, PreprocessSpec(encoding="onehot", max_categories=3, scaling="none"), MANUAL_SPLIT)

    def encoder():
        return OneHotEncoder(max_categories=3, handle_unknown="infrequent_if_exist", sparse_output=False)

    assert_parts(got, oracle_parts(ds, encoder), ds)
    assert got["train"][0].shape[1] == 1 + 3 + 3  # x, then 2 frequent + "infrequent" for k and for c


def test_ordinal_matches_sklearn_and_unknown_is_minus_one():
    frame = toy_frame()
    frame.loc[[104], "c"] = "zzz"
    ds = toy(frame)
    got = transform_split(ds, PreprocessSpec(encoding="ordinal", scaling="none"), MANUAL_SPLIT)

    def encoder():
        return OrdinalEncoder(max_categories=20, handle_unknown="use_encoded_value", unknown_value=-1)

    assert_parts(got, oracle_parts(ds, encoder), ds)
    assert got["test"][0][104 - 100, 2] == -1


def test_label_encoding_ranks_by_train_frequency():
    frame = toy_frame()
    frame.loc[[104], "c"] = "zzz"
    ds = toy(frame)
    got = transform_split(ds, PreprocessSpec(encoding="label", scaling="none"), MANUAL_SPLIT)
    c = frame["c"].fillna(frame["c"].iloc[TRAIN].mode().iloc[0])
    counts = c.iloc[TRAIN].value_counts()
    assert counts.is_unique  # no ties, so the ranking is unambiguous
    rank = {value: i for i, value in enumerate(counts.index)}
    expected = c.map(rank).fillna(-1).to_numpy()
    X = np.vstack([got["train"][0], got["val"][0], got["test"][0]])
    np.testing.assert_array_equal(X[:, 2], expected)
    assert X[np.argmax(c.to_numpy() == counts.index[0]), 2] == 0  # the most common is 0
    assert X[104, 2] == -1


@pytest.mark.parametrize(("scaling", "scaler"), [("standard", StandardScaler), ("minmax", MinMaxScaler)])
def test_scaling_matches_sklearn(scaling, scaler):
    ds = toy()
    got = transform_split(ds, PreprocessSpec(encoding="ordinal", scaling=scaling), MANUAL_SPLIT)

    def encoder():
        return OrdinalEncoder(max_categories=20, handle_unknown="use_encoded_value", unknown_value=-1)

    assert_parts(got, oracle_parts(ds, encoder, scaler()), ds)
    train_x = got["train"][0][:, 0]
    if scaling == "standard":
        assert abs(train_x.mean()) < 1e-9 and abs(train_x.std() - 1) < 1e-9
    else:
        assert train_x.min() == 0 and train_x.max() == 1


@pytest.mark.parametrize("strategy", ["median", "mean"])
def test_imputation_is_fitted_on_train_rows_only(strategy):
    frame = toy_frame()
    frame.loc[100:119, "x"] = 1e9  # huge values in every test row ...
    frame.loc[[105, 110], "x"] = np.nan  # ... and gaps in test rows and (from toy_frame) train rows
    ds = toy(frame)
    got = transform_split(ds, PreprocessSpec(numeric_impute=strategy, scaling="none"), MANUAL_SPLIT)
    train_x = frame["x"].iloc[TRAIN]
    statistic = train_x.median() if strategy == "median" else train_x.mean()
    assert abs(statistic) < 100
    assert got["train"][0][3, 0] == pytest.approx(statistic)  # row 3 has no x
    assert got["test"][0][5, 0] == pytest.approx(statistic)  # row 105
    assert got["test"][0][0, 0] == 1e9


def test_constant_imputation():
    ds = toy()
    got = transform_split(
        ds, PreprocessSpec(numeric_impute="constant", fill_value=-7, categorical_impute="constant", scaling="none"),
        MANUAL_SPLIT,
    )  # fmt: skip
    assert got["train"][0][3, 0] == -7
    columns = build_pipeline(PreprocessSpec(categorical_impute="constant"), ds).fit(ds.features.iloc[TRAIN])
    assert "c_missing" in columns.named_steps["features"].get_feature_names_out()


@pytest.mark.parametrize("balancing", ["smote", "oversample", "undersample"])
def test_balancing_changes_only_the_train_part(la, balancing):
    ds = apply_row_steps(la, PreprocessSpec(drop_columns=("DR Number", "Address", "Cross Street", "MO Codes")))
    split = make_split(ds, seed=1)
    plain = transform_split(ds, PreprocessSpec(), split)
    balanced = transform_split(ds, PreprocessSpec(balancing=balancing, seed=3), split)
    for part, rows in (("val", split.val), ("test", split.test)):
        np.testing.assert_array_equal(balanced[part][0], plain[part][0])
        np.testing.assert_array_equal(balanced[part][1], ds.target[rows])
        assert np.bincount(balanced[part][1]).tolist() == list(ds.class_counts(rows).values())
    before = np.bincount(plain["train"][1])
    after = np.bincount(balanced["train"][1], minlength=len(ds.classes))
    assert before.min() < before.max()  # it was imbalanced
    assert set(after) == {before.max() if balancing != "undersample" else before.min()}
    again = transform_split(ds, PreprocessSpec(balancing=balancing, seed=3), split)
    np.testing.assert_array_equal(again["train"][0], balanced["train"][0])  # seeded


def test_pipeline_with_estimator_resamples_in_fit_only(la):
    ds = apply_row_steps(la, PreprocessSpec(drop_columns=("DR Number", "Address", "Cross Street", "MO Codes")))
    split = make_split(ds)
    model = build_pipeline(PreprocessSpec(balancing="undersample"), ds, DummyClassifier(strategy="prior"))
    model.fit(ds.features.iloc[split.train], ds.target[split.train])
    np.testing.assert_allclose(model.named_steps["model"].class_prior_, 1 / 3)  # it learned from balanced rows
    assert model.predict_proba(ds.features.iloc[split.val]).shape == (len(split.val), 3)  # every val row


def test_empty_part_comes_back_empty():
    parts = transform_split(
        toy(), PreprocessSpec(), Split(np.arange(0, 100), np.arange(100, 120), np.arange(0), 0, "m")
    )
    assert parts["test"][0].shape == (0, parts["train"][0].shape[1]) and len(parts["test"][1]) == 0


def test_smote_with_too_few_rows_says_so():
    frame = toy_frame()
    frame["y"] = np.where(np.arange(len(frame)) < 12, "rare", "common")
    split = Split(np.arange(8, 120), np.arange(0, 4), np.arange(4, 8), 0, "manual")  # 4 rare rows to train on
    with pytest.raises(SpecError, match="at least 6 train rows per class"):
        transform_split(toy(frame), PreprocessSpec(balancing="smote"), split)


def test_pipeline_needs_row_steps_first(la):
    with pytest.raises(SpecError, match="apply_row_steps"):
        build_pipeline(PreprocessSpec(), la)  # dates not yet expanded


def test_preview_numbers_small_case():
    frame = toy_frame()
    frame = pd.concat([frame, frame.iloc[[0, 1]]], ignore_index=True)  # two duplicates
    ds = toy(frame)
    spec = PreprocessSpec(drop_columns=("k",), drop_duplicates=True, balancing="oversample")
    summary = preview(ds, spec, split_seed=2)
    processed = apply_row_steps(ds, spec)
    split = make_split(processed, seed=2)
    train_c = processed.features["c"].iloc[split.train]
    kept = frame.drop(columns="k").drop_duplicates()
    assert (summary.rows_before, summary.rows_after) == (122, len(kept))
    assert summary.columns_before == 3
    assert summary.columns_after == 1 + train_c.nunique() == len(summary.feature_names)
    assert summary.feature_names[0] == "x"
    assert summary.class_counts_before == {"p": 62, "q": 40, "r": 20}  # rows 0 and 1 are "p"
    assert summary.class_counts_after_rows == kept["y"].value_counts().sort_index().to_dict()
    biggest = max(processed.class_counts(split.train).values())
    assert summary.train_counts_after_balancing == {"p": biggest, "q": biggest, "r": biggest}
    assert any(f"dropped {122 - len(kept)} duplicate rows" in n for n in summary.notes)
    # encoding auto (the default): the preview shows the one-hot columns and says the trees get one per column
    auto = [n for n in summary.notes if n.startswith("encoding auto")]
    assert auto == [
        f"encoding auto: the {summary.columns_after} columns shown are what one-hot models get (linear, SVM, k-NN, "
        "networks); the tree models get one code per column (2 columns)"
    ]
    assert not any("encoding auto" in n for n in preview(ds, PreprocessSpec(encoding="onehot")).notes)


def test_preview_with_derived_target(la):
    spec = PreprocessSpec(
        derived_target=DerivedTarget("Victim Age", AGE_BINS, AGE_LABELS), drop_columns=("DR Number", "Address")
    )
    summary = preview(la, spec)
    assert summary.class_counts_before == la.class_counts()
    assert tuple(summary.class_counts_after_rows) == AGE_LABELS
    assert "Victim Age" not in summary.feature_names and "Date Occurred year" in summary.feature_names


# --- images ----------------------------------------------------------------------------------------------


def test_digits_minmax_to_unit_range():
    digits = load_dataset(LoadRequest("digits"))
    pipeline = build_pipeline(PreprocessSpec(scaling="minmax"), digits)
    X = pipeline.fit(digits.features[:1000], digits.target[:1000]).transform(digits.features)
    assert X.shape == (digits.rows, 64) and X.dtype == np.float32
    assert X.min() == 0 and X.max() == 1
    np.testing.assert_allclose(X, digits.features.reshape(-1, 64) / 255, rtol=1e-6)


def test_digits_standard_and_balancing():
    digits = load_dataset(LoadRequest("digits"))
    split = make_split(digits)
    parts = transform_split(digits, PreprocessSpec(scaling="standard", balancing="oversample"), split)
    expected = StandardScaler().fit(digits.features[split.train].reshape(-1, 64).astype(np.float32))
    np.testing.assert_allclose(
        parts["test"][0], expected.transform(digits.features[split.test].reshape(-1, 64).astype(np.float32)), atol=1e-5
    )
    assert len(set(np.bincount(parts["train"][1]))) == 1
    assert len(parts["val"][1]) == len(split.val)
    summary = preview(digits, PreprocessSpec(scaling="none"))
    assert summary.columns_before == summary.columns_after == 64 and summary.rows_after == digits.rows


def test_image_rejects_row_steps():
    digits = load_dataset(LoadRequest("digits"))
    with pytest.raises(SpecError, match="'drop_duplicates' does not apply to image datasets"):
        apply_row_steps(digits, PreprocessSpec(drop_duplicates=True))
    assert apply_row_steps(digits, PreprocessSpec(balancing="smote")) is digits
