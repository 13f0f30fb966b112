"""Document attribution: the library and the year of a report (extract/attribution.py),
and the gazetteer it checks place names against (extract/gazetteer.py).  Made-up texts,
at least two phrasings per class of report writing."""

from __future__ import annotations

import pytest

from extract import gazetteer
from extract.pipeline import extract_text
from extract.stages.attribution import attribute, names_in
from extract.stages.normalize import normalize


def attr(text: str):
    return attribute(normalize(text))


# --- the gazetteer --------------------------------------------------------------------

def test_gazetteer_full_and_short_forms():
    (p,) = gazetteer.lookup("武胜县")
    assert (p.level, p.province, p.city, p.adcode) == ("county", "四川省", "广安市", "511622")
    assert gazetteer.lookup("武胜") == [p]
    assert gazetteer.lookup("黔东南州")[0].name == "黔东南苗族侗族自治州"
    assert gazetteer.lookup("宁夏")[0].level == "province"
    assert gazetteer.lookup("屏东县")[0].province == "台湾省"  # from rules/places.yaml
    assert len(gazetteer.lookup("朝阳")) > 1  # a short form can name several places
    assert not gazetteer.is_place("全市") and not gazetteer.is_place("过市")


def test_gazetteer_chain_and_parents():
    assert gazetteer.place_chain("说明南充市仪陇县") == ["南充市", "仪陇县"]
    assert gazetteer.place_chain("紧紧围绕公共") == []
    assert gazetteer.parent_of("四川省", "仪陇县") and not gazetteer.parent_of("仪陇县", "南充市")
    assert gazetteer.same_place("苍溪", "苍溪县")


# --- library name ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "紧紧围绕公共图书馆的职能,我们把服务送到基层。",
    "全市公共图书馆联合开展了读书月活动。",
    "今年你去过市图书馆吗?不少读者给出了肯定的回答。",
])
def test_phrase_ending_in_library_is_no_name(text):
    assert [n for _, n in names_in(text) if n] == []


@pytest.mark.parametrize("text, name", [
    ("百科词条 宜宾市图书馆\n宜宾市图书馆位于市中心,藏书丰富。", "宜宾市图书馆"),
    ("据介绍,诸城市图书馆今年接待读者多达数十万人次。", "诸城市图书馆"),
    ("读者们来到嘉兴全市图书馆分馆借书,嘉兴市图书馆统计了全年借阅量。", "嘉兴市图书馆"),
])
def test_name_cut_to_the_place(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text, name", [
    # a partner or superior library named in the body is not the author
    ("读书节当天,南充市图书馆联合四川省图书馆开展活动,南充市图书馆还举办了讲座。南充市图书馆全年接待读者50万人次。", "南充市图书馆"),
    ("今年,宜宾市图书馆的读者越来越多。省图书馆专家到宜宾市图书馆指导,国家图书馆也捐赠了图书。", "宜宾市图书馆"),
])
def test_most_named_library_is_the_author(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text, name", [
    ("2019年仪陇图书馆年报\n发布日期:2020-01-05\n一、基本情况\n仪陇县图书馆全年接待读者12万人次。", "仪陇县图书馆"),
    ("黔东南州图书馆暑期读者多\n7月以来,黔东南苗族侗族自治州图书馆接待读者3万人次。", "黔东南苗族侗族自治州图书馆"),
])
def test_title_name_widened_to_the_full_form(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text, name", [
    # the title's name stays: a parent place the body puts before it is not part of it
    ("高坪区图书馆2020年年报\n南充市高坪区图书馆全年接待读者8万人次。", "高坪区图书馆"),
    # a city's short name is often the library's own name
    ("全年,南京图书馆接待读者300万人次,南京市图书馆之称并不正式。", "南京图书馆"),
    # a province before a city in the body is not part of the name
    ("近日,四川省宜宾市图书馆累计接待读者突破百万人次。宜宾市图书馆馆长介绍了情况。", "宜宾市图书馆"),
])
def test_no_parent_prefix(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text, name", [
    ("武胜县文化馆、县图书馆今年共接待群众20万人次。武胜县的阅读推广活动丰富多彩。", "武胜县图书馆"),
    ("仪陇新闻网讯 记者从县图书馆获悉,县图书馆上半年接待读者5万人次。", "仪陇县图书馆"),
])
def test_bare_county_library_completed(text, name):
    assert attr(text).library == name


def test_bare_city_library_with_two_cities_stays_empty():
    text = "南充将帮助宜宾市图书馆的新馆建设,市图书馆藏书将达百万册。南充市民也可借阅。"
    assert attr(text).library in ("", "宜宾市图书馆")
    assert attr("南充将帮市图书馆完成藏书,宜宾方面表示感谢。").library == ""


@pytest.mark.parametrize("text, name", [
    ("蒼溪縣圖書館2018年工作總結\n一年來,蒼溪縣圖書館接待讀者10萬人次。", "苍溪县图书馆"),
    ("花蓮縣立總圖書館新館啟用後,借閱人次大增。", "花莲县立总图书馆"),
])
def test_traditional_names(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text", [
    "**县图书馆2019年工作总结\n一年来,**县图书馆接待读者8万人次。",
    "XX区图书馆2020年年报\nXX区图书馆全年外借图书3万册次。",
])
def test_masked_name_is_empty(text):
    assert attr(text).library == ""


@pytest.mark.parametrize("text, name", [
    ("本报讯 记者从经开区图书馆获悉,经开区图书馆今年新增藏书1万册。", "经开区图书馆"),
    ("高新区图书馆2021年工作总结\n高新区图书馆全年接待读者6万人次。", "高新区图书馆"),
])
def test_zone_libraries(text, name):
    assert attr(text).library == name


# --- year -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, year", [
    # a founding or opening year is history, not the report's year
    ("宜宾市图书馆建于1984年,现有藏书80万册。\n发布时间:2019-03-02\n去年全馆接待读者40万人次。", 2019),
    ("南充市图书馆成立于1976年10月,2018年全馆接待读者50万人次,2018年外借图书20万册次。", 2018),
    ("自2020年元旦开馆以来,仪陇县图书馆累计接待读者突破百万人次。\n来源:仪陇日报 2022-05-06 09:12", 2022),
])
def test_history_year_is_not_the_year(text, year):
    assert attr(text).year == year


@pytest.mark.parametrize("text, year", [
    # posted in N+1 about year N: the body's year wins over the posting date
    ("宜宾市图书馆发布年度阅读报告\n发布时间:2022-01-15\n2021年,宜宾市图书馆接待读者60万人次,2021年外借图书30万册次。", 2021),
    ("来源:宜宾日报 2023-02-03 10:20\n过去的2022年,全馆到馆读者突破百万人次。", 2022),
])
def test_posting_date_does_not_override_the_body_year(text, year):
    assert attr(text).year == year


@pytest.mark.parametrize("text, year", [
    # a heading, then the posting line, then a photo caption with an old year: not the title
    ("【书香四十年】一位老读者的故事\n24.08.2016 12:15\n1990年馆员合影留念\n2015年,全馆接待读者30万人次。截至2015年底,藏书50万册。", 2015),
    ("读者服务再升级\n2021-06-01 08:00\n1979年的老照片\n今年以来,借阅量持续上升。", 2021),
])
def test_caption_under_the_heading_is_no_title(text, year):
    assert attr(text).year == year


@pytest.mark.parametrize("text, year", [
    ("宜宾市图书馆读者越来越多\n来源:宜宾新闻网 作者:张三 2018-05-07 08:43\n近来,到馆读者明显增多。", 2018),
    ("南充市图书馆暑期人气旺\n17-08-16 08:32 来源:南充日报\n今年暑假,每天到馆读者超过两千人次。", 2017),
])
def test_time_stamped_posting_line_dates_a_text_without_year(text, year):
    assert attr(text).year == year


@pytest.mark.parametrize("text, year", [
    # the source's name and a date on a line of their own; a bare date above it is the site's today
    ("2026-03-02\n首页 新闻\n金湖县图书馆新馆人气旺\n金湖日报 2021-10-12\n开馆一周以来，到馆读者超过2万人次。", 2021),
    ("Radio88 2019/7/3\n滨江区图书馆暑期借阅升温\n7月以来，滨江区图书馆借阅量明显增加。", 2019),
])
def test_byline_dates_a_text_without_year(text, year):
    assert attr(text).year == year


def test_a_date_alone_on_a_line_is_no_byline():
    assert attr("2026-03-02\n金湖县图书馆新馆人气旺\n开馆一周以来，到馆读者超过2万人次。").year is None


@pytest.mark.parametrize("text", [
    "20__年宜宾市图书馆工作总结\n一年来,全馆接待读者若干万人次。",
    "南充市图书馆简介\n南充市图书馆是一所综合性公共图书馆,现有藏书80万册。",
])
def test_no_year_no_guess(text):
    assert attr(text).year is None


@pytest.mark.parametrize("text, doc_type", [
    ("宜宾市2022年部门整体支出绩效目标表\n申报单位: 宜宾市图书馆\n年度目标:接待读者50万人次。", "plan"),
    ("南充市图书馆2019年项目目标表\n文献购置:新增图书2万册。", "plan"),
    ("南充市图书馆2019年预算执行情况总结\n全年新增图书2万册。", "summary"),
])
def test_target_tables_are_plans(text, doc_type):
    assert attr(text).doc_type == doc_type


@pytest.mark.parametrize("text, year", [
    # the title dates an event held in N+1; the figures are the year-N report's
    ("南充市图书馆启动2023年世界读书日系列活动\n当天,南充市图书馆2022年度阅读报告同步发布,全年接待读者60万人次。", 2022),
    ("宜宾市图书馆2020年读书月开幕\n开幕式上发布了宜宾市图书馆2019年年报:全年外借图书40万册次。", 2019),
])
def test_event_title_year_yields_to_the_year_report(text, year):
    assert attr(text).year == year



@pytest.mark.parametrize("text, year", [
    ("县志 第88页\n表5-2 1978—2016宜宾县图书馆藏书情况表\n1978 0.52 0.60\n1979 0.61 0.66", 2016),
    ("附表 2001年至2012年南充市图书馆读者统计表\n2001 3.1\n2002 3.4", 2012),
])
def test_table_over_years_dated_by_its_end(text, year):
    assert attr(text).year == year


# --- years that date an honour, not the figures -----------------------------------------

@pytest.mark.parametrize("text", [
    "某某县图书馆是县属公益单位,藏书丰富,环境优雅。2011年8月被省文化厅评为“三级图书馆”,深受群众喜爱。",
    "某某县图书馆位于城东新区。经过2017年第六次全国县级馆评估定级,该馆定为二级馆,服务不断提升。",
    "某某县图书馆积极组织少儿读者参加活动,在全省2019年少儿故事大赛中获得一等奖的好成绩。",
])
def test_award_year_alone_gives_no_year(text):
    assert attr(text).year is None


def test_award_year_with_a_figure_still_counts():
    text = "某某县图书馆2018年荣获省级文明单位称号,当年接待读者12万人次,外借图书8万册。"
    assert attr(text).year == 2018


@pytest.mark.parametrize("text,year", [
    ("金沙湾图书馆简介\n\n2016年,是金沙湾图书馆迁入新址的第五个年头。截至2015年年底,全馆共有读者证1.3万个。", 2015),
    ("某某县图书馆概况\n\n2020年正是该馆建馆四十周年。到2019年末,馆藏纸质图书达到21万册。", 2019),
])
def test_tie_goes_to_the_year_that_dates_figures(text, year):
    assert attr(text).year == year


@pytest.mark.parametrize("text", [
    "楼盘论坛 回帖\n日期:2019-03-02\n某某市图书馆新馆正在建设。新馆将于2020年底竣工,设计藏书量150万册,阅览座位2000个。",
    "网友转帖\n发布时间:2018-06-11\n某某县图书馆新馆主体已封顶,预计2019年投入使用,建成后建筑面积1.2万平方米。",
])
def test_plan_of_a_new_building_takes_no_posting_year(text):
    assert attr(text).year is None


def test_posting_year_still_dates_plain_news():
    text = "新闻中心\n发布时间:2018-06-11\n某某县图书馆本周接待读者3000人次,借出图书1500册。"
    assert attr(text).year == 2018


@pytest.mark.parametrize("text", [
    "新馆工地见闻\n城东的工地上正在加紧建设，这就是即将亮相的潜山市图书馆新馆。新馆建筑面积1.6万平方米，阅览座位900个。",
    "记者探访\n据潜山市图书馆负责人介绍，新馆建成投用后，藏书将达到80万册，座位1000个。",
])
def test_preview_of_a_building_still_being_built_is_a_plan(text):
    assert attr(text).doc_type == "plan"
    res = extract_text(text)
    assert res.facts and all(f.status == "target" and f.year is None for f in res.facts)


def test_an_undated_profile_of_a_building_long_open_is_no_preview():
    text = "潜山市图书馆简介\n新馆于2015年建成后，馆舍面积达到8000平方米，现有藏书42万册。"
    assert attr(text).doc_type == "summary"


def test_a_years_summary_naming_a_building_site_stays_a_summary():
    text = "潜山市图书馆2021年工作总结\n2021年，全馆接待读者30万人次。新馆正在建设，预计明年开放。"
    assert attr(text).doc_type == "summary"


@pytest.mark.parametrize("text, year", [
    ("开馆三百天的江源市图书馆迎来第100万名读者。江源市图书馆自2023年3月18日开馆以来，累计接待读者100万人次。", 2024),
    ("东乡区图书馆新馆运行一周年\n新馆于2021年元旦启用，一年来外借图书20万册次。", 2022),
    ("江源市图书馆新馆2022年9月开放，开放才两个月，办证读者已超过1万人。", 2022),
])
def test_year_from_an_opening_date_and_the_time_since(text, year):
    assert attr(text).year == year


def test_an_opening_date_alone_gives_no_year():
    assert attr("江源市图书馆简介\n江源市图书馆2019年6月开馆。馆藏30万册。").year is None
    assert attr("江源市图书馆简介\n江源市图书馆2019年6月开馆，全年开放300天。").year is None


@pytest.mark.parametrize("text, name", [
    ("國立公共資訊圖書館110年年報\n全年入館人次約95萬人次。", "国立公共资讯图书馆"),
    ("记者从国立公共资讯图书馆获悉，该馆去年借阅量突破200万册。", "国立公共资讯图书馆"),
])
def test_a_named_library_whose_name_is_no_place(text, name):
    assert attr(text).library == name


@pytest.mark.parametrize("text", [
    "书香满城\n新华社4月20日电 宜州市图书馆20日发布2023年阅读报告。报告显示，全年到馆读者86万人次。",
    "宜州市图书馆公布2023年借阅情况\n记者获悉，宜州市图书馆公布了2023年借阅数据，全年外借图书52万册次。",
])
def test_news_bringing_out_a_years_report_is_an_annual_report(text):
    assert attr(text).doc_type == "annual_report"


def test_news_of_an_event_is_no_annual_report():
    assert attr("宜州市图书馆举办读书月活动\n2023年4月，宜州市图书馆举办读书月活动20场。").doc_type == "summary"


@pytest.mark.parametrize("text, year", [
    # 去(110)年: the year meant, in brackets (Taiwan's news)
    ("國立公共資訊圖書館去(110)年借閱量突破200萬冊，入館人次約95萬人次。", 2021),
    ("高雄市立圖書館公布閱讀報告\n日期：2023-03-02\n去(111)年高雄市立圖書館入館人次達1,032萬人次。今(112)年將新增2座分館。", 2022),
    # a year looked back on that dates no figure does not outweigh the posting date
    ("屏東縣立總圖書館人潮多\nNews586 2020-09-07\n開幕一週累計湧入8萬人次。文化處統計，去(108)年1-8月", 2020),
])
def test_bracketed_years_of_taiwans_news(text, year):
    assert attr(text).year == year


def test_a_year_of_steps_to_come_yields_to_the_year_reported():
    text = "石门县图书馆情况通报\n2023年，石门县图书馆接待读者50万人次。2024年将新增图书2万册。"
    assert attr(text).year == 2023
    # in a plan the coming year is the report's
    assert attr("石门县图书馆工作安排\n2024年，我馆将举办讲座50场。2023年接待读者50万人次。").year == 2024


@pytest.mark.parametrize("text, doc_type", [
    ("洪江市图书馆2023年部门预算\n2023年收入预算总额为356.8万元，其中财政拨款350万元。", "plan"),
    ("洪江市图书馆2022年部门决算\n2022年度支出总计356.8万元。", "summary"),
    ("洪江市图书馆2022年预算执行情况说明\n全年支出356.8万元。", "summary"),
])
def test_a_budget_is_a_plan_its_accounts_are_not(text, doc_type):
    assert attr(text).doc_type == doc_type


def test_a_named_library_inside_a_longer_named_one_is_found_whole_in_every_process():
    # libraries.yaml names both 国家图书馆 and 中国国家图书馆; which one was found once hung on
    # the process's string hashing (a frozenset's order)
    import os
    import subprocess
    import sys

    code = "from extract.stages.attribution import names_in; print(names_in('会同中国国家图书馆联合举办'))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(6)}
    assert seen == {"[(2, '中国国家图书馆')]"}


def test_name_before_library_word_stops_at_stop_characters_lines_and_reach() -> None:
    from extract.stages.attribution import names_in

    assert names_in("我们在南宁市图书馆举办") == [(3, "南宁市图书馆")]  # 在 is no part of a name
    assert names_in("文化馆\n南宁市图书馆") == [(4, "南宁市图书馆")]  # nor is the line before
    assert names_in("一二三四五六七八九十一二三四五南宁市图书馆") == [(15, "南宁市图书馆")]  # 14 characters back at most
    assert names_in("由＊＊县图书馆承办") == [(1, "")]  # a masked name
