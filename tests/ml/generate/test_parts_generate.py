"""The parts engine's API and CLI on a tiny randomly initialised model (no trained weights, no shared data).

A random model writes random music; what is tested is what must hold whatever the weights: takes have the
asked bars and parts, a seed repeats a take, key lock and pitch ranges hold per part, infill changes only
the asked bars of the asked track, drums pass through untouched, errors are one line with exit code 2.
"""

import json
from dataclasses import replace

import pytest
import torch
from drum_patterns import beat, kick_onsets
from note_checks import holds_a_key_struck_again
from parts_fixtures import chorale_like, save_tiny_parts_model

from musestudio.cli import main
from musestudio.core.events import SOSTENUTO, SUSTAIN, ControlEvent
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.io import formats
from musestudio.ml.engines import unload
from musestudio.ml.generate.parts import (
    Options,
    PartIn,
    add_part,
    bars_nothing_sounds_in,
    continue_parts,
    infill,
)
from musestudio.ml.generate.request import SEEDS
from musestudio.ml.parts_grammar import PartsGrammar

C_MAJOR = KeySignature(0, "major")


@pytest.fixture(scope="module")
def stem(tmp_path_factory, one_thread):
    out = save_tiny_parts_model(tmp_path_factory.mktemp("parts") / "parts")
    yield out
    unload()


def _parts(bars=4):
    piece = chorale_like(bars)
    return [PartIn(p.notes, p.role, p.program) for p in piece.parts]


def _opts(stem, **kw):
    return Options(style="pop", variations=2, seed=11, model=stem, **kw)


def test_continue_all_writes_every_part_in_its_own_track_and_repeats_with_a_seed(stem):
    parts = _parts()
    a = continue_parts(parts, tpb=480, bars=3, options=_opts(stem))
    b = continue_parts(parts, tpb=480, bars=3, options=_opts(stem))
    assert a.takes == b.takes and a.seed == 11
    assert len(a.takes) == 2
    for take in a.takes:
        assert take.start == 4 * 1920 and take.bars == 3 and len(take.parts) == 3
        for notes in take.parts:
            assert all(4 * 1920 <= n.start < 7 * 1920 for n in notes)
    other = continue_parts(
        parts, tpb=480, bars=3, options=Options(style="pop", variations=2, seed=12, model=stem)
    )
    assert other.takes != a.takes


def test_key_lock_and_pitch_range_hold_per_part(stem):
    parts = _parts()
    parts[0] = PartIn(parts[0].notes, "melody", 0, pitch_range=(70, 84))
    parts[2] = PartIn(parts[2].notes, "bass", 32, pitch_range=(30, 45))
    res = continue_parts(
        parts, tpb=480, bars=4, options=_opts(stem, key=C_MAJOR, key_lock=True, temperature=2.0)
    )
    for take in res.takes:
        assert all(C_MAJOR.contains(n.pitch) for p in take.parts for n in p)
        assert all(70 <= n.pitch <= 84 for n in take.parts[0])
        assert all(30 <= n.pitch <= 45 for n in take.parts[2])


def test_continue_listed_leaves_the_others_alone_and_single_lines_stay_single(stem):
    res = continue_parts(_parts(), tpb=480, bars=2, listed=[0], options=_opts(stem, temperature=2.0))
    for take in res.takes:
        assert take.parts[1] == () and take.parts[2] == ()
        mel = sorted(take.parts[0], key=lambda n: n.start)
        assert all(
            x.end <= y.start for x, y in zip(mel, mel[1:], strict=False)
        )  # the seed's melody is one line: so is this


def test_add_parts_and_infill_write_only_what_was_asked(stem):
    parts = _parts()
    res = add_part(
        parts[:1], [PartIn((), "harmony", 52), PartIn((), "bass", 32)], tpb=480, options=_opts(stem)
    )
    for take in res.takes:
        assert take.parts[0] == () and len(take.parts) == 3
        assert all(0 <= n.start < 4 * 1920 for p in take.parts[1:] for n in p)
    res = infill(parts, 1, tpb=480, bars=(1, 2), options=_opts(stem))
    for take in res.takes:
        assert take.parts[0] == () and take.parts[2] == ()
        assert all(1920 <= n.start < 3 * 1920 for n in take.parts[1])


def test_bad_requests_are_bad_input(stem):
    from musestudio.core.errors import BadInputError

    with pytest.raises(BadInputError):
        continue_parts(_parts(), tpb=480, bars=0, options=_opts(stem))
    with pytest.raises(BadInputError):
        continue_parts(_parts(), tpb=480, bars=2, options=_opts(stem, key=C_MAJOR, key_lock=True), listed=[5])
    with pytest.raises(BadInputError):
        PartIn((), "lead")


# -- the CLI -------------------------------------------------------------------------------------------


def _file(tmp_path):
    piece = chorale_like(4)
    tracks = [
        Track(name="Melody", program=0, channel=0, notes=piece.parts[0].notes),
        Track(name="Chords", program=48, channel=1, notes=piece.parts[1].notes),
        Track(
            name="Drums",
            program=0,
            channel=9,
            is_drum=True,
            notes=tuple(Note(36 + i % 2, i * 480, 120, 100) for i in range(16)),
        ),
        Track(name="Bass", program=32, channel=2, notes=piece.parts[2].notes),
    ]
    path = tmp_path / "seed.mid"
    formats.save(Project(tracks=tuple(tracks)), path)
    return path


def _notes(track):
    return [(n.pitch, n.start, n.duration, n.velocity) for n in track.notes]


def test_cli_infill_keeps_every_other_note_bit_identical(stem, tmp_path, capsys):
    path = _file(tmp_path)
    before = formats.load(path)
    rc = main(
        [
            "infill",
            str(path),
            "-o",
            str(tmp_path / "out"),
            "--track",
            "2",
            "--bars",
            "2-3",
            "--model",
            str(stem),
            "--seed",
            "5",
            "--json",
            "--style",
            "pop",
        ]
    )
    assert rc == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["engine"] == "parts" and facts["seed"] == 5 and len(facts["takes"]) == 4
    for take in facts["takes"]:
        after = formats.load(take["path"])
        assert take["bars"] == 2
        for i in (0, 2, 3):
            assert _notes(after.tracks[i]) == _notes(before.tracks[i])
        outside = lambda t: [x for x in _notes(t) if not 1920 <= x[1] < 3 * 1920]  # noqa: E731
        assert outside(after.tracks[1]) == outside(before.tracks[1])
        inside = [x for x in _notes(after.tracks[1]) if 1920 <= x[1] < 3 * 1920]
        assert len(inside) == take["notes"]


def test_cli_continue_tracks_and_add_part_pass_drums_through(stem, tmp_path, capsys):
    path = _file(tmp_path)
    before = formats.load(path)
    rc = main(
        [
            "continue",
            str(path),
            "-o",
            str(tmp_path / "c"),
            "--tracks",
            "1,4",
            "--bars",
            "2",
            "--model",
            str(stem),
            "--seed",
            "3",
            "--json",
            "--variations",
            "1",
            "--style",
            "pop",
        ]
    )
    assert rc == 0
    take = json.loads(capsys.readouterr().out)["takes"][0]
    after = formats.load(take["path"])
    assert _notes(after.tracks[2]) == _notes(before.tracks[2])  # drums
    assert _notes(after.tracks[1]) == _notes(before.tracks[1])  # not listed
    assert (
        len(after.tracks[0].notes) + len(after.tracks[3].notes)
        == len(before.tracks[0].notes) + len(before.tracks[3].notes) + take["notes"]
    )
    rc = main(
        [
            "add-part",
            str(path),
            "-o",
            str(tmp_path / "a"),
            "--role",
            "counter-melody",
            "--model",
            str(stem),
            "--seed",
            "3",
            "--variations",
            "1",
            "--program",
            "73",
        ]
    )
    assert rc == 0
    after = formats.load(next((tmp_path / "a").glob("*.mid")))
    assert [t.name for t in after.tracks] == ["Melody", "Chords", "Drums", "Bass", "Counter melody"]
    assert after.tracks[4].program == 73 and _notes(after.tracks[2]) == _notes(before.tracks[2])


@pytest.mark.parametrize(
    "argv",
    [
        ["infill", "{p}", "-o", "{o}", "--track", "3", "--bars", "1-2"],
        ["infill", "{p}", "-o", "{o}", "--track", "9", "--bars", "1-2"],
        ["infill", "{p}", "-o", "{o}", "--track", "1", "--bars", "3-1"],
        ["continue", "{p}", "-o", "{o}", "--tracks", "7"],
        ["add-part", "{p}", "-o", "{o}", "--role", "drums"],
    ],
    ids=["drum-track", "no-such-track", "backwards", "no-such-track-continue", "bad-role"],
)
def test_cli_bad_input_is_one_error_line_and_exit_2(stem, tmp_path, capsys, argv):
    path = _file(tmp_path)
    args = [a.format(p=path, o=tmp_path / "o") for a in argv] + ["--model", str(stem)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:")


def test_new_parts_keep_the_part_order_with_the_given_melody(stem):
    melody = _parts()[0]
    res = add_part(
        [melody],
        [PartIn((), "harmony", 52), PartIn((), "bass", 32)],
        tpb=480,
        options=_opts(stem, temperature=2.0),
    )
    for take in res.takes:
        for notes in take.parts[1:]:
            for n in notes:
                above = [m.pitch for m in melody.notes if m.start <= n.start < m.end]
                assert all(n.pitch <= p for p in above)


def test_develop_bias_favours_the_pitch_that_continues_a_seed_figure():
    from musestudio.ml.generate.parts_stream import StreamGrammar, _Cell

    g = PartsGrammar()
    ok = torch.ones(128, dtype=torch.bool)
    seed = [60, 62, 64, 65, 67]  # intervals 2 2 1 2
    grammar = StreamGrammar(g, 1, [g.track_id(0), _Cell(0, 48)], [ok], [True], [g.bar_id], [seed + [70, 72]])
    grammar.observe_row(0, g.track_id(0))  # the forced TRACK_0
    grammar.observe_row(0, g.pos0)  # a position: a pitch comes next
    bonus = grammar.develop_bonus(0, 3.0)
    # the line ends 70, 72 (+2) after 67 (+3): no figure starts with (3, 2); with (2,) alone nothing is matched
    assert not bonus or not any(bonus.values())
    grammar.observe_row(0, g.pitch0 + 74)  # 72 -> 74: now (2, 2) begins the seed's figure 2 2 1 2
    grammar.observe_row(0, g.dur0)
    grammar.observe_row(0, g.pos0 + 6)
    bonus = grammar.develop_bonus(0, 3.0)
    assert bonus and max(bonus, key=bonus.get) == g.pitch0 + 75  # +1, as in the figure
    assert not StreamGrammar(g, 1, [_Cell(0, 48)], [ok], [True], [g.bar_id], [seed]).develop_bonus(0, 0.0)


def test_progress_counts_cells_and_cancel_stops(stem):
    import threading

    from musestudio.core.errors import Cancelled

    seen = []
    opts = Options(style="pop", variations=2, seed=1, model=stem, progress=lambda d, t: seen.append((d, t)))
    continue_parts(_parts(), tpb=480, bars=2, options=opts)
    assert seen and seen[-1] == (12, 12) and seen == sorted(seen)  # 2 takes x 2 bars x 3 parts
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        infill(_parts(), 0, tpb=480, bars=(0, 1), options=Options(style="pop", model=stem, cancel=stop))


def test_continue_all_keeps_the_part_order_among_the_new_parts(stem):
    res = continue_parts(_parts(), tpb=480, bars=3, options=_opts(stem, temperature=2.0))
    for take in res.takes:
        melody, harmony, bass = take.parts
        for lower, uppers in ((harmony, [melody]), (bass, [melody, harmony])):
            for n in lower:
                bar = n.start // 1920
                for upper in uppers:
                    over = [m.pitch for m in upper if m.start // 1920 == bar and m.start <= n.start < m.end]
                    assert all(n.pitch <= p for p in over)


def test_a_take_is_its_own_seed_whatever_the_other_variations_over_several_chunks(stem):
    """Each variation draws from its own seed (seed + its index), and a row that finished a chunk draws no
    more numbers: so the second take of seed 11 is the one take of seed 12, also past the first chunk."""
    parts = _parts()
    both = continue_parts(parts, tpb=480, bars=14, options=_opts(stem))
    one = Options(style="pop", variations=1, seed=12, model=stem)
    alone = continue_parts(parts, tpb=480, bars=14, options=one)
    assert both.takes[1] == alone.takes[0]
    assert both.takes[0] != both.takes[1]


def test_the_second_take_of_the_top_seed_goes_round_to_seed_0_which_draws_it(stem):
    """From the top seed the app's seed box holds (2^31 - 1) the second take showed 2^31, which the box
    cannot take: it draws from 0 and shows 0."""
    parts = _parts()
    top = continue_parts(
        parts, tpb=480, bars=2, options=Options("pop", variations=2, seed=SEEDS - 1, model=stem)
    )
    alone = continue_parts(parts, tpb=480, bars=2, options=Options("pop", variations=1, seed=0, model=stem))
    assert [t.seed for t in top.takes] == [SEEDS - 1, 0] and top.takes[1] == alone.takes[0]


def _busy_piano(bars: int) -> list[PartIn]:
    """A melody and a left hand in sixteenths: a piano part that takes four times a bar's usual tokens."""
    step = 120
    right = tuple(Note(72 + (i % 5), i * step, step, 80) for i in range(16 * bars))
    left = tuple(Note(48 + (i % 4), i * step, step, 70) for i in range(16 * bars))
    return [PartIn(right, "melody", 0), PartIn(left, "accompaniment", 0)]


def _bars_with_notes(notes) -> set[int]:
    return {n.start // 1920 for n in notes}


def test_new_parts_under_a_busy_piano_sound_in_every_bar(stem):
    """The prompt a pass reads in full (the given parts in its own bars) counts against the model's window:
    nine bars of sixteenths once left room for two bars of the new parts, and the other seven were silent."""
    res = add_part(
        _busy_piano(16),
        [PartIn((), "bass", 33, density=4), PartIn((), "harmony", 48, density=4)],
        tpb=480,
        options=_opts(stem),
    )
    for take in res.takes:
        for part in take.parts[2:]:
            assert _bars_with_notes(part) == set(range(16))


def test_a_row_out_of_room_leaves_its_last_cells_to_a_pass_of_their_own(stem, monkeypatch):
    """Where a part writes far more than estimated (here every estimate is one token), a row reaches the
    end of the window before its last cell; the cells it did not finish are written in a pass of their
    own, each hearing what the row did write, so every bar still sounds."""
    from musestudio.ml.generate import parts_fill

    monkeypatch.setattr(parts_fill, "_est_cell_tokens", lambda *a: 1.0)
    passes = []
    sample = parts_fill._sample
    monkeypatch.setattr(parts_fill, "_sample", lambda *a, **k: passes.append(a[2]) or sample(*a, **k))
    res = add_part(_busy_piano(16), [PartIn((), "bass", 33, density=6)], tpb=480, options=_opts(stem))
    assert len(passes) > 1 + 2  # more than the planned pass for both takes and one more per take
    for take in res.takes:
        assert _bars_with_notes(take.parts[2]) == set(range(16))


def test_a_note_ringing_into_the_next_chunk_leaves_no_bar_silent(stem):
    """A continuation is written a few bars at a time; where a note of one chunk rings over into the next,
    the next chunk once read that bar as context, wrote from the bar after it, and every part fell silent
    there (and its last bar was lost)."""
    seed = _busy_piano(4)  # dense enough that a chunk is a bar or two
    res = continue_parts(seed, tpb=480, bars=12, options=_opts(stem, temperature=1.5))
    for take in res.takes:
        for part in take.parts:
            assert _bars_with_notes(part) == set(range(4, 16))


def test_a_new_part_in_chords_never_holds_a_key_it_strikes_again(stem):
    res = add_part(
        _parts(8)[:1], PartIn((), "accompaniment", 0, voices=3), tpb=480, options=_opts(stem, temperature=1.5)
    )
    cont = continue_parts(_busy_piano(2), tpb=480, bars=6, options=_opts(stem, temperature=1.5))
    for part in [t.parts[-1] for t in res.takes] + [p for t in cont.takes for p in t.parts]:
        assert not holds_a_key_struck_again(part)


def test_new_notes_end_by_the_bar_line_after_the_bars_written(stem):
    """A continued part's last note, or a new part's under the last bar, once rang on past the bars
    asked for: the kept take lengthened the piece."""
    cont = continue_parts(_busy_piano(2), tpb=480, bars=2, options=_opts(stem, temperature=1.5))
    for take in cont.takes:
        assert all(n.end <= 4 * 1920 for part in take.parts for n in part)
    added = add_part(
        _parts(4)[:1], PartIn((), "bass", 32), tpb=480, bars=(0, 1), options=_opts(stem, temperature=1.5)
    )
    for take in added.takes:
        assert all(n.end <= 2 * 1920 for n in take.parts[-1])


def test_bars_a_few_past_the_last_note_are_the_pieces_but_far_past_it_are_refused():
    """A window or a selection may end in bars of rest after the last note (Arrange's windows do); a range
    far past the music (the CLI once built every bar line up to bar 100,000,000) is refused."""
    from musestudio.core.errors import BadInputError
    from musestudio.ml.generate.parts import MAX_BARS, _check_range

    _check_range(0, 5, 4)
    with pytest.raises(BadInputError, match="go past the end of the piece: it has 4 bars"):
        _check_range(0, 4 + MAX_BARS, 4)


def _with_bars_silent(parts: list[PartIn], silent: set[int]) -> list[PartIn]:
    return [replace(p, notes=tuple(n for n in p.notes if n.start // 1920 not in silent)) for p in parts]


def _bars_sounding(notes) -> set[int]:
    return {bar for n in notes for bar in range(n.start // 1920, (n.end - 1) // 1920 + 1)}


@pytest.mark.parametrize("notated", [False, True], ids=["in_a_whole_bar", "as_a_short_bar"])
def test_a_new_part_comes_in_on_the_downbeat_after_the_tunes_pickup(stem, notated):
    """A tune opening with an upbeat (the last beat of a bar of rests, or a short first bar of one beat): the
    bass played under the pickup note. It comes in with the band, on the downbeat after it."""
    parts = _with_bars_silent(_parts(5), {0})
    pickup = Note(67, 0 if notated else 3 * 480, 480, 90)
    parts[0] = replace(parts[0], notes=(pickup, *parts[0].notes))
    sigs = (TimeSignature(0, 1, 4), TimeSignature(480, 4, 4)) if notated else (TimeSignature(0, 4, 4),)
    if notated:  # the tune's bars follow the one-beat bar
        parts = [
            replace(p, notes=tuple(n if n is pickup else n.moved(480 - 1920) for n in p.notes)) for p in parts
        ]
    res = add_part(parts, PartIn((), "bass", 32), tpb=480, time_signatures=sigs, options=_opts(stem))
    downbeat = 480 if notated else 1920
    for take in res.takes:
        assert take.parts[-1] and all(n.start >= downbeat for n in take.parts[-1])


def test_a_new_part_rests_where_the_whole_band_rests(stem):
    """A tune that comes in at bar 3 and breaks off for bars 5-6: a bass added to it played under every
    bar, the eight bars before the tune of a piece starting at bar 9 too. It waits and rests with the band
    (no note of it sounds there); asked for those silent bars alone, it writes them (an intro of its own)."""
    parts = _with_bars_silent(_parts(8), {0, 1, 4, 5})
    res = add_part(parts, PartIn((), "bass", 32), tpb=480, options=_opts(stem))
    for take in res.takes:
        assert take.parts[-1] and not _bars_sounding(take.parts[-1]) & {0, 1, 4, 5}
    intro = add_part(parts, PartIn((), "bass", 32), tpb=480, bars=(0, 1), options=_opts(stem))
    assert any(_bars_sounding(take.parts[-1]) & {0, 1} for take in intro.takes)


def _drums(bars: set[int]) -> tuple[Note, ...]:
    """A kick and a snare on every beat of ``bars`` (at 480 ticks a beat, in 4/4)."""
    return tuple(
        Note(36 + 2 * (beat % 2), bar * 1920 + beat * 480, 120, 100) for bar in bars for beat in range(4)
    )


def test_a_new_part_plays_with_the_drums_and_rests_only_where_they_rest_too(stem):
    """A tune over drums that play a two-bar intro and two bars on after it: a bass added to it rested
    through the drum intro and stopped with the tune, as if the drums were not the band. It plays where the
    drums play, and rests only where nothing plays (bar 6: the tune and the drums both break off)."""
    parts = _with_bars_silent(_parts(8), {0, 1, 5, 6})
    drums = _drums({0, 1, 2, 3, 4, 5, 7, 8, 9})
    res = add_part(
        parts,
        PartIn((), "bass", 32),
        tpb=480,
        options=replace(_opts(stem, temperature=2.0), variations=4),
        drums=drums,
    )
    sounding = [_bars_sounding(take.parts[-1]) for take in res.takes]
    assert all(6 not in bars for bars in sounding)
    assert any(bars & {0, 1} for bars in sounding)  # the drum intro
    assert any(5 in bars for bars in sounding)  # the tune rests, the drums play on
    assert any(bars & {8, 9} for bars in sounding)  # the drums' bars after the tune


def test_a_new_bass_stays_under_the_low_notes_of_the_given_chords(stem):
    """A high tune over a piano's chords whose lowest notes are G2 and F2: the bass's range reached from
    D2 to D4 (a fifth under the tune's middle), so it played among and above the chords' low notes. It
    stays at or under the band's lowest note, down to E1."""
    from musestudio.ml.generate.parts_controls import default_ranges

    tune = tuple(Note(72 + (k % 8), k * 480, 480, 90) for k in range(16))
    chords = tuple(
        Note(p, bar * 1920, 1920, 70)
        for bar, low in enumerate((43, 41, 43, 41))
        for p in (low, low + 7, low + 12)
    )
    given = [PartIn(tune, "melody", 0), PartIn(chords, "accompaniment", 0)]
    assert default_ranges([*given, PartIn((), "bass", 32)])[-1] == (28, 41)
    res = add_part(given, PartIn((), "bass", 32), tpb=480, options=_opts(stem, temperature=2.0))
    for take in res.takes:
        assert take.parts[-1] and all(28 <= n.pitch <= 41 for n in take.parts[-1])
    # a band already down at E1 leaves the bass an octave above it; a tune alone, its range as before
    deep = PartIn((Note(28, 0, 1920, 70),), "accompaniment", 0)
    assert default_ranges([given[0], deep, PartIn((), "bass", 32)])[-1] == (28, 40)
    assert default_ranges([given[0], PartIn((), "bass", 32)])[-1] == (38, 62)


def test_cli_add_part_plays_a_bass_with_the_drum_intro(stem, tmp_path, capsys):
    """``add-part --role bass`` on a file whose drums play two bars before the tune: the bass plays in
    them (it rested, the drums not counted as the band)."""
    tune = tuple(Note(72 + (k % 5), 2 * 1920 + k * 480, 480, 90) for k in range(16))
    tracks = (
        Track("Melody", 0, 0, notes=tune),
        Track("Drums", 0, 9, is_drum=True, notes=_drums({0, 1, 2, 3, 4, 5})),
    )
    path = tmp_path / "intro.mid"
    formats.save(Project(tracks=tracks), path)
    argv = ["add-part", str(path), "-o", str(tmp_path / "a"), "--role", "bass", "--model", str(stem)]
    argv += ["--style", "pop", "--seed", "3", "--temperature", "2", "--json"]
    assert main(argv) == 0
    takes = json.loads(capsys.readouterr().out)["takes"]
    basses = [formats.load(take["path"]).tracks[-1] for take in takes]
    assert all(b.name == "Bass" for b in basses)
    assert any(_bars_sounding(b.notes) & {0, 1} for b in basses)


def test_a_break_with_an_upbeat_into_the_next_phrase_is_a_rest_until_the_upbeat(stem):
    """The band breaks off for bar 5, the tune coming back with an upbeat on its last beat: a bass added to
    it played through the break, as only the piece's first upbeat was heard as one. It rests there too, and
    comes back with the band on the downbeat after the upbeat."""
    parts = _with_bars_silent(_parts(8), {4})
    parts[0] = replace(parts[0], notes=(*parts[0].notes, Note(67, 4 * 1920 + 3 * 480, 480, 90)))
    res = add_part(parts, PartIn((), "bass", 32), tpb=480, options=_opts(stem, temperature=2.0))
    for take in res.takes:
        assert take.parts[-1] and 4 not in _bars_sounding(take.parts[-1])


def _bar_notes(bar: int, *beats: int, beat_length: int = 480) -> tuple[Note, ...]:
    return tuple(Note(60, bar * 1920 + b * 480, beat_length, 80) for b in beats)


def test_a_bar_the_band_sounds_in_only_with_an_upbeat_into_the_next_is_a_rest():
    """Bars of rest, as a bassist hears the band: bar 3 breaks off with an upbeat on beat 4 into bar 4 (a
    rest, as the piece's own upbeat in bar 1 is); bar 5's first note is on beat 2, in the bar's first half
    (no upbeat: it plays); bar 7 holds a note from bar 6 through its downbeat (it sounds)."""
    notes = [
        *_bar_notes(0, 3),
        *_bar_notes(1, 0, 1, 2, 3),
        *_bar_notes(2, 3),
        *_bar_notes(3, 0, 1),
        *_bar_notes(4, 1, 2, 3),
        *_bar_notes(5, 0),
        Note(60, 5 * 1920 + 3 * 480, 960, 80),
        *_bar_notes(7, 0),
    ]
    sigs = (TimeSignature(0, 4, 4),)
    assert bars_nothing_sounds_in(notes, 480, sigs, 0, 8) == {0, 2, 8}
    assert bars_nothing_sounds_in(notes, 480, sigs, 1, 3) == {2}


def test_a_chord_the_sustain_pedal_holds_sounds_through_the_bars_it_rings_in():
    """A piano strikes a chord in bar 1, its keys let go after a beat, the pedal holding it until bar 3:
    bar 2 counted as the band's rest and a new part rested under the ringing chord. A pedal let up within
    a sixteenth after the bar line is let up with it (a pianist lifts it just after the beat)."""
    chord = [Note(p, 0, 480, 80) for p in (48, 52, 55)]
    tune = _bar_notes(3, 0, 1, 2, 3)
    sigs = (TimeSignature(0, 4, 4),)
    assert bars_nothing_sounds_in([*chord, *tune], 480, sigs, 0, 3) == {1, 2}
    held = ((480, 2 * 1920 + 60),)  # lifted an eighth of a beat into bar 3
    assert bars_nothing_sounds_in([*chord, *tune], 480, sigs, 0, 3, held=held) == {2}
    held = ((480, 3 * 1920 + 60),)
    assert bars_nothing_sounds_in([*chord, *tune], 480, sigs, 0, 3, held=held) == set()


def test_a_new_part_plays_under_a_chord_the_pedal_holds(stem):
    """A piano strikes a chord on bar 4's downbeat for a beat and holds it with the pedal through bar 5, the
    tune resting in both: the bass rested under the ringing chord in bar 5. Told where the pedal holds it
    (``held``), the bass plays there."""
    parts = _with_bars_silent(_parts(8), {3, 4})
    chord = tuple(Note(p, 3 * 1920, 480, 70) for p in (48, 52, 55))
    parts.append(PartIn(chord, "accompaniment", 0))
    kw = dict(tpb=480, options=replace(_opts(stem, temperature=2.0), variations=4))
    unheld = add_part(parts, PartIn((), "bass", 32), **kw)
    assert all(4 not in _bars_sounding(take.parts[-1]) for take in unheld.takes)
    held = add_part(parts, PartIn((), "bass", 32), held=((3 * 1920 + 480, 5 * 1920),), **kw)
    assert any(4 in _bars_sounding(take.parts[-1]) for take in held.takes)


@pytest.mark.parametrize("lane, down", [(SUSTAIN, 2 * 1920), (SOSTENUTO, 2 * 1920 + 240)])
def test_cli_add_part_plays_under_a_chord_the_pedal_holds(stem, tmp_path, capsys, lane, down):
    """``add-part --role bass`` on a file whose piano strikes a chord for a beat at bar 3 and holds it with
    the pedal through bar 4, the tune resting there: the bass plays under the ringing chord in bar 4. The
    sostenuto pedal (CC 66), pressed while the chord's keys are down, holds it as the sustain pedal does."""
    tune = tuple(Note(72 + (k % 5), k * 480, 480, 90) for k in range(8))
    tracks = (
        Track("Melody", 0, 0, notes=(*tune, *(n.moved(4 * 1920) for n in tune))),
        Track(
            "Piano",
            0,
            1,
            notes=tuple(Note(p, 2 * 1920, 480, 70) for p in (48, 52, 55)),
            controllers=(ControlEvent(down, lane, 127), ControlEvent(4 * 1920, lane, 0)),
        ),
    )
    path = tmp_path / "pedal.mid"
    formats.save(Project(tracks=tracks), path)
    argv = ["add-part", str(path), "-o", str(tmp_path / "a"), "--role", "bass", "--model", str(stem)]
    argv += ["--style", "pop", "--seed", "3", "--temperature", "2", "--json"]
    assert main(argv) == 0
    takes = json.loads(capsys.readouterr().out)["takes"]
    assert any(3 in _bars_sounding(formats.load(take["path"]).tracks[-1].notes) for take in takes)


def _on_kicks(notes, kicks) -> float:
    onsets = {n.start for n in notes}
    return len(onsets & kicks) / len(onsets)


def test_a_part_added_to_drums_alone_is_written_to_the_beat_in_c_major(stem):
    """A beat and nothing else: Add a part refused it ("no pitched notes"), though a bass line is what a
    drummer's beat asks for. The bass is written in every bar, its onsets leaning to the kick's (the model
    hears no drums: ``parts_groove``; a random model's, so many of them and not all), in C major when no key is given, the same take for the same seed."""
    from musestudio.ml.generate import parts as parts_module

    piece = beat("rock")
    drums = piece.tracks[0].notes
    seen = []
    for _ in range(2):
        seen.append(add_part([], PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums))
    assert seen[0].takes == seen[1].takes
    for take in seen[0].takes:
        (bass,) = take.parts
        assert bass and _bars_sounding(bass) == set(range(8)) and take.bars == 8
        assert _on_kicks(bass, kick_onsets(piece)) >= 0.3  # this random model's own: 0.03-0.04
    asked = []
    real_fill = parts_module._fill_request
    parts_module._fill_request = lambda *a, **kw: asked.append(a[5].key) or real_fill(*a, **kw)
    try:
        add_part([], PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
        add_part(
            [],
            PartIn((), "bass", 32),
            tpb=480,
            options=_opts(stem, key=KeySignature(2, "minor")),
            drums=drums,
        )
    finally:
        parts_module._fill_request = real_fill
    assert asked == [C_MAJOR, KeySignature(2, "minor")]


def test_the_groove_leans_onsets_to_the_kick_over_drums_alone(stem, monkeypatch):
    """The kick's places are what a bass over drums alone lands on: without the lean, the same seed's
    onsets fall on them far less often. A tune with no drums is no groove to lean to: its bass is as it was."""
    import musestudio.ml.generate.parts_stream as stream

    piece = beat("half-time")
    drums, kicks = piece.tracks[0].notes, kick_onsets(piece)
    leaning = add_part([], PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
    no_drums = add_part(_parts(8), PartIn((), "bass", 32), tpb=480, options=_opts(stem))
    monkeypatch.setattr(stream, "GROOVE_BONUS", 0.0)
    alone = add_part([], PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
    share = [_on_kicks(t.parts[0], kicks) for t in leaning.takes]
    before = [_on_kicks(t.parts[0], kicks) for t in alone.takes]
    assert min(share) > max(before)
    assert no_drums.takes == add_part(_parts(8), PartIn((), "bass", 32), tpb=480, options=_opts(stem)).takes


@pytest.mark.parametrize("pattern", ["rock", "half-time"])
def test_a_bass_added_to_a_band_with_drums_locks_to_the_kick(stem, monkeypatch, pattern):
    """A tune and its chords with a drum track, and a bass added, as a band's bassist joins it: the model
    hears the tune but no drums, and its bass fell on the kick no more often than a random model's own
    (0.03-0.13 of its onsets). It leans to the kick as over drums alone: the same seed's takes without the
    lean land there far less often."""
    import musestudio.ml.generate.parts_stream as stream

    piece = beat(pattern)
    drums, kicks = piece.tracks[0].notes, kick_onsets(piece)
    band = _parts(8)[:2]  # the melody and its chords
    leaning = add_part(band, PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
    monkeypatch.setattr(stream, "GROOVE_BONUS", 0.0)
    alone = add_part(band, PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
    share = [_on_kicks(t.parts[-1], kicks) for t in leaning.takes]
    assert min(share) >= 0.25 and min(share) > max(_on_kicks(t.parts[-1], kicks) for t in alone.takes)
    assert all(take.parts[:2] == ((), ()) for take in leaning.takes)  # the band's parts get no new notes


def test_a_kit_with_no_kick_gives_a_bass_in_a_band_nothing_to_lock_to(stem, monkeypatch):
    """Hi-hat and snare alone: a bassist has no kick to lock to, and the backbeat is the bass's
    complement, not its place; the bass follows the tune as it did (the lean changes nothing)."""
    import musestudio.ml.generate.parts_stream as stream

    drums = tuple(n for n in beat("rock").tracks[0].notes if n.pitch not in (35, 36))
    band = _parts(8)[:2]
    leaning = add_part(band, PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums)
    monkeypatch.setattr(stream, "GROOVE_BONUS", 0.0)
    assert (
        leaning.takes
        == add_part(band, PartIn((), "bass", 32), tpb=480, options=_opts(stem), drums=drums).takes
    )


@pytest.mark.parametrize("pattern", ["six-eight", "three-four"])
def test_cli_add_part_writes_a_bass_to_a_drums_only_file(stem, tmp_path, capsys, pattern):
    """``add-part --role bass`` on a file whose only track is drums: it said "has no pitched track". Each
    take is the file with a bass track added: the drums as they were, the meter and the bars kept, a bass
    note in every bar and many with the kick (a random model's), and stderr says the key and style it is in."""
    path = tmp_path / f"{pattern}.mid"
    formats.save(beat(pattern), path)
    before = formats.load(path)
    argv = ["add-part", str(path), "-o", str(tmp_path / "a"), "--role", "bass", "--model", str(stem)]
    assert main([*argv, "--seed", "3", "--variations", "2", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "has only drums, so the new part is written to its beat in C major" in err and "pop style" in err
    takes = json.loads(out)["takes"]
    assert len(takes) == 2 and all(t["bars"] == 8 and t["notes"] for t in takes)
    for t in takes:
        after = formats.load(t["path"])
        assert after.time_signatures == before.time_signatures
        assert after.tracks[0] == before.tracks[0]
        bass = after.tracks[1]
        assert (bass.name, bass.program, bass.is_drum) == ("Bass", 32, False)
        bar = after.time_signatures[0].numerator * 4 * 480 // after.time_signatures[0].denominator
        assert {n.start // bar for n in bass.notes} == set(range(8))
        assert _on_kicks(bass.notes, kick_onsets(before)) >= 0.3  # the random model's own: at most 0.12
    assert main([*argv, "--seed", "3", "--variations", "1", "--key", "E minor"]) == 0
    assert "its beat in E minor (--key;" in capsys.readouterr().err


def test_cli_add_part_over_drums_alone_says_the_key_it_wrote_in_the_file_unless_the_file_had_one(
    stem, tmp_path, capsys
):
    """A bass added to a beat with no key signature is in C major (or the ``--key``): the take's file said
    no key, so what reads it (a DAW, the app) knew nothing of the key its bass is in. It carries the key
    the part was written in; a beat with a key signature of its own keeps it as the file had it."""
    plain, keyed = tmp_path / "plain.mid", tmp_path / "keyed.mid"
    formats.save(beat("rock"), plain)
    bar = 4 * 480
    in_d = replace(beat("rock"), key=KeySignature(2, "major"))
    formats.save(in_d.add_key_change(4 * bar).set_key_at(4 * bar, KeySignature(7, "major")), keyed)
    keyed_before = formats.load(keyed)
    assert formats.load(plain).key is None and keyed_before.key_changes

    def key_of_take(path, *more) -> tuple:
        """The key and key changes of the take's file, and what stderr said."""
        out = tmp_path / f"{path.stem}{len(more)}"
        argv = ["add-part", str(path), "-o", str(out), "--role", "bass", "--model", str(stem), *more]
        assert main([*argv, "--seed", "3", "--variations", "1", "--json"]) == 0
        said = capsys.readouterr()
        (take,) = json.loads(said.out)["takes"]
        after = formats.load(take["path"])
        assert after.tracks[1].notes
        return after.key, after.key_changes, said.err

    key, changes, err = key_of_take(plain)
    assert (key, changes) == (KeySignature(0, "major"), ())
    assert "the takes' files say C major as their key signature" in err
    assert key_of_take(plain, "--key", "E minor")[:2] == (KeySignature.parse("E minor"), ())
    key, changes, err = key_of_take(keyed, "--key", "E minor")
    assert (key, changes) == (keyed_before.key, keyed_before.key_changes) and "the takes' files" not in err


def test_chords_added_to_drums_alone_keep_their_notes_while_they_lean_to_the_beat(stem, monkeypatch):
    """The lean to the drums' places made moving on to the next of them likelier than a chord's next note
    at its onset: an accompaniment's chords thinned to single notes. A chord's next note gains as much."""
    import musestudio.ml.generate.parts_stream as stream

    def per_onset(result) -> list[float]:
        return [len(t.parts[0]) / len({n.start for n in t.parts[0]}) for t in result.takes]

    drums = beat("rock").tracks[0].notes
    leaning = add_part([], PartIn((), "accompaniment", 0), tpb=480, options=_opts(stem), drums=drums)
    monkeypatch.setattr(stream, "GROOVE_BONUS", 0.0)
    alone = add_part([], PartIn((), "accompaniment", 0), tpb=480, options=_opts(stem), drums=drums)
    assert min(per_onset(leaning)) >= min(per_onset(alone)) > 2
