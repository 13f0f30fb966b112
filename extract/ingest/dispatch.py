"""Ingest: a file on disk → Document (pages of raw text, sha256, encoding), or a
Document whose `error` says in one line why it could not be read.

Every format becomes the same Document, so that every later stage has one path:

- text (.txt; extract/ingest/text.py): UTF-8 (with or without BOM), UTF-16, GB18030/GBK
  or Big5, detected with charset-normalizer among those candidates; a decoding that would be
  garbage (binary data, replacement characters) is refused, never returned silently wrong;
- PDF (extract/ingest/pdf.py), pages without a text layer OCR'd (extract/ingest/ocr.py);
- saved web pages (.html, .htm; extract/ingest/html.py): the article's main text;
- Word (.docx; extract/ingest/docx.py), and .doc/.wps converted by LibreOffice first;
- images (.png, .jpg, .tif): OCR, one page per image (per TIFF frame).

Tables of every format are written into their page's text as `| cell | cell |` lines.
The readers take their settings and errors from settings.py; only this module imports them.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from pathlib import Path

from ..model import Document, Page
from .ocr import IMAGE_SUFFIXES
from .settings import IngestError, IngestSettings
from .text import decode_text

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
LEGACY_WORD_SUFFIXES = {".doc", ".wps"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | LEGACY_WORD_SUFFIXES | IMAGE_SUFFIXES


def with_tools(settings: IngestSettings) -> IngestSettings:
    """The settings with the OCR engine and LibreOffice they will find recorded, so that
    a batch's cache keys change when a tool is installed, upgraded or removed (an error
    row "no OCR engine" must not outlive the engine's installation)."""
    from .docx import soffice_cmd
    from .ocr import describe

    office = shutil.which(soffice_cmd(settings)) or "no soffice"
    return replace(settings, tools=f"{describe(settings) if settings.ocr != 'never' else 'ocr off'}; {office}")


def doc_id(path: Path, root: Path | None) -> str:
    """Path relative to the input root, without extension, with forward slashes."""
    try:
        rel = path.resolve().relative_to(root.resolve()) if root else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    except (RuntimeError, OSError):  # a symbolic link loop: named as it lies in the tree
        try:
            rel = path.absolute().relative_to(root.absolute()) if root else Path(path.name)
        except ValueError:
            rel = Path(path.name)
    return rel.with_suffix("").as_posix()


def read_document(path: str | Path, root: str | Path | None = None, settings: IngestSettings | None = None) -> Document:
    settings = settings or IngestSettings()
    path = Path(path)
    doc = Document(doc=doc_id(path, Path(root) if root else None), path=str(path))
    try:
        if not path.exists():
            raise IngestError("broken or looping symbolic link" if path.is_symlink() else "no such file")
        if not path.is_file():
            raise IngestError("not a regular file")
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise IngestError(f"file too large ({size // (1024 * 1024)} MB > {settings.max_bytes // (1024 * 1024)} MB)")
        data = path.read_bytes()
        doc.sha256 = hashlib.sha256(data).hexdigest()
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise IngestError(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})")
        if not data.strip():
            raise IngestError("empty file")
        if suffix in TEXT_SUFFIXES:
            text, enc = decode_text(data)
            if not text.strip(" \t\r\n\f\v\x00\u3000\ufeff"):
                raise IngestError("empty file (only whitespace)")
            doc.encoding = enc
            doc.pages = [Page(1, text)]
        else:
            doc.pages, doc.encoding, flags = _read_other(path, data, suffix, settings)
            doc.flags = ";".join(flags)
        if not any(p.text.strip() for p in doc.pages):
            raise IngestError("no text in the document")
    except IngestError as e:
        doc.error = str(e)
        doc.pages = []
    except OSError as e:
        doc.error = f"cannot read file: {e.strerror or e}"
        doc.pages = []
    return doc


def _read_other(path: Path, data: bytes, suffix: str, settings: IngestSettings) -> tuple[list[Page], str, list[str]]:
    """(pages, encoding, flags) of a PDF, web page, Word file or image, or IngestError."""
    if suffix in PDF_SUFFIXES:
        from .pdf import PdfError, read_pdf

        try:
            pages, flags = read_pdf(path, ocr=settings, data=data)
        except PdfError as e:
            raise IngestError(str(e)) from None
        return pages, "pdf", flags
    if suffix in HTML_SUFFIXES:
        from .html import HtmlError, read_html

        try:
            pages, enc = read_html(data)
        except HtmlError as e:
            raise IngestError(str(e)) from None
        return pages, enc, []
    if suffix in DOCX_SUFFIXES | LEGACY_WORD_SUFFIXES:
        from .docx import OLE_MAGIC, DocxError, read_docx, read_legacy_word

        try:
            if suffix in DOCX_SUFFIXES and not data.startswith(OLE_MAGIC):
                return read_docx(path), "docx", []
            kind = suffix[1:] if suffix in LEGACY_WORD_SUFFIXES else "doc"  # a .doc named .docx
            return read_legacy_word(path, settings), "docx", [f"converted_from:{kind}"]
        except DocxError as e:
            raise IngestError(str(e)) from None
    from .ocr import OcrError, engine, image_pages, recognize

    if settings.ocr == "never":
        raise IngestError("an image: its text needs OCR, which is off (--ocr never)")
    try:
        eng = engine(settings)
        pages, flags = [], ["ocr"]
        low = []
        for number, image in image_pages(path):
            read = recognize(image, eng)
            pages.append(Page(number, read.text, ocr=True))
            if read.text.strip() and read.confidence < _low_confidence():
                low.append(number)
    except OcrError as e:
        raise IngestError(f"an image: {e}") from None
    if not any(p.text.strip() for p in pages):
        raise IngestError(f"an image, and OCR read no text in its {len(pages)} page(s)")
    if low:
        flags.append("ocr_low_confidence:" + ",".join(map(str, low)))
    return pages, "ocr", flags


def _low_confidence() -> float:
    from .ocr import rules

    return rules().low_page_confidence


def iter_inputs(inputs: list[str]) -> list[tuple[Path, Path | None]]:
    """(file, root) for every file under the inputs; a missing input is kept so that
    it becomes an error row."""
    out: list[tuple[Path, Path | None]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                # a link to nowhere or to itself is kept: it becomes an error row, not a silent gap
                if (f.is_file() or (f.is_symlink() and not f.exists())) \
                        and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    out.append((f, p))
        else:
            out.append((p, p.parent if p.parent != Path("") else None))
    return out
