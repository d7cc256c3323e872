"""Figures of a one-county report: the comparison chart and the locator map.

The tables come from :mod:`countylib.analysis.county`; this module only draws them.

>>> from countylib.output import county_figures
>>> fig = county_figures.locator_map("410181")        # doctest: +SKIP
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from countylib.analysis.county import code, info
from countylib.data import indicators as ind
from countylib.output import locator, plotting
from countylib.output.census_figures import pyramid_figure

ABSENT_NAMES = 20  # units without a figure named under a comparison chart; the rest are counted


def comparison_chart(table: pd.DataFrame, indicator: str, year: int | None):
    """Horizontal bars of a comparison table; the county in red, missing peers listed under the chart."""
    plotting.use_style()
    meta = ind.get(indicator)
    have = table.dropna(subset=["数值"])
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * max(len(have), 3) + 1.2), layout="constrained")
    colors = ["#c0392b" if b else "#95a5a6" for b in have["本县"]]
    ax.barh(have["名称"][::-1], have["数值"][::-1], color=colors[::-1])
    ax.set_xlabel(meta.label)
    year = year if year is not None else table.attrs.get("year")
    ax.set_title(f"{meta.name_zh}比较" + (f"（{year}年）" if year else ""), fontsize=11)
    absent = table[table["数值"].isna()]["名称"].tolist()
    shown = "、".join(absent[:ABSENT_NAMES]) + (f" 等 {len(absent)} 个" if len(absent) > ABSENT_NAMES else "")
    note = "数据来源：见下表各行来源。" + (f"无数据：{shown}" if absent else "")
    fig.text(0.01, -0.02, plotting.wrap_note(note, 0.97 * fig.get_size_inches()[0], 7), fontsize=7,
             color="#555555", va="top")
    return fig


def locator_html(adcode: str):
    """The unit within its prefecture and province as SVG maps (shared base maps, the unit drawn over them);
    an HTML display object for a notebook."""
    from IPython.display import HTML

    from countylib.output import svgmap

    return HTML(svgmap.locator_html(code(adcode)))


#: The attribute a site turns into a link to the unit's page (a notebook shows the name as text).
UNIT_ATTRIBUTE = "data-countylib-unit"


def related_html(adcode: str):
    """The prefecture's other units and the neighbouring units, as names a site links to their pages."""
    from IPython.display import HTML
    from markupsafe import escape

    from countylib.analysis.county import related

    me = info(adcode)
    lists = related(code(adcode))
    if me.prefecture_adcode != code(adcode):
        group = f"{me.prefecture_name}的其他县级单位"
    elif me.kind == "不设区的地级市":
        group = f"{me.province_name}其他不设区的地级市"
    else:
        group = f"{me.province_name}其他省直辖的县级单位"
    labels = {"prefecture": group, "neighbours": "相邻的县级单位"}
    rows = []
    for key, label in labels.items():
        names = "、".join(f'<span {UNIT_ATTRIBUTE}="{escape(c)}">{escape(n)}</span>' for c, n in lists[key])
        rows.append(f"<p><b>{escape(label)}</b>：{names or '无'}</p>")
    return HTML('<nav class="countylib-related">' + "".join(rows) + "</nav>")


def locator_map(adcode: str):
    """The county highlighted within its prefecture (left) and province (right)."""
    adcode = code(adcode)
    me = info(adcode)
    return locator.figure(adcode, me.province_name, me.prefecture_adcode, me.province_name, me.prefecture_name)


def census_pyramid_html(adcode: str):
    """The age pyramid as inline SVG (a display object for a notebook; a profile's figure)."""
    from IPython.display import HTML

    from countylib.output.census_figures import pyramid_svg

    return HTML(pyramid_svg(code(adcode)))


def census_pyramid(adcode: str):
    """The county's age pyramid (shares of its population) with its province's shape as an outline."""
    return pyramid_figure(code(adcode), compare="province")
