"""Batch: run `extract_document` over every input file and write the tables.

Each document's failure is isolated as an error row (docs.error) and a log line;
the batch goes on.  Tables are written atomically at the end of the run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from .ingest import iter_inputs
from .model import DocResult

log = logging.getLogger("libstat")


@dataclass
class BatchSummary:
    ok: int
    failed: int
    facts: int
    seconds: float
    chars: int

    def line(self) -> str:
        rate = (self.ok + self.failed) / self.seconds if self.seconds else 0.0
        return (f"{self.ok} documents extracted, {self.failed} failed, {self.facts} facts "
                f"in {self.seconds:.2f} s ({rate:.1f} documents/s)")


def run_batch(inputs: list[str], out_dir: str | Path, quiet: bool = False) -> BatchSummary:
    from .pipeline import extract_document
    from .tables import build_tables, write_tables

    t0 = time.perf_counter()
    results: list[DocResult] = []
    for path, root in iter_inputs(inputs):
        res = extract_document(path, root)
        if res.error:
            log.warning("%s: %s", res.path, res.error)
        elif not quiet:
            log.info("%s: %d facts", res.doc, len(res.facts))
        results.append(res)
    write_tables(build_tables(results), out_dir)
    ok = sum(1 for r in results if not r.error)
    return BatchSummary(ok=ok, failed=len(results) - ok, facts=sum(len(r.facts) for r in results),
                        seconds=time.perf_counter() - t0, chars=sum(r.chars for r in results))
