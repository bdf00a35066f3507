"""The case form's fields for the facts some laws read: form -> record -> form gives the same values;
an empty yes/no is "not known", an unchecked box "no"; a bad article number is one error, named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from amnesty.domain.records import field_errors, parse_record
from amnesty.web.forms import form_values, record_data

FORM = {
    "person_id": "F-1",
    "stage": "serving",
    "sex": "male",
    "disability_group": "0",
    "veteran": "yes",
    "sole_parent": "no",
    "pregnant": "",
    "objects": "yes",
    "charges-0-article": "188-1",
    "charges-0-part": "1-1",
    "charges-0-offence_date": "2021-04-02",
    "charges-0-code": "kz-1997",
    "charges-0-damage": "none",
    "charges-0-civil_claim": "no",
    "charges-0-criminal_group": "yes",
    "charges-0-intoxicated": "",
    "charges-0-context": "unknown",
    "sentence-punishment": "life_imprisonment",
    "sentence-death_commuted": "yes",
    "sentence-fine_unpaid_mci": "2.5",
}


def test_the_form_round_trips_the_new_facts() -> None:
    record = parse_record(record_data(FORM))
    assert (record.veteran, record.sole_parent, record.pregnant, record.children_under_18) == (
        True,
        False,
        None,
        None,
    )
    assert (record.objects, record.malicious_violator, record.disability_group) == (True, False, 0)
    charge = record.charges[0]
    assert (charge.article, charge.part, charge.civil_claim, charge.intoxicated) == (
        "188-1",
        "1-1",
        False,
        None,
    )
    assert charge.criminal_group is True
    assert record.sentence is not None
    assert (record.sentence.death_commuted, record.sentence.fine_unpaid_mci) == (True, 2.5)
    values = form_values(record)
    assert {key: value for key, value in FORM.items() if value} == {
        key: value for key, value in values.items() if key in FORM
    }
    assert "pregnant" not in values
    assert "charges-0-intoxicated" not in values


@pytest.mark.parametrize(("article", "problem"), [(0, "not an article"), ("188-x", "not an article")])
def test_a_bad_article_is_one_error_at_the_article(article: object, problem: str) -> None:
    data = {
        "person_id": "F-2",
        "stage": "trial",
        "charges": [{"article": article, "offence_date": "2021-04-02"}],
    }
    with pytest.raises(ValidationError) as caught:
        parse_record(data)
    errors = field_errors(caught.value)
    assert [error.field for error in errors] == ["charges[0].article"]
    assert problem in errors[0].problem
