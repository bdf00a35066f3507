"""The law pack loads, hashes its content, and fails loudly (file, field, problem) when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amnesty.domain.enums import Provenance
from amnesty.law.loader import Law, LawPackError, load_law, raw_pack


def test_bundled_pack_matches_law_md(law: Law) -> None:
    pack = law.pack
    assert pack.id == "kz-2022-152-vii"
    assert (pack.dates.offence_window.start.isoformat(), pack.dates.offence_window.end.isoformat()) == (
        "2022-01-04",
        "2022-01-07",
    )
    assert pack.dates.entry_into_force.provenance is Provenance.ASSUMED
    assert pack.article_list.known_through == 207
    verified = {e.article for e in pack.article_list.entries if e.provenance is Provenance.VERIFIED}
    assert verified == {
        102,
        103,
        104,
        106,
        107,
        112,
        113,
        114,
        115,
        119,
        131,
        132,
        149,
        155,
        157,
        187,
        188,
        191,
        196,
        200,
        202,
        204,
        207,
    }
    assert law.list_by_article[272].provenance is Provenance.INFERRED
    assert {e.article for e in pack.article_list.entries if e.provenance is Provenance.UNVERIFIED} == {
        287,
        291,
        293,
        294,
        362,
        371,
        378,
        380,
        414,
        415,
    }
    assert pack.rules["S3"].provenance is Provenance.VERIFIED
    assert pack.rules["X5"].provenance is Provenance.INFERRED
    assert pack.relief.one_year_inclusive is True
    assert {note.id for note in pack.notes} >= {"conditions_not_modelled", "one_year_boundary"}
    assert law.list_by_article[106].parts == (1, 2)
    assert law.version.startswith("sha256:")


def test_version_changes_with_content_not_formatting(tmp_path: Path, law: Law) -> None:
    data = raw_pack()
    same = tmp_path / "same.yaml"
    same.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True))
    assert load_law(same).version == law.version
    data["relief"]["reduction"]["grave"] = "1/2"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert load_law(changed).version != law.version


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["dates"]["offence_window"].update(start="2022-01-09"),
            "dates.offence_window: window end is before its start",
        ),
        (
            lambda d: d["relief"]["reduction"].update(grave="5/4"),
            "relief.reduction: fraction '5/4' is not between 0 and 1",
        ),
        (
            lambda d: d["article_list"]["entries"][0].update(provenance="rumour"),
            "article_list.entries[0].provenance",
        ),
        (lambda d: d.pop("rules"), "rules: Field required"),
        (lambda d: d["exclusions"][0].update(tag="piracy"), "exclusions[0].tag"),
    ],
)
def test_malformed_pack_names_file_field_and_problem(tmp_path: Path, mutate: object, expected: str) -> None:
    data = raw_pack()
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(LawPackError) as error:
        load_law(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed")
    with pytest.raises(LawPackError, match="not valid YAML"):
        load_law(bad)
    with pytest.raises(LawPackError, match="cannot read"):
        load_law(tmp_path / "absent.yaml")


def test_variant_overlay_changes_only_what_it_names(law: Law) -> None:
    variant = load_law(variant={"relief": {"reduction": {"grave": "1/2"}}}, variant_source="grave-half")
    assert str(variant.fraction_for(law.pack.relief.lesser_categories[0])) == "None"
    assert variant.pack.relief.reduction["grave"] == "1/2"
    assert variant.pack.relief.reduction["especially_grave"] == "1/2"
    assert variant.pack.article_list == law.pack.article_list
    with pytest.raises(LawPackError, match="grave-half"):
        load_law(variant={"relief": {"reduction": {"grave": "two thirds"}}}, variant_source="grave-half")


def test_catalogue_titles_and_tags(law: Law) -> None:
    assert law.title(272, 1, "ru") == "Организация массовых беспорядков"
    assert law.title(188, 2, "kk") == "Ұрлық"
    assert law.title(999, None) is None
    facts = law.facts(272, 1)
    assert [t.value for t in facts.tags] == ["riot_organisation"]
    assert law.facts(272, 2).tags == {}
