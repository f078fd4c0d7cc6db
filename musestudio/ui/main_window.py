"""The main window: puts the piano roll, docks, toolbar, menus and status bar together and wires actions.

It owns no behaviour of its own beyond layout and wiring: edits live in the Editor, files in the
FileController, playback in the Transport, saving a recovery copy in the Autosaver.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QTabBar,
    QWidget,
)

from musestudio.audio.player import PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.project import Project
from musestudio.core.timing import SWING, beat_grid_rebarred, silent_bars
from musestudio.settings import Settings
from musestudio.ui.actions import Actions
from musestudio.ui.autosave import Autosaver, AutosaveStatus
from musestudio.ui.bars import BarEdits
from musestudio.ui.device import DeviceProbe
from musestudio.ui.dragout import DragOut, clip_project, track_clip
from musestudio.ui.editor import Editor
from musestudio.ui.filedrop import FileDrop
from musestudio.ui.files import PIECE_MESSAGE_MS, FileController
from musestudio.ui.focus import UndoEverywhere
from musestudio.ui.generate import GenerateController
from musestudio.ui.jam import Jam
from musestudio.ui.midi import MidiPorts
from musestudio.ui.midi_toolbar import MidiToolBar
from musestudio.ui.panels.history import HistoryPanel
from musestudio.ui.panels.inspector import InspectorPanel
from musestudio.ui.panels.tracks import MIN_WIDTH as TRACKS_MIN_WIDTH
from musestudio.ui.panels.tracks import WIDTH as TRACKS_WIDTH
from musestudio.ui.panels.tracks import TrackPanel
from musestudio.ui.pianoroll import PianoRollEditor
from musestudio.ui.record import Recording
from musestudio.ui.shortcuts import set_label
from musestudio.ui.state import EditorState
from musestudio.ui.statusbar import StatusBar
from musestudio.ui.toolbar import MainToolBar
from musestudio.ui.track_labels import track_label
from musestudio.ui.transport import Transport

ZOOM_STEP = 1.25
# the right column (Inspector, Generate, Takes) is 440 px where the roll still gets ROLL_WIDTH, and
# narrower (down to 240 px) in a small window, so at 1024 px the roll keeps more than half the width
MIN_SIDE_WIDTH, SIDE_WIDTH, ROLL_WIDTH = 240, 440, 600


class Reopen(NamedTuple):
    """What ``restart`` hands the fresh window (``app.carry_over``): the piece as it is and where it
    stands."""

    project: Project
    path: Path | None
    name: str
    modified: bool
    source: Path | None
    stamp: tuple[int, ...] | None
    # the takes listed (``GenerateController.recovery_takes``), carried in memory: with autosave failing (a
    # full disk, a read-only folder) the copy does not hold them, and read back from it they were lost
    takes: dict | None
    copy: Path | None  # the recovery copy the fresh window goes on with


class MainWindow(QMainWindow):
    def __init__(self, document: Document, settings: Settings, player: PlayerAdapter) -> None:
        super().__init__()
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.state = EditorState(document, self)
        self.state.set_snap(settings.get("snap"))
        self.state.note_length = settings.get("note_length")
        self.editor = Editor(self.state, self.undo_stack, self)
        self.actions = Actions(self)
        self.drag_out = DragOut(self._say_what_a_drag_changes)
        self.player = player
        self.transport = Transport(self.state, player, self)
        self.transport.set_metronome(settings.get("metronome"))

        self.roll = PianoRollEditor(self.editor, self, self.actions.move_controllers)
        self.setCentralWidget(self.roll)
        self.tracks = self._dock(
            "tracks", self.tr("Tracks"), TrackPanel(self.editor), Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector = self._dock(
            "inspector",
            self.tr("Inspector"),
            InspectorPanel(self.editor),
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.history = self._dock(
            "history",
            self.tr("History"),
            HistoryPanel(self.undo_stack, document),
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.toolbar = MainToolBar(self.actions, self.editor, self)
        self.addToolBar(self.toolbar)
        self._measure_the_toolbar()
        self.toolbar.resized.connect(self._measure_the_toolbar)
        self.toolbar.orientationChanged.connect(lambda _o: self._measure_the_toolbar())
        self.status = StatusBar(self.state, self)
        self.setStatusBar(self.status)
        self.files = FileController(self)
        self.autosaver = Autosaver(document, settings, self)
        self.autosave_status = AutosaveStatus(self, self.autosaver)
        self.generate = GenerateController(self)
        self.autosaver.takes_block = self.generate.recovery_takes
        self.generate.takes_changed.connect(self.autosaver.takes_changed)
        self.midi = MidiPorts(self)
        self.recording = Recording(self)
        self.jam = Jam(self)
        self.midi_toolbar = MidiToolBar(self.actions, self.midi, self)
        # beside the main toolbar where the keyboard picker and Record fit there, else on a row of its own
        # (``_fit_the_toolbars``)
        self.addToolBar(self.midi_toolbar)
        # hidden or shown again (the toolbars' context menu): laid out once it is done
        self.midi_toolbar.visibilityChanged.connect(
            lambda: QTimer.singleShot(0, self, self._fit_the_toolbars)
        )

        self._wire_actions()
        self.bars = BarEdits(self)
        self._wire_midi()
        self._build_menus()
        self.toolbar.finished.connect(self.roll.view.setFocus)
        self.undo_everywhere = UndoEverywhere(self)
        self.undo_everywhere.install(QApplication.instance())
        self.setAcceptDrops(True)
        self.file_drop = FileDrop(self, self.files.open_path)  # a file dropped on any child opens too
        self.resize(1400, 860)
        geometry, layout = settings.get("window_geometry"), settings.get("window_state")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not layout.isEmpty():
            self.restoreState(layout)
        self._first_layout = layout.isEmpty()
        player.status_changed.connect(self.status.set_audio_status)
        self.status.set_audio_status(player.status)
        self.device_probe = DeviceProbe(self)
        self.device_probe.found.connect(self.status.set_device)
        self.device_probe.found.connect(self.generate.panel.set_devices)
        self.files.update_title()
        self._midi_started = False
        self.reopen: Reopen | None = None  # set by restart()
        self._ask_before_closing = True  # False: close_unasked

    @property
    def document(self) -> Document:
        return self.state.document

    def _dock(self, name: str, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- wiring ----------------------------------------------------------------------------------------
    def _wire_actions(self) -> None:
        a, ed, view = self.actions, self.editor, self.roll.view
        for action, slot in (
            (a.new, self.files.new),
            (a.open, self.files.open_dialog),
            (a.save, self.files.save),
            (a.save_as, self.files.save_as),
            (a.import_midi, self.files.import_dialog),
            (a.export_midi, self.files.export_midi),
            (a.export_wav, self.files.export_wav),
            (a.preferences, self._preferences),
            (a.quit, self.close),
            (a.cut, ed.cut_selection),
            (a.copy, ed.copy_selection),
            (a.paste, self._paste),
            (a.duplicate, self._duplicate),
            (a.delete, ed.delete_selection),
            (a.select_all, ed.select_all),
            (a.select_none, lambda: self.state.set_selection(())),
            (a.transpose_up, lambda: self._transpose(1)),
            (a.transpose_down, lambda: self._transpose(-1)),
            (a.octave_up, lambda: self._transpose(12)),
            (a.octave_down, lambda: self._transpose(-12)),
            (a.step_up_in_key, lambda: self.editor.transpose_selection_in_key(1)),
            (a.step_down_in_key, lambda: self.editor.transpose_selection_in_key(-1)),
            (a.quantize, lambda: ed.quantize_selection()),  # not the slot itself: Qt would pass it "checked"
            (a.quantize_swing, lambda: ed.quantize_selection(SWING)),
            (a.rebar, ed.rebar_beat_grid),
            (a.trim_end, ed.trim_silent_end),
            (a.zoom_in, lambda: view.zoom_time(ZOOM_STEP)),
            (a.zoom_out, lambda: view.zoom_time(1 / ZOOM_STEP)),
            (a.zoom_in_pitch, lambda: view.zoom_pitch(ZOOM_STEP)),
            (a.zoom_out_pitch, lambda: view.zoom_pitch(1 / ZOOM_STEP)),
            (a.zoom_fit, view.zoom_to_fit),
            (a.scroll_left, lambda: view.scroll_by_page(-1)),
            (a.scroll_right, lambda: view.scroll_by_page(1)),
            (a.nudge_left, lambda: self._nudge(-1)),
            (a.nudge_right, lambda: self._nudge(1)),
            (a.go_to_start, self._go_to_start),
            (a.go_to_end, self._go_to_end),
            (a.play, self.transport.toggle),
            (a.play_from_start, self.transport.play_from_start),
            (a.add_marker, self._add_marker),
            (a.next_marker, lambda: self._jump_marker(self.document.project.next_marker)),
            (a.previous_marker, lambda: self._jump_marker(self.document.project.previous_marker)),
            (a.about, self._about),
            (a.shortcuts, self._show_shortcuts),
        ):
            action.triggered.connect(slot)
        for tool, action in a.tools.items():
            action.triggered.connect(lambda _=False, t=tool: self.state.set_tool(t))
        a.tools[self.state.tool].setChecked(True)
        self.state.tool_changed.connect(lambda tool: a.tools[tool].setChecked(True))
        a.loop.toggled.connect(self.state.set_loop_enabled)
        a.loop.toggled.connect(self._say_how_to_set_a_loop)
        self.state.loop_changed.connect(lambda: a.loop.setChecked(self.state.loop_enabled))
        a.metronome.setChecked(self.transport.metronome)
        a.metronome.toggled.connect(self._set_metronome)
        self.state.playhead_changed.connect(self._follow_playhead)
        for action, key in (
            (a.follow_playhead, "follow_playhead"),
            (a.chord_names, "chord_names"),
            (a.chords_all_tracks, "chords_all_tracks"),
        ):
            action.setChecked(self.settings.get(key))
            action.toggled.connect(lambda on, k=key: self.settings.set(k, on))
        a.chord_names.toggled.connect(self.roll.set_chords_visible)
        a.chords_all_tracks.toggled.connect(self.roll.chords.set_all_tracks)
        self.roll.set_chords_visible(a.chord_names.isChecked())
        self.roll.chords.set_all_tracks(a.chords_all_tracks.isChecked())
        self.roll.view.drag_out_selection.connect(self.drag_out_selection)
        self.tracks.widget().drag_out.connect(self.drag_out_track)
        self.inspector.widget().refused.connect(lambda why: self.statusBar().showMessage(why, 15000))
        self.inspector.widget().answered.connect(self.status.take_back)
        self.state.snap_changed.connect(lambda name: self.settings.set("snap", name))
        self.roll.audition.connect(self._audition)
        self.transport.playing_changed.connect(self._show_playing)
        self.transport.silent_play.connect(self._say_silent_play)
        self.transport.cannot_play.connect(
            lambda why: self.statusBar().showMessage(self.tr("Cannot play: %1").replace("%1", why), 8000)
        )
        self.state.selection_changed.connect(self._update_edit_actions)
        self._update_edit_actions()
        self.document.changed.connect(self._update_piece_edits)
        self._update_piece_edits()
        a.meter_change.triggered.connect(self._meter_change_here)
        a.key_change.triggered.connect(self._key_change_here)
        self.document.changed.connect(self._update_conductor_changes)
        self.state.playhead_changed.connect(self._update_conductor_changes)
        self._update_conductor_changes()

    def _wire_midi(self) -> None:
        """The keyboard's messages go to jam mode, else recording or step input; actions mirror the state."""
        a, s = self.actions, self.settings
        self.midi.connect_gui(self.on_midi_message, self.on_midi_input_closed)
        self.midi.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.player.status_changed.connect(lambda _t: self.midi.set_thru(s.get("midi_thru")))
        a.record.triggered.connect(self._toggle_record)
        self.recording.recording_changed.connect(a.record.setChecked)
        a.jam.triggered.connect(self._toggle_jam)
        self.jam.jam_changed.connect(a.jam.setChecked)
        a.step_input.toggled.connect(self.recording.set_step_input)
        for action, key, setter in (
            (a.record_replace, "record_replace", lambda on: s.set("record_replace", on)),
            (a.record_quantize, "record_quantize", lambda on: s.set("record_quantize", on)),
            (a.midi_thru, "midi_thru", self.midi.set_thru),
            (a.midi_clock, "midi_clock", self.midi.set_clock),
        ):
            action.setChecked(s.get(key))
            action.toggled.connect(setter)
        self.document.changed.connect(lambda *_: self.midi.project_changed(self.transport.playing_project()))

    def _toggle_record(self) -> None:
        self.recording.toggle()
        self.actions.record.setChecked(self.recording.recording)  # a start that failed leaves it off

    def _toggle_jam(self) -> None:
        self.jam.toggle()
        self.actions.jam.setChecked(self.jam.active)

    def on_midi_message(self, message) -> None:
        if not self.jam.feed(message):
            self.recording.feed(message)

    def on_midi_input_closed(self, when: float) -> None:
        """The keyboard went away at ``when`` (a perf_counter moment): what it held is let go there."""
        self.jam.let_go(when)
        self.recording.let_go(when)

    def _build_menus(self) -> None:
        a, bar = self.actions, self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        file.addActions([a.new, a.open])
        self.recent_menu = file.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addActions([a.save, a.save_as])
        file.addSeparator()
        file.addActions([a.import_midi, a.export_midi, a.export_wav])
        file.addSeparator()
        file.addActions([a.preferences, a.quit])

        edit = bar.addMenu(self.tr("&Edit"))
        undo = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        set_label(undo, self.tr("Undo"))  # their texts name the step; the shortcut list names the action
        set_label(redo, self.tr("Redo"))
        edit.addActions([undo, redo])
        edit.addSeparator()
        edit.addActions([a.cut, a.copy, a.paste, a.duplicate, a.delete])
        edit.addSeparator()
        edit.addActions([a.select_all, a.select_none])
        edit.addSeparator()
        edit.addActions([a.transpose_up, a.transpose_down, a.octave_up, a.octave_down])
        edit.addActions([a.step_up_in_key, a.step_down_in_key, a.quantize, a.quantize_swing])
        edit.addActions([a.nudge_left, a.nudge_right])
        edit.addSeparator()
        edit.addActions([a.insert_bars, a.delete_bars])
        edit.addSeparator()
        edit.addActions([a.meter_change, a.key_change, a.rebar, a.trim_end])
        edit.addAction(a.move_controllers)

        view = bar.addMenu(self.tr("&View"))
        view.addActions(list(a.tools.values()))
        view.addSeparator()
        view.addActions([a.zoom_in, a.zoom_out, a.zoom_in_pitch, a.zoom_out_pitch, a.zoom_fit])
        view.addSeparator()
        view.addActions([a.chord_names, a.chords_all_tracks])
        view.addSeparator()
        for dock in (self.tracks, self.inspector, self.history):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.toolbar.toggleViewAction())

        transport = bar.addMenu(self.tr("&Transport"))
        transport.addActions([a.play, a.play_from_start, a.go_to_start, a.go_to_end])
        transport.addActions([a.loop, a.metronome, a.follow_playhead])
        transport.addSeparator()
        transport.addActions([a.add_marker, a.previous_marker, a.next_marker])
        transport.addSeparator()
        transport.addActions([a.record, a.step_input, a.jam, a.record_replace, a.record_quantize])
        transport.addSeparator()
        transport.addActions([a.midi_thru, a.midi_clock])

        self.generate_menu = bar.addMenu(self.tr("&Generate"))
        self.generate.fill_menu(self.generate_menu)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([a.shortcuts, a.about])

    def _fill_recent(self) -> None:
        menu: QMenu = self.recent_menu
        menu.clear()
        recent = self.settings.get("recent_files")
        for path in recent:
            menu.addAction(path).triggered.connect(lambda _=False, p=path: self.files.open_recent(p))
        if not recent:
            menu.addAction(self.tr("(none)")).setEnabled(False)

    def _update_edit_actions(self) -> None:
        """The edits of the selection greyed out while nothing is selected; but not Cut, Copy and Duplicate,
        which say so (``Editor.copy_selection``), as Paste says there is nothing to paste: greyed, their
        shortcut did nothing and said nothing, and a musician took the notes for copied."""
        has = bool(self.state.selection)
        a = self.actions
        for action in (
            a.delete,
            a.transpose_up,
            a.transpose_down,
            a.octave_up,
            a.octave_down,
            a.step_up_in_key,
            a.step_down_in_key,
            a.quantize,
            a.quantize_swing,
            a.nudge_left,
            a.nudge_right,
        ):
            action.setEnabled(has)

    def _meter_change_here(self, on: bool) -> None:
        self.editor.set_meter_change_here(on)
        self.toolbar.show_playhead()
        if on:
            self.statusBar().showMessage(
                self.tr("A new meter starts at this bar: the meter box sets it"), 8000
            )

    def _key_change_here(self, on: bool) -> None:
        self.editor.set_key_change_here(on)
        self.toolbar.show_playhead()
        if on:
            self.statusBar().showMessage(self.tr("A new key starts at this bar: the key box sets it"), 8000)

    def _update_conductor_changes(self, *_args) -> None:
        """Meter/Key Change at This Bar: checked where one starts at the playhead's bar; bar 1's are the
        piece's own (the boxes set them), and a key change needs a key to start from."""
        project, bar = self.document.project, self.editor.bar_at_playhead()
        a = self.actions
        a.meter_change.setEnabled(bar > 0)
        a.meter_change.setChecked(bar > 0 and any(s.tick == bar for s in project.time_signatures))
        has_key = any(k.tick == bar for k in project.key_changes)
        a.key_change.setEnabled(bar > 0 and (has_key or project.key_at(bar) is not None))
        a.key_change.setChecked(bar > 0 and has_key)

    def _update_piece_edits(self, *_args) -> None:
        """The Edit menu's edits of the whole piece, offered where they change it."""
        project = self.document.project
        self.actions.rebar.setEnabled(beat_grid_rebarred(project) is not None)
        self.actions.trim_end.setEnabled(silent_bars(project) > 0)

    def _add_marker(self) -> None:
        """A marker at the playhead, selected. Where one is there already, that one is selected and the
        status bar says so: a second on the same tick would hide under the first in the marker row, Next
        and Previous Marker would reach only one, and the exported file would carry both."""
        tick = self.state.playhead
        there = next((m for m in self.document.project.markers if m.tick == tick), None)
        if there is not None:
            self.statusBar().showMessage(
                self.tr(
                    "“%1” is at the playhead already: double-click it in the marker row to rename it"
                ).replace("%1", there.text),
                8000,
            )
        marker = there if there is not None else self.editor.add_marker(tick)
        self.roll.markers.selected = marker.id
        self.roll.markers.update()

    def _say_how_to_set_a_loop(self, on: bool) -> None:
        """Loop turned on before any region is set loops nothing: the status bar says how to set one."""
        if on and self.state.loop is None:
            self.statusBar().showMessage(
                self.tr(
                    "Loop is on, but there is no loop region yet: drag along the bar ruler above the roll to "
                    "set one."
                ),
                10000,
            )

    def _jump_marker(self, find) -> None:
        """Next/previous marker from the playhead (the view follows it)."""
        marker = find(self.state.playhead)
        if marker is not None:
            self.state.set_playhead(marker.tick)
            self.roll.view.scroll_to_tick(marker.tick)

    def _show_playing(self, playing: bool) -> None:
        a, style = self.actions.play, self.style()
        a.setText(self.tr("&Stop") if playing else self.tr("&Play / Stop"))
        a.setIcon(
            style.standardIcon(
                QStyle.StandardPixmap.SP_MediaStop if playing else QStyle.StandardPixmap.SP_MediaPlay
            )
        )

    def _say_silent_play(self, why: str) -> None:
        """Why Play makes no sound here, and where the music still goes: the audio status at the far
        right reads as a detail, and a playhead moving in silence looks like a piece with nothing in it."""
        if self.midi.output is not None:
            text = self.tr("This computer plays no sound (%1): the music plays on MIDI out only.")
        else:
            text = self.tr(
                "Nothing is heard: %1. The playhead moves; to hear the music on another synth, choose a "
                "port in Out on the MIDI toolbar."
            )
        self.statusBar().showMessage(text.replace("%1", why), 15000)

    def _set_metronome(self, on: bool) -> None:
        self.transport.set_metronome(on)
        self.settings.set("metronome", on)

    def _follow_playhead(self, tick: int) -> None:
        if self.transport.playing and self.actions.follow_playhead.isChecked():
            self.roll.view.scroll_to_tick(tick)

    def _go_to_start(self) -> None:
        """Home: the playhead and the view back to bar 1 (playing goes on from there)."""
        self.state.set_playhead(0)
        self.roll.view.go_to_start()

    def _go_to_end(self) -> None:
        """To the last note's end, or the piece's own end where it ends in silent bars."""
        end = self.document.project.length
        self.state.set_playhead(end)
        self.roll.view.scroll_to_tick(end)

    def _nudge(self, direction: int) -> None:
        """Left/Right: the selection moves by one snap step (one undo step per press), its first note onto
        the next grid line exactly (``BarGrid.move``), its controllers with it when Move Controllers with
        Notes is on, as a drag takes them."""
        notes = self.state.selected_notes()
        if notes:
            ticks = self.state.grid().move(min(n.start for n in notes), direction)
            controllers = self.editor.controllers_moving_with(notes)
            self.editor.move_notes(notes, ticks, 0, text=self.tr("Nudge"), controllers=controllers)

    # -- drag out --------------------------------------------------------------------------------------
    def drag_out_selection(self) -> None:
        """The selection leaves the app as a .mid file (from the roll's drag-out grip)."""
        track, notes = self.state.active_track(), self.state.selected_notes()
        if track is None or not notes:
            return
        clip = clip_project(self.document.project, [(track, notes)])
        self.drag_out.start(
            self.roll.view,
            clip,
            self.tr("%1 selection").replace("%1", track_label(self.document.project, track)),
            track.colour,
        )

    def drag_out_track(self, track_id: int) -> None:
        track = self.document.project.track_by_id(track_id)
        clip = track_clip(self.document.project, track)
        self.drag_out.start(
            self.tracks.widget(), clip, track_label(self.document.project, track), track.colour
        )

    def _say_what_a_drag_changes(self, clip: Project) -> None:
        """What the dragged file changes from its tracks, in the status bar as Export MIDI says it (a parts
        take's new tracks sharing a channel go out on channels of their own)."""
        notes = self.files.export_change_notes(clip)
        if notes:
            text = self.tr("In the dragged file: %1").replace("%1", " ".join(notes))
            self.statusBar().showMessage(text, 15000)

    def _audition(self, pitch: int, velocity: int, drums: bool) -> None:
        """Sound ``pitch`` with the active track's instrument, on the drum kit with ``drums``. A piano key
        beside a drum track (a pitched take drawn over it) sounds a piano: the track's program is its kit's,
        which on a pitched channel is any instrument (the Jazz kit's is an Acoustic Bass)."""
        track = self.state.active_track()
        pitched_over_drums = track is not None and track.is_drum and not drums
        program = track.program if track is not None and not pitched_over_drums else 0
        self.player.audition(pitch, velocity, program, drums)

    # -- dialogs ---------------------------------------------------------------------------------------
    def _preferences(self) -> None:
        from musestudio.ui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self, self.midi)
        if dialog.exec():
            self.midi.apply_settings()
            for action, key in (
                (self.actions.midi_thru, "midi_thru"),
                (self.actions.midi_clock, "midi_clock"),
            ):
                action.setChecked(self.settings.get(key))
            if dialog.restart_wanted:  # the piece and the takes listed carry over (``restart``)
                self._reopen_for_preferences()
            elif self.settings.get("soundfont") != self.player.soundfont:
                self.statusBar().showMessage(
                    self.tr(
                        "Export WAV uses the new soundfont from now on; playback keeps the current one "
                        "until the window reopens."
                    ),
                    15000,
                )

    def _paste(self) -> None:
        """Paste at the playhead, and move the playhead on past the copy (stopped: playing, it would jump),
        so a second Paste puts the next copy after it, not on it, as a DAW's edit cursor moves on."""
        after = self.editor.paste()
        if after is None:
            return
        self._show_selection()
        if not self.transport.playing:
            self.state.set_playhead(after)

    def _duplicate(self) -> None:
        self.editor.duplicate_selection()
        self._show_selection()

    def _show_selection(self) -> None:
        """Scroll to the notes a Paste or Duplicate just put (they are selected): past the view's right edge
        they were put out of sight, a third Paste of a phrase at 1024 pixels wide seeming to do nothing."""
        notes = self.state.selected_notes()
        if notes:
            self.roll.view.show_span(min(n.start for n in notes), max(n.end for n in notes))

    def _transpose(self, semitones: int) -> None:
        if not self.editor.transpose_selection(semitones):
            self.statusBar().showMessage(
                self.tr("Not transposed: a selected note would go past MIDI's range of pitches (0-127)"), 5000
            )

    def close_unasked(self) -> None:
        """Close without a question (unsaved changes, takes not kept, a Generate running): for the
        self-test, scripts, benchmarks and tests, whose piece and takes are their own (a question nobody
        answers waits for ever)."""
        self._ask_before_closing = False
        self.close()

    def _reopen_for_preferences(self) -> None:
        """Reopen the window as Preferences asked; the user kept a Generate running instead (``restart``):
        the status bar says the new settings wait for the next start, as they were stored."""
        if not self.restart():
            self.statusBar().showMessage(
                self.tr(
                    "The window was not reopened, so the Generate goes on: the new settings that need a "
                    "fresh window apply the next time MuseStudio starts."
                ),
                15000,
            )

    def restart(self) -> bool:
        """Close so that ``run_gui`` opens a fresh window (e.g. in a new language) on the same piece;
        False when the user chose to keep this one.

        The piece, its file (and the version of it the piece knows, and the MIDI file it came from), its
        unsaved changes and the takes listed carry over unasked (in ``reopen``; the recovery copy stays and
        goes on); only the undo history starts afresh. A Generate still drawing takes cannot
        carry over: as quitting does, the user is asked first (``FileController.may_stop_generate``), and
        Cancel keeps the window, the Generate running and whatever is being recorded; going on stops its
        worker before the window goes (``closeEvent``). A take being recorded or jammed goes into the piece
        first, as closing puts it there.
        """
        if self.generate.busy and not self.files.may_stop_generate(reopening=True):
            return False
        if not self.generate.may_stop_learning(reopening=True):
            return False
        self.jam.shutdown()
        self.recording.stop()
        self.reopen = Reopen(
            self.document.project,
            self.files.path,
            self.files.name,
            self.document.modified,
            self.files.source,
            self.files.stamp,
            self.generate.recovery_takes(),
            self.autosaver.keep_for_later(),
        )
        self.close()
        return True

    def _about(self) -> None:
        from musestudio import __version__

        QMessageBox.about(
            self,
            self.tr("About MuseStudio"),
            self.tr(
                "<b>MuseStudio %1</b><p>An offline composing app: piano roll, FluidSynth playback "
                "and our own generative models.</p>"
            ).replace("%1", __version__),
        )

    def _show_shortcuts(self) -> None:
        from musestudio.ui.shortcuts import ShortcutsDialog

        ShortcutsDialog(self).exec()

    # -- window events ---------------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab pass over the docks behind another tab (History behind Takes, the Inspector
        behind Generate): Qt keeps those in the focus chain, out of sight, and the next key would act on a
        panel the user cannot see."""
        start = QApplication.focusWidget()
        for _ in range(len(self.findChildren(QWidget))):
            if not super().focusNextPrevChild(next):
                return False
            now = QApplication.focusWidget()
            if now is start or not self._behind_another_tab(now):
                return True
        return True

    def _behind_another_tab(self, widget: QWidget | None) -> bool:
        dock = widget
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        # Qt parks such a dock outside the window rather than hiding it
        return dock is not None and not dock.isFloating() and not self.rect().intersects(dock.geometry())

    def resizeEvent(self, event) -> None:
        """The toolbars laid out for the new width, and the roll kept wide enough."""
        super().resizeEvent(event)
        if self.isVisible() and event.size().width() < event.oldSize().width():
            QTimer.singleShot(0, self._keep_room_for_the_roll)
        self._fit_the_toolbars()

    def _measure_the_toolbar(self) -> None:
        """The main toolbar's width with text beside the transport icons and with the icons alone, again
        whenever the BPM box takes a new width (its beat's mark: a 2/2 piece's is wider, by 28 px in
        Chinese)."""
        self._toolbar_wide = self._toolbar_width(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._toolbar_narrow = self._toolbar_width(Qt.ToolButtonStyle.ToolButtonIconOnly)
        if self.isVisible():
            self._fit_the_toolbars()

    def _toolbar_width(self, style: Qt.ToolButtonStyle) -> int:
        self.toolbar.setToolButtonStyle(style)
        self.toolbar.layout().invalidate()  # the buttons' new sizes count now, not after their layout request
        return self.toolbar.sizeHint().width()

    def _fit_the_toolbars(self) -> None:
        """Lay the toolbars out for the window's width, so every box of the main toolbar stays in view and
        a musician with a keyboard sees its picker and Record, at the least cost to the roll's height.

        The MIDI toolbar goes beside the main one wherever its picker and Record fit there (what else does
        not goes into its » menu; every action is also in the Transport menu), the transport buttons
        showing only their icons if that is what makes the room; only a window too narrow even so gives
        it a row of its own. A MIDI toolbar the user hid or moved out of the top row is left as it is."""
        width = self.width()
        placed = self._midi_toolbar_shown_in_the_top_row()
        beside = self.midi_toolbar.width_showing_record() if placed else 0
        one_row = width >= self._toolbar_narrow + beside
        room = width - beside if one_row else width  # for the main toolbar
        wide = room >= self._toolbar_wide
        self.toolbar.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if wide else Qt.ToolButtonStyle.ToolButtonIconOnly
        )
        if placed:
            self._give_the_midi_toolbar_a_row_of_its_own(not one_row)
        # The window is never made narrower than the main toolbar with its icons alone, so no box of it goes
        # into its » menu (sharing its row with the MIDI toolbar, it has that room already: a floor then
        # would stop the window short of the width that gives the MIDI toolbar a row of its own).
        floor = not (placed and one_row) and self.toolbar.orientation() == Qt.Orientation.Horizontal
        self.toolbar.setMinimumWidth(self._toolbar_narrow if floor else 0)

    def _midi_toolbar_shown_in_the_top_row(self) -> bool:
        top = Qt.ToolBarArea.TopToolBarArea
        return (
            not self.midi_toolbar.isHidden()
            and self.toolBarArea(self.toolbar) == top
            and self.toolBarArea(self.midi_toolbar) == top
        )

    def _give_the_midi_toolbar_a_row_of_its_own(self, own: bool) -> None:
        if own and not self.toolBarBreak(self.midi_toolbar):
            self.insertToolBarBreak(self.midi_toolbar)
        elif not own and self.toolBarBreak(self.midi_toolbar):
            self.removeToolBarBreak(self.midi_toolbar)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.device_probe.start)
        QTimer.singleShot(0, self.hide_stale_tab_bars)
        self.file_drop.watch()
        if not self._midi_started:
            self._midi_started = True
            QTimer.singleShot(0, self._start_midi)

    def _start_midi(self) -> None:
        """Find the MIDI system. What it says at start-up (no MIDI, the port opened) gives way to a message
        already up about the piece opened with the app: the MIDI toolbar's pickers keep the MIDI state, and
        the piece's message is the one the user has not seen anywhere else yet."""
        bar = self.statusBar()
        shown = bar.currentMessage()
        self.midi.start()
        if shown and bar.currentMessage() != shown:
            bar.showMessage(shown, PIECE_MESSAGE_MS)

    def hide_stale_tab_bars(self) -> None:
        """Hide the dock tab bars Qt made and then forgot (two tabified pairs leave a stray one in view).

        The layout places the bars it uses; a bar it no longer uses stays wherever it is. So every bar is
        parked at a 1 px spot, the layout is run, and the bars still parked are the stray ones.
        """
        bars = [b for b in self.findChildren(QTabBar) if b.parent() is self and b.isVisible()]
        for bar in bars:
            bar.setGeometry(QRect(0, 0, 1, 1))
        # places every dock and tab bar again, in the whole window: the layout's own geometry is still empty
        # just after the window is shown, and placed in no room every dock came out at its narrowest (at
        # every start after the first, the Generate panel's choices cut off in a column 180 pixels wide)
        self.layout().setGeometry(self.rect())
        for bar in bars:
            if bar.geometry() == QRect(0, 0, 1, 1):
                bar.hide()
        if self._first_layout:  # no layout of the user's own: the docks share a small window fairly
            self._first_layout = False
            left = max(TRACKS_MIN_WIDTH, min(TRACKS_WIDTH, self.width() - ROLL_WIDTH - MIN_SIDE_WIDTH))
            right = max(MIN_SIDE_WIDTH, min(SIDE_WIDTH, self.width() - left - ROLL_WIDTH))
            self.resizeDocks([self.tracks, self.inspector], [left, right], Qt.Orientation.Horizontal)
            # once the columns' new widths are laid out: the choices' height depends on their width
            QTimer.singleShot(0, self, self.generate.share_the_column)

    def _keep_room_for_the_roll(self) -> None:
        """A window made narrower takes the width from the right column first (down to its minimum),
        not from the roll alone, which is what a QMainWindow would do."""
        short = ROLL_WIDTH - self.roll.width()
        right = Qt.DockWidgetArea.RightDockWidgetArea
        side = max(
            (d for d in self.findChildren(QDockWidget) if d.isVisible() and self.dockWidgetArea(d) == right),
            key=lambda d: d.width(),
            default=None,
        )
        if short > 0 and side is not None and side.width() > MIN_SIDE_WIDTH:
            width = max(MIN_SIDE_WIDTH, side.width() - short)
            self.resizeDocks([side], [width], Qt.Orientation.Horizontal)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.files.droppable(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.files.droppable(event.mimeData())
        if path:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.files.open_path(path))

    def closeEvent(self, event: QCloseEvent) -> None:
        reopening = self.reopen is not None
        self.jam.shutdown()  # a phrase or take being recorded goes into the piece before it is saved
        self.recording.stop()
        asking = self._ask_before_closing and not reopening
        if asking and not (self.generate.may_stop_learning() and self.files.maybe_save(quitting=True)):
            event.ignore()
            return
        self.transport.stop()
        self.midi.close()
        self.generate.shutdown()
        self.settings.set("window_geometry", self.saveGeometry())
        self.settings.set("window_state", self.saveState())
        self.settings.set("note_length", self.state.note_length)
        if not reopening:  # the reopened window goes on from this recovery copy
            self.autosaver.discard()
        self.player.close()  # its clock thread too (a machine without a sound card runs one)
        event.accept()
