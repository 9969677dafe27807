"""Secrets: a store password is never printed, in any spelling, and never lands in a file others
can read; an unexpected error is one line, never a traceback (issue 10, points 4 and 5)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app
from pufa.errors import PufaError
from pufa.store import is_url, open_store, redact
from pufa.store.location import for_driver, scrub, secrets

from .conftest import invoke, tool

SECRET = "Zq7-s3cret"
#: every spelling of a server location with a password, as a user may type it; the server at
#: 127.0.0.1:1 refuses at once
FORMS = {
    "capitalised scheme": f"PostgreSQL://pufa:{SECRET}@127.0.0.1:1/pufa",
    "postgres scheme": f"postgres://pufa:{SECRET}@127.0.0.1:1/pufa",
    "SQLAlchemy scheme": f"postgresql+psycopg://pufa:{SECRET}@127.0.0.1:1/pufa",
    "key=value": f"host=127.0.0.1 port=1 password={SECRET} dbname=pufa",
    "key=value, quoted": f"host=127.0.0.1 port=1 password='{SECRET} x' dbname=pufa",
    "password in the query": f"postgresql://pufa@127.0.0.1:1/pufa?password={SECRET}",
    "percent-encoded": f"postgresql://pufa:{SECRET}%40x@127.0.0.1:1/pufa",
    "unencoded @ in the password": f"postgresql://pufa:{SECRET}@x@127.0.0.1:1/pufa",
    "malformed IPv6 host": f"postgresql://pufa:{SECRET}@[::1/pufa",
    "typo in the scheme": f"postgresq://pufa:{SECRET}@127.0.0.1:1/pufa",
    "missing colon": f"postgresql//pufa:{SECRET}@127.0.0.1:1/pufa",
}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(tmp_path), "PGCONNECT_TIMEOUT": "3"}
    env.pop("PUFA_DB_URL", None)
    return env


@pytest.mark.parametrize("location", FORMS.values(), ids=FORMS.keys())
def test_redact_hides_every_spelling(location: str) -> None:
    """redact() leaves no trace of the password, whatever the form of the location."""
    assert SECRET not in redact(location)
    assert "***" in redact(location)


def test_redact_keeps_what_is_not_secret() -> None:
    """Only the password goes: user, host, port, database and options stay readable."""
    assert redact("host=db port=5432 password='a b' dbname=pufa") == (
        "host=db port=5432 password=*** dbname=pufa"
    )
    assert redact("postgres://u@h/db?password=x&sslmode=require") == (
        "postgres://u@h/db?password=***&sslmode=require"
    )
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redact(Path("/data/pufa.db")) == "/data/pufa.db"


def test_secrets_are_found_as_written_and_decoded() -> None:
    """A quoted, escaped or percent-encoded password is known in both spellings (a driver may
    echo either)."""
    assert set(secrets(r"host=h password='a\'b c'")) == {r"'a\'b c'", "a'b c"}
    assert set(secrets("postgresql://u:p%40w@h/db")) == {"p%40w", "p@w"}


def test_is_url_takes_the_forms_libpq_takes() -> None:
    """URLs of either scheme in any case and key=value strings name a server; paths and other
    schemes do not."""
    assert is_url("PostgreSQL://u@h/db")
    assert is_url("postgres://u@h/db")
    assert is_url("host=h dbname=pufa")
    assert is_url("  dbname = pufa")
    assert not is_url("postgresql+psycopg://u@h/db")
    assert not is_url("pufa.db")
    assert not is_url(Path("host=h"))
    assert for_driver("PostgreSQL://u@h/db") == "postgresql://u@h/db"


def test_scrub_takes_passwords_out_of_any_text() -> None:
    """A driver message or traceback loses every password spelled in it, and the given
    location's password wherever it appears alone."""
    text = f"missing '=' after \"host=h password={SECRET}\"; {SECRET} again; x://u:{SECRET}@h"
    scrubbed = scrub(text, f"host=h password={SECRET}")
    assert SECRET not in scrubbed


@pytest.mark.parametrize("location", FORMS.values(), ids=FORMS.keys())
def test_opening_any_form_raises_without_the_password(location: str) -> None:
    """open_store refuses or fails to reach each form with a PufaError that holds no password,
    and without the driver's exception chained for a traceback to show."""
    pytest.importorskip("psycopg")
    with pytest.raises(PufaError) as raised:
        open_store(location)
    assert SECRET not in str(raised.value)
    assert SECRET not in "".join(traceback.format_exception(raised.value))


@pytest.mark.parametrize("location", FORMS.values(), ids=FORMS.keys())
def test_init_with_any_form_prints_no_password(location: str, tmp_path: Path) -> None:
    """pufa init --db <form>: one red line, exit 1, no password on stdout or stderr, no workspace."""
    pytest.importorskip("psycopg")
    result = CliRunner().invoke(app, ["init", str(tmp_path / "w"), "--db", location])
    assert result.exit_code == 1
    assert result.stderr.startswith("错误:")
    assert result.stderr.count("\n") == 1
    assert SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "w").exists()


def test_a_typo_in_store_url_is_reported_redacted(sqlite_workspace: ws.Workspace) -> None:
    """A mistyped [store] url in pufa.toml is named with its line, its password hidden."""
    config = sqlite_workspace.root / "pufa.toml"
    url = f"postgresq://pufa:{SECRET}@db/pufa"
    config.write_text(config.read_text("utf-8") + f'\n[store]\nurl = "{url}"\n', "utf-8")
    result = invoke(sqlite_workspace.root, "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:{config}:7: store.url = “postgresq://pufa:***@db/pufa”: 应为 postgresql:// 开头的 URL\n"
    )


def test_pufa_db_url_in_key_value_form_is_redacted(
    sqlite_workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PUFA_DB_URL as a libpq key=value string is used as a server, and its password never shown."""
    pytest.importorskip("psycopg")
    monkeypatch.setenv("PUFA_DB_URL", f"host=127.0.0.1 port=1 password={SECRET} dbname=pufa")
    result = invoke(sqlite_workspace.root, "list")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误:无法连接 PostgreSQL host=127.0.0.1 port=1 password=*** dbname=pufa:"
    )
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.slow
def test_installed_pufa_with_a_malformed_ipv6_url_prints_one_line(tmp_path: Path) -> None:
    """The issue's probe, run as the user does: `pufa list` with PUFA_DB_URL's host missing its
    "]" printed a traceback holding the password; now one line, exit 1."""
    ws.init(tmp_path / "w")
    env = {**_env(tmp_path), "PUFA_DB_URL": FORMS["malformed IPv6 host"]}
    result = subprocess.run(
        [tool("pufa"), "-w", str(tmp_path / "w"), "list"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("错误:无法连接 PostgreSQL postgresql://pufa:***@[::1/pufa:")
    assert result.stderr.count("\n") == 1
    assert SECRET not in result.stdout + result.stderr


PROBE = """
import sys
from pufa.cli import commands
from pufa.cli.entry import main

@commands.app.command("boom")
def boom() -> None:
    # a fault outside any errors() block, its message holding a location with a password
    raise ValueError("cannot parse host=h password={secret} dbname=x")

sys.argv = ["pufa", *sys.argv[1:], "boom"]
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "--debug"])
def test_the_console_entry_turns_any_exception_into_one_line(tmp_path: Path, debug: bool) -> None:
    """pufa.cli.entry.main, the console script's entry, catches what escapes every errors() block
    (a real exception from a command added for the probe, in a real process): one red line
    naming its type, exit 1; with --debug the traceback, its password redacted."""
    probe = PROBE.format(secret=SECRET)
    args = ["--debug"] if debug else []
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], env=_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    if debug:
        assert result.stderr.startswith("Traceback (most recent call last):")
        assert result.stderr.endswith("ValueError: cannot parse host=h password=*** dbname=x\n")
    else:
        assert result.stderr == "错误:内部错误:ValueError;用 --debug 查看详情\n"


def test_an_unexpected_error_inside_a_command_is_one_line(
    sqlite_workspace: ws.Workspace,
) -> None:
    """An OSError pufa did not foresee (pufa.db replaced by a folder) inside a command's errors()
    block: one red line naming the path and the cause, exit 1."""
    database = sqlite_workspace.root / "pufa.db"
    database.unlink()
    database.mkdir()
    result = invoke(sqlite_workspace.root, "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("错误:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


# -- files that may hold a secret ------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.engine("postgresql")
def test_config_with_a_password_is_created_0600(tmp_path: Path, store_location: str | Path) -> None:
    """pufa init --db URL-with-password writes pufa.toml readable by its owner only (0600); the
    test server trusts its user, so the password is carried but not checked."""
    url = store_location.replace("://pufa@", f"://pufa:{SECRET}@", 1)
    made = ws.init(tmp_path / "w", db=url)
    assert _mode(made.root / "pufa.toml") == 0o600
    assert SECRET in (made.root / "pufa.toml").read_text("utf-8")


def test_config_without_a_password_keeps_the_usual_mode(tmp_path: Path) -> None:
    """A SQLite workspace's pufa.toml holds no secret: readable as the umask allows (0644 here),
    so a colleague can read a shared workspace."""
    previous = os.umask(0o022)
    try:
        made = ws.init(tmp_path / "w")
    finally:
        os.umask(previous)
    assert _mode(made.root / "pufa.toml") == 0o644


def test_write_new_creates_a_private_file_at_once(tmp_path: Path) -> None:
    """write_new(private=True) creates the file 0600 whatever the umask, and never overwrites."""
    previous = os.umask(0)
    try:
        ws.write_new(tmp_path / "a.toml", "x = 1\n", private=True)
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "a.toml") == 0o600
    with pytest.raises(FileExistsError):
        ws.write_new(tmp_path / "a.toml", "y = 2\n", private=True)
    assert (tmp_path / "a.toml").read_text("utf-8") == "x = 1\n"


def test_commands_cache_the_county_profile_only(sqlite_workspace: ws.Workspace) -> None:
    """Read commands write into the workspace only the parsed county profile in .pufa-cache, never
    a copy of pufa.toml (which may hold a database password), as the old cache did."""
    before = sorted(p.name for p in sqlite_workspace.root.iterdir())
    for args in (["list"], ["kinds"], ["summary", "--year", "2024"]):
        result = invoke(sqlite_workspace.root, *args)
        assert result.exit_code == 0, result.output
    after = sorted(p.name for p in sqlite_workspace.root.iterdir())
    new = [n for n in after if n not in before and not n.endswith(("-wal", "-shm"))]
    assert new in ([], [".pufa-cache"])
    cache = sqlite_workspace.root / ".pufa-cache"
    kept = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert kept in ([], ["county.toml.json"])
    config = (sqlite_workspace.root / "pufa.toml").read_text(encoding="utf-8")
    assert all(config not in (cache / name).read_text(encoding="utf-8") for name in kept)
