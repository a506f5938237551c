"""In Chromium: the four baselines of the LA study started together on the stand-in, as a user starts them.

The preprocessing builder starts on encoding "auto"; Baselines trains rf, logreg, hgb and XGBoost from one click on
the workers that may run at once (the others show they wait for one), and all four reach the leaderboard
finished. Screenshots in test-artifacts/e2e/.
Run: python -m pytest tests/e2e/test_baselines_together.py (about a minute on 2 busy cores)
"""

from tests.e2e import journey_steps as steps
from tests.e2e.conftest import open_session

ROWS = 20_000
LA_TITLE = "LA traffic collisions (la-collisions)"
MODELS = {"rf": "Random forest (rf)", "logreg": "Logistic regression (logreg)", "hgb": "Histogram gradient "
          "boosting (hgb)", "xgboost": "XGBoost (xgboost)"}  # fmt: skip


def add_model(session, title: str) -> None:
    box = session.key("bl_models").get_by_role("combobox")
    box.click()
    box.fill(title.split(" (")[0])
    session.page.get_by_role("option", name=title, exact=True).click()
    session.page.keyboard.press("Escape")
    session.settle()


def chosen_models(session) -> list[str]:
    tags = session.key("bl_models").get_by_role("group", name="Selected values").locator("[data-tag]")
    return tags.evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")


def test_four_baselines_started_together_all_finish(server, browser):
    session = open_session(browser, server, "baselines-together")
    try:
        steps.load_dataset(session, title=LA_TITLE, source="Synthetic generator", rows=ROWS)

        session.open("Explore")
        encoding = session.page.get_by_test_id("stRadio").filter(has_text="Encode categories")
        encoding.scroll_into_view_if_needed()
        assert encoding.get_by_role("radio", name="auto").is_checked()
        session.shot("builder-auto-encoding")

        session.open("Baselines")
        for title in MODELS.values():
            if title not in chosen_models(session):
                add_model(session, title)
        assert sorted(chosen_models(session)) == sorted(MODELS.values())
        steps.fill_number(session, "bl_limit", ROWS)
        session.key("bl_train").click()
        session.settle()
        session.assert_no_exception("Baselines, four runs started")
        session.shot("four-started")
        rows = steps.wait_until(
            session,
            lambda: all(steps.finished_row(session, m) for m in MODELS) and steps.leaderboard_rows(session),
            "Baselines: rf, logreg, hgb and xgboost finished",
        )
        board = {row["model"]: row for row in rows if row.get("model") in MODELS}
        assert set(board) == set(MODELS), board  # (one split for all four: tests/app_pages/test_baselines_page.py)
        session.assert_no_exception("Baselines after training")
        session.shot("four-finished")
        session.watch.assert_clean()
    finally:
        session.page.context.close()
