"""CPU cost of tamper evidence: seed N demo persons through the application's import path into a fresh
SQLite database, then run `verify_chain` (chain, every record against its event, the anchor).

    uv run python scripts/bench-integrity.py 2000

Prints CPU seconds (process time, not wall time: the benchmark box is shared).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main() -> None:
    persons = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    folder = tempfile.mkdtemp(prefix="amnesty-bench-integrity-")
    os.environ["AMNESTY_DATA_DIR"] = folder
    from amnesty.audit import verify_chain
    from amnesty.law.loader import default_law
    from amnesty.store.db import make_engine, make_sessionmaker
    from amnesty.store.demo import seed_records
    from amnesty.store.migrate import upgrade

    url = f"sqlite:///{folder}/bench.sqlite3"
    engine = make_engine(url)
    upgrade(url, engine=engine)
    sessions = make_sessionmaker(engine)
    law = default_law()
    with sessions() as db:
        started = time.process_time()
        seed_records(db, law, persons)
        db.commit()
        seeded = time.process_time() - started
    with sessions() as db:
        started = time.process_time()
        report = verify_chain(db)
        verified = time.process_time() - started
    print(
        f"persons {persons}: import {seeded:.2f} s CPU; verify {verified:.2f} s CPU "
        f"({report.events} events, {getattr(report, 'rows', '-')} records, ok={report.ok})"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
