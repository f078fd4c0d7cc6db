"""The critic that ranks takes: does it sound real, and does it sound like the style asked for?

Two judges, each optional (a missing model file leaves its part out rather than failing the generation):

- realness: the Restyle GAN's discriminator (``models/restyle_gan_critic``), trained to tell real phrases
  from generated ones. Its patch scores follow the LSGAN targets (1 real, 0 fake); their mean, clipped to
  0..1, is the take's realness.
- style: the style classifier's probability for the chosen style (``models/style_classifier``: the mean
  of nine judges trained apart, so a draft is chosen for what they agree on rather than for one judge's
  quirks), the same judge as the Restyle metrics and the style meter.

An arrangement (Restyle's Arrange) is also scored on the harmony it keeps: the per-bar chroma similarity
of the take with the notes it arranges (``harmony_kept``), the evaluation's content measure. Among drafts
the judges hear alike, it prefers the one that keeps the music's harmony (session 31: chroma 0.798 ->
0.808 on the valid probe with the share heard as the target unchanged; models/README.md).

The score is the weighted mean of the parts that are there (``WEIGHTS``). Both judges load through
``checkpoint`` (the discriminator's family is ``gan_critic``), whose checks refuse a damaged file. A judge whose files are there
but damaged is left out too, and ``unusable`` says why, so the app can tell the user instead of ranking in
silence.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines, beats_as_bars, next_bar_line, signature_at
from musestudio.ml import engines, learned
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.metrics import roll_chroma_similarity
from musestudio.ml.pianoroll import DEFAULT_SPEC, phrase_input
from musestudio.ml.sampling import fast_stepwise

#: each part's weight in the score: the harmony kept weighs half a judge, so it decides between drafts the
#: judges hear alike rather than over them (a full judge's weight cost 1 in 448 arrangements heard as the
#: target; the session-31 sweep in models/README.md)
WEIGHTS = {"realness": 1.0, "style_probability": 1.0, "harmony": 0.5}


@dataclass(frozen=True)
class CriticScore:
    realness: float | None  # 0..1, None when the discriminator is not installed
    style_probability: float | None  # 0..1, None when the classifier is missing or does not know the style
    harmony: float | None = None  # 0..1, an arrangement's harmony kept (``harmony_kept``); None otherwise

    @property
    def total(self) -> float:
        parts = [(WEIGHTS[k], v) for k, v in vars(self).items() if v is not None]
        return sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.0


def load_classifier(stem=None, device: str = "cpu"):
    """The style classifier in eval mode, or raise CheckpointError naming the missing or damaged file."""
    return engines.load(stem or engines.STYLE_JUDGE, device).model


def load_discriminator(stem=None, device: str = "cpu"):
    """The GAN discriminator in eval mode, or raise CheckpointError naming the missing or damaged file."""
    return engines.load(stem or engines.REALNESS, device).model


_lock = threading.Lock()
# (models folder, stem) -> why its installed files cannot be used (``BadInputError.as_json``: the window words it)
_unusable: dict[tuple[str, str], dict] = {}


def _judge(stem: str, device: str):
    """An installed judge from the registry's cache, or None: a missing judge leaves its part out, and a
    damaged one too, the damage remembered for ``unusable``."""
    folder = str(engines.models_dir())
    try:
        model = engines.load(stem, device).model
    except CheckpointError as e:
        if any(engines.stem_path(f"{stem}{suffix}").exists() for suffix in (".json", ".safetensors")):
            with _lock:
                said = BadInputError(f"{e}; takes are ranked without it", "judge_left_out", error=e.as_json())
                _unusable[folder, stem] = said.as_json()
        return None
    with _lock:
        _unusable.pop((folder, stem), None)  # repaired or replaced since
    return model


def unusable() -> list[dict]:
    """Why each judge installed in the current models folder was left out (its files are damaged): the
    message, code and params of each (``BadInputError.as_json``)."""
    folder = str(engines.models_dir())
    with _lock:
        return [why for (where, _), why in sorted(_unusable.items()) if where == folder]


def available() -> dict[str, bool]:
    """Which judges are installed (cheap: looks at files only)."""
    d = engines.models_dir()
    return {
        "realness": (d / f"{engines.REALNESS}.safetensors").is_file(),
        "style": (d / f"{engines.STYLE_JUDGE}.safetensors").is_file(),
    }


def score_takes(
    takes: Sequence[Sequence[Note]],
    starts: Sequence[int],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    style: str,
    device: str = "cpu",
    arranged: Sequence[Note] | None = None,
) -> list[CriticScore]:
    """One CriticScore per take; each take is judged from its first bar line ``starts[i]``. ``arranged``:
    the notes the takes arrange (Restyle's Arrange), whose harmony each take is scored on keeping."""
    classifier, discriminator = _judge(engines.STYLE_JUDGE, device), _judge(engines.REALNESS, device)
    mine = learned.resolve(style)[1]  # a learned style: judged by its own layers (``learned_probability``)
    heard: list[float | None] = [None] * len(takes)
    if mine is not None:
        heard = [
            learned_probability(mine, notes, tpb, time_signatures, origin, device) if notes else None
            for notes, origin in zip(takes, starts, strict=True)
        ]
    elif classifier is not None and style in classifier.config.styles:
        column = list(classifier.config.styles).index(style)
        rolls = _rolls(classifier, takes, starts, tpb, time_signatures, least=1)
        heard = _read(classifier, rolls, len(takes), lambda x: torch.softmax(classifier(x), dim=1)[:, column])
    realness: list[float | None] = [None] * len(takes)
    if discriminator is not None:
        rolls = _rolls(discriminator, takes, starts, tpb, time_signatures, least=4)
        realness = _read(
            discriminator, rolls, len(takes), lambda x: discriminator(x)[0].mean(dim=(1, 2)).clamp(0.0, 1.0)
        )
    harmony: list[float | None] = [None] * len(takes)
    if arranged is not None:
        harmony = harmony_kept(takes, starts, arranged, tpb, time_signatures)
    return [CriticScore(*scored) for scored in zip(realness, heard, harmony, strict=True)]


def harmony_kept(
    takes: Sequence[Sequence[Note]],
    starts: Sequence[int],
    arranged: Sequence[Note],
    tpb: int,
    time_signatures,
) -> list[float | None]:
    """How much of the arranged music's harmony each take keeps: the mean per-bar cosine of their chromas
    (duration-weighted pitch classes) over the take's bars from ``starts[i]`` (``metrics``), the measure
    ``evaluate restyle`` reports as chroma similarity. None for an empty take, or where neither sounds.
    The arranged music's roll is made once for the bars the takes share (Arrange's drafts all do)."""
    step = DEFAULT_SPEC.step_ticks(tpb)
    theirs: dict[tuple[int, int], np.ndarray] = {}
    out: list[float | None] = []
    for notes, origin in zip(takes, starts, strict=True):
        if not notes:
            out.append(None)
            continue
        n_steps = max(1, -(-(max(n.end for n in notes) - origin) // step))
        if (origin, n_steps) not in theirs:
            theirs[origin, n_steps] = phrase_input(arranged, tpb, time_signatures, origin, n_steps)
        kept = roll_chroma_similarity(
            phrase_input(notes, tpb, time_signatures, origin, n_steps), theirs[origin, n_steps]
        )
        out.append(None if math.isnan(kept) else kept)
    return out


def _rolls(model, takes, starts, tpb: int, time_signatures, least: int) -> dict[int, list]:
    """Each take's roll from its bar line ``starts[i]`` to its last note's end (at least ``least`` steps), as
    ``model`` reads it, grouped by length: {steps: [(take index, roll), ...]}; an empty take has none."""
    spec = model.config.spec
    step = spec.step_ticks(tpb)
    out: dict[int, list] = {}
    for i, (notes, origin) in enumerate(zip(takes, starts, strict=True)):
        if notes:
            n_steps = max(least, -(-(max(n.end for n in notes) - origin) // step))
            out.setdefault(n_steps, []).append(
                (i, phrase_input(notes, tpb, time_signatures, origin, n_steps, spec))
            )
    return out


def _read(model, rolls: dict[int, list], count: int, score) -> list[float | None]:
    """``score`` (rolls -> one reading a row, by ``model``) on each group of same-length rolls in one forward
    pass: the judges read each row over its own steps alone, so a row's figure does not depend on the
    others in its batch, and Arrange's drafts (up to 24, all over the same bars) cost one pass, not 24.
    None where a take had no roll."""
    out: list = [None] * count
    device = next(model.parameters()).device
    with fast_stepwise(device, onednn=True):
        for group in rolls.values():
            x = torch.from_numpy(np.stack([x for _, x in group])).to(device)
            for (i, _), v in zip(group, score(x).cpu().tolist(), strict=True):
                out[i] = v
    return out


def style_probabilities(
    notes: Sequence[Note], *, tpb: int, time_signatures: Sequence[TimeSignature], device: str = "cpu"
) -> dict[str, float] | None:
    """What the style classifier hears in a phrase (style -> probability); None without the classifier."""
    classifier = _judge(engines.STYLE_JUDGE, device)
    if classifier is None or not notes:
        return None
    return heard_probabilities(classifier, notes, tpb, time_signatures)


def heard_probabilities(
    model, notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature]
) -> dict[str, float]:
    """Style -> probability for a whole (non-empty) phrase, read from the bar line at or before its first
    note in the bars it is heard in: a song in 1/4 throughout in 4/4 from its downbeat
    (``core.timing.beats_as_bars``), as the judges learnt such songs. Read a beat a bar, POP909's songs
    in 1/4 were heard as pop with 0.69 of probability on average (0.98 so), and one in seven as Classical."""
    sigs = beats_as_bars(time_signatures, (n.start for n in notes), tpb)
    first = min(n.start for n in notes)
    origin = max(t for t in bar_lines(sigs, tpb, first + 1) if t <= first)
    return probabilities(model, notes, tpb, sigs, origin)


def probabilities(
    model, notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature], origin: int = 0
) -> dict[str, float]:
    """Style -> probability for the (non-empty) phrase that starts at bar line ``origin`` (the style
    meter's reading)."""
    rolls = _rolls(model, [notes], [origin], tpb, time_signatures, least=1)
    (p,) = _read(model, rolls, 1, lambda x: torch.softmax(model(x), dim=1))
    return dict(zip(model.config.styles, p, strict=True))


@torch.no_grad()
def learned_probability(
    style, notes, tpb: int, time_signatures, origin: int, device: str = "cpu"
) -> float | None:
    """How much a phrase sounds like a learned style: the chance that the tuned Continue transformer rather
    than the base one wrote it, with even odds before listening and per token (``sigmoid`` of the base
    model's NLL per token less the tuned one's). The style classifier knows only the built-in styles and
    no negative examples come with the user's files, whereas the style's own layers were fitted to exactly
    what the user gave: a phrase like their files is likelier under them (about 0.7 nats a token on the
    held-out bars of the figures in models/README.md, so ~67%), one unlike them is not (~50% or less).
    None when the style has no transformer layers or a model is missing."""
    from musestudio.core.keys import detect_key
    from musestudio.ml.tokenizer import CONDITIONING

    stem = "continue_transformer"
    if stem not in style.bases:
        return None
    try:
        base = engines.load(stem, device)
        tuned = engines.load_styled(engines.stem_path(stem), device, style)
    except (CheckpointError, learned.StyleError):
        return None
    end = next_bar_line(max(n.end for n in notes), time_signatures, tpb)
    nll = []
    for loaded in (base, tuned):  # each reads the phrase as it learnt to (tokenizer.ONSET_ORDERS)
        tok = loaded.tokenizer
        seq = tok.conditioning(style.base_style, detect_key(notes), signature_at(time_signatures, origin))
        seq += tok.encode_events(
            [n for n in notes if n.start >= origin],
            tpb=tpb,
            time_signatures=time_signatures,
            start=origin,
            end=end,
        )
        seq = seq[: loaded.model.config.block_size]
        if len(seq) <= CONDITIONING:
            return None
        x = torch.tensor([seq[:-1]], device=loaded.model.tok_emb.weight.device)
        y = torch.tensor(seq[1:], device=x.device)[CONDITIONING - 1 :]
        logits = loaded.model(x)[0][0, CONDITIONING - 1 :].float()
        nll.append(float(torch.nn.functional.cross_entropy(logits, y)))
    return float(1 / (1 + np.exp(-(nll[0] - nll[1]))))
