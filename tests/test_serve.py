"""pufa.serve and `pufa feeds serve`: feeds over real HTTP on loopback — ETags and 304s, a burst of
200 clients, slow and silent clients, and bad options refused in one line."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app
from pufa.serve import etag

from .conftest import serving, tool
from .test_ical import HEFENG, feed, published  # noqa: F401 — `published` is a fixture

#: more than the kernel buffers of a loopback connection hold, so a client that stops reading
#: leaves the server blocked in the middle of the body
BIG = 32 * 1024 * 1024


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    return conn.getresponse()


def pattern(size: int, seed: int = 0) -> bytes:
    """``size`` deterministic bytes that differ with ``seed``."""
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB
    return (block * (size // len(block) + 1))[:size]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A published-looking folder: index.html, a 200 KB feed and a 32 MiB one."""
    out = tmp_path / "feeds"
    out.mkdir()
    (out / "index.html").write_bytes(b"<!doctype html><title>feeds</title>\n")
    (out / "small.ics").write_bytes(pattern(200_000, 1))
    (out / "big.ics").write_bytes(pattern(BIG, 2))
    return out


def stalled(port: int, path: str = "/big.ics") -> socket.socket:
    """A client that asks for ``path`` and then reads nothing."""
    client = socket.create_connection(("127.0.0.1", port), timeout=30)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
    return client


# -- what a phone calendar sees -----------------------------------------------------------------


@pytest.fixture
def running(published: ws.Workspace) -> Iterator[int]:  # noqa: F811 — the imported fixture
    with serving(published.root / "feeds") as port:
        yield port


def test_serve_feed_with_etag_and_last_modified(running: int, published: ws.Workspace) -> None:  # noqa: F811
    """200 with text/calendar; charset=utf-8, a strong ETag and Last-Modified; the exact bytes."""
    response = get(running, "/" + HEFENG)
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/calendar; charset=utf-8"
    etag = response.getheader("ETag") or ""
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert response.getheader("Last-Modified")
    assert response.read() == feed(published)


def test_serve_304s(running: int) -> None:
    """A matching If-None-Match, or an If-Modified-Since not older than the file, gives 304."""
    first = get(running, "/" + HEFENG)
    first.read()
    etag, modified = first.getheader("ETag") or "", first.getheader("Last-Modified") or ""
    assert get(running, "/" + HEFENG, **{"If-None-Match": etag}).status == 304
    assert get(running, "/" + HEFENG, **{"If-Modified-Since": modified}).status == 304
    assert get(running, "/" + HEFENG, **{"If-None-Match": '"other"'}).status == 200


def test_serve_only_feeds_and_the_index(running: int) -> None:
    """index.html is served; anything else, and any path traversal, is a 404."""
    assert get(running, "/").status == 200
    for path in (
        "/../pufa.toml",
        "/%2e%2e/pufa.toml",
        "/..%2fpufa.db",
        "/pufa.db",
        "/feeds/x.ics",
        "/nothing.ics",
    ):
        response = get(running, path)
        response.read()
        assert response.status == 404, path


def test_a_big_feed_is_sent_whole_with_the_hash_of_its_bytes(folder: Path) -> None:
    """A 32 MiB file (sent and hashed in chunks) arrives byte for byte, its ETag the SHA-256 of them."""
    with serving(folder) as port:
        response = get(port, "/big.ics")
        body = response.read()
    assert body == pattern(BIG, 2)
    assert response.getheader("Content-Length") == str(BIG)
    assert response.getheader("ETag") == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def test_a_replaced_feed_gets_a_new_etag(folder: Path) -> None:
    """A feed replaced by one of the same size (as publish does: write, rename) is a new version:
    new bytes, new ETag, and the old ETag no longer gives a 304."""
    with serving(folder) as port:
        first = get(port, "/small.ics")
        first.read()
        replacement = folder / ".new.ics"
        replacement.write_bytes(pattern(200_000, 3))
        os.replace(replacement, folder / "small.ics")
        second = get(port, "/small.ics", **{"If-None-Match": first.getheader("ETag") or ""})
        assert second.status == 200
        assert second.read() == pattern(200_000, 3)
    assert second.getheader("ETag") != first.getheader("ETag")


# -- many, slow and silent clients --------------------------------------------------------------


def test_two_hundred_concurrent_requests_are_all_answered(folder: Path) -> None:
    """200 clients at once (more than the workers: the rest wait in the backlog) all get 200 and
    the exact bytes."""
    expected = (folder / "small.ics").read_bytes()
    start = threading.Barrier(200)
    answers: list[tuple[int, bool]] = []
    failures: list[BaseException] = []

    def client(port: int) -> None:
        try:
            start.wait()
            response = get(port, "/small.ics")
            answers.append((response.status, response.read() == expected))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    with serving(folder) as port:
        threads = [threading.Thread(target=client, args=(port,)) for _ in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert answers == [(200, True)] * 200


def test_a_slow_reader_does_not_block_others(folder: Path) -> None:
    """While one client takes the big feed and reads none of it, others are served."""
    with serving(folder) as port:
        slow = stalled(port)
        try:
            statuses = []
            for _ in range(10):
                response = get(port, "/small.ics")
                response.read()
                statuses.append(response.status)
        finally:
            slow.close()
    assert statuses == [200] * 10


def test_a_silent_client_is_dropped_after_the_idle_timeout(folder: Path) -> None:
    """A client that connects and sends nothing is disconnected (here after 1 s)."""
    with serving(folder, idle_timeout=1.0) as port:
        silent = socket.create_connection(("127.0.0.1", port), timeout=30)
        try:
            assert silent.recv(1024) == b""  # the server closed the connection
        finally:
            silent.close()


def test_a_silent_client_frees_its_worker(folder: Path) -> None:
    """With one worker, a silent client holds it only until the idle timeout; then others are served."""
    with serving(folder, idle_timeout=1.0, workers=1) as port:
        silent = socket.create_connection(("127.0.0.1", port), timeout=30)
        try:
            response = get(port, "/")
            assert response.status == 200
        finally:
            silent.close()


def test_a_client_that_stops_reading_frees_its_worker(folder: Path) -> None:
    """With one worker, a client that stops reading the big feed is dropped after the idle timeout."""
    with serving(folder, idle_timeout=1.0, workers=1) as port:
        slow = stalled(port)
        try:
            response = get(port, "/")
            assert response.status == 200
        finally:
            slow.close()


# -- `pufa feeds serve` refuses what it cannot serve on, in one line ----------------------------


def serve(folder: Path, *options: str) -> Any:
    return CliRunner().invoke(app, ["feeds", "serve", str(folder), *options])


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_outside_the_range_is_one_line(folder: Path, port: str) -> None:
    """--port 70000 or -1: the option, the value and 1–65535, exit 1."""
    result = serve(folder, "--port", port)
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:端口 (--port) = {port}: 应为 1–65535 之间的整数 — 如 8080(0 = 任选一个空闲端口)\n"
    )


def test_a_port_in_use_is_one_line(folder: Path) -> None:
    """A port another program listens on: named, with what to do, exit 1."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = serve(folder, "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:端口 (--port) = {port}: 已被另一个程序占用 — 换一个 1–65535 之间的空闲端口,如 8081\n"
    )


def test_a_host_of_another_machine_is_one_line(folder: Path) -> None:
    """--host 192.0.2.1 (a documentation address, not this machine's): named, with a hint, exit 1."""
    result = serve(folder, "--host", "192.0.2.1", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:监听地址 (--host) = “192.0.2.1”: 不是这台机器的地址,无法在此监听"
        " — 用 127.0.0.1(只有本机)或 0.0.0.0(所有网卡)\n"
    )


@pytest.mark.slow
def test_the_installed_command_refuses_port_70000(folder: Path) -> None:
    """The installed `pufa feeds serve --port 70000`: one red line, no traceback, exit 1."""
    result = subprocess.run(
        [tool("pufa"), "feeds", "serve", str(folder), "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "错误:端口 (--port) = 70000: 应为 1–65535 之间的整数 — 如 8080(0 = 任选一个空闲端口)\n"
    )


def test_an_etag_is_the_quoted_start_of_the_bytes_sha256() -> None:
    """pufa.serve.etag: strong (no W/), quoted, the first 32 hex digits of the SHA-256."""
    assert (
        etag([b"BEGIN:VCALENDAR"])
        == '"' + hashlib.sha256(b"BEGIN:VCALENDAR").hexdigest()[:32] + '"'
    )


def test_an_etag_does_not_depend_on_how_the_bytes_are_cut() -> None:
    """Hashed in chunks or whole, the same bytes give the same ETag."""
    assert etag([b"BEGIN:", b"VCAL", b"ENDAR"]) == etag([b"BEGIN:VCALENDAR"])


# -- validators: weak If-None-Match, If-Modified-Since (RFC 9110) -------------------------------


def _validators(port: int) -> tuple[str, str]:
    first = get(port, "/" + HEFENG)
    first.read()
    return first.getheader("ETag") or "", first.getheader("Last-Modified") or ""


def test_a_weak_if_none_match_gives_304(running: int) -> None:
    """W/"x" matches the strong "x" under the weak comparison If-None-Match uses."""
    etag, _ = _validators(running)
    assert get(running, "/" + HEFENG, **{"If-None-Match": "W/" + etag}).status == 304


def test_a_listed_or_star_if_none_match_gives_304(running: int) -> None:
    """A list holding the tag (weak or not), or *, gives 304; a list without it gives 200."""
    etag, _ = _validators(running)
    for value in (f'"a", W/{etag}', f'W/"b" , {etag}', "*"):
        assert get(running, "/" + HEFENG, **{"If-None-Match": value}).status == 304, value
    assert get(running, "/" + HEFENG, **{"If-None-Match": 'W/"a", "b"'}).status == 200


def test_if_none_match_wins_over_if_modified_since(running: int) -> None:
    """A non-matching If-None-Match gives 200 even with an If-Modified-Since that would be 304."""
    _, modified = _validators(running)
    headers = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert get(running, "/" + HEFENG, **headers).status == 200


def test_an_older_if_modified_since_gives_200(running: int) -> None:
    """If-Modified-Since before the file's Last-Modified gives the feed (200) with Last-Modified."""
    response = get(running, "/" + HEFENG, **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert response.status == 200
    assert response.getheader("Last-Modified")


def test_a_304_carries_the_etag_and_last_modified(running: int) -> None:
    """A 304 repeats the ETag and Last-Modified a 200 would have sent, with no body."""
    etag, modified = _validators(running)
    response = get(running, "/" + HEFENG, **{"If-Modified-Since": modified})
    assert (response.status, response.getheader("ETag")) == (304, etag)
    assert response.getheader("Last-Modified") == modified
    assert response.read() == b""
