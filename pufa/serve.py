"""Serve a published feeds folder over HTTP: text/calendar, strong ETags, Last-Modified, 304s.

Only the feeds (``*.ics``) and ``index.html`` of the folder are served; anything else — other
files, sub-folders, ``..`` — is a 404. Standard library only (``http.server``).
"""

from __future__ import annotations

import email.utils
import hashlib
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {".ics": "text/calendar; charset=utf-8", ".html": "text/html; charset=utf-8"}


def handler_for(folder: Path) -> type[BaseHTTPRequestHandler]:
    root = folder.resolve()

    class FeedHandler(BaseHTTPRequestHandler):
        server_version = "pufa-feeds"
        sys_version = ""

        def version_string(self) -> str:
            return self.server_version

        def _file(self) -> Path | None:
            name = unquote(urlsplit(self.path).path).lstrip("/") or "index.html"
            if "/" in name or "\\" in name or name.startswith("."):
                return None
            path = root / name
            if path.suffix not in TYPES or (path.suffix == ".html" and name != "index.html"):
                return None
            return path if path.is_file() and path.resolve().parent == root else None

        def do_HEAD(self) -> None:
            self._respond(body=False)

        def do_GET(self) -> None:
            self._respond(body=True)

        def _respond(self, *, body: bool) -> None:
            path = self._file()
            if path is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not a feed")
                return
            data = path.read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
            mtime = int(path.stat().st_mtime)
            last_modified = email.utils.formatdate(mtime, usegmt=True)
            if self._not_modified(etag, mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", TYPES[path.suffix])
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _not_modified(self, etag: str, mtime: int) -> bool:
            match = self.headers.get("If-None-Match")
            if match is not None:  # If-None-Match wins over If-Modified-Since (RFC 9110)
                return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
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

    return FeedHandler


def server(folder: Path, host: str = "127.0.0.1", port: int = 8080) -> ThreadingHTTPServer:
    """A server for ``folder`` (not started: call ``serve_forever``; port 0 picks a free one)."""
    return ThreadingHTTPServer((host, port), handler_for(folder))
