"""Continue and infill a phrase with our models: the Qt-free API the app, the CLI and the benchmarks call.

A continuation starts on the first bar line at or after the seed's end and is written bar by bar in the
seed's meter; the seed itself is never touched (only new notes come back). Variations are rows of one
batch, so four ideas cost one pass. What may come next is constrained by a small grammar of the token
stream (bar, position, velocity, pitch, duration), applied as a logits mask at every step: positions only
move forward inside the bar, every pitch gets a duration, the meter cannot change, and with key lock or a
pitch range only allowed pitches can be drawn, so "100% in key" holds by construction, not by luck
(``grammar.py``).

Models load lazily from ``models/continue_<engine>`` on first use and stay cached per device.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, bar_ticks, next_bar_line, signature_at
from musestudio.ml import checkpoint, sampling
from musestudio.ml.generate.grammar import MAX_TOKENS_PER_BAR, BarGrammar, pitch_mask
from musestudio.ml.styles import STYLES, Style
from musestudio.ml.tokenizer import GRID, Tokenizer

ENGINES = ("transformer", "seq2seq", "markov")
MAX_BARS = 32
SEED_BARS = 16  # the most seed bars a model reads

Progress = Callable[
    [int, int], None
]  # (bars written over all variations, bars asked for over all variations)


@dataclass(frozen=True)
class Take:
    """One variation: its new notes (absolute ticks, starting at ``start``) and how many bars it filled."""

    notes: tuple[Note, ...]
    start: int
    bars: int


@dataclass(frozen=True)
class Generation:
    engine: str
    style: str
    device: str
    seed: int
    seconds: float
    takes: tuple[Take, ...]


def styles() -> list[Style]:
    return list(STYLES.values())


def devices() -> list[tuple[str, str]]:
    """(value for ``device``, what to show) for each choice this computer has, "auto" first."""
    if not torch.cuda.is_available():
        return [("auto", "Auto (CPU)"), ("cpu", "CPU")]
    gpu = torch.cuda.get_device_name(0)
    return [("auto", f"Auto ({gpu})"), ("cpu", "CPU"), ("cuda", f"CUDA: {gpu}")]


# --- models ---------------------------------------------------------------------------------------------
@dataclass
class _Loaded:
    model: object
    tokenizer: Tokenizer
    meta: dict


_cache: dict[tuple[str, str], _Loaded] = {}
_cache_lock = threading.Lock()


def model_stem(engine: str) -> Path:
    from musestudio.paths import models_dir

    return models_dir() / f"continue_{engine}"


def load_engine(engine: str, device: torch.device) -> _Loaded:
    """The engine's model on ``device``, loaded on first use (a CheckpointError names a missing file)."""
    if engine not in ENGINES:
        raise BadInputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    key = (engine, str(device))
    with _cache_lock:
        if key not in _cache:
            model, _, meta = checkpoint.load(model_stem(engine), device)
            if meta.get("family") != engine:
                raise checkpoint.CheckpointError(f"{model_stem(engine)} holds a {meta.get('family')} model")
            try:
                tokenizer = Tokenizer.from_json(meta.get("tokenizer") or {})
            except (ValueError, KeyError) as e:
                raise checkpoint.CheckpointError(f"{model_stem(engine)}: {e}") from e
            _cache[key] = _Loaded(model, tokenizer, meta)
        return _cache[key]


def _check_common(style: str, bars: int, variations: int, temperature: float, top_p: float) -> None:
    if style not in STYLES:
        raise BadInputError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    if not 1 <= bars <= MAX_BARS:
        raise BadInputError(f"bars must be 1..{MAX_BARS}, got {bars}")
    if not 1 <= variations <= 16:
        raise BadInputError(f"variations must be 1..16, got {variations}")
    if not 0 < temperature <= 5:
        raise BadInputError(f"temperature must be in (0, 5], got {temperature}")
    if not 0 < top_p <= 1:
        raise BadInputError(f"top-p must be in (0, 1], got {top_p}")


def _check_trained_on(tok: Tokenizer, style: str, engine: str) -> None:
    if style not in tok.styles:
        raise BadInputError(
            f"the {engine} model was not trained on the {style} style ({', '.join(tok.styles)})"
        )


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
    loaded: _Loaded,
    prompt: list[int],
    grammar: BarGrammar,
    variations: int,
    temperature: float,
    top_p: float,
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
            progress(grammar.bars_written(), variations * grammar.bars)
        return grammar.done()

    options = dict(
        max_new_tokens=grammar.bars * MAX_TOKENS_PER_BAR + 2,
        temperature=temperature,
        top_p=top_p,
        logits_mask_fn=mask,
        stop_fn=stop,
        pad_id=loaded.tokenizer.pad_id,
        generator=_generator(seed, device),
        cancel=cancel,
    )
    ids = torch.tensor([prompt], device=device)
    if engine == "seq2seq":
        return loaded.model.sample(
            ids, variations, style=style_index, decoder_prefix=[loaded.tokenizer.bos_id], **options
        )
    return loaded.model.sample(ids, variations, **options)


def _takes(
    tok: Tokenizer, rows: torch.Tensor, start: int, tpb: int, sig: TimeSignature, bars: int
) -> tuple[Take, ...]:
    takes = []
    for row in rows.tolist():
        body = []
        count = 0
        for t in row:
            if t == tok.eos_id or t == tok.pad_id or (t == tok.bar_id and count == bars):
                break
            count += t == tok.bar_id
            body.append(t)
        notes = tok.decode(body, tpb=tpb, start=start, meter=_meter(sig))
        takes.append(Take(tuple(sorted(notes, key=Note.sort_key)), start, count))
    return tuple(takes)


def continue_phrase(
    notes: Sequence[Note],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    style: str,
    bars: int = 4,
    engine: str = "transformer",
    variations: int = 4,
    temperature: float = 1.0,
    top_p: float = 0.95,
    key: KeySignature | None = None,
    key_lock: bool = False,
    pitch_range: tuple[int, int] | None = None,
    seed: int | None = None,
    device: str = "auto",
    progress: Progress | None = None,
    cancel: sampling.Cancel | None = None,
    after: int = 0,
) -> Generation:
    """``variations`` continuations of ``notes``, each ``bars`` bars from the first bar line at or after
    both the seed's end and ``after`` (e.g. the playhead).

    ``key`` defaults to the seed's detected key (needed for key lock; an empty seed needs it given).
    ``seed`` None draws one, reported in the result so the run can be repeated exactly.
    """
    _check_common(style, bars, variations, temperature, top_p)
    t0 = time.perf_counter()
    dev = sampling.pick_device(device)
    sigs = normalise_time_signatures(time_signatures)
    key = key or detect_key(notes)
    if key_lock and key is None:
        raise BadInputError("key lock needs a key: pick one, or give a seed to detect it from")
    seed = secrets.randbits(31) if seed is None else int(seed)
    loaded = load_engine(engine, dev)
    with sampling.fast_stepwise(
        dev
    ):  # one thread: tiny ops on two threads of a busy CPU measured 20-200x slower
        tok = loaded.tokenizer
        _check_trained_on(tok, style, engine)
        start = next_bar_line(max([after, *(n.end for n in notes)]), sigs, tpb)
        sig = signature_at(sigs, start)
        cfg = loaded.model.config
        budget = {
            "transformer": getattr(cfg, "block_size", 0) // 2,
            "seq2seq": getattr(cfg, "max_src_len", 0),
        }.get(engine, 10**6)
        prompt = _seed_tokens(tok, notes, tpb, sigs, start, budget, style, key)
        grammar = BarGrammar(
            tok,
            variations,
            bars,
            _bar_steps(sig),
            end_ids=(tok.bar_id, tok.eos_id),
            meter_first=tok.meter_id(*_meter(sig)) if engine == "seq2seq" else None,
            pitch_ok=pitch_mask(tok, key, key_lock, pitch_range),
            device=dev,
        )
        rows = _run(
            engine,
            loaded,
            prompt,
            grammar,
            variations,
            temperature,
            top_p,
            seed,
            dev,
            progress,
            cancel,
            style_index=tok.styles.index(style),
        )
        return Generation(
            engine, style, str(dev), seed, time.perf_counter() - t0, _takes(tok, rows, start, tpb, sig, bars)
        )


def infill(
    notes: Sequence[Note],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0, 4, 4),),
    start: int,
    end: int,
    style: str,
    variations: int = 4,
    temperature: float = 1.0,
    top_p: float = 0.95,
    key: KeySignature | None = None,
    key_lock: bool = False,
    pitch_range: tuple[int, int] | None = None,
    seed: int | None = None,
    device: str = "auto",
    progress: Progress | None = None,
    cancel: sampling.Cancel | None = None,
) -> Generation:
    """New music for the bars from ``start`` to ``end`` (both moved out to bar lines) that fits what comes
    before and after; notes outside the range are context and are not returned. Transformer only (FIM)."""
    sigs = normalise_time_signatures(time_signatures)
    if end <= start:
        raise BadInputError("the range to regenerate is empty")
    lines = bar_lines(sigs, tpb, end)
    a = max(ln for ln in lines if ln <= start)
    b = next_bar_line(end, sigs, tpb)
    bars = sum(1 for ln in bar_lines(sigs, tpb, b) if a <= ln < b)
    _check_common(style, bars, variations, temperature, top_p)
    t0 = time.perf_counter()
    dev = sampling.pick_device(device)
    context = [n for n in notes if n.start < a or n.start >= b]
    key = key or detect_key(context)
    if key_lock and key is None:
        raise BadInputError("key lock needs a key: pick one, or leave some notes around the range")
    seed = secrets.randbits(31) if seed is None else int(seed)
    loaded = load_engine("transformer", dev)
    with sampling.fast_stepwise(
        dev
    ):  # one thread: tiny ops on two threads of a busy CPU measured 20-200x slower
        tok = loaded.tokenizer
        _check_trained_on(tok, style, "transformer")
        budget = loaded.model.config.block_size - bars * 48  # room for the middle at a typical density
        before = [n for n in context if n.start < a]
        prefix = _seed_tokens(tok, before, tpb, sigs, a, budget // 2, style, key)
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
        cond, body = prefix[:4], prefix[4:]
        prompt = cond + tok.fill_in_the_middle(body, suffix)
        sig = signature_at(sigs, a)
        grammar = BarGrammar(
            tok,
            variations,
            bars,
            _bar_steps(sig),
            end_ids=(tok.eos_id,),
            meter_first=tok.meter_id(*_meter(sig)),
            pitch_ok=pitch_mask(tok, key, key_lock, pitch_range),
            device=dev,
        )
        rows = _run(
            "transformer",
            loaded,
            prompt,
            grammar,
            variations,
            temperature,
            top_p,
            seed,
            dev,
            progress,
            cancel,
        )
        return Generation(
            "transformer",
            style,
            str(dev),
            seed,
            time.perf_counter() - t0,
            _takes(tok, rows, a, tpb, sig, bars),
        )


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


def unload() -> None:
    """Forget the loaded models (frees their memory; the next call loads them again)."""
    with _cache_lock:
        _cache.clear()
