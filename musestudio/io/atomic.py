"""Safe file writes: a crash, a kill or a full disk never leaves a half-written file under the real name.

The data goes to a temporary file in the same folder (so the final rename cannot cross file systems), is
flushed and fsynced, and only then renamed over the target; the folder is fsynced too, so the rename
itself survives a power cut. Around that core:

- **Symlinks** are followed: the link's target is replaced and the link stays a link.
- **Permissions** (and, where allowed, the owner) of the file being replaced are kept.
- **Read-only files** are refused with ``ReadOnlyFileError`` unless the caller says the user agreed.
- **Hard links** are kept: a file with several names is rewritten in place, because renaming a new file
  over one name would cut it off from the others. To keep that as safe as we can, the new bytes are first
  written completely to a temporary file (a full disk fails there, before the real file is touched), then
  space for them is reserved in the real file (``posix_fallocate``) before a single byte of it changes, so
  the rewrite itself cannot run out of space. Only a kill in the milliseconds of the rewrite can leave the
  linked file half-written; the complete new version then stays beside it (``.<name>~<hex>.msinplace``,
  which the clean-up never deletes), and the app's recovery copy holds the work too. A disk error there
  keeps it as well, and says so (``HalfWrittenError``). A read-only one the user agreed to replace is made
  writable for the rewrite, then read-only again.
- **Temporary names** are short and of a fixed shape (``.<name, cut to fit>~<12 hex>.mstmp``) so any name
  the file system allows can be saved (a 255-byte name leaves no room for a suffix, so the name part is
  cut), and leftovers of killed saves are recognised and removed on the next start (``clean_stale_temps``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".mstmp"
INPLACE_SUFFIX = ".msinplace"  # the complete new version while a hard-linked file is rewritten in place
_TEMP_TAG_BYTES = len(".~") + 12 + len(TEMP_SUFFIX)
# Ours, and the shape older versions used (".<name>.<12 hex>.tmp").
_TEMP_RE = re.compile(r"^\..*(~[0-9a-f]{12}\.mstmp|\.[0-9a-f]{12}\.tmp)$", re.DOTALL)
STALE_AFTER_S = 120  # a temp file this old belongs to no save still running: a save takes a second


class ReadOnlyFileError(PermissionError):
    """The file exists and is read-only; replace it only when the user has agreed."""


class NotAFileError(OSError):
    """The name to write is taken by something that is not a regular file (a folder, a pipe, a device, a
    socket): replacing it would take it away from whatever uses it, and writing into a pipe can hang, so
    nothing is written. ``mode`` says what it is (``os.stat``'s)."""

    def __init__(self, path: str | Path, mode: int) -> None:
        code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EEXIST
        super().__init__(code, "it is not a regular file", str(path))
        self.mode = mode


class HalfWrittenError(OSError):
    """Rewriting a hard-linked file in place failed after its bytes began to change: it may be
    half-written. The complete new version stays beside it, at ``kept`` (the clean-up never deletes it).
    Carries the OS's error number and words."""

    def __init__(self, cause: OSError, kept: Path) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), cause.filename)
        self.kept = kept


class UnencodableNameError(ValueError):
    """The path holds characters no file name can store (a lone surrogate, bytes that are not UTF-8)."""


def check_name(path: str | Path) -> None:
    """Raise UnencodableNameError unless ``path`` is valid Unicode text (so it can be shown and stored)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise UnencodableNameError(str(path)) from None


def real_target(path: str | Path) -> Path:
    """The file a save to ``path`` must change: symlinks followed (a dangling link: the file it names)."""
    return Path(os.path.realpath(path))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path, a symlink to it, or a hard link (another name
    of the same data, which a save rewrites in place, ``atomic_writer``). False where either is unreadable."""
    try:
        return os.path.samefile(a, b)
    except FileNotFoundError:
        return real_target(a) == real_target(b)  # a dangling symlink names the file it would make
    except (OSError, ValueError):
        return False


def temp_path_for(target: Path) -> Path:
    """A fresh temporary name beside ``target`` that fits the folder's name limit whatever its length."""
    try:
        name_max = os.pathconf(target.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        name_max = 255
    raw = os.fsencode(target.name)[: max(1, name_max - 1 - _TEMP_TAG_BYTES)]
    stem = raw.decode("utf-8", "ignore") or "file"  # never cut a character in half
    return target.with_name(f".{stem}~{secrets.token_hex(6)}{TEMP_SUFFIX}")


def is_read_only(path: str | Path) -> bool:
    """True when ``path`` (through symlinks) is an existing file marked read-only or that we may not write.

    The mode bits count even where the system would let us write (as root): the owner marked it so.
    """
    target = real_target(path)
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_IMODE(mode) & 0o222 or not os.access(target, os.W_OK)


@contextlib.contextmanager
def atomic_writer(path: str | Path, *, replace_read_only: bool = False) -> Iterator[BinaryIO]:
    """Yield a binary file; when the block ends without an error it replaces ``path`` in one step."""
    check_name(path)
    target = real_target(path)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise NotAFileError(path, old.st_mode)
    if old is not None and not replace_read_only and is_read_only(target):
        raise ReadOnlyFileError(errno.EACCES, "the file is read-only", str(path))
    tmp = temp_path_for(target)
    # os.open (not mkstemp, which makes 0600 files) so the new file gets the usual umask permissions,
    # or those of the file it replaces.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if old is not None and old.st_nlink > 1 and _writable(target, old, replace_read_only):
            # Complete and fsynced: renamed so the start-up cleanup keeps it should the rewrite be killed.
            complete = tmp.with_suffix(INPLACE_SUFFIX)
            os.replace(tmp, complete)
            tmp = complete
            try:
                _rewrite_in_place(tmp, target)
            finally:
                with contextlib.suppress(OSError):
                    if _mode(target) != stat.S_IMODE(old.st_mode):  # made writable for the rewrite
                        os.chmod(target, stat.S_IMODE(old.st_mode))  # read-only again, as the user had it
            os.unlink(tmp)
        else:
            if old is not None:
                _copy_owner_and_mode(tmp, old)
            os.replace(tmp, target)
    except HalfWrittenError:
        raise  # the complete new version stays beside the file: it may be all the user has of it
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def atomic_write_bytes(path: str | Path, data: bytes, *, replace_read_only: bool = False) -> None:
    with atomic_writer(path, replace_read_only=replace_read_only) as f:
        f.write(data)


def _writable(target: Path, old: os.stat_result, replace_read_only: bool) -> bool:
    """Whether ``target`` can be rewritten in place: it is writable, or it is read-only, the user agreed to
    replace it and we may make it writable for the rewrite (its owner may), so that its other names (hard
    links) see the new version rather than keep the old (a new file renamed over one name cuts it off)."""
    if os.access(target, os.W_OK):
        return True
    if not replace_read_only:
        return False
    try:
        os.chmod(target, stat.S_IMODE(old.st_mode) | stat.S_IWUSR)
    except OSError:
        return False
    return os.access(target, os.W_OK)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _copy_owner_and_mode(tmp: Path, old: os.stat_result) -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.chown(tmp, old.st_uid, old.st_gid)  # only root (or the same owner and group) may: best effort
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _rewrite_in_place(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target``'s own bytes, keeping its inode (and so every hard link to it).
    ``HalfWrittenError`` where it fails once a byte of ``target`` may have changed."""
    size = source.stat().st_size
    with open(source, "rb") as src, open(target, "r+b") as dst:
        old_size = os.fstat(dst.fileno()).st_size
        if size > old_size and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(dst.fileno(), 0, size)  # the space is ours before anything changes
            except OSError:
                dst.truncate(old_size)
                raise
        try:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.truncate(size)
            dst.flush()
            os.fsync(dst.fileno())
        except OSError as e:
            raise HalfWrittenError(e, source) from e


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_temps(folder: str | Path, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove temporary files that killed saves left in ``folder``; returns what was removed.

    Only names of our own temporary shape are touched, and only when older than ``older_than_s``, so a
    save running at this moment in another window or another copy of the app is never disturbed.
    """
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_RE.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > older_than_s:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
