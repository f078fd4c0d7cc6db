"""A part played in without a click is heard on the beat; a part on a sequencer's grid is heard as written."""

import random

from musestudio.core.note import Note
from musestudio.core.played_in import heard_on_grid, is_played_in, lean, leaned

TPB = 480


def sixteenths_tune(bars: int = 4) -> list[Note]:
    """A written tune: a sixteenth-note figure, eighths and a held note in every bar."""
    rhythm = [(0, 120), (120, 120), (240, 120), (360, 120), (480, 240), (720, 240), (960, 480), (1440, 480)]
    return [
        Note(60 + i * 5 % 12, b * 4 * TPB + s, d, 90) for b in range(bars) for i, (s, d) in enumerate(rhythm)
    ]


def played(notes: list[Note], seed: int = 0, jitter: int = 25) -> list[Note]:
    """The same notes as a keyboard player plays them: every onset and end a little early or late."""
    rnd = random.Random(seed)
    out = []
    for n in notes:
        start = max(0, n.start + rnd.randint(-jitter, jitter))
        end = n.end + rnd.randint(-jitter, jitter)
        out.append(Note(n.pitch, start, max(10, end - start), n.velocity))
    return out


def music(notes) -> list[tuple[int, int, int]]:
    return sorted((n.pitch, n.start, n.duration) for n in notes)


def test_a_part_on_the_grid_is_heard_exactly_as_written():
    written = sixteenths_tune()
    runs = [Note(72 + i % 5, 8 * TPB + i * 60, 60, 80) for i in range(16)]  # 32nd-note runs
    triplets = [Note(67, 12 * TPB + i * 160, 160, 80) for i in range(6)]
    for part in (written, written + runs + triplets):
        assert not is_played_in(part, TPB)
        assert heard_on_grid(part, TPB) == tuple(part)
    # a resolution that does not divide by three still writes its triplets on the grid (341, 683)
    odd = [Note(64, b * 1024 + round(k * 1024 / 3), 341, 80) for b in range(8) for k in range(3)]
    assert not is_played_in(odd, 1024)


def test_a_played_tune_is_heard_as_the_tune_it_was_played_from():
    written = sixteenths_tune()
    for seed in range(5):
        heard = heard_on_grid(played(written, seed), TPB)
        assert music(heard) == music(written)


def test_played_triplets_are_heard_as_triplets_and_one_late_sixteenth_is_not():
    triplets = [Note(60 + k, b * TPB + k * 160, 160, 90) for b in range(8) for k in range(3)]
    assert music(heard_on_grid(played(triplets, 3, jitter=20), TPB)) == music(triplets)
    # eighths with one sixteenth late: an onset nearer a triplet than a sixteenth, but alone in its beat
    eighths = [Note(62, (b + 1) * TPB + k * 240, 240, 90) for b in range(8) for k in range(2)]
    late = [
        Note(n.pitch, n.start + (7 if i % 3 else -9), n.duration + 5, n.velocity)
        for i, n in enumerate(eighths)
    ]
    late.append(Note(70, 3 * TPB + 120 + 30, 100, 90))  # a sixteenth played 30 ticks late
    heard = heard_on_grid(late, TPB)
    assert (70, 3 * TPB + 120) in {(n.pitch, n.start) for n in heard}


def test_starts_on_the_grid_keep_their_place_and_played_ends_are_heard_on_it():
    """A part recorded with its starts quantized and its lengths as played (the app's own record quantize)."""
    written = sixteenths_tune()
    rnd = random.Random(1)
    recorded = [Note(n.pitch, n.start, n.duration + rnd.randint(-30, 30), n.velocity) for n in written]
    assert is_played_in(recorded, TPB)
    heard = heard_on_grid(recorded, TPB)
    assert [n.start for n in heard] == sorted(n.start for n in written)
    assert music(heard) == music(written)


def test_what_is_heard_keeps_the_ids_never_loses_a_note_to_zero_length_and_merges_doubled_onsets():
    notes = played(sixteenths_tune(), 2)
    heard = heard_on_grid(notes, TPB)
    assert {n.id for n in heard} == {n.id for n in notes}
    assert all(n.duration >= TPB // 4 for n in heard)
    # two strikes of one key a few ticks apart land on one onset: the longer is kept
    double = [*notes, Note(notes[0].pitch, notes[0].start + 9, 900, 70)]
    heard = heard_on_grid(double, TPB)
    same = [n for n in heard if (n.pitch, n.start) == (notes[0].pitch, 0)]
    assert len(same) == 1 and same[0].velocity == 70


def test_music_that_leans_steadily_off_the_beat_gives_its_lean_and_other_music_none():
    """POP909's songs sit a steady 33-53 ticks off their grid and a keyboard recorded through a latency
    steadily late: new parts take that lean. A part on the grid, or played with no steady lean, has none."""
    written = sixteenths_tune()
    late = [n.moved(43) for n in written]
    early = [n.moved(-37) for n in written[1:]]  # the first note cannot start before the piece
    assert lean([late], TPB) == 43
    assert lean([early, written[:1]], TPB) == -37  # part by part, the distances together
    assert lean([written], TPB) == 0
    assert all(lean([played(written, seed)], TPB) == 0 for seed in range(5))  # jitter is no lean
    assert lean([played(late, seed, jitter=8) for seed in range(3)], TPB) in range(40, 47)
    assert leaned([Note(60, 10, 100), Note(62, 480, 100)], -37) == (Note(60, 0, 100), Note(62, 443, 100))


def test_a_note_played_just_before_a_bar_line_is_heard_in_the_bar_after_it():
    """Rewriting bars replaces the notes heard in them: one played a little early belongs to the bar."""
    from musestudio.core.played_in import heard_in

    written = sixteenths_tune()
    early = [n.moved(-37) for n in written[1:]]
    in_bar_2 = heard_in(early, 4 * TPB, 8 * TPB, TPB)
    assert {n.id for n in early if 4 * TPB <= n.start + 37 < 8 * TPB} == in_bar_2
    assert heard_in(written, 4 * TPB, 8 * TPB, TPB) == {n.id for n in written if 4 * TPB <= n.start < 8 * TPB}
