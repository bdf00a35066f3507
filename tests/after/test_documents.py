"""Decision documents: every outcome in Russian and Kazakh (and English), as DOCX and PDF; the files are
opened and their text checked."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.documents.markup import BlockKind, parse
from amnesty.documents.render import DocumentFormat, DocumentRenderer, TemplateError, bundled_templates
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import default_law
from amnesty.render.citations import render_cites
from amnesty.render.decisions import OUTCOME_WORDS
from amnesty.render.formats import format_date

RENDERER = DocumentRenderer()


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_synthetic_set_reaches_every_outcome(one_per_outcome: dict[Outcome, Any]) -> None:
    assert set(one_per_outcome) == set(Outcome)


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_every_outcome_has_a_template_in_every_language(outcome: Outcome, language: str) -> None:
    assert (bundled_templates() / language / f"{outcome.value}.md.j2").is_file()


def _expected_bits(record: CaseRecord, decision: Decision, language: str) -> list[str]:
    law = default_law()
    bits = [decision.person_id, law.pack.title.model_dump()[language], format_date(decision.as_of, language)]
    if record.full_name:
        bits.append(record.full_name)
    for charge in decision.charges:
        title = law.title(charge.article, charge.part, language)
        if title:
            bits.append(title)
    bits += [reason.rule for reason in decision.reasons]
    sentence = decision.sentence
    if (
        sentence is not None
        and sentence.new_end_date is not None
        and decision.outcome is Outcome.REDUCE_SENTENCE
    ):
        bits.append(format_date(sentence.new_end_date, language))
    return bits


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_docx_for_every_outcome_holds_the_person_charges_decision_and_basis(
    one_per_outcome: dict[Outcome, tuple[CaseRecord, Decision]], outcome: Outcome, language: str
) -> None:
    record, decision = one_per_outcome[outcome]
    document = RENDERER.render(decision, record, default_law(), language, DocumentFormat.DOCX)
    text = docx_text(document.content)
    for bit in _expected_bits(record, decision, language):
        assert bit in text, (bit, outcome, language)
    assert document.filename.endswith(f"_{outcome.value}_{language}.docx")


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize(
    "outcome", [Outcome.TERMINATE_CASE, Outcome.REDUCE_SENTENCE, Outcome.RELEASE, Outcome.EXCLUDED]
)
def test_pdf_text_holds_the_cyrillic_and_kazakh_content(
    one_per_outcome: dict[Outcome, tuple[CaseRecord, Decision]], outcome: Outcome, language: str
) -> None:
    record, decision = one_per_outcome[outcome]
    document = RENDERER.render(decision, record, default_law(), language, DocumentFormat.PDF)
    assert document.content.startswith(b"%PDF")
    text = squash(pdf_text(document.content))
    for bit in _expected_bits(record, decision, language):
        assert squash(bit) in text, (bit, outcome, language)


def test_provisional_flag_and_reasons_are_shown(
    one_per_outcome: dict[Outcome, tuple[CaseRecord, Decision]],
) -> None:
    provisional = [
        (r, d) for r, d in one_per_outcome.values() if any(f.value == "provisional_basis" for f in d.flags)
    ]
    assert provisional, "the synthetic set has a provisional decision"
    record, decision = provisional[0]
    text = docx_text(RENDERER.render(decision, record, default_law(), "ru", DocumentFormat.DOCX).content)
    assert "юрист обязан проверить" in text
    for reason in decision.reasons:
        assert render_cites(reason.cites, "ru") in text
    assert "Закон № 152-VII" in text
    assert "Law 152-VII" not in text


def test_reduce_sentence_document_gives_old_and_new_terms_in_words(make_grave: Any) -> None:
    person = parse_record(make_grave("G-8", 8))
    decision = evaluate(person)
    text = RENDERER.text(decision, person, default_law(), "ru")
    assert "8 лет" in text
    assert "2 года" in text
    assert format_date(decision.sentence.new_end_date, "ru") in text  # type: ignore[union-attr]
    kk = RENDERER.text(decision, person, default_law(), "kk")
    assert "8 жыл" in kk
    assert "2 жыл" in kk
    assert "СОТҚА ҰСЫНЫМ" in kk


def test_a_lawyer_edits_a_template_without_code(tmp_path: Path, make_medium: Any) -> None:
    edited = tmp_path / "templates"
    (edited / "ru").mkdir(parents=True)
    shutil.copy(bundled_templates() / "ru" / "terminate_case.md.j2", edited / "ru" / "terminate_case.md.j2")
    path = edited / "ru" / "terminate_case.md.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace("ПОСТАНОВЛЕНИЕ", "ПОСТАНОВЛЕНИЕ (ред. юриста)"), "utf-8"
    )
    person = parse_record(make_medium("M-1"))
    decision = evaluate(person)
    text = docx_text(
        DocumentRenderer(edited).render(decision, person, default_law(), "ru", DocumentFormat.DOCX).content
    )
    assert "ПОСТАНОВЛЕНИЕ (ред. юриста)" in text
    assert OUTCOME_WORDS[decision.outcome]["ru"] not in ("",)


def test_a_broken_template_is_reported_with_its_file_and_line(tmp_path: Path, make_medium: Any) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "terminate_case.md.j2").write_text("# Title\n{% if %}\n", encoding="utf-8")
    person = parse_record(make_medium("M-1"))
    with pytest.raises(TemplateError, match=r"terminate_case\.md\.j2: line 2"):
        DocumentRenderer(tmp_path).text(evaluate(person), person, default_law(), "ru")


def test_unknown_language_is_refused(make_medium: Any) -> None:
    person = parse_record(make_medium("M-1"))
    with pytest.raises(TemplateError, match="language"):
        RENDERER.text(evaluate(person), person, default_law(), "de")


def test_markup_parses_titles_items_notices_bold_and_numbered_paragraphs() -> None:
    blocks = parse("> draft\n\n# A\n## B\n- item **x**\ntext one\ncontinues\n1. first\n2. second\n")
    kinds = [b.kind for b in blocks]
    assert kinds == [
        BlockKind.NOTICE,
        BlockKind.TITLE,
        BlockKind.HEADING,
        BlockKind.ITEM,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
    ]
    assert blocks[3].spans[1].bold
    assert blocks[3].spans[1].text == "x"
    assert blocks[4].text == "text one continues"


def test_cli_document_writes_one_file_per_record(records_file: Path, tmp_path: Path) -> None:
    lines = records_file.read_text(encoding="utf-8").splitlines()[:12]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "docs"
    result = CliRunner().invoke(
        app, ["document", str(small), "--lang", "kk", "--format", "pdf", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.pdf"))
    assert len(files) == len(lines)
    assert all(f.name.endswith("_kk.pdf") for f in files)


# ---------------------------------------------------------------- documents as institutions write them


@pytest.mark.parametrize(
    ("full_name", "genitive", "dative", "accusative"),
    [
        (
            "Тестов Ерлан Серикович",
            "Тестова Ерлана Сериковича",
            "Тестову Ерлану Сериковичу",
            "Тестова Ерлана Сериковича",
        ),
        (
            "Ахметова Гульнара Маратовна",
            "Ахметовой Гульнары Маратовны",
            "Ахметовой Гульнаре Маратовне",
            "Ахметову Гульнару Маратовну",
        ),
        (
            "Иванов Павел Петрович",
            "Иванова Павла Петровича",
            "Иванову Павлу Петровичу",
            "Иванова Павла Петровича",
        ),
        (
            "Белоцкий Андрей Ильич",
            "Белоцкого Андрея Ильича",
            "Белоцкому Андрею Ильичу",
            "Белоцкого Андрея Ильича",
        ),
        ("Ким Мария Олеговна", "Ким Марии Олеговны", "Ким Марии Олеговне", "Ким Марию Олеговну"),
        (
            "Шевченко Никита Ильич",
            "Шевченко Никиты Ильича",
            "Шевченко Никите Ильичу",
            "Шевченко Никиту Ильича",
        ),
        (
            "Жумабеков Нурлан Кайратұлы",
            "Жумабекова Нурлана Кайратұлы",
            "Жумабекову Нурлану Кайратұлы",
            "Жумабекова Нурлана Кайратұлы",
        ),
        (
            "Сейтказиева Жанар Маратовна",
            "Сейтказиевой Жанар Маратовны",
            "Сейтказиевой Жанар Маратовне",
            "Сейтказиеву Жанар Маратовну",
        ),
        ("Әбілов Нұрлан", "Әбілов Нұрлан", "Әбілов Нұрлан", "Әбілов Нұрлан"),  # no patronymic: as written
    ],
)
def test_russian_names_are_declined(full_name: str, genitive: str, dative: str, accusative: str) -> None:
    from amnesty.documents.names import NameCase, decline_ru

    assert decline_ru(full_name, NameCase.NOMINATIVE) == full_name
    assert decline_ru(full_name, NameCase.GENITIVE) == genitive
    assert decline_ru(full_name, NameCase.DATIVE) == dative
    assert decline_ru(full_name, NameCase.ACCUSATIVE) == accusative


@pytest.mark.parametrize(
    ("full_name", "genitive", "dative", "accusative"),
    [
        (
            "Тестов Ерлан Серікұлы",
            "Тестов Ерлан Серікұлының",
            "Тестов Ерлан Серікұлына",
            "Тестов Ерлан Серікұлын",
        ),
        (
            "Ахметова Айгүл Серікқызы",
            "Ахметова Айгүл Серікқызының",
            "Ахметова Айгүл Серікқызына",
            "Ахметова Айгүл Серікқызын",
        ),
        ("Әбілов Нұрлан", "Әбілов Нұрланның", "Әбілов Нұрланға", "Әбілов Нұрланды"),
        (
            "Тестов Ерлан Серикович",
            "Тестов Ерлан Сериковичтің",
            "Тестов Ерлан Сериковичке",
            "Тестов Ерлан Сериковичті",
        ),
        ("Сейтқали Әлия", "Сейтқали Әлияның", "Сейтқали Әлияға", "Сейтқали Әлияны"),
        ("Омаров Бек", "Омаров Бектің", "Омаров Бекке", "Омаров Бекті"),
    ],
)
def test_kazakh_names_take_the_case_suffix(
    full_name: str, genitive: str, dative: str, accusative: str
) -> None:
    from amnesty.documents.names import NameCase, decline_kk

    assert decline_kk(full_name, NameCase.GENITIVE) == genitive
    assert decline_kk(full_name, NameCase.DATIVE) == dative
    assert decline_kk(full_name, NameCase.ACCUSATIVE) == accusative


def test_the_release_order_names_the_person_in_the_accusative(make_grave: Any) -> None:
    person = parse_record(make_grave("G-NAME", 1, full_name="Тестов Ерлан Серикович"))
    decision = evaluate(person)
    assert decision.outcome is Outcome.RELEASE
    text = RENDERER.text(decision, person, default_law(), "ru")
    assert "Освободить Тестова Ерлана Сериковича от отбывания" in text
    assert "Освободить Тестов Ерлан Серикович" not in text
    assert "Ф.И.О.: Тестов Ерлан Серикович" in text  # the person block keeps the name as registered


def test_the_body_cites_law_and_article_and_provenance_goes_to_the_annex(
    one_per_outcome: dict[Outcome, tuple[CaseRecord, Decision]],
) -> None:
    seen_annex = False
    for record, decision in one_per_outcome.values():
        text = RENDERER.text(decision, record, default_law(), "ru")
        body, _, annex = text.partition("## Приложение для юриста")
        assert "по сообщениям" not in body, decision.outcome
        assert "правило " not in body, decision.outcome
        for charge in decision.charges:
            for reason in charge.reasons:
                assert f"правило {reason.rule}" in annex
        if decision.reasons:
            seen_annex = True
            for reason in decision.reasons:
                assert f"правило {reason.rule}" in annex
                assert render_cites(reason.cites, "ru") in body
    assert seen_annex


def test_a_document_has_a_number_registration_fields_and_says_who_decided(make_grave: Any) -> None:
    from amnesty.documents.context import Authority

    person = parse_record(make_grave("G-NUM", 1))
    decision = evaluate(person)
    engine = Authority("engine", "officer", decision.as_of, number="7-42")
    text = RENDERER.text(decision, person, default_law(), "ru", engine)
    assert "Документ № 7-42" in text
    assert "Рег. № ______________ от «____»" in text
    assert "Решение: расчёт программы (officer," in text
    reviewer = Authority(
        "reviewer",
        "lawyer1",
        decision.as_of,
        outcome=Outcome.NOT_COVERED,
        citation="Закон № 152-VII, ст. 1",
        justification="Связь с событиями не подтверждена.",
        number="7-42-R3",
    )
    overridden = RENDERER.render(decision, person, default_law(), "ru", DocumentFormat.DOCX, reviewer)
    assert overridden.filename.endswith("_not_covered_ru.docx")
    body = docx_text(overridden.content)
    assert "не подпадает под действие акта об амнистии" in body
    assert "Решение: проверяющего lawyer1" in body
    assert "Связь с событиями не подтверждена." in body
    assert "Освободить" not in body
