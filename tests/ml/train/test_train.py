"""The training CLI on a tiny synthetic cache: each family learns, runs are reproducible and resumable,
the best-on-valid checkpoint loads, and two CPU processes train together through torchrun (gloo)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from musestudio.core import KeySignature, Note, TimeSignature
from musestudio.ml import checkpoint
from musestudio.ml.data.cache import CACHE_VERSION, split_of
from musestudio.ml.data.corpus import encode_piece
from musestudio.ml.train.continuation import TrainArgs, parse_args, train_markov, train_neural


def _tune(style: str, i: int) -> dict:
    """A repetitive tune a tiny model can learn within a few dozen steps."""
    if style == "bach":
        notes = [Note(p + i % 3, b * 480, 480, 80) for b in range(32) for p in (48, 55, 64, 72)]
        sigs = [TimeSignature(0, 4, 4)]
    else:
        notes = [Note(62 + (k % 6) * 2 + i % 2, k * 240, 240, 80) for k in range(96)]
        sigs = [TimeSignature(0, 6, 8)]
    fields = {"notes": notes, "time_signatures": sigs, "tempo_bpm": 100.0, "key_signature": KeySignature(2)}
    return encode_piece(f"synthetic/{style}/{i}", style, fields)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cache")
    for source, style in (("bach", "bach"), ("oneills", "celtic")):
        pieces, seen = [], set()
        for i in range(200):
            split = split_of(f"synthetic/{style}/{i}")
            if split != "test" and (split not in seen or len(pieces) < 12):
                pieces.append(_tune(style, i))
                seen.add(split)
        assert seen == {"train", "valid"}
        shard = root / f"v{CACHE_VERSION}" / source / "synthetic.json.gz"
        shard.parent.mkdir(parents=True)
        with gzip.open(shard, "wt") as f:
            json.dump({"source": source, "file": "synthetic", "pieces": pieces, "errors": []}, f)
    return root


def _args(cache: Path, tmp: Path, model: str, **kw) -> TrainArgs:
    base = dict(
        model=model,
        out=tmp / f"{model}_model",
        preset="tiny",
        cache_dir=cache,
        run_dir=tmp / "run",
        styles=["bach", "celtic"],
        max_steps=40,
        batch_size=4,
        max_len=128,
        bars=(2, 4),
        lr=1e-2,
        warmup=5,
        eval_every=20,
        eval_windows=8,
        threads=1,
        device="cpu",
        log_every=1000,
    )
    base.update(kw)
    return TrainArgs(**base)


def _mean(xs):
    return sum(xs) / len(xs)


@pytest.mark.parametrize("family", ["transformer", "seq2seq"])
def test_loss_goes_down_and_best_checkpoint_loads(cache, tmp_path, family):
    info = train_neural(_args(cache, tmp_path, family))
    losses = info["train_losses"]
    assert _mean(losses[-5:]) < 0.7 * _mean(losses[:5])
    model, cfg, meta = checkpoint.load(tmp_path / f"{family}_model")
    assert meta["family"] == family and meta["training"]["valid_nll"] == pytest.approx(info["best"])
    assert meta["tokenizer"]["version"] == "events-v1"
    assert info["history"][-1]["valid_nll"] < info["history"][0]["valid_nll"] + 1e-9


def test_markov_counts_and_beats_uniform(cache, tmp_path):
    result = train_markov(_args(cache, tmp_path, "markov", orders=(2, 4), transpositions=1))
    _, cfg, meta = checkpoint.load(tmp_path / "markov_model")
    assert cfg.order == result["order"] == meta["training"]["order"]
    assert result["best"] < 0.25 * torch.log(torch.tensor(float(cfg.vocab_size))).item()


def test_same_seed_same_run_and_resume_continues(cache, tmp_path):
    a = train_neural(_args(cache, tmp_path / "a", "transformer", max_steps=8, eval_every=4))
    b = train_neural(_args(cache, tmp_path / "b", "transformer", max_steps=8, eval_every=4))
    assert a["train_losses"] == b["train_losses"]
    c = train_neural(_args(cache, tmp_path / "a", "transformer", max_steps=12, eval_every=4, resume=True))
    assert c["step"] == 12 and len(c["train_losses"]) == 12
    assert c["train_losses"][:8] == a["train_losses"]


def test_warm_start_trains_on_from_a_saved_model(cache, tmp_path):
    first = train_neural(_args(cache, tmp_path / "a", "transformer", max_steps=8, eval_every=8))
    saved = tmp_path / "a" / "transformer_model"
    more = train_neural(
        _args(cache, tmp_path / "b", "transformer", max_steps=8, eval_every=8, init=saved, preset="small")
    )
    # the preset is ignored: the config (and the weights) come from the saved model
    _, cfg, meta = checkpoint.load(tmp_path / "b" / "transformer_model")
    assert cfg == checkpoint.load(saved)[1] and meta["training"]["init"] == str(saved)
    # it starts where the first run ended, not from scratch
    assert more["train_losses"][0] < _mean(first["train_losses"][:2])
    with pytest.raises(SystemExit, match="not a seq2seq"):
        train_neural(_args(cache, tmp_path / "c", "seq2seq", max_steps=2, init=saved))


def test_cli_arguments_reach_the_run():
    args = parse_args(
        ["--model", "seq2seq", "--out", "x", "--bars", "2", "6", "--minutes", "1.5", "--resume"]
    )
    assert (args.model, args.bars, args.minutes, args.resume) == ("seq2seq", (2, 6), 1.5, True)


def test_two_cpu_processes_train_together_with_ddp(cache, tmp_path):
    torchrun = Path(sys.executable).with_name("torchrun")
    cmd = [
        str(torchrun),
        "--standalone",
        "--local-addr",  # loopback: no name look-up of this machine's hostname (it may not resolve)
        "127.0.0.1",
        "--nproc_per_node",
        "2",
        "-m",
        "musestudio.ml.train",
        "--model",
        "transformer",
        "--preset",
        "tiny",
        "--out",
        str(tmp_path / "ddp"),
        "--cache-dir",
        str(cache),
        "--run-dir",
        str(tmp_path / "run"),
        "--styles",
        "bach",
        "celtic",
        "--max-steps",
        "6",
        "--batch-size",
        "2",
        "--max-len",
        "128",
        "--bars",
        "2",
        "4",
        "--eval-every",
        "3",
        "--eval-windows",
        "4",
        "--threads",
        "1",
        "--device",
        "cpu",
    ]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2 process(es)" in proc.stdout
    meta = checkpoint.read_meta(tmp_path / "ddp")
    assert meta["training"]["batch_size"] == 4  # two ranks x two examples
    assert json.loads((tmp_path / "run" / "state.json").read_text())["step"] == 6
