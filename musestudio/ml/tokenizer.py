"""Our event tokenizer: bars, grid positions, pitch, duration, velocity, meter, plus conditioning and infilling.

A bar is ``BAR [METER] (POS (VEL? PITCH DUR)+)*``. Positions count 12 steps per quarter note, which holds
16ths (3 steps) and eighth triplets (4 steps) exactly. Several notes at one position share its POS token
(chords cost two tokens a note), a VEL token appears only when the velocity bin changes (scores with one
dynamic pay for it once), and a METER token follows BAR only in the first bar and where the meter changes.
Those choices keep a 4/4 melody bar near 20 tokens, which is what makes training on two CPU cores feasible.

Within an onset the notes are listed upward (``onset_order`` "ascending", what every base model learnt),
or, as a learned style's layers may be trained to read and write them, from the top down ("descending"):
the tune's note first, as a melody alone would give it, then the chord under it. ``with_onset_order`` makes
such a reader; the vocabulary and ``decode`` are the same for both (a note is its PITCH DUR pair wherever
it stands in its onset).

Round trip: notes whose start is on the grid, whose duration is a representable one (every step up to
two beats, 16ths up to four, eighths up to eight, quarters up to sixteen beats) and whose velocity is a bin
value decode to exactly the notes encoded. Anything else is snapped to the nearest such value.

The sequence given to a model is ``[BOS, STYLE, KEY, METER] body [EOS]``; for fill-in-the-middle it is
``[BOS, STYLE, KEY, METER, FILL_PREFIX] prefix [FILL_SUFFIX] suffix [FILL_MIDDLE] middle [EOS]`` (PSM order).
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterable, Sequence

from musestudio.core.errors import BadInputError, InvalidValue
from musestudio.core.keys import KEYS, PITCH_NAMES, KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, bar_ticks, signature_at
from musestudio.ml.styles import STYLES

GRID = 12  # positions per quarter note
MAX_BAR_STEPS = 192  # a 4/1 or 16/4 bar

DURATIONS: tuple[int, ...] = (
    *range(1, 25),  # every step up to a half note
    *range(27, 49, 3),  # 16ths up to a whole note
    *range(54, 97, 6),  # eighths up to two whole notes
    *range(108, 193, 12),  # quarters up to sixteen beats
)
VELOCITIES: tuple[int, ...] = (*range(10, 121, 10), 127)  # 13 bins; 80 (scores) and 100 (the editor) are bins
DEFAULT_VELOCITY = 80
METERS: tuple[tuple[int, int], ...] = (
    *((n, 1) for n in range(1, 5)),
    *((n, 2) for n in range(1, 9)),
    *((n, 4) for n in range(1, 17)),
    *((n, 8) for n in range(1, 17)),
    *((n, 16) for n in range(1, 17)),
)
IGNORE_INDEX = -100  # a target id that adds nothing to the loss (padding, the given conditioning)
CONDITIONING = 4  # [BOS, STYLE, KEY, METER] open every sequence: given at run time, never predicted
ONSET_ORDERS = ("ascending", "descending")  # how an onset's notes are listed: upward, or the top one first


def _nearest(values: Sequence[int], x: float) -> int:
    i = bisect.bisect_left(values, x)
    if i == 0:
        return values[0]
    if i == len(values):
        return values[-1]
    lo, hi = values[i - 1], values[i]
    return hi if x - lo >= hi - x else lo


class StoredVocabulary:
    """A vocabulary a checkpoint stores as ``{"version", "styles", "vocab"}``: rebuilt from its styles, and
    refused when the stored tokens are not the ones this code makes (a model must read the tokens it learnt),
    with an ``InvalidValue`` the window words (``<KIND>_version``, ``<KIND>_differs``)."""

    VERSION = ""
    KIND = "tokenizer"  # how the error messages name it, and how their codes start

    def to_json(self) -> dict:
        return {"version": self.VERSION, "styles": list(self.styles), "vocab": list(self.tokens)}

    @classmethod
    def from_json(cls, data: dict):
        if data.get("version") != cls.VERSION:
            version, expected = repr(data.get("version")), repr(cls.VERSION)
            raise InvalidValue(
                f"{cls.KIND} version {version} is not {expected}",
                f"{cls.KIND}_version",
                version=version,
                expected=expected,
            )
        made = cls(data["styles"])
        if list(made.tokens) != list(data["vocab"]):
            raise InvalidValue(
                f"the stored vocabulary does not match this {cls.KIND}'s", f"{cls.KIND}_differs"
            )
        return made


class Tokenizer(StoredVocabulary):
    """The vocabulary and the two directions: notes -> ids (``encode``) and ids -> notes (``decode``)."""

    VERSION = "events-v1"
    grid = GRID
    onset_order = "ascending"  # the base models' order; ``with_onset_order`` gives a reader of another

    def __init__(self, styles: Sequence[str] | None = None) -> None:
        self.styles: tuple[str, ...] = tuple(styles if styles is not None else STYLES)
        tokens = ["PAD", "BOS", "EOS", "BAR", "FILL_PREFIX", "FILL_SUFFIX", "FILL_MIDDLE"]
        tokens += [f"STYLE_{s}" for s in self.styles] + ["STYLE_none"]
        tokens += [f"KEY_{PITCH_NAMES[k.tonic]}{'m' if k.mode == 'minor' else ''}" for k in KEYS] + [
            "KEY_none"
        ]
        tokens += [f"METER_{n}/{d}" for n, d in METERS]
        tokens += [f"POS_{p}" for p in range(MAX_BAR_STEPS)]
        tokens += [f"PITCH_{p}" for p in range(128)]
        tokens += [f"DUR_{d}" for d in DURATIONS]
        tokens += [f"VEL_{v}" for v in VELOCITIES]
        self.tokens: tuple[str, ...] = tuple(tokens)
        self._ids = {t: i for i, t in enumerate(tokens)}
        self.pad_id, self.bos_id, self.eos_id, self.bar_id = 0, 1, 2, 3
        self.fill_prefix_id, self.fill_suffix_id, self.fill_middle_id = 4, 5, 6
        self._style0 = self._ids[f"STYLE_{self.styles[0]}"] if self.styles else self._ids["STYLE_none"]
        self._key0 = self._ids["KEY_C"]
        self._meter0 = self._ids["METER_1/1"]
        self._pos0 = self._ids["POS_0"]
        self._pitch0 = self._ids["PITCH_0"]
        self._dur0 = self._ids["DUR_1"]
        self._vel0 = self._ids[f"VEL_{VELOCITIES[0]}"]
        self._meter_index = {m: i for i, m in enumerate(METERS)}

    def with_onset_order(self, order: str) -> Tokenizer:
        """This vocabulary listing an onset's notes in ``order`` (``ONSET_ORDERS``): a copy, so the
        tokenizer a base model's cache entry holds keeps its own order."""
        if order not in ONSET_ORDERS:
            raise ValueError(f"onset order {order!r} is not one of {', '.join(ONSET_ORDERS)}")
        if order == self.onset_order:
            return self
        made = copy.copy(self)
        made.onset_order = order
        return made

    # -- vocabulary ------------------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def token_str(self, token_id: int) -> str:
        return self.tokens[token_id]

    def token_id(self, token: str) -> int:
        return self._ids[token]

    def style_id(self, style: str | None) -> int:
        return self._ids[f"STYLE_{style}" if style in self.styles else "STYLE_none"]

    def key_id(self, key: KeySignature | None) -> int:
        if key is None:
            return self._ids["KEY_none"]
        # by tonic and mode: a file's spelling (C# major's 7 sharps, not Db's 5 flats) names the same key
        return self._key0 + KEYS.index(KeySignature(key.tonic, key.mode))

    def meter_id(self, numerator: int, denominator: int) -> int:
        """The meter's token; BadInputError for a bar the models cannot read (a file can hold any
        meter: a cadenza written as one 32/4 bar is the user's to re-bar, not an internal fault)."""
        try:
            return self._meter0 + self._meter_index[(numerator, denominator)]
        except KeyError:
            raise BadInputError(
                f"the models cannot read {numerator}/{denominator} bars (they read 1/1-4/1, 1/2-8/2, and up to "
                "16 beats of quarters, eighths or sixteenths): change the meter of those bars and try again",
                "meter_unreadable",
                numerator=numerator,
                denominator=denominator,
            ) from None

    def pitch_token(self, pitch: int) -> int:
        return self._pitch0 + pitch

    def is_pitch(self, token_id: int) -> bool:
        return self._pitch0 <= token_id < self._pitch0 + 128

    def pitch_of(self, token_id: int) -> int:
        return token_id - self._pitch0

    def is_meter(self, token_id: int) -> bool:
        return self._meter0 <= token_id < self._meter0 + len(METERS)

    def meter_of(self, token_id: int) -> tuple[int, int]:
        return METERS[token_id - self._meter0]

    def is_position(self, token_id: int) -> bool:
        return self._pos0 <= token_id < self._pos0 + MAX_BAR_STEPS

    def is_duration(self, token_id: int) -> bool:
        return self._dur0 <= token_id < self._dur0 + len(DURATIONS)

    def is_velocity(self, token_id: int) -> bool:
        return self._vel0 <= token_id < self._vel0 + len(VELOCITIES)

    def is_style(self, token_id: int) -> bool:
        return self._style0 <= token_id <= self._ids["STYLE_none"]

    def is_key(self, token_id: int) -> bool:
        return self._key0 <= token_id <= self._ids["KEY_none"]

    # -- encoding --------------------------------------------------------------------------------------
    def conditioning(
        self, style: str | None, key: KeySignature | None, meter: TimeSignature | tuple[int, int] | None
    ) -> list[int]:
        """``[BOS, STYLE, KEY, METER]``: what every sequence starts with."""
        if isinstance(meter, TimeSignature):
            meter = (meter.numerator, meter.denominator)
        return [self.bos_id, self.style_id(style), self.key_id(key), self.meter_id(*(meter or (4, 4)))]

    def encode(
        self,
        notes: Iterable[Note],
        *,
        tpb: int,
        time_signatures: Sequence[TimeSignature],
        key: KeySignature | None = None,
        style: str | None = None,
        with_eos: bool = True,
    ) -> list[int]:
        sigs = normalise_time_signatures(time_signatures)
        body = self.encode_events(notes, tpb=tpb, time_signatures=sigs)
        return self.conditioning(style, key, sigs[0]) + body + ([self.eos_id] if with_eos else [])

    def encode_events(
        self,
        notes: Iterable[Note],
        *,
        tpb: int,
        time_signatures: Sequence[TimeSignature],
        start: int = 0,
        end: int | None = None,
    ) -> list[int]:
        """The body for the bars from the bar line ``start`` up to the bar line ``end`` (default: the last note).

        Starts and ends are snapped to the grid first (a note keeps at least one step, then takes the nearest
        representable duration); notes starting before ``start`` or at/after ``end`` are left out.
        """
        sigs = normalise_time_signatures(time_signatures)
        sign = -1 if self.onset_order == "descending" else 1  # events sort by (step, sign * pitch)
        events = sorted(
            (
                (
                    s,
                    sign * n.pitch,
                    _nearest(DURATIONS, max(1, self._step(n.end, tpb) - s)),
                    _nearest(VELOCITIES, n.velocity),
                )
                for n in notes
                for s in (self._step(n.start, tpb),)
            ),
        )
        start_step = self._step(start, tpb)
        last = max((s for s, *_ in events), default=start_step)
        stop = end if end is not None else round((last + 1) * tpb / GRID)
        lines = [ln for ln in bar_lines(sigs, tpb, stop) if start <= ln < stop]
        out: list[int] = []
        meter = None
        velocity = None
        i = bisect.bisect_left(events, (start_step, -1000, -1, -1))
        for b, line in enumerate(lines):
            sig = signature_at(sigs, line)
            bar_end_step = self._step(line, tpb) + bar_ticks(sig, tpb) * GRID // tpb
            if b + 1 < len(lines):
                bar_end_step = min(bar_end_step, self._step(lines[b + 1], tpb))
            out.append(self.bar_id)
            if (sig.numerator, sig.denominator) != meter:
                meter = (sig.numerator, sig.denominator)
                out.append(self.meter_id(*meter))
            line_step = self._step(line, tpb)
            pos = None
            while i < len(events) and events[i][0] < bar_end_step:
                step, pitch, dur, vel = events[i]
                pitch *= sign
                i += 1
                if step - line_step >= MAX_BAR_STEPS:
                    continue
                if step != pos:
                    pos = step
                    out.append(self._pos0 + step - line_step)
                if vel != velocity:
                    velocity = vel
                    out.append(self._vel0 + VELOCITIES.index(vel))
                out.append(self._pitch0 + pitch)
                out.append(self._dur0 + DURATIONS.index(dur))
        return out

    def fill_in_the_middle(
        self, prefix: Sequence[int], suffix: Sequence[int], middle: Sequence[int] = ()
    ) -> list[int]:
        """PSM order, without the conditioning: ``FILL_PREFIX prefix FILL_SUFFIX suffix FILL_MIDDLE middle``."""
        return [self.fill_prefix_id, *prefix, self.fill_suffix_id, *suffix, self.fill_middle_id, *middle]

    @staticmethod
    def _step(tick: int, tpb: int) -> int:
        return round(tick * GRID / tpb)

    # -- decoding --------------------------------------------------------------------------------------
    def decode(
        self, tokens: Iterable[int], *, tpb: int, start: int = 0, meter: tuple[int, int] = (4, 4)
    ) -> list[Note]:
        """Notes from ids, the first BAR at tick ``start``; tolerant of what a sampler may emit.

        A pitch without a duration and a duration without a pitch are dropped; a position past the bar's
        end is kept (the bar is then simply long); conditioning and FIM markers are skipped. ``meter`` is
        the meter until a METER token says otherwise.
        """
        notes: list[Note] = []
        bar_start = None
        bar_len = _bar_steps(meter)
        pos = 0
        velocity = DEFAULT_VELOCITY
        pitch = None
        for t in tokens:
            if t == self.eos_id:
                break
            if t == self.bar_id:
                bar_start = 0 if bar_start is None else bar_start + bar_len
                pos, pitch = 0, None
            elif self.is_meter(t):
                bar_len = _bar_steps(self.meter_of(t))
            elif bar_start is None:
                continue  # conditioning before the first bar
            elif self.is_position(t):
                pos, pitch = t - self._pos0, None
            elif self.is_velocity(t):
                velocity = VELOCITIES[t - self._vel0]
            elif self.is_pitch(t):
                pitch = t - self._pitch0
            elif self.is_duration(t) and pitch is not None:
                step = bar_start + pos
                notes.append(
                    Note(
                        pitch,
                        start + round(step * tpb / GRID),
                        round(DURATIONS[t - self._dur0] * tpb / GRID),
                        velocity,
                    )
                )
                pitch = None
        return notes

    def bar_count(self, tokens: Iterable[int]) -> int:
        return sum(1 for t in tokens if t == self.bar_id)


def _bar_steps(meter: tuple[int, int]) -> int:
    return meter[0] * 4 * GRID // meter[1]


def tokens_per_bar(tokenizer: Tokenizer, body: Sequence[int]) -> float:
    bars = tokenizer.bar_count(body)
    return len(body) / bars if bars else 0.0
