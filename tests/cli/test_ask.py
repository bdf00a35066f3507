"""`amnesty ask`, and questions in `evaluate` and `explain`: answers typed at the terminal (fed on
standard input) complete the record until its decision asks nothing more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from amnesty.cli.main import app

runner = CliRunner()

THEFT = {
    "person_id": "ASK-1",
    "stage": "trial",
    "charges": [{"article": 188, "offence_date": "2022-01-05"}],
}
ORGANISER = {
    "person_id": "ASK-2",
    "stage": "pre_trial",
    "charges": [
        {"article": 272, "part": 1, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
}
NO_SENTENCE = {
    "person_id": "ASK-3",
    "stage": "serving",
    "charges": [
        {"article": 191, "part": 2, "category": "grave", "offence_date": "2022-01-05", "context": "riot"}
    ],
}


def _write(tmp_path: Path, data: Any, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _decide(path: Path) -> Any:
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_evaluate_gives_the_questions_of_a_needs_review_decision(tmp_path: Path) -> None:
    decision = _decide(_write(tmp_path, THEFT))
    assert decision["outcome"] == "needs_review"
    [question] = decision["questions"]
    assert question["field"] == "charges[0].context"
    assert question["rule"] == "S3"
    assert question["options"] == ["riot", "suppression", "unrelated"]
    assert question["leads_to"] == {
        "riot": "needs_review",
        "suppression": "needs_review",
        "unrelated": "not_covered",
    }
    assert set(question["text"]) == {"ru", "kk", "en"}
    assert "ст. 188 " in question["text"]["ru"]
    assert "5 января 2022" in question["text"]["ru"]
    assert decision["unanswerable"] == []


def test_explain_prints_the_questions_in_the_chosen_language(tmp_path: Path) -> None:
    path = _write(tmp_path, THEFT)
    result = runner.invoke(app, ["explain", str(path), "--lang", "kk"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Жауабы істі шешетін сұрақтар" in result.output
    assert "жаппай тәртіпсіздіктерге байланысты ма" in result.output
    assert "Рақымшылыққа жатпайды" in result.output  # what 'unrelated' leads to


def test_ask_completes_a_record_by_numbered_choices(tmp_path: Path) -> None:
    path = _write(tmp_path, THEFT)
    out = tmp_path / "done.json"
    # context: 1 = riot; then the category (asked only now): 9 is not offered, 'x' is not a number,
    # 3 = medium
    result = runner.invoke(app, ["ask", str(path), "--lang", "en", "--out", str(out)], input="1\n9\nx\n3\n")
    assert result.exit_code == 0, result.output
    assert "Please give one of the numbers shown." in result.output
    completed = json.loads(out.read_text(encoding="utf-8"))
    assert completed["charges"][0]["context"] == "riot"
    assert completed["charges"][0]["category"] == "medium"
    assert _decide(out)["outcome"] == "terminate_case"
    assert _decide(out)["questions"] == []


def test_ask_checks_dates_and_reasks_until_the_record_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path, ORGANISER)
    # not a date; the 31st of February; a birth date after the offence (the record refuses it);
    # then 6 January 2006 written the Russian way: 16 on the day of the offence
    answers = "вчера\n31.02.2006\n2023-01-01\n06.01.2006\n"
    result = runner.invoke(app, ["ask", str(path), "--lang", "ru"], input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("Это не дата") == 2
    assert "С этим ответом запись дела становится некорректной" in result.output
    completed = json.loads(result.stdout)
    assert completed["birth_date"] == "2006-01-06"
    decision = _decide(_write(tmp_path, completed, "done.json"))
    assert decision["outcome"] == "reduce_at_sentencing"
    assert "MINOR_ORGANISER_EXCEPTION" in [r["code"] for r in decision["reasons"]]


def test_ask_takes_a_whole_sentence(tmp_path: Path) -> None:
    path = _write(tmp_path, NO_SENTENCE)
    # punishment 1 = imprisonment; 8 years, months and days left at 0; start 6 January 2022; not suspended
    result = runner.invoke(app, ["ask", str(path)], input="1\n8\n\n\n2022-01-06\nn\n")
    assert result.exit_code == 0, result.output
    completed = json.loads(result.stdout)
    assert completed["sentence"] == {
        "punishment": "imprisonment",
        "term": {"years": 8, "months": 0, "days": 0},
        "start_date": "2022-01-06",
        "conditional": False,
    }
    assert _decide(_write(tmp_path, completed, "done.json"))["outcome"] == "reduce_sentence"


def test_ask_skips_on_enter_and_keeps_the_shape_of_the_input(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(THEFT) + "\n" + json.dumps(ORGANISER) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ask", str(path)], input="\n\n")
    assert result.exit_code == 0, result.output
    assert "Questions left unanswered" in result.output
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line) for line in lines] == [THEFT, ORGANISER]


def test_ask_writes_the_answers_so_far_when_input_ends(tmp_path: Path) -> None:
    path = _write(tmp_path, THEFT)
    result = runner.invoke(app, ["ask", str(path)], input="1\n")
    assert result.exit_code == 0, result.output
    assert "Input ended" in result.output
    assert json.loads(result.stdout)["charges"][0]["context"] == "riot"


def test_ask_reports_an_invalid_record(tmp_path: Path) -> None:
    path = _write(tmp_path, {"person_id": "BAD", "stage": "trial", "charges": []})
    result = runner.invoke(app, ["ask", str(path)], input="")
    assert result.exit_code == 1
    assert "charges" in result.output


def test_questions_counts_the_persons_a_question_could_settle(tmp_path: Path) -> None:
    decided = {
        **THEFT,
        "person_id": "ASK-4",
        "charges": [{**THEFT["charges"][0], "context": "riot", "category": "small"}],
    }
    beyond = {**ORGANISER, "person_id": "ASK-5", "charges": [{**ORGANISER["charges"][0], "article": 300}]}
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (THEFT, ORGANISER, NO_SENTENCE, decided, beyond)))
    result = runner.invoke(app, ["questions", str(path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["persons"] == 5
    assert figures["needs_review"] == 4
    assert figures["with_questions"] == 3
    assert figures["share_with_questions"] == 0.75
    # the theft: context, then (after riot or suppression) its category, whose every answer settles it
    assert figures["questions_along_longest_path"]["distribution"] == {"1": 2, "2": 1}
    assert figures["asked_by"] == {"CONTEXT_UNKNOWN": 1, "AGE_UNKNOWN": 1, "MISSING_SENTENCE": 1}
    assert figures["unanswerable_by"] == {"ARTICLE_LIST_INCOMPLETE": 1}
    table = runner.invoke(app, ["questions", str(path)], env={"COLUMNS": "200"})
    assert "with at least one question (75.0%)" in table.output


def test_ask_takes_a_yes_or_no_answer_about_the_victim(tmp_path: Path) -> None:
    record = {
        "person_id": "ASK-6",
        "stage": "trial",
        "charges": [
            {"article": 188, "part": 2, "offence_date": "2022-01-05", "context": "riot"},
            {"article": 120, "part": 1, "offence_date": "2022-01-06", "context": "unrelated"},
        ],
    }
    result = runner.invoke(app, ["ask", str(_write(tmp_path, record)), "--lang", "ru"], input="1\n")
    assert result.exit_code == 0, result.output
    assert "несовершеннолетним" in result.output
    completed = json.loads(result.stdout)
    assert completed["charges"][1]["victim_minor"] is True
    assert _decide(_write(tmp_path, completed, "done.json"))["outcome"] == "excluded"
