import socket

import pandas as pd
import pytest

from core.datasets.soda import download_soda
from core.errors import DownloadError
from tests.core.datasets.fake_soda import FakeSoda

HEADER = "dr_no,area_name,vict_age,location_1"


def table(rows: int) -> list[str]:
    return [f'{100000 + i},Area {i % 3},{20 + i},"POINT (-118.{i:04d} 34.0)"' for i in range(rows)]


@pytest.fixture
def soda():
    servers = []

    def start(rows: int) -> FakeSoda:
        servers.append(FakeSoda(header=HEADER, lines=table(rows)))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def expected_frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dr_no": [str(100000 + i) for i in range(rows)],
            "area_name": [f"Area {i % 3}" for i in range(rows)],
            "vict_age": [str(20 + i) for i in range(rows)],
            "location_1": [f"POINT (-118.{i:04d} 34.0)" for i in range(rows)],
        }
    )


def test_downloads_every_page_retrying_a_server_error(soda, tmp_path):
    server = soda(25)
    server.fail[10] = 1
    calls = []
    frame = download_soda(server.url, tmp_path, lambda f, m: calls.append((f, m)), page_size=10, backoff_seconds=0.001)
    pd.testing.assert_frame_equal(frame, expected_frame(25), check_dtype=False)
    assert server.page_requests() == [0, 10, 10, 20]  # the failed page was asked for twice
    assert calls == [
        (0.4, "downloaded 10 of 25 rows"),
        (0.8, "downloaded 20 of 25 rows"),
        (1.0, "downloaded 25 of 25 rows"),
    ]
    pages = sorted(p.name for p in tmp_path.glob("page-*.csv"))
    assert pages == ["page-000000.csv", "page-000001.csv", "page-000002.csv"]


def test_a_full_last_page_is_followed_by_an_empty_one(soda, tmp_path):
    server = soda(20)
    frame = download_soda(server.url, tmp_path, lambda f, m: None, page_size=10, backoff_seconds=0.001)
    assert len(frame) == 20
    assert server.page_requests() == [0, 10, 20]


def test_resumes_from_the_pages_already_on_disk(soda, tmp_path):
    server = soda(35)
    server.fail[20] = 99  # the third page keeps failing
    with pytest.raises(DownloadError) as caught:
        download_soda(server.url, tmp_path, lambda f, m: None, page_size=10, max_retries=2, backoff_seconds=0.001)
    message = str(caught.value)
    assert message.startswith(f"{server.url}?") and "HTTP 500" in message and "\n" not in message
    assert server.page_requests() == [0, 10, 20, 20, 20]  # 1 try + 2 retries
    assert len(list(tmp_path.glob("page-*.csv"))) == 2

    server.fail.clear()
    server.requests.clear()
    frame = download_soda(server.url, tmp_path, lambda f, m: None, page_size=10, backoff_seconds=0.001)
    pd.testing.assert_frame_equal(frame, expected_frame(35), check_dtype=False)
    assert server.page_requests() == [20, 30]  # pages 0 and 1 came from disk


def test_pages_from_another_page_size_are_not_reused(soda, tmp_path):
    server = soda(12)
    download_soda(server.url, tmp_path, lambda f, m: None, page_size=5, backoff_seconds=0.001)
    server.requests.clear()
    frame = download_soda(server.url, tmp_path, lambda f, m: None, page_size=10, backoff_seconds=0.001)
    assert len(frame) == 12
    assert server.page_requests() == [0, 10]


def test_unknown_total_reports_no_fraction(soda, tmp_path):
    server = soda(7)
    server.count_status = 500
    calls = []
    frame = download_soda(server.url, tmp_path, lambda f, m: calls.append((f, m)), page_size=10, backoff_seconds=0.001)
    assert len(frame) == 7
    assert calls == [(None, "downloaded 7 rows")]


def test_a_client_error_is_not_retried(soda, tmp_path):
    server = soda(5)
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_soda(server.url.replace("/resource/", "/nothing/"), tmp_path, lambda f, m: None, backoff_seconds=0.001)
    assert len(server.requests) == 2  # the count and the first page, each asked once


def test_an_unreachable_server_gives_up_after_the_retries(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/resource/d5tf-ez2w.csv"
    with pytest.raises(DownloadError) as caught:
        download_soda(url, tmp_path, lambda f, m: None, max_retries=2, backoff_seconds=0.001)
    assert str(caught.value).startswith(f"{url}?") and "after 3 attempts" in str(caught.value)
