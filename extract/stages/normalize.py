"""Normalize: turn a document's raw text into clean simplified text, keeping offsets.

Steps, in order: full-width → half-width; pinyin glosses that some sites put after
each character (發(fā)布) dropped; traditional → simplified with OpenCC; web debris
lines (breadcrumbs, posting metadata, counters, share buttons, the page's other news)
dropped and their metadata kept aside; lines that a PDF or a fixed-width export
wrapped mid-sentence joined.  `NormText.index[i]` is the offset in the original text
of normalized character i, so evidence always quotes the source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

import regex

from .. import patterns
from ..prefilter import Need, guarded, may_match, needed
from ..resources import load_yaml

# one reading or a run of them (面(mian)(mian)積): a mirror repeats the gloss of a character.
# Written to open with its bracket, a literal the engine scans for quickly (a pattern that opens
# with a repeat or a look-behind is tried at every position), and kept only after a Han
# character: the same matches as a look-behind would give
READING = r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\)"
PINYIN_GLOSS = patterns.compile(READING + f"(?:{READING})*")
HAN_CHAR = patterns.compile(r"\p{Han}")
# HTML left in a text: JSON-escaped markup (\u003cp>), entities (&nbsp; &#12290;) and tags
JSON_ESCAPE = patterns.compile(r"\\u([0-9a-fA-F]{4})|\\([\"/])")
ENTITY = patterns.compile(r"&(?:#(\d{2,6})|#x([0-9a-fA-F]{2,5})|([a-zA-Z]{2,8}));")
TAG = patterns.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,9})(?:\s[^<>]{0,400})?/?>")
BLOCK_TAGS = frozenset("p br div li tr h1 h2 h3 h4 h5 h6 table ul ol section article".split())
DEBRIS_MAX_LINE = 160
COLUMN_GAP = patterns.compile(r"\S[ \t]{3,}\S")
DIGITS = patterns.compile(r"\d+")
PAGE_NUMBER = patterns.compile(r"^(?:[-—–_\s]*\d{1,4}[-—–_\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?)$")
# 去(110)年, 今(2023)年: Taiwan's news writes the year meant in brackets after 去/今/明.  The
# brackets go (去110年 stays a year the text looks back on; 今/明 go too: the year is stated)
BRACKETED_YEAR = patterns.compile(r"([去今明])\s*\((\d{2,4})\)\s*(?=年)")
# one or two spaces: a wider gap is a column gap of a fixed-width table (年份    接待读者).  It opens
# with the space, a class the engine scans for quickly, and looks back from there: a pattern that
# opens with its look-behind is tried at every position of the text
HAN_GAP = patterns.compile(r"[ \t\u3000](?<=\p{Han}[ \t\u3000])[ \t\u3000]?(?=\p{Han})")
# full-width forms to ASCII (！…～), the ideographic space to a space: one character for one
HALFWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
FULLWIDTH_CHAR = patterns.compile("[\uff01-\uff5e\u3000]")


def halfwidth(text: str) -> str:
    """`text` with its full-width forms half-width.  Each character present replaced in one C
    pass (a report holds a dozen kinds, thousands of times): faster than a callback per match
    or `str.translate`, which looks up every character of the text.  The next kind is searched
    for from where the last one stood: every one before it is replaced already (a half-width
    form is none), and no string is made for each of the thousands of matches."""
    pos = 0
    while m := FULLWIDTH_CHAR.search(text, pos):
        ch = m.group()
        text = text.replace(ch, HALFWIDTH[ch])
        pos = m.start()
    return text


def _pinyin_glosses(text: str) -> list[tuple[int, int]]:
    """Spans of reading glosses right after a Han character."""
    han = HAN_CHAR.match
    return [m.span() for m in PINYIN_GLOSS.finditer(text) if m.start() and han(text, m.start() - 1)]
SENTENCE_END = "。！？；:：!?;…"
HEADING_START = patterns.compile(
    r"\s*(?:第[一二三四五六七八九十百]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．)）](?!\d)|[①-⑳])"
)


@dataclass
class NormText:
    text: str
    index: list[int]  # normalized offset → original offset
    original: str
    traditional: bool = False
    meta: dict[str, list[str]] = field(default_factory=dict)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.index:
            return 0, 0
        s = self.index[min(start, len(self.index) - 1)]
        e = self.index[min(max(end - 1, start), len(self.index) - 1)] + 1
        return s, e


@dataclass(frozen=True)
class DebrisRules:
    line: regex.Pattern  # one alternation each: a line is tested once, not once per pattern
    contains: regex.Pattern
    end_markers: regex.Pattern
    meta: dict[str, regex.Pattern]
    meta_needs: dict[str, Need | None]  # what each meta pattern's match needs: a text without it is not searched
    meta_gates: dict[str, re.Pattern | None]  # for a `regex`-only one, its `re` relaxed form: no match there, none at all


def start_scanned(pattern: patterns.Pattern) -> patterns.Pattern:
    """`pattern` guarded (extract/prefilter.py) when `re` has no first character to scan for
    and so tries it at every position of the text: it opens with a look-around, an optional
    part (发布时间:, a time stamp) or branches that open with groups.  One that opens with its
    words, a class or an anchor `re` scans for itself, and a guard would only slow it.  A
    pattern that ignores case is guarded as read without the flag, the guard then taking the
    flag: `re` matches a class member and a literal alike without case."""
    if not isinstance(pattern, re.Pattern):
        return pattern
    from re import _constants as c
    from re import _parser

    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001  (an unreadable pattern keeps its own scan)
        return pattern
    while items and items[0][0] is c.SUBPATTERN and items[0][1][3]:
        items = list(items[0][1][3])
    if not items:
        return pattern
    op, av = items[0]
    if op in (c.LITERAL, c.IN, c.AT) or (op is c.BRANCH and all(b and b[0][0] is c.LITERAL for b in av[1])):
        return pattern
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] > 0:
        return pattern  # one that must open with its repeated part: left as it is
    plain = re.compile(pattern.pattern, pattern.flags & ~re.I) if pattern.flags & re.I else pattern
    guard = guarded(plain)
    if guard is plain:
        return pattern  # nothing to guard with: it may match nothing, or its start cannot be told
    return guard if plain is pattern else re.compile(guard.pattern, pattern.flags)


@lru_cache(maxsize=1)
def debris_rules() -> DebrisRules:
    y = load_yaml("debris.yaml")
    prefix = r"^[\s•·\-\*【\[|｜]*"
    def alt(words: list[str], pre: str = "", flags: int = 0) -> regex.Pattern:
        return patterns.compile(pre + "(?:" + "|".join(f"(?:{p})" for p in words) + ")", flags)

    meta = {k: patterns.compile(v, regex.M) for k, v in y["meta"].items()}
    return DebrisRules(
        line=alt(y["line"], prefix, regex.I),
        contains=start_scanned(alt(y["contains"], "", regex.I)),
        end_markers=alt(y["end_markers"], prefix),
        meta={k: start_scanned(p) for k, p in meta.items()},
        meta_needs={k: needed(p) for k, p in meta.items()},
        meta_gates={k: None if isinstance(p, re.Pattern) else patterns.relaxed(p) for k, p in meta.items()},
    )


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """OpenCC t2s, one character for one (line by line, then char by char if a phrase
    rule changed a line's length), so that the offset map stays a plain list."""
    conv = _t2s()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):
        c = conv.convert(line)
        lines.append(c if len(c) == len(line) else "".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in line))
    return "\n".join(lines)


def _delete(text: str, index: Sequence[int], spans: list[tuple[int, int]]) -> tuple[str, Sequence[int]]:
    if not spans:
        return text, index
    keep_text, keep_idx, pos = [], [], 0
    for s, e in spans:
        keep_text.append(text[pos:s])
        keep_idx.extend(index[pos:s])
        pos = e
    keep_text.append(text[pos:])
    keep_idx.extend(index[pos:])
    return "".join(keep_text), keep_idx


def _substitute(text: str, index: Sequence[int], subs: list[tuple[int, int, str]]) -> tuple[str, Sequence[int]]:
    """Replace spans by (shorter) strings; each new character points at its span's start."""
    if not subs:
        return text, index
    out, idx, pos = [], [], 0
    for s, e, rep in subs:
        out.append(text[pos:s])
        idx.extend(index[pos:s])
        out.append(rep)
        idx.extend([index[s]] * len(rep))
        pos = e
    out.append(text[pos:])
    idx.extend(index[pos:])
    return "".join(out), idx


def _entity(m: regex.Match) -> str:
    import html

    try:
        rep = html.unescape(m.group())
    except ValueError:
        return m.group()
    return " " if rep in ("\xa0", "\u3000") else rep


def _unmarkup(text: str, index: Sequence[int]) -> tuple[str, Sequence[int]]:
    """Markup that a mirror left in the text: \\u003c escapes decoded, entities read, tags
    dropped (a block tag becomes a line break).  Offsets still point at the original."""
    if "\\u00" in text or '\\"' in text:
        text, index = _substitute(text, index, [(m.start(), m.end(), chr(int(m.group(1), 16)) if m.group(1) else m.group(2))
                                                for m in JSON_ESCAPE.finditer(text)])
    if "&" in text:
        text, index = _substitute(text, index, [(m.start(), m.end(), _entity(m)) for m in ENTITY.finditer(text)])
    if "<" in text:
        subs = [(m.start(), m.end(), "\n" if m.group(2).lower() in BLOCK_TAGS else "") for m in TAG.finditer(text)]
        text, index = _substitute(text, index, subs)
    return text, index


def _drop_debris(text: str, index: Sequence[int], meta: dict[str, list[str]]) -> tuple[str, Sequence[int]]:
    rules = debris_rules()

    def line_start(i: int) -> int:
        return text.rfind("\n", 0, i) + 1

    def line_len(i: int) -> int:
        end = text.find("\n", i)
        return (len(text) if end < 0 else end) - line_start(i)

    for key, pat in rules.meta.items():  # posting metadata sits on short lines
        if not may_match(rules.meta_needs[key], text):
            continue
        if (gate := rules.meta_gates[key]) is not None and gate.search(text) is None:
            continue
        for m in pat.finditer(text):
            if line_len(m.start()) < 200:
                meta.setdefault(key, []).append(m.group(1))
    flagged = {line_start(m.start()) for m in rules.contains.finditer(text)}
    spans = []
    pos = 0
    ended = False
    third = len(text) // 3
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if ended:
            spans.append((start, end))
            continue
        if len(line) > DEBRIS_MAX_LINE:  # report text, not a menu or a byline
            continue
        if start > third and rules.end_markers.match(line):
            ended = True
            spans.append((start, end))
        elif start in flagged or rules.line.match(line):
            spans.append((start, end))
    return _delete(text, index, spans)


def _join_wrapped(text: str, index: Sequence[int]) -> tuple[str, Sequence[int]]:
    """Join lines cut at a fixed width (PDF or fixed-width export) back into paragraphs.

    A line is a wrapped one when it is about as long as the document's typical full
    line and does not end a sentence; the next line is then its continuation unless
    it starts a heading.  Documents of long one-line paragraphs are left alone."""
    lines = text.split("\n")
    widths = sorted(w for w in map(len, map(str.strip, lines)) if w >= 8)
    if len(widths) < 4:
        return text, index
    typical = widths[int(len(widths) * 0.75)]
    if typical > 60 or typical < 18:  # long paragraphs, or a list of short items: nothing wrapped
        return text, index
    spans: list[tuple[int, int]] = []  # newline runs to delete
    starts = [0, *accumulate(len(ln) + 1 for ln in lines)]
    i = 0
    while i < len(lines):
        cur = lines[i].rstrip()
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines):
            break
        nxt = lines[j]
        body = cur.strip()
        if (body and len(body) >= 0.8 * typical and cur[-1] not in SENTENCE_END and not HEADING_START.match(nxt)
                and not _table_row(body, nxt.strip())):
            gap_start = starts[i] + len(cur)
            gap_end = starts[j] + (len(nxt) - len(nxt.lstrip()))
            spans.append((gap_start, gap_end))
        i = j
    # a wrapped line continues the same word, even a number cut in two (5\n8卷 is 58卷)
    return _delete(text, index, spans)


def _table_row(cur: str, nxt: str) -> bool:
    """Whether two stripped lines are rows of a table: | cells |, cells set apart by tabs, or
    columns set apart by wide gaps (1983     1.35     2.10).  Asked last, of a full line only."""
    return (cur.endswith("|") or nxt.startswith("|") or "\t" in cur or "\t" in nxt
            or bool(COLUMN_GAP.search(cur)) or bool(COLUMN_GAP.search(nxt)))


def _running_lines(text: str) -> list[tuple[int, int]]:
    """Spans of running headers, footers and page numbers in a text whose pages are
    separated by form feeds: lines at the top or bottom of a page that repeat on at
    least half of the pages (digits aside), and page-number lines (— 3 —, 第3页, 3/12).
    The first page keeps its top lines: a running header there is often the title."""
    pages, pos = [], 0
    for chunk in text.split("\f"):
        lines, lpos = [], pos
        for ln in chunk.split("\n"):
            if stripped := ln.strip():
                lines.append((lpos, lpos + len(ln), stripped))
            lpos += len(ln) + 1
        pages.append(lines)
        pos += len(chunk) + 1
    edges = [lines[:2] + lines[-2:] if len(lines) > 4 else lines for lines in pages]
    keys = [[DIGITS.sub("#", ln) for _, _, ln in edge] for edge in edges]  # digits aside
    counts: dict[str, int] = {}
    for edge_keys in keys:
        for key in set(edge_keys):
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    spans = set()
    for p, (edge, edge_keys) in enumerate(zip(edges, keys)):
        for k, ((s, e, ln), key) in enumerate(zip(edge, edge_keys)):
            repeated = len(pages) > 1 and counts[key] >= need
            if PAGE_NUMBER.match(ln) or (repeated and not (p == 0 and k < 2)):
                spans.add((s, e))
    return sorted(spans)


def normalize(original: str) -> NormText:
    text = original.replace("\r\n", "\n").replace("\r", "\n")
    # \r\n → \n shifts offsets: rebuild the index against the original string
    index: Sequence[int]
    if "\r\n" in original:
        index = [i for i, ch in enumerate(original) if not (ch == "\r" and original[i + 1 : i + 2] == "\n")]
    else:  # a list once a step deletes or replaces something: most do, and each builds one anew
        index = range(len(original))
    if "\f" in text:  # pages: their running headers and page numbers go first
        text, index = _delete(text, index, _running_lines(text))
        text = text.replace("\f", "\n")
    text, index = _unmarkup(text, index)
    text = halfwidth(text)
    spans = _pinyin_glosses(text)
    for m in BRACKETED_YEAR.finditer(text):
        keep_word = m.group(1) == "去"
        spans += [(m.end(1) if keep_word else m.start(), m.start(2)), (m.end(2), m.end())]
    text, index = _delete(text, index, sorted(spans))
    simplified = _to_simplified(text)
    traditional = simplified != text
    text = simplified
    # PDF character spacing: 接 待 读 者 is 接待读者 (Chinese puts no spaces between words)
    text, index = _delete(text, index, [(m.start(), m.end()) for m in HAN_GAP.finditer(text)])
    meta: dict[str, list[str]] = {}
    text, index = _drop_debris(text, index, meta)
    text, index = _join_wrapped(text, index)
    return NormText(text=text, index=index if isinstance(index, list) else list(index), original=original,
                    traditional=traditional, meta=meta)
