"""The registry: every shipped model file is listed, loads through it and runs once; one cache; light import."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint, engines, sampling
from musestudio.ml.generate.critic import probabilities
from musestudio.ml.generate.restyle import transfer
from musestudio.ml.pianoroll import phrase_input

SHIPPED = Path(__file__).resolve().parents[2] / "models"
STEMS = sorted(p.name.removesuffix(".safetensors") for p in SHIPPED.glob("*.safetensors"))
PHRASE = [Note(60 + (i * 5) % 12, i * 240, 240, 80) for i in range(16)]
SIGS = (TimeSignature(0, 4, 4),)


@pytest.fixture
def shipped(monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_HOME", str(SHIPPED.parent))


def test_the_registry_lists_every_shipped_model_file_and_only_those():
    assert STEMS, "no model files shipped in models/"
    assert set(STEMS) == set(engines.FAMILIES)
    assert set(engines.STEMS.values()) <= set(engines.FAMILIES)
    assert set(engines.FAMILIES.values()) <= set(checkpoint.FAMILIES)


def _run_once(loaded: engines.Loaded) -> torch.Tensor:
    """One real use of the model: a few sampled tokens, or one pass over a phrase's roll."""
    model, family = loaded.model, loaded.meta["family"]
    if family in ("transformer", "seq2seq", "markov", "gan_denoiser"):
        tok = loaded.tokenizer
        prompt = tok.conditioning("bach", None, (4, 4)) if tok is not None else [0]
        encoder_decoder = family in ("seq2seq", "gan_denoiser")
        stepper = model.stepper(style=0, decoder_prefix=[tok.bos_id]) if encoder_decoder else model
        return sampling.generate(
            stepper, torch.tensor([prompt]), 2, max_new_tokens=4, generator=torch.Generator().manual_seed(0)
        )
    if family == "parts":  # one bar more of a melody, through the parts API
        from musestudio.ml.generate.parts import Options, PartIn, continue_parts

        options = Options(style=loaded.tokenizer.styles[0], variations=1, seed=0, model=loaded.path)
        res = continue_parts(
            [PartIn(tuple(PHRASE), "melody")], tpb=480, time_signatures=SIGS, options=options
        )
        return torch.tensor([n.pitch for n in res.takes[0].parts[0]], dtype=torch.float32)
    x = torch.from_numpy(phrase_input(PHRASE, 480, SIGS, 0, 32, model.config.spec))[None]
    with torch.no_grad():
        if family == "gan":
            return transfer(model, x, torch.tensor([1]))
        if family == "gan_critic":
            return model(x)[0]
    return torch.tensor(list(probabilities(model, PHRASE, 480, SIGS).values()))


@pytest.mark.parametrize("stem", STEMS)
def test_every_shipped_model_loads_through_the_registry_and_runs_once(shipped, stem):
    loaded = engines.load(stem, "cpu")
    assert loaded.meta["family"] == engines.FAMILIES[stem] and not getattr(loaded.model, "training", False)
    out = _run_once(loaded)
    assert out.numel() > 0 and torch.isfinite(out.float()).all()
    assert engines.load(stem, "cpu") is loaded  # one cache, keyed by file and device


def test_shipped_files_keep_todays_inference_settings(shipped):
    loaded = engines.load_engine(engines.RESTYLE, "seq2seq")
    classes = loaded.settings.sketch_classes
    assert loaded.settings == engines.Settings(
        temperature=0.8, top_p=1.0, guidance=8.0, levels=4, voices=6, plausible=0.03, sketch_classes=classes
    )
    # every style's harmonic density, measured on its train sketches: a chorale bar holds the most classes,
    # a single-line folk tune's the fewest
    assert set(classes) == set(loaded.tokenizer.styles)
    assert classes["bach"] > classes["palestrina"] > classes["pop"] > classes["german"] >= 2
    gan = engines.load_engine(engines.RESTYLE, "gan").settings
    assert (gan.guidance, gan.plausible, gan.temperature) == (8.0, 0.1, 0.8)  # the GAN's own, unchanged
    # the GAN is the same network fine-tuned: its level-4 sketch is matched to the target's density too,
    # measured on the same train split (pop's since POP909 was cached on its beat)
    assert set(gan.sketch_classes) == set(classes)
    assert all(gan.sketch_classes[s] == classes[s] for s in classes if s != "pop")


def test_settings_come_from_the_model_json_with_todays_values_as_defaults():
    assert engines.Settings.from_meta({}) == engines.Settings()
    assert engines.Settings.from_meta({"training": {"levels": [1, 2, 3]}}).levels == 3
    tuned = engines.Settings.from_meta(
        {"inference": {"guidance": 2.5, "voices": 4, "plausible": 0.05, "unknown": 1}}
    )
    assert (tuned.guidance, tuned.voices, tuned.temperature, tuned.plausible) == (2.5, 4, 0.8, 0.05)
    assert tuned.sketch_classes is None
    dense = engines.Settings.from_meta({"inference": {"sketch_classes": {"bach": 6.3}}})
    assert dense.sketch_classes == {"bach": 6.3}


def test_a_changed_or_removed_file_is_read_again_and_a_wrong_family_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    for suffix in (".json", ".safetensors"):
        shutil.copy(SHIPPED / f"continue_markov{suffix}", tmp_path / "models" / f"continue_markov{suffix}")
    first = engines.load("continue_markov", "cpu")
    assert engines.is_loaded("continue_markov", "cpu")
    (tmp_path / "models" / "continue_markov.safetensors").unlink()
    assert not engines.is_loaded("continue_markov", "cpu")
    with pytest.raises(checkpoint.CheckpointError, match="continue_markov.safetensors"):
        engines.load("continue_markov", "cpu")
    shutil.copy(SHIPPED / "continue_markov.safetensors", tmp_path / "models" / "continue_markov.safetensors")
    assert engines.load("continue_markov", "cpu") is not first
    for suffix in (".json", ".safetensors"):  # a markov model where the transformer should be
        shutil.copy(
            SHIPPED / f"continue_markov{suffix}", tmp_path / "models" / f"continue_transformer{suffix}"
        )
    with pytest.raises(
        checkpoint.CheckpointError, match="holds a Markov model, not the transformer expected here"
    ):
        engines.load_engine(engines.CONTINUE, "transformer")


def test_what_is_installed_and_the_styles_come_from_the_json_halves(tmp_path, monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    assert engines.installed(engines.CONTINUE) == ()
    assert "is missing" in engines.missing_model(engines.CONTINUE, "transformer")
    meta = json.loads((SHIPPED / "restyle_gan.json").read_text())
    (tmp_path / "models" / "restyle_gan.json").write_text(json.dumps(meta))
    (tmp_path / "models" / "restyle_gan.safetensors").write_bytes(b"")
    assert engines.installed(engines.RESTYLE) == ("gan",)
    assert engines.trained_styles(engines.RESTYLE, "gan") == tuple(meta["tokenizer"]["styles"])


def test_the_ui_door_imports_neither_torch_nor_numpy():
    code = (
        "import sys\n"
        "import musestudio.ml.engines, musestudio.ml.generate.request, musestudio.ml.generate.service\n"
        "print(sorted(m for m in ('torch', 'numpy', 'PySide6') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_parts_engine_offers_only_the_styles_its_model_had_training_pieces_of(tmp_path, monkeypatch):
    import json

    (tmp_path / "models").mkdir()
    meta = {
        "tokenizer": {"styles": ["bach", "pop", "jazz"]},
        "training": {"train_pieces": {"bach": 3, "pop": 0}},
    }
    (tmp_path / "models" / "parts.json").write_text(json.dumps(meta))
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path))
    assert engines.trained_styles(engines.ADD_PART, engines.PARTS) == ("bach",)
