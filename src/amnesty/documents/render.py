"""Rendering decision documents: choose the template for the outcome and language, fill it in, and
write DOCX or PDF.

Templates are looked up first in a directory the user gives (a lawyer's edited copies), then in the
bundled `templates/` directory: `<lang>/<outcome>.md.j2`, `<lang>/labels.yaml`, and the shared
`_blocks.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from amnesty.documents.context import LANGUAGES, AnsweredQuestion, Authority, Labels, document_context
from amnesty.documents.court import (
    PACK_LANGUAGES,
    DocumentKind,
    DocumentNotAvailableError,
    available_kinds,
    pack_document_context,
)
from amnesty.documents.docx_writer import to_docx
from amnesty.documents.markup import parse
from amnesty.documents.pdf_writer import to_pdf
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.law.loader import Law


class DocumentFormat(StrEnum):
    """File formats of a generated document."""

    DOCX = "docx"
    PDF = "pdf"


class TemplateError(ValueError):
    """A template or word list that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class RenderedDocument:
    """A generated document: its file name, content and text (for previews and checks)."""

    filename: str
    content: bytes
    text: str
    media_type: str


_MEDIA = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
}


def bundled_templates() -> Path:
    """The directory of the bundled templates."""
    return Path(str(resources.files("amnesty.documents").joinpath("templates")))


class DocumentRenderer:
    """Renders documents from a template set (bundled, or a lawyer's directory laid over it)."""

    def __init__(self, template_dir: Path | None = None) -> None:
        self._dirs = [d for d in (template_dir, bundled_templates()) if d is not None]
        self._labels: dict[str, Labels] = {}

    def _environment(self, language: str) -> jinja2.Environment:
        paths = [str(d / language) for d in self._dirs] + [str(d) for d in self._dirs]
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(paths),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # noqa: S701 - plain text for DOCX/PDF, never HTML
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def labels(self, language: str) -> Labels:
        """The word list of a language (the lawyer's file, falling back to the bundled one)."""
        if language not in self._labels:
            for directory in self._dirs:
                path = directory / language / "labels.yaml"
                if path.exists():
                    try:
                        data = yaml.safe_load(path.read_text(encoding="utf-8"))
                    except yaml.YAMLError as error:
                        raise TemplateError(f"{path}: not valid YAML: {error}") from error
                    if not isinstance(data, dict):
                        raise TemplateError(f"{path}: expected a mapping of word groups")
                    self._labels[language] = Labels(data)
                    break
            else:
                raise TemplateError(f"no labels.yaml for language {language!r}")
        return self._labels[language]

    def text(
        self,
        decision: Decision,
        record: CaseRecord | None,
        law: Law,
        language: str,
        authority: Authority | None = None,
        answers: tuple[AnsweredQuestion, ...] = (),
        kind: DocumentKind = DocumentKind.DECISION,
    ) -> str:
        """The filled-in template text (markup) for the outcome in force (`authority`: the engine's
        decision, or a reviewer's override of it; None: the engine's decision, author not stated): the
        decision document (`<lang>/<outcome>.md.j2`) or a kind the law's pack declares
        (`<lang>/<kind>.md.j2`, ru and kk; `DocumentNotAvailableError` when the decision does not call for
        it)."""
        if language not in LANGUAGES:
            raise TemplateError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        outcome = authority.outcome_of(decision) if authority is not None else decision.outcome
        name = f"{outcome.value}.md.j2"
        context = document_context(decision, record, law, language, self.labels(language), authority, answers)
        if kind is not DocumentKind.DECISION:
            if kind not in available_kinds(decision, law, outcome) or language not in PACK_LANGUAGES:
                raise DocumentNotAvailableError(f"no {kind.value} document in {language} for this decision")
            name = f"{kind.value}.md.j2"
            by_reviewer = authority is not None and authority.by_reviewer
            sentence = decision.sentence
            context["court"] = pack_document_context(
                decision,
                record,
                law,
                language,
                outcome,
                authority.new_end_date
                if by_reviewer and authority is not None
                else (sentence.new_end_date if sentence is not None else None),
                authority.release_date if by_reviewer and authority is not None else None,
                by_reviewer,
            )
        try:
            template = self._environment(language).get_template(name)
            return template.render(context)
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"no template {language}/{name} (missing {error.name})") from error
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{error.filename}: line {error.lineno}: {error.message}") from error
        except jinja2.UndefinedError as error:
            raise TemplateError(f"{language}/{name}: {error.message}") from error

    def render(
        self,
        decision: Decision,
        record: CaseRecord | None,
        law: Law,
        language: str,
        fmt: DocumentFormat,
        authority: Authority | None = None,
        answers: tuple[AnsweredQuestion, ...] = (),
        kind: DocumentKind = DocumentKind.DECISION,
    ) -> RenderedDocument:
        """The document for the decision in force, as DOCX or PDF, citing the source document of
        every answered question (`answers`); `kind`: the decision document or one the pack declares."""
        text = self.text(decision, record, law, language, authority, answers, kind)
        outcome = authority.outcome_of(decision) if authority is not None else decision.outcome
        blocks = parse(text)
        title = " ".join(b.text for b in blocks if b.kind.value == "title") or outcome.value
        content = to_docx(blocks, title) if fmt is DocumentFormat.DOCX else to_pdf(blocks, title)
        named = outcome.value if kind is DocumentKind.DECISION else kind.value
        filename = f"{safe_name(decision.person_id)}_{named}_{language}.{fmt.value}"
        return RenderedDocument(filename, content, text, _MEDIA[fmt])


def safe_name(value: str) -> str:
    """A file-name-safe form of an identifier."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in value)
    return cleaned.strip("_") or "person"
