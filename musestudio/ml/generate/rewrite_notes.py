"""Rewrite output held to what a musician would write: GAN rolls read as notes, and the tune kept at medium
strength.

``gan_notes`` turns the StarGAN's onset/frame probabilities into notes. Read plainly (every onset over 0.5 a
note), its rolls came back as runs of sixteenth-note blips an octave or two above the tune, 43-49% of the
notes a sixteenth or shorter against the seeds' 12%, and a 15-note tune as 154 notes. The generator hears
the target style's texture but not its rhythm at the note level, so the decoding supplies what it lacks:

1. the texture: at most the voices the target style uses (``STYLE_VOICES``), the likeliest pitches at each
   step; a single-line style keeps the top line only;
2. the register: every note folded by octaves into the tune's own range (from an octave and a half below
   its lowest note to a tone above its highest), so nothing flies off above the melody;
3. the rhythm: a note is at least an eighth long, unless the tune itself moves in sixteenths (then as many
   sixteenths as the tune has, in share, the surest onsets first); a short note that cannot grow (its key
   is struck again at once) is dropped, and so is a short note an octave or more from every note around it
   (a blip);
4. the density: at most twice the tune's notes per bar, or the style's usual count if that is more
   (``STYLE_NOTES_PER_BAR``); short notes go first, then the least sure onsets.

``anchor_melody`` keeps the input's top line in a rewrite at medium strength: each of its notes is kept
with probability ``keep_probability(strength)`` (all of them up to 0.5, none at 1), the generated notes
sounding with a kept one stay below it, and the generated texture is moved by whole octaves so its top
sits where the tune's does. Both engines rewrite the tune freely at strength 1; at 0.5 the tune is still
there to hear, with the target style's texture under it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from musestudio.core.note import Note, restruck
from musestudio.ml.engines import Settings
from musestudio.ml.pianoroll import FRAME, ONSET, RollSpec, roll_to_notes

#: the most voices each style sounds at once. Measured (90th-percentile polyphony of 4-bar train windows,
#: median over windows; parts cache): Bach 4, Palestrina 5, Nottingham Celtic with its chords 6, POP909 6,
#: jazz lead sheets realised 6. The folk styles of the single-stream cache (Chinese, German, O'Neill's
#: Celtic) are single lines; a Celtic setting is a tune over guitar-like chords, a lead sheet a tune over
#: a three-note voicing.
STYLE_VOICES = {
    "bach": 4,
    "palestrina": 5,
    "celtic": 3,
    "chinese": 1,
    "german": 1,
    "classical": 4,
    "pop": 6,
    "jazz": 4,
}
#: notes per 4/4 bar a style usually writes (median of the same windows; folk lines 6-8)
STYLE_NOTES_PER_BAR = {
    "bach": 17,
    "palestrina": 13,
    "celtic": 12,
    "chinese": 6,
    "german": 6,
    "classical": 16,
    "pop": 21,
    "jazz": 12,
}
#: share of sixteenths (or shorter) each style writes (same windows; POP909's piano figures are the outlier)
STYLE_SIXTEENTHS = {
    "bach": 0.02,
    "palestrina": 0.0,
    "celtic": 0.05,
    "chinese": 0.1,
    "german": 0.05,
    "classical": 0.15,
    "pop": 0.31,
    "jazz": 0.02,
}
BELOW = 24  # semitones below the tune's lowest note the rewrite may go (room for a bass under a melody)
ABOVE = 2  # and above its highest
SHORT_SLACK = 0.05  # the share of sixteenths a rewrite may have beyond the tune's own


RESTRIKE = 0.8  # onset probability needed to re-strike a pitch that is already sounding


def plausible(roll: np.ndarray, voices: int = Settings.voices) -> np.ndarray:
    """Generator output held to what players do: at most ``voices`` pitches at once (the likeliest), and a
    sounding pitch re-struck only when the onset is clear. Without this the test renders into Bach averaged
    8-10 voices and up to 139 notes a bar (every sixteenth re-struck)."""
    onset, frame = roll[ONSET].copy(), np.maximum(roll[FRAME], roll[ONSET])
    if frame.shape[0] > voices:
        keep = np.zeros(frame.shape, dtype=bool)
        top = np.argsort(-frame, axis=0, kind="stable")[:voices]
        np.put_along_axis(keep, top, True, axis=0)
        frame, onset = np.where(keep, frame, 0.0), np.where(keep, onset, 0.0)
    held = np.pad(frame[:, :-1] > 0.5, ((0, 0), (1, 0)))
    onset = np.where(held & (onset < RESTRIKE), 0.0, onset)
    return np.stack([onset, frame])


def held_to_voices(notes: Sequence[Note], voices: int = Settings.voices) -> list[Note]:
    """Notes cut short so that at most ``voices`` sound at once: a note starting over a full texture ends
    the earliest-struck one there (dropped if struck at the same moment). Guided sampling piles up long
    values: the seq2seq's Palestrina held 7 voices (median) before this."""
    out: list[Note] = []
    sounding: list[int] = []  # indexes into out
    dropped: set[int] = set()
    for n in sorted(notes, key=Note.sort_key):
        sounding = [i for i in sounding if out[i].end > n.start]
        while len(sounding) >= voices:
            oldest = min(sounding, key=lambda i: out[i].start)
            sounding.remove(oldest)
            if out[oldest].start < n.start:
                out[oldest] = out[oldest].with_duration(n.start - out[oldest].start)
            else:
                dropped.add(oldest)
        sounding.append(len(out))
        out.append(n)
    return [n for i, n in enumerate(out) if i not in dropped]


def keep_probability(strength: float) -> float:
    """How likely each note of the tune's top line is kept: 1 up to strength 0.5, falling to 0 at 1."""
    return float(np.clip(2.0 * (1.0 - strength), 0.0, 1.0))


def gan_notes(
    roll: np.ndarray,
    inputs: Sequence[Note],
    tpb: int,
    origin: int,
    spec: RollSpec,
    style: str,
    voices: int,
    bar_ticks: int,
) -> list[Note]:
    """Notes from a (2, P, T) probability roll, held to the style's texture and the tune's register and rhythm."""
    v = max(1, min(voices, STYLE_VOICES.get(style, voices)))
    notes = roll_to_notes(plausible(roll, v), tpb, origin=origin, spec=spec)
    step = spec.step_ticks(tpb)

    def sure(n: Note) -> float:
        t = min(roll.shape[2] - 1, (n.start - origin) // step)
        return float(roll[ONSET, spec.fold(n.pitch) - spec.low, t])

    lo = min(n.pitch for n in inputs) - BELOW
    hi = max(n.pitch for n in inputs) + ABOVE
    notes = restruck([n.with_pitch(_fold(n.pitch, lo, hi)) for n in notes])
    notes = restruck(_in_tune_key(notes, inputs))
    end = max(n.end for n in inputs)
    end = max(end, max((n.end for n in notes), default=end))
    notes = _no_seconds(notes, sure)
    allowance = _short_allowance(inputs, tpb, STYLE_SIXTEENTHS.get(style, 0.0))
    if allowance == 0:  # neither tune nor style moves in sixteenths: onsets on eighths, not a sixteenth late
        notes = restruck([n.with_start(n.start - (n.start - origin) % (tpb // 2)) for n in notes])
    limit = origin + roll.shape[2] * step  # the phrase's last bar line
    notes = [
        n.with_duration(min(n.duration, limit - n.start)) for n in _lengthen(notes, tpb, allowance, sure)
    ]
    notes = [n for n in notes if not _blip(n, notes, tpb)]
    bars = max(1, -(-(end - origin) // bar_ticks))
    per_bar = len(inputs) / bars
    cap = int(max(2 * per_bar, STYLE_NOTES_PER_BAR.get(style, 12) * bar_ticks / (4 * tpb)) * bars)
    if len(notes) > cap:
        by_worth = sorted(range(len(notes)), key=lambda i: (notes[i].duration < tpb // 2, -sure(notes[i])))
        keep = set(by_worth[:cap])  # short notes go first, then the least sure
        notes = [n for i, n in enumerate(notes) if i in keep]
    return _limit_short(_fit_voices(notes, v, sure), tpb, allowance, sure)


def _fit_voices(notes: Sequence[Note], voices: int, sure) -> list[Note]:
    """At most ``voices`` notes at once: a note struck over a full texture is left out (the surest of those
    struck together go first). Cutting the held notes instead, as ``held_to_voices`` does for the
    denoiser, would turn the lengthened notes back into blips."""
    kept: list[Note] = []
    for n in sorted(notes, key=lambda n: (n.start, -sure(n))):
        if sum(m.start <= n.start < m.end for m in kept) < voices:
            kept.append(n)
    return sorted(kept, key=Note.sort_key)


def _short_allowance(inputs: Sequence[Note], tpb: int, style_share: float) -> float:
    """The share of notes shorter than an eighth a rewrite may have: the tune's or the style's, if either
    moves in sixteenths at all (more than ``SHORT_SLACK``), with that slack on top; else none."""
    share = max(style_share, sum(n.duration <= tpb // 4 for n in inputs) / len(inputs))
    return share + SHORT_SLACK if share > SHORT_SLACK else 0.0


def _limit_short(notes: Sequence[Note], tpb: int, allowance: float, sure) -> list[Note]:
    """``notes`` with the least sure notes shorter than an eighth dropped until their share is ``allowance``."""
    short = sorted((n for n in notes if n.duration < tpb // 2), key=lambda n: -sure(n))
    long = len(notes) - len(short)
    k = int(allowance * long / (1 - allowance)) if allowance < 1 else len(short)
    drop = {id(n) for n in short[k:]}
    return [n for n in notes if id(n) not in drop]


def _no_seconds(notes: Sequence[Note], sure) -> list[Note]:
    """Of two notes struck together a semitone apart, the surer one: a chord has no minor seconds."""
    out: list[Note] = []
    for n in sorted(notes, key=lambda n: -sure(n)):
        if not any(m.start == n.start and abs(m.pitch - n.pitch) == 1 for m in out):
            out.append(n)
    return sorted(out, key=Note.sort_key)


def _in_tune_key(notes: Sequence[Note], inputs: Sequence[Note]) -> list[Note]:
    """Pitches the tune never uses and its key does not hold moved a semitone into it (down on a tie): the
    generator has no key, and Twinkle in C came back reading as A-flat major."""
    from musestudio.core.keys import detect_key

    key = detect_key(inputs)
    allowed = {n.pitch % 12 for n in inputs} | (set(key.scale) if key is not None else set())
    out = []
    for n in notes:
        if n.pitch % 12 in allowed:
            out.append(n)
            continue
        near = [p for d in (1, 2) for p in (n.pitch - d, n.pitch + d) if 0 <= p <= 127 and p % 12 in allowed]
        if near:
            out.append(n.with_pitch(near[0]))
    return out


def _fold(pitch: int, lo: int, hi: int) -> int:
    while pitch > hi and pitch - 12 >= 0:
        pitch -= 12
    while pitch < lo and pitch + 12 <= 127:
        pitch += 12
    return pitch


def _lengthen(notes: list[Note], tpb: int, allowance: float, sure) -> list[Note]:
    """Every note at least an eighth, bar the surest shorter ones up to ``allowance`` (a share of the notes).

    A short note grows to an eighth; where its key is struck again sooner, the strikes are tied into one
    note (a run of sixteenth re-strikes on one pitch is a held note that the roll failed to hold)."""
    eighth = tpb // 2
    short = sorted((n for n in notes if n.duration < eighth), key=lambda n: -sure(n))
    keep_short = {id(n) for n in short[: int(allowance * len(notes))]}
    by_pitch: dict[int, list[Note]] = {}
    for n in sorted(notes, key=lambda n: n.start):
        by_pitch.setdefault(n.pitch, []).append(n)
    out = []
    for line in by_pitch.values():
        i = 0
        while i < len(line):
            n = line[i]
            i += 1
            if n.duration >= eighth or id(n) in keep_short:
                out.append(n)
                continue
            end = n.start + eighth
            while i < len(line) and line[i].start < end:  # tie the strikes that fall inside the eighth
                end = max(end, line[i].end)
                i += 1
            nxt = line[i].start if i < len(line) else end
            out.append(n.with_duration(min(end, nxt) - n.start))
    return sorted(out, key=Note.sort_key)


def _blip(n: Note, notes: Sequence[Note], tpb: int) -> bool:
    """A short note an octave or more from every other note within a beat of it."""
    if n.duration > tpb // 2:
        return False
    near = [m for m in notes if m is not n and m.start < n.end + tpb and m.end > n.start - tpb]
    return bool(near) and min(abs(m.pitch - n.pitch) for m in near) >= 12


# -- the tune kept at medium strength ------------------------------------------------------------------


def anchor_melody(
    inputs: Sequence[Note], generated: Sequence[Note], strength: float, seed: int, voices: int
) -> list[Note]:
    """``generated`` with the input's top line kept note by note (probability ``keep_probability``), the
    generated texture moved by octaves to sit under the tune, at most ``voices`` at once."""

    p = keep_probability(strength)
    if p <= 0 or not inputs:
        return list(generated)
    tune = top_line(inputs)
    rng = np.random.default_rng(seed)
    kept = [m for m in tune if rng.random() < p]
    gen = _register_of(tune, list(generated))
    out = []
    for g in gen:
        over = [m for m in kept if m.start < g.end and g.start < m.end]
        if not over:
            out.append(g)
            continue
        ceiling = min(m.pitch for m in over) - 3  # at least a minor third under the tune
        pitch = g.pitch
        while pitch > ceiling and pitch - 12 >= 0:
            pitch -= 12
        if pitch <= ceiling and pitch >= min(m.pitch for m in tune) - BELOW - 12:
            out.append(g.with_pitch(pitch))
    under = held_to_voices(restruck(out), max(1, voices - 1))
    return sorted([*under, *(m.copy_as_new() for m in kept)], key=Note.sort_key)


def top_line(notes: Sequence[Note]) -> list[Note]:
    """The melody a listener hears on top: each note that starts as the highest pitch sounding, held until
    the next such note begins. (The denoiser's ``skyline`` takes the highest *onset* instead, which in a
    chorale hands the tune to the alto whenever the soprano holds.)"""
    ordered = sorted(notes, key=lambda n: (n.start, -n.pitch))
    line: list[Note] = []
    for n in ordered:
        if line and line[-1].start == n.start:
            continue  # a lower note struck with the top one
        if any(m.start < n.start < m.end and m.pitch > n.pitch for m in ordered if m.start < n.start):
            continue
        line.append(n)
    return [
        n.with_duration(min(n.duration, nxt.start - n.start)) for n, nxt in zip(line, line[1:], strict=False)
    ] + line[-1:]


def style_voices(style: str, voices: int) -> int:
    """The most voices a rewrite into ``style`` sounds: the style's own (``STYLE_VOICES``) within ``voices``."""
    return max(1, min(voices, STYLE_VOICES.get(style, voices)))


def in_tune_register(inputs: Sequence[Note], generated: Sequence[Note], tpb: int) -> list[Note]:
    """``generated`` moved by whole octaves so its top sits where the input's does (the GAN's "register kept"
    at every strength; at medium strength ``anchor_melody`` does this for both engines).

    The distance is what a listener compares and ``eval.rewrite.octave_shift`` measures: the median, over the
    sixteenths where both sound, of the highest generated pitch less the highest input pitch. After the
    move the two are at most a half-octave apart. Before it, a stray note more than an octave above the
    tune's highest or ``BELOW`` under its lowest (guided sampling now and then draws one at pitch 120+) is
    folded by octaves into that range, as the roll GAN's decoding did."""
    if not inputs or not generated:
        return list(generated)
    low, high = min(n.pitch for n in inputs) - BELOW, max(n.pitch for n in inputs) + 12
    generated = restruck([n.with_pitch(_fold(n.pitch, low, high)) for n in generated])
    step = max(1, tpb // 4)
    start = min(n.start for n in (*inputs, *generated))
    end = max(n.end for n in (*inputs, *generated))
    gaps = []
    for t in range(start, end, step):
        a = max((n.pitch for n in inputs if n.start <= t < n.end), default=None)
        b = max((n.pitch for n in generated if n.start <= t < n.end), default=None)
        if a is not None and b is not None:
            gaps.append(b - a)
    if not gaps:
        return _register_of(top_line(inputs), list(generated))
    octaves = -round(float(np.median(gaps)) / 12)
    lo, hi = min(n.pitch for n in generated), max(n.pitch for n in generated)
    octaves = max(-(lo // 12), min((127 - hi) // 12, octaves))
    return [n.with_pitch(n.pitch + 12 * octaves) for n in generated] if octaves else list(generated)


def strays_folded(inputs: Sequence[Note], generated: Sequence[Note]) -> list[Note]:
    """``generated`` with its stray notes folded by octaves into the range of the rest: a rewrite may move
    the music's register (the seq2seq sets a bass line's style in a melody's, as its data has it), but
    guided sampling now and then draws a few notes far above anything else (a cluster at pitches
    101-127 over a line in 55-91), which no style plays. The range reaches ``BELOW`` under the lower of
    the input's lowest note and the rewrite's median, and up to the higher of an octave over the input's
    highest and two octaves over the rewrite's median (a melody's span above a bass, as
    ``in_tune_register`` folds the GAN's)."""
    if not inputs or not generated:
        return list(generated)
    median = sorted(n.pitch for n in generated)[len(generated) // 2]
    low = min(median, min(n.pitch for n in inputs)) - BELOW
    high = max(median + 24, max(n.pitch for n in inputs) + 12)
    return restruck([n.with_pitch(_fold(n.pitch, low, high)) for n in generated])


LOWEST_KEY = 21  # A0, the piano's lowest key: no instrument of the styles' textures sounds under it


def on_the_keyboard(inputs: Sequence[Note], generated: Sequence[Note]) -> list[Note]:
    """``generated`` with every note under A0 (``LOWEST_KEY``) raised by octaves to it, unless the input
    itself goes that low. The register moves (``BELOW`` under the input's lowest note, then the GAN's
    octave to the tune's) let a rewrite of a part low already drop under the piano: the Avon Jig's chords
    (D2-C3) rewritten as a Classical quartet sounded four notes at G0, a rumble no cello or piano plays."""
    floor = min(LOWEST_KEY, min((n.pitch for n in inputs), default=LOWEST_KEY))
    if all(n.pitch >= floor for n in generated):
        return list(generated)
    return restruck([n if n.pitch >= floor else n.with_pitch(_fold(n.pitch, floor, 127)) for n in generated])


def _register_of(tune: Sequence[Note], generated: list[Note]) -> list[Note]:
    """``generated`` moved by whole octaves so its top line's median pitch is nearest the tune's."""
    if not generated:
        return generated
    top = np.median([n.pitch for n in top_line(generated)])
    octaves = round((np.median([n.pitch for n in tune]) - top) / 12)
    lo, hi = min(n.pitch for n in generated), max(n.pitch for n in generated)
    octaves = max(-(lo // 12), min((127 - hi) // 12, octaves))
    return [n.with_pitch(n.pitch + 12 * octaves) for n in generated] if octaves else generated
