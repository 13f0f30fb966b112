"""The cheap tests the segmenter makes before a search (extract/stages/status.py marks,
extract/stages/alternation.py): where a test says no, the search finds nothing, and the
search over fewer branches finds what the whole pattern finds."""

from __future__ import annotations

import random
from pathlib import Path

from extract.prefilter import may_match
from extract.stages import segment, status
from extract.stages.alternation import branches_without, top_branches


def _texts() -> list[str]:
    seeds = Path(__file__).parent.parent / "corpus" / "seeds"
    lines = [ln for f in sorted(seeds.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    sentences = [m.group() for ln in lines for m in segment.SENTENCE_SPLIT.finditer(ln) if m.group()]
    rules = status.status_rules()
    searched = (rules.span_dates, rules.holiday, rules.present, rules.part, *rules.periods.values(), status.YEAR_SPAN)
    alphabet = sorted({ch for p in searched for ch in p.pattern if not ch.isascii()} | set("0123456789-~,.() "))
    rnd = random.Random(11)
    made_up = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 30))) for _ in range(3000)]
    made_up += ["2015年1-6月接待", "春节期间接待读者", "其中少儿", "目前馆藏", "开馆以来", "前三季度", "2009—2013年",
                "2017年4月18日至2018年4月18日", "1-3月", "5月1日接待读者", "国庆黄金周", "自2014年实施总分馆制以来"]
    return [*sentences, *made_up]


def test_a_search_the_marks_rule_out_finds_nothing() -> None:
    rules = status.status_rules()
    searched = {
        "span_dates": (rules.span_dates, rules.span_dates_marks),
        "holiday": (rules.holiday, rules.holiday_marks),
        "present": (rules.present, rules.present_marks),
        "part": (rules.part, rules.part_marks),
        "YEAR_SPAN": (status.YEAR_SPAN, status.YEAR_SPAN_MARKS),
        **{f"period {k}": (p, rules.period_search_marks) for k, p in rules.periods.items()},
        "MONTH_AT_START": (status.MONTH_AT_START, rules.period_marks),
    }
    assert all(marks != status.NO_TEST for _, marks in searched.values())  # each could be told
    matched = 0
    for text in _texts():
        found = status.marks_in(text, rules)
        for name, (pattern, marks) in searched.items():
            if pattern.search(text):
                matched += 1
                assert not found.isdisjoint(marks), (name, text)
        if status.period_of(text, rules):
            assert not found.isdisjoint(rules.period_marks), text
            assert status.period_of(text, rules, found) == status.period_of(text, rules)
    assert matched > 30  # the texts do exercise the patterns


def test_marks_that_do_not_cover_a_rule_are_no_test() -> None:
    rules = status.status_rules()
    assert status.cover_marks(rules.span_dates_need, "月") is None  # 开馆以来 holds no 月
    assert status.cover_marks(None, "月") is None
    found = status.marks_in("全年接待读者", rules)
    assert not found.isdisjoint(status.NO_TEST)  # a test that could not be told always passes
    assert found.isdisjoint(rules.span_dates_marks)


def test_a_relative_year_holds_nian() -> None:
    rules = status.status_rules()
    assert rules.relative_marks == frozenset("年")
    for word in ("明年", "下一年", "下年度", "来年", "新的一年", "去年", "上年", "今年"):
        assert rules.next_year.search(word) or rules.last_year.search(word) or rules.now_words.search(word)


def test_top_branches_split_outside_groups_and_classes() -> None:
    assert top_branches(r"a[|]b|(c|d)|\|e|[]|]x|[^]|]y") == [r"a[|]b", "(c|d)", r"\|e", "[]|]x", "[^]|]y"]
    assert top_branches("abc") == ["abc"]
    pattern = status.load_yaml("status.yaml")["span_dates"]
    assert "|".join(top_branches(pattern)) == pattern and len(top_branches(pattern)) > 5


def test_span_dates_without_month_branches_finds_the_same_where_there_is_no_month() -> None:
    rules = status.status_rules()
    assert rules.span_dates_no_month is not None
    fewer, need = rules.span_dates_no_month
    for text in _texts():
        if "月" in text:
            continue
        whole = [m.span() for m in rules.span_dates.finditer(text)]
        assert [m.span() for m in fewer.finditer(text)] == whole, text
        if whole:
            assert may_match(need, text)
    assert branches_without("(?i)a|b月", "月") is None  # a global flag: not split
    assert branches_without("a月|b月", "月") is None  # every branch needs it
    kept = branches_without("x|a月", "月")
    assert kept is not None and kept[0].search("x") and not kept[0].search("a月")


def test_lines_of_one_and_of_several_sentences_are_cut_alike() -> None:
    ctx = status.Context(doc_year=2019, doc_status="actual", doc_period="", traditional=False)
    text = "一、基本情况\n全年接待读者12万人次，外借图书5,256册；新办证1200个。其中少儿300个\n春节期间接待读者3000人次"
    got = [(c.start, c.end, c.text, c.sentence_start, c.period, c.part) for c in segment.segment(text, ctx)]
    assert got == [(0, 6, "一、基本情况", 0, "", False), (7, 19, "全年接待读者12万人次，", 7, "", False),
                   (19, 30, "外借图书5,256册；", 7, "", False), (30, 39, "新办证1200个。", 30, "", False),
                   (39, 47, "其中少儿300个", 39, "", True), (48, 62, "春节期间接待读者3000人次", 48, "span", False)]
    sent = "外借图书5,256册，5353种，新办证：1200个"  # 5,256 and 5256种,5353册 and 证：1200 stay whole
    assert segment._clause_bounds(sent, 0, len(sent)) == [0, 17, len(sent)]
