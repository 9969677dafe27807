"""Villages are a place: --village on log/edit/list, pufa places, summary --by village, the ledger's
村(居) column, and migration 2 (the events.village column) of an older store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from openpyxl import load_workbook

from pufa import names
from pufa import workspace as ws
from pufa.errors import InvalidInput, StoreError
from pufa.model import County, Village
from pufa.store import is_url, open_store
from pufa.store.schema import SCHEMA_VERSION

from .conftest import invoke, invoke_ok, snapshot
from .engines import execute

NANJIANG = ("lecture", "-d", "2024-03-02", "--title", "民法典讲座", "-p", "96")
NANJIANG_VILLAGE = {"code": "520121207200", "name": "南江村"}


def logged(cli: Any, *more: str) -> dict[str, Any]:
    """`pufa log` a 南江 lecture with ``more`` options; the stored record as JSON."""
    result = cli("log", *NANJIANG, *more, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def refused(cli: Any, *more: str) -> str:
    """`pufa log` a 南江 lecture that must be refused; its stderr."""
    result = cli("log", *NANJIANG, *more)
    assert result.exit_code == 1, result.output
    return str(result.stderr)


# -- log ---------------------------------------------------------------------------------------


def test_log_takes_a_village_by_its_official_name(cli: Any) -> None:
    """--village 南江村 in 南江: the record carries the village's code and name."""
    record = logged(cli, "-t", "南江", "--village", "南江村")
    assert (record["township"], record["village"]) == ("520121207", NANJIANG_VILLAGE)


def test_log_takes_a_village_by_its_code(cli: Any) -> None:
    """The 12-digit code is accepted like the name."""
    assert logged(cli, "-t", "南江", "--village", "520121207200")["village"] == NANJIANG_VILLAGE


def test_log_without_township_implies_it_from_a_unique_village(cli: Any) -> None:
    """A village name unique in the county implies its township."""
    record = logged(cli, "--village", "双塘村")
    assert (record["township"], record["village"]["code"]) == ("520121207", "520121207201")


def test_log_without_village_has_none(cli: Any) -> None:
    """A township-level record has no village: JSON null, no 村(居) line."""
    assert logged(cli, "-t", "南江")["village"] is None
    assert "村(居)" not in cli("show", "1").output


def test_show_prints_the_village(cli: Any) -> None:
    """The plain output of log names the village on its own line."""
    result = cli("log", *NANJIANG, "-t", "南江", "--village", "南江村")
    assert "  乡镇:南江布依族苗族乡\n  村(居):南江村\n" in result.output


def test_a_typo_gets_the_closest_village(cli: Any, workspace: ws.Workspace) -> None:
    """南将村 → 是否指 南江村?, listing the township's villages; nothing written."""
    before = snapshot(workspace.location)
    assert refused(cli, "-t", "南江", "--village", "南将村") == (
        "错误:村(居) (--village) = “南将村”: 应为南江布依族苗族乡的村(居)之一:"
        "南江村、双塘村、新隆村、龙广村、苗寨村、毛家院村 — 是否指 南江村?\n"
    )
    assert snapshot(workspace.location) == before


def test_a_village_of_another_township_is_refused_naming_it(cli: Any) -> None:
    """南江社区 lies in 硒城街道, not in 南江: refused, saying where it is."""
    assert refused(cli, "-t", "南江", "--village", "南江社区") == (
        "错误:村(居) (--village) = “南江社区”: 不在南江布依族苗族乡;它属于硒城街道"
        " — 是否指 --township 硒城?\n"
    )


def test_a_department_record_takes_no_village(cli: Any) -> None:
    """--dept with --village is refused: a village belongs to a township."""
    assert "部门组织的活动不填村(居)" in refused(cli, "--dept", "司法局", "--village", "南江村")


def test_a_short_name_resolves(county: County) -> None:
    """A village's short name (without 村民委员会) finds it like its official name."""
    town = county.townships[0]
    place = Village(town.code + "299", "团结村村民委员会", "团结村")
    changed = attrs.evolve(county, townships=(attrs.evolve(town, villages=(place,)),))
    assert names.village(changed, "团结村")[1] == place


def test_a_name_shared_by_two_townships_asks_for_one(county: County) -> None:
    """Without --township, a name two townships' villages bear is refused with both codes."""
    first, second = county.townships[:2]
    changed = attrs.evolve(
        county,
        townships=(
            attrs.evolve(first, villages=(Village(first.code + "201", "同名村", "同名村"),)),
            attrs.evolve(second, villages=(Village(second.code + "201", "同名村", "同名村"),)),
            *county.townships[2:],
        ),
    )
    with pytest.raises(InvalidInput) as caught:
        names.village(changed, "同名村")
    assert f"{first.code}201" in str(caught.value)
    assert f"{second.code}201" in str(caught.value)


# -- edit and list -----------------------------------------------------------------------------


def test_edit_sets_and_history_shows_the_village(cli: Any) -> None:
    """edit --village is audited: the revision records the code going from null to the village."""
    logged(cli, "-t", "南江")
    assert cli("edit", "1", "--village", "双塘村", "--reason", "补村名").exit_code == 0
    changes = json.loads(cli("history", "1", "--json").output)[1]["changes"]
    assert changes == [{"field": "village", "label": "村(居)", "old": None, "new": "520121207201"}]


def test_edit_with_an_empty_village_clears_it(cli: Any) -> None:
    """--village "" takes the village off the record."""
    logged(cli, "-t", "南江", "--village", "南江村")
    result = cli("edit", "1", "--village", "", "--reason", "全乡活动", "--json")
    assert json.loads(result.output)["village"] is None


def test_edit_to_another_township_drops_a_village_not_in_it(cli: Any) -> None:
    """Moving a record to 禾丰 without --village drops 南江村 (it does not lie there)."""
    logged(cli, "-t", "南江", "--village", "南江村")
    result = cli("edit", "1", "-t", "禾丰", "--reason", "乡镇填错", "--json")
    assert json.loads(result.output)["village"] is None


def test_list_filters_by_village(cli: Any) -> None:
    """list --village shows only that village's records."""
    logged(cli, "-t", "南江", "--village", "南江村")
    logged(cli, "-t", "南江", "--village", "双塘村")
    listed = json.loads(cli("list", "--village", "双塘村", "--json").output)
    assert [e["village"]["name"] for e in listed] == ["双塘村"]


# -- places ------------------------------------------------------------------------------------


def test_places_lists_a_townships_villages(workspace: ws.Workspace) -> None:
    """places -t 南江: the township's line, then each village with its code."""
    assert invoke_ok(workspace.root, "places", "-t", "南江").output == (
        "520121207  南江布依族苗族乡(南江),6 个村(居)\n"
        "  520121207200  南江村\n"
        "  520121207201  双塘村\n"
        "  520121207202  新隆村\n"
        "  520121207203  龙广村\n"
        "  520121207204  苗寨村\n"
        "  520121207205  毛家院村\n"
    )


def test_places_ends_with_the_countys_totals(workspace: ws.Workspace) -> None:
    """Without --township every township is listed and the last line counts them."""
    assert invoke_ok(workspace.root, "places").output.endswith("共 18 个乡镇级单位、136 个村(居)\n")


def test_places_json_is_townships_with_their_villages(workspace: ws.Workspace) -> None:
    """--json: a list of townships, each with code, name and a villages list."""
    out = json.loads(invoke_ok(workspace.root, "places", "--json").output)
    assert (len(out), sum(len(t["villages"]) for t in out)) == (18, 136)
    nanjiang = next(t for t in out if t["code"] == "520121207")
    assert (nanjiang["name"], nanjiang["villages"][0]) == (
        "南江布依族苗族乡",
        {"code": "520121207200", "name": "南江村", "short_name": "南江村"},
    )


# -- summary --by village ----------------------------------------------------------------------


def test_summary_by_village_counts_each_village_with_records(cli: Any) -> None:
    """--by village: one row per village with records, its held count, and how many have none."""
    logged(cli, "-t", "南江", "--village", "南江村")
    logged(cli, "-t", "南江", "--village", "南江村", "--allow-duplicate")
    logged(cli, "-t", "南江", "--village", "双塘村")
    logged(cli, "-t", "南江")
    by = json.loads(cli("summary", "-y", "2024", "--by", "village", "--json").output)["by"]
    assert by["dimension"] == "village"
    assert by["headers"][:2] == ["村(居)", "已开展记录"]
    assert [row[:2] for row in by["rows"]] == [["南江 南江村", 2], ["南江 双塘村", 1]]
    assert by["note"] == "另有 134 个村(居)本年没有记录"


def test_summary_by_village_in_one_township_counts_its_villages(cli: Any) -> None:
    """With --township the note counts that township's villages only."""
    logged(cli, "-t", "南江", "--village", "南江村")
    by = json.loads(cli("summary", "-y", "2024", "-t", "南江", "--by", "village", "--json").output)[
        "by"
    ]
    assert by["note"] == "另有 5 个村(居)本年没有记录"


def test_the_same_lecture_in_two_villages_is_not_a_duplicate(cli: Any) -> None:
    """Same kind, day, township and title in another village is another activity; in the same one
    it is refused as a duplicate."""
    logged(cli, "-t", "南江", "--village", "南江村")
    logged(cli, "-t", "南江", "--village", "双塘村")
    assert "与记录 #1 重复" in refused(cli, "-t", "南江", "--village", "南江村")


# -- the ledger --------------------------------------------------------------------------------


def test_ledger_round_trips_the_village_column(workspace: ws.Workspace, tmp_path: Path) -> None:
    """Export writes 村(居) after 乡镇; a fresh workspace importing it gets the same village."""
    invoke_ok(workspace.root, "log", *NANJIANG, "-t", "南江", "--village", "南江村")
    out = tmp_path / "台账.xlsx"
    invoke_ok(workspace.root, "ledger", "export", "--year", "2024", "-o", str(out))
    sheet = load_workbook(out)["法治讲座"]
    # row 1 is the export's title row, row 2 the header
    assert (sheet["C2"].value, sheet["D2"].value, sheet["D3"].value) == ("乡镇", "村(居)", "南江村")
    fresh = ws.init(tmp_path / "fresh")
    invoke_ok(fresh.root, "ledger", "import", str(out))
    listed = json.loads(invoke_ok(fresh.root, "list", "--json").output)
    assert [e["village"] for e in listed] == [NANJIANG_VILLAGE]


def test_a_ledger_without_the_village_column_still_imports(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """An older CSV with no 村(居) column imports; its records have no village."""
    path = tmp_path / "lecture.csv"
    path.write_text(
        "日期,乡镇,活动名称,参与人次\n2024-03-05,南江,民法典讲座,40\n", encoding="utf-8"
    )
    invoke_ok(workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert json.loads(invoke_ok(workspace.root, "list", "--json").output)[0]["village"] is None


def test_a_ledger_village_by_code_imports(workspace: ws.Workspace, tmp_path: Path) -> None:
    """The 村居 column takes a code as well as a name."""
    path = tmp_path / "lecture.csv"
    path.write_text(
        "日期,乡镇,村居,活动名称,参与人次\n2024-03-05,南江,520121207201,民法典讲座,40\n",
        encoding="utf-8",
    )
    invoke_ok(workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    listed = json.loads(invoke_ok(workspace.root, "list", "--json").output)
    assert listed[0]["village"] == {"code": "520121207201", "name": "双塘村"}


def test_a_bad_ledger_village_is_a_rejected_row_with_its_cell(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A village of another township is refused at its sheet, row and column; nothing imported."""
    path = tmp_path / "lecture.csv"
    path.write_text(
        "日期,乡镇,村(居),活动名称,参与人次\n2024-03-05,南江,南江社区,民法典讲座,40\n",
        encoding="utf-8",
    )
    result = invoke(workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert result.exit_code == 1
    assert "lecture 第2行 C列(村(居)) = “南江社区”: 不在南江布依族苗族乡;它属于硒城街道" in (
        result.stderr
    )
    assert json.loads(invoke_ok(workspace.root, "list", "--json").output) == []


# -- migration 2 -------------------------------------------------------------------------------


def at_version_1(location: str | Path) -> None:
    """Turn a store back into what pufa wrote before villages: no village column, none of the later
    tables (the rosters, attendance, scores, web users, month locks), version 1."""
    web = ("login_attempts", "web_sessions", "user_revisions", "users")
    for table in (
        "month_locks",
        *web,
        "scores",
        "training_attendance",
        "people_access",
        "people_revisions",
        "people",
    ):
        execute(location, f"DROP TABLE {table}")
    execute(location, "DROP INDEX events_village")
    execute(location, "ALTER TABLE events DROP COLUMN village")
    execute(location, "UPDATE pufa_meta SET value = '1' WHERE key = 'schema_version'")


def test_an_older_store_migrates_and_keeps_its_records(workspace: ws.Workspace) -> None:
    """A store made before villages: SQLite migrates on open, PostgreSQL after `pufa db migrate`;
    its records read back with no village and new ones take one."""
    invoke_ok(workspace.root, "log", *NANJIANG, "-t", "南江")
    at_version_1(workspace.location)
    if is_url(workspace.location):
        with pytest.raises(StoreError, match="请由管理员运行 pufa db migrate"):
            open_store(workspace.location)
        assert "应用迁移 2" in invoke_ok(workspace.root, "db", "migrate").output
    invoke_ok(workspace.root, "log", *NANJIANG, "-t", "南江", "--village", "南江村")
    listed = json.loads(invoke_ok(workspace.root, "list", "--json").output)
    assert [e["village"] for e in listed] == [None, NANJIANG_VILLAGE]
    with open_store(workspace.location) as store:
        assert store.schema_version() == SCHEMA_VERSION
