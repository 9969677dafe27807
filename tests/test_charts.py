"""pufa/web/charts.py: SVG that parses, every number written whole, user text escaped, the same bytes."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import html5lib

from pufa.dashboard import Heat, HeatCell, HeatRow, Month
from pufa.web import charts

SVG = "{http://www.w3.org/2000/svg}"

MONTHS = tuple(Month(m, held, expected) for m, held, expected in (
    (1, 12345, 9876.5), (2, 0, 0.0), (3, 7, 3.25), (4, 1, None), (5, 88, 90.0), (6, 2024, 1500.0),
    (7, 3, 3.0), (8, 40, 41.0), (9, 9, 9.0), (10, 10, 10.0), (11, 111, 100.0), (12, 99999, 80000.0),
))  # fmt: skip

HEAT = Heat(
    (("a", "法律七进<script>alert(1)</script>"), ("b", "及格率")),
    (
        HeatRow("520121001", "硒城街道", (HeatCell("a", 123456.0, 6.3, 4), HeatCell("b", math.nan, 100.0, 0))),
        HeatRow("520121002", "<b>云开街道</b>", (HeatCell("a", 0.0, 6.3, 0), HeatCell("b", 87.5, 100.0, 3))),
    ),
)  # fmt: skip


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_progress_bar_parses_as_xml() -> None:
    """A progress bar is well-formed SVG with a title saying the percent."""
    root = parse(charts.progress_bar(37.5, "behind", "滞后"))
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "完成 37.5%(滞后)"


def test_progress_bar_writes_a_big_percent_whole() -> None:
    """Over 100% the bar stops at the end, but the figure is written in full."""
    svg = charts.progress_bar(1234.0, "met", "达标")
    assert "完成 1234%" in svg
    assert 'width="100"' in svg


def test_progress_bar_without_data_says_so() -> None:
    """A NaN percent (a rate without records) draws an empty bar and says 无数据."""
    root = parse(charts.progress_bar(math.nan, "no-data", "无数据"))
    assert root.findtext(f"{SVG}title") == "完成率无数据(无数据)"


def test_month_bars_parse_as_xml() -> None:
    """Twelve month groups, each with a title, in a well-formed SVG."""
    root = parse(charts.month_bars(MONTHS))
    assert len(root.findall(f"{SVG}g")) == 12
    assert root.get("aria-label") == root.findtext(f"{SVG}title")


def test_month_bars_write_every_count_whole() -> None:
    """Every month's count is a text element of its own, written in full."""
    root = parse(charts.month_bars(MONTHS))
    counts = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "month-count"]
    assert counts == [str(m.held) for m in MONTHS]
    assert f"共 {sum(m.held for m in MONTHS)} 项" in (root.findtext(f"{SVG}title") or "")


def test_month_bar_labels_stay_inside_the_drawing() -> None:
    """The tallest bar's count is drawn below the top edge (not cut off)."""
    root = parse(charts.month_bars(MONTHS))
    ys = [float(t.get("y", "0")) for t in root.iter(f"{SVG}text")]
    assert min(ys) >= 12


def test_heat_map_escapes_user_text() -> None:
    """A <script> in an indicator label or a township name is text, not markup."""
    table = charts.heat_map(HEAT)
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;b&gt;云开街道&lt;/b&gt;" in table


def test_heat_map_writes_numbers_whole() -> None:
    """A value is written in full; a NaN as —; levels as classes."""
    table = charts.heat_map(HEAT)
    assert ">123456<" in table
    assert ">87.5<" in table
    assert ">—<" in table
    assert 'class="heat-4"' in table


def test_heat_map_is_valid_html() -> None:
    """The heat map table is HTML html5lib reads strictly."""
    html5lib.HTMLParser(strict=True).parseFragment(charts.heat_map(HEAT))


def test_an_empty_heat_map_says_so() -> None:
    """Without townships to compare, a sentence instead of an empty table."""
    assert "没有可按乡镇对照的指标" in charts.heat_map(Heat())


def test_the_same_input_gives_the_same_bytes() -> None:
    """Charts are deterministic: drawn twice, byte for byte the same."""
    for draw in (
        lambda: charts.month_bars(MONTHS),
        lambda: charts.heat_map(HEAT),
        lambda: charts.progress_bar(66.7, "on-track", "正常"),
    ):
        assert draw().encode() == draw().encode()


def test_no_chart_has_an_inline_style() -> None:
    """No style attribute anywhere: the CSP is default-src 'self'."""
    drawn = charts.month_bars(MONTHS) + charts.heat_map(HEAT) + charts.progress_bar(5, "behind")
    assert "style=" not in drawn


def test_numbers_are_written_whole_or_to_one_place() -> None:
    """113.0 → 113, 5.49 → 5.5, NaN → —."""
    assert [charts.number(v) for v in (113.0, 5.49, math.nan, None)] == ["113", "5.5", "—", "—"]
