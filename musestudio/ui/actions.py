"""Every menu and toolbar action, created in one place with its text, shortcut and tooltip.

Keeping them together (Frescobaldi's action collection) gives one list of shortcuts to check for clashes
and lets menus, toolbar and tests refer to the same QAction by name. Wiring them to behaviour is the main
window's job. The F1 list (``ui/shortcuts.py``) reads every QAction of the window, these and any other
(undo/redo, the takes' keys, actions a controller adds), so a new action with a shortcut needs no entry
anywhere else; a key that works only in one widget is declared with ``shortcuts.set_scoped_keys``.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from musestudio.ui.state import Tool

Std = QKeySequence.StandardKey

# Chinese (and Japanese) menus put the mnemonic in brackets after the words: "绘制(&D)"
_BRACKETED_MNEMONIC = re.compile(r"\s*[(（]&[^&][)）]")


def plain_text(text: str) -> str:
    """A menu text as a button, tooltip or list shows it: without the mnemonic, which only a menu uses (Qt
    drops the "&" but would leave "绘制(D)" of a Chinese one), and without a trailing "…"."""
    return re.sub(r"&(.)", r"\1", _BRACKETED_MNEMONIC.sub("", text)).rstrip("…")


def label_without_mnemonic(action: QAction) -> None:
    """A button for the action shows its text without the mnemonic, now and whenever the text changes
    (Play's becomes Stop). Qt's own button label drops the "&" but keeps the "(D)" a Chinese menu text puts
    after the words: "绘制(D)" on each tool was wide enough to push the key box off a 1024 px window."""

    def show() -> None:
        action.setIconText(plain_text(action.text()))

    action.changed.connect(show)
    show()


class Actions(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        a = self._action
        # File
        self.new = a(self.tr("&New"), Std.New)
        self.open = a(self.tr("&Open…"), Std.Open)
        self.save = a(self.tr("&Save"), Std.Save)
        self.save_as = a(self.tr("Save &As…"), Std.SaveAs)
        self.import_midi = a(self.tr("&Import MIDI…"), "Ctrl+I")
        self.export_midi = a(self.tr("Export &MIDI…"), "Ctrl+Shift+E")
        self.export_wav = a(self.tr("Export &WAV…"), "Ctrl+E")
        self.preferences = a(self.tr("&Preferences…"), "Ctrl+,")
        self.quit = a(self.tr("&Quit"), Std.Quit)
        # Edit (undo/redo come from the QUndoStack)
        self.cut = a(self.tr("Cu&t"), Std.Cut)
        self.copy = a(self.tr("&Copy"), Std.Copy)
        self.paste = a(self.tr("&Paste at Playhead"), Std.Paste)
        self.duplicate = a(self.tr("&Duplicate"), "Ctrl+D")
        self.delete = a(
            self.tr("De&lete"), [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.select_all = a(self.tr("Select &All"), Std.SelectAll)
        self.select_none = a(self.tr("Select &None"), "Ctrl+Shift+A")
        self.transpose_up = a(self.tr("Transpose Up"), "Up")
        self.transpose_down = a(self.tr("Transpose Down"), "Down")
        self.octave_up = a(self.tr("Octave Up"), "Shift+Up")
        self.octave_down = a(self.tr("Octave Down"), "Shift+Down")
        self.step_up_in_key = a(self.tr("Transpose Up in Key"), "Alt+Up")
        self.step_up_in_key.setToolTip(
            self.tr("Each selected note up to the next note of the key (C-E-G in C major: D-F-A) (Alt+Up)")
        )
        self.step_down_in_key = a(self.tr("Transpose Down in Key"), "Alt+Down")
        self.step_down_in_key.setToolTip(
            self.tr("Each selected note down to the next note of the key below it (Alt+Down)")
        )
        self.quantize = a(self.tr("&Quantize to Grid"), "Q")
        self.quantize_swing = a(self.tr("Quantize with S&wing"), "Shift+Q")
        self.quantize_swing.setToolTip(
            self.tr(
                "Quantize to the grid swung: every second line of it later, at two thirds of the pair, as "
                "swung eighths are played (set the grid to 1/8 or 1/16) (Shift+Q)"
            )
        )
        self.nudge_left = a(self.tr("Nudge Left"), "Left")
        self.nudge_right = a(self.tr("Nudge Right"), "Right")
        self.move_controllers = a(self.tr("Mo&ve Controllers with Notes"))
        self.move_controllers.setCheckable(True)
        self.move_controllers.setToolTip(
            self.tr("Moving notes also moves the controllers (pedal, bend, ...) under them")
        )
        self.insert_bars = a(self.tr("&Insert Bars…"), "Ctrl+Shift+B")
        self.insert_bars.setToolTip(
            self.tr(
                "Insert empty bars on every track before the playhead's bar (or the first selected note's): "
                "everything after moves later (Ctrl+Shift+B)"
            )
        )
        self.delete_bars = a(self.tr("D&elete Bars"), "Ctrl+Shift+Del")
        self.delete_bars.setToolTip(
            self.tr(
                "Delete the bars under the loop region while looping is on (else the selected notes' bars, "
                "else the playhead's bar) from every track: everything after moves earlier (Ctrl+Shift+Del)"
            )
        )
        self.meter_change = a(self.tr("&Meter Change at This Bar"))
        self.meter_change.setCheckable(True)
        self.meter_change.setToolTip(
            self.tr(
                "A new meter starts at the playhead's bar: the meter box then sets the bars from there on"
            )
        )
        self.key_change = a(self.tr("&Key Change at This Bar"))
        self.key_change.setCheckable(True)
        self.key_change.setToolTip(
            self.tr("A new key starts at the playhead's bar: the key box then sets the key from there on")
        )
        self.rebar = a(self.tr("Re-&bar One-Beat Bars in 4/4"))
        self.rebar.setToolTip(
            self.tr(
                "This piece is in 1/4 throughout: its bars are beats (a sequencer's beat grid). Give it 4/4 "
                "bars from its downbeat, the bars the models hear; every note stays where it is"
            )
        )
        self.trim_end = a(self.tr("Trim &Silent Bars at the End"))
        self.trim_end.setToolTip(
            self.tr(
                "This piece ends in bars with no notes, as the MIDI file it came from does (a loop's rests): "
                "end it at its last note instead. The ruler marks its end"
            )
        )
        # Markers
        self.add_marker = a(self.tr("Add Mar&ker at Playhead"), "Ctrl+M")
        self.next_marker = a(self.tr("Next Marker"), "Alt+Right")
        self.previous_marker = a(self.tr("Previous Marker"), "Alt+Left")
        # View
        self.zoom_in = a(self.tr("Zoom &In (time)"), "Ctrl+=")
        self.zoom_out = a(self.tr("Zoom &Out (time)"), "Ctrl+-")
        self.zoom_in_pitch = a(self.tr("Zoom In (pitch)"), "Ctrl+Shift+=")
        self.zoom_out_pitch = a(self.tr("Zoom Out (pitch)"), "Ctrl+Shift+-")
        self.zoom_fit = a(self.tr("Zoom to &Fit"), "Ctrl+0")
        self.scroll_left = a(self.tr("Scroll Left"), "Ctrl+Left")
        self.scroll_right = a(self.tr("Scroll Right"), "Ctrl+Right")
        self.follow_playhead = a(self.tr("&Follow Playhead"), "F")
        self.follow_playhead.setCheckable(True)
        self.chord_names = a(self.tr("C&hord Names"))
        self.chord_names.setCheckable(True)
        self.chords_all_tracks = a(self.tr("Chords of A&ll Tracks"))
        self.chords_all_tracks.setCheckable(True)
        self.chords_all_tracks.setToolTip(
            self.tr("Name the chords of all tracks together (off: of the active track only)")
        )
        self.tool_group = QActionGroup(self)
        self.tools: dict[Tool, QAction] = {}
        for tool, text, key in (
            (Tool.DRAW, self.tr("&Draw"), "D"),
            (Tool.SELECT, self.tr("&Select"), "S"),
            (Tool.MOVE, self.tr("&Move"), "M"),
            (Tool.RESIZE, self.tr("&Resize"), "Z"),  # R is Record
            (Tool.ERASE, self.tr("&Erase"), "E"),
        ):
            action = a(text, key)
            action.setCheckable(True)
            action.setData(tool)
            self.tool_group.addAction(action)
            self.tools[tool] = action
        # Transport
        self.play = a(self.tr("&Play / Stop"), "Space")
        # Return/Enter, except in the Takes list, where Enter keeps a take (Home goes to bar 1 without playing)
        self.play_from_start = a(
            self.tr("Play from &Start"),
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)],
        )
        self.go_to_start = a(self.tr("&Go to Start"), "Home")
        self.go_to_end = a(self.tr("Go to &End"), "End")
        self.loop = a(self.tr("&Loop"), "L")
        self.loop.setCheckable(True)
        self.loop.setToolTip(self.tr("Loop the region set by dragging along the bar ruler (L)"))
        self.metronome = a(self.tr("&Metronome"), "K")
        self.metronome.setCheckable(True)
        # MIDI keyboard (wired by the main window to ui/record.py, ui/jam.py and ui/midi.py)
        self.record = a(self.tr("&Record"), "R")
        self.record.setCheckable(True)
        self.step_input = a(self.tr("S&tep Input"), "I")
        self.step_input.setCheckable(True)
        self.jam = a(self.tr("&Jam"), "J")
        self.jam.setCheckable(True)
        self.record_replace = a(self.tr("Recor&d Replaces"))
        self.record_replace.setCheckable(True)
        self.record_replace.setToolTip(
            self.tr("Recording replaces the notes in the recorded bars (off: overdub)")
        )
        self.record_quantize = a(self.tr("&Quantize Recording"))
        self.record_quantize.setCheckable(True)
        self.record_quantize.setToolTip(self.tr("Snap recorded note starts to the grid as they come in"))
        self.midi_thru = a(self.tr("MIDI T&hru"))
        self.midi_thru.setCheckable(True)
        self.midi_thru.setToolTip(self.tr("Hear what you play on the keyboard through the app's synth"))
        self.midi_clock = a(self.tr("Send MIDI &Clock"))
        self.midi_clock.setCheckable(True)
        self.midi_clock.setToolTip(
            self.tr("Send MIDI clock, start and stop with the transport to the MIDI output")
        )
        # Generate (wired by the GenerateController)
        self.generate = a(self.tr("&Generate"), "Ctrl+G")
        self.forget_taste = a(self.tr("&Forget My Taste"))
        # Help
        self.about = a(self.tr("&About MuseStudio"))
        self.shortcuts = a(self.tr("&Keyboard Shortcuts"), Std.HelpContents)

    def _action(self, text: str, shortcut=None) -> QAction:
        action = QAction(text, self.parent())
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if shortcut is not None:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{plain_text(text)} ({keys})")
        self.parent().addAction(action)  # shortcuts work even when the action is in no visible menu
        return action

    def all_actions(self) -> list[QAction]:
        return [v for v in vars(self).values() if isinstance(v, QAction)] + list(self.tools.values())
