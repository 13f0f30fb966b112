"""Where a numeral span ends: the span scanner of the quantity finder (extract/quantities.py),
for the spans its start pattern does not read to their end (quantity_lexicon._starts_pattern):
Arabic runs with 1,234 groups, 2 426 036 groups, decimals and dotted chains, Chinese numerals,
and the two mixed (7万 5千 4百, 1.5 万), spaces inside."""

from __future__ import annotations

import re  # the standard module: several times faster than `regex` on these plain patterns

from .quantity_lexicon import SPACES, THIN_SPACES, Lexicon

ARABIC = re.compile(r"[0-9]+(?:,[0-9]{3}(?![0-9])|\.[0-9]+)*")  # 1,234.5 and dotted chains 2013.2.20
# thousands set apart by single spaces, as yearbooks print them: 2 426 036册
SPACED = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u2009][0-9]{3}(?![0-9]))+(?![.,][0-9])")
EXPONENT = re.compile(r"[eE][+\-]?[0-9]+")


def is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in SPACES:
        i += 1
    return i


def _arabic_end(text: str, i: int) -> int:
    """End of an Arabic run starting at i: digits, 1,234 groups, 2 426 036 groups, decimals,
    dotted chains."""
    m = ARABIC.match(text, i)
    e = m.end() if m else i
    # SPACED can only match where ARABIC stops at a separator after one to three digits
    if e - i <= 3 and e < len(text) and text[e] in THIN_SPACES and not _after_figure(text, i) and (
            m := SPACED.match(text, i)):
        return m.end()
    return e


def _after_figure(text: str, i: int) -> bool:
    """i continues a figure (a digit, a decimal point or a 1,234 comma before it)."""
    before = text[max(0, i - 2) : i]
    return before[-1:].isdigit() or before[-1:] == "." or (before[-1:] == "," and before[:1].isdigit())


def scan_span(text: str, i: int, lex: Lexicon) -> int:
    """End of the numeral span starting at i (Arabic, Chinese or mixed, spaces inside)."""
    t = lex.t
    numeral_chars, multipliers = lex.numeral_chars, lex.multipliers
    n = len(text)
    j = i
    last = ""  # "ar" | "ch" | "unit"
    while j < n:
        c = text[j]
        if "0" <= c <= "9" or (c == "." and j == i and j + 1 < n and "0" <= text[j + 1] <= "9"):
            j = _arabic_end(text, j + (c == "."))
            if j < n and text[j] in "eE" and (m := EXPONENT.match(text, j)):
                j = m.end()
            if j < n and text[j] in "kK" and not (j + 1 < n and text[j + 1].isalpha() and text[j + 1].isascii()):
                j += 1
            last = "ar"
        elif c in numeral_chars:
            last = "unit" if c in multipliers else "ch"
            j += 1
        elif c in t.points:
            k = skip_spaces(text, j + 1)
            if k < n and (text[k] in t.digits or is_digit(text[k])) and last:
                j = k
            else:
                break
        elif c in t.inner_over and last:
            k = skip_spaces(text, j + 1)
            if k < n and text[k] in t.big_units:
                j = k
            else:
                break
        elif c in SPACES and last:
            k = skip_spaces(text, j)
            if k < n and text[k] in numeral_chars and (last != "ar" or text[k] in multipliers or last == "ch"):
                j = k
            elif k < n and text[k] in t.points:
                j = k
            elif k < n and text[k] in t.inner_over and k + 1 < n and skip_spaces(text, k + 1) < n and text[skip_spaces(text, k + 1)] in t.big_units:
                j = k
            elif last == "unit" and k < n and is_digit(text[k]):
                e = _arabic_end(text, k)
                if e < n and text[e] in t.small_units:  # 7万 5千 4百
                    j = k
                else:
                    break
            else:
                break
        else:
            break
    return j
