"""PDF throughput: pages per second for `extract_document` on PDF renderings of the
bundled reports, and the ratio of its whole time to a bare pdfplumber pass that only
calls `page.extract_text()` on the same pages.  The aim is a ratio under 1.2: parsing
the PDF should be the only big cost.

    make bench                         # (after bench.py)
    .venv/bin/python bench/bench_pdf.py --copies 5

Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "pdf"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=5, help="copies of each bundled report (default 5)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))  # the PDF renderer, a test helper
    import pdfplumber
    from render_pdf import Layout, cjk_font_path, render

    from extract.pipeline import extract_document

    if cjk_font_path() is None:
        print("PDF bench skipped: no CJK font (make installs fonts-wqy-zenhei)")
        return 0
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    files = []
    for s in seeds:  # one rendering per report, copied: the parse cost is per file all the same
        first = render(s.read_text(encoding="utf-8"), WORK / f"{s.stem}.pdf", Layout(header="工作资料", fake_bold_title=True))
        files.append(first)
        for i in range(1, args.copies):
            copy = WORK / f"{s.stem}_{i}.pdf"
            shutil.copyfile(first, copy)
            files.append(copy)
    extract_document(files[0])  # warm-up: imports, jieba and spaCy loading

    t0 = time.perf_counter()
    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    facts = 0
    for f in files:
        facts += len(extract_document(f).facts)
    whole = time.perf_counter() - t0

    print(f"PDF: {len(files)} files, {pages} pages, {facts} facts")
    print(f"  bare pdfplumber extract_text(): {bare:7.2f} s  {pages / bare:7.1f} pages/s")
    print(f"  libstat extract_document():     {whole:7.2f} s  {pages / whole:7.1f} pages/s  "
          f"{len(files) / whole:6.1f} documents/s")
    print(f"  ratio libstat / bare pdfplumber: {whole / bare:.2f}  (aim: under 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
