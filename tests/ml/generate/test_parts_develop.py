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


def test_scale_line_counts_steps_of_the_key_and_half_steps_off_it():
    from musestudio.core.keys import KeySignature
    from musestudio.ml.generate.parts_develop import ScaleLine

    c = ScaleLine(KeySignature(0, "major"))
    step = c.place(62) - c.place(60)  # C -> D: one scale step
    assert [c.moved(p, step) for p in (60, 64, 71, 65)] == [62, 65, 72, 67]  # E -> F, B -> C: in the key
    assert c.place(60) < c.place(61) < c.place(62)  # C# between C and D
    assert c.moved(67, c.place(61) - c.place(60)) == 68  # a chromatic neighbour stays chromatic: G -> G#
    assert c.moved(64, c.place(61) - c.place(60)) == 65  # ... where the half step is a scale pitch, that one
    assert c.moved(127, step) is None and c.moved(0, -step) is None
    a = ScaleLine(KeySignature(9, "minor"))  # harmonic minor's raised 7th is a scale pitch
    assert a.moved(67, a.place(69) - a.place(68)) == 68 and a.moved(68, a.place(69) - a.place(68)) == 69
    plain = ScaleLine(None)  # no key: semitones, as before
    assert plain.moved(60, 3) == 63 and plain.place(61) == 61


def test_a_seed_figure_goes_on_in_the_key_not_in_its_semitones():
    from musestudio.core.keys import KeySignature

    g = PartsGrammar()
    ok = torch.ones(128, dtype=torch.bool)
    line = [60, 62, 64, 65, 67, 65, 67, 69]  # C D E F G, then F G A: two whole steps, as C D E began

    def best(key):
        grammar = StreamGrammar(
            g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [True], [g.bar_id], [line], key=key
        )
        grammar.observe_row(0, g.track_id(0))
        grammar.observe_row(0, g.pos0)  # a pitch comes next
        bonus = grammar.develop_bonus(0, 3.0)
        return max(bonus, key=bonus.get) - g.pitch0

    assert best(KeySignature(0, "major")) == 71  # the figure's next step in C major: B
    assert best(None) == 70  # counted in semitones (no key): B flat, outside C major

    grammar = StreamGrammar(
        g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [True], [g.bar_id], [line], key=KeySignature(0, "major")
    )
    grammar.observe_row(0, g.track_id(0))
    grammar.observe_row(0, g.pos0)
    bias = SeedAnchor(grammar).row_bias(0, 3.0)  # the seed's intervals, one scale step from A
    assert bias[71] > bias[70] and bias[67] > bias[68]


def test_key_prior_biases_every_pitch_by_its_degree_in_the_given_key():
    from musestudio.core.keys import KeySignature
    from musestudio.ml.generate.parts_develop import degree_row
    from musestudio.ml.generate.parts_stream import GrammarRows

    major = [0.2, -3, 0, -2, 0, 0.1, -4, 0.3, -2, 0, -1, 0]
    table = {"pop": {"major": major, "minor": [0.0] * 12}}
    d = KeySignature(2, "major")
    row = degree_row(table, "pop", d)
    assert row.shape == (128,) and row[62] == pytest.approx(0.2) and row[62 + 6] == -4 and row[63] == -3
    assert degree_row(table, "pop", None) is None and degree_row(table, "jazz", d) is None
    assert degree_row(None, "pop", d) is None and degree_row({"pop": {"major": [1.0]}}, "pop", d) is None

    g = PartsGrammar()
    ok = torch.ones(128, dtype=torch.bool)
    grammar = StreamGrammar(g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [False], [g.bar_id], [[]], key=d)
    rules = GrammarRows(grammar, 0.0, row)
    assert rules.choices(0)[1] is None  # a forced token: no bias
    rules.observe(0, g.track_id(0))
    rules.observe(0, g.pos0)
    idx, bias = rules.choices(0)
    given = dict(zip(idx.tolist(), bias.tolist(), strict=True))
    assert given[g.pitch0 + 68] == -4 and given[g.pitch0 + 74] == pytest.approx(0.2)
    assert all(v == 0 for t, v in given.items() if not g.pitch0 <= t < g.pitch0 + 128)


def test_the_model_files_key_prior_keeps_takes_in_the_key(stem, tmp_path):
    """A prior in the model's JSON against the degrees outside C major: the takes of even a random
    model stay in the key; without it (``key_prior=False``) they do not."""
    import json
    import shutil

    from musestudio.core.keys import KeySignature

    prior = tmp_path / "parts"
    shutil.copy(stem.with_suffix(".safetensors"), prior.with_suffix(".safetensors"))
    meta = json.loads(stem.with_suffix(".json").read_text())
    out_of_key = [0, -8, 0, -8, 0, 0, -8, 0, -8, 0, -8, 0]
    meta.setdefault("inference", {})["degrees"] = {"pop": {"major": out_of_key, "minor": [0.0] * 12}}
    prior.with_suffix(".json").write_text(json.dumps(meta))
    c = KeySignature(0, "major")

    def in_key(use: bool) -> float:
        res = continue_parts(
            [PartIn(_seed(2), "melody", 0)],
            tpb=TPB,
            bars=4,
            options=Options(style="pop", variations=4, seed=3, model=prior, key=c, key_prior=use, develop=0),
        )
        notes = [n for t in res.takes for n in t.parts[0]]
        return sum(c.contains(n.pitch) for n in notes) / len(notes)

    assert in_key(True) >= 0.97
    assert in_key(False) <= 0.9


def _circling_seed(pitches: tuple[int, ...], bars: int = 4) -> tuple[Note, ...]:
    """A bass in eighths that goes round ``pitches`` (a drone, a rocking fifth, a riff) for ``bars`` bars."""
    return tuple(Note(pitches[i % len(pitches)], i * TPB // 2, TPB // 2, 80) for i in range(8 * bars))


def test_a_line_going_round_gets_no_bonus_to_go_round_again():
    g = PartsGrammar()
    ok = torch.ones(128, dtype=torch.bool)

    def bonus(line: list[int]) -> dict[int, float]:
        grammar = StreamGrammar(g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [True], [g.bar_id], [line])
        grammar.observe_row(0, g.track_id(0))
        grammar.observe_row(0, g.pos0)  # a pitch comes next
        return {t - g.pitch0: b for t, b in (grammar.develop_bonus(0, 3.0) or {}).items()}

    assert 37 not in bonus([37] * 8)  # a drone: its "figure" 0 0 0 0 once paid 6 nats for every strike
    rocking = bonus([33, 38] * 4)  # root and fifth rocking: +5 -5 +5 -5
    assert 33 not in rocking and 38 not in rocking
    assert not bonus([34, 39, 39, 37, 34] * 3)  # a riff of three pitches, played twice running: not a third
    figure = [60, 62, 64, 65, 67]
    assert bonus([*figure, 60, 62, 64]) == {65: 3.0}  # a figure still comes back once
    assert 65 not in bonus([*figure, *figure, 60, 62, 64])  # ... but is not helped round a third time
    assert bonus([37, 37, 37, 37, 40, 37, 37, 37, 37])[40] == 6.0  # a repeated note moves off as it did


@pytest.mark.parametrize("pitches", [(37,), (33, 38), (34, 39, 39, 37, 34)])
def test_develop_does_not_lock_a_continued_line_onto_the_pitches_it_circles(stem, pitches):
    def circling(develop: float) -> float:
        """The share of the continued bass's notes on the seed's pitches, over 3 seeds x 4 takes."""
        on = n = 0
        for seed in (1, 2, 3):
            res = continue_parts(
                [PartIn(_circling_seed(pitches), "bass", 33)],
                tpb=TPB,
                bars=4,
                options=Options(style="pop", variations=4, seed=seed, model=stem, develop=develop),
            )
            for take in res.takes:
                n += len(take.parts[0])
                on += sum(x.pitch in set(pitches) for x in take.parts[0])
        return on / n

    # the bias once locked the line onto them: every continued note (1.0), for the whole take. The
    # network alone (develop 0) puts 0.12-0.19 there; the register anchor, which keeps the line within a
    # few semitones of the seed's, where these are 1-3 of about 9 pitches, 0.23-0.33
    assert circling(3.0) < 0.5
