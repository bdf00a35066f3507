"""Each open task on the task list shows its age (days since it was opened, on Kazakhstan's clock)
beside its due day (issue 23, item 4)."""

from __future__ import annotations

from .conftest import make_app, signed_in_client


def test_the_task_list_shows_each_open_tasks_age_and_due_day() -> None:
    app, _ = make_app(40)
    page = signed_in_client(app, "admin", "en").get("/tasks").text
    rows = [row.split("</tr>")[0] for row in page.split('<tr id="task-')[1:]]
    open_rows = [row for row in rows if "<td>Open</td>" in row]
    assert open_rows, "the demo register has open tasks"
    for row in open_rows:
        assert "days waiting: 0" in row  # opened today, when the register was seeded
        assert 'class="age"' in row
