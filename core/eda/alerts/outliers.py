"""Alerts on values far outside a numeric column's middle half (the IQR rule). Integer codes with few
levels (a 1-5 rating, a 0-6 weekday) are left out: a 5 among many 3s is another code, not an outlier."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from core.datasets.kinds import CODE_MAX_LEVELS, is_integer_code
from core.eda.alerts.base import Alert, Context, check, make_alert, percent
from core.eda.profile import format_value
from core.eda.values import numeric_values


@check(
    "outliers",
    "info",
    "Check whether they are errors (fix them or set them missing) or real extremes (keep them; "
    "use a robust scaler or clip).",
)
def _outliers(context: Context) -> Iterator[Alert]:
    k = context.limits.outlier_iqr
    for c in context.of_kind("numeric"):
        p = context.profiles[c]
        spread = p.q3 - p.q1
        if spread == 0:  # every value off the common one would count; that is a near-constant column
            continue
        if p.unique <= CODE_MAX_LEVELS and is_integer_code(context.frame[c]):
            continue
        values = numeric_values(context.frame[c])
        low, high = p.q1 - k * spread, p.q3 + k * spread
        count = int(np.count_nonzero((values < low) | (values > high)))
        if count:
            fences = f"[{format_value(low)}, {format_value(high)}]"
            message = f"{c} has {count:,} outliers ({percent(count / p.count)}) outside {fences} (IQR rule, k = {k})"
            yield make_alert("outliers", (c,), count, message)
