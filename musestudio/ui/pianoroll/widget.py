"""The piano-roll editor widget: marker row, tempo lane, chord row and ruler over the roll, keyboard at its
left, velocity and controller lanes below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.chordrow import ChordRow
from musestudio.ui.pianoroll.conductor import MarkerRow, TempoLane
from musestudio.ui.pianoroll.controllers import ControllerPanel
from musestudio.ui.pianoroll.keyboard import WIDTH as KEYBOARD_WIDTH
from musestudio.ui.pianoroll.keyboard import KeyboardWidget
from musestudio.ui.pianoroll.ruler import RulerWidget
from musestudio.ui.pianoroll.scene import RollScene
from musestudio.ui.pianoroll.velocity import VelocityLane
from musestudio.ui.pianoroll.view import PianoRollView


class PianoRollEditor(QWidget):
    # pitch, velocity, and whether it sounds on the drum kit: a note as its track plays it, a key as the
    # keyboard names it (a piano key over a pitched take drawn over the drums, ``PianoRollView.drum_rows``)
    audition = Signal(int, int, bool)

    def __init__(self, editor: Editor, parent=None, move_controllers: QAction | None = None) -> None:
        super().__init__(parent)
        self.scene = RollScene(editor.state, self)
        self.view = PianoRollView(self.scene, editor)
        self.ruler = RulerWidget(self.view, editor.state)
        self.ruler.setToolTip(
            self.tr(
                "Bar ruler: click to move the playhead; drag along it to set the loop region; right-click to "
                "insert or delete bars"
            )
        )
        self.keyboard = KeyboardWidget(self.view)
        self.velocity = VelocityLane(self.view, editor)
        self.markers = MarkerRow(self.view, editor)
        self.tempo = TempoLane(self.view, editor)
        self.chords = ChordRow(self.view, editor.state)
        if move_controllers is None:
            move_controllers = QAction(self.tr("Move Controllers with Notes"), self)
            move_controllers.setCheckable(True)
        move_controllers.toggled.connect(lambda on: setattr(editor.state, "move_controllers_with_notes", on))
        self.controllers = ControllerPanel(self.view, editor, move_controllers)
        labels = []

        roll = QWidget()
        grid = QGridLayout(roll)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        for row, (widget, text) in enumerate(
            (
                (self.markers, self.tr("Markers")),
                (self.tempo, self.tr("Tempo")),
                (self.chords, self.tr("Chords")),
                (self.ruler, ""),
            )
        ):
            grid.addWidget(widget, row, 1)
            labels.append(_side_label(text))
            grid.addWidget(labels[-1], row, 0)
        self._chord_label = labels[2]
        grid.addWidget(self.keyboard, 4, 0)
        grid.addWidget(self.view, 4, 1)

        lane = QWidget()
        lane_layout = QGridLayout(lane)
        lane_layout.setContentsMargins(0, 0, 0, 0)
        lane_layout.setSpacing(0)
        label = _side_label(self.tr("Velocity"))
        lane_layout.addWidget(label, 0, 0)
        lane_layout.addWidget(self.velocity, 0, 1)
        labels.append(label)
        cc = QWidget()
        cc_layout = QGridLayout(cc)
        cc_layout.setContentsMargins(0, 0, 0, 0)
        cc_layout.setSpacing(0)
        spacer = _side_label(self.controllers.choose.currentText().rstrip(" ●"))
        self.controllers.lane.lane_changed.connect(
            lambda _l: spacer.setText(self.controllers.choose.currentText().rstrip(" ●"))
        )
        labels.append(spacer)
        cc_layout.addWidget(spacer, 0, 0)
        cc_layout.addWidget(self.controllers, 0, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(roll)
        splitter.addWidget(lane)
        splitter.addWidget(cc)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([520, 70, 96])
        splitter.setStyleSheet("QSplitter::handle { background: #0c0d0f; }")
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        for side in labels:  # keep the lanes lined up with the roll: as wide as the keyboard, from the start
            side.setFixedWidth(self.keyboard.width())  # a drum track's names: wide before any change
            self.keyboard.width_changed.connect(side.setFixedWidth)
        self.view.audition.connect(
            lambda pitch, velocity: self.audition.emit(pitch, velocity, _on_drums(editor))
        )
        self.keyboard.key_pressed.connect(lambda pitch: self.audition.emit(pitch, 100, self.keyboard.drums))

    def set_chords_visible(self, on: bool) -> None:
        self.chords.setVisible(on)
        self._chord_label.setVisible(on)


def _on_drums(editor: Editor) -> bool:
    """Whether the active track, whose notes the roll's gestures hear, is a drum track."""
    track = editor.state.active_track()
    return bool(track and track.is_drum)


def _side_label(text: str) -> QLabel:
    """The caption left of a lane, as wide as the keyboard so the lanes line up with the roll."""
    label = QLabel(text)
    label.setFixedWidth(KEYBOARD_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("background:#16181b; color:#9aa0a8; font-size:10px;")
    return label
