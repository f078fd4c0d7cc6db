"""Notes on the system clipboard, so notes copied in one window paste in another (a recovered copy opens in
a second window) or in a second MuseStudio.

They go up as JSON under the app's own MIME type with the ticks per beat of the piece they came from:
pasted into a piece of another resolution they keep their rhythm (a quarter note stays a quarter note).
Anything else on the clipboard (text, an image from another app) is not notes, and Paste leaves it alone.
"""

from __future__ import annotations

import atexit
import json
from collections.abc import Iterable

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from musestudio.core.note import Note

MIME = "application/x-musestudio-notes"


def put_notes(notes: Iterable[Note], ticks_per_beat: int) -> None:
    """Put ``notes`` (their times from the clip's start) on the clipboard."""
    rows = [[n.pitch, n.start, n.duration, n.velocity, n.release] for n in notes]
    data = QMimeData()
    data.setData(MIME, json.dumps({"ticks_per_beat": ticks_per_beat, "notes": rows}).encode())
    QGuiApplication.clipboard().setMimeData(data)


def _clear_at_exit() -> None:
    """Qt deletes what the clipboard holds only in the C library's exit handlers, after Python has shut
    down; the notes' QMimeData was made here, and its wrapper's clean-up then crashes the process (seen as
    a segfault on quitting). Clearing the clipboard while Python still runs deletes it in time."""
    if QGuiApplication.instance() is not None and has_notes():
        QGuiApplication.clipboard().clear()


atexit.register(_clear_at_exit)


def has_notes() -> bool:
    data = QGuiApplication.clipboard().mimeData()
    return data is not None and data.hasFormat(MIME)


def notes_on_clipboard(ticks_per_beat: int) -> tuple[Note, ...]:
    """The notes on the clipboard in a piece of ``ticks_per_beat`` (new ids), or () when it holds none."""
    data = QGuiApplication.clipboard().mimeData()
    if data is None or not data.hasFormat(MIME):
        return ()
    try:
        clip = json.loads(bytes(data.data(MIME)).decode())
        scale = ticks_per_beat / int(clip["ticks_per_beat"])
        notes = []
        for pitch, start, duration, velocity, release in clip["notes"]:
            begin, end = round(start * scale), round((start + duration) * scale)
            notes.append(Note(pitch, begin, max(1, end - begin), velocity, release=release))
        return tuple(notes)
    except (ValueError, TypeError, KeyError, ZeroDivisionError):  # another program's data under our name
        return ()
