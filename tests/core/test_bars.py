"""Insert Bars and Delete Bars over the whole piece: every track and the conductor move with the music, bars
are the piece's own (meter changes), notes across the cut are held or cut, and what deleted bars set
stays set after them."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from musestudio.core.bars import (
    bar_index,
    bar_line,
    bars_covering,
    bars_span,
    delete_bars,
    insert_bars,
    playhead_after_insert,
    tick_after_delete,
    tick_after_insert,
)
from musestudio.core.events import (
    BANK_SELECT,
    PAN,
    PITCH_BEND,
    PROGRAM,
    SUSTAIN,
    VOLUME,
    ControlEvent,
    KeyChange,
    Marker,
    RawEvent,
    TextEvent,
)
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.track import Track

REVERB = 91
BAR = 1920  # a 4/4 bar at 480 ticks a beat
WALTZ = 1440  # a 3/4 bar
G_MAJOR, D_MAJOR = KeySignature.parse("G major"), KeySignature.parse("D major")


def piece() -> Project:
    """Two 4/4 bars then 3/4 from bar 3 (tick 3840), with something of every kind in bars 1 to 5."""
    melody = Track(
        name="Melody",
        notes=(
            Note(60, 0, 480),  # bar 1
            Note(62, BAR - 240, 480),  # held across the bar 1|2 line
            Note(64, BAR, 480),  # bar 2
            Note(65, 2 * BAR, WALTZ),  # bar 3, the first 3/4 bar
            Note(67, 2 * BAR + WALTZ, 480),  # bar 4
        ),
        controllers=(
            ControlEvent(0, PAN, 40),
            ControlEvent(BAR, SUSTAIN, 127),
            ControlEvent(BAR + 960, SUSTAIN, 0),
            ControlEvent(2 * BAR, PROGRAM, 40),
        ),
        texts=(TextEvent(0, "copyright", "(c) me"), TextEvent(BAR, "lyrics", "la")),
        extra_events=(RawEvent(BAR, b"\xf0\x7e\x7f\x09\x01\xf7"),),
    )
    bass = Track(name="Bass", channel=1, notes=(Note(36, 0, 2 * BAR),))  # held right across bar 2
    return Project(
        tracks=(melody, bass),
        tempos=(TempoChange(0, 120.0), TempoChange(BAR, 100.0), TempoChange(2 * BAR, 90.0)),
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(2 * BAR, 3, 4)),
        key=KeySignature.parse("C major"),
        key_changes=(KeyChange(BAR, G_MAJOR), KeyChange(2 * BAR + WALTZ, D_MAJOR)),
        markers=(Marker(BAR, "Verse"), Marker(2 * BAR, "Waltz")),
    )


def ticks(items) -> list[int]:
    return [e.tick for e in items]


def test_bars_are_counted_in_the_pieces_own_meters():
    sigs = piece().time_signatures
    assert [bar_line(sigs, 480, i) for i in range(5)] == [
        0,
        BAR,
        2 * BAR,
        2 * BAR + WALTZ,
        2 * BAR + 2 * WALTZ,
    ]
    assert bars_span(piece(), 1, 2) == (BAR, 2 * BAR + WALTZ)  # bar 2 (4/4) and bar 3 (3/4)
    assert bars_covering(piece(), BAR + 100, 2 * BAR + 10) == (BAR, 2 * BAR + WALTZ)
    assert bars_covering(piece(), BAR, 2 * BAR) == (BAR, 2 * BAR)  # a loop exactly on bar lines


def test_inserted_bars_move_everything_from_the_bar_line_on_every_track():
    before = piece()
    after = insert_bars(before, BAR, 2)  # two 4/4 bars before bar 2
    shift = 2 * BAR
    melody, bass = after.tracks
    assert [(n.start, n.duration) for n in melody.notes] == [
        (0, 480),
        (BAR - 240, 480 + shift),  # held on through the new bars into bar 2 as before
        (BAR + shift, 480),
        (2 * BAR + shift, WALTZ),
        (2 * BAR + WALTZ + shift, 480),
    ]
    assert [(n.start, n.duration) for n in bass.notes] == [(0, 2 * BAR + shift)]
    assert ticks(melody.controllers) == [0, BAR + shift, BAR + 960 + shift, 2 * BAR + shift]
    assert ticks(melody.texts) == [0, BAR + shift] and ticks(melody.extra_events) == [BAR + shift]
    assert ticks(after.markers) == [BAR + shift, 2 * BAR + shift]
    # the new bars are in bar 2's tempo, meter and key: a change at the bar line stays on it
    assert [(t.tick, t.bpm) for t in after.tempos] == [(0, 120), (BAR, 100), (2 * BAR + shift, 90)]
    assert [(s.tick, str(s)) for s in after.time_signatures] == [(0, "4/4"), (2 * BAR + shift, "3/4")]
    assert [(k.tick, k.key) for k in after.key_changes] == [
        (BAR, G_MAJOR),
        (2 * BAR + WALTZ + shift, D_MAJOR),
    ]
    assert [n.id for n in melody.notes] == [n.id for n in before.tracks[0].notes]  # the same notes


def test_bars_inserted_in_a_changed_meter_are_bars_of_that_meter():
    after = insert_bars(piece(), 2 * BAR + WALTZ, 1)  # before bar 4, a 3/4 bar
    assert after.tracks[0].notes[-1].start == 2 * BAR + 2 * WALTZ
    assert ticks(after.time_signatures) == [0, 2 * BAR]  # the 3/4 goes on through the new bar
    assert ticks(after.key_changes) == [BAR, 2 * BAR + WALTZ]  # D major starts the new bar


def test_bars_inserted_at_the_end_lengthen_the_piece():
    before = piece()
    end = bar_line(before.time_signatures, 480, 6)  # after the last note
    after = insert_bars(before, end, 2)
    assert after.tracks == before.tracks and after.length == end + 2 * WALTZ


def test_deleted_bars_take_their_notes_and_bring_the_rest_earlier():
    after = delete_bars(piece(), BAR, 2 * BAR)  # bar 2
    melody, bass = after.tracks
    assert [(n.pitch, n.start, n.duration) for n in melody.notes] == [
        (60, 0, 480),
        (62, BAR - 240, 240),  # cut where the deleted bar began
        (65, BAR, WALTZ),
        (67, BAR + WALTZ, 480),
    ]
    assert [(n.start, n.duration) for n in bass.notes] == [(0, BAR)]  # held right across: shortened
    assert [e.kind for e in melody.texts] == ["copyright"]  # bar 2's lyric went with its note
    assert ticks(after.markers) == [BAR] and after.markers[0].text == "Waltz"  # the Verse marker went


def test_what_deleted_bars_set_stays_set_after_them():
    after = delete_bars(piece(), BAR, 2 * BAR + WALTZ)  # bars 2 and 3: into the 3/4
    melody = after.tracks[0]
    # the 3/4 and the 90 BPM in force at the end of the deleted bars hold from the cut on
    assert [(s.tick, str(s)) for s in after.time_signatures] == [(0, "4/4"), (BAR, "3/4")]
    assert [(t.tick, t.bpm) for t in after.tempos] == [(0, 120), (BAR, 90)]
    assert [(k.tick, k.key) for k in after.key_changes] == [(BAR, D_MAJOR)]
    # the program change made in bar 3 still plays bar 4; the pedal, down and up again, leaves nothing
    assert [(e.tick, e.lane, e.value) for e in melody.controllers] == [(0, PAN, 40), (BAR, PROGRAM, 40)]
    # the SysEx the app cannot read is kept, at the cut
    assert ticks(melody.extra_events) == [BAR]
    assert [n.start for n in melody.notes] == [0, BAR - 240, BAR]


def test_a_pedal_held_down_out_of_deleted_bars_stays_down():
    project = Project(
        tracks=(
            Track(
                notes=(Note(60, 3 * BAR, 480),),
                controllers=(ControlEvent(BAR + 960, SUSTAIN, 127), ControlEvent(3 * BAR + 480, SUSTAIN, 0)),
            ),
        )
    )
    after = delete_bars(project, BAR, 2 * BAR)
    assert [(e.tick, e.value) for e in after.tracks[0].controllers] == [(BAR, 127), (2 * BAR + 480, 0)]


def test_deleting_an_empty_first_bar_keeps_the_files_set_up():
    melody = Track(
        program=5,
        volume=90,
        program_after=0,  # its bank select came after its program: for a later program change
        notes=(Note(60, BAR, 480),),
        controllers=(
            ControlEvent(0, BANK_SELECT, 1),
            ControlEvent(0, SUSTAIN, 0),
            ControlEvent(0, PAN, 64),  # stated twice at the start, as some files do
            ControlEvent(0, PAN, 30),
            ControlEvent(BAR + 480, PAN, 90),
        ),
        texts=(TextEvent(0, "copyright", "(c) me"), TextEvent(0, "instrument_name", "Harpsichord")),
        extra_events=(RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7"),),
    )
    project = Project(
        tracks=(melody,), texts=(TextEvent(0, "copyright", "(c) us"),), markers=(Marker(BAR, "A"),)
    )
    after = delete_bars(project, 0, BAR)
    track = after.tracks[0]
    assert (track.program, track.volume, track.program_after) == (5, 90, 0)
    assert track.settings_and_lanes() == tuple(
        e.moved(-BAR) if e.tick else e for e in melody.settings_and_lanes()
    )
    assert track.texts == melody.texts and track.extra_events == melody.extra_events
    assert after.texts == project.texts and ticks(after.markers) == [0]
    assert track.notes == (Note(60, 0, 480),)


def test_an_instrument_chosen_in_a_deleted_first_bar_is_the_tracks_instrument_after():
    melody = Track(
        program=0,
        notes=(Note(60, BAR, 480),),
        controllers=(ControlEvent(480, PROGRAM, 40), ControlEvent(960, VOLUME, 70)),
    )
    track = delete_bars(Project(tracks=(melody,)), 0, BAR).tracks[0]
    # sent at tick 0 after the lanes, a program change left as a lane event there would be overridden
    assert (track.program, track.volume, track.controllers) == (40, 70, ())
    assert track.settings_and_lanes()[:2] == (ControlEvent(0, VOLUME, 70), ControlEvent(0, PROGRAM, 40))


def test_deleting_the_bars_just_inserted_gives_back_the_piece():
    before = piece()
    for at, count in ((0, 1), (BAR, 2), (2 * BAR, 1), (2 * BAR + WALTZ, 3)):
        inserted = insert_bars(before, at, count)
        start, end = bars_span(inserted, _index(inserted, at), count)
        restored = delete_bars(inserted, start, end)
        assert restored == before, (at, count)
        for old, new in zip(before.tracks, restored.tracks, strict=True):
            assert [n.id for n in old.notes] == [n.id for n in new.notes]
            assert [e.id for e in old.controllers] == [e.id for e in new.controllers]
        assert [t.id for t in restored.tempos] == [t.id for t in before.tempos]


def test_a_files_text_at_the_start_stays_when_bar_1_is_deleted():
    """A file's comment at tick 0 ("Sequenced by ...") is its set-up, as Insert Bars before bar 1 leaves it
    there: deleting bar 1, or the bar just inserted before it, keeps it; bar 1's lyric goes with its note."""
    comment, lyric = TextEvent(0, "text", "Sequenced by me"), TextEvent(0, "lyrics", "Ah")
    melody = Track(notes=(Note(60, 0, 480), Note(62, BAR, 480)), texts=(comment, lyric))
    project = Project(tracks=(melody,), texts=(TextEvent(0, "cue_marker", "Take 2"),))
    restored = delete_bars(insert_bars(project, 0, 1), 0, BAR)
    assert restored == project
    after = delete_bars(project, 0, BAR)
    assert after.tracks[0].texts == (comment,) and after.texts == project.texts


def test_texts_after_bar_1s_lyric_move_with_it_and_come_back_in_order():
    """A file singing "Ah" at tick 0, then a cue and a comment there: they go with bar 1's music, so a bar
    inserted before bar 1 and deleted again gives them back after the lyric, as the file sent them."""
    sent = (TextEvent(0, "lyrics", "Ah"), TextEvent(0, "cue_marker", "solo"), TextEvent(0, "text", "x"))
    project = Project(tracks=(Track(notes=(Note(60, 0, 480),), texts=sent),), texts=sent[1:])
    inserted = insert_bars(project, 0, 1)
    assert ticks(inserted.tracks[0].texts) == [BAR] * 3
    assert delete_bars(inserted, 0, BAR) == project


def test_a_set_up_parts_pan_then_program_come_back_in_that_order():
    """A part without notes sends its lanes as it keeps them (a file's set-up track: a pan, then a program
    0): a bar inserted before bar 1 and deleted again leaves them in that order, as the file had them."""
    track = Track(controllers=(ControlEvent(0, PAN, 0), ControlEvent(0, PROGRAM, 0)))
    project = Project(tracks=(track,), time_signatures=(TimeSignature(0, 2, 4),))
    inserted = insert_bars(project, 0, 1)
    restored = delete_bars(inserted, *bars_span(inserted, 0, 1))
    assert restored == project
    assert [e.id for e in restored.tracks[0].controllers] == [e.id for e in track.controllers]


def test_a_set_up_parts_banks_and_programs_come_back_as_they_were():
    """A set-up part as a file sends it (bank, program, bank, program, bank at tick 0), its program read
    from the last program and a bank after it: the bar inserted before bar 1 and deleted again gives back
    the part as it was, the order it plays and saves them in too."""
    sounds = (BANK_SELECT, PROGRAM, BANK_SELECT, PROGRAM, BANK_SELECT)
    track = Track(program_after=3, controllers=tuple(ControlEvent(0, lane, 0) for lane in sounds))
    project = Project(tracks=(track,))
    restored = delete_bars(insert_bars(project, 0, 1), 0, BAR)
    assert restored == project


def test_a_gs_reset_among_a_set_up_parts_controls_comes_back_where_it_was():
    """A set-up part as a file sends it: a program, two bends, a GS reset, then a program and a bank. A bar
    inserted before bar 1 and deleted again leaves the reset after the same three controls, undoing both
    bends as the file's did (after only two, the second bend would stay in force)."""
    gs_reset = RawEvent(0, b"\xf0\x41\x10\x42\x12\x40\x00\x7f\x00\x41\xf7", after_controls=3)
    lanes = (PROGRAM, PITCH_BEND, PITCH_BEND, PROGRAM, BANK_SELECT)
    track = Track(
        program_after=1,
        controllers=tuple(ControlEvent(0, lane, 2000 if lane == PITCH_BEND else 0) for lane in lanes),
        extra_events=(gs_reset,),
    )
    project = Project(tracks=(track,))
    assert delete_bars(insert_bars(project, 0, 1), 0, BAR) == project


def test_deleting_bar_1_of_a_set_up_part_keeps_its_start_in_order():
    """A set-up part's pan then program 0 at the start, a reverb send in bar 1: with bar 1 deleted the
    reverb send comes to the start after them, and the pan still goes before the program."""
    track = Track(
        controllers=(ControlEvent(0, PAN, 0), ControlEvent(0, PROGRAM, 0), ControlEvent(480, REVERB, 40))
    )
    after = delete_bars(Project(tracks=(track,)), 0, BAR).tracks[0]
    assert [(e.tick, e.lane) for e in after.controllers] == [(0, PAN), (0, PROGRAM), (0, REVERB)]


def test_a_sysex_from_a_deleted_bar_1_goes_before_bar_2s_lyric_as_it_did():
    """A GM reset in bar 1 after its lyric at tick 0, bar 2 singing "lo": with bar 1 deleted the reset and
    the lyric both come to the start, the reset first as it was sent before the lyric. Bar 1's own lyric,
    deleted with it, is no longer one the reset comes after."""
    gm_on = RawEvent(480, b"\xf0\x7e\x7f\x09\x01\xf7")
    track = Track(
        notes=(Note(60, 0, 480), Note(62, BAR, 480)),
        texts=(TextEvent(0, "lyrics", "la"), TextEvent(BAR, "lyrics", "lo")),
        extra_events=(gm_on,),
    )
    after = delete_bars(Project(tracks=(track,)), 0, BAR).tracks[0]
    assert [(t.tick, t.text) for t in after.texts] == [(0, "lo")]
    assert [(e.tick, e.after_texts) for e in after.extra_events] == [(0, 0)]


def test_a_sysex_after_bar_1s_lyric_goes_before_bar_2s_when_bar_1_is_deleted():
    """A GM reset at tick 0 after bar 1's lyric, bar 2 singing "lo": with bar 1 deleted its lyric goes and
    bar 2's comes to the start, after the reset, as it was sent after it. A bar inserted before bar 1 and
    deleted again still gives back the reset after bar 1's lyric (the lyric moved and came back)."""
    gm_on = RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7", after_texts=1)
    track = Track(
        notes=(Note(60, 0, 480), Note(62, BAR, 480)),
        texts=(TextEvent(0, "lyrics", "la"), TextEvent(BAR, "lyrics", "lo")),
        extra_events=(gm_on,),
    )
    project = Project(tracks=(track,))
    after = delete_bars(project, 0, BAR).tracks[0]
    assert [(t.tick, t.text) for t in after.texts] == [(0, "lo")]
    assert [(e.tick, e.after_texts) for e in after.extra_events] == [(0, 0)]
    assert delete_bars(insert_bars(project, 0, 1), 0, BAR) == project


def _index(project: Project, tick: int) -> int:
    return next(i for i in range(100) if bar_line(project.time_signatures, 480, i) == tick)


def test_ticks_follow_the_bars():
    assert [tick_after_insert(t, 100, 50) for t in (99, 100, 200)] == [99, 150, 250]
    assert [tick_after_delete(t, 100, 200) for t in (100, 150, 200, 250)] == [100, 100, 100, 150]


def test_a_playhead_on_the_bar_line_where_bars_go_in_stays_at_their_start():
    assert [playhead_after_insert(t, 100, 50) for t in (99, 100, 101, 200)] == [99, 100, 151, 250]


def test_bars_inserted_before_bar_1_come_after_the_files_set_up():
    melody = Track(
        notes=(Note(60, 0, 480),),
        controllers=(ControlEvent(0, PAN, 30), ControlEvent(0, SUSTAIN, 127), ControlEvent(400, SUSTAIN, 0)),
        texts=(TextEvent(0, "copyright", "(c) me"), TextEvent(0, "lyrics", "Ah")),
        extra_events=(RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7"),),  # a GM reset: after it, the program
    )
    project = Project(tracks=(melody,), markers=(Marker(0, "Intro"),), extra_events=melody.extra_events)
    after = insert_bars(project, 0, 1)
    track = after.tracks[0]
    assert [(e.tick, e.lane) for e in track.controllers] == [(0, PAN), (0, SUSTAIN), (BAR + 400, SUSTAIN)]
    assert [(e.tick, e.kind) for e in track.texts] == [(0, "copyright"), (BAR, "lyrics")]
    assert ticks(track.extra_events) == [0] and ticks(after.extra_events) == [0]
    assert ticks(after.markers) == [BAR] and track.notes[0].start == BAR
    assert delete_bars(after, 0, BAR) == project


def test_bars_inserted_after_the_end_and_deleted_again_leave_the_end_as_it_was():
    project = piece()
    at = bar_line(project.time_signatures, 480, 4)  # bar 5, after the last note's bar
    assert project.end < at and project.end_of_track == 0
    inserted = insert_bars(project, at, 2)
    assert inserted.end_of_track == at + 2 * WALTZ  # two silent bars end the piece
    assert delete_bars(inserted, at, at + 2 * WALTZ) == project  # it ends at its last note again


def test_bars_inserted_well_past_the_end_and_deleted_again_give_back_its_length():
    """The playhead several bars after the last note, two bars inserted there: the silent bars up to them
    become the piece's, and deleting the two gives the piece back as long as it was, not ending where they
    went in. A file's end at the bar line after its last note (a loop's) comes back the same."""
    short = Project(tracks=(Track(notes=(Note(60, 0, 1000),)),))
    for project in (short, short.with_(end_of_track=BAR)):
        inserted = insert_bars(project, 5 * BAR, 2)
        assert inserted.length == 7 * BAR  # bars 2 to 5 silent, then the two new ones
        restored = delete_bars(inserted, 5 * BAR, 7 * BAR)
        assert (restored.length, restored.end_of_track) == (project.length, project.end_of_track)
        twice = insert_bars(insert_bars(project, BAR, 1), 2 * BAR, 1)  # one bar, then one more after it
        assert delete_bars(twice, BAR, 3 * BAR).end_of_track == project.end_of_track
        # only the last of them: the piece still ends after the other
        assert delete_bars(inserted, 6 * BAR, 7 * BAR).end_of_track == 6 * BAR


def test_deleting_silent_bars_ends_the_piece_at_the_cut():
    """A file's silent bars 2 and 3 after a short note in bar 1: deleting bar 3 leaves bar 2 silent, and
    deleting both leaves bar 1 whole, as the file stated its end on a bar line."""
    project = Project(tracks=(Track(notes=(Note(60, 0, 1000),)),), end_of_track=3 * BAR)
    assert delete_bars(project, 2 * BAR, 3 * BAR).end_of_track == 2 * BAR
    assert delete_bars(project, BAR, 3 * BAR).end_of_track == BAR
    edited = insert_bars(project, 3 * BAR, 1).with_(end_of_track=5 * BAR)  # its end moved since
    assert delete_bars(edited, 3 * BAR, 4 * BAR).end_of_track == 4 * BAR


@st.composite
def pieces(draw):
    """A small piece of any meters, with notes, controllers, tempo, key and marker changes anywhere."""
    sigs, tick = [], 0
    for _ in range(draw(st.integers(1, 3))):
        sig = TimeSignature(tick, draw(st.sampled_from((2, 3, 4, 5, 6, 7))), draw(st.sampled_from((4, 8))))
        sigs.append(sig)
        tick += draw(st.integers(1, 3)) * sig.numerator * 1920 // sig.denominator
    span = tick + 4 * BAR
    at = st.integers(0, span)
    notes = draw(st.lists(st.builds(Note, st.integers(30, 90), at, st.integers(1, 3000)), max_size=12))
    lanes = st.sampled_from((PAN, SUSTAIN, PROGRAM, VOLUME, BANK_SELECT))
    controllers = draw(st.lists(st.builds(ControlEvent, at, lanes, st.integers(0, 127)), max_size=12))
    tempos = draw(st.lists(st.builds(TempoChange, at, st.sampled_from((60.0, 90.0, 140.0))), max_size=3))
    keys = draw(st.lists(st.builds(KeyChange, at, st.sampled_from((G_MAJOR, D_MAJOR))), max_size=3))
    markers = draw(st.lists(st.builds(Marker, at, st.just("M")), max_size=3))
    track = Track(program=draw(st.integers(0, 127)), notes=tuple(notes), controllers=tuple(controllers))
    return Project(
        tracks=(track,),
        tempos=tuple(tempos),
        time_signatures=tuple(sigs),
        key_changes=tuple(keys),
        markers=tuple(markers),
        end_of_track=draw(st.sampled_from((0, span + 4000))),  # none, or after every note
    )


@settings(max_examples=60, deadline=None)
@given(pieces(), st.integers(0, 12), st.integers(1, 3))
def test_any_bars_inserted_and_deleted_again_give_back_the_piece(project, index, count):
    at = bar_line(project.time_signatures, 480, index)
    assume(at < project.length)
    inserted = insert_bars(project, at, count)
    assert inserted.length == project.length + (
        count * (bar_line(inserted.time_signatures, 480, index + 1) - at)
    )
    restored = delete_bars(inserted, *bars_span(inserted, index, count))
    assert restored == project
    old, new = project.tracks[0], restored.tracks[0]
    assert [n.id for n in old.notes] == [n.id for n in new.notes]
    assert [e.id for e in old.controllers] == [e.id for e in new.controllers]


@settings(max_examples=40, deadline=None)
@given(pieces(), st.integers(0, 3), st.integers(1, 3))
def test_any_bars_inserted_after_the_end_and_deleted_again_give_back_the_piece(project, later, count):
    index = bar_index(project, max(project.length - 1, 0)) + 1 + later  # the bar after the end, or later
    at = bar_line(project.time_signatures, 480, index)
    inserted = insert_bars(project, at, count)
    assert inserted.length == bar_line(inserted.time_signatures, 480, index + count)
    restored = delete_bars(inserted, *bars_span(inserted, index, count))
    assert restored == project and restored.end_of_track == project.end_of_track


def _pedalled_chords() -> Project:
    """A chord at bar 2 held by the sostenuto pressed after its note-ons (``after_strikes``), a program
    change after them at bar 3's chord (it plays the old sound; the next one, at bar 4, the new)."""
    chords = tuple(Note(p, bar * BAR, 960) for bar in (1, 2, 3) for p in (48, 55, 64))
    controllers = (
        ControlEvent(BAR, 66, 127, after_strikes=True),
        ControlEvent(BAR + 1440, 66, 0),
        ControlEvent(2 * BAR, PROGRAM, 40, after_strikes=True),
    )
    return Project(tracks=(Track(notes=chords, controllers=controllers),))


def test_a_controller_sent_after_its_ticks_notes_moves_with_them_and_stays_after_them():
    """Bars inserted before the pedalled chord move the pedal with it, still after its note-ons, so it
    still holds it; deleting them gives the piece back."""
    piece = _pedalled_chords()
    for index in (0, 1):
        at = bar_line(piece.time_signatures, piece.ticks_per_beat, index)
        inserted = insert_bars(piece, at, 2)
        (track,) = inserted.tracks
        assert [(e.tick, e.after_strikes) for e in track.controllers] == [
            (3 * BAR, True),
            (3 * BAR + 1440, False),
            (4 * BAR, True),
        ]
        assert track.pedal_held() == ((3 * BAR + 960, 3 * BAR + 1440),)
        assert delete_bars(inserted, *bars_span(inserted, index, 2)) == piece


def test_bars_inserted_before_bar_1_take_a_pedal_and_program_sent_after_its_first_chord_along():
    """A sostenuto pressed at tick 0 after the first chord's note-ons holds that chord, and a program sent
    after them leaves it its old sound. Bars inserted before bar 1 left both at tick 0, the set-up's place,
    while the chord moved on: the pedal, pressed before it, held nothing, and the chord played the new
    program. They go with the chord, still after it, as does a GM reset sent after the pedal; deleting the
    bars gives the piece back."""
    chord = tuple(Note(p, 0, 480) for p in (48, 55, 64))
    controllers = (
        ControlEvent(0, 66, 127, after_strikes=True),
        ControlEvent(0, PROGRAM, 40, after_strikes=True),
        ControlEvent(1440, 66, 0),
    )
    reset = RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7", after_controls=3)  # after the volume, program, pedal
    notes = (*chord, Note(72, 960, 480))
    piece = Project(tracks=(Track(notes=notes, controllers=controllers, extra_events=(reset,)),))
    assert piece.tracks[0].pedal_held() == ((480, 1440),)
    inserted = insert_bars(piece, 0, 2)
    (track,) = inserted.tracks
    assert [(e.tick, e.after_controls) for e in track.extra_events] == [(2 * BAR, 1)]
    assert track.pedal_held() == ((2 * BAR + 480, 2 * BAR + 1440),)
    assert [(e.tick, e.after_strikes) for e in track.controllers] == [
        (2 * BAR, True),
        (2 * BAR, True),
        (2 * BAR + 1440, False),
    ]
    assert track.program == 0
    assert delete_bars(inserted, *bars_span(inserted, 0, 2)) == piece


def test_a_value_deleted_bars_leave_in_force_stays_for_the_notes_at_the_cut_before_a_change_after_them():
    """Bar 2 deleted: its program change (an electric piano) is in force for bar 3's chord, which sends a
    program change back to a piano after its note-ons. That change takes nothing over for the chord, which
    now starts at the cut: the electric piano is carried there, before the chord, and the piano after it.
    Before, the change after the chord counted as the lane's value at the cut, and the chord lost its
    sound."""
    chords = tuple(Note(p, bar * BAR, 480) for bar in (0, 2) for p in (48, 55, 64))
    controllers = (ControlEvent(BAR + 480, PROGRAM, 4), ControlEvent(2 * BAR, PROGRAM, 0, after_strikes=True))
    piece = Project(tracks=(Track(notes=chords, controllers=controllers),))
    (track,) = delete_bars(piece, BAR, 2 * BAR).tracks
    assert [(e.tick, e.value, e.after_strikes) for e in track.lane(PROGRAM)] == [
        (BAR, 4, False),
        (BAR, 0, True),
    ]


def test_a_value_deleted_bars_leave_in_force_is_sent_before_the_notes_at_the_cut():
    """Bar 3 deleted: its program change (sent after bar 3's chord) is carried to the cut, where bar 4's
    chord now starts, and that chord played the new program: it goes before the chord there."""
    piece = _pedalled_chords()
    (track,) = delete_bars(piece, 2 * BAR, 3 * BAR).tracks
    assert [(e.tick, e.lane, e.after_strikes) for e in track.lane(PROGRAM)] == [(2 * BAR, PROGRAM, False)]


def test_a_sysex_after_a_lyric_at_the_cut_stays_before_the_next_bars_lyric():
    """Bar 2 sings "la" then sends a GM reset, names the part, then a GS reset; bar 3 sings "lo". With bar 2
    deleted the resets, the name and "lo" all come to the cut as the file sent them: the GM reset first (its
    lyric went with the bar), then the name and the GS reset, then "lo". Counted at their own ticks, the
    GM reset would go out after "lo" and the GS reset before the name. The piece's own SysEx after its
    cue in bar 2 goes before bar 3's cue alike."""
    gm_on, gs_reset = b"\xf0\x7e\x7f\x09\x01\xf7", b"\xf0\x41\x10\x42\x12\x40\x00\x7f\x00\x41\xf7"
    track = Track(
        notes=(Note(60, 0, 480), Note(62, BAR, 480), Note(64, 2 * BAR, 480)),
        texts=(
            TextEvent(BAR, "lyrics", "la"),
            TextEvent(BAR + 480, "instrument_name", "Flute"),
            TextEvent(2 * BAR, "lyrics", "lo"),
        ),
        extra_events=(RawEvent(BAR, gm_on, after_texts=1), RawEvent(BAR + 480, gs_reset, after_texts=1)),
    )
    cues = (TextEvent(BAR, "cue_marker", "verse"), TextEvent(2 * BAR, "cue_marker", "chorus"))
    project = Project(tracks=(track,), texts=cues, extra_events=(RawEvent(BAR, gm_on, after_texts=1),))
    after = delete_bars(project, BAR, 2 * BAR)
    assert [(t.tick, t.text) for t in after.tracks[0].texts] == [(BAR, "Flute"), (BAR, "lo")]
    assert [(e.tick, e.after_texts) for e in after.tracks[0].extra_events] == [(BAR, 0), (BAR, 1)]
    assert [(t.tick, t.text) for t in after.texts] == [(BAR, "chorus")]
    assert [(e.tick, e.after_texts) for e in after.extra_events] == [(BAR, 0)]


def test_a_reset_at_the_cut_goes_after_the_pan_the_deleted_bar_left_that_it_undid():
    """Bar 2 pans hard left, then sends a GS reset after a reverb send, then a chorus send; bar 3 starts with
    a GM reset then a bend. With bar 2 deleted the pan, the reverb and the chorus sends come to the cut: the
    GS reset goes after the pan and the reverb (it undid them) and before the chorus, and the GM reset
    after all three and before the bend, as the file sent them. Counted among the controls at their own
    ticks, each went out before the pan, which then stayed in force."""
    gm_on, gs_reset = b"\xf0\x7e\x7f\x09\x01\xf7", b"\xf0\x41\x10\x42\x12\x40\x00\x7f\x00\x41\xf7"
    chorus = 93
    track = Track(
        notes=(Note(60, 0, 480), Note(62, BAR, 480), Note(64, 2 * BAR, 480)),
        controllers=(
            ControlEvent(BAR + 240, PAN, 0),
            ControlEvent(BAR + 480, REVERB, 90),
            ControlEvent(BAR + 480, chorus, 90),
            ControlEvent(2 * BAR, PITCH_BEND, 2000),
        ),
        extra_events=(RawEvent(BAR + 480, gs_reset, after_controls=1), RawEvent(2 * BAR, gm_on)),
    )
    after = delete_bars(Project(tracks=(track,)), BAR, 2 * BAR).tracks[0]
    assert [(e.tick, e.lane) for e in after.controllers] == [
        (BAR, PAN),
        (BAR, REVERB),
        (BAR, chorus),
        (BAR, PITCH_BEND),
    ]
    assert [(e.tick, e.after_controls) for e in after.extra_events] == [(BAR, 2), (BAR, 3)]


def test_deleting_bar_1_before_a_program_sent_after_bar_2s_first_chord_keeps_the_parts_sound():
    """A part starting at bar 2 with a chord, then a program change after its note-ons (it plays the chord
    in the old sound, ``after_strikes``): deleting bar 1 brings both to the start, where the program still
    goes after the chord and the part keeps the sound it starts on (it raised KeyError)."""
    chord = tuple(Note(p, BAR, 480) for p in (60, 64, 67))
    track = Track(program=19, notes=chord, controllers=(ControlEvent(BAR, PROGRAM, 40, after_strikes=True),))
    after = delete_bars(Project(tracks=(track,)), 0, BAR).tracks[0]
    assert after.program == 19
    assert [(e.tick, e.value, e.after_strikes) for e in after.controllers] == [(0, 40, True)]
