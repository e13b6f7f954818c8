"""Charts drawn offline (Vega-Lite run by vl-convert, no browser, no network) and cells as printed."""

from __future__ import annotations

from typing import Any

import pandas as pd
import vl_convert

from qa.printouts.document import AnyChart

PRINT_WIDTH = 560  # px: the charts of a page fill the column they get; on paper they get a fixed width


def _spec(chart: AnyChart) -> str:
    return chart.properties(width=PRINT_WIDTH).to_json()


def chart_svg(chart: AnyChart) -> str:
    """The chart as an SVG document."""
    return str(vl_convert.vegalite_to_svg(_spec(chart)))


def chart_png(chart: AnyChart) -> bytes:
    """The chart as a PNG, drawn at twice the size for print."""
    return bytes(vl_convert.vegalite_to_png(_spec(chart), scale=2))


def cell(value: Any) -> str:
    """A table cell as printed: "–" when missing, numbers to one decimal, dates as days."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)
