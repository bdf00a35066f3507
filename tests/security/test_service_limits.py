"""The served application: a chunked body over the limit is cut off with 413 (never read whole), and
generating documents writes no record content into the log."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amnesty.cli.main import app as cli
from tests.service.conftest import _record

LIMIT = 16 * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`amnesty serve` as a process on a free port, with a small body limit."""
    folder = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "AMNESTY_DATA_DIR": str(folder),
        "AMNESTY_DATABASE_URL": f"sqlite:///{folder / 'amnesty.sqlite3'}",
        "AMNESTY_MAX_BODY_BYTES": str(LIMIT),
    }
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "amnesty"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("amnesty serve did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _chunked_post(port: int, path: str, total: int, chunk: int = 4096) -> tuple[int, bytes, int]:
    """POST `total` bytes with Transfer-Encoding: chunked (no Content-Length); returns the status,
    the body of the answer and how many bytes the client managed to send."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        payload = b"[" + b" " * (chunk - 1)
        try:
            while sent < total:
                piece = payload if sent == 0 else b" " * chunk
                connection.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                sent += len(piece)
            connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the client finished: that is the point
        answer = b""
        try:
            while True:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head else 0
    if b"transfer-encoding: chunked" in head.lower():
        body = body.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
    return status, body, sent


def test_a_chunked_body_over_the_limit_is_refused_with_413(served: int) -> None:
    status, body, _sent = _chunked_post(served, "/api/import", total=40 * LIMIT)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"


def test_a_chunked_body_under_the_limit_is_read(served: int) -> None:
    status, body, _sent = _chunked_post(served, "/api/import", total=LIMIT // 2)
    assert status in (400, 401, 422), body  # read whole, then refused for what it is, not for its size


def test_a_declared_length_over_the_limit_is_refused_before_reading(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=20) as connection:
        connection.sendall(
            f"POST /api/import HTTP/1.1\r\nHost: x\r\nContent-Length: {LIMIT + 1}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = connection.recv(65536)
    assert b" 413 " in answer.split(b"\r\n", 1)[0]


def test_generating_documents_logs_no_record_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    name = "Qwertyuiop Жанұзақова"
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(_record("LOG-1", full_name=name), ensure_ascii=False) + "\n", "utf-8")
    caplog.set_level(logging.DEBUG)
    for fmt in ("pdf", "docx"):
        result = CliRunner().invoke(
            cli, ["document", str(records), "--out", str(tmp_path / fmt), "--format", fmt]
        )
        assert result.exit_code == 0, result.output
        assert list((tmp_path / fmt).iterdir())
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "Glyph" not in logged
    assert not [r for r in caplog.records if r.name.startswith(("fontTools", "PIL", "fpdf"))]
    for fragment in ("Qwertyuiop", "Жанұзақова", "LOG-1"):
        assert fragment not in logged
