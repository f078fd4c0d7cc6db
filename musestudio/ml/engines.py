"""The one registry and the one model cache: mode -> engine -> model file -> family -> class.

Every model the app, the CLI and the evaluations run is named here once: which engines each mode offers (the
first is the default), the file in ``models/`` each one reads, and the family that file must hold (the
family string then names its classes in ``checkpoint.FAMILIES``). What is installed and which styles an
engine knows come from the model files' JSON halves, so this module imports neither torch nor numpy: the
window reads it at start-up. The first ``load`` imports torch (through ``checkpoint``) on the worker thread.

Loaded models are kept in one cache keyed by (model file, device): another models folder is another file,
and the same file on the CPU and on a GPU are two entries. A file that changed or went away since it was
loaded (retrained, deleted) is read again, so the cache never answers for a file that is not there.
``unload`` empties it.

A model file may carry the inference settings it was tuned for under ``"inference"`` in its JSON
(``Settings``: guidance weight, temperature, top-p, corruption levels, voices); what it leaves out takes
today's values, so every shipped file behaves as it always has. The denoiser's corruption levels default to
the highest level it was trained on (``training.levels``), which its JSON records.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from musestudio.core.errors import BadInputError, error_json
from musestudio.ml.parts_grammar import MAX_PARTS as MAX_PARTS  # the most pitched tracks parts reads

CONTINUE, RESTYLE, REGENERATE, ADD_PART = "continue", "restyle", "regenerate", "add_part"
#: Restyle's default mode (issue 14): the tune kept, the style's parts written under it by the parts model
#: (``generate.arrange``); RESTYLE is then its Rewrite mode (the whole phrase rewritten by gan/seq2seq)
ARRANGE = "arrange"
MODES = (CONTINUE, RESTYLE, REGENERATE, ADD_PART, ARRANGE)
PARTS = "parts"  # the multi-part model (issue 13): every track is a part that hears the others
#: the Continue engines that read and write one stream of notes (``generate.continuation``)
STREAM_ENGINES = ("transformer", "seq2seq", "markov")
#: mode -> engines kept as the evaluation's floor (``evaluate continue``, ``musestudio-cli continue --engine``)
#: but not offered in the app. The n-gram model writes the same take whatever the style (its conditioning
#: tokens fall out of its context after a few notes), puts 64% of its notes in key and stacks up to 11
#: voices on a single-line seed: a musician who picks a style and gets none of it is misled, and the
#: transformer is better on every count at a speed that does not matter at the app's sizes.
FLOORS: dict[str, tuple[str, ...]] = {CONTINUE: ("markov",)}

#: mode -> engines in the order offered (the first is the default). The parts engine is Continue's default,
#: for one track as for many: it matches the transformer on NLL per style and beats it on every musicality
#: measure (issue 13; models/README.md, "parts"); the single-stream engines stay offered after it.
ENGINES: dict[str, tuple[str, ...]] = {
    CONTINUE: (PARTS, *(e for e in STREAM_ENGINES if e not in FLOORS[CONTINUE])),
    RESTYLE: ("gan", "seq2seq"),
    # Regenerate selection: parts fills the bars hearing every other track (and its own bars around them);
    # the transformer reads the active track alone and, over the bundled two-track seeds, wrote more than
    # two voices into a single-line melody in 62-100% of its takes at 2.2-3.4x the seed's density (parts:
    # none, 0.7-1.8x). So parts is the default here too (the engine list's first)
    REGENERATE: (PARTS, "transformer"),
    ADD_PART: (PARTS,),
    ARRANGE: (PARTS,),
}
#: engine -> the sampling temperature a request starts from (the panel's and the CLI's default): the parts
#: model's is the one its figures were measured at (``"inference"`` in models/parts.json); the others' 1.0
TEMPERATURES: dict[str, float] = {PARTS: 0.9}
#: the share of chance a request draws from (the panel's and the CLI's default)
TOP_P = 0.95
#: An engine with a learned style's layers draws from their whole distribution (temperature 1, top-p 1):
#: the layers are fitted to the user's music, and what a lower temperature or the nucleus cuts of them is
#: the user's rarer events (a pop style's drops from the tune to the accompaniment). The Continue
#: transformer's takes came closer to the user's other files on 8 of 9 histograms over three sets at top-p
#: 1 (session 10); the parts engine's, against its 0.9 / 0.95, on 14 of 18 (three sets, their other files
#: and their own; piano eighths 71% of onsets at 0.9 against the pieces' 45-59%: models/README.md,
#: "Learned styles", session 15)
LEARNED_TEMPERATURE = 1.0
LEARNED_TOP_P = 1.0
LEARNED_ENGINES = ("transformer", PARTS)  # the engines a learned style has layers for


@dataclass(frozen=True)
class TooManyParts:
    """A piece the parts engine cannot read: its ``pitched`` tracks (drums and the empty tracks it does not
    write do not count: ``reads_as_part``) and the ``new`` parts to add among them are more than the
    ``most`` it reads."""

    pitched: int
    new: int
    most: int

    @property
    def room(self) -> int:
        """How many new parts the piece has room for."""
        return max(0, self.most - self.pitched)


def too_many_parts(pitched: int, new: int = 0) -> TooManyParts | None:
    """The one rule of how many parts the parts engine reads: the ``pitched`` tracks it reads
    (``reads_as_part``) with the ``new`` parts to add among them, at most ``MAX_PARTS``. None when they
    fit; else what does not fit, all each front (the window, the CLI, the engine itself) needs to say it
    in its own words."""
    return TooManyParts(pitched, new, MAX_PARTS) if pitched + new > MAX_PARTS else None


def no_room_for(tracks: Sequence[Sequence]) -> list[int]:
    """The positions among the pitched ``tracks`` (each its notes) of the empty ones Continue in every track
    writes nothing in: all of them fit while the parts engine has room, else the first, in track order,
    take the room left. The tracks with music come first: the musician asked for them to go on, and an
    empty track the engine has no room for stays as it is (the window and the CLI say so) rather than keep
    every track from going on."""
    empty = [i for i, notes in enumerate(tracks) if not notes]
    too_many = too_many_parts(len(tracks) - len(empty), len(empty))
    return [] if too_many is None else empty[too_many.room :]


def reads_as_part(notes: Sequence, written: bool) -> bool:
    """The one rule of which pitched tracks the parts engine reads (and ``too_many_parts`` counts): a track
    with ``notes``, or one the request is ``written`` into (an empty one is then a new part, as Continue in
    every track writes it). An empty track it only hears is left out: it has nothing to hear, the model met
    no part silent throughout (the corpus drops them), and it would take the place of a part with music.
    It stays in the piece as it is; the window, the CLI and the engine itself ask this."""
    return bool(notes) or written


def _with_learned_layers(engine: str | None, style: str | None) -> bool:
    """A style that is not built in is a learned one (the picker and ``--style`` hold nothing else), so
    this reads no style file: the panel asks on every change of engine or style."""
    from musestudio.ml.styles import STYLES

    return engine in LEARNED_ENGINES and bool(style) and style not in STYLES


def default_temperature(engine: str | None, style: str | None = None) -> float:
    """The temperature a request starts from for ``engine`` in ``style`` (the user's own value wins)."""
    if _with_learned_layers(engine, style):
        return LEARNED_TEMPERATURE
    return TEMPERATURES.get(engine or "", 1.0)


def default_top_p(engine: str | None, style: str | None) -> float:
    """The top-p a request starts from for ``engine`` in ``style`` (the user's own value overrides it)."""
    return LEARNED_TOP_P if _with_learned_layers(engine, style) else TOP_P


#: (mode, engine) -> the model file (stem in ``models/``) it runs on
STEMS: dict[tuple[str, str], str] = {
    (CONTINUE, "transformer"): "continue_transformer",
    (CONTINUE, "seq2seq"): "continue_seq2seq",
    (CONTINUE, "markov"): "continue_markov",
    (RESTYLE, "gan"): "restyle_gan",
    (RESTYLE, "seq2seq"): "restyle_seq2seq",
    (REGENERATE, "transformer"): "continue_transformer",
    (CONTINUE, PARTS): "parts",
    (REGENERATE, PARTS): "parts",
    (ADD_PART, PARTS): "parts",
    (ARRANGE, PARTS): "parts",
}
#: the critic's judges and the phrase embedding the taste model reads
REALNESS, STYLE_JUDGE, EMBEDDING = "restyle_gan_critic", "style_classifier", "continue_seq2seq"
JSB = "jsb_transformer"  # the JSB Chorales benchmark model
#: stem -> the family its file must hold: every model file in models/ is listed here
FAMILIES: dict[str, str] = {
    "continue_transformer": "transformer",
    "continue_seq2seq": "seq2seq",
    "continue_markov": "markov",
    "restyle_gan": "gan_denoiser",  # issue 14: the denoiser fine-tuned against a critic (was "gan", rolls)
    "restyle_seq2seq": "seq2seq",
    REALNESS: "gan_critic",
    STYLE_JUDGE: "style_classifier",
    JSB: "transformer",
    "parts": "parts",
}


@dataclass(frozen=True)
class Settings:
    """Inference settings a model was tuned for (read from its JSON's ``"inference"``; these are the defaults).

    ``temperature``/``top_p``/``guidance`` drive the Restyle denoiser's sampling (Continue takes the user's
    temperature and top-p from the request), ``levels`` is how many corruption levels the denoiser's
    strength is spread over, and ``voices`` the most pitches a restyled take sounds at once. ``develop`` is the
    parts engine's seed-figure bias (``generate.parts_stream``); Continue and Add a part take the user's
    temperature and top-p, the file's ``temperature`` being only the default of a request that gives none.
    """

    temperature: float = 0.8
    top_p: float = 1.0  # no nucleus cut: the grammar mask keeps the stream well formed
    guidance: float = 8.0  # style guidance weight, chosen on the valid split (models/README.md)
    plausible: float = 0.1  # guidance boosts only tokens at least this likely relative to the target's best
    levels: int = 4
    voices: int = 6  # a chorale has 4, a pop piano part rarely more than 6
    develop: float = 3.0  # parts: how strongly a single line reuses its figures (chosen on valid)
    # Restyle denoiser: per target style, the pitch classes a bar of its full-strength sketch holds (its
    # training sketches' mean; ``generate.denoiser.matched_classes``); None: the source's own, as trained
    sketch_classes: dict[str, float] | None = None

    @classmethod
    def from_meta(cls, meta: dict) -> Settings:
        given = dict(meta.get("inference") or {})
        trained_levels = (meta.get("training") or {}).get("levels")
        if "levels" not in given and trained_levels:
            given["levels"] = max(trained_levels)
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in given.items() if k in names})


@dataclass(frozen=True)
class Loaded:
    """A model ready to run: in eval mode on its device, with its Config, JSON, tokenizer and settings."""

    model: Any
    config: Any
    meta: dict
    tokenizer: Any  # a Tokenizer for token models, None for roll models
    settings: Settings
    path: Path
    device: str

    @classmethod
    def in_memory(cls, model: Any, tokenizer: Any = None, settings: Settings | None = None) -> Loaded:
        """A model that was never saved (a test's tiny network, a training run's current weights)."""
        params = getattr(model, "parameters", None)
        device = str(next(iter(params())).device) if params is not None else "cpu"
        config = getattr(model, "config", None)
        return cls(model, config, {}, tokenizer, settings or Settings(), Path("<memory>"), device)


def models_dir() -> Path:
    from musestudio import paths

    return paths.models_dir()


def stem_path(stem: str) -> Path:
    return models_dir() / stem


def engine_stem(mode: str, engine: str) -> str:
    """The model file an engine runs on; a BadInputError names the engines there are."""
    if (mode, engine) not in STEMS:
        raise BadInputError(f"unknown {mode} engine {engine!r}; choose one of {', '.join(ENGINES[mode])}")
    return STEMS[(mode, engine)]


def model_files(mode: str, engine: str) -> tuple[Path, Path]:
    """(weights, config) paths of the model an engine runs on."""
    stem = stem_path(engine_stem(mode, engine))
    return stem.with_name(stem.name + ".safetensors"), stem.with_name(stem.name + ".json")


def missing_model(mode: str, engine: str) -> str | None:
    """None when the engine's model files are there, else the message to show (the command line's)."""
    missing = missing_model_error(mode, engine)
    return None if missing is None else str(missing)


def missing_model_error(mode: str, engine: str) -> BadInputError | None:
    """None when the engine's model files are there, else a BadInputError naming the first one missing
    (``where``), which the window words in the user's language."""
    for path in model_files(mode, engine):
        if not path.is_file():
            return BadInputError(
                f"The model file {path} is missing. Install or train it (see models/README.md) to use this engine.",
                "model_missing_install",
                where=str(path),
            )
    return None


def installed(mode: str) -> tuple[str, ...]:
    """The engines of ``mode`` whose model files are there, in the order offered."""
    return tuple(e for e in ENGINES[mode] if missing_model(mode, e) is None)


def trained_styles(mode: str, engine: str) -> tuple[str, ...] | None:
    """The styles the engine's model was trained on, from its JSON file; None when unknown or missing."""
    try:
        meta = json.loads(model_files(mode, engine)[1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tables = [meta.get(part) for part in ("tokenizer", "config")] if isinstance(meta, dict) else []
    styles = next((t["styles"] for t in tables if isinstance(t, dict) and t.get("styles")), None)
    if not (isinstance(styles, list) and all(isinstance(s, str) for s in styles)):
        return None  # a damaged file: unknown
    seen = (meta.get("training") or {}).get("train_pieces")  # the parts model: styles it had pieces of
    if isinstance(seen, dict):
        styles = [s for s in styles if seen.get(s)]
    return tuple(styles)


_cache: dict[tuple[str, str], tuple[tuple, Loaded]] = {}  # (file, device) -> (file stamp, model)
_styled: dict[tuple[str, str, str], tuple[tuple, Loaded]] = {}  # (file, device, style file) -> ...
_lock = threading.Lock()


def _stamp(path: Path) -> tuple:
    """What changes when either half of a model file is rewritten (or removed)."""
    out = []
    for suffix in (".safetensors", ".json"):
        try:
            st = path.with_name(path.name + suffix).stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def _path(stem: str | Path) -> Path:
    return Path(stem) if isinstance(stem, Path) or "/" in str(stem) else stem_path(str(stem))


def is_loaded(stem: str | Path, device: str) -> bool:
    """Whether ``load(stem, device)`` would answer from the cache (``device`` as ``pick_device`` names it)."""
    path = _path(stem)
    with _lock:
        entry = _cache.get((str(path.resolve()), device))
        return entry is not None and entry[0] == _stamp(path)


def load(stem: str | Path, device: Any = "cpu") -> Loaded:
    """The model at ``stem`` (a name in ``models/`` or a path) on ``device``, loaded on first use.

    A CheckpointError names a missing or damaged file, or one that holds another family than the registry
    says it should.
    """
    from musestudio.ml import checkpoint
    from musestudio.ml.sampling import pick_device

    path = _path(stem)
    dev = pick_device(device)
    key = (str(path.resolve()), str(dev))
    with _lock:
        stamp = _stamp(path)
        entry = _cache.get(key)
        if entry is None or entry[0] != stamp:
            _cache.pop(key, None)
            # a file of another family than the registry names is refused before anything is built
            model, config, meta = checkpoint.load(path, dev, family=FAMILIES.get(path.name))
            settings = Settings.from_meta(meta)
            loaded = Loaded(model, config, meta, _tokenizer(path, meta), settings, path, str(dev))
            entry = _cache[key] = (stamp, loaded)
        return entry[1]


def load_engine(mode: str, engine: str, device: Any = "cpu") -> Loaded:
    return load(engine_stem(mode, engine), device)


def load_styled(stem: str | Path, device: Any, style) -> Loaded:
    """The model at ``stem`` with a learned style's layers (``learned.LearnedStyle``) merged into a copy of
    its weights: the base model in the cache stays as it is. Cached like ``load``, keyed also by the style
    file, so rewriting either file is noticed. A StyleError says when the style was learned on another
    model file (its hash differs) or has no layers for this model."""
    from musestudio.ml import learned
    from musestudio.ml.sampling import pick_device

    base = load(stem, device)
    path = _path(stem)
    dev = pick_device(device)
    key = (str(path.resolve()), str(dev), str(style.path.resolve()))
    stamp = (_stamp(path), _stamp(style.path))
    with _lock:
        entry = _styled.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
    learned.check_base(style, path.name, path.with_name(path.name + ".safetensors"))
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from musestudio.ml.models import lora

    prefix = path.name + "/"
    try:
        tensors = {
            k[len(prefix) :]: v for k, v in load_file(str(style.weights)).items() if k.startswith(prefix)
        }
        entry_meta = style.meta["models"][path.name]
        model = lora.merged(base.model, tensors, entry_meta["rank"], float(entry_meta.get("alpha", 16.0)))
    except (SafetensorError, OSError, ValueError, KeyError) as e:
        raise learned.unusable_style(style, e) from e
    # the style's own key prior in place of its base style's (the parts model's; learned.styled_meta)
    loaded = dataclasses.replace(
        base, model=model.to(dev), meta=learned.styled_meta(style, path.name, base.meta)
    )
    order = entry_meta.get("onset_order")  # layers trained to read an onset another way (tokenizer.py)
    if order and loaded.tokenizer is not None:
        try:
            loaded = dataclasses.replace(loaded, tokenizer=loaded.tokenizer.with_onset_order(order))
        except ValueError as e:
            raise learned.unusable_style(style, e) from e
    with _lock:
        _styled[key] = (stamp, loaded)
    return loaded


def _tokenizer(path: Path, meta: dict):
    """Our event tokenizer when the file was trained on it (the JSB model has its own frame vocabulary, which
    ``eval.jsb`` checks), for the parts family its token grammar (``parts_grammar.PartsGrammar``). A file the
    app runs from ``models/`` that holds another vocabulary (the JSB model in the Continue transformer's place)
    is refused here rather than fed tokens it never learnt."""
    tok = meta.get("tokenizer")
    ours = path.name in FAMILIES and path.name != JSB
    if not tok or not (ours or (isinstance(tok, dict) and "vocab" in tok)):
        return None
    from musestudio.ml.checkpoint import CheckpointError
    from musestudio.ml.parts_grammar import PartsGrammar
    from musestudio.ml.tokenizer import Tokenizer

    reader = PartsGrammar if meta.get("family") == PARTS else Tokenizer
    try:
        return reader.from_json(meta["tokenizer"])
    except (ValueError, KeyError, TypeError) as e:
        where = path.with_name(path.name + ".json")
        raise CheckpointError(
            f"model file {where} holds a model with another vocabulary, not the one expected here ({e})",
            "model_other_vocabulary",
            where=str(where),
            why=error_json(e),
        ) from e


def unload() -> None:
    """Forget every loaded model (frees their memory; the next use loads them again)."""
    with _lock:
        _cache.clear()
        _styled.clear()
