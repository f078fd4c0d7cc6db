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
from musestudio.ml.train.style_classifier import accuracy_per_style

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def trained():
    torch.manual_seed(0)
    sampler = RollSampler(synthetic_pieces(), 2)
    model = Model(Config(styles=["runs", "drones"], hidden=16, dilations=[1, 2]))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(30):
        x, y = sampler.sample(rng, 8, 32, transpose=3)
        loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model.eval(), sampler, losses


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
