"""Trainboard: the router. Each page lives in pages/; the logic lives in core/."""

import streamlit as st

st.set_page_config(page_title="Trainboard", page_icon=":material/monitoring:", layout="wide")

pages = [
    st.Page("pages/data.py", title="Data", icon=":material/database:", default=True),
    st.Page("pages/explore.py", title="Explore", icon=":material/query_stats:"),
]
st.navigation(pages).run()
