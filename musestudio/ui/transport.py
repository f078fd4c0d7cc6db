"""The transport: play/stop, play from the start, loop and metronome, tied to the live player.

While playing, the player's position drives the editor's playhead and the score's edits are swapped into
the running playback; stopping leaves the playhead where the music stopped. Moving the playhead by hand while playing jumps
the music there.

Recording starts with a bar of count-in (``play(count_in=True)``); ``tick_at`` says which tick was heard
at a keyboard message's arrival. Jam mode plays its answer by setting ``preview``: a function that adds
the answer take to the project the player plays, while the score itself stays as it is until the take is
kept. With no sound card the player runs on the wall clock, so all of this works silently.

Play and Play from Start say what the audio status alone would leave unsaid: why nothing is heard, the first
time they (or a take's audition) play silently (``silent_play``; not at every press, as the playhead runs and
MIDI out plays), and why they cannot play at all, each time (``cannot_play``). Recording and jam mode say
their own. A sound card that stops mid-play is said the same way, once, as the music goes on unheard.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from musestudio.audio.player import PlayerAdapter
from musestudio.core.project import Project
from musestudio.ui.state import EditorState


class Transport(QObject):
    playing_changed = Signal(bool)
    silent_play = Signal(str)  # Play plays, but this computer makes no sound: why (once for each reason)
    cannot_play = Signal(str)  # Play did not start: why (the player's status)

    def __init__(self, state: EditorState, player: PlayerAdapter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.player = player
        self.metronome = False
        self._playing = False
        self._reported = -1  # the last playhead position that came from the player itself
        self.preview: Callable[[Project], Project] | None = None
        # this run plays on past the loop (jam mode: an answer comes after the call; a take unlooped mid-way)
        self.unlooped = False
        self._held: tuple[tuple[int, int] | None] | None = None  # (the loop,) this run keeps: hold_loop
        self._told_silent = ""  # the reason for silence Play has said already
        player.position_changed.connect(self._on_position)
        state.playhead_changed.connect(self._on_playhead)
        player.playing_changed.connect(self._on_playing)
        player.went_silent.connect(self.tell_if_silent)
        state.document.changed.connect(self._on_document_changed)
        state.loop_changed.connect(self._on_loop_changed)

    @property
    def playing(self) -> bool:
        return self._playing

    def loop(self) -> tuple[int, int] | None:
        """The loop that plays (ticks), or None when looping is off (or this run plays on past it)."""
        if self._held is not None:
            return self._held[0]
        return self.state.loop if self.state.loop_enabled and not self.unlooped else None

    def hold_loop(self) -> None:
        """Keep the loop that plays now until this run stops or ``play_on_past_the_loop``: a recording
        counts its passes by it, so a loop moved under it would lay notes in the wrong bars."""
        self._held = (self.loop(),)

    def play_on_past_the_loop(self) -> None:
        """The loop was turned off mid-run: this run plays on past it until it stops, whatever loop is set
        next. A take unlooped mid-way counts straight on, so music looping again under it would lay the
        notes played after in bars the user never heard them in."""
        self._held = None
        self.unlooped = True
        self._on_loop_changed()

    def playing_project(self) -> Project:
        """What the player plays: the score, with jam mode's answer when there is one."""
        project = self.state.document.project
        return self.preview(project) if self.preview is not None else project

    def play(self, count_in: bool = False, endless: bool = False, looped: bool = True) -> bool:
        """Play from the playhead; ``count_in``: a bar of clicks first; ``endless``: on past the end of
        the score, the metronome (when on) clicking on (recording and jam mode); ``looped`` False: on past
        the loop too, until the next Play."""
        self.unlooped = not looped
        self._held = None
        self.player.player.endless = endless
        return self.player.play(
            self.playing_project(), self.start_tick(), self.loop(), self.metronome, count_in
        )

    def start_tick(self) -> int:
        """Where Play starts: the playhead, or the loop's start when the playhead is outside the loop."""
        start = self.state.playhead
        loop = self.loop()
        return loop[0] if loop is not None and not loop[0] <= start < loop[1] else start

    def set_preview(self, preview: Callable[[Project], Project] | None) -> None:
        self.preview = preview
        if self._playing:
            self.player.player.update(self.playing_project(), self.metronome)

    def tick_at(self, when: float, loop: tuple[int, int] | None = None) -> float:
        """The tick heard at ``time.perf_counter()`` moment ``when`` (before the start in a count-in);
        given the ``loop`` playing, counting on past its end a loop's length a lap (``Player.tick_at``)."""
        return self.player.player.tick_at(when, loop)

    def stop(self) -> None:
        self.player.stop()

    def toggle(self) -> None:
        if self._playing:
            self.stop()
        else:
            self.play_and_tell()

    def play_from_start(self) -> None:
        self.stop()
        loop = self.loop()
        self.state.set_playhead(loop[0] if loop else 0)
        self.play_and_tell()

    def play_and_tell(self) -> None:
        """Play, as the Play buttons do: saying why it cannot, or, once, why nothing is heard."""
        if not self.play():
            self.cannot_play.emit(self.player.status)
            return
        self.tell_if_silent()

    def tell_if_silent(self) -> None:
        """Say why nothing is heard (``silent_play``), the first time anything plays for that reason: Play,
        a take auditioned, which plays through the same player and is as silent, or the sound card stopping
        mid-play. Heard again (the card is back), a later silence is news again."""
        why = self.player.player.why_silent
        if not self.player.player.silent:
            self._told_silent = ""
        elif why != self._told_silent:
            self._told_silent = why
            self.silent_play.emit(why)

    def set_metronome(self, on: bool) -> None:
        self.metronome = on
        if self._playing:
            self.player.player.update(self.playing_project(), on)

    def _on_position(self, tick: int) -> None:
        self._reported = tick
        self.state.set_playhead(tick)

    def _on_playhead(self, tick: int) -> None:
        if self._playing and tick != self._reported:  # the user moved the playhead: play on from there
            self.player.player.seek(tick)

    def _on_playing(self, playing: bool) -> None:
        self._playing = playing
        if not playing:
            self.unlooped = False  # only the run that asked plays on past the loop
            self._held = None
        self.playing_changed.emit(playing)

    def _on_document_changed(self, *_args) -> None:
        if self._playing:
            self.player.player.update(self.playing_project(), self.metronome)

    def _on_loop_changed(self) -> None:
        if self._playing:
            self.player.player.set_loop(self.loop())
