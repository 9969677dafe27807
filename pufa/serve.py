"""Serve a published feeds folder over HTTP: text/calendar, strong ETags, Last-Modified, 304s
(If-None-Match compared weakly, as RFC 9110 prescribes; If-Modified-Since when there is none).

Only the feeds (``*.ics``) and ``index.html`` of the folder are served; anything else — other
files, sub-folders, ``..`` — is a 404. Standard library only (``http.server``).

Built to stay up under load on a small machine: a listen backlog of :data:`BACKLOG` so a burst of
clients waits in the kernel instead of being refused; a fixed pool of :data:`WORKERS` threads
(connections beyond it wait in that backlog, not in one thread each); files sent in
:data:`CHUNK`-sized pieces from the open file, never read whole; ETags hashed in chunks once per
file version and remembered by ``(path, inode, mtime_ns, size)``; and a client silent for
``idle_timeout`` seconds is dropped, so it cannot hold a worker for ever.
"""

from __future__ import annotations

import email.utils
import errno
import hashlib
import os
import queue
import shutil
import socket
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from pufa.errors import InvalidInput

TYPES = {".ics": "text/calendar; charset=utf-8", ".html": "text/html; charset=utf-8"}
#: pending connections the kernel keeps while every worker is busy (Linux caps it at somaxconn)
BACKLOG = 512
#: worker threads: connections served at once
WORKERS = 64
#: bytes read from a file and written to a client at a time
CHUNK = 64 * 1024
#: seconds a client may stay silent (sending its request, or not reading the answer)
IDLE_TIMEOUT = 30.0
#: file versions whose ETag is remembered (a county has ~20 feeds)
_ETAGS_KEPT = 256


def etag(chunks: Iterable[bytes]) -> str:
    """A strong ETag for the bytes ``chunks`` join to: the first 32 hex digits of their SHA-256,
    quoted (the one place a feed's ETag is made)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return '"' + digest.hexdigest()[:32] + '"'


def weak_match(header: str, etag: str) -> bool:
    """Whether an If-None-Match value matches ``etag`` by RFC 9110's weak comparison: ``*``, or
    any listed tag equal to it once a ``W/`` prefix is dropped from either."""
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in header.split(","))


class _Etags:
    """:func:`etag` of each file version, hashed once (in :data:`CHUNK`-sized pieces) and remembered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, int, int, int], str] = {}

    def of(self, path: Path, handle: BinaryIO, stat: os.stat_result) -> str:
        key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._known.get(key)
        if known is not None:
            return known
        handle.seek(0)
        made = etag(iter(lambda: handle.read(CHUNK), b""))
        handle.seek(0)
        with self._lock:
            if len(self._known) >= _ETAGS_KEPT:
                self._known.clear()
            self._known[key] = made
        return made


class FeedHandler(BaseHTTPRequestHandler):
    """Serves one folder's feeds; :func:`handler_for` makes a subclass with the folder set."""

    server_version = "pufa-feeds"
    sys_version = ""
    timeout = IDLE_TIMEOUT  # StreamRequestHandler puts it on the socket
    root: Path  #: the folder, resolved
    etags: _Etags

    def version_string(self) -> str:
        return self.server_version

    def _file(self) -> Path | None:
        name = unquote(urlsplit(self.path).path).lstrip("/") or "index.html"
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        path = self.root / name
        if path.suffix not in TYPES or (path.suffix == ".html" and name != "index.html"):
            return None
        return path if path.is_file() and path.resolve().parent == self.root else None

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def do_GET(self) -> None:
        self._respond(body=True)

    def _respond(self, *, body: bool) -> None:
        path = self._file()
        handle = None
        if path is not None:
            try:
                handle = path.open("rb")
            except OSError:  # replaced or removed since: as if it was never there
                handle = None
        if path is None or handle is None:
            self.send_error(HTTPStatus.NOT_FOUND, "not a feed")
            return
        with handle:  # one open file: its stat, its ETag and the bytes sent agree
            stat = os.fstat(handle.fileno())
            etag = self.etags.of(path, handle, stat)
            mtime = int(stat.st_mtime)
            last_modified = email.utils.formatdate(mtime, usegmt=True)
            if self._not_modified(etag, mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", TYPES[path.suffix])
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                shutil.copyfileobj(handle, self.wfile, CHUNK)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:  # If-None-Match wins over If-Modified-Since (RFC 9110)
            return weak_match(match, etag)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return mtime <= parsed.timestamp()
        return False

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the CLI prints what it serves


def handler_for(folder: Path, idle_timeout: float = IDLE_TIMEOUT) -> type[BaseHTTPRequestHandler]:
    """The request handler for ``folder``; ``idle_timeout`` seconds of silence drop a client."""
    attributes = {"root": folder.resolve(), "etags": _Etags(), "timeout": idle_timeout}
    return type("FeedHandler", (FeedHandler,), attributes)


class FeedServer(HTTPServer):
    """An HTTP server with a fixed pool of worker threads and a deep listen backlog.

    The accepting thread hands each connection to an idle worker; when all are busy it stops
    accepting, and new clients wait in the kernel's backlog until one is free.
    """

    request_queue_size = BACKLOG
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        workers: int = WORKERS,
    ) -> None:
        self._free = threading.Semaphore(workers)
        self._jobs: queue.SimpleQueue[tuple[socket.socket, tuple[str, int]] | None] = (
            queue.SimpleQueue()
        )
        self._closing = threading.Event()
        self._workers: list[threading.Thread] = []
        super().__init__(address, handler)  # binds and listens; closes again if that fails
        self._workers = [
            threading.Thread(target=self._work, name=f"pufa-feeds-{n}", daemon=True)
            for n in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:  # type: ignore[override]
        while not self._free.acquire(timeout=0.5):  # all busy: wait, but notice a shutdown
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        self._jobs.put((request, client_address))

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            request, client_address = job
            try:
                self.finish_request(request, client_address)
            except Exception:  # a dropped or timed-out client ends only its own request
                pass
            finally:
                self.shutdown_request(request)
                self._free.release()

    def shutdown(self) -> None:
        self._closing.set()
        super().shutdown()

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()
        for _ in self._workers:
            self._jobs.put(None)


def check_port(port: int) -> None:
    """Refuse a port outside 1–65535 (0, "any free port", is allowed)."""
    if not 0 <= port <= 65535:
        raise InvalidInput.one(
            "端口 (--port)", port, "应为 1–65535 之间的整数", "如 8080(0 = 任选一个空闲端口)"
        )


class _FeedServer6(FeedServer):
    address_family = socket.AF_INET6


def server(
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    idle_timeout: float = IDLE_TIMEOUT,
    workers: int = WORKERS,
) -> FeedServer:
    """A server for ``folder`` (not started: call ``serve_forever``; port 0 picks a free one).

    Raises:
        InvalidInput: a port outside 1–65535 (other than 0), a port already in use, or a host that
            is not an address of this machine.
    """
    check_port(port)
    kind = _FeedServer6 if ":" in host else FeedServer  # an IPv6 address such as ::1
    try:
        return kind((host, port), handler_for(folder, idle_timeout), workers)
    except socket.gaierror:
        raise InvalidInput.one(
            "监听地址 (--host)", host, "无法解析这个主机名", _HOST_HINT
        ) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InvalidInput.one(
                "端口 (--port)",
                port,
                "已被另一个程序占用",
                "换一个 1–65535 之间的空闲端口,如 8081",
            ) from None
        if exc.errno == errno.EACCES:
            raise InvalidInput.one(
                "端口 (--port)",
                port,
                "没有权限使用(1024 以下的端口要管理员权限)",
                "换一个 1024–65535 之间的端口,如 8080",
            ) from None
        raise InvalidInput.one(
            "监听地址 (--host)", host, "不是这台机器的地址,无法在此监听", _HOST_HINT
        ) from None


_HOST_HINT = "用 127.0.0.1(只有本机)或 0.0.0.0(所有网卡)"
