"""Exploratory data analysis of a table: the exact profile of every column (profile.py), alerts with
leakage among them (alerts/), and the numbers behind the figures (views.py). Pure pandas/numpy;
modules import downwards only: profile <- alerts <- this file, profile <- views. Nothing here
needs a train/test split: any table and any target (classes or a quantity) can be explored."""

from core.eda.alerts import Alert, Thresholds, find_alerts
from core.eda.profile import (
    ColumnProfile,
    column_kinds,
    dataset_frame,
    dataset_kinds,
    profile,
    profile_table,
    target_kind,
)
from core.eda.values import is_quantity

__all__ = [
    "Alert",
    "ColumnProfile",
    "Thresholds",
    "column_kinds",
    "dataset_frame",
    "dataset_kinds",
    "find_alerts",
    "is_quantity",
    "profile",
    "profile_table",
    "target_kind",
]
