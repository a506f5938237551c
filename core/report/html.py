"""The HTML page every report shares: plotly.js and the styles inline, so the file opens offline
with no external script or font."""

from __future__ import annotations

import html
import numbers
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from core.atomic import write_atomic

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1200px;
       color: #222; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.3rem; }
table { border-collapse: collapse; font-size: 0.85rem; } td, th { border: 1px solid #ddd; padding: 3px 6px; }
th { background: #f4f4f4; } .muted { color: #666; } .badge { background: #f58518; color: white; border-radius: 4px;
padding: 1px 6px; font-size: 0.8rem; } .alert { border-left: 4px solid; padding: 0.4rem 0.8rem; margin: 0.4rem 0; }
.leakage { border-color: #d62728; background: #fdecea; } .warning { border-color: #f58518; background: #fff4e5; }
.info { border-color: #4c78a8; background: #eef4fb; } .scroll { overflow-x: auto; }
"""


def escape(text: object) -> str:
    return html.escape(str(text))


def figure_html(figure: go.Figure) -> str:
    """A figure as a fragment; the page's single copy of plotly.js draws it."""
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


def table_html(frame: pd.DataFrame) -> str:
    """A frame as an HTML table: thousands separators, 4 significant digits, blanks for missing."""
    shown = frame.astype(object).map(_cell)
    return f'<div class="scroll">{shown.to_html(index=False, border=0, escape=True)}</div>'


def section(title: str, *parts: str) -> str:
    return f"<h2>{escape(title)}</h2>\n" + "\n".join(parts)


def page(title: str, subtitle: str, sections: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
        f"<h1>{escape(title)}</h1><p class='muted'>{subtitle}</p>\n" + "\n".join(sections) + "\n</body></html>\n"
    )


def write_page(path: Path | str, text: str) -> Path:
    """Written whole or not at all (temp file, then rename)."""
    return write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
