"""Attribution rules: the words (rules/attribution.yaml) and text shapes by which a report
says its library, year, type and period, and the report's heading lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from .. import patterns
from ..resources import load_yaml
from .normalize import start_scanned  # re's scan for where a match may start

LIB = "图书馆"
# opening with its look-behind, it is guarded: searched over whole texts (start_scanned)
YEAR_ANY = start_scanned(patterns.compile(r"(?<![\d.])((?:19|20)\d\d|1[0-2]\d)\s*年"))
CN_YEAR = patterns.compile(r"([〇零一二三四五六七八九]{4})年")
NAME_CHARS = r"\p{Han}*＊×□○Xx"  # what a place name before 图书馆 is written in (＊, □: masked)
CORE_SUFFIX = patterns.compile(r"(?:省|市|县|区|州|市立|县立)?图书馆$")
TITLE_MONTH = start_scanned(patterns.compile(r"(?<![\d.\-])(1[0-2]|[1-9])\s*月(?:份)?(?![\d日号均])"))
# a bare 县图书馆 / 市图书馆: not after another character of a name (全市图书馆, 过市图书馆)
BARE_NAME = start_scanned(patterns.compile(r"(?:(?<!\p{Han})|(?<=[从到在据和与]))([县市区])图书馆"))
_TITLE_WORD = patterns.compile(r"总结|年报|年度报告|计划|要点|报表|统计表")
SPAN_START = patterns.compile(r"\s*[—–\-~至到]\s*(?:19|20)\d\d")
COMPARISON = patterns.compile(r"(?:较|比|同比|相比|与)\s*$")
SENTENCE_END = patterns.compile(r"[。！!？?；;\n]")


@dataclass(frozen=True)
class AttributionRules:
    stop: frozenset[str]
    # the last character that cannot be in a name (a stop character, or none of NAME_CHARS)
    # before where the match ends: the name's run starts after it
    name_break: regex.Pattern
    generic: regex.Pattern
    masked: regex.Pattern
    place_suffix: regex.Pattern
    name_infix: regex.Pattern
    doc_type: dict[str, regex.Pattern]
    posting_line: regex.Pattern
    event_year: regex.Pattern
    year_report: regex.Pattern
    span_caption: regex.Pattern
    opening_date: regex.Pattern
    elapsed: regex.Pattern
    zone: regex.Pattern
    history_after: regex.Pattern
    history_before: regex.Pattern
    award_year: regex.Pattern
    future_before: regex.Pattern
    future_after: regex.Pattern
    dateline: regex.Pattern
    release_months: int


def _in_class(ch: str) -> str:
    """A character as a member of a character class."""
    return "\\" + ch if ch in "\\]^-[" else ch


@lru_cache(maxsize=1)
def attribution_rules() -> AttributionRules:
    y = load_yaml("attribution.yaml")
    return AttributionRules(
        stop=frozenset(y["name_stop_chars"]),
        # matched from the end back (the greedy .* gives back one character at a time): one
        # pass over the window, where a search for the run from its start tries every start
        name_break=patterns.compile("(?s:.*)(?:[" + "".join(map(_in_class, sorted(y["name_stop_chars"]))) + "]|[^"
                                    + NAME_CHARS + "])"),
        generic=patterns.compile(y["generic_names"]),
        masked=start_scanned(patterns.compile(y["masked"])),
        place_suffix=patterns.compile(y["place_suffix"]),
        name_infix=patterns.compile(y["name_infix"]),
        doc_type={k: start_scanned(patterns.compile(v)) for k, v in y["doc_type"].items()},
        posting_line=start_scanned(patterns.compile(y["posting_line"])),
        event_year=patterns.compile(y["event_year"]),
        year_report=patterns.compile(y["year_report"]),
        span_caption=patterns.compile(y["span_caption"], regex.M),
        opening_date=patterns.compile(y["opening_date"]),
        elapsed=patterns.compile(y["elapsed"]),

        zone=patterns.compile(y["zone"]),
        history_after=patterns.compile(y["history_year"]["after"]),
        history_before=patterns.compile(y["history_year"]["before"]),
        award_year=patterns.compile(y["award_year"]),
        future_before=patterns.compile(y["future_year_before"]),
        future_after=patterns.compile(y["future_year_after"]),
        dateline=start_scanned(patterns.compile(y["dateline"])),
        release_months=int(y["dateline_release_months"]),
    )


def title_lines(text: str, n: int = 5) -> list[str]:
    """The report's heading lines: the short lines before the body starts.  The body starts
    at the first sentence (a line with 。 or over 60 characters), or at the posting line that
    follows a heading (a photo caption under it is no title)."""
    rules = attribution_rules()
    out: list[str] = []
    for ln in map(str.strip, _lines(text)):
        if not ln:
            continue
        if len(ln) > 60 or "。" in ln:
            # a heading the normalizer joined to the first sentence (…工作总结上半年共接待…。)
            if not out and len(ln) <= 60 and _TITLE_WORD.search(ln.split("。")[0]):
                out.append(ln)
            break
        if rules.posting_line.search(ln):
            if out:
                break
            continue
        out.append(ln)
        if len(out) >= n:
            break
    return out


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, read as they are asked for: the title is in the first few, and
    a report is thousands of lines long."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]
