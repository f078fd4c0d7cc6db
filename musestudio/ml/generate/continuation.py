"""Continue and infill a phrase with our models: the Qt-free API the app, the CLI and the benchmarks call.

A continuation starts on the first bar line at or after the seed's end and is written bar by bar in the
seed's meter; the seed itself is never touched (only new notes come back). Variations are rows of one
batch, so four ideas cost one pass. What may come next is constrained by a small grammar of the token
stream (bar, position, velocity, pitch, duration), applied as a logits mask at every step: positions only
move forward inside the bar, every pitch gets a duration, the meter cannot change, and with key lock or a
pitch range only allowed pitches can be drawn, so "100% in key" holds by construction, not by luck
(``grammar.py``).

Models load through the registry (``engines``) on first use and stay cached per file and device.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from musestudio.core.errors import BadInputError
from musestudio.core.keys import detect_key
from musestudio.core.note import Note, restruck, within
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_line_before, bar_lines, bar_ticks, next_bar_line, signature_at
from musestudio.ml import engines, learned, sampling
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.generate.grammar import MAX_TOKENS_PER_BAR, BarGrammar, pitch_mask
from musestudio.ml.generate.request import Options, seed_after
from musestudio.ml.generate.request_errors import (
    MAX_BARS,
    bars_out_of_range,
    key_lock_needs_key,
    not_trained_on,
    unknown_style,
)
from musestudio.ml.generate.rewrite_notes import top_line
from musestudio.ml.parts_grammar import polyphony_of
from musestudio.ml.styles import STYLES
from musestudio.ml.tokenizer import CONDITIONING, GRID, Tokenizer

SEED_BARS = 16  # the most seed bars a model reads

Progress = Callable[
    [int, int], None
]  # (bars written over all variations, bars asked for over all variations)


@dataclass(frozen=True)
class Take:
    """One variation: its new notes (absolute ticks, from ``start``), how many bars it filled, the bar
    line that ends the bars it was asked for (``end``: what the takes cover in the score) and its own
    random seed (the same seed with one variation draws it again)."""

    notes: tuple[Note, ...]
    start: int
    bars: int
    end: int
    seed: int = 0


@dataclass(frozen=True)
class Generation:
    engine: str
    style: str
    device: str
    seed: int
    seconds: float
    takes: tuple[Take, ...]


def load_engine(engine: str, device, styled: learned.LearnedStyle | None = None) -> engines.Loaded:
    """A Continue engine's model through the registry (a CheckpointError names a missing or wrong file),
    with a learned style's layers when ``styled`` is given (only the transformer has them)."""
    if styled is not None and engine != "transformer":
        raise BadInputError(
            f"learned style {styled.name!r} works with the transformer and parts engines, not {engine}"
        )
    stem = engines.engine_stem(engines.CONTINUE, engine)
    loaded = (
        engines.load_engine(engines.CONTINUE, engine, device)
        if styled is None
        else (engines.load_styled(stem, device, styled))
    )
    if loaded.tokenizer is None:
        raise CheckpointError(f"{loaded.path} has no event tokenizer")
    return loaded


def _check_common(style: str, bars: int, variations: int, temperature: float, top_p: float) -> None:
    if style not in STYLES:
        raise unknown_style(style, STYLES)
    if not 1 <= bars <= MAX_BARS:
        raise bars_out_of_range(bars, MAX_BARS)
    if not 1 <= variations <= 16:
        raise BadInputError(f"variations must be 1..16, got {variations}")
    if not 0 < temperature <= 5:
        raise BadInputError(f"temperature must be in (0, 5], got {temperature}")
    if not 0 < top_p <= 1:
        raise BadInputError(f"top-p must be in (0, 1], got {top_p}")


def _check_trained_on(tok: Tokenizer, style: str, engine: str) -> None:
    if style not in tok.styles:
        raise not_trained_on(engine, style, tok.styles)


def _meter(sig: TimeSignature) -> tuple[int, int]:
    return sig.numerator, sig.denominator


def _bar_steps(sig: TimeSignature) -> int:
    return sig.numerator * 4 * GRID // sig.denominator


def _seed_tokens(tok: Tokenizer, notes, tpb, sigs, end: int, budget: int, style, key) -> list[int]:
    """Conditioning + the last whole bars before ``end`` (at most SEED_BARS, and fitting ``budget``)."""
    lines = [ln for ln in bar_lines(sigs, tpb, end) if ln < end]
    first_note = min((n.start for n in notes), default=end)
    lines = [ln for ln in lines if ln >= first_note - bar_ticks(signature_at(sigs, ln), tpb) + 1] or lines[
        -1:
    ]
    lines = lines[-SEED_BARS:]
    for start in lines or [end]:
        cond = tok.conditioning(style, key, signature_at(sigs, start))
        body = (
            tok.encode_events(notes, tpb=tpb, time_signatures=sigs, start=start, end=end)
            if start < end
            else []
        )
        if len(cond) + len(body) <= budget:
            return cond + body
    return tok.conditioning(style, key, signature_at(sigs, end))


def _generator(seed: int, device: torch.device) -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def _run(
    engine: str,
    loaded: engines.Loaded,
    prompt: list[int],
    grammar: BarGrammar,
    options: Options,
    seed: int,
    device: torch.device,
    progress: Progress | None,
    cancel: sampling.Cancel | None,
    style_index: int = 0,
) -> torch.Tensor:
    def mask(step: int, ids: torch.Tensor) -> torch.Tensor:
        return grammar.allowed()

    def stop(ids: torch.Tensor) -> torch.Tensor:
        grammar.observe(ids[:, -1])
        if progress:
            progress(grammar.bars_written(), options.variations * grammar.bars)
        return grammar.done()

    sampling_options = dict(
        max_new_tokens=grammar.bars * MAX_TOKENS_PER_BAR + 2,
        temperature=options.temperature,
        top_p=options.top_p,
        logits_mask_fn=mask,
        stop_fn=stop,
        pad_id=loaded.tokenizer.pad_id,
        # a seed per take, round past the top as the app's seed box holds them
        generator=[_generator(seed_after(seed, i), device) for i in range(options.variations)],
        cancel=cancel,
    )
    ids = torch.tensor([prompt], device=device)
    if engine == "seq2seq":
        return loaded.model.sample(
            ids,
            options.variations,
            style=style_index,
            decoder_prefix=[loaded.tokenizer.bos_id],
            **sampling_options,
        )
    return loaded.model.sample(ids, options.variations, **sampling_options)


def _takes(
    tok: Tokenizer,
    rows: torch.Tensor,
    start: int,
    end: int,
    tpb: int,
    sig: TimeSignature,
    bars: int,
    seed: int,
    one_line: bool,
) -> tuple[Take, ...]:
    """The rows' notes from ``start`` to ``end``; with ``one_line``, only the tune on top of them, each note
    ending where the next begins (``rewrite_notes.top_line``). A model sampled freely and cut to its top line
    keeps the melody it wrote; one held to a note an onset while it samples takes the first note of each,
    which is the chord's lowest in our tokens (a flute's hornpipe went on as its bass)."""
    takes = []
    for i, row in enumerate(rows.tolist()):
        body = []
        count = 0
        for t in row:
            if t == tok.eos_id or t == tok.pad_id or (t == tok.bar_id and count == bars):
                break
            count += t == tok.bar_id
            body.append(t)
        notes = restruck(within(tok.decode(body, tpb=tpb, start=start, meter=_meter(sig)), start, end))
        if one_line:
            notes = top_line(notes)
        takes.append(Take(tuple(notes), start, count, end, seed_after(seed, i)))
    return tuple(takes)


def single_line(notes: Sequence[Note], tpb: int) -> bool:
    """Whether ``notes`` are a tune written as a single line, which its takes go on as (no chords): two
    notes or more, one an onset on the grid (``parts_grammar.polyphony_of``)."""
    return len(notes) > 1 and polyphony_of(notes, tpb) == 1.0


def sounds_through(notes: Sequence[Note], start: int, end: int) -> bool:
    """Whether a note begun before ``start`` still sounds at ``end`` (so the bar between may rest)."""
    return any(n.start < start and n.end >= end for n in notes)


def _bars_end(start: int, bars: int, sigs: Sequence[TimeSignature], tpb: int) -> int:
    end = start
    for _ in range(bars):
        end = next_bar_line(end + 1, sigs, tpb)
    return end


def _prepare(options: Options, engine: str, bars: int, key_from: Sequence[Note], key_source: str):
    """Check the options; return (device, key, seed, the loaded model) for a run. ``key_source``: what
    ``key_from`` is (``request_errors.KEY_SOURCES``), for the words when key lock finds no key in it."""
    style, styled = learned.resolve(options.style)  # a learned style: its base style and its layers
    o = dataclasses.replace(options, style=style)
    _check_common(o.style, bars, o.variations, o.temperature, o.top_p)
    dev = sampling.pick_device(o.device)
    key = o.key or detect_key(key_from)
    if o.key_lock and key is None:
        raise key_lock_needs_key(key_source)
    seed = secrets.randbits(31) if o.seed is None else int(o.seed)
    loaded = load_engine(engine, dev, styled)
    _check_trained_on(loaded.tokenizer, o.style, engine)
    return dev, key, seed, loaded, o


def continue_phrase(
    notes: Sequence[Note],
    options: Options,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    bars: int = 4,
    engine: str = "transformer",
    after: int = 0,
    progress: Progress | None = None,
    cancel: sampling.Cancel | None = None,
) -> Generation:
    """``options.variations`` continuations of ``notes``, each ``bars`` bars from the first bar line at or
    after both the seed's end and ``after`` (e.g. the playhead).

    The key defaults to the seed's detected key (needed for key lock; an empty seed needs it given).
    """
    t0 = time.perf_counter()
    o = options
    dev, key, seed, loaded, o = _prepare(o, engine, bars, notes, "seed")
    sigs = normalise_time_signatures(time_signatures)
    # one thread: tiny ops on two threads of a busy CPU measured 20-200x slower
    with sampling.fast_stepwise(dev):
        tok = loaded.tokenizer
        start = next_bar_line(max([after, *(n.end for n in notes)]), sigs, tpb)
        sig = signature_at(sigs, start)
        cfg = loaded.model.config
        budget = {
            "transformer": getattr(cfg, "block_size", 0) // 2,
            "seq2seq": getattr(cfg, "max_src_len", 0),
        }.get(engine, 10**6)
        prompt = _seed_tokens(tok, notes, tpb, sigs, start, budget, o.style, key)
        grammar = BarGrammar(
            tok,
            o.variations,
            bars,
            _bar_steps(sig),
            end_ids=(tok.bar_id, tok.eos_id),
            meter_first=tok.meter_id(*_meter(sig)) if engine == "seq2seq" else None,
            pitch_ok=pitch_mask(tok, key, o.key_lock, o.pitch_range),
            device=dev,
            first_bar_note=not sounds_through(notes, start, next_bar_line(start + 1, sigs, tpb)),
        )
        rows = _run(
            engine, loaded, prompt, grammar, o, seed, dev, progress, cancel, tok.styles.index(o.style)
        )
        end = _bars_end(start, bars, sigs, tpb)
        takes = _takes(tok, rows, start, end, tpb, sig, bars, seed, single_line(notes, tpb))
        return Generation(engine, o.style, str(dev), seed, time.perf_counter() - t0, takes)


def infill(
    notes: Sequence[Note],
    options: Options,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    start: int,
    end: int,
    progress: Progress | None = None,
    cancel: sampling.Cancel | None = None,
) -> Generation:
    """New music for the bars from ``start`` to ``end`` (both moved out to bar lines) that fits what comes
    before and after; notes outside the range are context and are not returned. Transformer only (FIM)."""
    t0 = time.perf_counter()
    o = options
    sigs = normalise_time_signatures(time_signatures)
    if end <= start:
        raise BadInputError("the range to regenerate is empty")
    a = bar_line_before(start, sigs, tpb)
    b = next_bar_line(end, sigs, tpb)
    bars = sum(1 for ln in bar_lines(sigs, tpb, b) if a <= ln < b)
    context = [n for n in notes if n.start < a or n.start >= b]
    dev, key, seed, loaded, o = _prepare(o, "transformer", bars, context, "context")
    with sampling.fast_stepwise(dev):
        tok = loaded.tokenizer
        budget = loaded.model.config.block_size - bars * 48  # room for the middle at a typical density
        before = [n for n in context if n.start < a]
        prefix = _seed_tokens(tok, before, tpb, sigs, a, budget // 2, o.style, key)
        suffix_end = max((n.end for n in context if n.start >= b), default=b)
        suffix_lines = [ln for ln in bar_lines(sigs, tpb, suffix_end) if ln >= b][: SEED_BARS // 2 + 1]
        suffix = []
        for stop in reversed(suffix_lines[1:] or [b]):
            suffix = (
                tok.encode_events(context, tpb=tpb, time_signatures=sigs, start=b, end=stop)
                if stop > b
                else []
            )
            if len(suffix) <= budget // 2:
                break
        cond, body = prefix[:CONDITIONING], prefix[CONDITIONING:]
        prompt = cond + tok.fill_in_the_middle(body, suffix)
        sig = signature_at(sigs, a)
        grammar = BarGrammar(
            tok,
            o.variations,
            bars,
            _bar_steps(sig),
            end_ids=(tok.eos_id,),
            meter_first=tok.meter_id(*_meter(sig)),
            pitch_ok=pitch_mask(tok, key, o.key_lock, o.pitch_range),
            device=dev,
            first_bar_note=not sounds_through(before, a, next_bar_line(a + 1, sigs, tpb)),
        )
        rows = _run("transformer", loaded, prompt, grammar, o, seed, dev, progress, cancel)
        takes = _takes(tok, rows, a, b, tpb, sig, bars, seed, single_line(context, tpb))
        return Generation("transformer", o.style, str(dev), seed, time.perf_counter() - t0, takes)


def phrase_embedding(
    notes: Sequence[Note],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    style: str,
    device: str = "auto",
) -> list[float]:
    """A fixed-size description of a phrase: the seq2seq encoder's states averaged over the phrase's tokens.

    Phrases that the encoder reads alike (the same motifs, rhythms, register) land close together, which is
    what a ranking of takes by the user's taste needs; ``hidden`` numbers long.
    """
    dev = sampling.pick_device(device)
    loaded = load_engine("seq2seq", dev)
    tok = loaded.tokenizer
    _check_trained_on(tok, style, "seq2seq")
    sigs = normalise_time_signatures(time_signatures)
    end = next_bar_line(max((n.end for n in notes), default=0), sigs, tpb)
    prompt = _seed_tokens(tok, notes, tpb, sigs, end, loaded.model.config.max_src_len, style, None)
    with sampling.fast_stepwise(dev):
        states, _, _ = loaded.model.encode(
            torch.tensor([prompt], device=dev), torch.tensor([tok.styles.index(style)], device=dev)
        )
    return states[0].mean(dim=0).tolist()
