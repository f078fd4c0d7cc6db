"""Learn a style...: choose MIDI files or a folder, name the style, train in the background, manage styles.

Training runs in a child process (``python -m musestudio.ml.train.learn ... ``, the Qt-free trainer; in the
bundle ``musestudio --learn-style ...``) driven by a QProcess: its JSON lines arrive through the event loop, so the window never waits on training and
the trainer never holds this process's GIL (the event-loop stall benchmark measures it). Cancel sends
SIGTERM: the trainer stops within a step and writes nothing (a style's files are written atomically, at
the end, only when training finished). Learned styles are listed below the form, to rename, delete,
export (one ``.musestyle`` file) and import.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from musestudio.core.errors import BadInputError
from musestudio.io.midi import READ_SUFFIXES
from musestudio.ml import engines, learned
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.file_filters import HIDE_PATTERNS, name_filter
from musestudio.ui.generate.style_words import style_description, style_label
from musestudio.ui.save_dialog import ask_save_path


def start_styles() -> tuple[str, ...]:
    """Built-in styles a learned one can start from: those both base models were trained on."""
    parts = engines.trained_styles(engines.ADD_PART, engines.PARTS) or ()
    stream = engines.trained_styles(engines.CONTINUE, "transformer")
    return tuple(s for s in parts if stream is None or s in stream)


def trainer_command() -> tuple[str, list[str]]:
    """The program and first arguments that start the trainer: this interpreter with ``-m`` from a source or
    pip install; in the bundle (frozen: there is no ``python -m``) its own executable with the sub-command
    ``musestudio.__main__`` hands to the trainer (the bundle carries the training code learning needs)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--learn-style"]
    return sys.executable, ["-m", "musestudio.ml.train.learn"]


SHOWN = 6  # files named in a list of those skipped (or whose end was dropped): the rest are counted


def _listed(items: list[str], separator: str) -> str:
    """The first ``SHOWN`` of ``items``, then how many more there are ("a; b; c; +3")."""
    more = [f"+{len(items) - SHOWN}"] if len(items) > SHOWN else []
    return separator.join(items[:SHOWN] + more)


class LearnProcess(QObject):
    """The trainer as a child process: ``event`` for each JSON line, ``finished`` once with the last one."""

    event = Signal(dict)
    finished = Signal(dict)  # {"event": "done" | "error" | "cancelled", ...}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.proc: QProcess | None = None
        self._buffer = b""
        self._last: dict = {}
        self._cancelled = False

    def running(self) -> bool:
        return self.proc is not None and self.proc.state() != QProcess.ProcessState.NotRunning

    def start(self, paths: list[Path], name: str, base_style: str | None, minutes: float) -> None:
        program, first = trainer_command()
        args = [
            *first,
            *map(str, paths),
            "--name",
            name,
            "--minutes",
            str(minutes),
        ]
        if base_style:
            args += ["--from", base_style]
        self.proc = QProcess(self)
        self.proc.setProcessEnvironment(QProcessEnvironment.systemEnvironment())
        self.proc.readyReadStandardOutput.connect(self._read)
        self.proc.finished.connect(self._done)
        self._buffer, self._last, self._cancelled = b"", {}, False
        self.proc.start(program, args)

    def cancel(self) -> None:
        if self.running():
            self._cancelled = True
            self.proc.terminate()  # SIGTERM: the trainer stops within a step, writing nothing
            if not self.proc.waitForFinished(10000):
                self.proc.kill()

    def _read(self) -> None:
        self._buffer += bytes(self.proc.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                self._last = event
                self.event.emit(event)

    def _done(self, code: int, _status) -> None:
        self._read()
        last = self._last
        if last.get("event") not in ("done", "error", "cancelled"):
            if self._cancelled:
                last = {"event": "cancelled"}
            else:
                err = bytes(self.proc.readAllStandardError()).decode("utf-8", "replace").strip().splitlines()
                last = {"event": "error", "message": err[-1] if err else f"the trainer stopped (code {code})"}
        self.finished.emit(last)


class LearnStyleDialog(QDialog):
    """The form, the progress of a run, and the list of learned styles."""

    styles_changed = Signal(str)  # a style was learned, removed or imported (its name, or "")
    style_renamed = Signal(str, str)  # (old name, new name)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learn_style_dialog")
        self.setWindowTitle(self.tr("Learn a Style"))
        self.paths: list[Path] = []
        self.learning = ""  # the name of the style the run learns (the last run's once it ended)
        self.words = ErrorWords(self)  # the style errors and the trainer's, in the user's language
        self.process = LearnProcess(self)
        self.process.event.connect(self._on_event)
        self.process.finished.connect(self._on_finished)

        intro = QLabel(
            self.tr(
                "Choose your MIDI files (or a folder of them). The models learn small extra layers from them; "
                "the built-in models stay as they are. Some of your music is kept aside to check the result: "
                "one file in ten (at least one) from five files on, else about one bar in ten."
            )
        )
        intro.setWordWrap(True)
        self.files = QListWidget()
        self.files.setMinimumHeight(90)
        add_files = QPushButton(self.tr("Add Files..."))
        add_folder = QPushButton(self.tr("Add Folder..."))
        clear = QPushButton(self.tr("Clear"))
        add_files.clicked.connect(self._add_files)
        add_folder.clicked.connect(self._add_folder)
        clear.clicked.connect(self._clear)
        file_buttons = QHBoxLayout()
        for b in (add_files, add_folder, clear):
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)
        self.skipped = QLabel()
        self.skipped.setWordWrap(True)
        self.skipped.setStyleSheet("color:#c9a227;")

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. My reels"))
        self.start_from = QComboBox()
        self.start_from.addItem(self.tr("The closest one (chosen from your files)"), None)
        for s in start_styles():
            self.start_from.addItem(style_label(s), s)
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0.1, 120.0)
        self.minutes.setValue(8.0)
        self.minutes.setSuffix(self.tr(" min"))
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Start from"), self.start_from)
        form.addRow(self.tr("Time to spend"), self.minutes)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel(self.tr("Ready."))
        self.status.setWordWrap(True)
        self.learn_button = QPushButton(self.tr("Learn"))
        self.learn_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.learn_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        run_row = QHBoxLayout()
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.learn_button)
        run_row.addWidget(self.cancel_button)

        manage = QGroupBox(self.tr("Your learned styles"))
        self.styles = QListWidget()
        self.styles.setMinimumHeight(70)
        # each style's description wrapped under its name: on one line it ran past the list's edge, and
        # where the style starts from was read only by scrolling sideways
        self.styles.setWordWrap(True)
        self.styles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.styles.currentRowChanged.connect(self._update_manage)
        self.rename_button = QPushButton(self.tr("Rename..."))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.export_button = QPushButton(self.tr("Export..."))
        import_button = QPushButton(self.tr("Import..."))
        self.rename_button.clicked.connect(self._rename)
        self.delete_button.clicked.connect(self._delete)
        self.export_button.clicked.connect(self._export)
        import_button.clicked.connect(self._import)
        manage_buttons = QHBoxLayout()
        for b in (self.rename_button, self.delete_button, self.export_button, import_button):
            manage_buttons.addWidget(b)
        manage_buttons.addStretch(1)
        self.damaged = QLabel()  # styles whose files cannot be used, and why (left out of the list)
        self.damaged.setWordWrap(True)
        self.damaged.setStyleSheet("color:#c9a227;")
        box = QVBoxLayout(manage)
        box.addWidget(self.styles)
        box.addWidget(self.damaged)
        box.addLayout(manage_buttons)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.files)
        layout.addLayout(file_buttons)
        layout.addWidget(self.skipped)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(manage)
        layout.addWidget(close)
        self.resize(560, 620)
        self.refresh_styles()

    # -- files -------------------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Add files or folders; anything that is not a MIDI file or a folder is said and left out."""
        passed = []
        for p in map(Path, paths):
            if p.is_dir() or (p.is_file() and p.suffix.lower() in READ_SUFFIXES):
                if p not in self.paths:
                    self.paths.append(p)
                    self.files.addItem(QListWidgetItem(str(p)))
            else:
                passed.append(p.name)
        self.skipped.setText(
            self.tr("Left out (not a MIDI file or folder): %1").replace("%1", ", ".join(passed))
            if passed
            else ""
        )

    def _add_files(self) -> None:
        midi_files = name_filter(self.tr("MIDI files (%1)"), READ_SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose MIDI Files"), "", midi_files, options=HIDE_PATTERNS
        )
        self.add_paths([Path(f) for f in files])

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a Folder of MIDI Files"))
        if folder:
            self.add_paths([Path(folder)])

    def _clear(self) -> None:
        self.paths.clear()
        self.files.clear()
        self.skipped.setText("")

    # -- the run -----------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Start learning; False (and the reason shown) when the form is not ready."""
        if self.process.running():
            return False
        name = self.name.text().strip()
        try:
            learned.check_free(name)
        except learned.StyleError as e:
            self._say(self.words.say(e), error=True)
            return False
        if not self.paths:
            self._say(self.tr("Add some MIDI files or a folder first."), error=True)
            return False
        self.process.start(self.paths, name, self.start_from.currentData(), self.minutes.value())
        self.learning = name
        self._set_running(True)
        self._say(self.tr("Reading your files..."))
        return True

    def cancel(self) -> None:
        self._say(self.tr("Cancelling..."))
        self.process.cancel()

    def _set_running(self, running: bool) -> None:
        self.learn_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for w in (self.name, self.start_from, self.minutes, self.files):
            w.setEnabled(not running)

    def _on_event(self, e: dict) -> None:
        kind = e.get("event")
        if kind == "read":
            self.skipped.setText(self._read_summary(e))
        elif kind == "progress":
            self.progress.setValue(round(1000 * float(e.get("fraction", 0.0))))
            left = max(0, round(float(e.get("seconds_left", 0.0)) / 60))
            stage = {
                "reading": self.tr("Reading your files..."),
                "choosing": self.tr("Choosing the closest built-in style..."),
                "training": self.tr("Learning (%1 model)...").replace("%1", e.get("model", "")),
                "key": self.tr("Matching the new style's notes to your files (round %1)...").replace(
                    "%1", str(e.get("round", 1))
                ),
                "done": self.tr("Saving..."),
            }.get(e.get("stage"), "")
            self._say(stage + " " + self.tr("About %1 min left.").replace("%1", str(left)) if left else stage)

    def _read_summary(self, e: dict) -> str:
        """What the trainer read: the files and bars used, those played in, those whose damaged end was
        dropped, and those skipped with why."""
        bars = self.tr("%n bar(s)", "", int(e.get("bars", 0)))
        text = self.tr("Using %n file(s) (%1).", "", len(e["files"])).replace("%1", bars)
        played = e.get("played_in") or []
        if played:
            text += " " + self.tr("%1 played in off the beat: learnt on the beat.").replace(
                "%1", str(len(played)) if len(played) > 1 else played[0]
            )
        if dropped := e.get("dropped_ends"):
            text += " " + self._dropped_ends_note(dropped)
        if skipped := e.get("skipped"):
            why = _listed([f"{s['file']}: {self.words.skip_reason(s)}" for s in skipped], "; ")
            text += " " + self.tr("Skipped %1: %2").replace("%1", str(len(skipped))).replace("%2", why)
        return text

    def _dropped_ends_note(self, dropped: list[dict]) -> str:
        """The files whose end lay hours of silence after their last event (a damaged length, dropped as
        Open drops it): the one named with its hours, as Open says it; more, listed by name."""
        if len(dropped) == 1:
            return (
                self.tr(
                    "%1 ended %2 hours of silence after its last event (a damaged length): it is learnt up "
                    "to its last event."
                )
                .replace("%1", dropped[0]["file"])
                .replace("%2", f"{dropped[0]['hours']:,.0f}")
            )
        names = _listed([d["file"] for d in dropped], ", ")
        return (
            self.tr(
                "%1 files ended hours of silence after their last event (a damaged length): each is learnt "
                "up to its last event: %2."
            )
            .replace("%1", str(len(dropped)))
            .replace("%2", names)
        )

    def _on_finished(self, e: dict) -> None:
        self._set_running(False)
        kind = e.get("event")
        if kind == "done":
            self.progress.setValue(1000)
            self._say(
                self._renamed_note(e)
                + self.tr("Learned %1: held-out NLL %2 -> %3 (lower is better).")
                .replace("%1", e["style"])
                .replace("%2", f"{e['valid_nll_before']:.2f}")
                .replace("%3", f"{e['valid_nll_after']:.2f}")
                + self._scored_note(e)
                + self._plays_as_base_note(e),
                warning=bool(e.get("plays_as_base")),
            )
            self.refresh_styles()
            self.styles_changed.emit(e["style"])
        elif kind == "cancelled":
            self.progress.setValue(0)
            self._say(self.tr("Cancelled; nothing was saved."))
        else:
            self.progress.setValue(0)
            self._say(self.words.say(e) or self.tr("Learning failed."), error=True)

    def _scored_note(self, done: dict) -> str:
        """On how many of the held-out notes the figure is, when not all: a short learning of a long file
        scores windows spread over them (``train.learn.scored_windows``). Else nothing."""
        scored, held = done.get("valid_notes"), done.get("held_out_notes")
        if not scored or not held or scored >= held:
            return ""
        return " " + (
            self.tr(
                "The figure is on %1 of the %2 held-out notes, spread over them: a short learning scores a few."
            )
            .replace("%1", str(scored))
            .replace("%2", str(held))
        )

    def _plays_as_base_note(self, done: dict) -> str:
        """For a style that learned nothing (``plays_as_base``: no layers beat the base models in the time
        given, no key prior of its own), that it plays as the built-in style it started from: the picker
        would otherwise offer the user's style and play that one. Else nothing."""
        if not done.get("plays_as_base"):
            return ""
        steps = sum(m.get("steps", 0) for m in (done.get("models") or {}).values())
        return " " + (
            self.tr(
                "In %n step(s) the models learned nothing from your files that they do not already play in "
                "the %2 style, so %3 plays as %2. Learn it again with more time.",
                "",
                steps,
            )
            .replace("%2", style_label(done.get("from", "")))
            .replace("%3", done["style"])
        )

    def _renamed_note(self, done: dict) -> str:
        """What the learning saved its style as when the name asked for was taken while it ran (a style of
        that name imported or renamed meanwhile, which it does not write over), else nothing."""
        asked = done.get("asked_name", done["style"])
        if asked == done["style"]:
            return ""
        return (
            self.tr("%1 was taken while learning, so the new style is called %2. ")
            .replace("%1", asked)
            .replace("%2", done["style"])
        )

    def _say(self, text: str, error: bool = False, warning: bool = False) -> None:
        self.status.setStyleSheet("color:#ff8a80;" if error else "color:#c9a227;" if warning else "")
        self.status.setText(text)

    def reject(self) -> None:
        if self.process.running():
            answer = QMessageBox.question(
                self, self.tr("Stop Learning?"), self.tr("Learning is still running. Stop it and close?")
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.process.cancel()
        super().reject()

    def may_stop(self, reopening: bool = False) -> bool:
        """Whether the window may close (quit, or ``reopening`` for new Preferences) though it stops the
        learning running (nothing of it is saved): the user is asked, and Cancel keeps it learning. True
        when nothing is being learned."""
        if not self.process.running():
            return True
        text = (
            self.tr(
                "The style %1 is still being learned: reopening the window stops it, and nothing of it is "
                "saved. Stop learning and reopen the window?"
            )
            if reopening
            else self.tr(
                "The style %1 is still being learned: quitting stops it, and nothing of it is saved. Stop "
                "learning and quit?"
            )
        ).replace("%1", self.learning)
        Button = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, self.tr("Learning a Style"), text, Button.Yes | Button.Cancel, Button.Cancel
        )
        return answer == Button.Yes

    # -- manage ------------------------------------------------------------------------------------------
    def refresh_styles(self) -> None:
        """List the learned styles, and under them those whose files cannot be used, with why (they are
        the user's: left out without a word they would seem lost). The style selected stays selected while
        it is listed (after a refused rename or delete, for the user to try again)."""
        selected = self._selected()
        self.styles.clear()
        for name in learned.names():
            item = QListWidgetItem(f"{name} — {style_description(name)}")
            item.setData(256, name)
            self.styles.addItem(item)
            if name == selected:
                self.styles.setCurrentItem(item)
        problems = [self.words.say(e) for e in learned.unusable()]
        self.damaged.setText(
            self.tr("Cannot be used: %1").replace("%1", "\n".join(problems)) if problems else ""
        )
        self.damaged.setVisible(bool(problems))
        self._update_manage()

    def _selected(self) -> str | None:
        item = self.styles.currentItem()
        return item.data(256) if item is not None else None

    def _update_manage(self) -> None:
        on = self._selected() is not None
        for b in (self.rename_button, self.delete_button, self.export_button):
            b.setEnabled(on)

    def _act(self, work) -> str | None:
        """Run a change to the learned styles and list them again: the style's name ("" for none), or None
        when it was refused (the reason is shown: a style's own, why a style file picked for Import cannot
        be read, or why a style's file cannot be written or deleted, in the user's language).

        A refused change is listed again too, here and in the panel: one that failed half way has changed
        what is on disk (a rename whose old files cannot be deleted leaves the style under both names), and
        the user must see every style there is."""
        try:
            name = work()
        except (BadInputError, OSError) as e:  # an OSError: a style's file that cannot be read
            self.refresh_styles()
            self.styles_changed.emit("")
            QMessageBox.warning(self, self.tr("Learned Styles"), self.words.say(e))
            return None
        self.refresh_styles()
        return name or ""

    def _change(self, work) -> None:
        """``_act``, then tell the window (a style imported is picked in the panel)."""
        name = self._act(work)
        if name is not None:
            self.styles_changed.emit(name)

    def _rename(self) -> None:
        old = self._selected()
        new, ok = QInputDialog.getText(self, self.tr("Rename Style"), self.tr("New name:"), text=old or "")
        if old and ok and new.strip() and new.strip() != old:
            renamed = self._act(lambda: learned.rename(old, new).name)
            if renamed:
                self.style_renamed.emit(old, renamed)

    def _delete(self) -> None:
        name = self._selected()
        if name and (
            QMessageBox.question(
                self, self.tr("Delete Style"), self.tr("Delete the learned style %1?").replace("%1", name)
            )
            == QMessageBox.StandardButton.Yes
        ):
            self._change(lambda: learned.remove(name) and None)

    def _export(self) -> None:
        name = self._selected()
        if not name:
            return
        path = ask_save_path(
            self,
            self.tr("Export Style"),
            f"{name}{learned.EXPORT_SUFFIX}",
            self.tr("Styles (*.musestyle)"),
            (learned.EXPORT_SUFFIX,),
        )
        if path:
            self._change(lambda: learned.export(name, path) and None)

    def _import(self) -> None:
        styles = name_filter(self.tr("Styles (*.musestyle)"), (learned.EXPORT_SUFFIX,))
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import Style"), "", styles, options=HIDE_PATTERNS
        )
        if path:
            self._change(lambda: learned.import_file(Path(path)).name)
