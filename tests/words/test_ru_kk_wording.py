"""Everything a Russian or Kazakh reader gets about a decision is in their language: every reason code's
sentence, every document template, `amnesty explain --lang`, the law pack's titles and notes. No
Latin-script word outside a short allowlist, no reason code, no ISO date."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.documents.render import DocumentRenderer
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.engine.codes import ReasonCode
from amnesty.engine.defaults import UNSETTLED_TEXTS
from amnesty.engine.evaluate import evaluate
from amnesty.engine.messages import MESSAGES, ORDER_MESSAGES, WORDS, law_words, render, word
from amnesty.law.loader import default_law
from amnesty.law.schema import Texts
from amnesty.render.citations import article_words, render_cites
from amnesty.render.decisions import headline, reason_text
from tests.words.wording import assert_readable, wording_problems

SCENARIOS = Path(__file__).parent.parent / "scenarios"
READERS = ("ru", "kk")

SAMPLE_PARAMS: dict[str, str] = {
    "article": "272",
    "article_ref": "272(2)",
    "part": "3",
    "parts": "1, 2",
    "known_through": "207",
    "date": "2022-01-05",
    "end_date": "2022-01-09",
    "start_date": "2022-01-06",
    "new_end_date": "2024-01-05",
    "as_of": "2022-11-03",
    "entry_into_force": "2022-11-03",
    "territory": word("country", "KG"),
    "provenance": word("provenance", "verified"),
    "category": word("category", "grave"),
    "tag": word("tag", "terrorist"),
    "recidivism": word("recidivism", "dangerous"),
    "missing": word("missing", "start_date"),
    "punishment": word("punishment", "fine"),
    "unit": word("unit", "mci"),
    "indicative": "55.57",
    "original_term": "term:8,0,0",
    "new_term": "term:2,0,0",
    "age": "17",
    "region": word("region", "Almaty"),
    "tasks": word("task", "employment", "documents"),
    "additional": word("punishment", "fine"),
    "fraction": word("fraction", "3/4"),
    "recorded": word("category", "medium"),
    "code": word("category", "grave"),
    "points": "1, 2",
    "reading": word("reading", "inclusive") if "reading" in WORDS else "…",
}
"""A value of each parameter the sentences use, in the form the engine gives it."""


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_code_has_a_sentence_in_every_language() -> None:
    missing = [code for code in ReasonCode if code not in MESSAGES]
    assert not missing, f"reason codes without sentences: {missing}"
    for code, sentences in MESSAGES.items():
        assert set(sentences) >= {"en", "ru", "kk"}, code


@pytest.mark.parametrize("language", READERS)
@pytest.mark.parametrize("code", list(MESSAGES), ids=str)
def test_reason_sentence_reads_in_the_language(code: ReasonCode, language: str) -> None:
    names = _placeholders(MESSAGES[code][language]) | _placeholders(MESSAGES[code]["en"])
    law = law_words(default_law())  # what the law says of itself: its window, its fractions
    params = {
        name: SAMPLE_PARAMS[name] for name in names if not name.startswith("context_") and name not in law
    }
    params |= {f"context_{lang}": "…" for lang in ("en", "ru", "kk")} | law
    unknown = names - set(params)
    assert not unknown, f"{code}: add sample values for {unknown} to SAMPLE_PARAMS"
    text = render(code, language, params)
    assert "?" not in text.replace("?»", ""), text
    assert_readable(text, f"{code} in {language}")


@pytest.mark.parametrize("language", READERS)
def test_vocabulary_reads_in_the_language(language: str) -> None:
    for kind, entries in WORDS.items():
        for name, spellings in entries.items():
            assert_readable(spellings[language], f"WORDS[{kind}][{name}] in {language}")


FREE_TEXT = "лишение права занимать государственные должности сроком на 3 года"
"""The record's own words (additional punishments) are quoted as the clerk wrote them: the scenarios
write them in English, a Russian or Kazakh register in its language."""


def _scenario_items() -> list[tuple[Path, dict[str, Any]]]:
    items = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            sentence = item["record"].get("sentence")
            if isinstance(sentence, dict) and sentence.get("additional"):
                sentence["additional"] = [FREE_TEXT]
            items.append((path, item))
    return items


def _scenario_records() -> list[tuple[str, CaseRecord, dt.date | None, bool]]:
    found = []
    for path, item in _scenario_items():
        try:
            record = parse_record(item["record"])
        except ValueError:
            continue
        as_of = item.get("as_of")
        as_of_date = dt.date.fromisoformat(str(as_of)) if as_of else None
        found.append((f"{path.stem}: {item['name']}", record, as_of_date, bool(item.get("strict"))))
    return found


@pytest.fixture(scope="module")
def decided() -> list[tuple[str, CaseRecord, Decision]]:
    law = default_law()
    return [
        (name, record, evaluate(record, law, as_of or law.entry_into_force, strict))
        for name, record, as_of, strict in _scenario_records()
    ]


def test_the_scenarios_reach_every_outcome_and_most_codes(
    decided: list[tuple[str, CaseRecord, Decision]],
) -> None:
    outcomes = {decision.outcome for _, _, decision in decided}
    assert outcomes == set(Outcome)
    codes = {code for _, _, decision in decided for code in decision.reason_codes()}
    assert len(codes) >= len(ReasonCode) * 0.8


@pytest.mark.parametrize("language", READERS)
def test_decisions_of_every_scenario_read_in_the_language(
    decided: list[tuple[str, CaseRecord, Decision]], language: str
) -> None:
    for name, _, decision in decided:
        assert_readable(headline(decision, language), f"{name}: headline ({language})")
        reasons = list(decision.reasons) + [r for charge in decision.charges for r in charge.reasons]
        for reason in reasons:
            assert_readable(
                reason_text(reason, language, default_law()), f"{name}: {reason.code} ({language})"
            )
            assert reason_text(reason, language, default_law()) == reason.texts[language]
            assert_readable(render_cites(reason.cites, language), f"{name}: cites ({language})")


@pytest.mark.parametrize("language", READERS)
def test_every_document_template_reads_in_the_language(
    decided: list[tuple[str, CaseRecord, Decision]], language: str
) -> None:
    renderer = DocumentRenderer()
    law = default_law()
    seen: set[Outcome] = set()
    for name, record, decision in decided:
        with_record = renderer.text(decision, record, law, language)
        assert_readable(with_record, f"{name}: document ({language})")
        if decision.outcome not in seen:
            seen.add(decision.outcome)
            assert_readable(renderer.text(decision, None, law, language), f"{name}: document without record")
    assert seen == set(Outcome)


@pytest.mark.parametrize("language", READERS)
def test_explain_reads_in_the_language(tmp_path: Path, language: str) -> None:
    records = [
        item["record"] for _, item in _scenario_items() if not item.get("as_of") and not item.get("strict")
    ]
    source = tmp_path / "records.json"
    source.write_text(json.dumps(records, default=str, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["explain", str(source), "--lang", language], terminal_width=200)
    assert result.exit_code in (0, 1), result.output
    assert len(result.output) > 1000
    assert_readable(result.output, f"explain --lang {language}")


@pytest.mark.parametrize("language", READERS)
def test_law_pack_texts_read_in_the_language(language: str) -> None:
    pack = default_law().pack

    def walk(value: Any, where: str) -> None:
        if isinstance(value, Texts):
            assert_readable(value[language], f"{where} ({language})")
        elif hasattr(value, "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{where}.{name}")
        elif isinstance(value, tuple | list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")

    walk(pack, "pack")
    for entry in default_law().catalogue.entries:
        if entry.title is not None:
            assert_readable(entry.title[language], f"catalogue {entry.article}({entry.part}) ({language})")
    for rule_id, rule in pack.rules.items():
        assert_readable(render_cites(rule.cites, language), f"rule {rule_id} cites ({language})")
    for exclusion in pack.exclusions:
        assert_readable(render_cites(exclusion.cites, language), f"{exclusion.rule} cites ({language})")


def test_the_check_itself_catches_what_it_must() -> None:
    assert wording_problems("Совершено 2022-01-04.")
    assert wording_problems("Основания: REDUCE_AT_SENTENCING")
    assert wording_problems("Law 152-VII, art. 1")
    assert not wording_problems("Закон № 152-VII, ст. 1 (правило S4), лицо P-000123, файл PDF")


@pytest.mark.parametrize("language", READERS)
def test_what_if_comparison_reads_in_the_language(
    decided: list[tuple[str, CaseRecord, Decision]], language: str
) -> None:
    from amnesty.web import i18n
    from amnesty.web.compare import compare_decisions

    token = i18n.current_language.set(language)
    try:
        by_outcome = {decision.outcome: decision for _, _, decision in decided}
        pairs = [
            (by_outcome[Outcome.REDUCE_AT_SENTENCING], by_outcome[Outcome.NOT_COVERED]),
            (by_outcome[Outcome.REDUCE_SENTENCE], by_outcome[Outcome.RELEASE]),
        ]
        for before, after in pairs:
            comparison = compare_decisions(before, after, language)
            text = "\n".join(f"{line.name}: {line.before} → {line.after}" for line in comparison.lines)
            assert_readable(
                comparison.before_headline + "\n" + comparison.after_headline + "\n" + text, "what-if"
            )
    finally:
        i18n.current_language.reset(token)


_PAREN_PART = re.compile(r"\b\d+\(\d+\)")
"""'272(2)': the shorthand of data files, never in sentences (they read 'art. 272 part 2')."""


@pytest.mark.parametrize("language", ["en", *READERS])
def test_sentences_and_documents_cite_articles_as_the_renderer_writes_them(
    decided: list[tuple[str, CaseRecord, Decision]], language: str
) -> None:
    renderer = DocumentRenderer()
    law = default_law()
    seen_parts = 0
    for name, record, decision in decided:
        texts = [headline(decision, language), renderer.text(decision, record, law, language)]
        reasons = list(decision.reasons) + [r for charge in decision.charges for r in charge.reasons]
        texts += [reason_text(reason, language, default_law()) for reason in reasons]
        texts += [render_cites(reason.cites, language) for reason in reasons]
        for text in texts:
            assert not _PAREN_PART.search(text), f"{name} ({language}): {text}"
        for charge in record.charges:
            if charge.part:
                seen_parts += 1
                ref = article_words(charge.article, charge.part, language)
                assert ref[:1].upper() + ref[1:] in texts[1], f"{name}: charge {ref} not in the document"
    assert seen_parts > 10


def test_the_article_forms_of_the_renderer() -> None:
    assert article_words(272, 2, "en") == "art. 272 part 2"
    assert article_words(272, 2, "ru") == "ст. 272 ч. 2"
    assert article_words(272, 2, "kk") == "272-бабы 2-бөлігі"
    assert article_words(188, None, "ru") == "ст. 188"
    assert render_cites("Criminal Code art. 272 part 2", "en") == "Criminal Code " + article_words(
        272, 2, "en"
    )
    assert render_cites("Criminal Code art. 272 part 2", "ru") == "УК РК, " + article_words(272, 2, "ru")
    decision = evaluate(parse_record(_GRAVE_RIOT))
    in_scope = decision.charges[0].reasons[0]
    assert reason_text(in_scope, "en", default_law()).startswith("Art. 272 part 2 falls within the amnesty")
    assert reason_text(in_scope, "ru", default_law()).startswith("Ст. 272 ч. 2 подпадает под амнистию")


_GRAVE_RIOT = {
    "person_id": "R-1",
    "stage": "serving",
    "charges": [
        {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
}


@pytest.mark.parametrize("language", ["en", *READERS])
def test_explain_and_its_questions_cite_articles_as_the_renderer_writes_them(
    tmp_path: Path, language: str
) -> None:
    records = [item["record"] for _, item in _scenario_items() if not item.get("as_of")]
    source = tmp_path / "records.json"
    source.write_text(json.dumps(records, default=str, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["explain", str(source), "--lang", language], terminal_width=400)
    assert result.exit_code in (0, 1), result.output
    assert "?" in result.output, "the explanation asks its questions"
    found = _PAREN_PART.findall(result.output)
    assert not found, found


@pytest.mark.parametrize("language", READERS)
@pytest.mark.parametrize("code", list(ORDER_MESSAGES), ids=str)
def test_the_order_of_applications_reasons_read_in_the_language(code: str, language: str) -> None:
    """The reasons the order of application gives itself (a conflict of rules, no rule that applies),
    and why no fact settles them, read in every language."""
    text = render(code, language, {"rules": "R2, R5"}, default_law())
    assert "?" not in text.replace("?»", ""), text
    assert_readable(text, f"{code} in {language}")
    assert_readable(UNSETTLED_TEXTS[code][language], f"why no fact settles {code}, in {language}")
