"""What-if impact: variants as overlays, the comparison, and `amnesty impact`."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.domain.enums import Outcome
from amnesty.domain.records import parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.impact.compare import run_impact
from amnesty.impact.measure import DAYS_PER_YEAR, removed_custody_days
from amnesty.impact.variant import parse_variant, read_variant, variant_law
from amnesty.law.loader import LawPackError, default_law

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "variants"
ENTRY = dt.date(2022, 11, 3)  # LAW.md section 1 (assumed entry into force)


def grave_half() -> Any:
    return variant_law(read_variant(EXAMPLES / "grave-half.yaml"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_variant_validates_and_changes_the_law(path: Path) -> None:
    law = variant_law(read_variant(path))
    assert law.version != default_law().version


def test_grave_half_cuts_a_grave_sentence_by_half_and_measures_the_days(make_grave: Any) -> None:
    person = parse_record(make_grave("G-8", 8))
    base, var = evaluate(person, default_law()), evaluate(person, grave_half())
    assert base.outcome is var.outcome is Outcome.REDUCE_SENTENCE
    # 8 years from 6 Jan 2022 end on 5 Jan 2030; 3/4 cut keeps 2 years, 1/2 keeps 4 years (LAW.md s.5).
    assert removed_custody_days(base) == (dt.date(2030, 1, 5) - dt.date(2024, 1, 5)).days
    assert removed_custody_days(var) == (dt.date(2030, 1, 5) - dt.date(2026, 1, 5)).days


def test_one_year_rule_release_becomes_a_reduction_under_grave_half(make_grave: Any) -> None:
    person = parse_record(make_grave("G-4", 4))
    report = run_impact([person], default_law(), grave_half(), "grave-half")
    (change,) = report.changes
    # 4 years cut by 3/4 leaves 1 year (ends 5 Jan 2023: within a year of entry into force -> release);
    # cut by 1/2 leaves 2 years (ends 5 Jan 2024) -> reduce_sentence.
    assert (change.baseline, change.variant) == (Outcome.RELEASE, Outcome.REDUCE_SENTENCE)
    assert change.baseline_days == (dt.date(2026, 1, 5) - (ENTRY - dt.timedelta(days=1))).days
    assert change.variant_days == (dt.date(2026, 1, 5) - dt.date(2024, 1, 5)).days
    assert report.changed_transitions() == [(Outcome.RELEASE, Outcome.REDUCE_SENTENCE, 1)]
    total = report.total()
    assert total.person_years_delta == pytest.approx(
        (change.variant_days - change.baseline_days) / DAYS_PER_YEAR
    )


def test_lesser_categories_do_not_move_under_grave_half(make_medium: Any) -> None:
    person = parse_record(make_medium("M-1"))
    (change,) = run_impact([person], default_law(), grave_half()).changes
    assert change.baseline is change.variant is Outcome.TERMINATE_CASE
    assert not change.changed


def test_report_groups_add_up_to_the_total(sample_records: list[Any]) -> None:
    report = run_impact(sample_records, default_law(), grave_half(), "grave-half")
    total = report.total()
    for key in ("region", "category"):
        groups = report.by(key).values()
        assert sum(g.persons for g in groups) == total.persons == len(sample_records)
        assert sum(g.outcome_changed for g in groups) == total.outcome_changed
        assert sum(g.variant_person_years for g in groups) == pytest.approx(total.variant_person_years)
    expected = Counter(evaluate(r).outcome.value for r in sample_records)
    assert {k: v["baseline"] for k, v in report.outcome_counts().items() if v["baseline"]} == dict(expected)
    moved = sum(n for _, _, n in report.changed_transitions())
    assert moved == total.outcome_changed > 0
    grave = report.by("category")["grave"]
    assert grave.person_years_delta < 0
    for name, group in report.by("category").items():
        if name not in ("grave",):
            assert group.outcome_changed == 0, name


def test_wider_window_brings_late_offences_in(make_medium: Any) -> None:
    late = make_medium("L-1")
    late["charges"][0]["offence_date"] = "2022-01-20"
    person = parse_record(late)
    law = variant_law(read_variant(EXAMPLES / "wider-window.yaml"))
    (change,) = run_impact([person], default_law(), law).changes
    assert (change.baseline, change.variant) == (Outcome.NOT_COVERED, Outcome.TERMINATE_CASE)


@pytest.mark.parametrize(
    ("overlay", "field", "problem"),
    [
        ({"relief": {"reduction": {"grave": "5/4"}}}, "relief.reduction", "not between 0 and 1"),
        ({"relief": {"one_year_treshold": 6}}, "relief.one_year_treshold", "Extra inputs"),
        ({"dates": {"offence_window": {"start": "2022-01-09"}}}, "dates.offence_window", "before its start"),
    ],
)
def test_a_variant_that_breaks_the_schema_is_refused_naming_field_and_problem(
    overlay: dict[str, Any], field: str, problem: str
) -> None:
    variant = parse_variant(yaml.safe_dump(overlay), "bad.yaml")
    with pytest.raises(LawPackError) as error:
        variant_law(variant)
    assert field in str(error.value)
    assert problem in str(error.value)
    assert "bad.yaml" in str(error.value)


@pytest.mark.parametrize("text", ["- a list\n", "about: {name: x}\n", "relief: [\n"])
def test_a_variant_that_is_not_an_overlay_is_refused(text: str) -> None:
    with pytest.raises(LawPackError):
        parse_variant(text, "odd.yaml")


def test_cli_impact_writes_tables_chart_and_json(records_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "impact"
    result = CliRunner().invoke(
        app,
        [
            "impact",
            "--variant",
            str(EXAMPLES / "grave-half.yaml"),
            str(records_file),
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    lines = records_file.read_text(encoding="utf-8").splitlines()
    assert data["persons"] == len(lines)
    assert data["variant"] == "grave-half"
    assert {"from": "release", "to": "reduce_sentence"}.items() <= data["transitions"][0].items()
    assert data["by_category"]["grave"]["person_years_delta"] < 0
    assert (out / "impact_outcomes.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "by_region.csv").read_text(encoding="utf-8-sig").startswith("region,persons")
    assert json.loads((out / "impact.json").read_text(encoding="utf-8")) == data


def test_cli_impact_refuses_a_bad_variant(records_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('relief:\n  reduction:\n    grave: "two thirds"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["impact", "--variant", str(bad), str(records_file)])
    assert result.exit_code == 2
    assert "relief.reduction" in result.output


def test_cli_impact_reports_invalid_records_and_compares_the_rest(tmp_path: Path, make_grave: Any) -> None:
    good = make_grave("G-1", 8)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({"person_id": "X", "stage": "nowhere"}) + "\n")
    result = CliRunner().invoke(
        app, ["impact", "--variant", str(EXAMPLES / "grave-half.yaml"), str(path), "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert (data["persons"], data["rejected"]) == (1, 1)


def test_the_web_page_offers_the_same_variants_as_examples() -> None:
    from amnesty.web.after_pages import example_variants

    shipped = {path.stem: path.read_text(encoding="utf-8") for path in EXAMPLES.glob("*.yaml")}
    assert example_variants() == shipped
