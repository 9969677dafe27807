"""`pufa list --from/--to/--search/--limit/--csv`, on both engines."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from pufa.output import BOM

RECORDS = [
    ("lecture", "-d", "2026-11-02", "-t", "禾丰乡", "--title", "民法典讲座"),
    ("lecture", "-d", "2026-11-20", "-t", "南江乡", "--village", "南江村", "--title", "宪法讲座"),
    ("lecture", "-d", "2026-11-27", "--dept", "县司法局", "--title", "=1+2 公式"),
    ("lecture", "-d", "2026-11-28", "-t", "双流镇", "--title", "100%_满意"),
]


@pytest.fixture
def listed(cli: Any, today: None) -> Any:
    """Four lectures in November 2026 (today is 2026-11-29); returns a `list --json` runner."""
    for args in RECORDS:
        result = cli("log", *args)
        assert result.exit_code == 0, result.output

    def titles(*args: str) -> list[str]:
        result = cli("list", "--json", *args)
        assert result.exit_code == 0, result.output
        return [e["title"] for e in json.loads(result.output)]

    return titles


def test_from_and_to_take_full_dates(listed: Any) -> None:
    """--from/--to keep the records whose first day lies between them, both included."""
    assert listed("--from", "2026-11-20", "--to", "2026-11-27") == ["宪法讲座", "=1+2 公式"]


def test_from_takes_dates_as_people_say_them(listed: Any) -> None:
    """--from 周五 (the latest Friday, 2026-11-27) and --to 昨天."""
    assert listed("--from", "周五", "--to", "昨天") == ["=1+2 公式", "100%_满意"]


def test_bad_from_is_refused(cli: Any, today: None) -> None:
    """A --from that is no date is an error naming the option."""
    result = cli("list", "--from", "下辈子")
    assert result.exit_code == 1
    assert "错误:" in result.output


def test_search_finds_title(listed: Any) -> None:
    """--search matches text in the title."""
    assert listed("--search", "民法典") == ["民法典讲座"]


def test_search_finds_township_by_short_name(listed: Any) -> None:
    """--search 禾丰 finds the records of 禾丰乡."""
    assert listed("--search", "禾丰") == ["民法典讲座"]


def test_search_finds_village(listed: Any) -> None:
    """--search 南江村 finds the record held in that village."""
    assert listed("--search", "南江村") == ["宪法讲座"]


def test_search_finds_department(listed: Any) -> None:
    """--search 司法局 finds the department's records."""
    assert listed("--search", "司法局") == ["=1+2 公式"]


def test_search_takes_percent_and_underscore_literally(listed: Any) -> None:
    """% and _ in the search text are not wildcards."""
    assert (listed("--search", "%_"), listed("--search", "_")) == (["100%_满意"], ["100%_满意"])


def test_limit_keeps_the_earliest(listed: Any) -> None:
    """--limit 2 lists the first two in date order."""
    assert listed("--limit", "2") == ["民法典讲座", "宪法讲座"]


def test_limit_applies_after_filters(listed: Any) -> None:
    """--limit counts the records the other filters kept."""
    assert listed("--from", "2026-11-20", "-n", "1") == ["宪法讲座"]


def test_csv_has_bom_header_and_rows(cli: Any, listed: Any) -> None:
    """--csv writes a UTF-8 CSV with a BOM, a header and one row per record."""
    result = cli("list", "--csv", "--search", "讲座")
    assert result.stdout_bytes.startswith(BOM)
    rows = list(csv.reader(io.StringIO(result.stdout_bytes[len(BOM) :].decode("utf-8"))))
    assert rows[0][:8] == ["编号", "类型", "标题", "开始", "结束", "乡镇/部门", "村(居)", "状态"]
    assert [r[2] for r in rows[1:]] == ["民法典讲座", "宪法讲座"]
    assert rows[2][6] == "南江村"


def test_csv_quotes_formula_like_titles(cli: Any, listed: Any) -> None:
    """A title starting with = is written with a leading ' so Excel does not run it."""
    result = cli("list", "--csv", "--search", "司法局")
    text = result.stdout_bytes[len(BOM) :].decode("utf-8")
    assert list(csv.reader(io.StringIO(text)))[1][2] == "'=1+2 公式"
