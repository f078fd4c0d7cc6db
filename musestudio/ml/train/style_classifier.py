"""Train and test the style judge (``models/style_classifier.py``): accuracy per style on fixed windows.

CLI: ``python -m musestudio.ml.train.style_classifier train|evaluate ...``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from musestudio.ml import checkpoint
from musestudio.ml.data.rolls import RollSampler, load_step_pieces
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


def train(args) -> None:
    seed_run(args.seed, args.threads)
    config = Config(styles=list(args.styles), hidden=args.hidden)
    train_sampler = RollSampler(load_step_pieces("train", config.styles, args.cache_dir), len(config.styles))
    valid_sampler = RollSampler(load_step_pieces("valid", config.styles, args.cache_dir), len(config.styles))
    valid = [valid_sampler.fixed(40, n, seed=100 + n) for n in EVAL_STEPS]
    model = Model(config)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    rng = np.random.default_rng(args.seed)
    best, started, losses = -1.0, time.time(), []
    for step in range(1, args.steps + 1):
        model.train()
        x, y = train_sampler.sample(rng, args.batch, int(rng.choice(EVAL_STEPS)), transpose=6)
        loss = nn.functional.cross_entropy(
            model(torch.from_numpy(x)), torch.from_numpy(y), label_smoothing=0.05
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
        if step % args.eval_every == 0 or step == args.steps:
            acc = float(np.mean([accuracy_per_style(model, vx, vy)["mean"] for vx, vy in valid]))
            print(
                f"step {step} loss {np.mean(losses[-args.eval_every :]):.3f} valid acc {acc:.3f} "
                f"({time.time() - started:.0f}s)",
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
                        "seconds": time.time() - started,
                        "hardware": "CPU, 1 thread",
                        "batch": args.batch,
                        "seed": args.seed,
                    },
                )
    print(f"best valid accuracy {best:.3f}")


def _save(stem, model, config, extra) -> None:
    checkpoint.save(stem, model, config, None, extra)


def load(stem: str | Path | None = None) -> Model:
    """The shipped classifier (``models/style_classifier``) or the one at ``stem``, on the CPU."""
    from musestudio.paths import models_dir

    model, _, _ = checkpoint.load(stem or models_dir() / "style_classifier", family="style_classifier")
    return model


def evaluate(args) -> dict:
    """Accuracy per style on ``args.split`` for 2, 4 and 8 bar windows (4/4 lengths)."""
    torch.set_num_threads(args.threads)
    model = load(args.model)
    sampler = RollSampler(
        load_step_pieces(args.split, model.config.styles, args.cache_dir), len(model.config.styles)
    )
    result = {}
    for n in EVAL_STEPS:
        x, y = sampler.fixed(args.per_style, n, seed=1000 + n)
        result[f"{n // 16}_bars"] = accuracy_per_style(model, x, y)
    return result


def main(argv: Sequence[str] | None = None) -> int:
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
    e = sub.add_parser("evaluate")
    e.add_argument("--model", default=None)
    e.add_argument("--split", default="test", choices=("valid", "test"))
    e.add_argument("--per-style", type=int, default=200)
    for p in (t, e):
        p.add_argument("--cache-dir", type=Path, default=None)
        p.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    if args.command == "train":
        train(args)
    else:
        print(json.dumps(evaluate(args), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
