"""Progress of a batch: a rich bar on a terminal, log lines otherwise, nothing with --quiet.

On a terminal (stderr is a TTY) a live bar shows done/total, failures, cached
documents, the rate and the time left; warnings print above it.  In a log (a CI job,
a redirect, `nohup`) a bar would be noise, so a plain INFO line is written every few
seconds instead.  `--quiet` silences both; warnings about failed documents are still
written, as they were before the batch had progress at all.
"""

from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("libstat")

LOG_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


class Progress:
    """Counts of a running batch and their display."""

    def __init__(self, total: int, cached: int, quiet: bool = False, tty: bool | None = None, console=None):
        self.total, self.cached = total, cached
        self.done, self.failed, self.facts = cached, 0, 0
        self.quiet = quiet
        self.tty = sys.stderr.isatty() if tty is None else tty
        self._console = console  # a rich Console; stderr by default
        self._bar = None
        self._task = None
        self._t0 = time.monotonic()
        self._last_log = self._t0
        self._fresh = 0  # documents extracted in this run (the rate counts only these)
        self._first = 0.0  # when the first of them came back: the workers' start-up is not a rate

    def __enter__(self) -> Progress:
        if not self.quiet and self.tty and self.total > self.cached:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("extract"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                console=self._console or Console(stderr=True), transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("extract", total=self.total, completed=self.done,
                                            counts=self._counts(), rate="")
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _counts(self) -> str:
        return f"{self.failed} failed, {self.cached} cached"

    def rate(self) -> float:
        """Documents per second since the first result (0 until there are two)."""
        elapsed = time.monotonic() - self._first
        return (self._fresh - 1) / elapsed if self._fresh > 1 and elapsed >= 1.0 else 0.0  # 1 s: not a burst

    def advance(self, error: str, n_facts: int) -> None:
        self.done += 1
        self._fresh += 1
        self._first = self._first or time.monotonic()
        self.failed += bool(error)
        self.facts += n_facts
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, counts=self._counts(),
                             rate=f"{self.rate():.1f} docs/s" if self.rate() else "")
        elif not self.quiet:
            now = time.monotonic()
            if now - self._last_log >= LOG_EVERY:
                self._last_log = now
                self.log_line()

    def log_line(self) -> None:
        rate = self.rate()
        pace = f", {rate:.1f} documents/s, about {(self.total - self.done) / rate:.0f} s left" if rate else ""
        log.info("progress: %d/%d documents, %s%s", self.done, self.total, self._counts(), pace)

    def warn(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(f"WARNING {message}", markup=False, highlight=False)
        else:
            log.warning("%s", message)
