"""Uploaded files spooled to disk as they arrive, for an import job to read in chunks.

A multipart request body is parsed while it streams in (`receive_upload`): the form's small fields are
kept (each capped), the file part is written to a spool file in `spool_dir()` chunk by chunk, and the
size limit is enforced on the bytes received, not after: once the file passes the limit nothing more
is written, the spool file is removed, and the rest of the body is read and dropped (up to
`DRAIN_BYTES`, so that a browser sees the answer; beyond that the connection is closed). The file is
never held in memory whole, nor stored in the database: the job names it by its path (`SPOOL_PARAM`),
and the file is deleted when the job ends (`discard_spool`).

Limits (docs/security.md), from real registry sizes: a national registry of a million persons takes
about 290 MB as CSV and 38 MB as Parquet, so the import limit is 600 MiB by default
(`AMNESTY_UPLOAD_MAX_MB`); a trial run keeps its file in the database and stays at 50 MiB.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from amnesty.store.db import DATA_DIR_ENV

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MIB = 1024 * 1024
UPLOAD_MAX_ENV = "AMNESTY_UPLOAD_MAX_MB"
"""The largest file an import job accepts, in MiB (default `DEFAULT_UPLOAD_MAX_MB`)."""
DEFAULT_UPLOAD_MAX_MB = 600
"""Twice a national registry of a million persons as CSV (about 290 MB)."""
SPOOL_DIR_ENV = "AMNESTY_UPLOAD_DIR"
"""Where uploads are spooled (default: `uploads` in the data directory). With several servers on
several hosts it must be a directory they share."""
SPOOL_PARAM = "_spool"
"""The key of a job's `params` holding its spooled file's path; not shown to users."""
FIELD_BYTES = 4096
"""The most a form field other than the file may hold."""
MAX_FIELDS = 16
FORM_SLACK = 64 * 1024
"""Room for the form's other fields and the multipart framing around the file."""
DRAIN_BYTES = 64 * MIB
"""A body over the limit by more than this is not read to its end (the connection is closed)."""


def upload_limit() -> int:
    """The largest file an import accepts, in bytes (`AMNESTY_UPLOAD_MAX_MB`)."""
    value = os.environ.get(UPLOAD_MAX_ENV, "").strip()
    try:
        megabytes = float(value) if value else DEFAULT_UPLOAD_MAX_MB
    except ValueError:
        megabytes = DEFAULT_UPLOAD_MAX_MB
    return int(megabytes * MIB) if megabytes > 0 else DEFAULT_UPLOAD_MAX_MB * MIB


def limit_words(limit: int) -> str:
    """A limit in bytes as people read it: whole MB when it is a whole number of them."""
    megabytes = limit / MIB
    return f"{megabytes:.0f}" if megabytes >= 10 or megabytes == int(megabytes) else f"{megabytes:.1f}"


STREAMED_PATHS = frozenset({"/batch", "/api/jobs/import"})
"""The routes that take a file with `receive_upload` (the body cap of the middleware is theirs)."""


def streamed_body_limit() -> int:
    """The middleware's cap on a streamed route's body: above what the route itself drains, so the
    route answers an over-limit file in the reader's words."""
    return upload_limit() + FORM_SLACK + 2 * DRAIN_BYTES


def spool_dir() -> Path:
    """The spool directory (created on demand, readable by this user only)."""
    configured = os.environ.get(SPOOL_DIR_ENV)
    if configured:
        path = Path(configured)
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV]) / "uploads"
    else:
        path = Path(tempfile.gettempdir()) / "amnesty-uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


class UploadError(Exception):
    """The body is not a form with one file we can take (`reason`: too_large, no_file, malformed)."""

    def __init__(self, reason: str, limit: int = 0, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit = limit
        self.fields = dict(fields or {})


@dataclass
class ReceivedUpload:
    """A form received: its small fields, and its file spooled at `path` (`size` bytes)."""

    fields: dict[str, str]
    file_field: str
    filename: str
    path: Path
    size: int

    def discard(self) -> None:
        """Remove the spooled file."""
        self.path.unlink(missing_ok=True)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _Receiver:
    """The parser's callbacks: fields kept in memory (capped), the file written to the spool."""

    def __init__(self, limit: int, folder: Path) -> None:
        self.limit = limit
        self.folder = folder
        self.fields: dict[str, str] = {}
        self.file_field = ""
        self.filename = ""
        self.path: Path | None = None
        self.size = 0
        self.too_large = False
        self.malformed = False
        self._out: BinaryIO | None = None
        self._part = _Part()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._count = 0

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self._part = _Part()
        self._disposition = b""
        self._count += 1
        if self._count > MAX_FIELDS:
            self.malformed = True

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        self._part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            if self.path is not None:  # one file per upload
                self.malformed = True
                return
            self._part.filename = options[b"filename"].decode("utf-8", "replace")
            suffix = Path(self._part.filename).suffix.lower()[:12]
            safe = suffix if suffix[1:].isalnum() else ""
            self.path = self.folder / f"upload-{secrets.token_hex(12)}{safe}"
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._out = os.fdopen(descriptor, "wb")
            self.file_field, self.filename = self._part.name, self._part.filename

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.too_large or self.malformed:
            return
        if self._part.filename is None:
            if len(self._part.data) + end - start > FIELD_BYTES:
                self.malformed = True
                return
            self._part.data.extend(data[start:end])
            return
        self.size += end - start
        if self.size > self.limit:
            self.too_large = True
            self.close(remove=True)
            return
        if self._out is not None:
            self._out.write(data[start:end])

    def on_part_end(self) -> None:
        if self._part.filename is None and not self.malformed:
            self.fields[self._part.name] = bytes(self._part.data).decode("utf-8", "replace")
        elif self._out is not None:
            self._out.close()
            self._out = None

    def close(self, remove: bool) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if remove and self.path is not None:
            self.path.unlink(missing_ok=True)


def _declared_length(headers: Mapping[str, str]) -> int:
    try:
        return int(headers.get("content-length") or 0)
    except ValueError:
        return 0


async def receive_upload(
    headers: Mapping[str, str], stream: AsyncIterator[bytes], limit: int, folder: Path | None = None
) -> ReceivedUpload:
    """Parse a multipart form as it streams in, spooling its one file (at most `limit` bytes) to disk.
    Raises `UploadError` ("too_large" with the limit and the fields read so far, "no_file",
    "malformed"); no spool file is left behind then."""
    _kind, options = parse_options_header(headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadError("malformed")
    receiver = _Receiver(limit, folder or spool_dir())
    parser = MultipartParser(boundary, receiver.callbacks())
    declared = _declared_length(headers)
    if declared > limit + FORM_SLACK + DRAIN_BYTES:
        raise UploadError("too_large", limit)
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > limit + FORM_SLACK + DRAIN_BYTES:
                receiver.too_large = True
                break
            if not (receiver.too_large or receiver.malformed):
                try:
                    parser.write(chunk)
                except MultipartParseError:
                    receiver.malformed = True
    except Exception:
        receiver.close(remove=True)
        raise
    if receiver.too_large or receiver.malformed or receiver.path is None:
        receiver.close(remove=True)
        reason = "too_large" if receiver.too_large else "malformed" if receiver.malformed else "no_file"
        raise UploadError(reason, limit, receiver.fields)
    receiver.close(remove=False)
    return ReceivedUpload(
        receiver.fields, receiver.file_field, receiver.filename, receiver.path, receiver.size
    )


def spool_path(params: Mapping[str, Any] | None) -> Path | None:
    """The spooled file a job reads, if it has one."""
    value = (params or {}).get(SPOOL_PARAM)
    return Path(str(value)) if value else None


def discard_spool(params: Mapping[str, Any] | None) -> None:
    """Delete a job's spooled file (when the job ends); a file already gone is fine."""
    path = spool_path(params)
    if path is not None:
        path.unlink(missing_ok=True)


def discard_stale_spools(in_use: set[str], older_than_seconds: float) -> int:
    """Delete spooled files no queued or running job reads (`in_use`: their paths) that are older
    than `older_than_seconds` (an upload cut short by a killed server); how many."""
    import time

    folder = spool_dir()
    limit = time.time() - older_than_seconds
    removed = 0
    for path in folder.glob("upload-*"):
        try:
            stale = str(path) not in in_use and path.stat().st_mtime < limit
        except OSError:
            continue
        if stale:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
