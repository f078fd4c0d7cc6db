"""Jam mode's ear: when is a phrase over, and where does the answer go (Qt-free).

You play a phrase; when nothing has sounded for a whole bar since its last note ended (or you press the
chosen trigger: a pedal or a key), the phrase is over and the app answers it with a continuation. The
answer must come in time: it starts on a bar line, the first one far enough ahead for the model to have
finished, and if the model took longer than hoped it moves on by whole bars, so the beat is never broken.

``PhraseListener`` only watches messages and ticks; the Qt side records the phrase, asks the generation
service and plays the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import mido

from musestudio.core.note import Note
from musestudio.midi.recording import is_note_off, is_note_on

PEDAL_DOWN = 64


@dataclass(frozen=True)
class JamTrigger:
    """A key or pedal that ends the phrase at once: ``kind`` "cc" (a pedal: pressed when >= 64) or
    "note" (a key, usually one out of the way at the keyboard's end). Stored as "cc:67" / "note:21"."""

    kind: str
    number: int

    @classmethod
    def parse(cls, text: str) -> JamTrigger | None:
        """The trigger a setting names; None for "" (the bar's pause only) or anything unreadable."""
        kind, _, number = (text or "").partition(":")
        if kind not in ("cc", "note") or not number.isdigit() or not 0 <= int(number) <= 127:
            return None
        return cls(kind, int(number))

    def __str__(self) -> str:
        return f"{self.kind}:{self.number}"

    def matches(self, message: mido.Message) -> bool:
        """True for every message of the trigger (its release too), so none of them is recorded."""
        if self.kind == "cc":
            return message.type == "control_change" and message.control == self.number
        return message.type in ("note_on", "note_off") and message.note == self.number

    def pressed(self, message: mido.Message) -> bool:
        if self.kind == "cc":
            return self.matches(message) and message.value >= PEDAL_DOWN
        return self.matches(message) and is_note_on(message)


class PhraseListener:
    """Says when the phrase being played is over. ``bar_at(tick)`` is the length of the bar at a tick."""

    def __init__(self, bar_at: Callable[[int], int], trigger: JamTrigger | None = None) -> None:
        self.bar_at = bar_at
        self.trigger = trigger
        self.reset()

    def reset(self) -> None:
        """Start listening for a new phrase (after an answer, or when jam mode starts)."""
        self._held: set[int] = set()
        self._played = False
        self._last_sound: int | None = None  # tick of the last note-off (or note-on) of the phrase
        self._pressed = False

    @property
    def playing(self) -> bool:
        """A phrase has begun (a note was struck since the last answer)."""
        return self._played

    def feed(self, message: mido.Message, tick: int) -> None:
        if self.trigger is not None and self.trigger.matches(message):
            if self.trigger.pressed(message) and self._played:
                self._pressed = True
            return
        if is_note_on(message):
            self._held.add(message.note)
            self._played = True
            self._last_sound = tick
        elif is_note_off(message) and message.note in self._held:
            self._held.discard(message.note)
            self._last_sound = tick

    def let_go(self, tick: int) -> None:
        """The keyboard went away at ``tick`` with keys held: their note-offs will never come, so they
        were let go there (else the phrase would never be over)."""
        if self._held:
            self._held.clear()
            self._last_sound = tick

    def over(self, now_tick: int) -> bool:
        """The phrase is over: the trigger was pressed, or a bar has passed with nothing held since it
        last sounded."""
        if self._pressed:
            return True
        if not self._played or self._held or self._last_sound is None:
            return False
        return now_tick - self._last_sound >= self.bar_at(self._last_sound)


def answer_start(now_tick: int, lead_ticks: int, bar_lines: Sequence[int]) -> int:
    """The first bar line at least ``lead_ticks`` ahead of ``now_tick``: where the answer is asked to
    start (the lead is what generating is expected to take). ``bar_lines`` must reach past that."""
    return next(t for t in bar_lines if t >= now_tick + lead_ticks)


def moved_to(notes: Sequence[Note], start: int, new_start: int) -> tuple[Note, ...]:
    """Notes of an answer that was to start at ``start``, starting at ``new_start`` instead."""
    shift = new_start - start
    return tuple(replace(n, start=n.start + shift) for n in notes)


def phrase_bars(first_tick: int, last_tick: int, bar_lines: Sequence[int], most: int = 4) -> int:
    """How many bars the phrase spans (1..``most``): the answer is as long as the call."""
    inside = [t for t in bar_lines if first_tick < t <= last_tick]
    return max(1, min(most, len(inside) + 1))
