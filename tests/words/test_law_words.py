"""The words follow the pack: a sentence that names the law's window or fraction takes it from the law
the decision was made under, so a what-if overlay or another law changes the words with the rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.impact.variant import read_variant, variant_law
from amnesty.law.loader import default_law
from amnesty.render.decisions import reason_text
from amnesty.render.formats import format_period

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LATE = {
    "person_id": "W-1",
    "stage": "serving",
    "charges": [
        {"article": 272, "part": 2, "category": "grave", "offence_date": "2022-02-15", "context": "riot"}
    ],
    "sentence": {"punishment": "imprisonment", "term": {"years": 8}, "start_date": "2022-02-16"},
}
GRAVE = {**LATE, "charges": [{**LATE["charges"][0], "offence_date": "2022-01-05"}]}


def test_periods_read_as_sentences_say_them() -> None:
    start, end = dt.date(2022, 1, 4), dt.date(2022, 1, 7)
    assert format_period(start, end, "en") == "4 to 7 January 2022"
    assert format_period(start, end, "ru") == "с 4 по 7 января 2022 года"
    assert format_period(start, end, "kk") == "2022 жылғы 4-7 қаңтар"
    assert format_period(start, end, "ru", compact=True) == "4-7 января 2022 года"
    across = (dt.date(2021, 12, 28), dt.date(2022, 1, 7))
    assert format_period(*across, "en") == "28 December 2021 to 7 January 2022"
    assert format_period(*across, "ru") == "с 28 декабря 2021 года по 7 января 2022 года"
    assert format_period(*across, "kk") == "2021 жылғы 28 желтоқсан – 2022 жылғы 7 қаңтар"


def _out_of_window(decision_law, record):
    decision = evaluate(parse_record(record), decision_law)
    (reason,) = [r for r in decision.charges[0].reasons if r.code == "OUT_OF_WINDOW"]
    return reason


def test_the_window_in_the_words_is_the_laws() -> None:
    reason = _out_of_window(default_law(), LATE)
    assert "outside the period of 4 to 7 January 2022" in reason.texts["en"]
    assert "вне периода с 4 по 7 января 2022 года" in reason.texts["ru"]
    wider = variant_law(read_variant(EXAMPLES / "variants" / "wider-window.yaml"))
    late_in_january = {**LATE, "charges": [{**LATE["charges"][0], "offence_date": "2022-02-01"}]}
    reason = _out_of_window(wider, late_in_january)
    assert "outside the period of 1 to 31 January 2022" in reason.texts["en"]
    assert "вне периода с 1 по 31 января 2022 года" in reason.texts["ru"]
    assert "2022 жылғы 1-31 қаңтар" in reason.texts["kk"]
    # rendered again later (an export adding sentences), the words are still the variant's
    assert reason_text(reason, "ru", wider) == reason.texts["ru"]


def test_the_fraction_in_the_words_is_the_laws() -> None:
    grave_half = variant_law(read_variant(EXAMPLES / "variants" / "grave-half.yaml"))
    default = evaluate(parse_record(GRAVE), default_law()).reasons[0]
    halved = evaluate(parse_record(GRAVE), grave_half).reasons[0]
    assert default.code == halved.code == "REDUCE_GRAVE"
    assert "cut by three quarters" in default.texts["en"]
    assert "cut by half" in halved.texts["en"]
    assert "сокращается наполовину" in halved.texts["ru"]
    assert "екі есеге қысқартылады" in halved.texts["kk"]
    assert halved.params == {**default.params, **{k: halved.params[k] for k in ("new_term", "new_end_date")}}
