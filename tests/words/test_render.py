"""The one renderer: dates, numbers, terms and citations per language, and reasons rendered again from
their codes and parameters (what exports call to add sentences on request)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import default_law
from amnesty.render.citations import render_cites
from amnesty.render.decisions import decision_with_texts, reason_text, render_reasons
from amnesty.render.formats import babel_date, format_date, format_number, format_term

GRAVE = {
    "person_id": "R-1",
    "stage": "serving",
    "charges": [
        {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-01-06"},
}


def test_dates_numbers_and_terms_in_each_language() -> None:
    day = dt.date(2022, 1, 4)
    assert format_date(day, "ru") == "4 января 2022 г."
    assert format_date(day, "kk") == "2022 жылғы 4 қаңтар"
    assert format_date(day, "en") == "4 January 2022"
    assert format_number(55.57, "ru") == "55,57"
    assert format_number(55.57, "kk") == "55,57"
    assert format_number(55.57, "en") == "55.57"
    assert format_number(40.0, "ru") == "40"
    assert format_term(2, 3, 0, "ru") == "2 года 3 месяца"
    assert format_term(5, 0, 1, "ru") == "5 лет 1 день"
    assert format_term(2, 3, 0, "kk") == "2 жыл 3 ай"


def test_citations_in_each_language() -> None:
    assert render_cites("Law 152-VII, art. 1", "ru") == "Закон № 152-VII, ст. 1"
    assert render_cites("Law 152-VII, art. 1", "kk") == "№ 152-VII Заң, 1-бап"
    assert (
        render_cites("Law 152-VII; Criminal Code art. 272 part 1", "ru")
        == "Закон № 152-VII; УК РК, ст. 272 ч. 1"
    )
    assert (
        render_cites("Law 152-VII; Criminal Code art. 272 part 1", "kk")
        == "№ 152-VII Заң; ҚР ҚК 272-бабы 1-бөлігі"
    )
    assert render_cites("Law 152-VII (by inference)", "en") == "Law 152-VII (by inference)"
    assert render_cites("something else", "ru") == "something else"


def test_reasons_keep_their_parameters_and_render_again_in_any_language() -> None:
    decision = evaluate(parse_record(GRAVE))
    reduce = next(r for r in decision.reasons if r.code == "REDUCE_GRAVE")
    assert reduce.params["new_end_date"] == "2024-01-05"
    assert reduce.params["original_term"] == "term:8,0,0"
    assert "5 января 2024 г." in reduce.texts["ru"]
    assert "2024 жылғы 5 қаңтар" in reduce.texts["kk"]
    assert "5 January 2024" in reduce.text
    for reason in decision.reasons:
        assert reason_text(reason, "kk", default_law()) == reason.texts["kk"]
    bare = decision.model_copy(
        update={
            "reasons": tuple(r.model_copy(update={"text": "", "texts": {}}) for r in decision.reasons),
            "charges": tuple(
                c.model_copy(
                    update={
                        "reasons": tuple(r.model_copy(update={"text": "", "texts": {}}) for r in c.reasons)
                    }
                )
                for c in decision.charges
            ),
        }
    )
    assert decision_with_texts(bare, ["en", "ru", "kk"], default_law()) == decision
    russian = decision_with_texts(bare, ["ru"], default_law())
    assert russian.reasons[0].texts == {"ru": decision.reasons[0].texts["ru"]}
    assert russian.reasons[0].text == decision.reasons[0].texts["ru"]
    assert render_reasons(decision, "ru", default_law())[0] == decision.reasons[0].texts["ru"]


def test_an_article_with_its_part_reads_as_lawyers_write_it() -> None:
    decision = evaluate(parse_record(GRAVE))
    in_scope = decision.charges[0].reasons[0]
    assert in_scope.code == "IN_SCOPE"
    assert in_scope.texts["kk"].startswith("272-баптың 2-бөлігі рақымшылыққа жатады")
    assert in_scope.texts["ru"].startswith("Ст. 272 ч. 2 подпадает под амнистию")


@given(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), st.sampled_from(["ru", "kk", "en"])
)
def test_the_quick_date_is_babels_date(day: dt.date, language: str) -> None:
    assert format_date(day, language) == babel_date(day, language)


def test_several_articles_in_one_citation() -> None:
    assert render_cites("Criminal Code art. 10, 11", "ru") == "УК РК, ст. 10, 11"
    assert render_cites("Criminal Code art. 10, 11", "kk") == "ҚР ҚК 10, 11-баптары"
    assert render_cites("Criminal Code art. 10, 11", "en") == "Criminal Code art. 10, 11"
