"""The README tour's details: report with no records, ledger sample, feeds' remembered base URL."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pufa import workspace as ws

from .conftest import invoke, invoke_ok

URL = "https://pufa.example.gov.cn/feeds"


def test_report_without_records_says_so(sqlite_workspace: ws.Workspace, today: None) -> None:
    """In a fresh workspace the report says there are no records yet, not "。"."""
    result = invoke_ok(sqlite_workspace.root, "report")
    first = result.output.splitlines()[0]
    assert first.startswith("2026 年还没有可写进报告的活动记录(截至 2026-11-29)")
    assert "pufa log" in first


def test_ledger_sample_imports_cleanly(sqlite_workspace: ws.Workspace, today: None) -> None:
    """`ledger sample` writes 禾丰乡台账.xlsx by default, and `ledger import --dry-run` accepts it."""
    root = sqlite_workspace.root
    result = invoke_ok(root, "ledger", "sample", "-o", str(root / "禾丰乡台账.xlsx"))
    assert "4 行示例记录" in result.output
    dry = invoke_ok(root, "ledger", "import", str(root / "禾丰乡台账.xlsx"), "--dry-run")
    assert "将新增 4 条" in dry.output


def test_ledger_sample_rows_are_this_year_and_marked(
    sqlite_workspace: ws.Workspace, today: None
) -> None:
    """The imported sample rows are 2026's, of 禾丰乡, and every title says 示例."""
    root = sqlite_workspace.root
    invoke_ok(root, "ledger", "sample", "-o", str(root / "s.xlsx"))
    invoke_ok(root, "ledger", "import", str(root / "s.xlsx"))
    events = json.loads(invoke_ok(root, "list", "--json").output)
    assert {e["start"][:4] for e in events} == {"2026"}
    assert all(e["title"].startswith("【示例】") for e in events)
    assert {e["owner_label"] for e in events} == {"禾丰布依族苗族乡"}


def test_ledger_sample_in_the_first_week_of_the_year(
    sqlite_workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 2 January the sample is still this year's and none of it is after today."""
    monkeypatch.setenv("PUFA_NOW", "2027-01-02T10:00:00+08:00")
    root = sqlite_workspace.root
    invoke_ok(root, "ledger", "sample", "-o", str(root / "s.xlsx"))
    assert (
        "将新增 4 条"
        in invoke_ok(root, "ledger", "import", str(root / "s.xlsx"), "--dry-run").output
    )


def test_ledger_sample_refuses_to_overwrite(sqlite_workspace: ws.Workspace, today: None) -> None:
    """An existing file is not replaced without --force."""
    root = sqlite_workspace.root
    (root / "s.xlsx").write_bytes(b"mine")
    result = invoke(root, "ledger", "sample", "-o", str(root / "s.xlsx"))
    assert (result.exit_code, (root / "s.xlsx").read_bytes()) == (1, b"mine")


def test_feeds_base_url_is_remembered(sqlite_workspace: ws.Workspace) -> None:
    """--base-url goes into pufa.toml; the next publish without it still writes subscribe links."""
    root = sqlite_workspace.root
    first = invoke_ok(root, "feeds", "publish", "--base-url", URL)
    assert "已记入 pufa.toml" in first.output
    assert ws.read(root).feeds_url == URL
    (root / "feeds" / ".pufa-published").unlink(missing_ok=True)
    (root / "feeds" / "index.html").unlink()
    again = invoke_ok(root, "feeds", "publish")
    assert "没有订阅链接" not in again.stderr
    assert URL in (root / "feeds" / "index.html").read_text(encoding="utf-8")


def test_feeds_new_base_url_replaces_the_old(sqlite_workspace: ws.Workspace) -> None:
    """A new --base-url replaces the remembered one, and the output says so."""
    root = sqlite_workspace.root
    invoke_ok(root, "feeds", "publish", "--base-url", URL)
    result = invoke_ok(root, "feeds", "publish", "--base-url", "https://other.example.cn/rili/")
    assert f"(原为 {URL})" in result.output
    assert ws.read(root).feeds_url == "https://other.example.cn/rili"
    assert (root / ws.CONFIG).read_text(encoding="utf-8").count("base_url") == 1


@pytest.mark.parametrize(
    "url", ["http://pufa.example.gov.cn/feeds", "ftp://x.cn", "pufa.example.gov.cn", 'https://a"b']
)
def test_feeds_refuses_a_base_url_that_is_not_https(
    sqlite_workspace: ws.Workspace, url: str
) -> None:
    """A base URL without https:// is refused, nothing published and nothing remembered."""
    root = sqlite_workspace.root
    result = invoke(root, "feeds", "publish", "--base-url", url)
    assert result.exit_code == 1
    assert "https://" in result.output
    assert (ws.read(root).feeds_url, (root / "feeds").exists()) == (None, False)


@pytest.mark.parametrize("url", ["http://localhost:8080", "http://127.0.0.1/feeds"])
def test_feeds_takes_plain_http_on_this_machine(sqlite_workspace: ws.Workspace, url: str) -> None:
    """http://localhost and http://127.0.0.1 are allowed, for trying the feeds out."""
    invoke_ok(sqlite_workspace.root, "feeds", "publish", "--base-url", url)
    assert ws.read(sqlite_workspace.root).feeds_url == url


def test_feeds_without_base_url_say_there_are_no_subscribe_links(
    sqlite_workspace: ws.Workspace,
) -> None:
    """With no base URL known, publish says the feeds have no subscribe links and how to add them."""
    result = invoke_ok(sqlite_workspace.root, "feeds", "publish")
    assert "没有订阅链接" in result.stderr
    assert "--base-url" in result.stderr


def test_remembered_url_keeps_a_private_config_private(tmp_path: Path) -> None:
    """Rewriting pufa.toml keeps it readable by its owner only when it was (it may hold a password)."""
    found = ws.init(tmp_path / "w")
    config = found.root / ws.CONFIG
    config.chmod(0o600)
    found = ws.Workspace(*(getattr(found, a) for a in ("root", "county_slug", "profile", "database")),
                         url="postgresql://pufa:secret@localhost/pufa")  # fmt: skip
    ws.remember_feeds_url(found, URL)
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
