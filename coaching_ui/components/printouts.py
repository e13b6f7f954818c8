"""Tables with their CSV download, and the printout downloads (PDF, HTML, XLSX) of a page's Document.

The files are made when clicked (vl-convert draws the PDF's charts), not on every rerun of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd
import streamlit as st

from coaching_ui.figures import md_literal
from qa.printouts import exports
from qa.printouts.document import Chart, Document, Figure, Figures, Section, Table, Text
from qa.printouts.html import document_html
from qa.printouts.pdf import document_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(stem: str, suffix: str) -> str:
    """A download name without path separators or quotes, whatever the agent is called."""
    return re.sub(r"[^\w.@+-]+", "_", stem)[:120] + suffix


def readable(data: pd.DataFrame) -> pd.io.formats.style.Styler:
    """Missing values as "–" (not "None"), numbers to one decimal."""
    numbers = data.select_dtypes("float").columns
    return data.style.format(na_rep="–").format(precision=1, subset=list(numbers), na_rep="–")


def table(block: Table, *, key: str, stem: str) -> None:
    """The table with a CSV download of it under it."""
    st.dataframe(readable(block.data), hide_index=True, width="stretch")
    st.download_button(
        "CSV",
        partial(exports.table_csv, block),
        file_name=file_name(f"{stem}-{block.name}", ".csv"),
        mime="text/csv",
        icon=":material/table:",
        key=f"{key}_csv",
    )


def workbook_download(tables: Sequence[Table], *, stem: str, key: str) -> None:
    """One XLSX with a sheet per table."""
    st.download_button(
        "Download all tables (XLSX)",
        partial(exports.tables_xlsx, list(tables)),
        file_name=file_name(stem, ".xlsx"),
        mime=XLSX,
        icon=":material/grid_on:",
        key=f"{key}_xlsx",
    )


# label, maker, file suffix, MIME type, icon of each printout download
PRINTOUTS: tuple[tuple[str, Callable[[Document], str | bytes], str, str, str], ...] = (
    ("Download PDF", document_pdf, ".pdf", "application/pdf", ":material/picture_as_pdf:"),
    ("Download printable page (HTML)", document_html, ".html", "text/html", ":material/print:"),
)


def downloads(document: Document, *, key: str) -> None:
    """PDF, printable HTML and an XLSX of the document's tables."""
    *printouts, sheets = st.columns(len(PRINTOUTS) + 1)
    for column, (label, make, suffix, mime, icon) in zip(printouts, PRINTOUTS, strict=True):
        column.download_button(
            label,
            partial(make, document),
            file_name=file_name(document.file_stem, suffix),
            mime=mime,
            icon=icon,
            key=f"{key}{suffix.replace('.', '_')}",
        )
    with sheets:
        workbook_download(document.tables(), stem=document.file_stem, key=key)


def metrics(figures: Sequence[Figure]) -> None:
    """Headline figures, four to a row."""
    for start in range(0, len(figures), 4):
        for column, figure in zip(st.columns(4), figures[start : start + 4], strict=False):
            column.metric(figure.label, figure.value, help=figure.help or None)


def show(document: Document, *, key: str) -> None:
    """The document's sections on the page: the same content as its PDF and HTML."""
    for number, one in enumerate(document.sections):
        section(one, key=f"{key}_{number}", stem=document.file_stem)


def section(shown: Section, *, key: str, stem: str) -> None:
    """One section of a document: headline figures alone, else a heading over its blocks."""
    if isinstance(shown.blocks[0], Figures):
        metrics(shown.blocks[0].items)
        return
    with st.container():
        st.subheader(shown.title)
        for index, block in enumerate(shown.blocks):
            if isinstance(block, Chart):
                st.altair_chart(block.chart, width="stretch")
            elif isinstance(block, Table):
                table(block, key=f"{key}_{index}", stem=stem)
            elif isinstance(block, Text):
                st.caption(md_literal(block.text))
            elif isinstance(block, Figures):
                metrics(block.items)
