"""Train a Continue engine on the data cache: ``python -m musestudio.ml.train --model markov|seq2seq|transformer``.

One script for a laptop and for a GPU cluster: CUDA when there is one, else the CPU; several processes with
``torchrun`` (DDP: gloo on CPUs, NCCL on GPUs), each drawing its own examples. Training stops after
``--minutes`` or ``--max-steps``, whichever comes first, with a cosine learning-rate schedule over that
budget. Every ``--eval-every`` steps rank 0 scores the fixed validation windows; the best model so far is
written as the shipped checkpoint (fp16 safetensors + JSON, see checkpoint.py) and the full training state
(fp32 weights, optimizer, step, clock, RNG) goes to a run folder in the user cache, so ``--resume`` continues
an interrupted run. Seeds are fixed: the same command on the same machine gives the same model.

The n-gram baseline has no steps: it counts the train split (with transposed copies, like the networks'
augmentation) once per order in ``--orders`` and keeps the order with the best validation NLL.

Validation NLL is nats per token over the body tokens (everything after the [BOS STYLE KEY METER] prefix,
which is given, not predicted), the same measure for all three families.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

from musestudio.ml import checkpoint
from musestudio.ml.data.cache import default_cache_dir, load_cache
from musestudio.ml.data.corpus import SOURCES
from musestudio.ml.data.windows import (
    WindowSampler,
    fixed_pairs,
    fixed_windows,
    index_pieces,
    transposed,
    transposition_range,
)
from musestudio.ml.engines import STREAM_ENGINES
from musestudio.ml.styles import STYLES
from musestudio.ml.tokenizer import Tokenizer
from musestudio.ml.train import nll
from musestudio.ml.train.batches import seq2seq_buckets, seq2seq_step, transformer_buckets, transformer_step
from musestudio.ml.train.loop import (
    Dist,
    all_agree,
    hardware,
    load_state,
    log,
    lr_at,
    save_state,
    seed_run,
    setup,
)

PRESETS: dict[str, dict[str, dict]] = {
    "transformer": {
        "tiny": {"n_layer": 1, "n_head": 2, "n_embd": 32, "dropout": 0.0},
        "small": {"n_layer": 4, "n_head": 4, "n_embd": 192, "dropout": 0.1},
        "base": {"n_layer": 6, "n_head": 8, "n_embd": 384, "dropout": 0.1},
    },
    "seq2seq": {
        "tiny": {"n_embd": 16, "style_dim": 4, "hidden": 32, "dropout": 0.0},
        "small": {"n_embd": 160, "style_dim": 32, "hidden": 384, "dropout": 0.1},
        "base": {
            "n_embd": 256,
            "style_dim": 64,
            "hidden": 768,
            "enc_layers": 2,
            "dec_layers": 2,
            "dropout": 0.2,
        },
    },
    "markov": {"tiny": {}, "small": {}, "base": {}},
}


@dataclass
class TrainArgs:
    model: str
    out: Path
    preset: str = "small"
    cache_dir: Path | None = None
    run_dir: Path | None = None
    styles: list[str] = field(default_factory=lambda: list(STYLES))
    minutes: float = 60.0
    max_steps: int = 10**9
    batch_size: int = 16
    max_len: int = 512
    bars: tuple[int, int] = (4, 16)
    fim_rate: float = 0.5
    lr: float = 1e-3
    warmup: int = 100
    weight_decay: float = 0.1
    eval_every: int = 250
    eval_windows: int = 120  # per style
    seed: int = 1234
    threads: int = 0
    device: str = "auto"
    resume: bool = False
    init: Path | None = None
    orders: tuple[int, ...] = (3, 4, 5, 6, 7)
    transpositions: int = 4
    max_markov_mb: float = 14.0
    log_every: int = 25


# -- models ---------------------------------------------------------------------------------------------


def build_model(args: TrainArgs, tok: Tokenizer):
    module = checkpoint.family_module(args.model)
    kw = dict(PRESETS[args.model][args.preset])
    if args.model == "transformer":
        cfg = module.Config(vocab_size=tok.vocab_size, block_size=args.max_len, **kw)
    elif args.model == "seq2seq":
        cfg = module.Config(
            vocab_size=tok.vocab_size,
            n_styles=len(tok.styles),
            max_src_len=args.max_len,
            pad_id=tok.pad_id,
            **kw,
        )
    else:
        cfg = module.Config(vocab_size=tok.vocab_size, **kw)
    return module.Model(cfg), cfg


def warm_start(args: TrainArgs):
    """The model and Config of a saved checkpoint, to train on from its weights (the preset is not used):
    a shipped fp16 model carries no optimizer state, so a longer run on a new machine starts from it afresh."""
    meta = checkpoint.read_meta(args.init)
    if meta["family"] != args.model:
        raise SystemExit(f"--init {args.init} is a {meta['family']} model, not a {args.model}")
    model, cfg, _ = checkpoint.load(args.init)
    return model.train(), cfg


def _optimizer(model, args: TrainArgs) -> torch.optim.Optimizer:
    if hasattr(model, "configure_optimizer"):
        return model.configure_optimizer(args.lr, args.weight_decay)
    return torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)


def _lr(args: TrainArgs, step: int, progress: float) -> float:
    """The shared schedule over the step or time budget."""
    return lr_at(args.lr, args.warmup, step, progress)


# -- training state (resume), never pickled -------------------------------------------------------------


def _run_dir(args: TrainArgs) -> Path:
    return args.run_dir or (default_cache_dir().parent / "runs" / Path(args.out).name)


# -- the loops ------------------------------------------------------------------------------------------


def _card(args: TrainArgs, pieces: int, extra: dict) -> dict:
    return {
        "data": {
            "styles": args.styles,
            "sources": sorted(s for s, st in SOURCES.items() if st in args.styles),
            "train_pieces": pieces,
            "splits": "SPLITS.md (sha1 of the piece key mod 20)",
        },
        "preset": args.preset,
        "seed": args.seed,
        "command": " ".join(["python -m musestudio.ml.train", *sys.argv[1:]]),
        **extra,
    }


def train_neural(args: TrainArgs) -> dict:
    d = setup(args.device)
    threads = args.threads or torch.get_num_threads()
    seed_run(args.seed + d.rank, args.threads if d.device.type == "cpu" else None)
    tok = Tokenizer()
    train_p = load_cache(args.cache_dir, "train", args.styles)
    valid_p = load_cache(args.cache_dir, "valid", args.styles)
    model, cfg = warm_start(args) if args.init is not None else build_model(args, tok)
    model.to(d.device)
    opt = _optimizer(model, args)
    run = _run_dir(args)
    info = {"step": 0, "elapsed": 0.0, "best": float("inf"), "tokens": 0, "history": []}
    if args.resume and (run / "state.safetensors").exists():
        info = load_state(run, model, opt)
        log(f"resumed from {run} at step {info['step']}", d)
    sampler = WindowSampler(
        train_p,
        tok,
        max_len=args.max_len,
        bars=args.bars,
        augment=True,
        seed=args.seed * 1000 + d.rank * 7919 + info["step"],
    )
    rng = random.Random(args.seed * 31 + d.rank + info["step"])
    if args.model == "transformer":
        valid = fixed_windows(valid_p, tok, bars=8, max_len=args.max_len, per_style=args.eval_windows)
        step_fn, eval_fn = transformer_step, (lambda m: nll.evaluate_lm(m, valid, tok, d.device))
        buckets = transformer_buckets(sampler, args.fim_rate, args.batch_size, rng)
    else:
        valid = fixed_pairs(valid_p, tok, max_len=args.max_len, per_style=args.eval_windows)
        step_fn, eval_fn = seq2seq_step, (lambda m: nll.evaluate_pairs(m, valid, tok, d.device))
        buckets = seq2seq_buckets(sampler, args.batch_size, rng)
    net = model
    if d.world > 1:
        from torch.nn.parallel import DistributedDataParallel

        net = DistributedDataParallel(model, device_ids=[d.device.index] if d.device.type == "cuda" else None)
    log(
        f"{args.model} {args.preset}: {model.num_params() / 1e6:.2f} M parameters, {len(train_p)} train / "
        f"{len(valid_p)} valid pieces, {len(valid)} valid windows, {hardware(d, threads)}",
        d,
    )
    budget = args.minutes * 60.0
    start = time.monotonic() - info["elapsed"]
    step = info_step0 = info["step"]
    running, last_eval = 0.0, None
    bar = None
    if d.main:
        from tqdm import tqdm

        bar = tqdm(
            total=args.max_steps if args.max_steps < TrainArgs.max_steps else None,  # else the clock decides
            initial=step,
            unit="step",
            file=sys.stderr,
            mininterval=10,
        )

    def do_eval() -> None:
        nonlocal last_eval
        result = eval_fn(model)
        last_eval = result
        entry = {
            "step": step,
            "minutes": round((time.monotonic() - start) / 60, 2),
            "valid_nll": result["nll"],
            "per_style": result["per_style"],
        }
        info["history"].append(entry)
        msg = f"step {step} valid {result['nll']:.4f} nats/token " + " ".join(
            f"{s}={v:.3f}" for s, v in result["per_style"].items()
        )
        if result["nll"] < info["best"]:
            info["best"] = result["nll"]
            info["best_per_style"] = result["per_style"]
            info["best_step"] = step
            extra = _card(
                args,
                len(train_p),
                {
                    "valid_nll": result["nll"],
                    "valid_nll_per_style": result["per_style"],
                    "step": step,
                    "tokens_seen": info["tokens"] * d.world,
                    "minutes": round((time.monotonic() - start) / 60, 1),
                    "hardware": hardware(d, threads),
                    "batch_size": args.batch_size * d.world,
                    "max_len": args.max_len,
                    "fim_rate": args.fim_rate if args.model == "transformer" else None,
                    "init": str(args.init) if args.init else None,
                },
            )
            checkpoint.save(args.out, model, cfg, tok.to_json(), extra)
            msg += "  (best: saved)"
        log(msg, d)
        info["elapsed"] = time.monotonic() - start
        save_state(run, model, opt, dict(info, step=step))

    model.train()
    while True:
        elapsed = time.monotonic() - start
        if step >= args.max_steps:  # the same step on every rank
            break
        # the clock differs between ranks, so they stop on the time budget only together, every 10 steps
        if (d.world == 1 or step % 10 == 0) and all_agree(elapsed >= budget, d):
            break
        progress = max(step / args.max_steps, elapsed / budget)
        for g in opt.param_groups:
            g["lr"] = _lr(args, step, progress)
        loss, n_tokens = step_fn(net, buckets.next(), tok, d.device)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        info["tokens"] += n_tokens
        running = loss.item() if step == info_step0 + 1 else 0.95 * running + 0.05 * loss.item()
        info.setdefault("train_losses", []).append(round(loss.item(), 4))
        if bar is not None:
            bar.update(1)
            if step % args.log_every == 0:
                bar.set_postfix(loss=f"{running:.3f}", lr=f"{opt.param_groups[0]['lr']:.1e}")
                print(
                    f"step {step} loss {running:.4f} tokens {info['tokens'] * d.world} "
                    f"{(time.monotonic() - start) / 60:.1f} min",
                    flush=True,
                )
        if step % args.eval_every == 0 and d.main:
            do_eval()
    if d.main:
        if last_eval is None or info["history"][-1]["step"] != step:
            do_eval()
        bar.close()
    if d.world > 1:
        import torch.distributed as dist

        dist.barrier()
        # DDP's reducer holds the process group: drop it first, so that gloo's threads end here, while the
        # interpreter is whole, rather than whenever the wrapper happens to be freed (see loop.setup)
        del net
        dist.destroy_process_group()
    info["step"] = step
    return info


def train_markov(args: TrainArgs) -> dict:
    """Count n-grams of the train split (plus transposed copies); keep the order best on valid."""
    d = Dist(0, 1, torch.device("cpu"))
    rng = random.Random(args.seed)
    tok = Tokenizer()
    train_p = load_cache(args.cache_dir, "train", args.styles)
    valid_p = load_cache(args.cache_dir, "valid", args.styles)
    valid = fixed_windows(valid_p, tok, bars=8, max_len=args.max_len, per_style=args.eval_windows)
    start = time.monotonic()
    seqs = []
    for ix in index_pieces(train_p):
        p = ix.piece
        lo, hi = transposition_range(ix.notes)
        shifts = {0} | {rng.randint(lo, hi) for _ in range(args.transpositions)} if lo <= hi else {0}
        for s in sorted(shifts):
            notes, key = transposed(ix.notes, p.key_signature, s)
            seqs.append(
                tok.encode(notes, tpb=p.tpb, time_signatures=p.time_signatures, key=key, style=p.style)
            )
    log(f"markov: {len(seqs)} sequences, {sum(map(len, seqs))} tokens from {len(train_p)} pieces", d)
    module = checkpoint.family_module("markov")
    best = None
    for order in args.orders:
        cfg = module.Config(vocab_size=tok.vocab_size, order=order)
        full = module.Model(cfg).fit(seqs)
        model, min_count = full, 1
        while _markov_mb(model) > args.max_markov_mb:  # prune rare long n-grams until the file fits
            min_count += 1
            model = module.Model(cfg)
            model.tables = list(full.tables)  # prune replaces tables, never edits them in place
            model.prune(min_count)
        result = nll.evaluate_markov(model, valid)
        log(
            f"order {order} (pruned below {min_count}): valid {result['nll']:.4f} nats/token, "
            f"{_markov_mb(model):.1f} MB " + " ".join(f"{s}={v:.3f}" for s, v in result["per_style"].items()),
            d,
        )
        if best is None or result["nll"] < best[0]["nll"]:
            best = (result, model, cfg, min_count)
    result, model, cfg, min_count = best
    extra = _card(
        args,
        len(train_p),
        {
            "valid_nll": result["nll"],
            "valid_nll_per_style": result["per_style"],
            "order": cfg.order,
            "pruned_below": min_count,
            "transpositions": args.transpositions,
            "minutes": round((time.monotonic() - start) / 60, 1),
            "hardware": hardware(d, 1),
        },
    )
    checkpoint.save(args.out, model, cfg, tok.to_json(), extra, fp16=False)
    log(f"saved order {cfg.order}: valid {result['nll']:.4f}", d)
    return {"best": result["nll"], "order": cfg.order, "per_style": result["per_style"]}


def _markov_mb(model) -> float:
    return sum(t.numel() * 8 for t in model.state_dict().values()) / 2**20


def parse_args(argv: Sequence[str] | None = None) -> TrainArgs:
    ap = argparse.ArgumentParser(prog="python -m musestudio.ml.train", description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, choices=sorted(STREAM_ENGINES))
    ap.add_argument(
        "--out", type=Path, required=True, help="checkpoint stem, e.g. models/continue_transformer"
    )
    ap.add_argument("--preset", default="small", choices=("tiny", "small", "base"))
    ap.add_argument("--cache-dir", type=Path)
    ap.add_argument(
        "--run-dir", type=Path, help="where the resumable training state goes (default: user cache)"
    )
    ap.add_argument("--styles", nargs="+", choices=list(STYLES), default=list(STYLES))
    for name, kind in (
        ("minutes", float),
        ("max-steps", int),
        ("batch-size", int),
        ("max-len", int),
        ("fim-rate", float),
        ("lr", float),
        ("warmup", int),
        ("weight-decay", float),
        ("eval-every", int),
        ("eval-windows", int),
        ("seed", int),
        ("threads", int),
        ("transpositions", int),
        ("max-markov-mb", float),
        ("log-every", int),
    ):
        ap.add_argument(f"--{name}", type=kind, default=getattr(TrainArgs, name.replace("-", "_")))
    ap.add_argument("--bars", type=int, nargs=2, default=list(TrainArgs.bars), metavar=("MIN", "MAX"))
    ap.add_argument("--orders", type=int, nargs="+", default=list(TrainArgs.orders))
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--resume", action="store_true")
    ap.add_argument(
        "--init", type=Path, help="start from this checkpoint's weights and config (e.g. the shipped model)"
    )
    ns = ap.parse_args(argv)
    kw = {k: v for k, v in vars(ns).items()}
    kw["bars"], kw["orders"] = tuple(ns.bars), tuple(ns.orders)
    return TrainArgs(**kw)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.model == "markov":
        train_markov(args)
    else:
        train_neural(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
