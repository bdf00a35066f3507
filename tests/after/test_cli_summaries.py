"""`amnesty questions` and `amnesty report` print their summaries in the reader's language (issue 23,
item 8), as a user types them; `--json` keeps the stable keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.cli.summaries import SUMMARY_WORDS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_every_summary_line_is_written_in_three_languages_with_the_same_figures() -> None:
    for key, words in SUMMARY_WORDS.items():
        assert set(words) == {"en", "ru", "kk"}, key
        names = {
            lang: sorted(part.split("}")[0] for part in text.split("{")[1:]) for lang, text in words.items()
        }
        assert names["ru"] == names["en"] == names["kk"], key


@pytest.mark.parametrize(
    ("lang", "line"), [("ru", "нужна проверка юриста"), ("kk", "заңгердің тексеруі қажет")]
)
def test_questions_prints_its_figures_in_the_readers_language(lang: str, line: str) -> None:
    result = CliRunner().invoke(app, ["questions", str(EXAMPLES / "records.jsonl"), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert line in result.output
    assert "needs review" not in result.output
    figures = json.loads(
        CliRunner().invoke(app, ["questions", str(EXAMPLES / "records.jsonl"), "--json"]).output
    )
    assert f"{figures['needs_review']}" in result.output.split(line)[1].split("\n")[0]


def test_report_closes_with_a_summary_in_the_readers_language(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", str(EXAMPLES / "records.jsonl"), "--out", str(tmp_path), "--lang", "ru"]
    )
    assert result.exit_code == 0, result.output
    files = len([p for p in tmp_path.rglob("*") if p.is_file()])
    records = [line for line in (EXAMPLES / "records.jsonl").read_text().splitlines() if line.strip()]
    assert (
        f"учтено решений: {len(records)}, неверных записей: 0; записано файлов: {files} в {tmp_path}"
        in result.output
    )
