"""Whole-document behaviour on small made-up reports: status, year, period, scope,
tables, debris and provenance.  Each report is written the way such reports are
written in general, not copied from the corpus."""

from __future__ import annotations

from extract.pipeline import extract_text


def facts(text: str) -> dict[tuple, tuple]:
    res = extract_text(text)
    return {(f.metric, f.status, f.year, f.period): (f.value, f.qualifier) for f in res.facts}


def test_summary_with_next_year_plan() -> None:
    text = (
        "某某市图书馆2021年工作总结\n"
        "2021年，全馆共接待读者52.3万人次，外借图书31万册次，新办读者证4200张。\n"
        "二、2022年工作计划\n"
        "力争全年接待读者达到60万人次，外借图书35万册次以上。\n"
    )
    got = facts(text)
    assert got[("visits", "actual", 2021, "")] == (523000, "exact")
    assert got[("loans", "actual", 2021, "")] == (310000, "exact")
    assert got[("new_cards", "actual", 2021, "")] == (4200, "exact")
    assert got[("visits", "target", 2022, "")] == (600000, "exact")
    assert got[("loans", "target", 2022, "")] == (350000, "over")
    assert extract_text(text).doc_type == "mixed"


def test_plan_document_is_all_targets() -> None:
    text = "江川县图书馆2024年工作要点\n一、全年举办公益讲座20场，展览12期，新增馆藏图书1.5万册。\n"
    res = extract_text(text)
    assert res.doc_type == "plan"
    assert {(f.metric, f.status, f.year) for f in res.facts} == {
        ("lectures", "target", 2024), ("exhibitions", "target", 2024), ("new_acquisitions", "target", 2024)}


def test_half_year_report_marks_period() -> None:
    text = "青河区图书馆2019年上半年工作总结\n上半年共接待读者8.2万人次，举办各类读者活动56场次。\n"
    got = facts(text)
    assert got[("visits", "actual", 2019, "H1")] == (82000, "exact")
    assert got[("events", "actual", 2019, "H1")] == (56, "exact")


def test_month_figure_not_beside_annual() -> None:
    text = "吉安市图书馆2020年工作总结\n2020年，全馆接待读者40万人次。其中8月份为全年高峰，当月接待读者6.1万人次。"
    got = facts(text)
    assert got == {("visits", "actual", 2020, ""): (400000, "exact")}


def test_total_wins_over_its_parts_and_flags_the_sum() -> None:
    res = extract_text("2018年，共举办讲座40场，包括名家讲座10场、公益讲座30场。")
    (fact,) = [f for f in res.facts if f.metric == "lectures"]
    assert fact.value == 40
    assert "parts_sum_to_total" in fact.flags


def test_other_bodies_changes_and_averages_are_not_headlines() -> None:
    text = (
        "2017年，全省公共图书馆共接待读者2600万人次。"
        "我馆全年接待读者85万人次，接待读者较上年增长5万人次，日均接待读者2300人次。"
        "为全市农家书屋配送图书3万册。"
    )
    res = extract_text(text)
    assert [(f.metric, f.value) for f in res.facts] == [("visits", 850000)]
    reasons = {m.value: m.reason for m in res.mentions if m.metric}
    assert reasons[26000000].startswith("another body")
    assert reasons[50000] == "a change, not a level"
    assert reasons[2300].startswith("average")


def test_figure_describing_another_body_named_after_it() -> None:
    # 馆藏N册的少儿图书馆 / 拥有N个座位的文化馆: the figure is that body's, not the library's
    res = extract_text("安平县图书馆2020年工作简报\n国庆期间，安平县图书馆接待读者1.2万人次，"
                       "藏书3万余册的县少儿图书馆也迎来借阅高峰。")
    assert {(f.metric, f.value) for f in res.facts} == {("visits", 12000)}
    res = extract_text("安平县图书馆2020年工作简报\n全年安平县图书馆外借图书8万册次。"
                       "新建成拥有120个座位的镇文化站同时开放。")
    assert {(f.metric, f.value) for f in res.facts} == {("loans", 80000)}
    assert any(m.value == 120 and m.reason.startswith("another body") for m in res.mentions)


def test_a_library_describing_itself_keeps_its_figure() -> None:
    res = extract_text("安平县少年儿童图书馆2020年工作总结\n全年接待读者9万人次。本馆是一座藏书26万册的少年儿童图书馆。")
    assert {(f.metric, f.value) for f in res.facts} == {("collection", 260000), ("visits", 90000)}
    res = extract_text("安平县少年儿童图书馆2020年工作总结\n2020年，拥有阅览座位600个的少年儿童图书馆全面开放。")
    assert {(f.metric, f.value) for f in res.facts} == {("seats", 600)}
    res = extract_text("安平县图书馆2020年工作总结\n2020年，本馆成为拥有阅览座位800个的县级图书馆。")
    assert {(f.metric, f.value) for f in res.facts} == {("seats", 800)}


def test_a_labelled_list_of_parts_gives_its_total() -> None:
    got = facts("泸县图书馆2019年工作总结\n馆藏图书：纸质图书21万册，电子图书10万册，合计31万册。")
    assert got == {("collection", "actual", 2019, ""): (310000, "exact")}
    got = facts("泸县图书馆2019年工作总结\n3、读者活动：少儿活动50场，成人活动30场，共计80场。")
    assert got == {("events", "actual", 2019, ""): (80, "exact")}
    # no total stated: no part becomes the total
    assert facts("泸县图书馆2019年工作总结\n馆藏图书：纸质图书21万册，电子图书10万册。") == {}


def test_several_libraries_counted_together_are_other_bodies() -> None:
    text = "安平县图书馆2022年工作总结\n2022年，全县三家公共图书馆共接待读者50万人次；安平县图书馆接待读者32万人次。"
    assert {(f.metric, f.value) for f in extract_text(text).facts} == {("visits", 320000)}
    text = "安平县图书馆2022年工作总结\n2022年，安平县图书馆外借图书12万册次。全市12座区级图书馆共外借图书300万册次。"
    assert {(f.metric, f.value) for f in extract_text(text).facts} == {("loans", 120000)}


def test_a_childrens_library_speaking_of_itself_by_its_kind() -> None:
    text = "杭州少年儿童图书馆2020年工作总结\n全年外借图书30万册次；少儿图书馆全年举办阅读活动200场。"
    assert {(f.metric, f.value) for f in extract_text(text).facts} == {("loans", 300000), ("events", 200)}
    # in another library's report the children's library stays another body
    text = "杭州图书馆2020年工作总结\n全年外借图书30万册次；少儿图书馆全年举办阅读活动200场。"
    assert {(f.metric, f.value) for f in extract_text(text).facts} == {("loans", 300000)}


def test_all_libraries_of_a_place_are_other_bodies() -> None:
    res = extract_text("安平县图书馆2020年工作简报\n暑期，安平县图书馆新办读者证900张；"
                       "全县各图书馆开展阅读活动300余场。")
    assert {(f.metric, f.value) for f in res.facts} == {("new_cards", 900)}
    res = extract_text("安平县图书馆2020年工作简报\n2020年，安平县图书馆新办读者证900张。"
                       "同期，本市各类公共图书馆共举办讲座120场。")
    assert {(f.metric, f.value) for f in res.facts} == {("new_cards", 900)}


def test_share_of_the_librarys_own_whole_is_a_part() -> None:
    res = extract_text("安平县图书馆2020年工作简报\n2020年，全馆新办读者证5200张；少儿读者是主力，"
                       "共计办证3100张，占新办证总数的59.6%。")
    assert {(f.metric, f.value) for f in res.facts} == {("new_cards", 5200)}
    res = extract_text("安平县图书馆2020年工作简报\n暑期外借图书6万册次，约占全馆的三成。")
    assert res.facts == []
    assert any(m.value == 60000 and m.reason.startswith("a share of a total") for m in res.mentions)
    # a share of a wider whole, of a target, of another measure: the library's own figure stands
    for share in ("占全市的四成", "占全年目标任务的120%", "占总流通量的60%", "占常住人口的2%"):
        res = extract_text(f"安平县图书馆2020年工作简报\n2020年，安平县图书馆接待读者30万人次，{share}。")
        assert {(f.metric, f.value) for f in res.facts} == {("visits", 300000)}, share


def test_web_page_debris_never_gives_facts() -> None:
    text = (
        "当前位置：首页 > 通知公告 > 正文\n"
        "发布时间：2019-01-08  作者：石桥县图书馆  点击次数：1532次\n"
        "石桥县图书馆2018年工作总结\n"
        "2018年全馆共接待读者12万人次。\n"
        "相关阅读\n"
        "某县图书馆接待读者99万人次\n"
    )
    res = extract_text(text)
    assert [(f.metric, f.value) for f in res.facts] == [("visits", 120000)]
    assert res.library == "石桥县图书馆"
    assert res.year == 2018


def test_traditional_text_keeps_original_evidence_and_offsets() -> None:
    text = "臺東縣立圖書館2018年年報\n全年借閱圖書達12萬冊次，辦理借書證3,200張。"
    res = extract_text(text)
    got = {f.metric: f for f in res.facts}
    assert got["loans"].value == 120000
    assert got["new_cards"].value == 3200
    f = got["new_cards"]
    assert text[f.char_start : f.char_end].startswith("3,200")
    assert "辦理借書證" in f.evidence  # quoted as the source writes it


def test_statistics_table_with_year_columns_and_unit_line() -> None:
    text = (
        "表1 主要业务指标\n"
        "| 指标 | 单位 | 2021年 | 2022年 |\n"
        "| 总流通人次 | 万人次 | 80.5 | 96.2 |\n"
        "| 书刊文献外借册次 | 万册次 | 40 | 52.3 |\n"
        "单位：万元\n"
        "| 项目 | 本年 |\n"
        "| 财政拨款 | 860 |\n"
    )
    got = facts("2022年业务统计\n" + text)
    assert got[("visits", "actual", 2021, "")] == (805000, "exact")
    assert got[("visits", "actual", 2022, "")] == (962000, "exact")
    assert got[("loans", "actual", 2022, "")] == (523000, "exact")
    assert got[("budget", "actual", 2022, "")] == (8600000, "exact")


def test_report_without_figures_gives_no_facts() -> None:
    res = extract_text("图书馆2015年工作计划\n一、继续做好免费开放工作。\n二、加强队伍建设，提高服务水平。")
    assert res.facts == []


def test_list_number_before_year_is_not_a_decimal() -> None:
    res = extract_text("1.2020 年“书香”读书活动。\n2.4·23 世界读书日宣传活动。")
    assert res.facts == []
    assert all(m.value not in (1.202, 2.4) for m in res.mentions)


def test_masked_library_name_is_empty_and_no_year_is_empty() -> None:
    res = extract_text("**县图书馆20__年工作总结\n全年接待读者3万人次。")
    assert res.library == ""
    assert res.year is None
    assert [(f.metric, f.value, f.year) for f in res.facts] == [("visits", 30000, None)]


def test_label_colon_figure_lists() -> None:
    text = "某区图书馆2022年年报\n主要数据：总流通人次：56.8万人次；书刊外借册次：31.2万册次；新办读者证：2,318张。"
    got = facts(text)
    assert got[("visits", "actual", 2022, "")] == (568000, "exact")
    assert got[("loans", "actual", 2022, "")] == (312000, "exact")
    assert got[("new_cards", "actual", 2022, "")] == (2318, "exact")


def test_summary_ending_with_unyeared_plan_targets_next_year() -> None:
    text = ("兴平市图书馆2016年工作总结\n一、全年共接待读者20万人次。\n"
            "二、下一步工作打算\n争取接待读者达到25万人次。")
    got = facts(text)
    assert got[("visits", "actual", 2016, "")] == (200000, "exact")
    assert got[("visits", "target", 2017, "")] == (250000, "exact")


def test_subject_room_takes_over_but_not_the_whole_library() -> None:
    res = extract_text("2019年，电子阅览室全年开放300天，接待读者1.2万人次，全馆接待读者45万人次。")
    assert {(f.metric, f.value) for f in res.facts} == {("e_reading_visits", 12000), ("visits", 450000)}


def test_level_after_a_change_keeps_its_metric() -> None:
    res = extract_text("2019年，读者到馆量较上年增长8万人次，达到53万人次。")
    assert [(f.metric, f.value) for f in res.facts] == [("visits", 530000)]


def test_half_year_summary_with_second_half_plan() -> None:
    text = ("临江区图书馆2018年上半年工作总结\n上半年共接待读者21.6万人次。\n"
            "组织“世界读书日”系列活动，参与群众3000余人。\n"
            "三、下半年工作打算\n力争全年接待读者45万人次。")
    got = facts(text)
    assert got[("visits", "actual", 2018, "H1")] == (216000, "exact")
    assert got[("event_attendance", "actual", 2018, "H1")] == (3000, "over")
    assert got[("visits", "target", 2018, "")] == (450000, "exact")


def test_plan_recalling_last_year_states_actual_figures() -> None:
    text = ("北辰区图书馆2015年工作计划\n1、全年接待读者不少于25万人次。\n"
            "2、2014年全年接待读者22.3万人次，外借图书18.6万册次。")
    got = facts(text)
    assert got[("visits", "target", 2015, "")] == (250000, "over")
    assert got[("visits", "actual", 2014, "")] == (223000, "exact")
    assert got[("loans", "actual", 2014, "")] == (186000, "exact")


def test_territory_wide_totals_are_another_body_and_named_public_library() -> None:
    text = ("香江區公共圖書館公布2019年借閱排行榜\n香江區公共圖書館全年共有152萬人次到館；圖書館共借出圖書486萬冊次。"
            "本年度共舉辦推廣活動1,850項。全港公共圖書館全年借出圖書逾4,000萬冊次。")
    res = extract_text(text)
    assert res.library == "香江区公共图书馆"
    assert {(f.metric, f.value) for f in res.facts} == {("visits", 1520000), ("loans", 4860000), ("events", 1850)}


def test_respectively_pairs_words_and_figures_in_order() -> None:
    got = facts("2019年，全年举办讲座、展览、培训分别为45场、20场、30期。全馆接待读者、外借图书分别达到52万人次和31万册次。")
    assert got == {
        ("lectures", "actual", 2019, ""): (45, "exact"), ("exhibitions", "actual", 2019, ""): (20, "exact"),
        ("trainings", "actual", 2019, ""): (30, "exact"), ("visits", "actual", 2019, ""): (520000, "exact"),
        ("loans", "actual", 2019, ""): (310000, "exact")}


def test_statistics_lines_and_bare_table_numbers() -> None:
    text = "2020年主要业务数据\n新办读者证  2318\n总流通人次：568000人次\n财政拨款(万元) 860\n| 指标 | 数值 |\n| 有效借书证数 | 41,200 |\n"
    got = facts(text)
    assert got == {("new_cards", "actual", 2020, ""): (2318, "exact"),
                   ("visits", "actual", 2020, ""): (568000, "exact"),
                   ("budget", "actual", 2020, ""): (8600000, "exact"),
                   ("registered_readers", "actual", 2020, ""): (41200, "exact")}


def test_a_ranking_is_not_a_subgroup_but_a_top_reader_is() -> None:
    text = ("云溪县图书馆2018年工作总结\n在全省县级图书馆中，我馆借阅量排名第3位，全年外借图书12万册次。"
            "借阅最多的一位读者全年借阅图书420册。")
    assert [(f.metric, f.value) for f in extract_text(text).facts] == [("loans", 120000)]
