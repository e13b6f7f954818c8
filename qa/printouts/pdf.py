"""A Document as a PDF: the same sections as the HTML page, charts as images drawn offline.

Text goes in as plain text (no markdown, no HTML), so user text prints as written. DejaVu Sans covers
names in any Latin, Greek or Cyrillic script; without it the PDF falls back to Helvetica (Latin-1 only).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from qa.printouts.document import Block, Chart, Document, Figures, Table, Text
from qa.printouts.render import cell, chart_png

FONT_FILES = (  # Debian's fonts-dejavu-core (Makefile system-deps installs it)
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
GREY = (102, 102, 102)


class _Printer:
    def __init__(self) -> None:
        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(15, 15, 15)
        regular, bold = FONT_FILES
        self.unicode = regular.exists() and bold.exists()
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(regular))
            self.pdf.add_font("DejaVu", "B", str(bold))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.pdf.add_page()

    def text(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, color: tuple[int, int, int] = (34, 34, 34)) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    def line(
        self, value: str, size: float, bold: bool = False, color: tuple[int, int, int] = (34, 34, 34)
    ) -> None:
        self.font(size, bold, color)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def figures(self, block: Figures) -> None:
        width = self.pdf.epw / 4
        for start in range(0, len(block.items), 4):
            row = block.items[start : start + 4]
            top = self.pdf.get_y()
            for column, figure in enumerate(row):
                self.pdf.set_xy(self.pdf.l_margin + column * width, top)
                self.font(15, bold=True)
                self.pdf.cell(width, 8, self.text(figure.value))
                self.pdf.set_xy(self.pdf.l_margin + column * width, top + 8)
                self.font(8, color=GREY)
                self.pdf.cell(width, 5, self.text(figure.label))
            self.pdf.set_xy(self.pdf.l_margin, top + 16)

    def chart(self, block: Chart) -> None:
        self.pdf.image(io.BytesIO(chart_png(block.chart)), w=self.pdf.epw * 0.9)
        self.pdf.ln(2)

    def table(self, block: Table) -> None:
        if block.data.empty:
            self.line("None.", 9)
            return
        self.font(7.5)
        heading = FontFace(emphasis="BOLD", fill_color=(243, 243, 243))
        with self.pdf.table(
            headings_style=heading, line_height=4, markdown=False, first_row_as_headings=True
        ) as grid:
            grid.row([self.text(str(c)) for c in block.data.columns])
            for record in block.data.itertuples(index=False):
                grid.row([self.text(cell(v)) for v in record])
        self.pdf.ln(3)

    def block(self, block: Block) -> None:
        if isinstance(block, Figures):
            self.figures(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Text):
            self.line(block.text, 9, color=GREY)


def document_pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    printer = _Printer()
    printer.pdf.set_title(printer.text(document.title))
    printer.pdf.set_creator("Callcoach")
    printer.line(document.title, 18, bold=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    printer.line(f"{document.subtitle} · generated {stamp} by Callcoach", 9, color=GREY)
    for section in document.sections:
        printer.pdf.ln(3)
        printer.line(section.title, 13, bold=True)
        printer.pdf.ln(1)
        for block in section.blocks:
            printer.block(block)
    return bytes(printer.pdf.output())
