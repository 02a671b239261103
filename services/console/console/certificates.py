"""A certificate as a PDF: A4 landscape, in Indonesian, with a QR code and the
short URL under it that lead to its public check (`/s/<code>`).

`layout()` decides every line of text (tested on its own); `render_pdf()` puts
them on the page with fpdf2 (the PDF's core fonts, so no font file is needed)
and the QR code drawn by segno."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_OFFICE = "Dinas Komunikasi dan Informatika Kota Malang"


@dataclass(frozen=True, kw_only=True)
class Layout:
    office: str
    heading: str
    given_to: str
    kim_name: str
    #: "Juara 1" or "Peserta".
    standing: str
    entry_line: str
    edition: str
    #: The category's title, or None for the main ranking.
    category: str | None
    #: "Hadiah: Rp7.500.000 dan Trofi", or None without a prize.
    prize: str | None
    date_line: str
    url: str
    code_line: str

    def lines(self) -> list[str]:
        """Every text on the certificate, top to bottom."""
        shown = [
            self.office,
            self.heading,
            self.given_to,
            self.kim_name,
            self.standing,
            self.entry_line,
            self.edition,
            self.category,
            self.prize,
            self.date_line,
            self.url,
            self.code_line,
        ]
        return [line for line in shown if line]


def rupiah(amount: int) -> str:
    """Rp7.500.000"""
    return "Rp" + format_decimal(amount, format="#,##0", locale="id_ID")


def indonesian_date(moment: datetime) -> str:
    """14 November 2024 (the date in WIB, Indonesian month names)."""
    return format_date(moment.astimezone(WIB), "d MMMM y", locale="id_ID")


def prize_text(prize: dict[str, Any] | None) -> str | None:
    """The cash formatted, and what is given besides it: "Rp7.500.000 dan Trofi"."""
    if not prize:
        return None
    parts = []
    if prize.get("amount"):
        parts.append(rupiah(prize["amount"]))
    if prize.get("non_cash"):
        parts.append(prize["non_cash"])
    if not parts and prize.get("reward"):
        parts.append(prize["reward"])
    return " dan ".join(parts) or None


def short_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/s/{code}"


def layout(certificate: dict[str, Any], *, office: str, public_url: str) -> Layout:
    """Every line of a certificate (`GET /certificates/{code}` of judging), in Indonesian."""
    place = certificate["place"]
    category = certificate.get("category")
    prize = prize_text(certificate.get("prize"))
    announced = datetime.fromisoformat(str(certificate["announced_at"]))
    return Layout(
        office=office,
        heading="Sertifikat",
        given_to="diberikan kepada",
        kim_name=certificate["kim_name"],
        standing=f"Juara {place}" if place else "Peserta",
        entry_line=f"dengan karya \u201c{certificate['entry_title']}\u201d",
        edition=certificate["edition_title"],
        category=f"Kategori: {category['title']}" if category else None,
        prize=f"Hadiah: {prize}" if prize else None,
        date_line=f"Diumumkan pada {indonesian_date(announced)}",
        url=short_url(public_url, certificate["code"]),
        code_line=f"Kode sertifikat {certificate['code']} \u00b7 hasil versi {certificate['version']}",
    )


def _latin1(text: str) -> str:
    """The core PDF fonts carry Latin-1: typographic quotes become plain ones, accents
    outside it lose their mark, and anything else a question mark."""
    plain = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    plain = plain.replace("\u2013", "-").replace("\u2014", "-")
    kept = []
    for ch in plain:
        if ord(ch) < 256:
            kept.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        kept.append(base or "?")
    return "".join(kept)


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def render_pdf(page: Layout) -> bytes:
    """A4 landscape: a double border; centred, top to bottom, the office, "SERTIFIKAT",
    to whom, the place, the film, the edition, category and prize; the date and the
    office in the lower left corner; the QR code with its URL in the lower right."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(_latin1(f"Sertifikat {page.kim_name} - {page.edition}"))
    pdf.set_author(_latin1(page.office))
    pdf.set_creator("KIM Contest")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width, height = pdf.w, pdf.h  # 297 x 210
    pdf.set_draw_color(20, 60, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, width - 28, height - 28)

    def line(
        text: str, size: float, gap: float, style: str = "", colour: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        """Centred, wrapped when long; the next line starts `gap` mm below it."""
        pdf.set_font("Helvetica", style, size)
        pdf.set_text_color(*colour)
        pdf.set_x(24)
        pdf.multi_cell(width - 48, size * 0.45, _latin1(text), align="C")
        pdf.set_y(pdf.get_y() + gap)

    navy = (20, 60, 120)
    pdf.set_y(24)
    line(page.office, 14, 4, "B", navy)
    line(page.heading.upper(), 40, 4, "B", navy)
    line(page.given_to, 13, 3, "I")
    line(page.kim_name, 28, 3, "B")
    line(page.standing, 24, 4, "B", navy)
    line(page.entry_line, 13, 3, "I")
    line(page.edition, 15, 3, "B")
    for extra in (page.category, page.prize):
        if extra:
            line(extra, 13, 2)

    # The date and the office in the lower left corner, where a signature would be.
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "", 12)
    pdf.set_xy(30, height - 46)
    pdf.cell(150, 6, _latin1(page.date_line))
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_xy(30, height - 40)
    pdf.cell(150, 6, _latin1(page.office))

    # The QR code in the lower right corner, the short URL and the code under it.
    size = 36
    left, top = width - 24 - size - 8, height - 24 - size - 12
    pdf.image(io.BytesIO(qr_png(page.url)), x=left, y=top, w=size, h=size, alt_text=_latin1(page.url))
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(left - 30, top + size + 1)
    pdf.cell(size + 60, 4, _latin1(page.url), align="C", link=page.url)
    pdf.set_xy(left - 30, top + size + 5)
    pdf.cell(size + 60, 4, _latin1(page.code_line), align="C")
    return bytes(pdf.output())
