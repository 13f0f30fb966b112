"""One writer per output folder: OUT/.libstat.lock, held for a whole `extract` run.

The lock is an OS file lock (filelock: flock on Unix), so it dies with the process that
holds it: a run killed with SIGKILL leaves no lock behind, and the next run takes it at
once.  Beside it, OUT/.libstat.lock.json says who holds it (pid, host, start time) so
that a second run can tell its user whom it waits for.  That file is only a message: a
holder is whoever holds the OS lock, and a JSON left by a dead process is overwritten by
the next holder.

Readers (`query`, `export`, `review`, the notebook) never take this lock: the store is
written beside the committed files and renamed into place (see outputs/store.py), so
they always read the last committed tables.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path

LOCK_NAME = ".libstat.lock"
INFO_SUFFIX = ".json"
NOTICE_EVERY = 60.0  # seconds between "still waiting" lines

log = logging.getLogger("libstat")


class LockBusy(Exception):
    """Another run holds the folder's lock (and we were asked not to wait)."""


def _holder(info_path: Path) -> str:
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {info['pid']} on {info['host']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (no details)"


class WriterLock:
    """`with WriterLock(out, wait=True):` — the folder's writer lock, for a whole run."""

    def __init__(self, out: str | Path, wait: bool = True, poll: float = 0.5):
        from filelock import FileLock

        self.path = Path(out) / LOCK_NAME
        self.info = self.path.with_name(LOCK_NAME + INFO_SUFFIX)
        self.wait = wait
        self.poll = poll
        self._lock = FileLock(str(self.path), is_singleton=False)

    def holder(self) -> str:
        return _holder(self.info)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            who = self.holder()
            if not self.wait:
                raise LockBusy(f"{self.path.parent} is being written by another run ({who}); "
                               "try again when it has finished") from None
            log.warning("waiting for the run that writes %s (%s) to finish", self.path.parent, who)
            last = time.monotonic()
            while True:
                try:
                    self._lock.acquire(timeout=self.poll)
                    break
                except Timeout:
                    if time.monotonic() - last >= NOTICE_EVERY:
                        log.warning("still waiting for %s (%s)", self.path.parent, self.holder())
                        last = time.monotonic()
        self._write_info()

    def _write_info(self) -> None:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
        tmp = self.info.with_name(f"{self.info.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(info) + "\n", encoding="utf-8")
            os.replace(tmp, self.info)
        except OSError:  # only a message for a waiting run; the lock itself is held
            tmp.unlink(missing_ok=True)

    def release(self) -> None:
        try:
            self.info.unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release()

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
