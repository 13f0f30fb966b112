"""Attribution: which library a report is about, its year, type and period.

The library comes from the title lines, then the page's publisher metadata, then the
first full name in the body; a shorter form (青白江区图书馆) is widened to the full one
the text gives (成都市青白江区图书馆).  The year comes from the title, else the most
frequent year the body talks about (comparisons such as 较2016年 left out, ties to the
latest), else the posting date.  Nothing is guessed: no year in the text, no year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex

from .. import gazetteer
from ..resources import load_yaml
from .normalize import NormText
from .segment import status_rules, year_value

LIB = "图书馆"
YEAR_ANY = regex.compile(r"(?<![\d.])((?:19|20)\d\d|1[0-2]\d)\s*年")
CN_YEAR = regex.compile(r"([〇零一二三四五六七八九]{4})年")
NAME_CHAR = regex.compile(r"[\p{Han}*＊×□○Xx]")
CORE_SUFFIX = regex.compile(r"(?:省|市|县|区|州|市立|县立)?图书馆$")
TITLE_MONTH = regex.compile(r"(?<![\d.\-])(1[0-2]|[1-9])\s*月(?:份)?(?![\d日号均])")
# a bare 县图书馆 / 市图书馆: not after another character of a name (全市图书馆, 过市图书馆)
BARE_NAME = regex.compile(r"(?:(?<!\p{Han})|(?<=[从到在据和与]))([县市区])图书馆")
_TITLE_WORD = regex.compile(r"总结|年报|年度报告|计划|要点|报表|统计表")
SPAN_START = regex.compile(r"\s*[—–\-~至到]\s*(?:19|20)\d\d")
COMPARISON = regex.compile(r"(?:较|比|同比|相比|与)\s*$")
SENTENCE_END = regex.compile(r"[。！!？?；;\n]")


@dataclass(frozen=True)
class AttributionRules:
    stop: frozenset[str]
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
    dateline: regex.Pattern
    release_months: int


@lru_cache(maxsize=1)
def attribution_rules() -> AttributionRules:
    y = load_yaml("attribution.yaml")
    return AttributionRules(
        stop=frozenset(y["name_stop_chars"]),
        generic=regex.compile(y["generic_names"]),
        masked=regex.compile(y["masked"]),
        place_suffix=regex.compile(y["place_suffix"]),
        name_infix=regex.compile(y["name_infix"]),
        doc_type={k: regex.compile(v) for k, v in y["doc_type"].items()},
        posting_line=regex.compile(y["posting_line"]),
        event_year=regex.compile(y["event_year"]),
        year_report=regex.compile(y["year_report"]),
        span_caption=regex.compile(y["span_caption"], regex.M),
        opening_date=regex.compile(y["opening_date"]),
        elapsed=regex.compile(y["elapsed"]),

        zone=regex.compile(y["zone"]),
        history_after=regex.compile(y["history_year"]["after"]),
        history_before=regex.compile(y["history_year"]["before"]),
        award_year=regex.compile(y["award_year"]),
        future_before=regex.compile(y["future_year_before"]),
        dateline=regex.compile(y["dateline"]),
        release_months=int(y["dateline_release_months"]),
    )


@dataclass
class Attribution:
    library: str
    year: int | None
    doc_type: str
    period: str
    # the year the text was written in, when later than the year it reports on
    now_year: int | None = None


def title_lines(text: str, n: int = 5) -> list[str]:
    """The report's heading lines: the short lines before the body starts.  The body starts
    at the first sentence (a line with 。 or over 60 characters), or at the posting line that
    follows a heading (a photo caption under it is no title)."""
    rules = attribution_rules()
    out: list[str] = []
    for ln in (ln.strip() for ln in text.split("\n")):
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


def names_in(text: str) -> list[tuple[int, str]]:
    """Every 'X图书馆' in text as (position, name); '' for a masked one."""
    from .identity import named_libraries

    rules = attribution_rules()
    named = named_libraries()
    out = []
    for m in regex.finditer(LIB, text):
        # a library named in libraries.yaml (国立公共资讯图书馆): its name, whatever precedes it
        if full := next((n for n in named if text.endswith(n, 0, m.end())), None):
            out.append((m.end() - len(full), full))
            continue
        # 香江区公共图书馆: the words between place and 图书馆 belong to the name
        infix = rules.name_infix.search(text, max(0, m.start() - 6), m.start())
        infix_text = infix.group() if infix else ""
        i = m.start() - len(infix_text)
        j = i
        while j > 0 and i - j < 14 and NAME_CHAR.match(text[j - 1]) and text[j - 1] not in rules.stop:
            j -= 1
        head = text[j:i]
        if rules.masked.search(head):
            out.append((j, ""))
            continue
        place = place_part(head, at_start=j == 0 or text[j - 1] == "\n")
        if len(place) >= 2 and (gazetteer.is_place(core(place)) or not rules.generic.match(place)):
            out.append((i - len(place), place + infix_text + LIB))
    return out


def _nouns_only(text: str) -> bool:
    """国家图书馆, 首都图书馆 open a heading; 紧紧围绕图书馆 (an idiom, a verb) does not."""
    from .tokens import tagged

    return all(flag.startswith("n") for _, flag in tagged(text))


def place_part(prefix: str, at_start: bool = False) -> str:
    """The place name at the end of `prefix`.  The gazetteer first: 词条南宁市 → 南宁市,
    报镇江市 → 镇江市, 甘肃省武威市 → 武威市 (a province before a city is not part of the
    name).  Else the word tagger, for places the gazetteer lacks (首都, 屏东): 随著广州 →
    广州; a one-character 'place' before 市/县 (过市, 全市) is a phrase, not a name."""
    rules = attribution_rules()
    zone = rules.zone.search(prefix)  # 经开区, 高新区: no division, but a library's owner
    if zone:
        return place_part(prefix[: zone.start()]) + zone.group()
    chain = gazetteer.place_chain(prefix)
    if chain:
        if len(chain) > 1 and gazetteer.lookup(chain[0])[0].level == "province":
            chain = chain[1:]
        return "".join(chain)
    # a heading that opens with the name: 日照图书馆7月… (日照 is also a common noun)
    if at_start and 2 <= len(prefix) <= 6 and _nouns_only(prefix):
        return prefix
    from .tokens import tagged

    kept = ""
    for word, flag in reversed(tagged(prefix)):
        if len(word) >= 2 and rules.generic.match(word):  # 厦门全市图书馆: 全市 ends the place
            break
        if flag == "ns" or rules.place_suffix.search(word) or (kept and word in ("省", "市", "县", "区", "州")):
            kept = word + kept
        else:
            break
    return kept if len(CORE_SUFFIX.sub("", kept + LIB)) >= 2 or gazetteer.is_place(kept) else ""


def core(name: str) -> str:
    """The distinctive part of a name: 绵阳市图书馆 and 绵阳图书馆 share 绵阳."""
    return CORE_SUFFIX.sub("", name)


def same_library(a: str, b: str) -> bool:
    ca, cb = core(a), core(b)
    return bool(ca and cb) and (ca in cb or cb in ca)


def find_library(nt: NormText) -> str:
    """The title's name, else the publisher's, else the name the body gives most often
    (a partner or superior library is named less often than the subject), else a bare
    县图书馆/市图书馆 completed with the one county or city the text names."""
    body = names_in(nt.text)
    for line in title_lines(nt.text):
        found = names_in(line)
        if found:
            return _full_form(found[0][1], body)
    for pub in nt.meta.get("publisher", []):
        if pub.endswith(LIB) and names_in(pub):
            return _widened(names_in(pub)[0][1], body)
    if body:
        if not any(n for _, n in body):
            return ""  # masked
        counts = Counter(_identity(n) for _, n in body if n)
        best = max(counts.values())
        # the first mention of the most-named library: 广西壮族自治区图书馆 before 广西图书馆
        chosen = next(n for _, n in body if n and counts[_identity(n)] == best)
        return _widened(chosen, body)
    return _completed(nt.text)


def _full_form(name: str, body: list[tuple[int, str]]) -> str:
    """A county's or an abbreviation's name in the full form the text gives for the same
    place: 丰都图书馆 → 丰都县图书馆, 巴州图书馆 → 巴音郭楞蒙古自治州图书馆.  A city's or a
    province's short name is often the library's own (天津图书馆, 湖南图书馆): kept; so is
    a name the text puts a parent place before (娄星区图书馆, not 娄底市娄星区图书馆)."""
    place = _place_of(name)
    for _, other in body:
        oc = _place_of(other)
        if not other or len(other) <= len(name) or not other.endswith(name[len(place):]):
            continue
        if len(gazetteer.place_chain(oc)) != 1:
            continue
        for p in gazetteer.lookup(oc):
            if p in gazetteer.lookup(place) and (p.level == "county" or place not in (p.name, p.short)):
                return other
    return name


def _identity(name: str) -> str:
    """Names of one library share this: 天津图书馆 and 天津市图书馆, 广西图书馆 and
    广西壮族自治区图书馆 (one place in the gazetteer); else the name's distinctive part."""
    stem = _place_of(name)
    infix = stem and name[len(stem) : -len(LIB)]
    chain = gazetteer.place_chain(stem)
    if chain and "".join(chain) == stem:
        return "".join(gazetteer.lookup(p)[0].name for p in chain) + infix
    return core(name)


def _place_of(name: str) -> str:
    """The place in a library's name: 巴音郭楞蒙古自治州图书馆 → 巴音郭楞蒙古自治州."""
    stem = name.removesuffix(LIB)
    infix = attribution_rules().name_infix.search(stem)
    return stem[: infix.start()] if infix else stem


def _widened(name: str, body: list[tuple[int, str]]) -> str:
    """A publisher's or the body's short name widened to the fullest form the text gives
    (青白江区图书馆 → 成都市青白江区图书馆)."""
    longer = [n for _, n in body if n != name and n.endswith(name)]
    return _full_form(max(longer, key=len) if longer else name, body)


def _completed(text: str) -> str:
    """县图书馆 in a text about 武胜县 is 武胜县图书馆: a bare 县/市/区图书馆 takes the one place
    of that kind the text names; two candidates (深圳 and 河源) leave it empty."""
    m = BARE_NAME.search(text)
    if not m:
        return ""
    suffix = m.group(1)
    level = "city" if suffix == "市" else "county"
    found = gazetteer.mentioned(text, level, suffix)
    if suffix == "市":  # 县级市 and prefectures both end in 市; a prefecture's 区 names its city
        found = {p: n for p, n in found.items() if p.name.endswith("市")}
    if len(found) != 1:
        return ""
    return next(iter(found)).name + LIB


def _history(text: str, m: regex.Match) -> bool:
    """A year that dates the library's history or a future step, not the report (建于1984年)."""
    rules = attribution_rules()
    return bool(rules.history_after.search(text[m.end() : m.end() + 16])
                or rules.history_before.search(text[max(0, m.start() - 4) : m.start()]))


def find_year(nt: NormText) -> int | None:
    """The title's year, else the year the body talks about most (comparisons such as
    较2016年 and history such as 成立于1976年 left out, ties to the latest), else the posting
    date's.  No year in the text, no year."""
    rules = attribution_rules()
    for line in title_lines(nt.text):
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
    year = _body_year(nt)
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
    for key in ("posted", "posted_bare", "posted_stamp", "posted_byline"):
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


def _body_year(nt: NormText) -> int | None:
    """The year the body talks about most; a tie goes to the year that dates more figures,
    then to the latest.  A year that dates only an honour or an evaluation (2004年评估定级,
    被评为) is no evidence unless its sentence states a figure."""
    text = nt.text
    rules = attribution_rules()
    counts: Counter[int] = Counter()
    dated: Counter[int] = Counter()
    for m in YEAR_ANY.finditer(text):
        if COMPARISON.search(text[max(0, m.start() - 3) : m.start()]) or _history(text, m):
            continue
        y = year_value(m.group(1), nt.traditional)
        if not y:
            continue
        if _dates_a_figure(text, m):
            dated[y] += 1
        elif rules.award_year.search(text[m.end() : m.end() + 20]):
            continue
        counts[y] += 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], dated[y], y))


def _speaks_of_future(text: str) -> bool:
    """新馆将于2015年完工: a text whose years are steps to come."""
    before = attribution_rules().future_before
    return any(before.search(text[max(0, m.start() - 4) : m.start()]) for m in YEAR_ANY.finditer(text))


def find_doc_type(nt: NormText, year: int | None) -> str:
    rules = attribution_rules().doc_type
    title = " ".join(title_lines(nt.text))
    if rules["annual_report"].search(title):
        return "annual_report"
    if year is None and rules["preview"].search(nt.text):
        return "plan"  # a new building's preview: no year reported, only what is to come
    plan, summary = bool(rules["plan"].search(title)), bool(rules["summary"].search(title))
    if plan and summary:
        return "mixed"
    if plan:
        return "plan"
    if summary or not rules["future"].search(title):
        return "mixed" if _has_next_year_plan(nt.text, year) else "summary"
    return "plan"


def _has_next_year_plan(text: str, year: int | None) -> bool:
    """A summary that ends with a plan for a later year (明年工作要点, 2014年工作计划,
    下一步工作打算) is a mixed report."""
    from .segment import heading_level

    st = status_rules()
    for line in text.split("\n")[1:]:
        head = line.strip()[:40]
        if heading_level(line) is None or not st.plan_heading.search(head) or st.summary_heading.search(head):
            continue
        m = YEAR_ANY.search(head)
        if not m or (year and int(m.group(1)) > year):
            return True
    return False


def find_period(nt: NormText) -> str:
    """A report about part of a year says so in its title: 上半年, 第三季度, 7月."""
    title = " ".join(title_lines(nt.text, 1))
    st = status_rules()
    for name, pat in st.periods.items():
        if pat.search(title):
            return name
    m = TITLE_MONTH.search(title)
    return f"M{int(m.group(1)):02d}" if m else ""


def find_now_year(nt: NormText, year: int | None, period: str) -> int | None:
    """The year a news item was written in, when it is the year after the one it reports on:
    its posting date's year; else, for a dateline without a year (4月22日讯) in the first
    months of a year, on a report of a whole year that says 去年 and never 今年, the year
    after the report's — a year's figures are published in the next year's first months
    (阅读报告 by 世界读书日)."""
    if not year:
        return None
    posted = next((int(v[0]) for k in ("posted", "posted_bare") if (v := nt.meta.get(k))), None)
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


def attribute(nt: NormText) -> Attribution:
    year = find_year(nt)
    period = find_period(nt)
    return Attribution(library=find_library(nt), year=year, doc_type=find_doc_type(nt, year), period=period,
                       now_year=find_now_year(nt, year, period))
