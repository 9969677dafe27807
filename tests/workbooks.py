"""Workbooks made for the tests and benchmarks: hostile ones are small files rewritten part by part."""

from __future__ import annotations

import zipfile
from pathlib import Path


def rewrite(source: Path, target: Path, part: str, old: bytes, new: bytes, times: int = 1) -> Path:
    """A copy of a workbook with ``old`` in one part replaced by ``new`` repeated (streamed)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != part:
                out.writestr(info, data)
                continue
            head, tail = data.split(old, 1)
            streamed = zipfile.ZipInfo(part)
            streamed.compress_type = zipfile.ZIP_DEFLATED
            with out.open(streamed, "w", force_zip64=True) as stream:
                stream.write(head)
                for _ in range(times):
                    stream.write(new)
                stream.write(tail)
    return target
