"""Stateless evaluation of a record, and import of records into the store (all or nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from amnesty.api.common import evaluate_or_422
from amnesty.api.deps import get_db, requested_law, require_roles, signed_in_user
from amnesty.api.errors import ApiError, FieldProblem, error_responses
from amnesty.auth.users import TokenHolder
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.io.json_records import ParsedRecord, RecordError, validate_item
from amnesty.jobs.inputs import UnreadableFileError, read_upload
from amnesty.law.loader import Law
from amnesty.law.registry import law_summary, registered_laws
from amnesty.render.formats import language_from_accept
from amnesty.render.validation import message, problem_text, stable_code
from amnesty.service import cases
from amnesty.service.accounts import User
from amnesty.service.policy import Action, roles_for

router = APIRouter(tags=["records"])

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
TABULAR_SUFFIXES = {".csv", ".xlsx", ".parquet"}
ERRORS = error_responses(401, 403, 413, 415, 422)


@router.post("/evaluate", response_model=Decision, responses=ERRORS)
async def evaluate_record(
    record: CaseRecord,
    request: Request,
    as_of: Annotated[
        dt.date | None, Query(description="Evaluation date (default: entry into force).")
    ] = None,
    strict: bool = False,
    user: User | TokenHolder = Depends(signed_in_user),
    law: Law = Depends(requested_law),
) -> Decision:
    """Apply the law (`law`, default kz-2022-152-vii) to one record and return the decision with its
    reasons; nothing is stored. (Evaluation takes about a millisecond of CPU, so it runs on the event
    loop rather than waiting for a worker thread.)"""
    return evaluate_or_422(record, law, as_of, strict)


@router.get("/laws", responses=error_responses(401))
async def list_laws(user: User | TokenHolder = Depends(signed_in_user)) -> list[dict[str, Any]]:
    """The registered amnesty laws (id, titles, version, source, dates with provenance), in order of
    entry into force: the values the `law` parameter takes."""
    return [law_summary(law) for law in registered_laws()]


def _language(request: Request) -> str:
    return language_from_accept(request.headers.get("accept-language"))


def _row(error: RecordError, language: str) -> dict[str, Any]:
    """A rejected record: each problem in English (`problem`), its stable `code`, and a `message` in
    the reader's language naming the field by its label."""
    row = error.to_json_dict(language)
    row["errors"] = [
        {**data, "code": stable_code(problem.code, problem.problem)}
        for data, problem in zip(row["errors"], error.errors, strict=True)
    ]
    return row


def _rejected(errors: list[RecordError], language: str) -> ApiError:
    """422 naming every invalid record's fields: the field path, the problem's stable code and the
    problem in the language of `Accept-Language`."""
    if not errors:
        return ApiError(422, "empty_import", message("empty_import", language))
    fields = [
        FieldProblem(
            field=f"records[{error.index}].{problem.field}",
            problem=problem_text(problem.code, problem.params, problem.problem, language),
            code=stable_code(problem.code, problem.problem),
        )
        for error in errors
        for problem in error.errors
    ]
    return ApiError(
        422,
        "invalid_records",
        message("invalid_records", language, count=len(errors)),
        fields[:1000],
        extra={"rows": [_row(error, language) for error in errors]},
    )


def _store(
    db: Session, items: list[ParsedRecord | RecordError], user: User, request: Request, law: Law
) -> dict[str, Any]:
    language = _language(request)
    try:
        result = cases.import_cases(db, user, items, law)
    except cases.ImportRejectedError as error:
        raise _rejected(error.errors, language) from None
    except (OverflowError, ValueError) as error:
        text = message("cannot_evaluate_import", language, kind=type(error).__name__)
        raise ApiError(422, "cannot_evaluate", text) from None
    except (IntegrityError, StaleDataError):
        raise _concurrent(language) from None
    return result.to_json_dict()


def _concurrent(language: str) -> ApiError:
    return ApiError(409, "conflict", message("import_conflict", language))


@router.post("/import", status_code=201, responses=ERRORS)
def import_json(
    request: Request,
    records: Annotated[
        list[Any],
        Body(
            description="A JSON array of case records (CONTRACT.md). All are stored, or none.",
            max_length=100_000,
        ),
    ],
    user: User = Depends(require_roles(*roles_for(Action.WRITE_CASES))),
    db: Session = Depends(get_db),
    law: Law = Depends(requested_law),
) -> dict[str, Any]:
    """Import records in one transaction: every record is stored and evaluated, or, if any row is
    invalid, nothing is stored and every row's errors are returned (422, `rows`)."""
    items = [validate_item(index, None, item) for index, item in enumerate(records)]
    return _store(db, items, user, request, law)


@router.post("/import/file", status_code=201, responses=ERRORS)
async def import_file(
    request: Request,
    file: Annotated[UploadFile, File(description="JSON, JSON Lines, CSV, XLSX or Parquet.")],
    user: User = Depends(require_roles(*roles_for(Action.WRITE_CASES))),
    db: Session = Depends(get_db),
    law: Law = Depends(requested_law),
) -> dict[str, Any]:
    """Import a batch file in one transaction (all or nothing, with every row's errors)."""
    suffix = Path(file.filename or "").suffix.lower()
    language = _language(request)
    if suffix not in JSON_SUFFIXES | TABULAR_SUFFIXES:
        accepted = ", ".join(sorted(JSON_SUFFIXES | TABULAR_SUFFIXES))
        text = message("unsupported_file_type", language, suffix=repr(suffix or "-"), accepted=accepted)
        raise ApiError(415, "unsupported_media_type", text)
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        text = message("file_too_large", language, size=MAX_UPLOAD_BYTES // (1024 * 1024))
        raise ApiError(413, "payload_too_large", text)
    return await run_in_threadpool(_read_and_store, db, suffix, content, user, request, law)


def _read_and_store(
    db: Session, suffix: str, content: bytes, user: User, request: Request, law: Law
) -> dict[str, Any]:
    """Read (`amnesty.jobs.inputs.read_upload`, as an import job does) and import an uploaded file
    (in the threadpool: never on the event loop)."""
    try:
        items = read_upload(f"upload{suffix}", content)
    except UnreadableFileError as error:
        text = error.text(_language(request))
        code = _READ_ERROR_CODES.get(error.code, "unreadable_file")
        raise ApiError(422, code, text, [FieldProblem(field="file", problem=text, code=error.code)]) from None
    return _store(db, items, user, request, law)


_READ_ERROR_CODES = {"not_utf8": "validation_error", "nul_character": "validation_error"}
"""Stable codes of the refusals of a file that are not `unreadable_file`."""
