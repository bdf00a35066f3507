"""The small text markup the document templates produce, parsed into blocks for DOCX and PDF.

- `# text`   a title line (bold, centred); several in a row form the title;
- `## text`  a section heading (bold);
- `- text`   a list item;
- `> text`   a notice (bold), used for the draft mark and for warnings;
- other lines are paragraph text; a blank line, or a line opening with a number (`1. `), starts a
  new paragraph;
- `**text**` inside a line is bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class BlockKind(StrEnum):
    """Kinds of block a document is made of."""

    TITLE = "title"
    HEADING = "heading"
    ITEM = "item"
    NOTICE = "notice"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class Span:
    """A run of text, bold or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One block of a document: its kind and its text runs."""

    kind: BlockKind
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The block's plain text."""
        return "".join(span.text for span in self.spans)


def spans(text: str) -> tuple[Span, ...]:
    """Split `**bold**` runs out of a line (an unmatched `**` is kept as text)."""
    parts = text.split("**")
    if len(parts) % 2 == 0:
        return (Span(text),)
    return tuple(Span(part, bold=index % 2 == 1) for index, part in enumerate(parts) if part)


_PREFIXES = (
    ("## ", BlockKind.HEADING),
    ("# ", BlockKind.TITLE),
    ("- ", BlockKind.ITEM),
    ("> ", BlockKind.NOTICE),
)


_NUMBERED = re.compile(r"^\d+[.)] ")


def parse(text: str) -> list[Block]:
    """Parse rendered template text into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(BlockKind.PARAGRAPH, spans(" ".join(paragraph))))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        for prefix, kind in _PREFIXES:
            if line.startswith(prefix):
                flush()
                blocks.append(Block(kind, spans(line[len(prefix) :].strip())))
                break
        else:
            if _NUMBERED.match(line):
                flush()
            paragraph.append(line)
    flush()
    return blocks
