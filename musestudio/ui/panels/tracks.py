"""The track list: colour, name, GM instrument, mute, solo and volume per track; add, rename, delete.

The instrument shares its line with the volume where its whole name fits beside it; where it does not (a
narrow list, 1024 px screens) every row gives the instrument a line of its own and the volume the line
below: a name cut to "Acoust… Piano" could be the grand piano or the bass. All rows change together, so
the volume sliders stay lined up as a mixer's do.

Rows are rebuilt only when tracks are added, removed or reordered; a settings change updates the row in
place, so a volume drag is never interrupted by its own edit. Each control asks the Editor for the change.
Dragging a row (by its name or empty space, not by a control) takes the track out as a .mid file.

Tab follows the layout: the rows top to bottom, each left to right and line by line, then Add, Rename and
Delete below them. Qt's focus chain follows the order widgets were made in, and the rows, rebuilt after
the buttons were made, came after them (after the other panels too, once a track was added), so every
rebuild sets the chain again.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from musestudio.core.document import Change
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import named_for_instrument
from musestudio.ui.commands import Gesture, has_ended, new_gesture
from musestudio.ui.editor import Editor
from musestudio.ui.gm import family_name, program_name
from musestudio.ui.track_labels import is_numbered, track_label, track_labels
from musestudio.ui.wrapping_label import ElidedLabel


def instrument_menu(parent: QWidget, on_pick) -> QMenu:
    """The grouped GM menu: 16 families of 8 programs, plus the drum kit; ``on_pick(program, is_drum)``.

    Its 145 actions are made the first time it opens: most track rows never open it.
    """
    menu = QMenu(parent)
    menu.aboutToShow.connect(lambda: menu.isEmpty() and _fill_instrument_menu(menu, on_pick))
    return menu


def _fill_instrument_menu(menu: QMenu, on_pick) -> None:
    for family in range(16):
        sub = menu.addMenu(family_name(family))
        for program in range(family * 8, family * 8 + 8):
            action = sub.addAction(f"{program + 1}  {program_name(program)}")
            action.triggered.connect(lambda _=False, p=program: on_pick(p, False))
    menu.addSeparator()
    drums = menu.addAction(program_name(0, is_drum=True))
    drums.triggered.connect(lambda: on_pick(0, True))


def _swatch(colour: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(QColor(colour))
    return QIcon(pix)


class VolumeSlider(QSlider):
    """A track's volume that the mouse wheel moves only once the slider has the focus (clicked or tabbed
    to): scrolling the track list over a row's slider scrolls the list, as in a DAW's mixer, rather than
    changing that track's volume a step at each notch."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone does not give it the focus

    def wheelEvent(self, event) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the list around it


class TrackName(ElidedLabel):
    """A track's name, cut short with "…" where the row is narrower (the whole name in the tooltip): the
    layout gives it only the room left, so a long name never pushes Mute, Solo or the volume out of view."""

    def __init__(self, hint: str) -> None:
        super().__init__()
        self.hint = hint
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_name(self, name: str, note: str) -> None:
        """Show ``name``; ``note``, where not empty, says more of it in the tooltip."""
        self.setText(name)
        self.setToolTip("\n".join(line for line in (name, note, self.hint) if line))


VOLUME_WIDTH = 80  # the volume slider beside the instrument
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum width", which PySide6 does not export


class TrackRow(QFrame):
    clicked = Signal(int)
    drag_out = Signal(int)  # the row was dragged: take the track out as a .mid file
    instrument_room_changed = Signal()  # its width or instrument name changed: the panel lays rows out again

    def __init__(self, track: Track, label: str, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.track_id = track.id
        self.editor = editor
        self._gesture: Gesture | None = None
        self._press = None  # where a press on the row itself (not a control) went down
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("trackRow")

        self.colour = QToolButton()
        self.colour.setAutoRaise(True)
        self.colour.setToolTip(self.tr("Track colour"))
        self.colour.clicked.connect(self._pick_colour)
        self.name = TrackName(
            self.tr("Double-click to rename; drag to a DAW or file manager to take the track out as MIDI")
        )
        self.instrument = QToolButton()
        self.instrument.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.instrument.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.instrument.setMenu(instrument_menu(self, self._pick_instrument))
        self.mute = self._toggle(self.tr("M"), self.tr("Mute"), "mute")
        self.solo = self._toggle(self.tr("S"), self.tr("Solo"), "solo")
        self.volume = VolumeSlider()
        self.volume.setRange(0, 127)
        self.volume.setToolTip(self.tr("Volume"))
        self.volume.sliderPressed.connect(self._begin_volume_drag)
        self.volume.sliderReleased.connect(self._end_volume_drag)
        self.volume.valueChanged.connect(self._volume_changed)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.colour)
        top.addWidget(self.name, 1)
        top.addWidget(self.mute)
        top.addWidget(self.solo)
        self._middle = QHBoxLayout()
        self._middle.setContentsMargins(0, 0, 0, 0)
        # still cut short ("…" in the middle) where even a line of its own is too narrow for the name
        self.instrument.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.instrument.setMinimumWidth(90)
        self._middle.addWidget(self.instrument, 1)
        self._bottom = QHBoxLayout()  # the volume, when the instrument has the line above to itself
        self._bottom.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(self._middle)
        layout.addLayout(self._bottom)
        self.instrument_alone = True  # set_instrument_alone(False) below puts the volume beside it
        self.set_instrument_alone(False)
        self.update_from(track, active=False, label=label)

    def instrument_fits_beside_volume(self) -> bool:
        """Whether the instrument's whole name fits on the line it would share with the volume slider."""
        margins = self.layout().contentsMargins()
        room = self.contentsRect().width() - margins.left() - margins.right()
        return room - VOLUME_WIDTH - self._middle.spacing() >= self.instrument.sizeHint().width()

    def set_instrument_alone(self, alone: bool) -> None:
        """Give the instrument a line of its own, the volume the line below at full width (``alone``), or
        put the volume beside the instrument."""
        if alone == self.instrument_alone:
            return
        self.instrument_alone = alone
        if alone:
            self._middle.removeWidget(self.volume)
            self.volume.setMinimumWidth(VOLUME_WIDTH)
            self.volume.setMaximumWidth(QWIDGETSIZE_MAX)
            self._bottom.addWidget(self.volume)
        else:
            self._bottom.removeWidget(self.volume)
            self.volume.setFixedWidth(VOLUME_WIDTH)
            self._middle.addWidget(self.volume)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.instrument_room_changed.emit()

    def controls(self) -> tuple[QWidget, ...]:
        """The row's controls in the order Tab visits them: the top line, then the bottom line."""
        return (self.colour, self.mute, self.solo, self.instrument, self.volume)

    def _toggle(self, text: str, tip: str, field: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setFixedSize(QSize(22, 20))
        button.toggled.connect(
            lambda on: self.editor.set_track(
                self.track_id,
                self.tr("Mute track") if field == "mute" else self.tr("Solo track"),
                **{field: on},
            )
        )
        return button

    def update_from(self, track: Track, active: bool, label: str) -> None:
        """Show ``track``; ``label`` is its name as shown among the piece's tracks (``track_labels``)."""
        for w in (self.mute, self.solo, self.volume):
            w.blockSignals(True)
        self.colour.setIcon(_swatch(track.colour))
        self.name.set_name(label, self._unnamed_note(track, label))
        if self.instrument.text() != program_name(track.program, track.is_drum):
            self.instrument.setText(program_name(track.program, track.is_drum))
            self.instrument_room_changed.emit()  # the new name may not fit where the old one did
        self.instrument.setToolTip(
            self.tr("General MIDI instrument: %1").replace("%1", program_name(track.program, track.is_drum))
        )
        self.mute.setChecked(track.mute)
        self.solo.setChecked(track.solo)
        if not self.volume.isSliderDown() or has_ended(self._gesture):
            self.volume.setValue(track.volume)
        for w in (self.mute, self.solo, self.volume):
            w.blockSignals(False)
        self.setProperty("active", active)
        self.setStyleSheet("#trackRow { background: %s; }" % ("#33404f" if active else "transparent"))

    def _pick_colour(self) -> None:
        track = self.editor.project.track_by_id(self.track_id)
        colour = QColorDialog.getColor(QColor(track.colour), self, self.tr("Track colour"))
        if colour.isValid():
            self.editor.set_track(self.track_id, self.tr("Change track colour"), colour=colour.name())

    def _pick_instrument(self, program: int, is_drum: bool) -> None:
        self.editor.set_track(self.track_id, self.tr("Change instrument"), program=program, is_drum=is_drum)

    def _begin_volume_drag(self) -> None:
        self._gesture = new_gesture()

    def _end_volume_drag(self) -> None:
        """The slider shows the track's volume again: what the drag left it at, unless a change it did not
        make (an undo while it was held) came meanwhile."""
        self._gesture = None
        self._show_volume()

    def _volume_changed(self, value: int) -> None:
        if has_ended(self._gesture):  # Ctrl+Z mid-drag ended the drag: the rest of it changes nothing
            self._show_volume()
            return
        self.editor.set_track(self.track_id, self.tr("Change volume"), gesture=self._gesture, volume=value)

    def _show_volume(self) -> None:
        self.volume.blockSignals(True)
        self.volume.setValue(self.editor.project.track_by_id(self.track_id).volume)
        self.volume.blockSignals(False)

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.track_id)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if (
            self._press is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press = None
            self.drag_out.emit(self.track_id)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def _unnamed_note(self, track: Track, label: str) -> str:
        """What the tooltip says of a track with no name of its own, shown by its instrument (and numbered
        where another plays the same): it follows the instrument until the user names it, and its file
        holds no name for it. Empty for a track with a name."""
        if not named_for_instrument(track):
            return ""
        if is_numbered(track, label):
            return self.tr(
                "No name of its own: called by its instrument, numbered to tell it from the tracks that play "
                "the same, until you rename it"
            )
        return self.tr("No name of its own: called by its instrument until you rename it")

    def mouseDoubleClickEvent(self, event) -> None:
        self.clicked.emit(self.track_id)
        self.rename()

    def rename(self) -> None:
        project = self.editor.project
        shown = track_label(project, project.track_by_id(self.track_id))
        name, ok = QInputDialog.getText(self, self.tr("Rename track"), self.tr("Track name:"), text=shown)
        # the name as shown, OK'd: no rename (a track with no name keeps none, one with a name keeps it)
        if ok and name.strip() != shown:
            self.editor.rename_track(self.track_id, name)


MIN_WIDTH, WIDTH = 190, 260  # 260: room for "Electric Bass (finger)" beside the volume slider


class TrackPanel(QWidget):
    drag_out = Signal(int)  # a track row was dragged out (track id)

    def __init__(self, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.state = editor.state
        self.rows: dict[int, TrackRow] = {}
        self._list = QVBoxLayout()
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(2)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(2, 2, 2, 2)
        inner_layout.addLayout(self._list)
        inner_layout.addStretch(1)
        self._scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._buttons: list[QToolButton] = []
        buttons = QHBoxLayout()
        for text, tip, slot in (
            (self.tr("Add"), self.tr("Add a track"), lambda: editor.add_track()),
            (self.tr("Rename"), self.tr("Rename the active track"), self._rename_active),
            (self.tr("Delete"), self.tr("Delete the active track"), self._delete_active),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self._buttons.append(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        # at least room for the controls (a long instrument name is cut short); 260 px when there is room
        self.setMinimumWidth(MIN_WIDTH)

        self.state.document.changed.connect(self._on_changed)
        self.state.active_track_changed.connect(lambda _i: self._restyle())
        self._rebuild(self.state.document.project)

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, super().sizeHint().height())

    def _rebuild(self, project: Project) -> None:
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows.clear()
        labels = track_labels(project)
        for track in project.tracks:
            row = TrackRow(track, labels[track.id], self.editor)
            row.clicked.connect(self.state.set_active_track)
            row.drag_out.connect(self.drag_out)
            row.instrument_room_changed.connect(self._fit_instruments)
            self._list.addWidget(row)
            self.rows[track.id] = row
        self._restyle()
        self._set_tab_order()

    def _fit_instruments(self) -> None:
        """Every row gives its instrument a line of its own where any row's instrument name does not fit
        beside the volume; none does where all fit. Every change of a row's width asks again, so a row
        measured before the list laid it out is put right once it has its width."""
        rows = list(self.rows.values())
        alone = not all(row.instrument_fits_beside_volume() for row in rows)
        for row in rows:
            row.set_instrument_alone(alone)

    def _set_tab_order(self) -> None:
        """The list, each row's controls in turn, then the buttons below: as the panel is laid out."""
        chain = [self._scroll, *(w for row in self.rows.values() for w in row.controls()), *self._buttons]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _restyle(self) -> None:
        """Every row shows its track again: a rename or a new instrument can change how other tracks are
        told apart (``track_labels``), not only the track's own row."""
        project = self.state.document.project
        labels = track_labels(project)
        for track in project.tracks:
            row = self.rows.get(track.id)  # a new track's row comes with the rebuild that follows
            if row is not None:
                row.update_from(track, track.id == self.state.active_track_id, labels[track.id])

    def _on_changed(self, change: Change, project: Project) -> None:
        if change.tracks_added or change.tracks_removed or change.tracks_reordered:
            self._rebuild(project)
        elif any(tc.settings for tc in change.tracks):
            self._restyle()

    def _rename_active(self) -> None:
        row = self.rows.get(self.state.active_track_id)
        if row is not None:
            row.rename()

    def _delete_active(self) -> None:
        if self.state.active_track_id >= 0:
            self.editor.delete_track(self.state.active_track_id)
