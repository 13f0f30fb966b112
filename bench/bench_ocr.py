"""OCR throughput: seconds per scanned page, for the engine alone and for `extract_document`.

The bundled reports are rendered to PDF (tests/render_pdf.py) and rasterized into image-only
PDFs (a scan) at --scan-dpi; each page is then OCR'd the way ingest does it (rendered at
the ingest setting `ocr_dpi`, Tesseract with chi_sim).  OCR is by far the largest cost of a
scanned document, so the two figures should be close.

    make bench                              # (after bench.py and bench_pdf.py)
    .venv/bin/python bench/bench_ocr.py --scan-dpi 200

Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "ocr"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scan-dpi", type=int, default=150, help="resolution of the rasterized scans (default 150)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))  # the PDF renderer, a test helper
    import pypdfium2 as pdfium
    from render_pdf import Layout, cjk_font_path, render

    from extract.ingest.ocr import OcrError, engine, pdf_page_images, recognize
    from extract.ingest.settings import IngestSettings
    from extract.pipeline import extract_document

    if cjk_font_path() is None:
        print("OCR bench skipped: no CJK font (make installs fonts-wqy-zenhei)")
        return 0
    settings = IngestSettings(ocr="auto")
    try:
        eng = engine(settings)
    except OcrError as e:
        print(f"OCR bench skipped: {e}")
        return 0
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    scans = []
    for s in sorted((ROOT / "corpus" / "seeds").glob("*.txt")):
        pdf = render(s.read_text(encoding="utf-8"), WORK / f"{s.stem}.text.pdf", Layout(header="工作资料"))
        doc = pdfium.PdfDocument(str(pdf))
        images = [doc[i].render(scale=args.scan_dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
        doc.close()
        scan = WORK / f"{s.stem}.pdf"
        images[0].save(scan, "PDF", save_all=True, append_images=images[1:], resolution=args.scan_dpi)
        scans.append((scan, len(images)))
    extract_document(ROOT / "corpus" / "seeds" / "001_af2c11a327147ce6.txt")  # warm-up: jieba, spaCy

    per_page = []
    for scan, n in scans:
        for _, image in pdf_page_images(scan, list(range(1, n + 1)), settings.ocr_dpi):
            per_page.append(recognize(image, eng).seconds)
    pages = len(per_page)

    t0 = time.perf_counter()
    facts = 0
    for scan, _ in scans:
        res = extract_document(scan, settings=settings)
        facts += len(res.facts)
    whole = time.perf_counter() - t0

    print(f"OCR: {len(scans)} scanned PDFs ({args.scan_dpi} dpi), {pages} pages, {facts} facts; "
          f"{eng.version}, {eng.languages}, pages rendered at {settings.ocr_dpi} dpi")
    print(f"  Tesseract alone:             {statistics.mean(per_page):6.2f} s/page  "
          f"(min {min(per_page):.2f}, max {max(per_page):.2f})")
    print(f"  libstat extract_document():  {whole / pages:6.2f} s/page  {whole:7.2f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
