"""A pid file for `rasid run --pidfile`: written at start, removed at exit, no second daemon."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(SystemExit):
    """Another live process holds the pid file."""


@contextmanager
def pidfile(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    target = Path(path)
    other = _live_pid(target)
    if other is not None:
        raise AlreadyRunning(f"rasid is already running (pid {other}, {target})")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{os.getpid()}\n")
    try:
        yield
    finally:
        if _live_pid(target) == os.getpid():
            target.unlink(missing_ok=True)


def _live_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid
