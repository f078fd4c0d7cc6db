"""Small pieces with parts, and a tiny parts model, for the tests (no shared data needed)."""

from pathlib import Path

import torch

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint
from musestudio.ml.data.parts import PartsPiece
from musestudio.ml.data.parts_windows import Indexed, index
from musestudio.ml.parts_grammar import Part, PartsGrammar
from musestudio.ml.train.parts import build_model

TPB = 480
FIGURE = (0, 2, 4, 5, 7, 5, 4, 2)


def chorale_like(bars: int = 16, tonic: int = 60, key: str = "t0") -> PartsPiece:
    """A melody that repeats a figure, block chords I-IV-V-I, and a bass on the roots."""
    prog = [(0, 4, 7), (5, 9, 12), (7, 11, 14), (0, 4, 7)]
    melody, chords, bass = [], [], []
    for b in range(bars):
        for i, step in enumerate(FIGURE):
            melody.append(Note(tonic + 12 + step, b * 1920 + i * 240, 240, 80))
        triad = prog[b % 4]
        chords += [Note(tonic + p, b * 1920, 1920, 60) for p in triad]
        bass.append(Note(tonic - 24 + triad[0], b * 1920, 960, 90))
        bass.append(Note(tonic - 24 + triad[0] + 7, b * 1920 + 960, 960, 90))
    return PartsPiece(
        key=key,
        style="pop",
        split="train",
        tpb=TPB,
        parts=(
            Part("melody", 0, tuple(melody)),
            Part("harmony", 0, tuple(chords)),
            Part("bass", 32, tuple(bass)),
        ),
        time_signatures=(TimeSignature(0, 4, 4),),
        tempo_bpm=100.0,
        key_signature=KeySignature(tonic % 12, "major"),
    )


def tiny_corpus() -> list[Indexed]:
    return index([chorale_like(16, 60, "a"), chorale_like(12, 65, "b")])


def save_tiny_parts_model(stem: Path) -> Path:
    """An untrained tiny parts model saved at ``stem`` (the same weights every time: seeded): the engine's
    whole path runs on it in a blink, though what it writes is noise."""
    torch.manual_seed(0)
    grammar = PartsGrammar()
    model, cfg = build_model("tiny", grammar, 1024)
    checkpoint.save(stem, model, cfg, grammar.to_json(), {"inference": {}}, fp16=True)
    return stem
