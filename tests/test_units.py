"""Numbers and units as published: known answers, multipliers inside values, exact decimal conversion."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pandas as pd
import pytest

from countylib.ingest import units


@pytest.mark.parametrize(
    ("text", "unit", "canonical", "value", "flag"),
    [
        ("2693488", "万元", "亿元", 269.3488, "exact"),
        ("2,693,488", "萬(wàn)元", "亿元", 269.3488, "exact"),
        ("２６９３４８８", "万元", "亿元", 269.3488, "exact"),
        ("962.58", "億元", "亿元", 962.58, "exact"),
        ("约320", "亿元", "亿元", 320.0, "approximate"),
        ("500左右", "亿元", "亿元", 500.0, "approximate"),
        ("突破500", "亿元", "亿元", 500.0, "lower_bound"),
        ("76.49", "万人", "万人", 76.49, "exact"),
        ("764900", "人", "万人", 76.49, "exact"),
        ("45.54", "萬(wàn)人", "万人", 45.54, "exact"),
        ("7.3", "万元", "元", 73000.0, "exact"),
        ("39.8", "万元", "元", 398000.0, "exact"),
        ("3.83", "%", "%", 3.83, "exact"),
        ("1.2万", "元", "元", 12000.0, "exact"),
        # units written as bare multipliers or currency signs, read against the indicator
        ("201.18", "亿", "亿元", 201.18, "exact"),
        ("77.08", "萬", "万人", 77.08, "exact"),
        ("38034", "¥", "元", 38034.0, "exact"),
        ("¥38,034", "元", "元", 38034.0, "exact"),
        # a multiplier inside the value: restates the column's unit, or combines with a unit without one
        ("3.2亿", "亿元", "亿元", 3.2, "exact"),
        ("5万", "元", "元", 50000.0, "exact"),
        ("5万", "人", "万人", 5.0, "exact"),
        ("3.2亿元", "", "亿元", 3.2, "exact"),
        ("5.2%", "%", "%", 5.2, "exact"),
        # rates without a unit take the canonical one, flagged
        ("4.5", "", "%", 4.5, "unit_assumed"),
    ],
)
def test_known_answers(text, unit, canonical, value, flag):
    got, got_flag = units.parse_value(text, unit, canonical)
    assert got == value
    assert got_flag == flag


def test_decimal_conversion_is_exact():
    assert units.parse_value("2693488", "万元", "亿元")[0] == 269.3488
    assert units.parse_value("123.45", "万元", "亿元")[0] == 0.012345
    assert units.parse_value("0.07", "亿元", "万元")[0] == 700.0


def test_many_random_two_decimal_values_convert_exactly():
    rng = random.Random(20221231)
    texts = [f"{rng.randrange(100, 10**11) / 100:.2f}" for _ in range(20000)]
    out = units.parse_values(pd.Series(texts), "万元", "亿元")
    for text, value in zip(texts, out.value, strict=True):
        shifted = format(Decimal(text).scaleb(-4).normalize(), "f")
        assert repr(value).removesuffix(".0") == shifted, text


@pytest.mark.parametrize(("text", "flag"), [("X", "masked"), ("XX", "masked"), ("*", "masked"), ("**", "masked"),
                                            ("—", "missing"), ("…", "missing"), ("-", "missing"), ("", "missing"),
                                            ("12XX", "masked")])
def test_placeholders_are_missing_with_a_flag(text, flag):
    value, got = units.parse_value(text, "亿元", "亿元")
    assert math.isnan(value) and got == flag


@pytest.mark.parametrize(
    ("text", "unit", "canonical", "reason"),
    [
        ("3.2万", "亿元", "亿元", "carries 万 but the column unit is 亿元"),
        ("3.2亿", "万元", "亿元", "carries 亿 but the column unit is 万元"),
        ("3200万元", "亿元", "亿元", "written in 万元 but the column unit is 亿元"),
        ("5万", "%", "%", "cannot stand in a % figure"),
        ("inf", "亿元", "亿元", "not a number: 'inf'"),
        ("nan", "亿元", "亿元", "not a number: 'nan'"),
        ("-Infinity", "元", "元", "not a number"),
        ("三百", "亿元", "亿元", "not a number"),
        ("300", "万人", "亿元", "cannot be converted"),
        ("53308", "", "元", "no unit written for a money figure"),
        ("76.49", "", "万人", "no unit written for a people figure"),
        ("201", "亿美元", "亿元", "unknown unit"),
    ],
)
def test_invalid_values_and_units_carry_a_reason(text, unit, canonical, reason):
    out = units.parse_values(pd.Series([text]), pd.Series([unit]), canonical)
    assert out.flag.iloc[0] == "invalid" and math.isnan(out.value.iloc[0])
    assert reason in out.reason.iloc[0]


def test_resolve_unit_reads_bare_multipliers_against_the_indicator():
    assert units.resolve_unit("亿", "亿元") == ("亿元", "")
    assert units.resolve_unit("萬", "万人") == ("万人", "")
    assert units.resolve_unit("萬", "亿元") == ("万元", "")
    assert units.resolve_unit("¥", "元") == ("元", "")
    assert units.resolve_unit("¥", "万人")[1].startswith("unknown unit")


def test_vectorised_matches_scalar_and_keeps_order():
    texts = pd.Series(["1", "约2", "X", "3,000", "3.2亿", "inf"] * 50)
    out = units.parse_values(texts, "亿元", "亿元")
    for t, v, f in zip(texts[:6], out.value[:6], out.flag[:6], strict=True):
        scalar, scalar_flag = units.parse_value(t, "亿元", "亿元")
        assert ((math.isnan(v) and math.isnan(scalar)) or v == scalar) and f == scalar_flag
    assert out.flag.tolist()[:6] == ["exact", "approximate", "masked", "exact", "exact", "invalid"]


def test_scientific_notation_from_a_spreadsheet_export_is_approximate():
    # A CSV saved from a spreadsheet shows large numbers rounded to six digits in scientific notation.
    assert units.parse_value("1.23457E+11", "元", "亿元") == (1234.57, "approximate")
    assert units.parse_value("123457000000", "元", "亿元") == (1234.57, "exact")


def test_units_carry_a_dimension_and_per_person_is_not_a_total():
    assert [units.dimension(u) for u in ("亿元", "元/人", "万元/人", "万人", "平方公里", "家", "%")] == [
        "money", "money_per_person", "money_per_person", "people", "area", "count", "ratio"]
    assert units.parse_value("113700", "元/人", "亿元")[1] == "invalid"  # never 0.001137 亿元 of GDP
    assert units.parse_value("11.37", "万元/人", "亿元")[1] == "invalid"
    out = units.parse_values(pd.Series(["11.37", "113700", "113700"]), pd.Series(["万元/人", "元", "人"]), "元",
                             "money_per_person")
    assert out.value.tolist()[:2] == [113700.0, 113700.0] and out.flag.tolist() == ["exact", "exact", "invalid"]
    with pytest.raises(units.UnitError, match="a per-person figure is not a total"):
        units.factor("元/人", "亿元")


def test_every_indicator_states_a_dimension_its_canonical_unit_fits():
    from countylib.data import indicators

    for ind in indicators.registry().values():
        if units.dimension(ind.unit) is not None:
            assert units.fits(ind.unit, ind.dimension), ind.key
        else:
            assert ind.dimension == "other", ind.key
    assert indicators.get("gdp").per_capita == "gdp_per_capita"
    assert indicators.get("gdp_per_capita").dimension == "money_per_person"
    assert units.indicator_for("gdp", "万元/人")[0] == "gdp_per_capita"
    assert units.indicator_for("gdp_per_capita", "元")[0] == "gdp_per_capita"
