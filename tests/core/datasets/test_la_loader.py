import numpy as np
import pandas as pd
import pytest

from core.datasets.la_collisions import download_cache
from core.datasets.la_schema import to_raw_frame
from core.datasets.la_synthetic import synthetic_collisions
from core.datasets.registry import LoadRequest, get_loader, load_dataset
from core.errors import DataError
from tests.core.datasets.fake_soda import FakeSoda

EXPORT_NAME = "Traffic_Collision_Data_from_2010_to_Present.csv"
SODA_NAMES = {
    "DR Number": "dr_no", "Date Reported": "date_rptd", "Date Occurred": "date_occ", "Time Occurred": "time_occ",
    "Area ID": "area", "Area Name": "area_name", "Reporting District": "rpt_dist_no", "Crime Code": "crm_cd",
    "Crime Code Description": "crm_cd_desc", "MO Codes": "mocodes", "Victim Age": "vict_age",
    "Victim Sex": "vict_sex", "Victim Descent": "vict_descent", "Premise Code": "premis_cd",
    "Premise Description": "premis_desc", "Address": "location", "Cross Street": "cross_street",
    "Location": "location_1",
}  # fmt: skip


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty TRAINBOARD_HOME, so caches land in tmp_path and no real copy is found."""
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRAINBOARD_DATA", raising=False)
    return tmp_path / "home"


def expected_parts(frame: pd.DataFrame, target: str = "Victim Sex"):
    keep = frame[target].notna()
    return frame.drop(columns=target)[keep].reset_index(drop=True), frame[target][keep].reset_index(drop=True)


def assert_matches(dataset, frame: pd.DataFrame, target: str = "Victim Sex") -> None:
    features, labels = expected_parts(frame, target)
    pd.testing.assert_frame_equal(dataset.features, features)
    assert dataset.classes == tuple(sorted(labels.unique()))
    assert (np.array(dataset.classes)[dataset.target] == labels.to_numpy()).all()


def write_export(frame: pd.DataFrame, path):
    to_raw_frame(frame).to_csv(path, index=False)
    return path


def soda_server(frame: pd.DataFrame) -> FakeSoda:
    """The API's CSV pages of `frame` (snake_case fields, ISO dates) on 127.0.0.1."""
    raw = to_raw_frame(frame)
    for column in ("Date Reported", "Date Occurred"):
        raw[column] = frame[column].dt.strftime("%Y-%m-%dT%H:%M:%S.000")
    header, *lines = raw.rename(columns=SODA_NAMES).to_csv(index=False).splitlines()
    return FakeSoda(lines, header=header)


def test_synthetic_source_through_the_registry(home):
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3_000, seed=4))
    frame = synthetic_collisions(3_000, seed=4)
    assert_matches(dataset, frame)
    assert dataset.classes == ("F", "M", "X") and dataset.target_name == "Victim Sex"
    dropped = int(frame["Victim Sex"].isna().sum())
    assert dropped > 0 and dataset.rows == 3_000 - dropped
    provenance = dataset.provenance
    assert (provenance.source, provenance.location, provenance.synthetic) == (
        "synthetic", "generated stand-in (seed 4)", True
    )  # fmt: skip
    assert provenance.notes == (f"{dropped:,} rows with no 'Victim Sex' were dropped",)
    assert provenance.rows == dataset.rows
    assert set(dataset.feature_types) == set(dataset.features.columns)
    assert dataset.feature_types["Victim Age"] == "numeric"
    assert dataset.feature_types["Date Occurred"] == "datetime"
    assert dataset.feature_types["Area Name"] == "categorical"

    again = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3_000, seed=4))
    other = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=3_000, seed=5))
    assert again.provenance.sha256 == provenance.sha256 != other.provenance.sha256


def test_progress_is_reported(home):
    messages = []
    load_dataset(LoadRequest("la-collisions", source="synthetic", rows=500), lambda f, m: messages.append(m))
    assert messages[0] == "generating 500 synthetic collisions"
    assert any(m.startswith("encoding") and "hashing 500 rows" in m for m in messages)


def test_another_target_and_an_unknown_one(home):
    dataset = load_dataset(LoadRequest("la-collisions", source="synthetic", rows=2_000, target="Area Name"))
    assert_matches(dataset, synthetic_collisions(2_000, seed=0), target="Area Name")
    assert len(dataset.classes) == 21 and dataset.provenance.notes == ()
    with pytest.raises(DataError) as caught:
        load_dataset(LoadRequest("la-collisions", source="synthetic", rows=100, target="Weather"))
    assert "'Weather'" in str(caught.value) and "DR Number" in str(caught.value)


def test_file_source_reads_the_export_csv_and_a_parquet_copy(home, tmp_path):
    frame = synthetic_collisions(600, seed=2)
    csv_path = write_export(frame, tmp_path / "export.csv")
    dataset = load_dataset(LoadRequest("la-collisions", source="file", path=str(csv_path)))
    assert_matches(dataset, frame)
    assert (dataset.provenance.source, dataset.provenance.location) == ("file", str(csv_path))
    assert not dataset.provenance.synthetic

    parquet_path = tmp_path / "export.parquet"
    pd.read_csv(csv_path, dtype=str).to_parquet(parquet_path)
    copy = load_dataset(LoadRequest("la-collisions", source="file", path=str(parquet_path)))
    assert copy.provenance.sha256 == dataset.provenance.sha256

    first = load_dataset(LoadRequest("la-collisions", source="file", path=str(csv_path), rows=100))
    assert_matches(first, frame.iloc[:100])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("other.csv", b"a,b\n1,2\n", "not the LA collision schema: missing columns DR Number, Date Reported"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe\xfa\x81,\x90\n\xc3\x28", "not a readable CSV file"),
        ("broken.parquet", b"DR Number\n1\n", "not a readable parquet file"),
    ],
)
def test_a_bad_file_is_a_data_error_naming_it(home, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        load_dataset(LoadRequest("la-collisions", source="file", path=str(path)))
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_download_source_caches_a_parquet_then_loads_it_offline(home):
    frame = synthetic_collisions(700, seed=9)
    server = soda_server(frame)
    try:
        request = LoadRequest("la-collisions", source="download", options=(("soda_url", server.url),))
        dataset = load_dataset(request)
        assert len(server.requests) == 2  # the count, then one page (short, so the last)
    finally:
        server.close()
    assert_matches(dataset, frame)
    assert (dataset.provenance.source, dataset.provenance.location) == ("download", server.url)
    cached = download_cache(server.url)
    assert cached.is_file() and cached.is_relative_to(home)
    assert not (cached.parent / cached.stem).exists()  # the pages were removed

    offline = load_dataset(request)  # the server is gone: this can only come from the cache
    assert offline.provenance.sha256 == dataset.provenance.sha256
    assert any("from the cache" in note for note in offline.provenance.notes)
    auto = load_dataset(LoadRequest("la-collisions", source="auto", options=(("soda_url", server.url),)))
    assert auto.provenance.source == "download" and auto.provenance.sha256 == dataset.provenance.sha256


def test_auto_prefers_a_real_export_then_falls_back_to_synthetic(home, tmp_path, monkeypatch):
    fallback = load_dataset(LoadRequest("la-collisions", source="auto", rows=800))
    assert fallback.provenance.synthetic
    assert "no real copy found; using the synthetic stand-in" in fallback.provenance.notes
    assert_matches(fallback, synthetic_collisions(800, seed=0))

    frame = synthetic_collisions(300, seed=1)
    home.mkdir(parents=True, exist_ok=True)
    in_home = write_export(frame, home / EXPORT_NAME)
    dataset = load_dataset(LoadRequest("la-collisions", source="auto"))
    assert (dataset.provenance.source, dataset.provenance.location) == ("file", str(in_home))
    assert_matches(dataset, frame)

    data_folder = tmp_path / "elsewhere"
    data_folder.mkdir()
    other = synthetic_collisions(200, seed=3)
    in_data = write_export(other, data_folder / EXPORT_NAME)
    monkeypatch.setenv("TRAINBOARD_DATA", str(data_folder))
    dataset = load_dataset(LoadRequest("la-collisions", source="auto"))
    assert dataset.provenance.location == str(in_data)
    assert_matches(dataset, other)


def test_offered_offline():
    loader = get_loader("la-collisions")
    assert loader.availability().offline
    assert loader.sources == ("auto", "file", "download", "synthetic")
