"""`amnesty bench-service`: the served system measured as its users meet it.

It seeds a fresh database (a temporary SQLite file, or a new schema of a PostgreSQL database) with the
demo registry (persons/s), starts `amnesty serve` as a separate process on it and measures over HTTP
with httpx: each page's first load and warm p50/p95, the first load of each page after a write, the
server's resident memory (the process and its workers, sampled throughout), `/api/health` while a
5,000-person import runs, and `POST /api/evaluate` of one record from 50 concurrent clients (aiohttp).

The load generator runs on the same machine as the server and shares its cores; the report says how
many there are and the load average. Pages that do not exist (404) are reported as missing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

TARGETS = {
    "seed_persons_per_s": 1000.0,
    "first_load_s": 2.0,
    "warm_p95_ms": 300.0,
    "after_write_s": 2.0,
    "rss_mb": 1024.0,
    "health_during_import_s": 1.0,
    "evaluate_p99_ms": 50.0,
}
PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("home", ("/home",)),
    ("dashboard", ("/dashboard",)),
    ("cases list", ("/cases",)),
    ("review queue", ("/review",)),
    ("tasks", ("/tasks",)),
    ("person page", ("/persons/{person_id}", "/cases/{person_id}")),
    ("law page", ("/law",)),
    ("audit trail", ("/audit",)),
)
ROLES_IN_ORDER = ("demo-admin", "demo-reviewer", "demo-case-officer", "demo-social-worker", "demo-auditor")


@dataclass(frozen=True)
class BenchOptions:
    """What to measure and how much."""

    persons: int = 50_000
    database_url: str | None = None
    import_persons: int = 5_000
    warm: int = 20
    clients: int = 50
    requests_per_client: int = 40
    workers: int = 1
    timeout: float = 600.0


@dataclass
class PageFigures:
    """One page: where it is, its first load, warm percentiles and its first load after a write."""

    name: str
    url: str | None = None
    status: str = "missing"
    role: str | None = None
    first_s: float | None = None
    warm_p50_ms: float | None = None
    warm_p95_ms: float | None = None
    after_write_s: float | None = None


@dataclass
class Report:
    """Everything measured, with the conditions of the run."""

    backend: str
    persons: int
    workers: int
    started_at: str
    cpu_count: int
    load_average_start: tuple[float, float, float]
    load_average_end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    seed_seconds: float | None = None
    seed_persons_per_s: float | None = None
    server_start_s: float | None = None
    pages: list[PageFigures] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)
    rss_peak_mb: float | None = None
    rss_end_mb: float | None = None
    import_persons: int = 0
    import_status: str = "not run"
    import_seconds: float | None = None
    import_persons_per_s: float | None = None
    health_samples: int = 0
    health_errors: int = 0
    health_p50_ms: float | None = None
    health_max_ms: float | None = None
    evaluate_requests: int = 0
    evaluate_errors: int = 0
    evaluate_p50_ms: float | None = None
    evaluate_p99_ms: float | None = None
    evaluate_per_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (with the targets it is compared against)."""
        data = asdict(self)
        data["targets"] = TARGETS
        return data


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[max(0, min(98, round(share * 100) - 1))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _amnesty_command() -> list[str]:
    script = Path(sys.executable).parent / "amnesty"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from amnesty.cli.main import app; app()"]


@contextmanager
def fresh_database(url: str | None, folder: Path) -> Iterator[tuple[str, str]]:
    """(URL, backend) of a new empty database: a SQLite file in `folder`, or a new schema of the
    PostgreSQL database `url` (dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from amnesty.store.db import is_sqlite, normalise_url

    if url is None:
        yield f"sqlite:///{folder / 'bench.sqlite3'}", "sqlite"
        return
    resolved = normalise_url(url)
    if is_sqlite(resolved):
        yield resolved, "sqlite"
        return
    schema = f"amnesty_bench_{secrets.token_hex(4)}"
    admin = create_engine(resolved, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(resolved).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False), "postgresql"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def seed(url: str, persons: int) -> tuple[float, dict[str, str], int]:
    """Migrate and seed the demo registry and users the way `serve --demo` does; (seconds, passwords,
    persons stored)."""
    from amnesty.law.loader import default_law
    from amnesty.store.db import make_engine, make_sessionmaker
    from amnesty.store.demo import seed_records, seed_users
    from amnesty.store.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(url, engine=engine)
        law = default_law()
        with make_sessionmaker(engine)() as db:
            started = time.perf_counter()
            result, _source = seed_records(db, law, persons)
            db.commit()
            seconds = time.perf_counter() - started
            users = seed_users(db)
            db.commit()
        stored = result.records if result is not None else 0
        return seconds, {user.username: user.password for user in users}, stored
    finally:
        engine.dispose()


class RssSampler:
    """Samples the resident memory of a process and its children (the workers) in a thread."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        """Bytes resident now (process and children)."""
        import psutil

        total = 0
        try:
            processes = [self._process, *self._process.children(recursive=True)]
        except psutil.Error:
            return self.last
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        self.last = total
        self.peak = max(self.peak, total)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@contextmanager
def served(
    url: str, folder: Path, workers: int, timeout: float
) -> Iterator[tuple[subprocess.Popen[bytes], str, float]]:
    """`amnesty serve` on the database as a separate process; (process, base URL, seconds to answer)."""
    port = _free_port()
    env = dict(os.environ)
    env |= {
        "AMNESTY_DATABASE_URL": url,
        "AMNESTY_DATA_DIR": str(folder / "data"),
        "AMNESTY_SECRET_KEY": secrets.token_urlsafe(32),
    }
    command = [*_amnesty_command(), "serve", "--port", str(port), "--workers", str(workers)]
    log = (folder / "server.log").open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"amnesty serve exited with {process.returncode}; see {folder / 'server.log'}"
                )
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"amnesty serve did not answer within {timeout:.0f} s")
            time.sleep(0.25)
        yield process, base, time.perf_counter() - started
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


def _timed(call: Callable[..., httpx.Response], *args: Any, **kwargs: Any) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


def _web_client(base: str, username: str, password: str, timeout: float) -> httpx.Client | None:
    client = httpx.Client(base_url=base, timeout=timeout, follow_redirects=False)
    response = client.post(
        "/signin",
        data={"username": username, "password": password, "next": "/home"},
        headers={"Origin": base},
    )
    if response.status_code != 303:
        client.close()
        return None
    return client


def _first_value(data: Any, key: str) -> Any:
    """The first value of `key` anywhere in a JSON document."""
    if isinstance(data, dict):
        if key in data:
            return data[key]
        values = list(data.values())
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = _first_value(value, key)
        if found is not None:
            return found
    return None


def bench_records(count: int, prefix: str, seed: int = 7) -> list[dict[str, Any]]:
    """`count` synthetic records with person ids of their own (`prefix-...`), as JSON objects."""
    from amnesty.synth.generate import generate
    from amnesty.synth.presets import Preset

    records = []
    for person in generate(Preset.JANUARY, count, seed):
        data = json.loads(json.dumps(person, default=_json_date))
        data["person_id"] = f"{prefix}-{data['person_id']}"
        records.append(data)
    return records


def _json_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def measure_pages(
    report: Report,
    base: str,
    passwords: dict[str, str],
    api: httpx.Client,
    options: BenchOptions,
    progress: Callable[[str], None] = print,
) -> dict[str, httpx.Client]:
    """First load and warm percentiles of every page (first role that may open it)."""
    clients: dict[str, httpx.Client] = {}
    for username in ROLES_IN_ORDER:
        if username in passwords:
            client = _web_client(base, username, passwords[username], options.timeout)
            if client is not None:
                clients[username] = client
    if not clients:
        report.notes.append("no demo user could sign in on the web; pages not measured")
    person_id = _first_value(api.get("/api/persons", params={"page_size": 1}).json(), "person_id")
    for name, candidates in PAGES:
        figures = PageFigures(name)
        report.pages.append(figures)
        for template in candidates:
            if "{person_id}" in template and person_id is None:
                continue
            url = template.format(person_id=person_id)
            for username, client in clients.items():
                response, seconds = _timed(client.get, url)
                if response.status_code == 404:
                    break
                if response.status_code == 200:
                    figures.url, figures.role, figures.first_s, figures.status = url, username, seconds, "ok"
                    break
                figures.status = f"HTTP {response.status_code}"
            if figures.status == "ok":
                break
        if figures.status != "ok" or figures.url is None or figures.role is None:
            continue
        client = clients[figures.role]
        samples = []
        for _ in range(options.warm):
            response, seconds = _timed(client.get, figures.url)
            if response.status_code == 200:
                samples.append(seconds * 1000)
        if samples:
            figures.warm_p50_ms = _percentile(samples, 0.50)
            figures.warm_p95_ms = _percentile(samples, 0.95)
        progress(
            f"{name} {figures.url}: first {_fmt(figures.first_s, ' s', 2)}, "
            f"warm p50 {_fmt(figures.warm_p50_ms, ' ms')}, p95 {_fmt(figures.warm_p95_ms, ' ms')}"
        )
    return clients


def measure_after_write(
    report: Report,
    api: httpx.Client,
    clients: dict[str, httpx.Client],
    progress: Callable[[str], None] = print,
) -> None:
    """Each page's first load right after a write (one new person imported through the API)."""
    for number, figures in enumerate(report.pages):
        if figures.status != "ok" or figures.url is None or figures.role is None:
            continue
        record = bench_records(1, f"W{number}", seed=1000 + number)[0]
        response, seconds = _timed(api.post, "/api/import", json=[record])
        if response.status_code not in (200, 201, 202):
            report.notes.append(f"the write before {figures.name} answered HTTP {response.status_code}")
            continue
        report.write_ms.append(seconds * 1000)
        client = clients[figures.role]
        page, page_seconds = _timed(client.get, figures.url)
        if page.status_code == 200:
            figures.after_write_s = page_seconds
        progress(f"{figures.name} after a write: {_fmt(figures.after_write_s, ' s', 2)}")


def _wait_for_job(api: httpx.Client, response: httpx.Response, timeout: float) -> str:
    """Follow an import answered as a background job (202 + Location) until it ends; its status."""
    location = response.headers.get("location")
    if not location:
        return "accepted (no job address to follow)"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = api.get(location).json()
        status = str(_first_value(data, "status") or "")
        if status.lower() in ("done", "succeeded", "success", "completed", "failed", "error", "cancelled"):
            return status.lower()
        time.sleep(0.25)
    return "timed out"


def measure_import_health(report: Report, base: str, api: httpx.Client, options: BenchOptions) -> None:
    """`/api/health` latency while an import of `import_persons` persons runs."""
    records = bench_records(options.import_persons, "IMP")
    report.import_persons = len(records)
    outcome: dict[str, Any] = {}

    def run_import() -> None:
        started = time.perf_counter()
        try:
            response = api.post("/api/import", json=records, timeout=options.timeout * 4)
            if response.status_code == 202:
                outcome["status"] = _wait_for_job(api, response, options.timeout * 4)
            else:
                outcome["status"] = (
                    "ok" if response.status_code in (200, 201) else f"HTTP {response.status_code}"
                )
        except httpx.HTTPError as error:
            outcome["status"] = f"failed: {type(error).__name__}"
        outcome["seconds"] = time.perf_counter() - started

    worker = threading.Thread(target=run_import, daemon=True)
    latencies: list[float] = []
    with httpx.Client(base_url=base, timeout=options.timeout) as probe:
        worker.start()
        while True:  # the first probe goes out as the import starts, however short it is
            started = time.perf_counter()
            try:
                probe.get("/api/health")
            except httpx.TransportError:  # e.g. a keep-alive connection the stalled server dropped
                report.health_errors += 1
            latencies.append((time.perf_counter() - started) * 1000)
            if not worker.is_alive():
                break
            time.sleep(0.2)
    worker.join()
    report.import_status = str(outcome.get("status", "unknown"))
    report.import_seconds = outcome.get("seconds")
    if report.import_seconds and report.import_status in ("ok", "done", "succeeded", "success", "completed"):
        report.import_persons_per_s = len(records) / report.import_seconds
    report.health_samples = len(latencies)
    if latencies:
        report.health_p50_ms = _percentile(latencies, 0.50)
        report.health_max_ms = max(latencies)


async def _evaluate_load(
    base: str, headers: dict[str, str], record: dict[str, Any], options: BenchOptions
) -> tuple[list[float], int, float]:
    """A closed loop of `clients` concurrent clients, each with its own connection, each sending its
    requests one after the other (after one warm-up request each); (latencies in ms, errors, wall s).
    The clients are aiohttp's (its HTTP parser is C), so the load generator takes a small share of
    the cores the server needs: about a quarter of a core at 2,000 requests/s."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    body = json.dumps(record).encode("utf-8")
    connector = aiohttp.TCPConnector(limit=options.clients)
    timeout = aiohttp.ClientTimeout(total=options.timeout)
    async with aiohttp.ClientSession(
        base,
        headers={**headers, "Content-Type": "application/json"},
        connector=connector,
        timeout=timeout,
    ) as client:

        async def one_client(requests: int) -> None:
            nonlocal errors
            for _ in range(requests):
                started = time.perf_counter()
                async with client.post("/api/evaluate", data=body) as response:
                    await response.read()
                    status = response.status
                elapsed = time.perf_counter() - started
                if status == 200:
                    latencies.append(elapsed * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(one_client(1) for _ in range(options.clients)))  # connections and warm-up
        latencies.clear()
        errors = 0
        started = time.perf_counter()
        await asyncio.gather(*(one_client(options.requests_per_client) for _ in range(options.clients)))
        wall = time.perf_counter() - started
    return latencies, errors, wall


def measure_evaluate(report: Report, base: str, headers: dict[str, str], options: BenchOptions) -> None:
    """`POST /api/evaluate` of one record from `clients` concurrent clients."""
    record = bench_records(1, "EVAL")[0]
    latencies, errors, wall = asyncio.run(_evaluate_load(base, headers, record, options))
    report.evaluate_requests = len(latencies) + errors
    report.evaluate_errors = errors
    if latencies:
        report.evaluate_p50_ms = _percentile(latencies, 0.50)
        report.evaluate_p99_ms = _percentile(latencies, 0.99)
        report.evaluate_per_s = len(latencies) / wall


def run(options: BenchOptions, progress: Callable[[str], None] = lambda _message: None) -> Report:
    """Seed, serve and measure; the report of the run."""
    with tempfile.TemporaryDirectory(prefix="amnesty-bench-") as temporary:
        folder = Path(temporary)
        with fresh_database(options.database_url, folder) as (url, backend):
            report = Report(
                backend=backend,
                persons=options.persons,
                workers=options.workers,
                started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                cpu_count=os.cpu_count() or 0,
                load_average_start=os.getloadavg(),
            )
            progress(f"seeding {options.persons} persons into {backend}")
            seconds, passwords, stored = seed(url, options.persons)
            report.seed_seconds = seconds
            report.persons = stored or options.persons
            if stored:
                report.seed_persons_per_s = stored / seconds
            progress(f"seeded {stored} persons in {seconds:.1f} s")
            progress("starting amnesty serve")
            with served(url, folder, options.workers, options.timeout) as (process, base, start_seconds):
                report.server_start_s = start_seconds
                with (
                    RssSampler(process.pid) as rss,
                    httpx.Client(base_url=base, timeout=options.timeout) as api,
                ):
                    token = api.post(
                        "/api/auth/token",
                        json={"username": "demo-admin", "password": passwords["demo-admin"]},
                    )
                    token.raise_for_status()
                    api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
                    progress("pages: first load and warm")
                    clients: dict[str, httpx.Client] = {}
                    with _phase(report, "pages"):
                        clients = measure_pages(report, base, passwords, api, options, progress)
                    progress("pages: first load after a write")
                    with _phase(report, "pages after a write"):
                        measure_after_write(report, api, clients, progress)
                    for client in clients.values():
                        client.close()
                    progress(f"/api/health during a {options.import_persons}-person import")
                    with _phase(report, "health during an import"):
                        measure_import_health(report, base, api, options)
                    progress(
                        f"import {report.import_status} in {_fmt(report.import_seconds, ' s', 1)}; health p50 "
                        f"{_fmt(report.health_p50_ms, ' ms')}, max {_fmt(report.health_max_ms, ' ms')}"
                    )
                    progress(f"POST /api/evaluate from {options.clients} concurrent clients")
                    with _phase(report, "concurrent evaluate"):
                        measure_evaluate(report, base, dict(api.headers), options)
                    if process.poll() is not None:
                        report.notes.append(f"the server exited during the run (code {process.returncode})")
                    rss.sample()
                    report.rss_peak_mb = rss.peak / 2**20
                    report.rss_end_mb = rss.last / 2**20
            report.load_average_end = os.getloadavg()
            report.notes.append(
                f"load generator and server share this machine's {report.cpu_count} cores; "
                "the evaluate clients run in one asyncio process"
            )
            return report


@contextmanager
def _phase(report: Report, name: str) -> Iterator[None]:
    """Run one part of the benchmark; an HTTP failure is noted in the report, and the rest still runs."""
    try:
        yield
    except httpx.HTTPError as error:
        report.notes.append(f"{name}: stopped by {type(error).__name__}: {error}")


def _fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def render(report: Report) -> Any:
    """Rich tables of the report (pages, then the other figures against their targets)."""
    from rich.console import Group
    from rich.table import Table

    pages = Table(
        "page",
        "URL",
        "role",
        "first load",
        "warm p50",
        "warm p95",
        "after a write",
        title=f"Pages — {report.backend}, {report.persons:,} persons, {report.workers} worker(s)",
    )
    for page in report.pages:
        if page.status != "ok":
            pages.add_row(page.name, page.status, "", "", "", "", "")
            continue
        pages.add_row(
            page.name,
            page.url or "",
            page.role or "",
            _fmt(page.first_s, " s", 2),
            _fmt(page.warm_p50_ms, " ms"),
            _fmt(page.warm_p95_ms, " ms"),
            _fmt(page.after_write_s, " s", 2),
        )
    figures = Table("measure", "value", "target", title="Service")
    figures.add_row("demo seeding", _fmt(report.seed_persons_per_s, " persons/s"), ">= 1,000 persons/s")
    figures.add_row("server start (to first /api/health)", _fmt(report.server_start_s, " s", 1), "")
    figures.add_row(
        "server RSS peak / end",
        f"{_fmt(report.rss_peak_mb, ' MB')} / {_fmt(report.rss_end_mb, ' MB')}",
        "<= 1,024 MB",
    )
    figures.add_row(
        f"import of {report.import_persons:,} persons ({report.import_status})",
        f"{_fmt(report.import_seconds, ' s', 1)}, {_fmt(report.import_persons_per_s, ' persons/s')}",
        "",
    )
    figures.add_row(
        f"/api/health during the import ({report.health_samples} samples, {report.health_errors} errors)",
        f"p50 {_fmt(report.health_p50_ms, ' ms')}, max {_fmt(report.health_max_ms, ' ms')}",
        "<= 1,000 ms",
    )
    figures.add_row(
        f"POST /api/evaluate, {report.evaluate_requests} requests ({report.evaluate_errors} errors)",
        f"p50 {_fmt(report.evaluate_p50_ms, ' ms', 1)}, p99 {_fmt(report.evaluate_p99_ms, ' ms', 1)}, "
        f"{_fmt(report.evaluate_per_s, '/s')}",
        "p99 <= 50 ms",
    )
    if report.write_ms:
        figures.add_row(
            "the writes (one-person API import)",
            f"median {_fmt(statistics.median(report.write_ms), ' ms')}",
            "",
        )
    start, end = report.load_average_start, report.load_average_end
    figures.add_row(
        "load average (1/5/15 min) start → end",
        f"{start[0]:.2f} {start[1]:.2f} {start[2]:.2f} → {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}",
        f"{report.cpu_count} cores",
    )
    return Group(pages, figures, *report.notes)
