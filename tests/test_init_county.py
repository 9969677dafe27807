"""pufa init --county: any county from the division codes, an office's own profile checked first,
county-neutral files only, and pufa county check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pufa import ical
from pufa import workspace as ws
from pufa.cli.app import app
from pufa.errors import InvalidInput

from .conftest import TODAY_2026, invoke, invoke_ok


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run on today's date (late 2026)."""
    monkeypatch.setenv("PUFA_NOW", TODAY_2026)


@pytest.fixture(scope="module")
def xifeng(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    """A workspace for 息烽县 (520122), made from the division codes, with one record logged."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUFA_NOW", TODAY_2026)
        patch.setenv("PUFA_USER", "测试员")
        made = ws.init(tmp_path_factory.mktemp("xifeng") / "office", "520122")
        invoke_ok(
            made.root, "log", "seven-into", "--date", "2026-11-20", "--township", "永靖",
            "--title", "法律进学校", "--venue", "学校",
        )  # fmt: skip
    return made


def _files(root: Path) -> list[str]:
    """The workspace's files, without SQLite's journal files and the parsed-profile cache."""
    ignored = (".pufa-cache",)
    return sorted(p.name for p in root.iterdir() if not p.name.endswith(("-wal", "-shm", *ignored)))


def test_another_county_gets_the_neutral_files_only(xifeng: ws.Workspace) -> None:
    """息烽县: its profile, indicators, an empty 2026 targets template and an empty 九五 programme —
    no Kaiyang targets, programme or plan."""
    assert _files(xifeng.root) == [
        "county.toml", "indicators.toml", "programme-2026-2030.toml", "pufa.db", "pufa.toml",
        "targets-2026.toml",
    ]  # fmt: skip


def test_the_profile_has_every_township_and_village(xifeng: ws.Workspace) -> None:
    """息烽县's profile: its code and name, 11 township-level units and 179 村(居)."""
    county = xifeng.county()
    assert (county.code, county.name, county.slug, county.villages) == (
        "520122",
        "息烽县",
        "520122",
        179,
    )
    yongjing = next(t for t in county.townships if t.name == "永靖镇")
    assert (yongjing.code, yongjing.short_name, yongjing.kind) == ("520122100", "永靖", "镇")
    assert sum(len(t.villages) for t in county.townships) == 179


def test_the_workspace_never_says_kaiyang(xifeng: ws.Workspace, tmp_path: Path) -> None:
    """Nothing in the workspace files, the store or a published feed names Kaiyang; they carry 520122."""
    county = xifeng.county()
    with xifeng.open() as store:
        ical.publish(county, store, tmp_path / "feeds")
    written = [*xifeng.root.iterdir(), *(tmp_path / "feeds").iterdir()]
    text = "".join(p.read_bytes().decode("utf-8", "replace") for p in written if p.is_file())
    assert "kaiyang" not in text.lower()
    assert "开阳" not in text
    assert 'county = "520122"' in (xifeng.root / "pufa.toml").read_text(encoding="utf-8")
    assert "520122.ics" in {p.name for p in (tmp_path / "feeds").iterdir()}


def test_the_targets_template_is_for_the_current_year(xifeng: ws.Workspace) -> None:
    """The empty targets template is for 2026 and holds no targets."""
    text = (xifeng.root / "targets-2026.toml").read_text(encoding="utf-8")
    assert "year = 2026" in text
    assert "[[targets]]" not in text.replace("写一个 [[targets]]", "")


def test_a_district_with_park_and_farm_units(tmp_path: Path) -> None:
    """天津市北辰区 (120113): its 园区 and 农场 units are kept with their kinds; departments are 区…."""
    county = ws.init(tmp_path / "beichen", "天津市北辰区").county()
    kinds = {t.name: t.kind for t in county.townships}
    assert kinds["天津风电产业园"] == "园区"
    assert kinds["红旗农场"] == "农场"
    assert county.department("justice").name == "区司法局"


def test_a_county_level_city(tmp_path: Path) -> None:
    """清镇市 (520181): a county-level city, its units and 市 departments."""
    county = ws.init(tmp_path / "qingzhen", "520181").county()
    assert (county.name, len(county.townships), county.department("justice").name) == (
        "清镇市", 12, "市司法局",
    )  # fmt: skip


def test_an_ambiguous_name_is_refused_with_the_candidates(tmp_path: Path) -> None:
    """pufa init --county 朝阳区 names both districts and their codes, exits 1, writes nothing."""
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--county", "朝阳区"])
    assert result.exit_code == 1
    assert "北京市朝阳区(110105)、吉林省长春市朝阳区(220104)" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("county", ["kaiyang", "开阳县", "520121"])
def test_kaiyang_keeps_its_curated_profile_with_136_villages(county: str, tmp_path: Path) -> None:
    """kaiyang, 开阳县 and 520121 all give the hand-curated profile, now with its 136 村(居)."""
    made = ws.init(tmp_path / "office", county)
    profile = made.county()
    assert made.county_slug == "kaiyang"
    assert sum(len(t.villages) for t in profile.townships) == profile.villages == 136
    assert profile.township("520121207").aliases == ("南江乡",)


def test_a_bad_own_profile_leaves_no_half_made_workspace(tmp_path: Path) -> None:
    """An office's own county.toml with errors is refused before pufa.db or pufa.toml is written."""
    folder = tmp_path / "office"
    folder.mkdir()
    bad = (ws.campaigns_dir() / "kaiyang" / "county.toml").read_text(encoding="utf-8")
    (folder / "county.toml").write_text(
        bad.replace('kind = "镇"', 'kind = "村"', 1), encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match=r"county\.toml:"):
        ws.init(folder)
    assert _files(folder) == ["county.toml"]


def test_a_good_own_profile_is_kept(tmp_path: Path) -> None:
    """An office's own valid county.toml is used and kept as it is."""
    folder = tmp_path / "office"
    folder.mkdir()
    ws.init(tmp_path / "first", "520122")
    own = (tmp_path / "first" / "county.toml").read_text(encoding="utf-8") + "# 本县修改\n"
    (folder / "county.toml").write_text(own, encoding="utf-8")
    made = ws.init(folder)
    assert made.county().name == "息烽县"
    assert (folder / "county.toml").read_text(encoding="utf-8") == own


def test_an_own_profile_of_another_county_is_refused(tmp_path: Path) -> None:
    """--county naming another county than the folder's own county.toml is refused, nothing written."""
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "county.toml").write_bytes(
        (ws.campaigns_dir() / "kaiyang" / "county.toml").read_bytes()
    )
    with pytest.raises(InvalidInput, match=r"开阳县\(520121\)"):
        ws.init(folder, "520122")
    assert _files(folder) == ["county.toml"]


def test_county_check_passes_a_good_profile(xifeng: ws.Workspace) -> None:
    """pufa county check on a good profile says so, with its counts, and exits 0."""
    result = invoke_ok(xifeng.root, "county", "check")
    assert "没有发现问题。息烽县(520122),11 个乡镇级单位、179 个村(居)" in result.output


def test_county_check_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    """Two mistakes in county.toml: both reported with file:line, exit 1."""
    made = ws.init(tmp_path / "office", "520122")
    path = made.root / "county.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kind = next(n for n, line in enumerate(lines) if line == 'kind = "镇"')
    village = next(n for n, line in enumerate(lines) if line.startswith("  { code = "))
    lines[kind] = 'kind = "村"'
    lines[village] = lines[village].replace('code = "520122', 'code = "999999', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(made.root, "county", "check")
    assert result.exit_code == 1
    assert f"county.toml:{kind + 1}" in result.output
    assert f"county.toml:{village + 1}" in result.output
