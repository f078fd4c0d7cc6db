"""Running a Generate: from the click to its takes listed, or to its cancel or error.

The request is handed to the generation service on the Runner's worker thread (one at a time; Generate
becomes Cancel meanwhile). A slow request's first take comes before the others and is listed at once, to
audition or keep while the rest are drawn; a take shown early and kept or discarded meanwhile is not listed
again with the rest. The takes of a Generate replace those listed; cancelling one whose first take came
lists again the takes it replaced (``Listing``). A Generate dropped with its piece (another opened) or its
window ends unheard: each is numbered, and only the current one's takes and messages get through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication, QObject, Signal

from musestudio.ml.generate import service
from musestudio.ml.generate.request import Outcome, Request, Take
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.generate.overlay import bring_into_view
from musestudio.ui.generate.requests import NothingToDo
from musestudio.ui.generate.takes_panel import row_listing
from musestudio.ui.worker import Runner


@dataclass(frozen=True)
class Listing:
    """What the Takes panel lists (each take with its request, all Keep needs) and the keeps that Undo lists
    again (``KeptTakes.snapshot``): put back when the Generate whose first take came in its place is
    cancelled."""

    takes: tuple[Take, ...]
    kept: tuple


class Generation(QObject):
    """The Generates of a ``GenerateController`` (``owner``: its panel, takes and keeps), one at a time."""

    finished = Signal(str)  # "result", "error" or "cancelled"
    first_takes = Signal(object, int)  # (an Outcome of the first take, its run): sent from the worker

    def __init__(self, owner) -> None:
        super().__init__(owner)
        self.owner = owner
        self.runner = Runner(self)
        self.error = ""
        self.timing: dict[str, float] = {}
        # what the running Generate says about what it runs: another engine (Continue from nothing), the
        # empty tracks Continue in all tracks has no room for
        self._request_note = ""
        self._run_request: Request | None = None  # the one the current Generate's takes carry, once they come
        self._clicked_at = 0.0
        self._run_number = 0  # the current Generate: what an earlier or dropped one sends goes unheard
        self._early: set[int] = set()  # numbers of this run's takes shown early (listed before the rest)
        self._handled: set[int] = set()  # ... and of those the user kept or discarded before the rest came
        self._replaced = 0  # takes listed, not kept, when this Generate's came: its takes replaced them
        self._before: Listing | None = None  # what this Generate's first take replaced: Cancel puts it back
        self.runner.busy_changed.connect(self._on_busy)
        self.first_takes.connect(self._on_first_takes)  # queued: emitted on the worker thread

    # -- the takes the user deals with while a Generate runs --------------------------------------------
    def dealt_with(self, take: Take) -> None:
        """``take`` was kept or discarded: one shown early is not listed again when the rest of its run
        comes."""
        if take.number in self._early:
            self._handled.add(take.number)

    def back_again(self, take: Take) -> None:
        """The keep of ``take`` was undone: kept early and undone before the rest came, it is listed with
        them (a take of an earlier Generate sharing its number is not one of them)."""
        if take.request is self._run_request:
            self._handled.discard(take.number)

    def forget_early(self) -> None:
        """The takes listed now are none of a running Generate's (restored, or dropped with their piece)."""
        self._early, self._handled, self._before = set(), set(), None

    # -- starting and stopping -------------------------------------------------------------------------
    def start(self) -> None:
        owner = self.owner
        self.error = ""
        try:
            request = owner.build_request()
        except NothingToDo as e:
            self._show_error(str(e))
            return
        notes = (
            owner.starting_engine_note(request, owner.panel.choices()["engine"]),
            owner.left_empty_note(request),
        )
        self._request_note = " ".join(filter(None, notes))
        self._clicked_at = time.perf_counter()
        taste = owner.taste.snapshot()  # the worker never sees later keeps and discards
        run = owner.run_target()
        self._run_number += 1
        self.forget_early()
        self._run_request = None
        number = self._run_number

        def early(outcome: Outcome) -> None:
            self.first_takes.emit(outcome, number)

        owner.seed_style.remember()
        resolve = owner.seed_style.resolver(request)  # the seed's style first, when it is not known yet
        mine = self._only_for(number)
        self.runner.start(
            lambda report, say, cancel: run(resolve(say, cancel), taste, report, say, cancel, early),
            progress=mine(owner.panel.set_progress),
            status=mine(self.show_status),
            result=mine(self._on_result),
            error=mine(self._on_error),
            cancelled=mine(self._on_cancelled),
        )
        owner.say_of_takes([self._request_note], None)

    def _only_for(self, number: int) -> Callable[[Callable], Callable]:
        """Wrap a slot of Generate ``number`` so it is heard only while that Generate is the current one:
        one dropped with its piece (``drop``) ends unheard, its takes and messages with it, even when they
        were on their way before the new piece opened."""

        def wrap(slot: Callable) -> Callable:
            return lambda *args: slot(*args) if number == self._run_number else None

        return wrap

    def cancel(self) -> None:
        self.runner.cancel()
        self.show_status(QCoreApplication.translate("GenerateController", "Cancelling…"))

    def drop(self) -> None:
        """Another piece was opened, or a new one begun: the running Generate is dropped, not just
        cancelled: takes of it already on their way are never listed over the new piece, and its end says
        nothing over what the opening said; the panel says it stopped."""
        self._run_number += 1  # what the running Generate sends from now on is unheard (``_only_for``)
        self.forget_early()
        if not self.runner.busy:
            return
        self.runner.cancel()
        self.owner.panel.set_progress(0, 1)
        text = QCoreApplication.translate(
            "GenerateController",
            "The Generate that was running stopped: its takes were for the piece before.",
        )
        self.owner.panel.show_message(text)
        self.owner.window.statusBar().showMessage(text, 5000)

    def shutdown(self) -> None:
        """The window is closing: what a Generate sends from now on is unheard, and its worker is waited
        for."""
        self._run_number += 1
        self.runner.cancel()
        self.runner.wait(5000)

    def _on_busy(self, busy: bool) -> None:
        self.owner.panel.set_running(busy)
        self.owner.generate_action.setText(
            QCoreApplication.translate("GenerateController", "&Cancel Generation")
            if busy
            else QCoreApplication.translate("GenerateController", "&Generate")
        )

    def show_status(self, text: str) -> None:
        """Say in the status bar what the service is doing (its words in the UI's language)."""
        words = {
            service.LOADING: QCoreApplication.translate("GenerateController", "Loading model…"),
            service.GENERATING: QCoreApplication.translate("GenerateController", "Generating…"),
            service.SCORING: QCoreApplication.translate("GenerateController", "Scoring takes…"),
            service.LISTENING: QCoreApplication.translate("GenerateController", "Listening to the seed…"),
        }
        self.owner.window.statusBar().showMessage(words.get(text, text))

    def _show_error(self, text: str) -> None:
        self.error = text
        self.owner.panel.show_message(text, error=True)
        self.owner.window.statusBar().showMessage(text, 10000)
        self.finished.emit("error")

    # -- its takes come ----------------------------------------------------------------------------------
    def _on_first_takes(self, outcome: Outcome, number: int) -> None:
        """The first take of a slow request, ready before the others: list it at once, to audition or keep
        while the rest are drawn (``service.run``'s ``partial``)."""
        job = self.runner.current
        if number != self._run_number or job is None or job.is_cancelled:
            return  # a cancelled or dropped Generate's
        owner = self.owner
        self.timing = {"first_take": time.perf_counter() - self._clicked_at}
        self.timing["first_take_cpu"] = outcome.seconds.get("cpu", 0.0)
        self._before = Listing(owner.takes, owner.kept.snapshot())
        self._replace_listing()
        takes = self._listed_for(outcome)
        self._early = {t.number for t in takes}
        self._show_takes(takes)
        more = outcome.request.options.variations - len(outcome.takes)
        text = (
            QCoreApplication.translate("GenerateController", "Take 1 in %1 s; drawing %2 more…")
            .replace("%1", f"{self.timing['first_take']:.1f}")
            .replace("%2", str(more))
        )
        notes = [
            self._request_note,
            owner.replaced_note(self._replaced),
            owner.meter_note(outcome),
            owner.seed_changed_note(outcome),
        ]
        owner.say_of_takes([text, *notes], self._run_request)
        said = [text, *notes, owner.continued_over_note(owner.current_take())]
        owner.window.statusBar().showMessage(" ".join(filter(None, said)), 8000)

    def _replace_listing(self) -> None:
        """This Generate's takes come in place of those listed: say how many those were. A take kept
        before is not among them (it is in the score): undoing its keep still lists it again, beside these,
        as the user takes back a keep, not the take itself."""
        self._replaced = len(self.owner.takes)

    def _listed_for(self, outcome: Outcome) -> tuple[Take, ...]:
        """The takes of ``outcome``, each carrying its Generate's request: one object for the takes shown
        early and the rest of the run, so take 1 listed again with the rest is the same take (``listed``,
        and Undo and Redo of its keep made early)."""
        if self._run_request is None:
            self._run_request = outcome.request
        return tuple(replace(t, request=self._run_request) for t in outcome.takes)

    def _show_takes(self, takes: tuple[Take, ...], row: int = 0) -> None:
        """List ``takes`` (``row`` current), bring the Takes panel up and the takes into the roll's view."""
        owner = self.owner
        owner.set_takes(takes, row)
        owner.takes_dock.show()
        owner.takes_dock.raise_()
        bring_into_view(owner.window.roll.view, takes, owner.state.document.project)

    def _on_result(self, outcome: Outcome) -> None:
        owner = self.owner
        first = {k: v for k, v in self.timing.items() if k.startswith("first_take")} if self._early else {}
        self.timing = dict(outcome.seconds, click_to_takes=time.perf_counter() - self._clicked_at, **first)
        picked = owner.picked_take()
        if not self._early:
            self._replace_listing()
        self._before = None
        # a take shown early and kept or discarded meanwhile is not listed again
        takes = tuple(t for t in self._listed_for(outcome) if t.number not in self._handled)
        # the take the user picked (or hears), if listed again; else the best
        row = max(0, row_listing(takes, picked)) if picked else 0
        self._early, self._handled = set(), set()
        self._show_takes(takes, row)
        drawn = (len(outcome.takes), self.timing["click_to_takes"], outcome.device)
        text = owner.takes_in_note(drawn, len(takes))
        replaced = owner.replaced_note(self._replaced)
        empty, meter, changed = (
            owner.empty_note(outcome),
            owner.meter_note(outcome),
            owner.seed_changed_note(outcome),
        )
        notes = [
            self._request_note,
            empty,
            replaced,
            meter,
            changed,
            *(ErrorWords().say(why) for why in outcome.left_out),
            owner.taste.pop_note(),
        ]
        owner.say_of_takes(notes, self._run_request, drawn)  # and what keeping the current take does
        said = [text, self._request_note, empty, replaced, meter, changed]
        owner.window.statusBar().showMessage(" ".join(filter(None, said)), 8000)
        self.finished.emit("result")

    def _on_error(self, message: str) -> None:
        self._before = None  # a take shown early stays listed: it was drawn, and said to replace the others
        self._show_error(message)

    # -- its cancel ----------------------------------------------------------------------------------------
    def _on_cancelled(self) -> None:
        owner = self.owner
        said = [owner.cancelled_note(self._kept_this_run())]
        if self._before is not None:
            said += self._put_back(self._before)
        owner.panel.show_message("\n".join(said))
        owner.panel.set_progress(0, 1)
        owner.window.statusBar().showMessage(
            QCoreApplication.translate("GenerateController", "Generation cancelled"), 5000
        )
        self.finished.emit("cancelled")

    def _kept_this_run(self) -> int:
        """How many takes this Generate showed early were kept (and not undone) before it ended."""
        if self._before is None:
            return 0
        return sum(1 for k in self.owner.kept.snapshot() if k.done and k not in self._before.kept)

    def _put_back(self, before: Listing) -> list[str]:
        """A Generate whose first take was listed is cancelled: the takes it replaced are listed again, with
        their keeps that Undo lists again; its own takes still listed go. Its keeps stay followed too:
        undoing the keep of a take it showed early lists that take beside the others (each carries its
        own request, so it keeps as it would have). Returns what to say about both."""
        owner = self.owner
        gone = len(owner.takes)
        drawn = owner.kept.snapshot()  # the keeps of the takes this Generate showed early
        self.forget_early()
        owner.set_takes(before.takes)
        owner.kept.restore((*before.kept, *drawn))  # a keep undone meanwhile lists its take again
        return owner.put_back_notes(len(owner.takes), gone)
