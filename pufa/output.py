"""Files pufa writes for the user (workbooks, CSV, rejects): checked targets, written whole or not at all.

- :func:`target` refuses an output path before anything is done: a wrong suffix, an existing file
  without ``--force``, and — even with ``--force`` — the workspace's own store and settings.
- :func:`stage` writes a file to a temporary name in the destination folder; the caller then
  :meth:`~Staged.commit`\\ s it (``os.replace``: the old file, if any, is swapped whole) or
  :meth:`~Staged.discard`\\ s it. A failure while writing (a full disk) leaves nothing behind: no
  truncated file at the destination, no temporary file. :func:`write_atomic` is both in one call.
- :func:`csv_bytes` is every CSV pufa writes (ledger export, ``summary --csv``): UTF-8 with a BOM,
  so Excel on Chinese Windows opens it correctly.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from pufa.errors import InvalidInput, PufaError
from pufa.value import valueclass

#: a CSV starts with it so that Excel on Chinese Windows reads it as UTF-8, not GBK
BOM = b"\xef\xbb\xbf"


def csv_bytes(rows: Iterable[Sequence[object]], *, batch: int = 1000) -> Iterator[bytes]:
    """``rows`` as a CSV for Excel: the :data:`BOM`, then UTF-8 lines ending in CRLF, ``batch`` rows
    at a time (a big export is never one string in memory)."""
    import csv  # here, not at the top: `pufa log` imports this module and writes no CSV

    yield BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


class WriteFailed(PufaError):
    """An output file could not be written (disk full, no permission); nothing was left in its place."""


def target(
    path: Path,
    *,
    option: str,
    suffixes: Sequence[str],
    force: bool = False,
    protected: Sequence[Path] = (),
) -> Path:
    """``path`` if pufa may write there; otherwise InvalidInput naming the option, value and rule."""
    shown = str(path)
    if path.suffix.lower() not in suffixes:
        expected = "、".join(suffixes)
        raise InvalidInput.one(
            option,
            shown,
            f"应为以 {expected} 结尾的文件名",
            f"如 {path.stem or '台账'}{suffixes[0]}",
        )
    if not path.parent.is_dir():
        raise InvalidInput.one(option, shown, "应为已存在的文件夹中的文件路径")
    if _is_protected(path, protected):
        raise InvalidInput.one(
            option, shown, "不能是本工作区的数据库或配置文件(加 --force 也不行)", "请换一个文件名"
        )
    if path.is_dir():
        raise InvalidInput.one(option, shown, "应为文件,不是文件夹")
    if path.exists() and not force:
        raise InvalidInput.one(option, shown, "文件已存在,未覆盖", "确要替换它,请加 --force")
    return path


def _is_protected(path: Path, protected: Sequence[Path]) -> bool:
    resolved = path.resolve()
    for guarded in protected:
        if resolved == guarded.resolve():
            return True
        try:
            if path.exists() and guarded.exists() and os.path.samefile(path, guarded):
                return True  # a hard link to the store is the store
        except OSError:
            continue
    return False


@valueclass
class Staged:
    """A fully written temporary file, waiting to be renamed onto its destination (or dropped)."""

    path: Path
    temporary: Path

    def commit(self) -> None:
        """Put the file in place in one rename (an existing file is swapped whole)."""
        try:
            os.replace(self.temporary, self.path)
        except OSError as exc:
            self.discard()
            raise _failed(self.path, exc) from None

    def discard(self) -> None:
        """Drop the temporary file; the destination stays as it was."""
        self.temporary.unlink(missing_ok=True)


class _Sink:
    """The temporary file as writers see it. Once aborted, writes go nowhere: a writer that failed
    half-way (openpyxl's zip on a full disk) may still try to finish when it is collected, and must
    neither raise again nor hold the file open."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle: BinaryIO | None = handle
        self._end = 0  #: where an aborted file stopped (a writer's offsets must stay consistent)

    def write(self, data: bytes) -> int:
        return self._handle.write(data) if self._handle is not None else len(data)

    def tell(self) -> int:
        return self._handle.tell() if self._handle is not None else self._end

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence) if self._handle is not None else self._end

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.flush()

    def finish(self) -> None:
        """Flush to the disk and close (a full disk may only show here)."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None

    def abort(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError, ValueError):
                self._end = self._handle.tell()
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None


def stage(path: Path, write: Callable[[BinaryIO], object]) -> Staged:
    """Run ``write`` on a temporary file beside ``path``; on any failure remove it and raise."""
    import tempfile  # (with random, about 1 ms) here: `pufa log` imports this module, never stages

    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent
        )
    except OSError as exc:
        raise _failed(path, exc) from None
    temporary = Path(name)
    sink = _Sink(os.fdopen(handle, "wb"))
    try:
        os.chmod(temporary, _mode(path))  # mkstemp's 0600, as a file opened for writing would be
        write(cast(BinaryIO, sink))
        sink.finish()
    except OSError as exc:
        sink.abort()
        temporary.unlink(missing_ok=True)
        raise _failed(path, exc) from None
    except BaseException:
        sink.abort()
        temporary.unlink(missing_ok=True)
        raise
    return Staged(path, temporary)


def _mode(path: Path) -> int:
    """The permissions a replaced file had, else the usual ones for a new file (umask applied)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` whole or not at all: ``write`` fills a temporary file (given as an open binary file), then it is renamed."""
    stage(path, write).commit()


#: the causes of a failed file operation a clerk can act on, in the user's words, by errno
CAUSES = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件太大",
    errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件夹或文件不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "读写设备出错",
}


def cause(exc: OSError) -> str:
    """Why a file operation failed, in Chinese where the cause is one a clerk can act on."""
    return CAUSES.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _failed(path: Path, exc: OSError) -> WriteFailed:
    return WriteFailed(
        f"无法写入 {path}:{cause(exc)}。未留下不完整的文件,原有的文件(如有)保持不变。"
    )
