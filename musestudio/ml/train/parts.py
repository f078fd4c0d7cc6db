"""Train the parts model: ``python -m musestudio.ml.train.parts --out DIR [--minutes M] [--preset small]``.

One recipe for every task at once (windows.py draws continue / add / infill / listed examples in one
stream), conditioned on style and key through the sequence prefix. Built for the 2-core CPU: one thread,
a small relative-attention transformer, a cosine learning rate over a wall-clock budget, and a fixed set
of validation windows scored every ``--eval-minutes``. On a CUDA machine (``--device auto`` finds it) the
same recipe runs in bf16 autocast with ``--workers`` processes drawing the examples: there the Python
sampler, not the GPU, is what a step waits for; the best-on-valid model is written to
``DIR/parts_best.{safetensors,json}`` (fp32, so nothing is lost before export) with the figures that
chose it, and ``DIR/train.log`` gets a line per evaluation. ``export`` writes the shipped fp16 pair:
``python -m musestudio.ml.train.parts export DIR/parts_best models/parts``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from musestudio.ml import checkpoint
from musestudio.ml.data import parts as parts_data
from musestudio.ml.data.parts_windows import IGNORE_INDEX, TASKS, Example, WindowSampler, index, targets
from musestudio.ml.models.parts import Config, Model
from musestudio.ml.parts_grammar import PartsGrammar
from musestudio.ml.sampling import pick_device
from musestudio.ml.train.loop import file_logger, load_state, lr_at, save_state, seed_run

PRESETS = {
    "tiny": {"n_layer": 1, "n_head": 2, "n_embd": 32, "dropout": 0.0},
    "small": {"n_layer": 4, "n_head": 4, "n_embd": 192, "dropout": 0.0},  # < 2 epochs on the CPU: no dropout
    "base": {"n_layer": 6, "n_head": 8, "n_embd": 384, "dropout": 0.1},
}


@dataclass
class TrainArgs:
    out: Path
    preset: str = "small"
    sources: tuple[str, ...] = parts_data.SOURCES
    cache_dir: Path | None = None
    minutes: float = 60.0
    max_steps: int = 10**9
    batch_size: int = 8
    max_len: int = 1024
    bars: tuple[int, int] = (8, 16)
    lr: float = 1.5e-3
    warmup: int = 50
    weight_decay: float = 0.1
    eval_minutes: float = 5.0
    eval_examples: int = 24  # per task
    seed: int = 1234
    threads: int = 1
    #: a checkpoint (path without suffix) to start from instead of random weights: a longer run can go on
    #: where an earlier one stopped, on more sources, without paying again for what it already learned
    init: Path | None = None
    #: go on from ``out/state`` (written at every evaluation): weights, optimizer, step, clock, the
    #: example sampler's generator, best and history, so an interrupted run ends as it would have
    resume: bool = False
    device: str = "auto"
    #: processes drawing training examples (0: in the training loop, the only way ``--resume`` ends with the
    #: weights an uninterrupted run would have: with workers the draws depend on which worker runs first)
    workers: int = 0


class _Batches(torch.utils.data.IterableDataset):
    """Training batches from a sampler of its own in each worker process (seeded apart), so a GPU step
    never waits for one Python process drawing 8-16-bar windows."""

    def __init__(self, items, grammar: PartsGrammar, args: TrainArgs) -> None:
        self.items, self.grammar, self.args = items, grammar, args

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        seed = self.args.seed + 7919 * (1 + (info.id if info else 0))
        a = self.args
        sampler = WindowSampler(self.items, self.grammar, max_len=a.max_len, bars=a.bars, seed=seed)
        while True:
            yield batch([sampler.example() for _ in range(a.batch_size)], self.grammar)


def batch(examples: Sequence[Example], grammar: PartsGrammar) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(e.tokens) for e in examples)
    x = torch.full((len(examples), n), grammar.pad_id, dtype=torch.long)
    y = torch.full((len(examples), n), IGNORE_INDEX, dtype=torch.long)
    for i, e in enumerate(examples):
        x[i, : len(e.tokens)] = torch.tensor(e.tokens)
        y[i, : len(e.tokens)] = torch.tensor(targets(grammar, e.tokens))
    return x, y


def fixed_examples(sampler: WindowSampler, per_task: int) -> list[Example]:
    return [sampler.example(task) for task in TASKS for _ in range(per_task)]


@torch.no_grad()
def evaluate(
    model: Model, examples: Sequence[Example], grammar: PartsGrammar, bs: int = 8
) -> dict[str, float]:
    """Nats per scored token, over all examples and per task."""
    was = model.training
    model.eval()
    tot: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    dev = next(model.parameters()).device
    for i in range(0, len(examples), bs):
        chunk = examples[i : i + bs]
        x, y = (t.to(dev) for t in batch(chunk, grammar))
        with _autocast(dev):
            logits, _, _ = model(x)
        nll = torch.nn.functional.cross_entropy(
            logits.transpose(1, 2).float(), y, ignore_index=IGNORE_INDEX, reduction="none"
        )
        for e, row, yy in zip(chunk, nll, y, strict=True):
            m = yy != IGNORE_INDEX
            for k in ("all", e.task):
                tot[k][0] += float(row[m].sum())
                tot[k][1] += int(m.sum())
    model.train(was)
    return {k: s / max(1, n) for k, (s, n) in tot.items()}


def _autocast(dev: torch.device):
    """bf16 on CUDA (the GPU's fast path; the loss is taken in fp32 by the model), nothing on the CPU."""
    return torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.type == "cuda")


def build_model(preset: str, grammar: PartsGrammar, block_size: int) -> tuple[Model, Config]:
    cfg = Config(vocab_size=grammar.vocab_size, block_size=block_size, **PRESETS[preset])
    return Model(cfg), cfg


def train(args: TrainArgs, log=print) -> dict:
    t0 = time.monotonic()
    seed_run(args.seed, args.threads)
    grammar = PartsGrammar()
    train_items = index(parts_data.load(args.cache_dir, "train", args.sources))
    valid_items = index(parts_data.load(args.cache_dir, "valid", args.sources))
    if not train_items or not valid_items:
        raise SystemExit("no cached pieces: run python -m musestudio.ml.data.parts build first")
    sampler = WindowSampler(train_items, grammar, max_len=args.max_len, bars=args.bars, seed=args.seed)
    valid = fixed_examples(
        WindowSampler(valid_items, grammar, max_len=args.max_len, bars=args.bars, seed=args.seed + 1),
        args.eval_examples,
    )
    model, cfg = build_model(args.preset, grammar, args.max_len)
    if args.init is not None:
        start, start_cfg, start_meta = checkpoint.load(args.init)
        if start_cfg != cfg or start_meta["tokenizer"] != grammar.to_json():
            raise SystemExit(f"{args.init}: another preset or grammar than this run's; cannot start from it")
        model.load_state_dict({k: v.float() for k, v in start.state_dict().items()})
        log(f"starting from {args.init} (step {start_meta['training'].get('step')})")
    dev = pick_device(args.device)
    model.to(dev)
    draws = (
        iter(
            torch.utils.data.DataLoader(_Batches(train_items, grammar, args), None, num_workers=args.workers)
        )
        if args.workers > 0
        else None
    )
    opt = model.configure_optimizer(args.lr, args.weight_decay)
    styles = sorted({it.piece.style for it in train_items})
    counts = {s: sum(1 for it in train_items if it.piece.style == s) for s in styles}
    log(f"train pieces {counts}; valid pieces {len(valid_items)}; params {model.num_params():,}; {dev}")
    args.out.mkdir(parents=True, exist_ok=True)
    budget = args.minutes * 60
    state_dir = args.out / "state"
    info = {"step": 0, "elapsed": 0.0, "best": math.inf, "tokens": 0, "history": []}
    if args.resume and (state_dir / "state.safetensors").exists():
        info = load_state(state_dir, model, opt)
        sampler.rng.setstate(_rng_state(info["sampler_rng"]))
        t0 -= info["elapsed"]  # the budget counts the minutes already spent
        log(f"resumed from {state_dir} at step {info['step']}")
    best, step, tokens, history = info["best"], info["step"], info["tokens"], info["history"]
    last_eval = time.monotonic()
    model.train()

    def run_eval() -> None:
        nonlocal best
        scores = evaluate(model, valid, grammar)
        elapsed = (time.monotonic() - t0) / 60
        history.append({"step": step, "minutes": round(elapsed, 2), **scores})
        improved = scores["all"] < best
        if improved:
            best = scores["all"]
            extra = {
                "step": step,
                "minutes": round(elapsed, 2),
                "tokens_seen": tokens,
                "valid_nll": scores,
                "sources": list(args.sources),
                "train_pieces": counts,
                "args": {k: str(v) for k, v in asdict(args).items()},
                "inference": INFERENCE,
            }
            checkpoint.save(args.out / "parts_best", model, cfg, grammar.to_json(), extra, fp16=False)
        log(
            f"eval step {step} min {elapsed:.1f} tokens {tokens} valid "
            + " ".join(f"{k}={v:.3f}" for k, v in sorted(scores.items()))
            + (" *best" if improved else "")
        )
        state = {"step": step, "elapsed": time.monotonic() - t0, "best": best, "tokens": tokens}
        save_state(state_dir, model, opt, dict(state, history=history, sampler_rng=sampler.rng.getstate()))

    while step < args.max_steps:
        frac = (time.monotonic() - t0) / budget
        if frac >= 1:
            break
        lr = lr_at(args.lr, args.warmup, step, frac)
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = (
            next(draws)
            if draws is not None
            else batch([sampler.example() for _ in range(args.batch_size)], grammar)
        )
        x, y = x.to(dev, non_blocking=True), y.to(dev, non_blocking=True)
        with _autocast(dev):
            _, loss, _ = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += int((y != IGNORE_INDEX).sum())
        if step % 10 == 0:
            log(
                f"step {step} loss {loss.item():.3f} lr {lr:.2e} tok/s {tokens / (time.monotonic() - t0):.0f}"
            )
        if time.monotonic() - last_eval >= args.eval_minutes * 60:
            run_eval()
            last_eval = time.monotonic()
    run_eval()
    (args.out / "history.json").write_text(json.dumps(history, indent=1))
    return {"best": best, "steps": step, "history": history}


def _rng_state(saved) -> tuple:
    """``random.Random.getstate()`` back from its JSON form (lists where it had tuples)."""
    version, internal, gauss = saved
    return version, tuple(internal), gauss


#: the inference settings the shipped file carries (``engines.Settings``), chosen on the valid split
INFERENCE = {"temperature": 0.9, "top_p": 0.95, "develop": 3.0}


#: chooses the key prior for a parts model's weights on the train split and stores it in its JSON
KEY_PRIOR_COMMAND = "python -m musestudio.ml.eval.parts_key --calibrate 3 --split train --per-style 30 --variations 2 --seed 5 --write"


def export(src: Path, dst: Path) -> tuple[Path, Path]:
    """The shipped pair: the checkpoint's weights as fp16, its JSON as it is plus ``INFERENCE``.

    The key prior (``inference.degrees``) is not carried over: it makes up for one set of weights' own
    calibration, so new weights need it chosen again (``KEY_PRIOR_COMMAND``, which ``main`` prints)."""
    model, cfg, meta = checkpoint.load(src)
    weights, config = checkpoint.save(dst, model, cfg, meta["tokenizer"], meta["training"], fp16=True)
    shipped = json.loads(config.read_text(encoding="utf-8"))
    shipped["inference"] = {**INFERENCE, **(meta["training"].get("inference") or {})}
    return weights, checkpoint.write_meta(dst, shipped)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "export":
        ap = argparse.ArgumentParser(prog="python -m musestudio.ml.train.parts export")
        ap.add_argument("src", type=Path)
        ap.add_argument("dst", type=Path)
        a = ap.parse_args(argv[1:])
        for p in export(a.src, a.dst):
            print(p, f"{p.stat().st_size / 1e6:.2f} MB")
        print(f"no key prior yet: choose it for these weights with\n  {KEY_PRIOR_COMMAND} --model {a.dst}")
        return 0
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.train.parts", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--preset", choices=list(PRESETS), default="small")
    ap.add_argument("--sources", nargs="*", choices=parts_data.SOURCES, default=list(parts_data.SOURCES))
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--max-steps", type=int, default=10**9)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--max-len", type=int, default=1024)
    ap.add_argument("--min-bars", type=int, default=8)
    ap.add_argument("--max-bars", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--eval-minutes", type=float, default=5.0)
    ap.add_argument("--eval-examples", type=int, default=24)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="auto", help="auto (CUDA when there is one), cpu or cuda")
    ap.add_argument("--workers", type=int, default=0, help="processes drawing the examples (a GPU wants ~14)")
    ap.add_argument(
        "--init", type=Path, default=None, help="start from this checkpoint (path without suffix)"
    )
    ap.add_argument(
        "--resume", action="store_true", help="go on from OUT/state (written at every evaluation)"
    )
    a = ap.parse_args(argv)
    args = TrainArgs(
        out=a.out,
        preset=a.preset,
        sources=tuple(a.sources),
        cache_dir=a.cache_dir,
        minutes=a.minutes,
        max_steps=a.max_steps,
        batch_size=a.batch_size,
        max_len=a.max_len,
        bars=(a.min_bars, a.max_bars),
        lr=a.lr,
        eval_minutes=a.eval_minutes,
        eval_examples=a.eval_examples,
        seed=a.seed,
        threads=a.threads,
        init=a.init,
        resume=a.resume,
        device=a.device,
        workers=a.workers,
    )
    log = file_logger(args.out / "train.log")
    result = train(args, log)
    log(f"done: best valid {result['best']:.4f} after {result['steps']} steps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
