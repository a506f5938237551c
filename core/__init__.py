"""Trainboard's engine: everything the pages and the command line share. Never imports streamlit."""
