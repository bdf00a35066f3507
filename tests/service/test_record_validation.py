"""Input a person can trust (issue 23, item 3): dates in ISO and day.month.year, region names in
Russian and Kazakh, impossible values refused naming the row and the field, and the upload template,
which the reader accepts as it is. Files go through the one reader (`amnesty.io.tabular`), whose
records are validated by the one record model (`amnesty.domain.records`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from amnesty.domain.records import parse_record
from amnesty.io.columns import ALL_COLUMNS
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.tabular import read_records
from amnesty.service.exports import ExportFormat, record_template

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
def test_the_upload_template_has_every_column_and_an_example_row_the_reader_accepts(
    tmp_path: Path, fmt: ExportFormat
) -> None:
    template = record_template(fmt)
    path = tmp_path / template.filename
    path.write_bytes(template.content)
    if fmt is ExportFormat.CSV:
        assert path.read_text(encoding="utf-8-sig").splitlines()[0].split(",") == list(ALL_COLUMNS)
    (item,) = read_records(path)
    assert isinstance(item, ParsedRecord), item
    assert item.record.region == "Almaty"
    assert item.record.charges[0].offence_date == dt.date(2022, 1, 5)
