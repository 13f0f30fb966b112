"""The text of a PDF page from PDFium's text layer (pypdfium2), laid out from its geometry.

PDFium gives a page's characters in drawing order, one line per run of characters on one
baseline, with a box and a font size for each character.  From those, without asking
PDFium for more than a few boxes per line:

- lines: PDFium's line runs, those on one baseline merged (left to right) and sorted top to
  bottom, as pdfplumber lays out a page;
- fake bold: a character drawn twice at (almost) the same box — PDFium drops most such
  doubles itself; a double that it leaves (two equal characters whose boxes nearly
  coincide, or a whole line drawn twice) is dropped here, by its box, never by the string;
- running headers and footers: lines in the top or bottom band of the page (nothing but
  other band lines between them and the edge) set in a smaller font than the page's body
  text, and page numbers there (— 3 —, - 3 -, 第3页, 第3页 共12页, 3/12, Page 3): dropped on
  every page, a one-page PDF as surely as a long one.  The first page's title is body-sized
  or larger, so it stays;
- column gaps: PDFium keeps one space of a run of them; a space between two glyphs that
  stands for a gap as wide as `column_gap` spaces or more becomes as many spaces as fill it
  (measured from the space's start to the next glyph's origin, in the space's own width),
  so that a table typed with columns aligned by spaces keeps them, as its text does;
- wrapped lines: a full line (the next line's first word would not have fitted after it,
  see `join_wrapped`) that does not end a sentence, or one that does but is filled to the
  brim, followed by a line that starts at the left edge and is no heading, continues on
  that line: the two are joined (no newline; a space only between two Latin letters).  A
  row of such columns continues only on the rest of itself, never on the next row.

All of it is set by `PdfSettings`; nothing else is tuned anywhere.  The runs, their doubles
and gaps, are read from PDFium in pdf_runs.py; the rest is worked out here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

PAGE_NUMBER = re.compile(r"^(?:[-—–_~·\s]*\d{1,4}[-—–_~·\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                         r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$")
SENTENCE_END = "。！？；!?;…"  # not a colon: 如：\n19900621 runs on
HEADING_START = re.compile(r"\s*(?:第[一二三四五六七八九十百]+[章节部分篇]|[一二三四五六七八九十]+[、.．]"
                           r"|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．)）](?!\d)|[①-⑳])")

COLUMN_GAP = re.compile(r"\S {3,}\S")  # columns set apart by spaces, as normalize sees them (1983     1.35)
COLUMN_GAP_SPLIT = re.compile(r" {3,}")
FIRST_WORD = re.compile(r"[!-,.-~]+-?|.")  # what a line break cannot cut: ASCII letters, digits, signs up to a hyphen

@dataclass(frozen=True)
class PdfSettings:
    """How PDF pages are read.  Lengths are in PDF points, fractions of the page or of a font size."""

    band: float = 0.1  # top and bottom bands: this fraction of the page height …
    band_max: float = 100.0  # … but at most this many points (a tall one-page PDF has A4's margins)
    smaller_font: float = 0.92  # a band line whose font is below this × the body's size is a header/footer
    join_wraps: bool = True  # join wrapped lines (False: every line as it stands)
    wrap_margin: float = 1.5  # a line ending within this many font sizes of the block's right edge is full
    count_share: float = 0.6  # lines cut at a fixed count: this share of the full lines hold the commonest count
    fit_slack: float = 0.25  # font sizes: a next line's first word that would end this close to the edge did not fit
    indent: float = 0.8  # a line starting more than this many font sizes right of the block's left edge is indented
    dedupe_tolerance: float = 1.0  # points: two equal characters (or lines) closer than this are one (fake bold)
    space_em: float = 0.3  # a space's width in font sizes: an indent made of spaces counts as this many characters
    column_gap: int = 2  # a gap as wide as this many spaces or more is kept as that many spaces (a column gap)
    same_line: float = 0.5  # runs whose baselines differ by less than this × font size are one line
    min_chars: int = 20  # a page with fewer text characters has no text layer
    min_rule_segments: int = 8  # path segments a page needs before pdfplumber looks for ruled tables
    table_settings: dict | None = None  # pdfplumber table settings (None: its defaults)


@dataclass(slots=True)
class Line:
    """One visual line: its text, box (PDF user space, y up) and font size."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    lead: int = 0  # spaces before the text (an indent typed as spaces)
    word: float = 0.0  # the width of its first word as drawn (what would have had to fit on the line above)
    pen: float = 0.0  # where its first glyph starts (its origin: an indent, without the glyph's own ink offset)


_bottom = attrgetter("bottom")


def visual_lines(segs: list[Line], settings: PdfSettings) -> list[Line]:
    """Runs on one baseline merged left to right (a run drawn twice at the same place once),
    the lines sorted top to bottom.  A line of one run is that run itself."""
    same, tol = settings.same_line, settings.dedupe_tolerance
    groups: list[list[Line]] = []
    group: list[Line] = []
    ref = None
    for s in sorted(segs, key=_bottom, reverse=True):  # top to bottom; reverse keeps ties in order, as -bottom did
        if ref is not None and abs(ref.bottom - s.bottom) < same * max(ref.size, s.size, 1.0):
            if not any(t.text == s.text and abs(t.x0 - s.x0) <= tol for t in group):
                group.append(s)
            continue
        group, ref = [s], s
        groups.append(group)
    out = []
    em, column_gap = settings.space_em, settings.column_gap
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort(key=lambda s: s.x0)
        text = group[0].text
        for prev, s in zip(group, group[1:], strict=False):
            gap, size = s.x0 - prev.x1, max(s.size, 1.0)
            n = round(gap / (em * size))
            text += (" " * n if n >= column_gap else " " if gap > 0.3 * size else "") + s.text
        out.append(Line(text, group[0].x0, max(s.x1 for s in group), min(s.bottom for s in group),
                        max(s.top for s in group), max(s.size for s in group), group[0].lead, group[0].word,
                        group[0].pen))
    return out


def body_size(lines: list[Line]) -> float:
    """The font size that most characters of the page are set in."""
    by_size: dict[float, int] = {}  # a page has few sizes: each rounded once, not once a line
    get = by_size.get
    for ln in lines:
        by_size[ln.size] = get(ln.size, 0) + len(ln.text)
    weight: dict[float, int] = {}  # keys in the order each rounded size first stands (max: the first of a tie)
    for size, n in by_size.items():
        size = round(size, 1)
        weight[size] = weight.get(size, 0) + n
    return max(weight, key=weight.__getitem__) if weight else 0.0


def drop_running(lines: list[Line], page_box: tuple[float, float, float, float],
                 settings: PdfSettings) -> list[Line]:
    """The lines without the running header and footer lines and page numbers in the top and
    bottom bands (see the module's docstring)."""
    if not lines:
        return lines
    _, bottom, _, top = page_box
    band = min(settings.band * (top - bottom), settings.band_max)
    body = body_size(lines)

    def running(ln: Line) -> bool:
        return bool(PAGE_NUMBER.match(ln.text.strip())) or (body > 0 and ln.size < settings.smaller_font * body)

    drop = set()
    for i, ln in enumerate(lines):  # from the top, while in the band
        if ln.top < top - band:
            break
        if running(ln):
            drop.add(i)
    for i in range(len(lines) - 1, -1, -1):  # from the bottom
        ln = lines[i]
        if ln.bottom > bottom + band:
            break
        if running(ln):
            drop.add(i)
    if len(drop) == len(lines):  # a page of nothing but small print: keep it
        return lines
    return [ln for i, ln in enumerate(lines) if i not in drop]




def _gapped(text: str) -> bool:
    """Whether columns set apart by spaces stand in the text (no regex where no three spaces are)."""
    return "   " in text and COLUMN_GAP.search(text) is not None


def rest_of_row(text: str, nxt: str, gaps: tuple[bool, bool] | None = None) -> bool:
    """Whether `nxt` may continue `text` where columns set apart by spaces stand: only the
    rest of a row cut at the edge, fewer cells than the row has — never the next row, nor a
    table's first row after a line of prose.  `gaps`: whether each has a column gap, when known."""
    if not any(gaps if gaps is not None else (_gapped(text), _gapped(nxt))):
        return True
    cells = len(COLUMN_GAP_SPLIT.split(text.strip()))
    return cells >= 2 and len(COLUMN_GAP_SPLIT.split(nxt.strip())) < cells


def join_wrapped(lines: list[Line], settings: PdfSettings, frame: list[Line] | None = None) -> list[str]:
    """Line texts, each wrapped line joined with its continuation (see the module's docstring).

    A line is full when the next line's first word would not have fitted after it: by width
    (the word as wide as it is drawn on the next line, a run of ASCII letters, digits and
    signs up to a hyphen being one word, beyond the block's right edge less `fit_slack`), or
    by count (the line and the word at least as many characters as the page's full lines
    commonly hold, the line itself no more: a cut at a fixed number of characters, where
    narrow digits leave a line short of the edge).  A line with a column gap (a table's row)
    is full by width only, and continues only on the rest of its row (`rest_of_row`)."""
    if not lines or not settings.join_wraps:
        return [ln.text for ln in lines]
    frame = frame or lines  # the page's lines, when `lines` is the part of it above or below a table
    body = body_size(frame) or 10.0
    sized = [ln for ln in frame if abs(ln.size - body) < 0.5] or frame
    left = min(ln.x0 for ln in sized)
    right = max(ln.x1 for ln in sized)
    pen = min(ln.pen for ln in sized)
    em, margin, slack, indent = settings.space_em, settings.wrap_margin, settings.fit_slack, settings.indent

    def count(ln: Line) -> int:  # characters, an indent of spaces included (PDFium keeps one of them)
        return len(ln.text) + max(ln.lead, round((ln.pen - pen) / (em * ln.size)))

    edge = [count(ln) for ln in sized if ln.x1 >= right - margin * ln.size]
    most = 0  # characters of a full line (the commonest count)
    if edge:
        counts: dict[int, int] = {}
        for n in edge:
            counts[n] = counts.get(n, 0) + 1
        most = max(set(edge), key=counts.__getitem__)  # the first of a tie in the set's order, as ever
        if counts[most] < settings.count_share * len(edge):
            most = 0  # full lines of many counts: cut by width (narrow digits hold more), never by a count
    gaps = [_gapped(ln.text) for ln in lines]

    def full(ln: Line, nxt: Line, gapped: bool) -> bool:
        word = None
        width = nxt.word  # as drawn, else estimated
        if not width:
            word = FIRST_WORD.match(nxt.text).group()
            width = (len(word) * 0.55 if word.isascii() else 1.0) * nxt.size
        if ln.x1 + width >= right - slack * ln.size:
            return True
        # by count only where no column gap stands (a table's rows are as long as their columns make
        # them), and never past a full line's count: such a line was not cut at a count
        if not most or gapped:
            return False
        if word is None:
            word = FIRST_WORD.match(nxt.text).group()
        n = count(ln)
        return n <= most and n + len(word) >= most  # ≥: a space PDFium merged

    def brim(ln: Line) -> bool:  # full to the edge, or to a full line's count: even a sentence's end wraps there
        return ln.x1 >= right - 0.5 * ln.size or (bool(most) and count(ln) == most)

    out: list[str] = []
    joining = False
    last = len(lines) - 1
    for k, ln in enumerate(lines):
        text = ln.text
        if joining:
            sep = " " if out[-1][-1:].isascii() and out[-1][-1:].isalpha() and text[:1].isascii() and text[:1].isalpha() else ""
            out[-1] += sep + text
        else:
            out.append(text)
        if k == last:
            break
        nxt = lines[k + 1]
        # the cheap tests of geometry first: none of them has a side effect
        joining = bool(
            abs(ln.size - nxt.size) < 0.5
            and nxt.x0 <= left + indent * nxt.size
            and 0 < ln.bottom - nxt.top < 2.5 * ln.size  # the next line follows at the paragraph's leading
            and not text.endswith("|")
            and not HEADING_START.match(nxt.text)
            and (not (gaps[k] or gaps[k + 1]) or rest_of_row(text, nxt.text, (gaps[k], gaps[k + 1])))
            and (full(ln, nxt, gaps[k]) if text[-1] not in SENTENCE_END else brim(ln))
        )
    return out
