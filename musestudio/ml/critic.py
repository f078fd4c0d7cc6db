"""The critic that ranks takes: does it sound real, and does it sound like the style asked for?

Two judges, each optional (a missing model file leaves its part out rather than failing the generation):

- realness: the Restyle GAN's discriminator (``models/restyle_gan_critic``), trained to tell real phrases
  from generated ones. Its patch scores follow the LSGAN targets (1 real, 0 fake); their mean, clipped to
  0..1, is the take's realness.
- style: the style classifier's probability for the chosen style (``models/style_classifier``), the same
  judge as the Restyle metrics and the style meter.

The score is the mean of the parts that are there. A judge whose files are there but damaged is left out
too, and ``unusable`` says why, so the app can tell the user instead of ranking in silence. The discriminator is read straight from its safetensors
file (checked like every model file) and rebuilt from the generator's Config, because it is not a model
family ``checkpoint.load`` builds.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.restyle_data import phrase_input
from musestudio.ml.sampling import fast_stepwise

DISCRIMINATOR_STEM = "restyle_gan_critic"
CLASSIFIER_STEM = "style_classifier"


@dataclass(frozen=True)
class CriticScore:
    realness: float | None  # 0..1, None when the discriminator is not installed
    style_probability: float | None  # 0..1, None when the classifier is missing or does not know the style

    @property
    def total(self) -> float:
        parts = [p for p in (self.realness, self.style_probability) if p is not None]
        return float(np.mean(parts)) if parts else 0.0


_lock = threading.Lock()
_unusable: dict[tuple[str, str], str] = {}  # (models folder, stem) -> why its installed files cannot be used


def _judge(folder, stem: str, load):
    """``load()``, or None when the judge's files are missing or damaged (the damage remembered)."""
    try:
        return load()
    except CheckpointError as e:
        if any((folder / f"{stem}{suffix}").exists() for suffix in (".json", ".safetensors")):
            _unusable[str(folder), stem] = f"{e}; takes are ranked without it"
        return None


def unusable() -> list[str]:
    """Why each judge installed in the current models folder was left out (its files are damaged)."""
    folder = str(_models_dir())
    return [why for (where, _), why in sorted(_unusable.items()) if where == folder]


def _models_dir():
    from musestudio.paths import models_dir

    return models_dir()


@functools.lru_cache(maxsize=4)
def _classifier(folder, device: str):
    from musestudio.ml import style_classifier

    return _judge(
        folder, CLASSIFIER_STEM, lambda: style_classifier.load(folder / CLASSIFIER_STEM, device=device)
    )


def load_discriminator(stem=None, device: str = "cpu"):
    """The GAN discriminator in eval mode, or raise CheckpointError naming the missing or damaged file.

    Both files are checked as ``checkpoint.load`` checks a family's (``checkpoint_checks``, family
    "gan_critic") before the network is built from the generator's Config.
    """
    from musestudio.ml import checkpoint, gan

    stem = stem or _models_dir() / DISCRIMINATOR_STEM
    weights, _ = checkpoint.paths(stem)
    if not weights.is_file():
        raise CheckpointError(f"model file {weights} is missing")
    meta = checkpoint.read_meta(stem, "gan_critic")
    tensors = {k: v.float() for k, v in checkpoint.read_weights(stem, meta).items()}
    try:
        config = gan.Config(**meta["config"])
        model = gan.Discriminator(config)
        model.config = config  # the roll spec its inputs need
        model.load_state_dict(tensors)
    except (ValueError, KeyError, TypeError, RuntimeError) as e:
        raise CheckpointError(f"model file {weights} cannot be used: {e}") from e
    return model.to(device).eval()


@functools.lru_cache(maxsize=4)
def _discriminator(folder, device: str):
    return _judge(
        folder, DISCRIMINATOR_STEM, lambda: load_discriminator(folder / DISCRIMINATOR_STEM, device=device)
    )


def available() -> dict[str, bool]:
    """Which judges are installed (cheap: looks at files only)."""
    d = _models_dir()
    return {
        "realness": (d / f"{DISCRIMINATOR_STEM}.safetensors").is_file(),
        "style": (d / f"{CLASSIFIER_STEM}.safetensors").is_file(),
    }


def score_takes(
    takes: Sequence[Sequence[Note]],
    starts: Sequence[int],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    style: str,
    device: str = "cpu",
) -> list[CriticScore]:
    """One CriticScore per take; each take is judged from its first bar line ``starts[i]``."""
    with _lock:
        folder = _models_dir()  # part of the cache key: another models folder gets its own judges
        classifier, discriminator = _classifier(folder, device), _discriminator(folder, device)
    out = []
    for notes, origin in zip(takes, starts, strict=True):
        realness = prob = None
        if notes and classifier is not None and style in classifier.config.styles:
            from musestudio.ml.style_classifier import probabilities

            prob = probabilities(classifier, notes, tpb, time_signatures, origin)[style]
        if notes and discriminator is not None:
            realness = _realness(discriminator, notes, tpb, time_signatures, origin)
        out.append(CriticScore(realness, prob))
    return out


def style_probabilities(
    notes: Sequence[Note], *, tpb: int, time_signatures: Sequence[TimeSignature], device: str = "cpu"
) -> dict[str, float] | None:
    """What the style classifier hears in a phrase (style -> probability); None without the classifier."""
    from musestudio.core.timing import bar_lines
    from musestudio.ml.style_classifier import probabilities

    with _lock:
        classifier = _classifier(_models_dir(), device)
    if classifier is None or not notes:
        return None
    first = min(n.start for n in notes)
    origin = max(t for t in bar_lines(time_signatures, tpb, first + 1) if t <= first)
    return probabilities(classifier, notes, tpb, time_signatures, origin)


def _realness(model, notes: Sequence[Note], tpb: int, time_signatures, origin: int) -> float:
    spec = model.config.spec
    step = spec.step_ticks(tpb)
    n_steps = max(4, -(-(max(n.end for n in notes) - origin) // step))
    x = torch.from_numpy(phrase_input(notes, tpb, time_signatures, origin, n_steps, spec))[None]
    device = next(model.parameters()).device
    with torch.no_grad(), fast_stepwise(device):
        adv, _ = model(x.to(device))
    return float(adv.mean().clamp(0.0, 1.0))
