"""The "develop the seed" terms (``generate.parts_develop``) and the figure cache, on a tiny random model.

A random model has no idea of the seed; what the bias adds is measured against the same draws without it.
"""

import pytest
import torch
from parts_fixtures import save_tiny_parts_model

from musestudio.core.note import Note
from musestudio.ml.engines import unload
from musestudio.ml.eval.parts_measures import figures, top_line
from musestudio.ml.generate.parts import Options, PartIn, continue_parts
from musestudio.ml.generate.parts_develop import SeedAnchor
from musestudio.ml.generate.parts_stream import StreamGrammar, _Cell
from musestudio.ml.parts_grammar import PartsGrammar

TPB = 480
FIGURE = (67, 69, 71, 72, 74, 72, 71, 69)  # eighths: a scale figure up and back, a bar of 4/4


@pytest.fixture(scope="module")
def stem(tmp_path_factory, one_thread):
    out = save_tiny_parts_model(tmp_path_factory.mktemp("develop") / "parts")
    yield out
    unload()


def _seed(bars: int = 4) -> tuple[Note, ...]:
    return tuple(
        Note(p + (2 if b % 2 else 0), b * 4 * TPB + i * TPB // 2, TPB // 2, 80)
        for b in range(bars)
        for i, p in enumerate(FIGURE)
    )


def test_anchor_pulls_pitches_back_to_the_seed_register_and_favours_its_intervals():
    g = PartsGrammar()
    ok = torch.ones(128, dtype=torch.bool)
    line = [n.pitch for n in _seed()]
    grammar = StreamGrammar(g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [True], [g.bar_id], [line])
    anchor = SeedAnchor(grammar)
    grammar.observe_row(0, g.track_id(0))
    grammar.observe_row(0, g.pos0)  # a pitch comes next
    bias = anchor.row_bias(0, 3.0)
    last = line[-1]
    assert bias[last + 2] > bias[last + 3]  # a step the seed takes beats one it never takes
    assert bias[96] < bias[84] < 0  # far from the seed's register costs more, the further the more
    assert bias[72] >= 0 and bias[100] < -5
    assert anchor.row_bias(0, 0.0) is None


def test_develop_raises_seed_figure_reuse(stem):
    def reuse(develop: float) -> float:
        hits = n = 0
        for seed in (1, 2, 3):
            res = continue_parts(
                [PartIn(_seed(), "melody", 0)],
                tpb=TPB,
                bars=4,
                options=Options(style="pop", variations=4, seed=seed, model=stem, develop=develop),
            )
            seed_figs = set(figures(top_line(_seed())))
            for take in res.takes:
                n += 1
                hits += any(f in seed_figs for f in figures(top_line(take.parts[0])))
        return hits / n

    assert reuse(3.0) >= reuse(0.0) + 0.4
