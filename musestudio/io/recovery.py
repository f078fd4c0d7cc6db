"""Recovery copies: what autosave writes, and what the next start finds after a crash.

Each open document has its own copy, named by the piece and a random id (``waltz-3f9c0a1b2c4d.muse``), so
two windows never share one, not even two windows on the same file or two untitled pieces. The copy is a
normal ``.muse`` project plus a ``recovery`` block: the file the piece belongs to, the name the window showed,
when it was written, and the *session* that wrote it.

A session is one running copy of the app. It holds an exclusive ``flock`` on ``session-<id>.lock`` in the
recovery folder for as long as it runs; the operating system drops the lock when the process dies, however
it dies. So at start-up a copy whose session lock can be taken belongs to a run that is gone (a crash) and is
offered back, while the copies of an app still running in another window are left alone. Where ``flock``
does not exist (Windows) every copy found counts as left over.

Nothing here deletes a copy on its own: the app deletes one only after the user decided about it (restored
and then saved or discarded it, saved it elsewhere, discarded it) or after the document was saved.
A Discard killed halfway (its copy moved aside, not yet deleted) is finished by a later start.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from musestudio import paths
from musestudio.core.project import Project
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.files import file_stamp, read_input_bytes
from musestudio.io.project_file import SUFFIX, parse_project_json, project_from_dict, project_to_bytes

try:
    import fcntl
except ImportError:  # Windows: no flock; every copy found on start counts as left over
    fcntl = None

_LOCK_PREFIX = "session-"
DAMAGED_GRACE_S = 60  # an unreadable copy younger than this may be a live run's, being replaced
_DISCARDING = ".discarding-"  # in the name a copy is moved to while Discard decides (``discard_left_over``)
_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class Recovery:
    """A recovery copy found on start."""

    path: Path  # the copy itself
    source: Path | None  # the file the piece was opened from or saved to; None: never saved
    name: str  # what the window called the piece
    saved_at: datetime
    size: int  # bytes of the copy
    notes: int
    session: str
    source_stamp: tuple[int, ...] | None = None  # ``io.files.file_stamp`` of the source as the piece knew it
    damaged: bool = False  # the copy cannot be read: listed, so the user hears of it and can discard it
    takes: int = 0  # takes listed and not kept when it was written (``RecoveredWork.takes``)


class RecoverySession:
    """This run of the app: holds the lock that tells later starts its copies are still in use."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or paths.recovery_dir()
        self.id = secrets.token_hex(8)
        self._lock_file = None
        self.hold()

    def hold(self) -> None:
        """Take the lock if this run does not hold it yet: a folder that could not be written at start
        (autosave reports it when it first tries to write) may be by the time a copy is, and a copy
        written with no lock held would be offered to another start as a crashed run's."""
        if fcntl is None or self._lock_file is not None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(self.folder / f"{_LOCK_PREFIX}{self.id}.lock", "wb")  # noqa: SIM115
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if self._lock_file is not None:
                self._lock_file.close()
            self._lock_file = None

    def close(self) -> None:
        """Release the lock (the process ending does the same): the copies now count as left over."""
        if self._lock_file is not None:
            self._lock_file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.folder / f"{_LOCK_PREFIX}{self.id}.lock")
            self._lock_file = None

    def new_copy_path(self, name: str) -> Path:
        """A fresh recovery file name for a document called ``name`` (unique among all windows)."""
        stem = _UNSAFE.sub("_", Path(name).stem.encode("utf-8", "replace").decode("utf-8"))[:40].strip()
        return self.folder / f"{stem or 'untitled'}-{secrets.token_hex(6)}{SUFFIX}"


def session_alive(session: str, folder: Path) -> bool:
    """True while the app run ``session`` is still going (its lock is held)."""
    if fcntl is None or not session or not re.fullmatch(r"[0-9a-f]+", session):
        return False
    lock = folder / f"{_LOCK_PREFIX}{session}.lock"
    try:
        with open(lock, "rb") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(f, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def write_recovery(
    project: Project,
    path: Path,
    *,
    source: Path | None,
    name: str,
    session: RecoverySession | str,
    source_stamp: tuple[int, ...] | None = None,
    takes: dict | None = None,
) -> Path:
    """Autosave: write (atomically) the recovery copy at ``path`` (from ``RecoverySession.new_copy_path``).

    ``source_stamp`` is the version of ``source`` the piece was read from or last saved as: the source may
    be saved again, with newer work, before the copy is restored, and Save must not replace that unasked.
    ``takes`` are the takes listed and not kept (the app's block, kept as it is; ``read_recovery`` gives it
    back).
    """
    extra = {
        "recovery": {
            "source": str(source) if source else None,
            "source_stamp": list(source_stamp) if source_stamp else None,
            "name": name,
            "saved_at": datetime.now(UTC).isoformat(),
            "session": session.id if isinstance(session, RecoverySession) else session,
            **({"takes": takes} if takes else {}),
        }
    }
    if isinstance(session, RecoverySession):
        session.hold()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, project_to_bytes(project, extra))
    return path


@dataclass(frozen=True)
class RecoveredWork:
    """What a recovery copy gives back on Restore: the piece, and the takes block written with it."""

    project: Project
    takes: dict | None  # as written (``write_recovery``); None when the copy has none
    # the run that wrote it: a running one (``session_alive``) when another start after the same crash
    # restored it since it was listed, its window now rewriting and deleting it as its own
    session: str = ""


def read_recovery(path: Path) -> RecoveredWork:
    """The piece and the takes of the copy at ``path`` from one read of it: both come from the same version
    of the copy (read twice, a copy rewritten in between would give one version's piece and another's
    takes), and a big copy is read and parsed once. BadInputError when it cannot be read."""
    doc = parse_project_json(read_input_bytes(path, "project"), path.name)
    info = doc.get("recovery") if isinstance(doc, dict) else None
    session = str(info.get("session") or "") if isinstance(info, dict) else ""
    return RecoveredWork(project_from_dict(doc, path.name), _takes_in(doc), session)


def _takes_in(doc: Any) -> dict | None:
    """The takes block of a copy's parsed document; None when it has none (or none that is a block)."""
    info = doc.get("recovery") if isinstance(doc, dict) else None
    takes = info.get("takes") if isinstance(info, dict) else None
    return takes if isinstance(takes, dict) else None


def discard_copy(path: Path | None) -> None:
    """Delete a recovery copy the user no longer needs (saved, decided about).

    Only tidying up: a copy that cannot be deleted (its folder made read-only, its disk remounted
    read-only) is left, and the next start offers it again, which loses nothing. Raising here broke off
    what asked for it halfway: a save that had written its file, a New that had cleared the undo history."""
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def source_changed_since(copy: Recovery) -> bool:
    """True when the file the copy's piece belongs to is no longer the version that piece was read from or
    last saved as: saved since with other work (from another window, by another program), moved or
    deleted. Restored and saved, the copy's piece would replace that version, so the user hears of it first.
    False where nothing is known of the version (a piece never saved, one opened from a MIDI file)."""
    if copy.source is None or copy.source_stamp is None:
        return False
    return file_stamp(copy.source) != copy.source_stamp


def discard_left_over(path: Path) -> bool:
    """Delete the copy at ``path`` of a run that is gone, the user having chosen to drop it; False, the copy
    left where it is, when another start after the same crash restored it meanwhile (its window rewrote
    the copy under its own running session: the copy protects that window's unsaved piece now).

    The copy is first renamed to a name of this call's own, which no other run reads or writes, and only
    then is its session looked at: looking first and deleting after deleted a copy the other start wrote
    in between. A copy taken back is put back only where that window has not written a newer one since.
    Like ``discard_copy``, a copy that cannot be moved or deleted is left, to be offered again.
    """
    held = path.with_name(f".{path.name}{_DISCARDING}{secrets.token_hex(4)}")
    try:
        os.rename(path, held)
    except OSError:
        return True  # gone already (saved or discarded by its other window), or it cannot be deleted
    try:
        if not session_alive(_session_of(held), path.parent):
            return True
        _put_back(held, path)
        return False
    finally:
        with contextlib.suppress(OSError):
            held.unlink()


def _finish_discards(folder: Path) -> None:
    """Finish the discards a run was killed in the middle of (between ``discard_left_over``'s move aside and
    its delete): the hidden copy was left in the folder for good, listed nowhere. The user chose to drop
    it, so it goes, unless its run is going (another start restored it meanwhile): then it goes back, as
    the discard would have put it. Only once it has been aside ``DAMAGED_GRACE_S``: a discard still under
    way in another run takes milliseconds, and finishes it the same way."""
    for held in folder.glob(f".*{SUFFIX}{_DISCARDING}*"):
        try:
            info = held.stat()
        except OSError:
            continue  # finished meanwhile
        if time.time() - max(info.st_mtime, info.st_ctime) < DAMAGED_GRACE_S:
            continue
        if session_alive(_session_of(held), folder):
            _put_back(held, held.with_name(held.name[1 : held.name.rindex(_DISCARDING)]))
        with contextlib.suppress(OSError):
            held.unlink()


def _put_back(held: Path, path: Path) -> None:
    """A copy taken back to ``path``, never over a newer one its window wrote meanwhile (that one stands)."""
    try:
        os.link(held, path)  # fails where ``path`` exists: no window's copy is replaced
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: a rename, with a look first
        if not path.exists():
            with contextlib.suppress(OSError):
                os.rename(held, path)


def _session_of(path: Path) -> str:
    """The run a copy names as its writer; "" where that cannot be read (a damaged copy)."""
    try:
        info = json.loads(path.read_bytes()).get("recovery") or {}
        return str(info.get("session") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def find_recoveries(folder: Path | None = None, *, include_live: bool = False) -> list[Recovery]:
    """Recovery copies of app runs that are gone, newest first.

    ``include_live`` also lists the copies of runs still going (this one included). A copy that cannot
    be read (cut short on a failing disk) is listed as ``damaged`` once it is a minute old: whose it was
    cannot be read either, and a run still going rewrites its copy whole within that time.
    """
    folder = folder or paths.recovery_dir()
    _finish_discards(folder)
    found = []
    alive: dict[str, bool] = {}
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            doc = json.loads(path.read_bytes())
            info = doc.get("recovery") or {}
            session = str(info.get("session") or "")
            if session not in alive:
                alive[session] = session_alive(session, folder)
            if alive[session] and not include_live:
                continue
            source = info.get("source")
            source = Path(source) if source else None
            name = info.get("name") or (source.name if source else "")
            notes = sum(len(t.get("notes", ())) for t in doc.get("tracks", ()))
            stamp = info.get("source_stamp")
            takes = info.get("takes") or {}
            found.append(
                Recovery(
                    path,
                    source,
                    str(name),
                    _aware(datetime.fromisoformat(info["saved_at"])),
                    path.stat().st_size,
                    notes,
                    session,
                    tuple(int(v) for v in stamp) if stamp else None,
                    takes=len(takes.get("takes", ())),
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            if (copy := _damaged(path)) is not None:
                found.append(copy)
    _remove_dead_locks(folder, alive)
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def _aware(saved_at: datetime) -> datetime:
    """A copy's time with its offset: one written without (by hand, by another tool) is read as local time,
    as ISO 8601 has it, so copies sort together (comparing it with the others' failed, and no copy at
    all was offered)."""
    return saved_at if saved_at.tzinfo is not None else saved_at.astimezone()


def _damaged(path: Path) -> Recovery | None:
    """An unreadable copy as the dialog lists it, named by its file; None while it may be a live run's."""
    try:
        info = path.stat()
    except OSError:
        return None  # gone meanwhile
    if time.time() - info.st_mtime < DAMAGED_GRACE_S:
        return None
    name = re.sub(r"-[0-9a-f]{12}$", "", path.stem)  # the piece's name before the copy's random id
    saved_at = datetime.fromtimestamp(info.st_mtime, UTC)
    return Recovery(path, None, name, saved_at, info.st_size, 0, "", damaged=True)


def _remove_dead_locks(folder: Path, alive: dict[str, bool]) -> None:
    """Lock files of runs that are gone are litter (a minute's grace: a starting run may not hold it yet)."""
    if fcntl is None:
        return
    for lock in folder.glob(f"{_LOCK_PREFIX}*.lock"):
        session = lock.stem[len(_LOCK_PREFIX) :]
        with contextlib.suppress(OSError):
            if time.time() - lock.stat().st_mtime > 60 and not alive.get(
                session, session_alive(session, folder)
            ):
                lock.unlink()
