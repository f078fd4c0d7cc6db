"""The chord row over the roll: a chord name over each bar (or half bar where the harmony changes there).

The names come from the active track's notes or, with ``all_tracks``, from every track but the drums
(a lead line alone rarely spells its chords; the accompaniment does). Only the bars in view are named,
from the notes found by bisecting each track's start-sorted notes, and each bar's answer is remembered by
the notes it holds, so scrolling and dragging a note elsewhere in a 10,000-note piece cost next to nothing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from musestudio.core.chords import ChordSpan, chords_in_bars
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, signature_at
from musestudio.core.track import Track
from musestudio.ui.pianoroll.view import PianoRollView
from musestudio.ui.state import EditorState

HEIGHT = 18
BACKGROUND = QColor("#191b1f")
TEXT = QColor("#c9b8ff")
DIVIDER = QColor("#3a3f47")
MEMO_SIZE = 4096  # bars remembered


class _TrackIndex:
    """A track's note starts and longest note, to find the notes sounding in a stretch by bisection."""

    def __init__(self, track: Track) -> None:
        self.track = track
        self.starts = [n.start for n in track.notes]
        self.longest = max((n.duration for n in track.notes), default=0)

    def sounding(self, start: int, end: int) -> list[Note]:
        notes = self.track.notes
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [n for n in notes[lo:hi] if n.end > start]


class ChordNamer:
    """Chord spans of the bars in a stretch of a project, remembered bar by bar."""

    def __init__(self) -> None:
        self._indexes: dict[int, _TrackIndex] = {}
        self._memo: OrderedDict[tuple, list[ChordSpan]] = OrderedDict()

    def _index(self, track: Track) -> _TrackIndex:
        index = self._indexes.get(track.id)
        if index is None or index.track is not track:  # tracks are immutable: a new object, a new index
            index = self._indexes[track.id] = _TrackIndex(track)
        return index

    def chords(
        self, project: Project, track_id: int | None, all_tracks: bool, left: float, right: float
    ) -> list[ChordSpan]:
        tracks = [t for t in project.tracks if not t.is_drum and (all_tracks or t.id == track_id) and t.notes]
        if len(self._indexes) > 4 * max(1, len(project.tracks)):
            self._indexes.clear()
        if not tracks:
            return []
        end = min(int(right) + 1, max(t.end for t in tracks))
        tpb, sigs = project.ticks_per_beat, project.time_signatures
        lines = bar_lines(sigs, tpb, end + 1)
        flats = project.key is not None and project.key.sharps < 0
        out: list[ChordSpan] = []
        for i, start in enumerate(lines):
            stop = lines[i + 1] if i + 1 < len(lines) else start + bar_ticks(signature_at(sigs, start), tpb)
            if stop <= left or start >= end:
                continue
            notes = [n for t in tracks for n in self._index(t).sounding(start, stop)]
            if not notes:
                continue
            key = (start, stop, flats, tuple(notes))  # notes compare by their music
            spans = self._memo.get(key)
            if spans is None:
                spans = self._memo[key] = chords_in_bars(notes, [(start, stop)], flats)
                if len(self._memo) > MEMO_SIZE:
                    self._memo.popitem(last=False)
            out.extend(spans)
        return out


def project_chords(project: Project, track_id: int | None, all_tracks: bool) -> list[ChordSpan]:
    """The chord spans of the whole piece: of one track (``track_id``) or of all pitched tracks."""
    return ChordNamer().chords(project, track_id, all_tracks, 0, project.end)


class ChordRow(QWidget):
    def __init__(self, view: PianoRollView, state: EditorState, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.state = state
        self.all_tracks = False
        self.setFixedHeight(HEIGHT)
        self._namer = ChordNamer()
        view.view_changed.connect(self.update)
        state.document.changed.connect(lambda *_: self.update())
        state.active_track_changed.connect(lambda _id: self.update())

    def sizeHint(self) -> QSize:
        return QSize(800, HEIGHT)

    def set_all_tracks(self, on: bool) -> None:
        self.all_tracks = on
        self.update()

    def chords(self) -> list[ChordSpan]:
        """The spans over the bars in view."""
        left, right = self.view.x_to_tick(0), self.view.x_to_tick(self.width())
        project = self.state.document.project
        return self._namer.chords(project, self.state.active_track_id, self.all_tracks, left, right)

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
