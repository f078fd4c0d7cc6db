"""The taste model learns from scripted keep/discard decisions and re-ranks takes by them."""

from __future__ import annotations

import json
import random

import pytest

from musestudio.core.note import Note
from musestudio.ml.generate.taste import FULL_WEIGHT_AFTER, MAX_WEIGHT, STAT_NAMES, Taste, take_features

TPB = 480


def take(rng: random.Random, busy: bool, high: bool, bars: int = 4) -> list[Note]:
    """Running sixteenths up high, or long notes down low, on random scale steps."""
    step = TPB // 4 if busy else 2 * TPB
    base = 76 if high else 52
    return [
        Note(base + rng.choice((0, 2, 4, 5, 7, 9)), i * step, step, 80) for i in range(bars * 4 * TPB // step)
    ]


def features(notes, embedding=()):
    return take_features(notes, tpb=TPB, embedding=embedding)


@pytest.fixture
def rng():
    return random.Random(3)


def test_statistics_describe_what_a_musician_hears(rng):
    busy, calm = features(take(rng, True, True)).stats, features(take(rng, False, False)).stats
    stat = dict(zip(STAT_NAMES, zip(busy, calm, strict=True), strict=True))
    assert stat["notes per bar"][0] > stat["notes per bar"][1]
    assert stat["mean pitch"][0] > stat["mean pitch"][1]
    assert stat["mean length"][0] < stat["mean length"][1]
    assert features([]).stats == (0.0,) * len(STAT_NAMES)


def test_no_taste_until_a_keep_and_a_discard(rng, tmp_path):
    taste = Taste.load(tmp_path / "taste.json")
    candidates = [features(take(rng, True, True)), features(take(rng, False, False))]
    assert taste.keep_probabilities(candidates) is None
    ranked = taste.rank([0.2, 0.8], candidates)
    assert [r.index for r in ranked] == [1, 0] and all(r.why == "critic" and r.taste is None for r in ranked)
    taste.record(candidates[0], True, "celtic")
    assert taste.taste_weight() == 0.0  # only keeps so far: nothing to contrast them with


def test_scripted_decisions_re_rank_new_takes(rng, tmp_path):
    """The user keeps busy, high takes and discards calm, low ones; new takes are ranked accordingly,
    even against a critic that prefers the calm ones a little."""
    taste = Taste.load(tmp_path / "taste.json")
    for _ in range(FULL_WEIGHT_AFTER):
        taste.record(features(take(rng, True, True)), True, "celtic", "transformer")
        taste.record(features(take(rng, False, False)), False, "bach", "transformer")
    busy_high, calm_low = features(take(rng, True, True)), features(take(rng, False, False))
    busy_low = features(take(rng, True, False))
    probs = taste.keep_probabilities([busy_high, calm_low, busy_low])
    assert probs[0] > 0.8 and probs[1] < 0.2 and probs[1] < probs[2] < probs[0]
    ranked = taste.rank([0.45, 0.55, 0.5], [busy_high, calm_low, busy_low])
    assert [r.index for r in ranked] == [0, 2, 1]
    assert ranked[0].why == "taste ranks it higher" and ranked[-1].why == "taste ranks it lower"
    assert ranked[0].weight == pytest.approx(MAX_WEIGHT)


def test_decisions_persist_and_forget_deletes_them(rng, tmp_path):
    path = tmp_path / "taste.json"
    taste = Taste.load(path)
    taste.record(features(take(rng, True, True), embedding=(0.1, 0.2)), True, "celtic", "seq2seq")
    taste.record(features(take(rng, False, False), embedding=(0.3, 0.1)), False, "bach", "seq2seq")
    again = Taste.load(path)
    assert [d["kept"] for d in again.decisions] == [True, False]
    assert again.decisions[0]["embedding"] == [0.1, 0.2] and again.decisions[1]["style"] == "bach"
    again.forget()
    assert not path.exists() and Taste.load(path).decisions == []


def test_a_withdrawn_keep_is_forgotten_on_disk_too(rng, tmp_path):
    path = tmp_path / "taste.json"
    taste = Taste.load(path)
    kept, other = features(take(rng, True, True)), features(take(rng, False, False))
    taste.record(other, False, "bach")
    taste.record(kept, True, "celtic")
    assert not taste.withdraw(kept, False)  # only the decision that was made is taken back
    assert taste.withdraw(kept, True)
    assert [d["kept"] for d in Taste.load(path).decisions] == [False]
    assert not taste.withdraw(kept, True)


def test_a_damaged_taste_file_counts_as_no_taste(tmp_path):
    path = tmp_path / "taste.json"
    path.write_text("{not json")
    assert Taste.load(path).decisions == []
    path.write_text(json.dumps({"version": 99, "decisions": [{"kept": True}]}))
    assert Taste.load(path).decisions == []


def test_embeddings_of_another_width_still_teach_the_statistics(rng):
    taste = Taste()
    for _ in range(6):
        taste.record(features(take(rng, True, True)), True, "pop")  # decided before any embedding existed
        taste.record(features(take(rng, False, False)), False, "pop")
    probs = taste.keep_probabilities(
        [
            features(take(rng, True, True), embedding=(0.5,) * 8),
            features(take(rng, False, False), embedding=(0.5,) * 8),
        ]
    )
    assert probs[0] > probs[1]


def test_style_suggestion_follows_the_seed_and_leans_to_kept_styles():
    taste = Taste()
    assert taste.suggest_style(None, ["bach", "celtic"]) is None
    assert taste.suggest_style({"bach": 0.7, "celtic": 0.3}, ["bach", "celtic"]) == "bach"
    stats = features([Note(60, 0, TPB)])
    for _ in range(6):
        taste.record(stats, True, "celtic")
        taste.record(stats, False, "bach")
    assert taste.suggest_style({"bach": 0.55, "celtic": 0.45}, ["bach", "celtic"]) == "celtic"
    assert taste.suggest_style(None, ["bach", "celtic"]) == "celtic"


def test_the_phrase_embedding_alone_can_carry_the_taste():
    """Same statistics everywhere; only the encoder's view of the phrases tells kept from discarded."""
    taste = Taste()
    stats = features([Note(60, 0, TPB)])
    liked, disliked = (1.0, 0.0, 0.2, 0.0), (0.0, 1.0, 0.0, 0.2)
    for _ in range(6):
        taste.record(features([Note(60, 0, TPB)], embedding=liked), True, "pop")
        taste.record(features([Note(60, 0, TPB)], embedding=disliked), False, "pop")
    near_liked = take_features([Note(60, 0, TPB)], tpb=TPB, embedding=(0.9, 0.1, 0.1, 0.0))
    near_disliked = take_features([Note(60, 0, TPB)], tpb=TPB, embedding=(0.1, 0.9, 0.0, 0.1))
    p_liked, p_disliked = taste.keep_probabilities([near_liked, near_disliked])
    assert p_liked > 0.7 > 0.3 > p_disliked
    assert stats.stats == near_liked.stats
