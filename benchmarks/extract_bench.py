"""Bulletin extraction throughput on two large texts (5 MB each by default).

* ``synthetic``: bulletin-like paragraphs written for this benchmark (made-up numbers): prose with levels
  and growth rates, a traditional-character reprint with pinyin glosses, forum markup, a flattened
  table and long stretches with no figures at all.
* ``dense``: paragraphs as dense as real statistical bulletins or denser (made-up numbers, written for
  this benchmark): a figure every 20-25 characters, nearly every clause a level with its 增长/比上年
  rate, sector breakdowns, 其中 clauses, 分别 lists, structure ratios, flattened, space-separated and
  ``|``-separated tables, and a traditional-character reprint with pinyin glosses and forum markup.

Each text is repeated with varying numbers until the size is reached. ``countylib.bulletin.scan`` is
timed against a baseline measured in the same run on the same text: one pass of a regular expression
for numbers with units (the least any extractor must do). Prints both times, the throughput in MB/s
and the ratio for each text.

    python benchmarks/extract_bench.py [--mb 5] [--text synthetic|dense|both]
"""

from __future__ import annotations

import argparse
import random
import re
import time

from countylib.ingest import bulletin

PARAGRAPHS = [
    "初步核算，全年全县生产总值{a}.{b}亿元，按可比价格计算，比上年增长{g}.{h}%。分产业看，第一产业增加值{c}.{d}亿元，"
    "增长{h}.{g}%；第二产业增加值{e}.{b}亿元，增长{g}.{d}%；第三产业增加值{f}.{h}亿元，下降{h}.{b}%。"
    "三次产业结构为{p}.{b}:{q}.{d}:{r}.{h}。按常住人口计算，人均地区生产总值{a}{c}{d}元，比上年增长{g}.{b}%。\n",
    "年末全县常住人口{c}.{d}万人，其中城镇人口{g}.{b}万人，常住人口城镇化率为{q}.{h}%。户籍人口{a}{b}{c}{d}人，"
    "其中城镇人口{e}{f}{b}人。全年一般公共预算收入{c}{d}{e}{b}万元，增长{g}.{h}%；其中县本级收入{c}{b}{h}{g}万元。\n",
    "全縣地區(qū)生產(chǎn)總值(GDP)達(dá)到{a}.{b}億元,按可比價(jià)格計(jì)算比上年增長(zhǎng){g}·{h}%。"
    "[align=left][size=3]城鎮(zhèn)、農(nóng)村居民人均可支配收入分別達(dá)到{a}{b}{c}元、{c}{d}{e}元。[/size][/align]\n",
    "表1 {y}年全县生产总值构成及增长速度\n单位:万元\n绝对数\n比上年增长\n生产总值\n{a}{b}{c}{d}{e}\n{g}.{h}\n"
    "其中:第一产业\n{c}{d}{e}{b}\n{h}.{g}\n第二产业\n{e}{f}{b}{d}\n{g}.{d}\n",
    "全年粮食播种面积{a}{b}公顷，比上年增加{c}公顷；粮食总产量{d}.{e}万吨，增长{g}.{h}%。蔬菜及食用菌产量{e}.{f}万吨，"
    "水果产量{c}万吨。年末生猪存栏{a}.{b}万头，全年出栏{c}.{d}万头。全县森林覆盖率为{q}.{h}%。\n",
    "全年居民消费价格比上年上涨{h}.{g}%。八大类中，食品烟酒类价格上涨{g}.{b}%，衣着类价格下降{h}.{d}%，"
    "居住类价格上涨{b}.{g}%，交通通信类价格上涨{d}.{h}%，医疗保健类价格上涨{g}.{h}%。\n" * 3,
    "县委县政府坚持稳中求进工作总基调，统筹发展和安全，扎实推进各项工作，经济社会发展稳中有进，"
    "民生福祉持续改善，各项事业取得新的进展，为全面建设社会主义现代化开好局起好步。\n" * 4,
]

# Placeholders of the dense paragraphs, each filled with a fresh number: {L} a level with two decimals
# (亿元), {W} one with two decimals (万), {I} a whole number, {G} a growth rate, {P} a share, {N} a count,
# {Y} a year.
DENSE_PARAGRAPHS = [
    "初步核算，{Y}年全县实现地区生产总值{L}亿元，按可比价格计算，比上年增长{G}%。分产业看，第一产业增加值{L}亿元，"
    "增长{G}%；第二产业增加值{L}亿元，增长{G}%；第三产业增加值{L}亿元，增长{G}%。三次产业结构由上年的"
    "{P}:{P}:{P}调整为{P}:{P}:{P}。按常住人口计算，人均地区生产总值{I}元，比上年增长{G}%。\n",
    "全年粮食播种面积{W}万亩，比上年增加{W}万亩；粮食总产量{W}万吨，增长{G}%。其中，夏粮产量{W}万吨，增长{G}%；"
    "秋粮产量{W}万吨，下降{G}%。油料产量{I}吨，增长{G}%；蔬菜产量{W}万吨，增长{G}%；水果产量{W}万吨，"
    "增长{G}%。年末生猪存栏{W}万头，比上年末增长{G}%；全年生猪出栏{W}万头，增长{G}%。\n",
    "全年规模以上工业增加值比上年增长{G}%。分经济类型看，国有控股企业增加值增长{G}%，股份制企业增长{G}%，"
    "私营企业增长{G}%。分门类看，采矿业增长{G}%，制造业增长{G}%，电力、热力、燃气及水生产和供应业下降{G}%。"
    "规模以上工业企业实现营业收入{L}亿元，增长{G}%；利润总额{L}亿元，下降{G}%。\n",
    "全年固定资产投资比上年增长{G}%。其中，工业投资增长{G}%，基础设施投资增长{G}%，民间投资下降{G}%。"
    "房地产开发投资{L}亿元，增长{G}%；商品房销售面积{W}万平方米，下降{G}%；商品房销售额{L}亿元，下降{G}%。\n",
    "全年社会消费品零售总额{L}亿元，比上年增长{G}%。按经营地分，城镇消费品零售额{L}亿元，增长{G}%；"
    "乡村消费品零售额{L}亿元，增长{G}%。按消费类型分，商品零售额{L}亿元，增长{G}%；餐饮收入{L}亿元，增长{G}%。\n",
    "全年一般公共预算收入{L}亿元，比上年增长{G}%，其中税收收入{L}亿元，增长{G}%，占一般公共预算收入的{P}%。"
    "一般公共预算支出{L}亿元，增长{G}%。其中，教育支出{L}亿元，增长{G}%；社会保障和就业支出{L}亿元，增长{G}%；"
    "卫生健康支出{L}亿元，下降{G}%。\n",
    "年末全县户籍人口{W}万人，比上年末减少{I}人；常住人口{W}万人，其中城镇常住人口{W}万人，常住人口城镇化率"
    "为{P}%，比上年末提高{G}个百分点。全年出生人口{I}人，出生率为{G}‰；死亡人口{I}人，死亡率为{G}‰。\n",
    "全年全体居民人均可支配收入{I}元，比上年增长{G}%。按常住地分，城镇居民人均可支配收入{I}元，增长{G}%；"
    "农村居民人均可支配收入{I}元，增长{G}%。全体居民人均消费支出{I}元，增长{G}%。\n",
    "年末金融机构人民币各项存款余额{L}亿元，比年初增加{L}亿元，增长{G}%；其中住户存款余额{L}亿元，增长{G}%。"
    "人民币各项贷款余额{L}亿元，比年初增加{L}亿元，增长{G}%。\n",
    "年末全县共有各级各类学校{N}所，在校学生{W}万人，专任教师{I}人。共有医疗卫生机构{N}个，卫生技术人员{I}人，"
    "床位{I}张。全年城镇新增就业{I}人，城镇登记失业率为{G}%。全县共有高新技术企业{N}家，研究与试验发展(R&D)"
    "经费支出{L}亿元，增长{G}%。\n",
    "过去一年，面对多重困难挑战，全县上下攻坚克难，主要指标好于预期。地区生产总值首次突破百亿元大关，达到{L}亿元，"
    "增长{G}%；一般公共预算收入完成{L}亿元，"
    "增长{G}%；城镇、农村居民人均可支配收入分别达到{I}元、{I}元，分别增长{G}%、{G}%。\n",
    "表{N} {Y}年主要经济指标\n单位:亿元\n指标\n绝对数\n比上年增长(%)\n地区生产总值\n{L}\n{G}\n第一产业\n{L}\n{G}\n"
    "第二产业\n{L}\n{G}\n第三产业\n{L}\n{G}\n一般公共预算收入\n{L}\n{G}\n社会消费品零售总额\n{L}\n{G}\n",
    "指标|单位|{Y}年|比上年增长(%)\n地区生产总值|亿元|{L}|{G}\n常住人口|万人|{W}|{G}\n"
    "城镇居民人均可支配收入|元|{I}|{G}\n农村居民人均可支配收入|元|{I}|{G}\n",
    "产品名称 单位 产量 比上年增长(%)\n粮食 万吨 {W} {G}\n油料 吨 {I} {G}\n蔬菜 万吨 {W} {G}\n肉类 万吨 {W} {G}\n",
    "全年居民消费价格比上年上涨{G}%。其中，食品烟酒类上涨{G}%，衣着类下降{G}%，居住类上涨{G}%，"
    "交通通信类上涨{G}%，教育文化娱乐类上涨{G}%，医疗保健类上涨{G}%。\n",
    "[size=3]全縣地區(qū)生產(chǎn)總值{L}億元,比上年增長(zhǎng){G}%。城鎮(zhèn)、農(nóng)村居民人均可支配收入"
    "分別達(dá)到{I}元、{I}元,分別增長(zhǎng){G}%、{G}%。[/size]\n",
    "全县地区生产总值(GDP){L}亿元，同比增长{G}%，两年平均增长{G}%。人均地区生产总值{I}元，比上年增加{I}元。"
    "第一产业增加值占地区生产总值的比重为{P}%，第二产业增加值比重为{P}%，第三产业增加值比重为{P}%。\n",
    "全年一般公共预算收入{L}亿元，增长{G}%；其中，县本级收入{L}亿元，税收收入{L}亿元，增长{G}%。财政总收入{L}亿元，"
    "增长{G}%。一般公共预算支出{L}亿元，增长{G}%，民生支出占一般公共预算支出的{P}%。\n",
    "年末常住人口{W}万人，比上年末减少{W}万人。其中，城镇人口{W}万人，乡村人口{W}万人；常住人口城镇化率为{P}%，"
    "户籍人口城镇化率为{P}%。年末户籍总户数{W}万户，总人口{W}万人。\n",
    "全年社会消费品零售总额{L}亿元，增长{G}%；限额以上单位消费品零售额{L}亿元，增长{G}%。全社会研究与试验发展"
    "(R&D)经费投入{L}亿元，占地区生产总值的比重为{G}%；年末有效高新技术企业{N}家，当年新认定{N}家。\n",
    "{Y}年，全县完成地区生产总值{L}亿元、增长{G}%，一般公共预算收入{L}亿元、增长{G}%，社会消费品零售总额"
    "{L}亿元、增长{G}%，城乡居民人均可支配收入分别增长{G}%和{G}%。全市实现地区生产总值{L}亿元，增长{G}%。\n",
    "三次产业增加值占地区生产总值的比重分别为{P}%、{P}%和{P}%。全体居民人均可支配收入{I}元，增长{G}%，"
    "其中城镇常住居民人均可支配收入{I}元，农村常住居民人均可支配收入{I}元。\n",
    "一年来，全县坚持以高质量发展为主线，统筹推进稳增长、促改革、调结构、惠民生、防风险各项工作，"
    "重点项目建设提速增效，营商环境持续优化，乡村振兴扎实推进，生态环境质量稳步提升。\n",
    "二、农业和农村经济\n注：本公报部分数据为初步统计数，部分指标合计数因四舍五入与分项之和略有出入。\n",
    "全年实施重点项目{N}个，完成投资{L}亿元，其中新开工项目{N}个。新建改建农村公路{W}公里，改造老旧小区{N}个，"
    "新增停车位{I}个。持续开展人居环境整治，农村卫生厕所普及率达到{P}%，生活垃圾无害化处理率保持在较高水平，"
    "群众获得感、幸福感、安全感不断增强。\n",
    "全年接待游客{W}万人次，旅游综合收入{L}亿元。新建5G基站{N}个，实现城区和重点乡镇连续覆盖，"
    "数字经济与实体经济融合发展迈出新步伐，电子商务进农村综合示范项目通过验收。\n",
    "三、工业和建筑业\n工业经济稳步回升，传统产业加快转型升级，新兴产业集群逐步壮大，园区承载能力明显增强，"
    "龙头企业带动作用进一步发挥，中小企业发展环境持续改善。\n",
    "深入推进教育强县建设，新建、改扩建中小学和幼儿园，义务教育优质均衡发展取得新进展。县域医疗卫生服务能力"
    "稳步提升，紧密型县域医共体建设全面推开，基本公共卫生服务项目扎实开展。\n",
    "扎实做好保障和改善民生工作，社会保险参保扩面持续推进，城乡低保、特困供养和临时救助政策落实到位，"
    "困难群众基本生活得到有效保障，社会大局保持和谐稳定。\n",
    "资料来源：本公报中各项数据来自县统计局及有关部门，其中财政数据来自县财政局，金融数据来自人民银行县支行。\n",
]

_SLOT = re.compile(r"\{([LWIGPNY])\}")


def _number(kind: str, rng: random.Random) -> str:
    if kind == "L":
        return f"{rng.uniform(1, 900):.2f}"
    if kind == "W":
        return f"{rng.uniform(0.5, 120):.2f}"
    if kind == "I":
        return str(rng.randint(800, 68000))
    if kind == "G":
        return f"{rng.uniform(0.1, 15):.1f}"
    if kind == "P":
        return f"{rng.uniform(5, 60):.1f}"
    if kind == "N":
        return str(rng.randint(2, 90))
    return str(rng.randint(2015, 2023))


def _dense_paragraph(rng: random.Random) -> str:
    return _SLOT.sub(lambda m: _number(m.group(1), rng), rng.choice(DENSE_PARAGRAPHS))


def _synthetic_paragraph(rng: random.Random) -> str:
    return rng.choice(PARAGRAPHS).format(
        a=rng.randint(100, 999), b=rng.randint(0, 9), c=rng.randint(10, 99), d=rng.randint(0, 9),
        e=rng.randint(100, 999), f=rng.randint(100, 999), g=rng.randint(1, 9), h=rng.randint(0, 9),
        p=rng.randint(5, 20), q=rng.randint(30, 50), r=rng.randint(30, 50), y=rng.randint(2015, 2023))


def _repeat(paragraph, mb: float, seed: int) -> str:
    rng = random.Random(seed)
    parts, size, target = [], 0, int(mb * 1024 * 1024)
    while size < target:
        p = paragraph(rng)
        parts.append(p)
        size += len(p.encode("utf-8"))
    return "".join(parts)


def make_text(mb: float, seed: int = 0) -> str:
    """The synthetic text: figures, reprints and long stretches without figures."""
    return _repeat(_synthetic_paragraph, mb, seed)


def make_dense_text(mb: float, seed: int = 0) -> str:
    """The dense text: a figure every 20-25 characters, as in real statistical bulletins or denser."""
    return _repeat(_dense_paragraph, mb, seed)


_NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:万亿元|亿元|万元|元|万人|人|%)")


def baseline(text: str) -> float:
    t0 = time.perf_counter()
    n = len(_NUMBER_WITH_UNIT.findall(text))
    assert n > 0
    return time.perf_counter() - t0


def measure(name: str, text: str) -> None:
    mb = len(text.encode("utf-8")) / 1024 / 1024
    every = len(text) / max(1, len(_NUMBER_WITH_UNIT.findall(text)))
    t_base = baseline(text)
    t0 = time.perf_counter()
    found = bulletin.scan(text, county="嵩县", year=2022)
    t_scan = time.perf_counter() - t0
    print(f"{name} text: {mb:.2f} MB, {len(text):,} characters, a figure every {every:.0f} characters; "
          f"{len(found):,} candidates, {(found.status == 'ok').sum():,} accepted")
    print(f"  baseline (one regex pass for numbers with units): {t_base:.2f} s")
    print(f"  scan: {t_scan:.2f} s = {mb / t_scan:.2f} MB/s; ratio scan/baseline = {t_scan / t_base:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of each text in MB (UTF-8)")
    ap.add_argument("--text", choices=["synthetic", "dense", "both"], default="both", help="which text to time")
    args = ap.parse_args()
    bulletin.scan("全县生产总值230亿元。", county="嵩县", year=2022)  # registry, names, patterns: once per session
    if args.text in ("synthetic", "both"):
        measure("synthetic", make_text(args.mb))
    if args.text in ("dense", "both"):
        measure("dense", make_dense_text(args.mb))


if __name__ == "__main__":
    main()
