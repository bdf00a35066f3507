"""The pages' downloads of list exports (`amnesty.service.exports`) as HTTP responses."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from amnesty.service.exports import ExportFormat, ExportTable, export_table
from amnesty.service.policy import Actor


def download(db: Session, user: Actor, name: str, fmt: ExportFormat, table: ExportTable) -> Response:
    """The export as an attachment."""
    exported = export_table(db, user, name, fmt, table)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
