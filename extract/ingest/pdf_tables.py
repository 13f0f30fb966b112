"""Ruled tables of a PDF page, read from what PDFium has already parsed: the ruling lines from
the page's path objects, the cells' characters from its text page.  pdfplumber's table finder
(`TableFinder`, its "lines" strategy and settings) puts edges, intersections and cells
together on a page-like object that holds them — so no second parser reads the file: pdfminer
took longer over one table page (about 170 ms) than PDFium over sixty text pages.

Only pages with ruling lines get here (pdf_runs.rule_segments).  Each table comes back with
its vertical extent in PDF user space (y up, as PDFium gives the text lines), so that pdf.py
puts its `| cell | cell |` rows where it stands on the page.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

from .table_lines import table_lines

AXIS = 0.01  # points: a segment this close to level or plumb is a ruling line


@dataclass
class Table:
    top: float  # PDF user space, y up
    bottom: float
    lines: list[str]  # `| cell | cell |` rows


class _Page:
    """What pdfplumber's TableFinder and Table read of a page: its edges, characters and box
    (top-down coordinates, as pdfplumber's own page has them)."""

    def __init__(self, edges: list[dict], chars: list[dict], width: float, height: float):
        self.edges, self.chars, self.bbox = edges, chars, (0.0, 0.0, width, height)

    def extract_words(self, **kwargs) -> list[dict]:  # the "text" strategies' words
        from pdfplumber.utils import extract_words

        return extract_words(self.chars, **kwargs)


def page_tables(page, textpage, settings: dict | None = None, tolerance: float = 1.0) -> list[Table]:
    """The ruled tables of a PDFium page, top to bottom."""
    from pdfplumber.table import TableFinder

    left, bottom, right, top = page.get_bbox()
    flip = _Flip(left, top)
    found = TableFinder(_Page(_edges(page, flip), _chars(textpage, flip, tolerance), right - left, top - bottom),
                        settings or {}).tables
    found = sorted(found, key=lambda t: t.bbox[1])
    return [Table(top=top - t.bbox[1], bottom=top - t.bbox[3], lines=table_lines(t.extract())) for t in found]


@dataclass(frozen=True)
class _Flip:
    """PDF user space (y up) → pdfplumber's page space (y down from the page box's top)."""

    left: float
    top: float


def _edges(page, flip: _Flip) -> list[dict]:
    """Level and plumb segments of every path on the page (in form XObjects too), as edges."""
    import pypdfium2.raw as raw

    edges: list[dict] = []
    m = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()

    def walk(get, parent, n: int, outer: tuple) -> None:
        for i in range(n):
            obj = get(parent, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            raw.FPDFPageObj_GetMatrix(obj, m)
            mat = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                walk(raw.FPDFFormObj_GetObject, obj, raw.FPDFFormObj_CountObjects(obj), mat)
                continue
            paths: list[list[tuple[float, float]]] = []
            for k in range(raw.FPDFPath_CountSegments(obj)):
                seg = raw.FPDFPath_GetPathSegment(obj, k)
                raw.FPDFPathSegment_GetPoint(seg, x, y)
                point = _apply(mat, x.value, y.value)
                if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not paths:
                    paths.append([point])
                else:
                    paths[-1].append(point)
                if raw.FPDFPathSegment_GetClose(seg):
                    paths[-1].append(paths[-1][0])
            for pts in paths:
                for p, q in zip(pts, pts[1:], strict=False):
                    edge = _edge(p, q, flip)
                    if edge:
                        edges.append(edge)

    walk(raw.FPDFPage_GetObject, page.raw, raw.FPDFPage_CountObjects(page.raw), (1, 0, 0, 1, 0, 0))
    return edges


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix of `inner` applied first, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _edge(p: tuple[float, float], q: tuple[float, float], flip: _Flip) -> dict | None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= AXIS:
        orientation = "h"
    elif abs(x0 - x1) <= AXIS:
        orientation = "v"
    else:
        return None  # a slanted line or a curve's chord rules no table
    left, right = sorted((x0 - flip.left, x1 - flip.left))
    top, bottom = sorted((flip.top - y0, flip.top - y1))
    if orientation == "h":
        bottom = top
    else:
        right = left
    return {"object_type": "line_edge", "orientation": orientation, "x0": left, "x1": right, "top": top,
            "bottom": bottom, "doctop": top, "width": right - left, "height": bottom - top}


def _chars(textpage, flip: _Flip, tolerance: float) -> list[dict]:
    """The page's characters with their loose boxes (advance width, the font's height: the
    boxes pdfplumber gives), a character drawn twice at one place (fake bold) once, the
    characters PDFium put in (line breaks, spaces between words) left out."""
    import pypdfium2.raw as raw

    tp = textpage.raw
    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(textpage.count_chars()))
    r = raw.FS_RECTF()
    out: list[dict] = []
    for i, ch in enumerate(text):
        if ch in "\r\n" or raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        raw.FPDFText_GetLooseCharBox(tp, i, r)
        x0, x1 = r.left - flip.left, r.right - flip.left
        top, bottom = flip.top - r.top, flip.top - r.bottom
        if out and out[-1]["text"] == ch and abs(out[-1]["x0"] - x0) <= tolerance and abs(out[-1]["top"] - top) <= tolerance:
            continue
        out.append({"text": ch, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "upright": True,
                    "width": x1 - x0, "height": bottom - top, "size": bottom - top})
    return out
