"""Numbers and units as published: known answers."""

from __future__ import annotations

import math

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
        ("53308", "", "元", 53308.0, "unit_assumed"),
    ],
)
def test_known_answers(text, unit, canonical, value, flag):
    got, got_flag = units.parse_value(text, unit, canonical)
    assert got == pytest.approx(value, rel=1e-12)
    assert got_flag == flag


def test_decimal_conversion_is_exact():
    assert units.parse_value("2693488", "万元", "亿元")[0] == 269.3488


@pytest.mark.parametrize(("text", "flag"), [("X", "masked"), ("XX", "masked"), ("*", "masked"), ("**", "masked"),
                                            ("—", "missing"), ("…", "missing"), ("", "missing"), ("12XX", "masked")])
def test_placeholders_are_missing_with_a_flag(text, flag):
    value, got = units.parse_value(text, "亿元", "亿元")
    assert math.isnan(value) and got == flag


def test_wrong_dimension_is_invalid_with_reason():
    out = units.parse_values(pd.Series(["300"]), "万人", "亿元")
    assert out.flag.iloc[0] == "invalid" and "cannot be converted" in out.reason.iloc[0]


def test_not_a_number_is_invalid():
    out = units.parse_values(pd.Series(["三百"]), "亿元", "亿元")
    assert out.flag.iloc[0] == "invalid" and "not a number" in out.reason.iloc[0]


def test_vectorised_matches_scalar():
    texts = pd.Series(["1", "约2", "X", "3,000"] * 50)
    out = units.parse_values(texts, "万元", "亿元")
    for t, v in zip(texts[:4], out.value[:4], strict=True):
        scalar = units.parse_value(t, "万元", "亿元")[0]
        assert (math.isnan(v) and math.isnan(scalar)) or v == scalar
