"""Recording and step input from a MIDI keyboard: the Qt side of ``midi.recording``.

Record (R) plays a bar of count-in on the metronome from the playhead, then records into the active track
while the music plays; stopping (R again, or Space) lays the take in as one undo step, over what is there
(overdub) or in place of the recorded bars (replace), with note starts snapped to the grid when input
quantize is on. Step input, while stopped, enters each chord played at the playhead and moves it on by
the snap, to the next grid line the roll draws (counted from each bar line); Undo takes the cursor back
with the chord. Every message reaches ``feed`` on the GUI thread with its arrival time, so tests feed
recorded messages straight in without any MIDI server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QPen, QUndoCommand
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from musestudio.midi.recording import Recorded, StepInput, TakeRecorder, played_again, record_into
from musestudio.ui.pianoroll.scene import note_rect
from musestudio.ui.track_labels import track_label

DRAW_MS = 50  # how often the notes being recorded are redrawn
Z_RECORDING = 6  # above the notes and takes, below the playhead
RECORD_COLOUR = QColor("#e0504a")


class RecordingOverlay:
    """The notes of the take being recorded, drawn red over the roll as they are played (held ones
    growing); they join the score, as ordinary notes, when recording stops."""

    def __init__(self, scene) -> None:
        self.layer = QGraphicsRectItem()
        self.layer.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.layer.setZValue(Z_RECORDING)
        scene.addItem(self.layer)
        self.items: list[QGraphicsRectItem] = []

    def show(self, notes) -> None:
        self.clear()
        fill = QColor(RECORD_COLOUR)
        fill.setAlpha(170)
        pen = QPen(RECORD_COLOUR.lighter(140))
        pen.setCosmetic(True)
        for note in notes:
            item = QGraphicsRectItem(note_rect(note), self.layer)
            item.setBrush(fill)
            item.setPen(pen)
            self.items.append(item)

    def clear(self) -> None:
        for item in self.items:
            item.setParentItem(None)
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.items.clear()


@dataclass(frozen=True)
class _Step:
    """A chord step input entered: its undo step, and where it took the cursor from and to."""

    command: QUndoCommand
    cursor_before: int
    cursor_after: int


class Recording(QObject):
    recording_changed = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.editor = window.editor
        self.transport = window.transport
        self.settings = window.settings
        self.recorder: TakeRecorder | None = None
        self.track_id = -1
        self.step = StepInput()
        self.step_enabled = False
        self._steps: list[_Step] = []
        self._stack = window.undo_stack
        self._stack_index = self._stack.index()
        self._stack.indexChanged.connect(self._cursor_follows_undo)
        self.last_take: Recorded | None = None
        self.transport.playing_changed.connect(self._on_playing)
        self.state.loop_changed.connect(self._on_loop_changed)
        self.overlay = RecordingOverlay(window.roll.scene)
        self._draw_timer = QTimer(self)
        self._draw_timer.setInterval(DRAW_MS)
        self._draw_timer.timeout.connect(self._draw)

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    @property
    def replace(self) -> bool:
        return self.settings.get("record_replace")

    @property
    def quantize(self) -> bool:
        return self.settings.get("record_quantize")

    # -- record ----------------------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.recording:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        """Count in one bar from the playhead, then record into the active track."""
        if self.recording:
            return True
        track = self.state.active_track() or self.editor.new_track()  # none: the take makes a new one
        self.transport.stop()
        start = self.transport.start_tick()  # the take starts where the music does (a loop's start)
        if not self.transport.play(count_in=True, endless=True):
            self.window.statusBar().showMessage(
                self.tr("Cannot record: %1").replace("%1", self.transport.player.status), 8000
            )
            return False
        self.track_id = track.id
        step = self.state.snap_step() if self.quantize else 0
        project = self.state.document.project
        loop = self.transport.loop()
        self.recorder = TakeRecorder(
            lambda t: self.transport.tick_at(t, loop),
            start,
            project.ticks_per_beat,
            step,
            loop,
            time_signatures=project.time_signatures,  # the grid counted from each bar line, as drawn
        )
        self.transport.hold_loop()
        self._draw_timer.start()
        self.recording_changed.emit(True)
        mode = self.tr("replace") if self.replace else self.tr("overdub")
        self.window.statusBar().showMessage(
            self.tr("Recording into %1 (%2) after a bar of count-in")
            .replace("%1", track_label(project, track))
            .replace("%2", mode)
        )
        return True

    def stop(self) -> Recorded | None:
        """Stop the transport and lay the take in (one undo step); the take, or None when nothing came.

        A take whose track is gone (there was none, or it was deleted while recording) makes a new track
        in that same step. In overdub, a note played again on a note of the track (same key and start) goes
        in its place, and the status bar says how many did."""
        recorder = self.recorder
        if recorder is None:
            return None
        end = round(recorder.tick_at(time.perf_counter()))
        self.recorder = None
        self._draw_timer.stop()
        self.overlay.clear()
        self.transport.stop()
        self.recording_changed.emit(False)
        take = recorder.finish(max(end, recorder.last_tick))
        self.last_take = take
        if take.empty:
            self.window.statusBar().showMessage(self.tr("Recording stopped: nothing was played"), 5000)
            return None
        project = self.state.document.project
        track = next((t for t in project.tracks if t.id == self.track_id), None)
        text = self.tr("Record %n note(s)", "", len(take.notes))
        again = len(played_again(track, take)) if track is not None and not self.replace else 0
        if track is None:
            track = record_into(self.editor.new_track(), take, self.replace)
            self.track_id = track.id
            self.editor.push(project.add_track(track), text, active=track.id)
        else:
            self.editor.push(project.replace_track(record_into(track, take, self.replace)), text)
        self.state.set_selection(n.id for n in take.notes if self.state.active_track_id == self.track_id)
        self.window.statusBar().showMessage(self.recorded_text(take, again), 5000)
        return take

    def recorded_text(self, take: Recorded, again: int = 0) -> str:
        """The take's counts, as in "Recorded 3 notes and 1 controller event": each count has a phrase of
        its own, through its own %n, so each noun agrees with its own count (one %n for two counts left
        "1 controller events"). No controllers: the notes alone, not "and 0 controller events". ``again``
        notes of the track went out for the take's played on them, which the user is told. Jam mode says its
        phrases in these words too."""
        notes = self.tr("Recorded %n note(s)", "", len(take.notes))
        if again:
            notes = self.tr("%1 (%n in place of the same note(s) already there)", "", again).replace(
                "%1", notes
            )
        if not take.controllers:
            return notes
        return self.tr("%1 and %n controller event(s)", "", len(take.controllers)).replace("%1", notes)

    def _draw(self) -> None:
        if self.recorder is not None:
            now = round(self.recorder.tick_at(time.perf_counter()))
            self.overlay.show(self.recorder.notes_so_far(max(now, self.recorder.start)))

    def _on_loop_changed(self) -> None:
        """Loop turned off mid-take: the music and the take play on from where they are, to the end of the
        take. Any other change (a loop moved, or turned on, again too) waits for the end of the take, whose
        passes are counted by the loop it started with, or counted straight on once it was turned off."""
        if self.recorder is None:
            return
        if not self.state.loop_enabled and self.transport.loop() is not None:
            self.recorder.unloop(round(self.recorder.tick_at(time.perf_counter())))
            self.transport.play_on_past_the_loop()
        elif self.transport.loop() != (self.state.loop if self.state.loop_enabled else None):
            self.window.statusBar().showMessage(self.tr("The new loop plays once recording stops"), 8000)

    def _on_playing(self, playing: bool) -> None:
        if playing:  # keys held now are let go unseen by step input: its next chord must not wait for them
            self.step.reset()
        elif self.recording:  # Space, or the end of the music: the take ends there too
            self.stop()

    def let_go(self, when: float) -> None:
        """The keyboard went away at ``when`` (a perf_counter moment): the keys and pedals it held end
        there in the take, and step input waits for no key it held."""
        self.step.reset()
        if self.recorder is not None:
            self.recorder.let_go(round(self.recorder.tick_at(when)))

    # -- step input ------------------------------------------------------------------------------------
    def set_step_input(self, on: bool) -> None:
        self.step_enabled = on
        self.step.reset()
        if on:
            self.window.statusBar().showMessage(
                self.tr("Step input: play a note or chord; the cursor moves on by the snap"), 5000
            )

    # -- every message, on the GUI thread ----------------------------------------------------------------
    def feed(self, message) -> bool:
        """Record or step-enter ``message``; True when it was used."""
        if self.recorder is not None:
            self.recorder.feed(message)
            return True
        if self.step_enabled and not self.transport.playing:
            step = self.state.grid().move(self.state.playhead, 1)  # on to the next line the roll draws
            chord = self.step.feed(message, self.state.playhead, step)
            if chord:
                self._enter(chord, step)
            return True
        return False

    def _enter(self, chord, step: int) -> None:
        before, pushed = self.state.playhead, self._stack.index()
        self.editor.add_notes(chord, self.tr("Step input %n note(s)", "", len(chord)))
        if self._stack.index() == pushed + 1:
            self._steps.append(_Step(self._stack.command(pushed), before, before + step))
        self.state.set_selection(n.id for n in chord)
        self._move_cursor(before + step)

    def _move_cursor(self, tick: int) -> None:
        self.state.set_playhead(tick)
        self.window.roll.view.scroll_to_tick(tick)

    def _cursor_follows_undo(self, index: int) -> None:
        """In step input, Undo takes the cursor back with the chord, to where that chord was entered, so
        the next one comes in its place, not after a gap; Redo moves it on past the chord again. Once step
        input is off (or the music plays), Undo leaves the playhead alone, as for any edit."""
        previous, self._stack_index = self._stack_index, index
        if not shiboken6.isValid(self._stack):  # the window is closing: the stack is being cleared
            return
        self._steps = [s for s in self._steps if shiboken6.isValid(s.command)]  # the stack dropped these
        if not self.step_enabled or self.transport.playing or index == previous:
            return
        undone = index < previous
        command = self._stack.command(index if undone else index - 1)
        entered = next((s for s in self._steps if s.command is command), None)
        if entered is not None:
            self._move_cursor(entered.cursor_before if undone else entered.cursor_after)
