"""Bar-aligned piano rolls: notes -> rolls for the Restyle models, rolls -> notes for their output.

A roll has three planes over (pitch, step): ``onset`` (1 where a note starts), ``frame`` (1 while it
sounds) and ``velocity`` (velocity/127 at the onset). Keeping onsets apart from frames is what lets a
decoded roll tell two repeated quarter notes from one half note, a distinction Brunner et al.'s single
note-on plane loses. Steps are sixteenths by default (4 per beat) and counted from a bar line, so every
bar of x/4, x/8 or x/16 covers a whole number of steps and bar lines stay where they were.

Decoding is built for model output, which is probabilities rather than clean zeros and ones: a note
begins at an onset, or where a frame rises after silence, and lasts at least one step, so the result
never holds one-tick or unterminated notes.

Model input is a (2 * pitches + 1, steps) array: the onset plane, the frame plane and a bar-line channel
(1 on a bar's first step), so a model sees the meter as well as the notes. Training windows and the app's
phrases are made into it the same way (``phrase_input``), here, below both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines

ONSET, FRAME, VELOCITY = 0, 1, 2
PLANES = 3
DEFAULT_VELOCITY = 80


@dataclass(frozen=True, slots=True)
class RollSpec:
    """Pitch range (``low`` inclusive, ``high`` exclusive) and time resolution of a roll.

    The default 84 pitches (C1..B7) are Brunner et al.'s range: wide enough for a quartet's cello and
    a fiddle's top string, narrow enough to keep the models small. Pitches outside are folded in by
    octaves rather than dropped, so no note disappears.
    """

    low: int = 24
    high: int = 108
    steps_per_beat: int = 4

    @property
    def pitches(self) -> int:
        return self.high - self.low

    def step_ticks(self, tpb: int) -> int:
        if tpb % self.steps_per_beat:
            raise ValueError(f"{tpb} ticks per beat cannot hold {self.steps_per_beat} steps per beat")
        return tpb // self.steps_per_beat

    def fold(self, pitch: int) -> int:
        """``pitch`` moved by octaves into ``low..high-1``."""
        while pitch < self.low:
            pitch += 12
        while pitch >= self.high:
            pitch -= 12
        return pitch


DEFAULT_SPEC = RollSpec()


def notes_to_roll(
    notes: Iterable[Note],
    tpb: int,
    n_steps: int | None = None,
    origin: int = 0,
    spec: RollSpec = DEFAULT_SPEC,
) -> np.ndarray:
    """A float32 roll of shape (3, pitches, steps) for the notes from tick ``origin`` on.

    Starts and ends snap to the nearest step; a note keeps at least one step. Where two notes of one
    pitch overlap, the later onset cuts the earlier note (MIDI cannot sound one key twice). Notes that
    start before ``origin`` or at/after the last step are left out; ``n_steps`` defaults to the last end.
    """
    step = spec.step_ticks(tpb)
    spans = []
    for n in notes:
        start = round((n.start - origin) / step)
        end = max(start + 1, round((n.end - origin) / step))
        spans.append((start, end, spec.fold(n.pitch) - spec.low, n.velocity))
    if n_steps is None:
        n_steps = max((e for _, e, _, _ in spans), default=0)
    roll = np.zeros((PLANES, spec.pitches, n_steps), dtype=np.float32)
    for start, end, p, vel in sorted(spans):
        if not 0 <= start < n_steps:
            continue
        roll[FRAME, p, start : min(end, n_steps)] = 1.0
        roll[ONSET, p, start] = 1.0
        roll[VELOCITY, p, start] = vel / 127.0
    return roll


def roll_to_notes(
    roll: np.ndarray,
    tpb: int,
    origin: int = 0,
    spec: RollSpec = DEFAULT_SPEC,
    threshold: float = 0.5,
    default_velocity: int = DEFAULT_VELOCITY,
) -> list[Note]:
    """Notes read back from a roll of shape (2 or 3, pitches, steps), sorted by start then pitch.

    A note starts at every step whose onset passes ``threshold`` (a held frame is re-struck there) or
    where the frame rises after silence, and runs while the frame holds. A roll without a velocity
    plane, or with none at the onset, gives ``default_velocity``.
    """
    step = spec.step_ticks(tpb)
    onset = roll[ONSET] > threshold
    frame = (roll[FRAME] > threshold) | onset
    velocity = roll[VELOCITY] if roll.shape[0] > VELOCITY else None
    n_steps = roll.shape[2]
    out: list[Note] = []
    for p, t in zip(*np.nonzero(frame & (onset | ~np.pad(frame, ((0, 0), (1, 0)))[:, :-1])), strict=True):
        end = t + 1
        while end < n_steps and frame[p, end] and not onset[p, end]:
            end += 1
        vel = default_velocity
        if velocity is not None and velocity[p, t] > 0:
            vel = int(np.clip(round(float(velocity[p, t]) * 127), 1, 127))
        out.append(Note(int(p) + spec.low, origin + int(t) * step, int(end - t) * step, vel))
    out.sort(key=Note.sort_key)
    return out


def bar_steps(
    time_signatures: Sequence[TimeSignature], tpb: int, end: int, spec: RollSpec = DEFAULT_SPEC
) -> list[int]:
    """Step index of every bar line from 0 to the first at or after tick ``end`` (meters change bar length).

    Raises ``BarOffTheRoll`` for a meter whose bar is not a whole number of steps (e.g. x/32 at 16ths).
    """
    step = spec.step_ticks(tpb)
    lines = bar_lines(time_signatures, tpb, end)
    off = next((t for t in lines if t % step), None)
    if off is not None:
        sig = max((s for s in time_signatures if s.tick < off), key=lambda s: s.tick, default=None)
        meter = f"{sig.numerator}/{sig.denominator}" if sig is not None else ""
        raise BarOffTheRoll(
            f"the models cannot read {meter + ' ' if meter else ''}bars: a bar line falls between the "
            "sixteenths they read; change the meter of those bars and try again",
            "meter_off_the_roll" if meter else "bars_off_the_roll",
            meter=meter,
        )
    return [t // step for t in lines]


class BarOffTheRoll(BadInputError, ValueError):
    """A meter whose bars the roll cannot hold: a file's (the user's to change, said in words), and a
    ValueError to the data pipeline, which skips such pieces."""


def input_channels(spec: RollSpec = DEFAULT_SPEC) -> int:
    return 2 * spec.pitches + 1


def model_input(roll: np.ndarray, bars: Iterable[int]) -> np.ndarray:
    """The (2P+1, T) model input from a (>=2, P, T) roll and the bar-line steps inside it."""
    _, p, t = roll.shape
    x = np.zeros((2 * p + 1, t), dtype=np.float32)
    x[:p] = roll[ONSET]
    x[p : 2 * p] = roll[FRAME]
    for b in bars:
        if 0 <= b < t:
            x[2 * p, b] = 1.0
    return x


def phrase_input(
    notes: Sequence[Note],
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    origin: int,
    n_steps: int,
    spec: RollSpec = DEFAULT_SPEC,
) -> np.ndarray:
    """Model input for the notes of a phrase starting at the bar line ``origin`` and ``n_steps`` long."""
    step = spec.step_ticks(tpb)
    lines = bar_steps(time_signatures, tpb, origin + n_steps * step, spec)
    roll = notes_to_roll(notes, tpb, n_steps=n_steps, origin=origin, spec=spec)
    return model_input(roll, [b - origin // step for b in lines])
