"""Reading a user's file into memory, with every OS failure turned into a message a musician can act on.

Both openers (``.muse`` projects and MIDI files) come through ``read_input_bytes``, so the checks that keep
a wrong pick harmless live here once: a device (``/dev/zero`` behind a ``song.mid`` link would be read until
memory runs out), a FIFO (reading it waits for a writer forever) and anything over ``MAX_INPUT_BYTES`` (a
project: four times that) are refused from their metadata, before a single byte is read.

Each refusal is a ``BadInputError`` in English (the command line's words) with a ``code`` and the ``params``
its wording needs (the path, the kind of file expected as an ``INPUT_KINDS`` code, the OS's reason as
``os_reason`` gives it), so the window can say it in the user's language (``ui.error_words``). A failed save
(``save_error``) is raised the same way, naming the file and the OS's reason.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from musestudio.core.errors import BadInputError, reason
from musestudio.io.atomic import HalfWrittenError, NotAFileError, ReadOnlyFileError, UnencodableNameError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # far above any real score; stops a wrong pick (a video) eating memory
#: A project holds its notes in about 2.3 times the bytes MIDI does (a MIDI file of 28 MB saved as an 80 MB
#: project the app then refused to open): the largest MIDI file that opens saves as one that opens again.
PROJECT_BYTES_PER_MIDI_BYTE = 4
#: what an opener expects (``read_input_bytes``'s ``kind``): the code the window words, and its English
INPUT_KINDS = {"midi_file": "MIDI file", "project": "MuseStudio project", "style_file": "style file"}


def display_name(path: str | Path) -> str:
    """``path``'s name as text that can always be shown: undecodable bytes become U+FFFD."""
    return _printable(Path(path).name)


def display_path(path: str | Path) -> str:
    return _printable(str(path))


def _printable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "replace").decode(
        "utf-8", "replace"
    )


def _only_escapes(text: str) -> bool:
    """True when every surrogate in ``text`` is an escaped byte (U+DC80..U+DCFF), as os functions make."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def file_stamp(path: str | Path) -> tuple[int, int, int, int] | None:
    """What identifies this version of the file on disk (through symlinks); None when it is not there.

    Taken when a file is opened or saved and compared before the next save: a different stamp means
    someone (another window, another program) changed the file in between.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _kind_of_special(mode: int) -> tuple[str, str]:
    """(the code, the English) of what a path that is no regular file is."""
    if stat.S_ISDIR(mode):
        return "input_folder", "a folder"
    if stat.S_ISFIFO(mode):
        return "input_pipe", "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "input_device", "a device"
    if stat.S_ISSOCK(mode):
        return "input_socket", "a socket"
    return "input_not_regular", "not a regular file"


def read_input_bytes(path: str | Path, kind: str) -> bytes:
    """The bytes of ``path``; ``kind`` (an ``INPUT_KINDS`` code) names the expected kind in error messages."""
    path = Path(path)
    shown, name, what = display_path(path), display_name(path), INPUT_KINDS[kind]
    limit = MAX_INPUT_BYTES * (PROJECT_BYTES_PER_MIDI_BYTE if kind == "project" else 1)
    try:
        info = os.stat(path)  # through symlinks: a link to /dev/zero is judged by what it points at
        if not stat.S_ISREG(info.st_mode):
            code, special = _kind_of_special(info.st_mode)
            raise BadInputError(f"{shown} is {special}, not a {what}", code, where=shown, kind=kind)
        if info.st_size > limit:
            mb = info.st_size // 2**20
            raise BadInputError(
                f"{name} is {mb} MB, too big to be a {what}", "input_too_big", name=name, mb=mb, kind=kind
            )
        # O_NONBLOCK: should the file have been swapped for a FIFO since the check, opening does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise BadInputError(
                    f"{shown} is not a regular file, not a {what}",
                    "input_not_regular",
                    where=shown,
                    kind=kind,
                )
            data = f.read(limit + 1)
        if len(data) > limit:
            raise BadInputError(
                f"{name} is too big to be a {what}", "input_grew_too_big", name=name, kind=kind
            )
        return data
    except FileNotFoundError:
        raise BadInputError(f"file not found: {shown}", "file_not_found", where=shown) from None
    except PermissionError:
        raise BadInputError(f"no permission to read {shown}", "no_read_permission", where=shown) from None
    except (UnicodeError, ValueError):
        raise BadInputError(f"{shown} is not a usable file name", "unusable_file_name", where=shown) from None
    except OSError as e:
        why = os_reason(e, reading=True)
        raise BadInputError(
            f"cannot read {shown}: {why['message']}", "cannot_read", where=shown, why=why
        ) from None


_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "you have no permission to write there",
    errno.EPERM: "you have no permission to write there",
    errno.ENAMETOOLONG: "the name is too long for this disk",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "a folder has that name",
    errno.EEXIST: "a file has that name",
    errno.EIO: "the disk reported an input/output error",
    errno.EFBIG: "the file is too large for this disk",
    errno.EMFILE: "too many files are open at once",
    errno.ENFILE: "the system has too many files open",
    errno.ELOOP: "the path has too many symbolic links (one may point to itself)",
    errno.EBUSY: "the file or its disk is busy",
    errno.ETXTBSY: "the file is in use by a running program",
    errno.EXDEV: "the file cannot be moved to another disk in one step",
    errno.ESTALE: "the file on the network drive is gone (stale file handle)",
}
#: what reading a file meets where the words above speak of writing (no permission, no such file)
_READ_REASONS = {
    errno.EACCES: "you have no permission to read it",
    errno.EPERM: "you have no permission to read it",
    errno.ENOENT: "there is no such file",
}


#: what has the name a save would write, where it is neither a file nor a folder (``_kind_of_special``'s
#: code): (our code, the words)
_TAKEN_BY = {
    "input_pipe": ("name_taken_pipe", "a pipe (FIFO) has that name"),
    "input_device": ("name_taken_device", "a device has that name"),
    "input_socket": ("name_taken_socket", "a socket has that name"),
    "input_not_regular": ("name_taken_other", "something that is not a file has that name"),
}


def _taken_by(e: OSError) -> tuple[str, str] | None:
    """(code, words) when ``e`` is a save refused because a pipe, a device or a socket has the name (a
    folder's is ``EISDIR``'s own)."""
    if isinstance(e, NotAFileError) and not stat.S_ISDIR(e.mode):
        return _TAKEN_BY[_kind_of_special(e.mode)[0]]
    return None


def describe_os_error(e: OSError, reading: bool = False) -> str:
    """What went wrong, in words (``EACCES`` -> "you have no permission to write there", or when
    ``reading``, "... to read it"); an errno without words of ours in the OS's own."""
    if taken := _taken_by(e):
        return taken[1]
    words = (_READ_REASONS if reading else {}).get(e.errno) or _OS_REASONS.get(e.errno)
    return words or (e.strerror or str(e)).rstrip(".").lower()


def os_reason(e: OSError, reading: bool = False) -> dict:
    """``describe_os_error`` with a code the window words, shaped as ``BadInputError.as_json`` so it can
    stand as another error's parameter: ``os_`` and the errno's name ("os_EIO", "os_read_EACCES" when
    ``reading``) where the words are ours; ``os_other`` where they are the OS's own, which the window
    says after its own words for "the system refused"."""
    message = describe_os_error(e, reading)
    if taken := _taken_by(e):
        return reason(message, taken[0])
    if reading and e.errno in _READ_REASONS:
        return reason(message, f"os_read_{errno.errorcode[e.errno]}")
    if e.errno in _OS_REASONS:
        return reason(message, f"os_{errno.errorcode[e.errno]}")
    return reason(message, "os_other", words=message)


def save_error(
    path: str | Path, e: BaseException, error_type: type[BadInputError] = BadInputError
) -> BadInputError:
    """A failed save of ``path`` as one sentence (the caller adds what was kept), with a code and the
    particulars the window words it from: the name shown, and the OS's reason as ``os_reason`` gives it."""
    shown = display_path(path)
    if isinstance(e, UnencodableNameError):
        return error_type(
            f"cannot save as {shown}: the name holds characters that are not valid text; "
            f"choose another name with Save As",
            "save_unencodable_name",
            where=shown,
        )
    if isinstance(e, ReadOnlyFileError):
        return error_type(f"cannot save {shown}: the file is read-only", "save_read_only", where=shown)
    if isinstance(e, HalfWrittenError):
        why, kept = os_reason(e), display_path(e.kept)
        return error_type(
            f"cannot save {shown}: {why['message']} while it was rewritten in place (it has other names, "
            f"hard links), so it may be half-written; the complete new version is kept beside it as {kept}",
            "save_half_written",
            where=shown,
            why=why,
            kept=kept,
        )
    why = os_reason(e) if isinstance(e, OSError) else reason(str(e))
    return error_type(f"cannot save {shown}: {why['message']}", "cannot_save", where=shown, why=why)


# MIDI parsers speak in their own terms; a musician gets one of these instead (anything unknown: the last).
_PARSER_WORDS = (
    ("running status", "a note or controller event has no status byte"),
    ("last_status", "a note or controller event has no status byte"),
    ("data byte must be in range", "an event holds a value MIDI does not allow"),
    ("largest tick", "its events lie absurdly far apart"),
    ("ticks per beat", "it has an unusable time resolution"),
    ("mtrk", "a track header is missing or broken"),
    ("mthd", "the file header is broken"),
    ("chunk", "a track header is missing or broken"),
    ("tempo", "it holds an impossible tempo"),
    ("sysex", "a system-exclusive message is broken"),
)


def plain_reason(e: BaseException) -> str:
    """Why a MIDI file could not be read, without parser jargon ("max() arg is an empty sequence")."""
    text = str(e).strip().lower()
    if isinstance(e, EOFError) or not text or "end of file" in text or "ended" in text:
        return "it ends too early"
    for fragment, words in _PARSER_WORDS:
        if fragment in text:
            return words
    return "its events cannot be read as music"
