"""Continue and infill a phrase with our models: the Qt-free API the app, the CLI and the benchmarks call.

A continuation starts on the first bar line at or after the seed's end and is written bar by bar in the
seed's meter; the seed itself is never touched (only new notes come back). Variations are rows of one
batch, so four ideas cost one pass. What may come next is constrained by a small grammar of the token
stream (bar, position, velocity, pitch, duration), applied as a logits mask at every step: positions only
move forward inside the bar, every pitch gets a duration, the meter cannot change, and with key lock or a
pitch range only allowed pitches can be drawn, so "100% in key" holds by construction, not by luck.

Models load lazily from ``models/continue_<engine>`` on first use and stay cached per device.
"""

from __future__ import annotations

import functools
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
from musestudio.ml.styles import STYLES, Style
from musestudio.ml.tokenizer import GRID, Tokenizer

ENGINES = ("transformer", "seq2seq", "markov")
MAX_BARS = 32
MAX_TOKENS_PER_BAR = 192  # a dense piano bar is well under this; a row that runs away is cut here
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
            model, _, meta = checkpoint.load(model_stem(engine), device, family=engine)
            try:
                tokenizer = Tokenizer.from_json(meta.get("tokenizer") or {})
            except (ValueError, KeyError, TypeError) as e:
                raise checkpoint.CheckpointError(
                    f"model file {checkpoint.paths(model_stem(engine))[1]} holds a model with another "
                    f"vocabulary, not the Continue {engine} expected here ({e})"
                ) from e
            _cache[key] = _Loaded(model, tokenizer, meta)
        return _cache[key]


# --- the token grammar as a mask ------------------------------------------------------------------------
_START, _BAR, _METER, _POS, _VEL, _PITCH, _DUR, _DONE = range(8)


@functools.lru_cache(maxsize=4)
def _token_kinds(tok: Tokenizer) -> dict[str, torch.Tensor]:
    """Bool (V,) per token kind; worked out once per tokenizer (it is the slow part of a grammar's set-up)."""
    tests = {
        "position": tok.is_position,
        "pitch": tok.is_pitch,
        "duration": tok.is_duration,
        "velocity": tok.is_velocity,
    }
    return {name: torch.tensor([test(i) for i in range(tok.vocab_size)]) for name, test in tests.items()}


class BarGrammar:
    """Tracks each row's place in ``BAR [METER] (POS (VEL? PITCH DUR)+)*`` and says what may come next.

    ``bars`` bars are written; after the last one only an end token may close it (BAR or EOS for a
    continuation, EOS for a fill). ``meter_first`` is the meter token the first bar must state (fills and
    seq2seq targets restate the meter, as their training windows did), or None when no METER may appear.
    A bar that runs past MAX_TOKENS_PER_BAR is closed at its next note boundary.
    """

    def __init__(
        self,
        tok: Tokenizer,
        batch: int,
        bars: int,
        bar_steps: int,
        end_ids: Sequence[int],
        meter_first: int | None,
        pitch_ok: torch.Tensor,
        device: torch.device,
    ) -> None:
        v = tok.vocab_size
        self.tok, self.bars, self.bar_steps = tok, bars, bar_steps
        ids = torch.arange(v)

        def one(*tokens: int) -> torch.Tensor:
            return torch.isin(ids, torch.tensor(tokens, dtype=torch.long))

        kinds = _token_kinds(tok)
        is_pos, is_pitch = kinds["position"], kinds["pitch"]
        pos_index = (ids - tok.token_id("POS_0"))[None, :]
        pitch_index = (ids - tok.pitch_token(0))[None, :]
        # pos_table[p]: positions p..bar_steps-1 (p = bar_steps: none); pitch_table[q]: allowed pitches >= q
        steps = torch.arange(bar_steps + 1)[:, None]
        pos_table = is_pos & (pos_index >= steps) & (pos_index < bar_steps)
        pitch_table = pitch_ok.cpu() & is_pitch & (pitch_index >= torch.arange(129)[:, None])
        close = torch.stack([one(tok.bar_id), one(*end_ids)])  # [full]: what closes the current bar
        base = torch.zeros(_DONE + 1, 2, v, dtype=torch.bool)  # [state, full]
        for full in (0, 1):
            base[_START, full] = one(tok.bar_id)
            base[_BAR, full] = close[full]
            base[_METER, full] = close[full]
            base[_PITCH, full] = kinds["duration"]
            base[_DUR, full] = close[full]
            base[_DONE, full] = one(tok.pad_id)
        meter = one(meter_first) if meter_first is not None else None
        self.base, self.close, self.pos_table, self.pitch_table, self.velocity = (
            t.to(device) for t in (base, close, pos_table, pitch_table, kinds["velocity"])
        )
        self.meter = meter.to(device) if meter is not None else None  # the first bar must state it
        self.pitch_left = self.pitch_table.any(dim=1).tolist()
        self._rows: dict[tuple, torch.Tensor] = {}
        self.device = device
        self.state = [_START] * batch
        self.bar_count = [0] * batch  # bars begun
        self.min_pos = [0] * batch  # the lowest position the next POS may take
        self.min_pitch = [0] * batch  # the lowest pitch the next PITCH may take (a chord ascends)
        self.bar_tokens = [0] * batch

    def _advance(self, row: int, t: int) -> None:
        tok = self.tok
        self.bar_tokens[row] += 1
        if self.state[row] == _DONE:
            return
        if t == tok.bar_id and self.bar_count[row] < self.bars:
            self.state[row], self.min_pos[row], self.min_pitch[row] = _BAR, 0, 0
            self.bar_count[row] += 1
            self.bar_tokens[row] = 0
        elif t in (tok.bar_id, tok.eos_id):
            self.state[row] = _DONE
        elif tok.is_meter(t):
            self.state[row] = _METER
        elif tok.is_position(t):
            self.state[row], self.min_pos[row], self.min_pitch[row] = _POS, t - tok.token_id("POS_0") + 1, 0
        elif tok.is_velocity(t):
            self.state[row] = _VEL
        elif tok.is_pitch(t):
            self.state[row], self.min_pitch[row] = _PITCH, tok.pitch_of(t) + 1
        elif tok.is_duration(t):
            self.state[row] = _DUR

    def observe(self, last: torch.Tensor) -> None:
        """Feed the token each row drew last (B,)."""
        for row, t in enumerate(last.tolist()):
            self._advance(row, t)

    def done(self) -> torch.Tensor:
        return torch.tensor([s == _DONE for s in self.state], device=self.device)

    def bars_written(self) -> int:
        """Completed bars over all rows (a finished row counts all its bars)."""
        return sum(
            c if s == _DONE else max(c - 1, 0) for s, c in zip(self.state, self.bar_count, strict=True)
        )

    def _row(self, key: tuple[int, int, int, int, bool, bool]) -> torch.Tensor:
        """The mask for one row state; rows revisit the same few states, so each is built once."""
        row = self._rows.get(key)
        if row is None:
            s, full, p, q, closing, meter = key
            if closing:
                row = self.close[full]
            elif meter:
                row = self.meter
            else:
                row = self.base[s, full] | self.pos_table[p] | self.pitch_table[q]
                if s in (_POS, _DUR) and self.pitch_left[q]:  # VEL must be followed by a pitch
                    row = row | self.velocity
            self._rows[key] = row
        return row

    def allowed(self) -> torch.Tensor:
        """Bool (B, V): the tokens each row may draw next."""
        rows = []
        for r, s in enumerate(self.state):
            at_boundary = s in (_BAR, _METER, _DUR)
            rows.append(
                self._row(
                    (
                        s,
                        int(self.bar_count[r] >= self.bars),
                        self.min_pos[r] if at_boundary else self.bar_steps,
                        self.min_pitch[r] if s in (_POS, _VEL, _DUR) else 128,
                        at_boundary and self.bar_tokens[r] >= MAX_TOKENS_PER_BAR,
                        s == _BAR and self.bar_count[r] == 1 and self.meter is not None,
                    )
                )
            )
        return torch.stack(rows)


# --- continue and infill --------------------------------------------------------------------------------
def _pitch_mask(
    tok: Tokenizer, key: KeySignature | None, key_lock: bool, pitch_range: tuple[int, int] | None
):
    lo, hi = pitch_range or (0, 127)
    if not 0 <= lo <= hi <= 127:
        raise BadInputError(f"pitch range {lo}..{hi} is not within MIDI's 0..127")
    ok = torch.tensor([lo <= p <= hi and (not key_lock or key.contains(p)) for p in range(128)])
    if not ok.any():
        raise BadInputError(f"no pitch in {lo}..{hi} is in {key}; widen the range or turn key lock off")
    mask = torch.zeros(tok.vocab_size, dtype=torch.bool)
    mask[tok.pitch_token(0) : tok.pitch_token(0) + 128] = ok
    return mask


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
            pitch_ok=_pitch_mask(tok, key, key_lock, pitch_range),
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
            pitch_ok=_pitch_mask(tok, key, key_lock, pitch_range),
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
