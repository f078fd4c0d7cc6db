"""Learn a style from the user's MIDI files: LoRA on the parts model and the Continue transformer (issue 16).

``learn`` is Qt-free and runs anywhere: the CLI calls it in-process, the app runs it in a child process
(``python -m musestudio.ml.train.learn ... --events``, one JSON line per progress report) so training never
holds the window's GIL. Each base model present in the models folder gets its own low-rank layers
(``models/lora.py``) trained on windows of the user's files, conditioned on one built-in style (the one
asked for, else the one the base model already finds closest: lowest held-out NLL, by a clear margin,
else the one of the close ones the style meter hears: ``_closest_style``). The Continue
transformer trains first, for a fixed number of steps (``transformer_steps``) with its schedule and its
held-out checks counted in steps, so its layers are the same on any machine (its layers learn the user's
files past what helps with their other music: on six sets a schedule over 400 steps left held-out files
14% below the base, over 1,200 steps 10%; models/README.md); on a slow machine it still stops at half
the wall-clock budget (``minutes``). The parts model, which gains with every step it gets, has the rest
of the budget. Each stops early when its held-out NLL has not improved for ``patience`` checks, and keeps
its best layers, unless they take less than ``keep_gain`` off it: then that model plays the style as its
base does (a gain that small on a held-out file is a difference between files). Nothing is written until
the end, and then atomically (``ml/learned.py``), so a cancelled or killed run leaves nothing
half-written. Last, the parts engine's key prior for the style is chosen by takes in the saved style
(``train.key_prior``), in the time kept for it at the end of the budget (and what the layers left of
it), and written into its JSON: a cancel then removes the style; a run killed during it leaves the style
whole, with the biases of the round it reached (none in the first). The held-out NLL is on as many windows
as the budget has time for, spread over the held-out bars (``scored_windows``, ``spread_windows``), and the
result says on how many of the held-out notes: a 12 s learning of a 150,000-note file scored all 1,875
held-out bars and took 73 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import torch
import torch.nn.functional as F

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.io.files import os_reason
from musestudio.ml import checkpoint, learned, sampling
from musestudio.ml.data import learn as data
from musestudio.ml.data.parts_windows import WindowSampler as PartsSampler
from musestudio.ml.data.parts_windows import index as parts_index
from musestudio.ml.data.parts_windows import targets as parts_targets
from musestudio.ml.data.windows import Examples, WindowSampler, index_pieces
from musestudio.ml.generate.parts_roles import guess_roles
from musestudio.ml.models import lora
from musestudio.ml.tokenizer import CONDITIONING, IGNORE_INDEX, Tokenizer
from musestudio.ml.train import key_prior, nll  # key_prior imported here: the bundle carries what this loads
from musestudio.ml.train.batches import transformer_buckets, transformer_step
from musestudio.ml.train.loop import lr_at, seed_run
from musestudio.ml.train.parts import batch as parts_batch

Progress = Callable[[dict], None]
KEY_PRIOR_SHARE = 0.06  # of the budget kept for choosing the key prior by takes after training (8 min: 29 s)
KEY_PRIOR_MAX_S = 30.0
TRANSFORMER_CAP_SHARE = 0.5  # of the training budget: the transformer's steps stop here on a slow machine
FLOOR_SHARE = 0.1  # of the training budget: every base trains at least this long, even after a slow start
WINDOW_BARS = 16  # a held-out window's most bars (fewer where its tokens pass the model's length)
#: held-out windows scored a minute of budget (at least ``MIN_SCORED``, at most ``MAX_SCORED``): every check
#: scores them all, ~0.1-0.2 s a window on one core. Held out in full, a 150,000-note file's 1,875 bars
#: (118-134 windows) took 38 s to score once, before training, of a 12 s learning
SCORED_PER_MINUTE = 6
MIN_SCORED, MAX_SCORED = 2, 48
CLOSEST_WINDOWS = 6  # the closest style is chosen on at most this many windows: it is a choice of a few
#: nats: a built-in style is the closest by the model's reading only this much likelier than the next on the
#: held-out windows; closer ones the style meter chooses among. On one window of a few bars the styles lie
#: within a nat or two: three to five bars of a jig named Palestrina by 0.4 nats (of 208). (The base
#: transformer's Celtic is tunes alone: a jig's chord track reads likelier as Palestrina's held voices; the
#: tune alone reads likeliest as Celtic)
CLOSEST_MARGIN_NATS = 10.0
METER_BARS = 32  # of each file, the style meter hears its first bars...
METER_FILES = 24  # ...of this many files at most, spread over them (a few seconds on one core)


@dataclass
class LearnArgs:
    paths: Sequence[Path]
    name: str
    base_style: str | None = None  # the built-in style to start from; None: the closest one
    minutes: float = 8.0
    models_dir: Path | None = None  # default: the app's models folder
    bases: tuple[str, ...] = learned.BASES
    rank: int = lora.RANK
    alpha: float = lora.ALPHA
    lr: float = 2e-3
    batch_size: int = 4
    max_len: int = 512
    bars: tuple[int, int] = (4, 8)
    check_every_s: float = 20.0  # the parts model's held-out check, at most this far apart (8 at least)
    patience: int = 3
    min_gain: float = 0.002  # a check improves on the best only by this share
    # layers that take less than this share off the held-out NLL are not kept (the style plays as the base
    # with that model): on eight pop songs or piano pieces the transformer's layers took 2-4% off a held-out
    # file and read the user's other files 3-5% *worse* (models/README.md, session 14)
    keep_gain: float = 0.05
    seed: int = 1234
    threads: int = 1
    device: str = "auto"
    max_steps: int = 10**9  # tests: a few steps, whatever the clock says
    # held-out windows scored (spread evenly over the held-out bars); None: ``SCORED_PER_MINUTE`` of budget
    held_out_windows: int | None = None
    # the Continue transformer's steps: its learning-rate schedule and held-out checks run over these
    transformer_steps: int = 400
    check_every_steps: int = 50
    # how the Continue transformer's layers read an onset (``tokenizer.ONSET_ORDERS``): the tune's note first
    onset_order: str = "descending"


@dataclass
class Scored:
    nll: float  # summed nats
    tokens: int
    notes: int

    @property
    def per_token(self) -> float:
        return self.nll / max(1, self.tokens)

    @property
    def per_note(self) -> float:
        return self.nll / max(1, self.notes)


def scored_windows(args: LearnArgs) -> int:
    """How many held-out windows are scored: ``args.held_out_windows``, else as many as the budget has
    time for (``SCORED_PER_MINUTE``)."""
    if args.held_out_windows is not None:
        return max(1, args.held_out_windows)
    return max(MIN_SCORED, min(MAX_SCORED, round(args.minutes * SCORED_PER_MINUTE)))


def spread_windows(items: Sequence, window_at: Callable[[object, int], tuple], most: int | None) -> list:
    """Scoring windows of ``items`` (each with ``n_bars``; ``window_at(item, a)`` gives the window from bar
    ``a`` and the bar after it): every item tiled window by window, or with ``most``, that many spread
    evenly over all the bars. Held-out bars of up to ``most`` x ``WINDOW_BARS`` are tiled and every k-th
    window kept; from longer ones, one window from each of ``most`` evenly spaced bars (further apart
    than a window is long, so none overlaps): a long file is encoded only where it is scored, and the
    figure still covers the whole of it rather than its first bars."""
    total = sum(it.n_bars for it in items)
    if most is None or total <= most * WINDOW_BARS:
        out = []
        for it in items:
            a = 0
            while a < it.n_bars:
                window, a = window_at(it, a)
                out.append(window)
        return out if most is None else key_prior.every_kth(out, most)
    out, first = [], 0  # ``first``: the bar, counted over all items, that the item ``it`` starts at
    places = iter(k * total // most for k in range(most))
    bar = next(places)
    for it in items:
        while bar is not None and bar < first + it.n_bars:
            out.append(window_at(it, bar - first)[0])
            bar = next(places, None)
        first += it.n_bars
    return out


# -- the two bases: how each turns segments into training batches and scoring windows ------------------------


class PartsBase:
    """The parts model: one part per track (roles guessed as the app guesses them), every task mixed."""

    stem = "parts"

    def __init__(self, model, meta: dict, tokenizer, max_len: int) -> None:
        self.model, self.meta, self.g = model, meta, tokenizer
        self.max_len = min(max_len, model.config.block_size)

    def styles(self) -> tuple[str, ...]:
        seen = (self.meta.get("training") or {}).get("train_pieces") or {}
        return tuple(s for s in self.g.styles if not seen or seen.get(s))

    def _piece(self, seg: data.Segment, style: str):
        return data.as_parts_piece(seg, style, guess_roles(seg.tracks), key=seg.source)

    def sampler(self, segs, style: str, args: LearnArgs) -> Callable[[], tuple]:
        items = parts_index([self._piece(s, style) for s in segs])
        if not items:
            raise BadInputError("no file has two bars the parts model can read")
        s = PartsSampler(items, self.g, max_len=self.max_len, bars=args.bars, seed=args.seed)
        return lambda: parts_batch([s.example() for _ in range(args.batch_size)], self.g)

    def windows(
        self, segs, style: str, order: str | None = None, most: int | None = None
    ) -> list[tuple[list[int], list[int], int]]:
        """(tokens, targets, notes) for consecutive windows of every segment, each as long as fits, or
        ``most`` of them spread over the segments (``spread_windows``; the parts grammar has one order:
        ``order`` is the single stream's)."""
        return spread_windows(parts_index([self._piece(s, style) for s in segs]), self._window, most)

    def _window(self, it, a: int) -> tuple[tuple[list[int], list[int], int], int]:
        p = it.piece
        for b in range(min(it.n_bars, a + WINDOW_BARS), a, -1):
            seq = self.g.encode(
                list(it.parts),
                tpb=p.tpb,
                time_signatures=p.time_signatures,
                start=it.lines[a],
                end=it.lines[b],
                key=p.key_signature,
                style=p.style,
            )
            if len(seq) <= self.max_len or b == a + 1:
                break
        lo, hi = it.lines[a], it.lines[b]
        notes = sum(1 for x in it.parts for n in x.notes if lo <= n.start < hi)
        return (seq[: self.max_len], parts_targets(self.g, seq)[: self.max_len], notes), b

    @torch.no_grad()
    def score(self, model, windows, device) -> Scored:
        total, tokens, notes = 0.0, 0, 0
        model.eval()
        for seq, tgt, n in windows:
            x = torch.tensor([seq], device=device)
            y = torch.tensor([tgt], device=device)
            logits = model(x)[0]
            loss = F.cross_entropy(logits[0].float(), y[0], ignore_index=IGNORE_INDEX, reduction="sum")
            total += float(loss)
            tokens += int((y != IGNORE_INDEX).sum())
            notes += n
        return Scored(total, tokens, notes)

    def step(self, model, draw, device) -> torch.Tensor:
        x, y = draw()
        return model(x.to(device), y.to(device))[1]


class TransformerBase:
    """The Continue transformer: all tracks as one stream; plain and fill-in-the-middle windows."""

    stem = "continue_transformer"

    def __init__(self, model, meta: dict, tokenizer: Tokenizer, max_len: int) -> None:
        self.model, self.meta, self.tok = model, meta, tokenizer
        self.max_len = min(max_len, model.config.block_size)

    def styles(self) -> tuple[str, ...]:
        return tuple(self.tok.styles)

    def sampler(self, segs, style: str, args: LearnArgs) -> Callable[[], list]:
        tok = self.tok.with_onset_order(args.onset_order)
        pieces = [data.as_piece(s, style, key=s.source) for s in segs]
        s = WindowSampler(pieces, tok, max_len=self.max_len, bars=args.bars, seed=args.seed)
        buckets = transformer_buckets(s, 0.3, args.batch_size, random.Random(args.seed))
        return buckets.next

    def windows(
        self, segs, style: str, order: str | None = None, most: int | None = None
    ) -> list[tuple[list[int], int]]:
        """(tokens, notes) for consecutive windows of every segment, or ``most`` of them spread over the
        segments (``spread_windows``), an onset's notes in ``order`` (default: the base model's): the same
        notes in the same windows whichever order a model reads."""
        ex = Examples(self.tok.with_onset_order(order or self.tok.onset_order), self.max_len)

        def window(ix, a: int) -> tuple[tuple[list[int], int], int]:
            for b in range(min(ix.n_bars, a + WINDOW_BARS), a, -1):
                seq = ex.lm(ix, a, b)
                if len(ex.conditioning(ix, a) + ex.body(ix, a, b)) <= self.max_len or b == a + 1:
                    break
            return (seq, len(ix.notes_in(a, b))), b

        return spread_windows(
            index_pieces([data.as_piece(s, style, key=s.source) for s in segs]), window, most
        )

    def score(self, model, windows, device) -> Scored:
        rows = [(seq, CONDITIONING) for seq, _ in windows]
        scores = nll.lm_nll(model, rows, self.tok.pad_id, device, batch=4)
        return Scored(sum(s for s, _ in scores), sum(n for _, n in scores), sum(n for _, n in windows))

    def step(self, model, draw, device) -> torch.Tensor:
        return transformer_step(model, draw(), self.tok, device)[0]


BASE_TYPES = {"parts": PartsBase, "continue_transformer": TransformerBase}


def load_base(stem: str, models_dir: Path | None, device, max_len: int = 512):
    from musestudio.ml import engines

    folder = models_dir or engines.models_dir()
    path = folder / stem
    model, _, meta = checkpoint.load(path, device, family=engines.FAMILIES[stem])
    reader = engines._tokenizer(path, meta)
    if reader is None:
        raise checkpoint.CheckpointError(f"{path}.json has no vocabulary")
    return BASE_TYPES[stem](model, meta, reader, max_len), path.with_name(stem + ".safetensors")


class AdamW:
    """AdamW (Loshchilov & Hutter), the same update as ``torch.optim.AdamW(foreach=False)``, written out for the
    few low-rank tensors: torch's optimizers import its compiler (``torch._dynamo``, which needs sympy)
    when made, and the bundle, which learns styles too, leaves that out (80 MB for a dozen lines)."""

    def __init__(self, params, lr: float, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0):
        self.params = [p for p in params if p.requires_grad]
        self.param_groups = [{"lr": lr}]  # as torch's: the schedule sets the rate here each step
        self.betas, self.eps, self.weight_decay, self.t = betas, eps, weight_decay, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        self.t += 1
        lr, (b1, b2) = self.param_groups[0]["lr"], self.betas
        first, second = 1 - b1**self.t, 1 - b2**self.t
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            if p.grad is None:
                continue
            p.mul_(1 - lr * self.weight_decay)
            m.lerp_(p.grad, 1 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            p.addcdiv_(m, (v.sqrt() / second**0.5).add_(self.eps), value=-lr / first)


# -- the run -----------------------------------------------------------------------------------------------


@dataclass
class _Clock:
    start: float
    budget: float
    cancel: threading.Event
    report: Progress

    def until(self, share: float) -> float:
        """The time ``share`` of the budget ends, or a tenth of the budget from now if that is later (a
        slow start on a busy machine then runs over the budget rather than leaving a base untrained)."""
        return max(self.start + self.budget * share, time.monotonic() + FLOOR_SHARE * self.budget)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("learning cancelled: nothing was saved")


@dataclass(frozen=True)
class _Plan:
    """How one base trains: until ``deadline`` (``time.monotonic``) and, given ``steps``, for at most that
    many steps, its learning-rate schedule and held-out checks counted in steps (the same layers on any
    machine that takes them in time); without, both run over the clock to the deadline."""

    deadline: float
    steps: int | None = None


def _train_one(base, segs_train, segs_valid, style: str, args: LearnArgs, clock: _Clock, plan: _Plan, dev):
    """Train one base's layers as ``plan`` says; (best layers, before, after, steps, seconds)."""
    t0 = time.monotonic()
    deadline = plan.deadline
    limit = args.max_steps if plan.steps is None else min(args.max_steps, plan.steps)
    most = scored_windows(args)
    before = base.score(base.model, base.windows(segs_valid, style, most=most), dev)
    windows = base.windows(segs_valid, style, args.onset_order, most)  # as the layers read them
    tuned = lora.wrap(base.model, args.rank, args.alpha).to(dev)
    params = lora.trainable(tuned)
    opt = AdamW(params, lr=args.lr, betas=(0.9, 0.98))
    draw = base.sampler(segs_train, style, args)
    untouched = lora.state(tuned)  # B = 0: the base model exactly
    best, best_state, stale, step = before.per_token, untouched, 0, 0
    after = before
    last_check, checked = time.monotonic(), 0
    gap = min(args.check_every_s, max(2.0, (deadline - t0) / 8))
    total = max(1.0, deadline - t0)
    warmup = 10
    while step < limit and time.monotonic() < deadline:
        clock.check()
        tuned.train()
        progress = step / plan.steps if plan.steps else (time.monotonic() - t0) / total
        for g in opt.param_groups:
            g["lr"] = lr_at(args.lr, warmup, step, progress)
        loss = base.step(tuned, draw, dev)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        clock.report(
            {
                "event": "progress",
                "stage": "training",
                "model": base.stem,
                "step": step,
                "loss": round(float(loss.detach()), 4),
                "fraction": min(1.0, clock.elapsed() / clock.budget),
                "seconds_left": max(0.0, clock.budget - clock.elapsed()),
            }
        )
        due = step % args.check_every_steps == 0 if plan.steps else time.monotonic() - last_check >= gap
        if due or step == limit:
            clock.check()
            now = base.score(tuned, windows, dev)
            last_check, checked = time.monotonic(), step
            if now.per_token < best * (1 - args.min_gain):
                best, best_state, stale, after = now.per_token, lora.state(tuned), 0, now
            else:
                stale += 1
            clock.report(
                {
                    "event": "check",
                    "model": base.stem,
                    "step": step,
                    "valid_nll": round(now.per_token, 4),
                    "best": round(best, 4),
                }
            )
            if stale >= args.patience:
                break
    if step > checked:  # the last steps since the last check
        now = base.score(tuned, windows, dev)
        if now.per_token < best * (1 - args.min_gain):
            best, best_state, after = now.per_token, lora.state(tuned), now
    if after is not before and after.per_token > before.per_token * (1 - args.keep_gain):
        best_state, after = untouched, before  # too small a gain to be the user's style: the base plays
    return best_state, before, after, step, time.monotonic() - t0


def _key_prior(stem_out: Path, meta: dict, weights: bytes, segments, dev, clock, until: float) -> dict:
    """The style's own key prior for the parts engine (``train.key_prior.calibrate``: rounds of takes in the
    saved style on windows of the user's files, each writing the biases so far into its JSON, the last
    ending by ``until``), or {} with no window to continue; the style's ``models.parts`` entry gains
    ``degrees`` and ``degrees_fit``."""
    ws = key_prior.windows(segments)
    if not ws:
        return {}
    t0 = time.monotonic()

    def write(degrees: dict) -> None:
        entry = {**meta["models"]["parts"], "degrees": degrees}
        learned.write(stem_out, {**meta, "models": {**meta["models"], "parts": entry}}, weights)

    def on_round(r: int, seconds: float) -> None:
        """The dialog's line while the prior is chosen: the time left is the budget's rest, and no more
        than the rounds still possible at the last round's pace."""
        left = max(0.0, until - time.monotonic())
        if seconds:
            left = min(left, seconds * (key_prior.MAX_ROUNDS - r))
        clock.report(
            {"event": "progress", "stage": "key", "round": r + 1, "fraction": 1.0, "seconds_left": left}
        )

    got = key_prior.calibrate(
        meta["name"],
        ws,
        write,
        device=str(dev),
        cancel=clock.cancel,
        until=until,
        clock=time.monotonic,
        on_round=on_round,
    )
    clock.check()  # a take cut short by Cancel counts nothing
    fit = {k: got[k] for k in ("notes", "distance", "in_key", "windows")}
    return {"degrees": got["degrees"], "degrees_fit": {**fit, "seconds": round(time.monotonic() - t0, 1)}}


def _closest_style(
    base, segs_valid, candidates: Sequence[str], dev, most: int, heard: Callable[[], dict | None]
) -> str:
    """The built-in style under which the base model finds the held-out bars likeliest (on ``most``
    windows spread over them: the choice is between a few styles, and it comes out of the training time),
    when that is ``CLOSEST_MARGIN_NATS`` likelier than the next. Otherwise the bars cannot tell the styles
    apart, and of those within the margin the one the style meter hears (``heard()``: style ->
    probability, None without the meter) is taken. On a few bars the likeliest by a fraction of a nat was a
    coin toss: a handful of jigs started from Palestrina."""
    scores = {s: base.score(base.model, base.windows(segs_valid, s, most=most), dev).nll for s in candidates}
    best = min(scores, key=scores.get)
    close = [s for s in candidates if scores[s] - scores[best] < CLOSEST_MARGIN_NATS]
    probs = heard() if len(close) > 1 else None
    if not probs:
        return best
    return max(close, key=lambda s: (probs.get(s, 0.0), -scores[s]))


def _heard(segments: Sequence[data.Segment]) -> dict[str, float] | None:
    """What the style meter hears in the user's files (style -> probability, the first ``METER_BARS``
    bars of up to ``METER_FILES`` files weighted by their notes), as the app's Generate panel reads a
    phrase; None without the meter."""
    from musestudio.ml.generate import critic, model_grid

    total: dict[str, float] = {}
    for seg in key_prior.every_kth(list(segments), METER_FILES):
        part = data.cut(seg, 0, min(seg.bars, METER_BARS))
        notes = part.notes
        if not notes:
            continue
        on_grid = model_grid.phrase_on_grid(notes, part.tpb, part.time_signatures)
        probs = critic.style_probabilities(on_grid[0], tpb=on_grid[1], time_signatures=on_grid[2])
        if probs is None:
            return None
        for style, p in probs.items():
            total[style] = total.get(style, 0.0) + p * len(notes)
    return total or None


def learn(args: LearnArgs, report: Progress | None = None, cancel: threading.Event | None = None) -> dict:
    """Learn and save the style; the result dict (the CLI's JSON). Raises Cancelled (nothing saved) or a
    BadInputError / StyleError the user can act on."""
    report = report or (lambda event: None)
    cancel = cancel or threading.Event()
    t_start = time.monotonic()
    name = learned.check_name(args.name)
    stem_out = learned.new_stem(name)  # refuses a taken name before any work
    seed_run(args.seed, args.threads or None)
    dev = sampling.pick_device(args.device)
    report({"event": "progress", "stage": "reading", "fraction": 0.0, "seconds_left": args.minutes * 60})
    segments, skipped = data.read_files(args.paths)
    report(
        {
            "event": "read",
            "files": [s.source for s in segments],
            "bars": sum(s.bars for s in segments),
            "skipped": [s.as_json() for s in skipped],
            "played_in": [s.source for s in segments if s.played_in],
            "dropped_ends": data.dropped_ends(segments),
        }
    )
    if not segments:
        # what was wrong with the files read comes first: the files past the limit were not read at all
        shown = sorted(skipped, key=lambda s: s.why == data.TOO_MANY)[:5]
        why = "; ".join(f"{s.path}: {s.reason}" for s in shown) or "no MIDI files given"
        told = [s.as_json() for s in shown]
        raise BadInputError(f"no usable MIDI files to learn from ({why})", "no_usable_files", skipped=told)
    train_segs, valid_segs = data.split(segments)
    folder = args.models_dir
    from musestudio.ml import engines

    present = [b for b in args.bases if ((folder or engines.models_dir()) / f"{b}.safetensors").is_file()]
    if not present:
        raise BadInputError(
            "none of the models a style can be learned for is installed (parts, continue_transformer)",
            "no_base_models",
            models=", ".join(args.bases),
        )
    bases = {b: load_base(b, folder, dev, args.max_len) for b in present}
    candidates = [
        s for s in next(iter(bases.values()))[0].styles() if all(s in b.styles() for b, _ in bases.values())
    ]
    if args.base_style is not None:
        if args.base_style not in candidates:
            raise BadInputError(
                f"a style can start only from a built-in style the models were trained on: {', '.join(candidates)}",
                "base_style_not_trained",
                styles=candidates,
            )
        style = args.base_style
    else:
        report({"event": "progress", "stage": "choosing", "fraction": 0.0, "seconds_left": args.minutes * 60})
        judge = bases.get("continue_transformer", next(iter(bases.values())))[0]  # the cheaper one
        most = min(CLOSEST_WINDOWS, scored_windows(args))
        style = _closest_style(judge, valid_segs, candidates, dev, most, lambda: _heard(segments))
    # the parts model's key prior comes after training (``_key_prior``): its time is kept out of the budget
    reserve = min(KEY_PRIOR_MAX_S, KEY_PRIOR_SHARE * args.minutes * 60) if "parts" in bases else 0.0
    clock = _Clock(t_start, args.minutes * 60 - reserve, cancel, report)
    clock.check()
    tensors: dict[str, torch.Tensor] = {}
    models: dict[str, dict] = {}
    kept: list[str] = []  # the bases whose layers beat the base model on the held-out music
    # the transformer first, for its steps (at most half the budget when the parts model follows); the
    # parts model then has all the time left
    order = sorted(bases, key=lambda stem: stem != "continue_transformer")
    for stem in order:
        base, weights = bases[stem]
        if stem == "continue_transformer":
            last = stem == order[-1]
            plan = _Plan(clock.until(1.0 if last else TRANSFORMER_CAP_SHARE), args.transformer_steps)
        else:
            plan = _Plan(clock.until(1.0))
        state, before, after, steps, seconds = _train_one(
            base, train_segs, valid_segs, style, args, clock, plan, dev
        )
        tensors.update({f"{stem}/{k}": v for k, v in state.items()})
        if after is not before:
            kept.append(stem)
        models[stem] = {
            "family": base.meta["family"],
            "sha256": learned.file_hash(weights),
            "rank": args.rank,
            "alpha": args.alpha,
            "targets": list(lora.TARGETS),
            # layers that never beat the base model stay at zero: then they read as the base does
            **(
                {"onset_order": args.onset_order if after is not before else "ascending"}
                if stem == "continue_transformer"
                else {}
            ),
            "steps": steps,
            "minutes": round(seconds / 60, 2),
            "valid_nll_before": round(before.per_token, 4),
            "valid_nll_after": round(after.per_token, 4),
            "valid_tokens": before.tokens,
            # the held-out notes the figures are on: all of them, or windows spread over them
            # (``scored_windows``): a short learning of a long file scores a few
            "valid_notes": before.notes,
        }
    clock.check()
    from safetensors.torch import save

    models = {stem: models[stem] for stem in present}  # in ``learned.BASES`` order, as before
    headline = models[present[0]]
    meta = {
        "format": learned.FORMAT,
        "format_version": learned.FORMAT_VERSION,
        "name": name,
        "from": style,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "method": {"kind": "lora", "rank": args.rank, "alpha": args.alpha, "targets": list(lora.TARGETS)},
        "models": models,
        "files": [s.source for s in segments],
        "skipped": [s.as_json() for s in skipped],
        "played_in": [s.source for s in segments if s.played_in],
        "bars": sum(s.bars for s in segments),
        "held_out_bars": sum(s.bars for s in valid_segs),
        "held_out_notes": sum(len(s.notes) for s in valid_segs),
        "held_out": "files" if len(segments) >= data.HOLD_OUT_FILES_FROM else "bars",
        "steps": sum(m["steps"] for m in models.values()),
        "minutes": round((time.monotonic() - t_start) / 60, 2),
        "budget_minutes": args.minutes,
        "device": str(dev),
        "valid_nll_before": headline["valid_nll_before"],
        "valid_nll_after": headline["valid_nll_after"],
    }
    blob = save(tensors, metadata={"format": learned.FORMAT})
    meta["name"], stem_out = learned.still_free(name, stem_out)
    saved = learned.write(stem_out, meta, blob)
    if "parts" in models:  # the style's own key prior: takes in the saved style (a cancel removes it)
        try:
            until = t_start + args.minutes * 60  # the end of the budget: the prior has what is kept for it
            meta["models"]["parts"].update(_key_prior(stem_out, meta, blob, segments, dev, clock, until))
        except BaseException:
            saved.config.unlink(missing_ok=True)  # the JSON first: a style without it is not listed
            saved.weights.unlink(missing_ok=True)
            raise
        meta["minutes"] = round((time.monotonic() - t_start) / 60, 2)
        saved = learned.write(stem_out, meta, blob)
    report({"event": "progress", "stage": "done", "fraction": 1.0, "seconds_left": 0.0})
    return {
        "style": saved.name,
        "asked_name": name,  # the style's name unless it was taken while learning (``learned.still_free``)
        "from": style,
        "files": len(segments),
        "skipped": meta["skipped"],
        "played_in": meta["played_in"],
        "dropped_ends": data.dropped_ends(segments),
        "bars": meta["bars"],
        "seconds": round(time.monotonic() - t_start, 1),
        "valid_nll_before": meta["valid_nll_before"],
        "valid_nll_after": meta["valid_nll_after"],
        "held_out_notes": meta["held_out_notes"],
        "valid_notes": headline["valid_notes"],  # the notes of those the two figures above are on
        "models": {
            k: {x: v[x] for x in ("steps", "valid_nll_before", "valid_nll_after", "valid_notes")}
            for k, v in models.items()
        },
        # no layers kept and no key prior of its own: the style plays exactly as the built-in one it
        # started from (a run of seconds, a handful of steps): the user is told, not left to hear it
        "plays_as_base": not kept and not (meta["models"].get("parts") or {}).get("degrees"),
        "path": str(saved.weights),
        "bytes": learned.size_on_disk(saved),
    }


# -- the child process the app runs -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m musestudio.ml.train.learn PATH... --name NAME [--from STYLE] [--minutes M] --events``:
    one JSON object a line on stdout (progress, checks, then ``done`` with the result or ``error``);
    SIGTERM cancels (nothing is saved)."""
    ap = argparse.ArgumentParser(prog="python -m musestudio.ml.train.learn")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--name", required=True)
    ap.add_argument("--from", dest="base_style")
    ap.add_argument("--minutes", type=float, default=8.0)
    ap.add_argument("--models-dir", type=Path)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-steps", type=int, default=10**9)
    ap.add_argument(
        "--nice",
        type=int,
        default=10,
        help="lower this process's priority by this much (the app stays quick)",
    )
    a = ap.parse_args(argv)
    if a.nice > 0 and hasattr(os, "nice"):
        os.nice(a.nice)  # background work: the window's process gets the CPU first when both want it
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancel.set())

    def emit(event: dict) -> None:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()

    args = LearnArgs(
        a.paths, a.name, a.base_style, a.minutes, a.models_dir, threads=a.threads, max_steps=a.max_steps
    )
    try:
        result = learn(args, emit, cancel)
    except Cancelled as e:
        emit({"event": "cancelled", "message": str(e)})
        return 1
    except BadInputError as e:  # its code and particulars too: the app says it in the user's language
        emit({"event": "error", **e.as_json()})
        return 2
    except OSError as e:  # the styles folder cannot be made (a file in its place, a full disk)
        # where: the file the OS names, else the folder the style was going to; the window words the reason
        where, why = str(e.filename or learned.styles_dir(create=False)), os_reason(e)
        message = f"cannot save the style ({where}): {why['message']}"
        params = {"where": where, "why": why}
        emit({"event": "error", "message": message, "code": "cannot_save_style", "params": params})
        return 2
    emit({"event": "done", **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
