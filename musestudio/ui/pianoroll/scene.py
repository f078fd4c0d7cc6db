"""The piano-roll scene, laid out in score units: x is ticks, y is 127 - pitch (one unit per row).

Zoom is only the view's transform, so zooming never touches the 10,000 note items; pens are cosmetic so
lines stay one pixel wide at any zoom. The scene mirrors the Document: it rebuilds on a new piece and, for
an edit, adds, removes or moves just the notes the Change names. Items never edit the model; the view turns
gestures into Editor calls. Notes of the active track sit on top; other tracks are drawn faded behind.

Note items are plain QGraphicsRectItems, one child of an invisible layer item per track,, not a Python subclass: a Python subclass makes Qt call back into
Python for every virtual (bounding rect, paint, shape) of every visible item, which at 10,000 notes costs
more than the painting itself. The note each item shows is kept beside it in ``notes``. Zoomed far out
(the overview), the layers are hidden and each track's notes are painted with one ``drawRects`` call.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene

from musestudio.core.document import Change
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, beat_unit_ticks, grid_line, signature_at
from musestudio.core.track import Track
from musestudio.ui.state import EditorState

ROWS = 128
BACKGROUND = QColor("#23262b")
ROW_BLACK_KEY = QColor("#1c1f23")
ROW_IN_KEY = QColor("#2b3037")
ROW_LINE = QColor("#2f333a")
OCTAVE_LINE = QColor("#4a505a")
GRID_LINE = QColor("#30353d")
BEAT_LINE = QColor("#3d434c")
BAR_LINE = QColor("#5d6572")
PLAYHEAD = QColor("#ff5a4f")
LOOP_FILL = QColor(120, 170, 255, 28)
BLACK_KEYS = frozenset((1, 3, 6, 8, 10))
MIN_GRID_PX = 5  # finer grid lines than this many pixels apart are left out


def pitch_top(pitch: int) -> float:
    return float(ROWS - 1 - pitch)


MIN_NOTE_PX = 5  # a 1-tick note (a drum machine's zero-length hit) is drawn at least this wide


def note_rect(n: Note, min_ticks: float = 0) -> QRectF:
    """The note's rectangle; ``min_ticks`` widens very short notes so they can be seen and clicked."""
    return QRectF(n.start, pitch_top(n.pitch), max(n.duration, min_ticks), 1.0)


def note_pen(colour: QColor, selected: bool) -> QPen:
    pen = QPen(QColor("#ffffff") if selected else colour.darker(180))
    pen.setCosmetic(True)
    pen.setWidthF(2.0 if selected else 1.0)
    return pen


NO_PEN = QPen(Qt.PenStyle.NoPen)


def style_note_item(
    item: QGraphicsRectItem, note: Note, colour: QColor, active: bool, selected: bool
) -> None:
    """Fill by track colour, darker for softer notes; other tracks' notes faded and without outline."""
    if not active:
        fill = QColor(colour)
        fill.setAlpha(70)
        item.setBrush(fill)
        item.setPen(NO_PEN)
        item.setZValue(0)
        return
    shade = 0.55 + 0.45 * note.velocity / 127
    fill = QColor.fromHsvF(
        colour.hueF(),
        colour.saturationF() * (0.55 if selected else 1.0),
        min(1.0, colour.valueF() * shade + (0.25 if selected else 0.0)),
    )
    item.setBrush(fill)
    item.setPen(note_pen(colour, selected))
    item.setZValue(1 if selected else 0)


class RollScene(QGraphicsScene):
    MIN_BARS = 32

    def __init__(self, state: EditorState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.project = state.document.project
        self.items_by_id: dict[int, QGraphicsRectItem] = {}
        self.notes: dict[int, tuple[Note, int]] = {}  # note id -> (note, track id)
        self.layers: dict[int, QGraphicsRectItem] = {}  # track id -> invisible parent of its note items
        self.overview = False
        self.min_ticks = 0.0  # the drawn width of the shortest notes, in ticks (follows the zoom)
        self._overview_rects: dict[int, tuple[list[QRectF], list[QRectF]]] = {}  # track -> (plain, selected)
        self._track_colours: dict[int, QColor] = {}
        self.setBackgroundBrush(BACKGROUND)
        pen = QPen(PLAYHEAD)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        self.playhead = QGraphicsLineItem(QLineF(0, 0, 0, ROWS))
        self.playhead.setPen(pen)
        self.playhead.setZValue(10)
        self.addItem(self.playhead)
        self.loop_item = QGraphicsRectItem()
        self.loop_item.setBrush(LOOP_FILL)
        self.loop_item.setPen(QPen(Qt.PenStyle.NoPen))
        self.loop_item.setZValue(0.5)
        self.addItem(self.loop_item)
        state.document.changed.connect(self._on_changed)
        state.active_track_changed.connect(lambda _id: self._restyle_all())
        state.selection_changed.connect(self._on_selection)
        state.snap_changed.connect(lambda _s: self.update())
        state.playhead_changed.connect(self._on_playhead)
        state.loop_changed.connect(self._on_loop)
        self._selected: frozenset[int] = frozenset()
        self.rebuild(self.project)
        self._on_loop()

    # -- model -> items ----------------------------------------------------------------------------------
    def rebuild(self, project: Project) -> None:
        for layer in self.layers.values():
            self.removeItem(layer)
        self.layers.clear()
        self.items_by_id.clear()
        self.notes.clear()
        self._overview_rects.clear()
        self.project = project
        for track in project.tracks:
            self._add_track(track)
        self._fit_scene_rect()
        self.update()

    def _add_track(self, track: Track) -> None:
        self._track_colours[track.id] = QColor(track.colour)
        layer = QGraphicsRectItem()
        layer.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        layer.setVisible(not self.overview)
        self.addItem(layer)
        self.layers[track.id] = layer
        self._stack_layer(track.id)
        for n in track.notes:
            self._add_note(n, track)

    def _remove_track(self, track: Track) -> None:
        for n in track.notes:
            self.items_by_id.pop(n.id, None)
            self.notes.pop(n.id, None)
        self.removeItem(self.layers.pop(track.id))
        self._overview_rects.pop(track.id, None)

    def _stack_layer(self, track_id: int) -> None:
        """The active track's notes in front of all others."""
        self.layers[track_id].setZValue(2 if track_id == self.state.active_track_id else 1)

    def _add_note(self, n: Note, track: Track) -> None:
        item = QGraphicsRectItem(note_rect(n, self.min_ticks), self.layers[track.id])
        self.items_by_id[n.id] = item
        self.notes[n.id] = (n, track.id)
        self._style(n.id)

    def _remove_note(self, note_id: int) -> None:
        item = self.items_by_id.pop(note_id, None)
        self.notes.pop(note_id, None)
        if item is not None:
            self.removeItem(item)

    def _on_changed(self, change: Change, project: Project) -> None:
        old = self.project
        self.project = project
        if change.timing or change.key:
            self.update()  # grid and in-key shading live in the background
        for tid in change.tracks_removed:
            self._remove_track(old.track_by_id(tid))
        for tid in change.tracks_added:
            self._add_track(project.track_by_id(tid))
        for tc in change.tracks:
            track = project.track_by_id(tc.track_id)
            self._overview_rects.pop(track.id, None)
            for nid in tc.removed:
                self._remove_note(nid)
            if tc.added or tc.changed:
                wanted = tc.added | tc.changed
                for n in track.notes:
                    if n.id in wanted:
                        item = self.items_by_id.get(n.id)
                        if item is None:
                            self._add_note(n, track)
                        else:
                            was = self.notes[n.id][0]
                            self.notes[n.id] = (n, track.id)
                            item.setRect(note_rect(n, self.min_ticks))
                            if was.velocity != n.velocity:  # a move or resize keeps the fill
                                self._style(n.id)
            if tc.settings:
                self._track_colours[track.id] = QColor(track.colour)
                for n in track.notes:
                    self._style(n.id)
        self._fit_scene_rect()

    def _style(self, note_id: int) -> None:
        note, track_id = self.notes[note_id]
        style_note_item(
            self.items_by_id[note_id],
            note,
            self._track_colours[track_id],
            track_id == self.state.active_track_id,
            note_id in self._selected,
        )

    def _restyle_all(self) -> None:
        for track_id in self.layers:
            self._stack_layer(track_id)
        for note_id in self.items_by_id:
            self._style(note_id)
        self._overview_rects.clear()
        if self.overview:
            self.update()

    def _on_selection(self) -> None:
        old, self._selected = self._selected, self.state.selection
        for nid in old ^ self._selected:
            if nid in self.notes:
                self._style(nid)
        self._overview_rects.pop(self.state.active_track_id, None)
        if self.overview:
            self.update()

    def _fit_scene_rect(self) -> None:
        p = self.project
        bar = bar_ticks(p.time_signatures[-1], p.ticks_per_beat)
        width = max(p.length + 8 * bar, self.MIN_BARS * bar)  # a loop's silent bars, and room after
        if abs(self.sceneRect().width() - width) > bar:
            self.setSceneRect(QRectF(0, 0, width, ROWS))

    def _on_playhead(self, tick: int) -> None:
        self.playhead.setLine(QLineF(tick, 0, tick, ROWS))

    def _on_loop(self) -> None:
        loop = self.state.loop
        self.loop_item.setVisible(loop is not None and self.state.loop_enabled)
        if loop is not None:
            self.loop_item.setRect(QRectF(loop[0], 0, loop[1] - loop[0], ROWS))

    # -- queries used by the view -----------------------------------------------------------------------
    def active_note_at(self, pos) -> Note | None:
        """The note of the active track under a scene position (the latest-starting one where they overlap).

        Answered from the model rather than the items, so it works the same when the items are hidden in
        the overview.
        """
        track = self.state.active_track()
        if track is None or not 0 <= pos.y() < ROWS:
            return None
        pitch, tick = ROWS - 1 - int(pos.y()), pos.x()
        hits = [
            n
            for n in track.notes
            if n.pitch == pitch and n.start <= tick < n.start + max(n.duration, self.min_ticks)
        ]
        return hits[-1] if hits else None

    def active_notes_in(self, rect: QRectF) -> list[Note]:
        track = self.state.active_track()
        if track is None:
            return []
        return [
            n
            for n in track.notes
            if n.start < rect.right()
            and n.end > rect.left()
            and rect.top() < ROWS - n.pitch
            and ROWS - 1 - n.pitch < rect.bottom()
        ]

    # -- overview: far zoomed out, notes are drawn in one batch per track instead of item by item -------
    def set_min_note_ticks(self, ticks: float) -> None:
        """Zoom changed: notes shorter than MIN_NOTE_PX get their rectangle widened to it (few do)."""
        old, self.min_ticks = self.min_ticks, ticks
        widest = max(old, ticks)
        for note_id, (n, _track) in self.notes.items():
            if n.duration < widest:
                self.items_by_id[note_id].setRect(note_rect(n, ticks))
        if self.overview:
            self._overview_rects.clear()
            self.update()

    def set_overview(self, on: bool) -> None:
        if on != self.overview:
            self.overview = on
            for layer in self.layers.values():
                layer.setVisible(not on)
            self.update()

    def _rects_for(self, track: Track) -> tuple[list[QRectF], list[QRectF]]:
        rects = self._overview_rects.get(track.id)
        if rects is None:
            selected = self._selected if track.id == self.state.active_track_id else frozenset()
            rects = (
                [note_rect(n, self.min_ticks) for n in track.notes if n.id not in selected],
                [note_rect(n, self.min_ticks) for n in track.notes if n.id in selected],
            )
            self._overview_rects[track.id] = rects
        return rects

    def _draw_overview_notes(self, painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        active = self.state.active_track_id
        for track in sorted(self.project.tracks, key=lambda t: t.id == active):
            plain, selected = self._rects_for(track)
            colour = QColor(self._track_colours[track.id])
            if track.id != active:
                colour.setAlpha(70)
            painter.setBrush(colour)
            painter.drawRects(plain)
            painter.setBrush(QColor("#ffffff"))
            painter.drawRects(selected)

    # -- background: rows, key shading, grid ------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, BACKGROUND)
        sx = painter.worldTransform().m11() or 1.0
        sy = painter.worldTransform().m22() or 1.0
        lo = max(0, int(rect.top()))
        hi = min(ROWS, int(rect.bottom()) + 1)
        for left, right, key in self._key_spans(rect.left(), rect.right()):
            for row in range(lo, hi):
                pitch = ROWS - 1 - row
                if key is not None and key.contains(pitch):
                    painter.fillRect(QRectF(left, row, right - left, 1), ROW_IN_KEY)
                elif pitch % 12 in BLACK_KEYS:
                    painter.fillRect(QRectF(left, row, right - left, 1), ROW_BLACK_KEY)
        pen = QPen(ROW_LINE)
        pen.setCosmetic(True)
        if sy >= 6:
            painter.setPen(pen)
            painter.drawLines([QLineF(rect.left(), r, rect.right(), r) for r in range(lo, hi + 1)])
        pen.setColor(OCTAVE_LINE)
        painter.setPen(pen)
        painter.drawLines(
            [
                QLineF(rect.left(), r + 1, rect.right(), r + 1)
                for r in range(lo, hi)
                if (ROWS - 1 - r) % 12 == 0
            ]
        )
        self._draw_grid(painter, rect, sx)
        if self.overview:
            self._draw_overview_notes(painter)

    def _key_spans(self, left: float, right: float) -> list[tuple[float, float, object]]:
        """The stretches of [left, right] with the key in force in each: the rows of a piece that changes
        key are shaded for the key of each part."""
        p = self.project
        starts = [(0, p.key)] + [(k.tick, k.key) for k in p.key_changes]
        spans = []
        for i, (tick, key) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else float("inf")
            lo, hi = max(left, tick if i else left), min(right, end)
            if lo < hi:
                spans.append((lo, hi, key))
        return spans

    def _draw_grid(self, painter: QPainter, rect: QRectF, sx: float) -> None:
        p = self.project
        tpb = p.ticks_per_beat
        left, right = max(0.0, rect.left()), rect.right()
        bars = bar_lines(p.time_signatures, tpb, int(right) + 1)
        snap = self.state.snap_step()
        grid, beats, bar_xs = [], [], []
        for i, bar in enumerate(bars):
            nxt = (
                bars[i + 1]
                if i + 1 < len(bars)
                else bar + bar_ticks(signature_at(p.time_signatures, bar), tpb)
            )
            if nxt < left or bar > right:
                continue
            bar_xs.append(bar)
            beat = beat_unit_ticks(signature_at(p.time_signatures, bar), tpb)
            if beat * sx >= MIN_GRID_PX:
                beats.extend(range(bar + beat, nxt, beat))
            if snap * sx >= MIN_GRID_PX:
                lines = (bar + grid_line(k, snap) for k in range(1, math.ceil((nxt - bar) / snap)))
                grid.extend(t for t in lines if (t - bar) % beat)
        pen = QPen(GRID_LINE)
        pen.setCosmetic(True)
        top, bottom = rect.top(), rect.bottom()
        for colour, xs in ((GRID_LINE, grid), (BEAT_LINE, beats), (BAR_LINE, bar_xs)):
            pen.setColor(colour)
            painter.setPen(pen)
            painter.drawLines([QLineF(x, top, x, bottom) for x in xs if left <= x <= right])
