"""The quantity finder on the ways Chinese library reports write numbers.

Each case is a short report-style phrase and every quantity the finder must return
for it, in order, as (value, unit, qualifier, kind) or (value, unit, qualifier, kind,
value_hi).  The whole list is compared, so a spurious extra number fails the case.
"""

from __future__ import annotations

import math

import pytest

from extract.pipeline import extract_text
from extract.quantities import find_quantities

C, R, P, Y, D, ORD, L = "count", "range", "percent", "year", "date", "ordinal", "list"
EX, AP, OV, UN = "exact", "approx", "over", "under"

CASES: list[tuple[str, list[tuple]]] = [
    # Arabic numbers: thousands separators, decimals, spaces around the figure
    ("全年接待读者 12,345 人次", [(12345, "人次", EX, C)]),
    ("外借图书1,234,567册次", [(1234567, "册次", EX, C)]),
    ("全年总支出168.52万元", [(1685200, "元", EX, C)]),
    ("馆藏总量达 85.6 万册", [(856000, "册", EX, C)]),
    ("发放借书证 2,316 张", [(2316, "张", EX, C)]),
    ("设阅览座席1,050席", [(1050, "座", EX, C)]),
    ("电子阅览室配备计算机120台", [(120, "台", EX, C)]),
    ("每周开放72小时", [(72, "小时", EX, C)]),
    ("网站访问量0.5万次", [(5000, "次", EX, C)]),
    ("购书经费 35.5 万元", [(355000, "元", EX, C)]),
    # full-width digits and punctuation
    ("接待读者１２３４人次", [(1234, "人次", EX, C)]),
    ("外借１２，３４５册次", [(12345, "册次", EX, C)]),
    ("流通１．５万人次", [(15000, "人次", EX, C)]),
    ("增长１８％", [(18, "%", EX, P)]),
    # Chinese numerals
    ("举办讲座四十五场", [(45, "场", EX, C)]),
    ("参与读者两千人", [(2000, "人", EX, C)]),
    ("新增图书一万二千册", [(12000, "册", EX, C)]),
    ("举办培训十余期", [(10, "期", OV, C)]),
    ("百余人参加", [(100, "人", OV, C)]),
    ("全年举办活动一百零五场", [(105, "场", EX, C)]),
    ("接待三千五百人次", [(3500, "人次", EX, C)]),
    ("一千三百人", [(1300, "人", EX, C)]),
    ("新书二十几万册", [(200000, "册", OV, C)]),
    ("投入一千多万元", [(10000000, "元", OV, C)]),
    ("两万余人次", [(20000, "人次", OV, C)]),
    ("组织十几场", [(10, "场", OV, C)]),
    ("捐款壹仟贰佰元", [(1200, "元", EX, C)]),
    ("一万零五百册", [(10500, "册", EX, C)]),
    ("藏书三十万册", [(300000, "册", EX, C)]),
    ("两百人", [(200, "人", EX, C)]),
    ("一万二", [(12000, None, EX, C)]),
    ("两千五", [(2500, None, EX, C)]),
    ("二十余家", [(20, "家", OV, C)]),
    # mixed Arabic and Chinese multipliers
    ("到馆1.5万人次", [(15000, "人次", EX, C)]),
    ("剔旧3千册", [(3000, "册", EX, C)]),
    ("参与2.6万余人次", [(26000, "人次", OV, C)]),
    ("办证1.2万张", [(12000, "张", EX, C)]),
    ("外借56万余册次", [(560000, "册次", OV, C)]),
    ("入藏 16 万余册", [(160000, "册", OV, C)]),
    ("财政拨款3亿元", [(300000000, "元", EX, C)]),
    ("总投资1.5亿元", [(150000000, "元", EX, C)]),
    ("5万4千人次", [(54000, "人次", EX, C)]),
    ("到馆 213.7万人次", [(2137000, "人次", EX, C)]),
    # qualifiers before and after
    ("新增期刊4000余种", [(4000, "种", OV, C)]),
    ("300多人到场", [(300, "人", OV, C)]),
    ("服务近1.5万人次", [(15000, "人次", UN, C)]),
    ("约200人参加", [(200, "人", AP, C)]),
    ("参加者200人左右", [(200, "人", AP, C)]),
    ("听众500人以上", [(500, "人", OV, C)]),
    ("超过1000人次", [(1000, "人次", OV, C)]),
    ("受众逾万人", [(10000, "人", OV, C)]),
    ("全年不少于50场", [(50, "场", OV, C)]),
    ("吸引上千人", [(1000, "人", OV, C)]),
    ("开展数十场", [(10, "场", OV, C)]),
    ("举办近百场", [(100, "场", UN, C)]),
    ("将近500人", [(500, "人", UN, C)]),
    ("接近1万人次", [(10000, "人次", UN, C)]),
    ("不足100人", [(100, "人", UN, C)]),
    ("大约300人", [(300, "人", AP, C)]),
    ("数字资源近2T", [(2, "TB", UN, C)]),
    ("到馆3000 余 人次", [(3000, "人次", OV, C)]),
    ("数百人", [(100, "人", OV, C)]),
    ("近万人", [(10000, "人", UN, C)]),
    ("藏书十余万册", [(100000, "册", OV, C)]),
    ("上万册", [(10000, "册", OV, C)]),
    ("2,000余人", [(2000, "人", OV, C)]),
    ("筹款30万余元", [(300000, "元", OV, C)]),
    ("100人次以上", [(100, "人次", OV, C)]),
    ("多达1000册", [(1000, "册", OV, C)]),
    ("约 1.2 万人", [(12000, "人", AP, C)]),
    # percentages
    ("较上年增长18%", [(18, "%", EX, P)]),
    ("占百分之二十", [(20, "%", EX, P)]),
    ("完成率12.5%", [(12.5, "%", EX, P)]),
    ("提高百分之十五点五", [(15.5, "%", EX, P)]),
    ("达到百分之百", [(100, "%", EX, P)]),
    ("约占30%", [(30, "%", AP, P)]),
    ("增长了3.5个百分点", [(3.5, "%", EX, P)]),
    # years
    ("2013年", [(2013, "年", EX, Y)]),
    ("2013 年全馆", [(2013, "年", EX, Y)]),
    ("二〇一六年", [(2016, "年", EX, Y)]),
    ("2013-2015年", [(2013, "年", EX, Y), (2015, "年", EX, Y)]),
    ("二〇二〇年全年", [(2020, "年", EX, Y)]),
    # dates
    ("4月23日", [(4, "月", EX, D), (23, "日", EX, D)]),
    ("2020-02-10", [(2020, None, EX, D)]),
    ("2013.2.20", [(2013, None, EX, D)]),
    ("截至12月31日", [(12, "月", EX, D), (31, "日", EX, D)]),
    ("2020/3/15", [(2020, None, EX, D)]),
    ("2016年4月23日", [(2016, "年", EX, Y), (4, "月", EX, D), (23, "日", EX, D)]),
    ("开展4·23世界读书日活动", [(4, None, EX, D)]),
    # ordinals
    ("第25个世界读书日", [(25, "个", EX, ORD)]),
    ("第五次评估", [(5, "次", EX, ORD)]),
    ("第三届读书节", [(3, "届", EX, ORD)]),
    ("第十五期", [(15, "期", EX, ORD)]),
    ("第 3 期", [(3, "期", EX, ORD)]),
    # list numbering at a line start
    ("1.2020 年“悦读·阅美”", [(1, None, EX, L), (2020, "年", EX, Y)]),
    ("2.4·23 世界读书日", [(2, None, EX, L), (4, None, EX, D)]),
    ("1、举办讲座十场", [(1, None, EX, L), (10, "场", EX, C)]),
    ("工作回顾\n3.全年接待读者5万人次", [(3, None, EX, L), (50000, "人次", EX, C)]),
    ("\n1.1 月 13 日", [(1, None, EX, L), (1, "月", EX, D), (13, "日", EX, D)]),
    ("3.5万人次", [(35000, "人次", EX, C)]),
    ("12.5%的增长", [(12.5, "%", EX, P)]),
    ("一、业务工作", [(1, None, EX, L)]),
    ("（一）读者服务", [(1, None, EX, L)]),
    ("(2)举办讲座8场", [(2, None, EX, L), (8, "场", EX, C)]),
    # ranges
    ("每月3—5 场", [(3, "场", AP, R, 5)]),
    ("每人可借5-6册", [(5, "册", AP, R, 6)]),
    ("两三个", [(2, "个", AP, R, 3)]),
    ("三四十人", [(30, "人", AP, R, 40)]),
    ("五六百人", [(500, "人", AP, R, 600)]),
    ("3~5人", [(3, "人", AP, R, 5)]),
    ("每周3至5场", [(3, "场", AP, R, 5)]),
    ("七八百人", [(700, "人", AP, R, 800)]),
    ("三五场", [(3, "场", AP, R, 5)]),
    ("资助10-20万元", [(100000, "元", AP, R, 200000)]),
    ("1.5-2万人次", [(15000, "人次", AP, R, 20000)]),
    ("3-5千元", [(3000, "元", AP, R, 5000)]),
    ("三至五万元", [(30000, "元", AP, R, 50000)]),
    ("共3万—5万人", [(30000, "人", AP, R, 50000)]),
    ("600-800GB", [(0.6, "TB", AP, R, 0.8)]),
    # unit synonyms
    ("入藏10万册(件)", [(100000, "册", EX, C)]),
    ("100册件", [(100, "册", EX, C)]),
    ("入藏图书2000册（件）", [(2000, "册", EX, C)]),
    ("借阅200册/次", [(200, "册次", EX, C)]),
    ("服务200人/次", [(200, "人次", EX, C)]),
    ("300人·次", [(300, "人次", EX, C)]),
    ("参加120人", [(120, "人", EX, C)]),
    ("讲座50场次", [(50, "场", EX, C)]),
    ("讲座 20 次", [(20, "次", EX, C)]),
    ("培训6期", [(6, "期", EX, C)]),
    ("培训班 8 班次", [(8, "期", EX, C)]),
    ("办证4张", [(4, "张", EX, C)]),
    ("读者证5个", [(5, "个", EX, C)]),
    ("1000元", [(1000, "元", EX, C)]),
    ("5万元", [(50000, "元", EX, C)]),
    ("3千元", [(3000, "元", EX, C)]),
    ("数字资源16.19TB", [(16.19, "TB", EX, C)]),
    ("存储2T", [(2, "TB", EX, C)]),
    ("新增600GB", [(0.6, "TB", EX, C)]),
    ("新增 500 GB", [(0.5, "TB", EX, C)]),
    ("总量1.2PB", [(1200, "TB", EX, C)]),
    ("建筑面积4768平方米", [(4768, "平方米", EX, C)]),
    ("面积4768㎡", [(4768, "平方米", EX, C)]),
    ("面积4768m²", [(4768, "平方米", EX, C)]),
    ("5000平米", [(5000, "平方米", EX, C)]),
    ("近3000平方米", [(3000, "平方米", UN, C)]),
]

# Words that contain numeral characters and give no count with a unit.
TRAPS = [
    "学习党的十八大精神",
    "四川省图书馆",
    "开展一系列活动",
    "被评为一级图书馆",
    "文化科技卫生三下乡活动",
    "千方百计提高服务",
    "进一步提高服务水平",
    "统一服务标准",
    "一站式服务",
]

# text[start:end] for the main quantity: the figure, its multipliers and unit
OFFSETS = [
    ("全年接待读者12,345人次，", "12,345人次"),
    ("接待读者１２３４人次", "１２３４人次"),
    ("服务近1.5万人次", "1.5万人次"),
    ("共计 168.52 万元（不含", "168.52 万元"),
    ("举办讲座四十五场。", "四十五场"),
    ("外借56万余册次", "56万余册次"),
    ("参加者200人左右。", "200人左右"),
    ("较上年增长18%", "18%"),
    ("第五次评估", "第五次"),
]


def _check(text: str, expected: list[tuple]) -> None:
    got = find_quantities(text)
    assert len(got) == len(expected), f"{text!r}: {got}"
    for q, exp in zip(got, expected, strict=True):
        value, unit, qualifier, kind = exp[:4]
        assert math.isclose(q.value, value, rel_tol=1e-9), f"{text!r}: {q}"
        assert (q.unit, q.qualifier, q.kind) == (unit, qualifier, kind), f"{text!r}: {q}"
        if len(exp) > 4:
            assert q.value_hi is not None and math.isclose(q.value_hi, exp[4], rel_tol=1e-9), f"{text!r}: {q}"
        assert 0 <= q.start < q.end <= len(text)
        assert any(ch not in " \t" for ch in text[q.start : q.end])


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0] for c in CASES])
def test_quantity(text: str, expected: list[tuple]) -> None:
    _check(text, expected)


@pytest.mark.parametrize("text", TRAPS)
def test_trap_gives_no_count_with_unit(text: str) -> None:
    assert not [q for q in find_quantities(text) if q.kind in ("count", "range") and q.unit], text


@pytest.mark.parametrize("text,raw", OFFSETS)
def test_offsets_point_at_the_figure(text: str, raw: str) -> None:
    counts = [q for q in find_quantities(text) if q.kind != "list"]
    assert counts, text
    q = counts[0]
    assert text[q.start : q.end] == raw
    assert q.raw == raw
    assert q.start == text.index(raw)


@pytest.mark.parametrize("text", ["1,200万", "三万余", "1,200万余册", "三万余人次", "十余万余", "万万", "点五", "零"])
def test_odd_spans_do_not_raise(text: str) -> None:
    find_quantities(text)


def test_big_numbers_with_separators_and_over() -> None:
    (q,) = find_quantities("1,200万")
    assert q.value == 12_000_000 and q.kind == "count"
    (q,) = find_quantities("三万余")
    assert (q.value, q.qualifier) == (30000, "over")


def test_two_figures_in_one_clause() -> None:
    text = "外借文献 34766 人次 84692 册"
    got = [(q.value, q.unit) for q in find_quantities(text)]
    assert got == [(34766, "人次"), (84692, "册")]


def test_line_wrapped_list_item_is_not_a_decimal() -> None:
    text = "二、主要活动\n1.2020 年全年举办讲座12场"
    got = [(q.value, q.kind) for q in find_quantities(text)]
    assert got == [(2, "list"), (1, "list"), (2020, "year"), (12, "count")]


@pytest.mark.parametrize("text", ["全年接待读者1e999人次。", "馆藏" + "8" * 400 + "册，另有讲座12场。"])
def test_a_figure_beyond_any_float_is_no_figure_and_the_rest_is_read(text):
    found = find_quantities(text)
    assert all(q.value not in (float("inf"), float("-inf")) for q in found)
    res = extract_text(text)
    assert res.error == ""
    assert [(f.metric, f.value) for f in res.facts] == ([("lectures", 12.0)] if "讲座" in text else [])


def test_short_cuts_of_the_numeral_reader_read_as_the_general_reader() -> None:
    """parse_numeral reads 5千, 12.5 余 千, 213.7万 and 1,234.5 without the general reader:
    on random spans of digits, commas, points, multipliers, qualifiers and spaces it gives
    what the general reader gives."""
    import random

    from extract.stages.numerals import PLAIN, _read, one_character, parse_numeral

    rng = random.Random(5)
    pieces = ["1", "23", "456", ",", ".", "0", "千", "百", "十", "万", "亿", "余", "多", " ", "\u3000", "拾", "仟", "萬",
              "一", "五", "零", "点", "-", "k"]
    for _ in range(20000):
        span = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))).strip()
        if span and not PLAIN.fullmatch(span) and span not in one_character():
            assert parse_numeral(span) == _read(span), span
    assert [(q.value, q.unit) for q in find_quantities("支出 4,285千元，藏量 647,770册、件，5千人")] == [
        (4285000, "元"), (647770, "册"), (5000, "人")]
