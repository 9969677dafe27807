"""Real small file systems for the tests: a tmpfs mounted on a test's folder (root only; the test
is skipped where mounting is not allowed), filled to ENOSPC or remounted read-only."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(folder: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (made here), unmounted at the end."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("需要 root 权限挂载 tmpfs(磁盘已满、只读磁盘测试)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", folder], capture_output=True, check=False)


def remount_ro(folder: Path) -> None:
    """Make the tmpfs on ``folder`` read-only: the kernel then refuses every write (EROFS)."""
    subprocess.run(["mount", "-o", "remount,ro", folder], check=True, capture_output=True)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the file system of ``folder`` with a filler file: to the last byte (ENOSPC), or until
    about ``leave`` bytes are free."""
    if leave:
        stats = os.statvfs(folder)
        free = stats.f_bavail * stats.f_frsize
        (folder / "filler").write_bytes(b"\0" * max(free - leave, 0))
        return
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 1):
            while _wrote(descriptor, size):
                pass
    finally:
        os.close(descriptor)


def _wrote(descriptor: int, size: int) -> bool:
    try:
        os.write(descriptor, b"\0" * size)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        return False
    return True
