"""Figures out of statistical-bulletin prose (统计公报), each with the character span it came from.

Precision over recall: a figure is taken only when an indicator wording, a number and a unit that
fits the indicator stand together in one clause of the county's own scope. Sub-scopes (市级, 市区),
figures of other places and two-year averages are reported as ``ambiguous`` with a reason, never
attributed.

>>> recs = extract("全年全县生产总值230.65亿元，比上年增长4.2%。", year=2022)
>>> recs[["indicator", "value", "unit", "year"]].values.tolist()
[['gdp', 230.65, '亿元', 2022], ['gdp_growth', 4.2, '%', 2022]]
>>> text = "全年全县生产总值230.65亿元"
>>> s, e = recs.start.iloc[0], recs.end.iloc[0]
>>> text[s:e]
'230.65亿元'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from countylib import vocab
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.ingest import units

# Wordings that look like an indicator but are not one (checked first; longest match wins).
NOT_INDICATORS = ["人均地区生产总值增长", "第一产业增加值增长", "第二产业增加值增长", "第三产业增加值增长",
                  "规模以上工业增加值", "工业增加值", "财政总收入", "税收收入占", "民营经济增加值", "旅游综合收入"]
NUMBER = r"(?P<marker>约|近|突破|超过|逾|达到|达)?(?P<num>[0-9]+(?:\.[0-9]+)?|[xX*]{1,4})"
UNIT = r"(?P<unit>万亿元|亿元|万元|元|万人|人|%|家|个)"
CLAUSE_END = "，,。；;\n"
SUBSCOPE = re.compile(r"(市级|县级本级|本级|市区|城区|中心城区|市本级)")
TWO_YEAR = re.compile(r"两年平均")
PRELIM = re.compile(r"初步核算")
STRUCTURE = re.compile(r"三次产业结构[^0-9]{0,8}(?P<a>\d+(?:\.\d+)?):(?P<b>\d+(?:\.\d+)?):(?P<c>\d+(?:\.\d+)?)")
YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})年")


@dataclass(frozen=True)
class _Norm:
    text: str
    offsets: list[int]  # offsets[i] = index in the original text of normalised char i


@lru_cache(maxsize=16384)
def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    out = out.replace("：", ":").replace("　", " ")
    return vocab.to_simplified(out)


def normalize(text: str) -> _Norm:
    """Full-width -> ASCII, traditional -> simplified, keeping a map back to original offsets."""
    parts, offsets = [], []
    for i, ch in enumerate(text):
        n = _norm_char(ch)
        parts.append(n)
        offsets.extend([i] * len(n))
    return _Norm("".join(parts), offsets)


@cache
def _alias_pattern() -> re.Pattern:
    words: dict[str, str] = {}
    for key, meta in ind.registry().items():
        for w in (meta.name_zh, *meta.aliases):
            w = vocab.clean_name(w)
            if len(w) >= 2 and not w.isascii():
                words.setdefault(w, key)
    for w in NOT_INDICATORS:
        words[w] = ""
    ordered = sorted(words, key=len, reverse=True)
    _alias_pattern.words = words  # type: ignore[attr-defined]
    return re.compile("|".join(re.escape(w) for w in ordered))


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in CLAUSE_END) + 1
    ends = [text.find(c, pos) for c in CLAUSE_END]
    end = min([e for e in ends if e >= 0], default=len(text))
    return start, end


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, pos) for c in "。；;\n") + 1
    ends = [text.find(c, pos) for c in "。；;\n"]
    end = min([e for e in ends if e >= 0], default=len(text))
    return start, end


@cache
def _place_names() -> tuple[re.Pattern, dict[str, str]]:
    reg = regions.registry()
    names = {}
    for r in reg.itertuples(index=False):
        names.setdefault(r.name, r.adcode)
        if r.level != "province" and len(r.short_name) >= 2:
            names.setdefault(r.short_name, r.adcode)
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), names


def scan(text: str, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Every candidate figure, accepted (``status == "ok"``) or reported (``"ambiguous"`` with a reason)."""
    norm = normalize(text)
    t = norm.text
    own = _own_names(county)
    rows: list[dict] = []
    pattern = _alias_pattern()
    words = _alias_pattern.words  # type: ignore[attr-defined]
    number_after = re.compile(r"(?P<gap>[^0-9xX*，,。；;\n]{0,14}?)" + NUMBER + r"\s*" + UNIT)
    for m in pattern.finditer(t):
        key = words[m.group(0)]
        if not key:
            continue
        c_start, c_end = _clause_bounds(t, m.start())
        s_start, _ = _sentence_bounds(t, m.start())
        after = number_after.match(t, m.end(), c_end)
        if after is None:
            block = _table_value(t, m, key)
            if block:
                rows.extend(_records(norm, text, key, block, year, t[s_start:m.start()], own, county, "table"))
            continue
        prefix = t[s_start:m.start()]
        gap = after.group("gap")
        if pattern.search(gap):
            continue
        rows.extend(_records(norm, text, key, after, year, prefix + gap, own, county, "prose"))
        if key == "gdp":
            rows.extend(_growth(norm, text, after.end(), c_end, t, year, prefix, own, county))
    for m in STRUCTURE.finditer(t):
        prefix = t[_sentence_bounds(t, m.start())[0]:m.start()]
        for group, key in (("a", "share_primary"), ("b", "share_secondary"), ("c", "share_tertiary")):
            rows.append(_row(norm, text, key, m.start(group), m.end(group), m.group(group), "%", year,
                             prefix, own, county, "structure", set()))
    out = pd.DataFrame(rows, columns=["indicator", "value", "unit", "value_text", "unit_text", "year", "flags",
                                      "start", "end", "status", "reason", "source"])
    return out.drop_duplicates(["indicator", "start"]).sort_values("start").reset_index(drop=True)


def _growth(norm, text, pos, c_end, t, year, prefix, own, county) -> list[dict]:
    s_end = _sentence_bounds(t, pos)[1]
    seg = t[pos:s_end]
    m = re.search(r"(?P<two>两年平均)?(?P<dir>增长|下降)(?P<num>[0-9]+(?:\.[0-9]+)?)%", seg)
    if m is None or _alias_pattern().search(seg[: m.start()]):
        return []
    start, end = pos + m.start("num"), pos + m.end() - 0
    if m.group("two"):
        row = _row(norm, text, "gdp_growth", start, end, m.group("num"), "%", year, prefix, own, county, "prose",
                   {"growth"})
        row.update(status="ambiguous", reason="two-year average growth, not the year's rate")
        return [row]
    sign = "-" if m.group("dir") == "下降" else ""
    return [_row(norm, text, "gdp_growth", start, end, sign + m.group("num"), "%", year, prefix, own, county,
                 "prose", {"growth"})]


def _table_value(t: str, m: re.Match, key: str):
    """Tables flattened into text: a label line (with its unit in brackets), then value and growth lines."""
    line_start = t.rfind("\n", 0, m.start()) + 1
    line_end = t.find("\n", m.end())
    if line_end < 0:
        return None
    label = t[line_start:line_end].strip()
    unit_m = re.fullmatch(re.escape(m.group(0)) + r"\s*\((?P<u>[^)]+)\)", label)
    if unit_m is None:
        return None
    nxt = re.compile(r"\s*" + NUMBER + r"\s*(?:\n|$)")
    val = nxt.match(t, line_end + 1)
    if val is None:
        return None
    return _TableMatch(val, unit_m.group("u"), val.start("num"), val.end("num"))


@dataclass
class _TableMatch:
    match: re.Match
    unit_text: str
    num_start: int
    num_end: int

    def group(self, name: str):
        return self.unit_text if name == "unit" else self.match.group(name)

    def start(self, name: str = "num") -> int:
        return self.match.start(name) if self.match.group(name) else self.num_start

    def end(self, name: str = "num") -> int:
        return self.num_end


def _records(norm, text, key, m, year, prefix, own, county, source) -> list[dict]:
    flags = set()
    marker = m.group("marker") or ""
    if marker in ("约", "近"):
        flags.add("approximate")
    elif marker in ("突破", "超过", "逾"):
        flags.add("lower_bound")
    start = m.start("marker") if marker else m.start("num")
    end = m.end("unit") if source != "table" else m.end("num")
    return [_row(norm, text, key, start, end, marker + m.group("num"), m.group("unit"), year, prefix, own, county,
                 source, flags)]


def _row(norm, text, key, start, end, value_text, unit_text, year, prefix, own, county, source, flags) -> dict:
    o_start = norm.offsets[start]
    o_end = norm.offsets[end - 1] + 1
    canonical = ind.get(key).unit
    parsed = units.parse_values(pd.Series([value_text]), pd.Series([unit_text]), canonical).iloc[0]
    flags = set(flags)
    if parsed.flag == "masked":
        flags.add("masked")
    if PRELIM.search(prefix):  # 初步核算 in the same sentence, before the figure
        flags.add("preliminary")
    status, reason = "ok", ""
    fig_year = year
    years = list(YEAR.finditer(prefix))
    if years:
        fig_year = int(years[-1].group("y"))
    if "上年" in prefix[-8:]:
        fig_year = (year - 1) if year else None
    if parsed.flag == "invalid":
        status, reason = "ambiguous", parsed.reason
    elif TWO_YEAR.search(prefix[-6:]):
        status, reason = "ambiguous", "two-year average"
    elif SUBSCOPE.search(prefix):
        status, reason = "ambiguous", f"sub-scope ({SUBSCOPE.search(prefix).group(0)}), not the whole jurisdiction"
    else:
        other = _other_place(prefix, own, county)
        if other:
            status, reason = "ambiguous", f"figure of another place ({other})"
    return {"indicator": key, "value": float(parsed.value) if status == "ok" else np.nan, "unit": canonical,
            "value_text": value_text, "unit_text": unit_text, "year": fig_year, "flags": ",".join(sorted(flags)),
            "start": o_start, "end": o_end, "status": status, "reason": reason, "source": source}


def _own_names(county: str | None) -> set[str]:
    if not county:
        return set()
    res = regions.resolve([county], errors="report", level=None)
    names = {vocab.clean_name(county)}
    if res.adcode.notna().iloc[0]:
        row = regions.lookup([res.adcode.iloc[0]]).iloc[0]
        names |= {row["name"], row["short_name"]}
    return names


def _other_place(prefix: str, own: set[str], county: str | None) -> str | None:
    pat, _ = _place_names()
    for m in pat.finditer(prefix):
        name = m.group(0)
        if name in own or any(name in o for o in own):
            continue
        return name
    if county and own and any(n.endswith("县") for n in own) and re.search(r"全市", prefix):
        return "全市 in a county's text"
    return None


def extract(text: str, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Accepted figures only: indicator, value (canonical unit), unit, value_text and unit_text as
    written, year, flags (approximate, lower_bound, preliminary, masked, growth), start/end span."""
    out = scan(text, county=county, year=year)
    return out[out.status == "ok"].drop(columns=["status", "reason"]).reset_index(drop=True)
