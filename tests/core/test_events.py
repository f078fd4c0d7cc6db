"""The tempo map, markers, key changes and controller lanes as editable immutable values."""

import pytest

from musestudio.core import ControlEvent, KeyChange, KeySignature, Marker, Note, Project, TempoChange, Track
from musestudio.core.document import Document, diff
from musestudio.core.events import (
    EXPRESSION,
    PITCH_BEND,
    PROGRAM,
    SUSTAIN,
    RawEvent,
    TextEvent,
    lane_name,
    lane_range,
    poly_pressure_lane,
)


def _map(*pairs) -> Project:
    return Project(tempos=tuple(TempoChange(t, b) for t, b in pairs))


def test_tempos_above_1000_bpm_and_down_to_one_are_accepted_but_not_nonsense():
    assert TempoChange(0, 1200.0).bpm == 1200.0 and TempoChange(0, 60_000_000.0).bpm == 60e6
    for bad in (0.5, 0.0, -3.0, 6e7 + 1):
        with pytest.raises(ValueError, match="outside"):
            TempoChange(0, bad)


def test_set_tempo_at_changes_only_the_tempo_in_force():
    p = _map((0, 90), (1920, 140), (3840, 60))
    q = p.set_tempo_at(2000, 100)
    assert [(t.tick, t.bpm) for t in q.tempos] == [(0, 90), (1920, 100), (3840, 60)]
    assert q.set_tempo_at(0, 80).tempos[0].bpm == 80 and len(q.set_tempo_at(0, 80).tempos) == 3
    assert [t.id for t in q.tempos] == [t.id for t in p.tempos]  # the same changes, edited


def test_add_move_change_and_remove_tempo_changes():
    p = _map((0, 90), (1920, 140))
    p, added = p.add_tempo_change(960, 120)
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 90), (960, 120), (1920, 140)]
    p = p.move_tempo_change(added.id, 2400)
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 90), (1920, 140), (2400, 120)]
    assert p.tempo_change_by_id(added.id).tick == 2400
    p = p.set_tempo_change(added.id, 130)
    assert p.tempo_at(3000).bpm == 130
    p = p.remove_tempo_change(added.id)
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 90), (1920, 140)]


def test_the_first_tempo_stays_at_zero_and_removing_it_lets_the_next_start():
    p = _map((0, 90), (1920, 140))
    first = p.tempos[0]
    assert p.move_tempo_change(first.id, 480) is p
    q = p.remove_tempo_change(first.id)
    assert [(t.tick, t.bpm) for t in q.tempos] == [(0, 140)]
    assert q.remove_tempo_change(q.tempos[0].id) is q  # the map never empties


def test_a_drag_from_its_origin_brings_back_the_change_it_passed_over():
    origin = _map((0, 90), (960, 100), (1920, 140))
    dragged = origin.tempos[2]
    over = origin.move_tempo_change(dragged.id, 960)  # dropped on another: replaces it
    assert [(t.tick, t.bpm) for t in over.tempos] == [(0, 90), (960, 140)]
    past = origin.move_tempo_change(dragged.id, 480)
    assert [(t.tick, t.bpm) for t in past.tempos] == [(0, 90), (480, 140), (960, 100)]


def test_a_change_dropped_on_the_start_takes_the_first_tempo_s_place():
    """Dragged to the very start, a change is the piece's tempo from there, as one dropped on any other
    change takes its place; it landed a tick after the start, so the old tempo still began the piece."""
    p = _map((0, 90), (1920, 140))
    q = p.move_tempo_change(p.tempos[1].id, 0)
    assert [(t.tick, t.bpm) for t in q.tempos] == [(0, 140)]
    assert q.tempos[0].id == p.tempos[1].id


def test_markers_add_rename_move_remove_and_jump():
    p, verse = Project().add_marker(0, "Verse")
    p, chorus = p.add_marker(1920, "Chorus")
    p = p.rename_marker(chorus.id, "Refrain").move_marker(chorus.id, 3840)
    assert [(m.tick, m.text) for m in p.markers] == [(0, "Verse"), (3840, "Refrain")]
    assert p.next_marker(0).id == chorus.id and p.previous_marker(3840).id == verse.id
    assert p.next_marker(3840) is None
    assert [m.text for m in p.remove_marker(verse.id).markers] == ["Refrain"]


def test_key_changes_follow_the_starting_key():
    c, a_min, cs = KeySignature(0), KeySignature(9, "minor"), KeySignature(1, "major", spelling=7)
    p = Project(key_changes=(KeyChange(0, c), KeyChange(1920, a_min), KeyChange(3840, cs)))
    assert p.key == c and [k.tick for k in p.key_changes] == [1920, 3840]
    assert p.key_at(0) == c and p.key_at(2000) == a_min and p.key_at(4000).sharps == 7


def test_seven_sharps_and_flats_keep_their_spelling():
    cs, db = KeySignature(1, "major", spelling=7), KeySignature(1, "major")
    assert cs.sharps == 7 and cs.name == "C# major"
    assert db.sharps == -5 and KeySignature(11, "major", spelling=-7).name == "Cb major"
    assert KeySignature(8, "minor", spelling=-7).name == "Ab minor"
    with pytest.raises(ValueError, match="spell"):
        KeySignature(0, "major", spelling=3)


def test_controller_values_are_checked_per_lane():
    assert lane_range(PITCH_BEND) == (-8192, 8191) and lane_name(SUSTAIN) == "Sustain pedal"
    ControlEvent(0, PITCH_BEND, -8192)
    ControlEvent(0, poly_pressure_lane(60), 127)
    for lane, value in ((SUSTAIN, 128), (PITCH_BEND, 8192), (PROGRAM, -1)):
        with pytest.raises(ValueError, match="outside"):
            ControlEvent(0, lane, value)
    with pytest.raises(ValueError, match="not a controller lane"):
        ControlEvent(0, 131, 0)


def test_lane_range_replace_draws_and_erases_one_lane_only():
    pedal = (ControlEvent(0, SUSTAIN, 127), ControlEvent(900, SUSTAIN, 0), ControlEvent(960, SUSTAIN, 127))
    expr = (ControlEvent(100, EXPRESSION, 90),)
    t = Track(controllers=pedal + expr)
    drawn = t.replace_lane_range(SUSTAIN, 800, 1000, (ControlEvent(850, SUSTAIN, 0),))
    assert [(e.tick, e.value) for e in drawn.lane(SUSTAIN)] == [(0, 127), (850, 0)]
    assert drawn.lane(EXPRESSION) == expr
    erased = t.remove_lane_range(SUSTAIN, 0, 10_000)
    assert erased.lanes() == (EXPRESSION,)
    assert t.value_at(SUSTAIN, 930) == 0 and t.value_at(SUSTAIN, 960) == 127
    assert t.value_at(PITCH_BEND, 0, default=0) == 0
    with pytest.raises(ValueError, match="lane"):
        t.replace_lane_range(SUSTAIN, 0, 10, expr)


def test_controllers_move_and_edit_by_id():
    a, b = ControlEvent(480, SUSTAIN, 127), ControlEvent(960, SUSTAIN, 0)
    t = Track(controllers=(a, b))
    moved = t.move_controllers((a, b), -1000)  # never before zero: the earliest lands on 0
    assert [e.tick for e in moved.controllers] == [0, 480]
    edited = t.edit_controllers(remove=(b.id,), add=(a.with_value(100),))
    assert [(e.tick, e.value, e.id) for e in edited.controllers] == [(480, 100, a.id)]
    assert t.edit_controllers() is t


def test_two_values_at_one_tick_keep_their_order():
    t = Track(controllers=(ControlEvent(480, SUSTAIN, 0), ControlEvent(480, SUSTAIN, 127)))
    assert [e.value for e in t.controllers] == [0, 127]


def test_diff_reports_tempo_marker_key_and_lane_changes_precisely():
    track = Track(notes=(Note(60, 0, 480),), controllers=(ControlEvent(0, SUSTAIN, 127),))
    p = Project(tracks=(track,), tempos=(TempoChange(0, 90), TempoChange(960, 120)))
    q = p.set_tempo_at(1000, 130)
    c = diff(p, q)
    assert c.tempos and c.timing and not c.markers and not c.tracks
    q, _ = p.add_marker(0, "A")
    c = diff(p, q)
    assert c.markers and not c.tempos and not c.timing and not c.empty
    q = p.replace_track(track.replace_lane_range(PITCH_BEND, 0, 10, (ControlEvent(5, PITCH_BEND, 100),)))
    (tc,) = diff(p, q).tracks
    assert tc.controllers == frozenset({PITCH_BEND}) and not tc.added and not tc.settings
    q = p.with_key_changes((KeyChange(960, KeySignature(7)),))
    assert diff(p, q).key and not diff(p, q).tempos
    q = p.replace_track(track.with_(texts=(TextEvent(0, "lyrics", "la"),)))
    assert diff(p, q).tracks[0].texts
    q = p.with_(extra_events=(RawEvent(0, b"\xf0\x7e\x7f\x09\x01\xf7"),))
    assert diff(p, q).conductor


def test_document_undo_is_setting_the_old_value_back():
    doc = Document(_map((0, 90), (1920, 140)))
    seen = []
    doc.changed.connect(lambda change, project: seen.append(change))
    before = doc.project
    after, _ = before.add_marker(480, "Bridge")
    doc.set_project(after.set_tempo_at(0, 100))
    doc.set_project(before)
    assert doc.project == before and not doc.modified
    assert seen[0].tempos and seen[0].markers and seen[1].tempos and seen[1].markers


def test_raw_events_must_be_sysex_or_meta():
    RawEvent(0, b"\xff\x7f\x03abc")
    with pytest.raises(ValueError, match="SysEx"):
        RawEvent(0, b"\x90\x3c\x40")


def test_last_event_tick_counts_every_kind_of_event():
    t = Track(notes=(Note(60, 0, 10),), controllers=(ControlEvent(500, SUSTAIN, 0),))
    p = Project(tracks=(t,), markers=(Marker(700, "end"),))
    assert t.last_event_tick == 500 and p.last_event_tick == 700


def test_rescale_moves_every_kind_of_event_to_the_new_grid():
    from musestudio.core.ops import rescale

    t = Track(notes=(Note(60, 960, 1),), controllers=(ControlEvent(480, SUSTAIN, 127),))
    p = Project(
        ticks_per_beat=960,
        tracks=(t,),
        tempos=(TempoChange(0, 90), TempoChange(1920, 60)),
        markers=(Marker(960, "m"),),
        key_changes=(KeyChange(3840, KeySignature(7)),),
        texts=(TextEvent(96, "text", "t"),),
    )
    q = rescale(p, 480)
    assert q.ticks_per_beat == 480 and [x.tick for x in q.tempos] == [0, 960]
    assert (
        q.tracks[0].notes[0].start == 480 and q.tracks[0].notes[0].duration == 1
    )  # never shorter than a tick
    assert q.tracks[0].controllers[0].tick == 240 and q.markers[0].tick == 480
    assert q.key_changes[0].tick == 1920 and q.texts[0].tick == 48
    assert q.tracks[0].notes[0].id == t.notes[0].id and rescale(q, 480) is q


def test_a_note_shorter_than_a_tick_of_the_new_grid_stays_in_the_tick_it_starts_in():
    """At one tick a beat, a sixteenth on the last beat of a 4/4 bar (ticks 15.75-16 in beats) would round
    to tick 16, the next bar's first: it takes tick 15 instead. A longer note still rounds to the nearest."""
    from musestudio.core.ops import rescale

    notes = (Note(60, 15 * 4 + 3, 1), Note(62, 15 * 4 + 2, 2), Note(64, 4, 3))
    q = rescale(Project(ticks_per_beat=4, tracks=(Track(notes=notes),)), 1)
    assert sorted((n.pitch, n.start, n.duration) for n in q.tracks[0].notes) == [
        (60, 15, 1),
        (62, 15, 1),
        (64, 1, 1),
    ]
