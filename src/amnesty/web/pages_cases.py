"""Case pages: search and list (with CSV/XLSX export), a person's page with each of their cases, new
case entry with charges added by htmx, editing a case (re-evaluated at once; optimistic locking), and
what-if. Every page calls `amnesty.service`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from amnesty.domain.decision import Decision, Question
from amnesty.domain.enums import (
    REGIONS,
    AnswerKind,
    Category,
    Context,
    CriminalCode,
    Damage,
    Outcome,
    PersonRole,
    Punishment,
    Recidivism,
    Sex,
    Stage,
    Tag,
)
from amnesty.domain.iin import IinError, birth_date_from_iin, validate_iin
from amnesty.domain.records import RECORD_CHECK_CODES, CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.engine.questions import option_key
from amnesty.law.registry import DEFAULT_LAW_ID, get_law, registered_laws
from amnesty.render.decisions import headline, override_headline
from amnesty.render.formats import format_date
from amnesty.render.validation import FIELD_LABELS, describe_problem, field_label, problem_text
from amnesty.service import answers as answer_service
from amnesty.service import cases as case_service
from amnesty.service import review as review_service
from amnesty.service.errors import (
    DuplicateCaseError,
    InvalidInputError,
    NotFoundError,
    SupersededError,
    VersionConflictError,
)
from amnesty.service.exports import ExportFormat, case_rows
from amnesty.service.policy import MIN_JUSTIFICATION, Action
from amnesty.service.results import CaseDetail, DecisionDetail, InForceOut, OverrideOut, PersonFile
from amnesty.store.queries import CaseFilter
from amnesty.web.compare import compare_decisions
from amnesty.web.downloads import download
from amnesty.web.forms import (
    FormError,
    charge_indexes,
    form_values,
    friendly_errors,
    record_data,
    tags_from_form,
    unchosen_errors,
)
from amnesty.web.i18n import gettext
from amnesty.web.labels import N_
from amnesty.web.laws import LAW_FIELD, picked_law
from amnesty.web.templating import render
from amnesty.web.viewer import Viewer, check_csrf, database, is_partial, region_scope, require, require_any

router = APIRouter()

PER_PAGE = 25
CHOICES: dict[str, Any] = {
    "regions": REGIONS,
    "stages": list(Stage),
    "outcomes": list(Outcome),
    "categories": list(Category),
    "contexts": [Context.UNKNOWN, *(c for c in Context if c is not Context.UNKNOWN)],
    "roles": list(PersonRole),
    "recidivisms": list(Recidivism),
    "punishments": list(Punishment),
    "tags": list(Tag),
    "sexes": list(Sex),
    "damages": list(Damage),
    "codes": list(CriminalCode),
    "disability_groups": ["0", "1", "2", "3"],
}
SORT_KEYS = ("name", "person_id", "region", "stage", "outcome", "end_date")


def _enum_or_none(kind: type[Any], value: str | None) -> Any:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class CaseQuery:
    """The case list's search form as the page shows it."""

    text: str = ""
    region: str | None = None
    outcome: Outcome | None = None
    stage: Stage | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    law: str | None = None
    """Only cases decided under this registered law, each with its decision under it (the
    dashboard's links under a law); None: every case with its newest decision."""

    def filters(self) -> CaseFilter:
        """The service's filter for this query."""
        return CaseFilter(
            q=self.text or None,
            region=self.region,
            outcome=self.outcome.value if self.outcome else None,
            stage=self.stage.value if self.stage else None,
            law=self.law,
        )

    @property
    def law_param(self) -> str:
        """The law's part of the list's links (sort, pages, exports): `&law=ID`, or nothing."""
        return f"&law={quote(self.law)}" if self.law else ""

    @property
    def sort_field(self) -> str:
        """The service's sort argument."""
        return ("-" if self.descending else "") + ("full_name" if self.sort == "name" else self.sort)


def case_query(request: Request, scope: str | None) -> CaseQuery:
    """Read the list's query parameters (unknown values are ignored)."""
    params = request.query_params
    try:
        page = max(1, min(int(params.get("page", "1")), 1_000_000))
    except ValueError:
        page = 1
    sort = params.get("sort", "name")
    return CaseQuery(
        text=params.get("q", "")[:100].strip(),
        region=scope or (params.get("region") if params.get("region") in REGIONS else None),
        outcome=_enum_or_none(Outcome, params.get("outcome")),
        stage=_enum_or_none(Stage, params.get("stage")),
        sort=sort if sort in SORT_KEYS else "name",
        descending=params.get("dir") == "desc",
        page=page,
        law=picked_law(request, params["law"]).pack.id if params.get("law") else None,
    )


@router.get("/cases")
def cases(request: Request) -> Response:
    """Search by name, IIN (or its first digits), case number, region, outcome and stage; sortable and
    paginated in the database."""
    user = require(request, Action.READ_PERSONS)
    scope = region_scope(user)
    query = case_query(request, scope)
    with database(request) as db:
        result = case_service.search_cases(db, user, query.filters(), query.sort_field, query.page, PER_PAGE)
    context = {"user": user, "query": query, "result": result, "scope": scope, "choices": CHOICES}
    template = "cases_results.html" if is_partial(request) else "cases.html"
    return render(request, template, context)


@router.get("/cases/export.{fmt}")
def cases_export(request: Request, fmt: str) -> Response:
    """The case list with the current filters as CSV or XLSX (audited with its row count)."""
    user = require(request, Action.READ_PERSONS)
    export = _enum_or_none(ExportFormat, fmt)
    if export is None:
        raise HTTPException(status_code=404)
    query = case_query(request, region_scope(user))
    with database(request) as db:
        return download(db, user, "cases", export, case_rows(db, user, query.filters(), query.sort_field))


def _require_form(request: Request) -> Viewer:
    """The charge-row and IIN helpers serve the case forms and what-if."""
    return require_any(request, Action.WRITE_CASES, Action.WHAT_IF)


@router.get("/cases/new")
def new_case_form(request: Request) -> Response:
    """An empty form with one charge."""
    user = require(request, Action.WRITE_CASES)
    return _render_form(request, user, {LAW_FIELD: DEFAULT_LAW_ID}, [0], [])


def _render_form(
    request: Request,
    user: Viewer,
    values: dict[str, str],
    rows: list[int],
    errors: list[Any],
    status: int = 200,
    template: str = "new_case.html",
    **extra: Any,
) -> Response:
    context = {
        "user": user,
        "values": values,
        "rows": rows or [0],
        "errors": errors,
        "error_ids": {e.field_id: e.problem for e in errors},
        "choices": CHOICES,
    } | extra
    return render(request, template, context, status_code=status)


@router.get("/cases/new/charge")
def new_charge_row(request: Request) -> Response:
    """One more charge row (htmx): its number follows the highest already on the form."""
    user = _require_form(request)
    present = charge_indexes(request.query_params)
    index = (max(present) + 1) if present else 0
    if index >= 20:
        raise HTTPException(status_code=422, detail=N_("At most 20 charges."))
    context = {"user": user, "index": index, "values": {}, "choices": CHOICES, "error_ids": {}}
    return render(request, "charge_row.html", context)


@router.get("/cases/new/removed")
def removed_row(request: Request) -> Response:
    """Nothing: htmx swaps the removed charge row out with this empty answer."""
    _require_form(request)
    return Response("", media_type="text/html")


@router.get("/cases/new/iin")
def iin_check(request: Request, iin: str = "") -> Response:
    """Live IIN check (htmx): says whether the number is valid and which birth date it encodes."""
    _require_form(request)
    value = iin.strip()
    ok, message = False, ""
    if value:
        try:
            validate_iin(value)
            born = birth_date_from_iin(value)
            ok = True
            message = gettext("Valid IIN.")
            if born:
                message += " " + gettext("Date of birth from the IIN: {date}").format(
                    date=format_date(born, request.state.language)
                )
        except IinError as error:
            message = describe_problem("iin", error.code, {}, str(error), request.state.language)
    return render(request, "iin_check.html", {"ok": ok, "message": message})


async def _form(request: Request) -> dict[str, str]:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    check_csrf(request, form.get("csrf_token"))
    return form


@router.post("/cases/new")
async def new_case(request: Request) -> Response:
    """Validate on the server (naming each wrong field), store, evaluate, and open the person's page."""
    form = await _form(request)
    return await run_in_threadpool(_new_case, request, form)


PENDING_ID = "PENDING"
"""The person number a new case is checked under before the system issues one."""


def _new_case(request: Request, form: dict[str, str]) -> Response:
    """The work of `new_case` once the form is read (in a worker thread: it uses the database): the
    person is matched by IIN (the officer is told), chosen among possible matches by name and birth
    date, or numbered by the system when no number was given."""
    user = require(request, Action.WRITE_CASES)
    law = picked_law(request, form.get(LAW_FIELD))
    rows = charge_indexes(form)
    chosen = form.get("use_person", "").strip()
    given = bool(chosen or form.get("person_id", "").strip())
    data = record_data(form, tags_from_form(form))
    data["person_id"] = chosen or data.get("person_id") or PENDING_ID
    try:
        record = parse_record(data)
    except ValidationError as error:
        errors = unchosen_errors(form) + friendly_errors(_renumbered(error, rows))
        return _render_form(request, user, form, rows, errors, 422)
    if unchosen := unchosen_errors(form):
        return _render_form(request, user, form, rows, unchosen, 422)
    try:
        with database(request) as db:
            found = case_service.resolve_person(db, user, record, given=given)
            if found.possible and found.existing is None and not chosen and form.get("confirm_new") != "yes":
                return _render_form(request, user, form, rows, [], 200, possible=found.possible)
            record = found.apply(record)
            case_service.add_case(db, user, record, law)
    except DuplicateCaseError as error:
        errors = [_service_problem(error, "person_id", "duplicate_case", request.state.language)]
        return _render_form(request, user, form, rows, errors, 422)
    told = "&matched=iin" if found.matched_by_iin is not None else ("&issued=1" if found.issued else "")
    return RedirectResponse(f"/cases/{record.person_id}?saved=new{told}", status_code=303)


def _service_problem(error: Exception, field: str, code: str, language: str) -> FormError:
    """A use case's refusal of the form as a form error, in words from the one validation table."""
    text = str(error)
    problem = text.partition(": ")[2] if field != "record" and ": " in text else text
    path = field if field in FIELD_LABELS else "(record)"
    return FormError(
        field if field in FIELD_LABELS else "form",
        field_label(path, language),
        problem_text(code, {}, problem, language),
    )


def _renumbered(error: ValidationError, rows: list[int]) -> ValidationError:
    """Errors refer to the n-th charge sent; map them back to the form's row numbers."""
    items = error.errors(include_url=False)
    fixed = []
    for item in items:
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == "charges" and isinstance(loc[1], int) and loc[1] < len(rows):
            loc[1] = rows[loc[1]]
        kind: str | PydanticCustomError = item["type"]
        if (
            item["type"] in RECORD_CHECK_CODES
        ):  # the record's own checks: rebuilt as the custom errors they are
            kind = PydanticCustomError(item["type"], str(item["msg"]), item.get("ctx"))
        fixed.append({**item, "loc": tuple(loc), "type": kind})
    return ValidationError.from_exception_data(error.title, fixed)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CaseView:
    """One case of a person as the page shows it: facts and newest decision parsed, the history, the
    overrides of the newest decision."""

    detail: CaseDetail
    record: CaseRecord
    decision: Decision | None
    engine_headline: str
    timeline: dict[str, Any] | None
    language: str = "ru"

    @property
    def in_force(self) -> InForceOut | None:
        """The decision in force (`amnesty.store.in_force`): the engine's newest decision, or the newest
        override of it not withdrawn."""
        return self.detail.decisions[-1].in_force if self.detail.decisions else None

    @property
    def override(self) -> OverrideOut | None:
        """The reviewer's override in force, if any."""
        wanted = self.in_force.override_id if self.in_force else None
        return next((o for o in self.overrides if o.id == wanted), None) if wanted is not None else None

    @property
    def headline(self) -> str:
        """The decision in force in one sentence: the reviewer's (outcome, figures, by whom and when)
        when an override is in force, else the engine's."""
        return in_force_headline(self.override, self.engine_headline, self.language)

    @property
    def by_law(self) -> list[LawDecision]:
        """The decision in force under each law the case was decided under (`law_decisions`)."""
        return law_decisions(self.detail, self.language)

    @property
    def overrides(self) -> list[OverrideOut]:
        """Every override of the newest decision, oldest first, withdrawn ones included."""
        return self.detail.decisions[-1].overrides if self.detail.decisions else []

    @property
    def final_outcome(self) -> Outcome | None:
        """The outcome in force."""
        if self.in_force is not None:
            return Outcome(self.in_force.outcome)
        return self.decision.outcome if self.decision else None

    @property
    def open_questions(self) -> list[Question]:
        """The newest decision's questions, unless a reviewer's override in force closed them."""
        if self.decision is None or self.override is not None:
            return []
        return list(self.decision.questions)

    @property
    def answered(self) -> list[dict[str, str | None]]:
        """The questions answered so far: the fact in words, the source document, who and when."""
        return [
            {
                "field": field_label(a.field, self.language),
                "source": a.source,
                "by": a.answered_by,
                "at": a.answered_at,
            }
            for a in self.detail.answers
        ]

    @property
    def decision_id(self) -> int | None:
        """The newest decision's id (what an override is recorded beside)."""
        return self.detail.decisions[-1].id if self.detail.decisions else None


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def in_force_headline(override: OverrideOut | None, engine_headline: str, language: str) -> str:
    """A decision in force in one sentence: the reviewer's override (outcome, figures, by whom and
    when) when one is in force, else the engine's headline."""
    if override is None:
        return engine_headline
    return override_headline(
        Outcome(override.outcome),
        override.reviewer,
        _day(override.created_at),
        _day(override.release_date),
        _day(override.new_end_date),
        language,
    )


@dataclass(frozen=True)
class LawDecision:
    """A case's decision in force under one law: the law's id (the page names it by its title,
    `law_name`), the newest decision made under it, the outcome in force (the reviewer's when an
    override of it is in force) in words."""

    law_id: str
    decision_id: int
    outcome: Outcome
    headline: str
    decided_at: str | None
    newest: bool
    """Whether this is the case's newest decision (the one the rest of the case block shows)."""


def law_decisions(detail: CaseDetail, language: str) -> list[LawDecision]:
    """One entry per law the case was decided under: the newest decision made under that law with
    its override in force, in the order of the laws' entry into force (laws no longer registered
    last, by id)."""
    newest: dict[str, DecisionDetail] = {}
    for row in detail.decisions:  # oldest first: the last one of each law stays
        newest[row.law] = row
    order = {law.pack.id: index for index, law in enumerate(registered_laws())}
    found = []
    for law_id in sorted(newest, key=lambda key: (order.get(key, len(order)), key)):
        row = newest[law_id]
        wanted = row.in_force.override_id if row.in_force else None
        override = next((o for o in row.overrides if o.id == wanted), None) if wanted is not None else None
        decision = Decision.model_validate(row.decision)
        found.append(
            LawDecision(
                law_id,
                row.id,
                Outcome(row.in_force.outcome if row.in_force else row.outcome),
                in_force_headline(override, headline(decision, language), language),
                row.in_force.decided_at if row.in_force else row.created_at,
                row.id == detail.decisions[-1].id,
            )
        )
    return found


def case_views(file: PersonFile, language: str) -> list[CaseView]:
    """Every case of the file, newest decision first among them."""
    views = []
    for detail in file.cases:
        record = parse_record(detail.record)
        decision = Decision.model_validate(detail.decisions[-1].decision) if detail.decisions else None
        entry = get_law(decision.law).entry_into_force if decision else None
        views.append(
            CaseView(
                detail,
                record,
                decision,
                headline(decision, language) if decision else "",
                timeline(record, decision, entry) if decision and entry else None,
                language,
            )
        )
    return views


def _person(request: Request, user: Viewer, person_id: str) -> tuple[PersonFile, list[CaseView]]:
    try:
        with database(request) as db:
            file = case_service.person_file(db, user, person_id)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=N_("No such person in your register.")) from None
    return file, case_views(file, request.state.language)


def _chosen(views: list[CaseView], case_id: str | int | None) -> CaseView:
    """The case asked for, else the one decided most recently."""
    for view in views:
        if str(view.detail.id) == str(case_id):
            return view
    decided = [v for v in views if v.detail.decisions]
    if not decided:
        raise HTTPException(status_code=404, detail=N_("No decision for this person yet."))
    return max(decided, key=lambda v: (v.detail.decisions[-1].id, v.detail.id))


@router.get("/cases/{person_id}")
def person_page(request: Request, person_id: str) -> Response:
    """Each case of the person: the decision in plain words first, its open questions, then charges,
    reasons, timeline, history, overrides (audited read)."""
    user = require(request, Action.READ_PERSONS)
    return _person_page(request, user, person_id)


def _person_page(
    request: Request,
    user: Viewer,
    person_id: str,
    answer_error: dict[str, Any] | None = None,
    status_code: int = 200,
    withdraw_error: dict[str, Any] | None = None,
) -> Response:
    file, views = _person(request, user, person_id)
    context = {
        "user": user,
        "file": file,
        "views": views,
        "outcomes": list(Outcome),
        "saved": request.query_params.get("saved"),
        "answer_error": answer_error,
        "withdraw_error": withdraw_error,
        "matched": request.query_params.get("matched") == "iin",
        "issued": request.query_params.get("issued") == "1",
        "min_justification": MIN_JUSTIFICATION,
    }
    return render(request, "person.html", context, status_code=status_code)


def _answer_value(question: Question, form: dict[str, str]) -> Any:
    """The form's answer as the record's JSON value: an option as it is (yes/no as a boolean), a whole
    number, a term of years/months/days, a date as its ISO text."""
    if question.options:
        by_key = {option_key(option): option for option in question.options}
        return by_key.get(form.get("value", ""), form.get("value", ""))
    if question.answer is AnswerKind.TERM:
        return {unit: _whole(form.get(f"value_{unit}", "0")) for unit in ("years", "months", "days")}
    if question.answer is AnswerKind.INTEGER:
        return _whole(form.get("value", ""))
    return form.get("value", "")


def _whole(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


@router.post("/cases/{person_id}/answer")
async def answer_question(request: Request, person_id: str) -> Response:
    """Save the answer to a question of a case's newest decision (re-evaluated at once) and show the
    person's page again; a refused answer is shown there in words."""
    form = await _form(request)
    return await run_in_threadpool(_answer_question, request, person_id, form)


def _answer_question(request: Request, person_id: str, form: dict[str, str]) -> Response:
    """The work of `answer_question` once the form is read (in a worker thread: it uses the database)."""
    user = require(request, Action.ANSWER_QUESTIONS)
    _file, views = _person(request, user, person_id)
    view = _chosen(views, form.get("case_id"))
    field = form.get("field", "")
    question = next((q for q in view.open_questions if q.field == field), None)

    def refused(message: str, status_code: int) -> Response:
        error = {"case_id": view.detail.id, "field": field, "message": message}
        return _person_page(request, user, person_id, error, status_code)

    if question is None:
        return refused(gettext("This question is no longer open; the page shows the current ones."), 409)
    try:
        version = int(form.get("version", "0"))
    except ValueError:
        version = 0
    try:
        with database(request) as db:
            answer_service.answer_question(
                db,
                user,
                person_id,
                view.detail.id,
                version,
                field,
                _answer_value(question, form),
                form.get("source", ""),
                request.app.state.law,
            )
    except VersionConflictError:
        return refused(gettext("Someone changed the case since you opened it; the page shows it now."), 409)
    except InvalidInputError as error:
        if error.field == "source":
            return refused(gettext("Name the source document of the answer."), 422)
        return refused(gettext("The answer is not a valid value for this fact."), 422)
    return RedirectResponse(f"/cases/{person_id}?saved=answer#case-{view.detail.id}", status_code=303)


@router.post("/cases/{person_id}/overrides/{override_id}/withdraw")
async def withdraw_override(request: Request, person_id: str, override_id: int) -> Response:
    """Withdraw the reviewer's override in force of a case, with the reason (audited); the page shows
    the decision in force again (the previous override, else the software's)."""
    form = await _form(request)
    return await run_in_threadpool(_withdraw_override, request, person_id, override_id, form)


def _withdraw_override(request: Request, person_id: str, override_id: int, form: dict[str, str]) -> Response:
    """The work of `withdraw_override` once the form is read (in a worker thread: it uses the database)."""
    user = require(request, Action.OVERRIDE)
    _file, views = _person(request, user, person_id)
    view = next((v for v in views if any(o.id == override_id for o in v.overrides)), None)
    if view is None:
        raise HTTPException(status_code=404, detail=N_("No such override of this person's decisions."))

    def refused(message: str, status_code: int) -> Response:
        error = {"case_id": view.detail.id, "message": message}
        return _person_page(request, user, person_id, withdraw_error=error, status_code=status_code)

    try:
        with database(request) as db:
            review_service.withdraw_override(db, user, override_id, form.get("reason", ""))
    except review_service.OverrideRejectedError:
        return refused(
            gettext("Give the reason for the withdrawal (at least {n} characters).").format(
                n=MIN_JUSTIFICATION
            ),
            422,
        )
    except SupersededError:
        return refused(gettext("The override was withdrawn or replaced already; the page shows it now."), 409)
    return RedirectResponse(f"/cases/{person_id}?saved=withdrawn#case-{view.detail.id}", status_code=303)


def timeline(record: CaseRecord, decision: Decision, entry: dt.date) -> dict[str, Any] | None:
    """Bars for the original and new terms on a common scale (percent of the span)."""
    sentence = decision.sentence
    if sentence is None or sentence.start_date is None or sentence.original_end_date is None:
        return None
    start = sentence.start_date
    ends = [d for d in (sentence.original_end_date, sentence.new_end_date, entry) if d is not None]
    span = max((max(ends) - start).days, 1)

    def pct(day: dt.date) -> float:
        return round(100 * max((day - start).days, 0) / span, 2)

    return {
        "start": start,
        "original_end": sentence.original_end_date,
        "new_end": sentence.new_end_date,
        "original_pct": pct(sentence.original_end_date),
        "new_pct": pct(sentence.new_end_date) if sentence.new_end_date else None,
        "entry": entry,
        "entry_pct": pct(entry),
    }


@router.get("/cases/{person_id}/edit")
def edit_case_form(request: Request, person_id: str, case: str = "") -> Response:
    """A case's facts in the entry form, with the version read (saved with optimistic locking)."""
    user = require(request, Action.WRITE_CASES)
    _file, views = _person(request, user, person_id)
    view = _chosen(views, case)
    return _render_form(
        request,
        user,
        form_values(view.record),
        list(range(len(view.record.charges))),
        [],
        template="edit_case.html",
        view=view,
        version=view.detail.version,
        conflict=False,
    )


@router.post("/cases/{person_id}/edit")
async def edit_case(request: Request, person_id: str) -> Response:
    """Save the facts and re-evaluate; a case changed by someone else since it was read is not
    overwritten (the form says so and shows the current facts)."""
    form = await _form(request)
    return await run_in_threadpool(_edit_case, request, person_id, form)


def _edit_case(request: Request, person_id: str, form: dict[str, str]) -> Response:
    """The work of `edit_case` once the form is read (in a worker thread: it uses the database)."""
    user = require(request, Action.WRITE_CASES)
    _file, views = _person(request, user, person_id)
    view = _chosen(views, form.get("case_id"))
    form["person_id"] = view.record.person_id
    rows = charge_indexes(form)
    try:
        version = int(form.get("version", "0"))
    except ValueError:
        version = 0

    def again(
        errors: list[FormError], conflict: bool = False, values: dict[str, str] | None = None
    ) -> Response:
        return _render_form(
            request,
            user,
            values or form,
            rows if values is None else list(range(len(view.record.charges))),
            errors,
            409 if conflict else 422,
            template="edit_case.html",
            view=view,
            version=view.detail.version if conflict else version,
            conflict=conflict,
        )

    try:
        record = parse_record(record_data(form, tags_from_form(form)))
    except ValidationError as error:
        return again(unchosen_errors(form) + friendly_errors(_renumbered(error, rows)))
    if unchosen := unchosen_errors(form):
        return again(unchosen)
    try:
        with database(request) as db:
            case_service.update_case_facts(db, user, view.detail.id, version, record, request.app.state.law)
    except VersionConflictError:
        return again([], conflict=True, values=form_values(view.record))
    except InvalidInputError as error:
        field = (error.field or "record").removeprefix("record.")
        return again([_service_problem(error, field, error.code, request.state.language)])
    return RedirectResponse(f"/cases/{person_id}?saved=edit#case-{view.detail.id}", status_code=303)


@router.get("/cases/{person_id}/what-if")
def what_if_form(request: Request, person_id: str, case: str = "") -> Response:
    """The record in an editable form; nothing is saved."""
    user = require(request, Action.WHAT_IF)
    _file, views = _person(request, user, person_id)
    view = _chosen(views, case)
    values = form_values(view.record) | {LAW_FIELD: view.decision.law if view.decision else DEFAULT_LAW_ID}
    context = {
        "user": user,
        "file": view,
        "values": values,
        "rows": list(range(len(view.record.charges))),
        "errors": [],
        "error_ids": {},
        "comparison": None,
        "choices": CHOICES,
    }
    return render(request, "what_if.html", context)


@router.post("/cases/{person_id}/what-if")
async def what_if(request: Request, person_id: str) -> Response:
    """Re-evaluate the edited record without saving; show both decisions side by side."""
    form = await _form(request)
    return await run_in_threadpool(_what_if, request, person_id, form)


def _what_if(request: Request, person_id: str, form: dict[str, str]) -> Response:
    """The work of `what_if` once the form is read (in a worker thread: it uses the database)."""
    user = require(request, Action.WHAT_IF)
    _file, views = _person(request, user, person_id)
    view = _chosen(views, form.get("case_id"))
    if view.decision is None:
        raise HTTPException(status_code=404)
    form["person_id"] = view.record.person_id
    law = picked_law(request, form.get(LAW_FIELD) or view.decision.law)
    rows = charge_indexes(form)
    errors: list[Any] = []
    comparison = None
    try:
        edited = parse_record(record_data(form, tags_from_form(form)))
    except ValidationError as error:
        errors = friendly_errors(_renumbered(error, rows))
    else:
        # the stored decision's date under its own law; another law is applied on its own date
        as_of = view.decision.as_of if law.pack.id == view.decision.law else None
        changed = evaluate(edited, law, as_of=as_of)
        comparison = compare_decisions(view.decision, changed, request.state.language)
    context = {
        "user": user,
        "file": view,
        "values": form,
        "rows": rows,
        "errors": errors,
        "error_ids": {e.field_id: e.problem for e in errors},
        "comparison": comparison,
        "choices": CHOICES,
    }
    partial = is_partial(request)
    template = "what_if_result.html" if partial else "what_if.html"
    return render(request, template, context, status_code=422 if errors and not partial else 200)
