"""The evaluation's measures on hand-made cases (each can fail: the cases are built to hit one rule)."""

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.data.parts import realize_chords
from musestudio.ml.eval import parts_measures as M

Q = 480


def _line(pitches, dur=Q):
    return [Note(p, i * dur, dur, 80) for i, p in enumerate(pitches)]


def test_chorale_measures_count_triads_crossings_and_parallels():
    # C major triad, then D minor triad: all four voices move up in parallel (S-B octaves, A-T fifths...)
    s, a, t, b = _line([72, 74]), _line([67, 69]), _line([64, 65]), _line([48, 50])
    m = M.chorale_measures([s, a, t, b], Q, [s, a, t, b])
    assert m["beats"] == 2 and m["triad_or_seventh"] == 1.0 and m["chord_agreement"] == 1.0
    # soprano-bass octaves (72/48 -> 74/50) and alto-bass fifths (67/48 -> 69/50): 2 in 2 beats
    assert m["parallels_per_100"] == 100.0
    crossed = M.chorale_measures([_line([60, 60]), _line([67, 67]), t, b], Q)
    assert crossed["crossings_per_100"] == 100.0
    cluster = M.chorale_measures([_line([62]), _line([61]), _line([60]), _line([48])], Q)
    assert cluster["triad_or_seventh"] == 0.0


def test_harmony_fit_and_part_order():
    melody = _line([64, 67, 72, 67])  # a C major bar
    lines = [0, 4 * Q]
    fitting = [Note(p, 0, 4 * Q, 60) for p in (48, 52, 55)]
    clashing = [Note(p, 0, 4 * Q, 60) for p in (49, 54, 56)]
    assert M.harmony_fit(fitting, melody, lines, KeySignature(0, "major")) == 1.0
    assert M.harmony_fit(clashing, melody, lines, KeySignature(0, "major")) == 0.0
    low_melody = [("melody", _line([50, 52])), ("harmony", _line([60, 62])), ("bass", _line([40, 41]))]
    assert M.order_kept(low_melody) == 0.0
    fine = [("melody", _line([72, 74])), ("harmony", _line([60, 62])), ("bass", _line([40, 41]))]
    assert M.order_kept(fine) == 1.0


def test_musicality_measures():
    seed = _line([60, 62, 64, 65, 67, 65, 64, 62], Q // 2)
    start = 4 * Q * 2
    again = _line([60, 62, 64, 65, 67], Q // 2)
    take = [Note(n.pitch, n.start + start, n.duration, 80) for n in seed]
    take += [Note(n.pitch, n.start + start + 4 * Q, n.duration, 80) for n in again]
    m = M.musicality(seed, take, start, 4 * Q, (4, 4), Q, 2, 2)
    assert m["reuses_seed_figure"] and m["repeats_own_figure"] and not m["register_drift"]
    high = [Note(n.pitch + 12, n.start, n.duration, 80) for n in take]
    assert M.musicality(seed, high, start, 4 * Q, (4, 4), Q, 2, 2)["register_drift"]
    waltz = [Note(60, start + Q // 2, Q, 80), Note(62, start + Q * 3, Q * 2, 80)]
    assert M.musicality(seed, waltz, start, 3 * Q, (3, 4), Q, 2, 2)["long_on_beat"] == (1, 2)
    assert M.musicality(seed, waltz, start, 3 * Q, (3, 4), Q, 2, 2)["empty_first_bar"]
    assert M.max_voices([Note(60, 0, Q, 80), Note(64, 0, Q, 80), Note(67, Q // 2, Q, 80)]) == 3


def test_chord_symbols_are_realized_as_accompaniment_and_bass():
    # C then G7 in 4/4: one bar each
    acc, bass = realize_chords(
        [(0, [0, 4, 7], 0), (4 * Q, [7, 11, 2, 5], 7)], 8 * Q, [TimeSignature(0, 4, 4)]
    )
    assert acc.realized and bass.realized and acc.role == "accompaniment" and bass.role == "bass"
    assert sorted({n.start for n in acc.notes}) == [i * Q for i in range(8)]  # a chord on every beat
    assert all(53 <= n.pitch <= 64 for n in acc.notes)
    assert [(n.pitch, n.start, n.duration) for n in bass.notes] == [(36, 0, 4 * Q), (43, 4 * Q, 4 * Q)]
    first = sorted(n.pitch % 12 for n in acc.notes if n.start == 0)
    assert first == [0, 4, 7]
