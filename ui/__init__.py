"""Streamlit pieces shared by several pages (widgets, session state). Logic stays in core/."""
