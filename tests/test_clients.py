"""Real calendar clients: vdirsyncer syncs the published feeds (from the file, and over HTTP from
`pufa feeds serve`'s server) into a vdir; khal lists the events with the right local times. After a
move, a cancellation and a re-applied plan, the next sync has no duplicates and keeps every UID."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pufa import workspace as ws

from .conftest import invoke_ok, serving, tool

HEFENG = "520121206-hefeng.ics"


class Client:
    """A vdirsyncer pair (feed → local vdir) and a khal reading that vdir, under ``home``."""

    def __init__(self, home: Path, storage: str) -> None:
        self.home = home
        (home / "cal").mkdir(parents=True)
        (home / "vdirsyncer").write_text(
            f'[general]\nstatus_path = "{home}/status/"\n\n'
            '[pair hefeng]\na = "feed"\nb = "local"\ncollections = null\nconflict_resolution = "a wins"\n\n'
            f"[storage feed]\n{storage}\n\n"
            f'[storage local]\ntype = "filesystem"\npath = "{home}/cal/"\nfileext = ".ics"\n',
            encoding="utf-8",
        )
        (home / "khal").write_text(
            f"[calendars]\n[[hefeng]]\npath = {home}/cal/\ntype = calendar\n\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
            "default_timezone = Asia/Shanghai\nlocal_timezone = Asia/Shanghai\n\n"
            "[default]\ndefault_calendar = hefeng\n",
            encoding="utf-8",
        )
        self.env = {
            **os.environ,
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "TZ": "UTC",
        }

    def sync(self) -> None:
        config = ["-c", str(self.home / "vdirsyncer")]
        for command in (["discover"], ["sync"]):
            result = subprocess.run(
                [tool("vdirsyncer"), *config, *command],
                env=self.env,
                capture_output=True,
                text=True,
                input="y\n",
            )
            assert result.returncode == 0, result.stdout + result.stderr

    def files(self) -> list[Path]:
        return sorted((self.home / "cal").glob("*.ics"))

    def agenda(self, first: str, last: str) -> list[str]:
        result = subprocess.run(
            [tool("khal"), "-c", str(self.home / "khal"), "list", first, last, "--format", "{start}|{end}|{title}|{status}|{uid}"],
            env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return [
            "|".join(part.strip() for part in line.split("|"))
            for line in result.stdout.splitlines()
            if "|" in line
        ]


@pytest.fixture
def published(sqlite_workspace: ws.Workspace) -> ws.Workspace:
    root = sqlite_workspace.root
    invoke_ok(root, "plan", "apply", str(root / "plan-2024.toml"), "--include-past")
    invoke_ok(
        root,
        "log",
        "lecture",
        "-d",
        "2024-03-05 09:30",
        "--end",
        "11:00",
        "-t",
        "禾丰乡",
        "--title",
        "民法典讲座",
        "--planned",
    )
    invoke_ok(root, "feeds", "publish")
    return sqlite_workspace


@pytest.fixture
def http_port(published: ws.Workspace) -> Iterator[int]:
    with serving(published.root / "feeds") as port:
        yield port


def _the_lifecycle(published: ws.Workspace, client: Client, *, keeps_uids: bool) -> None:
    """Sync, check khal; move one, cancel one, re-apply an edited plan, re-publish; sync again.

    vdirsyncer's http storage replaces every UID with a hash of the item (its `_ignore_uids`), so
    over HTTP the local copies cannot keep our UIDs; the feed keeps them, and the client still ends
    with no duplicates and the moved event at its new time.
    """
    client.sync()
    first = client.files()
    feed = (published.root / "feeds" / HEFENG).read_text(encoding="utf-8")
    assert len(first) == feed.count("BEGIN:VEVENT")
    agenda = client.agenda("2024-03-01", "2024-03-31")
    lecture = next(line for line in agenda if "民法典讲座" in line)
    assert lecture.startswith(
        "2024-03-05 09:30|2024-03-05 11:00|民法典讲座|TENTATIVE|"
    )  # local time
    uid = lecture.split("|")[4]
    with published.open() as opened:
        store_id = opened.store_id()
    assert (uid == f"317-{store_id}@520121.pufa") is keeps_uids
    invoke_ok(
        published.root, "edit", "317", "--date", "2024-03-08 14:00", "--reason", "改到周五下午"
    )
    store = published.open()
    try:
        from pufa.store import Query

        planned = [
            e
            for e in store.events(Query(township="520121206"))
            if e.status.slug == "planned" and e.span.all_day
        ]
    finally:
        store.close()
    dropped = planned[0]
    invoke_ok(published.root, "cancel", str(dropped.id), "--reason", "取消")
    plan = published.root / "plan-2024.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("count = 113", "count = 100"), encoding="utf-8"
    )
    invoke_ok(published.root, "plan", "apply", str(plan), "--include-past")
    invoke_ok(published.root, "feeds", "publish")

    client.sync()
    after = client.files()
    texts = [p.read_text(encoding="utf-8") for p in after]
    uids = [
        line.split(":", 1)[1]
        for text in texts
        for line in text.splitlines()
        if line.startswith("UID:")
    ]
    assert len(uids) == len(set(uids)), "a duplicate after the re-sync"
    assert len(after) == len(first)  # cancelled events are kept (as CANCELLED), none added twice
    moved = [line for line in client.agenda("2024-03-01", "2024-03-31") if "民法典讲座" in line]
    assert len(moved) == 1
    assert moved[0].startswith("2024-03-08 14:00|2024-03-08 15:30|民法典讲座|TENTATIVE|")
    if keeps_uids:
        assert moved[0].endswith(f"|317-{store_id}@520121.pufa")
        assert {p.stem for p in after} >= {
            p.stem for p in first
        }  # the same items, updated in place
        cancelled = next(t for t in texts if f"UID:{dropped.id}-{store_id}@520121.pufa" in t)
    else:
        cancelled = next(t for t in texts if dropped.title in t)
    assert "STATUS:CANCELLED" in cancelled


@pytest.mark.slow
def test_vdirsyncer_from_the_file_and_khal(published: ws.Workspace, tmp_path: Path) -> None:
    """singlefile → filesystem, then the whole lifecycle."""
    storage = f'type = "singlefile"\npath = "{published.root / "feeds" / HEFENG}"\nread_only = true'
    _the_lifecycle(published, Client(tmp_path / "file", storage), keeps_uids=True)


@pytest.mark.slow
def test_vdirsyncer_over_http_and_khal(
    published: ws.Workspace, http_port: int, tmp_path: Path
) -> None:
    """http (from the running `pufa feeds serve` server) → filesystem, then the whole lifecycle."""
    storage = f'type = "http"\nurl = "http://127.0.0.1:{http_port}/{HEFENG}"'
    _the_lifecycle(published, Client(tmp_path / "http", storage), keeps_uids=False)
