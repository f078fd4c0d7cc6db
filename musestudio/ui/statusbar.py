"""The status bar: playhead position in bars:beats, the tempo and key there, audio status and compute device.

The audio status is cut short past ``AUDIO_WIDTH`` (whole in its tooltip): a silent card's reason, said
there in full, left the bar's messages a few words at 1024 pixels wide ("Nothing is heard: the audio device
USB car"), the message saying the card was lost among them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from musestudio.core.timing import counted_bpm, ticks_to_bar_beat
from musestudio.ui.keynames import key_label
from musestudio.ui.state import EditorState
from musestudio.ui.tempo_words import tempo_mark
from musestudio.ui.toolbar import TEMPO_DECIMALS
from musestudio.ui.wrapping_label import ElidedLabel

AUDIO_WIDTH = 240  # pixels: "Audio: <card> (12 ms)" fits a short name; a long reason for silence is cut short


class StatusBar(QStatusBar):
    def __init__(self, state: EditorState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self.position = QLabel()
        self.tempo = QLabel()
        self.key = QLabel()
        self.audio = ElidedLabel()
        self.audio.setMaximumWidth(AUDIO_WIDTH)
        self.device = QLabel(self.tr("Compute: …"))
        for label in (self.position, self.tempo, self.key, self.audio, self.device):
            self.addPermanentWidget(label)
        state.playhead_changed.connect(lambda _t: self._show_position())
        state.document.changed.connect(lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self._show_position()

    def _show_at_playhead(self) -> None:
        """The tempo and key in force at the playhead, as the toolbar's boxes show them (one decimal: a
        file's 84.0001 BPM reads 84.0 in both; the tempo in the meter's counted beat, ``tempo_words``)."""
        project = self.state.document.project
        meter = project.meter_at(self.state.playhead)
        bpm = counted_bpm(project.tempo_at(self.state.playhead).bpm, meter)
        self.tempo.setText(tempo_mark(f"{bpm:.{TEMPO_DECIMALS}f}", meter))
        key = project.key_at(self.state.playhead)
        self.key.setText(self.tr("Key: %1").replace("%1", self.key_name(key) if key else self.tr("none")))

    def key_name(self, key) -> str:
        return key_label(key)

    def _show_position(self) -> None:
        project = self.state.document.project
        pos = ticks_to_bar_beat(self.state.playhead, project.time_signatures, project.ticks_per_beat)
        self.position.setText(self.tr("Position %1").replace("%1", str(pos)))  # bar:beat, 1-based
        self._show_at_playhead()

    def set_audio_status(self, text: str) -> None:
        self.audio.setText(text)
        self.audio.setToolTip(text)

    def set_device(self, name: str) -> None:
        self.device.setText(self.tr("Compute: %1").replace("%1", name))

    def take_back(self, message: str) -> None:
        """Clear ``message`` if it is still the one shown: a refusal since answered (the box took the value
        typed after it) would otherwise stay for seconds saying "Not taken" over a note that was changed."""
        if self.currentMessage() == message:
            self.clearMessage()
