"""The extractor's own words: what, before or around a figure in running text, makes it someone else's,
a part, a change, a target or another year's (the words every reader shares are in :mod:`countylib.vocab`).

>>> "户籍" in REGISTERED_WORDS, bool(PERIOD_PATTERN.search("1-5月")), LOOKALIKES["财政总收入"][:20]
(True, True, 'total fiscal revenue')
"""

from __future__ import annotations

import re

from countylib.vocab import quick_start

#: Two-year average growth: not the year's own rate.
TWO_YEAR_WORDS = ("两年平均", "两年年均")
#: Averages over several years: not the year's own rate either.
AVERAGE_GROWTH_WORDS = (*TWO_YEAR_WORDS, "年均", "平均每年", "三年平均", "五年平均")
#: Words naming the unit itself in its own text, by the last character of its name (全县 in a 县's text).
OWN_SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "县": ("全县域", "全县", "本县", "我县", "县域"),
    "市": ("全市域", "全市", "本市", "我市", "市域"),
    "区": ("全区域", "全区", "本区", "我区", "区域"),
    "旗": ("全旗", "本旗", "我旗", "旗域"),
}
#: Words naming a larger unit than a county (a county's text quoting its province or the nation).
OTHER_SCOPE_WORDS = ("全国", "全省", "全州", "全盟", "全自治区", "全自治州", "全地区")
#: Parts of the economy: a figure for them is not the unit's total (民营经济增加值 is not GDP).
ECONOMY_PART_WORDS = ("民营经济", "非公有制经济", "非公经济", "十大生态产业", "规模以上", "规上", "规模工业",
                      "限额以上", "限上", "开发区", "产业集聚区", "高新区", "园区")
#: The registered (hukou) population: its urban part or urbanization rate is not the resident one.
REGISTERED_WORDS = ("户籍", "户口", "公安部门")
#: Words for a change rather than a level: 新增高新技术企业12家 is not the number of firms.
INCREASE_WORDS = ("新增", "净增", "新认定", "新培育", "新引进", "新登记", "新入库", "新晋", "增加", "减少", "净减")
#: Part of a year (first quarter, January to May): not the year's figure.
PERIOD_PATTERN = re.compile(quick_start(
    r"第?[一二三四1-4]季度|前[两二三]季度|[一二三四1-4]至[二三四2-4]季度|上半年|下半年|"
    r"(?:1|一)\s*[-—~至到]\s*(?:1[01]|[2-9]|[二三四五六七八九]|十一?)\s*月|"
    r"(?<![\d年\-—~])(?:1[01]|[1-9])月份?(?:末|底)?(?![\d日])|[一二三四五六七八九十]+月份",
    "第前上下一二三四五六七八九十1-9"))
#: Every match of PERIOD_PATTERN has one of these: a stretch of text without them names no part of a year.
PERIOD_MARKS = ("季", "半年", "月")
#: Targets and plans: a number a text hopes for is not an outcome.
TARGET_WORDS = ("预期目标", "目标", "力争", "争取", "计划", "规划", "确保", "奋斗")
#: Wordings that look like a registry indicator but are not one, with the reason (checked together with the
#: registry's aliases, the longest wording at a place wins: 户籍人口城镇化率 is not 城镇化率).
LOOKALIKES: dict[str, str] = {
    **dict.fromkeys(("财政总收入", "一般公共预算总收入", "公共财政预算总收入", "财政收入总额"),
                    "total fiscal revenue, larger than 一般公共预算收入"),
    **dict.fromkeys(("户籍人口城镇化率", "户籍城镇化率"), "urbanization of the registered population"),
    **dict.fromkeys(("户籍人均生产总值", "户籍人均地区生产总值", "户籍人口人均生产总值", "户籍人口人均地区生产总值"),
                    "per capita of the registered population"),
    **dict.fromkeys(("农村常住人口", "乡村常住人口", "乡村人口", "农村人口", "非农业人口", "农业人口"),
                    "a part of the population"),
    "总人口": "总人口 without 户籍 or 常住: which population is unclear",
    **dict.fromkeys(("城乡居民人均可支配收入", "城乡常住居民人均可支配收入", "城乡居民收入"),
                    "urban and rural residents together: not one series"),
    **dict.fromkeys(("城乡居民收入比", "城乡收入比"), "a ratio of incomes"),
    **dict.fromkeys(("规模以上工业增加值", "规上工业增加值", "规模工业增加值", "工业增加值", "建筑业增加值",
                     "农林牧渔业增加值", "农业增加值", "服务业增加值", "制造业增加值", "民营经济增加值",
                     "非公有制经济增加值", "高新技术产业增加值", "战略性新兴产业增加值", "数字经济增加值"),
                    "value added of a part of the economy"),
    **dict.fromkeys(("农林牧渔业总产值", "规模以上工业总产值", "规模工业总产值", "工业总产值", "高新技术产业产值"),
                    "gross output, not value added"),
    **dict.fromkeys(("税收收入占", "税收占比", "税收占", "税收比重"), "the tax share of revenue"),
    **dict.fromkeys(("居民人均消费支出", "人均消费支出", "人均生活消费支出"), "consumption, not income"),
    **dict.fromkeys(("城镇新增就业", "新增就业"), "new jobs"),
    **dict.fromkeys(("万元GDP能耗", "万元地区生产总值能耗", "单位GDP能耗", "单位地区生产总值能耗"), "energy intensity"),
    "国内生产总值": "the nation's GDP, not a county's",
}
