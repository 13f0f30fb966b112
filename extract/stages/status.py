"""Status, year and period of headings and clauses (rules/status.yaml): what a heading or a
sentence says of the figures under it — plan or outcome, the year they are about
(stated, relative to the report's or the posting year, a span's end), and the stretch
(a half, quarter, month, or a span)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from .. import patterns
from ..prefilter import Need, either, guarded, may_match, needed
from ..resources import load_yaml
from .alternation import branches_without
from .numerals import parse_numeral

MONTH_AT_START = patterns.compile(r"^\s*(?:(?:19|20)\d\d\s*年\s*)?(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
                            r"(?:份(?!\s*(?:以来|至今))|\s*(?:[,，:：]|期间|共|全月|当月|累计))")
YEAR_SPAN = guarded(patterns.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~至到]\s*((?:19|20)\d\d)"
                          r"|((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月[^,，。;；至到]{0,6}[至到]\s*((?:19|20)\d\d)\s*年"))
CN_YEAR = patterns.compile(r"([〇零一二三四五六七八九]{4})\s*年")
YEAR = guarded(patterns.compile(r"((?:19|20)\d\d|1[0-2]\d)\s*年(?!\s*\d+\s*[月日])|((?:19|20)\d\d)\s*[-—–~至到]\s*(?:(?:19|20)\d\d)\s*年?"))
# a match of YEAR_SPAN holds one of these (its first branch a range mark, its second 至 or 到)
YEAR_SPAN_MARKS = frozenset("-—–~至到")
YEAR_SPAN_MARK = patterns.compile(r"[-—–~至到]")
# a mark marks_in puts in every set it gives: a test whose marks could not be told (the
# rules changed) has this one alone, and passes wherever it is asked
ANY_TEXT = "\0"
NO_TEST = frozenset(ANY_TEXT)
LIST_MARK = patterns.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]+)[、.．)）]\s*|^\s*[(（](?:\d{1,2}|[一二三四五六七八九十]+)[)）]\s*")


@dataclass(frozen=True)
class StatusRules:
    plan_heading: regex.Pattern
    summary_heading: regex.Pattern
    target: regex.Pattern
    actual: regex.Pattern
    next_year: regex.Pattern
    last_year: regex.Pattern
    this_year: regex.Pattern
    now_words: regex.Pattern
    future: regex.Pattern
    year_at_start: regex.Pattern
    periods: dict[str, regex.Pattern]
    span: regex.Pattern
    span_dates: regex.Pattern
    holiday: regex.Pattern
    review: regex.Pattern
    present: regex.Pattern
    stock_metrics: frozenset[str]
    history: regex.Pattern
    comparison: regex.Pattern
    part: regex.Pattern
    part_end: regex.Pattern  # a clause after the parts that names a whole again
    part_at_start: regex.Pattern  # a part cue after the text's leading spaces (as part.match(text.lstrip()))
    # what a match needs (extract/prefilter.py): searches of whole sentences skipped when
    # the sentence lacks it
    periods_need: Need | None = None  # any of the periods
    span_dates_need: Need | None = None
    span_need: Need | None = None
    clause_year_need: Need | None = None  # a year at the start, or a relative one
    present_need: Need | None = None
    # one search for the strings of a need's cover (a match holds one of them): a scan in C
    # where `may_match` loops over them; None: no such test (the search is always made)
    plan_words: re.Pattern | None = None
    # characters a match (of what a sentence is tested for) holds one of: `marks` finds
    # those a sentence holds in one scan (marks_in), each test then a look at that set
    # (`not found.isdisjoint(…)`); NO_TEST: none could be told, the search is always made
    period_marks: frozenset[str] = NO_TEST  # a period's or MONTH_AT_START's
    period_search_marks: frozenset[str] = NO_TEST  # a period's: 半, 季 or a range mark (1-6月)
    span_dates_marks: frozenset[str] = NO_TEST  # 月季来 or a range mark (not 年, which most sentences hold)
    present_marks: frozenset[str] = NO_TEST
    part_marks: frozenset[str] = NO_TEST
    holiday_marks: frozenset[str] = NO_TEST  # a rare character of each holiday's name
    # span_dates without its branches that need 月, and what that needs: for a sentence
    # without 月 (None: the whole pattern)
    span_dates_no_month: tuple[re.Pattern, Need | None] | None = None
    relative_marks: frozenset[str] | None = None  # 年, in every relative year (明年, 去年 …)
    marks: re.Pattern | None = None


@lru_cache(maxsize=1)
def status_rules() -> StatusRules:
    y = load_yaml("status.yaml")
    c = patterns.compile
    periods = {k: c(v) for k, v in y["period"].items()}
    period_needs = [needed(p) for p in periods.values()]
    span_dates, span = c(y["span_dates"]), c(y["span"])
    next_year, last_year, now_words = c(y["next_year"]), c(y["last_year"]), c(y["now_words"])
    present = c(y["present"])
    holiday = c(y["holiday"])
    plan_heading = c(y["plan_heading"])
    part = c(y["part_cues"])
    marks = {
        # (MONTH_AT_START holds 月)
        "period_marks": NO_TEST if (pn := either(period_needs)) is None else first_chars(pn) | {"月"},
        "period_search_marks": cover_marks(pn, "半季-—–~至到") or NO_TEST,
        "span_dates_marks": cover_marks(needed(span_dates), "月季来-—–~至到") or NO_TEST,
        "present_marks": first_chars(needed(present)) or NO_TEST,
        "part_marks": first_chars(needed(part)) or NO_TEST,
        "holiday_marks": cover_marks(needed(holiday), "秋旦劳庆假暑春午清黄五") or NO_TEST,
    }
    year_at_start = c(r"^\s*" + y["year_prefix"] + r"\s*((?:19|20)\d\d|1[0-2]\d)\s*年" + r"(?=" + y["year_suffix"] + ")")
    return StatusRules(
        plan_heading=guarded(plan_heading),
        summary_heading=c(y["summary_heading"]),
        target=c(y["target_cues"]),
        actual=c(y["actual_cues"]),
        next_year=next_year,
        last_year=last_year,
        this_year=c(y["this_year"]),
        now_words=now_words,
        future=c(y["future_cues"]),
        year_at_start=year_at_start,
        periods={k: guarded(v) for k, v in periods.items()},
        span=guarded(span),
        span_dates=guarded(span_dates),
        holiday=holiday,
        review=c(y["review_words"]),
        present=present,
        stock_metrics=frozenset(y["stock_metrics"]),
        history=c(y["history_after_year"]),
        comparison=c(y["comparison_prefix"]),
        part=part,
        part_at_start=c(r"\s*+(?:" + y["part_cues"] + ")"),  # (possessive: the spaces are never given back)
        part_end=c(y["part_end"]),
        periods_need=either(period_needs),
        span_dates_need=needed(span_dates),
        span_dates_no_month=branches_without(y["span_dates"], "月"),
        span_need=needed(span),
        present_need=needed(present),
        plan_words=cover_words(needed(plan_heading)),
        **marks,
        marks=re.compile("[" + "".join(sorted({re.escape(ch) for m in (*marks.values(), YEAR_SPAN_MARKS)
                                               for ch in m - NO_TEST})) + "]"),
        clause_year_need=either([needed(p) for p in (year_at_start, next_year, last_year, now_words)]),
        relative_marks=cover_marks(either([needed(p) for p in (next_year, last_year, now_words)]), "年"),
    )


def cover_words(need: Need | None) -> re.Pattern | None:
    """A search for any string of `need`'s cover: every branch needs one, so where the
    search finds none the pattern cannot match."""
    return re.compile("|".join(re.escape(w) for w in sorted(need.first, key=len, reverse=True))) if need else None


def cover_marks(need: Need | None, marks: str) -> frozenset[str] | None:
    """The characters `marks` when every branch of `need` needs one (it needs one of a set of
    strings each holding one of them); None when they do not cover it (the rules changed)."""
    if need is None or not all(any(all(any(ch in s for ch in marks) for s in alts) for alts in conj)
                               for conj in need.branches):
        return None
    return frozenset(marks)


def first_chars(need: Need | None) -> frozenset[str] | None:
    """The first characters of `need`'s cover: a text holding none holds no string of it."""
    return frozenset(w[0] for w in need.first) if need else None


def marks_in(text: str, rules: StatusRules) -> set[str]:
    """The marks (`rules.marks`) the text holds (without marks, every character of it),
    and ANY_TEXT."""
    return {ANY_TEXT, *(rules.marks.findall(text) if rules.marks else text)}


def year_value(text: str, traditional: bool) -> int | None:
    """A 4-digit year, or a 3-digit ROC year (民国纪年, 107年 = 2018) in traditional text."""
    v = int(text)
    if 1900 <= v <= 2100:
        return v
    if traditional and 80 <= v <= 130:
        return v + 1911
    return None


@dataclass
class Context:
    doc_year: int | None
    doc_status: str  # default status of the document: target for a plan
    doc_period: str
    traditional: bool
    # the year the text was written in (a news item's posting year), when it is later
    # than the year it reports on: 去年/今年/明年 count from it
    now_year: int | None = None


def relative_year(text: str, ctx: Context, rules: StatusRules) -> int | None:
    now = ctx.now_year or ctx.doc_year
    if now is None:
        return None
    if rules.next_year.search(text):
        return now + 1
    if rules.last_year.search(text):
        return now - 1
    if ctx.now_year and rules.now_words.search(text):
        return now
    return None


def heading_context(heading: str, ctx: Context, rules: StatusRules,
                    period: str | None = None) -> tuple[str | None, int | None]:
    """Status and year a heading gives the figures under it (`period`: its period_of, when
    the caller has it)."""
    plan = ((rules.plan_words is None or rules.plan_words.search(heading) is not None)
            and rules.plan_heading.search(heading) is not None)
    summary = bool(rules.summary_heading.search(heading))
    status = "target" if plan and not summary else "actual" if summary and not plan else None
    year = None
    # (a year the heading states is one before 年: without 年, YEAR finds only a range of
    # years, whose first group is empty)
    m = YEAR.search(heading) if "年" in heading else None
    if m and m.group(1):
        year = year_value(m.group(1), ctx.traditional)
    elif "年" in heading and (cm := CN_YEAR.search(heading)):  # 二〇一六年工作要点 (a match holds 年)
        year = int(parse_numeral(cm.group(1)) or 0) or None
    if year is None and ctx.doc_year is not None:
        # (every relative year holds 年: most headings lack it)
        if (rules.relative_marks is None or not rules.relative_marks.isdisjoint(heading)) \
                and rules.next_year.search(heading):
            year, status = ctx.doc_year + 1, status or "target"  # 明年工作要点
        elif status == "target" and ctx.doc_status == "actual" and not _period(heading, rules, period):
            year = ctx.doc_year + 1  # a summary's 下一步工作打算 plans the coming year
        elif status == "actual" and ctx.doc_status == "target" and not _period(heading, rules, period):
            year = ctx.doc_year - 1  # a plan's 工作回顾 looks back on the year before
    return status, year


def _period(text: str, rules: StatusRules, known: str | None) -> str:
    return period_of(text, rules) if known is None else known


def period_of(text: str, rules: StatusRules, found: set[str] | None = None) -> str:
    """The period the text names (`found`: its marks_in, when the caller has them)."""
    if (found is None or not found.isdisjoint(rules.period_search_marks)) and may_match(rules.periods_need, text):
        for name, pat in rules.periods.items():
            if pat.search(text):
                return name
    if "月" in text and (m := MONTH_AT_START.match(text)):  # a match holds 月 (most texts lack it)
        return f"M{int(parse_numeral(m.group(1)) or 0):02d}"
    return ""


def without_list_mark(text: str) -> str:
    """The text after its item number (4、2014年全年…), if it opens with one."""
    m = LIST_MARK.match(text)  # LIST_MARK is anchored at the start: its only match is here
    return text[m.end() :] if m else text


def clause_year(text: str, ctx: Context, rules: StatusRules) -> int | None:
    return year_at_clause_start(without_list_mark(text), ctx, rules)


def year_at_clause_start(text: str, ctx: Context, rules: StatusRules, may: bool = False) -> int | None:
    """The year a clause opens with (its item number already taken off).  `may`: the caller
    knows that the text may hold one (it is a piece of a sentence that may)."""
    if not may and not may_match(rules.clause_year_need, text):  # most clauses name no year at all
        return None
    m = rules.year_at_start.match(text)
    if m:
        after = text[m.end() :]
        return None if rules.history.match(after) else year_value(m.group(1), ctx.traditional)
    head = text[:6]
    if rules.relative_marks is not None and rules.relative_marks.isdisjoint(head):
        return None  # a relative year opening the clause lies in its head, and holds 年
    h = head.lstrip()
    if rules.next_year.match(h) or rules.last_year.match(h) or ctx.now_year and rules.now_words.match(h):
        return relative_year(head, ctx, rules)
    return None


def sentence_status(cues: tuple[int, int], upto: int, sec_status: str) -> str:
    """A cue in the sentence so far (it ends before `upto`) overrides the section's status."""
    target, actual = cues[0] <= upto, cues[1] <= upto
    if sec_status == "actual" and target and not actual:
        return "target"
    if sec_status == "target" and actual and not target:
        return "actual"
    return sec_status


def clause_period(cues: list[tuple[int, str]], end: int, period: str) -> str:
    before = [kind for pos, kind in cues if pos < end]
    return before[-1] if before else cues[0][1] if cues else period


def span_end(text: str) -> int | None:
    if "年" not in text and "-" not in text and "—" not in text:
        return None
    if not YEAR_SPAN_MARK.search(text):  # a scan for one character: far cheaper than the search
        return None
    m = YEAR_SPAN.search(text)
    return int(m.group(2) or m.group(4)) if m else None
