"""Library identity (extract/stages/identity.py): one id per library, with its place and level."""

from __future__ import annotations

import pytest

from extract.outputs.libraries import library_rows
from extract.stages.identity import describe, is_aggregate, resolve


@pytest.mark.parametrize("name, library_id, level, province, city, county", [
    # province level, written with and without 省 / in full and short
    ("湖南图书馆", "430000-public", "province", "湖南省", "", ""),
    ("湖南省图书馆", "430000-public", "province", "湖南省", "", ""),
    ("广西图书馆", "450000-public", "province", "广西壮族自治区", "", ""),
    ("西藏自治区图书馆", "540000-public", "province", "西藏自治区", "", ""),
    ("天津图书馆", "120000-public", "province", "天津市", "", ""),
    ("首都图书馆", "110000-public", "province", "北京市", "", ""),
    ("南京图书馆", "320000-public", "province", "江苏省", "", ""),  # 江苏's provincial library
    # prefecture level
    ("绵阳图书馆", "510700-public", "prefecture", "四川省", "绵阳市", ""),
    ("绵阳市图书馆", "510700-public", "prefecture", "四川省", "绵阳市", ""),
    ("长沙图书馆", "430100-public", "prefecture", "湖南省", "长沙市", ""),
    ("巴州图书馆", "652800-public", "prefecture", "新疆维吾尔自治区", "巴音郭楞蒙古自治州", ""),
    ("黔南州图书馆", "522700-public", "prefecture", "贵州省", "黔南布依族苗族自治州", ""),
    # county level: counties, districts, county-level cities
    ("蒼溪縣圖書館", "510824-public", "county", "四川省", "广元市", "苍溪县"),
    ("苍溪县图书馆", "510824-public", "county", "四川省", "广元市", "苍溪县"),
    ("长沙县图书馆", "430121-public", "county", "湖南省", "长沙市", "长沙县"),
    ("成都市青白江区图书馆", "510113-public", "county", "四川省", "成都市", "青白江区"),
    ("青白江区图书馆", "510113-public", "county", "四川省", "成都市", "青白江区"),
    ("昆山图书馆", "320583-public", "county", "江苏省", "苏州市", "昆山市"),
    ("焉耆县图书馆", "652826-public", "county", "新疆维吾尔自治区", "巴音郭楞蒙古自治州", "焉耆回族自治县"),
    ("涪陵区图书馆", "500102-public", "county", "重庆市", "重庆市", "涪陵区"),
    ("武胜县公共图书馆", "511622-public", "county", "四川省", "广安市", "武胜县"),
    # children's libraries: a kind of their own
    ("杭州少儿图书馆", "330100-children", "prefecture", "浙江省", "杭州市", ""),
    ("杭州少年儿童图书馆", "330100-children", "prefecture", "浙江省", "杭州市", ""),
    ("湖南省少年儿童图书馆", "430000-children", "province", "湖南省", "", ""),
    # Taiwan, Hong Kong, Macao
    ("台北市立图书馆", "710000-台北市-public", "prefecture", "台湾省", "台北市", ""),
    ("屏东县立总图书馆", "710000-屏东县-public", "county", "台湾省", "", "屏东县"),
    ("澳门公共图书馆", "820000-public", "province", "澳门特别行政区", "", ""),
    ("香港公共图书馆", "810000-public", "province", "香港特别行政区", "", ""),
])
def test_names_resolve_to_their_division(name, library_id, level, province, city, county):
    ident = resolve(name)
    assert ident is not None
    assert (ident.library_id, ident.level, ident.province, ident.city, ident.county) == \
        (library_id, level, province, city, county)
    assert describe(ident.library_id) == ident  # the id alone gives the identity back


def test_hong_kong_central_library_keeps_its_region():
    ident = resolve("香港中央图书馆")
    assert ident.library_id == "810000-中央-public" and ident.province == "香港特别行政区"
    assert ident.library_id != resolve("香港公共图书馆").library_id
    assert describe(ident.library_id) == ident


@pytest.mark.parametrize("a, b", [
    ("绵阳图书馆", "绵阳市图书馆"), ("湖南图书馆", "湖南省图书馆"), ("蒼溪縣圖書館", "苍溪县图书馆"),
    ("杭州少儿图书馆", "杭州市少年儿童图书馆"), ("台北市立图书馆", "台北市图书馆"),
    ("丰都图书馆", "丰都县图书馆"), ("北川县图书馆", "北川羌族自治县图书馆"), ("江苏省图书馆", "南京图书馆"),
])
def test_ways_of_writing_one_library_share_its_id(a, b):
    assert resolve(a).library_id == resolve(b).library_id


@pytest.mark.parametrize("a, b", [
    ("湖南图书馆", "长沙图书馆"),  # the province's library, not its capital's
    ("杭州图书馆", "杭州少儿图书馆"),  # a city's children's library is another library
    ("长沙图书馆", "长沙县图书馆"),
    ("南京图书馆", "金陵图书馆"),
    ("朝阳区图书馆", "朝阳市图书馆"),
    ("台北市立图书馆", "新北市立图书馆"),
    ("宝鸡市金台区图书馆", "渭南市临渭区图书馆"),
])
def test_two_places_never_merge(a, b):
    assert resolve(a).library_id != resolve(b).library_id


def test_a_name_for_two_divisions_takes_the_one_the_text_names():
    assert resolve("朝阳区图书馆", "北京市朝阳区……北京阅读季").library_id == "110105-public"
    assert resolve("朝阳区图书馆", "长春市朝阳区……吉林省").library_id == "220104-public"
    # no word of either: no place, never a guess
    unknown = resolve("海州图书馆", "海州图书馆欢迎您")
    assert unknown.library_id == "name:海州图书馆" and unknown.province == "" and unknown.adcode == ""


@pytest.mark.parametrize("name", ["经开区图书馆", "涪陵市图书馆", "固原县图书馆", "四川省涪陵地区图书馆"])
def test_unresolved_places_keep_empty_place_columns(name):
    ident = resolve(name)
    assert ident.library_id.startswith("name:")
    assert (ident.level, ident.province, ident.city, ident.county, ident.adcode) == ("", "", "", "", "")


@pytest.mark.parametrize("name", ["厦门全市图书馆", "四川全省公共图书馆", "全市公共图书馆", "各县区图书馆",
                                  "两县图书馆", "江苏省公共图书馆", "苏州市公共图书馆", "", "图书馆学会"])
def test_many_libraries_together_are_no_identity(name):
    assert resolve(name) is None


def test_aggregate_words_inside_a_place_name_are_a_place():
    assert is_aggregate("全州图书馆") and not is_aggregate("全州县图书馆")
    assert resolve("全州县图书馆").library_id == "450324-public"


def test_national_library():
    ident = resolve("国家图书馆")
    assert (ident.library_id, ident.level, ident.province) == ("national-public", "national", "")


def test_library_rows_list_the_names_seen():
    cols = library_rows([("510700-public", "绵阳市图书馆", 2), ("510700-public", "绵阳图书馆", 1),
                         ("430000-public", "湖南图书馆", 1), ("", "厦门全市图书馆", 1)])
    assert cols["library_id"] == ["430000-public", "510700-public"]
    assert cols["names"] == ["湖南图书馆", "绵阳市图书馆;绵阳图书馆"]
    assert cols["n_docs"] == [1, 3]
    assert cols["level"] == ["province", "prefecture"]


def test_a_report_titled_with_many_libraries_is_the_reporting_librarys():
    """江苏省公共图书馆 in the title is the province's libraries: the report is 南京图书馆's, and
    the sector's total stays a figure of other bodies."""
    from extract.pipeline import extract_text

    r = extract_text("江苏省公共图书馆2019年事业发展报告\n全省公共图书馆接待读者5000万人次。\n"
                     "南京图书馆2019年接待读者300万人次。")
    assert (r.library, r.library_id) == ("南京图书馆", "320000-public")
    assert [(f.metric, f.value, f.library_id) for f in r.facts] == [("visits", 3_000_000, "320000-public")]


def test_no_library_named_besides_the_aggregate_leaves_no_identity():
    from extract.pipeline import extract_text

    r = extract_text("厦门全市公共图书馆2024年服务报告\n全市公共图书馆接待读者800万人次。")
    assert r.library_id == ""
