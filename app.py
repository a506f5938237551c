"""Trainboard: the router. Each page lives in app_pages/ (not pages/: Streamlit treats a folder of that
name as the old automatic multipage app and shows its file names when a page URL is opened directly);
the logic lives in core/."""

from pathlib import Path

import streamlit as st

# A file, not ":material/...": Streamlit fetches a Material favicon from fonts.gstatic.com, and the app runs offline.
# (The page icons below are drawn from the Material font Streamlit serves itself.)
st.set_page_config(page_title="Trainboard", page_icon=Path(__file__).parent / "ui" / "favicon.svg", layout="wide")

pages = [
    st.Page("app_pages/data.py", title="Data", icon=":material/database:", default=True),
    st.Page("app_pages/explore.py", title="Explore", icon=":material/query_stats:"),
    st.Page("app_pages/baselines.py", title="Baselines", icon=":material/leaderboard:"),
    st.Page("app_pages/neural_nets.py", title="Neural Nets", icon=":material/neurology:"),
    st.Page("app_pages/playground.py", title="Playground", icon=":material/toys:"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/sweeps.py", title="Sweeps", icon=":material/tune:"),
    st.Page("app_pages/studies.py", title="Studies", icon=":material/menu_book:"),
]
st.navigation(pages).run()
