"""Model files: weights in safetensors, everything else in a JSON file beside them. Never pickle.

``<stem>.safetensors`` holds the tensors (floating ones as fp16 when shipped: half the size, and inference
upcasts them); ``<stem>.json`` holds the model family, the Config fields (so loading rebuilds
``Config(**args)`` as nanoGPT does), the tokenizer's VERSION and vocabulary, and how the weights were
trained. Reading a pickle can run code, so model files are never pickles and torch.load is never called.
Any problem with the files is a ``CheckpointError`` (a BadInputError) whose message names the file;
``checkpoint_checks`` checks every part of both files before anything is built from them.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from typing import Any

import torch

from musestudio.core.errors import BadInputError, reason
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.files import os_reason
from musestudio.ml import checkpoint_checks as checks

FORMAT = "musestudio-checkpoint"
FORMAT_VERSION = 1
# A checkpoint names its family; the family names its classes. The strings in shipped files are kept for good,
# so a module can move without breaking a model file: only this map follows it.
FAMILIES: dict[str, tuple[str, str, str]] = {  # family -> (module, Config class, model class)
    "markov": ("musestudio.ml.models.markov", "Config", "MarkovModel"),
    "seq2seq": ("musestudio.ml.models.seq2seq", "Config", "Seq2Seq"),
    "transformer": ("musestudio.ml.models.transformer", "Config", "MusicTransformer"),
    "style_classifier": ("musestudio.ml.models.style_classifier", "Config", "Model"),
    "gan": ("musestudio.ml.models.gan", "Config", "Model"),
    "gan_critic": ("musestudio.ml.models.gan", "Config", "Discriminator"),  # the GAN's discriminator
    # the GAN engine since issue 14: the denoiser's network fine-tuned against that discriminator
    "gan_denoiser": ("musestudio.ml.models.gan", "DenoiserConfig", "AdversarialDenoiser"),
    "parts": ("musestudio.ml.models.parts", "Config", "PartsTransformer"),  # the multi-part model
}


class CheckpointError(BadInputError):
    """A model file is missing, damaged, or does not match the code that reads it. Each names the file
    (``where``) in its params, with a code the window words it from (``ui.generate_error_words``)."""


def paths(stem: str | Path) -> tuple[Path, Path]:
    """(weights, config) for ``stem``; a stem given with either suffix means the same pair."""
    stem = Path(stem)
    if stem.suffix in (".safetensors", ".json"):
        stem = stem.with_suffix("")
    return stem.with_name(stem.name + ".safetensors"), stem.with_name(stem.name + ".json")


@dataclasses.dataclass(frozen=True)
class Family:
    """What a family string in a model file stands for: ``Config(**json["config"])``, then ``Model(config)``."""

    Config: type
    Model: type


def family_module(family: str) -> Family:
    """The classes of ``family`` (imported on first use: reading a model's JSON needs none of them)."""
    if family not in FAMILIES:
        raise CheckpointError(f"unknown model family {family!r} (known: {', '.join(FAMILIES)})")
    module_name, config_name, model_name = FAMILIES[family]
    module = importlib.import_module(module_name)
    return Family(getattr(module, config_name), getattr(module, model_name))


def save(
    stem: str | Path,
    model: Any,
    config: Any,
    tokenizer_json: dict | None = None,
    extra: dict | None = None,
    fp16: bool = True,
) -> tuple[Path, Path]:
    """Write ``<stem>.safetensors`` and ``<stem>.json`` (each atomically); returns both paths."""
    from safetensors.torch import save as save_tensors

    weights_path, config_path = paths(stem)
    weights_path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {}
    for name, t in model.state_dict().items():
        t = t.detach().to("cpu")
        t = t.half() if fp16 and t.is_floating_point() else t.clone()  # clone: tied weights share storage
        tensors[name] = t.contiguous()
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "family": model.family,
        "config": dataclasses.asdict(config),
        "dtype": "float16" if fp16 else "float32",
        "tokenizer": tokenizer_json,
        "training": extra or {},
    }
    atomic_write_bytes(weights_path, save_tensors(tensors, metadata={"format": FORMAT}))
    return weights_path, write_meta(stem, meta)


def write_meta(stem: str | Path, meta: dict) -> Path:
    """Write a model's JSON (atomically, as ``save`` does): the export and the settings tools amend a saved
    file's ``"inference"`` with it, so a model file is written in one format by one function."""
    config_path = paths(stem)[1]
    atomic_write_bytes(config_path, (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return config_path


def read_meta(stem: str | Path, family: str | None = None) -> dict:
    """The JSON half alone (cheap: no torch work), checked for format, family (``family``, when given, is
    the one the caller needs) and every setting (``checkpoint_checks.check_meta``)."""
    _, config_path = paths(stem)
    _regular_file(config_path)
    if config_path.stat().st_size > checks.MAX_META_BYTES:
        raise CheckpointError(
            f"model file {config_path} is too large to be a model's settings file",
            "model_settings_too_large",
            where=str(config_path),
        )
    try:
        meta = json.loads(config_path.read_text(encoding="utf-8"))
    except OSError as e:
        raise _unreadable(config_path, e) from e
    except json.JSONDecodeError as e:
        raise CheckpointError(
            f"model file {config_path} cannot be read: it is damaged (not valid JSON at line {e.lineno})",
            "model_not_json",
            where=str(config_path),
            line=e.lineno,
        ) from e
    except UnicodeDecodeError as e:
        raise CheckpointError(
            f"model file {config_path} cannot be read: it is damaged (not text)",
            "model_not_text",
            where=str(config_path),
        ) from e
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(
            f"{config_path} is not a MuseStudio model file", "not_a_model_file", where=str(config_path)
        )
    if meta.get("format_version") != FORMAT_VERSION:
        version = meta.get("format_version")
        raise CheckpointError(
            f"{config_path} has format version {version}, expected {FORMAT_VERSION}",
            "model_format_version",
            where=str(config_path),
            version=str(version),
            expected=FORMAT_VERSION,
        )
    _checked(config_path, checks.check_meta, meta, family)
    return meta


def _unreadable(path: Path, e: OSError) -> CheckpointError:
    """The OS could not read ``path``: its reason coded as every file reader's is (``io.files.os_reason``),
    which the window words."""
    why = os_reason(e, reading=True)
    return CheckpointError(
        f"model file {path} cannot be read: {why['message']}", "model_unreadable", where=str(path), why=why
    )


def _regular_file(path: Path) -> None:
    """Refuse a missing path, and a folder, FIFO or device (reading one could hang or never end)."""
    if not path.is_file():
        there = path.exists()
        raise CheckpointError(
            f"model file {path} {'is not a regular file' if there else 'is missing'}",
            "model_not_regular_file" if there else "model_missing",
            where=str(path),
        )


def _checked(path: Path, check, *args):
    """``check(*args)``, its Problem raised as the CheckpointError that names ``path``."""
    try:
        return check(*args)
    except checks.Problem as e:
        raise CheckpointError(f"model file {path} {e}", e.code, where=str(path), **e.params) from None


def read_weights(stem: str | Path, meta: dict) -> dict[str, torch.Tensor]:
    """The tensors of ``<stem>.safetensors`` as stored (fp16 stays fp16), for the checked ``meta``: the
    header is checked against the settings before any tensor is read, the values after."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    weights_path, _ = paths(stem)
    _regular_file(weights_path)
    family, config = meta["family"], meta["config"]
    try:
        size = weights_path.stat().st_size
        with weights_path.open("rb") as f:
            n = _checked(weights_path, checks.header_length, f.read(8), size)
            header = _checked(weights_path, checks.parse_header, f.read(n), size)
        _checked(weights_path, checks.check_header, header, family, config, meta.get("dtype", "float16"))
        tensors = load_file(str(weights_path), device="cpu")
    except OSError as e:
        raise _unreadable(weights_path, e) from e
    except (SafetensorError, ValueError) as e:
        # safetensors' own words (the header passed our checks, so the file changed since or its data is
        # cut short) are the command line's detail; the window says the file is damaged in its own
        why = reason(str(e), "model_weights_unloadable", words=str(e))
        raise CheckpointError(
            f"model file {weights_path} is damaged: {e}", "model_damaged", where=str(weights_path), why=why
        ) from e
    _checked(weights_path, checks.check_values, family, config, tensors)
    return tensors


def load(
    stem: str | Path, device: str | torch.device = "cpu", family: str | None = None
) -> tuple[Any, Any, dict]:
    """(model in eval mode on ``device`` in float32, its Config, the JSON meta); ``family``, when given,
    is the family the caller needs, and a file of another family is refused."""
    meta = read_meta(stem, family)
    weights_path, config_path = paths(stem)
    module = family_module(meta["family"])
    try:
        config = module.Config(**meta["config"])
    except TypeError as e:
        raise CheckpointError(
            f"{config_path} does not fit this version's {meta['family']} model: {e}",
            "model_config_does_not_fit",
            where=str(config_path),
            family=meta["family"],
            why=str(e),
        ) from e
    tensors = read_weights(stem, meta)
    tensors = {k: v.float() if v.is_floating_point() else v for k, v in tensors.items()}
    model = module.Model(config)
    try:
        model.load_state_dict(tensors)
    except (RuntimeError, KeyError, ValueError) as e:
        raise CheckpointError(
            f"{weights_path} does not match its config: {e}",
            "model_unlike_config",
            where=str(weights_path),
            why=str(e),
        ) from e
    return model.to(device).eval(), config, meta
