"""PDF ingest: pdfplumber pages → the same Document of page texts that a text file gives.

Each page is parsed once: duplicated characters of fake-bold text are removed first
(a WPS title otherwise reads 22002233年年度度); tables are looked for only on pages that
have ruling lines, and each table found is written into the page text, where it
stands, as `| cell | cell |` rows — so tables go through the same text-table path as
any other (extract/stages/tables_text.py) and keep their page.  Pages whose glyphs come out
as (cid:123) or private-use characters are unreadable: they are reported in the
document's flags, not mined for garbage.  Each page is closed after use so memory
stays flat on a 600-page yearbook.

Pages without a text layer (a scan) are OCR'd (extract/ingest/ocr.py) when the settings allow
it, and marked `ocr` so that their facts carry the flag; a scan that cannot be OCR'd is an
error that says why, never a document with silently empty pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Page
from .table_lines import fill_merged as _fill_merged  # noqa: F401  (kept importable here)
from .table_lines import table_lines as _table_lines

if TYPE_CHECKING:
    from .settings import IngestSettings

CID = re.compile(r"\(cid:\d+\)")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


class PdfError(Exception):
    """A one-line reason why a PDF cannot be read."""


@dataclass(frozen=True)
class PdfSettings:
    dedupe_tolerance: float = 1.0  # points: characters closer than this are one (fake bold)
    min_chars: int = 20  # a page with fewer text characters has no text layer
    table_settings: dict | None = None  # pdfplumber table settings (None: its defaults)


def _dedupe(page, tolerance: float):
    """The page without characters drawn twice at (almost) the same place — fake bold.

    Equivalent to pdfplumber's `dedupe_chars` for this purpose, but one pass over the
    characters, and the page is returned as is when nothing is doubled (most pages),
    so the common case costs no filtering at all."""
    seen: dict[tuple, list[float]] = {}
    doubled: set[int] = set()
    for ch in page.chars:
        key = (ch["text"], round(ch["top"]), ch.get("fontname"), round(ch.get("size", 0)))
        xs = seen.setdefault(key, [])
        if any(abs(x - ch["x0"]) <= tolerance for x in xs):
            doubled.add(id(ch))
        else:
            xs.append(ch["x0"])
    if not doubled:
        return page
    return page.filter(lambda obj: id(obj) not in doubled)


def _unreadable(text: str) -> bool:
    if not text:
        return False
    bad = len(CID.findall(text)) * 8 + len(PRIVATE_USE.findall(text))
    return bad > 0.1 * len(text)


def _page_text(page, settings: PdfSettings) -> str:
    """Text of one page, with its ruled tables as | rows in reading order."""
    tables = []
    if page.lines or page.rects:  # only a page with ruling lines can hold a ruled table
        tables = sorted(page.find_tables(settings.table_settings or {}), key=lambda t: t.bbox[1])
    if not tables:
        return page.extract_text() or ""
    parts = []
    top = 0.0
    for t in tables:
        x0, t_top, x1, t_bottom = t.bbox
        if t_top > top:
            parts.append(page.crop((0, top, page.width, t_top)).extract_text() or "")
        parts.append("\n".join(_table_lines(t.extract())))
        top = max(top, t_bottom)
    if top < page.height:
        parts.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
    return "\n".join(p for p in parts if p)


def read_pdf(path: str | Path, settings: PdfSettings | None = None,
             ocr: IngestSettings | None = None) -> tuple[list[Page], list[str]]:
    """(pages, flags) of a PDF, or PdfError with a one-line reason.

    With `ocr` settings in mode auto, pages without a text layer are OCR'd; in mode always,
    every page is (a text layer that is known to be wrong); without them or in mode never,
    a PDF without any text layer is an error that says OCR would be needed."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    settings = settings or PdfSettings()
    mode = ocr.ocr if ocr else "never"
    pages: list[Page] = []
    unreadable, empty = [], []
    try:
        with pdfplumber.open(str(path)) as pdf:
            if not pdf.pages:
                raise PdfError("PDF has no pages")
            for number, page in enumerate(pdf.pages, start=1):
                if mode == "always":  # its text layer is not wanted: do not parse it
                    page.close()
                    pages.append(Page(number, ""))
                    empty.append(number)
                    continue
                clean = _dedupe(page, settings.dedupe_tolerance)
                text = _page_text(clean, settings)
                page.close()
                if _unreadable(text):
                    unreadable.append(number)
                    text = ""
                elif len(text.strip()) < settings.min_chars:
                    empty.append(number)
                pages.append(Page(number, text))
    except PdfError:
        raise
    except PdfminerException as e:
        raise PdfError(_pdfminer_reason(e)) from None
    except Exception as e:  # pdfminer raises many kinds on broken files
        raise PdfError(_pdfminer_reason(e)) from None
    if unreadable and len(unreadable) == len(pages):
        raise PdfError("unreadable PDF: its fonts give (cid:…) codes instead of characters on every page")
    flags: list[str] = []
    unavailable = ""
    if empty and mode != "never":
        empty, unavailable = _ocr(path, pages, empty, ocr, settings.min_chars, flags)
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


def _pdfminer_reason(e: Exception) -> str:
    cause = e.args[0] if getattr(e, "args", None) and isinstance(e.args[0], Exception) else e
    name = type(cause).__name__
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else name
    if "Password" in name or "Encrypt" in name or "password" in text.lower():
        return "encrypted PDF: a password is needed to read it"
    if "PSEOF" in name or "Syntax" in name or "EOF" in text or "startxref" in text.lower() or "xref" in text.lower():
        return f"corrupt or truncated PDF ({name}: {text[:80]})"
    return f"unreadable PDF ({name}: {text[:80]})"
