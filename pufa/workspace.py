"""Workspaces: a folder with ``pufa.toml`` (settings), the county profile and ``pufa.db``.

Found like git finds a repository: ``--workspace``, then ``PUFA_WORKSPACE``, then the current
folder and its parents.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pendulum

from pufa.errors import InvalidInput, Problem, WorkspaceError
from pufa.event import Stamp
from pufa.load import load_county, read_toml
from pufa.model import ACTOR_MAX, County, text_problems
from pufa.store import Store, create_store, is_url, open_store, redact
from pufa.store.location import secrets
from pufa.value import valueclass

CONFIG = "pufa.toml"
DATABASE = "pufa.db"
PROFILE = "county.toml"
#: the venues and departments a county made from the division codes starts with
TEMPLATE = "county-template.toml"


def campaigns_dir() -> Path:
    """The campaign data shipped with pufa: inside the wheel, or the checkout's ``campaigns/``."""
    bundled = Path(__file__).parent / "_campaigns"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "campaigns"


def bundled_counties() -> list[str]:
    """Slugs of the county profiles pufa ships (folders of ``campaigns/`` with a county.toml)."""
    return sorted(p.parent.name for p in campaigns_dir().glob("*/county.toml"))


@valueclass
class Workspace:
    """A workspace folder and what its ``pufa.toml`` says.

    The store is the SQLite file ``database`` unless a server URL is set: ``PUFA_DB_URL``, else
    ``[store] url`` in ``pufa.toml``.
    """

    root: Path
    county_slug: str
    profile: Path
    database: Path
    demo: bool = False
    url: str | None = None
    #: ``[feeds] base_url``: the public address of the published feeds (``feeds publish`` keeps it)
    feeds_url: str | None = None

    @property
    def location(self) -> str | Path:
        """Where the store is: a PostgreSQL URL or the SQLite file."""
        return os.environ.get("PUFA_DB_URL") or self.url or self.database

    def county(self) -> County:
        """The county profile of this workspace (validated; errors carry file and line; its parsed
        TOML kept in the workspace's ``.pufa-cache/``)."""
        return load_county(self.profile, cached=True)

    def open(self) -> Store:
        return open_store(self.location)


@valueclass
class Start:
    """What ``init`` writes: the county profile in effect and the campaign files (name → text)."""

    profile: County
    files: dict[str, str]


def init(
    root: Path, county: str | None = None, *, demo: bool = False, db: str | None = None
) -> Workspace:
    """Create a workspace in ``root``: ``pufa.toml``, the county's campaign files for the office
    to edit, and the store — ``pufa.db`` (SQLite), or pufa's tables in the PostgreSQL database at
    ``db``. ``county`` is a bundled profile's slug (``kaiyang``) or any county of the division
    codes (``520122``, ``息烽县``, ``贵州省贵阳市息烽县``); left out, the folder's own
    ``county.toml`` (checked before anything is written), else 开阳县. A bundled county gets its
    shipped files; any other only the county-neutral ones (``indicators.toml``, an empty targets
    template for the current year). A file already in the folder is kept."""
    if db and not is_url(db):
        raise InvalidInput.one(
            "数据库 (--db)", redact(db), "应为 postgresql://用户@主机:端口/库名 形式的 URL"
        )
    config = root / CONFIG
    if config.exists():
        raise WorkspaceError(f"{root} 已经是 pufa 工作区(有 {CONFIG}):不会覆盖。")
    start = _start(root, county)
    slug = start.profile.slug
    lines = [
        "# pufa 工作区配置。county.toml 是本县的县情配置副本,可增补部门。",
        f'county = "{slug}"',
        f'profile = "{PROFILE}"',
        f'database = "{DATABASE}"',
    ]
    if demo:
        lines.insert(1, "# 示例工作区:由 pufa demo 生成,数据均为示例。")
        lines.append("demo = true")
    if db:
        lines += [
            "",
            "[store]",
            "# 县级共享数据库(PostgreSQL)。密码请放在 ~/.pgpass 或 PGPASSWORD 中。",
            f'url = "{db}"',
        ]
    existed = root.exists()
    root.mkdir(parents=True, exist_ok=True)
    try:
        create_store(db or root / DATABASE, slug, start.profile.timezone).close()
    except BaseException:
        if not existed:
            root.rmdir()  # nothing was written in it yet
        raise
    for name, text in sorted(start.files.items()):  # an office's own copy in the folder is kept
        if not (root / name).exists():
            (root / name).write_text(text, encoding="utf-8")
    write_new(config, "\n".join(lines) + "\n", private=bool(db and secrets(db)))
    return read(root)


def _start(root: Path, county: str | None) -> Start:
    """The profile and files for ``init``; every check made before anything is written."""
    own = root / PROFILE
    if own.is_file():
        profile = load_county(own)  # a bad profile of the office's own: refused, nothing written
        if county is not None and _code_of(county) != profile.code:
            raise InvalidInput.one(
                "县 (--county)",
                county,
                f"应与文件夹中已有的 {own} 一致:{profile.name}({profile.code})",
                "不写 --county 即用已有的县情配置",
            )
        return Start(profile, _campaign_files(profile.slug) or _neutral_files(profile))
    bundled = _bundled(county or "kaiyang")
    if bundled is not None:
        return Start(load_county(bundled / PROFILE), _campaign_files(bundled.name))
    from pufa import (
        divisions,
    )  # the division tables (about 3 ms to import): only `pufa init` needs them

    area = divisions.find_county(county or "", bundled_counties())
    text = divisions.profile_text(
        area,
        divisions.townships(area),
        (campaigns_dir() / TEMPLATE).read_text(encoding="utf-8"),
    )
    import tempfile  # (with random, about 1.4 ms to import): only `pufa init` needs it

    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / PROFILE
        made.write_text(text, encoding="utf-8")
        profile = load_county(made)
    return Start(profile, {PROFILE: text, **_neutral_files(profile)})


def _bundled(county: str) -> Path | None:
    """The folder of the bundled profile ``county`` names: its slug, or (for a name or code of
    the division codes) the bundled profile with that code."""
    folder = campaigns_dir() / county
    if (folder / PROFILE).is_file():
        return folder
    code = _code_of(county)
    for slug in bundled_counties():
        if load_county(campaigns_dir() / slug / PROFILE).code == code:
            return campaigns_dir() / slug
    return None


def _code_of(county: str) -> str:
    """The 6-digit code of a county given by slug (bundled), code or name."""
    if (campaigns_dir() / county / PROFILE).is_file():
        return load_county(campaigns_dir() / county / PROFILE).code
    from pufa import divisions  # only `pufa init` needs the division tables

    return divisions.find_county(county, bundled_counties()).code


def _campaign_files(slug: str) -> dict[str, str]:
    """The bundled campaign files of ``slug`` (empty when pufa ships none for it)."""
    folder = campaigns_dir() / slug
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.toml"))}


def _neutral_files(county: County) -> dict[str, str]:
    """What any county starts from: the indicator definitions, an empty targets template for
    the current year and an empty programme for the current five-year period (never another
    county's targets, programme or plan)."""
    import tomllib  # only `pufa init` of another county: `pufa log` must not load pufa.targets

    from pufa import programme

    indicators = (campaigns_dir() / "kaiyang" / "indicators.toml").read_text(encoding="utf-8")
    year = this_year(county.timezone)
    targets = (
        f"# {county.name} {year} 年普法工作目标 — 空模板(pufa init 生成)。按本县年度工作要点,\n"
        "# 每项目标写一个 [[targets]]:indicator(见 indicators.toml)、figure、comparator、unit、\n"
        "# quote(原文)。格式见 docs/targets.md。\n\n"
        f"year = {year}\n"
        'basis = "待填写"\n'
    )
    first, last = programme.current_period(year)
    listed = [
        (str(i["key"]), str(i["name"]), str(i["unit"]))
        for i in tomllib.loads(indicators).get("indicators", [])
    ]
    return {
        "indicators.toml": indicators.replace("开阳县 普法指标", "普法指标", 1),
        f"targets-{year}.toml": targets,
        f"programme-{first}-{last}.toml": programme.template_text(county.name, first, last, listed),
    }


def write_new(path: Path, text: str, *, private: bool) -> None:
    """Create ``path`` holding ``text``; refuses an existing file. A ``private`` file (one that
    holds a password) is created mode 0600 in the same system call, never readable by others
    for a moment; any other file gets the usual 0666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, 0o600 if private else 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written config left behind
        raise


def read(root: Path) -> Workspace:
    """The workspace whose ``pufa.toml`` is in ``root``; every problem in it reported with its line."""
    path = root / CONFIG
    data, reader = read_toml(path)
    reader.table(data, (), {"county", "profile", "database", "demo", "store", "feeds"})
    store = data.get("store", {})
    url = None
    if not isinstance(store, dict):
        reader.problem(("store",), store, "应为 [store] 表")
    else:
        reader.table(store, ("store",), {"url"})
        if "url" in store:
            url = reader.text(store, ("store",), "url")
            if url and not is_url(url):
                reader.problem(("store", "url"), redact(url), "应为 postgresql:// 开头的 URL")
    feeds = data.get("feeds", {})
    feeds_url = None
    if not isinstance(feeds, dict):
        reader.problem(("feeds",), feeds, "应为 [feeds] 表")
    else:
        reader.table(feeds, ("feeds",), {"base_url"})
        feeds_url = reader.text(feeds, ("feeds",), "base_url") if "base_url" in feeds else None
    county = reader.text(data, (), "county")
    profile = reader.text(data, (), "profile", PROFILE)
    database = reader.text(data, (), "database", DATABASE)
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        reader.problem(("demo",), demo, "应为 true 或 false")
    reader.fail_if_any()
    where = (root / profile, root / database)
    return Workspace(root, county, *where, demo is True, url or None, feeds_url or None)


#: what a feeds base URL may start with: https, or plain http on this machine (for trying out)
_FEEDS_URL = r"^(https://[^/\s:]+|http://(localhost|127\.0\.0\.1))(:\d{1,5})?(/\S*)?$"


def check_feeds_url(url: str) -> str:
    """``url`` without a trailing slash; :class:`InvalidInput` unless it is ``https://`` (or
    ``http://localhost`` / ``http://127.0.0.1``) with nothing a TOML string would need escaped."""
    text = url.strip().rstrip("/")
    if not re.match(_FEEDS_URL, text) or any(c in text for c in "\"'<>"):
        raise InvalidInput.one(
            "base_url",
            url,
            "应以 https:// 开头(手机日历订阅需要;本机试用可写 http://localhost 或 http://127.0.0.1)",
            "如 https://pufa.example.gov.cn/feeds",
        )
    return text


def remember_feeds_url(found: Workspace, url: str) -> Workspace:
    """Write ``[feeds] base_url = url`` into ``pufa.toml`` (replacing the one there), keeping the
    rest of the file and its permissions; the file is replaced whole, never half-written."""
    path = found.root / CONFIG
    text = path.read_text(encoding="utf-8")
    line = f'base_url = "{url}"'
    if found.feeds_url is not None:
        text = re.sub(r"(?m)^base_url\s*=.*$", lambda _: line, text, count=1)
    else:
        text = (
            text.rstrip("\n")
            + f"\n\n[feeds]\n# 日历订阅的对外地址(pufa feeds publish --base-url 设置)\n{line}\n"
        )
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    write_new(temporary, text, private=bool(found.url and secrets(found.url)))
    os.replace(temporary, path)
    return read(found.root)


def find(explicit: str | None = None, start: Path | None = None) -> Workspace:
    """The workspace to use: ``explicit`` (or ``PUFA_WORKSPACE``), else the nearest one upward."""
    chosen = explicit or os.environ.get("PUFA_WORKSPACE")
    if chosen:
        root = Path(chosen).expanduser()
        if not (root / CONFIG).is_file():
            raise WorkspaceError(
                f"{root} 不是 pufa 工作区(没有 {CONFIG})。请先运行:pufa init {root}"
            )
        return read(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return read(folder)
    raise WorkspaceError(
        f"在 {here} 及其上级目录中没有找到 pufa 工作区({CONFIG})。"
        "请先运行 pufa init 创建,或用 --workspace / PUFA_WORKSPACE 指定。"
    )


def actor(by: str | None = None) -> str:
    """Who is acting: ``--by``, else ``PUFA_USER``, else the operating-system user; a name with
    control characters or over :data:`~pufa.model.ACTOR_MAX` characters is refused."""
    name = (by or os.environ.get("PUFA_USER") or "").strip()
    if name:
        problems = text_problems("操作人 (--by/PUFA_USER)", name, max_len=ACTOR_MAX)
        if problems:
            raise InvalidInput(problems)
        return name
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser() reads first
        if name := os.environ.get(variable, "").strip():
            return name
    import getpass  # not imported for every command: it loads termios

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in a bare container
        return "unknown"


def now() -> pendulum.DateTime:
    """The current time in UTC; ``PUFA_NOW`` (ISO 8601) fixes it for tests and reproducible demos."""
    fixed = os.environ.get("PUFA_NOW")
    if fixed:
        try:
            parsed = pendulum.parse(fixed)
        except ValueError:
            parsed = None
        if not isinstance(parsed, pendulum.DateTime):
            raise InvalidInput(
                [Problem("PUFA_NOW", fixed, "应为 ISO 8601 日期时间,如 2024-03-05T09:30:00+08:00")]
            )
        return parsed.in_timezone("UTC")
    return pendulum.now("UTC")


def this_year(timezone: str = "Asia/Shanghai") -> int:
    """The current year where the county is (``PUFA_NOW`` fixes it): the default ``--year``."""
    return now().in_timezone(timezone).year


def today(timezone: str = "Asia/Shanghai") -> pendulum.Date:
    """Today's date where the county is (``PUFA_NOW`` fixes it): no 已开展 activity is later."""
    return now().in_timezone(timezone).date()


def stamp(by: str | None = None) -> Stamp:
    return Stamp(now(), actor(by))
