"""Library identity: one id per library, with its place and level, however its name is written.

A report names its library in many ways (绵阳图书馆 and 绵阳市图书馆, 湖南图书馆 and 湖南省图书馆,
蒼溪縣圖書館 and 苍溪县图书馆).  `resolve(name)` reads the name as place + kind: the places it
opens with (成都市青白江区 → 青白江区 of 成都市, checked in the gazetteer), then what stands
before 图书馆 — nothing, or words that name the same library (公共, 市立, 总) — and whether it is
a children's library (少年儿童/少儿: a library of its own, never the city's library).  The id is
made of the division code and the kind (`430000-public`, `330100-children`), so it is the same
in every run and every archive; a Taiwan place, which has no code in the table, adds its name
(`710000-台北市-public`); words that make the library another one than the division's own
(香港中央图书馆) add them (`810000-中央-public`).  A name whose place does not resolve — no
place, or a short form that stands for two divisions the text cannot tell apart — gets an id
from its normalized name (`name:经开区图书馆`) and no place: never a guess.

A name that stands for many libraries together (厦门全市图书馆, 四川全省公共图书馆) is no identity:
`resolve` gives None.  `describe(library_id)` gives the same identity back from the id alone,
for the `libraries` table, which is derived from the ids the documents carry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from .. import gazetteer, patterns
from ..resources import load_yaml
from .normalize import _to_simplified, halfwidth

LIB = "图书馆"
LEVELS = {"province": "province", "city": "prefecture", "county": "county"}
RANK = {"province": 0, "city": 1, "county": 2}
KIND_WORDS = {"public": "", "children": "少年儿童"}
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: their districts' city is the municipality
SPACES = patterns.compile(r"\s+")
PLACE_END = patterns.compile(r"(?:地区|省|市|县|区|州|盟|旗)$")


@dataclass(frozen=True)
class Identity:
    library_id: str
    name: str  # canonical name: 湖南图书馆, 绵阳市图书馆, 成都市青白江区图书馆
    level: str = ""  # national | province | prefecture | county ('' where the place is unknown)
    kind: str = "public"  # public | children
    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""


@dataclass(frozen=True)
class _Rules:
    named: dict[str, dict]
    canonical: dict[str, str]
    aggregate: regex.Pattern
    filler: regex.Pattern
    children: regex.Pattern


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    y = load_yaml("libraries.yaml")
    return _Rules(named=y["named"], canonical=y["canonical"], aggregate=patterns.compile(y["aggregate"]),
                  filler=patterns.compile(y["filler"]), children=patterns.compile(y["children"]))


def named_libraries() -> frozenset[str]:
    """Names that are a library's whatever place they name or omit (国家图书馆, 南京图书馆)."""
    return frozenset(_rules().named)


def normalized(name: str) -> str:
    """Simplified characters, half-width, no spaces: 蒼溪縣 圖書館 → 苍溪县图书馆."""
    return _to_simplified(SPACES.sub("", halfwidth(name or "")))


def is_aggregate(name: str) -> bool:
    """厦门全市图书馆, 四川全省公共图书馆, 各县区图书馆: a place's libraries together (but 全州县图书馆
    is the library of 全州县).  See also `resolve`: 江苏省公共图书馆 is the province's libraries."""
    n = normalized(name)
    i = n.rfind(LIB)
    if i < 0:
        return False
    m = _rules().aggregate.search(n[:i])
    return bool(m) and not any(p.name == n[m.start(): m.start() + len(p.name)]
                               for p in gazetteer.lookup(n[m.start(): m.start() + 2]))


def resolve(name: str, context: str = "") -> Identity | None:
    """The identity of a library's name; `context` (the report's text) decides between two
    divisions a short name stands for (朝阳区 of 北京 or of 长春).  None for no name, a name
    that is no library's, or many libraries together."""
    n = normalized(name)
    if not n.endswith(LIB) or len(n) == len(LIB) or is_aggregate(n):
        return None
    i = len(n) - len(LIB)
    rules = _rules()
    if n in rules.named:
        return _named(rules.named[n])
    stem, kind = _kind(n[:i])
    places, residual = _prefix_places(stem)
    place = _choose(places, context) if places else None
    if place is None or PLACE_END.search(residual):  # 涪陵市, 涪陵地区: a division the table lacks
        return _unresolved(stem, kind)
    if _sector(n[:i], stem, place, residual):
        return None
    return _make(place, kind, residual)


def _sector(written: str, stem: str, place: gazetteer.Place, residual: str) -> bool:
    """江苏省公共图书馆, 苏州市公共图书馆: a province's or a city's public libraries, the sector
    (江苏省公共图书馆业务技能比赛), not one library; a county's (香江区公共图书馆) and Hong Kong's
    and Macao's (澳门公共图书馆, the name of their library service) are one."""
    return (not residual and "公共" in written[len(stem):] and place.level in ("province", "city")
            and bool(place.adcode) and place.adcode[:2] not in ("81", "82"))


def describe(library_id: str) -> Identity:
    """The identity an id stands for (the inverse of `resolve(...).library_id`)."""
    if library_id.startswith("name:"):
        return Identity(library_id, library_id[5:], kind=_kind(library_id[5:].removesuffix(LIB))[1])
    for entry in _rules().named.values():
        if entry.get("id") == library_id:
            return _named(entry)
    code, *label, kind = library_id.split("-")
    label = "-".join(label)
    place = gazetteer.by_adcode(code)
    residual = label
    if place is not None and label:
        for p in gazetteer.lookup(label[: label.find("市") + 1 or label.find("县") + 1] or label):
            if not p.adcode and p.province == place.name:
                place, residual = p, label[len(p.name):]
                break
    if place is None:
        return Identity(library_id, library_id)
    return _make(place, kind, residual)


def _named(entry: dict) -> Identity:
    if "adcode" in entry:
        return _make(gazetteer.by_adcode(entry["adcode"]), "public", "")
    lid = entry["id"]
    return Identity(lid, _rules().canonical.get(lid, lid), level=entry.get("level", ""))


def _kind(stem: str) -> tuple[str, str]:
    """The stem without the words that name the same library, and the library's kind:
    杭州市少年儿童 → (杭州市, children), 台北市立 → (台北市, public), 澳门公共 → (澳门, public)."""
    rules = _rules()
    kind = "public"
    changed = True
    while changed and stem:
        changed = False
        m = rules.children.search(stem)
        if m and m.start() > 0:
            stem, kind, changed = stem[: m.start()], "children", True
            continue
        m = rules.filler.search(stem)
        if m and m.start() > 0 and (m.group() != "立" or stem[m.start() - 1] in "省市县区"):
            stem, changed = stem[: m.start()], True
    return stem, kind


def _prefix_places(stem: str) -> tuple[list[list[gazetteer.Place]], str]:
    """The places a stem opens with, outermost first, each as the divisions it can stand for
    (consistent with the one before it), and the rest: 成都市青白江区 → [[成都市], [青白江区]], ''."""
    chain: list[list[gazetteer.Place]] = []
    pos = 0
    while pos < len(stem):
        for j in range(min(len(stem), pos + 12), pos + 1, -1):  # longest first
            form = stem[pos:j]
            found = list(dict.fromkeys(gazetteer.lookup(form)))  # an alias may repeat a place
            if chain:
                found = [p for p in found if any(_contains(o, p) for o in chain[-1])]
            if found:
                exact = [p for p in found if p.name == form]  # 朝阳区 is not 朝阳市
                found = exact or found
                # 焉耆县 for 焉耆回族自治县: a short form with the ending of its full name
                ending = [p for p in found if p.name != form and j < len(stem) and stem[j] in "省市县区州旗盟"
                          and p.name.endswith(stem[j])]
                if not exact and ending:
                    found, j = ending, j + 1
                if chain:  # the outer place is the one that holds the inner
                    chain[-1] = [o for o in chain[-1] if any(_contains(o, p) for p in found)]
                chain.append(found)
                pos = j
                break
        else:
            break
    return chain, stem[pos:]


def _contains(outer: gazetteer.Place, inner: gazetteer.Place) -> bool:
    if outer == inner or RANK[outer.level] >= RANK[inner.level]:
        return False
    if outer.adcode and inner.adcode:
        return inner.adcode.startswith(outer.adcode[: 2 * (RANK[outer.level] + 1)])
    if outer.level == "province":
        return inner.province == outer.name
    return inner.city == outer.name


def _choose(chain: list[list[gazetteer.Place]], context: str) -> gazetteer.Place | None:
    """The innermost place: the highest level a short name stands for (长沙 → 长沙市, not
    长沙县; 湖南 → 湖南省), else the one whose city or province the text names; two left: None."""
    found = chain[-1]
    top = min(RANK[p.level] for p in found)
    found = [p for p in found if RANK[p.level] == top]
    if len(found) == 1:
        return found[0]
    if not context:
        return None
    scores = {}
    for p in found:
        parents = {gazetteer.short_name(x) for x in (p.city, p.province) if x} - {p.short, p.name}
        scores[p] = sum(context.count(x) for x in parents if len(x) >= 2)
    best = max(scores.values())
    winners = [p for p, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _unresolved(stem: str, kind: str) -> Identity:
    name = stem + KIND_WORDS[kind] + LIB
    return Identity("name:" + name, name, kind=kind)


def _province_code(place: gazetteer.Place) -> str:
    if place.adcode:
        return place.adcode[:2] + "0000"
    provinces = [p for p in gazetteer.lookup(place.province) if p.level == "province" and p.adcode]
    return provinces[0].adcode if provinces else ""


def _make(place: gazetteer.Place, kind: str, residual: str) -> Identity:
    """The identity of the library of `place` (of `kind`, with the extra words `residual`)."""
    code = place.adcode or _province_code(place)
    label = ("" if place.adcode else place.name) + residual
    library_id = "-".join(x for x in (code, label, kind) if x)
    province = place.province
    city = place.city or (province if place.level == "county" and code[:2] in MUNICIPALITIES else "")
    if place.level == "city":
        city = place.name
    county = place.name if place.level == "county" else ""
    if residual:
        display = place.short  # 香港中央图书馆
    elif place.level == "province":
        display = place.name
    elif place.level == "county" and place.name.endswith("区") and city:
        display = city + place.name  # 青白江区 → 成都市青白江区
    else:
        display = place.name
    name = display + residual + KIND_WORDS[kind] + LIB
    level = "" if residual else LEVELS[place.level]
    ident = Identity(library_id, name, level=level, kind=kind, province=province, city=city, county=county,
                     adcode=place.adcode)
    canonical = _rules().canonical.get(library_id)
    return replace(ident, name=canonical) if canonical else ident
