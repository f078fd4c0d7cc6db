"""Model files: a save/load round trip per family, fp16 shipping, and clear errors for broken files."""

from __future__ import annotations

import json

import pytest
import torch

from musestudio.core.errors import BadInputError
from musestudio.ml import checkpoint
from musestudio.ml.models import markov, seq2seq, transformer


def families():
    yield transformer.Model(transformer.Config(vocab_size=30, block_size=16, n_layer=1, n_head=2, n_embd=16))
    yield seq2seq.Model(seq2seq.Config(vocab_size=30, hidden=16, n_embd=8, style_dim=4))
    yield markov.Model(markov.Config(vocab_size=30, order=3)).fit([[1, 2, 3, 4, 2, 3, 5], [1, 7, 8]])


@pytest.mark.parametrize("model", list(families()), ids=lambda m: m.family)
def test_round_trip_rebuilds_config_and_weights(tmp_path, model):
    stem = tmp_path / "m"
    checkpoint.save(stem, model, model.config, {"version": "t"}, {"steps": 3})
    loaded, config, meta = checkpoint.load(stem)
    assert config == model.config
    assert (
        meta["family"] == model.family
        and meta["training"] == {"steps": 3}
        and meta["tokenizer"] == {"version": "t"}
    )
    for name, t in model.state_dict().items():
        got = loaded.state_dict()[name]
        if t.is_floating_point():
            assert torch.allclose(got, t.half().float())  # shipped as fp16
        else:
            assert torch.equal(got, t)


def test_fp16_file_is_about_half_the_fp32_one(tmp_path):
    model = next(families())
    checkpoint.save(tmp_path / "half", model, model.config)
    checkpoint.save(tmp_path / "full", model, model.config, fp16=False)
    half = (tmp_path / "half.safetensors").stat().st_size
    full = (tmp_path / "full.safetensors").stat().st_size
    assert half < 0.6 * full


def test_missing_and_damaged_files_raise_bad_input(tmp_path):
    model = next(families())
    stem = tmp_path / "m"
    with pytest.raises(BadInputError, match="missing"):
        checkpoint.load(stem)
    checkpoint.save(stem, model, model.config)
    weights, config = checkpoint.paths(stem)

    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(checkpoint.CheckpointError, match="damaged"):
        checkpoint.load(stem)

    checkpoint.save(stem, model, model.config)
    meta = json.loads(config.read_text())
    meta["config"]["n_layer"] = 2  # weights for one layer, config for two
    config.write_text(json.dumps(meta))
    with pytest.raises(checkpoint.CheckpointError, match="does not match"):
        checkpoint.load(stem)

    meta["config"] = {"vocab_size": 30, "no_such_field": 1}
    config.write_text(json.dumps(meta))
    with pytest.raises(checkpoint.CheckpointError, match="does not fit"):
        checkpoint.load(stem)

    config.write_text("{not json")
    with pytest.raises(checkpoint.CheckpointError, match="cannot be read"):
        checkpoint.load(stem)


def test_weights_are_never_pickles(tmp_path):
    model = next(families())
    checkpoint.save(tmp_path / "m", model, model.config)
    head = (tmp_path / "m.safetensors").read_bytes()[:16]
    assert not head.startswith(b"\x80")  # a pickle's protocol byte
    assert b"PK" not in head[:2]  # nor torch.save's zip


@pytest.mark.parametrize("family", sorted(checkpoint.FAMILIES))
def test_every_family_names_classes_that_save_under_that_family(family):
    """The family string in a model file is a name kept for good, not a module path: the map follows the code."""
    classes = checkpoint.family_module(family)
    assert classes.Model.family == family
    assert "musestudio.ml." not in family and classes.Model.__module__.startswith("musestudio.ml.models.")
