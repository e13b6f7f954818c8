"""Tables as CSV and as an XLSX workbook (one sheet per table). Text that a spreadsheet would run as a
formula is neutralised by the same rule as the period report's CSV (qa.reports.schemas.csv_cell)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook

from qa.printouts.document import Table
from qa.reports.schemas import csv_cell

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


def _value(value: Any) -> Any:
    """A number stays a number; text is neutralised; missing is empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    return csv_cell(str(value))


def table_csv(table: Table) -> str:
    """One table as CSV text with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(str(c)) for c in table.data.columns])
    for record in table.data.itertuples(index=False):
        writer.writerow([csv_cell(_value(v)) for v in record])
    return buffer.getvalue()


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """Every table on its own sheet, named after it; text cells are written as text, never formulas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(SHEET_NAME.sub(" ", table.name)[:31])
        sheet.append([csv_cell(str(c)) for c in table.data.columns])
        for record in table.data.itertuples(index=False):
            sheet.append([_value(v) for v in record])
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
