"""The year a report is about, and the year it was written in.

The year comes from the title, else the most frequent year the body talks about
(comparisons such as 较2016年 and history such as 成立于1976年 left out, ties to the year
that dates figures, then the latest), else a table's span, an opening date plus the time
since it, or the posting date.  Nothing is guessed: no year in the text, no year.
"""

from __future__ import annotations

from collections import Counter

import regex

from .attribution_rules import CN_YEAR, COMPARISON, SENTENCE_END, SPAN_START, YEAR_ANY, attribution_rules, title_lines
from .normalize import NormText
from .status import status_rules, year_value


def _history(text: str, m: regex.Match) -> bool:
    """A year that dates the library's history or a future step, not the report (建于1984年)."""
    rules = attribution_rules()
    return bool(rules.history_after.search(text[m.end() : m.end() + 16])
                or rules.history_before.search(text[max(0, m.start() - 4) : m.start()]))


def find_year(nt: NormText, titles: list[str] | None = None) -> int | None:
    """The title's year, else the year the body talks about most (comparisons such as
    较2016年 and history such as 成立于1976年 left out, ties to the latest), else the posting
    date's.  No year in the text, no year.  `titles`: the text's `title_lines`, if read already."""
    rules = attribution_rules()
    titles = title_lines(nt.text) if titles is None else titles
    for line in titles:
        for m in YEAR_ANY.finditer(line):
            if SPAN_START.match(line, m.end()):  # 2001年至2012年: the span's end dates it
                continue
            if not _history(line, m) and (y := year_value(m.group(1), nt.traditional)):
                # 开启2022年“世界读书日”活动 dates an event; the year report it brings out
                # (2021年度阅读报告) is what the figures are about
                if rules.event_year.search(line[m.end() : m.end() + 12]):
                    for r in rules.year_report.finditer(nt.text):
                        if (ry := year_value(r.group(1), nt.traditional)) and ry == y - 1:
                            return ry
                return y
        m = CN_YEAR.search(line)
        if m:
            from .numerals import parse_numeral

            v = parse_numeral(m.group(1))
            if v and 1900 <= v <= 2100:
                return int(v)
    year = _body_year(nt, titles)
    if year is not None:
        return year
    # a table over years (表7-1 1951—2017借阅情况表) is dated by the year it ends in
    ends = [int(m.group(1)) for m in rules.span_caption.finditer(nt.text)]
    if ends:
        return max(ends)
    if (since := _year_since_opening(nt.text)) is not None:
        return since
    if _speaks_of_future(nt.text):
        return None  # a plan's posting date is when it was written, not its year
    return posted_year(nt)


POSTED_KEYS = ("posted", "posted_bare", "posted_stamp", "posted_byline")  # rules/debris.yaml's meta


def posted_year(nt: NormText) -> int | None:
    """The year of the text's posting date (发布时间, a time stamp, a byline), if it has one."""
    for key in POSTED_KEYS:
        if nt.meta.get(key):
            y = int(nt.meta[key][0])
            return y + 2000 if y < 100 else y  # 17-08-16 08:32
    return None


def _year_since_opening(text: str) -> int | None:
    """自2024年4月23日开馆以来 … 开馆400多天: the opening date plus the time since it."""
    import datetime as dt

    from .numerals import parse_numeral

    rules = attribution_rules()
    opened, since = rules.opening_date.search(text), rules.elapsed.search(text)
    if not opened or not since:
        return None
    month = 1 if opened.group(4) else int(opened.group(2))
    day = int(opened.group(3) or 1)
    try:
        start = dt.date(int(opened.group(1)), month, day)
    except ValueError:
        return None
    n = int(since.group(1)) if since.group(1).isdigit() else int(parse_numeral(since.group(1)) or 0)
    unit = since.group(2)
    days = n if unit in ("天", "日") else n * 30 if unit == "个月" else n * 365
    return (start + dt.timedelta(days=days)).year


def _sentence(text: str, m: regex.Match) -> str:
    """The sentence a year stands in, the year itself left out."""
    start = max((e.end() for e in SENTENCE_END.finditer(text, max(0, m.start() - 200), m.start())), default=max(0, m.start() - 200))
    end_m = SENTENCE_END.search(text, m.end())
    return text[start : m.start()] + text[m.end() : end_m.start() if end_m else len(text)]


def _dates_a_figure(text: str, m: regex.Match) -> bool:
    """截至2014年年底,拥有持证读者2.65万人 dates a figure; 2015年,是新馆落成的第十个年头 does not."""
    from ..quantities import find_quantities

    return any(q.kind in ("count", "range", "percent") and q.unit for q in find_quantities(_sentence(text, m)))


def _body_year(nt: NormText, titles: list[str]) -> int | None:
    """The year the body talks about most; a tie goes to the year that dates more figures,
    then to the latest.  A year that dates only an honour or an evaluation (2004年评估定级,
    被评为) is no evidence unless its sentence states a figure.  Outside a plan, a year of
    steps to come (2023年将新增…) yields to any year that reports figures."""
    text = nt.text
    rules = attribution_rules()
    counts: Counter[int] = Counter()
    dated: Counter[int] = Counter()
    future: Counter[int] = Counter()
    # the mentions whether each dates a figure is not read yet: reading it means finding the
    # quantities of its sentence, so it is read only where it decides (an honour's year, the
    # question whether any counted year dates a figure, a tie)
    unread: list[tuple[int, regex.Match]] = []
    plan = any(rules.doc_type["plan"].search(line) for line in titles)
    for m in YEAR_ANY.finditer(text):
        if COMPARISON.search(text[max(0, m.start() - 3) : m.start()]) or _history(text, m):
            continue
        y = year_value(m.group(1), nt.traditional)
        if not y:
            continue
        if rules.award_year.search(text[m.end() : m.end() + 20]) or text[m.start() - 1 : m.start()] == "去":
            if not _dates_a_figure(text, m):
                continue  # an honour's year, or a year looked back on (去108年), dating no figure
            dated[y] += 1
        else:
            unread.append((y, m))
        if not plan and rules.future_after.match(text, m.end()):
            future[y] += 1
            continue
        counts[y] += 1

    def read(years: set[int] | Counter[int], first_only: bool) -> None:
        """Read the unread mentions of `years` (up to the first that dates a figure)."""
        nonlocal unread
        left = []
        for k, (y, m) in enumerate(unread):
            if y not in years:
                left.append((y, m))
            elif _dates_a_figure(text, m):
                dated[y] += 1
                if first_only:
                    left += unread[k + 1 :]
                    break
        unread = left

    if future:  # else counts stay what they are, whether a year dates a figure or not
        if not any(dated[y] for y in counts):
            read(counts, first_only=True)
        counts = counts if any(dated[y] for y in counts) else counts + future
    if not counts:
        return None
    top = max(counts.values())
    tied = {y for y, n in counts.items() if n == top}
    if len(tied) > 1:
        read(tied, first_only=False)
    return max(counts, key=lambda y: (counts[y], dated[y], y))


def _speaks_of_future(text: str) -> bool:
    """新馆将于2015年完工: a text whose years are steps to come."""
    before = attribution_rules().future_before
    return any(before.search(text[max(0, m.start() - 4) : m.start()]) for m in YEAR_ANY.finditer(text))


def find_now_year(nt: NormText, year: int | None, period: str) -> int | None:
    """The year a news item was written in, when it is the year after the one it reports on:
    its posting date's year; else, for a dateline without a year (4月22日讯) in the first
    months of a year, on a report of a whole year that says 去年 and never 今年, the year
    after the report's — a year's figures are published in the next year's first months
    (阅读报告 by 世界读书日)."""
    if not year:
        return None
    posted = posted_year(nt)
    if posted:
        return posted if year < posted <= year + 1 else None
    rules = attribution_rules()
    # only a text that calls the reported year 去年 and never speaks of 今年: a dateline of
    # March on a text about 今年一季度 is of the report's own year
    st = status_rules()
    m = rules.dateline.search(nt.text[:400])
    if (m and not period and int(m.group(1)) <= rules.release_months
            and st.last_year.search(nt.text) and not st.now_words.search(nt.text)):
        return year + 1
    return None
