"""PDF ingest: PDF pages → the same Document of page texts that a text file gives.

Every file is opened once with PDFium (pypdfium2), and each page read from its text layer
and closed again, so memory stays flat on a 600-page yearbook.  The layout — lines, fake
bold, running headers and footers, wrapped lines — is worked out from the characters'
boxes and font sizes (read by pdf_runs.py, laid out by pdf_text.py, set by `PdfSettings`).
On a page that can hold a ruled table (one with path objects: ruling lines, boxes) the
tables are found from the same parsed page — its paths' level and plumb segments and its
characters — by pdfplumber's table finder (pdf_tables.py: no second parser reads the
file); each table is written into the page text where it stands, as `| cell | cell |`
rows, and the text lines it covers are left out — so tables go through the same
text-table path as any other (extract/stages/tables_text.py) and keep their page.
Pages whose glyphs have no Unicode mapping are unreadable: they are reported in the
document's flags, not mined for garbage.

Pages without a text layer (a scan) are OCR'd (extract/ingest/ocr.py) when the settings allow
it, and marked `ocr` so that their facts carry the flag; a scan that cannot be OCR'd is an
error that says why, never a document with silently empty pages.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Page
from .pdf_runs import page_lines, rule_segments
from .pdf_text import PdfSettings, join_wrapped
from .table_lines import fill_merged as _fill_merged  # noqa: F401  (kept importable here)

if TYPE_CHECKING:
    from .settings import IngestSettings

__all__ = ["PdfError", "PdfSettings", "read_pdf", "pdf_pages"]


class PdfError(Exception):
    """A one-line reason why a PDF cannot be read."""


def _open(path: str | Path, data: bytes | None = None):
    """The PDF opened by PDFium: from `data`, the file's bytes, when the caller has read them
    already (PDFium then parses them where they lie instead of reading the file again)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as e:
        raise PdfError(_why_not(path, e)) from None


def _why_not(path: str | Path, e: Exception) -> str:
    """Why PDFium cannot open a file.  PDFium says "data format error" of every file it cannot
    parse; pdfminer, which reads such files differently, tells an empty page tree or a
    damaged cross-reference table apart (and costs nothing on the files PDFium reads)."""
    if "password" in str(e).lower():
        return "encrypted PDF: a password is needed to read it"
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            if not pdf.pages:
                return "PDF has no pages"
    except Exception as why:  # pdfminer raises many kinds on broken files
        return _pdfium_reason(why)
    return _pdfium_reason(e)


def pdf_pages(path: str | Path) -> int:
    """The number of pages of a PDF (0 when it cannot be opened): cheap, no page is parsed."""
    try:
        pdf = _open(path)
    except (PdfError, OSError):
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def _page_text(pdf, index: int, settings: PdfSettings, join: bool = True) -> tuple[str, bool]:
    """(text of one page with its ruled tables as | rows in reading order, unreadable?).
    With `join` False, wrapped lines stay as they are (as an OCR'd page's lines do)."""
    page = pdf[index]
    found: list = []
    try:
        textpage = page.get_textpage()
        try:
            lines, n, unmapped = page_lines(textpage, tuple(page.get_bbox()), settings)
            if n and unmapped > 0.1 * n:
                return "", True
            if rule_segments(page, settings.min_rule_segments) >= settings.min_rule_segments:
                from .pdf_tables import page_tables

                found = page_tables(page, textpage, settings.table_settings, settings.dedupe_tolerance)
        finally:
            textpage.close()
    finally:
        page.close()
    if not join:
        settings = replace(settings, join_wraps=False)
    if not found:
        return "\n".join(join_wrapped(lines, settings)), False
    runs: list[list] = [[]]  # the text above the first table, between tables, below the last
    k = 0
    for t in found:  # tables top to bottom
        while k < len(lines) and (lines[k].top + lines[k].bottom) / 2 > t.top:
            runs[-1].append(lines[k])
            k += 1
        while k < len(lines) and (lines[k].top + lines[k].bottom) / 2 >= t.bottom:
            k += 1  # inside the table: its cells come from the table finder
        runs.append([])
    runs[-1].extend(lines[k:])
    text_lines = [ln for run in runs for ln in run]  # the page's text block sets the edges, not a few lines
    parts: list[str] = []
    for run, t in zip(runs, [*found, None], strict=True):
        parts.extend(join_wrapped(run, settings, text_lines))
        if t is not None:
            parts.extend(t.lines)
    return "\n".join(p for p in parts if p), False


def read_pdf(path: str | Path, settings: PdfSettings | None = None,
             ocr: IngestSettings | None = None, data: bytes | None = None) -> tuple[list[Page], list[str]]:
    """(pages, flags) of a PDF, or PdfError with a one-line reason.  `data`: the file's bytes,
    when they have been read already (they must be the file's: OCR reads its pages from `path`).

    With `ocr` settings in mode auto, pages without a text layer are OCR'd; in mode always,
    every page is (a text layer that is known to be wrong); without them or in mode never,
    a PDF without any text layer is an error that says OCR would be needed."""
    settings = settings or PdfSettings()
    mode = ocr.ocr if ocr else "never"
    pages: list[Page] = []
    unreadable, empty = [], []
    pdf = _open(path, data)
    try:
        if len(pdf) == 0:
            raise PdfError("PDF has no pages")
        for number in range(1, len(pdf) + 1):
            if mode == "always":  # its text layer is not wanted: do not parse it
                pages.append(Page(number, ""))
                empty.append(number)
                continue
            text, bad = _page_text(pdf, number - 1, settings)
            if bad:
                unreadable.append(number)
            elif len(text.strip()) < settings.min_chars:
                empty.append(number)
            pages.append(Page(number, text))
    except PdfError:
        raise
    except Exception as e:  # PDFium failing on a broken page
        raise PdfError(_pdfium_reason(e)) from None
    finally:
        pdf.close()
    if unreadable and len(unreadable) == len(pages):
        raise PdfError("unreadable PDF: its fonts give no Unicode characters (cid codes) on every page")
    flags: list[str] = []
    unavailable = ""
    if empty and mode != "never":
        empty, unavailable = _ocr(path, pages, empty, ocr, settings.min_chars, flags)
        if any(p.ocr for p in pages) and not all(p.ocr for p in pages):
            _unjoin(path, pages, settings)
    if not any(p.text.strip() for p in pages) or len(empty) == len(pages):
        n = len(pages)
        if unavailable:
            raise PdfError(f"no text layer in {n} page(s): a scanned PDF, and OCR is unavailable: {unavailable}")
        if mode == "never":
            raise PdfError(f"no text layer in {n} page(s): a scanned PDF, OCR would be needed (OCR is off: --ocr never)")
        raise PdfError(f"no text layer in {n} page(s), and OCR read no text on them")
    if unavailable:
        if mode == "always":
            raise PdfError(f"OCR of every page was asked (--ocr always), but it is unavailable: {unavailable}")
        flags.append("ocr_unavailable")
    if unreadable:
        flags.append("unreadable_pages:" + ",".join(map(str, unreadable)))
    if empty:
        flags.append("pages_without_text:" + ",".join(map(str, empty)))
    return pages, flags


def _unjoin(path: str | Path, pages: list[Page], settings: PdfSettings) -> None:
    """A document of OCR'd and text pages: the text pages again with their wrapped lines as
    they are, as OCR gives its pages, so that normalize sees one layout and joins them all."""
    pdf = _open(path)
    try:
        for k, page in enumerate(pages):
            if not page.ocr and page.text:
                pages[k] = Page(page.number, _page_text(pdf, k, settings, join=False)[0])
    finally:
        pdf.close()


def _ocr(path: str | Path, pages: list[Page], numbers: list[int], ocr: IngestSettings, min_chars: int,
         flags: list[str]) -> tuple[list[int], str]:
    """OCR the given pages in place: (pages still without text, why OCR is unavailable or "")."""
    from .ocr import OcrError, engine, pdf_page_images, recognize, rules

    low, done = [], []
    try:
        eng = engine(ocr)
        for number, image in pdf_page_images(path, numbers, ocr.ocr_dpi):
            read = recognize(image, eng)
            pages[number - 1] = Page(number, read.text, ocr=True)
            done.append(number)
            if read.text.strip() and read.confidence < rules().low_page_confidence:
                low.append(number)
    except OcrError as e:
        return [n for n in numbers if n not in done], str(e)
    except Exception as e:  # PDFium failing to render a page it could parse
        return [n for n in numbers if n not in done], f"a page could not be rendered for OCR ({type(e).__name__}: {e})"
    if done:
        flags.append("ocr")
        if len(done) < len(pages):
            flags.append("ocr_pages:" + ",".join(map(str, done)))
    if low:
        flags.append("ocr_low_confidence:" + ",".join(map(str, low)))
    return [n for n in numbers if len(pages[n - 1].text.strip()) < min_chars], ""


def _pdfium_reason(e: Exception) -> str:
    """A one-line reason for a file PDFium (or pdfminer, for a table page) cannot read."""
    cause = e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], Exception) else e
    name = type(cause).__name__
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else name
    low = text.lower()
    if "password" in low or "Password" in name or "Encrypt" in name or "security" in low:
        return "encrypted PDF: a password is needed to read it"
    if ("format" in low or "PSEOF" in name or "Syntax" in name or "EOF" in text or "startxref" in low
            or "xref" in low):
        return f"corrupt or truncated PDF ({name}: {text[:80]})"
    return f"unreadable PDF ({name}: {text[:80]})"
