"""Files: new, open (dialog, recent, drag and drop), save, import and export, and the one prompt before a
piece goes: its unsaved changes and the takes not kept (``maybe_save``).

A ``.muse`` file is the project itself; a MIDI file opens as an untitled project named after it (Save asks
where to put the ``.muse``), because MIDI cannot hold track colours, mute/solo or the key we edit with.
Every path-taking method also accepts the path directly, which is what drag and drop and the tests use.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.core.errors import BadInputError
from musestudio.core.importing import KEY, METER, ROUNDED, TEMPO, TITLE, Imported, import_piece
from musestudio.core.project import Project
from musestudio.core.timing import silent_bars, ticks_to_bar_beat
from musestudio.core.track import Track
from musestudio.io.atomic import (
    UnencodableNameError,
    check_name,
    clean_stale_temps,
    is_read_only,
    same_file,
)
from musestudio.io.files import display_name, file_stamp, save_error
from musestudio.io.midi import (
    MIDI_SUFFIXES,
    READ_SUFFIXES,
    FarEnd,
    SmpteTime,
    is_rmid_file,
    read_midi,
    write_midi,
)
from musestudio.io.midi_export_changes import (
    MidiExportChange,
    NoMuteOrSolo,
    OffDrumChannel,
    OntoDrumChannel,
    OwnChannels,
    SharedChannel,
    SlowTempos,
    SwappedEnds,
    TextInUtf8,
    midi_export_changes,
)
from musestudio.io.project_file import SUFFIX, load_project, save_project
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.file_filters import HIDE_PATTERNS, name_filter
from musestudio.ui.save_dialog import ask_save_path, confirm, with_suffix
from musestudio.ui.track_labels import track_labels

OPENABLE = (SUFFIX, *READ_SUFFIXES)  # a .rmi (an RMID file) opens as the MIDI file inside it
PIECE_MESSAGE_MS = 20000  # a message about the piece just opened: long enough to read and act on


def new_project() -> Project:
    """What File > New gives: one empty piano track, 120 BPM, 4/4. The track has no name until the user
    gives it one, as a part its MIDI file leaves unnamed: the track list shows it by its instrument in the
    user's language (``track_labels``), choosing another instrument shows that one, and no file it is saved
    or exported to holds a name in the UI's language (a piece begun under the Chinese UI was saved as
    "钢琴", which the English UI then showed)."""
    return Project(tracks=(Track(name="", name_event=False),))


def read_any(path: str | Path, said: list | None = None) -> Project:
    """The piece in ``path``; what reading a MIDI file changed (``io.midi.FarEnd``) is added to ``said``."""
    path = Path(path)
    if path.suffix.lower() in READ_SUFFIXES:
        return read_midi(path, said)
    if path.suffix.lower() == SUFFIX:
        return load_project(path)
    raise BadInputError(
        QCoreApplication.translate(
            "FileController", "%1 is neither a MuseStudio project (%2) nor a MIDI file"
        )
        .replace("%1", display_name(path))
        .replace("%2", SUFFIX)
    )


def ask_changed_on_disk(parent, name: str, reload_stops: str = "") -> str:
    """The file changed on disk since it was opened or saved: "overwrite", "save_as", "reload" or "cancel".

    ``reload_stops``: what else Reload ends and drops with the changes (a recording in progress), said
    under the question."""
    text = QCoreApplication.translate(
        "FileController",
        "\u201c%1\u201d was changed on disk since you opened or saved it (by another window or "
        "another program). Saving now would replace those changes with yours.",
    ).replace("%1", name)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("FileController", "File changed on disk"),
        "\n\n".join(filter(None, [text, reload_stops])),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    choices = {
        box.addButton(
            QCoreApplication.translate("FileController", "Overwrite"), QMessageBox.ButtonRole.DestructiveRole
        ): "overwrite",
        box.addButton(
            QCoreApplication.translate("FileController", "Save As…"), QMessageBox.ButtonRole.AcceptRole
        ): "save_as",
        box.addButton(
            QCoreApplication.translate("FileController", "Reload (drop my changes)"),
            QMessageBox.ButtonRole.ResetRole,
        ): "reload",
        box.addButton(QMessageBox.StandardButton.Cancel): "cancel",
    }
    box.setDefaultButton(next(b for b, c in choices.items() if c == "save_as"))
    box.exec()
    return choices.get(box.clickedButton(), "cancel")


def ask_replace_read_only(parent, name: str) -> bool:
    """The file is read-only: replace it anyway (it stays read-only)?"""
    return confirm(
        parent,
        QCoreApplication.translate("FileController", "Read-only file"),
        QCoreApplication.translate(
            "FileController", "\u201c%1\u201d is read-only. Replace it anyway? (It stays read-only.)"
        ).replace("%1", name),
    )


class FileController(QObject):
    loaded = Signal()  # a piece was opened or begun (``load``): the window shows another one

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None  # the .muse file Save writes to
        self.source: Path | None = None  # the file the piece was opened from (a .mid, or the .muse)
        self.name = self.tr("Untitled")
        self.stamp = None  # the file's identity on disk when opened or last saved (io.files.file_stamp)
        window.document.modified_changed.connect(lambda _m: self.update_title())

    @property
    def document(self):
        return self.window.document

    def _dir(self) -> str:
        return self.window.settings.get("last_dir") or str(Path.home())

    def _remember_dir(self, path: Path) -> None:
        self.window.settings.set("last_dir", str(path.parent))

    def update_title(self) -> None:
        self.window.setWindowTitle(f"{self.name}[*] — MuseStudio")
        self.window.setWindowModified(self.document.modified)

    def _error(self, title: str, error: Exception | str) -> None:
        """A warning box; an error of the Qt-free layers that names its problem (``BadInputError.code``:
        the file readers', the MIDI reader's, the project file's, a save's) is said in the user's language
        (``ErrorWords``), any other as it came."""
        QMessageBox.warning(self.window, title, ErrorWords().say(error))

    def clean_temp_leftovers(self) -> list[Path]:
        """Delete temporary files of saves that were killed, in the folders this app writes to."""
        from musestudio import paths

        folders = {paths.user_data_dir(), paths.recovery_dir()}
        for p in self.window.settings.get("recent_files"):
            folders.add(Path(p).parent)
        if last := self.window.settings.get("last_dir"):
            folders.add(Path(last))
        return [p for folder in sorted(folders) for p in clean_stale_temps(folder)]

    # -- unsaved changes -----------------------------------------------------------------------------
    def unkept_takes(self) -> int:
        """How many takes the Takes panel lists: generated, neither kept nor discarded, and gone with the
        piece (not saved in it)."""
        return len(self.window.generate.takes)

    def maybe_save(self, unsaved: bool | None = None, quitting: bool = False) -> bool:
        """True when it is fine to throw the current piece away (saved, discarded, or unchanged) and with it
        the takes not kept (discarded, or none); ``unsaved``: whether the piece's changes count (the
        document's own flag unless told); ``quitting``: the window is closing.

        The one question for both: a piece with changes gets Save/Discard/Cancel with a line on the takes
        (saving does not keep them), a piece without only the takes' Discard/Cancel; both say when a
        Generate running stops. Quitting with only a Generate running asks about that Generate: the window
        that would say it stopped (as New and Open do, in the Generate panel) is gone. Takes a Generate
        lists while the user answers were not in the question: they are asked about in another.

        A take being recorded or a phrase being jammed is laid into the piece first (as closing the window
        does), so the question covers it and Cancel keeps it: otherwise it would go in only as the piece
        is replaced, unasked.
        """
        self.window.jam.stop()
        self.window.recording.stop()
        unsaved = self.document.modified if unsaved is None else unsaved
        asked = self.window.generate.listed()
        return self._may_close(unsaved, len(asked), quitting) and self.takes_still_given_up(asked)

    def takes_still_given_up(self, given_up: tuple) -> bool:
        """True when no take is listed now but those in ``given_up`` (``GenerateController.listed``: the
        ones the user said may go), or the user says the others may go too: a Generate that ends while a
        question or the Open dialog is up lists takes the user was never asked about. The takes of a run
        whose first take was shown early (and asked about) come as new objects: they are not new takes."""
        while new := self._listed_since(given_up):
            given_up = self.window.generate.listed()
            if not self._ask_again(len(new)):
                return False
        return True

    def _listed_since(self, given_up: tuple) -> list:
        before = {(id(request), number) for request, number in given_up}  # given_up holds each request
        return [key for key in self.window.generate.listed() if (id(key[0]), key[1]) not in before]

    def _ask_again(self, new: int) -> bool:
        Button = QMessageBox.StandardButton
        text = self.tr(
            "While you chose, a Generate listed %n new take(s), not kept. Discard them too?", "", new
        )
        answer = QMessageBox.question(
            self.window, self.tr("Takes not kept"), text, Button.Discard | Button.Cancel, Button.Cancel
        )
        return answer == Button.Discard

    def _may_close(self, unsaved: bool, takes: int, quitting: bool = False) -> bool:
        """The question of ``maybe_save`` for a piece with ``unsaved`` changes and ``takes`` not kept."""
        if not unsaved and not takes:
            return not (quitting and self.window.generate.busy) or self.may_stop_generate()
        Button = QMessageBox.StandardButton
        if unsaved:
            title = self.tr("Unsaved changes")
            text = self.tr("Save the changes to \u201c%1\u201d before closing it?").replace("%1", self.name)
            if takes:
                text += "\n\n" + (
                    self.tr(
                        "The take in the Takes panel is not kept and will be lost too: saving the piece "
                        "does not keep it."
                    )
                    if takes == 1
                    else self.tr(
                        "The %n takes in the Takes panel are not kept and will be lost too: saving the piece "
                        "does not keep them.",
                        "",
                        takes,
                    )
                )
            buttons, default = Button.Save | Button.Discard | Button.Cancel, Button.Save
        else:
            title = self.tr("Takes not kept")
            text = (
                self.tr("1 take is not kept. Discard it?")
                if takes == 1
                else self.tr("%n takes are not kept. Discard them?", "", takes)
            )
            buttons, default = Button.Discard | Button.Cancel, Button.Cancel
        if self.window.generate.busy:
            text += "\n\n" + self.tr("The Generate running now stops, and its takes are not listed.")
        answer = QMessageBox.question(self.window, title, text, buttons, default)
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def may_stop_generate(self, reopening: bool = False) -> bool:
        """Quitting with nothing to ask about but a Generate running, or ``reopening`` the window for new
        Preferences while one runs: its takes still being drawn go (those listed already carry over into a
        reopened window), so the user is asked, and Cancel keeps the window and the Generate running."""
        Button = QMessageBox.StandardButton
        text = (
            self.tr(
                "A Generate is still drawing takes: reopening the window stops it, and the takes it has not "
                "listed yet are lost. Discard them and reopen the window?"
            )
            if reopening
            else self.tr(
                "A Generate is still drawing takes: quitting stops it, and its takes are lost. Discard them "
                "and quit?"
            )
        )
        answer = QMessageBox.question(
            self.window, self.tr("Generate running"), text, Button.Discard | Button.Cancel, Button.Cancel
        )
        return answer == Button.Discard

    # -- loading ---------------------------------------------------------------------------------------
    def load(
        self,
        project: Project,
        path: Path | None,
        name: str,
        modified: bool = False,
        source: Path | None = None,
        stamp: tuple[int, ...] | None = None,
    ) -> None:
        """Show ``project`` as the open piece, with an empty undo history (``source``: the file it was read
        from when that is not the one Save writes to, a MIDI file; ``stamp``: the version of ``path`` the
        piece comes from when that is not the one on disk now, a restored recovery copy's).

        The piece it replaces was saved or given up by the user (``maybe_save``), so its recovery copy goes.
        """
        w = self.window
        w.statusBar().clearMessage()  # it was about the piece this one replaces (an export, a save)
        w.transport.stop()
        w.undo_stack.clear()
        w.autosaver.discard()
        if modified:  # a restored recovery copy: unsaved until the user saves it
            self.document.reset(new_project())
            self.document.set_project(project)
        else:
            self.document.reset(project)
        self.path, self.name = path, name
        self.source = source or path
        self.stamp = (stamp or file_stamp(path)) if path else None
        w.state.set_playhead(0)
        w.state.set_loop(None)
        w.roll.view.show_piece()
        w.autosaver.set_source(self.source, name, self.stamp)
        self.update_title()
        self.loaded.emit()

    def new(self) -> None:
        if self.maybe_save():
            self.load(new_project(), None, self.tr("Untitled"))

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        given_up = self.window.generate.listed()
        openable = name_filter(self.tr("Projects and MIDI files (%1)"), OPENABLE)
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Open"),
            self._dir(),
            ";;".join([openable, self.tr("All files (*)")]),
            options=HIDE_PATTERNS,
        )
        if path and self.takes_still_given_up(given_up):  # a Generate may have ended behind the dialog
            self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        """Open ``path`` (after the unsaved-changes prompt when ``ask``); a bad file is reported, not raised."""
        if ask and not self.maybe_save():
            return False
        try:
            self.open_file(path)
        except BadInputError as e:
            self._error(self.tr("Cannot open"), e)
            return False
        return True

    def open_recent(self, path: str) -> bool:
        """Open a file picked in Open Recent. One that is no longer there is taken off the list, and the
        message says so: it stayed listed, failing again each time it was picked."""
        if Path(path).is_file():
            return self.open_path(path)
        self.window.settings.remove_recent_file(path)
        self._error(
            self.tr("Cannot open"),
            self.tr(
                "%1 is no longer there (moved, renamed or deleted), so it is taken off Open Recent."
            ).replace("%1", path),
        )
        return False

    def open_file(self, path: str | Path) -> None:
        """Open ``path`` with no questions asked; raises BadInputError for a file we cannot read."""
        path = Path(path)
        said: list = []
        project = read_any(path, said)
        self.load(project, path if path.suffix.lower() == SUFFIX else None, display_name(path), source=path)
        notes = [
            self._opened_message(path, project),
            *self._opened_notes(path),
            *self._read_notes(path, said),
        ]
        self.window.statusBar().showMessage(" ".join(notes), PIECE_MESSAGE_MS)
        self.window.settings.add_recent_file(str(path.resolve()))
        self._remember_dir(path)
        clean_stale_temps(path.parent)

    def _opened_message(self, path: Path, project: Project) -> str:
        """What was opened, as Import MIDI says what came in: the last message (an export's, a save's)
        would otherwise stay up as if it were about this piece, and a file that opens with fewer tracks or
        bars than the musician expects (the wrong take of a song) shows it at once."""
        name = display_name(path)
        tracks = self.tr("%n track(s)", "", len(project.tracks))
        if not project.length:
            return self.tr("Opened %1: %2, no notes yet.").replace("%1", name).replace("%2", tracks)
        last = ticks_to_bar_beat(project.length - 1, project.time_signatures, project.ticks_per_beat)
        bars = self.tr("%n bar(s)", "", last.bar)
        return self.tr("Opened %1: %2, %3.").replace("%1", name).replace("%2", tracks).replace("%3", bars)

    def _opened_notes(self, path: Path) -> list[str]:
        """What the window says about the piece just opened from ``path``."""
        notes = []
        if path.suffix.lower() in READ_SUFFIXES:
            if is_rmid_file(path):
                notes.append(
                    self.tr(
                        "%1 is an RMID file (a MIDI file in a RIFF wrapper): Export MIDI writes the MIDI "
                        "file inside it, without the wrapper."
                    ).replace("%1", display_name(path))
                )
        if self.window.actions.rebar.isEnabled():  # the window has just read the piece's meter
            notes.append(
                self.tr(
                    "%1 is in 1/4 throughout: its bars are single beats. Edit > Re-bar One-Beat Bars in 4/4 "
                    "gives it the 4/4 bars it is heard in."
                ).replace("%1", display_name(path))
            )
        return notes

    def _read_notes(self, path: Path, said: list) -> list[str]:
        """What reading ``path`` changed, in words (``io.midi.FarEnd``, ``io.midi.SmpteTime``)."""
        notes = [
            self.tr(
                "%1 ended %2 hours of silence after its last event (a damaged length): the piece ends at its "
                "last event instead."
            )
            .replace("%1", display_name(path))
            .replace("%2", f"{far.hours:,.0f}")
            for far in said
            if isinstance(far, FarEnd)
        ]
        notes += [
            self.tr(
                "%1 counts time in SMPTE frames (%2 a second), not in beats: it opens at %3 BPM, a beat a "
                "second, every note at its time, and is saved and exported in beats."
            )
            .replace("%1", display_name(path))
            .replace("%2", f"{smpte.fps:g}")
            .replace("%3", f"{smpte.bpm:g}")
            for smpte in said
            if isinstance(smpte, SmpteTime)
        ]
        return notes

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Import MIDI"),
            self._dir(),
            name_filter(self.tr("MIDI files (%1)"), READ_SUFFIXES),
            options=HIDE_PATTERNS,
        )
        if path:
            self.import_midi(path)

    def import_midi(self, path: str | Path) -> bool:
        """Add a MIDI file's tracks to the open piece (one undo step, ``core.importing``): into a piece
        with no notes it comes in whole, as Open gives it; into one with notes, what the piece kept of its
        own instead of the file's (tempo, meter, key, title) is said in the status bar."""
        try:
            other = read_midi(path, said := [])
        except BadInputError as e:
            self._error(self.tr("Cannot import"), e)
            return False
        blank = new_project().tracks[0]
        before = self.document.project
        done = import_piece(before, other, lambda t: t == blank)
        self.window.editor.push(done.project, self.tr("Import MIDI"))
        text = " ".join(
            [
                self._imported_message(Path(path), other, done)
                + self._lengthened_note(Path(path), before, done),
                *self._read_notes(Path(path), said),
            ]
        )
        self.window.statusBar().showMessage(text, 15000)
        return True

    def _lengthened_note(self, path: Path, before: Project, done: Imported) -> str:
        """Where the file ends in silent bars that now end the piece (a loop's rests): said, as the piece
        is longer than its notes."""
        after = done.project
        bars = silent_bars(after)
        if not bars or after.end_of_track <= before.length:
            return ""
        return " " + self.tr(
            "%1 ends in %n silent bar(s) after its notes, and so does the piece now: they play and export "
            "with it (the ruler marks its end; Edit > Trim Silent Bars at the End takes them away).",
            "",
            bars,
        ).replace("%1", display_name(path))

    def _imported_message(self, path: Path, other: Project, done: Imported) -> str:
        text = self.tr("Imported %1.").replace("%1", display_name(path))
        words = {
            TEMPO: self.tr("tempo"),
            METER: self.tr("meter"),
            KEY: self.tr("key"),
            TITLE: self.tr("title"),
        }
        left_out = done.left_out
        kept = [words[w] for w in left_out if w in words]
        # the names listed as the language lists them (Chinese with an enumeration comma, not ", ")
        listed = self.tr(", ", "between the names of the settings listed").join
        if kept:
            text += " " + self.tr("Kept this piece's %1, not the file's.").replace("%1", listed(kept))
        if done.replaced:
            text += " " + self.tr(
                "The piece had no notes, so it takes the file's %1 in place of its own (Undo brings them back)."
            ).replace("%1", listed(words[w] for w in done.replaced))
        if ROUNDED in left_out:
            text += " " + self.tr("Timing rounded to %1 ticks per beat (the file has %2).").replace(
                "%1", str(self.document.project.ticks_per_beat)
            ).replace("%2", str(other.ticks_per_beat))
        return text

    # -- saving ----------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path, same_file=True)

    def _ask_save_path(self, title: str, suffixes: tuple[str, ...], label: str) -> Path | None:
        """The file the user picks (None if cancelled), suggesting the piece's name in the last folder."""
        suggested = str(Path(self._dir()) / (Path(self.name).stem + suffixes[0]))
        return ask_save_path(self.window, title, suggested, label, suffixes)

    def save_as(self, path: str | Path | None = None) -> bool:
        path = path or self._ask_save_path(
            self.tr("Save As"), (SUFFIX,), self.tr("MuseStudio projects (*.muse)")
        )
        if not path:
            return False
        path = with_suffix(Path(path), (SUFFIX,))
        same = self.path is not None and same_file(path, self.path)
        return self._save_to(path, same_file=same)

    def _save_to(self, path: Path, same_file: bool) -> bool:
        """Save to ``path`` after the checks; only on success does it become the piece's file.

        A failed save changes nothing: the window keeps its name and file, autosave goes on and the
        recovery copy stays; the message says what failed.
        """
        try:
            check_name(path)
        except UnencodableNameError as e:
            self._error(self.tr("Cannot save"), save_error(path, e))
            return False
        shown = display_name(path)
        if same_file and self.stamp is not None and file_stamp(path) not in (None, self.stamp):
            choice = ask_changed_on_disk(self.window, shown, self._what_reload_stops())
            if choice == "save_as":
                return self.save_as()
            if choice == "reload":
                if self.maybe_save(unsaved=False):  # the changes go as asked; the takes only if the user says
                    self.open_path(path, ask=False)
                return False  # the changes were dropped, not saved
            if choice != "overwrite":
                return False
        replace_read_only = False
        if is_read_only(path):
            if not ask_replace_read_only(self.window, shown):
                return False
            replace_read_only = True
        try:
            save_project(self.document.project, path, replace_read_only=replace_read_only)
        except BadInputError as e:
            self._error(
                self.tr("Cannot save"),
                self.tr(
                    "%1.\n\nNothing was lost: the piece stays open as it was and its recovery copy is kept. "
                    "Try Save As with another folder."
                ).replace("%1", ErrorWords().say(e)),
            )
            return False
        self.path, self.name = path, shown
        self.stamp = file_stamp(path)
        self.document.mark_saved()
        self.window.autosaver.discard()
        self.window.autosaver.set_source(path, shown, self.stamp)
        self.window.autosaver.takes_changed()  # the takes still listed are not in the file: copy them
        self.window.settings.add_recent_file(str(path.resolve()))
        self._remember_dir(path)
        self.update_title()
        return True

    def _what_reload_stops(self) -> str:
        """Reload lays a take being recorded or a phrase being jammed into the piece, as every question
        before the piece goes does (``maybe_save``), and then drops the piece's changes, and them with it:
        the changed-on-disk question says so."""
        if self.window.recording.recording:
            return self.tr(
                "Reload also stops the recording in progress: the notes recorded so far are dropped with "
                "your changes."
            )
        if self.window.jam.active:
            return self.tr(
                "Reload also stops jam mode: the phrase being played is dropped with your changes."
            )
        return ""

    def export_midi(self, path: str | Path | None = None) -> bool:
        """Write the piece as a MIDI file; the message says what MIDI changed from the piece as the app
        plays it (``io.midi_export_changes``)."""
        path = path or self._ask_save_path(self.tr("Export MIDI"), MIDI_SUFFIXES, self.tr("MIDI files (%1)"))
        if not path:
            return False
        project = self.document.project
        try:
            write_midi(project, path)
        except (BadInputError, OSError, ValueError) as e:
            self._error(self.tr("Cannot export"), e)
            return False
        notes = self.export_change_notes(project)
        text = " ".join([self.tr("Exported %1").replace("%1", str(path)), *notes])
        self.window.statusBar().showMessage(text, 15000 if notes else 5000)
        return True

    def export_change_notes(self, project: Project) -> list[str]:
        """What a MIDI file written from ``project`` changes, in the window's words (Export MIDI, drag-out)."""
        labels = track_labels(project)
        changes = midi_export_changes(project, lambda track: labels[track.id])
        return [self._export_change_note(change) for change in changes]

    def _export_change_note(self, change: MidiExportChange) -> str:
        """What the window says of one thing Export MIDI changed from the piece."""
        match change:
            case OffDrumChannel(moves, channel):
                return self._off_drums_note(moves, channel)
            case OntoDrumChannel(tracks, channel):
                return self._onto_drums_note(tracks, channel)
            case OwnChannels(moves):
                return self._own_channels_note(moves)
            case SharedChannel():
                return self._shared_note(change)
            case TextInUtf8(piece, tracks):
                whose = [self.tr("the piece's title and markers")] if piece else []
                return self.tr(
                    "The text of %1 goes out as UTF-8, not Latin-1 as it came: some of it has no Latin-1 "
                    "form."
                ).replace("%1", ", ".join([*whose, *tracks]))
            case SlowTempos(tempos, slowest):
                return self._slow_tempos_note(tempos, slowest)
            case SwappedEnds(notes):
                return self.tr(
                    "%n note(s) sound inside a longer note of the same pitch: MIDI cannot tell such notes "
                    "apart, so the file gives them each other's ends (the piece keeps them as they are).",
                    "",
                    notes,
                )
            case NoMuteOrSolo(tracks):
                return self.tr("MIDI has no mute or solo: %1 play as every other track in the file.").replace(
                    "%1", ", ".join(tracks)
                )

    def _slow_tempos_note(self, tempos: tuple[tuple[int, float], ...], slowest: float) -> str:
        """Tempos slower than MIDI holds go out at its slowest: the file plays those bars faster."""
        at = ", ".join(
            self.tr("%1 BPM at bar %2").replace("%1", f"{bpm:g}").replace("%2", str(bar))
            for bar, bpm in tempos
        )
        return (
            self.tr(
                "MIDI holds no tempo slower than %1 BPM, so these go out at %1 BPM and the file plays faster "
                "there than the piece: %2."
            )
            .replace("%1", f"{slowest:.2f}")
            .replace("%2", at)
        )

    def _off_drums_note(self, moves: tuple[tuple[str, int], ...], drums: int) -> str:
        """Pitched tracks set to a drum channel (``drums``: 10, or one the piece's SysEx makes a drum part)
        go out on another: there a player would play drums."""
        if len(moves) == 1:
            ((name, channel),) = moves
            return (
                self.tr(
                    "%1 is set to the drum channel (%3) but is not drums: it goes out on channel %2, as on "
                    "channel %3 a MIDI player would play its notes as drums."
                )
                .replace("%1", name)
                .replace("%2", str(channel))
                .replace("%3", str(drums))
            )
        return (
            self.tr(
                "These are set to the drum channel (%2) but are not drums: they go out on other channels, as "
                "on channel %2 a MIDI player would play their notes as drums: %1."
            )
            .replace("%1", self._on_channels(moves))
            .replace("%2", str(drums))
        )

    def _onto_drums_note(self, tracks: tuple[tuple[str, int], ...], drums: int) -> str:
        """Drum tracks set to a melodic channel go out on the drum channel (``drums``), the only one players
        play drums on."""
        if len(tracks) == 1:
            ((name, channel),) = tracks
            return (
                self.tr(
                    "%1 is a drum track set to channel %2: it goes out on the drum channel (%3), the only "
                    "one MIDI players play drums on."
                )
                .replace("%1", name)
                .replace("%2", str(channel))
                .replace("%3", str(drums))
            )
        each = ", ".join(
            self.tr("%1 (set to %2)").replace("%1", name).replace("%2", str(channel))
            for name, channel in tracks
        )
        return (
            self.tr(
                "These drum tracks go out on the drum channel (%2), the only one MIDI players play drums on, "
                "not on the channels they are set to: %1."
            )
            .replace("%1", each)
            .replace("%2", str(drums))
        )

    def _on_channels(self, moves: tuple[tuple[str, int], ...]) -> str:
        """ "Bass on 2, Lead on 3": each track and its channel in the file."""
        return ", ".join(
            self.tr("%1 on %2").replace("%1", name).replace("%2", str(channel)) for name, channel in moves
        )

    def _own_channels_note(self, moves: tuple[tuple[str, int], ...]) -> str:
        """The tracks given channels of their own, as theirs is shared with a track setting it otherwise."""
        if len(moves) == 1:
            ((name, channel),) = moves
            return (
                self.tr("%1 goes out on channel %2, so it keeps its own instrument and settings.")
                .replace("%1", name)
                .replace("%2", str(channel))
            )
        return self.tr(
            "These go out on channels of their own, so each keeps its own instrument and settings: %1."
        ).replace("%1", self._on_channels(moves))

    def _shared_note(self, shared: SharedChannel) -> str:
        """Tracks that still share a channel they set differently: they sound alike in the file."""
        if shared.drums:
            text = self.tr(
                "%1 share the drum channel (%2), and drums stay on a drum channel: in the file they play one "
                "kit at one volume."
            ).replace("%2", str(shared.channel))
        else:
            text = self.tr(
                "%1 share channel %2, as no channel is left free: in the file they play one instrument at "
                "one volume."
            ).replace("%2", str(shared.channel))
        return text.replace("%1", ", ".join(shared.tracks))

    def export_wav(self, path: str | Path | None = None) -> bool:
        """Render the piece as the mixer plays it, through the soundfont Preferences names; the message
        says which tracks mute or solo left out, and that a partly damaged soundfont left out the instruments
        using its damaged samples. A piece in which nothing would sound is not exported."""
        from musestudio.audio.render import has_notes_to_render, left_out_tracks
        from musestudio.ui.dialogs.export_wav import export_wav

        project = self.document.project
        left_out = left_out_tracks(project)
        if not has_notes_to_render(project):
            self._nothing_to_export(project, left_out)
            return False
        path = path or self._ask_save_path(self.tr("Export WAV"), (".wav",), self.tr("WAV audio (*.wav)"))
        if not path:
            return False
        exported = export_wav(self.window, project, Path(path), self.window.settings.get("soundfont"))
        if exported is None:
            return False
        notes = [exported.damaged_text()] if exported.damaged[0] else []
        if left_out:
            notes.append(
                self.tr("Left out, as the mixer has them: %1").replace(
                    "%1", self._track_list(project, left_out)
                )
            )
        text = " ".join([self.tr("Exported %1").replace("%1", str(path)), *notes])
        self.window.statusBar().showMessage(text, 15000 if notes else 5000)
        return True

    def _nothing_to_export(self, project: Project, left_out: list[Track]) -> None:
        if left_out:
            text = self.tr(
                "Every track with notes is muted or left out by a solo (%1): the WAV would be silent. "
                "Unmute or solo a track to export it."
            ).replace("%1", self._track_list(project, left_out))
        else:
            text = self.tr("The piece has no notes: the WAV would be silent.")
        QMessageBox.warning(self.window, self.tr("Nothing to export"), text)

    def _track_list(self, project: Project, tracks: list[Track]) -> str:
        """ "Bass (muted), Drums (not soloed)": each of ``project``'s ``tracks`` and why the mixer leaves it
        out."""
        labels = track_labels(project)
        return ", ".join(
            (self.tr("%1 (muted)") if t.mute else self.tr("%1 (not soloed)")).replace("%1", labels[t.id])
            for t in tracks
        )

    # -- drag and drop -------------------------------------------------------------------------------
    @staticmethod
    def droppable(mime: QMimeData) -> str | None:
        """The first local file in a drop that Open reads (any name in ``OPENABLE``, in either case), or
        None."""
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in OPENABLE:
                return url.toLocalFile()
        return None
