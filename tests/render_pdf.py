"""Render a text report as a PDF, the way Word/WPS exports look: an embedded CJK font,
a running header, a page number in the footer, lines wrapped at a fixed width measured
by the glyphs, as Word measures it (mid-word; a row of columns aligned with spaces, narrow
in a proportional font, stays one line), optional fake-bold title (the title drawn twice, slightly offset), and
statistics tables drawn with ruling lines.

This is a development tool: the test suite and `make bench` make their PDF fixtures
with it (reportlab, a dev dependency, and a TrueType CJK font from the system, e.g.
Debian's fonts-wqy-zenhei, which `make` installs).
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]
FONT_NAME = "LibstatCJK"


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """A TrueType font with Chinese glyphs, or None when the system has none."""
    for path in FONT_CANDIDATES + sorted(glob.glob("/usr/share/fonts/**/*[Zz]en[Hh]ei*.tt?", recursive=True)):
        if Path(path).exists():
            return path
    return None


@lru_cache(maxsize=1)
def _register() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_font_path()
    if path is None:
        raise RuntimeError("no CJK TrueType font found (install Debian's fonts-wqy-zenhei)")
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME


@dataclass
class Layout:
    chars_per_line: int = 34  # where lines are cut: this many ems (Chinese characters), mid-word as Word does
    wrap_by: str = "width"  # or "count": every character an em, a space too (a text hard-wrapped at a count)
    lines_per_page: int = 40
    font_size: float = 11
    header: str = ""  # running header on every page
    page_numbers: str = "— {n} —"  # footer ({n}: the page number; also - {n} -, 第{n}页 …); "" for none
    one_page: bool = False  # the whole report on one page, as tall as it needs (a one-page PDF)
    fake_bold_title: bool = False
    tables: list[list[list[str]]] = field(default_factory=list)  # drawn after the text
    encrypt_password: str | None = None


def render(text: str, out: str | Path, layout: Layout | None = None) -> Path:
    """Write `text` (paragraphs separated by newlines) as a PDF at `out`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    layout = layout or Layout()
    font = _register()
    out = Path(out)
    encrypt = None
    if layout.encrypt_password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(layout.encrypt_password, canPrint=0)
    width, height = A4
    if layout.one_page:  # as tall as the wrapped lines need, with A4's margins
        rows = sum(len(wrap(p, layout.chars_per_line, _ems(layout))) if p.strip() and p != "\f" else 0 for p in unwrap(text))
        rows += sum(2 for p in unwrap(text) if p.lstrip().startswith("|"))
        height = max(height, 150 + rows * layout.font_size * 1.9)
    c = canvas.Canvas(str(out), pagesize=(width, height), encrypt=encrypt)
    left, top, lead = 60, height - 80, layout.font_size * 1.6
    state = {"page": 1, "y": top}

    def start_page() -> None:
        c.setFont(font, 9)
        if layout.header:
            c.drawCentredString(width / 2, height - 45, layout.header)
        if layout.page_numbers:
            c.drawCentredString(width / 2, 35, layout.page_numbers.format(n=state["page"]))
        c.setFont(font, layout.font_size)
        state["y"] = top

    def new_page() -> None:
        c.showPage()
        state["page"] += 1
        start_page()

    def line(s: str, bold: bool = False) -> None:
        if state["y"] < 70:
            new_page()
        c.drawString(left, state["y"], s)
        if bold:  # fake bold: the same glyphs again, a fraction of a point to the right
            c.drawString(left + 0.4, state["y"], s)
        state["y"] -= lead

    start_page()
    first = True
    pending: list[list[str]] = []  # rows of a | table | in the text, drawn as a ruled table
    for para in unwrap(text):
        para = para if para == "\f" else para.rstrip()
        if para.lstrip().startswith("|"):
            cells = [x.strip() for x in para.strip().strip("|").split("|")]
            if any(cells):
                pending.append(cells)
            continue
        if pending:
            _table(c, pending, font, layout, state, new_page, left, width)
            pending = []
        if para == "\f":  # an explicit page break
            if not layout.one_page:
                new_page()
            continue
        if not para:
            continue
        for piece in wrap(para, layout.chars_per_line, _ems(layout)):
            line(piece, bold=layout.fake_bold_title and first)
        first = False
    if pending:
        _table(c, pending, font, layout, state, new_page, left, width)
    for table in layout.tables:
        _table(c, table, font, layout, state, new_page, left, width)
    c.save()
    return out


HEADING = re.compile(r"\s*(?:第[一二三四五六七八九十]+[章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))")


def unwrap(text: str) -> list[str]:
    """Paragraphs of a text that may itself be hard-wrapped (a PDF's text saved as .txt: most
    of its lines about equally long): a long line that does not end a sentence continues on
    the next non-empty line.  A text of paragraphs, or of short lines, is left as it is."""
    widths = sorted(len(ln.strip()) for ln in text.split("\n") if len(ln.strip()) >= 8)
    typical = widths[int(len(widths) * 0.75)] if len(widths) >= 4 else 0
    common = max(set(widths), key=widths.count) if widths else 0
    cut = sum(1 for w in widths if abs(w - common) <= 2) >= 0.4 * len(widths) and common >= 18
    if not typical or typical > 40 or not cut:  # paragraphs, or a list of short lines: nothing to unwrap
        return text.replace("\f", "\n\f\n").split("\n")
    out: list[str] = []
    joining = False
    for raw in text.replace("\f", "\n\f\n").split("\n"):
        if raw == "\f":
            out.append(raw)
            joining = False
            continue
        line = raw.strip()
        if not line:
            if not joining:
                out.append("")
            continue
        if joining and out and not HEADING.match(line) and not line.startswith("|"):
            out[-1] += line
        else:
            out.append(line)
        joining = len(line) >= 0.8 * typical and out[-1][-1] not in "。！？；：!?;:|" and not out[-1].startswith("|")
    return out


def wrap(para: str, width: float, ems=None) -> list[str]:
    """Cut a paragraph where it reaches `width` ems, as Word does with Chinese text: by the
    glyphs' widths (a Chinese character an em, a digit or a space a fraction of one, as the
    font has them; `ems` gives a character's width, else the registered font's), anywhere,
    except inside a run of digits, Latin letters and their signs (0.72, 1.5%, ISBN), which
    moves to the next line whole (a hyphen may end a line: 2022- / 04-24).  A cut at spaces drops them, as Word lets them hang in the
    margin: the next line starts at its first glyph."""
    ems = ems or _font_ems
    out = []
    while para:
        used, cut = 0.0, 0
        while cut < len(para) and used + ems(para[cut]) <= width + 1e-6:
            used += ems(para[cut])
            cut += 1
        if cut >= len(para):
            out.append(para)
            break
        back = cut
        while back > 0 and _word(para[back - 1]) and _word(para[back]) and para[back - 1] != "-":
            back -= 1
        cut = back or cut or 1
        piece, para = para[:cut], para[cut:]
        if piece.endswith(" ") or para.startswith(" "):
            piece, para = piece.rstrip(" "), para.lstrip(" ")
        out.append(piece)
    return out or [""]


def _ems(layout: Layout):
    return (lambda ch: 1.0) if layout.wrap_by == "count" else None


def _word(ch: str) -> bool:
    """A character of a run a line break does not cut: ASCII, not a space."""
    return ch.isascii() and not ch.isspace()


@lru_cache(maxsize=4096)
def _font_ems(ch: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(ch, _register(), 1.0)


def _table(c, rows: list[list[str]], font: str, layout: Layout, state: dict, new_page, left: float,
           width: float) -> None:
    """A ruled table: every cell boxed, so that pdfplumber finds it by its lines."""
    row_h = layout.font_size * 1.9
    if state["y"] - row_h * (len(rows) + 1) < 70:
        new_page()
    ncols = max(len(r) for r in rows)
    rows = [[""] * (ncols - len(r)) + list(r) for r in rows]
    # columns as wide as their longest cell (a CJK character is about one em)
    ems = [max(2, max(sum(1 if ord(ch) > 255 else 0.55 for ch in r[j]) for r in rows)) + 1 for j in range(ncols)]
    scale = min(layout.font_size, (width - 2 * left) / sum(ems))
    col_x = [left + scale * sum(ems[:j]) for j in range(ncols + 1)]
    y = state["y"] - 6
    for r in rows:
        if y - row_h < 60:
            new_page()
            y = state["y"] - 6
        for j in range(ncols):
            c.rect(col_x[j], y - row_h, col_x[j + 1] - col_x[j], row_h, stroke=1, fill=0)
            c.setFont(font, min(layout.font_size, scale))
            c.drawString(col_x[j] + 2, y - row_h + 6, r[j])
        y -= row_h
    state["y"] = y - layout.font_size * 2
