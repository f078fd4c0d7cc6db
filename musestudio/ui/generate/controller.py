"""Generate in the app: the Qt glue between the Generate panel, the generation service and the Takes panel.

The controller turns the panel's choices and the editor's state (active track, selection, playhead) into a
Request (``requests.build_request``), hands it to the generation service (``ml.generate.service``) on the
Runner's worker thread (one at a time; Generate becomes Cancel meanwhile), and shows the Outcome's takes in
the Takes panel and over the roll. Nothing touches the project until a take is kept, and keeping is one
undo step (``requests.with_take``); the other takes stay listed until Discard All or the next Generate's
takes come (a Generate cancelled after its first take came lists them again), and undoing the keep lists
the kept take again (``kept.KeptTakes``). Each take carries the request of its Generate (``Take.request``),
so takes of two Generates can be listed together: undoing the keep of a take a cancelled Generate showed
early lists it beside the takes listed again. Takes outlive their track: deleting
it (or undoing its adding) leaves them listed, and keeping one then puts it in a new track with that track's
instrument; only opening another piece or starting a new one drops them, once the user said they may go
(``FileController.maybe_save`` asks). Every keep and discard is told to the taste, which re-ranks the next
takes; auditioning is ``audition.Audition``'s. Keys 1-8 pick takes by the number shown, not by row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from musestudio.core.keys import detect_key
from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, ticks_to_bar_beat
from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from musestudio.ml.generate import service
from musestudio.ml.generate.request import NEW_TRACK, Outcome, Request, Take
from musestudio.ui.dragout import clip_project
from musestudio.ui.generate.audition import Audition
from musestudio.ui.generate.kept import KeptTakes
from musestudio.ui.generate.overlay import TakeOverlay, bring_into_view
from musestudio.ui.generate.panel import GeneratePanel
from musestudio.ui.generate.requests import (
    NothingToDo,
    build_request,
    continued_over,
    part_colours,
    with_take,
)
from musestudio.ui.generate.seed_style import SeedStyle
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.generate.takes_panel import TakeColours, TakesPanel, engine_label, row_listing
from musestudio.ui.generate.takes_recovery import takes_from_dict, takes_to_dict
from musestudio.ui.shortcuts import set_scoped_keys
from musestudio.ui.worker import Runner

MAX_SHORTCUT_TAKES = 8
PANEL_WIDTH = 440


@dataclass(frozen=True)
class Listing:
    """What the Takes panel lists (each take with its request, all Keep needs) and the keeps that Undo lists
    again (``KeptTakes.snapshot``): put back when the Generate whose first take came in its place is
    cancelled."""

    takes: tuple[Take, ...]
    kept: tuple


class GenerateController(QObject):
    takes_changed = Signal()
    generation_finished = Signal(str)  # "result", "error" or "cancelled"
    warmed = Signal(float)  # seconds the start-up warm-up took (0 when there was nothing to warm)
    first_takes = Signal(object, int)  # (an Outcome of the first take, its run): sent from the worker

    def __init__(self, window, taste=None) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.editor = window.editor
        self._taste = taste  # loaded on first use: numpy stays out of the start-up path
        self.runner = Runner(self)
        self.takes: tuple[Take, ...] = ()  # each carries its Generate's request (``Take.request``)
        self.take_colours = TakeColours()  # each listed take's, over the roll and in the list
        self._run_request: Request | None = None  # the one the current Generate's takes carry, once they come
        self.error = ""
        self._engine_note = (
            ""  # what the running Generate says about the engine it runs (Continue from nothing)
        )
        self.timing: dict[str, float] = {}
        self._clicked_at = 0.0
        self._run_number = 0  # the current Generate: what an earlier or dropped one sends goes unheard
        self._early: set[int] = set()  # numbers of this run's takes shown early (listed before the rest)
        self._handled: set[int] = set()  # ... and of those the user kept or discarded before the rest came
        self._replaced = 0  # takes listed, not kept, when this Generate's came: its takes replaced them
        self._before: Listing | None = None  # what this Generate's first take replaced: Cancel puts it back
        self._warming: threading.Thread | None = None
        self._warm_taste = None  # the taste, read by the warm-up thread (its file off the GUI thread)
        self._process: service.GenerationProcess | None = (
            None  # torch and the engine, warmed in a child process
        )

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

        self.audition_player = Audition(
            window.player,
            window.transport,
            self.preview_project,
            self.takes_panel.set_auditioning,
            lambda text: window.statusBar().showMessage(text, 5000),
            self._why_no_audition,
            self,
        )
        self.kept = KeptTakes(window.undo_stack, self._on_keep_undone, self._on_keep_redone, self)
        self.seed_style = SeedStyle(self)  # the panel's style: the piece's chosen one, or its seed's
        self.learn_dialog = None  # Learn a Style, made when first opened
        self._make_actions()
        self._connect()
        self._update_detected_key()

    @property
    def taste(self):
        if self._taste is None:
            self._taste = self._warm_taste or service.load_taste()
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
        # Enter keeps only in the Takes list (TakesPanel handles it); elsewhere it plays from the start
        set_scoped_keys(self.keep_action, self.tr("Enter"), self.tr("in the Takes list"))
        self.keep_new_track_action = QAction(self.tr("Keep Take as New &Track"), w)
        self.discard_action = QAction(self.tr("&Discard Take"), w)
        self.discard_all_action = QAction(self.tr("Discard &All Takes"), w)
        self.learn_action = QAction(self.tr("&Learn a Style..."), w)
        self.audition_actions = []
        for i in range(MAX_SHORTCUT_TAKES):
            action = QAction(self.tr("Audition Take %1").replace("%1", str(i + 1)), w)
            action.setShortcut(QKeySequence(str(i + 1)))
            action.triggered.connect(lambda _=False, number=i + 1: self.audition_number(number))
            w.addAction(action)
            self.audition_actions.append(action)
        for action in (
            self.keep_action,
            self.keep_new_track_action,
            self.discard_action,
            self.discard_all_action,
        ):
            w.addAction(action)
        self._update_take_actions()

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction(self.generate_action)
        modes = menu.addMenu(self.tr("&Mode"))
        for mode, text in (
            (CONTINUE, self.tr("&Continue")),
            (RESTYLE, self.tr("&Restyle")),
            (REGENERATE, self.tr("Regenerate &Selection")),
            (ADD_PART, self.tr("&Add a Part")),
        ):
            modes.addAction(text).triggered.connect(lambda _=False, m=mode: self.panel.set_mode(m))
        menu.addSeparator()
        menu.addActions(
            [self.keep_action, self.keep_new_track_action, self.discard_action, self.discard_all_action]
        )
        menu.addMenu(self.tr("A&udition Take")).addActions(self.audition_actions)
        menu.addSeparator()
        menu.addActions([self.panel_dock.toggleViewAction(), self.takes_dock.toggleViewAction()])
        menu.addSeparator()
        menu.addAction(self.learn_action)
        menu.addAction(self.forget_action)

    def _connect(self) -> None:
        p, t = self.panel, self.takes_panel
        self.generate_action.triggered.connect(self.generate_or_cancel)
        p.generate_clicked.connect(self.generate_or_cancel)
        p.suggest_style_clicked.connect(self.suggest_style)
        p.learn_style_clicked.connect(self.learn_style)
        self.learn_action.triggered.connect(self.learn_style)
        self.forget_action.triggered.connect(self.forget_taste)
        t.current_changed.connect(self._on_current_take)
        t.audition_clicked.connect(self.toggle_audition)
        t.keep_clicked.connect(self.keep)
        t.keep_new_track_clicked.connect(lambda: self.keep(new_track=True))
        t.discard_clicked.connect(self.discard)
        t.drag_out.connect(self.drag_out_take)
        t.discard_all_clicked.connect(self.discard_all)
        self.keep_action.triggered.connect(self.keep)
        self.keep_new_track_action.triggered.connect(lambda: self.keep(new_track=True))
        self.discard_action.triggered.connect(self.discard)
        self.discard_all_action.triggered.connect(self.discard_all)
        self.runner.busy_changed.connect(self._on_busy)
        self.first_takes.connect(self._on_first_takes)  # queued: emitted on the worker thread
        self.state.selection_changed.connect(self._update_detected_key)
        p.key.currentIndexChanged.connect(lambda _i: self._update_detected_key())
        self.state.active_track_changed.connect(lambda _id: self._update_detected_key())
        self.state.document.changed.connect(self._on_document_changed)
        self.window.files.loaded.connect(self.seed_style.piece_loaded)
        self.window.files.loaded.connect(self._drop_takes)
        self.warmed.connect(lambda _s: self.seed_style.warmed())
        rebar = self.window.actions.rebar  # enabled while the piece is in 1/4 throughout
        rebar.enabledChanged.connect(p.set_beat_grid)
        p.set_beat_grid(rebar.isEnabled())
        p.rebar_clicked.connect(rebar.trigger)

    # -- learned styles (issue 16) ---------------------------------------------------------------------
    def learn_style(self):
        """Open the Learn a Style dialog (one at a time); a style it learns is picked in the panel."""
        from musestudio.ui.generate.learn_dialog import LearnStyleDialog

        if self.learn_dialog is None:
            self.learn_dialog = LearnStyleDialog(self.window)
            self.learn_dialog.styles_changed.connect(self._on_styles_changed)
            self.learn_dialog.style_renamed.connect(self._on_style_renamed)
        self.learn_dialog.show()
        self.learn_dialog.raise_()
        return self.learn_dialog

    def _on_style_renamed(self, old: str, new: str) -> None:
        """A renamed style stays chosen where it was (the panel, the pieces it was chosen for) under its new
        name; another style the panel shows stays as it is."""
        self.panel.refresh_learned_styles(renamed={old: new})
        self.seed_style.renamed(old, new)

    def may_stop_learning(self, reopening: bool = False) -> bool:
        """Whether the window may close though a style is being learned (the user is asked; True when
        none is): the learning goes with the window (``LearnStyleDialog.may_stop``)."""
        return self.learn_dialog is None or self.learn_dialog.may_stop(reopening)

    def _on_styles_changed(self, name: str) -> None:
        self.panel.refresh_learned_styles()
        if name:
            self.panel.set_style(name)
            self.seed_style.chosen()  # a style just learned is the user's pick, not to be read over

    # -- start-up warm-up -------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Warm the first Generate once the window is up: a child process imports torch and loads the
        panel's engine (``ml.generate.process``: an import in this process would hold the GIL and stall
        the window for up to seconds), while a thread here reads the taste (JSON only: numpy is not
        needed to load it). Every Generate then runs in that process. Once only; a failure is left for
        the click to report."""
        if self._warming is not None:
            return
        c = self.panel.choices()
        self._process = service.generation_process()
        try:
            self._process.start(c["mode"], c["engine"], c["device"], c["style"])
        except OSError:  # no process to be had: Generate runs on the worker thread, as without warm-up
            self._process = None
        process = self._process

        def work() -> None:
            t0 = time.perf_counter()
            try:
                self._warm_taste = service.load_taste()
                if process is not None:
                    process.wait_warm()
            except Exception:  # noqa: BLE001 - a missing or damaged model is reported when it is asked for
                pass
            self.warmed.emit(time.perf_counter() - t0)

        self._warming = threading.Thread(target=work, name="warm-up", daemon=True)
        self._warming.start()

    def run_target(self):
        """Where a Generate (or a jam answer) runs: the warmed process while it lives, else ``service.run``
        on the caller's worker thread."""
        if self._process is not None and self._process.alive:
            return self._process.run
        return service.run

    # -- building the request --------------------------------------------------------------------------
    def build_request(self) -> Request:
        return build_request(
            self.panel.choices(),
            self.state.document.project,
            self.state.active_track(),
            self.state.selected_notes(),
            self.state.playhead,
        )

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
        self._engine_note = self._starting_engine_note(request)
        self._clicked_at = time.perf_counter()
        taste = self.taste.snapshot()  # the worker never sees later keeps and discards
        run = self.run_target()
        self._run_number += 1
        self._early, self._handled, self._before, self._run_request = set(), set(), None, None
        number = self._run_number

        def early(outcome: Outcome) -> None:
            self.first_takes.emit(outcome, number)

        self.seed_style.remember()
        resolve = self.seed_style.resolver(request)  # the seed's style first, when it is not known yet
        mine = self._only_for(number)
        self.runner.start(
            lambda report, say, cancel: run(resolve(say, cancel), taste, report, say, cancel, early),
            progress=mine(self.panel.set_progress),
            status=mine(self._status),
            result=mine(self._on_result),
            error=mine(self._on_error),
            cancelled=mine(self._on_cancelled),
        )
        self.panel.show_message(self._engine_note)

    def _starting_engine_note(self, request: Request) -> str:
        """Said while and after Continue runs on a piece with no notes: the Parts engine chosen continues
        notes, so another engine writes the first bars (``requests.starting_engine``), and which."""
        chosen = self.panel.choices()["engine"]
        if request.mode != CONTINUE or request.engine == chosen:
            return ""
        return self.tr(
            "The piece has no notes yet, so the %1 engine writes the first bars (the Parts engine continues "
            "the notes a piece has: Generate again once there are some)."
        ).replace("%1", engine_label(request.engine))

    def _only_for(self, number: int) -> Callable[[Callable], Callable]:
        """Wrap a slot of Generate ``number`` so it is heard only while that Generate is the current one:
        one dropped with its piece (``_drop_takes``) ends unheard, its takes and messages with it, even
        when they were on their way before the new piece opened."""

        def wrap(slot: Callable) -> Callable:
            return lambda *args: slot(*args) if number == self._run_number else None

        return wrap

    def cancel(self) -> None:
        self.runner.cancel()
        self._status(self.tr("Cancelling…"))

    def _on_busy(self, busy: bool) -> None:
        self.panel.set_running(busy)
        self.generate_action.setText(self.tr("&Cancel Generation") if busy else self.tr("&Generate"))

    def _status(self, text: str) -> None:
        words = {
            service.LOADING: self.tr("Loading model…"),
            service.GENERATING: self.tr("Generating…"),
            service.SCORING: self.tr("Scoring takes…"),
            service.LISTENING: self.tr("Listening to the seed…"),
        }
        self.window.statusBar().showMessage(words.get(text, text))

    def _show_error(self, text: str) -> None:
        self.error = text
        self.panel.show_message(text, error=True)
        self.window.statusBar().showMessage(text, 10000)
        self.generation_finished.emit("error")

    def _on_first_takes(self, outcome: Outcome, number: int) -> None:
        """The first take of a slow request, ready before the others: list it at once, to audition or keep
        while the rest are drawn (``service.run``'s ``partial``)."""
        job = self.runner.current
        if number != self._run_number or job is None or job.is_cancelled:
            return  # a cancelled or dropped Generate's
        self.timing = {"first_take": time.perf_counter() - self._clicked_at}
        self.timing["first_take_cpu"] = outcome.seconds.get("cpu", 0.0)
        self._before = self._listing()
        self._replace_listing()
        takes = self._listed_for(outcome)
        self._early = {t.number for t in takes}
        self.set_takes(takes)
        self.takes_dock.show()
        self.takes_dock.raise_()
        bring_into_view(self.window.roll.view, takes, self.state.document.project)
        more = outcome.request.options.variations - len(outcome.takes)
        text = (
            self.tr("Take 1 in %1 s; drawing %2 more…")
            .replace("%1", f"{self.timing['first_take']:.1f}")
            .replace("%2", str(more))
        )
        notes = [
            self._engine_note,
            self._replaced_note(),
            self._meter_note(outcome),
            self._continued_over_note(),
        ]
        self.panel.show_message("\n".join(filter(None, [text, *notes])))
        self.window.statusBar().showMessage(" ".join(filter(None, [text, *notes])), 8000)

    def _listing(self) -> Listing:
        return Listing(self.takes, self.kept.snapshot())

    def _replace_listing(self) -> None:
        """This Generate's takes come in place of those listed: say how many those were, and undoing an
        earlier keep no longer brings its take back here."""
        self._replaced = len(self.takes)
        self.kept.clear()

    def _listed_for(self, outcome: Outcome) -> tuple[Take, ...]:
        """The takes of ``outcome``, each carrying its Generate's request: one object for the takes shown
        early and the rest of the run, so take 1 listed again with the rest is the same take (``listed``,
        and Undo and Redo of its keep made early)."""
        if self._run_request is None:
            self._run_request = outcome.request
        return tuple(replace(t, request=self._run_request) for t in outcome.takes)

    def _on_result(self, outcome: Outcome) -> None:
        first = {k: v for k, v in self.timing.items() if k.startswith("first_take")} if self._early else {}
        self.timing = dict(outcome.seconds, click_to_takes=time.perf_counter() - self._clicked_at, **first)
        current = self.current_take()
        if not self._early:
            self._replace_listing()
        self._before = None
        # a take shown early and kept or discarded meanwhile is not listed again
        takes = tuple(t for t in self._listed_for(outcome) if t.number not in self._handled)
        row = max(0, row_listing(takes, current)) if current else 0  # the take current, if listed again
        self._early, self._handled = set(), set()
        self.set_takes(takes, row)
        self.takes_dock.show()
        self.takes_dock.raise_()
        bring_into_view(self.window.roll.view, takes, self.state.document.project)
        n = len(takes)
        text = (
            self.tr("%n take(s) in %1 s on %2", "", n)
            .replace("%1", f"{self.timing['click_to_takes']:.1f}")
            .replace("%2", outcome.device.upper())
        )
        empty, replaced, meter = self._empty_note(outcome), self._replaced_note(), self._meter_note(outcome)
        notes = [
            self._engine_note,
            empty,
            replaced,
            meter,
            self._under_the_tune_note(outcome.request),
            self._continued_over_note(),
            *outcome.left_out,
            self.taste.pop_note(),
        ]
        self.panel.show_message("\n".join([text, *filter(None, notes)]))
        said = [text, self._engine_note, empty, replaced, meter]
        self.window.statusBar().showMessage(" ".join(filter(None, said)), 8000)
        self.generation_finished.emit("result")

    def _replaced_note(self) -> str:
        """The takes of the last Generate that were listed, not kept, when this one's came: said, since
        they are gone (the Takes panel's hint says so before)."""
        n = self._replaced
        return (
            self.tr("They replace the %n take(s) of the last Generate that were not kept.", "", n)
            if n
            else ""
        )

    def _meter_note(self, outcome: Outcome) -> str:
        """Said when the piece's bars changed under the takes while they were drawn (its meter set anew):
        they follow the bars of the click, so they may not start or end on a bar line now."""
        project, r = self.state.document.project, outcome.request
        end = max((t.end for t in outcome.takes), default=0)
        then = [line for line in bar_lines(r.time_signatures, r.tpb, end) if line <= end]
        now = [
            line for line in bar_lines(project.time_signatures, project.ticks_per_beat, end) if line <= end
        ]
        if then == now:
            return ""
        return self.tr(
            "The meter changed while these takes were drawn: they follow the bars the piece had when you "
            "clicked Generate, not its bars now. Generate again for takes in the new meter."
        )

    def _under_the_tune_note(self, request: Request) -> str:
        """What Keep does with the notes under an arranged tune (a chordal track's lower notes) of
        ``request``'s takes: said before the user keeps, since they do not come back into the track."""
        under, cut = service.under_the_tune(request)
        if not (under or cut):
            return ""
        text = (
            self.tr(
                "Keep puts the tune back into %1 without the %n note(s) under it, and with %2 notes held "
                "under a higher one cut where it enters: the new parts take their place (Undo brings them "
                "back; Keep as New Track leaves %1 as it is).",
                "",
                under,
            )
            if cut
            else self.tr(
                "Keep puts the tune back into %1 without the %n note(s) under it: the new parts take their "
                "place (Undo brings them back; Keep as New Track leaves %1 as it is).",
                "",
                under,
            )
        )
        return text.replace("%1", self._track_name(request.track_id)).replace("%2", str(cut))

    def _continued_over_note(self) -> str:
        """Continue after a playhead inside the piece: the bars the takes are drawn for already hold notes.
        Said before the user keeps, since Keep puts the take in their place."""
        take = self.current_take()
        given = continued_over(self.state.document.project, take.request, take) if take else ()
        if not given:
            return ""
        n = sum(count for _, count in given)
        return (
            self.tr(
                "Already in %1 of %2: %n note(s). Keep puts the take in their place (Undo brings them back); "
                "Keep as New Track leaves them as they are and plays the take over them from a track of its "
                "own.",
                "",
                n,
            )
            .replace("%1", self._bars_of(take))
            .replace("%2", ", ".join(f"“{t.name}”" for t, _ in given))
        )

    def _bars_of(self, take: Take) -> str:
        """The bars ``take`` covers as the roll numbers them: "bar 3", "bars 3–4"."""
        project = self.state.document.project
        first, last = (
            ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat).bar
            for tick in (take.start, max(take.start, take.end - 1))
        )
        if first == last:
            return self.tr("bar %1").replace("%1", str(first))
        return self.tr("bars %1–%2").replace("%1", str(first)).replace("%2", str(last))

    def _track_name(self, track_id: int) -> str:
        track = next((t for t in self.state.document.project.tracks if t.id == track_id), None)
        return f"“{track.name}”" if track is not None else self.tr("its track")

    def _empty_note(self, outcome: Outcome) -> str:
        """What the panel says about takes that came back empty (drawn again, or left out after that)."""
        if outcome.unfit:
            return self.tr(
                "%n take(s) came back empty (or opened on an empty bar) even when drawn again and are not "
                "listed: try another style, engine or temperature.",
                "",
                outcome.unfit,
            )
        if outcome.repeats:
            return self.tr(
                "%n take(s) repeated another take even when drawn again and are not listed.",
                "",
                outcome.repeats,
            )
        if outcome.redrawn:
            return self.tr(
                "%n take(s) came back empty or repeated another and were drawn again.", "", outcome.redrawn
            )
        return ""

    def _on_error(self, message: str) -> None:
        self._before = None  # a take shown early stays listed: it was drawn, and said to replace the others
        self._show_error(message)

    def _on_cancelled(self) -> None:
        kept = self._kept_this_run()
        said = [
            self.tr(
                "Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out "
                "and lists them again).",
                "",
                kept,
            )
            if kept
            else self.tr("Cancelled; the score is unchanged.")
        ]
        if self._before is not None:
            said += self._put_back(self._before)
        self.panel.show_message("\n".join(said))
        self.panel.set_progress(0, 1)
        self.window.statusBar().showMessage(self.tr("Generation cancelled"), 5000)
        self.generation_finished.emit("cancelled")

    def _kept_this_run(self) -> int:
        """How many takes this Generate showed early were kept (and not undone) before it ended."""
        if self._before is None:
            return 0
        return sum(1 for k in self.kept.snapshot() if k.done and k not in self._before.kept)

    def _put_back(self, before: Listing) -> list[str]:
        """A Generate whose first take was listed is cancelled: the takes it replaced are listed again, with
        their keeps that Undo lists again; its own takes still listed go. Its keeps stay followed too:
        undoing the keep of a take it showed early lists that take beside the others (each carries its
        own request, so it keeps as it would have). Returns what to say about both."""
        gone = len(self.takes)
        drawn = self.kept.snapshot()  # the keeps of the takes this Generate showed early
        self._before, self._early, self._handled = None, set(), set()
        self.set_takes(before.takes)
        self.kept.restore((*before.kept, *drawn))  # a keep undone meanwhile lists its take again
        back = len(self.takes)
        return [
            self.tr("The %n take(s) listed before this Generate are listed again.", "", back) if back else "",
            self.tr("The %n take(s) it drew before the cancel are no longer listed.", "", gone)
            if gone
            else "",
        ]

    # -- takes -----------------------------------------------------------------------------------------
    def set_takes(self, takes: tuple[Take, ...], current: int = 0) -> None:
        """List ``takes``, ``current`` the current row; each carries the request it was drawn for."""
        self.takes = tuple(takes)
        colours = self.take_colours.assign(self.takes)
        self.overlay.show(
            self.takes,
            colours,
            current if self.takes else None,
            lambda take: part_colours(self.state.document.project, take),
        )
        self.takes_panel.set_takes(self.takes, colours, current)
        self._update_take_actions()
        if not self.takes and self.auditioning:
            self.stop_audition()
        self.takes_changed.emit()

    def recovery_takes(self) -> dict | None:
        """The takes listed, for the recovery copy (``takes_recovery``); None when there are none."""
        if not self.takes:
            return None
        return takes_to_dict(self.state.document.project, self.takes)

    def restore_takes(self, block: dict, said: bool = True) -> None:
        """List again the takes a recovery copy holds (the piece restored from it is open); ``said``: tell
        the user (not when the window was only made anew, for another language)."""
        try:
            takes = takes_from_dict(self.state.document.project, block)
        except (ValueError, KeyError, TypeError, IndexError):
            self.window.statusBar().showMessage(
                self.tr("The takes in the recovery copy could not be read; the piece is restored"), 10000
            )
            return
        if not takes:
            return
        self.kept.clear()
        self._early, self._handled = set(), set()
        self.set_takes(takes)
        self.takes_dock.show()
        self.takes_dock.raise_()
        if not said:
            return
        text = self.tr("%n take(s) not kept when MuseStudio stopped are listed again", "", len(takes))
        self.panel.show_message(text)
        self.window.statusBar().showMessage(text, 10000)

    def listed(self) -> tuple[tuple[Request | None, int], ...]:
        """Each listed take as (its Generate's request, its number): what a question about the takes not
        kept was asked about. A take shown early is listed again as a new object with the rest of its run,
        so takes go by number within their run, not by object."""
        return tuple((t.request, t.number) for t in self.takes)

    def current_take(self) -> Take | None:
        row = self.takes_panel.current_row()
        return self.takes[row] if 0 <= row < len(self.takes) else None

    def row_of(self, number: int) -> int:
        """The row key ``number`` picks (-1 if no take shows it): the first that shows it, or the next one
        after the current row when that shows it too (takes of two Generates listed together may share a
        number: pressing it again goes on to the other)."""
        rows = [row for row, t in enumerate(self.takes) if t.number == number]
        current = self.takes_panel.current_row()
        if current not in rows:
            return rows[0] if rows else -1
        return next((row for row in rows if row > current), rows[0])

    def _row_of_take(self, take: Take) -> int:
        """The row that lists ``take`` (-1 if none), by its Generate and number (``same_take``)."""
        return row_listing(self.takes, take)

    def _on_current_take(self, row: int) -> None:
        take = self.takes[row] if 0 <= row < len(self.takes) else None
        self.overlay.set_current(row if take else None)
        if take is not None and self.auditioning:
            self.audition_player.play(take)

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
            action.setEnabled(self.row_of(i + 1) >= 0)

    def _with_take(self, project: Project, take: Take, new_track: bool) -> tuple[Project, int]:
        """``with_take`` for the request ``take`` was drawn for; a take whose track is gone goes into a new
        track with that track's instrument (the active track's, when the request does not say it). Kept in
        place, it takes the place of the takes of its Generate kept there before it too, as of the notes
        they took the place of: the bars hold one take, not two stacked in one line."""
        request, into = take.request, {}
        if not new_track:
            put = frozenset().union(*(ids for _, ids in self.kept.put_by_others_of(take)))
            request = replace(request, replaces=request.replaces | put) if put else request
            into = self._new_parts_kept_before(take)
        return with_take(project, request, take, new_track, self.state.active_track(), into)

    def _new_parts_kept_before(self, take: Take) -> dict[int, int]:
        """{new part's id: the track an earlier keep of its Generate put that part in} for ``take``'s new
        parts (Arrange's piano and bass), so a second take kept in place replaces the first's parts in
        their tracks rather than adding a second piano and bass beside them. Empty where no such keep is in
        effect, or where it added tracks for more than the new parts (its own track was gone)."""
        new = [track_id for track_id, _ in take.parts if track_id <= NEW_TRACK]
        added = self.kept.tracks_added_in_place_by_others_of(take) if new else ()
        return dict(zip(new, added, strict=True)) if len(added) == len(new) else {}

    def _takes_given_way(self, take: Take) -> list[int]:
        """The numbers of the takes of ``take``'s Generate, kept before it, whose notes its keep took out."""
        ids = {n.id for t in self.state.document.project.tracks for n in t.notes}
        return sorted(number for number, put in self.kept.put_by_others_of(take) if put - ids)

    def _given_way_note(self, numbers: list[int]) -> str:
        """What the status bar says of the takes a keep took the place of (``_takes_given_way``)."""
        if not numbers:
            return ""
        if len(numbers) == 1:
            return self.tr(": in place of take %1, kept before it (Undo brings it back)").replace(
                "%1", str(numbers[0])
            )
        return self.tr(": in place of takes %1, kept before it (Undo brings them back)").replace(
            "%1", ", ".join(str(n) for n in numbers)
        )

    def _track_gone(self, take: Take) -> bool:
        """Whether a track ``take`` was drawn for is no longer in the piece (deleted, or its adding undone)."""
        ids = {t.id for t in self.state.document.project.tracks}
        wanted = [track_id for track_id, _ in take.parts] if take.parts else [take.request.track_id]
        return any(track_id >= 0 and track_id not in ids for track_id in wanted)

    def keep(self, new_track: bool = False) -> bool:
        """Put the current take into the score as one undo step; the other takes stay listed (to compare,
        or keep as well) until Discard All or the next Generate, and undoing the keep lists it again. A take
        that changes nothing (empty, or the very notes already there) leaves the list with no step, no taste
        and a message saying so: nothing else's undo may bring it back. Returns whether it was kept."""
        take = self.current_take()
        if take is None:
            return False
        row = self.takes_panel.current_row()
        self.stop_audition()
        gone = not new_track and self._track_gone(take)
        over = () if gone else continued_over(self.state.document.project, take.request, take)
        project, track_id = self._with_take(self.state.document.project, take, new_track)
        text = (
            self.tr("Keep take %1 as new track") if new_track or gone else self.tr("Keep take %1")
        ).replace("%1", str(take.number))
        if not self.editor.push(project, text, active=track_id):
            self._take_off_the_list(take, row)
            self.window.statusBar().showMessage(
                self.tr("Take %1 adds nothing to the score: nothing to keep").replace("%1", str(take.number)),
                8000,
            )
            return False
        self.taste.record(take.features, True, take.style, take.engine)
        given_way = self._takes_given_way(take)
        self.kept.pushed(take, row, in_place=not (new_track or gone))
        self._take_off_the_list(take, row)
        said = (
            self.tr("Its track is gone: kept take %1 in a new track") if gone else self.tr("Kept take %1")
        ).replace("%1", str(take.number)) + self._given_way_note(given_way)
        under, cut = (0, 0) if new_track or gone else service.under_the_tune(take.request)
        if under or cut:
            gave_way = (
                self.tr(
                    ": %n note(s) under the tune gave way to the new parts and %1 were cut short (Undo "
                    "brings them back)",
                    "",
                    under,
                )
                if cut
                else self.tr(
                    ": %n note(s) under the tune gave way to the new parts (Undo brings them back)", "", under
                )
            )
            said += gave_way.replace("%1", str(cut))
        said += self._kept_over_note(over, take, new_track)
        self.window.statusBar().showMessage(said, 8000)
        return True

    def _kept_over_note(self, over: tuple, take: Take, new_track: bool) -> str:
        """What a keep did with the notes already in the bars a Continue take was drawn for (``over``:
        ``continued_over`` as it was before the keep)."""
        n = sum(count for _, count in over)
        if not n:
            return ""
        text = (
            self.tr(": it plays over the %n note(s) already in %1", "", n)
            if new_track
            else self.tr(": the %n note(s) already in %1 gave way to it (Undo brings them back)", "", n)
        )
        return text.replace("%1", self._bars_of(take))

    def drag_out_take(self, row: int) -> None:
        """A take dragged out of the Takes panel leaves the app as a .mid file, from its first bar."""
        take = self.takes[row] if 0 <= row < len(self.takes) else None
        if take is None or not take.notes:
            return
        project = self.state.document.project
        with_it, _track_id = self._with_take(project, take, True)  # the take in new tracks of its own
        before = {t.id for t in project.tracks}
        parts = [(t, None) for t in with_it.tracks if t.id not in before]
        clip = clip_project(with_it, parts, origin=take.start)
        name = self.tr("Take %1").replace("%1", str(take.number)) + " " + style_label(take.style)
        self.window.drag_out.start(self.takes_panel.list, clip, name, self.take_colours.of(take).name())

    def _on_keep_undone(self, take: Take, row: int) -> None:
        """The keep of ``take`` was undone: list it again where it was, current, ready to audition (beside
        the takes of another Generate, when a cancelled one showed it early). A take shown early may be
        listed again already, as a new object with the rest of its run."""
        if self._row_of_take(take) >= 0:
            return
        self.taste.withdraw(take.features, True)  # the user did not stand by that keep
        self._handled.discard(take.number)  # kept early, undone before the rest came: list it with them
        row = max(0, min(row, len(self.takes)))
        self.set_takes((*self.takes[:row], take, *self.takes[row:]), row)

    def _on_keep_redone(self, take: Take, _row: int) -> None:
        """The keep of ``take`` was redone: it is in the score again, so it leaves the list again."""
        if (row := self._row_of_take(take)) < 0:
            return
        self.taste.record(take.features, True, take.style, take.engine)
        if take.number in self._early:
            self._handled.add(take.number)
        rest = self.takes[:row] + self.takes[row + 1 :]
        current = self.takes_panel.current_row()
        current = current - (current > row) if current != row else min(row, len(rest) - 1)
        self.set_takes(rest, max(0, current))

    def discard(self) -> None:
        take = self.current_take()
        if take is None:
            return
        self.taste.record(take.features, False, take.style, take.engine)
        self._take_off_the_list(take, self.takes_panel.current_row())

    def _take_off_the_list(self, take: Take, row: int) -> None:
        """``take`` (listed at ``row``) is dealt with: it leaves the list, and a take shown early is not
        listed again when the rest of its run comes."""
        if take.number in self._early:
            self._handled.add(take.number)
        rest = tuple(t for t in self.takes if t is not take)
        self.set_takes(rest, min(row, len(rest) - 1) if rest else 0)

    def discard_all(self) -> None:
        for take in self.takes:
            self.taste.record(take.features, False, take.style, take.engine)
            if take.number in self._early:
                self._handled.add(take.number)
        self.kept.clear()
        self.set_takes(())

    def forget_taste(self) -> None:
        self.taste.forget()
        self.window.statusBar().showMessage(
            self.tr("Your taste is forgotten: takes are ranked by the critic."), 5000
        )

    # -- audition --------------------------------------------------------------------------------------
    @property
    def auditioning(self) -> bool:
        return self.audition_player.playing

    def audition_number(self, number: int) -> None:
        """Key ``number`` (1-8): audition the take that shows that number, wherever its row is."""
        self.audition(self.row_of(number))

    def audition(self, row: int) -> None:
        """Make take ``row`` current and play it with its seed (or switch to it, if playing)."""
        if not 0 <= row < len(self.takes):
            return
        self.takes_panel.set_current_row(row)  # switching while playing happens in _on_current_take
        if not self.auditioning:
            self.audition_player.play(self.takes[row])

    def toggle_audition(self) -> None:
        if self.auditioning:
            self.stop_audition()
        elif (take := self.current_take()) is not None:
            self.audition_player.play(take)

    def _why_no_audition(self) -> str:
        """Why a take cannot be auditioned now ("" when it can): the music is a take being recorded or
        jammed."""
        if self.window.recording.recording:
            return self.tr("Recording: stop it to audition a take")
        if self.window.jam.active:
            return self.tr("Jam mode plays its answer: stop it to audition a take")
        return ""

    def preview_project(self, take: Take) -> Project:
        return self._with_take(self.state.document.project, take, new_track=False)[0]

    def stop_audition(self) -> None:
        self.audition_player.stop()

    # -- keeping the panel in step with the score -------------------------------------------------------
    def _on_document_changed(self, *_args) -> None:
        self._update_detected_key()

    def _drop_takes(self) -> None:
        """Another piece was opened, or a new one begun: the user starts over, and the takes of the piece
        before (which the user was asked about) and a Generate still drawing them go. That Generate is
        dropped, not just cancelled: takes of it already on their way are never listed over the new piece,
        and its end says nothing over what the opening said; the panel says it stopped."""
        self._run_number += 1  # what the running Generate sends from now on is unheard (``_only_for``)
        if self.runner.busy:
            self.runner.cancel()
            self.panel.set_progress(0, 1)
            text = self.tr("The Generate that was running stopped: its takes were for the piece before.")
            self.panel.show_message(text)
            self.window.statusBar().showMessage(text, 5000)
        self.kept.clear()
        self._early, self._handled, self._before = set(), set(), None
        self.set_takes(())

    def _update_detected_key(self) -> None:
        """The key detected in the whole active track, or in the selection when the panel asks for that."""
        track = self.state.active_track()
        notes = track.notes if track is not None else ()
        if self.panel.choices()["key_from"] == "selection":
            notes = self.state.selected_notes() or notes
        self.panel.set_detected_key(detect_key(notes))

    def suggest_style(self) -> None:
        """Set the style the seed sounds like, leaning to the styles whose takes the user keeps."""
        self.seed_style.read(asked=True)

    def shutdown(self) -> None:
        """Stop any generation and wait for the worker (the window is closing, as the user said it may):
        what a Generate sends from now on is unheard, so no take is listed, nor copied for recovery, in a
        window that is gone."""
        self._run_number += 1
        for runner in (self.runner, self.seed_style.runner):
            runner.cancel()
            runner.wait(5000)
        if self._process is not None:
            self._process.stop()
        if self.learn_dialog is not None:
            self.learn_dialog.process.cancel()  # it stops within a step, writing nothing
