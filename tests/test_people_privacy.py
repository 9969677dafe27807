"""Personal data everywhere: the demo with its synthetic roster, every ordinary output grepped for
the roster's names, phones and certificate numbers (only the explicit, logged flags show them)."""

from __future__ import annotations

import html
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pufa import demo, sample
from pufa import workspace as ws

from .conftest import NOW, invoke_ok

#: each ordinary output: a name, and the pufa arguments that make it (files written go to OUT)
OUTPUTS: dict[str, tuple[str, ...]] = {
    "list": ("list", "--year", "2023"),
    "list --json": ("list", "--year", "2023", "--json"),
    "summary": ("summary", "--year", "2023"),
    **{f"summary --by {by}": ("summary", "--year", "2023", "--by", by)
       for by in ("township", "dept", "month", "venue", "kind", "village")},
    "report": ("report", "--year", "2023"),
    "report --explain": ("report", "--year", "2023", "--explain"),
    "duties": ("duties", "--year", "2023"),
    "people list --json": ("people", "list", "--json"),
    "people coverage": ("people", "coverage", "--json"),
}  # fmt: skip
#: outputs written to files: a name, the arguments, and the file or folder written
FILES: dict[str, tuple[tuple[str, ...], str]] = {
    "ledger export": (("ledger", "export", "--year", "2023", "-o", "OUT/台账.xlsx"), "台账.xlsx"),
    "people export": (("people", "export", "-o", "OUT/名册.xlsx"), "名册.xlsx"),
    "feeds publish": (("feeds", "publish", "OUT/feeds"), "feeds"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ws.Workspace]:
    """The demo workspace (SQLite), built once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUFA_NOW", NOW)
        yield demo.init(tmp_path_factory.mktemp("privacy") / "demo")


def _personal(
    made: ws.Workspace, fields: tuple[str, ...] = ("name", "phone", "certificate")
) -> list[str]:
    """Every roster name, phone and certificate number of the demo (or just ``fields``)."""
    roster = sample.roster_2023(made.county())
    return [getattr(p, f) for p in roster for f in fields if getattr(p, f)]


def _text(path: Path) -> str:
    """A file's text; an .xlsx unzipped (every XML part, character references decoded: with lxml
    installed openpyxl writes 示例 as &#31034;&#20363;), a folder every file in it."""
    if path.is_dir():
        return "\n".join(_text(p) for p in sorted(path.rglob("*")) if p.is_file())
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "\n".join(html.unescape(book.read(n).decode("utf-8")) for n in book.namelist())
    return path.read_text(encoding="utf-8", errors="replace")


def _leaks(text: str, personal: list[str]) -> list[str]:
    return [value for value in personal if value in text]


def test_the_demo_roster_meets_the_report(made: ws.Workspace) -> None:
    """The demo's roster: 747 法律明白人, ≥ 5 in all 136 villages, 59 of 60 schools with a 法治副校长."""
    found = json.loads(invoke_ok(made.root, "people", "coverage", "--json").output)
    assert (found["people"], found["met"], found["villages"]) == (747, 136, 136)
    assert (found["schools"]["met"], found["schools"]["schools"]) == (59, 60)


def test_the_demo_roster_is_clearly_fake(made: ws.Workspace) -> None:
    """Every demo person is named 示例人员…, with a phone in the 1380000xxxx test range."""
    roster = sample.roster_2023(made.county())
    assert all(p.name.startswith("示例人员") and p.phone.startswith("1380000") for p in roster)


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_personal_data_in_output(made: ws.Workspace, name: str) -> None:
    """No roster name, phone or certificate number in an ordinary command's output."""
    output = invoke_ok(made.root, *OUTPUTS[name]).output
    assert _leaks(output, _personal(made)) == []


def test_people_list_masks_phones_and_hides_certificates(made: ws.Workspace) -> None:
    """The roster as text names people but shows no full phone and no certificate number."""
    output = invoke_ok(made.root, "people", "list").output
    assert _leaks(output, _personal(made, ("phone", "certificate"))) == []


@pytest.mark.parametrize("name", FILES)
def test_no_personal_data_in_written_files(made: ws.Workspace, tmp_path: Path, name: str) -> None:
    """No roster name, phone or certificate number in a file an ordinary command writes."""
    args, written = FILES[name]
    invoke_ok(made.root, *(a.replace("OUT", str(tmp_path)) for a in args))
    assert _leaks(_text(tmp_path / written), _personal(made)) == []


def test_show_personal_data_shows_them_and_is_logged(made: ws.Workspace) -> None:
    """``people list --show-personal-data`` shows every phone and certificate, and logs the read."""
    before = len(json.loads(invoke_ok(made.root, "people", "access-log", "--json").output))
    output = invoke_ok(made.root, "people", "list", "--show-personal-data").output
    assert _leaks(output, _personal(made)) == _personal(made)
    log = json.loads(invoke_ok(made.root, "people", "access-log", "--json").output)
    assert (len(log) - before, log[-1]["count"]) == (1, 806)


def test_with_personal_data_export_has_them_and_is_logged(
    made: ws.Workspace, tmp_path: Path
) -> None:
    """``people export --with-personal-data`` writes every name, phone and certificate, and logs it."""
    before = len(json.loads(invoke_ok(made.root, "people", "access-log", "--json").output))
    invoke_ok(
        made.root, "people", "export", "-o", str(tmp_path / "全.xlsx"), "--with-personal-data"
    )
    assert _leaks(_text(tmp_path / "全.xlsx"), _personal(made)) == _personal(made)
    log = json.loads(invoke_ok(made.root, "people", "access-log", "--json").output)
    assert len(log) - before == 1
