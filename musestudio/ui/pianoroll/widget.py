"""The piano-roll editor widget: ruler over the roll, keyboard at its left, velocity lane below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from musestudio.ui.editor import Editor
from musestudio.ui.pianoroll.keyboard import WIDTH as KEYBOARD_WIDTH
from musestudio.ui.pianoroll.keyboard import KeyboardWidget
from musestudio.ui.pianoroll.ruler import RulerWidget
from musestudio.ui.pianoroll.scene import RollScene
from musestudio.ui.pianoroll.velocity import VelocityLane
from musestudio.ui.pianoroll.view import PianoRollView


class PianoRollEditor(QWidget):
    audition = Signal(int, int)  # pitch, velocity

    def __init__(self, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.scene = RollScene(editor.state, self)
        self.view = PianoRollView(self.scene, editor)
        self.ruler = RulerWidget(self.view, editor.state)
        self.keyboard = KeyboardWidget(self.view)
        self.velocity = VelocityLane(self.view, editor)

        roll = QWidget()
        grid = QGridLayout(roll)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        grid.addWidget(self.ruler, 0, 1)
        grid.addWidget(self.keyboard, 1, 0)
        grid.addWidget(self.view, 1, 1)

        lane = QWidget()
        lane_layout = QGridLayout(lane)
        lane_layout.setContentsMargins(0, 0, 0, 0)
        lane_layout.setSpacing(0)
        label = QLabel(self.tr("Velocity"))
        label.setFixedWidth(KEYBOARD_WIDTH)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setStyleSheet("background:#16181b; color:#9aa0a8; font-size:10px;")
        lane_layout.addWidget(label, 0, 0)
        lane_layout.addWidget(self.velocity, 0, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(roll)
        splitter.addWidget(lane)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 100])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.keyboard.width_changed.connect(label.setFixedWidth)  # keep the lane under the roll
        self.view.audition.connect(self.audition)
        self.keyboard.key_pressed.connect(lambda pitch: self.audition.emit(pitch, 100))
