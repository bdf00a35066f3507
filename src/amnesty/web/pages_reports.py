"""A law's report page (`/reports?law=ID`): the decisions in force under the law chosen in the law
picker, by region and by stage with their outcomes, the relief given and the exclusions by rule (one
query per list, `amnesty.service.reports`), in the reader's language and numbers, each list
downloadable as CSV or XLSX (`amnesty.web.downloads`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from amnesty.domain.enums import REGIONS, Stage
from amnesty.law.registry import DEFAULT_LAW_ID
from amnesty.service import reports
from amnesty.service.exports import ExportFormat
from amnesty.service.policy import Action
from amnesty.service.reports import BY_REVIEWER
from amnesty.web.downloads import download
from amnesty.web.laws import picked_law
from amnesty.web.templating import render
from amnesty.web.viewer import database, require

router = APIRouter()


@router.get("/reports")
def law_report(request: Request, law_id: Annotated[str, Query(alias="law")] = DEFAULT_LAW_ID) -> Response:
    """The report of one law (`?law=ID`; 404 for a law not registered)."""
    user = require(request, Action.READ_REPORTS)
    law = picked_law(request, law_id)
    with database(request) as db:
        report = reports.law_report(db, user, law)
    context = {
        "user": user,
        "report": report,
        "law": law.pack.id,
        "rules": law.pack.rules,
        "by_reviewer": BY_REVIEWER,
        "regions": REGIONS,
        "stages": [stage.value for stage in Stage],
    }
    return render(request, "reports.html", context)


@router.get("/reports/export.{fmt}")
def law_report_export(
    request: Request,
    fmt: str,
    law_id: Annotated[str, Query(alias="law")] = DEFAULT_LAW_ID,
    table: str = reports.ReportList.REGION.value,
) -> Response:
    """One list of a law's report (`table`: region, stage, relief, exclusions) as CSV or XLSX, in the
    reader's words with the codes beside them."""
    user = require(request, Action.READ_REPORTS)
    try:
        export, chosen = ExportFormat(fmt), reports.ReportList(table)
    except ValueError:
        raise HTTPException(status_code=404) from None
    law = picked_law(request, law_id)
    with database(request) as db:
        exported = reports.report_table(db, user, law, chosen)
        return download(db, user, f"report-{chosen.value}", export, exported)
