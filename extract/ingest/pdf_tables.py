"""Ruled tables of a PDF page, by pdfplumber — opened only for files that have a page with
ruling lines (pdf_text.rule_segments), once per file, and only those pages parsed.

Each table comes back with its vertical extent in PDF user space (y up, as PDFium gives
the text lines), so that pdf.py puts its `| cell | cell |` rows where it stands on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .table_lines import table_lines


@dataclass
class Table:
    top: float  # PDF user space, y up
    bottom: float
    lines: list[str]  # `| cell | cell |` rows


class PdfTables:
    """pdfplumber on one file, opened at the first page that asks for tables."""

    def __init__(self, path: str | Path, settings: dict | None = None, dedupe_tolerance: float = 1.0):
        self.path = str(path)
        self.settings = settings or {}
        self.tolerance = dedupe_tolerance
        self._pdf = None

    def tables(self, index: int) -> list[Table]:
        """The ruled tables of page `index` (0-based), top to bottom."""
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(self.path)
        page = self._pdf.pages[index]
        try:
            clean = page.dedupe_chars(tolerance=self.tolerance)  # fake-bold cells read once
            found = sorted(clean.find_tables(self.settings), key=lambda t: t.bbox[1])
            height = float(page.height)
            return [Table(top=height - t.bbox[1], bottom=height - t.bbox[3], lines=table_lines(t.extract()))
                    for t in found]
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
