"""Writing a parsed document as PDF with fpdf2, in the bundled DejaVu Sans font (Cyrillic and Kazakh
letters included; fonts/LICENSE-DejaVu.txt)."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from amnesty.documents.markup import Block, BlockKind

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVuSans"
_LINE = 6.0


def _font_path(name: str) -> str:
    return str(resources.files("amnesty.documents").joinpath("fonts", name))


def _write(pdf: FPDF, block: Block, size: float, force_bold: bool) -> None:
    for span in block.spans:
        pdf.set_font(FONT, "B" if span.bold or force_bold else "", size)
        pdf.write(_LINE, span.text)


def to_pdf(blocks: list[Block], title: str) -> bytes:
    """A PDF file (bytes) with the blocks laid out on A4."""
    from fpdf import FPDF  # imported when a PDF is written: it takes a fifth of a second

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("amnesty")
    pdf.add_font(FONT, "", _font_path("DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 18, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in blocks:
        if block.kind is BlockKind.TITLE:
            pdf.set_font(FONT, "B", 13)
            pdf.multi_cell(width, 7, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
            continue
        if block.kind is BlockKind.HEADING:
            pdf.ln(2)
            pdf.set_font(FONT, "B", 11)
            pdf.multi_cell(width, _LINE, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            continue
        if block.kind is BlockKind.ITEM:
            left = pdf.l_margin
            pdf.set_font(FONT, "", 10)
            pdf.write(_LINE, "•  ")
            pdf.set_left_margin(left + 5)
            _write(pdf, block, 10, False)
            pdf.set_left_margin(left)
            pdf.ln(_LINE)
            continue
        _write(pdf, block, 10, block.kind is BlockKind.NOTICE)
        pdf.ln(_LINE + 2)
    return bytes(pdf.output())
