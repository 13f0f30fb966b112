"""Gazetteer: China's administrative divisions, to tell a place from a phrase.

The divisions come from the `cpca` package's table (adcode, name; province, prefecture
and county level), read straight from its CSV: importing cpca itself would build its
address matcher and pull in pandas, which costs a second.  Taiwan's counties and cities,
which that table lacks, are added from rules/places.yaml.  Everything loads on first use
and once per process, so `libstat --help` and the batch workers that never ask pay nothing.

A name is known in its full form (武胜县, 巴音郭楞蒙古自治州, 宁夏回族自治区) and in the short
forms reports use (武胜, 巴音郭楞, 巴州, 宁夏).  A short form can stand for several places
(朝阳: a district of Beijing and a city of Liaoning): `lookup` returns all of them.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import patterns
from .resources import load_yaml

LEVELS = ("province", "city", "county")
# Endings that a short form drops, longest first (自治州 before 州).
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "盟", "县", "区", "旗")
AUTONOMOUS = patterns.compile(r"(?:自治区|自治州|自治县|自治旗)$")


@dataclass(frozen=True)
class Place:
    name: str  # full name: 武胜县
    adcode: str  # six digits ('' where the table has none: Taiwan's counties)
    level: str  # province | city | county
    province: str  # full name of the province it lies in (itself for a province)
    city: str = ""  # full name of its prefecture ('' for a province or a prefecture)

    @property
    def short(self) -> str:
        return short_name(self.name)


def _cpca_table() -> Path:
    """The path of cpca's adcodes.csv, found without importing cpca (see module doc)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the cpca package (pip install 'cpca>=0.5.5,<0.6')")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@cache
def _nations() -> tuple[str, ...]:
    path = _cpca_table().with_name("56_nations.csv")
    names = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return tuple(sorted(names, key=len, reverse=True))


def short_name(name: str) -> str:
    """武胜县 → 武胜, 巴音郭楞蒙古自治州 → 巴音郭楞, 宁夏回族自治区 → 宁夏; a name whose short form
    would be one character (滑县, 和县) keeps its suffix."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if AUTONOMOUS.search(name):
                stem = _strip_nations(stem)
            return stem if len(stem) >= 2 else name
    return name


def _strip_nations(stem: str) -> str:
    """巴音郭楞蒙古 → 巴音郭楞, 黔南布依族苗族 → 黔南: autonomous names list peoples after the place."""
    changed = True
    while changed:
        changed = False
        for nation in _nations():
            for form in (nation, nation[:-1]):
                if len(form) >= 2 and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem, changed = stem[: -len(form)], True
                    break
            if changed:
                break
    return stem


@dataclass
class _Index:
    by_code: dict[str, Place]
    by_name: dict[str, list[Place]]  # full and short forms → places


@cache
def _index() -> _Index:
    rows: list[tuple[str, str]] = []
    with open(_cpca_table(), encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            code, name = rec["adcode"][:6], rec["name"]
            if name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                rows.append((code, name))
    names = dict(rows)
    by_code: dict[str, Place] = {}
    for code, name in rows:
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
        province = names.get(code[:2] + "0000", "")
        city = names.get(code[:4] + "00", "") if level == "county" else ""
        by_code[code] = Place(name, code, level, province or name, city)
    places = list(by_code.values())
    extra = load_yaml("places.yaml")
    for group in extra["regions"]:
        for name in group["places"]:
            places.append(Place(name, "", group["level"], group["province"], group.get("city", "")))
    by_name: dict[str, list[Place]] = {}
    for p in places:
        for form in {p.name, p.short}:
            by_name.setdefault(form, []).append(p)
    # 巴州 for 巴音郭楞蒙古自治州, 迪庆州 for 迪庆藏族自治州: a prefecture's first character (or
    # its short form) plus 州, where that names no other place
    prefectures = [p for p in places if p.name.endswith("自治州")]
    firsts = Counter(p.name[0] for p in prefectures)
    for p in prefectures:
        for form in {p.short + "州", p.short[0] + "州"} if firsts[p.name[0]] == 1 else {p.short + "州"}:
            if p not in by_name.setdefault(form, []):
                by_name[form].append(p)
    for alias, full in extra.get("aliases", {}).items():
        by_name.setdefault(alias, []).extend(by_name.get(full, []))
    return _Index(by_code, by_name)


def lookup(name: str) -> list[Place]:
    """Every place a full or short name can stand for ([] for a phrase that is no place)."""
    return list(_index().by_name.get(name, []))


def by_adcode(code: str) -> Place | None:
    return _index().by_code.get(code[:6])


def is_place(name: str) -> bool:
    return name in _index().by_name


def place_chain(text: str, max_len: int = 12) -> list[str]:
    """The places that end `text`, outermost first: 词条成都市青白江区 → [成都市, 青白江区];
    a text that does not end in a place gives []."""
    by_name = _index().by_name
    chain: list[str] = []
    end = len(text)
    while end > 0:
        for start in range(max(0, end - max_len), end - 1):  # longest first
            if text[start:end] in by_name:
                chain.insert(0, text[start:end])
                end = start
                break
        else:
            break
    return chain


def parent_of(outer: str, inner: str) -> bool:
    """Whether place `outer` contains place `inner` (甘肃省 ⊃ 武威市 ⊃ 凉州区)."""
    for a in lookup(outer):
        for b in lookup(inner):
            if a != b and a.adcode and b.adcode and b.adcode.startswith(a.adcode[: 2 * (LEVELS.index(a.level) + 1)]):
                return True
            if a != b and not a.adcode and a.level == "province" and b.province == a.name:
                return True
    return False


def same_place(a: str, b: str) -> bool:
    """Whether two names can stand for one place (丰都 and 丰都县, 巴州 and 巴音郭楞蒙古自治州)."""
    pa, pb = lookup(a), lookup(b)
    return any(x == y for x in pa for y in pb)


def mentioned(text: str, level: str, ending: str = "") -> dict[Place, int]:
    """Places of `level` whose name ends in `ending` (县, 市, 区) that `text` names, with how
    often (by full or short form).  Only for the rare document that needs it (a bare 县图书馆
    to complete)."""
    out: dict[Place, int] = {}
    # a name is counted only where its first two characters stand together in the text:
    # most of the hundreds of places are not named at all, and one pass over the text says so
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    for p, short in _of_level(level, ending):
        if len(short) >= 2 and short[:2] not in pairs:
            continue
        n = text.count(short)  # the short form is inside the full one: count it alone
        if n:
            out[p] = n
    return out


@cache
def _of_level(level: str, ending: str) -> tuple[tuple[Place, str], ...]:
    """`mentioned`'s places of `level` ending in `ending`, in the table's order, with their short
    forms: chosen and shortened once, not at every document's call."""
    return tuple((p, p.short) for p in _index().by_code.values()
                 if (p.level == level or (level == "city" and p.level == "county" and p.name.endswith("市")))
                 and (not ending or p.name.endswith(ending)))
