"""What the figure modules share: the standard height and margins, the figure that says there is nothing to
show yet, and the test for a number that can be drawn."""

from __future__ import annotations

import math
import numbers

import plotly.graph_objects as go

HEIGHT = 420
MARGIN = dict(t=70, b=40)


def _empty(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=14))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(title=f"{title}: nothing yet", height=260, margin=MARGIN)
    return figure


def _finite(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
