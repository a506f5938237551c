"""Safe by default: the app listens on this machine only, and served to a network the Data page reads no paths."""

import tomllib

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


@pytest.fixture
def server_address():
    """Set server.address for one test (AppTest runs the page in this process), then put it back."""
    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


def csv_file_form() -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "data.py"), default_timeout=60).run()
    at.selectbox(key="data_name").set_value("csv").run()
    assert at.radio(key="data_source_csv").value == "file"
    return at


def test_the_repository_config_binds_this_machine_and_hides_the_deploy_toolbar():
    settings = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["browser"]["gatherUsageStats"] is False
    assert settings["client"]["toolbarMode"] == "minimal"
    assert settings["runner"]["postScriptGC"] is False


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_on_this_machine_a_file_can_be_named_by_path(server_address, address):
    server_address(address)
    at = csv_file_form()
    assert [t.key for t in at.text_input if t.key == "data_path_csv"]
    assert not [c for c in at.caption if "Uploads only" in c.value]


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "::", ""])
def test_served_to_a_network_the_page_takes_uploads_only_and_says_why(server_address, address):
    server_address(address)
    at = csv_file_form()
    assert not [t for t in at.text_input if t.key == "data_path_csv"]
    assert [c for c in at.caption if "Uploads only" in c.value and "127.0.0.1" in c.value]
    assert not at.exception
