"""AppTest of the Studies page: the configurations of a study with a Run button each, an exercise run from the
page, and a reproduction's stored run set beside the study's figure."""

from streamlit.testing.v1 import AppTest

from core.reproduce import get_reproduction
from core.reproduce.runner import start
from core.runs import jobs
from tests.conftest import REPO, needs_fashion
from ui.run_store import run_store

PAGE = str(REPO / "app_pages" / "studies.py")


def page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def test_each_configuration_has_a_row_and_an_exercise_runs_from_the_page():
    at = page()
    assert not at.exception and not at.error
    assert at.selectbox(key="st_study").value == "keras-callbacks"
    assert "st_run_keras-model3-relu-he" in {b.key for b in at.button}
    at.selectbox(key="st_study").set_value("logbook").run()
    assert "st_run_gate-and" in {b.key for b in at.button}
    at.button(key="st_run_gate-and").click().run()
    # its own row shows the result at once (it was drawn before the exercise ran, and stayed stale until a click)
    assert any(c.value.startswith("Ours: ") and "18" in c.value for c in at.caption)
    at.selectbox(key="st_chosen").set_value("gate-and").run()
    assert not at.exception
    (table,) = [frame.value for frame in at.dataframe]
    rows = dict(zip(table["figure"], table["ours"], strict=True))
    assert rows["first epoch below the threshold"] == 18


@needs_fashion
def test_a_stored_run_of_a_reproduction_is_set_beside_the_published_figure():
    store = run_store()
    run_id = start(get_reproduction("lenet"), store, limit=400, epochs=1)
    assert jobs.run_inline(run_id, store).status == "finished"
    at = page()
    at.selectbox(key="st_study").set_value("logbook").run()
    at.selectbox(key="st_chosen").set_value("lenet").run()
    assert not at.exception and not at.error
    (table,) = [frame.value for frame in at.dataframe]
    assert table["published"].tolist() == [0.84] and 0.0 <= table["ours"].iloc[0] <= 1.0
    assert any(run_id in c.value for c in at.caption)  # names the run it read
    assert any("Ours: test accuracy" in c.value for c in at.caption)  # the row shows our figure too
