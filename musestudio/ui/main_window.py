"""The main window: puts the piano roll, docks, toolbar, menus and status bar together and wires actions.

It owns no behaviour of its own beyond layout and wiring: edits live in the Editor, files in the
FileController, playback in the Transport, saving a recovery copy in the Autosaver.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QMessageBox, QStyle

from musestudio.audio.player import PlayerAdapter
from musestudio.core.document import Document
from musestudio.settings import Settings
from musestudio.ui.actions import Actions
from musestudio.ui.autosave import Autosaver, AutosaveStatus
from musestudio.ui.device import DeviceProbe
from musestudio.ui.editor import Editor
from musestudio.ui.files import FileController
from musestudio.ui.focus import UndoEverywhere
from musestudio.ui.generate import GenerateController
from musestudio.ui.jam import Jam
from musestudio.ui.midi import MidiPorts
from musestudio.ui.midi_toolbar import MidiToolBar
from musestudio.ui.panels.history import HistoryPanel
from musestudio.ui.panels.inspector import InspectorPanel
from musestudio.ui.panels.tracks import TrackPanel
from musestudio.ui.pianoroll import PianoRollEditor
from musestudio.ui.record import Recording
from musestudio.ui.state import EditorState
from musestudio.ui.statusbar import StatusBar
from musestudio.ui.toolbar import MainToolBar
from musestudio.ui.transport import Transport

ZOOM_STEP = 1.25


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
        self.status = StatusBar(self.state, self)
        self.setStatusBar(self.status)
        self.files = FileController(self)
        self.autosaver = Autosaver(document, settings, self)
        self.autosave_status = AutosaveStatus(self, self.autosaver)
        self.generate = GenerateController(self)
        self.midi = MidiPorts(self)
        self.recording = Recording(self)
        self.jam = Jam(self)
        self.midi_toolbar = MidiToolBar(self.actions, self.midi, self)
        self.addToolBarBreak()
        self.addToolBar(self.midi_toolbar)

        self._wire_actions()
        self._wire_midi()
        self._build_menus()
        self.toolbar.finished.connect(self.roll.view.setFocus)
        self.undo_everywhere = UndoEverywhere(self)
        self.undo_everywhere.install(QApplication.instance())
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        geometry, layout = settings.get("window_geometry"), settings.get("window_state")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not layout.isEmpty():
            self.restoreState(layout)
        player.status_changed.connect(self.status.set_audio_status)
        self.status.set_audio_status(player.status)
        self.device_probe = DeviceProbe(self)
        self.device_probe.found.connect(self.status.set_device)
        self.device_probe.found.connect(self.generate.panel.set_devices)
        self.files.update_title()
        self._midi_started = False
        self.reopen: tuple | None = None  # set by restart(): (project, path, name, modified, recovery copy)

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
            (a.paste, ed.paste),
            (a.duplicate, ed.duplicate_selection),
            (a.delete, ed.delete_selection),
            (a.select_all, ed.select_all),
            (a.select_none, lambda: self.state.set_selection(())),
            (a.transpose_up, lambda: ed.transpose_selection(1)),
            (a.transpose_down, lambda: ed.transpose_selection(-1)),
            (a.octave_up, lambda: ed.transpose_selection(12)),
            (a.octave_down, lambda: ed.transpose_selection(-12)),
            (a.quantize, ed.quantize_selection),
            (a.zoom_in, lambda: view.zoom_time(ZOOM_STEP)),
            (a.zoom_out, lambda: view.zoom_time(1 / ZOOM_STEP)),
            (a.zoom_in_pitch, lambda: view.zoom_pitch(ZOOM_STEP)),
            (a.zoom_out_pitch, lambda: view.zoom_pitch(1 / ZOOM_STEP)),
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
        self.state.loop_changed.connect(lambda: a.loop.setChecked(self.state.loop_enabled))
        a.metronome.setChecked(self.transport.metronome)
        a.metronome.toggled.connect(self._set_metronome)
        self.state.playhead_changed.connect(self._follow_playhead)
        self.state.snap_changed.connect(lambda name: self.settings.set("snap", name))
        self.roll.audition.connect(self._audition)
        self.transport.playing_changed.connect(self._show_playing)
        self.state.selection_changed.connect(self._update_edit_actions)
        self._update_edit_actions()

    def _wire_midi(self) -> None:
        """The keyboard's messages go to jam mode, else recording or step input; actions mirror the state."""
        a, s = self.actions, self.settings
        self.midi.connect_gui(self.on_midi_message)
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
        edit.addActions([undo, redo])
        edit.addSeparator()
        edit.addActions([a.cut, a.copy, a.paste, a.duplicate, a.delete])
        edit.addSeparator()
        edit.addActions([a.select_all, a.select_none])
        edit.addSeparator()
        edit.addActions([a.transpose_up, a.transpose_down, a.octave_up, a.octave_down, a.quantize])
        edit.addSeparator()
        edit.addAction(a.move_controllers)

        view = bar.addMenu(self.tr("&View"))
        view.addActions(list(a.tools.values()))
        view.addSeparator()
        view.addActions([a.zoom_in, a.zoom_out, a.zoom_in_pitch, a.zoom_out_pitch])
        view.addSeparator()
        for dock in (self.tracks, self.inspector, self.history):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.toolbar.toggleViewAction())

        transport = bar.addMenu(self.tr("&Transport"))
        transport.addActions([a.play, a.play_from_start, a.loop, a.metronome])
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
            menu.addAction(path).triggered.connect(lambda _=False, p=path: self.files.open_path(p))
        if not recent:
            menu.addAction(self.tr("(none)")).setEnabled(False)

    def _update_edit_actions(self) -> None:
        has = bool(self.state.selection)
        a = self.actions
        for action in (
            a.cut,
            a.copy,
            a.duplicate,
            a.delete,
            a.transpose_up,
            a.transpose_down,
            a.octave_up,
            a.octave_down,
            a.quantize,
        ):
            action.setEnabled(has)

    def _add_marker(self) -> None:
        marker = self.editor.add_marker()
        self.roll.markers.selected = marker.id
        self.roll.markers.update()

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

    def _set_metronome(self, on: bool) -> None:
        self.transport.set_metronome(on)
        self.settings.set("metronome", on)

    def _follow_playhead(self, tick: int) -> None:
        if self.transport.playing:
            self.roll.view.scroll_to_tick(tick)

    def _audition(self, pitch: int, velocity: int) -> None:
        track = self.state.active_track()
        self.player.audition(pitch, velocity, track.program if track else 0, bool(track and track.is_drum))

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
            if dialog.restart_wanted:
                self.restart()

    def restart(self) -> None:
        """Close so that ``run_gui`` opens a fresh window (e.g. in a new language) on the same piece.

        Nothing is asked and nothing is lost: the piece, its file and its unsaved changes carry over (in
        ``reopen``), the recovery copy stays; only the undo history starts afresh.
        """
        self.reopen = (
            self.document.project,
            self.files.path,
            self.files.name,
            self.document.modified,
            self.autosaver.keep_for_later(),
        )
        self.close()

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
        rows = []
        for action in self.actions.all_actions():
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        rows += [
            (self.tr("Copy the selection"), self.tr("Ctrl+drag a note")),
            (self.tr("Move or resize off the grid"), self.tr("Alt+drag")),
            (self.tr("Add to or remove from the selection"), self.tr("Shift+click")),
            (self.tr("Erase a note"), self.tr("Right-click")),
            (self.tr("Zoom time / pitch"), self.tr("Ctrl+wheel / Ctrl+Shift+wheel")),
            (self.tr("Scroll sideways"), self.tr("Shift+wheel")),
        ]
        table = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in rows)
        QMessageBox.information(self, self.tr("Keyboard Shortcuts"), f"<table>{table}</table>")

    # -- window events ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.device_probe.start)
        if not self._midi_started:
            self._midi_started = True
            QTimer.singleShot(0, self.midi.start)

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
        if not reopening and not self.files.maybe_save():
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
