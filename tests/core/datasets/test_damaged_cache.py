"""A truncated or damaged cache file is rebuilt (and the dataset says so), never an error on every load."""

import numpy as np

from core.datasets import LoadRequest, load_dataset
from core.datasets.la_collisions import download_cache
from core.datasets.la_synthetic import synthetic_collisions
from core.paths import data_dir
from tests.core.datasets.test_la_loader import home, soda_server  # noqa: F401 (home is a fixture)


def test_a_truncated_fashion_cache_is_rebuilt_once_and_said(idx_folder, home):  # noqa: F811 (a home of its own)
    folder, _ = idx_folder
    request = LoadRequest("fashion-mnist", source="file", path=str(folder))
    first = load_dataset(request)
    (cache,) = (data_dir() / "cache" / "fashion-mnist").glob("*.npz")
    cache.write_bytes(cache.read_bytes()[:500])
    again = load_dataset(request)
    np.testing.assert_array_equal(first.features, again.features)
    assert any("was unreadable (truncated or damaged) and was rebuilt" in n for n in again.provenance.notes)
    third = load_dataset(request)
    assert not any("rebuilt" in n for n in third.provenance.notes)


def test_a_damaged_la_download_cache_is_fetched_again(home):  # noqa: F811
    frame = synthetic_collisions(300, seed=2)
    server = soda_server(frame)
    try:
        request = LoadRequest("la-collisions", source="download", options=(("soda_url", server.url),))
        first = load_dataset(request)
        download_cache(server.url).write_bytes(b"PAR1 not really parquet")
        again = load_dataset(request)
    finally:
        server.close()
    assert again.provenance.sha256 == first.provenance.sha256
    assert any("was unreadable" in n and "fetched again" in n for n in again.provenance.notes)
