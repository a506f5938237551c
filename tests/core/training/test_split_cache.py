"""The encoded-split cache: its key, reading back what was kept, damaged entries, the clean-up, and that a
second run on the same rows (in this process or another) does not encode again."""

import os
import subprocess
import sys
import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from core.datasets import LoadRequest, load_dataset, make_split
from core.errors import DataDirError
from core.paths import REPO_ROOT
from core.preprocess import PreprocessSpec, apply_row_steps
from core.training import split_cache
from core.training.config import RunConfig
from core.training.execute import prepare_data
from core.training.split_cache import encoded_split, entry_path, load_entry, split_key

LA = LoadRequest("la-collisions", source="synthetic", rows=2000)
SPEC = PreprocessSpec(drop_columns=("DR Number",))


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINBOARD_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def la():
    dataset = apply_row_steps(load_dataset(LA), SPEC)
    return dataset, make_split(dataset, seed=0)


def key(dataset, split, spec=SPEC, limit=None, seed=0):
    return split_key(dataset, spec, split, limit=limit, seed=seed)


def same_parts(a, b):
    return a.keys() == b.keys() and all(
        np.array_equal(a[p][i], b[p][i]) and a[p][i].dtype == b[p][i].dtype for p in a for i in (0, 1)
    )


class Counting:
    """Stands in for split_cache.fit_parts and counts the encodings."""

    def __init__(self):
        self.calls, self.real = 0, split_cache.fit_parts

    def __call__(self, *args):
        self.calls += 1
        return self.real(*args)


def test_the_key_is_the_same_for_the_same_inputs(la):
    dataset, split = la
    again = apply_row_steps(load_dataset(LA), PreprocessSpec.from_json(SPEC.to_json()))
    assert key(dataset, split) == key(again, make_split(again, seed=0))
    assert len(key(dataset, split)) == 64


def test_the_key_changes_when_any_input_changes(la):
    dataset, split = la
    other_rows = replace(dataset, provenance=replace(dataset.provenance, sha256="0" * 64))
    other_kinds = replace(dataset, feature_types={**dataset.feature_types, "Area ID": "numeric"})
    variants = {
        "dataset": key(other_rows, split),
        "column kinds": key(other_kinds, split),
        "spec": key(dataset, split, spec=replace(SPEC, scaling="minmax")),
        "spec seed": key(dataset, split, spec=replace(SPEC, seed=1)),
        "limit": key(dataset, split, limit=1500),
        "seed": key(dataset, split, seed=1),
        "split": key(dataset, replace(split, hash="f" * 64)),
    }
    assert key(dataset, split) not in variants.values()
    assert len(set(variants.values())) == len(variants)


def test_what_was_kept_reads_back_the_same(la, monkeypatch):
    dataset, split = la
    counting = Counting()
    monkeypatch.setattr(split_cache, "fit_parts", counting)
    features, first = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    kept_features, second = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    assert counting.calls == 1
    assert same_parts(first, second)
    X = second["train"][0]
    assert X.flags.writeable and X.flags.aligned
    X[0, 0] = 1e9  # a copy-on-write map: the run may change its arrays, the file stays as it was
    assert same_parts(encoded_split(dataset, SPEC, split, limit=None, seed=0)[1], first)
    rows = dataset.features.iloc[split.test[:20]]
    assert np.array_equal(kept_features.transform(rows), features.transform(rows))


def test_empty_parts_and_any_widths_read_back(tmp_path):
    rng = np.random.default_rng(0)
    parts = {
        "train": (rng.normal(size=(7, 3)), np.arange(7)),
        "val": (rng.normal(size=(2, 3)).astype(np.float32)[:, ::-1], np.arange(2, dtype=np.int32)),  # not contiguous
        "test": (np.empty((0, 3)), np.empty(0, dtype=np.int64)),
    }
    path = tmp_path / f"{'a' * 64}{split_cache.SUFFIX}"
    assert split_cache.save_entry(path, {"steps": 1}, parts)
    features, kept = load_entry(path)
    assert features == {"steps": 1} and same_parts(kept, parts)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1],  # one byte short
        lambda data: data + b"x",  # one byte too many
        lambda data: b"garbage" * 10,
        lambda data: b"",
        lambda data: data[:30] + b"\xff" * 40 + data[70:],  # the header overwritten
        lambda data: data[: len(data) - 10] + b"\0" * 10,  # the pickled steps damaged
    ],
    ids=["half", "short", "long", "garbage", "empty", "header", "steps"],
)
def test_a_damaged_entry_is_encoded_again_and_rewritten(la, monkeypatch, damage):
    dataset, split = la
    _, expected = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    path = entry_path(key(dataset, split))
    path.write_bytes(damage(path.read_bytes()))
    assert load_entry(path) is None
    counting = Counting()
    monkeypatch.setattr(split_cache, "fit_parts", counting)
    _, parts = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    assert counting.calls == 1 and same_parts(parts, expected)
    assert load_entry(path) is not None  # whole again


def test_workers_started_together_encode_once(la, monkeypatch):
    dataset, split = la
    counting = Counting()
    monkeypatch.setattr(split_cache, "fit_parts", counting)
    results = []
    workers = [
        threading.Thread(target=lambda: results.append(encoded_split(dataset, SPEC, split, limit=None, seed=0)[1]))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert counting.calls == 1 and len(results) == 3
    assert all(same_parts(parts, results[0]) for parts in results)


def test_a_lock_held_too_long_is_not_waited_for(tmp_path):
    path = tmp_path / f"{'b' * 64}{split_cache.SUFFIX}"
    with split_cache.encoding_lock(path) as first:
        started = time.monotonic()
        with split_cache.encoding_lock(path, wait_seconds=0.3) as second:
            assert first and not second and time.monotonic() - started >= 0.3
    with split_cache.encoding_lock(path, wait_seconds=0) as again:
        assert again  # released with its holder


def test_an_entry_under_another_key_is_not_read(la):
    dataset, split = la
    encoded_split(dataset, SPEC, split, limit=None, seed=0)
    path = entry_path(key(dataset, split))
    elsewhere = entry_path(key(dataset, split, seed=5))
    path.rename(elsewhere)
    assert load_entry(elsewhere) is None


def test_a_cache_that_cannot_be_written_costs_only_the_time(la, monkeypatch):
    dataset, split = la

    def no_folder(key):
        raise DataDirError("cannot create the folder: read-only")

    monkeypatch.setattr(split_cache, "entry_path", no_folder)
    _, parts = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    assert len(parts["train"][0]) == len(split.train)


def test_a_failed_write_leaves_no_entry(la, monkeypatch):
    dataset, split = la

    def disk_full(path, write):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(split_cache, "write_atomic", disk_full)
    _, parts = encoded_split(dataset, SPEC, split, limit=None, seed=0)
    assert len(parts["val"][0]) == len(split.val)
    assert not entry_path(key(dataset, split)).exists()


def test_images_are_not_kept():
    digits = load_dataset(LoadRequest("digits"))
    split = make_split(digits, seed=0)
    _, parts = encoded_split(digits, PreprocessSpec(), split, limit=None, seed=0)
    assert parts["train"][0].shape == (len(split.train), 64)
    assert not list(entry_path("x").parent.iterdir())


def test_the_least_recently_used_entries_go_first(tmp_path):
    now = time.time()
    for age, name in enumerate(("newest", "middle", "oldest")):
        path = tmp_path / f"{name}{split_cache.SUFFIX}"
        path.write_bytes(b"x" * 100)
        os.utime(path, (now - 100 * age, now - 100 * age))
    (tmp_path / f".newest{split_cache.SUFFIX}.1-abcdef01.part").write_bytes(b"x" * 1000)  # a write in progress
    removed = split_cache.trim(tmp_path, 150, keep=tmp_path / f"middle{split_cache.SUFFIX}")
    assert sorted(p.name for p in removed) == [f"newest{split_cache.SUFFIX}", f"oldest{split_cache.SUFFIX}"]
    assert split_cache.trim(tmp_path, 150) == []


def test_a_second_run_reads_the_encoded_split_instead_of_encoding(monkeypatch):
    config = RunConfig.build(LA, "logreg", None, SPEC.to_json(), seed=0)
    counting = Counting()
    monkeypatch.setattr(split_cache, "fit_parts", counting)
    first = prepare_data(config, lambda *progress: None)
    second = prepare_data(config, lambda *progress: None)
    assert counting.calls == 1
    assert same_parts(first.parts, second.parts) and second.split.hash == first.split.hash
    assert second.features is not None
    other_seed = prepare_data(replace(config, seed=1), lambda *progress: None)
    assert counting.calls == 2 and other_seed.split.hash != first.split.hash


def test_another_process_reads_what_this_one_kept(tmp_path):
    """The way workers share it: this process encodes, a fresh one (whose encoder would fail) reads."""
    config = RunConfig.build(LA, "logreg", None, SPEC.to_json(), seed=0)
    first = prepare_data(config, lambda *progress: None)
    out = tmp_path / "train_X.npy"
    script = f"""
import sys, numpy as np
from core.training import split_cache
from core.training.config import RunConfig
from core.training.execute import prepare_data
def refuse(*args):
    sys.exit("encoded again")
split_cache.fit_parts = refuse
config = RunConfig.from_dict({config.to_dict()!r})
np.save({str(out)!r}, prepare_data(config, lambda *progress: None).parts["train"][0])
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, env=os.environ
    )
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.load(out), first.parts["train"][0])
