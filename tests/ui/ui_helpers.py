"""What UI tests share: a small project and real mouse events (a module, not conftest, so tests can import
it by name: which conftest a bare ``import conftest`` finds depends on collection order)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ml.generate.request import Options, Request, Take
from tests.io.midi_events import type1_file


def settle(window) -> None:
    """Let the window lay itself out: a few turns of the event loop."""
    for _ in range(5):
        QApplication.processEvents()


def two_track_project() -> Project:
    melody = Track(
        name="Melody", notes=(Note(60, 0, 480, 90), Note(62, 480, 480, 80), Note(64, 960, 480, 100))
    )
    bass = Track(name="Bass", program=33, channel=1, colour="#e0864a", notes=(Note(36, 0, 1920, 100),))
    return Project(tracks=(melody, bass))


def continue_request(window) -> Request:
    """The request a Continue on the window's first track leaves with its takes: what Keep, audition and
    the recovery copy read."""
    tracks = window.document.project.tracks
    return Request(
        "continue",
        "markov",
        (),
        480,
        (TimeSignature(0, 4, 4),),
        Options(style="pop"),
        track_id=tracks[0].id if tracks else -1,
    )


def list_takes(window, count: int, request: Request | None = None) -> tuple[Take, ...]:
    """List ``count`` one-note takes in the window's Takes panel, as a Generate of ``request`` (a Continue
    on the first track when None) would (no model needed)."""
    request = continue_request(window) if request is None else request
    takes = tuple(
        Take(i, (Note(60 + i, 0, 480, 90),), 0, 1920, "markov", "", i, None, None, 0.5, request=request)
        for i in range(1, count + 1)
    )
    window.generate.set_takes(takes)
    return takes


# -- real mouse events ------------------------------------------------------------------------------------
def note_point(view, tick: float, pitch: int) -> QPoint:
    """Viewport point inside ``pitch``'s row at ``tick``."""
    return QPoint(round(view.tick_to_x(tick)), round(view.pitch_to_y(pitch) + view.row_px / 2))


def send_mouse(
    widget, kind, pos: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:
    held = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else button,
        held,
        modifiers,
    )
    QApplication.sendEvent(widget, event)


def drag_take_row(window, row: int) -> None:
    """Drag the take listed at ``row`` out of the Takes panel, as a mouse does (``drags`` sees the file)."""
    tree = window.generate.takes_panel.list
    at = tree.visualItemRect(tree.topLevelItem(row)).center()
    send_mouse(tree.viewport(), QMouseEvent.Type.MouseButtonPress, at)
    for step in range(1, 6):
        send_mouse(tree.viewport(), QMouseEvent.Type.MouseMove, at + QPoint(0, 6 * step))
    send_mouse(tree.viewport(), QMouseEvent.Type.MouseButtonRelease, at + QPoint(0, 30))


def drag(
    widget,
    start: QPoint,
    end: QPoint,
    steps: int = 6,
    button=Qt.MouseButton.LeftButton,
    modifiers=Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press at ``start``, move in ``steps`` to ``end``, release: the events a real drag sends."""
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, start, button, modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        send_mouse(widget, QMouseEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), button, modifiers)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, end, button, modifiers)


def click(widget, pos: QPoint, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    send_mouse(widget, QMouseEvent.Type.MouseButtonPress, pos, button, modifiers)
    send_mouse(widget, QMouseEvent.Type.MouseButtonRelease, pos, button, modifiers)


def mido_file(path, tracks, tpb=480):
    """Write a type-1 MIDI file with mido: ``tracks`` is a list of lists of (absolute tick, message)."""
    Path(path).write_bytes(type1_file(tracks, tpb))
    return path


def read_only(folder, monkeypatch) -> None:
    """Nothing can be created or opened for writing in ``folder``, as in a read-only folder (faked at the
    OS call: the tests may run as root, whom permissions do not stop)."""
    real_open = os.open

    def deny(path, *args, **kw):
        if str(path).startswith(str(folder)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", deny)


def keep_note(window) -> str:
    """What the Takes panel says Keep and Keep as New Track do with the current take (empty: no take is
    current): said under their buttons, not in the Generate panel's message."""
    return window.generate.takes_panel.keep_note.text()
