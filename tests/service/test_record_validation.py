"""Input a person can trust (issue 23, item 3): dates in ISO and day.month.year, region names in
Russian and Kazakh, impossible values refused naming the row and the field, and the upload template,
which the reader accepts as it is. Files go through the one reader (`amnesty.io.tabular`), whose
records are validated by the one record model (`amnesty.domain.records`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.domain.enums import Flag, Outcome
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.io.columns import ALL_COLUMNS, REQUIRED_COLUMNS
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.tabular import read_records
from amnesty.law.registry import get_law
from amnesty.service.exports import ExportFormat, record_template
from amnesty.service.template import template_columns

HEADER = "person_id,full_name,region,stage,birth_date,article,part,category,offence_date,offence_end_date,context\n"


def _read(tmp_path: Path, rows: list[str]) -> list[ParsedRecord | RecordError]:
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return list(read_records(path))


def test_national_dates_and_local_region_names_are_read(tmp_path: Path) -> None:
    items = _read(
        tmp_path,
        [
            "P-1,Первый,город Алматы,trial,14.03.1990,293,2,grave,05.01.2022,,riot",
            "P-2,Второй,Ақтөбе облысы,trial,1990-03-14,293,2,grave,2022-01-05,07.01.2022,riot",
            "P-3,Третий,Алматинская область,trial,1.2.1990,293,2,grave,4.1.2022,,riot",
        ],
    )
    records = [item.record for item in items if isinstance(item, ParsedRecord)]
    assert [r.region for r in records] == ["Almaty", "Aktobe", "Almaty Region"]
    assert [r.birth_date for r in records] == [
        dt.date(1990, 3, 14),
        dt.date(1990, 3, 14),
        dt.date(1990, 2, 1),
    ]
    assert [r.charges[0].offence_date for r in records] == [dt.date(2022, 1, d) for d in (5, 5, 4)]
    assert records[1].charges[0].offence_end_date == dt.date(2022, 1, 7)


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("P-9,Будущий,Astana,trial,,293,2,grave,{future},,riot", "offence_date", "в будущем"),
        (
            "P-9,Будущий,Astana,trial,,293,2,grave,05.01.2022,{future},riot",
            "offence_end_date",
            "в будущем",
        ),
        ("P-9,Поздний,Astana,trial,06.01.2022,293,2,grave,05.01.2022,,riot", "birth_date", "родилось"),
        (
            "P-9,Обратный,Astana,trial,,293,2,grave,07.01.2022,05.01.2022,riot",
            "offence_end_date",
            "раньше даты",
        ),
        ("P-9,Неверный,Astana,trial,,293,2,grave,31.02.2022,,riot", "offence_date", "такого дня"),
        ("P-9,Нигде,Алматы,trial,,293,2,grave,05.01.2022,,riot", "region", "region"),
    ],
)
def test_an_impossible_value_is_refused_naming_the_row_and_the_field(
    tmp_path: Path, row: str, field: str, words: str
) -> None:
    future = (dt.date.today() + dt.timedelta(days=2)).strftime("%d.%m.%Y")
    good = "P-1,Первый,Astana,trial,,293,2,grave,05.01.2022,,riot"
    items = _read(tmp_path, [good, row.format(future=future)])
    assert isinstance(items[0], ParsedRecord)
    refused = items[1]
    assert isinstance(refused, RecordError)
    assert refused.line == 3
    errors = refused.to_json_dict("ru")["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"] or words in errors[0]["problem"]


def test_an_offence_of_today_is_accepted_and_one_of_tomorrow_is_not() -> None:
    def record(day: dt.date) -> dict[str, object]:
        return {
            "person_id": "P",
            "stage": "trial",
            "charges": [{"article": 293, "offence_date": day.isoformat()}],
        }

    assert parse_record(record(dt.date.today())).charges[0].offence_date == dt.date.today()
    with pytest.raises(ValueError, match="after today"):
        parse_record(record(dt.date.today() + dt.timedelta(days=1)))


@pytest.mark.parametrize("fmt", list(ExportFormat))
@pytest.mark.parametrize("law_id", ["kz-2022-152-vii", "kz-2021-81-vii"])
def test_a_laws_upload_template_is_the_columns_it_reads_with_a_row_it_decides_on(
    tmp_path: Path, fmt: ExportFormat, law_id: str
) -> None:
    law = get_law(law_id)
    template = record_template(fmt, law)
    assert template.filename == f"records-template-{law_id}.{fmt.value}"
    path = tmp_path / template.filename
    path.write_bytes(template.content)
    columns = template_columns(law)
    assert set(REQUIRED_COLUMNS) <= set(columns) <= set(ALL_COLUMNS)
    assert list(columns) == [c for c in ALL_COLUMNS if c in columns]  # the contract's order
    if fmt is ExportFormat.CSV:
        assert path.read_text(encoding="utf-8-sig").splitlines()[0].split(",") == list(columns)
    (item,) = read_records(path)
    assert isinstance(item, ParsedRecord), item  # imported without a rejection
    record = item.record
    assert record.region == "Almaty"
    decision = evaluate(record, law=law)
    assert decision.law == law_id
    assert decision.outcome not in (Outcome.NOT_COVERED, Outcome.EXCLUDED, Outcome.NEEDS_REVIEW)
    assert Flag.BEFORE_ENTRY_INTO_FORCE not in decision.flags
    assert Flag.PROVISIONAL_BASIS not in decision.flags


def test_each_laws_template_has_the_columns_of_what_its_rules_read_and_no_other() -> None:
    riots, independence = (
        template_columns(get_law("kz-2022-152-vii")),
        template_columns(get_law("kz-2021-81-vii")),
    )
    assert {"context", "territory"} <= set(riots)  # Law 152-VII's window of riots (S2, S3)
    assert not {"damage", "code", "veteran"} & set(riots)
    assert {"damage", "civil_claim", "code", "veteran", "negative_conduct"} <= set(independence)
    assert not {"context", "territory"} & set(independence)
    assert "full_name" not in riots + independence  # no rule reads it: the reader takes it all the same


def test_the_template_command_writes_a_laws_template(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        app, ["template", "--law", "kz-2021-81-vii", "--format", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == record_template(ExportFormat.XLSX, get_law("kz-2021-81-vii")).content
    (item,) = read_records(out)
    assert isinstance(item, ParsedRecord), item
    unknown = CliRunner().invoke(app, ["template", "--law", "kz-1999-none", "--out", str(out)])
    assert unknown.exit_code == 2
