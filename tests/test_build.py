"""The build: provenance required, rejects with reasons, conflicts, determinism, atomicity."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from countylib.ingest import validate
from countylib.ingest.build import BuildError, build
from tests.conftest import write_source


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_build_outputs_tidy_table_with_known_values(raw_folder, tmp_path):
    result = build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    assert list(table.columns[:6]) == ["adcode", "name", "level", "year", "indicator", "value"]
    gongyi = table[(table.adcode == "410181") & (table.indicator == "gdp")].iloc[0]
    assert gongyi.value == 1000.5 and gongyi.value_text == "1,000.5" and gongyi.unit == "亿元"
    pop = table[(table.adcode == "410181") & (table.indicator == "pop_resident")].iloc[0]
    assert pop.value == 80.0 and pop.unit_published == "人"
    hua = table[table.adcode == "410526"].iloc[0]
    assert hua.flag == "approximate" and hua.value == 500.0
    assert table.adcode.str.fullmatch(r"\d{6}").all()
    assert result.counts["zones"] == 1


def test_rejects_carry_reasons(raw_folder, tmp_path):
    result = build(raw_folder, tmp_path / "out", boundaries=False)
    reasons = dict(zip(result.rejects.name.astype(str) + ":" + result.rejects.indicator.astype(str),
                       result.rejects.reason, strict=True))
    assert "out of range" in reasons["新郑市:gdp"]
    assert "allowed 0 to 100" in reasons["新郑市:urbanization"]
    assert "ambiguous" in reasons["鼓楼区:gdp"] and "410204" in reasons["鼓楼区:gdp"]
    assert "unknown" in reasons["不存在县:gdp"]
    assert "cannot be converted" in reasons["中牟县:gdp"]
    on_disk = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert len(on_disk) == len(result.rejects)


def test_conflicting_duplicates_are_marked_and_the_better_source_preferred(raw_folder, tmp_path):
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    dengfeng = table[(table.adcode == "410185") & (table.indicator == "gdp")].set_index("value_text")
    assert dengfeng.conflict.all()
    assert bool(dengfeng.loc["400", "preferred"]) and not bool(dengfeng.loc["450", "preferred"])
    gushi = table[(table.adcode == "411525") & (table.indicator == "gdp")]
    assert not gushi.conflict.any(), "269.3488 and 269.35 agree up to rounding"
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "## Conflicts" in report and "登封市" in report


def test_conflict_raises_naming_both_sources():
    frame = pd.DataFrame({
        "adcode": ["370283"] * 2, "year": [2022] * 2, "indicator": ["gdp"] * 2, "value": [854.61, 845.61],
        "value_text": ["854.61", "845.61"], "scale": [1.0, 1.0], "source_id": ["a.csv", "b.csv"],
        "source_row": [2, 9], "source_quality": ["secondary", "secondary"],
    })
    with pytest.raises(validate.ConflictError, match=r"a\.csv row 2.*b\.csv row 9"):
        validate.check_duplicates(frame)


def test_build_is_deterministic(raw_folder, tmp_path):
    build(raw_folder, tmp_path / "one", boundaries=False)
    build(raw_folder, tmp_path / "two", boundaries=False)
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")


def test_build_never_modifies_raw(raw_folder, tmp_path):
    before = _digest(raw_folder)
    build(raw_folder, tmp_path / "out", boundaries=False)
    assert _digest(raw_folder) == before


def test_failed_build_leaves_previous_output_intact(raw_folder, tmp_path):
    out = tmp_path / "out"
    build(raw_folder, out, boundaries=False)
    before = _digest(out)
    (raw_folder / "broken.csv").write_text("county,year\n巩义,2022\n", encoding="utf-8")
    (raw_folder / "broken.csv.meta.yaml").write_text(
        "title: t\npublisher: p\ndocument: d\nretrieved: 2026-11-23\nlicense: l\nkind: figures_long\n")
    with pytest.raises(BuildError, match="broken.csv"):
        build(raw_folder, out, boundaries=False)
    assert _digest(out) == before


def test_file_without_sidecar_stops_the_build(raw_folder, tmp_path):
    (raw_folder / "orphan.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"orphan\.csv: no sidecar"):
        build(raw_folder, tmp_path / "out", boundaries=False)


def test_sidecar_without_source_stops_the_build(raw_folder, tmp_path):
    write_source(raw_folder, "x.csv", "county,year,indicator,value_text,unit\n", "figures_long")
    meta = raw_folder / "x.csv.meta.yaml"
    meta.write_text(meta.read_text().replace("document: tests/fixtures (figures written for the tests)\n", ""))
    with pytest.raises(BuildError, match="url or document"):
        build(raw_folder, tmp_path / "out", boundaries=False)


def test_county_list_defects_are_reported(raw_folder, tmp_path):
    write_source(raw_folder, "list.csv", "rank,province,county\n1,江苏,昆山市\n2,福建,福州市\n3,山东,滕州市\n"
                 "4,山东,滕州市\n", "county_list", extra="edition: 2022\n")
    build(raw_folder, tmp_path / "out", boundaries=False)
    lists = pd.read_parquet(tmp_path / "out" / "lists.parquet").set_index("rank")
    assert "not a county" in lists.loc[2, "problem"]
    assert "more than once" in lists.loc[3, "problem"] and "more than once" in lists.loc[4, "problem"]
    assert lists.loc[1, "problem"] == "" and lists.loc[1, "adcode"] == "320583"


def test_bundled_data_builds_and_reports_both_list_defects(tmp_path):
    root = Path(__file__).resolve().parents[1]
    result = build(root / "data" / "raw", tmp_path / "out", boundaries=False)
    assert result.counts["read"] == 283
    lists = pd.read_parquet(tmp_path / "out" / "lists.parquet")
    problems = lists[lists.problem != ""]
    assert set(problems["rank"]) == {13, 16, 79}
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    shangcheng = table[(table.adcode == "411524") & (table.indicator == "gdp")].iloc[0]
    assert shangcheng.value == 269.3488 and shangcheng.unit_published == "萬(wàn)元"
    pingdu = table[(table.adcode == "370283") & (table.indicator == "gdp")]
    assert pingdu.conflict.all() and pingdu.preferred.sum() == 1
