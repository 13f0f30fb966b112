"""The shape of the text: statistics forms in their flattened layouts, year-by-year
tables, spaced thousands, web debris inside words.  Made-up forms and texts, written the
way such pages come out of a web mirror or a PDF, never copied from the corpus."""

from __future__ import annotations

from extract.pipeline import extract_text


def facts(text: str) -> dict[tuple, float]:
    return {(f.metric, f.year): f.value for f in extract_text(text).facts}


FORM_TITLE = "青石县图书馆2020年公共图书馆基本情况年报\n单位名称青石县图书馆\n"


def test_form_as_pipe_rows_with_two_halves() -> None:
    text = FORM_TITLE + (
        "项 目 | 代码 | 计量单位 | 本年实际 | 项 目 | 代码 | 计量单位 | 本年实际 |\n"
        "甲 | 乙 | 丙 | 1 | 甲 | 乙 | 丙 | 1 |\n"
        "一、从业人员 | 11 | 人 | 31 | 购书专项经费 | 54 | 千元 | 260 |\n"
        "其中:专业技术人才 | 12 | 人 | 19 | 2、上级补助收入 | 55 | 千元 | 70 |\n"
        "二、藏量 | 16 | 册、件 | 233,410 | 十七、本年支出合计 | 60 | 千元 | 2,875 |\n"
        "1、图书 | 17 | 册 | 201,300 | 其中:基本支出 | 61 | 千元 | 2,100 |\n"
    )
    got = facts(text)
    assert got[("staff", 2020)] == 31
    assert got[("collection", 2020)] == 233410
    assert got[("expenditure", 2020)] == 2875000
    assert got[("acquisition_funds", 2020)] == 260000


def test_form_flattened_codes_glued_to_values() -> None:
    # cells run together: 从业人员1431 is row code 14 and 31 persons; two halves on a line
    text = FORM_TITLE + (
        "项  目代码单位本年实际项  目代码单位本年实际\n"
        "11\n"
        "一、从业人员1431          1、财政补贴收入47千元1,930\n"
        "   其中:专业技术人才1520    购书专项经费48千元210\n"
        "         其中:正高级职称16\n"
        "               中级职称177    2、上级补助收入49千元0\n"
        "二、藏量18册、件301,225    3、其他收入50千元15\n"
        "  1、图书19280,005十五、本年支出合计51千元2,410\n"
        "        其中:盲文图书20\n"
    )
    got = facts(text)
    assert got[("staff", 2020)] == 31
    assert got[("collection", 2020)] == 301225
    assert got[("budget", 2020)] == 1930000
    assert got[("acquisition_funds", 2020)] == 210000
    assert got[("expenditure", 2020)] == 2410000


def test_form_value_with_its_own_unit_after_the_code() -> None:
    text = FORM_TITLE + (
        "项目代码单位指标\n"
        "一、从业人员119人\n"
        "  其中:专业技术人才125\n"
        "二、总藏量13册、件12.6万册\n"
        "十五、本年支出合计57千元980\n"
    )
    got = facts(text)
    assert got[("staff", 2020)] == 9
    assert got[("collection", 2020)] == 126000
    assert got[("expenditure", 2020)] == 980000


def test_budget_table_one_cell_per_line() -> None:
    # a 决算 table whose cells each came out on a line; an empty cell (| |) ends a row
    text = (
        "青石县图书馆2020年度部门决算\n"
        "单位:万元 | |||||\n"
        "项 目 |\n行次 |\n金额 |\n项 目 |\n行次 |\n金额 | ||\n"
        "一、财政拨款收入 |\n1 |\n245.60 |\n一、一般公共服务支出 |\n30 |\n||||\n"
        "二、事业收入 |\n2 |\n七、文化旅游体育与传媒支出 |\n36 |\n241.00 | ||||\n"
    )
    got = facts(text)
    assert got[("budget", 2020)] == 2456000
    assert ("expenditure", 2020) not in got  # one line by function, not the total


def test_thousands_set_apart_by_spaces() -> None:
    got = facts("柳湾市图书馆2003年概况\n至2003年底，该馆藏书1 372 508册。全年接待读者612 040人次。\n")
    assert got[("collection", 2003)] == 1372508
    assert got[("visits", 2003)] == 612040
    got = facts("柳湾市图书馆2003年概况\n2003年全馆图书外借 86 215 册次，新办借书证 3 104 张。\n")
    assert got[("loans", 2003)] == 86215
    assert got[("new_cards", 2003)] == 3104


def test_year_columns_of_single_spaced_digits_stay_apart() -> None:
    from extract.quantities import find_quantities

    assert [q.value for q in find_quantities("1987 6.04 1030 1.50")] == [1987, 6.04, 1030, 1.5]


def test_pinyin_runs_and_markup_dropped_with_offsets() -> None:
    text = ("柳灣市圖書館2016年概況\n館舍建(jian)筑面(mian)(mian)積8200平(ping)方米,"
            "財政(zheng)撥款(kuan)410萬(wàn)(wàn)元。\n")
    res = extract_text(text)
    got = {f.metric: f for f in res.facts}
    assert got["floor_area"].value == 8200
    assert got["budget"].value == 4100000
    assert text[got["floor_area"].char_start:].startswith("8200")
    html = ("柳湾市图书馆2016年概况\\u003cp>全年接待读者&nbsp;35.2万人次&#12290;\\u003c/p>"
            "\\u003cp>外借图书&nbsp;41万册次&#65292;新办读者证2100张。\\u003c/p>")
    got = {f.metric: f for f in extract_text(html).facts}
    assert got["visits"].value == 352000
    assert got["loans"].value == 410000
    assert got["new_cards"].value == 2100
    assert html[got["new_cards"].char_start:].startswith("2100")


def test_table_by_year_fixed_width_with_units_in_header() -> None:
    text = ("柳湾县志 图书馆\n表5 柳湾县图书馆历年服务情况\n"
            "    年份       到馆读者(万人次)        办证(个)       外借图书(万册)\n"
            "    1983         1.35                  —               2.10\n"
            "    1984         2.40                 410              3.05\n")
    got = facts(text)
    assert got[("visits", 1983)] == 13500
    assert got[("loans", 1983)] == 21000
    assert got[("visits", 1984)] == 24000
    assert got[("new_cards", 1984)] == 410
    assert got[("loans", 1984)] == 30500


def test_table_by_year_pipe_rows_with_multiplier_only() -> None:
    text = ("柳湾市图书馆历年主要指标\n"
            "| 年份 | 到馆人次(万) | 借阅册次(万) |\n"
            "| 2016 | 31.2 | 40.5 |\n"
            "| 2017 | 33.8 | 42.0 |\n")
    got = facts(text)
    assert got[("visits", 2016)] == 312000
    assert got[("loans", 2017)] == 420000


def test_bracketed_unit_of_a_label_scales_its_bare_figure() -> None:
    # a two-column list without pipes, and label（unit）：value prose: the header's 万 is no figure
    got = facts("石门县图书馆\n2023年度统计数据\n馆藏总量（万册）| 46.8\n到馆人次（万人次）| 31.2\n")
    assert got == {("collection", 2023): 468000, ("visits", 2023): 312000}
    got = facts("石门县图书馆2023年统计\n外借册次(万册次)：18.6；购书经费（万元）：35。")
    assert got == {("loans", 2023): 186000, ("acquisition_funds", 2023): 350000}


def test_tab_separated_rows_are_never_joined_as_wrapped_lines() -> None:
    # a spreadsheet pasted as text: each row keeps its own line and its own year columns
    got = facts("石门县图书馆2022年基本情况\n指标\t2022年\t2021年\n总藏量(册)\t468000\t441000\n"
                "总流通人次\t312000\t280000")
    assert got == {("collection", 2022): 468000, ("collection", 2021): 441000,
                   ("visits", 2022): 312000, ("visits", 2021): 280000}
    got = facts("石门县图书馆2022年基本情况\n项目\t数量\n书刊外借册次\t186000\n新办读者证(张)\t2100")
    assert got == {("loans", 2022): 186000, ("new_cards", 2022): 2100}


def test_halfwidth_forms_and_glosses_only_after_han() -> None:
    from extract.stages.normalize import halfwidth, normalize

    assert halfwidth("２０２３年（一）接待读者１２．５万人次！　") == "2023年(一)接待读者12.5万人次! "
    nt = normalize("館(guan)藏ABC(abc)12(ab)冊")
    assert nt.text == "馆藏ABC(abc)12(ab)册"  # a bracket of letters after Latin or digits is no gloss
    assert nt.text[2] == "A" and nt.original[nt.index[2]] == "A"


def test_labels_of_many_figures_at_once_are_each_figures_own() -> None:
    from extract.stages.tokens import label, labels

    lefts = ["全年接待读者到馆", "新增注册\n读者证", "", "馆藏纸质图书总量达到了", "2023年举办各类讲座", "ab 12"]
    assert labels(lefts) == [label(x) for x in lefts]
    assert labels(lefts) == ["全年接待读者到馆", "新增注册读者证", "", "图书总量达到了", "年举办各类讲座", ""]
    assert labels([]) == []


def test_labels_read_off_jieba_blocks_are_the_spacy_documents_words() -> None:
    """labels cuts each of jieba's blocks alone, once per document, and reads only the last
    blocks: on random lefts (Han, the Han jieba's blocks leave out, Latin, digits, spaces,
    line breaks, repeated words) it gives what the words of a spaCy document give."""
    import random

    from extract.stages.tokens import label, labels

    rng = random.Random(11)
    pool = ["图书馆", "接待读者", "人次", "馆藏", "总量", "达到", "\u9fd6", "\u9fe0", "ab", "12", "3.5", " ", "\n",
            "\r\n", "\u3000", "，", "（", "万册", "-", "%", "全年", "新增注册读者证"]
    lefts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 14))) for _ in range(300)]
    assert labels(lefts) == [label(x) for x in lefts]
    assert labels(lefts, 2) == [label(x, 2) for x in lefts]


def test_label_blocks_are_the_blocks_jieba_cuts_alone() -> None:
    import jieba

    from extract.stages.tokens import JIEBA_BLOCK

    block, outside_han = JIEBA_BLOCK.pattern.split("|")
    assert f"({block})" == jieba.re_han_default.pattern
    assert outside_han == "[\u9fd6-\u9fff]" and jieba.re_han_default.match("\u9fd5") and not jieba.re_han_default.match("\u9fd6")


def test_gap_and_gloss_patterns_find_what_their_look_behind_forms_find() -> None:
    """HAN_GAP and PINYIN_GLOSS open with what the engine scans for fast; on random text of
    Han characters, spaces, brackets and letters they match where the plain forms do."""
    import random

    import regex

    from extract.stages.normalize import HAN_CHAR, HAN_GAP, PINYIN_GLOSS

    gap = regex.compile(r"(?<=\p{Han})[ \t\u3000]{1,2}(?=\p{Han})")
    gloss = regex.compile(r"(?<=\p{Han})(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\))+")
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice("中文館 \t\u3000(ab)xā1") for _ in range(120))
        assert [m.span() for m in HAN_GAP.finditer(text)] == [m.span() for m in gap.finditer(text)]
        found = [m.span() for m in PINYIN_GLOSS.finditer(text) if m.start() and HAN_CHAR.match(text, m.start() - 1)]
        assert found == [m.span() for m in gloss.finditer(text)]


def test_make_doc_gives_spacys_own_tokens() -> None:
    from extract.stages.tokens import make_doc, nlp

    for text in ["", " ", "  全年 接待  读者\u3000\t 56万 人次 ", "\r\n x \r\n", "a\n\nb  ", "x \u00a0 y", "馆藏(万册):46.8"]:
        ours = [(t.text, t.whitespace_, t.idx) for t in make_doc(text)]
        assert ours == [(t.text, t.whitespace_, t.idx) for t in nlp().make_doc(text)], text
