"""The judge's texture data: rule textures under any style's tune, and the style-balanced draw over kinds."""

import numpy as np
from restyle_fixtures import synthetic_pieces

from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.data.rolls import RollSampler
from musestudio.ml.train.style_textures import MIN_PIECES, TexturedSampler, rule_texture

TPB = 480
SIGS = (TimeSignature(0, 4, 4),)


def scale_tune(bars: int = 8) -> list[Note]:
    """A C major tune in quarters that outlines I, IV and V."""
    steps = [60, 64, 67, 64, 65, 69, 72, 69, 67, 71, 74, 71, 72, 67, 64, 60]
    return [Note(steps[i % len(steps)], i * TPB, TPB, 90) for i in range(bars * 4)]


def test_a_rule_texture_keeps_the_tune_and_adds_chords_of_its_key_on_every_beat_with_a_bass():
    tune = scale_tune()
    out = rule_texture(tune, TPB, SIGS)
    assert out is not None
    assert {(n.pitch, n.start) for n in tune} <= {(n.pitch, n.start) for n in out}
    added = [n for n in out if (n.pitch, n.start) not in {(m.pitch, m.start) for m in tune}]
    key = detect_key(tune)
    assert all(key.contains(n.pitch) for n in added)
    chord_onsets = {n.start for n in added if 53 <= n.pitch <= 67}
    assert {i * TPB for i in range(8 * 4)} <= chord_onsets  # a chord on every beat
    assert any(n.pitch < 48 for n in added), "a bass"
    assert max(n.pitch for n in added) < max(n.pitch for n in tune)


def test_too_little_to_harmonize_gives_none():
    assert rule_texture(scale_tune()[:5], TPB, SIGS) is None


def test_the_textured_draw_is_style_balanced_over_every_kind_and_skips_styles_with_too_few_pieces():
    single = RollSampler(synthetic_pieces(2 * MIN_PIECES), 3)
    lonely = synthetic_pieces(2, seed=1)[0]
    single.by_style[2] = [lonely]  # a third style with one piece
    single.styles = [0, 1, 2]
    real = RollSampler([p for p in synthetic_pieces(4, seed=2) if p.style == 0], 3)
    rule = RollSampler(synthetic_pieces(4, seed=3), 3)
    sampler = TexturedSampler(single, real, rule)
    assert sampler.styles == [0, 1]
    x, y = sampler.sample(np.random.default_rng(0), 64, 32)
    assert x.shape[0] == 64 and set(y.tolist()) == {0, 1}
    assert 20 <= (y == 0).sum() <= 44
