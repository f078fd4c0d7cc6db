"""The JSB Chorales benchmark (Boulanger-Lewandowski et al. 2012): data, training and evaluation.

Each chorale is a sequence of quarter-note frames, each frame the set of MIDI pitches sounding then. We
write a frame as its pitches from low to high followed by an end-of-frame token, so a frame's probability is
exactly the product of its tokens' probabilities, and "nats per frame" is comparable with the published
frame-level figures. Because the order inside a frame is fixed, a pitch at or below the one before it in the
same frame can never occur; the model's logits are masked to that, which keeps the token distribution a
proper distribution over sets of pitches (it only removes mass from impossible sequences).

It is independent of the app's tokenizer and data cache on purpose: the benchmark must use its published
train/valid/test split and nothing else (SPLITS.md). The model is our transformer family.

    python -m musestudio.ml.eval.jsb train --minutes 35 --threads 1
    python -m musestudio.ml.eval.jsb eval [--split test]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from musestudio.ml import checkpoint
from musestudio.ml.models.transformer import Config, MusicTransformer
from musestudio.ml.tokenizer import IGNORE_INDEX

N_PITCH = 128
EOF, BOS, PAD = 128, 129, 130
VOCAB_SIZE = 131
TOKENIZER = {"VERSION": "jsb-frames-1", "vocab_size": VOCAB_SIZE}  # what the model file says it reads
MODEL_STEM = "jsb_transformer"
# Published test NLL (nats per frame) for comparison.
PUBLISHED = {
    "LSTM (Chung et al. 2014)": 8.67,
    "GRU (Chung et al. 2014)": 8.54,
    "TCN (Bai et al. 2018)": 8.10,
    "RNN-NADE (Boulanger-Lewandowski et al. 2012)": 5.56,
}

Piece = list[list[int]]  # frames of sorted, distinct MIDI pitches


def data_dir() -> Path:
    """``jsb_chorales`` in the shared training data (``paths.shared_data_dir``)."""
    from musestudio.paths import shared_data_dir

    return shared_data_dir() / "jsb_chorales"


def load_split(split: str, folder: Path | None = None) -> list[Piece]:
    with open((folder or data_dir()) / "jsb-chorales-quarter.json", encoding="utf-8") as f:
        raw = json.load(f)[split]
    return [[sorted({int(p) for p in frame}) for frame in piece] for piece in raw]


def encode(piece: Piece, shift: int = 0) -> list[int]:
    ids = [BOS]
    for frame in piece:
        ids.extend(p + shift for p in frame)
        ids.append(EOF)
    return ids


def allowed_next(inputs: torch.Tensor) -> torch.Tensor:
    """Bool (B, T, V): what may follow each input token. After a pitch only higher pitches or EOF; after
    BOS/EOF (a frame starts) any pitch or EOF; BOS and PAD never."""
    floor = torch.where(inputs < N_PITCH, inputs, torch.full_like(inputs, -1))
    vocab = torch.arange(VOCAB_SIZE, device=inputs.device)
    pitch_ok = vocab[None, None, :N_PITCH] > floor[..., None]
    eof = torch.ones(*inputs.shape, 1, dtype=torch.bool, device=inputs.device)
    never = torch.zeros(*inputs.shape, 2, dtype=torch.bool, device=inputs.device)
    return torch.cat([pitch_ok, eof, never], dim=-1)


def masked_logits(model: MusicTransformer, inputs: torch.Tensor) -> torch.Tensor:
    logits, _, _ = model(inputs)
    return logits.float().masked_fill(~allowed_next(inputs), float("-inf"))


def batchify(seqs: list[list[int]], device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded inputs and next-token targets (padding targets ignored)."""
    n = max(len(s) for s in seqs) - 1
    x = torch.full((len(seqs), n), PAD, dtype=torch.long)
    y = torch.full((len(seqs), n), IGNORE_INDEX, dtype=torch.long)
    for i, s in enumerate(seqs):
        t = torch.tensor(s)
        x[i, : len(s) - 1] = t[:-1]
        y[i, : len(s) - 1] = t[1:]
    return x.to(device), y.to(device)


@torch.no_grad()
def evaluate(model: MusicTransformer, pieces: list[Piece], batch_size: int = 8) -> dict:
    """Exact NLL in nats per frame over a split (total NLL / total frames, as the TCN evaluation code does),
    with and without the first frame of each piece (the TCN/Chung setups predict frames 2..T only)."""
    model.eval()
    device = next(model.parameters()).device
    total = first = 0.0
    frames = 0
    for i in range(0, len(pieces), batch_size):
        chunk = pieces[i : i + batch_size]
        x, y = batchify([encode(p) for p in chunk], device)
        logits = masked_logits(model, x)
        nll = F.cross_entropy(logits.transpose(1, 2), y, ignore_index=IGNORE_INDEX, reduction="none")
        total += float(nll.sum())
        for j, p in enumerate(chunk):
            first += float(nll[j, : len(p[0]) + 1].sum())
        frames += sum(len(p) for p in chunk)
    n_pieces = len(pieces)
    return {
        "nll_per_frame": total / frames,
        "nll_per_frame_after_first": (total - first) / (frames - n_pieces),
        "frames": frames,
        "pieces": n_pieces,
    }


def default_config() -> Config:
    return Config(vocab_size=VOCAB_SIZE, block_size=800, n_layer=4, n_head=4, n_embd=192, dropout=0.25)


def train(
    out_stem: Path,
    minutes: float,
    threads: int,
    seed: int = 0,
    batch_size: int = 8,
    lr: float = 1e-3,
    transpose: int = 6,
    config: Config | None = None,
    init: Path | None = None,
    dropout: float | None = None,
    log=print,
) -> dict:
    """Train on the train split (transposed by up to +-``transpose`` semitones), keep the best-on-valid
    weights, stop after ``minutes`` or when valid has not improved for 8 epochs. ``init`` continues from a
    saved model (a second stage with its own schedule, e.g. with less ``dropout``)."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_set, valid_set = load_split("train"), load_split("valid")
    start_from = load(init) if init else None
    cfg = start_from.config if start_from else (config or default_config())
    if dropout is not None:
        cfg = dataclasses.replace(cfg, dropout=dropout)
    model = MusicTransformer(cfg).to(device)
    if start_from:
        model.load_state_dict(start_from.state_dict())
    opt = model.configure_optimizer(lr, weight_decay=0.1)
    log(f"jsb: {model.num_params() / 1e6:.2f}M parameters, {len(train_set)} train chorales, device {device}")
    steps_per_epoch = math.ceil(len(train_set) / batch_size)
    warmup = 2 * steps_per_epoch
    started = time.monotonic()
    best, best_state, stale, epoch, step = math.inf, None, 0, 0, 0
    history = []
    if start_from:  # the second stage only replaces the first's weights if it beats them on valid
        best = evaluate(model, valid_set)["nll_per_frame"]
        best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        log(f"starting from {init}: valid {best:.3f} nats/frame")
    budget = minutes * 60
    while time.monotonic() - started < budget and stale < 8:
        epoch += 1
        model.train()
        order = sorted(range(len(train_set)), key=lambda i: len(train_set[i]) + rng.random() * 20)
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        seen = loss_sum = 0
        for idx in batches:
            seqs = []
            for i in idx:
                lo = min(min(f) for f in train_set[i] if f)
                hi = max(max(f) for f in train_set[i] if f)
                shift = rng.randint(-transpose, transpose) if transpose else 0
                shift = max(-lo, min(N_PITCH - 1 - hi, shift))
                seqs.append(encode(train_set[i], shift))
            x, y = batchify(seqs, device)
            progress = min(1.0, (time.monotonic() - started) / budget)
            for g in opt.param_groups:  # warm-up, then cosine over the time budget
                g["lr"] = (
                    lr
                    * min(1.0, (step + 1) / warmup)
                    * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
                )
            logits = masked_logits(model, x)
            loss = F.cross_entropy(logits.transpose(1, 2), y, ignore_index=IGNORE_INDEX)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            n = int((y != IGNORE_INDEX).sum())
            seen += n
            loss_sum += loss.item() * n
        valid = evaluate(model, valid_set)
        history.append(
            {
                "epoch": epoch,
                "train_nll_per_token": loss_sum / seen,
                **{f"valid_{k}": v for k, v in valid.items()},
            }
        )
        improved = valid["nll_per_frame"] < best
        if improved:
            best, stale = valid["nll_per_frame"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            stale += 1
        log(
            f"epoch {epoch:3d}  {time.monotonic() - started:6.0f}s  train {loss_sum / seen:.4f} nats/token  "
            f"valid {valid['nll_per_frame']:.3f} nats/frame{'  *' if improved else ''}"
        )
    model.load_state_dict(best_state)
    info = {
        "data": "JSB Chorales quarter-note frames, train split only (229 chorales); best epoch chosen on valid",
        "augmentation": f"random transposition by up to +-{transpose} semitones per chorale per epoch",
        "epochs": epoch,
        "steps": step,
        "seconds": round(time.monotonic() - started),
        "threads": threads,
        "device": str(device),
        "seed": seed,
        "best_valid_nll_per_frame": best,
        "params": model.num_params(),
        "history": history,
    }
    if init:
        info["continued_from"] = checkpoint.read_meta(init).get("training", {})
    checkpoint.save(out_stem, model, cfg, tokenizer_json=dict(TOKENIZER), extra=info)
    log(f"saved {out_stem} (best valid {best:.3f} nats/frame)")
    return info


def model_stem() -> Path:
    from musestudio.paths import models_dir

    return models_dir() / MODEL_STEM


def load(stem: str | Path) -> MusicTransformer:
    """The benchmark transformer at ``stem``; a Continue transformer (another vocabulary) is refused."""
    model, _, meta = checkpoint.load(stem, family="transformer")
    if meta.get("tokenizer") != TOKENIZER:
        raise checkpoint.CheckpointError(
            f"model file {checkpoint.paths(stem)[1]} holds a transformer with another vocabulary, not the "
            "JSB benchmark model expected here"
        )
    return model


def report(split: str = "test", stem: Path | None = None) -> dict:
    """Load the shipped benchmark model and score it on ``split``; the figures ``evaluate jsb`` prints."""
    stem = stem or model_stem()
    model, meta = load(stem), checkpoint.read_meta(stem)
    result = evaluate(model, load_split(split))
    return {
        "benchmark": "JSB Chorales (quarter-note frames)",
        "split": split,
        "units": "nats per frame",
        **result,
        "published": PUBLISHED,
        "training": meta.get("training", {}),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m musestudio.ml.eval.jsb", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", type=Path, default=None)
    t.add_argument("--minutes", type=float, default=35)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--transpose", type=int, default=6)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--init", type=Path, default=None, help="continue from this saved model")
    t.add_argument("--dropout", type=float, default=None)
    e = sub.add_parser("eval")
    e.add_argument("--split", default="test", choices=["train", "valid", "test"])
    e.add_argument("--model", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "train":
        train(
            args.out or model_stem(),
            args.minutes,
            args.threads,
            args.seed,
            lr=args.lr,
            transpose=args.transpose,
            init=args.init,
            dropout=args.dropout,
            log=lambda s: print(s, flush=True),
        )
    else:
        json.dump(report(args.split, args.model), sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
