"""How ``evaluate style --continuations`` measures takes against the user's files (issue 16): intervals
along each line, never across parts, and a gain with its spread over the files."""

from collections import Counter

import pytest

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.ml.eval.style import compare, histograms, interval_shares, overlap
from musestudio.ml.train.key_prior import key_counts


def test_intervals_and_onsets_are_read_along_each_line_not_across_parts():
    melody = [Note(72 + (i % 2) * 2, i * 240, 240) for i in range(8)]  # steps of 2 in eighths
    bass = [Note(36, i * 960, 960) for i in range(2)]  # a held low note a bar
    apart = histograms([melody, bass], 480)
    assert set(apart["interval"]) == {2, -2, 0}  # the bass repeats: 0; no leap of 36 down to it
    assert apart["ioi"] == Counter({2: 7, 8: 1})
    assert sum(apart["pitch_class"].values()) == 10
    merged = histograms([melody + bass], 480)  # one stream: the top voice is the melody at every onset
    assert set(merged["interval"]) == {2, -2}


def test_the_gain_is_closer_for_takes_like_the_files_with_its_spread():
    def h(pcs):
        return {"pitch_class": Counter(pcs), "interval": Counter(pcs), "ioi": Counter(pcs)}

    rows = []
    for i in range(6):
        target = h([0, 2, 4, 5, 7] * (3 + i))
        like = h([0, 2, 4, 5, 7, 7 + i % 2] * 3)
        unlike = h([1, 3, 6, 8, 10, 0] * 3)
        rows.append((target, unlike, like))
    out = compare(rows, seed=1)
    assert out["learned"]["pitch_class"] > out["base"]["pitch_class"]
    assert out["gain"]["pitch_class"] == pytest.approx(
        out["learned"]["pitch_class"] - out["base"]["pitch_class"], abs=1e-3
    )
    lo, hi = out["gain_90"]["pitch_class"]
    assert 0 < lo <= out["gain"]["pitch_class"] <= hi
    assert out["closer_share"]["pitch_class"] == 1.0
    same = compare([(r[0], r[2], r[2]) for r in rows], seed=1)  # the same takes: no gain either way
    assert same["gain_90"]["ioi"] == [0.0, 0.0]
    assert overlap(Counter({1: 2}), Counter({1: 5})) == pytest.approx(1.0)


def test_interval_shares_count_each_kind_of_step_up_and_down():
    shares = interval_shares(Counter({0: 2, 1: 1, -1: 1, 2: 3, -3: 1, 4: 1, -7: 1}))
    assert shares == {"repeat": 0.2, "semitone": 0.2, "tone": 0.3, "third": 0.2, "leap": 0.1}
    assert interval_shares(Counter()) == dict.fromkeys(shares, 0.0)
    h = {"pitch_class": Counter({0: 1}), "interval": Counter({0: 3, 2: 1}), "ioi": Counter({2: 4})}
    other = {"pitch_class": Counter({0: 1}), "interval": Counter({1: 4}), "ioi": Counter({2: 4})}
    out = compare([(h, other, h)], seed=0)["interval_shares"]
    assert (
        out["files"]["repeat"] == 0.75 and out["base"]["semitone"] == 1.0 and out["learned"] == out["files"]
    )


def test_the_in_key_share_says_how_many_notes_keep_to_the_file_s_key():
    g_major = KeySignature(7, "major")
    tune = [Note(p, i * 240, 240) for i, p in enumerate((67, 69, 71, 72, 74, 66, 65))]  # F natural is out
    c = key_counts([tune], g_major)
    assert (c["in"], c["out"]) == (6, 1)
    assert [c[d] for d in range(12)] == [1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1]  # degrees above G: F is 10
    assert key_counts([tune], None) == Counter({"in": 7})  # no key to judge by: nothing is out

    def h(inside, outside):
        return {
            "pitch_class": Counter({0: 1}),
            "interval": Counter({0: 1}),
            "ioi": Counter({2: 1}),
            "key": Counter({"in": inside, "out": outside}),
        }

    out = compare([(h(9, 1), h(3, 1), h(10, 0)), (h(10, 0), h(3, 1), h(10, 0))], seed=0)
    assert out["in_key_share"] == {"files": 0.95, "base": 0.75, "learned": 1.0}
    assert out["degree_shares"]["files"] == [0.0] * 12  # no degrees counted in these rows
    assert "key" not in out["base"]  # the overlaps stay the three histograms
