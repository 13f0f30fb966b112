"""Batch: run `extract_document` over every input file and keep OUT's tables up to date.

The orchestrator the CLI calls.  One run:

1. scan — list the input files, hash each (reading bytes is cheap next to extracting),
   and key it by content, name, rules and code (`cache.doc_key`);
2. plan — a doc whose key the store (OUT/libstat.duckdb) already has is unchanged and
   costs nothing more; a changed doc whose key is in OUT/.cache is taken from there;
   only the rest go to workers;
3. extract — the local process pool (`runner.py`) or a Dask cluster (`dask_runner.py`)
   runs the per-document function; every result is written to the cache as it comes,
   so a killed run resumes from what was finished;
4. store — one DuckDB transaction replaces the changed docs' rows (and drops docs no
   longer in the input with `prune`), chunk by chunk (`store.py`);
5. export — CSV and Parquet rewritten from the store, atomically, only if it changed.

A run holds the output folder's writer lock (`lock.py`) from start to end: a second run
into the same OUT waits for it (or, with `wait=False`, fails at once), so one run's
cache sweep never removes what another is about to store.  Readers take no lock.

Each document's failure (unreadable, a pipeline error, a worker crash or timeout) is an
error row (docs.error) and a warning; the batch goes on.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..ingest.dispatch import doc_id, iter_inputs, with_tools
from ..ingest.settings import IngestSettings
from ..outputs.store import Change, Store
from . import review
from .cache import ResultCache, doc_key, file_sha256, run_fingerprint
from .lock import LockBusy, WriterLock
from .progress import Progress
from .runner import LocalRunner, RunnerError
from .work import Item, peak_rss_mb

log = logging.getLogger("libstat")


class BatchError(Exception):
    """The batch cannot go on (the store is locked, a cluster runs other rules …)."""


class Interrupted(Exception):  # noqa: N818  (it is not an error of the program)
    """Ctrl-C: what was finished is in the cache; the tables are those of the last run."""

    def __init__(self, finished: int):
        super().__init__(finished)
        self.finished = finished


@dataclass
class BatchSummary:
    ok: int
    failed: int
    facts: int
    seconds: float
    cached: int = 0  # documents not extracted again: unchanged in the store or found in the cache
    extracted: int = 0  # documents sent to workers in this run
    workers: str = ""
    peak_worker_mb: float = 0.0  # largest peak resident memory of any worker process
    peak_main_mb: float = 0.0
    first_result_s: float = 0.0  # since the start of the run; the steady rate lies between these two
    last_result_s: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: scan, extract, store, export

    def line(self) -> str:
        n = self.ok + self.failed
        rate = n / self.seconds if self.seconds else 0.0
        return (f"{self.ok} documents extracted, {self.failed} failed, {self.cached} cached, {self.facts} facts "
                f"in {self.seconds:.2f} s ({rate:.1f} documents/s)")

    def as_dict(self) -> dict:
        return asdict(self)


def scan(inputs: list[str], fingerprint: str, settings: IngestSettings) -> list[Item]:
    """Every input file once, with its doc id, hash and cache key."""
    items: list[Item] = []
    seen: set[str] = set()
    for path, root in iter_inputs(inputs):
        where = os.path.abspath(path)  # (lexical: resolving every path costs more than hashing it)
        if where in seen:  # the same file named twice on the command line
            continue
        seen.add(where)
        doc = doc_id(path, root)
        sha = ""
        try:
            if path.is_file() and path.stat().st_size <= settings.max_bytes:
                sha = file_sha256(path)
        except OSError:
            pass  # the worker gives the reason as an error row
        name = doc + path.suffix
        items.append(Item(index=len(items), path=str(path), root=str(root) if root else None, doc=doc,
                          name=name, sha256=sha, key=doc_key(sha, name, fingerprint) if sha else "",
                          settings=settings))
    return items


def run_batch(inputs: list[str], out_dir: str | Path, quiet: bool = False, *, jobs: int | None = None,
              timeout: float | None = 120.0, use_cache: bool = True, prune: bool = False,
              dask: str | None = None, debug: bool = False, tty: bool | None = None,
              ocr: str = "auto", wait: bool = True) -> BatchSummary:
    t0 = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out} exists and is not a folder")
    try:  # fail before extracting anything, not at the first result
        (out / ".cache").mkdir(parents=True, exist_ok=True)
        lock = WriterLock(out, wait=wait)
        lock.acquire()
    except LockBusy as e:
        raise BatchError(str(e)) from e
    except OSError as e:
        raise BatchError(f"cannot write to {out}: {e.strerror or e}") from e
    try:
        return _run(inputs, out, t0, quiet=quiet, jobs=jobs, timeout=timeout, use_cache=use_cache, prune=prune,
                    dask=dask, debug=debug, tty=tty, ocr=ocr)
    finally:
        lock.release()


def _run(inputs: list[str], out: Path, t0: float, *, quiet: bool, jobs: int | None, timeout: float | None,
         use_cache: bool, prune: bool, dask: str | None, debug: bool, tty: bool | None, ocr: str) -> BatchSummary:
    phases: dict[str, float] = {"lock": round(time.perf_counter() - t0, 3)}
    settings = with_tools(IngestSettings(ocr=ocr))  # --ocr, and the OCR engine/LibreOffice found
    fingerprint = run_fingerprint(settings)
    cache, store = ResultCache(out), Store(out)
    store.clean()  # what a killed run left (we hold the lock: no other run is writing)

    items = scan(inputs, fingerprint, settings)
    units: dict[str, list[Item]] = {}
    for it in items:
        units.setdefault(it.doc, []).append(it)
    state = store.state()
    if state.broken:
        from .recover import recover_docs

        log.warning("%s cannot be read (%s): rebuilding it from the cache", store.path, state.broken)
        if not prune:
            units.update(recover_docs(out, fingerprint, cache, units, settings, start=len(items)))
    corrector = review.load(out)  # the reviewers' corrections: a doc whose corrections changed is stored again
    if corrector and use_cache and not prune:  # (--no-cache would extract them again from paths of another run)
        units.update(review.outside_docs(state, units, corrector, fingerprint, cache, settings,
                                         start=len(items) + len(units)))
    unit_key = review.keyed({doc: ",".join(sorted(i.key for i in its)) if all(i.key for i in its) else ""
                             for doc, its in units.items()}, units, corrector)
    changed = sorted(d for d in units if not use_cache or not unit_key[d] or state.keys.get(d) != unit_key[d]
                     or _moved(units[d], state.docs.get(d, [])))
    todo = [i for d in changed for i in units[d] if not (use_cache and i.key and cache.valid(i.key))]
    todo.sort(key=lambda i: i.index)
    n_cached = sum(len(its) for its in units.values()) - len(todo)
    phases["scan"] = time.perf_counter() - t0

    runner = _runner(jobs, timeout, dask)
    if not quiet:
        n_all = sum(len(its) for its in units.values())
        n_unchanged = n_all - sum(len(units[d]) for d in changed)
        log.info("%d documents: %d unchanged, %d from the cache, %d to extract%s", n_all, n_unchanged,
                 n_cached - n_unchanged, len(todo), f" {runner.plan(len(todo))}" if todo else "")

    preload = None
    if changed:
        preload = threading.Thread(target=_preload, name="libstat-preload", daemon=True)
        preload.start()
    spool: dict[int, bytes] = {}  # rows that must not be cached (a crash, a timeout): error rows, small
    warned: set[str] = set()
    peak_worker = 0.0
    first = last = 0.0
    t = time.perf_counter()
    progress = Progress(total=n_cached + len(todo), cached=n_cached, quiet=quiet, tty=tty)
    try:
        with progress:
            for item, res in runner.run(todo):
                if runner.remote and res.fingerprint != fingerprint:
                    raise BatchError(f"the workers run other rules or code than this client (fingerprint "
                                     f"{res.fingerprint} ≠ {fingerprint}): install the same version and "
                                     "rules on every worker and restart them")
                # a file that changed after the scan was read with other bytes than its key says
                if res.cacheable and item.key and res.sha256 == item.sha256:
                    cache.put(item.key, res.payload)
                else:
                    spool[item.index] = res.payload
                peak_worker = max(peak_worker, res.rss_mb)
                last = time.perf_counter() - t0
                first = first or last
                if res.error:
                    warned.add(item.path)
                    progress.warn(f"{item.path}: {res.error}")
                    if debug and res.detail:
                        progress.warn(res.detail.rstrip())
                progress.advance(res.error, res.n_facts)
    except KeyboardInterrupt:
        raise Interrupted(progress.done - progress.cached) from None
    except RunnerError as e:
        raise BatchError(str(e)) from e
    phases["extract"] = time.perf_counter() - t

    # ---- store: one transaction, only when something changed ------------------------
    t = time.perf_counter()
    per_doc: dict[str, list[tuple[str, str, int]]] = {d: state.docs.get(d, []) for d in units if d not in changed}
    current = set(units)
    removed = set(state.keys) - current if prune else set()
    token = state.token
    if preload is not None:
        preload.join()
    if changed or removed or state.broken or not store.path.exists():  # (an empty input still gets empty tables)
        from ..stages.metric_rules import metric_ids

        def on_doc(doc: str, rows: dict) -> None:
            d = rows["docs"]
            per_doc.setdefault(doc, []).extend(zip(d["path"], d["error"], d["n_facts"], strict=True))

        review.warn_stale(changed, units, state, corrector, progress.warn)
        changes = _changes(changed, units, unit_key, spool, cache)
        token = store.update(changes, current if prune else None, metric_ids(), on_doc, fresh=bool(state.broken),
                             adjust=corrector if corrector else None)
    phases["store"] = time.perf_counter() - t

    t = time.perf_counter()
    if store.staged.exists() or not store.exported(token, cache):
        store.publish(token, cache)
    if changed or removed:
        keep = {k for key in store.state().keys.values() for k in review.cache_keys(key)}
        cache.sweep(keep, started=time.time() - (time.perf_counter() - t0))
    phases["export"] = time.perf_counter() - t

    ok = failed = facts = 0
    for doc in sorted(per_doc):
        for path, error, n in per_doc[doc]:
            facts += n
            if error:
                failed += 1
                if path not in warned:
                    progress.warn(f"{path}: {error}")
            else:
                ok += 1
    return BatchSummary(ok=ok, failed=failed, facts=facts, seconds=time.perf_counter() - t0, cached=n_cached,
                        extracted=len(todo), workers=runner.describe() if todo else "",
                        peak_worker_mb=round(peak_worker, 1), peak_main_mb=round(peak_rss_mb(), 1),
                        first_result_s=round(first, 3), last_result_s=round(last, 3),
                        phases={k: round(v, 3) for k, v in phases.items()})


def _runner(jobs: int | None, timeout: float | None, dask: str | None):
    if dask:
        from .dask_runner import DaskRunner

        return DaskRunner(dask, timeout)
    return LocalRunner(jobs, timeout)


def _moved(items: list[Item], stored: list[tuple[str, str, int]]) -> bool:
    """The same content under another path (the archive was moved): docs.path must follow.
    Its rows come back from the cache; nothing is extracted again."""
    return sorted(i.path for i in items) != sorted(p for p, _, _ in stored)


def _changes(changed: list[str], units: dict[str, list[Item]], unit_key: dict[str, str],
             spool: dict[int, bytes], cache: ResultCache) -> Iterator[Change]:
    """The new rows of each changed doc, read from the cache one doc at a time."""
    for doc in changed:
        payloads = []
        cacheable = True
        for item in units[doc]:
            if item.index in spool:
                payload, cacheable = spool.pop(item.index), False
            else:
                payload = cache.get(item.key) if item.key else None
            if payload is None:
                raise BatchError(f"the cached result of {item.path} vanished from {cache.root} during the run")
            payloads.append((item.path, payload))
        # a doc with a failure of the run (crash, timeout) keeps no key: the next run retries it
        yield Change(doc=doc, key=unit_key[doc] if cacheable else "", payloads=payloads)


def _preload() -> None:
    """Import what the store step needs while the workers load their models: the main
    process has nothing else to do then, and a small run is mostly that wait."""
    try:
        import duckdb  # noqa: F401
        import pandas  # noqa: F401
        import pyarrow.parquet  # noqa: F401

        from ..stages.metric_rules import metric_ids

        metric_ids()
    except Exception:  # the store step will report it
        pass
