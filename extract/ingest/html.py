"""Saved web pages (.html, .htm) → the article's text, one paragraph per line, as one Page.

Encoding: a byte-order mark, else the charset the page declares (<meta charset>, the
http-equiv Content-Type, an XML declaration), else detection as for text files.  GB2312 and
GBK are read as GB18030, their superset: pages that declare gb2312 routinely hold GBK
characters.  A declared charset that does not decode the page is not trusted.

Main text: a readability-style score with lxml.  Each leaf block (a <p>, a <td>, a <div>
of inline text) scores by its length and its commas — prose has commas, menus do not —
and passes the score to its parent and, halved, to its grandparent; class and id words
(rules/html.yaml) weigh the containers, links lower them (a menu is all links).  The best
container is the article; siblings that score well nearby (a report split over several
divs) come with it.  Why not a general extractor such as trafilatura: on a short page it
falls back to the whole page as one paragraph, counter and menu included, and it loses
row and column spans; here every block stays a line, so headings and sentences segment as
in a text file, and normalize's debris rules still run on what remains.

Tables: a data table (cells of short text, no table inside) becomes `| cell | cell |` lines
where it stands, rowspan and colspan resolved as for PDF tables; a layout table (the frame
of an old site) is read as blocks.  The article's title, when it stands in a heading or
the <title> before the article rather than in it, is put first: it names the library and year.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Page
from ..resources import load_yaml
from .table_lines import table_lines

DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}
DROP = {"script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas", "template", "select",
        "button", "input", "textarea", "map", "video", "audio", "head", "nav", "aside", "footer"}
BLOCK = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
         "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
         "form", "center", "address", "figure", "figcaption", "hr", "caption", "body"}
PARAGRAPHS = {"p", "pre", "td", "th", "li", "div", "section", "article", "center", "blockquote", "dd"}
TAG_WEIGHT = {"div": 5, "article": 10, "section": 3, "td": 3, "pre": 3, "blockquote": 3, "form": -3, "ul": -3,
              "ol": -3, "dl": -3, "li": -3, "th": -5}
CONTAINERS = {"div", "td", "section", "article", "blockquote", "center"}
MIN_PARAGRAPH = 10  # characters: shorter blocks (menu items, dates) give no score
CELL_MAX = 100  # characters: a table with a longer cell holds prose, it is a layout table
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
COMMAS = re.compile(r"[，,。；;、]")
SPACE = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")


class HtmlError(Exception):
    """A one-line reason why a web page cannot be read."""


@dataclass(frozen=True)
class HtmlRules:
    positive: re.Pattern
    negative: re.Pattern
    strip_inside: re.Pattern
    title_separators: re.Pattern


@lru_cache(maxsize=1)
def html_rules() -> HtmlRules:
    y = load_yaml("html.yaml")
    return HtmlRules(*(re.compile(y[k], re.I) for k in ("positive", "negative", "strip_inside", "title_separators")))


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM, else the declared charset if it decodes the page, else detection."""
    from .settings import IngestError
    from .text import decode_text

    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    m = DECLARED.search(data[:8192])
    enc = ""
    if m:
        try:
            enc = codecs.lookup((m.group(1) or m.group(2)).decode("ascii").lower()).name
        except LookupError:
            enc = ""
        enc = SUPERSETS.get(enc, enc)
        if enc:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass  # the page lies about its charset (often: says gb2312, is UTF-8)
    try:
        return decode_text(data)
    except IngestError:
        if not enc:
            raise
        return data.decode(enc, errors="replace"), enc  # declared, with a few broken bytes


def read_html(data: bytes) -> tuple[list[Page], str]:
    """([page], encoding) of a saved web page, or HtmlError."""
    import lxml.etree
    import lxml.html

    text, enc = decode_html(data)
    text = XML_DECLARATION.sub("", text.replace("\x00", ""), count=1)
    if "<" not in text:
        raise HtmlError("not a web page: no HTML markup")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise HtmlError(f"unreadable web page ({e})") from None
    body = root.find("body")
    if body is None:
        body = root
    _drop(body)
    title = _title(root)
    blocks = _article(body)
    lines = _render(blocks)
    if not lines:
        raise HtmlError("web page without text")
    if title and _squeeze(title) not in _squeeze("".join(lines[:6])):
        lines.insert(0, title)
    return [Page(1, "\n".join(lines))], enc


def _squeeze(s: str) -> str:
    return SPACE.sub("", s)


def _text(el) -> str:
    return SPACE.sub(" ", el.text_content()).strip()


def _classes(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".strip()


def _drop(body) -> None:
    """Remove what is never the article: scripts, forms' widgets, navigation, hidden parts."""
    doomed = [el for el in body.iter() if not isinstance(el.tag, str)
              or el.tag in DROP or HIDDEN.search(el.get("style", "")) or el.get("hidden") is not None]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _title(root) -> str:
    """The article title: the last h1/h2 before the first paragraph of prose, else <title>
    without the site name."""
    heading = ""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("h1", "h2"):
            t = _text(el)
            if 4 <= len(t) <= 80:
                heading = t
        elif el.tag in PARAGRAPHS and _is_leaf(el) and len(COMMAS.findall(_text(el))) >= 2:
            break
    if heading:
        return heading
    t = root.find(".//title")
    if t is None:
        return ""
    parts = [p for p in html_rules().title_separators.split(_text(t)) if p]
    return parts[0] if parts and len(parts[0]) >= 4 else ""


def _is_leaf(el) -> bool:
    return not any(isinstance(c.tag, str) and c.tag in BLOCK for c in el)


def _link_density(el, text_len: int) -> float:
    if not text_len:
        return 1.0
    return min(1.0, sum(len(_text(a)) for a in el.iter("a")) / text_len)


def _article(body) -> list:
    """The elements that hold the article, in document order."""
    rules = html_rules()
    scores: dict = {}

    def initial(el) -> float:
        s = TAG_WEIGHT.get(el.tag, 0)
        names = _classes(el)
        if names and rules.negative.search(names):
            s -= 25
        if names and rules.positive.search(names):
            s += 25
        return s

    for el in body.iter(*PARAGRAPHS):
        if not _is_leaf(el):
            continue
        text = _text(el)
        if len(text) < MIN_PARAGRAPH:
            continue
        score = 1 + len(COMMAS.findall(text)) + min(len(text) / 50, 3)
        # a <p> gives its score to the block holding it; a <div> or <td> of inline text (lines
        # cut by <br>, as old sites write) may itself be that block
        targets = [el] if el.tag in CONTAINERS else []
        anc = el.getparent()
        while anc is not None and len(targets) < 3 and isinstance(anc.tag, str):
            targets.append(anc)
            anc = anc.getparent()
        for depth, target in enumerate(targets):
            if target not in scores:
                scores[target] = initial(target)
            scores[target] += score / (2 ** depth)
    if not scores:
        return [body]
    final = {el: s * (1 - _link_density(el, len(_text(el)))) for el, s in scores.items()}
    top = max(final, key=final.get)
    parent = top.getparent()
    if parent is None or top is body:
        return [top]
    keep = []
    threshold = max(10.0, final[top] * 0.2)
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top or final.get(sib, 0) >= threshold:
            keep.append(sib)
        elif sib.tag == "p":
            text = _text(sib)
            density = _link_density(sib, len(text))
            if (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0 and text[-1] in "。！？"):
                keep.append(sib)
    return keep


def _render(blocks: list) -> list[str]:
    """Lines of text: one per block element or <br>; data tables as | rows."""
    strip = html_rules().strip_inside
    out: list[str] = [""]

    def newline() -> None:
        if out[-1].strip():
            out.append("")

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            out[-1] += el.tail or ""
            return
        names = _classes(el)
        if names and strip.search(names) and len(_text(el)) < 300:
            out[-1] += el.tail or ""
            return
        if el.tag == "table" and _is_data_table(el):
            newline()
            out.extend(table_lines(_grid(el)))
            out.append("")
        elif el.tag == "br":
            out.append("")
        else:
            block = el.tag in BLOCK
            if block:
                newline()
            out[-1] += el.text or ""
            for child in el:
                walk(child)
            if block:
                newline()
        out[-1] += el.tail or ""

    for b in blocks:
        walk(b)
        newline()
    lines = []
    for ln in out:
        s = ln.strip() if ln.lstrip().startswith("| ") else SPACE.sub(_space, ln).strip()
        if s:
            lines.append(s)
    return lines


def _space(m: re.Match) -> str:
    """One space for a run of white space — except a run of spaces within one line of the
    source (no line break in it), which a browser shows as one but whose author typed it to
    set columns apart (1983     1.35     2.10): it stays as wide, as a text file keeps it."""
    run = m.group()
    if len(run) < 2 or any(ch in "\r\n\f\v" for ch in run):
        return " "
    return "".join("\t" if ch == "\t" else " " for ch in run)


def _rows(table) -> list:
    """The table's own rows (not those of a table nested inside it)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _is_data_table(table) -> bool:
    """Short cells, at least two rows of two cells, no table inside: a statistics table."""
    if any(t is not table for t in table.iter("table")):
        return False
    rows = _rows(table)
    wide = [tr for tr in rows if len([c for c in tr if c.tag in ("td", "th")]) >= 2]
    if len(wide) < 2:
        return False
    return all(len(_text(c)) <= CELL_MAX for tr in rows for c in tr if c.tag in ("td", "th"))


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 50))
    except ValueError:
        return 1


def _grid(table) -> list[list[str | None]]:
    """Cell texts on a grid; places covered by a rowspan or colspan are None."""
    grid: dict[tuple[int, int], str | None] = {}
    rows = _rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for cell in (x for x in tr if x.tag in ("td", "th")):
            while (r, c) in grid:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = _text(cell)
            c += cs
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]
