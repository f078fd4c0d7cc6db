"""The StarGAN generator keeps length, learns identity and cycle, and trains without blowing up."""

import numpy as np
import pytest
import torch
from restyle_fixtures import synthetic_pieces

from musestudio.ml import checkpoint, engines
from musestudio.ml.data.rolls import RollSampler
from musestudio.ml.generate.restyle import transfer
from musestudio.ml.models import gan
from musestudio.ml.train import gan as train_gan

pytestmark = pytest.mark.usefixtures("one_thread")


def _tiny():
    torch.manual_seed(0)
    config = gan.Config(styles=["runs", "drones"], hidden=24, dilations=[1, 2], d_hidden=16)
    return config, gan.Model(config), gan.Discriminator(config)


def test_generator_keeps_the_phrase_length_and_starts_near_identity():
    config, G, _ = _tiny()
    x, _ = RollSampler(synthetic_pieces(), 2).sample(np.random.default_rng(0), 3, 48)
    for t in (16, 48):
        out = G(torch.from_numpy(x[:, :, :t]), train_gan.one_hot(torch.tensor([0, 1, 0]), 2))
        assert out.shape == (3, config.note_channels, t)
    p = transfer(G, torch.from_numpy(x), torch.tensor([1, 1, 1]))
    notes = x[:, : config.note_channels]
    assert ((p.numpy() > 0.5) == (notes > 0.5)).mean() > 0.9


def test_binarize_is_hard_forward_and_soft_backward():
    logits = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    b = train_gan.binarize(logits)
    assert b.tolist() == [0.0, 1.0, 1.0]
    b.sum().backward()
    assert (logits.grad > 0).all()


def test_a_few_steps_lower_the_reconstruction_losses_and_stay_finite():
    _, G, D = _tiny()
    sampler = RollSampler(synthetic_pieces(), 2)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    rng = np.random.default_rng(0)
    logs = []
    for _ in range(25):
        x, src = sampler.sample(rng, 8, 32)
        x, src = torch.from_numpy(x), torch.from_numpy(src)
        logs.append(train_gan.train_step(G, D, opt_g, opt_d, x, src, 1 - src, train_gan.LossWeights()))
    assert all(np.isfinite(list(r.values())).all() for r in logs)
    first = np.mean([r["idt"] + r["rec"] for r in logs[:5]])
    last = np.mean([r["idt"] + r["rec"] for r in logs[-5:]])
    assert last < first


def test_as_notes_matches_what_the_decoder_reads():
    from musestudio.ml.pianoroll import notes_to_roll, roll_to_notes

    rng = np.random.default_rng(2)
    planes = torch.from_numpy((rng.random((1, 168, 32)) > 0.8).astype(np.float32))
    clean = train_gan.as_notes(planes)[0].numpy()
    notes = roll_to_notes(clean.reshape(2, 84, 32), 480)
    again = notes_to_roll(notes, 480, n_steps=32)[:2].reshape(168, 32)
    assert (again == clean).all()


def test_training_saves_a_critic_that_scores_real_phrases_above_noise(tmp_path):
    from musestudio.ml.generate import critic

    config, G, D = _tiny()
    sampler = RollSampler(synthetic_pieces(), 2)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    rng = np.random.default_rng(0)
    for _ in range(40):
        x, src = sampler.sample(rng, 8, 32)
        x, src = torch.from_numpy(x), torch.from_numpy(src)
        train_gan.train_step(G, D, opt_g, opt_d, x, src, 1 - src, train_gan.LossWeights())
    train_gan.save_pair(tmp_path / "restyle_gan", G, D, config, {"steps": 40})

    assert train_gan.critic_stem(tmp_path / "restyle_gan") == tmp_path / engines.REALNESS
    # the generator is still where it was (a roll GAN: the registry's restyle_gan is the adversarial denoiser)
    assert checkpoint.load(tmp_path / "restyle_gan", family="gan")[1] == config
    loaded = critic.load_discriminator(tmp_path / engines.REALNESS)
    real, _ = sampler.sample(np.random.default_rng(1), 16, 32)
    noise = real.copy()
    noise[:, : config.note_channels] = (
        np.random.default_rng(2).random(noise[:, : config.note_channels].shape) > 0.9
    )
    with torch.no_grad():  # realness as the critic reads it: mean patch score clipped to 0..1
        real_score = loaded(torch.from_numpy(real))[0].mean().clamp(0, 1).item()
        noise_score = loaded(torch.from_numpy(noise))[0].mean().clamp(0, 1).item()
    assert real_score > noise_score + 0.2  # an untrained D scores both 0 (far below the LSGAN targets)
