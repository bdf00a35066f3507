"""No orphans: a helper process ends when the process it works for ends, however that one ends.

A pool worker of a bulk run is forked by multiprocessing's fork server, not by the run, so when the run
is killed (`kill -9`) neither the worker nor the fork server notices: the worker waits for work that
never comes and keeps the fork server (and the resource tracker) alive under PID 1. `die_with(pid)`,
called in the worker (the pool's initializer) with the run's process id, starts a daemon thread that
waits for that process to end (a pidfd on Linux, else a check every second) and then ends the worker
at once. With the workers gone, the fork server and the resource tracker see their pipes close and
end too. A job's child process of the server (`amnesty.jobs.runner`) does the same for the server.
"""

from __future__ import annotations

import os
import select
import threading
import time

EXIT_ORPHANED = 70
"""The exit code of a helper whose process ended (EX_SOFTWARE)."""
_POLL_SECONDS = 1.0


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _wait_for(pid: int, descriptor: int | None) -> None:
    if descriptor is not None:
        select.select([descriptor], [], [])  # readable once the process has ended
    else:
        while not _gone(pid):
            time.sleep(_POLL_SECONDS)
    os._exit(EXIT_ORPHANED)


def die_with(pid: int) -> None:
    """End this process as soon as process `pid` ends (see the module's description)."""
    try:
        descriptor: int | None = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(EXIT_ORPHANED)
    except (AttributeError, OSError):  # not Linux, or a kernel before 5.3
        descriptor = None
    thread = threading.Thread(target=_wait_for, args=(pid, descriptor), name="amnesty-die-with", daemon=True)
    thread.start()
