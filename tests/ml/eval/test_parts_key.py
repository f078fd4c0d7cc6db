"""The key measures and the key prior's calibration step (``eval.parts_key``), on counts made up here."""

import math
from collections import Counter

import pytest

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.ml.eval.parts_key import degree_counts, summary
from musestudio.ml.train.key_prior import PRIOR_CLIP_OUT, distance, update


def test_degree_counts_read_notes_in_the_key_given():
    notes = [Note(p, 0, 240, 80) for p in (62, 66, 69, 72, 74)]  # D F# A C D
    d = summary(degree_counts(notes, KeySignature(2, "major")))
    assert d["notes"] == 5 and d["in_key"] == pytest.approx(0.8)  # C is D major's flat seventh
    assert d["degrees"][0] == pytest.approx(0.4) and d["degrees"][10] == pytest.approx(0.2)
    assert degree_counts(notes, None) == Counter()
    assert distance([0.5, 0.5], [0.5, 0.5]) == 0 and distance([1, 0], [0, 1]) == 1


def _counts(shares: dict[int, int]) -> Counter:
    return Counter(shares)


def test_a_calibration_round_moves_degrees_toward_the_files_and_keeps_their_total_weight():
    takes = _counts({0: 200, 2: 100, 4: 100, 6: 100, 7: 300, 10: 200})  # a raised 4th and a flat 7th
    files = _counts({0: 300, 2: 100, 4: 200, 7: 350, 10: 50})  # the files: a flat 7th now and then
    base: dict = {}
    table = update({}, {("celtic", "major"): (takes, files)}, base)
    b = table["celtic"]["major"]
    assert len(b) == 12 and b[6] < b[10] < 0 < b[4] and b[0] > 0
    assert b[6] >= PRIOR_CLIP_OUT[0]
    more = update({}, {("bach", "major"): (files, takes)}, {})["bach"]["major"]  # files more chromatic
    assert more[6] <= 0 and more[10] <= 0  # a degree outside the key is never made likelier
    q = base[("celtic", "major")]  # the first round's take shares: the weight the prior keeps
    assert sum(qd * math.exp(bd) for qd, bd in zip(q, b, strict=True)) == pytest.approx(1.0, abs=0.01)
    again = update(table, {("celtic", "major"): (takes, files)}, base)  # the same takes again: further
    assert again["celtic"]["major"][6] < b[6]
    few = update({}, {("jazz", "minor"): (_counts({0: 300, 6: 100}), _counts({0: 400}))}, {})
    assert -2.5 < few["jazz"]["minor"][6] - few["jazz"]["minor"][0] < -0.5  # 400 notes: part of the way
    assert update({}, {("jazz", "minor"): (_counts({0: 5, 6: 5}), _counts({0: 10}))}, {}) == {}  # ten: none


def test_the_shipped_parts_model_carries_a_key_prior_for_each_style_it_learnt():
    from musestudio.ml import checkpoint
    from musestudio.ml.generate.parts import model_stem

    meta = checkpoint.read_meta(model_stem())
    table = meta["inference"]["degrees"]
    assert {s for s in table if table[s]} == set(meta["training"]["train_pieces"])
    for per in table.values():
        for mode, bias in per.items():
            scale = KeySignature(0, mode).scale
            assert len(bias) == 12 and all(-4 <= b <= 1 for b in bias)
            assert all(b <= 0 for d, b in enumerate(bias) if d not in scale)  # never more chromatic notes
