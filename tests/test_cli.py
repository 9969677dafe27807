"""pufa.cli: the commands a new user runs, their output, and every bad input's message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app
from pufa.cli.entry import app_for
from pufa.cli.entry import command_name as _command_name
from pufa.store import redact
from pufa.store.schema import SCHEMA_VERSION

from .conftest import invoke_ok, snapshot
from .engines import execute

LOG_EVERY_KIND = [
    ["seven-into", "-d", "2024-03-05", "-t", "禾丰乡", "--title", "法律进学校", "--venue", "学校", "-p", "320", "--materials", "600"],
    ["constitution", "-d", "2024-12-04", "-t", "硒城", "--title", "宪法进军营", "--venue", "军营", "--occasion", "国家宪法日", "--banners", "20", "--screens", "6"],
    ["campaign", "-d", "2024-04-15", "-t", "龙岗镇", "--title", "国家安全教育日", "--occasion", "4·15全民国家安全教育日", "--materials", "3000"],
    ["法治副校长", "-d", "2024-09-01 08:30", "--end", "10:00", "-t", "紫兴街道", "--title", "开学第一课", "--school", "开阳一中", "-p", "1200"],
    ["法律明白人", "-d", "2024-06-16", "-t", "毛云", "--title", "明白人培训", "--mode", "线下", "--trainees", "42", "--certified", "40"],
    ["cadre-exam", "-d", "2024-06-01", "--end", "2024-11-30", "--dept", "县司法局", "--title", "学法用法考试", "-p", "7764", "--passed", "7764"],
    ["cadre-training", "-d", "2024-03-28 14:30", "--end", "17:30", "--dept", "依法治县办", "--title", "法治大讲堂", "-p", "64"],
    ["lecture", "-d", "2024-05-10", "-t", "南江", "--title", "民法典讲座", "--audience", "村民", "-p", "96"],
    ["新媒体", "-d", "2024-12-01", "--end", "2024-12-07", "--dept", "司法局", "--title", "宪法周推送", "--channel", "法治开阳 公众号", "--items", "45"],
]  # fmt: skip


def run(cli: Any, *args: str) -> Any:
    return cli(*args)


@pytest.mark.usefixtures("late_2024")
def test_log_one_event_of_every_kind(cli: Any, workspace: ws.Workspace) -> None:
    """Each kind can be logged from the terminal; the stored record and its id are printed."""
    for number, args in enumerate(LOG_EVERY_KIND, start=1):
        result = cli("log", *args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"已登记 #{number}  ")
    listed = json.loads(cli("list", "--json").output)
    assert sorted(e["kind"] for e in listed) == sorted(
        ["seven-into", "constitution", "campaign", "school-lecture", "literate-training",
         "cadre-exam", "cadre-training", "lecture", "media-release"]
    )  # fmt: skip


def test_log_output_is_plain_labelled_text(cli: Any) -> None:
    """The log output names every field in Chinese, no table needed."""
    result = cli("log", *LOG_EVERY_KIND[0])
    assert result.output == (
        "已登记 #1  法律七进集中宣传  [已开展]\n"
        "  标题:法律进学校\n"
        "  时间:2024-03-05\n"
        "  乡镇:禾丰布依族苗族乡\n"
        "  进:学校\n"
        "  场次:1 场次\n"
        "  参与人次:320 人次\n"
        "  发放资料:600 份\n"
    )


@pytest.mark.usefixtures("late_2024")
def test_json_schema_of_a_record(cli: Any) -> None:
    """--json keys are fixed; codes come with Chinese labels."""
    cli("log", *LOG_EVERY_KIND[3])
    record = json.loads(cli("show", "1", "--json").output)
    assert list(record) == [
        "id", "kind", "kind_label", "title", "start", "end", "all_day", "township", "dept",
        "owner_label", "village", "status", "status_label", "fields", "measures", "note", "source",
        "revision", "created", "updated", "voided",
    ]  # fmt: skip
    assert record["start"] == "2024-09-01T08:30:00+08:00"
    assert record["end"] == "2024-09-01T10:00:00+08:00"
    assert record["township"] == "520121003"
    assert record["owner_label"] == "紫兴街道"
    assert record["fields"] == {
        "school": "开阳一中",
        "school_label": "开阳一中",
        "lecturer": None,
        "lecturer_label": None,
    }
    assert record["measures"] == {"sessions": 1, "participants": 1200}
    assert record["created"] == {"at": "2024-12-31T02:00:00+00:00", "by": "测试员"}


def test_edit_void_history(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edit with a reason, void with a reason; history shows who, when, what and why."""
    cli("log", *LOG_EVERY_KIND[0])
    edited = cli("edit", "1", "-p", "350", "-t", "南江", "--reason", "补录", "--by", "李四")
    assert edited.exit_code == 0, edited.output
    assert edited.output.startswith("已修改(第 2 版) #1  ")
    voided = cli("void", "1", "--reason", "重复登记")
    assert voided.output == "已作废 #1 法律进学校(理由:重复登记)\n"
    history = json.loads(cli("history", "1", "--json").output)
    assert [(h["seq"], h["action"], h["by"], h["reason"]) for h in history] == [
        (1, "create", "测试员", None),
        (2, "edit", "李四", "补录"),
        (3, "void", "测试员", "重复登记"),
    ]
    assert history[1]["changes"] == [
        {"field": "township", "label": "乡镇", "old": "520121206", "new": "520121207"},
        {"field": "participants", "label": "参与人次", "old": 320, "new": 350},
    ]
    monkeypatch.setenv("COLUMNS", "200")
    table = cli("history", "1").output
    assert "乡镇:禾丰布依族苗族乡 → 南江布依族苗族乡" in table
    assert "2024-03-06 10:00:00  李四" in table


@pytest.mark.usefixtures("late_2024")
def test_list_filters_and_hides_voided(cli: Any) -> None:
    """list filters by year, kind, township and status; voided only with --voided."""
    for args in LOG_EVERY_KIND:
        cli("log", *args)
    cli("log", "lecture", "-d", "2023-05-10", "-t", "南江", "--title", "旧讲座", "--planned")
    cli("void", "8", "--reason", "测试")

    def ids(*args: str) -> list[int]:
        return [e["id"] for e in json.loads(cli("list", "--json", *args).output)]

    assert ids("--year", "2023") == [10]
    assert ids("--kind", "讲座") == [10]
    assert ids("--kind", "讲座", "--voided") == [10, 8]
    assert ids("--township", "禾丰乡") == [1]
    assert ids("--status", "计划") == [10]
    assert ids("--dept", "司法局") == [6, 9]
    table = cli("list").output
    assert "共 9 条" in table


def test_kinds_lists_fields_and_units(cli: Any) -> None:
    """pufa kinds shows every kind with fields and measures (and as JSON)."""
    data = json.loads(cli("kinds", "--json").output)
    assert [k["kind"] for k in data][:2] == ["seven-into", "constitution"]
    seven = data[0]
    assert seven["fields"] == [
        {
            "name": "venue",
            "label": "进",
            "required": True,
            "choices": ["机关", "乡村", "社区", "学校", "企业", "单位", "网络"],
        }
    ]
    assert {
        "name": "materials",
        "label": "发放资料",
        "unit": "份",
        "required_when_held": False,
    } in seven["measures"]
    assert "法律明白人培训" in cli("kinds").output


def test_kinds_works_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user can look at the kinds before making a workspace."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["kinds", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == 9


# -- bad input: the message is pinned and the store is exactly as before ----------------------


BAD_INPUT = {
    "unknown township": (
        [
            "log",
            "seven-into",
            "-d",
            "2024-03-05",
            "-t",
            "禾风乡",
            "--title",
            "x",
            "--venue",
            "学校",
        ],
        "错误:乡镇 (--township) = “禾风乡”: 应为开阳县的乡(镇、街道)之一:硒城街道、云开街道、紫兴街道、"
        "双流镇、金中镇、冯三镇、楠木渡镇、龙岗镇、永温镇、花梨镇、南龙乡、宅吉乡、龙水乡、米坪乡、"
        "禾丰布依族苗族乡、南江布依族苗族乡、高寨苗族布依族乡、毛云乡 — 是否指 禾丰乡?\n",
    ),
    "unknown kind": (
        ["log", "seven-ito", "-d", "2024-03-05", "-t", "禾丰乡", "--title", "x"],
        "错误:类型 (KIND) = “seven-ito”: 应为活动类型之一:seven-into(法律七进集中宣传)、"
        "constitution(宪法宣传活动)、campaign(重大法治集中宣传活动)、school-lecture(法治副校长进校宣讲)、"
        "literate-training(法律明白人培训)、cadre-exam(国家工作人员学法用法考试)、"
        "cadre-training(领导干部法治培训)、lecture(法治讲座)、media-release(新媒体普法信息发布)"
        " — 是否指 seven-into?\n",
    ),
    "unknown venue": (
        [
            "log",
            "seven-into",
            "-d",
            "2024-03-05",
            "-t",
            "禾丰乡",
            "--title",
            "x",
            "--venue",
            "军营",
        ],
        "错误:进 (--venue) = “军营”: 应为法律七进集中宣传的进之一:机关(agency)、乡村(village)、"
        "社区(community)、学校(school)、企业(enterprise)、单位(institution)、网络(online)\n",
    ),
    "invalid date": (
        ["log", "lecture", "-d", "2024-02-30", "-t", "禾丰乡", "--title", "x"],
        "错误:日期 (--date) = “2024-02-30”: 不是存在的日期:2024年2月只有 29 天\n",
    ),
    "negative count": (
        ["log", "lecture", "-d", "2024-03-05", "-t", "禾丰乡", "--title", "x", "-p", "-5"],
        "错误:参与人次 (--participants) = “-5”: 应为不小于 0 的整数(人次),如 120\n",
    ),
    "non-numeric count": (
        [
            "log",
            "lecture",
            "-d",
            "2024-03-05",
            "-t",
            "禾丰乡",
            "--title",
            "x",
            "--materials",
            "约300份",
        ],
        "错误:发放资料 (--materials) = “约300份”: 应为不小于 0 的整数(份),如 120\n",
    ),
    "end before start": (
        [
            "log",
            "lecture",
            "-d",
            "2024-03-05",
            "--end",
            "2024-03-04",
            "-t",
            "禾丰乡",
            "--title",
            "x",
        ],
        "错误:结束 (--end) = “2024-03-04”: 不能早于开始 2024-03-05\n",
    ),
    "passed over participants": (
        [
            "log",
            "cadre-exam",
            "-d",
            "2024-03-01",
            "--dept",
            "县司法局",
            "--title",
            "x",
            "-p",
            "10",
            "--passed",
            "12",
        ],
        "错误:及格人数 (--passed) = 12: 不能超过参考人数 10\n",
    ),
    "edit missing id": (
        ["edit", "99", "--title", "x", "--reason", "r"],
        "错误:没有编号为 #99 的记录。用 pufa list 查看已有记录。\n",
    ),
    "void missing id": (
        ["void", "99", "--reason", "r"],
        "错误:没有编号为 #99 的记录。用 pufa list 查看已有记录。\n",
    ),
    "edit voided id": (
        ["edit", "2", "--title", "x", "--reason", "r"],
        "错误:记录 #2 已作废(理由:重复),不能修改。\n",
    ),
    "void voided id": (
        ["void", "2", "--reason", "r"],
        "错误:记录 #2 已于 2024-03-06 作废(理由:重复),不能再次作废。\n",
    ),
    "edit without reason": (
        ["edit", "1", "--title", "x"],
        "错误:理由 (--reason) = (空): 不能为空:请写明原因,如 --reason 参与人数录入有误\n",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_is_refused_and_nothing_is_written(
    case: str, workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bad input exits 1 with its pinned Chinese message on stderr; the store is unchanged."""
    monkeypatch.chdir(workspace.root)
    runner = CliRunner()
    runner.invoke(app, ["log", *LOG_EVERY_KIND[0]])
    runner.invoke(app, ["log", *LOG_EVERY_KIND[0], "--allow-duplicate"])
    runner.invoke(app, ["void", "2", "--reason", "重复"])
    before = snapshot(workspace.location)
    args, message = BAD_INPUT[case]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""
    assert snapshot(workspace.location) == before


def test_no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a workspace: tell the user to run pufa init."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:在 {tmp_path} 及其上级目录中没有找到 pufa 工作区(pufa.toml)。"
        "请先运行 pufa init 创建,或用 --workspace / PUFA_WORKSPACE 指定。\n"
    )


def test_corrupt_database(sqlite_workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corrupt pufa.db: one line, no traceback, the file untouched."""
    workspace = sqlite_workspace
    monkeypatch.chdir(workspace.root)
    for suffix in ("-wal", "-shm"):
        Path(f"{workspace.database}{suffix}").unlink(missing_ok=True)
    workspace.database.write_bytes(b"\x00garbage" * 512)
    result = CliRunner().invoke(app, ["log", *LOG_EVERY_KIND[0]])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "已损坏或不是 SQLite 数据库文件" in result.stderr
    assert "Traceback" not in result.output
    assert workspace.database.read_bytes() == b"\x00garbage" * 512


def test_newer_database(workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written by a newer pufa (either engine): one line saying to upgrade; nothing changed."""
    monkeypatch.chdir(workspace.root)
    execute(workspace.location, "UPDATE pufa_meta SET value = '99' WHERE key = 'schema_version'")
    before = snapshot(workspace.location)
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:{redact(workspace.location)} 的结构版本为 99,本程序只认识到 {SCHEMA_VERSION}:"
        "它由更新版本的 pufa 写入。请升级 pufa(pip install -U pufa)后再打开。\n"
    )
    assert snapshot(workspace.location) == before


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--debug lets the error through for a developer."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--debug", "list"])
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "WorkspaceError"


# -- commands, help and the installed entry points ------------------------------------------------


def test_every_command_has_help_with_an_example() -> None:
    """Every command's help (its docstring) is Chinese and ends with an example command."""
    paths = [[str(c.name)] for c in app.registered_commands] + [
        [str(g.name), str(c.name)]
        for g in app.registered_groups
        if g.typer_instance
        for c in g.typer_instance.registered_commands
    ]
    assert ["db", "copy"] in paths
    for path in paths:
        result = CliRunner().invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "例:pufa " in result.output, path


def test_only_the_invoked_command_is_built() -> None:
    """The console script builds just the named command (start-up time), all of them for --help."""
    assert _command_name(["-w", "dir", "--debug", "log", "seven-into"]) == "log"
    assert _command_name(["--help"]) is None
    only = app_for(["-w", "x", "log", "lecture"])
    assert [c.name for c in only.registered_commands] == ["log"]
    group = app_for(["db", "status"])
    assert (
        [c.name for c in group.registered_commands],
        [g.name for g in group.registered_groups],
    ) == ([], ["db"])
    summary = app_for(["summary", "--year", "2023"])
    assert [c.name for c in summary.registered_commands] == ["summary"]
    assert app_for(["--help"]) is app
    assert app_for(["lgo"]) is app  # a typo gets the full app and its suggestions
    assert isinstance(only, typer.Typer)


def test_init_and_demo_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pufa init then pufa demo, as the README shows."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(app, ["init", "office"])
    assert made.exit_code == 0
    assert made.output.startswith(
        f"已创建工作区 {tmp_path / 'office'}(开阳县,18 个乡镇、136 个村(居))"
    )
    demo = runner.invoke(app, ["demo", "sample"])
    assert demo.exit_code == 0, demo.output
    assert "开阳县 2023 年普法指标(截至 2023-12-31)" in demo.output
    assert "开阳县 2024 年普法指标(截至 2024-06-30)" in demo.output
    assert "【示例】2023 年报告普法段落草稿" in demo.output
    assert "各部门、乡(镇、街道)开展“法律七进”集中宣传113场次" in demo.output
    assert "903 条示例记录" in demo.output


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "PUFA_NOW": "2024-03-06T10:00:00+08:00",
        "PUFA_USER": "测试员",
        "COLUMNS": "120",
    }


def _pufa() -> list[str]:
    script = Path(sys.executable).with_name("pufa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pufa"]


@pytest.mark.slow
def test_installed_command_end_to_end(tmp_path: Path) -> None:
    """The installed `pufa` script and `python -m pufa`: init, log, list, and an error's exit code."""
    env = _env(tmp_path)
    subprocess.run(
        [*_pufa(), "init", str(tmp_path / "w")], check=True, env=env, capture_output=True
    )
    logged = subprocess.run(
        [*_pufa(), "-w", str(tmp_path / "w"), "log", *LOG_EVERY_KIND[0]],
        env=env,
        capture_output=True,
        text=True,
    )
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.startswith("已登记 #1")
    listed = subprocess.run(
        [sys.executable, "-m", "pufa", "-w", str(tmp_path / "w"), "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert [e["title"] for e in json.loads(listed.stdout)] == ["法律进学校"]
    bad = subprocess.run(
        [*_pufa(), "-w", str(tmp_path / "w"), "log", "lecture", "-d", "2024-02-30", "-t", "禾丰乡", "--title", "x"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr == "错误:日期 (--date) = “2024-02-30”: 不是存在的日期:2024年2月只有 29 天\n"
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_log_does_not_load_rich_or_later_features(tmp_path: Path) -> None:
    """`pufa log` must not import rich (nor the feed, workbook or holiday libraries, the tally,
    the sample data, `pufa list`'s module, tempfile or csv): start-up time."""
    env = _env(tmp_path)
    subprocess.run(
        [*_pufa(), "init", str(tmp_path / "w")], check=True, env=env, capture_output=True
    )
    first = [*_pufa(), "-w", str(tmp_path / "w"), "log", "lecture", "-d", "2024-03-04", "-t", "禾丰乡", "--title", "x"]  # fmt: skip
    subprocess.run(first, check=True, env=env, capture_output=True)
    probe = (
        "import sys\n"
        "from pufa.cli.entry import main\n"
        f"sys.argv = ['pufa', '-w', {str(tmp_path / 'w')!r}, 'log', 'lecture', '-d', '2024-03-05', '-t', '禾丰乡', '--title', 'x']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['rich', 'icalendar', 'holidays', 'openpyxl', 'psycopg', 'pydantic', 'pufa.targets', 'pufa.tally', 'pufa.scheduling', 'pufa.days', 'pufa.demo', 'pufa.cli.app', 'pufa.cli.tallies', 'pufa.cli.ledger', 'pufa.cli.plan', 'pufa.cli.feeds', 'pufa.cli.db', 'pufa.divisions', 'pufa.duties', 'pufa.load.duties', 'pufa.unitwork', 'pufa.cli.duties', 'pufa.cli.people', 'pufa.people', 'pufa.roster', 'pufa.store.roster', 'pufa.cli.review', 'pufa.review', 'docx', 'pufa.wordfile', 'pufa.document', 'flask', 'werkzeug', 'jinja2', 'waitress', 'argon2', 'pufa.web', 'pufa.accounts', 'pufa.passwords', 'pufa.users', 'pufa.store.users', 'pufa.cli.users', 'pufa.cli.web']\n"
        "heavy += ['pufa.dashboard', 'pufa.monthview', 'pufa.overview', 'pufa.web', 'jinja2']\n"
        "heavy += ['pufa.cli.listing', 'tempfile', 'csv']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_edit_that_changes_nothing_says_so(cli: Any) -> None:
    """Re-entering the stored value is reported as no change, and no version is added."""
    cli("log", *LOG_EVERY_KIND[0])
    result = cli("edit", "1", "-p", "320", "--reason", "核对")
    assert result.exit_code == 0
    assert result.output.startswith("没有变化(仍是第 1 版) #1  ")


@pytest.mark.usefixtures("late_2024")
def test_exam_counts_people_and_no_sessions(cli: Any) -> None:
    """The cadre exam is counted in 人 (7764名), and shows no 场次 line it does not count."""
    result = cli("log", *LOG_EVERY_KIND[5])
    assert "  参考人数:7764 人\n  及格人数:7764 人\n" in result.output
    assert "场次" not in result.output


def test_version() -> None:
    """pufa --version prints the package version."""
    from pufa import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.output == f"pufa {__version__}\n"


def test_brackets_in_a_title_are_shown_as_typed(workspace: ws.Workspace) -> None:
    """A title with "[red]…[/red]" and "[[议程]]" is text in `pufa list` and `show`, never a style."""
    title = "[red]宪法讲座[/red] [[议程]]"
    invoke_ok(workspace.root, "log", "lecture", "-d", "2024-03-05", "-t", "禾丰", "--title", title)
    assert title in invoke_ok(workspace.root, "show", "1").output
    listed = invoke_ok(workspace.root, "list", "--year", "2024").output
    assert "[red]" in listed
    assert "[[议程]]" in listed.replace("\n", "")
