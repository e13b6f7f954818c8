"""Printouts without a database: any script in a name prints, and HTML and PDF hold the same sections."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from pypdf import PdfReader

from qa.printouts import exports, frames
from qa.printouts.document import Document, Section, Table, Text
from qa.printouts.html import document_html
from qa.printouts.pdf import document_pdf
from qa.reports.schemas import ContactFigures, ContactTotals, WeekFigures

NAMES = ["Zoë Łukasz", "Ωμέγα Ππ", "Жанна", "李明 😀", "\u202etxt.exe", "tab\there"]


def _document() -> Document:
    table = pd.DataFrame({"Agent": NAMES, "Mean score": [50.0, None, 70.25, 1.0, 2.0, 3.0]})
    return Document(
        title=f"Performance review: {NAMES[0]}",
        subtitle="team –",
        file_stem="x",
        sections=[Section("Agents", [Table("Agents", table)]), Section("Notes", [Text(" ".join(NAMES))])],
    )


def test_names_in_any_script_print_and_the_sections_match() -> None:
    document = _document()
    pdf = document_pdf(document)  # no exception for scripts outside Latin-1 or a glyph the font lacks
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for name in NAMES[:3]:
        assert "".join(name.split()) in text
    assert "70.2" in text or "70.3" in text
    assert "–" in text  # a missing score
    html = document_html(document)
    for section in document.sections:
        assert f"<h2>{section.title}</h2>" in html and section.title in text


def test_weekly_frames_fill_empty_weeks_with_zero() -> None:
    week = WeekFigures(
        week=date(2026, 3, 9), interactions=2, scored=2, average_score=80.0,
        average_customer_sentiment_end=0.2, average_handle_seconds=125.0, average_wait_seconds=None,
        average_csat=None, customers=1, repeat_contacts=0,
    )  # fmt: skip
    totals = ContactTotals(
        interactions=2, scored=2, average_score=80.0, auto_fails=0, reviewed=0, average_csat=None,
        average_handle_seconds=125.0, average_wait_seconds=None, average_customer_sentiment_end=0.2,
        customers=1, repeat_contacts=0, first_contact_resolution=1.0,
        repeat_rule="the same customer contacts again within 7 days", speed_of_answer_seconds=None,
    )  # fmt: skip
    figures = ContactFigures(
        start=date(2026, 3, 1), end=date(2026, 3, 22), agent=None, totals=totals, service_levels=[],
        targets_team=None, volume=[], score_bands=[], channels=[], drivers=[], volume_by_hour=[],
        weeks=[week],
    )  # fmt: skip
    volume = frames.weekly_volume(figures)
    assert volume["week"].dt.strftime("%d %b").tolist() == ["23 Feb", "02 Mar", "09 Mar", "16 Mar"]
    assert volume["count"].tolist() == [0, 0, 2, 0]
    table = frames.weekly_figures(figures)
    assert table["Interactions"].tolist() == [0, 0, 2, 0]
    assert table["Handle time (m:ss)"].tolist() == ["–", "–", "2:05", "–"]


def test_table_csv_keeps_numbers_and_neutralises_header_and_text() -> None:
    table = Table(
        "T", pd.DataFrame({"=cmd": ["@x", "-1", "ok"], "n": [-1.5, None, 2], "ack": [True, False, True]})
    )
    lines = exports.table_csv(table).splitlines()
    assert lines == ["'=cmd,n,ack", "'@x,-1.5,yes", "'-1,,no", "ok,2.0,yes"]
