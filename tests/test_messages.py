"""Every screen in Chinese: click's usage errors and help through the catalogue, the grouped
command list, shell completion, and the .xls and PostgreSQL connection refusals."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click
from typer.main import get_command
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli import messages
from pufa.cli.app import app
from pufa.cli.frame import translated
from pufa.cli.registry import GROUPS
from pufa.errors import InvalidInput, StoreError
from pufa.ledger import read
from pufa.load import load_county
from pufa.model import Kind, Mode, Status
from pufa.store import open_store
from pufa.users import Role

PO = messages.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "pufa.po"
MO = PO.with_suffix(".mo")

#: ASCII words a help screen may show that are names, not prose: file formats, products, units
TECHNICAL = {
    "Ctrl-C", "ETag", "Excel", "Word", "GB", "GB18030", "PostgreSQL", "SQLite", "iCal", "csv", "xlsx", "toml",
    "html", "ics", "https", "http", "postgresql", "pufa", "pufa-demo", "slug", "shell", "example",
    "gov", "cn", "kaiyang", "calendar", "key", "index", "x", "N", "text", "markdown", "json",
}  # fmt: skip


def _po_entries() -> dict[str, str]:
    """The .po file's msgid → msgstr (single-line strings; the header left out)."""
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', PO.read_text(encoding="utf-8"), re.M)
    return {msgid: msgstr for msgid, msgstr in pairs if msgid}


def _stderr(*args: str) -> str:
    """What ``pufa ARGS`` (in-process, the whole app) writes to stderr."""
    return CliRunner().invoke(app, list(args)).stderr


def _pufa() -> list[str]:
    script = Path(sys.executable).with_name("pufa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pufa"]


def _paths(command: _click.Command, prefix: list[str]) -> Iterator[list[str]]:
    """Every command path under ``command`` (the root's is empty)."""
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, [*prefix, name])


def test_the_compiled_catalogue_says_what_the_po_says() -> None:
    """pufa.mo (what gettext reads) has every .po entry with the same translation."""
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for msgid, msgstr in _po_entries().items():
        assert compiled.gettext(msgid) == msgstr, msgid


def test_the_catalogue_is_keyed_by_exactly_the_templates() -> None:
    """The .po translates each of messages.TEMPLATES, and nothing else."""
    assert sorted(_po_entries()) == sorted(messages.TEMPLATES)


def test_every_translation_keeps_the_templates_parts() -> None:
    """A translation fills the same {parts} its English template names, and is Chinese."""
    for msgid, msgstr in _po_entries().items():
        assert set(re.findall(r"\{(\w+)\}", msgstr)) == set(re.findall(r"\{(\w+)\}", msgid))
        assert re.search(r"[\u4e00-\u9fff]", msgstr), msgid


def test_nested_messages_are_translated_inside_out() -> None:
    """click's composed message (a value error inside 'Invalid value for …') is Chinese throughout."""
    assert messages.text("Invalid value for '--date': '2024-13-01' does not match the format '%Y-%m-%d'.") == (
        "'--date' 的值无效:'2024-13-01' 不是有效的日期,应写成 '%Y-%m-%d'。"
    )  # fmt: skip


def test_a_missing_option_is_named_in_chinese() -> None:
    """click's missing-option message reads 缺少选项."""
    assert messages.text("Missing option '--reason'.") == "缺少选项 '--reason'。"


def test_a_message_no_template_matches_is_left_as_it_is() -> None:
    """Text outside the catalogue (pufa's own Chinese) passes unchanged."""
    assert messages.text("错误:没有编号为 #99 的记录") == "错误:没有编号为 #99 的记录"


def test_missing_argument_is_chinese_with_the_usage_frame() -> None:
    """`pufa show` without an id: the usage line, where help is, then 错误: 缺少参数."""
    assert _stderr("show") == (
        "用法: pufa show [选项] {ID}\n运行 'pufa show -h' 查看帮助。\n\n错误:缺少参数 'ID'。\n"
    )


def test_no_such_option_suggests_the_nearest() -> None:
    """A mistyped option is refused in Chinese with 是否指 and the option meant."""
    assert _stderr("summary", "--yea", "2024").endswith(
        "错误:没有这个选项:--yea。是否指 --by、--year?\n"
    )


def test_a_bad_integer_is_not_a_valid_integer() -> None:
    """A non-number id: 不是有效的整数."""
    assert _stderr("show", "abc").endswith("错误:'ID' 的值无效:'abc' 不是有效的整数。\n")


def test_a_bad_choice_lists_the_choices() -> None:
    """A value outside an option's choices names them."""
    assert "错误:'--by' 的值无效:'xx' 不在可选值中,可选:'township'" in _stderr(
        "summary", "--by", "xx"
    )


def test_an_option_without_its_value_says_so() -> None:
    """An option given last without a value: 后面要写一个值."""
    assert _stderr("list", "--year").endswith("错误:选项 '--year' 后面要写一个值。\n")


def test_extra_arguments_are_named() -> None:
    """An argument too many: 多余的参数."""
    assert _stderr("show", "1", "2").endswith("错误:多余的参数:2\n")


def test_an_abort_says_so_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """An abort at a prompt (Ctrl-D) ends with 已中止。 and exit status 1, not "Aborted!"."""
    with pytest.raises(typer.Exit) as caught, translated():
        raise typer.Abort()
    assert caught.value.exit_code == 1
    assert capsys.readouterr().err == "已中止。\n"


def test_a_usage_error_exits_2() -> None:
    """Usage errors keep click's exit status 2."""
    assert CliRunner().invoke(app, ["show", "abc"]).exit_code == 2


@pytest.mark.slow
def test_an_unknown_command_through_the_console_entry(tmp_path: Path) -> None:
    """The installed `pufa lgo`: 没有这个命令 … 是否指 'log'?, exit 2, nothing else."""
    env = {**os.environ, "HOME": str(tmp_path), "NO_COLOR": "1"}
    result = subprocess.run([*_pufa(), "lgo"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "用法: pufa [选项] 命令 [参数]...\n运行 'pufa -h' 查看帮助。\n\n"
        "错误:没有这个命令 'lgo'。是否指 'log'?\n"
    )


@pytest.mark.slow
def test_a_bad_value_through_the_console_entry_for_one_command(tmp_path: Path) -> None:
    """The installed `pufa show abc` (the entry builds `show` alone) is Chinese too."""
    env = {**os.environ, "HOME": str(tmp_path), "NO_COLOR": "1"}
    result = subprocess.run([*_pufa(), "show", "abc"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("用法: pufa show [选项] {ID}\n")
    assert result.stderr.endswith("错误:'ID' 的值无效:'abc' 不是有效的整数。\n")


def test_help_headings_and_the_help_option_are_chinese() -> None:
    """`pufa show -h`: 用法, 参数, 选项, and -h's own 显示本帮助并退出; [必填] for a required one."""
    output = CliRunner().invoke(app, ["show", "-h"]).output
    assert output.startswith("用法: pufa show [选项] {ID}\n")
    for line in ("参数:", "选项:", "显示本帮助并退出", "[必填]"):
        assert line in output


def test_every_command_is_in_exactly_one_group() -> None:
    """The grouped command list names each registered command once, and nothing else."""
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_the_command_list_is_grouped_by_job() -> None:
    """`pufa -h` shows the groups in order, each command under its group with its summary."""
    output = CliRunner().invoke(app, ["-h"]).output
    headings = [line[:-1] for line in output.splitlines() if line.endswith(":")]
    assert headings == ["选项", *(title for title, _ in GROUPS)]
    assert "\n登记:\n  init    创建工作区" in output
    assert (
        "  log     登记一条活动记录,打印保存后的记录和编号;在终端上缺少字段时逐项询问。\n" in output
    )


def test_no_arguments_shows_the_grouped_help() -> None:
    """`pufa` alone prints the same grouped list as `pufa -h`."""
    alone = CliRunner().invoke(app, [])
    assert alone.output == CliRunner().invoke(app, ["-h"]).output


def test_help_fits_80_columns_and_breaks_cleanly() -> None:
    """Every help screen fits 80 columns (CJK counted double), no line starts with closing
    punctuation, and no ASCII word is split."""
    for path in _paths(get_command(app), []):
        output = CliRunner().invoke(app, [*path, "-h"], terminal_width=80).output
        for line in output.splitlines():
            assert messages.width(line) <= 80, (path, line)
            assert not re.match(r"\s*[,。、;:)」》]", line), (path, line)


def test_wrap_never_splits_a_word_or_orphans_punctuation() -> None:
    """The wrapper breaks between characters or at spaces: lines fit, ASCII words stay whole,
    no line starts with closing punctuation, nothing is lost."""
    source = "登记一条活动记录,打印保存后的记录和编号。例:pufa log seven-into"
    lines = messages.wrap(source, 20)
    assert all(messages.width(line) <= 20 for line in lines)
    assert not any(line[0] in ",。:" for line in lines)
    assert {"pufa", "log", "seven-into"} <= {
        w for line in lines for w in re.findall(r"[\w-]+", line)
    }
    assert "".join(lines).replace(" ", "") == source.replace(" ", "")


def _allowed_words(root: _click.Command) -> set[str]:
    """The ASCII names a help screen may show: commands, parameters, choices, slugs, products."""
    allowed = set(TECHNICAL)
    for path in _paths(root, []):
        command: Any = root
        for name in path:
            command = command.commands[name]
        allowed.update(path)
        for param in command.params:
            allowed.add(str(param.name))
            allowed.update(str(choice) for choice in getattr(param.type, "choices", ()))
    allowed.update(member.value for enum in (Kind, Status, Mode, Role) for member in enum)
    county = load_county(ws.campaigns_dir() / "kaiyang" / ws.PROFILE)
    allowed.update(venue.slug for venue in county.venues)
    return allowed


def test_no_english_prose_remains_in_any_help() -> None:
    """Every command's --help: the ASCII words left (outside options, metavars and examples) are
    names — commands, parameters, choices, slugs, products — never English prose."""
    root = get_command(app)
    allowed = _allowed_words(root)
    for path in _paths(root, []):
        output = CliRunner().invoke(app, [*path, "--help"]).output
        for line in output.splitlines():
            line = re.sub(r"例:.*|[\w.-]+\.(?:toml|xlsx|csv|ics|html|db)\b|https?://\S+", " ", line)
            line = re.sub(r"(?<![\w])--?[\w-]+|<[^>]*>|\{[^}]*\}|\b[A-Z][A-Z_]+\b", " ", line)
            words = set(re.findall(r"[A-Za-z][\w'-]*", line))
            assert words <= allowed, (path, line, words - allowed)


def _argument_names(output: str) -> list[str]:
    """The arguments a help screen shows: on its usage line and in its 参数 section."""
    usage = output.splitlines()[0].split("[选项]", 1)[-1].replace("命令 [参数]...", " ")
    names = re.findall(r"[^\s\[\]{}]+", usage)
    section = output.partition("参数:\n")[2].partition("\n\n")[0]
    return names + re.findall(r"^  (\S+)", section, re.M)


def test_arguments_show_in_capitals_or_as_their_choices() -> None:
    """Every --help names each argument in capitals (FILE, DIRECTORY) or by its choices
    (score|history), never as a lowercase English word like `directory` or `file`."""
    shown = set()
    for path in _paths(get_command(app), []):
        output = CliRunner().invoke(app, [*path, "--help"], terminal_width=80).output
        for name in _argument_names(output):
            assert re.fullmatch(r"[A-Z][A-Z_]*|[a-z-]+(\|[a-z-]+)+", name), (path, name)
            shown.add(name)
    assert {"DIRECTORY", "FILE", "ID", "KIND", "score|history"} <= shown


def _complete(workspace: Path, words: str, env_extra: dict[str, str] | None = None) -> list[str]:
    """What the installed pufa offers for bash completion of the last of ``words``."""
    env = {
        **os.environ,
        "_PUFA_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        **(env_extra or {}),
    }
    result = subprocess.run(
        _pufa(), cwd=workspace, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


@pytest.mark.slow
def test_completion_offers_the_countys_townships(sqlite_workspace: ws.Workspace) -> None:
    """`pufa log seven-into --township 禾<Tab>` completes to the workspace county's township."""
    offered = _complete(sqlite_workspace.root, "pufa log seven-into --township 禾")
    assert offered == ["禾丰布依族苗族乡"]


@pytest.mark.slow
def test_completion_offers_kinds_and_venues(sqlite_workspace: ws.Workspace) -> None:
    """The kind argument completes slugs (or Chinese names); --venue the county's venues."""
    root = sqlite_workspace.root
    assert _complete(root, "pufa log se") == ["seven-into"]
    assert _complete(root, "pufa log 法律") == ["法律七进集中宣传", "法律明白人培训"]
    assert _complete(root, "pufa log seven-into --venue 学") == ["学校"]


@pytest.mark.slow
def test_install_completion_says_what_it_did_in_chinese(tmp_path: Path) -> None:
    """`pufa --install-completion bash` writes the script and says so in Chinese. The shell is named
    (typer's own switch for tests turns off guessing it from the process tree, which a test runner
    does not fix: in a long run the guess can fail)."""
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash", "NO_COLOR": "1"}
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    result = subprocess.run(
        [*_pufa(), "--install-completion", "bash"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "pufa.sh"
    assert result.stdout == f"已为 bash 安装补全:{script}\n重新打开终端后补全生效\n"
    assert "_PUFA_COMPLETE" in script.read_text(encoding="utf-8")


def test_an_old_xls_workbook_is_refused_in_chinese(tmp_path: Path) -> None:
    """An Excel 97-2003 file, by name or by its first bytes: what to do, and no 'xlrd'."""
    for name in ("台账.xls", "改了名.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        with pytest.raises(InvalidInput) as caught:
            read(path)
        text = str(caught.value)
        assert "旧版 Excel 97-2003 工作簿(.xls)" in text
        assert "另存为" in text
        assert "xlrd" not in text


def test_a_file_that_is_no_workbook_is_refused_in_chinese(tmp_path: Path) -> None:
    """A .xlsx that is not a zip at all: 文件不是 .xlsx 格式, no English from zipfile."""
    path = tmp_path / "台账.xlsx"
    path.write_text("不是工作簿", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read(path)
    assert "文件不是 .xlsx 格式" in str(caught.value)
    assert "zip" not in str(caught.value)


def test_a_refused_connection_says_why_in_chinese_first() -> None:
    """No server on the port: the Chinese reason, then the driver's own words after 驱动的说明."""
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://pufa:s3cret@127.0.0.1:1/pufa?connect_timeout=3")
    text = str(caught.value)
    head, _, detail = text.partition("。驱动的说明:")
    assert head.endswith(":服务器没有响应:请检查地址和端口,以及数据库服务是否在运行")
    assert "Connection refused" in detail
    assert "s3cret" not in text


def test_a_bad_bounded_integer_is_refused_in_chinese() -> None:
    """`list --limit abc` (an int range): 不是有效的整数, not "is not a valid int range"."""
    result = CliRunner().invoke(app, ["list", "--limit", "abc"])
    assert result.exit_code == 2
    assert result.stderr.endswith("错误:'--limit' / '-n' 的值无效:'abc' 不是有效的整数。\n")


def test_help_names_value_types_in_chinese() -> None:
    """Option value placeholders and bounds read <文本>, <整数>, 不小于 0 — not <str>, <int range>, x>=0."""
    output = CliRunner().invoke(app, ["feeds", "publish", "-h"]).output
    assert "--base-url <文本>" in output
    assert "--alarm-days <整数>" in output
    assert "不小于 0" in output
    for english in ("<str>", "<int", "x>="):
        assert english not in output
