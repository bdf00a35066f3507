"""Persons, cases, history, optimistic locking, review and overrides, tasks, search and statistics."""

from __future__ import annotations

from amnesty.auth import Role


def _import(service, *records):
    response = service.client.post("/api/import", json=list(records), headers=service.as_role(Role.ADMIN))
    assert response.status_code == 201, response.text
    return response.json()["case_ids"]


def test_person_file_has_cases_decisions_and_tasks(service, record, unique_id):
    person_id = unique_id()
    _import(service, record(person_id, full_name="Aigerim Testova"))
    response = service.client.get(f"/api/persons/{person_id}", headers=service.as_role(Role.REVIEWER))
    assert response.status_code == 200
    person = response.json()
    assert person["full_name"] == "Aigerim Testova"
    (case,) = person["cases"]
    assert case["record"]["charges"][0]["article"] == 188
    assert case["decisions"][0]["decision"]["reasons"]
    assert {task["kind"] for task in case["tasks"]} == {
        "employment",
        "social_assistance",
        "resocialisation_centre",
        "documents",
    }


def test_unknown_person_is_404_json(service):
    response = service.client.get("/api/persons/NOBODY", headers=service.as_role(Role.ADMIN))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_second_writer_gets_a_conflict_not_a_lost_update(service, record, unique_id):
    person_id = unique_id()
    (case_id,) = _import(service, record(person_id))
    headers = service.as_role(Role.CASE_OFFICER)
    version = service.client.get(f"/api/cases/{case_id}", headers=headers).json()["version"]
    first = service.client.put(
        f"/api/cases/{case_id}",
        json={"version": version, "record": record(person_id, stage="served")},
        headers=headers,
    )
    assert first.status_code == 200, first.text
    second = service.client.put(
        f"/api/cases/{case_id}",
        json={"version": version, "record": record(person_id, recidivism="dangerous")},
        headers=headers,
    )
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "version_conflict"
    assert "changed by someone else" in error["message"]
    assert error["current_version"] == version + 1
    stored = service.client.get(f"/api/cases/{case_id}", headers=headers).json()
    assert stored["record"]["stage"] == "served"
    assert stored["record"]["recidivism"] == "none"


def test_case_cannot_move_to_another_person(service, record, unique_id):
    person_id = unique_id()
    (case_id,) = _import(service, record(person_id))
    headers = service.as_role(Role.CASE_OFFICER)
    response = service.client.put(
        f"/api/cases/{case_id}", json={"version": 1, "record": record(unique_id())}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "record.person_id"


def test_review_queue_and_override_keep_the_engine_decision(service, record, unique_id):
    person_id = unique_id()
    unknown_context = record(
        person_id,
        charges=[
            {
                "article": 188,
                "part": 2,
                "category": "medium",
                "offence_date": "2022-01-05",
                "context": "unknown",
            }
        ],
    )
    (case_id,) = _import(service, unknown_context)
    reviewer = service.as_role(Role.REVIEWER)
    decision = service.client.get(f"/api/cases/{case_id}", headers=reviewer).json()["decision"]
    assert decision["outcome"] == "needs_review"
    queue = service.client.get("/api/review?page_size=200", headers=reviewer).json()
    assert decision["id"] in [item["id"] for item in queue["items"]]
    override = {
        "outcome": "release",
        "justification": "The court file shows the theft was committed during the riot in Almaty.",
        "citation": "Law 152-VII, art. 1; case file p. 12",
        "release_date": "2024-01-10",
    }
    created = service.client.post(
        f"/api/decisions/{decision['id']}/overrides", json=override, headers=reviewer
    )
    assert created.status_code == 201, created.text
    assert created.json()["reviewer"] == service.username(Role.REVIEWER)
    full = service.client.get(f"/api/decisions/{decision['id']}", headers=reviewer).json()
    assert full["outcome"] == "needs_review"
    assert full["decision"]["outcome"] == "needs_review"
    assert full["effective_outcome"] == "release"
    assert full["overrides"][0]["justification"] == override["justification"]
    open_queue = service.client.get("/api/review?page_size=200", headers=reviewer).json()
    assert decision["id"] not in [item["id"] for item in open_queue["items"]]
    done = service.client.get("/api/review?status=overridden&page_size=200", headers=reviewer).json()
    assert decision["id"] in [item["id"] for item in done["items"]]


def test_override_of_a_superseded_decision_is_refused(service, record, unique_id):
    person_id = unique_id()
    (case_id,) = _import(service, record(person_id))
    officer = service.as_role(Role.CASE_OFFICER)
    old = service.client.get(f"/api/cases/{case_id}", headers=officer).json()["decision"]["id"]
    service.client.put(
        f"/api/cases/{case_id}",
        json={"version": 1, "record": record(person_id, stage="served")},
        headers=officer,
    )
    override = {
        "outcome": "release",
        "justification": "a long enough reason",
        "citation": "art. 1",
        "release_date": "2024-01-10",
    }
    response = service.client.post(
        f"/api/decisions/{old}/overrides", json=override, headers=service.as_role(Role.REVIEWER)
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "superseded"


def test_override_needs_justification(service):
    response = service.client.post(
        "/api/decisions/1/overrides",
        json={"outcome": "release", "justification": "short", "citation": "art. 1"},
        headers=service.as_role(Role.REVIEWER),
    )
    assert response.status_code == 422
    assert "justification" in [f["field"] for f in response.json()["error"]["fields"]]


def test_override_figures_are_checked_by_the_one_validation_in_the_readers_language(
    service, record, unique_id
):
    """A reduced sentence needs its new term or end date, within the sentence; a release its date. The
    API answers each problem with its stable code and the message in the language of Accept-Language."""
    person_id = unique_id()
    (case_id,) = _import(service, record(person_id))
    reviewer = service.as_role(Role.REVIEWER)
    decision_id = service.client.get(f"/api/cases/{case_id}", headers=reviewer).json()["decision"]["id"]
    url = f"/api/decisions/{decision_id}/overrides"
    base = {"justification": "The court file shows a different reading.", "citation": "Law 152-VII, art. 1"}
    russian = reviewer | {"Accept-Language": "ru-RU,ru;q=0.9"}
    missing = service.client.post(url, json=base | {"outcome": "reduce_sentence"}, headers=russian)
    assert missing.status_code == 422
    (problem,) = missing.json()["error"]["fields"]
    assert (problem["field"], problem["code"]) == ("new_end_date", "new_figure_missing")
    assert problem["problem"] == "для сокращения срока нужен новый срок или новая дата окончания"
    longer = service.client.post(
        url,
        json=base | {"outcome": "reduce_sentence", "new_term": {"years": 3}},
        headers=reviewer | {"Accept-Language": "kk"},
    )
    assert longer.status_code == 422
    (problem,) = longer.json()["error"]["fields"]
    assert (problem["field"], problem["code"], problem["problem"]) == (
        "new_term",
        "term_not_shorter",
        "бастапқы мерзімнен қысқа болуы тиіс",
    )
    late = service.client.post(
        url, json=base | {"outcome": "reduce_sentence", "new_end_date": "2024-02-01"}, headers=reviewer
    )
    assert late.status_code == 422
    assert late.json()["error"]["fields"][0]["code"] == "date_not_before"
    no_date = service.client.post(url, json=base | {"outcome": "release"}, headers=reviewer)
    assert no_date.json()["error"]["fields"][0]["code"] == "release_date_missing"
    reduced = service.client.post(
        url,
        json=base | {"outcome": "reduce_sentence", "new_term": {"years": 1, "months": 6}},
        headers=reviewer,
    )
    assert reduced.status_code == 201, reduced.text
    assert reduced.json()["new_end_date"] == "2023-07-05"


def test_social_worker_sees_and_updates_only_their_regions_tasks(service, record, unique_id):
    here, there = unique_id(), unique_id()
    _import(service, record(here), record(there, region="Shymkent"))
    worker = service.as_role(Role.SOCIAL_WORKER)
    tasks = service.client.get("/api/tasks?page_size=200", headers=worker).json()
    assert tasks["total"] >= 1
    assert {task["region"] for task in tasks["items"]} == {"Almaty"}
    other = service.client.get(f"/api/tasks?person_id={there}", headers=service.as_role(Role.ADMIN)).json()[
        "items"
    ][0]
    assert service.client.get(f"/api/tasks/{other['id']}", headers=worker).status_code == 404
    assert service.client.get(f"/api/persons/{there}", headers=worker).status_code == 404
    assert service.client.get(f"/api/persons/{here}", headers=worker).status_code == 200
    mine = service.client.get(f"/api/tasks?person_id={here}", headers=worker).json()["items"][0]
    change = {
        "version": mine["version"],
        "status": "in_progress",
        "assignee": "test-social-worker",
        "due_date": "2022-12-01",
        "notes": "called",
    }
    updated = service.client.patch(f"/api/tasks/{mine['id']}", json=change, headers=worker)
    assert updated.status_code == 200, updated.text
    assert updated.json()["status"] == "in_progress"
    assert updated.json()["version"] == mine["version"] + 1
    stale = service.client.patch(f"/api/tasks/{mine['id']}", json=change | {"status": "done"}, headers=worker)
    assert stale.status_code == 409
    done = service.client.patch(
        f"/api/tasks/{mine['id']}", json={"version": mine["version"] + 1, "status": "done"}, headers=worker
    ).json()
    assert done["completed_on"] is not None
    assert done["assignee"] == "test-social-worker"


def test_search_filters_sort_and_paginate(service, record, unique_id):
    person_id = unique_id("SEARCH")
    _import(service, record(person_id, full_name="Zhanar Searchable", iin="850315300128", region="Mangystau"))
    headers = service.as_role(Role.CASE_OFFICER)

    def ids(query):
        response = service.client.get(f"/api/persons?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [item["person_id"] for item in response.json()["items"]]

    assert ids("q=searchab") == [person_id]
    assert person_id in ids("iin=850315300128")
    assert ids(f"case_number=T-{person_id}") == [person_id]
    assert person_id in ids("region=Mangystau&outcome=release&page_size=200")
    assert person_id not in ids("region=Mangystau&outcome=excluded&page_size=200")
    assert person_id not in ids("region=Jambyl&page_size=200")
    page1 = service.client.get("/api/persons?page_size=5&sort=-person_id", headers=headers).json()
    page2 = service.client.get("/api/persons?page_size=5&page=2&sort=-person_id", headers=headers).json()
    listed = [item["person_id"] for item in page1["items"] + page2["items"]]
    assert listed == sorted(listed, reverse=True)
    assert len(set(listed)) == 10
    assert page1["total"] == page2["total"] >= 64
    cases = service.client.get(f"/api/cases?q={person_id}", headers=headers).json()
    assert [item["person_id"] for item in cases["items"]] == [person_id]
    bad = service.client.get("/api/persons?region=Atlantis", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "region"


def test_statistics_count_outcomes_and_region_limits(service):
    everything = service.client.get("/api/stats", headers=service.as_role(Role.AUDITOR)).json()
    assert sum(everything["by_outcome"].values()) == everything["cases"]
    assert sum(everything["by_effective_outcome"].values()) == everything["cases"]
    assert sum(everything["by_region"].values()) == everything["persons"]
    assert sum(everything["by_stage"].values()) == everything["cases"]
    local = service.client.get("/api/stats", headers=service.as_role(Role.SOCIAL_WORKER)).json()
    assert local["region"] == "Almaty"
    assert set(local["by_region"]) == {"Almaty"}
    assert local["persons"] == everything["by_region"]["Almaty"]


def test_task_status_follows_the_life_cycle(service, record, unique_id):
    here = unique_id("LIFE")
    _import(service, record(here))  # released from custody under R2: the akimat gets tasks
    admin = service.as_role(Role.ADMIN)
    task = service.client.get(f"/api/tasks?person_id={here}", headers=admin).json()["items"][0]
    path = f"/api/tasks/{task['id']}"
    no_reason = service.client.patch(
        path, json={"version": task["version"], "status": "cannot_be_done"}, headers=admin
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["code"] == "reason_required"
    assert no_reason.json()["error"]["fields"][0]["field"] == "reason"
    with_reason = {
        "version": task["version"],
        "status": "cannot_be_done",
        "reason": "person left the country",
    }
    changed = service.client.patch(path, json=with_reason, headers=admin)
    assert changed.status_code == 200, changed.text
    assert "person left the country" in changed.json()["notes"]
    reopened = service.client.patch(
        path, json={"version": changed.json()["version"], "status": "open"}, headers=admin
    )
    assert reopened.status_code == 200, reopened.text
    done = service.client.patch(
        path, json={"version": reopened.json()["version"], "status": "done"}, headers=admin
    )
    assert done.status_code == 200, done.text
    final = service.client.patch(
        path, json={"version": done.json()["version"], "status": "open"}, headers=admin
    )
    assert final.status_code == 422
    assert final.json()["error"]["code"] == "invalid_transition"


def _all_pages(fetch):
    items, page = [], 1
    while True:
        found = fetch(page)
        items += found.items
        if len(found.items) < found.page_size:
            return items
        page += 1


def test_exports_stream_every_row_of_the_list_in_its_order(service):
    """The export path (ordered keys, then rows by chunks of keys) gives exactly the pages' rows in the
    pages' order, for every list and sort, and the dashboard counts agree with the lists."""
    from amnesty.store import queries
    from amnesty.store.queries import CaseFilter, ReviewStatus, TaskFilter

    with service.app.state.sessions() as db:
        for filters, sort, limit in [
            (CaseFilter(), "id", None),
            (CaseFilter(), "-end_date", None),
            (CaseFilter(), "full_name", "Almaty"),
            (CaseFilter(outcome="release"), "-updated_at", None),
        ]:
            paged = _all_pages(lambda p, f=filters, r=limit, s=sort: queries.search_cases(db, f, r, s, p, 7))
            assert len(paged) > 7
            assert list(queries.stream_cases(db, filters, limit, sort, 10**6, chunk=5)) == paged
            assert list(queries.stream_cases(db, filters, limit, sort, 3, chunk=2)) == paged[:3]
        for status in ReviewStatus:
            paged = _all_pages(lambda p, s=status: queries.review_queue(db, s, p, 7))
            streamed = queries.stream_review_queue(db, status, None, None, None, 10**6, chunk=5)
            assert list(streamed) == paged
        tasks = _all_pages(lambda p: queries.search_tasks(db, TaskFilter(), None, p, 7))
        assert list(queries.stream_tasks(db, TaskFilter(), None, 10**6, chunk=5)) == tasks
        counts = queries.statistics(db)
        assert counts.review_open == queries.review_queue(db, ReviewStatus.OPEN).total
        releases = queries.search_cases(db, CaseFilter(outcome="release")).total
        assert counts.by_outcome.get("release", 0) == releases
        assert sum(counts.released_by_region.values()) == releases
        assert counts.tasks_by_status == {
            status: queries.search_tasks(db, TaskFilter(status=status)).total
            for status in counts.tasks_by_status
        }


def test_dashboard_counts_follow_every_write(service, record, unique_id):
    """The counts are served again only while the register is unchanged: any write (an import, an
    override) moves the audit chain's head and the next load counts anew."""
    auditor = service.as_role(Role.AUDITOR)
    before = service.client.get("/api/stats", headers=auditor).json()
    assert service.client.get("/api/stats", headers=auditor).json() == before
    _import(service, record(unique_id("DASH")))
    after = service.client.get("/api/stats", headers=auditor).json()
    assert after["persons"] == before["persons"] + 1
    assert after["cases"] == before["cases"] + 1
    admin = service.as_role(Role.ADMIN)
    task = service.client.get("/api/tasks?status=open", headers=admin).json()["items"][0]
    moved = service.client.patch(
        f"/api/tasks/{task['id']}", json={"version": task["version"], "status": "in_progress"}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    later = service.client.get("/api/stats", headers=auditor).json()
    assert later["tasks_by_status"]["open"] == after["tasks_by_status"]["open"] - 1
    assert (
        later["tasks_by_status"].get("in_progress", 0) == after["tasks_by_status"].get("in_progress", 0) + 1
    )
