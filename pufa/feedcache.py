"""What a publish leaves beside the feeds for the next one: the manifest and each event's bytes.

The manifest (:data:`MANIFEST`, JSON) holds the store's fingerprint, the feed-wide *settings*
(whatever alters an event's bytes: reminder days, base URL, the store's identity, county profile,
format version) and their *generation*: a number raised, with the time it was raised, whenever
the settings change, so every event's SEQUENCE and DTSTAMP advance with them. The cache (:data:`CACHE`) keeps each event's
serialised VEVENT keyed by ``(record id, revision)`` under one ``(generation, settings)``: a
re-publish after one change serialises that one event. Both are written whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from pufa import output
from pufa.value import valueclass

#: what the last publish was made from (store fingerprint, settings, generation), beside the feeds
MANIFEST = ".pufa-published"
#: each event's bytes from the last publish
CACHE = ".pufa-events"
_MAGIC = b"pufa-events 2"


@valueclass
class Manifest:
    """The store's fingerprint, the settings, their generation and when it began (ISO, UTC)."""

    store: str
    settings: str
    generation: int = 0
    since: str = ""

    def key(self) -> bytes:
        """What every cached event was made under: the generation and the settings."""
        digest = hashlib.sha256(self.settings.encode("utf-8")).hexdigest()[:16]
        return f"{self.generation} {digest}".encode("ascii")


def read_manifest(folder: Path) -> Manifest | None:
    """The last publish's manifest; ``None`` without one. An unreadable one (an older pufa's
    plain text) counts as generation 0 with unknown settings, so the next publish raises it."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            str(data["store"]), str(data["settings"]), int(data["generation"]), str(data["since"])
        )
    except (ValueError, KeyError, TypeError):
        return Manifest("", "")


def following(before: Manifest | None, store: str, settings: str, now: str) -> Manifest:
    """This publish's manifest: the same generation while the settings stay, else the next one
    starting ``now``. Without any manifest (a first publish) it is generation 0."""
    if before is None:
        return Manifest(store, settings)
    if before.settings == settings:
        return Manifest(store, settings, before.generation, before.since)
    return Manifest(store, settings, before.generation + 1, now)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    fields = {
        "store": manifest.store,
        "settings": manifest.settings,
        "generation": manifest.generation,
        "since": manifest.since,
    }
    _write(folder / MANIFEST, json.dumps(fields, ensure_ascii=False, sort_keys=True).encode())


@valueclass
class Cached:
    """One event's serialised VEVENT and what places it: sort day, township code ('' = none)."""

    id: int
    revision: int
    day: str
    township: str
    data: bytes


def read_cache(folder: Path, key: bytes) -> dict[tuple[int, int], Cached]:
    """The cached events made under ``key``; none if the file is missing, damaged or older.

    The file: a head line (format and ``key``), one JSON line indexing every event (id, revision,
    day, township, size), then their bytes back to back."""
    path = folder / CACHE
    if not path.is_file():
        return {}
    head, _, rest = path.read_bytes().partition(b"\n")
    if head != _MAGIC + b" " + key:
        return {}
    index, _, blob = rest.partition(b"\n")
    found: dict[tuple[int, int], Cached] = {}
    at = 0
    try:
        for ident, revision, day, township, size in json.loads(index):
            item = Cached(int(ident), int(revision), str(day), str(township), blob[at : at + size])
            found[(item.id, item.revision)] = item
            at += size
    except (ValueError, TypeError):
        return {}
    return found if at == len(blob) else {}  # cut short or run on: not to be trusted


def write_cache(folder: Path, key: bytes, items: Iterable[Cached]) -> None:
    kept = list(items)
    index = [[c.id, c.revision, c.day, c.township, len(c.data)] for c in kept]
    line = json.dumps(index, separators=(",", ":")).encode("ascii")
    _write(
        folder / CACHE, b"".join([_MAGIC, b" ", key, b"\n", line, b"\n", *(c.data for c in kept)])
    )


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    output.write_atomic(path, lambda out: out.write(data))
