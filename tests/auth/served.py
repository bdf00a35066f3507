"""`amnesty serve` started as a process for the tests, as a user starts it: a temporary SQLite file,
a free port, the demo users (passwords read from what the command prints once)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

AMNESTY = Path(sys.executable).parent / "amnesty"
DEMO_ROW = re.compile(r"│\s*(demo-[a-z-]+)\s*│\s*([a-z_]+)\s*│[^│]*│\s*(\S+)\s*│")


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    """A running `amnesty serve` process."""

    process: subprocess.Popen[bytes]
    url: str
    output: Path
    passwords: dict[str, str]

    def log(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        return self.output.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server (and its workers) as Ctrl+C would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def serve(folder: Path, *arguments: str, timeout: float = 240) -> Served:
    """Start `amnesty serve --demo --demo-persons 50` on a SQLite file in `folder`; wait until it answers.

    Without `AMNESTY_SECRET_KEY`, so the key is the data directory's file, as on a fresh machine.
    """
    port = free_port()
    output = folder / "server.log"
    env = {key: value for key, value in os.environ.items() if key != "AMNESTY_SECRET_KEY"}
    env |= {"AMNESTY_DATA_DIR": str(folder / "data"), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("AMNESTY_DATABASE_URL", None)
    command = [
        str(AMNESTY),
        "serve",
        "--demo",
        "--demo-persons",
        "50",
        "--port",
        str(port),
        "--database-url",
        f"sqlite:///{folder / 'amnesty.sqlite3'}",
        *arguments,
    ]
    with output.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    served = Served(process, f"http://127.0.0.1:{port}", output, {})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"amnesty serve exited with {process.returncode}:\n{served.log()[-3000:]}")
        try:
            if httpx.get(f"{served.url}/api/health", timeout=5).status_code == 200:
                served.passwords = {
                    name: password for name, _role, password in DEMO_ROW.findall(served.log())
                }
                return served
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    served.stop()
    raise RuntimeError(f"amnesty serve did not answer in {timeout} s:\n{served.log()[-3000:]}")
