"""Exploratory data analysis of a table: the exact profile of every column (profile.py), alerts with
leakage among them (alerts/), and the numbers behind the figures (views.py). Pure pandas/numpy;
modules import downwards only: profile <- alerts <- this file, profile <- views."""

from core.eda.alerts import Alert, Thresholds, find_alerts
from core.eda.profile import ColumnProfile, column_kinds, dataset_frame, profile, profile_table

__all__ = [
    "Alert",
    "ColumnProfile",
    "Thresholds",
    "column_kinds",
    "dataset_frame",
    "find_alerts",
    "profile",
    "profile_table",
]
