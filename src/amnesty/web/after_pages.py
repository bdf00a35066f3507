"""Web pages for after the decision: what-if impact of a law variant, resocialisation tasks with
status changes and CSV/XLSX export, and decision documents per case (DOCX, PDF; ru, kk, en).

Access is the policy's (`amnesty.service.policy`): impact as what-if; tasks: read by administrators,
case officers, auditors and social workers (the persons currently in their region), changed by
administrators and social workers; documents: administrators, case officers, reviewers, auditors.
"""

from __future__ import annotations

import secrets
import tempfile
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from amnesty.documents.court import DocumentKind, DocumentNotAvailableError, available_kinds
from amnesty.documents.render import DocumentFormat, TemplateError
from amnesty.domain.decision import Decision
from amnesty.domain.enums import REGIONS, TaskStatus
from amnesty.domain.records import CaseRecord
from amnesty.impact.compare import ImpactReport, run_impact
from amnesty.impact.demo import demo_records
from amnesty.impact.output import impact_chart, impact_tables
from amnesty.impact.variant import parse_variant, variant_law
from amnesty.law.loader import LawPackError
from amnesty.law.registry import DEFAULT_LAW_ID, get_law
from amnesty.reports.inputs import InputError, read_records
from amnesty.resocialisation.tasks import TRANSITIONS
from amnesty.service import cases as case_service
from amnesty.service import register, tasks
from amnesty.service.errors import InvalidInputError, NotFoundError, VersionConflictError
from amnesty.service.exports import ExportFormat, task_rows
from amnesty.service.policy import Action, may, region_limit
from amnesty.web.downloads import download
from amnesty.web.i18n import gettext, local_today
from amnesty.web.labels import N_
from amnesty.web.laws import picked_law
from amnesty.web.pages_cases import case_views
from amnesty.web.templating import render
from amnesty.web.viewer import Viewer, check_csrf, database, require

router = APIRouter()

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_VARIANT_CHARS = 50_000
TASKS_PER_PAGE = 50
_CHARTS_KEPT = 16


def _base(user: Viewer, nav: str) -> dict[str, Any]:
    return {"user": user, "nav": nav}


def example_variants() -> dict[str, str]:
    """The bundled example variants: name -> YAML text."""
    folder = resources.files("amnesty.impact").joinpath("examples")
    return {
        item.name.removesuffix(".yaml"): item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    }


# ---------------------------------------------------------------- impact


def _register_records(request: Request, user: Viewer) -> list[CaseRecord]:
    with database(request) as db:
        return list(register.register_records(db, user))


async def _uploaded_records(upload: UploadFile) -> tuple[list[CaseRecord], int]:
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError("the file is larger than 20 MB")
    suffix = Path(upload.filename or "records.jsonl").suffix.lower() or ".jsonl"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        read = read_records(path)
    return list(read.records), len(read.errors)


def _remember_chart(request: Request, report: ImpactReport) -> str:
    charts: OrderedDict[str, bytes] | None = getattr(request.app.state, "after_charts", None)
    if charts is None:
        charts = OrderedDict()
        request.app.state.after_charts = charts
    token = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as folder:
        path = impact_chart(report, Path(folder) / "chart.png", request.state.language)
        charts[token] = path.read_bytes()
    while len(charts) > _CHARTS_KEPT:
        charts.popitem(last=False)
    return token


@router.get("/impact")
def impact_form(request: Request, example: str = "grave-half") -> Response:
    """Choose records (the register, the demo set, or a file) and a variant of the law."""
    user = require(request, Action.IMPACT)
    examples = example_variants()
    chosen = example if example in examples else next(iter(examples))
    context = _base(user, "impact") | {
        "examples": examples,
        "example": chosen,
        "variant_text": examples[chosen],
        "source": "register",
        "report": None,
        "error": None,
        "law": DEFAULT_LAW_ID,
        "against": "",
    }
    return render(request, "after/impact.html", context)


@router.post("/impact")
async def impact_run(
    request: Request,
    variant_text: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "register",
    csrf_token: Annotated[str, Form()] = "",
    upload: UploadFile | None = None,
    law: Annotated[str, Form()] = "",
    against: Annotated[str, Form()] = "",
) -> Response:
    """Run the chosen law (`law`) and the variant of it over the chosen records, or, when a second
    law is chosen (`against`, the baseline), the two laws, as `amnesty impact --law A --against B`
    does; show the comparison."""
    user = require(request, Action.IMPACT)
    check_csrf(request, csrf_token)
    chosen = picked_law(request, law)
    baseline_law = picked_law(request, against) if against.strip() else None
    context = _base(user, "impact") | {
        "examples": example_variants(),
        "example": "",
        "variant_text": variant_text,
        "source": source,
        "report": None,
        "error": None,
        "law": chosen.pack.id,
        "against": baseline_law.pack.id if baseline_law else "",
    }
    status = 200
    try:
        if baseline_law is not None:  # two registered laws: `against` is the baseline, as in the CLI
            baseline, changed, name = baseline_law, chosen, chosen.pack.id
        else:
            if len(variant_text) > MAX_VARIANT_CHARS:
                raise LawPackError("variant: the text is too long")
            variant = parse_variant(variant_text, "variant")
            baseline, changed, name = chosen, variant_law(variant, law_id=chosen.pack.id), variant.name
        uploaded: tuple[list[CaseRecord], int] | None = None
        if source == "upload":
            if upload is None or not upload.filename:
                raise InputError("choose a file of case records to upload")
            uploaded = await _uploaded_records(upload)

        def compare() -> dict[str, Any]:  # seconds of work: in a worker thread, never on the event loop
            if uploaded is not None:
                records, rejected = uploaded
            elif source == "demo":
                records, rejected = demo_records(), 0
            else:
                records, rejected = _register_records(request, user), 0
            report = run_impact(records, baseline, changed, name, rejected=rejected)
            return {
                "report": report,
                "total": report.total(),
                "tables": {t.name: t for t in impact_tables(report)},
                "chart": _remember_chart(request, report),
            }

        context |= await run_in_threadpool(compare)
    except (LawPackError, InputError) as error:
        context["error"] = str(error)
        status = 422
    return render(request, "after/impact.html", context, status_code=status)


@router.get("/impact/chart/{token}.png")
def impact_chart_png(request: Request, token: str) -> Response:
    """A chart of a recent impact run."""
    require(request, Action.IMPACT)
    charts: dict[str, bytes] = getattr(request.app.state, "after_charts", None) or {}
    data = charts.get(token)
    if data is None:
        raise HTTPException(status_code=404)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


# ---------------------------------------------------------------- tasks


def _task_region(user: Viewer, asked: str) -> str | None:
    """A region filter: a social worker's own region only; others may choose one (or all)."""
    limit = region_limit(user)
    if limit is not None:
        return limit
    return asked if asked in REGIONS else None


def _task_filter(user: Viewer, region: str, status: str, overdue: str) -> tasks.TaskFilter:
    return tasks.TaskFilter(
        region=_task_region(user, region),
        status=status if status in {s.value for s in TaskStatus} else None,
        overdue_on=local_today() if overdue else None,
    )


@router.get("/tasks")
def tasks_page(
    request: Request, region: str = "", status: str = "", overdue: str = "", page: int = 1
) -> Response:
    """Resocialisation tasks with their status and due day, a summary per region, paginated in SQL."""
    user = require(request, Action.READ_TASKS)
    today = local_today()
    filters = _task_filter(user, region, status, overdue)
    with database(request) as db:
        found = tasks.list_tasks(db, user, filters, max(1, min(page, 1_000_000)), TASKS_PER_PAGE)
        summaries = tasks.task_summary(db, user, today)
    context = _base(user, "tasks") | {
        "result": found,
        "items": found.items,
        "summaries": summaries,
        "region": filters.region,
        "regions": REGIONS if region_limit(user) is None else (),
        "status": filters.status or "",
        "overdue": bool(overdue),
        "statuses": list(TaskStatus),
        "transitions": TRANSITIONS,
        "today": today,
        "may_edit": may(user, Action.WRITE_TASKS),
        "message": _task_message(request.query_params.get("m")),
    }
    if context["message"] is not None and context["message"][1] is not None:
        try:
            with database(request) as db:
                context["message_task"] = tasks.get_task(db, user, context["message"][1])
        except NotFoundError:
            context["message"] = None
    return render(request, "after/tasks.html", context)


@router.get("/tasks/export.{fmt}")
def tasks_export(
    request: Request, fmt: str, region: str = "", status: str = "", overdue: str = ""
) -> Response:
    """The task list with the current filters as CSV or XLSX."""
    user = require(request, Action.READ_TASKS)
    try:
        export = ExportFormat(fmt)
    except ValueError:
        raise HTTPException(status_code=404) from None
    with database(request) as db:
        table = task_rows(db, user, _task_filter(user, region, status, overdue))
        return download(db, user, "tasks", export, table)


@router.post("/tasks/{task_id}/status")
def task_status(
    request: Request,
    task_id: int,
    status: Annotated[str, Form()],
    version: Annotated[int, Form()],
    reason: Annotated[str, Form(max_length=500)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Change a task's status (checked against the life cycle; `cannot_be_done` needs a reason)."""
    user = require(request, Action.WRITE_TASKS)
    check_csrf(request, csrf_token)
    try:
        new_status = TaskStatus(status)
    except ValueError:
        raise HTTPException(status_code=422, detail=N_("Unknown status.")) from None
    try:
        with database(request) as db:
            edit = tasks.TaskEdit(
                version=version, status=new_status, reason=reason or None, add_note=note or None
            )
            tasks.change_task(db, user, task_id, edit)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=N_("No such task.")) from None
    except InvalidInputError as error:
        return _back_to_tasks(f"{error.code}:{task_id}")
    except VersionConflictError:
        return _back_to_tasks(f"conflict:{task_id}")
    return _back_to_tasks(f"saved:{task_id}")


TASK_MESSAGES = {
    "saved": N_("Saved."),
    "reason_required": N_("Write the reason why the task cannot be done."),
    "invalid_transition": N_("This status cannot follow the task's present status."),
    "conflict": N_("The task was changed by someone else; check it and try again."),
}
"""The result of a status change, in words (the page names the task's row)."""


def _back_to_tasks(message: str) -> Response:
    return RedirectResponse(
        f"/tasks?m={quote(message, safe=':')}#task-{message.partition(':')[2]}", status_code=303
    )


def _task_message(message: str | None) -> tuple[str, int | None, bool] | None:
    """(words, task id, saved) of a status change's result, or None."""
    if not message:
        return None
    code, _, number = message.partition(":")
    words = TASK_MESSAGES.get(code)
    if words is None:
        return None
    return gettext(words), int(number) if number.isdigit() else None, code == "saved"


# ---------------------------------------------------------------- documents


@router.get("/documents/{person_id}")
def documents_page(request: Request, person_id: str) -> Response:
    """Each case of the person with its decision and links to its draft document in each language and
    format."""
    user = require(request, Action.DOCUMENTS)
    try:
        with database(request) as db:
            file = case_service.person_file(db, user, person_id)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=N_("No such person.")) from None
    views = [v for v in case_views(file, request.state.language) if v.decision is not None]
    context = _base(user, "cases") | {
        "person_id": person_id,
        "full_name": file.full_name,
        "views": views,
        "pack_documents": {v.detail.id: _pack_kinds(v.decision) for v in views if v.decision is not None},
        "pack_languages": (("ru", "Русский"), ("kk", "Қазақша")),
        "languages": (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")),
        "formats": [f.value for f in DocumentFormat],
    }
    return render(request, "after/documents.html", context)


def _pack_kinds(decision: Decision) -> list[str]:
    """The kinds of document beyond the decision's that its law's pack declares and it calls for."""
    try:
        law = get_law(decision.law)
    except LawPackError:
        return []
    return [k.value for k in available_kinds(decision, law) if k is not DocumentKind.DECISION]


@router.get("/documents/{person_id}/{case_id}/{language}.{fmt}")
def document_download(request: Request, person_id: str, case_id: int, language: str, fmt: str) -> Response:
    """The draft document for a case's newest decision (DOCX or PDF)."""
    return _download(request, case_id, language, fmt, DocumentKind.DECISION)


@router.get("/documents/{person_id}/{case_id}/{kind}/{language}.{fmt}")
def pack_document_download(
    request: Request, person_id: str, case_id: int, kind: str, language: str, fmt: str
) -> Response:
    """A document the law's pack declares (the representation to the court, the person's letter) for a
    case's decision in force (DOCX or PDF, ru or kk)."""
    if kind not in {k.value for k in DocumentKind} - {DocumentKind.DECISION.value}:
        raise HTTPException(status_code=404)
    return _download(request, case_id, language, fmt, DocumentKind(kind))


def _download(request: Request, case_id: int, language: str, fmt: str, kind: DocumentKind) -> Response:
    user = require(request, Action.DOCUMENTS)
    if language not in ("ru", "kk", "en") or fmt not in ("docx", "pdf"):
        raise HTTPException(status_code=404)
    try:
        with database(request) as db:
            document = register.case_document(db, user, case_id, None, language, DocumentFormat(fmt), kind)
    except (NotFoundError, DocumentNotAvailableError):
        raise HTTPException(status_code=404) from None
    except TemplateError as error:
        raise HTTPException(status_code=500, detail=f"Template problem: {error}") from None
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )
