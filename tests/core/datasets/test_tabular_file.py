import pandas as pd
import pytest

from core.datasets import LoadRequest, load_dataset, make_split
from core.datasets.tabular_file import read_columns, read_table
from core.errors import DataError
from tests.conftest import REAL_SAMPLE

needs_sample = pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason="../shared/data real sample not present")


@needs_sample
def test_real_la_sample_through_the_csv_source():
    raw = pd.read_csv(REAL_SAMPLE)
    dataset = load_dataset(LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target="Area_Name"))
    assert dataset.rows == len(raw) == 3572
    assert len(dataset.classes) == raw["Area_Name"].nunique()
    assert dataset.class_counts() == raw["Area_Name"].value_counts().to_dict()
    assert "Area_Name" not in dataset.features.columns
    assert dataset.features["Victim_Age"].isna().sum() == 581
    assert dataset.feature_types["Victim_Age"] == "numeric"
    assert dataset.feature_types["Victim_Sex"] == "categorical"
    split = make_split(dataset)
    assert sum(split.sizes().values()) == 3572


@needs_sample
def test_real_sample_with_sex_target_drops_blank_targets():
    dataset = load_dataset(LoadRequest("csv", source="file", path=str(REAL_SAMPLE), target="Victim_Sex"))
    assert dataset.rows == 3572 - 26
    assert set(dataset.classes) == {"F", "M", "X", "H"}


def test_semicolon_latin1_file_is_detected(tmp_path):
    path = tmp_path / "euro.csv"
    path.write_bytes("ville;taille;classe\nMontréal;1,5;a\nZürich;2,5;b\nGenève;3,5;a\n".encode("latin-1"))
    frame, how = read_table(path)
    assert how == {"format": "csv", "delimiter": ";", "encoding": "latin-1"}
    assert frame["ville"].tolist() == ["Montréal", "Zürich", "Genève"]


def test_parquet_and_columns(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "label": list("xyxyxy")}).to_parquet(path)
    assert read_columns(path) == ["a", "label"]
    dataset = load_dataset(LoadRequest("csv", source="file", path=str(path), target="label"))
    assert dataset.classes == ("x", "y") and dataset.rows == 6


@pytest.mark.parametrize(
    ("content", "target", "message"),
    [
        (b"", "y", "the file is empty"),
        (b"x,y\n", "y", "has a header but no rows"),
        (b"x,y\n1,a\n2,b\n", "label", "target column 'label' not found; columns: x, y"),
    ],
)
def test_bad_files_name_the_file_and_problem(tmp_path, content, target, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        load_dataset(LoadRequest("csv", source="file", path=str(path), target=target))
    assert "bad.csv" in str(info.value)


def test_auto_source_means_file_for_the_csv_loader(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x,y\n" + "".join(f"{i},{'ab'[i % 2]}\n" for i in range(12)))
    dataset = load_dataset(LoadRequest("csv", path=str(path), target="y"))
    assert dataset.provenance.source == "file" and dataset.class_counts() == {"a": 6, "b": 6}


def test_csv_needs_a_target_and_a_path(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("x,y\n1,a\n")
    with pytest.raises(DataError, match="name the target column"):
        load_dataset(LoadRequest("csv", source="file", path=str(good)))
    with pytest.raises(DataError, match="needs a path"):
        load_dataset(LoadRequest("csv", source="file", target="y"))
    with pytest.raises(DataError, match="no such file"):
        load_dataset(LoadRequest("csv", source="file", path=str(tmp_path / "nope.csv"), target="y"))
