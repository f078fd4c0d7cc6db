"""Restyle: the user's phrase comes back as if written in another style, bar for bar.

``restyle(notes, to_style, engine=...)`` is Qt-free and shared by the app, the CLI and the evaluation.
Engines:

- ``seq2seq``: the denoising encoder-decoder (``generate/denoiser.py``) reads the phrase stripped of its
  style-bearing detail and writes it out again under the target style's token.
- ``gan``: the same network fine-tuned adversarially against a critic (``models/gan.py``'s
  ``AdversarialDenoiser``, ``train/adversarial.py``), run exactly like ``seq2seq``. A file of the first
  design's family (the StarGAN roll generator) still runs: it rewrites the phrase's piano roll in one pass,
  ``strength`` blending its note probabilities with the input's (``reads_rolls``).
- ``naive`` (a baseline for the metrics): transpose by octaves toward the target style's typical register.

Whatever the engine, the output covers exactly the input's bars (from the bar line at or before its first
note to the one at or after its last end), so it can replace the selection in place. ``keep_rhythm`` keeps
every input onset and duration and lets the engine choose pitches only; ``key`` snaps output pitches into
that key's scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note, restruck, within
from musestudio.core.played_in import heard_on_grid, lean, leaned
from musestudio.core.project import DEFAULT_TPB, TimeSignature
from musestudio.core.timing import bar_lines, beats_as_bars, signature_at
from musestudio.ml import engines
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.request_errors import unknown_style_among
from musestudio.ml.generate.rewrite_notes import (
    anchor_melody,
    gan_notes,
    held_to_voices,
    in_tune_register,
    on_the_keyboard,
    strays_folded,
    style_voices,
)
from musestudio.ml.pianoroll import DEFAULT_SPEC, FRAME, ONSET, RollSpec, phrase_input

BASELINES = ("identity", "naive")
Progress = Callable[[int, int], None]  # (stages done, stages in all), as in ml.sampling
Cancel = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Phrase:
    """Where a phrase sits: its first bar line, its length in roll steps, and its bar grid."""

    origin: int
    n_steps: int
    tpb: int
    time_signatures: tuple[TimeSignature, ...]


def phrase_of(
    notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature], spec: RollSpec
) -> Phrase:
    """The whole bars that hold ``notes``."""
    if not notes:
        raise BadInputError("there are no notes to restyle")
    first = min(n.start for n in notes)
    last = max(n.end for n in notes)
    lines = bar_lines(time_signatures, tpb, last)
    origin = max(t for t in lines if t <= first)
    end = lines[-1] if lines[-1] >= last else last
    step = spec.step_ticks(tpb)
    return Phrase(origin, -(-(end - origin) // step), tpb, tuple(time_signatures))


def load(engine: str, stem=None, device: str = "cpu") -> engines.Loaded:
    """The engine's model through the registry: the shipped file, or the one at ``stem`` (a fresh checkpoint)."""
    return engines.load(stem or engines.engine_stem(engines.RESTYLE, engine), device)


def _check(cancel: Cancel | None) -> None:
    from musestudio.ml.sampling import is_cancelled

    if is_cancelled(cancel):
        raise Cancelled("restyle cancelled")


def restyle(
    notes: Sequence[Note],
    options: Options,
    engine: str = "gan",
    *,
    tpb: int = DEFAULT_TPB,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0),),
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    model: engines.Loaded | None = None,
) -> list[Note]:
    """``notes`` rewritten in ``options.style`` (new notes, new ids; the input is never changed).

    ``options.seed`` makes sampling engines repeatable (the GAN is deterministic anyway); with
    ``options.key_lock`` every pitch is snapped into ``options.key``. ``model`` overrides the shipped
    weights (tests, evaluation of a fresh checkpoint). Raises BadInputError for an unknown style or engine,
    a strength outside 0..1 or an empty phrase; Cancelled when ``cancel`` fires.
    """
    o = options
    if engine not in engines.ENGINES[engines.RESTYLE] + BASELINES:
        known = ", ".join(engines.ENGINES[engines.RESTYLE])
        raise BadInputError(f"unknown restyle engine {engine!r} (known: {known})")
    if not 0.0 <= o.strength <= 1.0:
        raise BadInputError(f"strength must be between 0 and 1, not {o.strength}")
    notes = list(notes)
    if engine == "identity":
        return [n.copy_as_new() for n in notes]
    if o.strength == 0 and engine != "naive":  # nothing to change: the input, in the key if one is locked
        same = [n.copy_as_new() for n in notes]
        return snap_to_key(same, o.key) if o.key_lock and o.key is not None else same
    if engine == "naive":
        from musestudio.ml.generate.style_profiles import naive_restyle

        return naive_restyle(notes, o.style, o.strength)
    heard = list(heard_on_grid(notes, tpb))
    # played in: rewritten as heard on the beat, then given back as played (a kept rhythm is the user's as
    # it stands, every onset and length)
    if heard != notes and not o.keep_rhythm:
        kw = dict(tpb=tpb, time_signatures=time_signatures, progress=progress, cancel=cancel, model=model)
        return _as_played(restyle(heard, options, engine, **kw), notes, heard, lean([notes], tpb))
    loaded = model if model is not None else load(engine, device=o.device)
    net, settings = loaded.model, loaded.settings
    rolls = reads_rolls(net)
    styles = list(net.config.styles if rolls else loaded.tokenizer.styles)
    if o.style not in styles:
        raise unknown_style_among(o.style, styles)
    spec = net.config.spec if rolls else DEFAULT_SPEC
    written = phrase_of(notes, tpb, time_signatures, spec)
    # a piece in 1/4 throughout is heard (and was learnt) in 4/4 bars; the output covers the written ones
    phrase = phrase_of(notes, tpb, beats_as_bars(time_signatures, (n.start for n in notes), tpb), spec)
    key = o.key if o.key_lock else None
    # the GAN's promise (issue 14): at most the voices the target style uses, in the tune's register
    voices = style_voices(o.style, settings.voices) if engine == "gan" else settings.voices
    _check(cancel)
    if progress is not None:
        progress(0, 2)
    if rolls:
        target = styles.index(o.style)
        out = _gan(net, notes, phrase, o.style, target, o.strength, o.keep_rhythm, spec, settings.voices)
    else:
        from musestudio.ml.generate.denoiser import rewrite

        end = phrase.origin + phrase.n_steps * spec.step_ticks(tpb)
        out = rewrite(
            net,
            loaded.tokenizer,
            notes,
            phrase.origin,
            end,
            tpb,
            phrase.time_signatures,
            o.style,
            o.strength,
            o.seed or 0,
            key,
            cancel,
            settings,
        )
        if o.keep_rhythm:
            out = _pitches_onto_rhythm(notes, out, tpb)
        else:
            out = held_to_voices(out, voices)
            placed = in_tune_register(notes, out, tpb) if engine == "gan" else strays_folded(notes, out)
            out = _carry_velocities(notes, placed)
    _check(cancel)
    if o.keep_rhythm:
        if key is not None:  # each note to the nearest free pitch in the key, so none is lost or held
            out = _onto_rhythm(out, lambda n: [n.pitch], key.contains)
    else:
        out = _carry_velocities(notes, anchor_melody(notes, out, o.strength, o.seed or 0, voices))
        # the decoder's durations can overrun the next strike of a key (73 of 150 notes in one oboe line)
        out = restruck(snap_to_key(out, key) if key is not None else out)
    out = on_the_keyboard(notes, out)
    step = spec.step_ticks(tpb)
    out = [n for n in within(out, written.origin, written.origin + written.n_steps * step) if n.duration > 0]
    if progress is not None:
        progress(2, 2)
    return out


def _as_played(out: Sequence[Note], played: Sequence[Note], heard: Sequence[Note], by: int) -> list[Note]:
    """A rewrite of the ``heard`` phrase given back in the time it was played: a note the rewrite kept (the
    pitch and onset of a heard note) at its played onset, length and velocity (held to where the rewrite
    ends it, if it moved that), every new note moved by the music's steady lean (``core.played_in.lean``),
    so the rewrite sounds with the tracks around it, not a flam away."""
    by_id = {n.id: n for n in played}
    kept = {(h.pitch, h.start): (h, by_id[h.id]) for h in heard if h.id in by_id}
    back = []
    for n in out:
        h, p = kept.get((n.pitch, n.start), (None, None))
        if h is None:
            back += leaned([n], by)
        else:
            length = p.duration if n.duration == h.duration else max(1, n.end + by - p.start)
            back.append(Note(n.pitch, p.start, length, p.velocity, n.id))
    return sorted(back, key=Note.sort_key)


def reads_rolls(model) -> bool:
    """Whether ``model`` is the roll StarGAN (one pass over a piano roll, deterministic) rather than a
    token denoiser that samples (``seq2seq`` and the adversarial ``gan``)."""
    return getattr(model, "family", None) == "gan"


def _gan(
    model,
    notes,
    phrase: Phrase,
    style: str,
    target: int,
    strength: float,
    keep_rhythm: bool,
    spec: RollSpec,
    voices: int,
):
    import torch

    from musestudio.ml.sampling import fast_stepwise

    x = phrase_input(notes, phrase.tpb, phrase.time_signatures, phrase.origin, phrase.n_steps, spec)
    device = next(model.parameters()).device
    with fast_stepwise(device):  # one thread: a second one made this 50x slower on the busy 2-core machine
        probs = transfer(model, torch.from_numpy(x)[None].to(device), torch.tensor([target], device=device))[
            0
        ]
    p = spec.pitches
    # weight (1+s)/2: the generator adds a note where it is surer than 1/(1+s) and removes one where it is
    # less sure than s/(1+s), so every strength above 0 changes something (a plain s-weighted blend left the
    # input untouched for every s <= 0.5: test S_tot 0.002 at s = 0.5)
    weight = (1.0 + strength) / 2 if strength > 0 else 0.0
    blended = (1.0 - weight) * x[: 2 * p] + weight * probs.cpu().numpy()
    roll = blended.reshape(2, p, -1)
    if keep_rhythm:
        return _choose_pitches(notes, roll, phrase, spec)
    sig = signature_at(phrase.time_signatures, phrase.origin)
    bar = sig.numerator * 4 * phrase.tpb // sig.denominator
    out = gan_notes(roll, notes, phrase.tpb, phrase.origin, spec, style, voices, bar)
    return _carry_velocities(notes, out)


def _choose_pitches(notes: Sequence[Note], roll: np.ndarray, phrase: Phrase, spec: RollSpec) -> list[Note]:
    """Each input note keeps its timing and takes the likeliest generated pitch within a fifth of its own."""
    step = spec.step_ticks(phrase.tpb)

    def likeliest(n: Note) -> list[int]:
        t = min(max(0, round((n.start - phrase.origin) / step)), roll.shape[2] - 1)
        own = spec.fold(n.pitch) - spec.low
        lo, hi = max(0, own - 7), min(spec.pitches, own + 8)
        score = roll[ONSET, lo:hi, t] + roll[FRAME, lo:hi, t] - 0.02 * np.abs(np.arange(lo, hi) - own)
        return [n.pitch + int(lo + i - own) for i in np.argsort(-score, kind="stable")]

    return _onto_rhythm(notes, likeliest)


def _pitches_onto_rhythm(notes: Sequence[Note], generated: Sequence[Note], tpb: int) -> list[Note]:
    """Input timing with pitches from the generated notes sounding at each onset: the one struck nearest
    in time and pitch within an octave of the input note, else one of their pitch classes near it (where
    the engine wrote fewer voices than the input holds, a chord keeps its register and doubles a tone
    rather than striking one key three times), else, where none sounds, one sounding within a beat."""
    sixteenth = max(1, tpb // 4)

    def near(n: Note) -> list[int]:
        sounding = [g for g in generated if g.start <= n.start < g.end]
        ranked = sorted(sounding, key=lambda g: (abs(g.start - n.start) // sixteenth, abs(g.pitch - n.pitch)))
        around = [g for g in generated if g.start < n.start + tpb and g.end > n.start - tpb]
        return (
            [g.pitch for g in ranked if abs(g.pitch - n.pitch) <= 12]
            + _near_in_pitch_class(n.pitch, sounding, 24)
            + _near_in_pitch_class(n.pitch, around, 12)
        )

    return _onto_rhythm(notes, near)


def _near_in_pitch_class(pitch: int, notes: Sequence[Note], reach: int) -> list[int]:
    """The pitches within ``reach`` of ``pitch`` in a pitch class of ``notes``, nearest first: a tone
    doubled an octave away rather than a neighbour added."""
    return sorted(
        (p for p in range(pitch - reach, pitch + reach + 1) if any((p - n.pitch) % 12 == 0 for n in notes)),
        key=lambda p: (abs(p - pitch), p),
    )


def _onto_rhythm(
    notes: Sequence[Note],
    candidates: Callable[[Note], list[int]],
    allowed: Callable[[int], bool] | None = None,
) -> list[Note]:
    """Each input note keeps its onset, duration and velocity and takes the first of ``candidates(n)``
    that is free and ``allowed`` (in the locked key): free is not struck with it (a chord keeps its
    voices, not one pitch struck three times) and not still held by an earlier note (a player's key is
    struck again only once released, and MIDI ends either note at one note-off). With none, the free
    allowed pitch nearest its own (its own, if none is). Notes struck together choose from the top
    down, so the tune chooses first."""
    ok = allowed or (lambda _p: True)
    out: list[Note] = []
    held: list[Note] = []
    for n in sorted(notes, key=lambda n: (n.start, -n.pitch)):
        held = [o for o in held if o.end > n.start or o.start == n.start]
        busy = {o.pitch for o in held}
        pitch = next((p for p in candidates(n) if 0 <= p <= 127 and p not in busy and ok(p)), None)
        if pitch is None:
            free = (p for p in range(128) if p not in busy and ok(p))
            pitch = min(free, key=lambda p: (abs(p - n.pitch), p), default=n.pitch)
        made = Note(pitch, n.start, n.duration, n.velocity)
        out.append(made)
        held.append(made)
    out.sort(key=Note.sort_key)
    return out


def _carry_velocities(inputs: Sequence[Note], outputs: Sequence[Note]) -> list[Note]:
    """Output notes take the velocity of the input note sounding at their onset nearest in pitch.

    The models write pitches and rhythm only; dynamics stay the user's.
    """
    if not inputs:
        return list(outputs)
    fallback = int(np.median([n.velocity for n in inputs]))
    out = []
    for o in outputs:
        sounding = [n for n in inputs if n.start <= o.start < n.end]
        vel = min(sounding, key=lambda n: abs(n.pitch - o.pitch)).velocity if sounding else fallback
        out.append(o.with_velocity(vel))
    return out


def snap_to_key(notes: Sequence[Note], key: KeySignature) -> list[Note]:
    """Every pitch moved to the nearest pitch in ``key`` (down on a tie); a duplicate this makes is dropped."""
    seen: set[tuple[int, int]] = set()
    out = []
    for n in notes:
        pitch = n.pitch
        if not key.contains(pitch):
            pitch = next(
                p for d in (1, 2) for p in (n.pitch - d, n.pitch + d) if 0 <= p <= 127 and key.contains(p)
            )
        if (pitch, n.start) in seen:
            continue
        seen.add((pitch, n.start))
        out.append(n.with_pitch(pitch))
    return out


def transfer(G, x, target):
    """Note probabilities (B, 2P, T) of ``x`` moved to the target styles (indices (B,)) by the GAN ``G``."""
    import torch
    from torch.nn import functional as F

    with torch.no_grad():
        return torch.sigmoid(G(x, F.one_hot(target, len(G.config.styles)).float()))
