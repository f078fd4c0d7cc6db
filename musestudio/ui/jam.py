"""Jam mode: you play a phrase, the app answers it, in time, and you play again (call and response).

Starting jam mode starts the transport from the playhead (a bar of count-in, the metronome on) and records
what you play. When you pause for a bar, or press the chosen trigger key or pedal (Preferences), the phrase
goes into the active track as one undo step (a note played again on one of the track's goes in its place, as
in Record's overdub, and the status bar says so in Record's words), and the Generate panel's Continue engine
and style answer it through the generation service on the worker thread. The answer is asked for right
after the phrase (the bar line after its last note: what a model continues best) and, when it comes, moved
to the first bar line still ahead of the music, so it always lands on the beat, as soon as it can. It is
played at once, by the running transport, as the current take in the Takes panel: keep it (Enter) and it
joins the score, or play on and the next answer replaces it. Another take chosen in the Takes panel plays
in its place, swapped in without a restart (as an audition switches takes), so the musician plays on over
the take they chose. Stopping jam mode stops the transport.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, QTimer, Signal

from musestudio.core.timing import bar_lines, bar_ticks, project_ticks, signature_at
from musestudio.midi.jam import JamTrigger, PhraseListener, answer_start, moved_to, phrase_bars
from musestudio.midi.recording import TakeRecorder, played_again, record_into
from musestudio.ui.worker import Runner

POLL_MS = 20
MARGIN_SECONDS = 0.1  # an answer lands on a bar line at least this far ahead (its first note on time)
MAX_ANSWER_BARS = 4


class Jam(QObject):
    jam_changed = Signal(bool)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.transport = window.transport
        self.generate = window.generate
        self.settings = window.settings
        self.active = False
        self._metronome_was = False
        self.listener: PhraseListener | None = None
        self.recorder: TakeRecorder | None = None
        self.request = None  # the last Continue request sent
        self.answer = None  # the last answer's first take (the one played when it came)
        self._answers: set[int] = set()  # ids of the takes the last answer listed (replaced unasked)
        self.answer_seconds = 0.0  # how long the last answer took to come
        self._asked_at = 0.0
        self._laid_in = (
            ""  # the last phrase's notes that went in place of the track's, said with what follows
        )
        self.runner = Runner(self)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(lambda: self.poll(time.perf_counter()))
        self.transport.playing_changed.connect(self._on_playing)
        self.generate.takes_changed.connect(self._on_takes_changed)
        self.generate.takes_panel.current_changed.connect(self._play_current_take)

    @property
    def project(self):
        return self.state.document.project

    def toggle(self) -> None:
        if self.active:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        self._laid_in = ""  # the last session's, said as it stopped
        track = self.state.active_track()  # none: the first phrase makes a new track
        if track is not None and track.is_drum:
            self._say(self.tr("Jam mode answers pitched parts: choose a track that is not drums."))
            return False
        self.transport.stop()
        self._metronome_was = self.transport.metronome
        self.transport.metronome = True  # call and response needs a beat to keep
        self.active = True  # before play: its playing signal must not end the session
        looping = self.transport.loop() is not None
        # a call and its answer follow each other: jam plays on past the loop (a lap would wrap the
        # phrase onto itself, and the bar of silence that ends it would never come)
        if not self.transport.play(count_in=True, endless=True, looped=False):
            self.active = False
            self.transport.metronome = self._metronome_was
            self._say(self.tr("Cannot jam: %1").replace("%1", self.transport.player.status))
            return False
        trigger = JamTrigger.parse(self.settings.get("jam_trigger"))
        self.listener = PhraseListener(self._bar_at, trigger)
        self._new_phrase(self.state.playhead)
        self._timer.start()
        self.jam_changed.emit(True)
        said = self.tr("Jam: play a phrase, then pause for a bar (or press the trigger): the app answers")
        if looping:
            said += " " + self.tr("(Jam plays on past the loop.)")
        self._say(said)
        return True

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        self._timer.stop()
        self.runner.cancel()
        self._keep_phrase(round(self.transport.tick_at(time.perf_counter())), stopping=True)
        self.recorder = None
        self.transport.set_preview(None)
        self.transport.stop()
        self.transport.metronome = self._metronome_was
        self.jam_changed.emit(False)
        self._say(self.tr("Jam stopped; keep the last answer from the Takes panel"), 5000)

    def shutdown(self) -> None:
        """Stop and wait for an answer still being made (the window is closing)."""
        self.stop()
        self.runner.cancel()
        self.runner.wait(5000)

    def _on_playing(self, playing: bool) -> None:
        if not playing and self.active:
            self.stop()

    def _bar_at(self, tick: int) -> int:
        return bar_ticks(signature_at(self.project.time_signatures, tick), self.project.ticks_per_beat)

    def _new_phrase(self, start: int) -> None:
        """Listen for the next phrase from ``start``, under the pedals the last one left down and the wheels
        it left off rest (they are let go when jam mode stops, if still on then)."""
        left_on = self.recorder.left_on if self.recorder is not None else ()
        self.recorder = TakeRecorder(
            self.transport.tick_at, start, self.project.ticks_per_beat, left_on=left_on
        )
        self.listener.reset()

    def _say(self, text: str, ms: int = 0) -> None:
        """``text``, after the last phrase's notes that went in place of the track's, if any: said with each
        message up to the next phrase (the answer's comes at once), so the musician has time to read it."""
        if self._laid_in:
            text = self.tr("%1 — %2").replace("%1", self._laid_in).replace("%2", text)
        self.window.statusBar().showMessage(text, ms)

    # -- listening (GUI thread) ------------------------------------------------------------------------
    def feed(self, message) -> bool:
        if not self.active or self.listener is None:
            return False
        tick = round(self.transport.tick_at(message.time))
        trigger = self.listener.trigger
        self.listener.feed(message, tick)
        if trigger is None or not trigger.matches(message):
            self.recorder.feed(message)
        return True

    def let_go(self, when: float) -> None:
        """The keyboard went away at ``when``: the keys and pedals it held end there, and the phrase they
        held open can be over."""
        if self.active and self.listener is not None:
            tick = round(self.transport.tick_at(when))
            self.listener.let_go(tick)
            self.recorder.let_go(tick)

    def poll(self, now: float) -> bool:
        """Answer the phrase if it is over at ``now`` (a perf_counter moment); True when it was."""
        if not self.active or self.listener is None or self.runner.busy:
            return False
        now_tick = round(self.transport.tick_at(now))
        if not self.listener.over(now_tick):
            return False
        phrase = self._keep_phrase(now_tick)
        self._new_phrase(now_tick)
        if phrase is not None:
            self._ask(phrase, now_tick)
        return True

    def _keep_phrase(self, now_tick: int, stopping: bool = False):
        """Lay the phrase into the active track (one undo step; with no track, into a new one in that step);
        the phrase, or None when it has no notes to answer. A pedal still down is let up only when jam mode
        ``stopping``: between phrases the musician may hold it on into the next. A phrase of pedal moves
        alone (the pedal let up after the last phrase, or held to the stop) goes in too: without it, the
        pedal would stay down for the rest of the track."""
        if self.recorder is None:
            return None
        take = self.recorder.finish(now_tick, release=stopping)
        self._laid_in = ""
        if take.empty:
            return None
        track = self.state.active_track()
        again = len(played_again(track, take)) if track is not None else 0
        if again:  # record_into put them in place of the notes they were played on: as Record, say so
            self._laid_in = self.window.recording.recorded_text(take, again)
        if track is None:
            track = record_into(self.window.editor.new_track(), take, replace=False)
            self.window.editor.push(self.project.add_track(track), self.tr("Jam phrase"), active=track.id)
        else:
            self.window.editor.push(
                self.project.replace_track(record_into(track, take, replace=False)), self.tr("Jam phrase")
            )
        return take if take.notes else None

    # -- answering -------------------------------------------------------------------------------------
    def _ask(self, phrase, now_tick: int) -> None:
        from musestudio.ml.engines import CONTINUE, installed
        from musestudio.ui.generate.requests import NothingToDo, build_request

        c = dict(self.generate.panel.choices())
        engines = installed(CONTINUE)
        if not engines:
            self._say(self.tr("Jam mode needs a Continue model; none is installed."), 8000)
            return
        tpb = self.project.ticks_per_beat
        last = max(n.end for n in phrase.notes)
        lines = bar_lines(self.project.time_signatures, tpb, max(now_tick, last) + 64 * tpb)
        after = answer_start(last, 0, lines)
        first = min(n.start for n in phrase.notes)
        c.update(
            mode=CONTINUE,
            where="playhead",
            engine=c["engine"] if c["engine"] in engines else engines[0],
            bars=phrase_bars(first, last, lines, MAX_ANSWER_BARS),
            variations=1,
            tracks="active",  # the parts engine answers in the track played into, hearing the others
        )
        try:
            request = build_request(c, self.project, self.state.active_track(), (), after)
        except NothingToDo as e:
            self._say(str(e), 8000)
            return
        self.request = request
        self._asked_at = time.perf_counter()
        taste = self.generate.taste.snapshot()
        run = self.generate.run_target()  # the warmed generation process, as Generate uses
        self.runner.start(
            lambda report, say, cancel: run(request, taste, report, say, cancel),
            result=self._on_answer,
            error=lambda text: self._say(text, 8000),
        )
        self._say(self.tr("Answering…"))

    def _on_answer(self, outcome) -> None:
        self.answer_seconds = time.perf_counter() - self._asked_at
        if not self.active:
            return
        if not any(t.notes for t in outcome.takes):
            self._say(self.tr("No answer came this time; play another phrase"), 5000)
            return
        now_tick = round(self.transport.tick_at(time.perf_counter()))
        now_tick = max(now_tick, outcome.request.after)  # never before the call it answers
        answers = (dataclasses.replace(t, request=outcome.request) for t in outcome.takes if t.notes)
        takes = tuple(self._in_time(t, now_tick) for t in answers)  # each with its call: Keep reads it
        others = sum(1 for t in self.generate.takes if id(t) not in self._answers)
        self.generate.set_takes(takes)
        self._answers = {id(t) for t in takes}
        self.answer = takes[0]
        self.transport.set_preview(self._with_answer)
        said = self.tr("Answer at bar %1: Enter keeps it").replace("%1", self._bar_number(self.answer.start))
        if others:  # a Generate's takes, or an answer listed again by undoing its keep
            said += " " + self.tr("It replaces the %n take(s) listed and not kept.", "", others)
        self._say(said)

    def _in_time(self, take, now_tick: int):
        """The take moved to the first bar line still ahead of the music."""
        tpb = self.project.ticks_per_beat
        margin = round(project_ticks(self.project, MARGIN_SECONDS) - project_ticks(self.project, 0))
        lines = bar_lines(self.project.time_signatures, tpb, now_tick + margin + 64 * tpb)
        start = answer_start(now_tick, margin, lines)
        shift = start - take.start
        parts = tuple((track_id, moved_to(notes, take.start, start)) for track_id, notes in take.parts)
        return dataclasses.replace(
            take,
            notes=moved_to(take.notes, take.start, start),
            start=start,
            end=take.end + shift,
            parts=parts,  # the parts engine's take: Keep writes these, so they move with it
        )

    def _bar_number(self, tick: int) -> str:
        lines = bar_lines(self.project.time_signatures, self.project.ticks_per_beat, tick + 1)
        return str(sum(1 for t in lines if t <= tick))

    def _with_answer(self, project):
        take = self.generate.current_take()
        if take is None:
            return project
        return self.generate.preview_project(take)

    def _on_takes_changed(self) -> None:
        # an answer kept leaves the list: listed again by undoing the keep, it is the user's to lose
        self._answers &= {id(t) for t in self.generate.takes}

    def _play_current_take(self, _row: int) -> None:
        """Another take is current: chosen in the Takes panel (a click, the arrow keys, keys 1-8), or the list
        set anew (a keep, a discard, an answer: the panel's current row is set again by every ``set_takes``).
        The take playing is swapped for it, with no restart; with none listed the score plays alone."""
        if self.active and self.transport.preview is not None:
            self.transport.set_preview(self._with_answer if self.generate.takes else None)
