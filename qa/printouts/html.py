"""A Document as a self-contained, print-friendly HTML page: no scripts, no network (charts are inline
SVG images), every piece of text escaped."""

from __future__ import annotations

import base64
import html
from datetime import UTC, datetime

from qa.printouts.document import Block, Chart, Document, Figures, Table, Text
from qa.printouts.render import cell, chart_svg

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
h1{margin-bottom:0}.sub{color:#666;margin-top:0.2em}
table{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em;font-size:0.9em}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}th{background:#f3f3f3}
img.chart{max-width:100%;margin:0.5em 0}
.figures{display:flex;flex-wrap:wrap;gap:1em 2em;margin:1em 0}.figures div{font-size:0.85em;color:#666}
.figures b{display:block;font-size:1.6em;color:#222}
@media print{body{margin:0}h2{page-break-after:avoid}tr,img{page-break-inside:avoid}}
"""


def _table(table: Table) -> str:
    """An HTML table; every cell is escaped (agent names, topics and notes are user text)."""
    if table.data.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.data.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in record) + "</tr>"
        for record in table.data.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _block(block: Block) -> str:
    if isinstance(block, Figures):
        cells = "".join(
            f"<div title='{html.escape(f.help)}'><b>{html.escape(f.value)}</b>{html.escape(f.label)}</div>"
            for f in block.items
        )
        return f"<div class='figures'>{cells}</div>"
    if isinstance(block, Chart):
        # An <img> of an SVG never runs script, whatever text the chart's labels hold.
        svg = base64.b64encode(chart_svg(block.chart).encode()).decode()
        return f"<img class='chart' alt='chart' src='data:image/svg+xml;base64,{svg}'>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Text):
        return f"<p>{html.escape(block.text)}</p>"
    raise TypeError(f"no HTML for {type(block).__name__}")


def document_html(document: Document) -> str:
    """The document as one HTML page."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(
        f"<h2>{html.escape(s.title)}</h2>" + "".join(_block(b) for b in s.blocks) for s in document.sections
    )
    title = html.escape(document.title)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
        f"<p class='sub'>{html.escape(document.subtitle)} · generated {stamp} by Callcoach</p>"
        f"{body}</body></html>"
    )
