import pytest

from core.errors import DataError
from core.paths import data_dir
from core.uploads import save_uploads


def test_single_upload_returns_the_file_and_several_the_folder():
    single = save_uploads([("a.csv", b"x,y\n1,2\n")])
    assert single.read_bytes() == b"x,y\n1,2\n" and single.parent.parent == data_dir() / "uploads"
    folder = save_uploads([("one.gz", b"1"), ("two.gz", b"2")])
    assert sorted(p.name for p in folder.iterdir()) == ["one.gz", "two.gz"]


def test_path_parts_in_names_are_ignored():
    saved = save_uploads([("../../evil.csv", b"a")])
    assert saved.name == "evil.csv" and (data_dir() / "uploads") in saved.parents


def test_over_the_limit_and_empty_uploads_are_refused_before_writing():
    before = set((data_dir() / "uploads").rglob("*")) if (data_dir() / "uploads").exists() else set()
    with pytest.raises(DataError, match=r"big.csv: 2.0 MB is over the upload limit of 1 MB"):
        save_uploads([("ok.csv", b"1"), ("big.csv", b"0" * 2_000_000)], limit_mb=1)
    with pytest.raises(DataError, match="empty.csv: the uploaded file is empty"):
        save_uploads([("empty.csv", b"")])
    after = set((data_dir() / "uploads").rglob("*")) if (data_dir() / "uploads").exists() else set()
    assert after == before


def test_as_uploaded_shortens_saved_uploads_to_their_names_and_leaves_other_paths():
    from core.uploads import as_uploaded

    saved = save_uploads([("junk.csv", b"1")])
    assert as_uploaded(f"{saved}: not a text table") == "junk.csv: not a text table"
    assert as_uploaded("/home/me/junk.csv: not a text table") == "/home/me/junk.csv: not a text table"
