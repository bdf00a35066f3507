"""Validation problems in the reader's language, naming the field by its label (and, in files, by its
column): `evaluate --lang`, `batch --lang` (rejected.csv), the record's own checks and Pydantic's."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.domain.records import field_errors, parse_record
from amnesty.render.formats import language_from_accept
from amnesty.render.validation import PROBLEMS, field_label, problem_text
from tests.words.wording import assert_readable

BAD_RECORDS: list[dict[str, Any]] = [
    {
        "person_id": "B-1",
        "stage": "trial",
        "iin": "123",
        "charges": [{"article": 188, "offence_date": "2022-02-30"}],
    },
    {
        "person_id": "B-2",
        "stage": "trial",
        "iin": "850315300129",
        "charges": [{"article": 188, "offence_date": "2022-01-05"}],
    },
    {
        "person_id": "B-3",
        "stage": "trial",
        "iin": "850315300128",
        "birth_date": "1985-03-16",
        "charges": [{"article": 188, "offence_date": "2022-01-05"}],
    },
    {
        "person_id": "B-4",
        "stage": "trial",
        "birth_date": "2023-01-01",
        "charges": [{"article": 188, "offence_date": "2022-01-05"}],
    },
    {
        "person_id": "B-5",
        "stage": "court",
        "charges": [{"article": 0, "part": "x", "offence_date": "2022-13-05"}],
    },
    {"person_id": " ", "charges": []},
    {
        "person_id": "B-7",
        "stage": "trial",
        "charges": [{"article": 188, "offence_date": "2022-01-07", "offence_end_date": "2022-01-05"}],
        "sentence": {"punishment": "imprisonment", "term": {"years": -1}, "fine_amount_mci": "much"},
    },
]

_QUOTED = re.compile(r"'[^']*'")


def _errors(data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        parse_record(data)
    return field_errors(caught.value)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_problem_of_a_bad_record_reads_in_the_language(language: str) -> None:
    for data in BAD_RECORDS:
        for error in _errors(data):
            message = error.message(language)
            assert_readable(_QUOTED.sub("«…»", message), f"{data['person_id']}: {error.field} ({language})")
            assert error.code, f"{error.field}: {error.problem} has no code"


def test_the_messages_name_the_field_by_its_label() -> None:
    [iin, date] = _errors(BAD_RECORDS[0])
    assert iin.message("ru") == "ИИН: ИИН должен состоять ровно из 12 цифр"
    assert iin.message("kk") == "ЖСН: ЖСН дәл 12 цифрдан тұруы тиіс"
    assert date.message("ru") == "Дата совершения (обвинение 1): неверная дата (такого дня в месяце нет)"
    assert date.message("en").startswith("Offence date (charge 1): not a valid date")
    [mismatch, *_] = _errors(BAD_RECORDS[2])
    assert (
        mismatch.message("ru")
        == "Дата рождения: 16 марта 1985 г. не совпадает с ИИН (в нём 15 марта 1985 г.)"
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_problem_text_and_label_reads_in_the_language(language: str) -> None:
    for code, texts in PROBLEMS.items():
        assert set(texts) == {"en", "ru", "kk"}, code
        params = dict.fromkeys(re.findall(r"\{(\w+)\}", texts["en"] + texts[language]), "2")
        text = problem_text(code, params, "", language)
        assert_readable(text.replace("JSON", ""), f"{code} ({language})")
    for name in ("iin", "charges[2].offence_date", "sentence.term.years", "(file)"):
        assert_readable(field_label(name, language), name)


def test_evaluate_gives_messages_in_the_language(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in BAD_RECORDS[:2]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(source), "--lang", "kk"])
    assert result.exit_code == 1
    errors = json.loads(result.stderr)
    assert errors[1]["errors"][0] == {
        "field": "iin",
        "problem": "IIN check digit is wrong",
        "message": "ЖСН: ЖСН бақылау цифры қате",
    }


def test_batch_rejected_csv_in_russian_names_label_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "person_id,iin,stage,article,part,category,offence_date,context,region\n"
        "A1,123,trial,188,2,medium,2022-02-30,riot,Almaty\n"
        "A2,850315300129,trial,188,2,medium,2022-01-05,riot,Almaty\n"
        "A3,,trial,188,2,medium,2022-01-05,riot,Almaty\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(source), "--out", str(out), "--lang", "ru"])
    assert result.exit_code == 1, result.output
    with (out / "rejected.csv").open(encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(r["row"], r["field"]) for r in rejected] == [("2", "iin"), ("2", "offence_date"), ("3", "iin")]
    assert rejected[1]["problem"] == "Дата совершения (offence_date): неверная дата (такого дня в месяце нет)"
    assert rejected[2]["problem"] == "ИИН (iin): неверная контрольная цифра ИИН"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == summary["rows_decided"] + summary["rows_rejected"] == 3
    assert summary["rows_decided"] == 1


def test_accept_language_picks_the_most_preferred_known_language() -> None:
    assert language_from_accept("kk-KZ,ru;q=0.8") == "kk"
    assert language_from_accept("de, ru;q=0.5, kk;q=0.7") == "kk"
    assert language_from_accept("de") == "en"
    assert language_from_accept(None, "ru") == "ru"
