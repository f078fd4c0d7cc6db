import pytest
from hypothesis import given
from hypothesis import strategies as st

from musestudio.core import Note, TempoChange, TimeSignature
from musestudio.core.timing import (
    GRID_VALUES,
    BarGrid,
    bar_lines,
    beat_name,
    beats_as_bars,
    counted_beat,
    counted_beat_ticks,
    counted_bpm,
    grid_line,
    grid_move,
    next_bar_line,
    quantize,
    quarter_bpm,
    seconds_to_ticks,
    snap,
    ticks_to_bar_beat,
    ticks_to_seconds,
)

TPB = 480
TEMPOS = (TempoChange(0, 120), TempoChange(1920, 60), TempoChange(3840, 150))


@pytest.mark.parametrize(
    ("meter", "beat", "name", "shown"),
    [
        ((6, 8), 720, "dotted quarter", 120),  # a jig at 180 quarters a minute: two beats of 120 a bar
        ((9, 8), 720, "dotted quarter", 120),
        ((12, 8), 720, "dotted quarter", 120),
        ((4, 4), 480, "quarter", 180),
        ((3, 4), 480, "quarter", 180),
        ((6, 4), 480, "quarter", 180),  # counted in six, as the MIDI metronome clocks it
        ((2, 2), 960, "half", 90),  # cut time: two half notes a bar
        ((3, 8), 240, "eighth", 360),
        ((7, 8), 240, "eighth", 360),
        ((6, 16), 360, "dotted eighth", 240),
    ],
)
def test_the_tempo_reads_in_the_beat_the_meter_is_counted_in(meter, beat, name, shown):
    sig = TimeSignature(0, *meter)
    assert counted_beat_ticks(sig, TPB) == beat == counted_beat(sig) * TPB
    assert beat_name(sig) == name
    assert counted_bpm(180, sig) == shown
    assert quarter_bpm(shown, sig) == 180  # what the file holds is what it held


def test_a_tempo_typed_in_counted_beats_stays_within_what_midi_holds():
    assert quarter_bpm(1.3, TimeSignature(0, 6, 16)) == 1.0  # 0.975 quarters: slower than MIDI's floor
    assert quarter_bpm(40_000_001, TimeSignature(0, 6, 8)) == 60_000_000


def test_seconds_follow_the_tempo_map():
    assert ticks_to_seconds(1920, TEMPOS, TPB) == pytest.approx(2.0)  # 4 beats at 120
    assert ticks_to_seconds(3840, TEMPOS, TPB) == pytest.approx(6.0)  # + 4 beats at 60
    assert ticks_to_seconds(4320, TEMPOS, TPB) == pytest.approx(6.4)  # + 1 beat at 150


@given(st.integers(0, 100_000))
def test_seconds_and_ticks_invert(ticks):
    assert seconds_to_ticks(ticks_to_seconds(ticks, TEMPOS, TPB), TEMPOS, TPB) == pytest.approx(ticks)


def test_every_grid_lands_on_whole_ticks_at_480_including_triplets():
    steps = {name: GRID_VALUES[name] * 4 * TPB for name in GRID_VALUES}
    assert all(step.denominator == 1 for step in steps.values())
    assert steps["1/4"] == 480 and steps["1/8T"] == 160 and steps["1/32T"] == 40 and steps["1/1"] == 1920


def test_a_grid_the_resolution_cannot_hold_lands_on_the_nearest_ticks():
    step = GRID_VALUES["1/32T"] * 4 * 100  # 8 1/3 ticks at 100 per beat
    assert [grid_line(k, step) for k in range(1, 13)] == [8, 17, 25, 33, 42, 50, 58, 67, 75, 83, 92, 100]


def test_snap_goes_to_the_nearest_line():
    assert snap(119, 240) == 0 and snap(120, 240) == 240 and snap(700, 160) == 640


@given(
    st.lists(st.tuples(st.integers(0, 127), st.integers(0, 20_000), st.integers(1, 3000)), max_size=30),
    st.sampled_from(sorted(GRID_VALUES)),
)
def test_full_quantize_puts_every_start_and_end_on_the_grid(raw, grid):
    step = int(GRID_VALUES[grid] * 4 * TPB)
    notes = [Note(p, s, d) for p, s, d in raw]
    out = quantize(notes, step)
    assert [n.id for n in out] == [n.id for n in notes]
    for n in out:
        assert n.start % step == 0 and n.end % step == 0 and n.duration >= step


def test_half_strength_quantize_moves_half_way():
    (n,) = quantize([Note(60, 100, 480)], 240, strength=0.5, ends=False)
    assert n.start == 50 and n.duration == 480


def test_bar_lines_follow_meter_changes():
    sigs = (TimeSignature(0, 4, 4), TimeSignature(3840, 6, 8))
    assert bar_lines(sigs, TPB, 7000) == [0, 1920, 3840, 5280, 6720, 8160]


def test_bar_beat_counts_the_meter_beat():
    six8 = (TimeSignature(0, 6, 8),)
    assert str(ticks_to_bar_beat(0, six8, TPB)) == "1:1"
    assert str(ticks_to_bar_beat(1440 + 240 * 5, six8, TPB)) == "2:6"
    sigs = (TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4))
    assert str(ticks_to_bar_beat(3840 + 1440 + 480, sigs, TPB)) == "4:2"


def test_next_bar_line():
    sigs = (TimeSignature(0, 3, 4),)
    assert next_bar_line(0, sigs, TPB) == 0
    assert next_bar_line(1, sigs, TPB) == 1440
    assert next_bar_line(1440, sigs, TPB) == 1440


def test_a_beat_grid_is_heard_in_four_four_from_its_downbeat():
    tpb = 480
    one = (TimeSignature(0, 1, 4),)
    # most onsets on the second beat of every four: a first bar of one beat, then 4/4 from there
    starts = [k * tpb for k in range(16)] + [k * tpb for k in range(1, 16, 4)]
    assert beats_as_bars(one, starts, tpb) == (TimeSignature(0, 1, 4), TimeSignature(tpb, 4, 4))
    assert beats_as_bars(one, [0, 4 * tpb, 8 * tpb], tpb) == (TimeSignature(0, 4, 4),)
    assert beats_as_bars(one, starts[:4], tpb) == one  # four beats do not say where beat one is
    written = (TimeSignature(0, 1, 4), TimeSignature(4 * tpb, 3, 4))  # a meter of its own: as written
    assert beats_as_bars(written, starts, tpb) == written


def test_only_a_piece_in_one_beat_bars_is_rebarred_and_only_its_meter_changes():
    """The user's Re-bar: a beat grid gets the bars its pitched notes are heard in (the drums' hits
    would put beat one elsewhere); every other event stays as it was."""
    from musestudio.core.timing import beat_grid_rebarred
    from tests.beat_grid import HEARD, beat_grid_song

    song = beat_grid_song()
    rebarred = beat_grid_rebarred(song)
    assert rebarred.time_signatures == HEARD
    assert rebarred.with_time_signatures(song.time_signatures) == song
    assert beat_grid_rebarred(rebarred) is None  # heard as written now
    assert beat_grid_rebarred(song.with_time_signatures([TimeSignature(0, 4, 4)])) is None
    assert (
        beat_grid_rebarred(song.with_time_signatures([TimeSignature(0, 1, 4), TimeSignature(960, 3, 4)]))
        is None
    )
    short = song.with_tracks(t.with_notes(n for n in t.notes if n.start < 4 * TPB) for t in song.tracks)
    assert beat_grid_rebarred(short) is None  # four beats do not say where beat one is


def test_beat_one_is_found_where_the_grid_sits_off_the_beat_by_sixteenths():
    """POP909's files often sit one to three sixteenths off their beat grid: the beat is the sixteenth
    most onsets fall on, beat one the beat most onsets fall on exactly, and the first bar is written as
    a musician writes a pickup."""
    from musestudio.core.timing import beat_one

    one = (TimeSignature(0, 1, 4),)
    for late, first in ((120, (1, 16)), (240, (1, 8)), (360 + 480, (7, 16)), (480 + 960, (3, 4))):
        downbeats = [late + b * 4 * TPB for b in range(4)]
        starts = (
            downbeats * 3 + [late + k * TPB for k in range(16)] + [late + k * TPB + 240 for k in range(16)]
        )
        assert beat_one(starts, TPB) == late
        assert beats_as_bars(one, starts, TPB) == (TimeSignature(0, *first), TimeSignature(late, 4, 4))
    assert beat_one([7 * k for k in range(100)], 7) % 7 == 0  # no whole sixteenths: beats only


@given(st.integers(0, 10_000), st.integers(-16, 16))
def test_grid_moves_land_on_grid_lines_however_odd_the_step(start_line, steps):
    """A 32nd at 100 ticks per beat (12.5 ticks): a move from a grid line lands on the line ``steps`` on,
    and a move from off the grid keeps its distance from the lines."""
    step = GRID_VALUES["1/32"] * 4 * 100
    line = snap(start_line * step, step)
    assert line + grid_move(line, step, steps) == snap((start_line + steps) * step, step)
    assert grid_move(line + 1, step, steps) == grid_move(line, step, steps)


# 4/4 for two bars, 3/4 for two, then 6/8; a 7/8 bar further on puts the quarter grid off tick 0's count
METERS = (
    TimeSignature(0, 4, 4),
    TimeSignature(3840, 3, 4),
    TimeSignature(6720, 6, 8),
    TimeSignature(9600, 7, 8),
    TimeSignature(10440, 4, 4),
)


def drawn_lines(sigs, step, end):
    """The grid lines the roll draws up to ``end``: each bar line, and the grid counted from it."""
    lines = set()
    bars = bar_lines(sigs, TPB, end)
    for bar, nxt in zip(bars, bars[1:], strict=False):
        lines |= {bar} | {bar + grid_line(k, step) for k in range(1, -(-(nxt - bar) // step))}
    return sorted(lines)


def test_the_bar_grid_snaps_a_click_after_a_three_four_downbeat_onto_it():
    half = BarGrid(GRID_VALUES["1/2"] * 4 * TPB, METERS, TPB)
    assert half.floor(5300) == 5280 and half.snap(5300) == 5280  # bar 4's downbeat, not beat 3 of bar 3
    whole = BarGrid(GRID_VALUES["1/1"] * 4 * TPB, METERS, TPB)
    assert whole.floor(8180) == 8160 and whole.snap(7700) == 8160  # 6/8 bars: 6720, 8160, ...
    assert whole.move(6720, 1) == 1440 and whole.move(6720, -1) == -1440  # one step is one 6/8 bar
    quarter = BarGrid(GRID_VALUES["1/4"] * 4 * TPB, METERS, TPB)
    assert quarter.snap(10440 + 470) == 10440 + 480  # after the 7/8 bar, beats count from its end


@given(st.sampled_from(sorted(GRID_VALUES)), st.integers(0, 13_000))
def test_the_bar_grid_lands_on_the_lines_drawn(grid, tick):
    step = GRID_VALUES[grid] * 4 * TPB
    lines = drawn_lines(METERS, step, 20_000)
    bar_grid = BarGrid(step, METERS, TPB)
    below = max(t for t in lines if t <= tick)
    above = min(t for t in lines if t > tick)
    assert bar_grid.floor(tick) == below
    assert bar_grid.snap(tick) == (below if tick - below < above - tick else above)
    assert bar_grid.ceil(tick) == (below if below == tick else above)
    assert below + bar_grid.move(tick, 2) == min(t for t in lines if t > above)
    if below > 0:
        assert below + bar_grid.move(tick, -1) == max(t for t in lines if t < below)


@given(st.sampled_from(sorted(GRID_VALUES)), st.integers(0, 40_000), st.sampled_from((96, 100, 480)))
def test_where_the_grid_fits_every_bar_the_bar_grid_is_the_plain_grid(grid, tick, tpb):
    step = GRID_VALUES[grid] * 4 * tpb
    bar_grid = BarGrid(step, (TimeSignature(0, 4, 4),), tpb)
    assert bar_grid.snap(tick) == snap(tick, step)
    assert bar_grid.move(tick, 3) == grid_move(tick, step, 3)
    assert bar_grid.move(tick, -2) == grid_move(tick, step, -2)


def test_swing_quantize_puts_the_offbeats_at_two_thirds_of_the_beat():
    from musestudio.core.timing import SWING

    eighths = BarGrid(GRID_VALUES["1/8"] * 4 * TPB, METERS, TPB)
    played = [Note(60, 6, 300), Note(62, 310, 150), Note(64, 470, 320), Note(65, 815, 140)]
    swung = eighths.quantize(played, swing=SWING)
    assert [(n.start, n.end) for n in swung] == [(0, 320), (320, 480), (480, 800), (800, 960)]
    assert [n.id for n in swung] == [n.id for n in played]
    # in the 3/4 bars the pairs count from the bar line: bar 4's second eighth is 5280 + 320
    (n,) = eighths.quantize([Note(60, 5280 + 300, 100)], swing=SWING)
    assert (n.start, n.end) == (5280 + 320, 5280 + 480)


@given(st.sampled_from(sorted(GRID_VALUES)), st.integers(0, 13_000))
def test_the_grid_swung_by_a_half_is_the_grid(grid, tick):
    from fractions import Fraction

    bar_grid = BarGrid(GRID_VALUES[grid] * 4 * TPB, METERS, TPB)
    lines = bar_grid.swung_lines(tick, Fraction(1, 2))
    assert min(lines, key=lambda line: (abs(line - tick), -line)) == bar_grid.snap(tick)
    assert min(line for line in lines if line > tick) == bar_grid.ceil(tick + 1)
