"""Alerts over a table: data-quality problems and, above all, leakage. One family of checks per
module, each registered on import into base.CHECKS; `find_alerts` runs them all."""

# The families register their checks on import, in this order: alerts of one severity keep it, and of two
# alerts settling one column's fate the first wins (parse a column of dates rather than drop it).
from core.eda.alerts import identity, missing, distribution, duplicates, correlation, outliers, target  # noqa: F401, I001
from core.eda.alerts import leakage  # noqa: F401, I001
from core.eda.alerts.base import ADVICE, CHECKS, DEFAULT_THRESHOLDS, Alert, Thresholds, check, find_alerts

__all__ = ["ADVICE", "CHECKS", "DEFAULT_THRESHOLDS", "Alert", "Thresholds", "check", "find_alerts"]
