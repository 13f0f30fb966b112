"""What the PDF layout asks PDFium for, per page: its line runs and its path segments.

- runs: PDFium's text layer cut into its line runs (one per run of characters on one
  baseline, in drawing order), each with its box, font size, leading spaces, the width of
  its first word and where its first glyph starts — from the first and last characters'
  sizes and boxes and the first one's origin, a few calls a line.  A run with a space or a
  character twice in a row asks for those characters' boxes too (`_segment`): a double
  whose boxes coincide is fake bold, dropped; a space standing for a gap as wide as
  `column_gap` spaces or more becomes as many spaces (see pdf_text.py's docstring);
- rule_segments: the page's path segments (in form XObjects too), counted until there are
  enough for a ruled table (pdf_tables.py), from every object's kind read in one pass.

Both loops run in C where `_pdfium_loops` was built (pdfium_calls.loops(): the same calls
from C, the same result), else in Python here, through pdfium_calls.py (cffi on `void *`
handles); tests/test_pdfium_loops.py holds the two to the same output.  The layout of the
runs — lines, running headers, wrapped lines — is pdf_text.py's, set by its `PdfSettings`.
"""

from __future__ import annotations

import re
from itertools import repeat, starmap

from .pdf_text import FIRST_WORD, Line, PdfSettings, drop_running, visual_lines
from .pdfium_calls import address, calls, ffi, handle, loops


class _Boxes:
    """PDFium's box and origin calls on one text page, with one reused array of four doubles
    that they write into (left, right, bottom, top; an origin's x and y in the first two)."""

    def __init__(self, get, origin, tp):
        self.get, self.get_origin, self.tp = get, origin, tp
        v = ffi.new("double[4]")
        self.keep, self.refs = v, (v, v + 1, v + 2, v + 3)
        self.v = memoryview(ffi.buffer(v)).cast("d")  # the four doubles, read without cffi's indexing


UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd]")  # private-use codes, replacement characters
TWICE = re.compile(r"(.)\1", re.S)  # the same character twice in a row: perhaps fake bold
DOUBLED_AT = re.compile(r"(?=(\S)\1)")  # where one starts, overlapping ones too (aaa: twice)
# one of PDFium's line runs: its leading white space, its text (from the first to the last glyph)
LINE = re.compile(r"([^\S\r\n]*)(\S(?:[^\r\n]*\S)?)?[^\S\r\n]*(?:\r\n|\n|\r|$)")


def _text(raw, tp, n: int, textpage) -> str:
    """The page's characters, one string position per PDFium character index."""
    text = textpage.get_text_range()
    if len(text) == n:
        return text
    return "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(n))  # rare: surrogates, odd indexes


def _segment(text: str, a: int, b: int, box: _Boxes, size: float, settings: PdfSettings) -> str:
    """The text of characters a..b of a run, a doubled character PDFium left (fake bold, boxes
    that coincide) once, and a space that stands for a wide gap (PDFium keeps one space of a
    run of them) as many spaces as fill the gap: the columns of a table aligned with spaces
    stay apart, as the text they were typed in has them."""
    edits: list[tuple[int, str]] = []  # (index, what stands there instead)
    get, tp, (left, right, bottom, top), v = box.get, box.tp, box.refs, box.v
    tol = settings.dedupe_tolerance
    seen, p0, p2 = -1, 0.0, 0.0  # the last box asked for here (its left and bottom): 000 asks three, not four
    for m in DOUBLED_AT.finditer(text, a, b):  # characters i - 1 and i equal (not white space)
        i = m.start() + 1
        if seen != i - 1:
            get(tp, i - 1, left, right, bottom, top)
            p0, p2 = v[0], v[2]
        get(tp, i, left, right, bottom, top)
        q0, q2 = v[0], v[2]
        if abs(p0 - q0) <= tol and abs(p2 - q2) <= tol:
            edits.append((i, ""))
        seen, p0, p2 = i, q0, q2
    k = text.find(" ", a, b)
    if k >= 0:
        size = max(size, 1.0)
        em, column_gap, origin = settings.space_em, settings.column_gap, box.get_origin
    while k >= 0:
        if k + 1 < b and not text[k - 1].isspace() and not text[k + 1].isspace():
            # from where the space starts to where the next glyph starts: pen positions, as
            # the spaces were typed (ink boxes would add the glyphs' side bearings: 】 2012)
            get(tp, k, left, right, bottom, top)
            start, width = v[0], v[1] - v[0]  # the space's own advance, when PDFium has it
            if width < 0.15 * size:  # a space PDFium put in: the gap starts at the glyph before
                get(tp, k - 1, left, right, bottom, top)
                width, start = em * size, v[1]
            origin(tp, k + 1, left, right)
            n = round((v[0] - start) / width)
            if n >= column_gap:
                edits.append((k, " " * n))
        k = text.find(" ", k + 1, b)
    if not edits:
        return text[a:b]
    edits.sort()
    out, prev = [], a
    for i, what in edits:
        out.append(text[prev:i])
        out.append(what)
        prev = i + 1
    out.append(text[prev:b])
    return "".join(out)


def runs(textpage, settings: PdfSettings) -> tuple[list[Line], int, int]:
    """(line runs in drawing order, characters, characters without a Unicode mapping)."""
    c_loops = loops()
    if c_loops is None:
        return runs_python(textpage, settings)
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return [], 0, 0
    text = _text(raw, textpage.raw, n, textpage)
    rows, unmapped = c_loops.line_runs(address(textpage.raw), text, settings.dedupe_tolerance, settings.space_em,
                                       settings.column_gap)
    return list(starmap(Line, rows)), n, len(UNMAPPED.findall(text)) + unmapped


def runs_python(textpage, settings: PdfSettings) -> tuple[list[Line], int, int]:
    """`runs` in Python, as the C loops do it.

    A line asks PDFium for its first and last characters' font sizes and boxes, the first
    one's origin, and the box where its first word ends when that is neither; a character
    of a line with a space or a doubled character is asked for more (`_segment`)."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return [], 0, 0
    text = _text(raw, textpage.raw, n, textpage)
    c, tp = calls(), handle(textpage.raw)
    box = _Boxes(c.char_box, c.char_origin, tp)
    get_box, get_origin, (left, right, bottom, top), v = c.char_box, c.char_origin, box.refs, box.v
    size_of, map_error = c.font_size, c.map_error
    unmapped = len(UNMAPPED.findall(text))
    out: list[Line] = []
    spaced = " " in text
    # where a character stands twice in a row (fake bold, or the zeros of 2000): few on a page,
    # found in one pass over it; a pair lies within one line, as lines end in white space
    doubles = [j for j in (m.start() for m in TWICE.finditer(text)) if not text[j].isspace()]
    d, nd = 0, len(doubles)
    word_of = FIRST_WORD.match
    for m in LINE.finditer(text):
        a, b = m.span(2)
        if a < 0:  # a line of nothing but white space
            continue
        if map_error(tp, a):  # a font without a Unicode map: its codes are not characters
            unmapped += sum(1 for i in range(a, b) if map_error(tp, i))
        z = b - 1  # its last character
        size = size_of(tp, a)
        if z > a:
            s = size_of(tp, z)
            size = s if s > size else size  # max(), without the call
        while d < nd and doubles[d] < a:
            d += 1
        if (d < nd and doubles[d] < z) or (spaced and text.find(" ", a, b) >= 0):
            seg = _segment(text, a, b, box, size, settings)
        else:
            seg = text[a:b]
        get_box(tp, a, left, right, bottom, top)
        x0, x0_right, y0, t0 = v.tolist()
        if z > a:
            get_box(tp, z, left, right, bottom, top)
            _, x1, y1, t1 = v.tolist()
            # the first word's last character: a character past ASCII is a word of its own
            end = a if text[a] > "~" else min(word_of(text, a).end(), b) - 1
            if end == a:
                word = x0_right - x0
            elif end == z:
                word = x1 - x0
            else:
                get_box(tp, end, left, right, bottom, top)
                word = v[1] - x0
            if y1 < y0:  # min() and max() of the two, without the calls
                y0 = y1
            if t1 > t0:
                t0 = t1
        else:
            x1, word = x0_right, x0_right - x0
        get_origin(tp, a, left, right)
        out.append(Line(seg, x0, x1, y0, t0, size, a - m.start(), word, v[0]))
    return out, n, unmapped


def page_lines(textpage, page_box: tuple[float, float, float, float],
               settings: PdfSettings) -> tuple[list[Line], int, int]:
    """(visual lines without running headers/footers, characters, unmapped characters) of a page."""
    segs, n, unmapped = runs(textpage, settings)
    return drop_running(visual_lines(segs, settings), page_box, settings), n, unmapped


def rule_segments(page, enough: int) -> int:
    """Path segments on the page (in form XObjects too), counted up to `enough`: ruling
    lines and boxes — a page without them holds no ruled table."""
    c_loops = loops()
    if c_loops is None:
        return rule_segments_python(page, enough)
    return c_loops.rule_segments(address(page.raw), enough)


def rule_segments_python(page, enough: int) -> int:
    """`rule_segments` in Python, as the C loops do it."""
    c = calls()
    kind_of, segments, path, form = c.object_type, c.path_segments, c.PATH, c.FORM

    def count(get, parent, n: int, total: int) -> int:
        # every object's kind in one go (map: no Python loop per object); most pages hold
        # nothing but text objects, and are done with after this
        kinds = list(map(kind_of, map(get, repeat(parent, n), range(n))))
        if path not in kinds and form not in kinds:
            return total
        for i, kind in enumerate(kinds):
            if kind == path:
                total += max(segments(get(parent, i)), 1)
                if total >= enough:
                    break
            elif kind == form:
                obj = get(parent, i)
                total = count(c.form_object, obj, c.form_count(obj), total)
        return total

    raw_page = handle(page.raw)
    return count(c.get_object, raw_page, c.count_objects(raw_page), 0)
