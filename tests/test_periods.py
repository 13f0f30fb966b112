"""Status, year and period of a figure on small made-up reports: years that hold across
semicolons, the present after a dated stock, spans (since an opening, ranges of dates,
up to a month), and which of them become rows.  Written for these tests, not copied."""

from __future__ import annotations

from extract.pipeline import extract_text


def facts(text: str) -> dict[tuple, tuple]:
    res = extract_text(text)
    return {(f.metric, f.status, f.year, f.period): (f.value, f.qualifier) for f in res.facts}


def test_year_holds_across_semicolons() -> None:
    text = ("松江区图书馆发布年度阅读数据\n2022年5月报道：数据显示，2021年，松江区图书馆接待读者到馆62万人次；"
            "外借图书48万册次；全年新办读者证5100张。")
    got = facts(text)
    assert got[("visits", "actual", 2021, "")] == (620000, "exact")
    assert got[("loans", "actual", 2021, "")] == (480000, "exact")
    assert got[("new_cards", "actual", 2021, "")] == (5100, "exact")


def test_year_after_semicolon_in_a_plan_recall() -> None:
    text = ("青石县图书馆2020年工作总结\n回顾上一阶段，2019年全馆共接待读者18万人次；外借图书9.5万册次。"
            "2020年全馆共接待读者21万人次，外借图书11万册次。")
    got = facts(text)
    assert got[("loans", "actual", 2019, "")] == (95000, "exact")
    assert got[("loans", "actual", 2020, "")] == (110000, "exact")


def test_present_after_a_dated_stock_is_the_report_year() -> None:
    text = ("2018年云岭市图书馆迎来建馆六十周年\n11月报道。截至2017年底，云岭市图书馆馆藏图书约260万册，"
            "目前，云岭市图书馆共有阅览座位1800个，持证读者总量近40万张。")
    got = facts(text)
    assert got[("collection", "actual", 2017, "")] == (2600000, "approx")
    assert got[("seats", "actual", 2018, "")] == (1800, "exact")
    assert got[("registered_readers", "actual", 2018, "")][0] == 400000


def test_present_stock_in_a_summary_after_last_year() -> None:
    text = "河湾区图书馆2019年工作总结\n去年年底馆藏图书30万册，现有馆藏图书达到33万册。"
    got = facts(text)
    assert got[("collection", "actual", 2019, "")] == (330000, "exact")


def test_since_a_start_is_a_span_and_gives_way_to_the_year() -> None:
    text = ("平川市图书馆2021年工作总结\n全年新办读者证8200张，接待读者51万人次。\n"
            "本馆自2015年推行总分馆制以来，新办读者证4万余张，接待读者260万人次。")
    got = facts(text)
    assert got[("new_cards", "actual", 2021, "")] == (8200, "exact")
    assert got[("visits", "actual", 2021, "")] == (510000, "exact")
    assert not [k for k in got if k[3] == "span"]


def test_since_opening_without_annual_figures_is_a_span_row() -> None:
    text = ("东坪县图书馆新馆开放半年\n2023年报道：新馆试运行以来，共接待读者12.6万人次，外借图书4.3万册次，"
            "累计办理读者证7300张。")
    got = facts(text)
    assert got[("visits", "actual", 2023, "span")] == (126000, "exact")
    assert got[("loans", "actual", 2023, "span")] == (43000, "exact")
    assert got[("registered_readers", "actual", 2023, "")] == (7300, "exact")


def test_range_of_dates_across_years_is_a_span_ending_in_its_last_year() -> None:
    text = ("北岭县图书馆发布阅读榜单\n2019年4月报道：2018年3月1日至2019年3月1日，北岭县图书馆共接待读者30.5万人次。"
            "据统计，2018年，北岭县图书馆共接待读者28.7万人次，借出图书16万册。")
    got = facts(text)
    assert got[("visits", "actual", 2018, "")] == (287000, "exact")
    assert ("visits", "actual", 2019, "span") not in got  # a span beside an annual figure


def test_summer_dates_and_up_to_a_month_are_spans() -> None:
    text = ("西津市图书馆暑期服务火爆\n2016年报道：7月5日至8月25日，西津市图书馆共接待读者7.2万人次，外借图书3.1万册次。")
    got = facts(text)
    assert got[("visits", "actual", 2016, "span")] == (72000, "exact")
    text = "南坡区图书馆2017年前三季度工作简报\n截至9月底，全馆接待读者20.4万人次，馆藏图书总量41万册。"
    got = facts(text)
    assert got[("visits", "actual", 2017, "span")] == (204000, "exact")
    assert got[("collection", "actual", 2017, "")] == (410000, "exact")


def test_this_year_so_far_is_not_a_span() -> None:
    got = facts("湖口县图书馆2020年工作总结\n自今年以来，全馆共接待读者15万人次。")
    assert got[("visits", "actual", 2020, "")] == (150000, "exact")


def test_news_posted_next_year_counts_relative_years_from_its_posting() -> None:
    text = ("汾水县图书馆年度考核获评优秀\n发布时间：2020-03-18 09:12\n"
            "2019年，汾水县图书馆借还图书12万册，举办各类活动60余场次。\n"
            "近日，全县事业单位年度绩效考核结果揭晓，汾水县图书馆凭借扎实的阅读推广和读者服务成绩获评优秀等次。\n"
            "今年，县图书馆将继续深化总分馆建设，推动乡镇分馆和村级服务点通借通还，"
            "举办各类阅读活动80场次以上，让更多群众走进图书馆。")
    got = facts(text)
    assert got[("loans", "actual", 2019, "")] == (120000, "exact")
    assert got[("events", "actual", 2019, "")] == (60, "over")
    assert got[("events", "target", 2020, "")] == (80, "over")


def test_last_year_in_a_news_item_posted_the_next_year() -> None:
    text = ("长汀市图书馆发布2018年阅读数据\n日期：2019-01-20\n"
            "去年，长汀市图书馆共接待读者41.5万人次，外借图书26万册次。2018年新办读者证3200张。")
    got = facts(text)
    assert got[("visits", "actual", 2018, "")] == (415000, "exact")
    assert got[("loans", "actual", 2018, "")] == (260000, "exact")
    assert got[("new_cards", "actual", 2018, "")] == (3200, "exact")


def test_yearless_dateline_early_in_a_year_reports_the_year_before() -> None:
    # 3月8日讯 on a report of 2023: written in 2024, so 去年 is 2023
    got = facts("青阳县图书馆晒出2023年成绩单\n本报3月8日讯 2023年，青阳县图书馆持续开展全民阅读。"
                "去年，青阳县图书馆接待读者38.2万人次，外借图书21万册次。")
    assert got[("visits", "actual", 2023, "")] == (382000, "exact")
    assert got[("loans", "actual", 2023, "")] == (210000, "exact")
    got = facts("新华社4月21日电 记者从渠县图书馆获悉，渠县图书馆发布了2022年度阅读报告。"
                "去年渠县图书馆新增藏书2.4万册，新办读者证6100张。")
    assert got[("new_acquisitions", "actual", 2022, "")] == (24000, "exact")
    assert got[("new_cards", "actual", 2022, "")] == (6100, "exact")


def test_a_byline_posted_the_next_year_counts_relative_years_from_it() -> None:
    # every posting date (here a byline) gives the text's present, not only 发布时间
    got = facts("青阳县图书馆发布2023年数据\n皖南日报 2024-01-12\n2023年，青阳县图书馆接待读者38万人次。"
                "今年，县图书馆将举办读者活动120场以上。")
    assert got[("visits", "actual", 2023, "")] == (380000, "exact")
    assert got[("events", "target", 2024, "")] == (120, "over")


def test_yearless_dateline_on_a_text_of_this_year_counts_from_the_report_year() -> None:
    got = facts("本报3月28日讯 2024年1至3月，青阳县图书馆接待读者6.1万人次。今年以来，新办读者证800张。")
    assert got[("new_cards", "actual", 2024, "")] == (800, "exact")


def test_yearless_dateline_late_in_a_year_counts_from_the_report_year() -> None:
    got = facts("青阳县图书馆2023年工作综述\n本报11月28日讯 2023年以来，青阳县图书馆持续开展全民阅读。"
                "去年，青阳县图书馆接待读者30万人次。")
    assert ("visits", "actual", 2023, "") not in got


def test_since_a_month_is_a_span_not_that_months_figure() -> None:
    got = facts("双流区图书馆2019年工作总结\n7月以来，全馆接待读者5万人次。")
    assert got == {("visits", "actual", 2019, "span"): (50000, "exact")}
    got = facts("巴山县图书馆暑期人气旺\n发布时间：2019-08-16\n记者了解到，3月份至今，巴山县图书馆借阅图书近9000册次。")
    assert got == {("loans", "actual", 2019, "span"): (9000, "under")}
    # since January is the year so far: the year's own figure
    got = facts("双流区图书馆2019年工作总结\n1月以来，全馆接待读者20万人次。")
    assert got == {("visits", "actual", 2019, ""): (200000, "exact")}


def test_quarters_and_stretches_from_january() -> None:
    got = facts("丰林县图书馆2022年一季度工作简报\n今年1到3月份，丰林县图书馆接待读者3.4万人次。")
    assert got[("visits", "actual", 2022, "Q1")] == (34000, "exact")
    got = facts("丰林县图书馆2022年工作简报\n2022年前三季度，全馆接待读者9.6万人次。")
    assert got[("visits", "actual", 2022, "span")] == (96000, "exact")
    got = facts("丰林县图书馆2022年工作简报\n1—11月，全馆外借图书7.7万册次。")
    assert got[("loans", "actual", 2022, "span")] == (77000, "exact")
    got = facts("丰林县图书馆2022年工作简报\n4—6月，全馆外借图书2.1万册次。")
    assert got[("loans", "actual", 2022, "Q2")] == (21000, "exact")


def test_monthly_report_lines_name_their_month() -> None:
    text = "石门区图书馆2021年读者活动月报\n6月：举办讲座4场；听众320人。\n七月份，接待读者1.9万人次。"
    got = facts(text)
    assert got[("lectures", "actual", 2021, "M06")] == (4, "exact")
    assert got[("visits", "actual", 2021, "M07")] == (19000, "exact")


def test_a_month_named_before_its_figures_and_the_part_after_it() -> None:
    text = ("东岸市图书馆暑期人气旺\n2023年8月报道。记者从东岸市图书馆获悉，8月，东岸市图书馆接待读者超20万人次。"
            "其中少儿馆接待读者约6万人次，与7月相比增长三成。")
    got = facts(text)
    assert got == {("visits", "actual", 2023, "M08"): (200000, "over")}
    got = facts("东岸市图书馆暑期人气旺\n2023年报道：东岸市图书馆9月入馆读者达15万人次。")
    assert got[("visits", "actual", 2023, "M09")] == (150000, "exact")


def test_holidays_that_open_a_sentence_are_spans_but_not_in_passing() -> None:
    got = facts("白沙县图书馆2019年工作总结\n国庆假期，白沙县图书馆共接待读者6800人次。")
    assert got[("visits", "actual", 2019, "span")] == (6800, "exact")
    got = facts("白沙县图书馆2019年工作总结\n春节期间，全馆外借图书5200册次。")
    assert got[("loans", "actual", 2019, "span")] == (5200, "exact")
    got = facts("白沙县图书馆2019年工作总结\n2019年，全馆以寒暑假为重点，开展读者活动120余场次。")
    assert got[("events", "actual", 2019, "")] == (120, "over")


def test_ranges_of_days_and_one_days_flow_are_spans() -> None:
    got = facts("岚山区图书馆春节服务\n2020年报道：据统计，1月25日—31日，岚山区图书馆接待读者9100人次，借还书3300册次。")
    assert got[("visits", "actual", 2020, "span")] == (9100, "exact")
    assert got[("loans", "actual", 2020, "span")] == (3300, "exact")
    got = facts("岚山区图书馆2020年工作总结\n全年接待读者28万人次，其中4月23日接待读者2100人次。")
    assert got == {("visits", "actual", 2020, ""): (280000, "exact")}


def test_a_range_of_years_and_the_sums_after_it() -> None:
    text = ("清水县图书馆五年发展回顾\n2015—2019年，清水县图书馆累计接待读者96万人次。"
            "累计外借图书52万册次。")
    got = facts(text)
    assert got[("visits", "actual", 2019, "span")] == (960000, "exact")
    assert got[("loans", "actual", 2019, "span")] == (520000, "exact")


def test_a_plans_look_back_is_the_year_before() -> None:
    intro = "为进一步提升公共文化服务效能，推进全民阅读，结合本馆实际和上级部门的工作部署，现将本年度工作安排如下，请各部室认真抓好落实。\n"
    text = ("金坪县图书馆2021年工作计划\n" + intro * 4 + "一、工作回顾\n全馆接待读者19万人次，外借图书8万册次。\n"
            "二、主要任务\n全年接待读者达到22万人次。")
    got = facts(text)
    assert got[("visits", "actual", 2020, "")] == (190000, "exact")
    assert got[("visits", "target", 2021, "")] == (220000, "exact")
    text = "金坪县图书馆2021年工作要点\n过去一年，全馆外借图书8万册次。力争全年外借图书10万册次。"
    got = facts(text)
    assert got[("loans", "actual", 2020, "")] == (80000, "exact")
    assert got[("loans", "target", 2021, "")] == (100000, "exact")


def test_a_history_year_never_sets_the_figures_year() -> None:
    got = facts("龙溪县图书馆2018年工作总结\n1984年建馆，馆舍面积3200平方米，藏书21万册。")
    assert got[("floor_area", "actual", 2018, "")] == (3200, "exact")
    assert got[("collection", "actual", 2018, "")] == (210000, "exact")
    got = facts("龙溪县图书馆2018年工作总结\n2016年10月，新馆投入使用，建筑面积8000平方米，阅览座位650个。")
    assert got[("floor_area", "actual", 2018, "")] == (8000, "exact")
    assert got[("seats", "actual", 2018, "")] == (650, "exact")


def test_a_change_of_rank_or_seat_with_its_subject_between_is_history() -> None:
    got = facts("龙溪县图书馆2018年工作总结\n2003年龙溪县图书馆升格为副处级单位，设有阅览室5个，阅览座位420个。")
    assert got[("seats", "actual", 2018, "")] == (420, "exact")
    got = facts("龙溪县图书馆2018年工作总结\n2011年全馆整体迁至滨河路，馆舍面积5600平方米。")
    assert got[("floor_area", "actual", 2018, "")] == (5600, "exact")


def test_a_compared_year_holds_for_its_own_clause_only() -> None:
    got = facts("龙溪县图书馆2019年工作总结\n本年度接待读者20万人次，较2018年增长10%，外借图书11万册次。")
    assert got[("loans", "actual", 2019, "")] == (110000, "exact")
    got = facts("龙溪县图书馆2019年工作总结\n全年新办读者证2600张，比2018年多400张，举办讲座36场。")
    assert got[("lectures", "actual", 2019, "")] == (36, "exact")
