"""What the user asked for (a Request), what came back (Takes), and which engines are installed.

All plain data and torch-free, so the panel can show which engines and styles exist by reading the model
files' JSON halves, without loading a model or importing torch at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature

CONTINUE, RESTYLE, REGENERATE = "continue", "restyle", "regenerate"

#: mode -> engines in the order offered (the first is the default) and the model file each one reads
ENGINES: dict[str, tuple[str, ...]] = {
    CONTINUE: ("transformer", "seq2seq", "markov"),
    RESTYLE: ("gan", "seq2seq"),
    REGENERATE: ("transformer",),
}
MODEL_STEMS: dict[tuple[str, str], str] = {
    (CONTINUE, "transformer"): "continue_transformer",
    (CONTINUE, "seq2seq"): "continue_seq2seq",
    (CONTINUE, "markov"): "continue_markov",
    (RESTYLE, "gan"): "restyle_gan",
    (RESTYLE, "seq2seq"): "restyle_seq2seq",
    (REGENERATE, "transformer"): "continue_transformer",
}


def model_files(mode: str, engine: str):
    """(weights, config) paths of the model an engine runs on."""
    from musestudio.paths import models_dir

    stem = models_dir() / MODEL_STEMS[(mode, engine)]
    return stem.with_name(stem.name + ".safetensors"), stem.with_name(stem.name + ".json")


def missing_model(mode: str, engine: str) -> str | None:
    """None when the engine's model files are there, else the message to show."""
    for path in model_files(mode, engine):
        if not path.is_file():
            return f"The model file {path} is missing. Install or train it (see models/README.md) to use this engine."
    return None


def trained_styles(mode: str, engine: str) -> tuple[str, ...] | None:
    """The styles the engine's model was trained on, from its JSON file; None when unknown or missing."""
    try:
        meta = json.loads(model_files(mode, engine)[1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tables = [meta.get(part) for part in ("tokenizer", "config")] if isinstance(meta, dict) else []
    styles = next((t["styles"] for t in tables if isinstance(t, dict) and t.get("styles")), None)
    ok = isinstance(styles, list) and all(isinstance(s, str) for s in styles)  # a damaged file: unknown
    return tuple(styles) if ok else None


@dataclass(frozen=True)
class Request:
    mode: str
    engine: str
    style: str
    notes: tuple[Note, ...]  # the seed (Continue), the phrase (Restyle) or the whole track (Regenerate)
    tpb: int
    time_signatures: tuple[TimeSignature, ...]
    bars: int = 4
    temperature: float = 1.0
    top_p: float = 0.95
    variations: int = 4
    key: KeySignature | None = None
    key_lock: bool = False
    pitch_range: tuple[int, int] = (0, 127)
    seed: int = 0
    device: str = "auto"
    strength: float = 1.0  # Restyle only
    after: int = 0  # Continue: start at the first bar line at or after this tick (the playhead)
    start: int = 0  # Regenerate: the range to fill
    end: int = 0
    replaces: frozenset[int] = frozenset()  # ids of notes a kept take takes the place of
    track_id: int = -1


@dataclass(frozen=True)
class Take:
    """One variation, scored, as the Takes panel lists it."""

    number: int  # 1.. in the order the model made them (stays with the take when sorted)
    notes: tuple[Note, ...]
    start: int  # first tick of the bars the take covers
    end: int
    engine: str
    style: str
    seed: int
    realness: float | None
    style_probability: float | None
    critic: float
    features: object = None  # taste.TakeFeatures
    taste: float | None = None
    score: float = 0.0
    why: str = "critic"


@dataclass(frozen=True)
class Outcome:
    """What a job hands back: the takes best first and where the time went."""

    request: Request
    takes: tuple[Take, ...]
    device: str
    seconds: dict[str, float] = field(default_factory=dict)  # "load", "generate", "score"
    left_out: tuple[str, ...] = ()  # why a judge with damaged model files was left out of the ranking
