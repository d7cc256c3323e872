"""Figures from bulletin and work-report text. Every text here is written for the tests: made-up numbers
and sentences that reproduce, in our own words, the patterns real bulletins and reprints show."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from countylib.cli import app
from countylib.ingest import bulletin, units
from countylib.ingest.build import build
from countylib.ingest.bulletin import text as btext
from countylib.ingest.bulletin import words as bwords
from countylib.output import review


def found(text: str, county: str = "嵩县", year: int = 2022) -> dict[str, list[float]]:
    """Accepted figures as {indicator: [values]} (year must be the text's year)."""
    out: dict[str, list[float]] = {}
    for r in bulletin.extract(text, county=county, year=year).itertuples():
        assert r.year == year, (r.indicator, r.year)
        out.setdefault(r.indicator, []).append(round(float(r.value), 6))
    return out


def same(got: dict, expected: dict) -> bool:
    exp = {k: sorted(v if isinstance(v, list) else [v]) for k, v in expected.items()}
    return {k: sorted(v) for k, v in got.items()} == {k: [pytest.approx(x) for x in v] for k, v in exp.items()}


# (text, county, year, expected {indicator: value or [values]}) -- each a class of real-text pattern
CORPUS = [
    # levels in 万元, 初步核算 after the figure, growth at comparable prices
    ("2022年全县实现地区生产总值2418370万元,按初步核算数据,以可比价格计算同比增长3.7%。", "嵩县", 2022,
     {"gdp": 241.837, "gdp_growth": 3.7}),
    ("初步核算，全县生产总值263.1亿元，按可比价格计算，比上年增长4.6%。分产业看：第一产业增加值24.2亿元，增长4.1%；"
     "第二产业增加值131.5亿元，增长6.2%；第三产业增加值107.4亿元，增长2%。三次产业结构为9.2:50.0:40.8",
     "栾川县", 2022, {"gdp": 263.1, "gdp_growth": 4.6, "va_primary": 24.2, "va_secondary": 131.5, "va_tertiary": 107.4,
                      "share_primary": 9.2, "share_secondary": 50.0, "share_tertiary": 40.8}),
    # growth written before the level
    ("全县生产总值下降1.3%，为150.2亿元。", "新安县", 2022, {"gdp": 150.2, "gdp_growth": -1.3}),
    ("全年地区生产总值增长6.1%，达到318.6亿元。", "宜阳县", 2022, {"gdp": 318.6, "gdp_growth": 6.1}),
    # negative growth written as 增长-0.7%
    ("经初步核算，2023年全县实现地区生产总值2781344万元，同比增长-0.7%。", "洛宁县", 2023,
     {"gdp": 278.1344, "gdp_growth": -0.7}),
    # footnote marks between label and number, GDP glued to the number
    ("经初步测算，2022年全县生产总值[2]GDP4123567万元，比上年增长3.9%。三次产业[3]比为18.6:35.1:46.3",
     "伊川县", 2022, {"gdp": 412.3567, "gdp_growth": 3.9, "share_primary": 18.6, "share_secondary": 35.1,
                      "share_tertiary": 46.3}),
    ("全县地区生产总值【1】达到286.4亿元，增长5.0%①。", "汝阳县", 2022, {"gdp": 286.4, "gdp_growth": 5.0}),
    # parentheses between label and number
    ("全县地区生产总值(GDP)完成2318762万元，按可比价计算同比增长5.9%。", "宜阳县", 2022,
     {"gdp": 231.8762, "gdp_growth": 5.9}),
    ("全县生产总值（初步核算数）为198.7亿元，增长4.4%。", "洛宁县", 2022, {"gdp": 198.7, "gdp_growth": 4.4}),
    # growth of other subjects is never GDP's
    ("全县生产总值300.5亿元。人均地区生产总值48210元，比上年增长4.9%。", "嵩县", 2022,
     {"gdp": 300.5, "gdp_per_capita": 48210}),
    ("全年全县生产总值210.4亿元，增长3.1%，其中第三产业增加值101.2亿元，增长6.3%；规模以上工业增加值增长8.2%。",
     "嵩县", 2022, {"gdp": 210.4, "gdp_growth": 3.1, "va_tertiary": 101.2}),
    ("规模以上工业增加值增长6.1%。工业增加值80亿元。城镇新增就业5120人，增长2.2%。", "嵩县", 2022, {}),
    ("地区生产总值两年平均增长5.1%。", "嵩县", 2022, {}),
    # per-capita figures are not totals
    ("按常住人口计算，全县人均地区生产总值5.2万元。", "嵩县", 2022, {"gdp_per_capita": 52000.0}),
    ("全县生产总值254亿元，人均52413元。", "嵩县", 2022, {"gdp": 254.0}),
    # registered vs resident vs urban
    ("年末全县户籍人口为118230人，其中城镇人口50412人，乡村人口67818人。年末全县常住人口13.02万人，城镇化率为71.25%。",
     "嵩县", 2022, {"pop_registered": 11.823, "pop_resident": 13.02, "urbanization": 71.25}),
    ("年末常住人口40.6万人，其中城镇人口19.87万人，常住人口城镇化率为48.94%。户籍人口城镇化率为31.2%。",
     "嵩县", 2022, {"pop_resident": 40.6, "pop_urban": 19.87, "urbanization": 48.94}),
    ("年末常住人口为38.1万人，其中男性19.2万人。乡村常住人口18.9万人；城镇常住人口19.2万人；0-14岁人口6.1万人。",
     "嵩县", 2022, {"pop_resident": 38.1, "pop_urban": 19.2}),
    ("年末全县户籍总户数17.42万户，总人口50.13万人。", "嵩县", 2022, {"pop_registered": 50.13}),
    # a change stated before the level it leads to
    ("全县常住人口城镇化率比上年提高0.9个百分点，达到46.1%。全县生产总值比上年增加18亿元，达到228亿元。"
     "一般公共预算收入比上年增加1.3亿元。", "嵩县", 2022, {"urbanization": 46.1, "gdp": 228.0}),
    # changes are not totals
    ("新增高新技术企业12家，净增市场主体3100户。高新技术企业总数达到46家。", "嵩县", 2022, {"hightech_firms": 46.0}),
    # structures: the current year's, in every wording
    ("三次产业比例由上年的16.2:25:58.8调整为15.6:23.9:60.5。", "嵩县", 2023,
     {"share_primary": 15.6, "share_secondary": 23.9, "share_tertiary": 60.5}),
    ("三次产业结构由上年的21.4%:20.1%:58.5%调整为21.0%:20.6%:58.4%。", "嵩县", 2023,
     {"share_primary": 21.0, "share_secondary": 20.6, "share_tertiary": 58.4}),
    ("三次产业的比重为12.4:53.1:34.5。", "嵩县", 2022,
     {"share_primary": 12.4, "share_secondary": 53.1, "share_tertiary": 34.5}),
    ("三次产业比重为14.7:39.2:46.1。", "嵩县", 2022,
     {"share_primary": 14.7, "share_secondary": 39.2, "share_tertiary": 46.1}),
    ("第一、第二、第三产业增加值分别为21.37亿元、58.12亿元、61.04亿元，分别增长3.0%、1.2%、2.8%；"
     "三次产业占GDP比重分别为15.2%、41.3%、43.5%。", "嵩县", 2022,
     {"va_primary": 21.37, "va_secondary": 58.12, "va_tertiary": 61.04, "share_primary": 15.2,
      "share_secondary": 41.3, "share_tertiary": 43.5}),
    ("一产实现增加值70.1亿元，二产实现增加值52亿元，三产实现增加值139.6亿元。", "嵩县", 2022,
     {"va_primary": 70.1, "va_secondary": 52.0, "va_tertiary": 139.6}),
    ("第一产业增加值占全县生产总值的比重为7.2%，第二产业增加值比重58.1%，第三产业增加值比重34.7%。", "嵩县", 2022,
     {"share_primary": 7.2, "share_secondary": 58.1, "share_tertiary": 34.7}),
    # paired labels: two figures, never the all-resident income
    ("城镇、农村居民人均可支配收入分别达到38215元、15906元，增长4.2%、5.6%。", "嵩县", 2022,
     {"disposable_income_urban": 38215.0, "disposable_income_rural": 15906.0}),
    ("城乡居民人均可支配收入分别达54100元、31250元。", "嵩县", 2022,
     {"disposable_income_urban": 54100.0, "disposable_income_rural": 31250.0}),
    ("城乡常住居民人均可支配收入分别增长8%和9%，分别达41250元和12360元。", "嵩县", 2022,
     {"disposable_income_urban": 41250.0, "disposable_income_rural": 12360.0}),
    # work-report order: growth, then the level, for each subject
    ("据统计预测，全县地区生产总值增长9.6%达81.3亿元，第一产业增长5.1%达19.2亿元，一般公共预算收入增长4%达3.71亿元，"
     "地方财政总收入增长6.9%达4.81亿元。", "嵩县", 2022,
     {"gdp": 81.3, "gdp_growth": 9.6, "va_primary": 19.2, "fiscal_revenue": 3.71}),
    ("第一、二、三产业增加值占嵩县生产总值的比重分别为5.2%、26.4%、68.4%。2022年嵩县辖区生产总值(初步核算数)"
     "412.05亿元，按可比价计算，比上年增长0.6%。", "嵩县", 2022,
     {"share_primary": 5.2, "share_secondary": 26.4, "share_tertiary": 68.4, "gdp": 412.05, "gdp_growth": 0.6}),
    # paired places: only our own
    ("汝阳县、嵩县居民人均可支配收入首次超过2万元，分别达到21356元、20881元。", "嵩县", 2022,
     {"disposable_income": [20000.0, 20881.0]}),
    # 万元 per person and 万亿元
    ("全体居民人均可支配收入2.6万元，城镇居民人均可支配收入4.8万元，农村居民人均可支配收入1.9万元。", "嵩县", 2022,
     {"disposable_income": 26000.0, "disposable_income_urban": 48000.0, "disposable_income_rural": 19000.0}),
    # thresholds and levels
    ("全县地区生产总值突破300亿元大关，达到312亿元，净增21.4亿元，同比（下同）增长7.2%。", "嵩县", 2022,
     {"gdp": [300.0, 312.0], "gdp_growth": 7.2}),
    # the same without 大关: the exact figure right after the bound is read too
    ("全年一般公共预算收入突破12亿元，达到12.35亿元，增长8.1%。", "嵩县", 2022, {"fiscal_revenue": [12.0, 12.35]}),
    ("全县地区生产总值突破300亿元,达到312亿元。", "嵩县", 2022, {"gdp": [300.0, 312.0]}),
    ("高新技术企业突破30家。研发经费投入强度1.2%，R&D经费支出2.7亿元。", "嵩县", 2022,
     {"hightech_firms": 30.0, "rd_intensity": 1.2, "rd_expenditure": 2.7}),
    ("全市R&D[3]经费占比达2.11%。", "巩义市", 2022, {"rd_intensity": 2.11}),
    # fiscal wordings: 财政总收入 and 一般公共预算总收入 are not 一般公共预算收入
    ("财政总收入完成42.5亿元，地方一般公共预算收入21.3亿元。", "巩义市", 2022, {"fiscal_revenue": 21.3}),
    ("一般公共预算总收入11.2亿元，其中地方一般公共预算收入7.05亿元。", "嵩县", 2022, {"fiscal_revenue": 7.05}),
    ("全县一般公共预算收入约12.5亿元，其中税收收入8.1亿元，税收占比64.8%。", "嵩县", 2022,
     {"fiscal_revenue": 12.5, "tax_revenue": 8.1}),
    # sub-scopes: a 其中 clause belongs to its sub-scope
    ("全年一般公共预算收入52413万元，增长12.1%；其中县本级一般公共预算收入31234万元，增长4.2%。全年县本级一般公共预算支出"
     "66123万元。", "嵩县", 2022, {"fiscal_revenue": 5.2413}),
    ("市级一般公共预算收入3.2亿元，其中税收收入2.1亿元。", "巩义市", 2022, {}),
    ("民营经济全年实现增加值98.3亿元，增长2.4%，占GDP比重58.2%。其中，第一产业增加值10.1亿元，第二产业增加值40.2亿元。",
     "嵩县", 2022, {}),
    ("民营经济实现增加值120.4亿元，增长1.9%，占GDP比重56.1%。其中，第一产业增加值12.2亿元，增长4.0%；第二产业增加值"
     "61.5亿元，下降0.4%；第三产业增加值46.7亿元，增长3.1%。", "嵩县", 2022, {}),
    # other places
    ("洛阳市全年生产总值5675.2亿元，比上年增长3.5%。", "嵩县", 2022, {}),
    ("全市一般公共预算收入350亿元。", "嵩县", 2022, {}),
    ("全年全市生产总值962.58亿元，同比增长5.1%。", "巩义市", 2022, {"gdp": 962.58, "gdp_growth": 5.1}),
    ("全市生产总值5402.3亿元，增长3.2%。全县生产总值241.5亿元。", "嵩县", 2022, {"gdp": 241.5}),
    # five-year reviews: the figure reached, for its stated year
    ("五年来，地区生产总值由2017年的151.2亿元增加到2022年的238.4亿元，年均增长7.1%。全县经济总量首次突破200亿元。",
     "嵩县", 2022, {"gdp": [238.4, 200.0]}),
    ("高新技术企业由11家增加到43家。", "嵩县", 2022, {}),
    # wrong year: base years and two-year averages do not move the year; a revised earlier year is not this year's
    ("初步核算，2022年全县实现生产总值(GDP)912345万元，按可比价格计算，比上年下降2.1%；与2020年相比，两年平均增长3.0%；"
     "按常住人口计算，人均地区生产总值为70123元。", "嵩县", 2022,
     {"gdp": 91.2345, "gdp_growth": -2.1, "gdp_per_capita": 70123.0}),
    ("2021年全县生产总值最终核实为952311万元(现价)，按可比价格计算比上年增长8.8%。", "嵩县", 2022, {}),
    ("初步核算，2022年全县生产总值为201.5亿元，比2021年增长1.9%。", "嵩县", 2022, {"gdp": 201.5, "gdp_growth": 1.9}),
    # the prefecture's bulletin filed under a county, a publication date, the nation's GDP
    ("洛阳市2022年国民经济和社会发展统计公报\n全年地区生产总值5675.2亿元，增长3.5%。", "嵩县", 2022, {}),
    ("2023年3月28日，县统计局发布公报：全县生产总值236.1亿元。国内生产总值增长3.0%。", "嵩县", 2022,
     {"gdp": 236.1}),
    # more wordings of real texts
    ("2022年河南省洛阳市嵩縣國民經濟和社會發展統計公報\n全县实现当年价生产总值[1]2412345万元，比上年增长4.6%"
     "（按2020年不变价计算，下同）。", "嵩县", 2022, {"gdp": 241.2345, "gdp_growth": 4.6}),
    ("全县地区生产总值【1】(GDP)1204.37亿元，比上年可比增长2.1%。", "嵩县", 2022, {"gdp": 1204.37, "gdp_growth": 2.1}),
    ("全县生产总值2315313万元，按2020年不变价格计算，同比增长3.0%，两年平均增长4.1%。", "嵩县", 2022,
     {"gdp": 231.5313, "gdp_growth": 3.0}),
    ("2022年嵩县辖区((含开发区,下同))生产总值(初步核算数)301.2亿元。", "嵩县", 2022, {"gdp": 301.2}),
    ("经初步核算，全县生产总值(GDP)完成31.25亿元，同比增\n长5.0%。第一产业增加值7.11亿元，同比增长3.2%，\n"
     "占生产总值的比重为22.8%；第二产业增加值8.02亿元，同比增长10.1%，占比25.7%。", "嵩县", 2022,
     {"gdp": 31.25, "gdp_growth": 5.0, "va_primary": 7.11, "va_secondary": 8.02, "share_primary": 22.8,
      "share_secondary": 25.7}),
    ("第一产业增加值占国内生产总值比重为22.15%，第三产业增加值比重为54.81%。三次产业结构为22.1:23.0:54.9。", "嵩县", 2022,
     {"share_primary": [22.15, 22.1], "share_secondary": 23.0, "share_tertiary": [54.81, 54.9]}),
    ("第二产业增加值1210.4亿元，增长1.5%，比前三季度加快1个百分点；第三产业增加值2012.3亿元，增长1.8%。"
     "全社会研发投入占地区生产总值比重提高至3.61%，高新技术企业净增312家、总量超2400家。", "昆山市", 2022,
     {"va_secondary": 1210.4, "va_tertiary": 2012.3, "rd_intensity": 3.61, "hightech_firms": 2400.0}),
    ("全县总面积2858平方公里，2022年常住人口51.23万人。截至2020年11月1日零时，嵩县常住人口为512345人。", "嵩县", 2022,
     {"pop_resident": 51.23, "area": 2858.0}),
    # part of the year, targets, masked templates
    ("一季度，全县地区生产总值51.2亿元，增长4.1%。全县社会消费品零售总额27.3亿元，增长1.1%。", "嵩县", 2022, {}),
    ("生产总值目标为增长7%左右。", "嵩县", 2022, {}),
    ("20xx年，预计实现地区生产总值xxx亿元，年均增长x.x%；一般公共预算收入xx.x亿元。", "嵩县", 2022, {}),
    ("常住人口200亿元。", "嵩县", 2022, {}),
    # 达 is an exact figure in the units parser and the extractor alike
    ("全年全縣生產總值達到230.65億元。", "嵩县", 2022, {"gdp": 230.65}),
    ("全县生产总值达230.65亿元。", "嵩县", 2022, {"gdp": 230.65}),
]


@pytest.mark.parametrize("text,county,year,expected", CORPUS, ids=[c[0][:18] for c in CORPUS])
def test_known_answers(text, county, year, expected):
    got = found(text, county, year)
    assert same(got, expected), got


def test_retail_and_income_wordings():
    text = ("社会消费品零售总额85.6亿元。全体居民人均可支配收入23456元，城镇居民人均可支配收入35000元，"
            "农村居民人均可支配收入16000元。")
    assert same(found(text), {"retail_sales": 85.6, "disposable_income": 23456.0,
                              "disposable_income_urban": 35000.0, "disposable_income_rural": 16000.0})


# ------------------------------------------------------------------------------------------------------
# Reprints: normalised once, spans into the original
# ------------------------------------------------------------------------------------------------------

REPRINT = ("2022年宜陽(yáng)縣國(guó)民經(jīng)濟(jì)統(tǒng)計(jì)公報(bào)\n"
           "全縣地區(qū)生產(chǎn)總值(GDP)達(dá)到２７１．３６億元,按可比價(jià)格計(jì)算比上年增長(zhǎng)3·8%。"
           "年末常住人口４５．５４萬(wàn)人。")


def test_traditional_reprint_with_pinyin_and_full_width_digits():
    got = bulletin.extract(REPRINT, county="宜阳县", year=2022).set_index("indicator")
    assert got.loc["gdp", "value"] == pytest.approx(271.36)
    assert got.loc["gdp_growth", "value"] == pytest.approx(3.8)
    assert got.loc["pop_resident", "value"] == pytest.approx(45.54)
    s, e = got.loc["gdp", ["start", "end"]]
    assert REPRINT[s:e] == "２７１．３６億元"
    s, e = got.loc["gdp_growth", ["start", "end"]]
    assert REPRINT[s:e] == "3·8%"
    s, e = got.loc["gdp", ["label_start", "label_end"]]
    assert REPRINT[s:e] in ("地區(qū)生產(chǎn)總值", "地區(qū)生產(chǎn)總值(GDP)")


def test_spans_point_at_the_published_characters():
    text = "年末常住人口４５．５４萬人。全县生产总值约230.65亿元。城镇居民人均可支配收入22,892元。"
    got = bulletin.extract(text, county="嵩县", year=2022).set_index("indicator")
    s, e = got.loc["pop_resident", ["start", "end"]]
    assert text[s:e] == "４５．５４萬人"
    s, e = got.loc["gdp", ["start", "end"]]
    assert text[s:e] == "约230.65亿元"
    assert got.loc["gdp", "flags"] == "approximate"
    s, e = got.loc["disposable_income_urban", ["start", "end"]]
    assert text[s:e] == "22,892元" and got.loc["disposable_income_urban", "value"] == 22892


def test_bbcode_html_footnotes_and_noise():
    text = ("[align=left][size=3][b]一、综合[/b][/size][/align][align=left][size=3]  2022年,全县地区生产总值[b]2"
            "[/b][b]41[/b]2345万元,同比增长5.5%。[/size][/align]<p>年末常住人口<span>31.2</span>万人，"
            "城镇化率为45.1%。</p>???\n? ?\n人均地区生产总值&nbsp;51230元。")
    got = bulletin.extract(text, county="嵩县", year=2022).set_index("indicator")
    assert got.loc["gdp", "value"] == pytest.approx(241.2345)
    assert got.loc["pop_resident", "value"] == pytest.approx(31.2)
    assert got.loc["gdp_per_capita", "value"] == 51230
    s, e = got.loc["gdp", ["start", "end"]]
    assert text[s:e] == "2[/b][b]41[/b]2345万元"


def test_a_noise_character_next_to_a_number_makes_it_ambiguous():
    text = "戶(hù)籍總人口?34.9萬(wàn)人。"
    got = bulletin.scan(text, county="嵩县", year=2022)
    assert (got.status == "ambiguous").all() and "noise" in got.reason.iloc[0]


def test_normalised_text_maps_every_character_back():
    raw = "地區(qū)生產(chǎn)總值[2]GDP 22,892萬元,增長1·8%【1】"
    m = btext.normalize_mapped(raw)
    assert m.text == "地区生产总值GDP22892万元,增长1.8%"
    spans = [m.span(i, i + 1) for i in range(len(m.text))]
    assert all(0 <= s < e <= len(raw) for s, e in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)  # order kept
    i = m.text.index("22892")
    assert raw[slice(*m.span(i, i + 5))] == "22,892"
    assert raw[slice(*m.span(0, 6))] == "地區(qū)生產(chǎn)總值"
    assert raw[slice(*m.span(m.text.index("1.8"), len(m.text)))] == "1·8%"


def test_tables_with_a_unit_line_and_pipes():
    flat = ("表1 2022年全县生产总值构成及增长速度\n单位:万元、%\n绝对数\n比上年增长\n生产总值\n3512345\n4.4\n"
            "其中:第一产业\n612345\n4.0\n第二产业\n1200000\n3.1\n第三产业\n1700000\n5.2\n其中:工业\n800000\n2.0\n")
    assert same(found(flat), {"gdp": 351.2345, "gdp_growth": 4.4, "va_primary": 61.2345, "va_secondary": 120.0,
                              "va_tertiary": 170.0})
    piped = ("表1 2022年末户籍人口数及构成\n指标 | 年末数(人) | 比重(%) |\n全县户籍人口 | 512345 | 100.0 |\n"
             "#乡村人口 | 312345 | 61.0 |\n城镇人口 | 200000 | 39.0 |\n")
    assert same(found(piped), {"pop_registered": 51.2345})
    glued = ("人均地区生产总值31234元。 表1 生产总值及构成 单位:亿元 指标名称 | 增加值 | 同比增长% | 地区生产总值 | "
             "80.12 | 7.7 | 其中:第一产业 | 20.1 | 6.0 |")
    assert same(found(glued), {"gdp_per_capita": 31234.0, "gdp": 80.12, "gdp_growth": 7.7, "va_primary": 20.1})


def test_table_columns_by_year_and_unit_cells():
    text = ("表1 主要指标\n指标 | 单位 | 2021年 | 2022年 | 增长% |\n地区生产总值 | 亿元 | 210.3 | 231.7 | 4.2 |\n"
            "全市生产总值 | 亿元 | 5012 | 5402 | 3.5 |\n一般公共预算收入 | 亿元 | 11.4 | 12.6 | 5.0 |\n")
    assert same(found(text), {"gdp": 231.7, "gdp_growth": 4.2, "fiscal_revenue": 12.6})
    other_years = "指标 | 2020年 | 2021年 |\n地区生产总值(亿元) | 190.2 | 210.3 |\n"
    assert found(other_years) == {}
    prices = ("表一：2022年全县生产总值\n单位：万元\n指标名称\n按现行价格计算\n按2020年不变价格计算\n比上年 ±%\n"
              "地区生产总值\n2412345.67\n2400012.34\n3.9\n")
    assert same(found(prices), {"gdp": 241.234567, "gdp_growth": 3.9})
    planned = "指标 | 单位 | 计划 | 实际 | 增长% |\n地区生产总值 | 亿元 | 240 | 231.7 | 4.2 |\n"
    assert same(found(planned), {"gdp": 231.7, "gdp_growth": 4.2})
    target_only = "指标 | 单位 | 目标 | 增长% |\n地区生产总值 | 亿元 | 240 | 6 |\n"
    assert found(target_only) == {}


def test_figure_broken_over_two_lines_and_table_cells_kept_apart():
    assert same(found("全县生产总值23\n0.65亿元，增长4.0%。"), {"gdp": 230.65, "gdp_growth": 4.0})
    assert same(found("地区生产总值(万元)\n2306460\n4.2\n"), {"gdp": 230.646})


# ------------------------------------------------------------------------------------------------------
# Years, scopes, statuses
# ------------------------------------------------------------------------------------------------------


def test_a_base_year_does_not_move_the_year_and_another_year_is_ambiguous():
    text = ("与2020年相比，两年平均增长3.0%。2022年全县生产总值201.5亿元。"
            "2021年全县生产总值最终核实为190.2亿元。")
    got = bulletin.scan(text, county="嵩县", year=2022)
    gdp = got[got.indicator == "gdp"].set_index("value_text")
    assert gdp.loc["201.5", "year"] == 2022 and gdp.loc["201.5", "status"] == "ok"
    assert gdp.loc["190.2", "year"] == 2021 and gdp.loc["190.2", "status"] == "ambiguous"
    without_year = bulletin.extract(text, county="嵩县")
    assert dict(zip(without_year.value, without_year.year, strict=True)) == {201.5: 2022, 190.2: 2021}


def test_last_year_and_this_year_in_a_work_report_and_in_a_bulletin():
    report = "各位代表：\n去年，全县地区生产总值完成230.5亿元，增长4.1%。今年，全县地区生产总值增长6%左右。"
    assert same(found(report), {"gdp": 230.5, "gdp_growth": 4.1})
    bulletin_text = "去年全县生产总值为215.2亿元。"
    got = bulletin.scan(bulletin_text, county="嵩县", year=2022)
    assert got.year.tolist() == [2021] and got.status.tolist() == ["ambiguous"]


def test_ambiguous_and_other_matches_are_reported_with_reasons():
    text = ("洛阳市全年生产总值5675.2亿元。市级一般公共预算收入3.2亿元。第一产业增加值20.1亿元，增长4.1%。"
            "户籍人口城镇化率为31.2%。")
    got = bulletin.scan(text, county="嵩县", year=2022)
    by = {(r.indicator, r.value_text): r for r in got.itertuples()}
    assert by[("gdp", "5675.2")].status == "ambiguous" and "another place (洛阳市)" in by[("gdp", "5675.2")].reason
    assert by[("fiscal_revenue", "3.2")].status == "ambiguous" and "sub-scope" in by[("fiscal_revenue", "3.2")].reason
    growth = by[("va_primary", "4.1")]
    assert growth.status == "other" and "growth" in growth.flags and "growth of 第一产业增加值" in growth.reason
    assert by[("", "31.2")].status == "other" and "registered" in by[("", "31.2")].reason
    # a sector's value added in the paragraph of another place's GDP, saying nothing of whose it is: that place's
    assert by[("va_primary", "20.1")].status == "ambiguous" and "洛阳市" in by[("va_primary", "20.1")].reason
    assert bulletin.extract(text, county="嵩县", year=2022).empty
    assert bulletin.extract(text.replace("市级一般", "\n市级一般"), county="嵩县", year=2022).indicator.tolist() == [
        "va_primary"]  # in a paragraph of its own it is the unit's


def test_extract_returns_registry_indicators_only():
    from countylib.data import indicators

    text = "民营经济增加值90亿元。全县生产总值200亿元，增长3%。财政总收入20亿元。第二产业增加值增长5.1%。"
    got = bulletin.extract(text, county="嵩县", year=2022)
    assert set(got.indicator) <= set(indicators.registry())
    assert got.indicator.tolist() == ["gdp", "gdp_growth"]


def test_flags():
    got = bulletin.extract("经初步核算，全年全县生产总值230.65亿元，比上年增长4.2%。高新技术企业突破30家。"
                           "预计全年社会消费品零售总额85亿元左右。", county="嵩县", year=2022).set_index("indicator")
    assert "preliminary" in got.loc["gdp", "flags"]
    assert "growth" in got.loc["gdp_growth", "flags"]
    assert got.loc["hightech_firms", "flags"] == "lower_bound"
    assert set(got.loc["retail_sales", "flags"].split(",")) == {"approximate", "estimate"}


def test_one_marker_vocabulary_for_units_and_extractor():
    assert units.parse_value("达230.65", "亿元", "亿元") == (230.65, "exact")
    assert units.parse_value("突破400", "亿元", "亿元") == (400.0, "lower_bound")
    got = bulletin.extract("全县生产总值达230.65亿元。", county="嵩县", year=2022)
    assert got.value.tolist() == [230.65] and got["flags"].tolist() == [""]
    assert units.parse_value(got.value_text.iloc[0], got.unit_text.iloc[0], "亿元") == (230.65, "exact")


def test_plan_section_of_a_work_report_is_not_an_outcome():
    text = ("一、2022年工作回顾\n全年地区生产总值完成312.4亿元，增长4.1%。\n二、2023年主要目标\n"
            "地区生产总值增长6.5%左右，一般公共预算收入增长7%。\n")
    assert same(found(text), {"gdp": 312.4, "gdp_growth": 4.1})


def test_sectors_and_structure_follow_the_total_of_their_paragraph():
    """After a sub-scope's GDP (市级) or another year's (经最终核实，2021年…), the sectors and the structure of the
    same paragraph are that total's parts, also in a later sentence that does not repeat the scope."""
    text = ("初步核算，全市实现地区生产总值2388.46亿元，增长2.7%。\n"
            "市级实现地区生产总值1570.21亿元，增长0.9%。第三产业增加值655.32亿元。三次产业之比为3.8:54.2:42.0。\n"
            "经最终核实，2021年全市生产总值为2290.7亿元。三次产业结构为2.7:62.1:35.2。")
    assert same(found(text, "慈溪市", 2022), {"gdp": 2388.46, "gdp_growth": 2.7})
    got = bulletin.scan(text, county="慈溪市", year=2022).set_index("value_text")
    assert "市级" in got.loc["54.2", "reason"] and "2021" in got.loc["62.1", "reason"]
    assert "市级" in got.loc["655.32", "reason"]


def test_a_table_row_s_numbers_end_with_its_row():
    """A saved page's table with a label spanning two rows (rowspan): the second row's numbers have no label of
    their own and are not the first row's; the first row keeps its columns (2021年 | 2022年)."""
    text = ("2022年嵩县国民经济和社会发展统计公报\n表1 主要经济指标\n单位：亿元\n指标 | 2021年 | 2022年 |\n"
            "地区生产总值 | 226.4 | 238.9 |\n5.1 | 4.4 |\n一般公共预算收入 | 11.8 | 12.6 |\n")
    assert same(found(text), {"gdp": 238.9, "fiscal_revenue": 12.6})
    flattened = "表1 主要经济指标\n单位：亿元\n地区生产总值\n238.9\n4.4\n"  # one cell a line: the row goes on
    assert same(found(flattened), {"gdp": 238.9})


def test_a_run_in_heading_before_the_first_sentence_does_not_qualify_the_label():
    """Some bulletins print a bold word before a paragraph's first sentence (人口, 国民经济, 财政): it names the
    section, not a part of the unit."""
    text = ("人口年末常住人口88.6万人，其中城镇人口39.2万人。\n国民经济全年实现地区生产总值(GDP)402.37亿元，比上年增长3.9%。\n"
            "财政全年一般公共预算收入16.2亿元。\n流动人口年末12.1万人。\n")
    assert same(found(text, "中江县", 2022), {"pop_resident": 88.6, "pop_urban": 39.2, "gdp": 402.37,
                                              "gdp_growth": 3.9, "fiscal_revenue": 16.2})


def test_a_review_paragraph_that_mentions_this_year_s_targets_is_no_plan_heading():
    """A report given in December reviews the year it is given in: 今年以来，…完成了全年主要目标任务。 opens the
    review, it is no heading of the plans that follow."""
    text = ("政府工作报告\n一、全面回顾全年工作\n今年以来，在县委的坚强领导下，全县上下较好完成了全年主要目标任务。\n"
            "1.经济运行企稳向好。全年完成地区生产总值571亿元，增长5.8%；地方一般公共预算收入15.27亿元。\n"
            "二、明年工作安排\n明年地区生产总值增长6%左右。\n")
    assert same(found(text, "湘潭县", 2022), {"gdp": 571, "gdp_growth": 5.8, "fiscal_revenue": 15.27})


def test_sectors_that_do_not_add_up_to_gdp_are_ambiguous():
    text = "全县生产总值200亿元。第一产业增加值20亿元，第二产业增加值80亿元，第三产业增加值30亿元。"
    got = bulletin.scan(text, county="嵩县", year=2022)
    assert (got[got.indicator.str.startswith("va_")].status == "ambiguous").all()


# ------------------------------------------------------------------------------------------------------
# The extract command
# ------------------------------------------------------------------------------------------------------


def test_extract_command_writes_raw_rows_that_build(tmp_path, raw_folder):
    src = tmp_path / "songxian_2022.txt"
    src.write_text("经初步核算，全年全县生产总值2306460万元，比上年增长4.2%。洛阳市生产总值5675.2亿元。", encoding="utf-8")
    out = raw_folder / "songxian_2022.csv"
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022", "-o", str(out),
                                      "--review"])
    assert result.exit_code == 0, result.output
    assert "2 figures extracted, 1 ambiguous" in result.output and "??" in result.output
    rows = pd.read_csv(out, dtype=str)
    assert rows.value_text.tolist() == ["2306460", "4.2"] and rows.unit.tolist() == ["万元", "%"]
    assert (tmp_path / "songxian_2022.txt.review.html").exists()
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    gdp = table[(table.source_id == "songxian_2022.csv") & (table.indicator == "gdp")].iloc[0]
    assert gdp.adcode == "410325" and gdp.value == pytest.approx(230.646)


def test_extract_command_sidecar_is_valid_yaml_for_any_file_name(tmp_path):
    src = tmp_path / "note: 嵩县 2022.txt"
    src.write_text("全县生产总值230.5亿元。", encoding="utf-8")
    out = tmp_path / "raw" / "out.csv"
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta = yaml.safe_load((tmp_path / "raw" / "out.csv.meta.yaml").read_text(encoding="utf-8"))
    assert meta["document"] == "note: 嵩县 2022.txt" and meta["kind"] == "figures_long"


def test_extract_command_reads_gbk_and_takes_an_encoding(tmp_path):
    src = tmp_path / "gbk.txt"
    src.write_bytes("全县生产总值230.5亿元，比上年增长3.1%。".encode("gbk"))
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022"])
    assert result.exit_code == 0 and "2 figures extracted" in result.output, result.output
    big5 = tmp_path / "big5.txt"
    big5.write_bytes("全縣生產總值230.5億元。".encode("big5"))
    result = CliRunner().invoke(app, ["extract", str(big5), "--county", "嵩县", "--year", "2022", "--encoding", "big5"])
    assert result.exit_code == 0 and "1 figures extracted" in result.output, result.output


@pytest.mark.parametrize("content,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "PNG image"),
    (bytes(range(128, 256)) * 8, "encoding"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer\n%%EOF\n", "a damaged PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", ".docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), ".doc"),
    (b"", "empty file"),
    (b"  \n\n ", "empty file"),
], ids=["png", "not-an-encoding", "pdf", "docx", "doc", "empty", "blank"])
def test_extract_command_rejects_bad_input_in_one_line(tmp_path, content, message):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022"])
    assert result.exit_code == 2
    assert message in result.output and "bad.txt" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_extract_command_missing_file_and_unknown_county(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.txt"), "--county", "嵩县", "--year", "2022"])
    assert result.exit_code == 2 and "no such file" in result.output
    src = tmp_path / "a.txt"
    src.write_text("全县生产总值230.5亿元。", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "不存在县", "--year", "2022"])
    assert result.exit_code == 2 and "not found" in result.output


def test_review_page_is_self_contained_and_escaped(tmp_path):
    text = ("全县生产总值230.5亿元，增长3.1%。<script>alert(1)</script>洛阳市生产总值5675.2亿元。"
            "市级一般公共预算收入3.2亿元。")
    page = review.render(text, bulletin.scan(text, county="嵩县", year=2022), title="嵩县 <2022>")
    assert "<script>" not in page and "&lt;script&gt;" in page and "嵩县 &lt;2022&gt;" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page
    assert "@font-face" in page and "base64," in page
    assert "figure of another place (洛阳市)" in page and "sub-scope (市级)" in page
    assert page.count('class="ok"') >= 2 and 'id="fig-1"' in page


# -- classes found on real pages the extractor had never seen (texts written here, numbers made up) --------------

def test_label_value_list_then_growths_and_a_lost_full_stop():
    """A figure ends a statement whose full stop is lost, or a list of label-value items runs on: the words
    before the next label are that figure's, not a qualifier of the next one."""
    text = ("初步核算，全县生产总值(GDP)214.36亿元，比上年增长6.2%，分产业看：第一产业增加值21.08亿元、"
            "第二产业增加值88.41亿元、第三产业增加值104.87亿元，分别增长3.1%、7.4%和6.0%，三次产业结构为"
            "9.8:41.3:48.9。")
    assert same(found(text, "松阳县", 2023), {"gdp": 214.36, "gdp_growth": 6.2, "va_primary": 21.08,
                                              "va_secondary": 88.41, "va_tertiary": 104.87, "share_primary": 9.8,
                                              "share_secondary": 41.3, "share_tertiary": 48.9})
    run_on = "第三产业增加值143.2亿元，增长4.1%三次产业结构比重为14.3:28.8:56.9。"
    assert same(found(run_on, "灵璧县", 2020), {"va_tertiary": 143.2, "share_primary": 14.3,
                                                 "share_secondary": 28.8, "share_tertiary": 56.9})
    # a place named before the first figure still carries over to the parts listed after it
    other = "六安市地区生产总值2011.2亿元、第一产业增加值236.5亿元。"
    got = bulletin.scan(other, county="霍山县", year=2022)
    assert (got.status == "ok").sum() == 0
    assert all("another place (六安市)" in r for r in got.reason)


def test_urban_share_after_the_urban_population_is_urbanization():
    text = "年末全旗常住人口为18.62万人，其中城镇人口9.87万人，占总人口的比重为53.01%；乡村人口8.75万人。"
    assert same(found(text, "乌拉特前旗", 2021), {"pop_resident": 18.62, "pop_urban": 9.87, "urbanization": 53.01})
    registered = "年末户籍总人口41.25万人，其中城镇人口16.02万人，占总人口的比重为38.8%。"
    assert same(found(registered, "遂昌县", 2023), {"pop_registered": 41.25})


def test_growth_written_zeng_without_zhang_and_structure_yanjin():
    text = ("全县实现地区生产总值(GDP)188.42亿元，按可比价格计算，比上年增5%。三次产业结构由上年的 "
            "21.4:30.2:48.4演进为20.9:31.0:48.1。")
    assert same(found(text, "曹县", 2020), {"gdp": 188.42, "gdp_growth": 5, "share_primary": 20.9,
                                            "share_secondary": 31.0, "share_tertiary": 48.1})


def test_care_of_sign_typed_for_a_percent_sign():
    text = "全县生产总值实现98765万元，同比增长12℅；一般预算收入完成5432万元。"
    assert same(found(text, "剑河县", 2011), {"gdp": 9.8765, "gdp_growth": 12, "fiscal_revenue": 0.5432})


def test_pdf_page_number_inside_a_sentence():
    text = ("初步核算，全年全县地区生产总值 812345 万元，按不变价格计算，比上年增长 2.1%。其中，第一产业增加值 "
            "101234\n万元，增长 3.0%，占地区生产总值比重为 12.5%；第二产业\n- 2 -\n增加值 300111 万元，"
            "下降 1.2%，占地区生产总值比重为 36.9%；\n第三产业增加值 411000 万元，增长 4.4%，占地区生产总值比重\n"
            "为 50.6%。")
    assert same(found(text, "芮城县", 2023), {"gdp": 81.2345, "gdp_growth": 2.1, "va_primary": 10.1234,
                                              "va_secondary": 30.0111, "va_tertiary": 41.1, "share_primary": 12.5,
                                              "share_secondary": 36.9, "share_tertiary": 50.6})


@pytest.mark.parametrize("text,county,expected", [
    ("初步核算，全年实现地方生产总值(GDP)612345万元，比上年增长6.8%，全年人均地方生产总值41234元。", "库车市",
     {"gdp": 61.2345, "gdp_growth": 6.8, "gdp_per_capita": 41234}),
    ("全年人均国内生产总值68123元，比上年增长5.1%。", "达川区", {"gdp_per_capita": 68123}),
    ("其中：地方一般公共预算收入9.87亿元，增长3.3%；地方税收收入6.54亿元，增长4.0%。全年财政一般预算支出"
     "45.21亿元，增长2.2%。", "祁东县", {"fiscal_revenue": 9.87, "tax_revenue": 6.54, "fiscal_expenditure": 45.21}),
])
def test_more_wordings_of_registry_indicators(text, county, expected):
    assert same(found(text, county, 2022), expected)


def test_table_row_label_with_a_footnote_mark():
    text = ("2022年全区生产总值完成情况\n单位:万元、%\n指 标 名 称 |\n绝对数 |\n比上年增长 |\n地区生产总值 |\n"
            "2345678 |\n1.2 |\n其中: 第一产业(3) |\n198765 |\n2.9 |\n第二产业 |\n876543 |\n-0.4 |\n第三产业 |\n"
            "1270370 |\n2.0 |")
    assert same(found(text, "谯城区", 2022), {"gdp": 234.5678, "gdp_growth": 1.2, "va_primary": 19.8765,
                                              "va_secondary": 87.6543, "va_tertiary": 127.037})


def test_a_part_larger_than_its_total_is_ambiguous():
    text = "全年财政总收入198765万元，一般公共预算收入87654万元，增长1.1%，其中税收收入154321万元，增长6.2%。"
    got = bulletin.scan(text, county="霍州市", year=2019)
    tax = got[got.indicator == "tax_revenue"].iloc[0]
    assert tax.status == "ambiguous" and "part of" in tax.reason
    assert same(found(text, "霍州市", 2019), {"fiscal_revenue": 8.7654})


def test_a_note_after_the_figure_can_change_whose_figure_it_is():
    text = "人均GDP51234元(按户籍人口计算)，比上年增加321元。全区生产总值(2)实现412.3亿元。"
    got = bulletin.scan(text, county="颍东区", year=2022)
    pc = got[got.indicator == "gdp_per_capita"].iloc[0]
    assert pc.status == "other" and "户籍" in pc.reason
    assert same(found(text, "颍东区", 2022), {"gdp": 412.3})
    resident = "人均地区生产总值48765元(以年平均常住人口计算)。"
    assert same(found(resident, "石阡县", 2024), {"gdp_per_capita": 48765})


# The patterns searched over whole texts or sentences carry a look-ahead for their first characters
# (countylib.vocab.quick_start), and sentences without a month, quarter or half-year word skip the part-of-year search.
_QUICK_TEXT = ("截至2022年末，全县常住人口约45.2万人；2021年一季度、前三季度和1-5月、一至十一月、5月份、3月末的数据"
               "见附表[1]。全年生产总值突破300亿元，比2020年增长12.5%，两年平均增长6.1%，三次产业结构9.1:41.2:49.7；"
               "年末 12:30 统计①，城镇居民人均可支配收入3.2万元，农村居民人均可支配收入不足1.8万元，上半年、下半年各"
               "xx亿元，2023年计划完成320.5亿元，到2025年达到400亿元，在2019年全县…【2】³")


@pytest.mark.parametrize("pattern", [
    "VALUE", "TIME_YEAR", "PERIOD_PATTERN", "CLAUSE_SEP", "_FOOTNOTE_MARK"])
def test_patterns_with_a_quick_start_match_as_the_plain_patterns(pattern):
    import re

    from countylib.ingest.bulletin import patterns, prose

    compiled = next(getattr(m, pattern) for m in (patterns, prose, bwords, btext) if hasattr(m, pattern))
    plain = re.compile(compiled.pattern.split("])(?:", 1)[1][:-1], compiled.flags)
    assert compiled.pattern.startswith("(?=[")
    for text in (_QUICK_TEXT, btext.normalize_mapped(_QUICK_TEXT).text):  # as printed and as normalised
        assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert any(compiled.search(text) for text in (_QUICK_TEXT, btext.normalize_mapped(_QUICK_TEXT).text))


@pytest.mark.parametrize("words", ["第一季度", "二季度", "前三季度", "1至3季度", "上半年", "下半年", "1-5月", "一至十一月",
                                   "1 — 5月", "5月份", "3月末", "十一月份"])
def test_every_part_of_the_year_has_a_period_mark(words):
    m = bwords.PERIOD_PATTERN.search(f"全县{words}生产总值增长")
    assert m is not None and any(w in m.group(0) for w in bwords.PERIOD_MARKS)


# -- joint figures, bounds after growth, the registered population's urban part, bulletins joined in one text --

def test_a_joint_figure_of_two_counties_is_neither_county_s_and_the_part_named_is_its_own():
    text = "嵩县、栾川县共实现生产总值673.7亿元，增长4.1%，其中嵩县263.5亿元、栾川县410.2亿元。"
    assert same(found(text, "嵩县"), {"gdp": 263.5})
    assert same(found(text, "栾川县"), {"gdp": 410.2})
    got = bulletin.scan(text, county="嵩县", year=2022).set_index("value_text")
    assert got.loc["673.7", "status"] == "ambiguous" and "joint figure of 嵩县、栾川县" in got.loc["673.7", "reason"]
    assert found("嵩县和栾川县生产总值合计673.7亿元。", "嵩县") == {}
    # a statement about each place stays each place's
    assert same(found("汝阳县、嵩县居民人均可支配收入首次超过2万元，分别达到21356元、20881元。"),
                {"disposable_income": [20000.0, 20881.0]})


def test_two_bulletins_joined_in_one_text_keep_their_own_figures():
    text = ("2022年嵩县国民经济和社会发展统计公报\n全县生产总值263.5亿元，增长4.1%。一般公共预算收入12.1亿元。\n"
            "2022年栾川县国民经济和社会发展统计公报\n全县生产总值410.2亿元。全县高新技术企业46家。\n"
            "2021年嵩县国民经济和社会发展统计公报\n全县生产总值250.1亿元。")
    assert same(found(text, "嵩县"), {"gdp": 263.5, "gdp_growth": 4.1, "fiscal_revenue": 12.1})
    assert same(found(text, "栾川县"), {"gdp": 410.2, "hightech_firms": 46})
    got = bulletin.scan(text, county="嵩县", year=2022).set_index("value_text")
    assert "栾川县's" in got.loc["46", "reason"] and "bulletin for 2021" in got.loc["250.1", "reason"]
    # a source note naming another bulletin inside a sentence is not a title
    note = "全县生产总值263.5亿元(数据来源：洛阳市2022年国民经济和社会发展统计公报)。一般公共预算收入12.1亿元。"
    assert same(found(note, "嵩县"), {"gdp": 263.5, "fiscal_revenue": 12.1})


@pytest.mark.parametrize("text", [
    "全县地区生产总值预计增长6.8%，突破500亿元。",
    "全年地区生产总值增长6.8%，突破500亿元。",
])
def test_a_bound_right_after_a_growth_clause_keeps_its_bound_mark(text):
    got = bulletin.extract(text, county="嵩县", year=2022).set_index("indicator")
    assert got.loc["gdp", "value_text"] == "突破500" and "lower_bound" in got.loc["gdp", "flags"]
    assert got.loc["gdp_growth", "value"] == pytest.approx(6.8)
    if "预计" in text:
        assert "estimate" in got.loc["gdp", "flags"] and "estimate" in got.loc["gdp_growth", "flags"]


def test_the_exact_figure_after_a_bound_after_a_growth_clause_is_read_too():
    got = bulletin.extract("全年地区生产总值增长6.8%，突破500亿元，达到512.3亿元。", county="嵩县", year=2022)
    gdp = got[got.indicator == "gdp"].set_index("value_text")
    assert gdp.loc["突破500", "flags"] == "lower_bound" and gdp.loc["512.3", "flags"] == ""
    paired = bulletin.extract("城镇、农村居民人均可支配收入分别突破4万元、2万元。", county="嵩县", year=2022)
    assert paired["flags"].tolist() == ["lower_bound", "lower_bound"] and paired.value.tolist() == [40000, 20000]


@pytest.mark.parametrize("text", [
    "户籍人口方面，年末总人口52.3万人，其中城镇人口20.1万人。",
    "年末全县户籍人口52.3万人。城镇人口20.1万人，乡村人口32.2万人。",
    "年末全县总户数15.2万户，总人口52.3万人，其中城镇人口20.1万人。",
    "年末全县户籍人口为52.3万人。\n其中城镇人口20.1万人。",
    "年末全县户籍总人口52.3万人，其中男性26.1万人，女性26.2万人；城镇人口20.1万人，乡村人口32.2万人。",
    "表2 年末人口数及其构成\n指标 | 年末数(万人) |\n户籍人口 | 52.3 |\n其中:城镇人口 | 20.1 |\n乡村人口 | 32.2 |\n",
    # the registered total itself unreadable (a reprint garbled it), the sentence still says whose the parts are
    "2022年末，公安户籍总丝23456人，其中男262345人，女261111人；城镇人口201000人，乡村人口322456人。",
])
def test_the_urban_part_of_the_registered_population_is_not_the_resident_urban_population(text):
    got = found(text)
    assert "pop_urban" not in got and "urbanization" not in got
    scanned = bulletin.scan(text, county="嵩县", year=2022)
    urban = scanned[scanned.indicator == "pop_urban"].iloc[0]
    assert urban.status != "ok" and ("户籍" in urban.reason or "总人口" in urban.reason or "registered" in urban.reason)


def test_the_urban_population_after_the_resident_population_is_taken():
    text = "年末户籍人口52.3万人，其中城镇人口20.1万人。年末常住人口43.1万人，其中城镇人口22.4万人，城镇化率51.97%。"
    assert same(found(text), {"pop_registered": 52.3, "pop_resident": 43.1, "pop_urban": 22.4, "urbanization": 51.97})
    assert same(found("年末户籍人口52.3万人。常住人口城镇化率为45.1%。"), {"pop_registered": 52.3, "urbanization": 45.1})
