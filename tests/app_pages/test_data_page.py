"""AppTest of the router and the Data page, for every dataset that loads offline."""

import pytest
from streamlit.testing.v1 import AppTest

from core.datasets import list_datasets
from tests.conftest import REAL_SAMPLE, REPO

TIMEOUT = 60


def data_page() -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "data.py"), default_timeout=TIMEOUT)
    return at.run()


def shown_text(at: AppTest) -> str:
    parts = [e.value for e in at.subheader] + [e.value for e in at.markdown] + [e.value for e in at.warning]
    return "\n".join(map(str, parts))


def test_app_router_opens_the_data_page_with_a_default_dataset():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Data"
    assert at.subheader and at.subheader[0].value.startswith(("fashion-mnist", "digits"))
    assert len(at.metric) == 7


OFFLINE = [loader.name for loader in list_datasets() if loader.availability().offline and loader.name != "csv"]


@pytest.mark.parametrize("name", OFFLINE)
def test_each_offline_dataset_loads_on_the_page(name):
    at = data_page()
    at.selectbox(key="data_name").set_value(name).run()
    sources = at.radio(key=f"data_source_{name}").options
    if "synthetic" in sources:
        at.radio(key=f"data_source_{name}").set_value("synthetic").run()
    if at.number_input and any(n.key == f"data_rows_{name}" for n in at.number_input):
        at.number_input(key=f"data_rows_{name}").set_value(3000).run()
    at.button(key="data_load").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.subheader[0].value.startswith(name)
    rows = at.metric[0].value.replace(",", "")
    assert int(rows) > 0
    # A bare count or an image shape: the quarter-width box cut "20 columns" to "20 colu…" in Chromium.
    assert at.metric[1].value.replace(",", "").replace("x", "").isdigit(), at.metric[1].value
    if "synthetic" in sources:
        assert "Synthetic" in at.subheader[0].value and at.warning
    assert len(at.get("plotly_chart")) >= 1


@pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason="../shared/data real sample not present")
def test_csv_path_with_target_then_retarget():
    at = data_page()
    at.selectbox(key="data_name").set_value("csv").run()
    at.text_input(key="data_path_csv").set_value(str(REAL_SAMPLE)).run()
    at.selectbox(key="data_target_csv").set_value("Area_Name").run()
    at.button(key="data_load").click().run()
    assert not at.exception and not at.error
    assert at.metric[0].value == "3,572" and at.metric[2].value == "21"
    at.selectbox(key="data_retarget").set_value("Weekend").run()
    assert not at.exception and not at.error
    assert at.metric[2].value == "2"


def test_bad_input_shows_one_line_error_not_a_traceback(tmp_path):
    at = data_page()
    at.selectbox(key="data_name").set_value("fashion-mnist").run()
    at.radio(key="data_source_fashion-mnist").set_value("file").run()
    at.text_input(key="data_path_fashion-mnist").set_value(str(tmp_path)).run()
    at.button(key="data_load").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "expected the four IDX files" in at.error[0].value
    assert "\n" not in at.error[0].value
