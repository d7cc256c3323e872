"""Which county and which year a document reports on, read from its title and first lines.

* A statistical bulletin names both in its title: ``2022年巩义市国民经济和社会发展统计公报`` -> 巩义市, 2022.
* A government work report is given early in a year and looks back on the year before: a 2023 report
  (``2023年政府工作报告``, or dated ``——2023年1月6日在巩义市第十六届人民代表大会…``) -> 2022.
* A prefecture's or a province's bulletin is recognised as such and given to no county.
* A name several units share (鼓楼区) is settled by a prefecture or province named beside it or given
  (``province=``); otherwise the document is not attributed.

Nothing is guessed: a document whose place or year cannot be settled from these lines comes back with
the reason, and given values (``county=``, ``year=``) always win.

>>> who = identify("2022年河南省洛阳市嵩县国民经济和社会发展统计公报\\n全县生产总值…")
>>> who.county, who.adcode, who.year, who.kind
('嵩县', '410325', 2022, 'bulletin')
>>> identify("政府工作报告\\n——2023年1月6日在巩义市第十六届人民代表大会第二次会议上\\n各位代表：").year
2022
>>> identify("洛阳市2022年国民经济和社会发展统计公报\\n全市生产总值…").reason
"a prefecture's bulletin (洛阳市): its figures are not a county's"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import countylib.ingest.bulletin.text as btext
from countylib.ingest.bulletin.scope import PLACE_SUFFIXES

_KINDS = (("bulletin", re.compile(r"统计公报")), ("work_report", re.compile(r"政府工作报告")))
_YEAR = re.compile(r"((?:19|20)\d\d)\s?年")
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
              "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
#: ——2023年1月6日在巩义市第十六届人民代表大会第二次会议上: the date and place a report was given.
_GIVEN_AT = re.compile(r"在(?P<at>[^\n]{0,40}?)(?:第[^\n]{0,12}届)?人民代表大会")
#: A line that is only a date: (2023年1月10日)
_DATE_LINE = re.compile(r"[(（]?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,2}月"
                        r"[\d一二三四五六七八九十]{1,3}日[)）]?")
_SITE_OWNER = re.compile(r"(?P<at>[^\s_|\-—]{2,20}?)(?:人民政府|统计局|政府网|门户网站)")
_FIRST_LINES = 15


@dataclass(frozen=True)
class Identity:
    """The place and year a document reports on, or why they are not settled."""

    county: str = ""  # registry name of the county-level unit
    adcode: str = ""
    province: str = ""
    year: int | None = None  # the year the figures are for
    kind: str = ""  # bulletin, work_report, prefecture, province, ""
    title: str = ""  # the line they were read from
    reason: str = ""  # why the document is not attributed ("" when it is)
    printed: str = ""  # the county's name as the document (or the caller) writes it (偃师市 for 偃师区 in 2019)

    @property
    def ok(self) -> bool:
        return not self.reason and bool(self.adcode) and self.year is not None


def _lines(text: str, title: str, title_first: bool) -> list[str]:
    lines = [ln.strip() for ln in text.split("\n")[:60] if ln.strip()][:_FIRST_LINES]
    lines = [title, *lines] if title_first else [*lines, title]
    plain = [btext.normalize_mapped(ln).text for ln in lines if ln]  # simplified, no glosses or markup; each
    # line on its own: the normaliser joins a figure wrapped over two lines, which would glue a title to the text
    # a title printed letter-spaced (2 0 2 2 年 巩 义 市 …) reads as one word
    return [re.sub(r"\s+", "", ln)[:120] for ln in plain if ln.strip()]


def _years(text: str) -> list[int]:
    out = [int(m.group(1)) for m in _YEAR.finditer(text)]
    out += [int("".join(_CN_DIGITS[c] for c in m.group(1))) for m in _CN_YEAR.finditer(text)]
    return [y for y in out if 1949 <= y <= 2100]


def _title_block(lines: list[str]) -> tuple[str, str, int] | None:
    """(kind, title, index of its last line) of the first line naming a bulletin or a work report, with the
    short lines just above it (a title broken over two or three lines, also inside the kind's name:
    ``…统计公`` | ``报``). A title run into the first paragraph (a reprint that lost its line breaks:
    ``2019年驿城区…统计公报 2019年，在区委…``) is the part up to the kind's name and the brackets right after it,
    when that part reads as a title (no punctuation of a sentence before it)."""
    for first, line in enumerate(lines):
        for kind, pattern in _KINDS:
            last = first
            m = pattern.search(line)
            if m is None and first + 1 < len(lines) and len(line) <= 80:
                joined = line + lines[first + 1]
                m = pattern.search(joined)
                if m is not None and m.start() < len(line) < m.end():
                    line, last = joined, first + 1
                else:
                    m = None
            if m is None or _SENTENCE_MARKS.search(line[:m.start()]) and len(line) > 80 or _CITES.match(line):
                continue
            after = _AFTER_TITLE.match(line, m.end())
            title = line[:after.end()]
            if len(title) <= 80 and (len(line) <= 80 or not _SENTENCE_MARKS.search(line[:m.start()])):
                head = [ln for ln in lines[max(0, first - 2):first] if len(ln) <= 30 and "。" not in ln]
                return kind, "".join(head) + title, last
    return None


#: What may follow the kind's name in a title: brackets (2023年更新), （2022年）, and a dash with the date and place
#: of a work report's session.
_AFTER_TITLE = re.compile(r"(?:[(（【\[][^()（）【】\[\]]{0,30}[)）】\]])*")
_SENTENCE_MARKS = re.compile(r"[，。；：,;:！？!?《》“”\"]")
#: A sentence that cites a bulletin (据…统计公报显示) is not a title.
_CITES = re.compile(r"(?:据|根据|按照|依据|引自|来源)")
#: A bracketed note after the kind's name on when the text was published or updated: (2023年更新), （2023年3月）,
#: (2023年6月15日); not a bracketed year alone, （2022年）, which is the year reported on.
_BRACKETED = re.compile(r"[(（【\[][^()（）【】\[\]]{0,30}(?:月|更新|修订|修正|发布|印发)[^()（）【】\[\]]{0,20}[)）】\]]")


def identify(text: str, title: str = "", county: str | None = None, year: int | None = None,
             province: str | None = None, title_first: bool = False) -> Identity:
    """The county and year of a document from its title (``title``: the page's or file's own title, if
    any) and the first lines of ``text``; ``county``/``year`` given are taken as they are (``province``
    settles names several provinces share). ``title_first``: look at ``title`` before the text's first
    lines (a web page's heading; a PDF's metadata title is often a template's and comes last)."""
    lines = _lines(text, title, title_first)
    block = _title_block(lines)
    kind, head = (block[0], block[1]) if block else ("", "")
    reason = ""
    if year is None:
        year, reason = _year_of(kind, head, lines, block)
    if county:
        return _given(county, province, year, kind, head, reason)
    if not block:
        return Identity(reason="no title of a statistical bulletin or a government work report in the first lines "
                               "(pass --county and --year)", year=year)
    place, why = _place_of(kind, head, lines, block, province, year)
    if why:
        return Identity(year=year, kind=place.get("kind", kind), title=head,
                        reason="; ".join(r for r in (reason, why) if r))
    return Identity(place["county"], place["adcode"], place["province"], year, kind, head, reason, place["printed"])


def _year_of(kind: str, head: str, lines: list[str], block) -> tuple[int | None, str]:
    if not block:
        return None, "no title naming the year (pass --year)"
    kind_end = max((m.end() for _, pattern in _KINDS for m in pattern.finditer(head)), default=len(head))
    notes = _BRACKETED.findall(head[kind_end:])  # when the page was updated or published, not the year reported on
    years = sorted(set(_years(head[:kind_end] + _BRACKETED.sub("", head[kind_end:]))))
    if kind == "work_report":
        given = _given_on(lines[block[2] + 1:block[2] + 6]) or _given_on(notes)
        looks_back = _looked_back_on(*given) if given else None
        if len(years) > 1:
            return None, f"a work report whose title names several years ({years})"
        if years and looks_back is not None and looks_back != years[0] - 1:
            return None, (f"a {years[0]} work report given on {given[0]}年{given[1]}月: which year it reports on is "
                          "not settled (pass --year)")
        if years:
            return years[0] - 1, ""  # a 2023 report looks back on 2022
        if not given:
            return None, "a work report whose date is not in its title or the line below it (pass --year)"
        if looks_back is None:
            return None, (f"a work report given on {given[0]}年{given[1]}月: whether it reports on {given[0] - 1} or "
                          f"{given[0]} is not settled (pass --year)")
        return looks_back, ""
    if len(years) != 1:
        return None, ("no year in the title (pass --year)" if not years
                      else f"the title names several years ({', '.join(map(str, years))}); pass --year")
    return years[0], ""


_MONTH = re.compile(r"((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月")
_CN_MONTHS = {"十": 10, "十一": 11, "十二": 12, **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}


def _given_on(lines: list[str]) -> tuple[int, int] | None:
    """(year, month) a work report was given, from the line below its title that says where and when
    (——2023年1月6日在巩义市…人民代表大会…, or a line that is only the date)."""
    for line in lines:
        if (_GIVEN_AT.search(line) or line.startswith(("——", "--", "—")) or _DATE_LINE.fullmatch(line)) \
                and (ys := _years(line)):
            m = _MONTH.search(line)
            month = (int(m.group(2)) if m.group(2).isdigit() else _CN_MONTHS.get(m.group(2), 0)) if m else 0
            return ys[0], month
    return None


def _looked_back_on(year: int, month: int) -> int | None:
    """The year a report given in ``year``/``month`` reports on: a session early in the year looks back on the
    year before (January to August: 西峡县 met in June 2023 on 2022); one in November or December reviews the
    year it is held in (湘潭县, December 2022, on 2022); September and October (or no month) are not settled.

    >>> _looked_back_on(2023, 1), _looked_back_on(2022, 12), _looked_back_on(2022, 10)
    (2022, 2022, None)
    """
    if 1 <= month <= 8:
        return year - 1
    if month >= 11:
        return year
    return None


def _given(county: str, province: str | None, year: int | None, kind: str, head: str, reason: str) -> Identity:
    from countylib.data import names, registry

    res = names.resolve([county], province=province, year=year, errors="report").iloc[0]
    if not isinstance(res.adcode, str):
        cands = f"; candidates: {res.candidates}" if res.candidates else ""
        return Identity(year=year, kind=kind, title=head,
                        reason=f"county {county!r} not found ({res.status}{cands}); check the name or pass --province")
    row = registry.by_adcode().loc[res.adcode]
    return Identity(row["name"], res.adcode, row["province_name"], year, kind, head, reason, county)


def _place_of(kind: str, head: str, lines: list[str], block, province: str | None, year: int | None):
    """({county, adcode, province} or {kind}, reason) from the places the title (and, for a work report,
    the line saying where it was given, or the site the page is on) names."""
    found = _places_in(head, year)
    if not found and kind == "work_report":
        for line in lines[block[2] + 1:block[2] + 6]:
            if m := _GIVEN_AT.search(line):
                found = _places_in(m.group("at"), year)
                break
    if not found:  # the site or office that published it: 巩义市人民政府, 嵩县统计局
        for line in lines[-1:] + lines[:3]:
            if m := _SITE_OWNER.search(line):
                found = _places_in(m.group("at"), year)
                if found:
                    break
    if not found:
        return {}, "the title names no place (pass --county)"
    return _settle(found, province, year, "work report" if kind == "work_report" else "bulletin")


_EXACT = ("name", "historical", "merger_member", "merged", "ambiguous")


def _places_in(text: str, year: int | None) -> list[str]:
    """Place names in ``text`` as printed, today's and former ones (偃师市 in a 2019 title), the longest
    ending at each place; a functional zone (郑州航空港经济综合实验区) by its wording.

    >>> _places_in("2019年河南省偃师市国民经济和社会发展统计公报", 2019)
    ['河南省', '偃师市']
    """
    from countylib.data import names

    if names.ZONE_PATTERN.search(text):
        parts = re.split(r"(?:19|20)\d\d年|国民经济|统计公报|政府工作报告", text)
        return [next(p for p in parts if names.ZONE_PATTERN.search(p))]
    known = names.full_names()
    ends = [i for i, ch in enumerate(text) if ch in PLACE_SUFFIXES]
    cands = [(i, text[i - k + 1:i + 1]) for i in ends for k in range(min(i + 1, 12), 1, -1)]
    cands = [(i, c) for i, c in cands if c in known]
    if not cands:
        return []
    res = names.resolve([c for _, c in cands], year=year, level=None, errors="report")
    found, last_end = [], -1
    for (end, name), status in zip(cands, res.status, strict=True):
        if status in _EXACT and end != last_end and not _YEAR.search(name):
            found.append(name)
            last_end = end
    return found


def _settle(found: list[str], province: str | None, year: int | None, what_doc: str):
    from countylib.data import names, registry

    reg = registry.by_adcode()
    resolved = names.resolve(found, province=province, year=year, level=None, errors="report")
    levels: dict[str, list[tuple[str, str]]] = {"county": [], "prefecture": [], "province": []}
    pending = []
    for name, code, status, cands in zip(found, resolved.adcode, resolved.status, resolved.candidates, strict=True):
        if isinstance(code, str):
            levels[reg.loc[code, "level"]].append((name, code))
        elif status == "ambiguous":
            pending.append(name)
        elif status in ("zone", "merger_member", "merged"):
            what = "a functional zone, not a county-level unit" if status == "zone" else cands
            return {}, f"{name}: {what}"
    if pending:  # 鼓楼区: settled by the prefecture or province named beside it
        context = levels["prefecture"][-1:] or levels["province"][-1:]
        for name in pending:
            pref = context[0][0] if context and levels["prefecture"] else None
            prov = province or (context[0][0] if context and not levels["prefecture"] else None)
            r = names.resolve([name], province=prov, prefecture=pref, year=year, errors="report").iloc[0]
            if not isinstance(r.adcode, str):
                return {}, f"{name} is the name of several units ({r.candidates}); pass --province or --county"
            levels["county"].append((name, r.adcode))
    counties = list(dict.fromkeys(code for _, code in levels["county"]))
    if len(counties) > 1:
        shown = "、".join(dict.fromkeys(n for n, _ in levels["county"]))
        return {}, f"the title names several counties ({shown}); pass --county"
    if counties:
        code = counties[0]
        printed = next(n for n, c in levels["county"] if c == code)
        return {"county": reg.loc[code, "name"], "adcode": code, "province": reg.loc[code, "province_name"],
                "printed": printed}, ""
    if levels["prefecture"]:
        return {"kind": "prefecture"}, \
            f"a prefecture's {what_doc} ({levels['prefecture'][-1][0]}): its figures are not a county's"
    return {"kind": "province"}, f"a province's {what_doc} ({levels['province'][-1][0]}): its figures are not a county's"
