"""Throughput of the extraction: one worker in-process, then an archive through the CLI.

    make bench                                          # 200 copies of corpus/seeds, a 2,000-document archive
    .venv/bin/python bench/bench.py --copies 20 --archive 200   # a shorter benchmark

The seed reports are copied N times under distinct names into bench/work/in/ (each copy
gets a distinct run of trailing whitespace, so that no two files have the same content
hash should a cache by content ever be added).  Then, in this process:

  (a) the whole run: import of the pipeline, model loading, every document, the tables
      written to bench/work/out/;
  (b) the per-document time without the one-off loading: the documents after a warm-up
      document.

Then the archive section (bench_archive.py): a 2,000-document archive through
`libstat extract` at -j1 and -j2, an unchanged rerun, a rerun after a rule edit, and the
workers' peak memory.

bench/work/ is gitignored and rebuilt on every run (`make clean` removes it).

It prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
WORK = ROOT / "bench" / "work"


def make_copies(n: int, dest: Path) -> list[Path]:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        sys.exit(f"no seed reports in {SEEDS}")
    files = []
    for i in range(n):
        tail = "\n" + format(i, "b").replace("0", " ").replace("1", "\t") + "\n"
        for s in seeds:
            p = dest / f"c{i:04d}_{s.name}"
            p.write_bytes(s.read_bytes() + tail.encode("ascii"))
            files.append(p)
    return files


def help_time(repeat: int = 5) -> float:
    exe = Path(sys.executable).parent / "libstat"
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "extract.cli", "--help"]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=200, help="copies of corpus/seeds (default 200)")
    ap.add_argument("--archive", type=int, default=2000, help="documents in the archive section (default 2000; 0: skip)")
    ap.add_argument("--pdf-share", type=float, default=0.05,
                    help="share of PDF renderings in the archive, when PDFs can be read (default 0.05)")
    a = ap.parse_args(argv)

    inp, out = WORK / "in", WORK / "out"
    files = make_copies(max(1, a.copies), inp)
    in_bytes = sum(p.stat().st_size for p in files)
    print(f"input: {len(files)} documents ({a.copies} copies of {len(files) // max(1, a.copies)} seeds), "
          f"{in_bytes / 1e6:.1f} MB in {inp.relative_to(ROOT)}")

    sys.path.insert(0, str(ROOT))
    t_start = time.perf_counter()
    from extract.ingest.dispatch import iter_inputs
    from extract.outputs.tables import build_tables, write_tables
    from extract.pipeline import extract_document

    t_import = time.perf_counter() - t_start
    items = iter_inputs([str(inp)])
    results = []
    t = time.perf_counter()
    results.append(extract_document(*items[0]))
    t_first = time.perf_counter() - t
    t = time.perf_counter()
    for path, root in items[1:]:
        results.append(extract_document(path, root))
    t_rest = time.perf_counter() - t
    t = time.perf_counter()
    write_tables(build_tables(results), out)
    t_tables = time.perf_counter() - t
    t_total = time.perf_counter() - t_start

    n = len(results)
    chars = sum(r.chars for r in results)
    rest_chars = chars - results[0].chars
    failed = sum(1 for r in results if r.error)
    facts = sum(len(r.facts) for r in results)
    print(f"documents {n}, failed {failed}, facts {facts}, characters {chars:,}")
    print()
    print("(a) whole run, one worker, in-process (import + model loading + documents + tables)")
    print(f"    {t_total:8.2f} s   {n / t_total:8.1f} documents/s   {chars / t_total:12,.0f} characters/s")
    print(f"    of which: import {t_import:.2f} s, first document with model loading {t_first:.2f} s, "
          f"other documents {t_rest:.2f} s, tables {t_tables:.2f} s")
    if n > 1:
        print("(b) per document after a warm-up document (no one-off loading)")
        print(f"    {t_rest / (n - 1) * 1000:8.1f} ms/document   {(n - 1) / t_rest:8.1f} documents/s   "
              f"{rest_chars / t_rest:12,.0f} characters/s")
    print(f"`libstat --help`: {help_time() * 1000:.0f} ms (best of 5, subprocess)")
    if a.archive > 0:
        from bench_archive import archive_section

        print()
        archive_section(a.archive, a.pdf_share)
    return 0


if __name__ == "__main__":
    sys.exit(main())
