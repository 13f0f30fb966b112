"""What a pattern's match needs (extract/prefilter.py): a text without it has no match, for
made-up patterns and for every pattern the segmenter and the status rules search with."""

from __future__ import annotations

import random
import re
from pathlib import Path

import regex

from extract.prefilter import either, may_match, needed
from extract.stages import segment, status


def test_literals_classes_and_branches_are_needed() -> None:
    need = needed(re.compile(r"(?<![\d.])\d{1,2}\s*月|开馆以来|[甲乙]+等"))
    assert need is not None
    assert not may_match(need, "全年接待读者12万人次")
    assert may_match(need, "7月接待读者")
    assert may_match(need, "被评为甲等")
    assert not may_match(need, "开馆至今")  # 开馆 without 以来
    assert not may_match(need, "以来开馆")  # a run of literals is needed as one string


def test_what_may_be_absent_is_not_needed() -> None:
    assert needed(re.compile(r"a?|b")) is None  # a branch that may match nothing
    assert needed(re.compile(r"\d+")) is None  # a category is not enumerated
    assert needed(re.compile(r"[^a]")) is None
    assert needed(re.compile(r"(?=a)")) is None  # a look-ahead consumes nothing
    assert needed(re.compile(r"abc", re.I)) is None  # case folded: not literal
    assert needed(regex.compile(r"\p{Han}年")) is None  # compiled by regex: not read
    need = needed(re.compile(r"(?:x|y\d*)z"))
    assert need is not None and not may_match(need, "xy") and may_match(need, "yz")


def test_either_needs_what_one_of_the_patterns_needs() -> None:
    need = either([needed(re.compile("上半年")), needed(re.compile(r"第[一二]季度"))])
    assert need is not None
    assert may_match(need, "上半年接待") and may_match(need, "第二季度接待")
    assert not may_match(need, "下半年接待") and not may_match(need, "第三季度")
    assert either([need, needed(re.compile(r"\d"))]) is None


def _rule_patterns() -> dict[str, re.Pattern]:
    rules = status.status_rules()
    found = {k: v for k, v in vars(rules).items() if isinstance(v, re.Pattern)}
    found.update({f"period {k}": v for k, v in rules.periods.items()})
    for mod in (segment, status):
        found.update({k: v for k, v in vars(mod).items() if isinstance(v, re.Pattern)})
    return found


def test_no_rule_pattern_matches_a_text_its_need_rules_out() -> None:
    found = _rule_patterns()
    seeds = Path(__file__).parent.parent / "corpus" / "seeds"
    lines = [ln for f in sorted(seeds.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    sentences = [m.group() for ln in lines for m in segment.SENTENCE_SPLIT.finditer(ln)]
    alphabet = sorted({ch for p in found.values() for ch in p.pattern if not ch.isascii()} | set("0123456789-,.(): "))
    rnd = random.Random(7)
    made_up = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 30))) for _ in range(2000)]
    matched = 0
    for name, pattern in found.items():
        need = needed(pattern)
        for text in [*lines, *sentences, *made_up]:
            if pattern.search(text):
                matched += 1
                assert may_match(need, text), (name, text)
    assert matched > 1000  # the texts do exercise the patterns
