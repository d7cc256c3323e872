"""Bulletin extraction throughput on a large text (5 MB by default).

The text is made of bulletin-like paragraphs written for this benchmark (made-up numbers): prose
with levels and growth rates, a traditional-character reprint with pinyin glosses, forum markup,
a flattened table and long stretches with no figures at all, repeated with varying numbers until
the size is reached. Times ``countylib.bulletin.scan`` against a baseline measured in the same run:
one pass of a regular expression for numbers with units over the same text (the least any
extractor must do). Prints both times, the throughput in MB/s and the ratio.

    python benchmarks/extract_bench.py [--mb 5]
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


def make_text(mb: float, seed: int = 0) -> str:
    rng = random.Random(seed)
    parts, size, target = [], 0, int(mb * 1024 * 1024)
    while size < target:
        p = rng.choice(PARAGRAPHS).format(
            a=rng.randint(100, 999), b=rng.randint(0, 9), c=rng.randint(10, 99), d=rng.randint(0, 9),
            e=rng.randint(100, 999), f=rng.randint(100, 999), g=rng.randint(1, 9), h=rng.randint(0, 9),
            p=rng.randint(5, 20), q=rng.randint(30, 50), r=rng.randint(30, 50), y=rng.randint(2015, 2023))
        parts.append(p)
        size += len(p.encode("utf-8"))
    return "".join(parts)


def baseline(text: str) -> float:
    t0 = time.perf_counter()
    n = len(re.findall(r"\d+(?:\.\d+)?(?:万亿元|亿元|万元|元|万人|人|%)", text))
    assert n > 0
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the text in MB (UTF-8)")
    args = ap.parse_args()
    text = make_text(args.mb)
    mb = len(text.encode("utf-8")) / 1024 / 1024
    bulletin.scan("全县生产总值230亿元。", county="嵩县", year=2022)  # registry, names, patterns: once per session
    t_base = baseline(text)
    t0 = time.perf_counter()
    found = bulletin.scan(text, county="嵩县", year=2022)
    t_scan = time.perf_counter() - t0
    print(f"text: {mb:.2f} MB, {len(text):,} characters; {len(found):,} candidates, "
          f"{(found.status == 'ok').sum():,} accepted")
    print(f"baseline (one regex pass for numbers with units): {t_base:.2f} s")
    print(f"scan: {t_scan:.2f} s = {mb / t_scan:.2f} MB/s; ratio scan/baseline = {t_scan / t_base:.1f}")


if __name__ == "__main__":
    main()
