"""Writing output files safely: a temporary file beside the target, renamed into place.

- The target must be a regular file or not exist yet: a device node, a directory, a FIFO
  or a socket is refused (`OutputError`), never replaced by a regular file.
- A symbolic link is followed: the file it points to is replaced, the link stays.
- The file gets the mode the user's umask gives new files (0644 under umask 022), or keeps
  the mode of the file it replaces.
- On any failure, including SIGTERM (the CLI turns it into SystemExit), the temporary file
  and any folder created for the output are removed: nothing half-written is left.
- Concurrent writers to one path each rename a complete file: the last one wins, none is
  ever seen half-written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from yusuan.errors import OutputError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_kind(mode: int) -> str:
    """How a file that is not a regular file is named in messages (目录, 设备, 管道 …)."""
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    if stat.S_ISFIFO(mode):
        return "管道"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def target_of(path: Path) -> Path:
    """Where writing `path` lands: symlinks followed; anything but a regular file refused."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        st = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path} 是{file_kind(st.st_mode)}，不是普通文件：拒绝写入")
    return target


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to fill a temporary file, then rename it to `path` (see module doc).

    Returns the path actually written (the target of a symlink).
    """
    target = target_of(path)
    created = _make_parents(target.parent, path)
    try:
        fd, name = tempfile.mkstemp(prefix=".yusuan-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        _remove_dirs(created)
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        _remove_dirs(created)
        raise
    return target


def write_text_atomic(path: Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def _make_parents(folder: Path, path: Path) -> list[Path]:
    missing: list[Path] = []
    d = folder
    while not d.exists() and d != d.parent:
        missing.append(d)
        d = d.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError(f"无法写入 {path}：{folder} 不是目录") from exc
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from exc
    return missing  # innermost first


def _remove_dirs(created: list[Path]) -> None:
    for d in created:
        try:
            d.rmdir()
        except OSError:
            return
