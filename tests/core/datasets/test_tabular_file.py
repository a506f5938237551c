import gzip
import json
import os
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.datasets import LoadRequest, load_dataset, make_split
from core.datasets.file_format import SNIFF_BYTES, detect_decimal, detect_delimiter, detect_encoding
from core.datasets.tabular_file import read_columns, read_table, read_table_with_notes
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
    assert how == {"format": "csv", "delimiter": ";", "encoding": "cp1252", "decimal": ","}
    assert frame["ville"].tolist() == ["Montréal", "Zürich", "Genève"]
    assert frame["taille"].tolist() == [1.5, 2.5, 3.5]


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


def load_csv(path, target="y", **options):
    return load_dataset(LoadRequest("csv", path=str(path), target=target, options=tuple(options.items())))


def test_european_export_has_numbers_not_categories(tmp_path):
    path = tmp_path / "export.csv"
    rows = "".join(f"{i + 1}.{i:03d},{i % 10};{i % 10},5;{'ab'[i % 2]}\n" for i in range(300))
    path.write_text("Betrag;Menge;y\n" + rows, encoding="utf-8")
    dataset = load_csv(path)
    assert dataset.provenance.notes[0] == "read as format 'csv', delimiter ';', encoding 'utf-8', decimal ','"
    features = dataset.features
    assert features["Betrag"].dtype == "float64" and features["Menge"].dtype == "float64"
    assert features["Betrag"].iloc[:3].tolist() == [1000.0, 2001.1, 3002.2]
    assert features["Menge"].iloc[:3].tolist() == [0.5, 1.5, 2.5]
    assert dataset.feature_types == {"Betrag": "numeric", "Menge": "numeric"}


@pytest.mark.parametrize(
    ("sample", "delimiter", "decimal"),
    [
        ("a;b\n12,5;1.234,56\n", ";", ","),
        ("Preis, EUR;Menge\n1,5;2,5\n3,5;4,5\n", ";", ","),  # a comma in a name does not make "," the delimiter
        ("a;b\n12.5;1,234.5\n", ";", "."),
        ("a;b\n1,250;2,500\n", ";", ","),  # only ambiguous values: a ";" file means a decimal comma
        ("a|b\n1,250|2,500\n", "|", "."),
        ('a,b\n"1,5",2.5\n', ",", "."),  # between commas pandas cannot take a decimal comma
        ("a\tb\n0,5\t7\n", "\t", ","),
        ("only\n1\n2\n", ",", "."),
    ],
)
def test_delimiter_and_decimal_detection(tmp_path, sample, delimiter, decimal):
    path = tmp_path / "s.csv"
    path.write_text(sample)
    assert detect_delimiter(path, "utf-8") == delimiter
    assert detect_decimal(sample, delimiter) == decimal


def test_delimiter_and_decimal_options_override_detection(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("price;y\n1,250;a\n2,500;b\n3,750;a\n1,000;b\n2,250;a\n3,500;b\n")
    assert load_csv(path).features["price"].tolist()[:2] == [1.25, 2.5]  # ";" file: a decimal comma
    grouped = load_csv(path, decimal=".")
    assert grouped.features["price"].tolist()[:2] == [1250.0, 2500.0]  # the comma groups thousands
    assert "decimal '.'" in grouped.provenance.notes[0]
    tabbed = tmp_path / "tabbed.txt"
    tabbed.write_text("a,b\tc\n1,5\tx\n2,5\ty\n")
    frame, how = read_table(tabbed, delimiter="tab", decimal=",")
    assert list(frame.columns) == ["a,b", "c"] and frame["a,b"].tolist() == [1.5, 2.5]
    with pytest.raises(DataError, match=r"option 'decimal': ';' is not one of auto, \., ,"):
        load_csv(path, decimal=";")
    with pytest.raises(DataError, match="prices.csv: the delimiter and the decimal mark cannot both be ','"):
        read_table(path, delimiter=",", decimal=",")


def test_decimal_option_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text("x;y\n1,5;a\n2,5;b\n3,5;a\n4,5;b\n5,5;a\n6,5;b\n")
    args = ["data", "info", "csv", "--path", str(path), "--target", "y", "--json"]
    assert main([*args, "--option", "decimal=,", "--option", "delimiter=;"]) == 0
    info = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert info["feature_types"] == {"x": "numeric"}
    assert info["notes"][0] == "read as format 'csv', delimiter ';', encoding 'utf-8', decimal ','"
    assert main([*args, "--option", "decimal=x"]) == 2
    assert capsys.readouterr().err == "error: option 'decimal': 'x' is not one of auto, ., ,\n"


def test_utf8_is_tried_first_also_inside_gzip(tmp_path):
    path = tmp_path / "cities.csv.gz"
    path.write_bytes(gzip.compress("ville,y\nZürich,a\nGenève,b\nKøbenhavn,a\n".encode()))
    frame, how = read_table(path)
    assert how == {"format": "csv", "delimiter": ",", "encoding": "utf-8", "decimal": ".", "compression": "gzip"}
    assert frame["ville"].tolist() == ["Zürich", "Genève", "København"]
    # A gzip whatever its name; and a character cut in two by the end of the sample is still UTF-8.
    disguised = tmp_path / "disguised.csv"
    disguised.write_bytes(gzip.compress(b"a,b\n" + b"x" * (SNIFF_BYTES - 5) + "é,1\n".encode()))
    assert detect_encoding(disguised) == "utf-8"
    assert read_table(disguised)[0]["a"].iloc[0].endswith("xé")


def test_windows_1252_when_not_utf8(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("item,price\ncafé,5 €\n".encode("cp1252"))
    frame, how = read_table(path)
    assert how["encoding"] == "cp1252" and frame.iloc[0].tolist() == ["café", "5 €"]
    late = tmp_path / "late.csv"  # UTF-8 as far as the sample goes, then one Windows byte
    late.write_bytes(b"a,b\n" + b"xxxxxxxxx,1\n" * (SNIFF_BYTES // 10) + "café,2\n".encode("cp1252"))
    table = read_table_with_notes(late)
    assert table.how["encoding"] == "cp1252" and table.frame["a"].iloc[-1] == "café"
    assert table.notes == ("not utf-8 after its first 256 KiB: read as cp1252",)
    undefined = tmp_path / "undefined.csv"  # 0x81 means nothing in cp1252
    undefined.write_bytes(b"a,b\n\x81\xe9,1\n")
    assert read_table(undefined)[1]["encoding"] == "latin-1"
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes("\ufeffname,y\né,1\n".encode())
    frame, how = read_table(with_bom)
    assert how["encoding"] == "utf-8-sig" and list(frame.columns) == ["name", "y"]


def write_zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_zip_of_one_table_is_read_whatever_its_name(tmp_path):
    path = write_zip(tmp_path / "download.csv", {"export/data.csv": "x,y\n1,a\n2,b\n"})
    frame, how = read_table(path)
    assert how["compression"] == "zip" and how["member"] == "export/data.csv"
    assert frame.to_dict("list") == {"x": [1, 2], "y": ["a", "b"]}
    # One table and a readme: the table. A parquet file in a zip too.
    with_readme = write_zip(tmp_path / "r.zip", {"data.csv": "x,y\n1,a\n", "README.txt": "about"})
    assert read_table(with_readme)[1]["member"] == "data.csv"
    parquet = tmp_path / "t.parquet"
    pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}).to_parquet(parquet)
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as archive:
        archive.write(parquet, "t.parquet")
    frame, how = read_table(tmp_path / "p.zip")
    assert how == {"format": "parquet", "compression": "zip", "member": "t.parquet"} and len(frame) == 2


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.csv": "x\n1\n", "b.csv": "x\n2\n", "c.txt": "hi"},
            "x.zip: a zip archive of 3 files (a.csv, b.csv, c.txt); unpack the one you want",
        ),
        ({"notes.docx": "hi", "c.txt": "hi"}, "x.zip: a zip archive of 2 files (notes.docx, c.txt); none is a CSV"),
        ({}, "x.zip: an empty zip archive"),
        ({"xl/workbook.xml": "<x/>", "[Content_Types].xml": "<x/>"}, "x.zip: an Excel workbook, not a CSV"),
    ],
)
def test_zip_without_one_table_is_refused_by_name(tmp_path, files, message):
    path = write_zip(tmp_path / "x.zip", files)
    with pytest.raises(DataError) as info:
        read_table(path)
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_blank_and_repeated_column_names_made_unique(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("a,a,,b,a,y\n" + "1,2,3,4,5,x\n6,7,8,9,10,z\n" * 3)
    assert read_columns(path) == ["a", "a_2", "column_3", "b", "a_3", "y"]
    dataset = load_csv(path)
    assert list(dataset.features.columns) == ["a", "a_2", "column_3", "b", "a_3"]
    assert dataset.provenance.notes[1] == (
        "renamed columns: 'a' (repeated) -> 'a_2'; column 3 (no name) -> 'column_3'; 'a' (repeated) -> 'a_3'"
    )
    clash = tmp_path / "clash.csv"
    clash.write_text("a,a,a_2\n1,2,3\n")
    assert list(read_table(clash)[0].columns) == ["a", "a_3", "a_2"]


def test_infinite_and_huge_values_become_missing_and_empty_columns_go(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("x,z,empty,,y\n1,inf,,,a\n2,-Infinity,,,b\n1e301,3,,,a\n4,-2e305,,,b\n5,5,,,a\n6,6,,,b\n")
    dataset = load_csv(path)
    nan = float("nan")
    expected = pd.DataFrame({"x": [1.0, 2.0, nan, 4.0, 5.0, 6.0], "z": [nan, nan, 3.0, nan, 5.0, 6.0]})
    pd.testing.assert_frame_equal(dataset.features, expected)
    assert dataset.provenance.notes[1:] == (
        "renamed columns: column 4 (no name) -> 'column_4'",
        "column 'x': 1 infinite or huge values (beyond ±1e300) made missing",
        "column 'z': 3 infinite or huge values (beyond ±1e300) made missing",
        "dropped empty columns: 'empty', 'column_4'",
    )
    assert read_columns(path) == ["x", "z", "empty", "column_4", "y"]  # the picker still offers them


def test_an_empty_target_is_kept_to_be_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x,y\n1,\n2,\n")
    with pytest.raises(DataError, match="target column 'y' has no values"):
        load_csv(path)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="needs POSIX permissions")
def test_unreadable_file_is_one_line_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "locked.csv"
    path.write_text("x,y\n1,a\n2,b\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        with pytest.raises(DataError, match=r"locked.csv: cannot read it \(permission denied\)$"):
            read_table(path)
        assert main(["data", "info", "csv", "--path", str(path), "--target", "y"]) == 2
        assert capsys.readouterr().err == f"error: {path}: cannot read it (permission denied)\n"
    finally:
        path.chmod(0o644)


def test_permission_denied_seen_even_as_root(tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_text("x,y\n1,a\n")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(DataError, match=r"locked.csv: cannot read it \(permission denied\)$"):
        read_table(path)


def test_not_a_text_table_and_long_rows_are_said(tmp_path):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DataError, match="image.csv: not a text table"):
        read_table(binary)
    broken = tmp_path / "broken.csv.gz"
    whole = gzip.compress(b"x,y\n" + "".join(f"{i * 7919 % 10007},{i}\n" for i in range(5000)).encode())
    broken.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match="broken.csv.gz: a damaged or truncated archive"):
        read_table(broken)
    long_rows = tmp_path / "long.csv"
    long_rows.write_text("a,b\n1,2,3\n4,5,6\n")
    table = read_table_with_notes(long_rows)
    assert table.frame.to_dict("list") == {"a": [1, 4], "b": [2, 5]}  # not shifted onto the index
    assert table.notes == ("rows with more fields than the header: the extra fields were dropped",)


def test_column_kinds_through_the_loader(tmp_path):
    n = 40
    frame = pd.DataFrame(
        {
            "reported": [f"01/{d % 28 + 1:02d}/2013 12:00:00 AM" for d in range(n)],
            "occurred": [f"2013-01-{d % 28 + 1:02d}" for d in range(n)],
            "Time Occurred": [(d * 37) % 24 * 100 + (d * 13) % 60 for d in range(n)],
            "crash hour": [d % 24 for d in range(n)],
            "rating": [d % 5 + 1 for d in range(n)],
            "case": [f"C{d:05d}" for d in range(n)],
            "fatal": ["yes", "no"] * (n // 2),
            "area": list("ABCD") * (n // 4),
            "age": [20.5 + d for d in range(n)],
            "y": ["a", "b"] * (n // 2),
        }
    )
    frame.loc[0, "Time Occurred"] = 2359
    path = tmp_path / "kinds.csv"
    frame.to_csv(path, index=False)
    dataset = load_csv(path)
    assert dataset.feature_kinds == {
        "reported": "datetime",
        "occurred": "datetime",
        "Time Occurred": "time_of_day",
        "crash hour": "time_of_day",
        "rating": "numeric",
        "case": "text_id",
        "fatal": "boolean",
        "area": "categorical",
        "age": "numeric",
    }
    assert dataset.feature_types == {  # the base kinds, for code that knows only those
        **dataset.feature_kinds,
        "Time Occurred": "numeric",
        "crash hour": "numeric",
        "case": "categorical",
    }
    assert str(dataset.features["reported"].dtype).startswith("datetime64")
    assert dataset.features["reported"].iloc[1] == pd.Timestamp("2013-01-02")
    assert dataset.provenance.notes[1:] == (
        "column 'reported': text read as dates (%m/%d/%Y %I:%M:%S %p)",
        "column 'occurred': text read as dates (ISO8601)",
        "column kinds: time_of_day 'Time Occurred', 'crash hour'; integer codes 'rating'; text_id 'case'; "
        "boolean 'fatal'",
    )


def test_binary_bytes_without_a_nul_are_not_a_text_table(tmp_path):
    """Seen in Chromium: random bytes uploaded as a CSV read as a table with a tokenizer error, or as a header."""
    noise = tmp_path / "noise.csv"
    rng = random.Random(0)
    noise.write_bytes(bytes(rng.randrange(1, 256) for _ in range(3000)))
    with pytest.raises(DataError, match="noise.csv: not a text table \\(it holds binary bytes\\)"):
        read_table(noise)
