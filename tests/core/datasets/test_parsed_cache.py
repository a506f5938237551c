"""Parsed tables kept as parquet (core/datasets/parsed_cache.py): the LA stand-in and a whole CSV export are made
once and read back after, the same table to the last value; a changed file, a damaged copy or a cache that cannot
be written never gives the wrong table or an error."""

import os
import time

import pandas as pd
import pytest

from core.datasets import la_collisions, parsed_cache
from core.datasets.la_synthetic import synthetic_collisions
from core.datasets.registry import LoadRequest, load_dataset
from tests.core.datasets.test_la_loader import assert_matches, write_export

ROWS = 600


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRAINBOARD_DATA", raising=False)
    monkeypatch.setattr(parsed_cache, "MIN_ROWS", 100)  # small tables are not kept: these stand for big ones
    return tmp_path / "home"


@pytest.fixture
def generated(monkeypatch):
    """Counts the stand-in's generations."""
    calls = []

    def counting(rows, seed):
        calls.append((rows, seed))
        return synthetic_collisions(rows, seed)

    monkeypatch.setattr(la_collisions, "synthetic_collisions", counting)
    return calls


def kept_files(home):
    return sorted((home / "cache" / "la-collisions").glob(f"parsed-*{parsed_cache.SUFFIX}"))


def test_the_stand_in_is_generated_once_and_read_back_the_same(home, generated):
    request = LoadRequest("la-collisions", source="synthetic", rows=ROWS, seed=3)
    first = load_dataset(request)
    second = load_dataset(request)
    assert generated == [(ROWS, 3)] and len(kept_files(home)) == 1
    assert_matches(second, synthetic_collisions(ROWS, seed=3))
    pd.testing.assert_frame_equal(second.features, first.features)
    assert second.provenance.sha256 == first.provenance.sha256


def test_another_seed_or_size_is_another_table(home, generated):
    for rows, seed in ((ROWS, 1), (ROWS, 2), (ROWS + 1, 1)):
        load_dataset(LoadRequest("la-collisions", source="synthetic", rows=rows, seed=seed))
    assert generated == [(ROWS, 1), (ROWS, 2), (ROWS + 1, 1)] and len(kept_files(home)) == 3


def test_a_small_table_is_not_kept(home, generated, monkeypatch):
    monkeypatch.setattr(parsed_cache, "MIN_ROWS", ROWS + 1)
    request = LoadRequest("la-collisions", source="synthetic", rows=ROWS, seed=0)
    load_dataset(request)
    load_dataset(request)
    assert len(generated) == 2 and kept_files(home) == []


def test_a_damaged_copy_is_made_again_and_replaced(home, generated):
    request = LoadRequest("la-collisions", source="synthetic", rows=ROWS, seed=0)
    load_dataset(request)
    (kept,) = kept_files(home)
    kept.write_bytes(kept.read_bytes()[:100])  # truncated
    dataset = load_dataset(request)
    assert len(generated) == 2
    assert_matches(dataset, synthetic_collisions(ROWS, seed=0))
    load_dataset(request)
    assert len(generated) == 2  # the copy written again is read


def test_a_cache_that_cannot_be_written_costs_only_the_time(home, generated, monkeypatch):
    def refuse(path, write):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parsed_cache, "write_atomic", refuse)
    request = LoadRequest("la-collisions", source="synthetic", rows=ROWS, seed=0)
    for _ in range(2):
        assert_matches(load_dataset(request), synthetic_collisions(ROWS, seed=0))
    assert len(generated) == 2


def test_a_whole_export_is_parsed_once_and_again_when_the_file_changes(home, tmp_path, monkeypatch):
    parses = []
    real_parse = la_collisions._parse_csv
    monkeypatch.setattr(la_collisions, "_parse_csv", lambda *a, **k: parses.append(a[0]) or real_parse(*a, **k))
    export = write_export(synthetic_collisions(ROWS, seed=5), tmp_path / "export.csv")
    request = LoadRequest("la-collisions", source="file", path=str(export))
    load_dataset(request)
    assert_matches(load_dataset(request), synthetic_collisions(ROWS, seed=5))
    assert len(parses) == 1
    write_export(synthetic_collisions(ROWS, seed=6), export)  # the same path, other rows
    assert_matches(load_dataset(request), synthetic_collisions(ROWS, seed=6))
    assert len(parses) == 2
    load_dataset(LoadRequest("la-collisions", source="file", path=str(export), rows=ROWS // 2))
    assert len(parses) == 3  # the first rows only: parsed, not kept
    assert len(kept_files(home)) == 2


def test_the_least_recently_read_copies_go_when_the_folder_outgrows_its_limit(home, generated, monkeypatch):
    first, second, third = (LoadRequest("la-collisions", source="synthetic", rows=ROWS, seed=s) for s in (1, 2, 3))
    load_dataset(first)
    load_dataset(second)
    one_copy = max(p.stat().st_size for p in kept_files(home))  # copies of ROWS rows: about the same size
    monkeypatch.setattr(parsed_cache, "MAX_CACHE_BYTES", int(2.5 * one_copy))
    past = time.time() - 60
    for path in kept_files(home):
        os.utime(path, (past, past))
    load_dataset(first)  # read back: now the most recent of the two
    load_dataset(third)  # a third copy: the folder would hold three, room for two
    assert len(kept_files(home)) == 2
    generated.clear()
    load_dataset(first)
    load_dataset(third)
    assert generated == []  # both still kept: the copy of seed 2, read least recently, went
    load_dataset(second)
    assert generated == [(ROWS, 2)]
