"""A law's report on the web (issue 21, item 4: "the dashboard, reports and deadlines are per law"), in
Chromium against `amnesty serve`: an analyst opens the reports page from the menu, reads the
decisions in force under the default law by region and stage (the totals agree with the dashboard's
counts under that law), switches the law in the picker to the 2021 law (its counts, its exclusion
rules), downloads a list as CSV in words; the page reads in Russian and Kazakh without a law's code
or an English word; a social worker is refused (403)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amnesty.auth import Role, create_user
from amnesty.law.registry import DEFAULT_LAW_ID, get_law, registered_laws
from amnesty.service import stats
from amnesty.store.cases import reevaluate_all

from .conftest import PASSWORD, LiveServer, shot
from .test_every_page_words import problems_in

pytestmark = pytest.mark.browser

OTHER = next(law.pack.id for law in registered_laws() if law.pack.id != DEFAULT_LAW_ID)
"""A second registered law (the 2021 law)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A register decided under the default law, then re-evaluated under the other law for some
    cases (so each law has its own decisions in force)."""
    with LiveServer(tmp_path_factory.mktemp("reports"), 60) as server:
        with server.register.sessions() as db:
            create_user(db, "analyst", PASSWORD, Role.ANALYST, None, actor="test")
            reevaluate_all(db, "test", law=get_law(OTHER))
            db.commit()
        yield server


@pytest.fixture
def tab(browser: Any, served: LiveServer) -> Iterator[Any]:
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


class Admin:
    """Who the counts are read as in the test (every region)."""

    username = "test"
    role = Role.ADMIN.value
    region = None


def _sign_in(page: Any, server: LiveServer, username: str) -> None:
    page.context.clear_cookies()
    page.goto(server.url + "/signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/home$"))


def _dashboard_total(server: LiveServer, law: str) -> int:
    """Decisions in force under `law` as the dashboard counts them."""
    with server.register.sessions() as db:
        return sum(stats.statistics(db, Admin(), law).by_effective_outcome.values())


def _shown_total(page: Any) -> int:
    text = page.locator("#report-total").inner_text()
    return int(re.sub(r"\D", "", text.split(":")[1].split("·")[0]))


def _table_total(page: Any, name: str) -> int:
    return int(re.sub(r"\D", "", page.locator(f"#report-{name} tfoot td.total").inner_text()))


def test_an_analyst_reads_each_laws_report_and_downloads_it(tab: Any, served: LiveServer) -> None:
    _sign_in(tab, served, "analyst")
    tab.get_by_role("link", name="Отчёты", exact=True).click()
    tab.wait_for_url(re.compile(r".*/reports$"))
    default_total = _dashboard_total(served, DEFAULT_LAW_ID)
    assert default_total > 0
    assert _shown_total(tab) == default_total
    assert _table_total(tab, "region") == default_total
    assert _table_total(tab, "stage") == default_total
    relief = tab.locator("#report-relief tbody tr[data-outcome]")
    assert relief.count() > 0, "the default law gives relief to someone in the demo register"
    assert not problems_in(tab.locator("main").inner_text())
    shot(tab, "reports-default-law")

    # the law picker: the other law's report, with its own counts
    tab.locator("#report-law").select_option(OTHER)
    tab.locator("#law-chooser button[type=submit]").click()
    tab.wait_for_url(re.compile(rf".*/reports\?law={OTHER}$"))
    other_total = _dashboard_total(served, OTHER)
    assert other_total > 0
    assert _shown_total(tab) == other_total
    assert _table_total(tab, "region") == other_total
    assert tab.locator("#report-law").input_value() == OTHER
    rules = get_law(OTHER).pack.rules
    for rule in tab.locator("#report-exclusions tbody tr[data-rule]").all():
        assert rule.get_attribute("data-rule") in {*rules, "reviewer"}
    text = tab.locator("main").inner_text()
    assert OTHER not in text
    assert DEFAULT_LAW_ID not in text
    shot(tab, "reports-other-law")

    # the list by region as CSV, in words, with the codes beside them: its counts add up to the total
    with tab.expect_download() as download_info:
        tab.locator("#report-region-csv").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows
    assert {
        "Регион",
        "Действующее решение",
        "Решения",
        "law_code",
        "region_code",
        "outcome_in_effect_code",
    } <= set(rows[0])
    assert {row["law_code"] for row in rows} == {OTHER}
    assert sum(int(row["Решения"]) for row in rows) == other_total


def test_the_report_reads_in_kazakh(tab: Any, served: LiveServer) -> None:
    _sign_in(tab, served, "auditor")
    tab.goto(served.url + "/lang/kk?next=/reports")
    tab.wait_for_url(re.compile(r".*/reports$"))
    assert tab.locator("h1").inner_text() == "Заң бойынша есеп беру"
    assert _shown_total(tab) == _dashboard_total(served, DEFAULT_LAW_ID)
    assert not problems_in(tab.locator("main").inner_text())


def test_a_social_worker_may_not_read_reports(tab: Any, served: LiveServer) -> None:
    _sign_in(tab, served, "social")
    assert tab.get_by_role("link", name="Отчёты", exact=True).count() == 0
    answer = tab.goto(served.url + "/reports")
    assert answer is not None
    assert answer.status == 403
    answer = tab.goto(served.url + f"/reports/export.csv?law={OTHER}&table=region")
    assert answer is not None
    assert answer.status == 403


def test_a_reviewer_filters_the_review_queue_by_law_as_the_dashboard_counts_it(
    tab: Any, served: LiveServer
) -> None:
    _sign_in(tab, served, "reviewer")
    for law in (OTHER, DEFAULT_LAW_ID):
        tab.goto(served.url + f"/dashboard?law={law}")
        with served.register.sessions() as db:
            expected = stats.statistics(db, Admin(), law).review_open
        assert int(tab.locator("#review-total").inner_text()) == expected
        tab.locator("#review-total").locator("xpath=..").locator("a").first.click()
        tab.wait_for_url(re.compile(rf".*/review\?law={law}$"))
        assert tab.locator("#rv-law").input_value() == law
        status = tab.get_by_role("status").filter(has_text="Ожидают проверки").first.inner_text()
        assert int(re.search(r"Ожидают проверки: (\d+)", status).group(1)) == expected  # type: ignore[union-attr]
        laws = {
            tab.locator("td.due .law").nth(i).get_attribute("data-law")
            for i in range(tab.locator("td.due .law").count())
        }
        assert laws <= {law}
    # every law: the picker's blank choice
    tab.locator("#rv-law").select_option("")
    tab.wait_for_url(re.compile(r".*/review\?.*law=(&|$)"))
    shot(tab, "review-every-law")
