"""The style judge: names the style of a 2-8 bar phrase from its piano roll.

A model of its own rather than the GAN's discriminator: a judge trained alongside the generator learns
whatever the generator happens to get wrong, so it would flatter it. This one is trained once on the
train split with transposition augmentation (so it hears idiom, not key) and then frozen; it scores the
Restyle metrics and feeds the app's style meter ("sounds 82% Celtic").

The network is a dilated temporal CNN over the onset/frame planes and a bar-line channel (receptive field
of about two 4/4 bars), pooled by mean and max over time, so it reads phrases of any length.

CLI: ``python -m musestudio.ml.style_classifier train|evaluate ...``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.pianoroll import RollSpec
from musestudio.ml.restyle_data import WindowSampler, input_channels, load_step_pieces, phrase_input
from musestudio.ml.sampling import fast_stepwise

DEFAULT_STYLES = ("bach", "palestrina", "celtic", "chinese", "german", "classical", "pop", "jazz")
#: Window lengths trained and tested on: 2, 4 and 8 bars of 4/4 in sixteenths.
EVAL_STEPS = (32, 64, 128)


@dataclass
class Config:
    styles: list[str] = field(default_factory=lambda: list(DEFAULT_STYLES))
    low: int = 24
    high: int = 108
    steps_per_beat: int = 4
    hidden: int = 96
    dilations: list[int] = field(default_factory=lambda: [1, 2, 4, 8])
    dropout: float = 0.1

    @property
    def spec(self) -> RollSpec:
        return RollSpec(self.low, self.high, self.steps_per_beat)


class Model(nn.Module):
    family = "style_classifier"

    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        h = config.hidden
        self.inp = nn.Conv1d(input_channels(config.spec), h, 3, padding=1)
        self.blocks = nn.ModuleList(nn.Conv1d(h, h, 3, padding=d, dilation=d) for d in config.dilations)
        self.norms = nn.ModuleList(nn.GroupNorm(1, h) for _ in config.dilations)
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * h, len(config.styles))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Style logits (B, styles) for inputs (B, 2P+1, T)."""
        h = torch.relu(self.inp(x))
        for conv, norm in zip(self.blocks, self.norms, strict=True):
            h = h + torch.relu(norm(conv(self.drop(h))))
        return self.head(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1))


def probabilities(
    model: Model, notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature], origin: int = 0
) -> dict[str, float]:
    """Style -> probability for the phrase that starts at bar line ``origin`` (the style meter's reading)."""
    spec = model.config.spec
    step = spec.step_ticks(tpb)
    end = max((n.end for n in notes), default=origin + step)
    n_steps = max(1, -(-(end - origin) // step))
    x = torch.from_numpy(phrase_input(notes, tpb, time_signatures, origin, n_steps, spec))[None]
    device = next(model.parameters()).device
    with fast_stepwise(device):  # one small forward pass: a second thread only adds waiting
        p = torch.softmax(model(x.to(device)), dim=1)[0].cpu()
    return {s: float(v) for s, v in zip(model.config.styles, p, strict=True)}


# -- training and evaluation ---------------------------------------------------------------------------


def fixed_windows(sampler: WindowSampler, n_per_style: int, n_steps: int, seed: int):
    """The same evaluation windows every time: ``n_per_style`` per style, no augmentation."""
    rng = np.random.default_rng(seed)
    styles = np.repeat(sampler.styles, n_per_style)
    return sampler.sample(rng, len(styles), n_steps, styles=styles)


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
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    config = Config(styles=list(args.styles), hidden=args.hidden)
    train_sampler = WindowSampler(
        load_step_pieces("train", config.styles, args.cache_dir), len(config.styles)
    )
    valid_sampler = WindowSampler(
        load_step_pieces("valid", config.styles, args.cache_dir), len(config.styles)
    )
    valid = [fixed_windows(valid_sampler, 40, n, seed=100 + n) for n in EVAL_STEPS]
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
    from musestudio.ml import checkpoint

    checkpoint.save(stem, model, config, None, extra)


def load(stem: str | Path | None = None, device: str = "cpu") -> Model:
    """The shipped classifier (``models/style_classifier``) or the one at ``stem``."""
    from musestudio.ml import checkpoint
    from musestudio.paths import models_dir

    model, _, _ = checkpoint.load(
        stem or models_dir() / "style_classifier", device, family="style_classifier"
    )
    return model


def evaluate(args) -> dict:
    """Accuracy per style on ``args.split`` for 2, 4 and 8 bar windows (4/4 lengths)."""
    torch.set_num_threads(args.threads)
    model = load(args.model)
    sampler = WindowSampler(
        load_step_pieces(args.split, model.config.styles, args.cache_dir), len(model.config.styles)
    )
    result = {}
    for n in EVAL_STEPS:
        x, y = fixed_windows(sampler, args.per_style, n, seed=1000 + n)
        result[f"{n // 16}_bars"] = accuracy_per_style(model, x, y)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.style_classifier", description=__doc__.splitlines()[0]
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
