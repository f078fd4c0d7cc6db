"""Tiny base models and MIDI files for the learned-style tests: nothing depends on the shipped models."""

import struct
from pathlib import Path

import torch

from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.io.midi import write_midi
from musestudio.ml import checkpoint, engines
from musestudio.ml.models import parts as parts_model
from musestudio.ml.models import transformer
from musestudio.ml.parts_grammar import PartsGrammar
from musestudio.ml.tokenizer import Tokenizer
from tests.ml.parts_fixtures import chorale_like

TINY = {"n_layer": 1, "n_head": 2, "n_embd": 32, "dropout": 0.0}


def make_models(folder: Path, seed: int = 0) -> Path:
    """A random tiny ``parts`` and ``continue_transformer`` in ``folder`` (the app's models folder there)."""
    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    g = PartsGrammar()
    cfg = parts_model.Config(vocab_size=g.vocab_size, block_size=512, **TINY)
    extra = {"train_pieces": {"pop": 3, "celtic": 2}}
    checkpoint.save(folder / "parts", parts_model.Model(cfg), cfg, g.to_json(), extra, fp16=False)
    tok = Tokenizer()
    tcfg = transformer.Config(vocab_size=tok.vocab_size, block_size=256, **TINY)
    checkpoint.save(
        folder / "continue_transformer", transformer.Model(tcfg), tcfg, tok.to_json(), {}, fp16=False
    )
    engines.unload()
    return folder


def make_files(folder: Path, count: int = 3, bars: int = 16) -> list[Path]:
    """``count`` three-track MIDI files of ``bars`` bars (melody figure, chords, bass), in several keys."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        piece = chorale_like(bars, 60 + 2 * i, f"f{i}")
        tracks = tuple(
            Track(name=name, program=p.program, channel=c, notes=p.notes)
            for c, (name, p) in enumerate(zip(("Melody", "Chords", "Bass"), piece.parts, strict=True))
        )
        project = Project(tracks=tracks, ticks_per_beat=480, time_signatures=(TimeSignature(0, 4, 4),))
        path = folder / f"tune{i}.mid"
        write_midi(project, path)
        out.append(path)
    return out


def as_rmid(path: Path) -> Path:
    """The MIDI file ``path`` rewritten as an RMID file beside it (the MIDI file in a RIFF wrapper, named
    .rmi, as Windows wrote them); ``path`` itself is removed."""
    data = b"data" + struct.pack("<I", path.stat().st_size) + path.read_bytes()
    rmi = path.with_suffix(".rmi")
    rmi.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(data)) + b"RMID" + data)
    path.unlink()
    return rmi
