"""Takes drawn over the piano roll: each in its own colour, translucent with a dashed outline until kept.

A take of the parts engine is a set of parts: each part is drawn in its track's colour (a new part in the
colour its new track will get), so the user sees which track each note goes to. The current take is drawn
stronger than the others, so comparing them by eye works like comparing them
by ear. The items belong to the overlay, not to the score: they sit under one invisible parent above the
note layers and are never hit by the roll's gestures (those ask the model, not the items).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsScene

from musestudio.core.project import Project
from musestudio.core.timing import bar_ticks, signature_at
from musestudio.ml.generate.request import Take
from musestudio.ui.generate.audition import PREVIEW_LEAD_BARS
from musestudio.ui.pianoroll.scene import ROWS, note_rect

Z_TAKES = 5  # above every track's notes, below the playhead
RANGE_FILL = QColor(255, 255, 255, 14)


class TakeOverlay:
    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.layer = QGraphicsRectItem()
        self.layer.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.layer.setZValue(Z_TAKES)
        scene.addItem(self.layer)
        self.range_item = QGraphicsRectItem(self.layer)  # the bars the takes cover
        self.range_item.setBrush(RANGE_FILL)
        self.range_item.setPen(QPen(Qt.PenStyle.NoPen))
        self.range_item.setVisible(False)
        # per row of the Takes list, as its take is drawn: its number, its colour, note items and each
        # item's part colour. By row, not number: takes of two Generates listed together may share one.
        self.numbers: list[int] = []
        self.take_colours: list[QColor] = []
        self.items: list[list[QGraphicsRectItem]] = []
        self.colours: list[list[QColor | None]] = []
        self.current: int | None = None  # the current row

    def show(
        self,
        takes: tuple[Take, ...],
        colours: Sequence[QColor],
        current: int | None,
        part_colours: Callable[[Take], list[str]] | None = None,
    ) -> None:
        """Draw ``takes`` each in its colour in ``colours`` (``current``: the current one's row);
        ``part_colours`` gives a parts take's colour per part (else the take's colour)."""
        self.clear()
        self.take_colours = list(colours)
        for take in takes:
            if take.parts and part_colours is not None:
                pairs = [
                    (n, QColor(colour))
                    for colour, (_, notes) in zip(part_colours(take), take.parts, strict=True)
                    for n in notes
                ]
            else:
                pairs = [(n, None) for n in take.notes]
            self.numbers.append(take.number)
            self.items.append([QGraphicsRectItem(note_rect(n), self.layer) for n, _ in pairs])
            self.colours.append([c for _, c in pairs])
        if takes:
            start, end = min(t.start for t in takes), max(t.end for t in takes)
            self.range_item.setRect(QRectF(start, 0, end - start, ROWS))
            self.range_item.setVisible(True)
        self.set_current(current)

    def set_current(self, row: int | None) -> None:
        self.current = row
        for r, (own, items) in enumerate(zip(self.take_colours, self.items, strict=True)):
            on = r == row
            for item, part in zip(items, self.colours[r], strict=True):
                colour = part or own
                fill = QColor(colour)
                fill.setAlpha(150 if on else 45)
                pen = QPen(colour.lighter(130) if on else colour)
                pen.setCosmetic(True)
                pen.setStyle(Qt.PenStyle.DashLine if on else Qt.PenStyle.DotLine)
                pen.setWidthF(1.5 if on else 1.0)
                item.setBrush(fill)
                item.setPen(pen)
                item.setZValue(1 if on else 0)

    def clear(self) -> None:
        for items in self.items:
            for item in items:
                self.scene.removeItem(item)
        self.numbers.clear()
        self.take_colours.clear()
        self.items.clear()
        self.colours.clear()
        self.range_item.setVisible(False)
        self.current = None

    def note_count(self, number: int) -> int:
        """How many notes are drawn for the takes numbered ``number``."""
        return sum(len(items) for n, items in zip(self.numbers, self.items, strict=True) if n == number)


def bring_into_view(view, takes: tuple[Take, ...], project: Project) -> None:
    """Scroll (and zoom out if need be) so the takes and the bars leading into them are on screen, their
    highest and lowest notes too: an arranged bass under the tune, or a tune moved up an octave, was drawn
    out of sight, and the takes looked as if they had no bass."""
    if not takes:
        return
    _into_view_in_time(view, takes, project)
    _into_view_in_pitch(view, takes)


def _into_view_in_pitch(view, takes: tuple[Take, ...]) -> None:
    """Leave the rows as they are when every note of the takes is in them; else zoom the rows out until
    the takes' range fits (as far as the roll zooms out) and centre it."""
    pitches = [n.pitch for t in takes for n in t.notes]
    if not pitches:
        return
    low, high = min(pitches), max(pitches)
    height = view.viewport().height()
    if view.pitch_to_y(high) >= 0 and view.pitch_to_y(low) + view.row_px <= height:
        return
    rows = high - low + 1
    if rows * view.row_px > height:
        view.zoom_pitch(height / (rows * view.row_px * 1.05))
    view.center_on_pitch((low + high) / 2)


def _into_view_in_time(view, takes: tuple[Take, ...], project: Project) -> None:
    start, end = min(t.start for t in takes), max(t.end for t in takes)
    left, right = view.visible_ticks()
    if left <= start and end <= right:
        return
    bar = bar_ticks(signature_at(project.time_signatures, start), project.ticks_per_beat)
    first = max(0, start - PREVIEW_LEAD_BARS * bar)  # the seed's last bars lead into the takes
    if end - first > right - left:
        view.zoom_time((right - left) / ((end - first) * 1.05))
    scroll = view.horizontalScrollBar()
    scroll.setValue(scroll.value() + int(view.tick_to_x(first)))
