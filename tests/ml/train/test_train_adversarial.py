"""The adversarial denoiser: rewrites keep their bars, the critic learns, the generator follows its reward."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint, engines
from musestudio.ml.data.cache import Piece
from musestudio.ml.eval.rewrite import max_voices
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.restyle import reads_rolls, restyle
from musestudio.ml.models import gan
from musestudio.ml.tokenizer import Tokenizer
from musestudio.ml.train import adversarial

pytestmark = pytest.mark.usefixtures("one_thread")
TPB = 480
BAR = 4 * TPB


def _piece(style: str, i: int) -> Piece:
    """Celtic: running eighths up high; Bach: held four-note chords low (two styles a tiny model can tell)."""
    rng = np.random.default_rng(i)
    notes = []
    for b in range(6):
        if style == "celtic":
            notes += [Note(int(rng.integers(72, 84)), b * BAR + k * TPB // 2, TPB // 2, 80) for k in range(8)]
        else:
            root = int(rng.integers(40, 52))
            notes += [Note(root + d, b * BAR, BAR, 80) for d in (0, 7, 12, 16)]
    return Piece(
        f"{style}{i}",
        style,
        "train",
        TPB,
        time_signatures=(TimeSignature(0),),
        tempo_bpm=120.0,
        key_signature=KeySignature(0, "major"),
        notes=tuple(notes),
    )


@pytest.fixture
def tiny():
    torch.manual_seed(0)
    tok = Tokenizer()
    config = gan.DenoiserConfig(
        vocab_size=tok.vocab_size, n_styles=len(tok.styles), n_embd=24, style_dim=4, hidden=32
    )
    critic_config = gan.Config(styles=list(tok.styles), d_hidden=8)
    by_style = {s: [_piece(s, i) for i in range(3)] for s in ("celtic", "bach")}
    return tok, gan.AdversarialDenoiser(config), gan.Discriminator(critic_config), by_style


def _args(**kw):
    base = dict(rollouts=4, bars=2, adv_levels=[4], temperature=1.0, batch=4, levels=[1, 4])
    return SimpleNamespace(**(base | kw))


def test_rollouts_are_real_windows_with_another_style_as_target(tiny):
    tok, _, _, by_style = tiny
    rows = adversarial.draw_rollouts(by_style, np.random.default_rng(0), 8, 2, [3, 4])
    assert len(rows) == 8
    for r in rows:
        assert r.target != r.style and r.end == 2 * BAR and r.level in (3, 4)
        assert r.notes and all(0 <= n.start and n.end <= r.end for n in r.notes)
    pitches = {s: {n.pitch for p in pieces for n in p.notes} for s, pieces in by_style.items()}
    for r in adversarial.draw_rollouts(by_style, np.random.default_rng(1), 8, 2, [4], transpose=0):
        assert {n.pitch for n in r.notes} <= pitches[r.style]  # valid windows are never transposed


def test_sampled_rewrites_have_exactly_the_windows_bars(tiny):
    tok, G, _, by_style = tiny
    rows = adversarial.draw_rollouts(by_style, np.random.default_rng(1), 4, 2, [4])
    _, _, prefixes, bodies = adversarial.sample_rewrites(
        G.eval(), tok, rows, 1.0, torch.Generator().manual_seed(0)
    )
    for body, prefix, r in zip(bodies, prefixes, rows, strict=True):
        assert prefix[1] == tok.style_id(r.target)
        assert tok.bar_count(body) == 2
        notes = adversarial.decode_rewrite(tok, body, r)
        assert all(0 <= n.start < r.end and n.end <= r.end and n.duration > 0 for n in notes)


def test_policy_gradient_raises_the_likelihood_of_rewarded_samples(tiny):
    """The PG term alone: samples given a positive advantage become likelier, negative ones less likely."""
    tok, G, _, by_style = tiny
    rows = adversarial.draw_rollouts(by_style, np.random.default_rng(2), 4, 2, [4])
    src, style, prefixes, bodies = adversarial.sample_rewrites(
        G.eval(), tok, rows, 1.0, torch.Generator().manual_seed(1)
    )
    advantage = torch.tensor([1.0, -1.0, 1.0, -1.0])
    opt = torch.optim.SGD(G.parameters(), lr=0.5)
    G.train()
    G.drop.p = 0.0
    before = adversarial.sequence_logp(G, tok, src, style, prefixes, bodies).detach()
    for _ in range(3):
        loss = -(advantage * adversarial.sequence_logp(G, tok, src, style, prefixes, bodies)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = adversarial.sequence_logp(G, tok, src, style, prefixes, bodies).detach()
    assert (after - before)[advantage > 0].mean() > (after - before)[advantage < 0].mean()


def test_adversarial_steps_train_the_critic_to_tell_real_from_rewrites(tiny):
    tok, G, D, by_style = tiny
    opt_g = torch.optim.AdamW(G.parameters(), lr=1e-3)
    opt_d = torch.optim.Adam(D.parameters(), lr=3e-3, betas=(0.5, 0.999))
    rng = np.random.default_rng(3)
    logs = [
        adversarial.adversarial_step(G, D, opt_g, opt_d, tok, by_style, rng, _args(), adversarial.Weights())
        for _ in range(12)
    ]
    assert all(np.isfinite(v) for log in logs for v in log.values())
    assert np.mean([r["d"] for r in logs[-4:]]) < np.mean([r["d"] for r in logs[:4]])
    rows = adversarial.draw_rollouts(by_style, np.random.default_rng(9), 4, 2, [4])
    with torch.no_grad():
        real = [float(adversarial.critic_scores(D, r.notes, r)[0]) for r in rows]
        silence = [float(adversarial.critic_scores(D, [], r)[0]) for r in rows]
    assert np.mean(real) > np.mean(silence)


def test_the_saved_generator_runs_as_the_gan_engine(tiny, tmp_path):
    tok, G, D, by_style = tiny
    from musestudio.ml.train.gan import save_pair

    stem = tmp_path / "restyle_gan"
    save_pair(
        stem, G, D, G.config, {"steps": 1, "levels": [1, 4]}, tokenizer=tok.to_json(), critic_config=D.config
    )
    loaded = engines.load(stem)
    assert loaded.meta["family"] == "gan_denoiser" and not reads_rolls(loaded.model)
    assert checkpoint.read_meta(tmp_path / engines.REALNESS, family="gan_critic")["family"] == "gan_critic"
    notes = list(by_style["celtic"][0].notes[:16])
    o = Options(style="bach", strength=1.0, seed=4, device="cpu")
    a = restyle(notes, o, "gan", tpb=TPB, model=loaded)
    b = restyle(notes, o, "gan", tpb=TPB, model=loaded)
    assert [(n.pitch, n.start, n.duration) for n in a] == [(n.pitch, n.start, n.duration) for n in b]
    assert all(0 <= n.start and n.end <= 2 * BAR and n.duration > 0 for n in a)
    # the GAN's texture: at most the voices the target style uses (a German folk song is one line), and
    # with the seq2seq engine the same weights keep the engine's own cap
    for style, most in (("german", 1), ("bach", 4)):
        for seed in range(3):
            out = restyle(notes, Options(style=style, strength=1.0, seed=seed), "gan", tpb=TPB, model=loaded)
            assert max_voices(out) <= most
