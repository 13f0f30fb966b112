"""The word lists and patterns of the quantity finder (extract/quantities.py), read once from
rules/numbers.yaml and rules/units.yaml: units, qualifier words, words that hold numeral
characters but are no number, and the patterns that find where numbers start and end."""

from __future__ import annotations

import re  # the standard module: several times faster than `regex` on these plain patterns
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_yaml
from .stages.normalize import HALFWIDTH
from .stages.numerals import NumeralTables, one_character, tables

SPACES = " \t\u3000\xa0"  # what may stand inside a numeral span and around its unit
THIN_SPACES = " \u00a0\u2009"  # the separators of 2 426 036
OPEN, CLOSE = "(", ")"  # after HALFWIDTH, （一） reads (一)
ORDINAL = "第"


@dataclass(frozen=True)
class Lexicon:
    numeral_chars: frozenset[str]
    multipliers: frozenset[str]
    units: dict[str, list[tuple[str, bool, str, float]]]  # by first character, longest first:
    # (surface, Latin, unit, factor)
    unit_map: dict[str, tuple[str, float]]
    unit_lengths: dict[str, tuple[int, ...]]  # by first character: the units' lengths, longest first
    unit_surfaces: dict[str, tuple[bool, str, float]]  # (Latin, unit, factor) of each surface
    before: dict[str, list[tuple[str, str]]]  # by their last character, longest first
    after: list[tuple[str, str]]
    after_first: frozenset[str]  # first characters of the `after` words
    inner_after: dict[str, str]  # the `after` words that may stand before a unit (20余场)
    unit_first: frozenset[str]  # what a unit or an `after` word can begin with
    reach_prefix: frozenset[str]
    some_prefix: dict[str, str]
    not_numbers: re.Pattern  # the words, or one full-width form (never in a word)
    percent_before: dict[str, str]
    percent_after: list[tuple[str, str]]
    starts: re.Pattern  # a character that can begin a number, and most spans it begins (groups 1, 2)
    percent_after_first: frozenset[str]
    percent_before_last: frozenset[str]
    over_chars: frozenset[str]  # inner_over and wildcard digits: the numeral is "over"
    one_character: dict[str, float | None]  # parse_numeral of each numeral character alone
    # what, right before a number, can change how it reads: a space (then what stands before
    # it), a line start, (, a negative sign, a qualifier or percent word's last character, 第
    marked_before: frozenset[str]
    t: NumeralTables


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    t = tables()
    y = load_yaml("numbers.yaml")
    u = load_yaml("units.yaml")
    unit_map = {k: (v["unit"], float(v.get("factor", 1))) for k, v in u["units"].items()}
    unit_map["年"] = ("年", 1.0)
    # a Latin unit must not run into more letters (T in "TOP", G in "GPS")
    units: dict[str, list[tuple[str, bool, str, float]]] = {}
    for surface in sorted(unit_map, key=len, reverse=True):
        latin = surface[-1].isascii() and surface[-1].isalpha()
        units.setdefault(surface[0], []).append((surface, latin, *unit_map[surface]))
    chars = set(t.digits) | set(t.small_units) | set(t.big_units) | set(t.wildcard)
    # 百分之 and 百分点 hold 百 but are no number: masked like the not_numbers words
    masked = list(y["not_numbers"]) + list(y["percent_before"]) + [w for w in y["percent_after"] if len(w) > 1]
    return Lexicon(
        numeral_chars=frozenset(chars),
        multipliers=frozenset(set(t.small_units) | set(t.big_units)),
        units=units,
        unit_map=unit_map,
        unit_lengths={c: tuple(sorted({len(u[0]) for u in us}, reverse=True)) for c, us in units.items()},
        unit_surfaces={u[0]: u[1:] for us in units.values() for u in us},
        before=_by_last_character(sorted(y["before"].items(), key=lambda kv: -len(kv[0]))),
        after=sorted(y["after"].items(), key=lambda kv: -len(kv[0])),
        after_first=frozenset(w[0] for w in y["after"]),
        inner_after={w: q for w, q in y["after"].items() if w in t.inner_over},
        unit_first=frozenset(units) | frozenset(w[0] for w in y["after"]),
        reach_prefix=frozenset(y["reach_prefix"]),
        some_prefix=dict(y["some_prefix"]),
        not_numbers=_not_numbers_pattern(masked),
        percent_before=dict(y["percent_before"]),
        percent_after=sorted(y["percent_after"].items(), key=lambda kv: -len(kv[0])),
        starts=_starts_pattern(chars, t),
        percent_after_first=frozenset(w[0] for w in y["percent_after"]),
        percent_before_last=frozenset(w[-1] for w in y["percent_before"]),
        over_chars=t.inner_over | t.wildcard,
        one_character=one_character(),
        marked_before=frozenset(SPACES) | {"\n", OPEN, ORDINAL} | t.negative | frozenset(w[-1] for w in y["before"])
        | frozenset(w[-1] for w in y["percent_before"]),
        t=t,
    )


def _not_numbers_pattern(words: list[str]) -> re.Pattern:
    """The words (of two characters or more) or one full-width form: one scan of a text masks the
    words and tells whether it needs `halfwidth` (which changes no character of the words, nor
    their places).  One character class first, so that re skips to the words' first characters,
    then the rest of each word after its first character, longest first."""
    assert min(map(len, words)) > 1 and not any(c.isascii() or c in HALFWIDTH for w in words for c in w)
    rests: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        rests.setdefault(w[0], []).append(re.escape(w[1:]))
    wide = re.escape("".join(sorted(HALFWIDTH)))
    after_first = "|".join(f"(?<={re.escape(c)})(?:{'|'.join(r)})" for c, r in rests.items())
    return re.compile(f"[{re.escape(''.join(rests))}{wide}](?:{after_first}|(?<=[{wide}]))")


def _by_last_character(words: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The words grouped by their last character, each group in the given order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for word, value in words:
        out.setdefault(word[-1], []).append((word, value))
    return out


def _starts_pattern(chars: set[str], t: NumeralTables) -> re.Pattern:
    """Where a number starts: one character class first (re skips to its characters, far
    faster than to an alternation's), then a point only before a digit and not after a figure
    (.5).  The groups, when one matches, end the span of most numerals, where
    quantity_spans.scan_span would stop: group 1 a plain decimal (34766, 168.52) followed by no
    comma group, decimal part, exponent, k, point word, qualifier or multiplier, nor another
    figure across spaces (2 426 036), or a run of Chinese numeral characters (一, 三千五百)
    followed by no digit, point word, qualifier or space; group 2 a decimal and its multipliers
    (213.7万, 18 万) followed by no more of a numeral.  Each lookahead also refuses what the run
    itself holds, so no shorter run matches."""
    spaces = re.escape(SPACES + THIN_SPACES)
    numeral = re.escape("".join(sorted(chars)))
    stops = re.escape("".join(sorted(t.points | t.inner_over)))
    multipliers = re.escape("".join(sorted(set(t.small_units) | set(t.big_units))))
    across = re.escape("".join(sorted(set(t.small_units) | set(t.big_units) | t.points | t.inner_over)))
    # the rest of each span after its first character, which the class has read
    figure = rf"(?<=[0-9])[0-9]*(?:\.[0-9]+)?(?![0-9,eEkK\u2009{numeral}{stops}]|\.[0-9]|[{spaces}]+[0-9{across}])"
    chinese = rf"(?<=[{numeral}])[{numeral}]*(?![0-9{numeral}{stops}{spaces}])"
    scaled = rf"(?<=[0-9])[0-9]*(?:\.[0-9]+)?[{re.escape(SPACES)}]*[{multipliers}]+(?![0-9.{numeral}{stops}{spaces}])"
    return re.compile(rf"[0-9.{numeral}](?:(?<!\.)|(?<=\.)(?=[0-9]))(?<![.0-9]\.)(?:({figure}|{chinese})|({scaled}))?")
