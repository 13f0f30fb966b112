"""The local runner: documents in N worker processes, results as they finish.

pebble's ProcessPool gives what a plain multiprocessing pool does not: a per-task
timeout that stops the worker running it, and a fresh worker in place of one that
died (segfault, out-of-memory kill, a timeout).  Such a document comes back as an
error row and the batch goes on.

Workers are started with "spawn": the main process has DuckDB and pebble threads
running, and forking a threaded process is unsafe.  Each worker loads the models
once (`work.init_worker`), outside any document's timeout, and exits when the main
process dies, so that a killed run leaves nothing behind.

Only a bounded window of documents is in flight, so memory does not grow with the
archive: a finished result is handed to the caller, which writes it to the cache.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future

from .work import Item, Outcome, error_outcome, init_worker, process, time_limit

DOCS_PER_WORKER = 4  # fewer documents than this per worker do not repay a worker's start-up
# A worker that replaces a stopped one is still unpickling its pool's semaphores for a moment;
# closing the pool then (a batch whose last document timed out) made its start fail with a
# traceback on stderr.  The pool is closed only this long after the last replacement.
REPLACEMENT_START = 3.0  # seconds


class RunnerError(Exception):
    """The runner itself failed (not one document): the batch stops."""


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def failure_reason(exc: BaseException, timeout: float | None) -> str:
    """A one-line reason for a worker that did not return a result."""
    from pebble import ProcessExpired

    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s (worker stopped and replaced)"
    if isinstance(exc, ProcessExpired):
        code = exc.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            if name == "SIGKILL":
                return "worker process was killed (SIGKILL, perhaps out of memory); worker replaced"
            return f"worker process crashed ({name}); worker replaced"
        return f"worker process exited with code {code}; worker replaced"
    return f"internal error: {type(exc).__name__}: {exc}"


class LocalRunner:
    """`run(items)` yields (item, outcome) in the order documents finish."""

    remote = False  # workers are this installation: no need to compare fingerprints

    def __init__(self, jobs: int | None = None, timeout: float | None = 120.0):
        self.jobs = max(1, jobs or default_jobs())
        self.timeout = timeout if timeout and timeout > 0 else None
        self.workers = 0

    def size(self, n: int) -> int:
        """Workers for n documents: at most `jobs`, and one per DOCS_PER_WORKER documents.
        Each worker spends seconds loading the models before its first document; for a
        handful of documents a second worker would only spend that again."""
        return max(1, min(self.jobs, n // DOCS_PER_WORKER))

    def plan(self, n: int) -> str:
        k = self.size(n)
        return f"in {k} worker process{'es' if k != 1 else ''}"

    def describe(self) -> str:
        return f"{self.workers} worker process{'es' if self.workers != 1 else ''}"

    def run(self, items: Sequence[Item]) -> Iterator[tuple[Item, Outcome]]:
        if not items:
            return
        from pebble import ProcessPool

        self.workers = self.size(len(items))
        pool = ProcessPool(max_workers=self.workers, initializer=init_worker, initargs=(os.getpid(),),
                           context=multiprocessing.get_context("spawn"))
        done: queue.SimpleQueue[tuple[Item, Future, float | None]] = queue.SimpleQueue()
        todo = iter(items)
        window = 4 * self.workers
        in_flight = 0

        def submit() -> None:
            nonlocal in_flight
            item = next(todo, None)
            if item is None:
                return
            limit = time_limit(item, self.timeout)  # scaled by pages for a long scan
            fut = pool.schedule(process, args=(item,), timeout=limit)
            fut.add_done_callback(lambda f, item=item, limit=limit: done.put((item, f, limit)))
            in_flight += 1

        finished = False
        replaced = float("-inf")  # when a worker was last stopped or lost (and so replaced)
        try:
            for _ in range(window):
                submit()
            while in_flight:
                try:
                    item, fut, limit = done.get(timeout=0.5)
                except queue.Empty:
                    continue
                in_flight -= 1
                if fut.exception() is not None:
                    replaced = time.monotonic()
                yield item, self._outcome(item, fut, limit)
                submit()
            finished = True
        finally:
            if finished:
                time.sleep(max(0.0, replaced + REPLACEMENT_START - time.monotonic()))
                pool.close()
            else:  # interrupted (Ctrl-C) or the caller failed: do not wait for running documents
                pool.stop()
            pool.join()

    def _outcome(self, item: Item, fut: Future, limit: float | None) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return fut.result()
        except BrokenProcessPool as e:
            raise RunnerError(f"the worker pool broke down: {e}") from e
        except Exception as e:  # a crash, a timeout, an unpicklable result: this document only
            import traceback

            detail = "".join(traceback.format_exception(e))
            return error_outcome(item, failure_reason(e, limit), detail)
