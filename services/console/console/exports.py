"""Rows as files staff open in a spreadsheet: CSV (UTF-8 with a byte order mark, so
Excel reads Indonesian names right; RFC 4180 quoting) and XLSX (openpyxl: the header
row bold and frozen, columns as wide as their text, numbers as numbers, moments as
dates in WIB).

A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return: a KIM could name itself `=HYPERLINK(...)`) is defused: in CSV it gets
a leading apostrophe, in XLSX it is stored as text (and shown with Excel's quote prefix).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

WIB = ZoneInfo("Asia/Jakarta")
Cell = str | int | float | datetime | None

#: What a spreadsheet may take for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Excel's limit on a sheet's name, and the characters it refuses in one.
SHEET_NAME_LENGTH = 31
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """One sheet of an export: its name, the header row and the rows under it."""

    name: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def in_wib(moment: datetime) -> datetime:
    """A moment as the wall clock in Malang shows it (naive: spreadsheets know no zones)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(WIB).replace(tzinfo=None)
    return moment


def csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return in_wib(value).strftime(MOMENT_FORMAT)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    """The table as CSV: UTF-8 with a BOM, comma-separated, CRLF line ends, a field with a
    comma, quote or line break in double quotes (quotes doubled), as RFC 4180 says."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return text.getvalue().encode("utf-8-sig")


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts, unique in the workbook."""
    clean = SHEET_NAME_REFUSED.sub(" ", name).strip() or "Sheet"
    candidate, n = clean[:SHEET_NAME_LENGTH], 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = clean[: SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def shown_length(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(MOMENT_FORMAT) + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, a sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, taken = Font(bold=True), set[str]()
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.name, taken))
        widths = [shown_length(h) for h in table.headers]
        for column, header in enumerate(table.headers, start=1):
            put(sheet.cell(row=1, column=column), header).font = bold
        for row_number, row in enumerate(table.rows, start=2):
            for column, value in enumerate(row, start=1):
                put(sheet.cell(row=row_number, column=column), value)
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], shown_length(value))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(
                max(width + 2, MIN_WIDTH), MAX_WIDTH
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def put(cell: Any, value: Cell) -> Any:
    """One value into a cell: numbers as numbers, moments as dates, text always as text."""
    if isinstance(value, datetime):
        cell.value = in_wib(value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        if is_formula_like(text):
            # openpyxl takes "=..." for a formula: store it as a string, shown as typed.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def slug(text: str, fallback: str = "lomba") -> str:
    """ASCII for a file name: "Lomba Video Pendek KIM 2024" → "lomba-video-pendek-kim-2024"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return found or fallback


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition of a download (the name is ASCII: `slug`)."""
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
