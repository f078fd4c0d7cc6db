"""Train and test the style judge (``models/style_classifier.py``): accuracy per style on fixed windows.

Two kinds of input (``style_textures``): single streams (the single-stream cache, what the rewrite engines
are judged on) and whole textures (real ones from the parts cache, and the lead-sheet rule's under every
style's tunes). ``--textures`` trains on both; ``evaluate`` reports accuracy on each kind. Training also
draws some styles' phrases with their values halved or doubled (``style_time_scale``, ``--time-scale-share``),
and ``evaluate --time-scales`` reports every style's single streams halved and doubled.

``train`` makes one judge; ``ensemble`` packs judges trained apart (own seeds) into the one file the app
reads, whose probabilities are their mean (``models/style_classifier.py``).

CLI: ``python -m musestudio.ml.train.style_classifier train|ensemble|evaluate ...``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from musestudio.ml import checkpoint
from musestudio.ml.data.rolls import RollSampler, to_step_piece
from musestudio.ml.models.style_classifier import DEFAULT_STYLES, Config, Model
from musestudio.ml.train.loop import seed_run

#: Window lengths trained and tested on: 2, 4 and 8 bars of 4/4 in sixteenths.
EVAL_STEPS = (32, 64, 128)


def accuracy_per_style(model: Model, x: np.ndarray, y: np.ndarray, batch: int = 128) -> dict[str, float]:
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            preds.append(model(torch.from_numpy(x[i : i + batch])).argmax(1).numpy())
    pred = np.concatenate(preds)
    out = {model.config.styles[s]: float((pred[y == s] == s).mean()) for s in np.unique(y)}
    out["mean"] = float(np.mean(list(out.values())))
    return out


def samplers(split: str, styles: Sequence[str], cache_dir=None, textures: bool = True) -> dict:
    """{kind: RollSampler} for ``split``: ``single`` streams, and with ``textures`` the ``real`` textures
    (the parts cache, merged) and the ``rule`` textures (``style_textures``), each style-balanced."""
    from musestudio.ml.data.cache import load_cache
    from musestudio.ml.train import style_textures as T

    pieces = [p for p in load_cache(cache_dir, split=split, styles=list(styles)) if p.notes]
    missing = set(styles) - {p.style for p in pieces}
    if missing:  # the single-stream cache is built source by source: the parts cache's streams meanwhile
        pieces += [p for p in T.parts_single_streams(split, sorted(missing))]
    single = [
        sp
        for p in pieces
        if (sp := to_step_piece(p.notes, p.tpb, p.time_signatures, list(styles).index(p.style))) is not None
    ]
    out = {"single": RollSampler(single, len(styles))}
    if textures:
        out["real"] = RollSampler(T.merged_parts_pieces(split, styles), len(styles))
        out["rule"] = RollSampler(T.rule_pieces(pieces, styles, seed=7), len(styles))
    return out


def time_scaled_sets(
    sampler: RollSampler, style_ids: Sequence[str], per_style: int, seed: int = 2000
) -> dict:
    """{"halved_N_bars" / "doubled_N_bars": (x, y)}: every style's single streams with values halved and
    doubled (``style_time_scale``), fixed windows of 2, 4 and 8 bars: does the judge hear the idiom or the
    notation?"""
    from musestudio.ml.train import style_time_scale as TS

    notated = [p for group in sampler.by_style for p in group]
    out = {}
    for scale in ("halved", "doubled"):
        every = {s: (scale,) for s in style_ids}
        pool = RollSampler(TS.scaled_pieces(notated, style_ids, every), len(style_ids), sampler.min_notes)
        for n in EVAL_STEPS:
            out[f"{scale}_{n // 16}_bars"] = pool.fixed(per_style, n, seed=seed + n)
    return out


def _scaled_text(scaled: dict) -> str:
    """One log line's worth of time-scaled accuracy: the mean per scale, and per style over the lengths."""
    parts = []
    for scale in ("halved", "doubled"):
        rows = [v for k, v in scaled.items() if k.startswith(scale)]
        per = {s: np.mean([r[s] for r in rows]) for s in rows[0] if s != "mean"} if rows else {}
        styles = " ".join(f"{s[:4]} {v:.2f}" for s, v in per.items())
        parts.append(f"{scale} {np.mean([r['mean'] for r in rows]):.3f} ({styles})")
    return " ".join(parts)


def _valid_sets(kinds: dict, per_style: int) -> dict:
    return {
        k: [s.fixed(per_style, n, seed=100 + n) for n in EVAL_STEPS] for k, s in kinds.items() if s.styles
    }


def _valid_accuracy(model, sets: dict) -> dict[str, float]:
    return {
        k: float(np.mean([accuracy_per_style(model, x, y)["mean"] for x, y in v])) for k, v in sets.items()
    }


def train(args) -> None:
    from musestudio.ml.train.style_textures import TexturedSampler

    seed_run(args.seed, args.threads)
    teacher = None
    if args.init:
        model = load(args.init)
        config = model.config
        if config.members > 1:
            raise SystemExit(f"{args.init} is an ensemble: fine-tune one judge, then pack them (ensemble)")
        if args.textures and args.distill > 0:
            teacher = load(args.init).eval()
    else:
        config = Config(styles=list(args.styles), hidden=args.hidden)
        model = Model(config)
    kinds = samplers("train", config.styles, args.cache_dir, args.textures)
    if args.time_scale_share > 0:  # the styles' other notations (style_time_scale), notated pieces kept
        from musestudio.ml.train.style_time_scale import TimeScaledSampler

        for k in ("single", "real"):
            if k in kinds:
                kinds[k] = TimeScaledSampler(kinds[k], config.styles, args.time_scale_share)
    if args.textures:
        train_sampler = TexturedSampler(kinds["single"], kinds["real"], kinds["rule"])
    else:
        train_sampler = kinds["single"]
    for k, s in kinds.items():
        print(
            f"train {k}: " + ", ".join(f"{config.styles[i]} {len(s.by_style[i])}" for i in s.styles),
            flush=True,
        )
    valid_kinds = samplers("valid", config.styles, args.cache_dir, args.textures)
    valid = _valid_sets(valid_kinds, 40)
    scaled_valid = time_scaled_sets(valid_kinds["single"], config.styles, 40)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    rng = np.random.default_rng(args.seed)
    best, started, losses = -1.0, time.time(), []
    for step in range(1, args.steps + 1):
        model.train()
        x, y = train_sampler.sample(rng, args.batch, int(rng.choice(EVAL_STEPS)), transpose=6)
        logits = model(torch.from_numpy(x))
        loss = nn.functional.cross_entropy(logits, torch.from_numpy(y), label_smoothing=0.05)
        if teacher is not None:  # single streams: stay what the first judge was there (distillation)
            rows = torch.from_numpy(train_sampler.last_kinds == 0)
            if rows.any():
                with torch.no_grad():
                    target = torch.softmax(teacher(torch.from_numpy(x[rows.numpy()])), dim=1)
                kl = nn.functional.kl_div(
                    torch.log_softmax(logits[rows], dim=1), target, reduction="batchmean"
                )
                loss = loss + args.distill * kl
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
        if step % args.eval_every == 0 or step == args.steps:
            per_kind = _valid_accuracy(model, valid)
            acc = float(np.mean(list(per_kind.values())))  # single streams and textures count alike
            scaled = {k: accuracy_per_style(model, x, y) for k, (x, y) in scaled_valid.items()}
            kinds_text = " ".join(f"{k} {v:.3f}" for k, v in per_kind.items())
            kinds_text += " | " + _scaled_text(scaled)
            print(
                f"step {step} loss {np.mean(losses[-args.eval_every :]):.3f} valid acc {acc:.3f} "
                f"({kinds_text}) ({time.time() - started:.0f}s)",
                flush=True,
            )
            if acc > best:
                best = acc
                _save(
                    args.out,
                    model,
                    config,
                    {
                        "steps": step,
                        "valid_accuracy": acc,
                        "valid_accuracy_by_kind": per_kind,
                        "textures": bool(args.textures),
                        "init": str(args.init) if args.init else None,
                        "distill": args.distill if teacher is not None else 0.0,
                        "time_scale_share": args.time_scale_share,
                        "seconds": time.time() - started,
                        "hardware": "CPU, 1 thread",
                        "batch": args.batch,
                        "seed": args.seed,
                    },
                )
    print(f"best valid accuracy {best:.3f}")


def ensemble(out: str | Path, stems: Sequence[str | Path]) -> Model:
    """The judges at ``stems`` (each one judge or an ensemble) as one ensemble written to ``out``: every
    member kept as trained, its training record listed in the file's. They must hear alike: the same
    styles, roll and network settings (only the seed differs)."""
    judges = [checkpoint.load(stem, family="style_classifier") for stem in stems]
    first = judges[0][1]
    for stem, (_, c, _) in zip(stems, judges, strict=True):
        if replace(c, members=1) != replace(first, members=1):
            raise SystemExit(f"{stem} does not hear as {stems[0]} does: its settings differ")
    members = [m for model, _, _ in judges for m in model.members]
    config = replace(first, members=len(members))
    model = Model(config)
    for mine, theirs in zip(model.members, members, strict=True):
        mine.load_state_dict(theirs.state_dict())
    records = [
        {"stem": Path(stem).name, **meta.get("training", {})}
        for stem, (_, _, meta) in zip(stems, judges, strict=True)
    ]
    _save(out, model, config, {"ensemble_of": records})
    return model


def _save(stem, model, config, extra) -> None:
    checkpoint.save(stem, model, config, None, extra)


def load(stem: str | Path | None = None) -> Model:
    """The shipped classifier (``models/style_classifier``) or the one at ``stem``, on the CPU."""
    from musestudio.paths import models_dir

    model, _, _ = checkpoint.load(stem or models_dir() / "style_classifier", family="style_classifier")
    return model


def evaluate(args) -> dict:
    """Accuracy per style on ``args.split`` for 2, 4 and 8 bar windows (4/4 lengths), on single streams
    and (``--textures``) on real and rule textures (``style_textures``); the windows of each kind are the
    same for every model."""
    torch.set_num_threads(args.threads)
    model = load(args.model)
    kinds = samplers(args.split, model.config.styles, args.cache_dir, args.textures)
    result = {}
    for kind, sampler in kinds.items():
        if not sampler.styles:
            continue
        for n in EVAL_STEPS:
            x, y = sampler.fixed(args.per_style, n, seed=1000 + n)
            key = f"{n // 16}_bars" if kind == "single" else f"{kind}_{n // 16}_bars"
            result[key] = accuracy_per_style(model, x, y)
    if args.time_scales:
        for key, (x, y) in time_scaled_sets(kinds["single"], model.config.styles, args.per_style).items():
            result[key] = accuracy_per_style(model, x, y)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    from musestudio.ml.train.style_time_scale import SHARE

    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.train.style_classifier", description=__doc__.splitlines()[0]
    )
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", default="models/style_classifier")
    t.add_argument("--styles", nargs="+", default=list(DEFAULT_STYLES))
    t.add_argument("--steps", type=int, default=3000)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--hidden", type=int, default=96)
    t.add_argument("--lr", type=float, default=3e-3)
    t.add_argument("--eval-every", type=int, default=250)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--init", default=None, help="start from this classifier (fine-tune) instead of scratch")
    t.add_argument(
        "--distill",
        type=float,
        default=1.0,
        help="with --init and --textures: weight of keeping the first judge's verdicts on single streams",
    )
    t.add_argument(
        "--time-scale-share",
        type=float,
        default=SHARE,
        help="share of a time-scaled style's phrases drawn halved or doubled (style_time_scale); 0: none",
    )
    p = sub.add_parser("ensemble", help="pack judges trained apart into one file (their mean probability)")
    p.add_argument("--out", default="models/style_classifier")
    p.add_argument("--members", nargs="+", required=True, help="the judges' stems, the first the main one")
    e = sub.add_parser("evaluate")
    e.add_argument("--model", default=None)
    e.add_argument("--split", default="test", choices=("valid", "test"))
    e.add_argument("--per-style", type=int, default=200)
    e.add_argument(
        "--time-scales",
        action="store_true",
        help="also every style's single streams with values halved and doubled (halved_N_bars, doubled_N_bars)",
    )
    for p in (t, e):
        p.add_argument("--cache-dir", type=Path, default=None)
        p.add_argument("--threads", type=int, default=1)
        p.add_argument(
            "--textures",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="also whole textures: real (parts cache) and the lead-sheet rule's under every style",
        )
    args = ap.parse_args(argv)
    if args.command == "train":
        train(args)
    elif args.command == "ensemble":
        model = ensemble(args.out, args.members)
        print(f"{args.out}: {model.config.members} judges, their probabilities averaged")
    else:
        print(json.dumps(evaluate(args), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
