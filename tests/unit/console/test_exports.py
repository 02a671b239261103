"""The CSV and XLSX writers (console/exports.py): read back with the csv module and
openpyxl, Indonesian names, commas, quotes and line breaks survive; the CSV starts with a
BOM; a cell a spreadsheet would run as a formula is defused; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from console.exports import Table, csv_bytes, sheet_name, slug, xlsx_bytes
from openpyxl import load_workbook

TRICKY = 'Sanggar "Topeng", Tlogowaru\nbaris kedua'
NAMES = ["KIM Pasreh Jaya", "KIM Ngaglik — Batu", "Kelurahan Tunjungsekar, Lowokwaru", TRICKY, "Ça va, Ñoño"]
DANGEROUS = ['=HYPERLINK("http://jahat.example","klik")', "+62 812 3456 7890", "-1+2", "@SUM(A1)", "\tx"]


def table() -> Table:
    return Table(
        "Hasil",
        ["Peringkat", "Nama", "Nilai", "Dikirim (WIB)", "Catatan"],
        [
            [1, NAMES[0], 88.43, datetime(2024, 8, 4, 4, 59, 59, tzinfo=UTC), None],
            [2, NAMES[1], 81.75, datetime(2024, 8, 3, 17, 0, tzinfo=UTC), NAMES[2]],
            [3, NAMES[3], 81.13, None, NAMES[4]],
            *([4, text, -5, None, text] for text in DANGEROUS),
        ],
    )


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_a_bom_and_reads_back_names_commas_quotes_and_line_breaks() -> None:
    data = csv_bytes(table())
    assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    rows = read_csv(data)
    assert rows[0] == ["Peringkat", "Nama", "Nilai", "Dikirim (WIB)", "Catatan"]
    assert rows[1] == ["1", "KIM Pasreh Jaya", "88.43", "2024-08-04 11:59:59", ""]  # in WIB
    assert rows[2] == ["2", "KIM Ngaglik — Batu", "81.75", "2024-08-04 00:00:00", NAMES[2]]
    assert rows[3] == ["3", TRICKY, "81.13", "", "Ça va, Ñoño"]
    # RFC 4180: CRLF between records, a field with a quote quoted and the quote doubled.
    assert b'"Sanggar ""Topeng"", Tlogowaru\nbaris kedua"' in data and data.endswith(b"\r\n")
    assert data.count(b"\r\n") == len(rows)


def test_csv_defuses_formulas_with_an_apostrophe_and_leaves_numbers_alone() -> None:
    rows = read_csv(csv_bytes(table()))[4:]
    assert [row[1] for row in rows] == ["'" + text for text in DANGEROUS]
    assert [row[4] for row in rows] == ["'" + text for text in DANGEROUS]
    assert {row[2] for row in rows} == {"-5"}, "a negative number is a number, not a formula"


def test_xlsx_reads_back_typed_with_a_bold_frozen_header_and_sensible_widths() -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes([table(), Table("Kosong", ["A"])])))
    assert book.sheetnames == ["Hasil", "Kosong"]
    sheet = book["Hasil"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Peringkat", "Nama", "Nilai", "Dikirim (WIB)", "Catatan"]
    assert values[1] == [1, "KIM Pasreh Jaya", 88.43, datetime(2024, 8, 4, 11, 59, 59), None]
    assert values[3] == [3, TRICKY, 81.13, None, "Ça va, Ñoño"]
    assert all(cell.font.b for cell in sheet[1]) and not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert (sheet["A2"].data_type, sheet["C2"].data_type, sheet["D2"].data_type) == ("n", "n", "d")
    assert isinstance(sheet["A2"].value, int) and isinstance(sheet["C2"].value, float)
    widths = {column: sheet.column_dimensions[column].width for column in "ABCDE"}
    assert all(8 <= width <= 60 for width in widths.values())
    assert widths["B"] > widths["A"], "a column of names is wider than one of ranks"


def test_xlsx_stores_formula_like_text_as_text() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes([table()])))["Hasil"]
    for row in range(5, 5 + len(DANGEROUS)):
        cell = sheet.cell(row=row, column=2)
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
        assert cell.value == DANGEROUS[row - 5]
        assert sheet.cell(row=row, column=3).value == -5


def test_xlsx_drops_control_characters_excel_refuses() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes([Table("T", ["a"], [["KIM\x07 Bell\x00"]])])))["T"]
    assert sheet["A2"].value == "KIM Bell"


def test_sheet_names_are_what_excel_accepts_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_name("Hasil: Sinematografi [kategori] / 2024 yang panjang sekali", taken)
    assert len(first) <= 31 and not set(first) & set("[]:*?/\\")
    second = sheet_name("Hasil: Sinematografi [kategori] / 2024 yang panjang sekali", taken)
    assert second != first and second.endswith("(2)") and len(second) <= 31


def test_a_slug_is_ascii_for_a_file_name() -> None:
    assert slug("Lomba Video Pendek KIM 2024") == "lomba-video-pendek-kim-2024"
    assert slug("Lomba Vidéo — KIM Ngaglik, Batu!") == "lomba-video-kim-ngaglik-batu"
    assert slug("“”") == "lomba"
