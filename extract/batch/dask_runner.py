"""The Dask runner: the same per-document work on a `distributed` cluster.

`libstat extract … --dask tcp://scheduler:8786` connects a `distributed.Client` and
submits `work.process_bytes` per document.  The client reads each file and sends its
bytes, so workers need only the package installed (same version and rules), not the
input folder.  Results stream back as they finish (`as_completed`) and go through the
same cache and store as a local run, so the tables are identical.

Only a bounded window of documents is in flight (a few per worker thread), so neither
the client nor the scheduler holds the archive.

Failures: a worker that crashes or runs out of memory is restarted by its nanny and
the scheduler retries the task elsewhere; a task that kills workers on every try
(`distributed.scheduler.allowed-failures`, 3 by default) comes back as `KilledWorker`,
which becomes the document's error row.  Past --timeout a worker exits on purpose
(`work.process_bytes`), which ends the same way.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from .runner import RunnerError
from .work import Item, Outcome, error_outcome, process, process_bytes


class DaskRunner:
    """`run(items)` yields (item, outcome) in the order documents finish on the cluster."""

    remote = True  # workers are other installations: their rules and code must match ours

    def __init__(self, address: str, timeout: float | None = 120.0, connect_timeout: float = 30.0):
        self.address = address
        self.timeout = timeout if timeout and timeout > 0 else None
        self.connect_timeout = connect_timeout
        self.workers = 0

    def plan(self, n: int) -> str:
        return f"on the Dask cluster at {self.address}"

    def describe(self) -> str:
        return f"{self.workers} Dask worker thread{'s' if self.workers != 1 else ''} at {self.address}"

    def run(self, items: Sequence[Item]) -> Iterator[tuple[Item, Outcome]]:
        if not items:
            return
        from distributed import Client, as_completed

        # distributed's own warnings (a lost worker, rescheduled keys) are what the error
        # rows and the summary already say, in its words; keep its errors only
        for name in ["distributed", *logging.root.manager.loggerDict]:
            if name.split(".")[0] == "distributed":
                logging.getLogger(name).setLevel(logging.ERROR)
        _probe(self.address)
        try:
            client = Client(self.address, timeout=self.connect_timeout)
        except (OSError, TimeoutError) as e:
            raise RunnerError(f"cannot reach the Dask scheduler at {self.address}: {e}") from e
        todo = iter(items)
        run_id = uuid.uuid4().hex[:12]  # task keys are global on a shared scheduler
        stream = as_completed()
        pending: dict[str, tuple[Item, object]] = {}

        def fill() -> Iterator[tuple[Item, Outcome]]:
            """Top the window up.  A file the client cannot read needs no worker: its
            error row is made here, by the same function a worker would run."""
            while len(pending) < 4 * self.workers:
                item = next(todo, None)
                if item is None:
                    return
                try:
                    data = Path(item.path).read_bytes()
                except OSError:
                    yield item, process(item)
                    continue
                fut = client.submit(process_bytes, item, data, self.timeout, pure=False,
                                    key=f"libstat-{run_id}-{item.index}")
                pending[fut.key] = (item, fut)
                stream.add(fut)

        try:
            self.workers = sum(client.nthreads().values())
            if not self.workers:
                raise RunnerError(f"the Dask scheduler at {self.address} has no workers")
            yield from fill()
            while pending:
                fut = next(stream)
                item, _ = pending.pop(fut.key)
                yield item, self._outcome(item, fut)
                fut.release()
                yield from fill()
        finally:
            if pending:  # interrupted: do not leave work on a shared cluster
                client.cancel([fut for _, fut in pending.values()])
            client.close()

    def _outcome(self, item: Item, fut) -> Outcome:
        from distributed import KilledWorker

        try:
            return fut.result()
        except KilledWorker as e:
            return error_outcome(item, "worker process died on every try (crash, out of memory, "
                                       f"or past the {self.timeout or 0:g} s timeout)", str(e))
        except Exception as e:  # an error inside the task: this document only
            import traceback

            return error_outcome(item, f"internal error: {type(e).__name__}: {e}",
                                 "".join(traceback.format_exception(e)))



def _probe(address: str, timeout: float = 5.0) -> None:
    """Fail at once when nothing listens at a tcp:// address (the Client would retry
    until its timeout before saying so)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        return  # another protocol (tls://, inproc://): let distributed judge
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()
    except OSError as e:
        raise RunnerError(f"cannot reach the Dask scheduler at {address}: {e.strerror or e}") from e
