"""Several laws (CONTRACT.md, "Several laws"): the registry of packs, `amnesty laws`, `--law ID` and
`--law all` on the commands that decide, and a law added as a folder without touching the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from amnesty.cli.main import app
from amnesty.law.loader import LawPackError, deep_merge, raw_pack
from amnesty.law.registry import DEFAULT_LAW_ID, LAW_PATH_VARIABLE, get_law, registered_laws

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONTRACT_EXAMPLE = str(EXAMPLES / "contract-example.json")
THIRD_LAW = "kz-2099-test-half"
runner = CliRunner()


@pytest.fixture
def third_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A third law registered as a folder on AMNESTY_LAW_PATH: Law 152-VII's pack with its own id and
    grave crimes' terms cut by half instead of three quarters (as an analyst's draft would be)."""
    folder = tmp_path / "laws" / THIRD_LAW.replace("-", "_")
    folder.mkdir(parents=True)
    pack = deep_merge(
        raw_pack(),
        {
            "id": THIRD_LAW,
            "title": {"ru": "Проект", "kk": "Жоба", "en": "Draft"},
            "relief": {"reduction": {"grave": "1/2"}},
        },
    )
    (folder / "pack.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path / "laws"))
    return THIRD_LAW


def test_laws_lists_the_shipped_laws_with_titles_dates_and_provenance() -> None:
    result = runner.invoke(app, ["laws", "--json"])
    assert result.exit_code == 0, result.output
    laws = json.loads(result.stdout)
    assert [law["id"] for law in laws] == ["kz-2021-81-vii", DEFAULT_LAW_ID]  # in order of entry into force
    independence, law = laws
    assert independence["dates"]["entry_into_force"]["value"] == "2021-12-08"
    assert independence["dates"].get("offence_window") is None
    assert set(law["title"]) == {"ru", "kk", "en"}
    assert law["dates"]["entry_into_force"] == {
        "value": "2022-11-03",
        "provenance": "assumed",
        "note": law["dates"]["entry_into_force"]["note"],
    }
    assert law["dates"]["offence_window"]["start"] == "2022-01-04"
    assert law["version"] == get_law(DEFAULT_LAW_ID).version


def test_laws_table_speaks_the_readers_language() -> None:
    result = runner.invoke(app, ["laws", "--lang", "ru"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Зарегистрированные законы об амнистии" in result.stdout
    assert "3 ноября 2022 г." in result.stdout
    assert DEFAULT_LAW_ID in result.stdout


def test_evaluate_under_the_named_law_equals_the_default() -> None:
    default = runner.invoke(app, ["evaluate", CONTRACT_EXAMPLE])
    named = runner.invoke(app, ["evaluate", CONTRACT_EXAMPLE, "--law", DEFAULT_LAW_ID])
    assert default.exit_code == named.exit_code == 0
    assert json.loads(named.stdout) == json.loads(default.stdout)


@pytest.mark.parametrize("command", ["evaluate", "explain", "questions", "document", "batch"])
def test_an_unknown_law_is_refused_naming_the_registered_ones(command: str, tmp_path: Path) -> None:
    args = [command, CONTRACT_EXAMPLE, "--law", "kz-1999-none"]
    if command in {"document", "batch"}:
        args += ["--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "no law 'kz-1999-none'" in result.output
    assert DEFAULT_LAW_ID in result.output
    assert not (tmp_path / "out").exists()


def test_a_folder_adds_a_third_law_and_law_all_decides_under_each(third_law: str) -> None:
    listed = json.loads(runner.invoke(app, ["laws", "--json"]).stdout)
    assert {law["id"] for law in listed} == {"kz-2021-81-vii", DEFAULT_LAW_ID, third_law}
    result = runner.invoke(app, ["evaluate", CONTRACT_EXAMPLE, "--law", "all"])
    assert result.exit_code == 0, result.output
    decisions = json.loads(result.stdout)
    assert isinstance(decisions, list)
    assert [d["law"] for d in decisions] == [d.pack.id for d in registered_laws()]
    by_law = {d["law"]: d for d in decisions}
    # the same person, two laws: 8 years cut by three quarters under 152-VII, by half under the draft
    assert by_law[DEFAULT_LAW_ID]["sentence"]["new_term"]["years"] == 2
    assert by_law[third_law]["sentence"]["new_term"]["years"] == 4
    assert by_law[third_law]["law_version"] != by_law[DEFAULT_LAW_ID]["law_version"]


def test_law_all_keeps_records_in_input_order(third_law: str) -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "records.jsonl"), "--law", "all"])
    assert result.exit_code == 0, result.output
    decisions = json.loads(result.stdout)
    laws = [law.pack.id for law in registered_laws()]
    persons = [d["person_id"] for d in decisions[:: len(laws)]]
    assert [d["law"] for d in decisions] == laws * len(persons)
    assert [d["person_id"] for d in decisions] == [p for p in persons for _ in laws]


def test_impact_compares_one_law_against_another(third_law: str) -> None:
    result = runner.invoke(
        app, ["impact", CONTRACT_EXAMPLE, "--law", third_law, "--against", DEFAULT_LAW_ID, "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["persons"] == 1
    assert report["variant"] == third_law
    assert report["baseline_version"] == get_law(DEFAULT_LAW_ID).version
    # the grave term of 8 years is cut by three quarters under 152-VII (6 years removed) and by half
    # under the draft (4 years removed)
    assert report["total"]["baseline_person_years"] == 6.0
    assert report["total"]["variant_person_years"] == 4.0


def test_impact_needs_a_variant_or_a_second_law() -> None:
    result = runner.invoke(app, ["impact", CONTRACT_EXAMPLE])
    assert result.exit_code == 2
    assert "--variant" in result.output
    assert "--against" in result.output


def test_a_folder_whose_pack_names_another_law_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kz_2099_other"
    folder.mkdir()
    (folder / "pack.yaml").write_text(yaml.safe_dump(raw_pack(), allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path))
    with pytest.raises(LawPackError, match="does not match its folder"):
        get_law("kz-2099-other")
    result = runner.invoke(app, ["laws"])
    assert result.exit_code == 2
    assert "does not match its folder" in result.output


def test_a_new_law_starts_from_the_last_as_a_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(
        app, ["law", "new", "kz-2026-1-viii", "--from", DEFAULT_LAW_ID, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "kz_2026_1_viii"
    pack = yaml.safe_load((folder / "pack.yaml").read_text("utf-8"))
    assert pack["id"] == "kz-2026-1-viii"

    def provenances(data: object) -> list[str]:
        if isinstance(data, dict):
            own = [str(data["provenance"])] if "provenance" in data else []
            return own + [p for value in data.values() for p in provenances(value)]
        if isinstance(data, list):
            return [p for item in data for p in provenances(item)]
        return []

    found = provenances(pack)
    assert len(found) > 50
    assert set(found) == {"unverified"}  # nothing the source law verified is taken as verified here
    assert pack["notes"][0]["id"] == "draft"
    scenarios = yaml.safe_load((folder / "scenarios.yaml").read_text("utf-8"))
    stages = [s["record"]["stage"] for s in scenarios]
    assert stages == ["pre_trial", "trial", "serving", "served", "serving"]  # the last on the deadline
    assert all(s["expect"] == {} for s in scenarios)  # the lawyer writes the expectations, not the program

    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path))
    decided = json.loads(runner.invoke(app, ["evaluate", CONTRACT_EXAMPLE, "--law", "kz-2026-1-viii"]).stdout)
    assert decided["law"] == "kz-2026-1-viii"
    assert "provisional_basis" in decided["flags"]
    strict = runner.invoke(app, ["evaluate", CONTRACT_EXAMPLE, "--law", "kz-2026-1-viii", "--strict"])
    assert json.loads(strict.stdout)["outcome"] == "needs_review"

    again = runner.invoke(app, ["law", "new", "kz-2026-1-viii", "--out", str(tmp_path)])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_a_new_law_needs_a_proper_id_and_a_known_source(tmp_path: Path) -> None:
    bad_id = runner.invoke(app, ["law", "new", "Draft 2026", "--out", str(tmp_path)])
    assert bad_id.exit_code == 2
    assert "not a law id" in bad_id.output
    unknown = runner.invoke(
        app, ["law", "new", "kz-2026-1-viii", "--from", "kz-1999-none", "--out", str(tmp_path)]
    )
    assert unknown.exit_code == 2
    assert "no law 'kz-1999-none'" in unknown.output
    assert not any(tmp_path.iterdir())


def test_a_draft_from_the_2021_law_decides_with_its_rules_and_says_it_rests_on_unverified_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = runner.invoke(
        app, ["law", "new", "kz-2026-2-viii", "--from", "kz-2021-81-vii", "--out", str(tmp_path)]
    )
    assert made.exit_code == 0, made.output
    monkeypatch.setenv(LAW_PATH_VARIABLE, str(tmp_path))
    record = tmp_path / "record.json"
    record.write_text(
        json.dumps(
            {
                "person_id": "D-1",
                "stage": "pre_trial",
                "charges": [{"article": 131, "category": "misdemeanour", "offence_date": "2021-06-01"}],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["evaluate", str(record), "--law", "all"])
    assert result.exit_code == 0, result.output
    by_law = {d["law"]: d for d in json.loads(result.stdout)}
    draft, source = by_law["kz-2026-2-viii"], by_law["kz-2021-81-vii"]
    assert draft["outcome"] == source["outcome"] == "terminate_case"  # the source's rules decide
    assert "provisional_basis" in draft["flags"]  # every fact of a draft is unverified until a lawyer sets it
    assert "provisional_basis" not in source["flags"]
