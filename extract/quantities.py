"""Quantity finder: every number in a text, with unit, qualifier and character offsets.

Numbers are found on the raw characters, never on word tokens (jieba cuts 56万余册次
into 56 / 万余册 / 次).  The public entry point is `find_quantities(text)`.
Each Quantity has a `kind` so that callers can tell counts from years, dates,
percentages, ordinals, list numbers, ranges and fractions.
"""

from __future__ import annotations

import re  # the standard module: several times faster than `regex` on these plain patterns

from .model import Quantity
from .quantity_lexicon import CLOSE, OPEN, ORDINAL, SPACES, Lexicon, lexicon
from .quantity_spans import SPACED, is_digit, scan_span, skip_spaces
from .stages.normalize import halfwidth
from .stages.numerals import GROUPED, PLAIN, parse_numeral, scaled_figure, tables

DASHES = "-—–~～至到"
RANGE_GAP = frozenset(DASHES + SPACES)  # the characters between the ends of a range

INFINITE = (float("inf"), float("-inf"))
SCIENTIFIC = re.compile(r"[0-9][eE][+\-]?[0-9]")
DOTTED = re.compile(r"[0-9]+(?:\.[0-9]+)+")
LIST_ARABIC = re.compile(r"([0-9]{1,2})[.、](?=[0-9]{4}\s*年|[0-9]{1,2}\s*[月·.日]|[^0-9])")  # 1.2020 年, 2.4·23
YEAR_DASHES = "-—–至~"
YEAR_RANGE = re.compile(rf"\s*[{re.escape(YEAR_DASHES)}]\s*(?:19|20)[0-9][0-9]")
DASHED_DATE = re.compile(r"[-/.][0-9]{1,2}[-/.][0-9]{1,2}")
DOT_DATE = re.compile(r"·([0-9]{1,2})(?![0-9])")  # 4·23 世界读书日
UNIT_HEADER_OPEN = frozenset("(（[【")  # a bare multiplier right after one is a unit header
PAIR = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])(?=[十百千万亿个场次人名]|$)")  # 两三个, 三四十
FRACTION_GAP = re.compile(r"\s*分\s*之\s*[负負]?\s*")
FRACTION_WORD = re.compile(r"分\s*之")  # what every FRACTION_GAP holds
AND_GAP = re.compile(r"\s*又\s*")
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _qualifier_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    k = start
    while k > 0 and text[k - 1] in SPACES:
        k -= 1
    if k and text[k - 1] in lex.before:  # most numbers have no qualifier word before them
        for word, q in lex.before[text[k - 1]]:
            if text.endswith(word, 0, k):
                return q, k - len(word)
    return "exact", start


def _read_unit(text: str, j: int, k: int, c: str, lex: Lexicon) -> tuple[str | None, float, int, str]:
    """Unit after the number ending at j (余/多 may stand between), and a trailing qualifier;
    k: the first character after j that is no space, c: that character ("\0" at the end)."""
    n = len(text)
    qual = ""
    if c in lex.inner_after:
        qual = lex.inner_after[c]
        k = skip_spaces(text, k + 1)
        c = text[k] if k < n else ""
    unit, factor, end = None, 1.0, (k if qual else j)
    surfaces = lex.unit_surfaces
    for length in lex.unit_lengths.get(c, ()):  # the longest unit there: one look per length
        e = k + length
        if e <= n and (found := surfaces.get(text[k:e])) is not None:
            latin, name, scale = found
            if not (latin and e < n and text[e] in ASCII_LETTERS):
                unit, factor, end = name, scale, e
                break
    k2 = end
    while k2 < n and text[k2] in SPACES:
        k2 += 1
    if k2 < n and text[k2] in lex.after_first:
        inner_over = lex.t.inner_over
        for word, q in lex.after:
            if text.startswith(word, k2) and not (word in inner_over and unit is None and qual):
                if word in inner_over and unit is not None:
                    break  # 人次多 is not a qualifier
                qual = qual or q
                end = k2 + len(word)
                break
    return unit, factor, end, qual


def _at_line_start(text: str, i: int) -> bool:
    k = i
    while k > 0 and text[k - 1] in SPACES:
        k -= 1
    return k == 0 or text[k - 1] == "\n"


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text`, in order, with value, unit, qualifier, start, end and kind."""
    lex = lexicon()
    # words that are no number, and full-width forms (normalized text has none): one scan
    masked = [m.span() for m in lex.not_numbers.finditer(text)]
    src = text
    if any(e - s == 1 for s, e in masked):  # a full-width form: the words hold none
        src = halfwidth(text)  # one character for one: the offsets hold in `text`
        masked = [m.span() for m in lex.not_numbers.finditer(src)]
    masked.append((len(src), len(src)))
    mask_start, mask_end = masked[0]
    next_mask = 1
    out: list[Quantity] = []
    next_start = lex.starts.search  # searched from where reading resumes: most starts lie inside a span
    pos = 0
    while m := next_start(src, pos):
        i = m.start()
        pos = i + 1
        while mask_end <= i:
            mask_start, mask_end = masked[next_mask]
            next_mask += 1
        if mask_start <= i:
            pos = mask_end  # inside a word that is no number (十八大): read on after it
            continue
        if m.lastindex:  # the pattern read the span to its end
            span = m.group()
            plain = m.lastindex == 1 and "0" <= span[0] <= "9"  # as PLAIN: digits, maybe a decimal part
        else:
            span = src[i : scan_span(src, i, lex)].rstrip()
            plain = PLAIN.fullmatch(span) is not None
        j = i + len(span)
        found = _read_quantity(src, i, j, span, plain, lex)
        if found is None:
            resume = j
        elif isinstance(found, list):  # a dotted chain: the last ends last
            out += found
            resume = max(j, found[-1].end)
        else:
            out.append(found)
            # after a list number, read what follows it afresh
            end = found.end
            resume = end + 1 if found.kind == "list" else (end if end > j else j)
        if resume > pos:
            pos = resume
    out = _merge_ranges(src, _merge_fractions(src, out), lex)
    if src != text:  # raw as the caller wrote it (full-width digits kept)
        for q in out:
            q.raw = text[q.start : q.start + len(q.raw)]
    return out


def _list_number(src: str, i: int, j: int, span: str, at_line_start: bool) -> Quantity | None:
    """List numbering: 1.2020 年…, 2.4·23 …, 1、…, 一、…, (2)…, （一）… at a line start."""
    if at_line_start:
        if "0" <= span[0] <= "9" and (m := LIST_ARABIC.match(src, i)):
            number = m.group(1)  # it starts at i
            return Quantity(float(number), None, "exact", i, i + len(number), number, "list")
        if not src.startswith("、", j):
            return None
    elif not (i > 0 and src[i - 1] == OPEN and _at_line_start(src, i - 1) and src.startswith(CLOSE, j)):
        return None
    value = parse_numeral(span)
    if value is None or value != int(value) or not 0 < value < 100:
        return None
    return Quantity(value, None, "exact", i, j, span, "list")


def _span_value(span: str, i: int) -> float | list[Quantity] | None:
    """The value of a numeral span that is no plain decimal, or the quantities of a dotted chain."""
    if "," in span and GROUPED.fullmatch(span):  # 647,770: what parse_numeral reads it as
        return float(span.replace(",", ""))
    scaled = scaled_figure(span)  # 213.7万, 18 万: none of the cases below
    if scaled is not None:
        return scaled
    if span.count(".") > 1 and DOTTED.fullmatch(span):
        return _dotted(span, i)
    if SCIENTIFIC.search(span):
        try:
            return float(span.replace(",", ""))
        except ValueError:
            return None
    return parse_numeral(SPACED.sub(lambda m: re.sub(r"\D", "", m.group()), span) if " " in span or "\u00a0" in span or "\u2009" in span else span)


def _read_quantity(
        src: str, i: int, j: int, span: str, plain: bool, lex: Lexicon) -> Quantity | list[Quantity] | None:
    """The quantity the numeral span src[i:j] begins (a dotted chain: a list of them; no number:
    None).  `plain`: the span is a plain decimal such as 34766 or 168.52, with no multiplier,
    qualifier or pair in it."""
    prev = src[i - 1] if i else "\n"  # the character right before the number
    # most numbers have nothing before them that changes how they read: one look tells
    marked = prev in lex.marked_before
    k0 = i
    before = prev  # what stands before the number and its spaces
    if marked:
        if prev in SPACES:
            while k0 > 0 and src[k0 - 1] in SPACES:
                k0 -= 1
            before = src[k0 - 1] if k0 else "\n"
        if (before == "\n" or prev == OPEN) and (listed := _list_number(src, i, j, span, before == "\n")):
            return listed  # a list number stands at a line start or in (2)
    if plain:
        value = float(span)  # as parse_numeral reads it
    elif len(span) == 1 and span in lex.one_character:  # 一, 三, 万
        value = lex.one_character[span]
    else:
        value = _span_value(span, i)
        if isinstance(value, list):
            return value  # 2013.2.20, 2222.2222.22222
    if value is None or value in INFINITE:
        return None  # 1e999, a run of 400 digits: no figure (and int() of it would fail)
    qual = "exact"
    if marked:
        if prev in lex.t.negative:
            value = -value
        if before in lex.before:
            qual = _qualifier_before(src, i, lex)[0]
    kind = "count"
    value_hi = None
    if not plain:
        t = lex.t
        if span[0] in lex.multipliers:
            if prev in UNIT_HEADER_OPEN:
                return None  # 馆藏总量（万册）: a column's unit, not ten thousand
            if prev in lex.reach_prefix:
                qual = "over"  # 上千人
            elif prev in lex.some_prefix:
                qual = lex.some_prefix[prev]  # 数十场, 近百
        if not lex.over_chars.isdisjoint(span):
            qual = "over"
        pair = PAIR.match(span) if len(span) > 1 and span[0] in t.digits else None
        if pair and 0 < t.digits[pair.group(2)] - t.digits[pair.group(1)] <= 2:
            rest = span[2:]
            value = parse_numeral(pair.group(1) + rest) or value
            value_hi = parse_numeral(pair.group(2) + rest)
            kind, qual = "range", "approx"
    n = len(src)
    k = j
    nxt = src[j] if j < n else "\0"
    if nxt in SPACES:  # most numbers have no space after them
        while k < n and src[k] in SPACES:
            k += 1
        nxt = src[k] if k < n else "\0"
    if nxt in lex.percent_after_first:
        for word, symbol in lex.percent_after:  # 18%, 3.5个百分点
            if nxt == word[0] and src.startswith(word, k):
                return Quantity(value, symbol, qual, i, k + len(word), src[i : k + len(word)], "percent")
    if marked and before in lex.percent_before_last:
        for word, symbol in lex.percent_before.items():  # 百分之二十, but 三百分之一 is a fraction
            s0 = k0 - len(word)
            if before == word[-1] and src.endswith(word, 0, k0) and not (s0 > 0 and (src[s0 - 1] in lex.numeral_chars or is_digit(src[s0 - 1]))):
                return Quantity(value, symbol, _qualifier_before(src, s0, lex)[0], s0, j, src[s0:j], "percent")
    if value.is_integer():
        if 1900 <= value <= 2100:
            # the first character after spaces tells whether a range or a date can follow
            if nxt == "年" or ((nxt in YEAR_DASHES or nxt.isspace()) and YEAR_RANGE.match(src, j)):
                return Quantity(value, "年", "exact", i, k + 1 if nxt == "年" else j, src[i:j], "year")
            if nxt in "-/." and (m := DASHED_DATE.match(src, j)):
                return Quantity(value, None, "exact", i, m.end(), src[i : m.end()], "date")
        elif value <= 31:
            if nxt in "月日号" and not src.startswith("月份", k):
                return Quantity(value, nxt, "exact", i, k + 1, src[i : k + 1], "date")
            if (1 <= value <= 12 and nxt == "·" and span.isdigit() and (m := DOT_DATE.match(src, j))
                    and int(m.group(1)) <= 31):
                return Quantity(value, None, "exact", i, m.end(), src[i : m.end()], "date")
    # no unit nor qualifier word can begin with most characters that follow a bare number
    unit, factor, end, after_q = _read_unit(src, j, k, nxt, lex) if nxt in lex.unit_first else (None, 1.0, j, "")
    if before == ORDINAL:
        return Quantity(value, unit, "exact", k0 - 1, end, src[k0 - 1 : end], "ordinal")
    if after_q and qual == "exact":
        qual = after_q
    elif after_q == "over" and qual in ("exact", "over"):
        qual = "over"
    value = value * factor
    if not value.is_integer():  # round(x, 10) is x for a whole x, and round costs more than the test
        value = round(value, 10)
    hi = value_hi * factor if value_hi is not None else None
    return Quantity(value, unit, qual, i, end, src[i:end], kind, hi)


def _dotted(span: str, i: int) -> list[Quantity]:
    """2013.2.20 is a date; 2222.2222.22222.222 is a chain of integers."""
    parts = span.split(".")
    if len(parts) == 3 and len(parts[0]) == 4 and 1900 <= int(parts[0]) <= 2100 and all(len(p) <= 2 for p in parts[1:]):
        return [Quantity(float(parts[0]), None, "exact", i, i + len(span), span, kind="date")]
    out, pos = [], i
    for p in parts:
        out.append(Quantity(float(p), None, "exact", pos, pos + len(p), p))
        pos += len(p) + 1
    return out


def _merge_fractions(src: str, qs: list[Quantity]) -> list[Quantity]:
    """三分之一 → 1/3; 三百五又三分之一 → 350.33."""
    if not FRACTION_WORD.search(src):
        return qs  # no gap can read 分之
    out: list[Quantity] = []
    idx = 0
    while idx < len(qs):
        q = qs[idx]
        if idx + 1 < len(qs):
            nxt = qs[idx + 1]
            gap = src[q.end : nxt.start]
            if FRACTION_GAP.fullmatch(gap) and q.value:
                frac = abs(nxt.value) / abs(q.value)
                whole = out[-1] if out and AND_GAP.fullmatch(src, out[-1].end, q.start) else None
                if whole is not None:
                    out.pop()
                    frac += whole.value
                    q = whole
                out.append(Quantity(round(frac, 12), None, "exact", q.start, nxt.end, src[q.start : nxt.end], kind="fraction"))
                idx += 2
                continue
        out.append(q)
        idx += 1
    return out


def _merge_ranges(src: str, qs: list[Quantity], lex: Lexicon) -> list[Quantity]:
    """3—5 场, 5-6册, 10-20万元: one range quantity with the unit of its upper end."""
    # a pair merges only where its lower end is the one before it (the last one kept, unless
    # merged itself: then a range, which takes no upper end): most texts have no such pair
    if not any(p.unit is None and p.kind == "count" and q.kind == "count" and p.end < q.start and src[p.end] in RANGE_GAP
               for p, q in zip(qs, qs[1:])):
        return qs
    out: list[Quantity] = []
    prev = None  # the last one kept
    for q in qs:
        if (prev is not None and prev.unit is None and prev.kind == "count" and q.kind == "count"
                and prev.end < q.start and src[prev.end] in RANGE_GAP):
            gap = src[prev.end : q.start]
            if gap.strip(SPACES) and RANGE_GAP.issuperset(gap):
                low = prev.value * _shared_scale(src, prev, q, lex)
                if low >= q.value:
                    low = prev.value
                if low < q.value:
                    prev = out[-1] = Quantity(
                        low, q.unit, "approx", prev.start, q.end, src[prev.start : q.end], "range", q.value)
                    continue
        out.append(q)
        prev = q
    return out


def _shared_scale(src: str, low: Quantity, high: Quantity, lex: Lexicon) -> float:
    """The scale the lower end of a range takes from the upper: 10-20万 → 万, 600-800GB → GB."""
    j = scan_span(src, high.start, lex)
    span = src[high.start : j].rstrip()
    number = parse_numeral(span)
    if not number:
        return 1.0
    factor = high.value / number  # the unit's factor (GB → TB)
    low_tail = _tail(low.raw.strip(), lex)
    tail = _tail(span, lex)
    if not tail.startswith(low_tail):
        return factor
    t = tables()
    for ch in tail[len(low_tail) :]:  # 三十至五十万: 十 is shared, 万 is not
        factor *= t.small_units.get(ch) or t.big_units[ch]
    return factor


def _tail(span: str, lex: Lexicon) -> str:
    """The multipliers that end a numeral span: 五十万 → 十万, 1.5万 → 万."""
    k = len(span)
    while k > 0 and span[k - 1] in lex.multipliers:
        k -= 1
    return span[k:]
