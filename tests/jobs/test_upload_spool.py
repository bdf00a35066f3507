"""`amnesty.jobs.uploads.receive_upload`: a multipart body parsed as it streams in, its file written
to a private spool file, the limit enforced on the bytes received (nothing past it is written, the
spool file removed), the small fields kept."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from amnesty.jobs.uploads import UploadError, receive_upload

BOUNDARY = "----upload24"


def body(fields: dict[str, str], name: str, content: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Stream:
    """The body in chunks, counting how many were read, and what the spool held after each."""

    def __init__(self, data: bytes, folder: Path, size: int = 1000) -> None:
        self.chunks = [data[start : start + size] for start in range(0, len(data), size)]
        self.folder = folder
        self.spooled: list[int] = []

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
            self.spooled.append(sum(path.stat().st_size for path in self.folder.iterdir()))


HEADERS = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_the_file_is_spooled_privately_with_the_fields(tmp_path: Path) -> None:
    content = b"person_id,full_name\n" + b"P-1,Name\n" * 6_000
    stream = Stream(body({"csrf_token": "abc", "mode": "import"}, "../../etc/x.csv", content), tmp_path)
    received = asyncio.run(receive_upload(HEADERS, stream.__aiter__(), 100_000, tmp_path))
    assert received.fields == {"csrf_token": "abc", "mode": "import"}
    assert received.filename == "../../etc/x.csv"
    assert received.path.parent == tmp_path
    assert received.path.name.startswith("upload-")
    assert received.path.suffix == ".csv"
    assert received.path.read_bytes() == content
    assert received.size == len(content)
    assert stat.S_IMODE(received.path.stat().st_mode) == 0o600
    assert 0 < stream.spooled[len(stream.spooled) // 2] < len(content)  # written as it arrived
    received.discard()
    assert list(tmp_path.iterdir()) == []


def test_the_limit_holds_while_the_file_streams(tmp_path: Path) -> None:
    content = b"x" * 100_000
    stream = Stream(body({"csrf_token": "abc"}, "big.csv", content), tmp_path)
    with pytest.raises(UploadError) as refused:
        asyncio.run(receive_upload(HEADERS, stream.__aiter__(), 30_000, tmp_path))
    assert refused.value.reason == "too_large"
    assert refused.value.limit == 30_000
    assert refused.value.fields == {"csrf_token": "abc"}
    assert 8_192 < max(stream.spooled) <= 30_000  # written as it came, never past the limit
    assert list(tmp_path.iterdir()) == []


def test_a_form_without_a_file_is_refused(tmp_path: Path) -> None:
    data = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--{BOUNDARY}--\r\n'.encode()
    with pytest.raises(UploadError) as refused:
        asyncio.run(receive_upload(HEADERS, Stream(data, tmp_path).__aiter__(), 5_000, tmp_path))
    assert refused.value.reason == "no_file"
