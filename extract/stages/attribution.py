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

from ..resources import load_yaml
from .normalize import NormText
from .segment import status_rules, year_value

LIB = "图书馆"
YEAR_ANY = regex.compile(r"(?<![\d.])((?:19|20)\d\d|1[0-2]\d)\s*年")
CN_YEAR = regex.compile(r"([〇零一二三四五六七八九]{4})年")
NAME_CHAR = regex.compile(r"[\p{Han}*＊×□○Xx]")
CORE_SUFFIX = regex.compile(r"(?:省|市|县|区|州|市立|县立)?图书馆$")
TITLE_MONTH = regex.compile(r"(?<![\d.\-])(1[0-2]|[1-9])\s*月(?:份)?(?![\d日号均])")
COMPARISON = regex.compile(r"(?:较|比|同比|相比|与)\s*$")


@dataclass(frozen=True)
class AttributionRules:
    stop: frozenset[str]
    generic: regex.Pattern
    masked: regex.Pattern
    place_suffix: regex.Pattern
    name_infix: regex.Pattern
    doc_type: dict[str, regex.Pattern]


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
    )


@dataclass
class Attribution:
    library: str
    year: int | None
    doc_type: str
    period: str


def title_lines(text: str, n: int = 5) -> list[str]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return [ln for ln in lines[:n] if len(ln) <= 60]


def names_in(text: str) -> list[tuple[int, str]]:
    """Every 'X图书馆' in text as (position, name); '' for a masked one, None-like skips."""
    rules = attribution_rules()
    out = []
    for m in regex.finditer(LIB, text):
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
        # a title that opens with the name: 日照图书馆7月… (日照 is also a common noun)
        place = head if (j == 0 and 2 <= len(head) <= 6 and _no_verb(head)) else place_part(head)
        if len(place) >= 2 and not rules.generic.match(place):
            out.append((i - len(place), place + infix_text + LIB))
    return out


def _no_verb(text: str) -> bool:
    from .tokens import tagged

    return not any(flag.startswith("v") for _, flag in tagged(text))


def place_part(prefix: str) -> str:
    """The place name at the end of `prefix`: 确保市 → 市, 报镇江市 → 镇江市, 随著广州 → 广州."""
    from .tokens import tagged

    rules = attribution_rules()
    kept = ""
    for word, flag in reversed(tagged(prefix)):
        if flag == "ns" or rules.place_suffix.search(word) or (kept and word in ("省", "市", "县", "区", "州")):
            kept = word + kept
        else:
            break
    return kept


def core(name: str) -> str:
    """The distinctive part of a name: 绵阳市图书馆 and 绵阳图书馆 share 绵阳."""
    return CORE_SUFFIX.sub("", name)


def same_library(a: str, b: str) -> bool:
    ca, cb = core(a), core(b)
    return bool(ca and cb) and (ca in cb or cb in ca)


def find_library(nt: NormText) -> str:
    titles = title_lines(nt.text)
    chosen = None
    for line in titles:
        found = names_in(line)
        if found:
            chosen = found[0][1]
            break
    if chosen is None:
        for pub in nt.meta.get("publisher", []):
            if pub.endswith(LIB) and names_in(pub):
                chosen = names_in(pub)[0][1]
                break
    body = names_in(nt.text)
    if chosen is None:
        chosen = body[0][1] if body else ""
    if not chosen:
        return ""
    longer = [n for _, n in body if n != chosen and n.endswith(chosen)]
    return max(longer, key=len) if longer else chosen


def find_year(nt: NormText) -> int | None:
    for line in title_lines(nt.text):
        m = YEAR_ANY.search(line)
        if m and (y := year_value(m.group(1), nt.traditional)):
            return y
        m = CN_YEAR.search(line)
        if m:
            from .numerals import parse_numeral

            v = parse_numeral(m.group(1))
            if v and 1900 <= v <= 2100:
                return int(v)
    counts: Counter[int] = Counter()
    for m in YEAR_ANY.finditer(nt.text):
        if COMPARISON.search(nt.text[max(0, m.start() - 3) : m.start()]):
            continue
        y = year_value(m.group(1), nt.traditional)
        if y:
            counts[y] += 1
    if counts:
        best = max(counts.values())
        return max(y for y, c in counts.items() if c == best)
    for key in ("posted", "posted_bare"):
        if nt.meta.get(key):
            return int(nt.meta[key][0])
    return None


def find_doc_type(nt: NormText, year: int | None) -> str:
    rules = attribution_rules().doc_type
    title = " ".join(title_lines(nt.text))
    if rules["annual_report"].search(title):
        return "annual_report"
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


def attribute(nt: NormText) -> Attribution:
    year = find_year(nt)
    return Attribution(library=find_library(nt), year=year, doc_type=find_doc_type(nt, year), period=find_period(nt))
