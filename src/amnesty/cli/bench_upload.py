"""Measure a registry file imported through the web as a job: `amnesty serve` started as a process,
the file uploaded to `/batch` (mode import, spooled as it arrives), the job followed to its end.

Reports the upload's and the job's wall time, the server process's peak resident memory (VmHWM) and
the job process's (sampled), and `/api/health`'s latency throughout (every 0.5 s). Used by
`scripts/bench-upload` (BENCHMARKS.md) and by the memory test of the streamed upload.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


def vm_hwm(pid: int) -> int:
    """A process's peak resident memory in bytes (VmHWM), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def children(pid: int) -> list[int]:
    """The process's children (every thread's), from /proc."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(value) for value in text)
    except OSError:
        pass
    return found


@dataclass
class Probe:
    """Samples the job processes' peak memory and `/api/health`'s latency in a thread."""

    url: str
    server_pid: int
    interval: float = 0.5
    child_peak: int = 0
    health: list[float] = field(default_factory=list)
    health_failures: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                for child in children(self.server_pid):
                    self.child_peak = max(self.child_peak, vm_hwm(child))
                started = time.perf_counter()
                try:
                    ok = client.get(self.url + "/api/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    self.health.append(time.perf_counter() - started)
                else:
                    self.health_failures += 1
                self._stop.wait(self.interval)

    def __enter__(self) -> Probe:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)


def signed_in(url: str, username: str, password: str) -> tuple[httpx.Client, str]:
    """A client signed in to the served application, and the CSRF token of its upload form."""
    client = httpx.Client(base_url=url, timeout=600)
    client.post("/signin", data={"username": username, "password": password})
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/batch").text)
    if match is None:
        raise RuntimeError("not signed in: no upload form")
    return client, match.group(1)


def upload(client: httpx.Client, csrf: str, path: Path) -> int:
    """Upload the file for import into the register; the job's id."""
    with path.open("rb") as handle:
        answer = client.post(
            "/batch",
            data={"csrf_token": csrf, "mode": "import"},
            files={"file": (path.name, handle, "text/csv")},
        )
    location = answer.headers.get("location", "")
    match = re.search(r"/jobs/(\d+)$", location)
    if answer.status_code != 303 or match is None:
        raise RuntimeError(f"the upload was not taken ({answer.status_code})")
    return int(match.group(1))


def wait_for(
    client: httpx.Client,
    csrf: str,
    job_id: int,
    timeout: float,
    stop_after_stored: int | None = None,
    stop_after_seconds: float | None = None,
) -> dict[str, Any]:
    """Follow the job to its end (asking it to stop once it stored `stop_after_stored` records, or
    after `stop_after_seconds`)."""
    started = time.monotonic()
    deadline = started + timeout
    asked = False
    failures: list[int] = []
    while time.monotonic() < deadline:
        answer = client.get(f"/api/jobs/{job_id}")
        if answer.status_code != 200:  # counted, not fatal: the figures say how many
            failures.append(answer.status_code)
            time.sleep(1.0)
            continue
        job: dict[str, Any] = answer.json()
        job["read_failures"] = failures
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        enough = stop_after_stored is not None and job["decided"] >= stop_after_stored
        late = stop_after_seconds is not None and time.monotonic() - started > stop_after_seconds
        if (enough or late) and not asked:
            client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": csrf})
            asked = True
        time.sleep(1.0)
    raise TimeoutError(f"job {job_id} did not end within {timeout} s")


def main(argv: list[str] | None = None) -> None:
    """`python -m amnesty.cli.bench_upload FILE [--folder DIR] [--timeout S]`: a fresh SQLite register,
    `amnesty serve` on it, FILE imported through `/batch`; the figures printed as JSON."""
    import argparse
    import json
    import secrets
    import tempfile

    from amnesty.app import create_app
    from amnesty.auth import create_user
    from amnesty.cli.bench_service import served

    parser = argparse.ArgumentParser(prog="bench-upload")
    parser.add_argument("file", type=Path)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=6 * 3600)
    parser.add_argument("--stop-after-seconds", type=float, default=None, help="cancel the job then")
    options = parser.parse_args(argv)
    folder = options.folder or Path(tempfile.mkdtemp(prefix="amnesty-bench-upload-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    password = secrets.token_urlsafe(16)
    app = create_app(url)
    with app.state.sessions() as db:
        create_user(db, "bench", password, "case_officer", None)
        db.commit()
    app.state.engine.dispose()
    with served(url, folder, 1, 120) as (process, base, _seconds):
        client, csrf = signed_in(base, "bench", password)
        before = vm_hwm(process.pid)
        with Probe(base, process.pid) as probe:
            started = time.perf_counter()
            job_id = upload(client, csrf, options.file)
            uploaded = time.perf_counter() - started
            job = wait_for(client, csrf, job_id, options.timeout, None, options.stop_after_seconds)
            finished = time.perf_counter() - started
        figures = {
            "file_bytes": options.file.stat().st_size,
            "upload_seconds": round(uploaded, 1),
            "total_seconds": round(finished, 1),
            "status": job["status"],
            "records": job["total"],
            "rows_read": (job.get("result") or {}).get("rows_read"),
            "stored": job["decided"],
            "rejected": job["rejected"],
            "server_peak_mib_before": round(before / 2**20),
            "server_peak_mib": round(vm_hwm(process.pid) / 2**20),
            "job_process_peak_mib": round(probe.child_peak / 2**20),
            "health_max_seconds": round(max(probe.health, default=0.0), 3),
            "health_probes": len(probe.health),
            "health_failures": probe.health_failures,
            "job_reads_failed": job["read_failures"],
            "result": job.get("result"),
        }
        client.close()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
