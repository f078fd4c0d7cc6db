"""Generate in the app: the coordinator between the window, the Generate panel and the Takes panel.

``GenerateController`` is what the window talks to. It makes the two docks, the Generate menu's actions and
their connections, and holds the takes listed (``set_takes``: the Takes panel, the overlay over the roll and
the take actions follow them). The jobs behind it each have a module of their own:

- running a Generate, from the click to its takes or its cancel: ``generation.Generation``;
- keeping takes into the score, discarding them, and Undo of keeps: ``keeping.Keeping`` (with
  ``kept.KeptTakes``);
- auditioning takes: ``audition.Audition``;
- the takes in a recovery copy: ``takes_recovery``;
- the panel's style, read from the seed or chosen: ``seed_style.SeedStyle``.

Each take carries the request of its Generate (``Take.request``), so takes of two Generates can be listed
together. Takes outlive their track; only opening another piece or starting a new one drops them, once the
user said they may go (``FileController.maybe_save`` asks). Keys 1-8 pick takes by the number shown, not by
row. The warm-up (torch and the engine in a child process) starts here, once the window is up. The
sentences Generate and Keep put together about takes are worded here too, in this class's tr() (see "what
Generate and Keep say").
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox

from musestudio.core.project import Project
from musestudio.core.timing import bar_lines, ticks_to_bar_beat
from musestudio.freed_memory import give_back_freed_memory
from musestudio.ml import engines
from musestudio.ml.engines import ADD_PART, CONTINUE, REGENERATE, RESTYLE
from musestudio.ml.generate import service
from musestudio.ml.generate.request import Outcome, Request, Take, key_over_drums
from musestudio.ui.actions import plain_text
from musestudio.ui.generate.audition import Audition, why_no_audition
from musestudio.ui.generate.generation import Generation
from musestudio.ui.generate.keeping import Keeping
from musestudio.ui.generate.overlay import TakeOverlay
from musestudio.ui.generate.panel import GeneratePanel
from musestudio.ui.generate.requests import (
    build_request,
    continued_over,
    detected_key,
    part_colours,
    writes_drums,
)
from musestudio.ui.generate.seed_style import SeedStyle
from musestudio.ui.generate.takes_panel import TakeColours, TakesPanel, engine_label, row_listing, same_take
from musestudio.ui.generate.takes_recovery import take_colours_from_dict, takes_from_dict, takes_to_dict
from musestudio.ui.shortcuts import set_scoped_keys
from musestudio.ui.track_labels import track_label

MAX_SHORTCUT_TAKES = 8
PANEL_WIDTH = 440


class GenerateController(QObject):
    takes_changed = Signal()
    generation_finished = Signal(str)  # "result", "error" or "cancelled"
    warmed = Signal(float)  # seconds the start-up warm-up took (0 when there was nothing to warm)

    def __init__(self, window, taste=None) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.editor = window.editor
        self._taste = taste  # loaded on first use: numpy stays out of the start-up path
        self.takes: tuple[Take, ...] = ()  # each carries its Generate's request (``Take.request``)
        self.take_colours = TakeColours()  # each listed take's, over the roll and in the list
        # what the last Generate said of its takes, with its request (None before they come) and whether
        # any of them was listed then: shown above what keeping the current take does (``say_of_takes``)
        self._said: tuple[tuple[str, ...], Request | None, bool] = ((), None, False)
        # how many takes that Generate drew, in how many seconds, on which device: the count above the rest,
        # said of the takes listed now (``takes_in_note``)
        self._drawn: tuple[int, float, str] | None = None
        self._picked: Take | None = None  # the take the user last made current (``picked_take``)
        self._under_the_tune: tuple[Request | None, tuple[int, int]] = (None, (0, 0))
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

        self.audition_player = Audition(
            window.player,
            window.transport,
            self.preview_project,
            self.takes_panel.set_auditioning,
            lambda text: window.statusBar().showMessage(text, 5000),
            lambda: why_no_audition(window.recording.recording, window.jam.active),
            self,
        )
        self.generation = Generation(self)
        self.runner = self.generation.runner
        self.keeping = Keeping(self)
        self.kept = self.keeping.kept
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
        menu.aboutToShow.connect(self._offer_forgetting)

    def share_the_column(self) -> None:
        """Give Generate's choices the right column's height they need, the Takes list keeping at least its
        own minimum (four rows). Half each hid Strength and Variations below the fold even at the
        default 1400 x 860."""
        column = self.panel_dock.height() + self.takes_dock.height()
        need = self.panel.height_for_every_choice() + self.panel_dock.height() - self.panel.height()
        self.window.resizeDocks(
            [self.panel_dock, self.takes_dock], [need, max(1, column - need)], Qt.Orientation.Vertical
        )

    def _connect(self) -> None:
        p, t = self.panel, self.takes_panel
        self.generate_action.triggered.connect(self.generate_or_cancel)
        p.generate_clicked.connect(self.generate_or_cancel)
        p.suggest_style_clicked.connect(self.suggest_style)
        p.learn_style_clicked.connect(self.learn_style)
        self.learn_action.triggered.connect(self.learn_style)
        self.forget_action.triggered.connect(self.forget_taste)
        t.current_changed.connect(self._on_current_take)
        t.picked.connect(self._on_picked)
        t.audition_clicked.connect(self.toggle_audition)
        t.keep_clicked.connect(self.keep)
        t.keep_new_track_clicked.connect(lambda: self.keep(new_track=True))
        t.discard_clicked.connect(self.discard)
        t.drag_out.connect(self.keeping.drag_out)
        t.discard_all_clicked.connect(self.discard_all)
        self.keep_action.triggered.connect(self.keep)
        self.keep_new_track_action.triggered.connect(lambda: self.keep(new_track=True))
        self.discard_action.triggered.connect(self.discard)
        self.discard_all_action.triggered.connect(self.discard_all)
        self.generation.finished.connect(self.generation_finished)
        # once the views have let the replaced takes go: a long session's resident size stays near its use
        self.generation.finished.connect(lambda _how: QTimer.singleShot(0, self, give_back_freed_memory))
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

    # -- running (``generation``) -------------------------------------------------------------------------
    def build_request(self) -> Request:
        return build_request(
            self.panel.choices(),
            self.state.document.project,
            self.state.active_track(),
            self.state.selected_notes(),
            self.state.playhead,
        )

    @property
    def busy(self) -> bool:
        return self.runner.busy

    @property
    def error(self) -> str:
        """What the last Generate failed with ("" when it did not)."""
        return self.generation.error

    @property
    def timing(self) -> dict[str, float]:
        """How long the last Generate took, by step (seconds)."""
        return self.generation.timing

    def generate_or_cancel(self) -> None:
        if self.runner.busy:
            self.cancel()
        else:
            self.generate()

    def generate(self) -> None:
        self.generation.start()

    def cancel(self) -> None:
        self.generation.cancel()

    # -- takes -----------------------------------------------------------------------------------------
    def set_takes(self, takes: tuple[Take, ...], current: int = 0) -> None:
        """List ``takes``, ``current`` the current row; each carries the request it was drawn for."""
        self.takes = tuple(takes)
        if self._picked is not None and row_listing(self.takes, self._picked) < 0:
            self._picked = None
        colours = self.take_colours.assign(self.takes)
        self.overlay.show(
            self.takes,
            colours,
            current if self.takes else None,
            lambda take: part_colours(self.state.document.project, take),
        )
        self.takes_panel.set_takes(self.takes, colours, current)
        project = self.state.document.project
        pitched = any(not writes_drums(project, take) for take in self.takes)
        self.window.roll.view.set_takes_shown(bool(self.takes), pitched)
        self._update_take_actions()
        if not self.takes and self.auditioning:
            self.stop_audition()
        self.takes_changed.emit()

    def listed(self) -> tuple[tuple[Request | None, int], ...]:
        """Each listed take as (its Generate's request, its number): what a question about the takes not
        kept was asked about. A take shown early is listed again as a new object with the rest of its run,
        so takes go by number within their run, not by object."""
        return tuple((t.request, t.number) for t in self.takes)

    def current_take(self) -> Take | None:
        row = self.takes_panel.current_row()
        return self.takes[row] if 0 <= row < len(self.takes) else None

    def picked_take(self) -> Take | None:
        """The current take when the user chose it (a click or the arrows in the list, a key 1-8, Audition)
        or hears it: the rest of a Generate's takes coming leave it current, as the user is weighing it;
        else None, and the best of them becomes current (the first take, listed early, may rank lower)."""
        take = self.current_take()
        if take is not None and (
            self.auditioning or (self._picked is not None and same_take(self._picked, take))
        ):
            return take
        return None

    def _on_picked(self) -> None:
        self._picked = self.current_take()

    def row_of(self, number: int) -> int:
        """The row key ``number`` picks (-1 if no take shows it): the first that shows it, or the next one
        after the current row when that shows it too (takes of two Generates listed together may share a
        number: pressing it again goes on to the other)."""
        rows = [row for row, t in enumerate(self.takes) if t.number == number]
        current = self.takes_panel.current_row()
        if current not in rows:
            return rows[0] if rows else -1
        return next((row for row in rows if row > current), rows[0])

    def _on_current_take(self, row: int) -> None:
        take = self.takes[row] if 0 <= row < len(self.takes) else None
        self.overlay.set_current(row if take else None)
        if take is not None and self.auditioning:
            self.audition_player.play(take)
        self.describe_takes()  # a keep, a discard, an undone keep or the user's pick: what is current now

    # -- what the Generate and Takes panels say of the takes ----------------------------------------------
    def say_of_takes(
        self, said, request: Request | None, drawn: tuple[int, float, str] | None = None
    ) -> None:
        """Show what a Generate says of its takes (``said``; ``request``: theirs, None before they come),
        and, in the Takes panel, what keeping the current take does (``describe_takes``). ``drawn``: how
        many it drew, in how many seconds, on which device, said first and of the takes listed
        (``takes_in_note``)."""
        listed = request is not None and any(t.request is request for t in self.takes)
        self._said = (tuple(filter(None, said)), request, listed)
        self._drawn = drawn if request is not None else None
        self.describe_takes()

    def describe_takes(self) -> None:
        """Say what is current: in the Generate panel, the last Generate's words while it runs or any of its
        takes is listed (once the user kept or discarded the last of them, they describe takes no longer
        there); under the Takes panel's Keep buttons, what keeping the take current now does: the tracks it
        mutes, the notes it takes the place of. Before, the panel went on describing the take just kept
        ("Keep mutes ...") after Keep, Discard All and Undo; and said under the Generate button, a long note
        squeezed the Generate settings to a row or two in a small window."""
        said, request, listed = self._said
        if request is None:
            gone = not self.busy
        else:
            gone = listed and not any(t.request is request for t in self.takes)
        if gone:
            said, self._said, self._drawn = (), ((), None, False), None
        count = self.takes_in_note(self._drawn, self._listed_of(request)) if self._drawn else ""
        self.panel.show_message("\n".join(filter(None, [count, *said])))
        self.takes_panel.show_keep_note("\n".join(filter(None, self._keep_notes(self.current_take()))))

    def _listed_of(self, request: Request | None) -> int:
        """How many of the takes listed ``request``'s Generate drew."""
        return sum(t.request is request for t in self.takes)

    def _keep_notes(self, take: Take | None) -> tuple[str, ...]:
        """What keeping ``take`` in place does with the piece as it is now. The notes under an arranged tune
        give way once, to the first take of its Generate kept in place: a later one replaces that take. A
        part over drums alone sets the key signature of a piece with none (``Keeping.keyed``)."""
        if take is None or take.request is None:
            return ()
        under = "" if self.kept.put_by_others_of(take) else self.under_the_tune_note(take.request)
        return (
            self.in_place_of_note(take),
            under,
            self.arranged_over_note(take),
            self.continued_over_note(take),
            self.continued_under_note(take),
            self.keeping.key_to_set_note(take),
        )

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

    # -- keeping (``keeping``) ----------------------------------------------------------------------------
    def keep(self, new_track: bool = False) -> bool:
        """Keep the current take (``Keeping.keep``); returns whether it was kept."""
        return self.keeping.keep(new_track)

    def discard(self) -> None:
        self.keeping.discard()

    def discard_all(self) -> None:
        self.keeping.discard_all()

    def _offer_forgetting(self) -> None:
        """Forget My Taste is offered once the taste has learnt from a keep or a discard."""
        self.forget_action.setEnabled(bool(self.taste.decisions))

    def forget_taste(self) -> None:
        """Forget every keep and discard the taste learnt from, once the user said so: its file is deleted
        and no Undo brings it back, so a slip in the Generate menu must not cost them."""
        learnt = len(self.taste.decisions)
        if not learnt:
            return
        Button = QMessageBox.StandardButton
        text = self.tr(
            "Your taste has learnt from %n take(s) you kept or discarded. Forget it? The critic alone ranks "
            "the takes from then on, and this cannot be undone.",
            "",
            learnt,
        )
        title = plain_text(self.forget_action.text())
        if (
            QMessageBox.question(self.window, title, text, Button.Yes | Button.Cancel, Button.Cancel)
            != Button.Yes
        ):
            return
        self.taste.forget()
        self.window.statusBar().showMessage(
            self.tr("Your taste is forgotten: takes are ranked by the critic."), 5000
        )

    # -- audition (``audition``) --------------------------------------------------------------------------
    @property
    def auditioning(self) -> bool:
        return self.audition_player.playing

    def audition_number(self, number: int) -> None:
        """Key ``number`` (1-8): audition the take that shows that number, wherever its row is."""
        self.audition(self.row_of(number))

    def audition(self, row: int) -> None:
        """Make take ``row`` current and play it with its seed (or switch to it, if playing). While a jam
        plays an answer, making the take current is what switches the jam to it (``Jam``): say so, rather
        than that an audition has to wait."""
        if not 0 <= row < len(self.takes):
            return
        self.takes_panel.set_current_row(row)  # switching while playing happens in _on_current_take
        self._picked = self.takes[row]
        if self.window.jam.active and self.window.transport.preview is not None:
            self.window.statusBar().showMessage(
                self.tr("Jam mode plays take %1").replace("%1", str(self.takes[row].number)), 5000
            )
        elif not self.auditioning:
            self.audition_player.play(self.takes[row])

    def toggle_audition(self) -> None:
        if self.auditioning:
            self.stop_audition()
        elif (take := self.current_take()) is not None:
            self._picked = take
            self.audition_player.play(take)

    def preview_project(self, take: Take) -> Project:
        """The piece with ``take`` kept in place: what an audition plays."""
        return self.keeping.with_take(self.state.document.project, take, new_track=False)[0]

    def stop_audition(self) -> None:
        self.audition_player.stop()

    # -- recovery (``takes_recovery``) --------------------------------------------------------------------
    def recovery_takes(self) -> dict | None:
        """The takes listed, for the recovery copy (``takes_recovery``); None when there are none."""
        if not self.takes:
            return None
        colours = [self.take_colours.index(t) for t in self.takes]
        return takes_to_dict(self.state.document.project, self.takes, colours)

    def restore_takes(self, block: dict, said: bool = True) -> None:
        """List again the takes a recovery copy holds (the piece restored from it is open); ``said``: tell
        the user (not when the window was only made anew, for another language)."""
        try:
            takes = takes_from_dict(self.state.document.project, block)
            colours = take_colours_from_dict(block)
        except (ValueError, KeyError, TypeError, IndexError):
            self.window.statusBar().showMessage(
                self.tr("The takes in the recovery copy could not be read; the piece is restored"), 10000
            )
            return
        if not takes:
            return
        self.kept.clear()
        self.generation.forget_early()
        self.take_colours.restore(takes, colours)  # each in the colour the user knew it by
        self.set_takes(takes)
        self.takes_dock.show()
        self.takes_dock.raise_()
        if not said:
            return
        text = self.tr("%n take(s) not kept when MuseStudio stopped are listed again", "", len(takes))
        self.panel.show_message(text)
        self.window.statusBar().showMessage(text, 10000)

    # -- what Generate and Keep say ---------------------------------------------------------------------
    # The sentences Generate and Keep put together (``generation``, ``keeping``) are said here: lupdate marks
    # a "%n" message as counted only in a class's own tr() (not in QCoreApplication.translate with a
    # variable count), and their translations are the GenerateController's.
    def starting_engine_note(self, request: Request, chosen: str) -> str:
        """Said while and after Continue runs on a piece with no notes: the Parts engine ``chosen`` continues
        notes, so another engine writes the first bars (``requests.starting_engine``), and which."""
        if request.mode != CONTINUE or request.engine == chosen:
            return ""
        return self.tr(
            "The piece has no notes yet, so the %1 engine writes the first bars (the Parts engine continues "
            "the notes a piece has: Generate again once there are some).",
        ).replace("%1", engine_label(request.engine))

    def left_empty_note(self, request: Request) -> str:
        """Said while and after Continue in all tracks runs on a piece with more tracks than the Parts
        engine reads, counting the empty ones it would write a new part in: those it has no room for stay
        as they are (``engines.no_room_for``), and which."""
        if not request.left_empty:
            return ""
        return (
            self.tr(
                "Continue writes nothing in %1: the Parts engine reads at most %2 tracks, and the tracks with "
                "notes come first."
            )
            .replace("%1", ", ".join(self._track_name(i) for i in request.left_empty))
            .replace("%2", str(engines.MAX_PARTS))
        )

    def replaced_note(self, n: int) -> str:
        """The ``n`` takes of the last Generate that were listed, not kept, when this one's came: said, since
        they are gone (the Takes panel's hint says so before)."""
        if not n:
            return ""
        return self.tr("They replace the %n take(s) of the last Generate that were not kept.", "", n)

    def meter_note(self, outcome: Outcome) -> str:
        """Said when the piece's bars changed under the takes while they were drawn (its meter set anew): they
        follow the bars of the click, so they may not start or end on a bar line now."""
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
            "clicked Generate, not its bars now. Generate again for takes in the new meter.",
        )

    def seed_changed_note(self, outcome: Outcome) -> str:
        """Said when the notes Continue's takes follow on from changed while they were drawn (a note edited,
        bars undone, the track deleted): the takes follow on from the notes of the click, so they may come
        after bars now empty, or answer a phrase no longer there."""
        r = outcome.request
        if r.mode != CONTINUE or not outcome.takes:
            return ""
        seed_end = r.after or min(t.start for t in outcome.takes)  # after: 0 when the seed is every note
        read = {s.track_id: s.notes for s in r.parts} if r.parts else {r.track_id: r.notes}
        tracks = {t.id: t for t in self.state.document.project.tracks}
        now = {i: tuple(n for n in tracks[i].notes if n.start < seed_end) for i in read if i in tracks}
        if all(set(now.get(i, ())) == set(notes) and (i in now or not notes) for i, notes in read.items()):
            return ""
        return self.tr(
            "The notes these takes follow on from changed while they were drawn: they continue the notes the "
            "piece had when you clicked Generate. Generate again for takes that follow on from it now."
        )

    def _under_the_tune_of(self, request: Request) -> tuple[int, int]:
        """``service.under_the_tune`` of ``request``, worked out once: the panel says it at each edit."""
        if self._under_the_tune[0] is not request:
            self._under_the_tune = (request, service.under_the_tune(request))
        return self._under_the_tune[1]

    def under_the_tune_note(self, request: Request) -> str:
        """What Keep does with the notes under an arranged tune (a chordal track's lower notes) of
        ``request``'s takes, and with notes held under a higher one (a held bass that is the tune on its
        first beat): said before the user keeps, since they do not come back into the track."""
        under, cut = self._under_the_tune_of(request)
        held = self.tr("%n note(s) held under a higher one", "", cut)
        if under and cut:
            text = self.tr(
                "Keep puts the tune back into %1 without the %n note(s) under it, and with %2 cut where it "
                "enters: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 "
                "as it is).",
                "",
                under,
            ).replace("%2", held)
        elif cut:  # before: "without the 0 notes under it"
            text = self.tr(
                "Keep puts the tune back into %1 with %2 cut where it enters (Undo brings back what it cuts; "
                "Keep as New Track leaves %1 as it is)."
            ).replace("%2", held)
        elif under:
            text = self.tr(
                "Keep puts the tune back into %1 without the %n note(s) under it: the new parts take their "
                "place (Undo brings them back; Keep as New Track leaves %1 as it is).",
                "",
                under,
            )
        else:
            return ""
        return text.replace("%1", self._track_name(request.track_id))

    def under_the_tune_kept_note(self, request: Request) -> str:
        """What a keep in place of ``request``'s take did with the notes under the tune (``under_the_tune_note``
        said it would)."""
        under, cut = self._under_the_tune_of(request)
        held = self.tr("%n held note(s) were cut short", "", cut)
        if under and cut:
            return self.tr(
                ": %n note(s) under the tune gave way to the new parts and %1 (Undo brings them back)",
                "",
                under,
            ).replace("%1", held)
        if cut:
            return self.tr(": %1 where the tune enters (Undo brings back what was cut)").replace("%1", held)
        if under:
            return self.tr(
                ": %n note(s) under the tune gave way to the new parts (Undo brings them back)", "", under
            )
        return ""

    def arranged_over_note(self, take: Take | None) -> str:
        """An Arrange take's parts over the piece's other tracks (``requests.arranged_over``): which Keep
        mutes (or unmutes: the tune's track, when it goes back in), which play along, and what Keep as New
        Track mutes. Said before the user keeps, as the two basses would otherwise be heard together
        without a word."""
        if take is None:
            return ""
        replaced, along = self.keeping.arranged_over(self.state.document.project, take)
        said = []
        if replaced:
            said.append(
                self.tr(
                    "Keep mutes %1, whose place the arranged parts take (an audition plays the take that "
                    "way; Undo or the track list's M unmutes)."
                ).replace("%1", self._names(replaced))
            )
        if along:
            said.append(
                self.tr(
                    "Left playing along with the arranged parts, as their notes go on outside its bars: %1 "
                    "(the track list's M mutes a track)."
                ).replace("%1", self._names(along))
            )
        project = self.state.document.project
        tune = self.keeping.tune_sounded_again(project, take)
        if tune:
            said.append(
                (
                    self.tr("Keep unmutes %1: the take goes into its bars.")
                    if take.request.mode == REGENERATE
                    else self.tr("Keep unmutes %1: the tune goes back into it.")
                ).replace("%1", self._names(tune))
            )
        if parts := [t for t in self.keeping.sounded_again(project, take) if t not in tune]:
            said.append(
                (
                    self.tr("Keep unmutes %1: this take's new part goes there.")
                    if take.request.mode == ADD_PART
                    else self.tr("Keep unmutes %1: this take's new parts go there.")
                ).replace("%1", self._names(parts))
            )
        if beside := self.keeping.kept_beside(self.state.document.project, take):
            said.append(
                self.tr(
                    "Keep and Keep as New Track mute %1, where another take of this Generate was kept as a "
                    "new track: this take plays in its place (Undo or the track list's M unmutes)."
                ).replace("%1", self._names(beside))
            )
        return " ".join([*said, *self._arranged_as_new_tracks_notes(take, along)])

    def _arranged_as_new_tracks_notes(self, take: Take, along: tuple) -> list[str]:
        """What Keep as New Track mutes of the piece for an Arrange take (the tune's own track too: its copy
        plays from a new track), a Rewrite take (the track it rewrote) or a Regenerate take (the track whose
        bars it regenerated), and which tracks it leaves sounding with the take, in each mode's words."""
        muting, left = self.keeping.arranged_over(self.state.document.project, take, new_track=True)
        doubled = [t for t in left if t not in along]
        mode = take.request.mode if take.request is not None else None
        if mode == RESTYLE:
            return self._rewritten_as_a_new_track_notes(muting, doubled)
        if mode == REGENERATE:
            return self._regenerated_as_a_new_track_notes(muting, doubled)
        said = []
        if muting:
            said.append(
                self.tr("Keep as New Track mutes %1, as the take plays from tracks of its own.").replace(
                    "%1", self._names(muting)
                )
            )
        if doubled:
            said.append(
                self.tr(
                    "Keep as New Track leaves %1 playing, as its notes go on outside the take's bars: in "
                    "those bars it plays along with the take (the track list's M mutes a track)."
                ).replace("%1", self._names(doubled))
            )
        return said

    def _rewritten_as_a_new_track_notes(self, muting, doubled) -> list[str]:
        """What Keep as New Track does with the track a Rewrite take rewrote: mutes it, as both would play
        the tune at once, or leaves it playing when the take rewrote only some of its notes."""
        if muting:
            return [
                self.tr(
                    "Keep as New Track mutes %1, whose notes the take rewrites: it plays in their place."
                ).replace("%1", self._names(muting))
            ]
        if doubled:
            return [
                self.tr(
                    "Keep as New Track leaves %1 playing, as the take rewrites only some of its notes: "
                    "there both play (the track list's M mutes a track)."
                ).replace("%1", self._names(doubled))
            ]
        return []

    def _regenerated_as_a_new_track_notes(self, muting, doubled) -> list[str]:
        """What Keep as New Track does with the track whose bars a Regenerate take regenerated: mutes it
        when every note of it is in them, as both would play those bars at once, or leaves it playing when
        it goes on outside them (muting it would silence it there)."""
        if muting:
            return [
                self.tr(
                    "Keep as New Track mutes %1, every note of which is in the bars the take regenerates: it "
                    "plays in their place."
                ).replace("%1", self._names(muting))
            ]
        if doubled:
            return [
                self.tr(
                    "Keep as New Track leaves %1 playing, as its notes go on outside the bars the take "
                    "regenerates: in those bars both play (the track list's M mutes a track)."
                ).replace("%1", self._names(doubled))
            ]
        return []

    def muted_note(self, tracks, sounded=()) -> str:
        """What a keep that muted ``tracks`` (``arranged_over_note``) and unmuted ``sounded`` (the tune's
        track, or a new part's, a keep of another take had muted: ``Keeping.sounded_again``) adds to the
        status bar."""
        said = ""
        if tracks:
            said += self.tr(", and muted %1 (Undo unmutes)").replace("%1", self._names(tracks))
        if sounded:
            said += self.tr(", and unmuted %1, which holds the kept take").replace("%1", self._names(sounded))
        return said

    def _names(self, tracks) -> str:
        project = self.state.document.project
        return ", ".join(f"“{track_label(project, t)}”" for t in tracks)

    def continued_over_note(self, take: Take | None) -> str:
        """Continue after a playhead inside the piece: the bars the takes are drawn for already hold notes.
        Said before the user keeps, since Keep puts the take in their place."""
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
            .replace("%2", self._names(t for t, _ in given))
        )

    def continued_under_note(self, take: Take) -> str:
        """A Continue take over another take of its Generate kept in place (``Keeping.continued_under``):
        Keep as New Track leaves that take's tracks playing, as they hold the phrase both continue, so in
        the take's bars the two play at once. Said before the keep, where the user can still mute them."""
        tracks, numbers = self.keeping.continued_under(self.state.document.project, take)
        if not tracks:
            return ""
        return (
            self.tr(
                "Keep as New Track leaves %1 playing, with the phrase this take continues: in %2 this "
                "take plays over take %3, kept there before (the track list's M mutes a track)."
            )
            .replace("%1", self._names(tracks))
            .replace("%2", self._bars_of(take))
            .replace("%3", ", ".join(str(n) for n in numbers))
        )

    def kept_over_takes_note(self, tracks, numbers: list[int]) -> str:
        """What the status bar says of a Continue take kept as a new track over another take of its Generate
        kept in place (``Keeping.continued_under``): both play there."""
        if not tracks:
            return ""
        return (
            self.tr(": it plays over take %1, kept in %2 before it")
            .replace("%1", ", ".join(str(n) for n in numbers))
            .replace("%2", self._names(tracks))
        )

    def kept_over_note(self, over: tuple, take: Take, new_track: bool) -> str:
        """What a keep did with the notes already in the bars a Continue take was drawn for (``over``:
        ``continued_over`` as it was before the keep)."""
        n = sum(count for _, count in over)
        if not n:
            return ""
        text = (
            self.tr(": it plays over the %n note(s) already in %1", "", n)
            if new_track
            else self.tr(
                ": the %n note(s) already in %1 gave way to it (Undo brings them back)",
                "",
                n,
            )
        )
        return text.replace("%1", self._bars_of(take))

    def given_way_note(self, numbers: list[int]) -> str:
        """What the status bar says of the takes of its Generate, kept before it, that a keep took the place
        of (their ``numbers``)."""
        if not numbers:
            return ""
        if len(numbers) == 1:
            return self.tr(": in place of take %1, kept before it (Undo brings it back)").replace(
                "%1", str(numbers[0])
            )
        return self.tr(": in place of takes %1, kept before it (Undo brings them back)").replace(
            "%1", ", ".join(str(n) for n in numbers)
        )

    def in_place_of_note(self, take: Take) -> str:
        """What the panel says of the takes of its Generate, kept before ``take``, that keeping it in place
        takes out (``given_way_note`` says it after), and which plays if it is kept as a new track instead."""
        numbers = self.keeping.takes_in_place_of(take)
        if not numbers:
            return ""
        if len(numbers) == 1:
            text = self.tr("Keep puts this take in place of take %1, kept before it (Undo brings that back).")
        else:
            text = self.tr(
                "Keep puts this take in place of takes %1, kept before it (Undo brings them back)."
            )
        text = text.replace("%1", ", ".join(str(n) for n in numbers))
        return " ".join(filter(None, [text, self._kept_beside_them_note(take, numbers)]))

    def _kept_beside_them_note(self, take: Take, numbers: list[int]) -> str:
        """What Keep as New Track does with the tracks holding the takes ``numbers``, kept in place, that keeping
        ``take`` in place takes out: it mutes them (``Keeping.silenced``: an Add a part take's part track), so
        only ``take`` plays. Only of the tracks no other note names: what an Arrange, Rewrite or Regenerate
        take as a new track mutes or leaves playing (``arranged_over_note``), and where a Continue take
        plays over them (``continued_under_note``), are said there, with why."""
        project = self.state.document.project
        named = {
            t.id
            for t in (
                *(t for some in self.keeping.arranged_over(project, take, new_track=True) for t in some),
                *self.keeping.continued_under(project, take)[0],
            )
        }
        holding = [t for t in self.keeping.holding(project, take, numbers) if t.id not in named]
        muted = {t.id for t in self.keeping.silenced(project, take, new_track=True)}
        if not holding or any(t.id not in muted for t in holding):
            return ""
        return (
            self.tr(
                "Keep as New Track mutes %1, where take %2 was kept: only this take plays (Undo unmutes)."
            )
            .replace("%1", self._names(holding))
            .replace("%2", ", ".join(str(n) for n in numbers))
        )

    def empty_note(self, outcome: Outcome) -> str:
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
                "%n take(s) came back empty or repeated another and were drawn again.",
                "",
                outcome.redrawn,
            )
        return ""

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
        return self._names([track]) if track is not None else self.tr("its track")

    def takes_in_note(self, drawn: tuple[int, float, str], listed: int) -> str:
        """What the panel and the status bar say first of a Generate's takes: how many it ``drawn`` (in how
        many seconds, on which device), and of those how many are ``listed``, once a Keep or a Discard took
        some off (before, "4 takes" stood above a list of three)."""
        n, seconds, device = drawn
        if listed == n:
            text = self.tr("%n take(s) in %1 s on %2", "", n)
        else:
            text = self.tr("%n take(s) listed of the %3 drawn in %1 s on %2", "", listed).replace(
                "%3", str(n)
            )
        return text.replace("%1", f"{seconds:.1f}").replace("%2", device.upper())

    def cancelled_note(self, kept: int) -> str:
        """What a cancel says of the score: the ``kept`` takes the Generate showed early and the user kept."""
        if not kept:
            return self.tr("Cancelled; the score is unchanged.")
        return self.tr(
            "Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out "
            "and lists them again).",
            "",
            kept,
        )

    def put_back_notes(self, back: int, gone: int) -> list[str]:
        """What a cancel says of the Takes list: the ``back`` takes listed again, the ``gone`` it drew."""
        return [
            self.tr("The %n take(s) listed before this Generate are listed again.", "", back) if back else "",
            self.tr("The %n take(s) it drew before the cancel are no longer listed.", "", gone)
            if gone
            else "",
        ]

    # -- keeping the panel in step with the score -------------------------------------------------------
    def _on_document_changed(self, *_args) -> None:
        self._update_detected_key()
        if self.takes and not self.panel.shows_error:  # an edit, an undo: what keeping does may change
            self.describe_takes()

    def _drop_takes(self) -> None:
        """Another piece was opened, or a new one begun: the user starts over, and the takes of the piece
        before (which the user was asked about) and a Generate still drawing them go
        (``Generation.drop``)."""
        self.kept.clear()
        self.set_takes(())
        self.generation.drop()  # after: what it says of the Generate it stopped stays

    def _update_detected_key(self) -> None:
        """The key detected in the whole piece, or in the selection when the panel asks for that; in a piece
        of drums alone, the key Add a part writes in instead (the one picked, else the piece's key signature,
        else the default): the line names the key the part will be in."""
        project, selected, c = self.state.document.project, self.state.selected_notes(), self.panel.choices()
        key = detected_key(c, project, selected)
        over_drums = key_over_drums(project.tracks, project.key, c["key"]) if key is None else None
        self.panel.set_detected_key(key, over_drums)

    def suggest_style(self) -> None:
        """Set the style the seed sounds like, leaning to the styles whose takes the user keeps."""
        self.seed_style.read(asked=True)

    def shutdown(self) -> None:
        """Stop any generation and wait for the worker (the window is closing, as the user said it may):
        what a Generate sends from now on is unheard, so no take is listed, nor copied for recovery, in a
        window that is gone."""
        self.generation.shutdown()
        self.seed_style.runner.cancel()
        self.seed_style.runner.wait(5000)
        if self._process is not None:
            self._process.stop()
        if self.learn_dialog is not None:
            self.learn_dialog.process.cancel()  # it stops within a step, writing nothing
