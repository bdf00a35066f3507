"""Web pages for after the decision: what-if impact of a law variant, resocialisation tasks per region
with status changes and XLSX export, and decision documents per person (DOCX, PDF; ru, kk, en).

Access (least privilege): impact as the what-if page (administrators, case officers, reviewers); tasks:
social workers (their own region only) and administrators change them, auditors read them; documents:
administrators, case officers, reviewers and auditors.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from amnesty.documents.render import DocumentFormat, DocumentRenderer, TemplateError
from amnesty.domain.enums import REGIONS, TaskStatus
from amnesty.domain.records import CaseRecord
from amnesty.explain import headline
from amnesty.impact.compare import ImpactReport, run_impact
from amnesty.impact.demo import demo_records
from amnesty.impact.output import impact_chart, impact_tables
from amnesty.impact.variant import parse_variant, variant_law
from amnesty.law.loader import LawPackError, default_law
from amnesty.reports.inputs import InputError, read_records
from amnesty.reports.tables import write_xlsx
from amnesty.resocialisation.board import MemoryBoard, StaleTaskError, StoreBoard, TaskBoard
from amnesty.resocialisation.export import region_tables
from amnesty.resocialisation.tasks import TRANSITIONS, TransitionError, summary_by_region
from amnesty.web.access import Page, can, signed_in
from amnesty.web.access import backend as get_backend
from amnesty.web.access import require as require_page
from amnesty.web.backend import CaseQuery, Role, WebUser
from amnesty.web.session import csrf_ok
from amnesty.web.templating import render

router = APIRouter()

TASK_READERS = frozenset({Role.ADMIN, Role.SOCIAL_WORKER, Role.AUDITOR})
TASK_WRITERS = frozenset({Role.ADMIN, Role.SOCIAL_WORKER})
DOCUMENT_ROLES = frozenset({Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER, Role.AUDITOR})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_VARIANT_CHARS = 50_000
_CHARTS_KEPT = 16
_RENDERER = DocumentRenderer()


def _require(request: Request, roles: frozenset[Role]) -> WebUser:
    user = signed_in(request)
    if user is None:
        raise HTTPException(status_code=303, headers={"Location": "/signin?next=" + request.url.path})
    if user.role not in roles:
        raise HTTPException(status_code=403, detail="Your role does not give access to this page.")
    return user


def _base(user: WebUser, nav: str) -> dict[str, Any]:
    return {"user": user, "Page": Page, "can": can, "nav": nav}


def example_variants() -> dict[str, str]:
    """The bundled example variants: name -> YAML text."""
    folder = resources.files("amnesty.impact").joinpath("examples")
    return {
        item.name.removesuffix(".yaml"): item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    }


# ---------------------------------------------------------------- impact


def _register_records(request: Request) -> list[CaseRecord]:
    backend = get_backend(request)
    page = backend.search(CaseQuery(per_page=100_000))
    files = (backend.person(row.person_id) for row in page.rows)
    return [file.record for file in files if file is not None]


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
        path = impact_chart(report, Path(folder) / "chart.png")
        charts[token] = path.read_bytes()
    while len(charts) > _CHARTS_KEPT:
        charts.popitem(last=False)
    return token


@router.get("/impact")
def impact_form(request: Request, example: str = "grave-half") -> Response:
    """Choose records (the register, the demo set, or a file) and a variant of the law."""
    user = require_page(request, Page.WHAT_IF)
    examples = example_variants()
    chosen = example if example in examples else next(iter(examples))
    context = _base(user, "impact") | {
        "examples": examples,
        "example": chosen,
        "variant_text": examples[chosen],
        "source": "register",
        "report": None,
        "error": None,
    }
    return render(request, "after/impact.html", context)


@router.post("/impact")
async def impact_run(
    request: Request,
    variant_text: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "register",
    csrf_token: Annotated[str, Form()] = "",
    upload: UploadFile | None = None,
) -> Response:
    """Run the baseline and the variant over the chosen records and show the comparison."""
    user = require_page(request, Page.WHAT_IF)
    if not csrf_ok(request, csrf_token):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    context = _base(user, "impact") | {
        "examples": example_variants(),
        "example": "",
        "variant_text": variant_text,
        "source": source,
        "report": None,
        "error": None,
    }
    status = 200
    try:
        if len(variant_text) > MAX_VARIANT_CHARS:
            raise LawPackError("variant: the text is too long")
        variant = parse_variant(variant_text, "variant")
        law = variant_law(variant)
        rejected = 0
        if source == "upload":
            if upload is None or not upload.filename:
                raise InputError("choose a file of case records to upload")
            records, rejected = await _uploaded_records(upload)
        elif source == "demo":
            records = demo_records()
        else:
            records = _register_records(request)
        report = run_impact(records, default_law(), law, variant.name, rejected=rejected)
        context |= {
            "report": report,
            "total": report.total(),
            "tables": {t.name: t for t in impact_tables(report)},
            "chart": _remember_chart(request, report),
        }
    except (LawPackError, InputError) as error:
        context["error"] = str(error)
        status = 422
    return render(request, "after/impact.html", context, status_code=status)


@router.get("/impact/chart/{token}.png")
def impact_chart_png(request: Request, token: str) -> Response:
    """A chart of a recent impact run."""
    require_page(request, Page.WHAT_IF)
    charts: dict[str, bytes] = getattr(request.app.state, "after_charts", None) or {}
    data = charts.get(token)
    if data is None:
        raise HTTPException(status_code=404)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


# ---------------------------------------------------------------- tasks


def task_board(request: Request) -> TaskBoard:
    """The application's task board: the service's store when present, else tasks in memory made
    from the web backend's decisions."""
    state = request.app.state
    board: TaskBoard | None = getattr(state, "after_task_board", None)
    if board is None:
        sessions = getattr(state, "sessions", None)
        if sessions is not None:
            board = StoreBoard(sessions)
        else:
            backend = get_backend(request)
            page = backend.search(CaseQuery(per_page=100_000))
            files = (backend.person(row.person_id) for row in page.rows)
            board = MemoryBoard(file.decision for file in files if file is not None)
        state.after_task_board = board
    return board


def _region_for(user: WebUser, asked: str) -> str | None:
    """Social workers see their own region only; others may choose one (or all)."""
    if user.role is Role.SOCIAL_WORKER:
        if not user.region:
            raise HTTPException(status_code=403, detail="Your account names no region.")
        return user.region
    return asked if asked in REGIONS else None


@router.get("/tasks")
def tasks_page(request: Request, region: str = "", status: str = "", overdue: str = "") -> Response:
    """Resocialisation tasks of a region with their status, due day and overdue marker."""
    user = _require(request, TASK_READERS)
    chosen = _region_for(user, region)
    today = dt.date.today()
    items = task_board(request).list(chosen)
    summaries = summary_by_region([item.task for item in items], today)
    shown = [
        item
        for item in items
        if (not status or item.task.status.value == status) and (not overdue or item.task.is_overdue(today))
    ]
    shown.sort(key=lambda i: (-i.task.days_overdue(today), i.task.region or "", i.task.person_id))
    context = _base(user, "tasks") | {
        "items": shown[:500],
        "hidden": max(0, len(shown) - 500),
        "summaries": summaries,
        "region": chosen,
        "regions": REGIONS if user.role is not Role.SOCIAL_WORKER else (),
        "status": status,
        "overdue": bool(overdue),
        "statuses": list(TaskStatus),
        "transitions": TRANSITIONS,
        "today": today,
        "may_edit": user.role in TASK_WRITERS,
        "message": request.query_params.get("m"),
    }
    return render(request, "after/tasks.html", context)


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
    user = _require(request, TASK_WRITERS)
    if not csrf_ok(request, csrf_token):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    try:
        new_status = TaskStatus(status)
    except ValueError:
        raise HTTPException(status_code=422, detail="Unknown status.") from None
    region = user.region if user.role is Role.SOCIAL_WORKER else None
    if user.role is Role.SOCIAL_WORKER and not region:
        raise HTTPException(status_code=403, detail="Your account names no region.")
    try:
        task_board(request).change(
            task_id, version, new_status, dt.date.today(), user.username, reason or None, note or None, region
        )
    except LookupError:
        raise HTTPException(status_code=404, detail="No such task.") from None
    except TransitionError as error:
        return _back_to_tasks(str(error))
    except StaleTaskError:
        return _back_to_tasks("The task was changed by someone else; check it and try again.")
    return _back_to_tasks("saved")


def _back_to_tasks(message: str) -> Response:
    from urllib.parse import quote

    return RedirectResponse(f"/tasks?m={quote(message)}", status_code=303)


@router.get("/tasks/export.xlsx")
def tasks_export(request: Request, region: str = "") -> Response:
    """The region's report workbook (summary and tasks)."""
    user = _require(request, TASK_READERS)
    chosen = _region_for(user, region)
    tasks = [item.task for item in task_board(request).list(chosen)]
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(region_tables(tasks, chosen, dt.date.today()), Path(folder) / "tasks.xlsx")
        data = path.read_bytes()
    name = f"tasks-{(chosen or 'all').replace(' ', '-')}-{dt.date.today().isoformat()}.xlsx"
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---------------------------------------------------------------- documents


def _person_file(request: Request, person_id: str) -> Any:
    file = get_backend(request).person(person_id)
    if file is None:
        raise HTTPException(status_code=404, detail="No such person.")
    return file


@router.get("/documents/{person_id}")
def documents_page(request: Request, person_id: str) -> Response:
    """The person's decision and links to its draft document in each language and format."""
    user = _require(request, DOCUMENT_ROLES)
    file = _person_file(request, person_id)
    language = getattr(request.state, "language", "ru")
    context = _base(user, "cases") | {
        "person_id": person_id,
        "full_name": file.record.full_name,
        "headline": headline(file.decision, language if language in ("ru", "kk", "en") else "ru"),
        "outcome": file.decision.outcome.value,
        "languages": (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")),
        "formats": [f.value for f in DocumentFormat],
    }
    return render(request, "after/documents.html", context)


@router.get("/documents/{person_id}/{language}.{fmt}")
def document_download(request: Request, person_id: str, language: str, fmt: str) -> Response:
    """The draft document for the person's decision (DOCX or PDF)."""
    _require(request, DOCUMENT_ROLES)
    if language not in ("ru", "kk", "en") or fmt not in ("docx", "pdf"):
        raise HTTPException(status_code=404)
    file = _person_file(request, person_id)
    try:
        document = _RENDERER.render(file.decision, file.record, default_law(), language, DocumentFormat(fmt))
    except TemplateError as error:
        raise HTTPException(status_code=500, detail=f"Template problem: {error}") from None
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )
