"""The chord row over the roll: a chord name over each bar (or half bar where the harmony changes there).

The names come from the active track's notes or, with ``all_tracks``, from every track but the drums
(a lead line alone rarely spells its chords; the accompaniment does). They are worked out once per
project version and choice, not on every paint, so scrolling costs nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from musestudio.core.chords import ChordSpan, chords_in_bars
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, signature_at
from musestudio.ui.pianoroll.view import PianoRollView
from musestudio.ui.state import EditorState

HEIGHT = 18
BACKGROUND = QColor("#191b1f")
TEXT = QColor("#c9b8ff")
DIVIDER = QColor("#3a3f47")


def project_chords(project: Project, track_id: int | None, all_tracks: bool) -> list[ChordSpan]:
    """The chord spans of one track (``track_id``) or of all pitched tracks, bar by bar."""
    tracks = [t for t in project.tracks if not t.is_drum and (all_tracks or t.id == track_id) and t.notes]
    notes = [n for t in tracks for n in t.notes]
    if not notes:
        return []
    tpb, sigs = project.ticks_per_beat, project.time_signatures
    end = max(n.end for n in notes)
    lines = bar_lines(sigs, tpb, end + 1)
    bars = [
        (b, lines[i + 1] if i + 1 < len(lines) else b + bar_ticks(signature_at(sigs, b), tpb))
        for i, b in enumerate(lines)
        if b < end
    ]
    key = project.key
    return chords_in_bars(notes, bars, flats=key is not None and key.sharps < 0)


class ChordRow(QWidget):
    def __init__(self, view: PianoRollView, state: EditorState, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.state = state
        self.all_tracks = False
        self.setFixedHeight(HEIGHT)
        self._cache_key: tuple | None = None
        self._spans: list[ChordSpan] = []
        view.view_changed.connect(self.update)
        state.document.changed.connect(lambda *_: self.update())
        state.active_track_changed.connect(lambda _id: self.update())

    def sizeHint(self) -> QSize:
        return QSize(800, HEIGHT)

    def set_all_tracks(self, on: bool) -> None:
        self.all_tracks = on
        self.update()

    def chords(self) -> list[ChordSpan]:
        """The spans shown now (recomputed only when the piece, the active track or the choice changed)."""
        project = self.state.document.project
        key = (project, self.state.active_track_id, self.all_tracks)  # holds the project: no id reuse
        old = self._cache_key
        if old is None or old[0] is not project or old[1:] != key[1:]:
            self._cache_key = key
            self._spans = project_chords(project, self.state.active_track_id, self.all_tracks)
        return self._spans

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        left, right = self.view.x_to_tick(0), self.view.x_to_tick(self.width())
        metrics = p.fontMetrics()
        for span in self.chords():
            if span.end < left or span.start > right:
                continue
            x0, x1 = self.view.tick_to_x(span.start), self.view.tick_to_x(span.end)
            p.setPen(DIVIDER)
            p.drawLine(int(x0), 3, int(x0), HEIGHT - 3)
            if x1 - x0 - 6 >= metrics.horizontalAdvance(span.name[:2]):  # too narrow: leave the name out
                p.setPen(TEXT)
                text = metrics.elidedText(span.name, Qt.TextElideMode.ElideRight, int(x1 - x0 - 6))
                p.drawText(QRectF(x0 + 4, 0, x1 - x0 - 6, HEIGHT), Qt.AlignmentFlag.AlignVCenter, text)
        p.setPen(QColor("#0c0d0f"))
        p.drawLine(0, HEIGHT - 1, self.width(), HEIGHT - 1)
