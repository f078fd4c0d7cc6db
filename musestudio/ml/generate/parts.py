"""Generate with parts: continue all or listed parts, add a part, infill bars of one part (Qt-free API).

All three are one operation on the token stream (grammar.py): cells to write are either appended bar by
bar (continue all) or masked and filled after the piece (everything else), so a part is always written
knowing the other parts before and after it. A small grammar of the stream is applied as a logits mask at
every step (positions move forward inside the bar, every pitch gets a duration, a single-line part gets
one note an onset, key lock and each part's pitch range hold by construction), and structural tokens
(BAR, TRACK_i, FILL_k, CELL_END) are forced, so a take always has exactly the asked bars and parts.

Nothing outside the asked cells changes: takes carry only new notes, per part, and the caller merges them.
Drums are the caller's to keep aside (the model has no drum corpus): pass only pitched parts (Add a part
hears when the drums play, ``add_part``'s ``drums``).
Controls per part (``PartIn``): pitch range, density (notes per bar) and voices default to the part's own
in the seed, so the model is asked to go on as the user began. Progress is (cells written, cells asked)
over all variations; ``cancel`` stops within one token.
"""

from __future__ import annotations

import bisect
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note, restruck, within
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, bar_ticks, is_pickup, next_bar_line, signature_at
from musestudio.ml import checkpoint, engines, learned, sampling
from musestudio.ml.generate import parts_workers
from musestudio.ml.generate.parts_controls import _note_bounds, default_ranges
from musestudio.ml.generate.parts_fill import (
    _append,
    _fill,
    _first_bar_with_notes,
    _generator,
    _legato,
    _no_clash,
)
from musestudio.ml.generate.parts_groove import accented_keys, drum_accents, with_the_kick
from musestudio.ml.generate.parts_stream import _Job
from musestudio.ml.generate.request import key_for_drums, seed_after
from musestudio.ml.generate.request_errors import (
    MAX_BARS,
    bars_out_of_range,
    key_lock_needs_key,
    no_pitch_in_key,
    not_trained_on,
    unknown_style,
)
from musestudio.ml.models.cpu_decode import decoder_for
from musestudio.ml.parts_grammar import (
    DENSITY_EDGES,
    POLYPHONY_EDGES,
    ROLES,
    Part,
    PartsGrammar,
    canonical,
    density_bin,
    polyphony_bin,
)
from musestudio.ml.styles import STYLES

ENGINE = "parts"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PartIn:
    """A pitched part as the user has it, with the controls for what the model writes in it.

    ``density`` is notes per bar and ``voices`` 1 for a single line (more for chords); both None mean "as
    the part's own notes in the seed" (for a new part: as the model thinks fits its role)."""

    notes: tuple[Note, ...]
    role: str = "free"
    program: int = 0
    pitch_range: tuple[int, int] | None = None
    density: float | None = None
    voices: int | None = None
    realized: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise BadInputError(f"unknown role {self.role!r}; choose one of {', '.join(ROLES)}")
        if self.pitch_range is not None:
            lo, hi = self.pitch_range
            if not 0 <= lo <= hi <= 127:
                raise BadInputError(f"pitch range {lo}..{hi} is not within MIDI's 0..127")
        if self.voices is not None and not 1 <= self.voices <= 8:
            raise BadInputError(f"voices must be 1..8, got {self.voices}")
        if self.density is not None and not 0 < self.density <= 64:
            raise BadInputError(f"density must be above 0 and at most 64 notes a bar, got {self.density}")


@dataclass(frozen=True)
class Options:
    """How to draw (today's knobs). ``model`` is a checkpoint stem (default: models/parts)."""

    style: str
    temperature: float = 0.9
    top_p: float = 0.95
    variations: int = 4
    key: KeySignature | None = None
    key_lock: bool = False
    seed: int | None = None
    device: str = "auto"
    progress: Progress | None = None
    cancel: sampling.Cancel | None = None
    model: Path | None = None
    develop: float | None = None  # the seed-figure bias (StreamGrammar.develop_bonus); None: the file's own
    voice_leading: bool = True  # the harmony and bass lines' voice-leading rules (parts_voicing)
    key_prior: bool = True  # the model file's per-style scale-degree bias (parts_develop.degree_row)
    workers: int | None = None  # processes decoding the variations (parts_workers); None: one per free core


def chorale_voices(program: int = 52) -> list[PartIn]:
    """Alto, tenor and bass as single lines: what a chorale harmonization asks for under a soprano."""
    return [PartIn((), role, program, voices=1) for role in ("harmony", "harmony", "bass")]


@dataclass(frozen=True)
class PartsTake:
    """One variation: new notes per part (in the caller's part order; ``add_part``'s new part last), and
    its own random seed (the run's seed + its place in the run: that seed with one variation draws it
    again, which a take drawn anew for an empty one needs said, as its place no longer tells)."""

    parts: tuple[tuple[Note, ...], ...]
    start: int
    bars: int
    seed: int = 0

    @property
    def notes(self) -> int:
        return sum(len(p) for p in self.parts)


@dataclass(frozen=True)
class PartsResult:
    engine: str
    style: str
    device: str
    seed: int
    seconds: float
    takes: tuple[PartsTake, ...]


# -- the model: through the one registry and cache (engines.load) ---------------------------------------


def model_stem() -> Path:
    return engines.stem_path(engines.engine_stem(engines.CONTINUE, engines.PARTS))


def load(stem: Path | None, device, style: str | None = None) -> engines.Loaded:
    """The parts model at ``stem`` (default: models/parts); its ``tokenizer`` is the PartsGrammar. A learned
    ``style`` (a name in ``learned``) brings its layers, merged into a copy of the weights."""
    styled = learned.resolve(style)[1] if style is not None else None
    path = stem if stem is not None else model_stem()
    loaded = engines.load(path, device) if styled is None else engines.load_styled(path, device, styled)
    if loaded.meta.get("family") != ENGINE:
        raise checkpoint.CheckpointError(
            f"{loaded.path} holds a {loaded.meta.get('family')} model, not parts"
        )
    return loaded


def _check_trained(loaded: engines.Loaded, style: str) -> None:
    """A style the checkpoint saw no piece of is refused (its STYLE token exists but was never trained)."""
    seen = (loaded.meta.get("training") or {}).get("train_pieces")
    if seen and style not in seen:
        raise not_trained_on(ENGINE, style, sorted(seen))


def _check(options: Options, bars: int) -> None:
    if learned.resolve(options.style)[0] not in STYLES:
        raise unknown_style(options.style, [*STYLES, *learned.names()])
    if not 1 <= bars <= MAX_BARS:
        raise bars_out_of_range(bars, MAX_BARS)
    if not 1 <= options.variations <= 16:
        raise BadInputError(f"variations must be 1..16, got {options.variations}")
    if not 0 < options.temperature <= 5:
        raise BadInputError(f"temperature must be in (0, 5], got {options.temperature}")
    if not 0 < options.top_p <= 1:
        raise BadInputError(f"top-p must be in (0, 1], got {options.top_p}")


def bar_starts(sigs, tpb: int, end_bar: int) -> list[int]:
    """Bar lines 0..end_bar (inclusive: the end of the last bar)."""
    lines: list[int] = []
    end = 0
    while len(lines) <= end_bar:
        end += bar_ticks(signature_at(sigs, end), tpb) * (end_bar + 1)
        lines = bar_lines(list(sigs), tpb, end)
    return lines[: end_bar + 1]


def _polyphony_for(voices: int | None) -> int | None:
    if voices is None:
        return None
    return 0 if voices <= 1 else bisect.bisect_right(POLYPHONY_EDGES, float(voices) - 0.01)


def _density_for(notes_per_bar: float | None) -> int | None:
    return None if notes_per_bar is None else bisect.bisect_right(DENSITY_EDGES, notes_per_bar)


def _job(parts_in: Sequence[PartIn], tpb, time_signatures, options: Options, g: PartsGrammar) -> _Job:
    if not parts_in:
        raise BadInputError("no pitched part to work with")
    if too_many := engines.too_many_parts(len(parts_in)):
        raise BadInputError(
            f"the parts model reads at most {too_many.most} pitched parts, got {len(parts_in)}"
        )
    if options.style not in g.styles:
        raise BadInputError(f"the parts model was not trained on the {options.style} style")
    sigs = normalise_time_signatures(time_signatures)
    everything = [n for p in parts_in for n in p.notes]
    key = options.key or detect_key(everything)
    if options.key_lock and key is None:
        raise key_lock_needs_key("notes")
    as_parts = [
        Part(p.role, p.program, tuple(sorted(p.notes, key=Note.sort_key)), p.realized) for p in parts_in
    ]
    order = canonical(as_parts)
    job = _Job(g, [as_parts[i] for i in order], order, tpb, sigs, key, options.style)
    ranges = default_ranges(parts_in)
    for i in order:
        p = parts_in[i]
        lo, hi = p.pitch_range or ranges[i]
        ok = torch.tensor([lo <= x <= hi and (not options.key_lock or key.contains(x)) for x in range(128)])
        if not ok.any():
            raise no_pitch_in_key(lo, hi, key)
        job.pitch_ok.append(ok)
        if p.voices is not None:
            mono = p.voices == 1
        elif p.notes:
            mono = polyphony_bin(p.notes, tpb) == 0  # a single line stays one
        else:
            mono = p.role in ("melody", "counter-melody", "bass", "harmony")  # new lines: one voice a part
        job.mono.append(mono)
    return job


def _headers(job: _Job, parts_in: Sequence[PartIn], seed_bars: int) -> list[Part]:
    """Parts as the header announces them: density and polyphony given, else the part's own in the seed."""
    melody = next((p for p in parts_in if p.role == "melody" and p.notes), None)
    ref = density_bin(melody.notes, max(1, seed_bars)) if melody is not None else None
    out = []
    for k, i in enumerate(job.order):
        p, src = job.parts[k], parts_in[i]
        dens = _density_for(src.density)
        if dens is None and src.notes:
            dens = density_bin(src.notes, max(1, seed_bars))
        poly = _polyphony_for(src.voices)
        if poly is None and src.notes:
            poly = polyphony_bin(src.notes, job.tpb)
        if dens is None:  # a new part with no controls: as busy as the melody (a bass a step less),
            if ref is not None:  # an accompaniment at least a chord a beat
                dens = {"bass": max(1, ref - 1), "accompaniment": max(ref, 4)}.get(p.role, ref)
            else:
                dens = {"bass": 2, "harmony": 3, "accompaniment": 5}.get(p.role, 4)
        if poly is None:  # what the stream grammar will let it write
            poly = 0 if job.mono[k] else {"accompaniment": 3}.get(p.role, 2)
        out.append(replace(p, density=dens, polyphony=poly))
    return out


def _draws(options: Options, dev) -> tuple[int, list]:
    """The run's seed (the user's, or a fresh one the result reports so a take can be drawn again) and a
    generator per take drawn from it, ``seed_after(seed, v)`` for take v."""
    seed = secrets.randbits(31) if options.seed is None else int(options.seed)
    return seed, [_generator(seed_after(seed, v), dev) for v in range(options.variations)]


def _decode_rows(decode, loaded: engines.Loaded, options: Options, dev, cells: int) -> list:
    """Every variation's notes per part, the variations split over worker processes where that pays
    (``parts_workers``): the same takes whatever the count, each drawn from its own seed. Progress is
    reported in cells written, ``cells`` a take."""
    workers = parts_workers.worker_count(options.variations, dev, options.workers)
    model = loaded.model
    total = options.variations * cells
    done = [0]

    def tick(n: int = 1) -> None:
        done[0] += n
        if options.progress:
            options.progress(min(done[0], total), total)

    def prepare() -> None:  # the weights laid out for the numpy step once, before the workers fork
        if hasattr(model, "_cpu_decoder"):
            decoder_for(model)

    return parts_workers.run(decode, options.variations, workers, tick, options.cancel, prepare)


def _read(parts_in: Sequence[PartIn], written) -> list[int]:
    """The caller's indices of the parts the model reads (``engines.reads_as_part``): each one with notes
    and each one it writes. An empty part it would only hear is left out of the stream: it takes none of
    the ``MAX_PARTS`` places, and its take is empty (``_spread``)."""
    return [i for i, p in enumerate(parts_in) if engines.reads_as_part(p.notes, i in written)]


def _spread(result: PartsResult, read: list[int], count: int) -> PartsResult:
    """``result`` of a run on the parts ``read`` (caller indices, of ``count``) with each take's parts at
    those indices and none in the parts left out, so every part's notes go back to the part they were
    written for."""

    def spread(take: PartsTake) -> PartsTake:
        parts: list[tuple[Note, ...]] = [() for _ in range(count)]
        for k, i in enumerate(read):
            parts[i] = take.parts[k]
        return replace(take, parts=tuple(parts))

    return replace(result, takes=tuple(spread(t) for t in result.takes))


# -- continue all parts (append) -----------------------------------------------------------------------


def continue_parts(
    parts_in: Sequence[PartIn],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: int = 4,
    listed: Sequence[int] | None = None,
    options: Options,
    after: int = 0,
) -> PartsResult:
    """Continue the parts ``listed`` (caller indices; None: all) by ``bars`` bars from the first bar line
    at or after the seed's end (and ``after``); the other parts stay as they are and are heard as context.
    An empty part not listed is not read (``_read``); a listed one is written from the first new bar."""
    _check(options, bars)
    listed_set = set(range(len(parts_in))) if listed is None else set(listed)
    if parts_in and not (listed_set and listed_set <= set(range(len(parts_in)))):
        raise BadInputError(f"tracks to continue must be among the {len(parts_in)} pitched parts")
    read = _read(parts_in, listed_set)
    if len(read) < len(parts_in):
        heard = [parts_in[i] for i in read]
        written = [read.index(i) for i in sorted(listed_set)]
        kw = dict(tpb=tpb, time_signatures=time_signatures, bars=bars, options=options, after=after)
        return _spread(continue_parts(heard, listed=written, **kw), read, len(parts_in))
    t0 = time.perf_counter()
    dev = sampling.pick_device(options.device)
    loaded = load(options.model, dev, options.style)
    options = replace(options, style=learned.resolve(options.style)[0])  # a learned style's base style
    _check_trained(loaded, options.style)
    job = _job(parts_in, tpb, time_signatures, options, loaded.tokenizer)
    seed_end = max([after, *(n.end for p in parts_in for n in p.notes)])
    start = next_bar_line(seed_end, job.sigs, tpb)
    lines = bar_lines(list(job.sigs), tpb, start)
    first_new = lines.index(start)
    seed_first_bar = _first_bar_with_notes(job, lines)
    seed_bars = max(1, first_new - seed_first_bar)
    headers = _headers(job, parts_in, seed_bars)
    job.note_bounds = _note_bounds(
        job, parts_in, headers, bar_lines(list(job.sigs), tpb, start + 1), seed_bars
    )
    starts = bar_starts(job.sigs, tpb, first_new + bars)
    seed, gen = _draws(options, dev)
    model_listed = [k for k, i in enumerate(job.order) if i in listed_set]

    def decode(group: list[int], on_cell, cancel) -> list:
        opts, gens = replace(options, variations=len(group), cancel=cancel), [gen[v] for v in group]
        with sampling.fast_stepwise(dev):
            if len(model_listed) == len(job.parts):
                return _append(
                    loaded, job, headers, starts, first_new, bars, seed_first_bar, opts, gens, dev, on_cell
                )
            masked = [(k, b) for b in range(first_new, first_new + bars) for k in model_listed]
            return _fill(loaded, job, headers, starts, masked, seed_first_bar, opts, gens, dev, on_cell)

    rows = _decode_rows(decode, loaded, options, dev, bars * len(model_listed))
    end = starts[first_new + bars]
    takes = []
    for v, per_part in enumerate(rows):
        new = [[] for _ in parts_in]
        for k, i in enumerate(job.order):
            notes = within(per_part[k], start, end) if i in listed_set else []
            new[i] = _legato(notes) if job.mono[k] and notes else restruck(notes)
        takes.append(PartsTake(tuple(tuple(n) for n in new), start, bars, seed_after(seed, v)))
    return PartsResult(ENGINE, options.style, str(dev), seed, time.perf_counter() - t0, tuple(takes))


def add_part(
    parts_in: Sequence[PartIn],
    new: PartIn | Sequence[PartIn],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: tuple[int, int] | None = None,
    options: Options,
    first_bars: Sequence[int] | None = None,
    rest_with_the_band: bool = True,
    drums: Sequence[Note] = (),
    held: Sequence[tuple[int, int]] = (),
) -> PartsResult:
    """Write one or more new parts (role, program and controls; their notes are ignored) with the given
    parts, in bars ``bars`` = (first, last), 0-based inclusive (default: every bar of the piece). Several
    new parts are written together, bar by bar, each hearing the others (a chorale's alto, tenor and bass
    under its soprano). The take's last parts are the new ones; the given parts get no new notes.
    ``first_bars`` (one a new part) starts a new part later than ``bars``' first: before it the part's own
    notes are kept as given and heard (an entry written by rule, as Arrange's points of imitation), and
    nothing is sampled there. ``rest_with_the_band``: the new parts rest in bars where no given part sounds
    (``bars_nothing_sounds_in``); Arrange turns it off, as its only given part is the tune, whose rests the
    accompaniment carries on through. ``drums``: the notes of the drum tracks, which the model does not
    read but which are the band as much as the pitched parts: a bass plays with the drums, in a drum intro
    too, and through the bars the drums play on after the tune (the default range reaches to their end).
    ``held``: where a sustain or sostenuto pedal holds the band's notes on after their keys are let go
    (``Track.pedal_held``): a pedalled chord sounds, and is no bar of rest.

    With ``drums`` the new parts are written to the beat: the model hears no drums, so their onsets lean
    to where the drums strike (``parts_groove``: a bass to the kick, as a band's bassist locks to it).
    Over drums alone (no given part has a note) they are in ``request.key_for_drums(options.key)``:
    drums have no key to hear."""
    news = [new] if isinstance(new, PartIn) else list(new)
    if not news:
        raise BadInputError("no part to add")
    everything = [n for p in parts_in for n in p.notes]
    if not everything and not drums:
        raise BadInputError("add a part needs some music to go with: the file has no notes")
    sigs = normalise_time_signatures(time_signatures)
    band = [*everything, *drums]
    n_bars = max(piece_bars(parts_in, tpb, sigs), _bars_reached(band, tpb, sigs))
    a, b = bars if bars is not None else (0, n_bars - 1)
    _check_range(a, b, n_bars)
    _check(options, min(MAX_BARS, b - a + 1))  # the whole piece, however long, is written window by window
    accents: list[dict[int, frozenset[int]]] = []
    if drums:  # the new parts land with the drums, a bass with the kick, as a band's bassist locks to it
        starts = bar_starts(sigs, tpb, b + 1)
        accents = [drum_accents(drums, accented_keys(p.role), starts, tpb) for p in news]
        news = [with_the_kick(p, bars_of) for p, bars_of in zip(news, accents, strict=True)]
    if not everything:  # drums alone: in a key of the user's or the default, by the rule the window states
        options = replace(options, key=key_for_drums(options.key))
    given = [*parts_in, *(p if first_bars else replace(p, notes=()) for p in news)]
    indices = list(range(len(parts_in), len(given)))
    rests = bars_nothing_sounds_in(band, tpb, sigs, a, b, held) if rest_with_the_band else frozenset()
    if len(rests) == b - a + 1:  # only bars where nothing plays were asked for: an intro of one's own
        rests = frozenset()
    groove = dict(zip(indices, accents, strict=True)) if accents else {}
    return _fill_request(given, indices, (a, b), tpb, sigs, options, first_bars, rests, groove)


def bars_nothing_sounds_in(
    notes: Sequence[Note], tpb: int, sigs, a: int, b: int, held: Sequence[tuple[int, int]] = ()
) -> frozenset[int]:
    """The bars a..b (0-based) the band rests in: where it rests (before the tune comes in, a break), a
    part added to it rests too, as a bassist waits for the band to start. A bar rests where none of
    ``notes`` sounds in it, or where the first of them to sound in it is an upbeat into the next bar
    (``timing.is_pickup``: in the bar's second half, nothing held into the bar): a break is a break until
    the tune's pickup, and the band comes in on the downbeat after it. The piece's first bar may be a
    notated pickup too (a bar shorter than the next).

    ``held``: (start, end) spans in which the band sounds with no key down, as a sustain or sostenuto pedal
    holds a chord on (``Track.pedal_held``): a pedalled chord is sounding. A pedal let up within a sixteenth
    after a bar line is let up with it: a pianist lifts it just after the beat."""
    starts = bar_starts(sigs, tpb, b + 2)
    late = tpb // 4
    spans = sorted([*((n.start, n.end) for n in notes), *((s, e - late) for s, e in held if e - late > s)])
    silent = []
    heard_to: int | None = None  # where the sound begun before the bar ends (None: none has begun yet)
    j = 0
    for bar in range(b + 1):
        lo, hi = starts[bar], starts[bar + 1]
        while j < len(spans) and spans[j][0] < lo:
            heard_to = max(spans[j][1], heard_to or 0)
            j += 1
        if bar < a or (heard_to is not None and heard_to > lo):
            continue
        onset = spans[j][0] if j < len(spans) and spans[j][0] < hi else None
        # the piece's first sounding bar may be a notated pickup (shorter than the next); a later one not
        lines = starts[bar : bar + 3] if heard_to is None else starts[bar : bar + 2]
        if onset is None or is_pickup(lines, onset):
            silent.append(bar)
    return frozenset(silent)


def infill(
    parts_in: Sequence[PartIn],
    index: int,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: tuple[int, int],
    options: Options,
) -> PartsResult:
    """Rewrite bars ``bars`` = (first, last), 0-based inclusive, of part ``index``; the take holds that
    part's new notes in those bars (the caller drops the old ones there; nothing else changes)."""
    if not 0 <= index < len(parts_in):
        raise BadInputError(f"track {index + 1} is not one of the {len(parts_in)} pitched tracks")
    a, b = bars
    sigs = normalise_time_signatures(time_signatures)
    _check_range(a, b, piece_bars(parts_in, tpb, sigs))
    _check(options, b - a + 1)
    return _fill_request(list(parts_in), [index], (a, b), tpb, sigs, options)


def _ended_by(notes: Sequence[Note], cuts: Sequence[int]) -> list[Note]:
    """Each note ended by the first of ``cuts`` (ticks) after its start: a held note stops when the
    band does."""
    out = []
    for n in notes:
        end = min([n.end, *(c for c in cuts if c > n.start)])
        out.append(n if end == n.end else Note(n.pitch, n.start, end - n.start, n.velocity))
    return out


def piece_bars(parts_in: Sequence[PartIn], tpb: int, sigs) -> int:
    """The bars the piece's notes reach into."""
    return _bars_reached([n for p in parts_in for n in p.notes], tpb, sigs)


def _bars_reached(notes: Sequence[Note], tpb: int, sigs) -> int:
    """The bars ``notes`` reach into, from the first bar of the piece."""
    end = max((n.end for n in notes), default=0)
    return len([ln for ln in bar_lines(list(sigs), tpb, end) if ln < end])


def _check_range(a: int, b: int, n_bars: int) -> None:
    """Bars a..b (0-based) must be a range near the piece's music: a few bars of rest after its last note
    are the piece's (a window, a selection), but more than ``MAX_BARS`` past it is no piece's (and every
    bar line up to there would be built)."""
    if not 0 <= a <= b:
        raise BadInputError(f"bars {a + 1}-{b + 1} are not a range of bars")
    if b >= n_bars + MAX_BARS:
        raise BadInputError(f"bars {a + 1}-{b + 1} go past the end of the piece: it has {n_bars} bars")


def _fill_request(
    parts_in,
    indices: Sequence[int],
    bars,
    tpb,
    sigs,
    options: Options,
    first_bars=None,
    rests: frozenset[int] = frozenset(),
    groove: dict[int, dict[int, frozenset[int]]] | None = None,
) -> PartsResult:
    """Rewrite bars a..b of the parts ``indices`` around everything else (add a part, infill); part
    ``indices[j]`` from bar ``max(a, first_bars[j])`` on when ``first_bars`` is given, and in none of the
    bars ``rests`` (nothing is written there, and no note written before sounds into them). An empty part
    not among ``indices`` is not read (``_read``). ``groove``: per part index, per bar, the grid positions
    its onsets lean to (``parts_groove``)."""
    groove = groove or {}
    read = _read(parts_in, indices)
    if len(read) < len(parts_in):
        heard, written = [parts_in[i] for i in read], [read.index(i) for i in indices]
        moved = {read.index(i): bars_of for i, bars_of in groove.items()}
        inner = _fill_request(heard, written, bars, tpb, sigs, options, first_bars, rests, moved)
        return _spread(inner, read, len(parts_in))
    t0 = time.perf_counter()
    dev = sampling.pick_device(options.device)
    loaded = load(options.model, dev, options.style)
    options = replace(options, style=learned.resolve(options.style)[0])  # a learned style's base style
    _check_trained(loaded, options.style)
    a, b = bars
    lo, hi = bar_starts(sigs, tpb, b + 1)[a], bar_starts(sigs, tpb, b + 1)[b + 1]
    first = {i: max(a, f) for i, f in zip(indices, first_bars or [a] * len(indices), strict=True)}
    from_tick = {i: bar_starts(sigs, tpb, max(b + 1, f) + 1)[f] for i, f in first.items()}
    # the notes to rewrite are not context: they are what gets replaced
    given = [
        replace(p, notes=tuple(n for n in p.notes if not (i in indices and from_tick[i] <= n.start < hi)))
        for i, p in enumerate(parts_in)
    ]
    job = _job(given, tpb, sigs, options, loaded.tokenizer)
    job.groove = {
        (job.order.index(i), bar): steps for i, bars_of in groove.items() for bar, steps in bars_of.items()
    }
    last = max((n.end for p in parts_in for n in p.notes), default=hi)
    n_bars = len([s for s in bar_lines(list(sigs), tpb, last) if s < last])
    starts = bar_starts(sigs, tpb, max(b + 1, n_bars))
    # density and voices as each part's own (all its notes, the rewritten ones too), unless given
    headers = _headers(job, parts_in, max(1, n_bars))
    job.note_bounds = _note_bounds(job, parts_in, headers, starts, max(1, n_bars))
    model_parts = [job.order.index(i) for i in indices]
    first_of = {k: first[i] for i, k in zip(indices, model_parts, strict=True)}
    masked = [
        (k, bar)
        for bar in range(a, b + 1)
        for k in sorted(model_parts)
        if bar >= first_of[k] and bar not in rests
    ]
    seed, gen = _draws(options, dev)

    def decode(group: list[int], on_cell, cancel) -> list:
        opts, gens = replace(options, variations=len(group), cancel=cancel), [gen[v] for v in group]
        with sampling.fast_stepwise(dev):
            return _fill(loaded, job, headers, starts, masked, 0, opts, gens, dev, on_cell)

    rows = _decode_rows(decode, loaded, options, dev, len(masked))
    takes = []
    for v, per_part in enumerate(rows):
        out: list[tuple[Note, ...]] = [() for _ in parts_in]
        for i, k in zip(indices, model_parts, strict=True):
            notes = within(per_part[k], from_tick[i], hi)
            following = sorted(n.start for n in given[i].notes if n.start >= hi)[:1]
            notes = _legato(notes, following) if job.mono[k] else restruck(notes)
            notes = _ended_by(notes, [starts[bar] for bar in rests])
            out[i] = tuple(_no_clash(notes, given[i].notes))
        takes.append(PartsTake(tuple(out), lo, b - a + 1, seed_after(seed, v)))
    return PartsResult(ENGINE, options.style, str(dev), seed, time.perf_counter() - t0, tuple(takes))
