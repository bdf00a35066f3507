"""The documents the 2021 pack declares (Art. 5 p. 3 of Law 81-VII): the representation of the
institution to the court and the person's letter, in Russian and Kazakh, with figures worked out by hand
(tests/scenarios/kz_2021_81_vii/release_and_reduction.yaml: K21-03, K21-08, K21-09)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.documents.court import DocumentKind, DocumentNotAvailableError, available_kinds, elapsed
from amnesty.documents.render import DocumentFormat, DocumentRenderer
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import default_law
from amnesty.law.registry import get_law

LAW_ID = "kz-2021-81-vii"
RENDERER = DocumentRenderer()
NOT_VULNERABLE = {
    "birth_date": "1981-05-10",
    "sex": "male",
    "veteran": False,
    "children_under_18": False,
    "disabled_dependant": False,
    "disability_group": 0,
}

# K21-08: disability group II (V1), grave crime, 6 years from 8 Dec 2019: last day 7 Dec 2025; served on
# 8 Dec 2021: 2 years; unserved 3 years 11 months 29 days, halved (R6): 1 year 11 months 29 days kept,
# new last day 6 December 2023.
VULNERABLE_GRAVE = {
    "person_id": "21-08",
    "full_name": "Иванов Пётр Сергеевич",
    "birth_date": "1970-01-01",
    "sex": "male",
    "disability_group": 2,
    "negative_conduct": True,
    "stage": "serving",
    "charges": [{"article": 106, "part": 1, "category": "grave", "offence_date": "2019-05-01"}],
    "sentence": {"punishment": "imprisonment", "term": {"years": 6}, "start_date": "2019-12-08"},
}
# K21-09: not vulnerable, grave crime, damage repaid (R7, a third): 5 years from 1 Feb 2020, last day
# 31 Jan 2025; served 1 year 10 months 7 days (to 1 Dec 2021, then 7 days); unserved 37 months 23 days
# = 3 years 1 month 23 days; kept 2 years 35 days; new last day 11 January 2024.
REPAID_GRAVE = {
    "person_id": "21-09",
    "full_name": "Ахметов Ерлан Болатович",
    **NOT_VULNERABLE,
    "negative_conduct": True,
    "stage": "serving",
    "charges": [
        {"article": 106, "part": 1, "category": "grave", "offence_date": "2019-10-01", "damage": "repaid"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 5}, "start_date": "2020-02-01"},
}
# K21-03: medium crime, damage repaid (R2): released; 3 years from 1 Sep 2020, last day 31 Aug 2023;
# served 1 year 3 months 7 days; unserved 1 year 8 months 23 days.
RELEASED_MEDIUM = {
    "person_id": "21-03",
    "full_name": "Сейткали Айгерим Нурлановна",
    "birth_date": "1990-02-02",
    "sex": "female",
    "region": "Almaty",
    "stage": "serving",
    "charges": [
        {"article": 188, "part": 2, "category": "medium", "offence_date": "2020-05-01", "damage": "repaid"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 3}, "start_date": "2020-09-01"},
}
CLOSED_CASE = {
    "person_id": "21-01",
    "stage": "pre_trial",
    "charges": [{"article": 131, "category": "misdemeanour", "offence_date": "2021-06-01"}],
}


def decided(data: dict[str, Any]) -> tuple[CaseRecord, Decision]:
    record = parse_record(data)
    return record, evaluate(record, get_law(LAW_ID))


def text_of(data: dict[str, Any], kind: DocumentKind, language: str) -> str:
    record, decision = decided(data)
    return re.sub(r"\s+", " ", RENDERER.text(decision, record, get_law(LAW_ID), language, kind=kind))


def assert_clean(text: str, person_id: str) -> None:
    """No English word, no ISO date, no law code in a document for a Kazakh court or person."""
    body = text.replace(person_id, "")
    assert not re.findall(r"[A-Za-z]{2,}", body)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)
    assert "kz-2021" not in body
    assert "81-VII" not in body


def test_the_engine_decides_the_hand_worked_cases_as_expected() -> None:
    assert decided(VULNERABLE_GRAVE)[1].outcome is Outcome.REDUCE_SENTENCE
    assert decided(REPAID_GRAVE)[1].outcome is Outcome.REDUCE_SENTENCE
    assert decided(RELEASED_MEDIUM)[1].outcome is Outcome.RELEASE
    assert decided(CLOSED_CASE)[1].outcome is Outcome.TERMINATE_CASE


@pytest.mark.parametrize("data", [VULNERABLE_GRAVE, REPAID_GRAVE], ids=["R6", "R7"])
def test_the_remaining_part_is_the_engines_unserved_part(data: dict[str, Any]) -> None:
    _record, decision = decided(data)
    law = get_law(LAW_ID)
    sentence = decision.sentence
    assert sentence is not None
    assert sentence.original_end_date is not None
    unserved = next(r for r in decision.reasons if r.code == "REDUCE_UNSERVED").params["unserved"]
    remaining = elapsed(law.entry_into_force, sentence.original_end_date)
    assert unserved == remaining.as_param()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                "ПРЕДСТАВЛЕНИЕ",
                "ст. 106 ч. 1 Уголовного кодекса 2014 года",
                "лишение свободы, срок 6 лет",
                "Начало срока: 8 декабря 2019 г.",
                "(8 декабря 2021 г.)",
                "Отбытая часть: 2 года",
                "Неотбытая часть: 3 года 11 месяцев 29 дней",
                "Пункт 2 статьи 3 Закона Республики Казахстан от 7 декабря 2021 года",
                "Сократить Иванову Петру Сергеевичу неотбытую",
                "наполовину: к отбытию 1 год 11 месяцев 29 дней",
                "последний день срока наказания: 6 декабря 2023 г.",
                "Дополнительные наказания",
                "1. Настоящее представление о сокращении срока назначенного наказания.",
                "2. Выписка из приговора суда (с внесёнными в него изменениями",
                "3. Сведения об отбытом и оставшемся сроке наказания на день введения Закона в действие (8 декабря 2021 г.)",
                "4. Личное дело осуждённого.",
                "5. Документы, подтверждающие статус социально уязвимого лица.",
            ],
        ),
        (
            "kk",
            [
                "ҰСЫНЫМ",
                "2014 жылғы Қылмыстық кодекстің 106-бабы 1-бөлігі",
                "бас бостандығынан айыру, мерзімі 6 жыл",
                "(2021 жылғы 8 желтоқсан)",
                "Өтелген бөлігі: 2 жыл",
                "Өтелмеген бөлігі: 3 жыл 11 ай 29 күн",
                "Қазақстан Республикасы Заңының 3-бабының 2-тармағы",
                "екі есеге қысқарту: өтеуге 1 жыл 11 ай 29 күн",
                "соңғы күнін белгілеу: 2023 жылғы 6 желтоқсан",
                "Қосымша жазалар",
                "1. Тағайындалған жаза мерзімін қысқарту туралы осы ұсыным.",
                "басқа да сот актілерінен үзінді көшірме",
                "4. Сотталған адамның жеке ісі.",
                "5. Әлеуметтік жағынан осал адамның мәртебесін растайтын құжаттар.",
            ],
        ),
    ],
)
def test_the_representation_for_a_cut_holds_the_hand_worked_figures_and_five_attachments(
    language: str, expected: list[str]
) -> None:
    text = text_of(VULNERABLE_GRAVE, DocumentKind.COURT_REPRESENTATION, language)
    for bit in expected:
        assert bit in text, bit
    assert_clean(text, "21-08")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_without_vulnerability_the_representation_lists_four_attachments(language: str) -> None:
    text = text_of(REPAID_GRAVE, DocumentKind.COURT_REPRESENTATION, language)
    served, remaining, kept, end, ground = {
        "ru": (
            "1 год 10 месяцев 7 дней",
            "3 года 1 месяц 23 дня",
            "2 года 35 дней",
            "11 января 2024 г.",
            "Пункт 3 статьи 3 Закона",
        ),
        "kk": (
            "1 жыл 10 ай 7 күн",
            "3 жыл 1 ай 23 күн",
            "2 жыл 35 күн",
            "2024 жылғы 11 қаңтар",
            "Заңының 3-бабының 3-тармағы",
        ),
    }[language]
    for bit in (served, remaining, kept, end, ground, "4. "):
        assert bit in text, bit
    assert "- [ ] 5." not in text
    assert "осал адамның мәртебесін" not in text
    assert "статус социально уязвимого лица" not in text
    assert_clean(text, "21-09")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                "об освобождении от дальнейшего отбывания основного наказания",
                "Отбытая часть: 1 год 3 месяца 7 дней",
                "Неотбытая часть: 1 год 8 месяцев 23 дня",
                "Подпункт 2) пункта 1 статьи 2 Закона",
                "Освободить Сейткали Айгерим Нурлановну от дальнейшего отбывания основного наказания",
                "1. Настоящее представление об освобождении от дальнейшего отбывания наказания.",
            ],
        ),
        (
            "kk",
            [
                "негізгі жазаны одан әрі өтеуден босату туралы",
                "Өтелген бөлігі: 1 жыл 3 ай 7 күн",
                "Өтелмеген бөлігі: 1 жыл 8 ай 23 күн",
                "Заңының 2-бабы 1-тармағының 2) тармақшасы",
                "одан әрі өтеуден босату",
            ],
        ),
    ],
)
def test_the_representation_for_a_release(language: str, expected: list[str]) -> None:
    text = text_of(RELEASED_MEDIUM, DocumentKind.COURT_REPRESENTATION, language)
    for bit in expected:
        assert bit in text, bit
    assert "- [ ] 5." not in text
    assert "осал адамның мәртебесін" not in text
    assert "статус социально уязвимого лица" not in text
    assert_clean(text, "21-03")


@pytest.mark.parametrize(
    ("data", "language", "expected"),
    [
        (
            VULNERABLE_GRAVE,
            "ru",
            [
                "наполовину",
                "6 декабря 2023 г.",
                "(а не 7 декабря 2025 г.)",
                "Дополнительные наказания",
                "Решение принимает суд",
            ],
        ),
        (
            VULNERABLE_GRAVE,
            "kk",
            ["екі есеге", "2023 жылғы 6 желтоқсан", "қосымша жазалар", "Шешімді сот қабылдайды"],
        ),
        (RELEASED_MEDIUM, "ru", ["подлежите освобождению", "Дополнительные наказания", "Акимат"]),
        (RELEASED_MEDIUM, "kk", ["босатылуға жатасыз", "қосымша жазалар", "әкімдігі"]),
    ],
)
def test_the_letter_says_in_plain_words_what_changes_and_what_stays(
    data: dict[str, Any], language: str, expected: list[str]
) -> None:
    text = text_of(data, DocumentKind.PERSON_LETTER, language)
    for bit in expected:
        assert bit in text, bit
    assert "статьи" not in text
    assert "тармақшасы" not in text
    assert_clean(text, data["person_id"])


def test_only_a_release_or_cut_under_a_law_that_declares_them_has_these_documents() -> None:
    record, decision = decided(CLOSED_CASE)
    assert available_kinds(decision, get_law(LAW_ID)) == (DocumentKind.DECISION,)
    with pytest.raises(DocumentNotAvailableError):
        RENDERER.text(decision, record, get_law(LAW_ID), "ru", kind=DocumentKind.COURT_REPRESENTATION)
    record, decision = decided(VULNERABLE_GRAVE)
    assert DocumentKind.PERSON_LETTER in available_kinds(decision, get_law(LAW_ID))
    with pytest.raises(DocumentNotAvailableError):
        RENDERER.text(decision, record, get_law(LAW_ID), "en", kind=DocumentKind.PERSON_LETTER)
    under_152 = evaluate(record, default_law())
    assert available_kinds(under_152, default_law()) == (DocumentKind.DECISION,)


def test_the_documents_do_not_change_the_laws_version() -> None:
    law = get_law(LAW_ID)
    assert law.pack.documents is not None
    assert "documents" not in law.pack.model_dump(mode="json")


def test_the_cli_writes_representations_only_for_the_decisions_that_call_for_them(tmp_path: Path) -> None:
    import json

    source = tmp_path / "records.jsonl"
    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (VULNERABLE_GRAVE, CLOSED_CASE)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "document",
            str(source),
            "--law",
            LAW_ID,
            "--kind",
            "court_representation",
            "--lang",
            "kk",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["21-08_court_representation_kk.docx"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO((out / files[0]).read_bytes())).paragraphs)
    assert "2023 жылғы 6 желтоқсан" in text


def test_the_rendered_file_is_named_by_the_kind() -> None:
    record, decision = decided(RELEASED_MEDIUM)
    document = RENDERER.render(
        decision, record, get_law(LAW_ID), "ru", DocumentFormat.PDF, kind=DocumentKind.PERSON_LETTER
    )
    assert document.filename == "21-03_person_letter_ru.pdf"
    assert document.content.startswith(b"%PDF")


# K21-02: a small crime, restriction of freedom for 2 years from 10 Jan 2021 (R1): last day 9 Jan 2023;
# served on 8 Dec 2021: 10 months (to 10 Nov 2021) and 28 days; unserved: 13 months (to 8 Jan 2023) and
# 1 day = 1 year 1 month 1 day. Not in custody: the probation service sends the representation.
PROBATION_SMALL = {
    "person_id": "21-02",
    "full_name": "Ким Виктор Александрович",
    **NOT_VULNERABLE,
    "stage": "serving",
    "charges": [{"article": 202, "part": 1, "category": "small", "offence_date": "2020-11-10"}],
    "sentence": {"punishment": "restriction_of_freedom", "term": {"years": 2}, "start_date": "2021-01-10"},
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                "От службы пробации",
                "Отбытая часть: 10 месяцев 28 дней",
                "1 год 1 месяц 1 день",
                "Подпункт 1) пункта 1 статьи 2 Закона",
                "ограничение свободы",
            ],
        ),
        (
            "kk",
            [
                "Пробация қызметінен",
                "Өтелген бөлігі: 10 ай 28 күн",
                "1 жыл 1 ай 1 күн",
                "Заңының 2-бабы 1-тармағының 1) тармақшасы",
            ],
        ),
    ],
)
def test_a_non_custodial_punishment_is_represented_by_the_probation_service(
    language: str, expected: list[str]
) -> None:
    text = text_of(PROBATION_SMALL, DocumentKind.COURT_REPRESENTATION, language)
    for bit in expected:
        assert bit in text, bit
    assert "уголовно-исполнительной системы" not in text
    assert_clean(text, "21-02")


def test_a_reviewers_decision_in_force_replaces_the_engines_request_and_ground() -> None:
    import datetime as dt

    from amnesty.documents.context import Authority

    record, decision = decided(VULNERABLE_GRAVE)
    authority = Authority(
        source="reviewer",
        decided_by="Серикова А. Б.",
        decided_at=dt.date(2022, 1, 10),
        outcome=Outcome.RELEASE,
        citation="Пункт 5 статьи 3 Закона",
        justification="Осталось менее года с учётом зачёта",
        release_date=dt.date(2022, 1, 15),
    )
    text = RENDERER.text(
        decision, record, get_law(LAW_ID), "ru", authority, kind=DocumentKind.COURT_REPRESENTATION
    )
    assert "от дальнейшего отбывания основного наказания (лишение свободы) с 15 января 2022 г." in text
    assert "Пункт 5 статьи 3 Закона" in text
    assert "Пункт 2 статьи 3 Закона" not in text  # the engine's ground is not the reviewer's
    assert "наполовину" not in text
    assert "статус социально уязвимого лица" in text  # the proofs the engine's ground rested on
