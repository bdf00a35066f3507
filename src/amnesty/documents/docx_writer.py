"""Writing a parsed document as DOCX with python-docx."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from amnesty.documents.markup import Block, BlockKind


def to_docx(blocks: list[Block], title: str) -> bytes:
    """A DOCX file (bytes) with the blocks as paragraphs, headings and a bulleted list."""
    document = Document()
    document.core_properties.title = title
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    for block in blocks:
        if block.kind is BlockKind.ITEM:
            paragraph = document.add_paragraph(style="List Bullet")
        else:
            paragraph = document.add_paragraph()
        for span in block.spans:
            run = paragraph.add_run(span.text)
            run.bold = span.bold or block.kind in (BlockKind.TITLE, BlockKind.HEADING, BlockKind.NOTICE)
            if block.kind is BlockKind.TITLE:
                run.font.size = Pt(14)
        if block.kind is BlockKind.TITLE:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind is BlockKind.PARAGRAPH:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
