import dataclasses

import pytest

from musestudio.core import ControlEvent, Note, Project, TempoChange, TimeSignature, Track
from musestudio.core.events import BANK_SELECT, MODULATION, PROGRAM, SUSTAIN, VOLUME
from musestudio.core.keys import KeySignature
from musestudio.core.note import restruck, within


def test_note_values_are_immutable_and_keep_their_id():
    n = Note(60, 0, 480, 90)
    moved = n.moved(ticks=240, semitones=2)
    assert (moved.pitch, moved.start, moved.duration, moved.velocity) == (62, 240, 480, 90)
    assert moved.id == n.id and n.start == 0
    with pytest.raises(AttributeError):
        n.pitch = 1  # type: ignore[misc]


def test_note_equality_is_musical_and_copies_get_new_ids():
    a = Note(60, 0, 480)
    b = a.copy_as_new()
    assert a == b and a.id != b.id


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(pitch=128, start=0, duration=1),
        dict(pitch=60, start=-1, duration=1),
        dict(pitch=60, start=0, duration=0),
        dict(pitch=60, start=0, duration=1, velocity=0),
    ],
)
def test_note_rejects_impossible_values(kwargs):
    with pytest.raises(ValueError):
        Note(**kwargs)


def test_track_keeps_notes_sorted():
    t = Track(notes=(Note(64, 480, 10), Note(60, 0, 10), Note(55, 0, 10)))
    assert [n.pitch for n in t.notes] == [55, 60, 64]
    assert t.end == 490


def test_a_track_sends_its_program_after_its_bank_selects_unless_a_file_sent_one_after_it():
    """The order a track's tick-0 settings are played and written in: bank selects choose the bank of its
    program, except the ones a file sent after its program (``program_after``), which wait for a later
    program. An edit that leaves fewer bank selects than ``program_after`` counts sends the program last."""
    bank, mod = ControlEvent(0, BANK_SELECT, 8), ControlEvent(0, MODULATION, 20)
    track = Track(program=5, volume=90, controllers=(mod, bank, ControlEvent(960, PROGRAM, 6)))

    def sent(t):
        return [(e.tick, e.lane, e.value) for e in t.settings_and_lanes()]

    assert sent(track) == [
        (0, VOLUME, 90),
        (0, BANK_SELECT, 8),
        (0, PROGRAM, 5),
        (0, MODULATION, 20),
        (960, PROGRAM, 6),
    ]
    waiting = sent(track.with_(program_after=0))
    assert waiting == [
        (0, VOLUME, 90),
        (0, PROGRAM, 5),
        (0, BANK_SELECT, 8),
        (0, MODULATION, 20),
        (960, PROGRAM, 6),
    ]
    assert sent(track.with_(program_after=3)) == sent(track)
    with pytest.raises(ValueError, match="program_after -1 is below 0"):
        Track(program_after=-1)


def test_project_starts_tempo_and_meter_at_zero_with_midis_defaults():
    """Before a file's first tempo or meter event MIDI plays 120 BPM in 4/4; the later event stays put."""
    p = Project(tempos=(TempoChange(960, 90),), time_signatures=(TimeSignature(480, 3, 4),))
    assert p.tempos == (TempoChange(0, 120), TempoChange(960, 90))
    assert p.time_signatures == (TimeSignature(0, 4, 4), TimeSignature(480, 3, 4))


def test_replace_and_remove_track_share_unchanged_tracks():
    a, b = Track(name="a"), Track(name="b")
    p = Project(tracks=(a, b))
    p2 = p.replace_track(a.with_(name="A"))
    assert p2.tracks[0].name == "A" and p2.tracks[1] is b and p.tracks[0].name == "a"
    assert p2.remove_track(b.id).tracks == (p2.tracks[0],)


def test_solo_wins_over_mute():
    a, b, c = Track(name="a", mute=True), Track(name="b", solo=True), Track(name="c")
    assert Project(tracks=(a, b, c)).audible_tracks() == (b,)
    assert Project(tracks=(a, c)).audible_tracks() == (c,)


def test_a_key_struck_again_ends_the_note_it_holds():
    held, again, other = Note(60, 0, 960), Note(60, 480, 480), Note(64, 240, 960)
    assert restruck([held, again, other]) == [held.with_duration(480), other, again]
    longer, shorter = Note(62, 0, 480), Note(62, 0, 240)
    assert restruck([shorter, longer]) == [longer]  # two strikes at once: one key, the longer
    played = [Note(60, 0, 960), Note(60, 480, 960)]  # the musician's own overlap
    new = Note(60, 1200, 240)
    out = restruck([*played, new], lambda n: n is new)
    assert out == [played[0], played[1].with_duration(720), new]


def test_new_music_for_some_bars_starts_and_ends_inside_them():
    before, held_on, inside, after = (
        Note(60, 0, 480),
        Note(62, 960, 2000),
        Note(64, 1200, 240),
        Note(65, 1920, 480),
    )
    assert within([after, held_on, before, inside], 480, 1920) == [held_on.with_duration(960), inside]
    assert within([held_on], 480, 1920)[0].id == held_on.id  # the same note, cut


def test_a_meter_change_added_keeps_the_meter_and_one_taken_away_gives_back_the_one_before():
    project = Project(time_signatures=(TimeSignature(0, 3, 4),))
    added = project.add_meter_change(2880)
    assert [(s.tick, str(s)) for s in added.time_signatures] == [(0, "3/4"), (2880, "3/4")]
    assert added.add_meter_change(2880) is added and added.remove_meter_change(0) is added
    assert added.remove_meter_change(2880) == project


def test_a_key_change_needs_a_key_to_keep():
    assert Project().add_key_change(1920) == Project()
    project = Project(key=KeySignature(2, "minor"))
    added = project.add_key_change(1920)
    assert [(k.tick, k.key) for k in added.key_changes] == [(1920, KeySignature(2, "minor"))]
    assert added.add_key_change(0) is added and added.remove_key_change(1920) == project


def test_the_sustain_pedal_holds_the_notes_let_go_under_it_until_it_is_lifted():
    """A chord struck at 0 and let go at 480 under a pedal down from 0 to 4000 sounds until 4000; a note
    let go before the pedal went down, or after it came up, is held by no pedal. A note let go as the pedal
    goes down is caught by it unless the pedal goes down after the note-offs (``after_releases``), each
    stroke as its own event says; a pedal left down holds no further than the track's last note."""
    from musestudio.core.events import SUSTAIN

    chord = [Note(p, 0, 480, 80) for p in (48, 52, 55)]
    pedal = [ControlEvent(0, SUSTAIN, 127), ControlEvent(4000, SUSTAIN, 0), ControlEvent(6000, SUSTAIN, 100)]
    notes = [*chord, Note(60, 4000, 1000), Note(62, 5000, 1000), Note(64, 5500, 2500)]
    track = Track(notes=tuple(notes), controllers=tuple(pedal))
    assert track.pedal_held() == ((480, 4000), (6000, 8000))
    released_first = (*pedal[:2], dataclasses.replace(pedal[2], after_releases=True))
    assert track.with_controllers(released_first).pedal_held() == ((480, 4000),)
    assert Track(notes=tuple(chord)).pedal_held() == ()
    caught = Track(notes=(Note(60, 0, 480),), controllers=(ControlEvent(480, SUSTAIN, 127),))
    later = Track(notes=(Note(60, 0, 480), Note(62, 1000, 500)), controllers=caught.controllers)
    assert later.pedal_held() == ((480, 1500),)
    assert (
        later.with_controllers([dataclasses.replace(caught.controllers[0], after_releases=True)]).pedal_held()
        == ()
    )
    # each stroke on its own side: the first catches the note let go as it goes down, the second does not
    strokes = (ControlEvent(480, SUSTAIN, 127), ControlEvent(960, SUSTAIN, 0))
    strokes += (ControlEvent(1440, SUSTAIN, 127, after_releases=True), ControlEvent(1920, SUSTAIN, 0))
    legato = tuple(Note(60 + k, 480 * k, 480) for k in range(4))
    assert Track(notes=legato, controllers=strokes).pedal_held() == ((480, 960),)


def test_a_pedal_pressed_after_the_notes_struck_on_its_tick_catches_them():
    """A chord struck at 480 and let go at 960, the sostenuto pressed at 480 and let up at 2400: sent after
    the chord's note-ons (as its MIDI file sent it, ``ControlEvent.after_strikes``) it holds the chord to
    2400; sent before them, nothing. The sustain pedal pressed after the strikes of the tick a note is let
    go on comes after that release too: it does not catch it. On a tick where nothing is struck the flag
    changes nothing."""
    from musestudio.core.events import SOSTENUTO

    chord = tuple(Note(p, 480, 480) for p in (48, 55, 64))
    up = ControlEvent(2400, SOSTENUTO, 0)
    after = Track(notes=chord, controllers=(ControlEvent(480, SOSTENUTO, 127, after_strikes=True), up))
    before = Track(notes=chord, controllers=(ControlEvent(480, SOSTENUTO, 127), up))
    assert after.pedal_held() == ((960, 2400),) and before.pedal_held() == ()
    assert after.after_strikes_at() == {480} and before.after_strikes_at() == frozenset()
    nothing_struck = Track(notes=(Note(60, 0, 240),), controllers=after.controllers)
    assert nothing_struck.after_strikes_at() == frozenset()
    assert nothing_struck.pedal_held() == nothing_struck.with_controllers(before.controllers).pedal_held()
    let_go = (Note(60, 0, 480), Note(62, 480, 480), Note(64, 1440, 480))
    sustain = (ControlEvent(480, SUSTAIN, 127), ControlEvent(1200, SUSTAIN, 0))
    assert Track(notes=let_go, controllers=sustain).pedal_held() == ((480, 1200),)
    late = (dataclasses.replace(sustain[0], after_strikes=True), sustain[1])
    assert Track(notes=let_go, controllers=late).pedal_held() == ((960, 1200),)


def test_the_sostenuto_pedal_holds_only_the_notes_whose_keys_were_down_as_it_was_pressed():
    """A bass note struck at 0 and let go at 480, the sostenuto pedal pressed at 240 (key down) and let up
    at 3840: the bass sounds until 3840. The melody struck after the pedal went down (960-1440) is not
    held: nothing sounds from 1440 but the bass, so the span is the bass's, 480 to 3840. A chord struck
    on the pedal's tick is not caught (the synth sends the pedal first); one let go on it is, unless the
    pedal goes down after the note-offs; a pedal left down holds no further than the track's last note."""
    from musestudio.core.events import SOSTENUTO

    pedal = (ControlEvent(240, SOSTENUTO, 127), ControlEvent(3840, SOSTENUTO, 0))
    tune = (Note(36, 0, 480), Note(72, 960, 480))
    assert Track(notes=tune, controllers=pedal).pedal_held() == ((480, 3840),)
    # pressed before the bass was struck: it catches nothing, and the melody let go under it is not held
    late = (Note(36, 300, 180), Note(72, 960, 480))
    assert Track(notes=late, controllers=pedal).pedal_held() == ()
    # struck on the pedal's tick: not caught; let go on it: caught unless the note-offs go first
    struck = Track(notes=(Note(48, 240, 240),), controllers=pedal)
    assert struck.pedal_held() == ()
    let_go = Track(notes=(Note(48, 0, 240), Note(72, 960, 480)), controllers=pedal)
    assert let_go.pedal_held() == ((240, 3840),)
    after_the_release = (dataclasses.replace(pedal[0], after_releases=True), pedal[1])
    assert let_go.with_controllers(after_the_release).pedal_held() == ()
    left_down = Track(notes=(*tune, Note(74, 1440, 1000)), controllers=pedal[:1])
    assert left_down.pedal_held() == ((480, 2440),)
    # with the sustain pedal too: each holds what it caught, in order
    both = Track(notes=tune, controllers=(*pedal, ControlEvent(1200, 64, 127), ControlEvent(2000, 64, 0)))
    assert both.pedal_held() == ((480, 3840), (1440, 2000))
