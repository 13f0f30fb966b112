"""Worker side of a batch: one document in, one `Outcome` out.

Both runners — the local process pool (`runner.py`) and Dask (`dask_runner.py`) — run
`process` or `process_bytes` in their worker processes.  Both wrap the one
per-document function, `pipeline.extract_document`, and serialize the document's
table rows (`rows.result_rows`) in the worker, so that the main process, which shares
the machine's cores with the workers, only writes bytes to the cache.

Test-only hooks.  These environment variables are read in the worker, never by the
pipeline, and no input file can trigger them; the test suite uses them to make a
worker fail on purpose:

  LIBSTAT_TEST_CRASH_ON=<text>  a document whose path contains <text> kills its worker
                                with SIGSEGV, as a crashing C extension would;
  LIBSTAT_TEST_HANG_ON=<text>   such a document sleeps for ever (to exercise --timeout);
  LIBSTAT_TEST_SLOW=<seconds>   every document sleeps that long first (so that a test
                                can interrupt a run part-way).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import DocResult

if TYPE_CHECKING:
    from ..ingest.settings import IngestSettings

# A sentence that goes through every lazily loaded part: rules, jieba with its part-of-speech
# dictionary (library names), spaCy (labels), number parsing.
WARM_UP_TEXT = "绵阳市图书馆2013年工作总结\n全年接待读者396712人次，举办公益讲座72场，新增藏书1.2万册。"
EXIT_TIMEOUT = 75  # a Dask worker past --timeout exits with this code; its nanny restarts it
PAGES_PER_TIMEOUT = 10  # a long PDF or TIFF gets --timeout per this many pages (a scan is OCR'd page by page)


@dataclass(frozen=True)
class Item:
    """One input file, as the main process describes it to a worker."""

    index: int
    path: str  # as found from the command line: the docs.path column
    root: str | None  # the input folder the doc id is relative to
    doc: str  # doc id
    name: str  # path relative to the root, with its suffix (doc id + suffix)
    sha256: str = ""  # "" when the main process could not read the file
    key: str = ""  # cache key; "" when the result must not be cached
    settings: IngestSettings | None = None  # how the batch reads files (--ocr …); None: the defaults


@dataclass
class Outcome:
    """What comes back from a worker: a summary and the document's rows, pickled."""

    doc: str
    error: str
    n_facts: int
    payload: bytes
    fingerprint: str = ""  # the worker's rules+code fingerprint (a cluster must match the client)
    rss_mb: float = 0.0  # the worker's peak resident memory so far
    cacheable: bool = True  # False for failures of the run rather than of the document (crash, timeout)
    detail: str = ""  # a traceback, shown with --debug
    sha256: str = ""  # of the bytes the worker read ("" if none): a file changed since the scan differs


def outcome(res: DocResult, cacheable: bool = True, detail: str = "",
            settings: IngestSettings | None = None) -> Outcome:
    from ..outputs.rows import result_rows
    from .cache import run_fingerprint

    payload = pickle.dumps(result_rows(res), protocol=pickle.HIGHEST_PROTOCOL)
    return Outcome(doc=res.doc, error=res.error, n_facts=len(res.facts), payload=payload,
                   fingerprint=_fingerprint(run_fingerprint, settings), rss_mb=peak_rss_mb(),
                   cacheable=cacheable, detail=detail, sha256=res.sha256 or "")


def error_outcome(item: Item, reason: str, detail: str = "") -> Outcome:
    """An error row made by the main process for a document whose worker failed."""
    res = DocResult(doc=item.doc, path=item.path, sha256=item.sha256, error=reason)
    out = outcome(res, cacheable=False, detail=detail, settings=item.settings)
    out.rss_mb = 0.0
    return out


def time_limit(item: Item, timeout: float | None) -> float | None:
    """The document's time limit: `timeout`, scaled by the pages of a PDF or TIFF longer than
    PAGES_PER_TIMEOUT pages when OCR may read it — a long scan takes seconds per page and
    must not be stopped while it is making progress; a hung one is still stopped.  Counting
    the pages opens the file, not its pages (a millisecond)."""
    if not timeout or (item.settings is not None and item.settings.ocr == "never"):
        return timeout
    suffix = Path(item.path).suffix.lower()
    pages = 0
    try:
        if suffix == ".pdf":
            from ..ingest.pdf import pdf_pages

            pages = pdf_pages(item.path)
        elif suffix in (".tif", ".tiff"):
            from PIL import Image

            with Image.open(item.path) as im:
                pages = getattr(im, "n_frames", 1)
    except Exception:  # an unreadable file: its worker says why, within the plain limit
        pages = 0
    return timeout * max(1.0, pages / PAGES_PER_TIMEOUT)


def process(item: Item) -> Outcome:
    """Extract one document from its path (a worker that sees the input folder)."""
    _test_hooks(item.path)
    return _extract(item, item.path, item.root)


def process_bytes(item: Item, data: bytes, timeout: float | None = None) -> Outcome:
    """Extract one document from its bytes (a Dask worker that may not see the input folder).

    The bytes are written under the document's relative name in a temporary folder, so
    that the doc id and the reader chosen by the suffix are those of a local run.  A Dask
    task cannot be stopped from outside, so past `timeout` the worker process exits and
    its nanny starts a fresh one; the scheduler then retries the task on another worker
    and, after its allowed failures, reports it as lost (an error row)."""
    warm_up()
    box: list[Outcome] = []

    def run() -> None:
        _test_hooks(item.path)
        with tempfile.TemporaryDirectory(prefix="libstat-") as tmp:
            p = Path(tmp, item.name)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
            out = _extract(item, p, tmp)
        box.append(out)

    t = threading.Thread(target=run, name=f"libstat-{item.doc}", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        os._exit(EXIT_TIMEOUT)
    return box[0]


def _extract(item: Item, path: str | Path, root: str | Path | None) -> Outcome:
    from ..pipeline import extract_document

    try:
        res = extract_document(path, root, item.settings)
    except Exception as e:  # extract_document isolates the pipeline; this is ingest or worse
        return error_outcome(item, f"internal error: {type(e).__name__}: {e}", traceback.format_exc())
    res.path = item.path
    return outcome(res, settings=item.settings)


def _test_hooks(path: str) -> None:
    env = os.environ
    if (s := env.get("LIBSTAT_TEST_CRASH_ON")) and s in path:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file in the user's folder
        os.kill(os.getpid(), signal.SIGSEGV)
    if (s := env.get("LIBSTAT_TEST_HANG_ON")) and s in path:
        while True:
            time.sleep(3600)
    if s := env.get("LIBSTAT_TEST_SLOW"):
        time.sleep(float(s))


@cache
def warm_up() -> None:
    """Load the models once per worker, before the first document's clock starts.

    jieba's dictionaries take seconds to load; were that charged to the first document, a
    short --timeout would kill healthy workers.  (spaCy is not loaded: extraction reads
    jieba's words itself, stages/tokens.py.)  The loaded objects live as long as the
    process, so they are moved out of the garbage collector's way."""
    try:
        from ..pipeline import extract_text
        from ..stages.tokens import tagged

        extract_text(WARM_UP_TEXT)
        tagged("浙江图书馆")
    except Exception:  # a broken rule shows up as the documents' error rows, not here
        pass
    gc.collect()
    gc.freeze()


def init_worker(parent_pid: int) -> None:
    """Initializer of a local pool worker: die with the main process, then warm up."""
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="libstat-watchdog", daemon=True).start()
    warm_up()


def _watch_parent(parent_pid: int) -> None:
    """A worker whose main process was killed (SIGKILL, OOM) must not run on alone."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(0)


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    On Linux from VmHWM, the high-water mark of this program's own memory: getrusage's
    ru_maxrss also counts the parent's memory at the fork before exec, so a worker (or a
    CLI started by a big process) would report its parent's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


_fingerprints: dict[str, str] = {}


def _fingerprint(compute, settings: IngestSettings | None = None) -> str:
    """The run fingerprint, computed once per worker process, rules folder and ingest settings
    (the batch's settings are part of it: --ocr never and auto give different results).

    Once per process on purpose: a worker reads its rules once (`resources.load_yaml` is
    cached), so a long-lived Dask worker started before a rule edit still extracts with
    the old rules, and its fingerprint must say so for the client to refuse its results."""
    from ..resources import rules_dir

    where = f"{rules_dir()}\0{settings!r}"
    if where not in _fingerprints:
        _fingerprints[where] = compute(settings)
    return _fingerprints[where]
