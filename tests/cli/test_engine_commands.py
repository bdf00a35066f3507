"""The command line: `evaluate`, `explain` and `law` as CONTRACT.md describes them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from amnesty.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def test_evaluate_decides_the_contract_example_as_the_contract_shows() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "contract-example.json")])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["person_id"] == "P-000123"
    assert decision["law"] == "kz-2022-152-vii"
    assert decision["as_of"] == "2022-11-03"
    assert decision["outcome"] == "reduce_sentence"
    assert decision["acting_body"] == "court"
    assert decision["charges"][0]["covered"] is True
    assert decision["charges"][0]["reasons"][0]["code"] == "IN_SCOPE"
    assert decision["charges"][0]["reasons"][0]["rule"] == "S4"
    assert decision["sentence"]["original_term"] == {"years": 8, "months": 0, "days": 0}
    assert decision["sentence"]["new_term"] == {"years": 2, "months": 0, "days": 0}
    assert decision["sentence"]["original_end_date"] == "2030-01-05"
    assert decision["sentence"]["new_end_date"] == "2024-01-05"
    assert decision["sentence"]["release"] == "on_date"
    assert [r["code"] for r in decision["reasons"]] == ["REDUCE_GRAVE"]
    assert decision["reasons"][0]["rule"] == "R4"
    assert decision["flags"] == []
    assert decision["resocialisation"] == []


def test_evaluate_many_records_gives_an_array() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "records.jsonl")])
    assert result.exit_code == 0, result.output
    decisions = json.loads(result.stdout)
    lines = (EXAMPLES / "records.jsonl").read_text().splitlines()
    assert len(decisions) == len(lines)
    assert len({d["outcome"] for d in decisions}) >= 7


def test_invalid_records_go_to_stderr_and_the_rest_are_decided() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "with-errors.jsonl")])
    assert result.exit_code == 1
    decisions = json.loads(result.stdout)
    assert [d["person_id"] for d in decisions] == ["P-OK-3"]
    errors = json.loads(result.stderr)
    assert [(e["person_id"], e["line"]) for e in errors] == [("P-BAD-1", 1), ("P-BAD-2", 2)]
    assert errors[0]["errors"] == [
        {"field": "charges[0].offence_date", "problem": errors[0]["errors"][0]["problem"]}
    ]
    assert "month" in errors[0]["errors"][0]["problem"]
    assert errors[1]["errors"][0] == {"field": "iin", "problem": "IIN check digit is wrong"}


def test_evaluate_as_of_and_strict(tmp_path: Path) -> None:
    record = json.loads((EXAMPLES / "contract-example.json").read_text())
    record["charges"][0]["article"] = 293
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record))
    lenient = json.loads(runner.invoke(app, ["evaluate", str(path)]).stdout)
    assert lenient["outcome"] == "reduce_sentence"
    assert lenient["flags"] == ["provisional_basis"]
    strict = json.loads(runner.invoke(app, ["evaluate", str(path), "--strict"]).stdout)
    assert strict["outcome"] == "needs_review"
    assert "strict_mode" in strict["flags"]
    later = json.loads(runner.invoke(app, ["evaluate", str(path), "--as-of", "2024-06-01"]).stdout)
    assert later["as_of"] == "2024-06-01"
    assert later["outcome"] == "release"
    bad = runner.invoke(app, ["evaluate", str(path), "--as-of", "yesterday"])
    assert bad.exit_code == 2


def test_duplicate_person_id_and_broken_json_lines(tmp_path: Path) -> None:
    line = (EXAMPLES / "records.jsonl").read_text().splitlines()[1]
    path = tmp_path / "dup.jsonl"
    path.write_text(f"{line}\n{line}\n{{not json\n")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 1
    errors = json.loads(result.stderr)
    assert [e["errors"][0]["field"] for e in errors] == ["person_id", "(line)"]


def test_explain_in_russian_and_law_listing() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLES / "contract-example.json"), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "Срок наказания сокращается" in result.stdout
    assert "5 января 2024" in result.stdout
    listing = runner.invoke(app, ["law"])
    assert listing.exit_code == 0, listing.output
    assert "108-1" in listing.stdout  # an article added to the Code later, numbered with a suffix
    assert "unverified" in listing.stdout
    assert "inferred" in listing.stdout
    as_json = json.loads(runner.invoke(app, ["law", "--json"]).stdout)
    assert as_json["article_list"]["known_through"] == 207


def test_broken_law_pack_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("id: x\n")
    result = runner.invoke(
        app, ["evaluate", str(EXAMPLES / "contract-example.json"), "--law-pack", str(pack)]
    )
    assert result.exit_code == 2
    assert str(pack) in result.stderr
