"""Attribution: which library a report is about, its year, type and period.

The library comes from the title lines, then the page's publisher metadata, then the
first full name in the body; a shorter form (青白江区图书馆) is widened to the full one
the text gives (成都市青白江区图书馆).  The year is stages/report_year.py's; the words
and the heading lines are stages/attribution_rules.py's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .. import gazetteer
from .attribution_rules import (
    BARE_NAME,
    CORE_SUFFIX,
    LIB,
    TITLE_MONTH,
    YEAR_ANY,
    attribution_rules,
    title_lines,
)
from .normalize import NormText
from .report_year import find_now_year, find_year
from .status import status_rules
from .tokens import tagged  # jieba itself loads at the first call


@dataclass
class Attribution:
    library: str
    year: int | None
    doc_type: str
    period: str
    # the year the text was written in, when later than the year it reports on
    now_year: int | None = None


@dataclass(frozen=True)
class _Named:
    """libraries.yaml's names (中国国家图书馆 is found whole, not as 国家图书馆: the longest first)."""
    names: frozenset[str]
    lengths: tuple[int, ...]  # longest first: the name a 图书馆 ends is found by one look per length
    # the characters the names have right before 图书馆: after another, none of them ends there
    # (None: some name is no X图书馆, and is looked for at every 图书馆)
    before: frozenset[str] | None


@lru_cache(maxsize=1)
def _named() -> _Named:
    from .identity import named_libraries

    names = named_libraries()
    before = {n[-len(LIB) - 1] for n in names if n.endswith(LIB) and len(n) > len(LIB)}
    whole = all(n.endswith(LIB) and len(n) > len(LIB) for n in names)
    return _Named(frozenset(names), tuple(sorted({len(n) for n in names}, reverse=True)),
                  frozenset(before) if whole else None)


NAME_REACH = 14  # characters a place name before 图书馆 may span


def names_in(text: str) -> list[tuple[int, str]]:
    """Every 'X图书馆' in text as (position, name); '' for a masked one."""
    return _names_in(text, {})


def _names_in(text: str, places: dict[tuple[str, bool], str]) -> list[tuple[int, str]]:
    """`names_in`, with `places`: the place each head (and whether it opens a line) gives, or ''
    for none, filled as heads are read — a report names its libraries again and again, so one
    document's calls share it."""
    out: list[tuple[int, str]] = []
    at = text.find(LIB)
    if at < 0:
        return out
    rules = attribution_rules()
    named = _named()
    while at >= 0:
        start, end = at, at + len(LIB)
        at = text.find(LIB, end)
        # a library named in libraries.yaml (国立公共资讯图书馆): its name, whatever precedes it
        if named.before is None or (start and text[start - 1] in named.before):
            lengths = (n for n in named.lengths if n <= end and text[end - n : end] in named.names)
            if n := next(lengths, 0):
                out.append((end - n, text[end - n : end]))
                continue
        # 香江区公共图书馆: the words between place and 图书馆 belong to the name
        infix = rules.name_infix.search(text, max(0, start - 6), start)
        infix_text = infix.group() if infix else ""
        i = start - len(infix_text)
        # the name's characters before it, at most NAME_REACH: the run of them up to i
        reach = max(0, i - NAME_REACH)
        j = cut.end() if (cut := rules.name_break.match(text, reach, i)) else reach
        head = text[j:i]
        if rules.masked.search(head):
            out.append((j, ""))
            continue
        key = (head, j == 0 or text[j - 1] == "\n")
        place = places.get(key)
        if place is None:
            place = place_part(head, at_start=key[1])
            if not (len(place) >= 2 and (gazetteer.is_place(core(place)) or not rules.generic.match(place))):
                place = ""
            places[key] = place
        if place:
            out.append((i - len(place), place + infix_text + LIB))
    return out


def _nouns_only(text: str) -> bool:
    """国家图书馆, 首都图书馆 open a heading; 紧紧围绕图书馆 (an idiom, a verb) does not."""
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


def find_library(nt: NormText, titles: list[str] | None = None) -> str:
    """The title's name, else the publisher's, else the name the body gives most often
    (a partner or superior library is named less often than the subject), else a bare
    县图书馆/市图书馆 completed with the one county or city the text names."""
    places: dict[tuple[str, bool], str] = {}
    body = _names_in(nt.text, places)
    for line in title_lines(nt.text) if titles is None else titles:
        found = _names_in(line, places)
        if found:
            return _full_form(found[0][1], body)
    for pub in nt.meta.get("publisher", []):
        if pub.endswith(LIB) and (found := _names_in(pub, places)):
            return _widened(found[0][1], body)
    if body:
        if not any(n for _, n in body):
            return ""  # masked
        identity = {n: _identity(n) for n in dict.fromkeys(n for _, n in body if n)}  # each name read once
        counts = Counter(identity[n] for _, n in body if n)
        best = max(counts.values())
        # the first mention of the most-named library: 广西壮族自治区图书馆 before 广西图书馆
        chosen = next(n for n in identity if counts[identity[n]] == best)
        return _widened(chosen, body)
    return _completed(nt.text)


def _full_form(name: str, body: list[tuple[int, str]]) -> str:
    """A county's or an abbreviation's name in the full form the text gives for the same
    place: 丰都图书馆 → 丰都县图书馆, 巴州图书馆 → 巴音郭楞蒙古自治州图书馆.  A city's or a
    province's short name is often the library's own (天津图书馆, 湖南图书馆): kept; so is
    a name the text puts a parent place before (娄星区图书馆, not 娄底市娄星区图书馆)."""
    place = _place_of(name)
    kind = name[len(place):]
    places = gazetteer.lookup(place)
    for other in dict.fromkeys(n for _, n in body):  # a name the body repeats is the same answer
        if not other or len(other) <= len(name) or not other.endswith(kind):
            continue
        oc = _place_of(other)
        if len(gazetteer.place_chain(oc)) != 1:
            continue
        for p in gazetteer.lookup(oc):
            if p in places and (p.level == "county" or place not in (p.name, p.short)):
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


BODY_OPENING = 1500  # characters: where a news item says what report it brings out


def find_doc_type(nt: NormText, year: int | None, titles: list[str] | None = None) -> str:
    rules = attribution_rules().doc_type
    title = " ".join(title_lines(nt.text) if titles is None else titles)
    if rules["annual_report"].search(title):
        return "annual_report"
    if year is None and rules["preview"].search(nt.text):
        return "plan"  # a new building's preview: no year reported, only what is to come
    plan, summary = bool(rules["plan"].search(title)), bool(rules["summary"].search(title))
    if not (plan or summary) and year and rules["annual_report_body"].search(nt.text[:BODY_OPENING]):
        return "annual_report"
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
        # the plan's words first: few lines hold them, and a line's heading level costs more
        if not st.plan_heading.search(head) or heading_level(line) is None or st.summary_heading.search(head):
            continue
        m = YEAR_ANY.search(head)
        if not m or (year and int(m.group(1)) > year):
            return True
    return False


def find_period(nt: NormText, titles: list[str] | None = None) -> str:
    """A report about part of a year says so in its title: 上半年, 第三季度, 7月."""
    title = " ".join(title_lines(nt.text, 1) if titles is None else titles[:1])
    st = status_rules()
    for name, pat in st.periods.items():
        if pat.search(title):
            return name
    m = TITLE_MONTH.search(title)
    return f"M{int(m.group(1)):02d}" if m else ""


def attribute(nt: NormText) -> Attribution:
    titles = title_lines(nt.text)  # read once: each finder starts from them (the first is the n=1 title)
    year = find_year(nt, titles)
    period = find_period(nt, titles)
    return Attribution(library=find_library(nt, titles), year=year, doc_type=find_doc_type(nt, year, titles),
                       period=period, now_year=find_now_year(nt, year, period))
