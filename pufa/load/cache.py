"""The parsed TOML of a workspace's county profile, kept beside it so that a command need not parse
the file again (for ``pufa log``: parsing a 22 kB ``county.toml`` and importing ``tomllib`` cost
about 5 ms of a 120 ms start; docs/performance.md).

One JSON file per source file, ``.pufa-cache/<name>.json`` in the source's folder, holding the pufa
version, the source text and the parsed document. It is used only when the version and the text
are those of now, so an edited profile is parsed again at once; an unreadable, corrupt or foreign
file is ignored and rewritten. It is written atomically (a temporary file renamed over it), and
not at all where the folder cannot be written (a read-only workspace works as before). A document
JSON cannot hold (a TOML date, say) is not cached. Only the county profile is cached: it holds no
secret (``pufa.toml`` may hold a database password, and is never copied).
"""

import json
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from pufa import __version__

#: the cache folder, beside the cached file
FOLDER = ".pufa-cache"


def entry(path: Path) -> Path:
    """Where the parsed document of ``path`` is kept."""
    return path.parent / FOLDER / f"{path.name}.json"


def cached(path: Path, text: str) -> dict[str, Any] | None:
    """The document kept for ``path`` when it was parsed from ``text`` by this pufa, else None."""
    try:
        kept = json.loads(entry(path).read_bytes())
    except (OSError, ValueError):  # none yet, unreadable, or not JSON (ValueError: also bad UTF-8)
        return None
    if not isinstance(kept, dict) or kept.get("pufa") != __version__:
        return None
    document = kept.get("document")
    if kept.get("source") != text or not isinstance(document, dict):
        return None
    return document


def keep(path: Path, text: str, document: dict[str, Any]) -> None:
    """Keep ``document``, parsed from ``text``, for :func:`cached`; quietly nothing when it cannot
    be written as JSON or the folder is read-only."""
    try:
        body = json.dumps(
            {"pufa": __version__, "source": text, "document": document}, ensure_ascii=False
        )
    except (TypeError, ValueError):  # a TOML date or time: JSON has none
        return
    target = entry(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        partial.write_text(body, encoding="utf-8")
        os.replace(partial, target)
    except OSError:  # a read-only workspace, a full disk: the next command parses the file again
        with suppress(OSError):
            partial.unlink(missing_ok=True)
