"""The parsed county profile kept in the workspace's .pufa-cache (pufa.load.cache): used only while
the file's text and pufa's version are unchanged, ignored when corrupt, optional when unwritable."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum

from pufa import __version__
from pufa import workspace as ws
from pufa.load import cache, load_county

from .mounts import remount_ro, tmpfs


def _kept(made: ws.Workspace) -> Path:
    return made.root / ".pufa-cache" / "county.toml.json"


def test_the_parsed_profile_is_kept_beside_it(sqlite_workspace: ws.Workspace) -> None:
    """Reading the workspace's profile keeps its parsed TOML, with the version and source text."""
    sqlite_workspace.county()
    kept = json.loads(_kept(sqlite_workspace).read_text(encoding="utf-8"))
    assert kept["pufa"] == __version__
    assert kept["source"] == sqlite_workspace.profile.read_text(encoding="utf-8")
    assert kept["document"]["county"]["name"] == "开阳县"


def test_the_kept_document_is_what_is_read(sqlite_workspace: ws.Workspace) -> None:
    """While the text is unchanged the kept document is used, not the file parsed again."""
    sqlite_workspace.county()
    kept = json.loads(_kept(sqlite_workspace).read_text(encoding="utf-8"))
    kept["document"]["county"]["short_name"] = "缓存"
    _kept(sqlite_workspace).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    assert sqlite_workspace.county().short_name == "缓存"


def test_a_changed_profile_is_seen_at_once(sqlite_workspace: ws.Workspace) -> None:
    """An edit of county.toml is read on the next command, and the kept copy follows it."""
    assert sqlite_workspace.county().short_name == "开阳"
    profile = sqlite_workspace.profile
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('short_name = "开阳"', 'short_name = "开阳县城"', 1), "utf-8")
    assert sqlite_workspace.county().short_name == "开阳县城"
    assert '"short_name": "开阳县城"' in _kept(sqlite_workspace).read_text(encoding="utf-8")


def test_a_corrupt_cache_is_ignored_and_rewritten(sqlite_workspace: ws.Workspace) -> None:
    """A kept file that is not JSON (a crash, a bad disk) is ignored, and written again whole."""
    sqlite_workspace.county()
    _kept(sqlite_workspace).write_bytes(b'{"pufa": "0.1.0", "sour\xff')
    assert sqlite_workspace.county().name == "开阳县"
    assert json.loads(_kept(sqlite_workspace).read_text(encoding="utf-8"))["pufa"] == __version__


def test_a_cache_of_another_version_is_ignored(sqlite_workspace: ws.Workspace) -> None:
    """A kept document written by another pufa version is not used, however well it matches."""
    sqlite_workspace.county()
    kept = json.loads(_kept(sqlite_workspace).read_text(encoding="utf-8"))
    kept["pufa"], kept["document"]["county"]["short_name"] = "0.0.0-old", "旧版"
    _kept(sqlite_workspace).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    assert sqlite_workspace.county().short_name == "开阳"


def test_a_read_only_workspace_still_reads_its_profile(tmp_path: Path) -> None:
    """On a read-only disk the profile is parsed every time, and nothing is written."""
    with tmpfs(tmp_path / "mnt") as mount:
        made = ws.init(mount / "ws")
        remount_ro(mount)
        assert made.county().name == "开阳县"
        assert not (made.root / ".pufa-cache").exists()


def test_a_document_json_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    """A TOML date has no JSON form: such a document is not cached (and nothing half-written)."""
    path = tmp_path / "dated.toml"
    cache.keep(path, "day = 2026-11-29\n", {"day": pendulum.date(2026, 11, 29)})
    assert not cache.entry(path).exists()


def test_a_bundled_profile_is_not_cached() -> None:
    """Profiles pufa ships (read by `pufa init`) leave no cache in the installed package."""
    load_county(ws.campaigns_dir() / "kaiyang" / ws.PROFILE)
    assert not (ws.campaigns_dir() / "kaiyang" / ".pufa-cache").exists()
