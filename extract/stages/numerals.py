"""Numeral reading: the value of one numeral span such as 一千零五, 5万4千6百, 1,100.9亿.

The span has already been cut out of the text by `extract.quantities`; this module
only turns it into a number.  Tables of digits and multipliers come from
rules/numbers.yaml.  cn2an does the same job for clean spans, but raises or misreads
on spans that reports are full of (1,200万, 三万余, 两三个); reading them here keeps one
behaviour for all of them, and the test suite checks agreement with cn2an where
cn2an is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import load_yaml


@dataclass(frozen=True)
class NumeralTables:
    digits: dict[str, int]
    small_units: dict[str, int]
    big_units: dict[str, int]
    wildcard: frozenset[str]
    points: frozenset[str]
    negative: frozenset[str]
    inner_over: frozenset[str]


@lru_cache(maxsize=1)
def tables() -> NumeralTables:
    y = load_yaml("numbers.yaml")
    return NumeralTables(
        digits=dict(y["digits"]),
        small_units=dict(y["small_units"]),
        big_units=dict(y["big_units"]),
        wildcard=frozenset(y["wildcard_digits"]),
        points=frozenset(y["decimal_points"]),
        negative=frozenset(y["negative_signs"]),
        inner_over=frozenset(y["inner_over"]),
    )


PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# one run of digits, commas and one decimal point: tokenize reads it as one number, the
# digits without the commas (1,234.5; 647,770)
GROUPED = re.compile(r"[0-9][0-9,]*(?:\.[0-9,]*)?")

# token kinds: ("num", value, is_arabic) ("small", mult) ("big", mult) ("zero",) ("point",)
Token = tuple


def tokenize(span: str) -> list[Token] | None:
    """Split a numeral span into tokens; None when it holds something else."""
    token_of = _character_tokens()
    out: list[Token] = []
    i, n = 0, len(span)
    while i < n:
        ch = span[i]
        if ch.isspace():
            i += 1
            continue
        if "0" <= ch <= "9" or (ch == "." and i + 1 < n and "0" <= span[i + 1] <= "9"):
            j = i
            while j < n and ("0" <= span[j] <= "9" or span[j] in ".,"):
                j += 1
            text = span[i:j].replace(",", "")
            if text.count(".") > 1:
                return None
            if text.startswith("."):
                text = "0" + text
            out.append(("num", float(text), True))
            i = j
            continue
        tok = token_of.get(ch)
        if tok is None:
            return None
        if tok:  # () for 余 in 十余万: the qualifier is read by the caller
            out.append(tok)
        i += 1
    return out


@lru_cache(maxsize=1)
def _character_tokens() -> dict[str, Token]:
    """The token of each numeral character, () for one that is skipped."""
    t = tables()
    out: dict[str, Token] = {}
    for ch in [*t.digits, *t.small_units, *t.big_units, *t.wildcard, *t.points, *t.inner_over, "k", "K"]:
        if ch in t.digits:  # the first table that holds a character decides
            v = t.digits[ch]
            out[ch] = ("zero",) if v == 0 and ch in "零" else ("num", float(v), False)
        elif ch in t.small_units:
            out[ch] = ("small", t.small_units[ch])
        elif ch in t.big_units:
            out[ch] = ("big", t.big_units[ch])
        elif ch in t.wildcard:
            out[ch] = ("num", 0.0, False)
        elif ch in t.points:
            out[ch] = ("point",)
        elif ch in t.inner_over:
            out[ch] = ()
        else:
            out[ch] = ("big", 1000)
    return out


def _digit_string(tokens: list[Token]) -> float | None:
    """二〇一六 → 2016: several bare Chinese digits with no multiplier."""
    if len(tokens) < 2 or any(tok[0] not in ("num", "zero") for tok in tokens):
        return None
    if any(tok[0] == "num" and tok[2] for tok in tokens):
        return None
    return float("".join("0" if tok[0] == "zero" else str(int(tok[1])) for tok in tokens))


def _below_wan(tokens: list[Token]) -> float:
    """Value of a section without 万/亿: 四千零五, 一千三 (=1300), 百三 (=130)."""
    acc = 0.0
    cur: float | None = None
    cur_chinese_single = False
    last_unit = 0
    after_zero = False
    for tok in tokens:
        kind = tok[0]
        if kind == "num":
            cur = tok[1]
            cur_chinese_single = not tok[2]
        elif kind == "zero":
            after_zero = True
            if cur is not None:
                acc += cur
                cur = None
        elif kind == "small":
            if cur is None and 0 < last_unit < tok[1]:
                acc *= tok[1]  # 五十千 → 50 × 1000
            else:
                acc += (cur if cur is not None else 1) * tok[1]
            last_unit = tok[1]
            cur = None
            after_zero = False
    if cur is not None:
        if cur_chinese_single and last_unit >= 100 and not after_zero:
            acc += cur * last_unit / 10  # 一千三 → 1300, 百三 → 130
        else:
            acc += cur
    return acc


def _value(tokens: list[Token]) -> float:
    """Split at the largest multiplier present and recurse: left × mult + right."""
    bigs = [i for i, tok in enumerate(tokens) if tok[0] == "big"]
    if not bigs:
        return _below_wan(tokens)
    top = max(tokens[i][1] for i in bigs)
    # the last occurrence of the top multiplier splits the span (10万万 = (10万)万)
    idx = max(i for i in bigs if tokens[i][1] == top)
    left, right = tokens[:idx], tokens[idx + 1 :]
    left_value = _value(left) if left else 1.0
    if not left and idx > 0:
        left_value = 1.0
    value = left_value * top
    if right:
        # 九十二万四 → 4 is 4千: a lone Chinese digit right after the multiplier
        if len(right) == 1 and right[0][0] == "num" and not right[0][2]:
            return value + right[0][1] * top / 10
        return value + _value(right[1:] if right[0][0] == "zero" else right)
    return value


def parse_numeral(span: str) -> float | None:
    """Read a numeral span; None when the span is not a well-formed number."""
    span = span.strip()
    if not span:
        return None
    if PLAIN.fullmatch(span):  # most spans in a report: 34766, 168.52
        return float(span)
    if len(span) == 1:  # most others: 一、, 三篇, 万
        one = one_character()
        if span in one:
            return one[span]
    if "," in span and GROUPED.fullmatch(span):  # as _read reads it: 0 + the figure
        return float(span.replace(",", ""))
    scaled = scaled_figure(span)
    return _read(span) if scaled is None else scaled


def scaled_figure(span: str) -> float | None:
    """213.7万, 18 万, 20余万, 5千: a figure times one multiplier, the reports' most common span
    after plain figures and single characters, read as `_read` reads it (the same float: the
    figure times the multiplier, plus 0); None for any other span."""
    m = _scaled_pattern().fullmatch(span)
    return float(m.group(1)) * _multipliers()[m.group(2)] if m else None


@lru_cache(maxsize=1)
def _multipliers() -> dict[str, int]:
    """The multiplier of each small or big unit (十, 千, 万, 亿 …) that tokenize reads as one."""
    t, token_of = tables(), _character_tokens()
    return {c: token_of[c][1] for c in (*t.small_units, *t.big_units) if token_of[c][0] in ("small", "big")}


@lru_cache(maxsize=1)
def _scaled_pattern() -> re.Pattern:
    spaces = "[ \t\u3000\xa0]*"  # skipped by tokenize
    over = re.escape("".join(sorted(tables().inner_over)))  # tokenize skips them too
    units = re.escape("".join(sorted(_multipliers())))
    return re.compile(rf"([0-9]+(?:\.[0-9]+)?){spaces}(?:[{over}]{spaces})?([{units}])")


@lru_cache(maxsize=1)
def one_character() -> dict[str, float | None]:
    """Each numeral character alone, read once by the general reader."""
    t = tables()
    return {c: _read(c) for c in (*t.digits, *t.small_units, *t.big_units, *t.wildcard, *t.points)}


def _read(span: str) -> float | None:
    """parse_numeral on a stripped span that is not a plain decimal."""
    t = tables()
    sign = 1.0
    if span[0] in t.negative or span[0] in "-－":
        sign = -1.0
        span = span[1:]
    tokens = tokenize(span)
    if not tokens:
        return None
    # decimal part: 十五点七, 两千万点五五四四, 四百 点 五
    frac = 0.0
    for i, tok in enumerate(tokens):
        if tok[0] == "point":
            digits = tokens[i + 1 :]
            if not digits or any(d[0] not in ("num", "zero") or (d[0] == "num" and d[2]) for d in digits):
                return None
            text = "".join("0" if d[0] == "zero" else str(int(d[1])) for d in digits)
            frac = float("0." + text)
            tokens = tokens[:i]
            break
    if not tokens:
        return None
    ds = _digit_string(tokens)
    if ds is not None:
        return sign * (ds + frac)
    if tokens[0][0] == "zero" and len(tokens) > 1:
        tokens = tokens[1:]  # 零十 → 十
    if all(tok[0] == "zero" for tok in tokens):
        return sign * frac
    return sign * (_value(tokens) + frac)
