"""The judge's time-scale augmentation: a phrase's values and bars halved or doubled as editions do, and the
draw that mixes the scaled editions in for the styles that take them."""

import numpy as np
import pytest

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.data.rolls import RollSampler, StepPiece, to_step_piece, window_input
from musestudio.ml.train.style_time_scale import SCALES, TimeScaledSampler, double, halve, scaled_pieces

TPB = 480


def _palestrina_bar_pair() -> StepPiece:
    """Two bars of 4/2: a breve, then minims and two crotchets (the crotchets on even steps), on 4/2 bars."""
    half, quarter = 2 * TPB, TPB
    notes = [Note(67, 0, 4 * TPB)]
    t = 8 * TPB
    for p, d in ((69, half), (71, half), (72, quarter), (71, quarter), (69, half)):
        notes.append(Note(p, t, d))
        t += d
    return to_step_piece(notes, TPB, (TimeSignature(0, 4, 2),), 0)


def test_palestrina_halved_is_in_4_4_with_its_minims_as_quarters():
    piece = _palestrina_bar_pair()
    assert piece.bars.tolist()[:3] == [0, 32, 64]
    h = halve(piece)
    assert h.bars.tolist()[:3] == [0, 16, 32]  # 4/2 -> 4/4
    assert h.notes.tolist() == [
        [67, 0, 8],
        [69, 16, 20],
        [71, 20, 24],
        [72, 24, 26],
        [71, 26, 28],
        [69, 28, 32],
    ]
    assert h.n_steps == 32


def test_a_halved_chorale_drops_its_sixteenth_ornaments_and_pairs_its_bars_into_4_4():
    beats = [Note(60 + i, i * TPB, TPB) for i in range(8)]  # two 4/4 bars of quarters
    ornament = Note(80, 2 * TPB + TPB // 4, TPB // 4)  # a sixteenth after the beat: off the halved grid
    piece = to_step_piece([*beats, ornament], TPB, (TimeSignature(0, 4, 4),), 0)
    h = halve(piece)
    assert 80 not in h.notes[:, 0]
    assert h.notes[:, 1].tolist() == [2 * i for i in range(8)]  # quarters as eighths
    assert h.bars.tolist() == [0, 16]  # two 2/4-long halves make one 4/4 bar


def test_a_folk_tune_doubled_has_quarters_and_4_4_long_bars():
    eighths = [Note(60 + i % 5, i * TPB // 2, TPB // 2) for i in range(8)]  # two 2/4 bars of eighths
    piece = to_step_piece(eighths, TPB, (TimeSignature(0, 2, 4),), 0)
    d = double(piece)
    assert d.bars.tolist()[:3] == [0, 16, 32]
    assert (d.notes[:, 2] - d.notes[:, 1]).tolist() == [4] * 8
    assert d.n_steps == 2 * piece.n_steps
    x = window_input(d, 0, 32)
    assert x[-1].nonzero()[0].tolist() == [0, 16]  # the bar-line channel


def test_only_the_styles_that_take_a_scale_get_one():
    styles = ["palestrina", "pop", "german"]
    pieces = [
        StepPiece(s, np.array([[60, 0, 2], [62, 2, 4], [64, 4, 8]], dtype=np.int32), np.array([0, 16]), 16)
        for s in range(3)
    ]
    out = scaled_pieces(pieces, styles)
    assert sorted(p.style for p in out) == [0, 2]
    assert {p.style: p.n_steps for p in out} == {0: 8, 2: 32}
    assert SCALES["palestrina"] == ("halved",) and "pop" not in SCALES


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_the_scaled_draw_takes_its_share_from_the_scaled_editions_of_scaled_styles_only(share):
    styles = ["palestrina", "pop"]
    rows = np.array([[60 + i % 7, 4 * i, 4 * i + 4] for i in range(32)], dtype=np.int32)  # quarters
    base = RollSampler([StepPiece(s, rows, np.arange(0, 129, 32), 128) for s in range(2)], 2)
    sampler = TimeScaledSampler(base, styles, share=share)
    assert sampler.styles == [0, 1] and sampler.scaled.styles == [0]
    x, y = sampler.sample(np.random.default_rng(0), 400, 32)
    onsets = x[:, : (x.shape[1] - 1) // 2]
    # notated quarters: an onset every 4 steps; halved: every 2 steps (the bar-line channel says nothing)
    halved = onsets[:, :, 2::4].sum(axis=(1, 2)) > 0
    assert not halved[y == 1].any()
    assert halved[y == 0].mean() == pytest.approx(share, abs=0.1)


def test_the_robustness_sets_halve_and_double_every_style():
    from musestudio.ml.train.style_classifier import EVAL_STEPS, time_scaled_sets

    rows = np.array([[60 + i % 7, 4 * i, 4 * i + 4] for i in range(64)], dtype=np.int32)
    base = RollSampler([StepPiece(s, rows, np.arange(0, 257, 16), 256) for s in range(2)], 2)
    sets = time_scaled_sets(base, ["pop", "jazz"], per_style=5)  # styles with no scale of their own
    assert set(sets) == {f"{s}_{n // 16}_bars" for s in ("halved", "doubled") for n in EVAL_STEPS}
    x, y = sets["halved_2_bars"]
    assert x.shape[0] == 10 and sorted(set(y.tolist())) == [0, 1]
    onsets = x[:, : (x.shape[1] - 1) // 2].sum(axis=1)
    assert (onsets[:, 2::4].sum(axis=1) > 0).all()  # quarters halved: onsets every 2 steps
    x, _ = sets["doubled_4_bars"]
    assert (x[:, : (x.shape[1] - 1) // 2].sum(axis=1)[:, 4::8].sum(axis=1) == 0).all()  # every 8 steps
