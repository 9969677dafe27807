"""The subscription page feeds/index.html (pufa/feedpage.py): read with real HTML parsers (the
standard library's, and html5lib as a browser would) and, where Chromium is installed, drawn at
phone and desktop width."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import html5lib
import pytest

from pufa import workspace as ws
from pufa.store import Query

from .conftest import invoke_ok

URL = "https://pufa.example.gov.cn/feeds"
HEFENG = "t-520121206"


class Sections(HTMLParser):
    """Each <section id=…>'s links and <svg> count; every src/href on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.links: dict[str, list[str]] = {}
        self.svgs: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("id"):
            self.current = found["id"]
            self.links[self.current], self.svgs[self.current] = [], 0
            self.texts[self.current] = ""
        self.references += [v or "" for k, v in attrs if k in {"src", "href", "xlink:href"}]
        if self.current is not None and tag == "a":
            self.links[self.current].append(found.get("href") or "")
        if self.current is not None and tag == "svg":
            self.svgs[self.current] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.texts[self.current] += data


def sections(root: Path) -> Sections:
    parser = Sections()
    parser.feed((root / "feeds" / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def page(sqlite_workspace: ws.Workspace) -> Path:
    """The 2024 plan applied on 2024-03-06, one planned lecture and one cancelled, published."""
    root = sqlite_workspace.root
    invoke_ok(root, "plan", "apply", str(root / "plan-2024.toml"), "--include-past")
    invoke_ok(root, "log", "school-lecture", "-d", "2024-03-07 09:30", "-t", "禾丰乡", "--planned",
              "--title", "讲座<b>联系13812345678</b>", "--school", "禾丰中学", "--lecturer", "张三丰")  # fmt: skip
    invoke_ok(root, "log", "lecture", "-d", "2024-03-07", "-t", "禾丰乡", "--planned",
              "--title", "已取消的讲座")  # fmt: skip
    with sqlite_workspace.open() as store:
        cancelled = max(e.id or 0 for e in store.events(Query()))
    invoke_ok(root, "cancel", str(cancelled), "--reason", "汛期")
    invoke_ok(root, "feeds", "publish", "--base-url", URL)
    return root


def test_every_feed_has_a_subscribe_pair_and_a_qr_code(page: Path) -> None:
    """The county and each of its 18 townships have a webcal:// and https:// link and an <svg>."""
    found = sections(page)
    feeds = [name for name in found.links if name != "help"]
    assert len(feeds) == 19
    for name in feeds:
        https = [x for x in found.links[name] if x.startswith(URL + "/")]
        webcal = [x for x in found.links[name] if x.startswith("webcal://pufa.example.gov.cn/")]
        assert len(https) == len(webcal) == 1, name
        assert webcal[0].removeprefix("webcal://") == https[0].removeprefix("https://")
        assert found.svgs[name] == 1, name


def test_no_external_reference_but_the_subscribe_links(page: Path) -> None:
    """Every src/href is a feed's subscribe link or an anchor on the page: one self-contained file."""
    feeds = {p.name for p in (page / "feeds").glob("*.ics")}
    for reference in sections(page).references:
        if reference.startswith("#"):
            continue
        scheme, _, rest = reference.partition("://")
        assert scheme in {"https", "webcal"}, reference
        assert rest.removeprefix("pufa.example.gov.cn/feeds/") in feeds, reference


def test_the_page_is_valid_html5(page: Path) -> None:
    """html5lib in strict mode (the WHATWG parsing algorithm) reads the page without an error."""
    data = (page / "feeds" / "index.html").read_bytes()
    html5lib.HTMLParser(strict=True).parse(data)


def test_township_lists_its_next_planned_activities(page: Path) -> None:
    """禾丰乡 lists its next three planned activities from today on, the cancelled one left out."""
    text = sections(page).texts[HEFENG]
    assert "3月7日(周四) 09:30 讲座<b>联系138****5678</b>" in text
    assert "已取消的讲座" not in text
    assert text.count("月") == 3


def test_no_personal_data_and_titles_escaped(page: Path) -> None:
    """A phone number in a title is masked, its markup escaped, and lecturers are not shown."""
    data = (page / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "讲座&lt;b&gt;联系138****5678&lt;/b&gt;" in data
    assert "13812345678" not in data
    assert "张三丰" not in data


def test_same_data_and_time_give_the_same_bytes(page: Path) -> None:
    """Publishing the same records at the same time into another folder gives an identical page."""
    invoke_ok(page, "feeds", "publish", str(page / "again"))
    assert (page / "again" / "index.html").read_bytes() == (
        page / "feeds" / "index.html"
    ).read_bytes()


def test_shows_when_it_was_published(page: Path) -> None:
    """The footer says when the feeds were published, in the county's time."""
    assert "最后发布:2024-03-06 10:00 · 由 pufa 生成" in (page / "feeds" / "index.html").read_text(
        encoding="utf-8"
    )


def test_without_a_base_url_no_qr_codes_and_a_hint(sqlite_workspace: ws.Workspace) -> None:
    """Before a base URL is known the page links the bare files, draws no QR code and says why."""
    invoke_ok(sqlite_workspace.root, "feeds", "publish")
    data = (sqlite_workspace.root / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in data
    assert "还没有对外地址" in data
    assert 'href="520121206-hefeng.ics"' in data


@pytest.mark.usefixtures("today")
def test_current_year_today_and_its_coming_activity(sqlite_workspace: ws.Workspace) -> None:
    """On 2026-11-29 a December 2026 plan is listed, and one in January with its year."""
    root = sqlite_workspace.root
    invoke_ok(root, "log", "lecture", "-d", "2026-12-03", "-t", "禾丰乡", "--planned",
              "--title", "国家宪法日宣讲")  # fmt: skip
    invoke_ok(root, "log", "lecture", "-d", "2027-01-05", "-t", "禾丰乡", "--planned",
              "--title", "新年法治讲座")  # fmt: skip
    invoke_ok(root, "feeds", "publish", "--base-url", URL)
    text = sections(root).texts[HEFENG]
    assert "12月3日(周四) 国家宪法日宣讲" in text
    assert "2027年1月5日(周二) 新年法治讲座" in text
    assert "最后发布:2026-11-29 10:00" in (root / "feeds" / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_new_day_rebuilds_the_page(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing again the next day, with no record changed, moves the coming activities on."""
    monkeypatch.setenv("PUFA_NOW", "2024-03-08T10:00:00+08:00")
    invoke_ok(page, "feeds", "publish")
    text = sections(page).texts[HEFENG]
    assert "3月7日" not in text
    assert text.count("月") == 3


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


#: a page that frames index.html at a given width and writes the frame's scroll width and
#: visible width into its own title
FRAME = (
    '<!DOCTYPE html><html><head><title>?</title></head><body style="margin:0">'
    '<iframe id="f" src="index.html" style="width:WIDTHpx;height:2000px;border:0"></iframe>'
    '<script>document.getElementById("f").onload = function () {'
    "var d = this.contentDocument.documentElement;"
    'document.title = d.scrollWidth + "/" + d.clientWidth; };</script></body></html>'
)


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="没有安装 Chromium")
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_at_phone_and_desktop_width(page: Path, tmp_path: Path, width: int) -> None:
    """Chromium draws the page at 390 px (a phone) and 1280 px wide, nothing wider than the window."""
    shot = tmp_path / f"index-{width}.png"
    index = page / "feeds" / "index.html"
    result = chromium(f"--screenshot={shot}", f"--window-size={width},2000", index.as_uri())
    assert shot.is_file(), result.stderr
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (width, 2000)
    framed = index.parent / "measure.html"  # the page in a frame of that width, measured
    framed.write_text(FRAME.replace("WIDTH", str(width)), encoding="utf-8")
    dom = chromium(
        "--allow-file-access-from-files", "--virtual-time-budget=5000", "--window-size=1400,2000",
        "--dump-dom", framed.as_uri(),
    ).stdout  # fmt: skip
    wide, shown = re.findall(r"<title>(\d+)/(\d+)</title>", dom)[0]
    assert int(wide) <= int(shown)
