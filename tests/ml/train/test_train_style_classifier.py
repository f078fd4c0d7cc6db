"""The style classifier learns, reads phrases of any length, and survives a checkpoint round trip."""

import numpy as np
import pytest
import torch
from restyle_fixtures import synthetic_pieces

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint
from musestudio.ml.data.rolls import RollSampler
from musestudio.ml.generate.critic import probabilities
from musestudio.ml.models.style_classifier import Config, Model
from musestudio.ml.train.style_classifier import accuracy_per_style, ensemble, main

pytestmark = pytest.mark.usefixtures("one_thread")


def _train(seed: int):
    torch.manual_seed(seed)
    sampler = RollSampler(synthetic_pieces(), 2)
    model = Model(Config(styles=["runs", "drones"], hidden=16, dilations=[1, 2]))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(30):
        x, y = sampler.sample(rng, 8, 32, transpose=3)
        loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model.eval(), sampler, losses


@pytest.fixture(scope="module")
def trained():
    return _train(0)


def test_training_lowers_the_loss_and_separates_the_styles(trained):
    model, sampler, losses = trained
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5])
    x, y = sampler.fixed(10, 64, seed=3)
    assert accuracy_per_style(model, x, y)["mean"] == 1.0


def test_probabilities_of_a_note_list_name_its_style(trained):
    model, _, _ = trained
    sigs = (TimeSignature(0, 4, 4),)
    drones = [Note(p, b * 1920, 1920) for b in range(3) for p in (40, 47)]
    runs = [Note(74 + (i % 5), i * 120, 120) for i in range(40)]
    for notes, name in ((drones, "drones"), (runs, "runs")):
        probs = probabilities(model, notes, 480, sigs)
        assert set(probs) == {"runs", "drones"}
        assert sum(probs.values()) == pytest.approx(1.0)
        assert max(probs, key=probs.get) == name


def test_checkpoint_round_trip_keeps_the_judgement(trained, tmp_path):
    model, sampler, _ = trained
    checkpoint.save(tmp_path / "clf", model, model.config, None, {"note": "test"})
    loaded, config, meta = checkpoint.load(tmp_path / "clf")
    assert config.styles == ["runs", "drones"] and meta["family"] == "style_classifier"
    x, _ = sampler.fixed(4, 48, seed=5)
    with torch.no_grad():
        a = torch.softmax(model(torch.from_numpy(x)), 1)
        b = torch.softmax(loaded(torch.from_numpy(x)), 1)
    assert torch.allclose(a, b, atol=2e-2)


def test_an_ensemble_hears_the_mean_of_judges_trained_apart(trained, tmp_path):
    first, sampler, _ = trained
    second = _train(1)[0]
    for name, model in (("a", first), ("b", second)):
        checkpoint.save(tmp_path / name, model, model.config, None, {"seed": name})
    ensemble(tmp_path / "both", [tmp_path / "a", tmp_path / "b"])
    both, config, meta = checkpoint.load(tmp_path / "both", family="style_classifier")
    assert config.members == 2
    assert [r["seed"] for r in meta["training"]["ensemble_of"]] == ["a", "b"]
    x = torch.from_numpy(sampler.fixed(4, 48, seed=5)[0])
    with torch.no_grad():
        logits = [checkpoint.load(tmp_path / n)[0](x) for n in "ab"]
        each = [torch.softmax(v, 1) for v in logits]
        mean = torch.softmax(both(x), 1)
    assert not torch.allclose(logits[0], logits[1], atol=0.1)  # two judges, not one twice
    assert torch.allclose(mean, (each[0] + each[1]) / 2, atol=1e-5)


def test_judges_that_hear_differently_are_not_packed_and_an_ensemble_is_not_fine_tuned(trained, tmp_path):
    model = trained[0]
    other = Model(Config(styles=["runs", "drones"], hidden=8, dilations=[1, 2]))
    checkpoint.save(tmp_path / "a", model, model.config)
    checkpoint.save(tmp_path / "c", other, other.config)
    with pytest.raises(SystemExit, match="settings differ"):
        ensemble(tmp_path / "both", [tmp_path / "a", tmp_path / "c"])
    assert not (tmp_path / "both.json").exists()
    ensemble(tmp_path / "twice", [tmp_path / "a", tmp_path / "a"])
    with pytest.raises(SystemExit, match="ensemble"):
        main(["train", "--init", str(tmp_path / "twice"), "--out", str(tmp_path / "tuned")])
