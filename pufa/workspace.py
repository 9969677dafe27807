"""Workspaces: a folder with ``pufa.toml`` (settings), the county profile and ``pufa.db``.

Found like git finds a repository: ``--workspace``, then ``PUFA_WORKSPACE``, then the current
folder and its parents.
"""

from __future__ import annotations

import os
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

    @property
    def location(self) -> str | Path:
        """Where the store is: a PostgreSQL URL or the SQLite file."""
        return os.environ.get("PUFA_DB_URL") or self.url or self.database

    def county(self) -> County:
        """The county profile of this workspace (validated; errors carry file and line)."""
        return load_county(self.profile)

    def open(self) -> Store:
        return open_store(self.location)


def init(
    root: Path, county: str = "kaiyang", *, demo: bool = False, db: str | None = None
) -> Workspace:
    """Create a workspace in ``root``: ``pufa.toml``, copies of the county's campaign files (the
    profile ``county.toml``, ``indicators.toml``, ``targets-<year>.toml``) for the office to edit,
    and the store — ``pufa.db`` (SQLite), or pufa's tables in the PostgreSQL database at ``db``."""
    source = campaigns_dir() / county / PROFILE
    if not source.is_file():
        raise InvalidInput.one(
            "县 (--county)", county, f"应为 pufa 自带的县情配置之一:{'、'.join(bundled_counties())}"
        )
    if db and not is_url(db):
        raise InvalidInput.one(
            "数据库 (--db)", redact(db), "应为 postgresql://用户@主机:端口/库名 形式的 URL"
        )
    profile = load_county(source)  # refuse to start from a broken profile
    config = root / CONFIG
    if config.exists():
        raise WorkspaceError(f"{root} 已经是 pufa 工作区(有 {CONFIG}):不会覆盖。")
    lines = [
        "# pufa 工作区配置。county.toml 是本县的县情配置副本,可增补部门。",
        f'county = "{county}"',
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
        create_store(db or root / DATABASE, county, profile.timezone).close()
    except BaseException:
        if not existed:
            root.rmdir()  # nothing was written in it yet
        raise
    import shutil

    # county.toml, indicators.toml, targets-*.toml: an office's own copy in the folder is kept
    for path in sorted(source.parent.glob("*.toml")):
        if not (root / path.name).exists():
            shutil.copyfile(path, root / path.name)
    write_new(config, "\n".join(lines) + "\n", private=bool(db and secrets(db)))
    return read(root)


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
    reader.table(data, (), {"county", "profile", "database", "demo", "store"})
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
    county = reader.text(data, (), "county")
    profile = reader.text(data, (), "profile", PROFILE)
    database = reader.text(data, (), "database", DATABASE)
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        reader.problem(("demo",), demo, "应为 true 或 false")
    reader.fail_if_any()
    return Workspace(root, county, root / profile, root / database, demo is True, url or None)


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


def stamp(by: str | None = None) -> Stamp:
    return Stamp(now(), actor(by))
