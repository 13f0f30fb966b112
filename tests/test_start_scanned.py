"""normalize's `start_scanned`: a pattern `re` cannot scan for by its first character is
guarded, one it can is left as it is, and either way the matches are the same — for
made-up patterns and for every pattern the debris and attribution rules pass through it."""

from __future__ import annotations

import random
import re

import regex

from extract import patterns
from extract.resources import load_yaml
from extract.stages.normalize import start_scanned


def _spans(pattern: patterns.Pattern, text: str) -> list[tuple]:
    return [m.span() + m.groups() for m in pattern.finditer(text)]


def test_only_a_pattern_re_cannot_scan_for_is_guarded() -> None:
    words = re.compile(r"发布者|来源")  # re scans for its first characters itself
    assert start_scanned(words) is words
    anchored = re.compile(r"^\s*\d", re.M)
    assert start_scanned(anchored) is anchored
    behind = re.compile(r"(?<![\d.])(20\d\d)\s*年")
    assert start_scanned(behind).pattern.startswith("(?=[")
    optional = re.compile(r"(?:发布)?时间[:：]")
    assert start_scanned(optional).pattern.startswith("(?=[")
    assert start_scanned(re.compile(r"a?b?")).pattern == "a?b?"  # may match nothing: as it is
    only_regex = regex.compile(r"\p{L}+(?<=[ab]+)")
    assert start_scanned(only_regex) is only_regex


def test_an_ignore_case_pattern_keeps_its_flag() -> None:
    grouped = re.compile(r"(?:(?:点击|阅读)数\s*[:：])|(?:Share|Print)\s*$", re.I)
    scanned = start_scanned(grouped)
    assert scanned.pattern.startswith("(?=[") and scanned.flags & re.I
    for text in ("点击数: 12", "share", "SHARE", "print page", "PRINT", "阅读数：3 share"):
        assert _spans(scanned, text) == _spans(grouped, text), text


def test_the_matches_are_the_same() -> None:
    att, debris = load_yaml("attribution.yaml"), load_yaml("debris.yaml")
    originals = [
        patterns.compile(r"(?<![\d.])((?:19|20)\d\d|1[0-2]\d)\s*年"),  # YEAR_ANY
        patterns.compile(r"(?<![\d.\-])(1[0-2]|[1-9])\s*月(?:份)?(?![\d日号均])"),  # TITLE_MONTH
        patterns.compile(r"(?:(?<!\p{Han})|(?<=[从到在据和与]))([县市区])图书馆"),  # BARE_NAME
        *(patterns.compile(att[k]) for k in ("masked", "posting_line", "dateline")),
        *(patterns.compile(v) for v in att["doc_type"].values()),
        *(patterns.compile(v, regex.M) for v in debris["meta"].values()),
        patterns.compile("(?:" + "|".join(f"(?:{p})" for p in debris["contains"]) + ")", regex.I),
    ]
    rnd = random.Random(7)
    alphabet = sorted({ch for p in originals for ch in p.pattern if not ch.isascii()} | set("0123456789-:./ \nXxab"))
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 40))) for _ in range(2000)]
    texts += ["发布时间：2019-03-08 08:32", "较2016年增长", "1951—2017年", "在县图书馆", "X市图书馆", "首页 > 正文"]
    for original in originals:
        scanned = start_scanned(original)
        for text in texts:
            assert _spans(scanned, text) == _spans(original, text), (original.pattern[:30], text)
