"""`amnesty db import FILE`: stores a CSV as a job (visible in the job list), or, with a bad row,
nothing, listing every rejected row on stderr with exit status 1; the audit chain stays intact."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from amnesty.audit import verify_chain
from amnesty.cli.main import app as cli
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.models import JobRow, Person

CSV = (
    "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
    "CLI-1,Один,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
    "CLI-2,Два,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
)


def _count(url, model):
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as db:
            return int(db.scalar(select(func.count(model.id))) or 0), verify_chain(db).ok
    finally:
        engine.dispose()


def test_db_import_stores_a_csv_as_a_job(fresh_url, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(cli, ["db", "import", str(path), "--database-url", fresh_url])
    assert result.exit_code == 0, result.output
    assert "2 records stored: 2 new" in result.stdout
    assert _count(fresh_url, Person) == (2, True)
    assert _count(fresh_url, JobRow)[0] == 1


def test_db_import_with_a_bad_row_stores_nothing_and_lists_it(fresh_url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "CLI-3,Три,pre_trial,Almaty,293,1,small,2022-13-45,riot\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["db", "import", str(path), "--database-url", fresh_url])
    assert result.exit_code == 1
    assert "1 of 3 rows are invalid; nothing was stored" in result.stderr
    assert "[CLI-3]" in result.stderr
    assert "offence_date" in result.stderr
    assert _count(fresh_url, Person)[0] == 0


def test_db_import_refuses_an_unknown_file_type(fresh_url, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(cli, ["db", "import", str(path), "--database-url", fresh_url])
    assert result.exit_code == 2
    assert "unsupported file type" in result.stderr


def test_db_import_lists_rejected_rows_in_the_readers_language(fresh_url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "CLI-3,Три,pre_trial,Almaty,293,1,small,2022-13-45,riot\n", encoding="utf-8")
    args = ["db", "import", str(path), "--database-url", fresh_url, "--lang", "ru"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "ничего не сохранено" in result.stderr
    line = next(text for text in result.stderr.splitlines() if "[CLI-3]" in text)
    assert "offence_date" in line  # the file's column, then the problem in words
    assert "Дата" in line or "дата" in line
    assert "Input should" not in line
    assert _count(fresh_url, Person)[0] == 0
