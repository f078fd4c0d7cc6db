"""Generate in the app: from the panel's choices to takes over the roll, and from a take to the score.

The controller turns the panel's choices and the editor's state (active track, selection, playhead) into a
Request, runs it on the Runner's worker thread (one at a time; Generate becomes Cancel meanwhile), and
shows the takes that come back in the Takes panel and over the roll. Nothing touches the project until a
take is kept, and keeping is one undo step (the take's notes take the place of the notes it replaces).
Every keep and discard is told to the Taste, which re-ranks the next takes.

Auditioning plays a preview project (the score with the take in place) from a little before the take;
switching takes while it plays swaps the scheduler's events (``LivePlayer.update``), with no restart.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from musestudio.core.keys import detect_key
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, bar_ticks, next_bar_line, signature_at
from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
from musestudio.ml.styles import STYLES
from musestudio.ui.generate import jobs
from musestudio.ui.generate.overlay import TakeOverlay
from musestudio.ui.generate.panel import GeneratePanel
from musestudio.ui.generate.request import (
    CONTINUE,
    REGENERATE,
    RESTYLE,
    Outcome,
    Request,
    Take,
    missing_model,
    trained_styles,
)
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.generate.takes_panel import TakesPanel
from musestudio.ui.worker import Runner

PREVIEW_LEAD_BARS = 2  # an audition starts this many bars before the take, so the seed leads into it
MAX_SHORTCUT_TAKES = 8
PANEL_WIDTH = 440


class NothingToDo(Exception):
    """The request cannot be made from what is selected (the message says what to do)."""


class GenerateController(QObject):
    takes_changed = Signal()
    generation_finished = Signal(str)  # "result", "error" or "cancelled"

    def __init__(self, window, taste=None) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.editor = window.editor
        self._taste = taste  # loaded on first use: numpy stays out of the start-up path
        self.runner = Runner(self)
        self.suggest_runner = Runner(self)  # its own thread: asking for a style never cancels a generation
        self.takes: tuple[Take, ...] = ()
        self.request: Request | None = None
        self.auditioning = False
        self.error = ""
        self.timing: dict[str, float] = {}
        self._clicked_at = 0.0

        self.panel = GeneratePanel()
        self.takes_panel = TakesPanel()
        self.overlay = TakeOverlay(window.roll.scene)
        self.panel_dock = self._dock("generate", self.tr("Generate"), self.panel)
        self.takes_dock = self._dock("takes", self.tr("Takes"), self.takes_panel)
        # the right column holds two tabbed docks: Generate over the Inspector, Takes over the History
        window.tabifyDockWidget(window.inspector, self.panel_dock)
        window.tabifyDockWidget(window.history, self.takes_dock)
        self.panel_dock.raise_()
        self.takes_dock.raise_()
        window.resizeDocks([self.panel_dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        window.resizeDocks([self.panel_dock, self.takes_dock], [560, 260], Qt.Orientation.Vertical)

        self._make_actions()
        self._connect()
        self._update_detected_key()

    @property
    def taste(self):
        if self._taste is None:
            from musestudio.ml.taste import Taste

            self._taste = Taste.load()
        return self._taste

    # -- set-up ----------------------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _make_actions(self) -> None:
        w, a = self.window, self.window.actions
        self.generate_action = a.generate
        self.forget_action = a.forget_taste
        self.keep_action = QAction(self.tr("&Keep Take"), w)
        self.keep_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.keep_new_track_action = QAction(self.tr("Keep Take as New &Track"), w)
        self.discard_action = QAction(self.tr("&Discard Take"), w)
        self.discard_all_action = QAction(self.tr("Discard &All Takes"), w)
        self.audition_actions = []
        for i in range(MAX_SHORTCUT_TAKES):
            action = QAction(self.tr("Audition Take %1").replace("%1", str(i + 1)), w)
            action.setShortcut(QKeySequence(str(i + 1)))
            action.triggered.connect(lambda _=False, row=i: self.audition(row))
            w.addAction(action)
            self.audition_actions.append(action)
        for action in (
            self.keep_action,
            self.keep_new_track_action,
            self.discard_action,
            self.discard_all_action,
        ):
            w.addAction(action)
        self._play_from_start_keys = a.play_from_start.shortcuts()
        self._update_take_actions()

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction(self.generate_action)
        modes = menu.addMenu(self.tr("&Mode"))
        for mode, text in (
            (CONTINUE, self.tr("&Continue")),
            (RESTYLE, self.tr("&Restyle")),
            (REGENERATE, self.tr("Regenerate &Selection")),
        ):
            modes.addAction(text).triggered.connect(lambda _=False, m=mode: self.panel.set_mode(m))
        menu.addSeparator()
        menu.addActions(
            [self.keep_action, self.keep_new_track_action, self.discard_action, self.discard_all_action]
        )
        menu.addSeparator()
        menu.addActions([self.panel_dock.toggleViewAction(), self.takes_dock.toggleViewAction()])
        menu.addSeparator()
        menu.addAction(self.forget_action)

    def _connect(self) -> None:
        p, t = self.panel, self.takes_panel
        self.generate_action.triggered.connect(self.generate_or_cancel)
        p.generate_clicked.connect(self.generate_or_cancel)
        p.suggest_style_clicked.connect(self.suggest_style)
        self.forget_action.triggered.connect(self.forget_taste)
        t.current_changed.connect(self._on_current_take)
        t.audition_clicked.connect(self.toggle_audition)
        t.keep_clicked.connect(self.keep)
        t.keep_new_track_clicked.connect(lambda: self.keep(new_track=True))
        t.discard_clicked.connect(self.discard)
        t.discard_all_clicked.connect(self.discard_all)
        self.keep_action.triggered.connect(self.keep)
        self.keep_new_track_action.triggered.connect(lambda: self.keep(new_track=True))
        self.discard_action.triggered.connect(self.discard)
        self.discard_all_action.triggered.connect(self.discard_all)
        self.runner.busy_changed.connect(self._on_busy)
        self.state.selection_changed.connect(self._update_detected_key)
        self.state.active_track_changed.connect(lambda _id: self._update_detected_key())
        self.state.document.changed.connect(self._on_document_changed)
        self.window.transport.playing_changed.connect(self._on_playing)

    # -- building the request --------------------------------------------------------------------------
    def build_request(self) -> Request:
        c = self.panel.choices()
        project = self.state.document.project
        track = self.state.active_track()
        if c["engine"] is None or missing_model(c["mode"], c["engine"]):
            raise NothingToDo(
                missing_model(c["mode"], c["engine"] or "transformer")
                or self.tr("No engine is installed for this mode.")
            )
        styles = trained_styles(c["mode"], c["engine"])
        if styles is not None and c["style"] not in styles:
            names = ", ".join(style_label(s) for s in styles)
            raise NothingToDo(
                self.tr("This engine was not trained on %1. Choose one of: %2.")
                .replace("%1", style_label(c["style"]))
                .replace("%2", names)
            )
        if track is not None and track.is_drum:
            raise NothingToDo(self.tr("The models write pitched parts: choose a track that is not drums."))
        all_notes = track.notes if track is not None else ()
        selected = self.state.selected_notes()
        tpb, sigs = project.ticks_per_beat, project.time_signatures
        fields = dict(
            mode=c["mode"],
            engine=c["engine"],
            style=c["style"],
            tpb=tpb,
            time_signatures=sigs,
            bars=c["bars"],
            temperature=c["temperature"],
            top_p=c["top_p"],
            variations=c["variations"],
            key_lock=c["key_lock"],
            pitch_range=c["pitch_range"],
            seed=c["seed"],
            device=c["device"],
            strength=c["strength"],
            track_id=track.id if track is not None else -1,
        )
        if c["mode"] == CONTINUE:
            after = self.state.playhead if c["where"] == "playhead" else 0
            notes = tuple(n for n in all_notes if n.start < after) if c["where"] == "playhead" else all_notes
            key = c["key"] or detect_key(notes) or project.key
            return Request(notes=notes, key=key, after=after, **fields)
        if c["mode"] == RESTYLE:
            notes = selected if c["where"] == "selection" else all_notes
            if not notes:
                raise NothingToDo(
                    self.tr("Nothing selected: select the notes to restyle, or restyle the whole track.")
                    if c["where"] == "selection"
                    else self.tr("The active track has no notes to restyle.")
                )
            key = c["key"] or detect_key(notes) or project.key
            return Request(notes=tuple(notes), key=key, replaces=frozenset(n.id for n in notes), **fields)
        if not selected:
            raise NothingToDo(self.tr("Nothing selected: select notes in the bars to regenerate."))
        first = min(n.start for n in selected)
        lines = bar_lines(sigs, tpb, first + 1)
        a = max(ln for ln in lines if ln <= first)
        b = next_bar_line(max(n.end for n in selected), sigs, tpb)
        replaces = frozenset(n.id for n in all_notes if a <= n.start < b)
        context = [n for n in all_notes if n.id not in replaces]
        key = c["key"] or detect_key(context or all_notes) or project.key
        return Request(notes=tuple(all_notes), key=key, start=a, end=b, replaces=replaces, **fields)

    # -- running ---------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.runner.busy

    def generate_or_cancel(self) -> None:
        if self.runner.busy:
            self.cancel()
        else:
            self.generate()

    def generate(self) -> None:
        self.error = ""
        try:
            request = self.build_request()
        except NothingToDo as e:
            self._show_error(str(e))
            return
        self._clicked_at = time.perf_counter()
        taste = self.taste.snapshot()  # the worker never sees later keeps and discards
        self.runner.start(
            lambda report, say, cancel: jobs.run(request, taste, report, say, cancel),
            progress=self.panel.set_progress,
            status=self._status,
            result=self._on_result,
            error=self._on_error,
            cancelled=self._on_cancelled,
        )
        self.panel.show_message("")

    def cancel(self) -> None:
        self.runner.cancel()
        self._status(self.tr("Cancelling…"))

    def _on_busy(self, busy: bool) -> None:
        self.panel.set_running(busy)
        self.generate_action.setText(self.tr("&Cancel Generation") if busy else self.tr("&Generate"))

    def _status(self, text: str) -> None:
        words = {
            jobs.LOADING: self.tr("Loading model…"),
            jobs.GENERATING: self.tr("Generating…"),
            jobs.SCORING: self.tr("Scoring takes…"),
        }
        self.window.statusBar().showMessage(words.get(text, text))

    def _show_error(self, text: str) -> None:
        self.error = text
        self.panel.show_message(text, error=True)
        self.window.statusBar().showMessage(text, 10000)
        self.generation_finished.emit("error")

    def _on_result(self, outcome: Outcome) -> None:
        self.timing = dict(outcome.seconds, click_to_takes=time.perf_counter() - self._clicked_at)
        self.request = outcome.request
        self.set_takes(outcome.takes)
        self.takes_dock.show()
        self.takes_dock.raise_()
        self._bring_into_view(outcome.takes)
        n = len(outcome.takes)
        text = (
            self.tr("%1 takes in %2 s on %3")
            .replace("%1", str(n))
            .replace("%2", f"{self.timing['click_to_takes']:.1f}")
            .replace("%3", outcome.device.upper())
        )
        notes = [*outcome.left_out, self.taste.pop_note()]  # damaged judges; a taste file moved aside (once)
        self.panel.show_message("\n".join([text, *filter(None, notes)]))
        self.window.statusBar().showMessage(text, 8000)
        self.generation_finished.emit("result")

    def _on_error(self, message: str) -> None:
        self._show_error(message)

    def _on_cancelled(self) -> None:
        self.panel.show_message(self.tr("Cancelled; the score is unchanged."))
        self.panel.set_progress(0, 1)
        self.window.statusBar().showMessage(self.tr("Generation cancelled"), 5000)
        self.generation_finished.emit("cancelled")

    def _bring_into_view(self, takes: tuple[Take, ...]) -> None:
        """Scroll (and zoom out if need be) so the takes and the bars leading into them are on screen."""
        if not takes:
            return
        view = self.window.roll.view
        start, end = min(t.start for t in takes), max(t.end for t in takes)
        left, right = view.visible_ticks()
        if left <= start and end <= right:
            return
        project = self.state.document.project
        bar = bar_ticks(signature_at(project.time_signatures, start), project.ticks_per_beat)
        first = max(0, start - PREVIEW_LEAD_BARS * bar)  # the seed's last bars lead into the takes
        if end - first > right - left:
            view.zoom_time((right - left) / ((end - first) * 1.05))
        scroll = view.horizontalScrollBar()
        scroll.setValue(scroll.value() + int(view.tick_to_x(first)))

    # -- takes -----------------------------------------------------------------------------------------
    def set_takes(self, takes: tuple[Take, ...], current: int = 0) -> None:
        self.takes = tuple(takes)
        self.overlay.show(self.takes, self.takes[current].number if self.takes else None)
        self.takes_panel.set_takes(self.takes, current)
        self._update_take_actions()
        if not self.takes and self.auditioning:
            self.stop_audition()
        self.takes_changed.emit()

    def current_take(self) -> Take | None:
        row = self.takes_panel.current_row()
        return self.takes[row] if 0 <= row < len(self.takes) else None

    def _on_current_take(self, row: int) -> None:
        take = self.takes[row] if 0 <= row < len(self.takes) else None
        self.overlay.set_current(take.number if take else None)
        if take is not None and self.auditioning:
            self._play(take)

    def _update_take_actions(self) -> None:
        has = bool(self.takes)
        for action in (
            self.keep_action,
            self.keep_new_track_action,
            self.discard_action,
            self.discard_all_action,
        ):
            action.setEnabled(has)
        for i, action in enumerate(self.audition_actions):
            action.setEnabled(i < len(self.takes))
        # while takes wait, Enter keeps; Home still plays from the start
        pfs = self.window.actions.play_from_start
        pfs.setShortcuts(
            [k for k in self._play_from_start_keys if k.toString() == "Home"]
            if has
            else self._play_from_start_keys
        )

    def _with_take(self, project: Project, take: Take, new_track: bool) -> tuple[Project, int]:
        """The project with ``take`` in place of the notes it replaces, and the id of the track it is in."""
        request = self.request
        track = next((t for t in project.tracks if t.id == request.track_id), None)
        notes = tuple(n.copy_as_new() for n in take.notes)
        if track is None or new_track:
            source = track or self.state.active_track()
            used = {t.channel for t in project.tracks}
            channel = next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)
            added = Track(
                name=self.tr("Take %1 (%2)")
                .replace("%1", str(take.number))
                .replace("%2", style_label(take.style)),
                program=source.program if source else 0,
                channel=channel,
                colour=TRACK_COLOURS[len(project.tracks) % len(TRACK_COLOURS)],
                notes=notes,
            )
            return project.add_track(added), added.id
        kept = [n for n in track.notes if n.id not in request.replaces]
        return project.replace_track(track.with_notes(kept + list(notes))), track.id

    def keep(self, new_track: bool = False) -> bool:
        """Put the current take into the score as one undo step; the other takes go away."""
        take = self.current_take()
        if take is None:
            return False
        self.stop_audition()
        project, track_id = self._with_take(self.state.document.project, take, new_track)
        text = (self.tr("Keep take %1 as new track") if new_track else self.tr("Keep take %1")).replace(
            "%1", str(take.number)
        )
        self.editor.push(project, text)
        self.state.set_active_track(track_id)
        self.taste.record(take.features, True, take.style, take.engine)
        self.set_takes(())
        self.window.statusBar().showMessage(self.tr("Kept take %1").replace("%1", str(take.number)), 5000)
        return True

    def discard(self) -> None:
        take = self.current_take()
        if take is None:
            return
        row = self.takes_panel.current_row()
        self.taste.record(take.features, False, take.style, take.engine)
        rest = tuple(t for t in self.takes if t is not take)
        self.set_takes(rest, min(row, len(rest) - 1) if rest else 0)

    def discard_all(self) -> None:
        for take in self.takes:
            self.taste.record(take.features, False, take.style, take.engine)
        self.set_takes(())

    def forget_taste(self) -> None:
        self.taste.forget()
        self.window.statusBar().showMessage(
            self.tr("Your taste is forgotten: takes are ranked by the critic."), 5000
        )

    # -- audition --------------------------------------------------------------------------------------
    def audition(self, row: int) -> None:
        """Make take ``row`` current and play it with its seed (or switch to it, if playing)."""
        if not 0 <= row < len(self.takes):
            return
        self.takes_panel.set_current_row(row)  # switching while playing happens in _on_current_take
        if not self.auditioning:
            self._play(self.takes[row])

    def toggle_audition(self) -> None:
        if self.auditioning:
            self.stop_audition()
        else:
            take = self.current_take()
            if take is not None:
                self._play(take)

    def preview_project(self, take: Take) -> Project:
        return self._with_take(self.state.document.project, take, new_track=False)[0]

    def _play(self, take: Take) -> None:
        project = self.preview_project(take)
        player = self.window.player
        if self.auditioning:
            player.player.update(project, self.window.transport.metronome)  # a swap, no restart
            return
        sig = signature_at(project.time_signatures, take.start)
        start = max(0, take.start - PREVIEW_LEAD_BARS * bar_ticks(sig, project.ticks_per_beat))
        if player.play(project, start, None, self.window.transport.metronome):
            self.auditioning = True
            self.takes_panel.set_auditioning(True)
        else:
            self.window.statusBar().showMessage(
                self.tr("Cannot audition: %1").replace("%1", player.status), 5000
            )

    def stop_audition(self) -> None:
        if self.auditioning:
            self.window.player.stop()

    def _on_playing(self, playing: bool) -> None:
        if not playing and self.auditioning:
            self.auditioning = False
            self.takes_panel.set_auditioning(False)

    # -- keeping the panel in step with the score -------------------------------------------------------
    def _on_document_changed(self, *_args) -> None:
        self._update_detected_key()
        if self.request is not None and self.takes and self.request.track_id >= 0:
            ids = {t.id for t in self.state.document.project.tracks}
            if self.request.track_id not in ids:  # another piece was opened, or the track deleted
                self.set_takes(())

    def _update_detected_key(self) -> None:
        track = self.state.active_track()
        notes = self.state.selected_notes() or (track.notes if track is not None else ())
        self.panel.set_detected_key(detect_key(notes))

    def suggest_style(self) -> None:
        """Set the style the seed sounds like, leaning to the styles whose takes the user keeps."""
        track = self.state.active_track()
        notes = tuple(self.state.selected_notes() or (track.notes if track is not None else ()))
        project = self.state.document.project
        taste = self.taste.snapshot()
        listening = self.tr("Listening to the seed…")
        c = self.panel.choices()
        candidates = list(
            (c["engine"] and trained_styles(c["mode"], c["engine"])) or STYLES
        )  # what it can play

        def work(_report, say, _cancel):
            probs = None
            if notes:
                say(listening)
                from musestudio.ml import critic

                probs = critic.style_probabilities(
                    notes, tpb=project.ticks_per_beat, time_signatures=project.time_signatures
                )
            return taste.suggest_style(probs, candidates)

        self.suggest_runner.start(
            work, status=self._status, result=self._on_suggested, error=self._show_error
        )

    def _on_suggested(self, style: str | None) -> None:
        if style:
            self.panel.set_style(style)
            self.window.statusBar().showMessage(
                self.tr("Suggested style: %1").replace("%1", style_label(style)), 5000
            )

    def shutdown(self) -> None:
        """Stop any generation and wait for the worker (the window is closing)."""
        for runner in (self.runner, self.suggest_runner):
            runner.cancel()
            runner.wait(5000)
