"""The denoiser's training CLI on a tiny synthetic cache: it writes the best-on-valid file and, when asked,
snapshots every N steps that load and rewrite a phrase (the choice among them is made on valid S_tot)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from musestudio.core import KeySignature, Note, TimeSignature
from musestudio.ml import checkpoint, engines
from musestudio.ml.data.cache import CACHE_VERSION, split_of
from musestudio.ml.data.corpus import encode_piece
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.restyle import restyle
from musestudio.ml.train import denoiser


def _tune(style: str, i: int) -> dict:
    if style == "bach":
        notes = [Note(p + i % 3, b * 480 * 4, 480 * 4, 80) for b in range(8) for p in (48, 55, 64, 72)]
    else:
        notes = [Note(62 + (k % 6) * 2 + i % 2, k * 240, 240, 80) for k in range(64)]
    fields = {
        "notes": notes,
        "time_signatures": [TimeSignature(0, 4, 4)],
        "tempo_bpm": 100.0,
        "key_signature": KeySignature(2),
    }
    return encode_piece(f"synthetic/{style}/{i}", style, fields)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cache")
    for source, style in (("bach", "bach"), ("oneills", "celtic")):
        pieces = [_tune(style, i) for i in range(40) if split_of(f"synthetic/{style}/{i}") != "test"]
        assert {split_of(p["key"]) for p in pieces} >= {"train", "valid"}
        shard = root / f"v{CACHE_VERSION}" / source / "synthetic.json.gz"
        shard.parent.mkdir(parents=True)
        with gzip.open(shard, "wt") as f:
            json.dump({"source": source, "file": "synthetic", "pieces": pieces, "errors": []}, f)
    return root


def test_training_keeps_the_best_file_and_snapshots_that_rewrite(cache, tmp_path):
    out = tmp_path / "denoiser"
    argv = ["train", "--out", str(out), "--cache-dir", str(cache), "--minutes", "0.15", "--batch", "2"]
    argv += ["--embd", "16", "--hidden", "16", "--eval-every", "1", "--valid-batches", "1"]
    argv += ["--snapshot-every", "2", "--levels", "4", "--seed", "3", "--cosine", "--lr", "1e-3"]
    assert denoiser.main(argv) == 0
    _, _, meta = checkpoint.load(out, family="seq2seq")
    assert meta["training"]["levels"] == [4] and meta["training"]["cosine"] is True
    snaps = sorted(tmp_path.glob("denoiser_step*.json"))
    assert snaps, "no snapshot written"
    steps = [int(p.stem.split("_step")[1]) for p in snaps]
    assert all(s % 2 == 0 for s in steps)
    loaded = engines.load(snaps[-1].with_suffix(""))
    assert loaded.meta["training"]["steps"] == steps[-1]
    assert loaded.settings.levels == 4  # the highest level it was trained on
    phrase = [Note(60 + k % 5, k * 480, 480, 80) for k in range(8)]
    out_notes = restyle(phrase, Options(style="celtic", strength=1.0, seed=1), "seq2seq", model=loaded)
    assert all(n.duration > 0 and 0 <= n.start < 8 * 480 for n in out_notes)


def test_sketch_stats_store_each_styles_classes_per_bar_beside_the_files_other_settings(cache, tmp_path):
    from musestudio.ml.models.seq2seq import Config, Seq2Seq
    from musestudio.ml.tokenizer import Tokenizer

    tok = Tokenizer()
    config = Config(vocab_size=tok.vocab_size, n_styles=len(tok.styles), n_embd=8, style_dim=2, hidden=8)
    stem = tmp_path / "tiny"
    checkpoint.save(stem, Seq2Seq(config), config, tok.to_json(), {"levels": [4]})
    meta = json.loads(stem.with_suffix(".json").read_text())
    meta["inference"] = {"plausible": 0.03}
    stem.with_suffix(".json").write_text(json.dumps(meta))
    assert denoiser.main(["sketch-stats", "--model", str(stem), "--cache-dir", str(cache)]) == 0
    # the chorale bars sound C, E and G (shifted together); the folk line runs through six classes a bar
    settings = engines.load(stem).settings
    assert settings.sketch_classes == {"bach": 3.0, "celtic": 6.0} and settings.plausible == 0.03
