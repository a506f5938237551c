"""The Explore page's caches (ui/explore_cache.py): keyed by the data's sha256 and target plus the small values a
result depends on, so the same dataset and spec hit the cache and a changed spec or control computes anew."""

import pytest

import core.eda.views as eda_views
import core.preprocess.pipeline as pipeline
from core.datasets import LoadRequest, load_dataset
from core.preprocess import PreprocessSpec
from ui import explore_cache


def la(rows: int = 400, seed: int = 0):
    return load_dataset(LoadRequest("la-collisions", source="synthetic", rows=rows, seed=seed))


@pytest.fixture(autouse=True)
def empty_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def count_calls(monkeypatch, module, name: str) -> list:
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_key_is_the_datas_sha256_and_target():
    assert explore_cache.dataset_key(la()) == explore_cache.dataset_key(la())
    assert explore_cache.dataset_key(la()) == (la().provenance.sha256, "Victim Sex")
    assert explore_cache.dataset_key(la(rows=300)) != explore_cache.dataset_key(la())
    assert explore_cache.dataset_key(la(seed=1)) != explore_cache.dataset_key(la())


def test_the_same_dataset_and_spec_preview_once_and_a_changed_spec_again(monkeypatch):
    calls = count_calls(monkeypatch, pipeline, "preview")
    dataset = la()
    spec = PreprocessSpec(drop_columns=("DR Number",)).to_json()
    first = explore_cache.preview_summary(*explore_cache.dataset_key(dataset), spec, 0, dataset)
    again = explore_cache.preview_summary(*explore_cache.dataset_key(la()), spec, 0, la())  # a new load, same data
    assert len(calls) == 1 and again == first
    changed = PreprocessSpec(drop_columns=("DR Number",), drop_duplicates=True).to_json()
    explore_cache.preview_summary(*explore_cache.dataset_key(dataset), changed, 0, dataset)
    explore_cache.preview_summary(*explore_cache.dataset_key(dataset), spec, 1, dataset)  # another split seed
    other = la(rows=300)
    explore_cache.preview_summary(*explore_cache.dataset_key(other), spec, 0, other)
    assert len(calls) == 4
    explore_cache.preview_summary(*explore_cache.dataset_key(dataset), changed, 0, dataset)
    assert len(calls) == 4


def test_a_control_recomputes_its_own_figure_only(monkeypatch):
    correlations = count_calls(monkeypatch, eda_views, "correlation_matrix")
    groupings = count_calls(monkeypatch, eda_views, "grouped_distribution")
    dataset = la()
    key = explore_cache.dataset_key(dataset)
    explore_cache.correlation(*key, "pearson", dataset)
    explore_cache.grouped(*key, "Victim Age", "Area Name", dataset)
    explore_cache.correlation(*key, "pearson", dataset)
    explore_cache.correlation(*key, "spearman", dataset)
    explore_cache.correlation(*key, "pearson", dataset)
    assert [c[1] for c in correlations] == ["pearson", "spearman"]
    assert len(groupings) == 1


def test_profile_and_alerts_are_computed_once_per_dataset(monkeypatch):
    import ui.explore_cache as module

    calls = count_calls(monkeypatch, module, "find_alerts")
    dataset = la()
    profiles, alerts = explore_cache.analyse(*explore_cache.dataset_key(dataset), dataset)
    assert explore_cache.analyse(*explore_cache.dataset_key(dataset), dataset) == (profiles, alerts)
    assert len(calls) == 1 and alerts


def test_projections_tsne_included_are_computed_once(monkeypatch):
    calls = count_calls(monkeypatch, eda_views, "projection")
    digits = load_dataset(LoadRequest("digits"))
    sha = digits.provenance.sha256
    first = explore_cache.projection(sha, "tsne", 200, 0, digits)
    again = explore_cache.projection(sha, "tsne", 200, 0, digits)
    assert len(calls) == 1 and again.equals(first)
    explore_cache.projection(sha, "pca", 200, 0, digits)
    explore_cache.projection(sha, "pca", 300, 0, digits)  # another number of rows
    assert [(c[1]) for c in calls] == ["tsne", "pca", "pca"]
