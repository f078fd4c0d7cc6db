import numpy as np
import pytest

from musestudio.audio.playback import with_count_in
from musestudio.audio.scheduler import METRONOME_CHANNEL, Event, Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core import BadInputError, ControlEvent, Note, Project, TempoChange, TimeSignature, Track
from musestudio.core.events import SUSTAIN

SR = 44100
TPB = 480


class FrameStampedSynth(Synth):
    """The real synth, noting how many frames had been rendered when each message arrived."""

    def __init__(self):
        super().__init__(sample_rate=SR)
        self.frames = 0
        self.log: list[tuple[int, str, int, int]] = []

    def note_on(self, channel, pitch, velocity):
        self.log.append((self.frames, "on", channel, pitch))
        super().note_on(channel, pitch, velocity)

    def note_off(self, channel, pitch):
        self.log.append((self.frames, "off", channel, pitch))
        super().note_off(channel, pitch)

    def program_change(self, channel, program, is_drum=False):
        self.log.append((self.frames, "program", channel, program))
        super().program_change(channel, program, is_drum)

    def render_into(self, out):
        super().render_into(out)
        self.frames += out.shape[0]


def project_of(*tracks, tempos=None, sigs=None):
    return Project(
        tracks=tracks,
        ticks_per_beat=TPB,
        tempos=tempos or (TempoChange(0, 120.0),),
        time_signatures=sigs or (TimeSignature(0, 4, 4),),
    )


def test_note_times_follow_the_tempo_map():
    # 120 BPM for two beats (1 s), then 60 BPM: beat 4 is at 1 s + 2 s.
    p = project_of(
        Track(notes=(Note(60, 4 * TPB, TPB),)), tempos=(TempoChange(0, 120), TempoChange(2 * TPB, 60))
    )
    ons = [e for e in events_for(p, SR) if e.kind == "on"]
    offs = [e for e in events_for(p, SR) if e.kind == "off"]
    assert [e.sample for e in ons] == [3 * SR]
    assert [e.sample for e in offs] == [4 * SR]


def test_release_comes_before_a_strike_at_the_same_sample():
    p = project_of(Track(notes=(Note(60, 0, TPB), Note(60, TPB, TPB))))
    kinds = [(e.sample, e.kind) for e in events_for(p, SR) if e.kind in ("on", "off")]
    assert kinds == [(0, "on"), (SR // 2, "off"), (SR // 2, "on"), (SR, "off")]


def test_overlapping_same_pitch_is_released_when_struck_again():
    p = project_of(Track(notes=(Note(60, 0, 2 * TPB), Note(60, TPB, TPB))))
    notes = [(e.sample, e.kind) for e in events_for(p, SR) if e.kind in ("on", "off")]
    assert notes == [(0, "on"), (SR // 2, "off"), (SR // 2, "on"), (SR, "off")]


def test_a_doubled_note_plays_once_at_its_longer_length():
    p = project_of(Track(notes=(Note(60, 0, TPB // 2, 50), Note(60, 0, TPB, 90))))
    notes = [(e.sample, e.kind, e.b) for e in events_for(p, SR) if e.kind in ("on", "off")]
    assert notes == [(0, "on", 90), (SR // 2, "off", 0)]


def test_mute_and_solo_choose_the_tracks_that_play():
    a = Track(name="a", notes=(Note(60, 0, TPB),))
    b = Track(name="b", notes=(Note(64, 0, TPB),))
    pitches = lambda p: {e.a for e in events_for(p, SR) if e.kind == "on"}  # noqa: E731
    assert pitches(project_of(a, b)) == {60, 64}
    assert pitches(project_of(a.with_(mute=True), b)) == {64}
    assert pitches(project_of(a, b.with_(solo=True))) == {64}
    assert pitches(project_of(a.with_(mute=True), b.with_(mute=True))) == set()


def test_tracks_sharing_a_midi_channel_keep_their_own_program_and_volume():
    a = Track(program=0, channel=0, volume=90, notes=(Note(60, 0, TPB),))
    b = Track(program=40, channel=0, volume=50, notes=(Note(72, 0, TPB),), is_drum=False)
    ev = events_for(project_of(a, b), SR)
    programs = {e.channel: e.a for e in ev if e.kind == "program"}
    volumes = {e.channel: e.b for e in ev if e.kind == "cc" and e.a == 7}
    assert len(programs) == 2 and sorted(programs.values()) == [0, 40]
    assert sorted(volumes.values()) == [50, 90]


def test_range_keeps_notes_starting_inside_and_cuts_them_at_the_end():
    p = project_of(Track(notes=(Note(60, 0, TPB), Note(62, TPB, 4 * TPB), Note(64, 8 * TPB, TPB))))
    ev = events_for(p, SR, start_tick=TPB, end_tick=2 * TPB)
    assert [(e.kind, e.a, e.sample) for e in ev if e.kind in ("on", "off")] == [
        ("on", 62, SR // 2),
        ("off", 62, SR),
    ]
    assert all(e.sample >= SR // 2 for e in ev)


def test_metronome_clicks_every_counted_beat_with_accented_downbeats():
    p = project_of(Track(notes=(Note(60, 0, 6 * TPB),)), sigs=(TimeSignature(0, 3, 4),))
    clicks = [
        e for e in events_for(p, SR, metronome=True) if e.channel == METRONOME_CHANNEL and e.kind == "on"
    ]
    assert [e.sample for e in clicks] == [i * SR // 2 for i in range(6)]
    assert [e.a for e in clicks] == [76, 77, 77, 76, 77, 77]


def test_the_metronome_clicks_a_compound_meter_s_dotted_beats_not_its_eighths():
    """A 6/8 bar is counted in two: at 180 quarters a minute (120 dotted quarters) it clicked six eighths
    at a third of a second, twice the beat a musician plays to and three times the tempo the box reads."""
    p = project_of(Track(notes=(Note(60, 0, 6 * TPB),)), sigs=(TimeSignature(0, 6, 8),))
    p = p.with_tempos((TempoChange(0, 180),))
    clicks = [
        e for e in events_for(p, SR, metronome=True) if e.channel == METRONOME_CHANNEL and e.kind == "on"
    ]
    assert [e.sample for e in clicks] == [i * SR // 2 for i in range(4)]  # two bars, a beat a 0.5 s
    assert [(e.a, e.b) for e in clicks] == [(76, 110), (77, 80)] * 2  # the bar's first accented


def test_the_metronome_clicks_through_the_silent_bars_a_piece_ends_in():
    """A loop from a MIDI file (one note in bar 1, rests to the end of bar 2) plays its silent bars, and
    the metronome counts them: it fell silent after the last note, bar 2 playing with no click."""
    p = project_of(Track(notes=(Note(36, 0, TPB // 2),))).with_(end_of_track=8 * TPB)
    clicks = [
        e for e in events_for(p, SR, metronome=True) if e.channel == METRONOME_CHANNEL and e.kind == "on"
    ]
    assert [e.sample for e in clicks] == [i * SR // 2 for i in range(8)]


def test_every_message_reaches_the_synth_on_its_exact_frame():
    notes = tuple(Note(48 + i % 24, i * 137, 90 + i % 50) for i in range(60))
    p = project_of(Track(notes=notes), Track(is_drum=True, notes=(Note(38, 333, 100), Note(42, 1999, 50))))
    events = events_for(p, SR)
    synth = FrameStampedSynth()
    try:
        sched = Scheduler(synth)
        sched.set_events(events)
        while sched.position < events[-1].sample + 1:
            sched.pull(1000)  # a block size that lines up with nothing
        expected = [(e.sample, e.kind, e.channel, e.a) for e in events if e.kind != "cc"]
        assert synth.log[-len(expected) :] == expected
    finally:
        synth.close()


def test_output_does_not_depend_on_block_size():
    p = project_of(Track(notes=tuple(Note(60 + i % 7, i * 200, 300) for i in range(12))))
    events = events_for(p, SR)
    total = events[-1].sample + SR

    def render(block: int) -> np.ndarray:
        with Synth(sample_rate=SR) as synth:
            sched = Scheduler(synth)
            sched.set_events(events)
            return np.concatenate([sched.pull(block) for _ in range(-(-total // block))])[:total]

    np.testing.assert_array_equal(render(64 * 100), render(333))


def test_loop_wraps_and_replays_its_notes():
    p = project_of(Track(notes=(Note(60, 0, TPB // 2), Note(67, TPB, TPB // 2))))
    synth = FrameStampedSynth()
    try:
        sched = Scheduler(synth)
        sched.set_events(events_for(p, SR))
        sched.set_loop(0, SR)  # the first two beats at 120 BPM
        sched.pull(int(2.5 * SR))
        assert sched.position == SR // 2 and sched.laps == 2
        strikes = [(f, pitch) for f, kind, _, pitch in synth.log if kind == "on"]
        assert strikes == [(0, 60), (SR // 2, 67), (SR, 60), (3 * SR // 2, 67), (2 * SR, 60)]
    finally:
        synth.close()


def test_seek_restores_channel_programs_and_skips_earlier_notes():
    p = project_of(Track(program=40, notes=(Note(60, 0, TPB), Note(62, 4 * TPB, TPB))))
    synth = FrameStampedSynth()
    try:
        sched = Scheduler(synth)
        sched.set_events(events_for(p, SR))
        sched.seek(SR)
        assert (0, "program", 0, 40) in synth.log
        sched.pull(2 * SR)
        assert [pitch for _, kind, _, pitch in synth.log if kind == "on"] == [62]
    finally:
        synth.close()


def test_swapping_events_releases_a_note_that_no_longer_ends():
    held = project_of(Track(notes=(Note(60, 0, 8 * TPB),)))
    synth = FrameStampedSynth()
    try:
        sched = Scheduler(synth)
        sched.set_events(events_for(held, SR))
        sched.pull(SR)
        sched.set_events([Event(0, "program", 0, 0, 0)])
        assert synth.log[-1][1:] == ("off", 0, 60)
    finally:
        synth.close()


def test_a_playhead_past_the_loop_plays_on():
    p = project_of(Track(notes=(Note(60, 0, TPB // 2), Note(67, 4 * TPB, TPB // 2))))
    synth = FrameStampedSynth()
    try:
        sched = Scheduler(synth)
        sched.set_events(events_for(p, SR))
        sched.seek(SR)
        sched.set_loop(0, SR // 2)
        sched.pull(2 * SR)
        assert sched.position == 3 * SR
        assert [pitch for _, kind, _, pitch in synth.log if kind == "on"] == [67]
    finally:
        synth.close()


def test_too_many_tracks_is_bad_input():
    tracks = [Track(notes=(Note(60, 0, 10),)) for _ in range(METRONOME_CHANNEL + 1)]
    with pytest.raises(BadInputError, match="at most 255 tracks"):
        events_for(project_of(*tracks), SR)


def _chord_let_go_as_the_pedal_goes_down(after_releases: bool) -> Project:
    """A C major chord held a beat and let go on beat 2, where the sustain pedal goes down (for the next
    chord, in the piece this comes from), after the chord's note-offs or before them, and stays down for
    two bars."""
    chord = tuple(Note(p, 0, TPB) for p in (60, 64, 67))
    down = ControlEvent(TPB, SUSTAIN, 127, after_releases=after_releases)
    return project_of(Track(notes=chord, controllers=(down, ControlEvent(8 * TPB, SUSTAIN, 0))))


def test_a_pedal_sent_after_the_note_offs_of_its_sample_plays_after_them():
    at_beat_2 = [
        (e.kind, e.a)
        for e in events_for(_chord_let_go_as_the_pedal_goes_down(True), SR)
        if e.sample == SR // 2
    ]
    assert at_beat_2[3:] == [("cc", SUSTAIN)]
    assert sorted(at_beat_2[:3]) == [("off", 60), ("off", 64), ("off", 67)]
    # as the file had it: a pedal sent before the note-offs still is
    default = events_for(_chord_let_go_as_the_pedal_goes_down(False), SR)
    assert [e.kind for e in default if e.sample == SR // 2] == ["cc", "off", "off", "off"]


def test_each_pedal_of_a_track_plays_on_its_own_side_of_the_note_offs_and_before_the_note_ons():
    """A legato line with the pedal moving at each change of note, after the note-off at beat 2, before it
    at beat 3, after it again at beat 4: each stroke is sent where its event says, and before the next
    note's note-on."""
    line = tuple(Note(60 + k, k * TPB, TPB) for k in range(4))
    pedal = (
        ControlEvent(TPB, SUSTAIN, 127, after_releases=True),
        ControlEvent(2 * TPB, SUSTAIN, 0),
        ControlEvent(3 * TPB, SUSTAIN, 127, after_releases=True),
    )
    events = events_for(project_of(Track(notes=line, controllers=pedal)), SR)
    at = [[e.kind for e in events if e.sample == k * SR // 2] for k in (1, 2, 3)]
    assert at == [["off", "cc", "on"], ["cc", "off", "on"], ["off", "cc", "on"]]


def test_a_chord_let_go_as_the_pedal_goes_down_does_not_ring_on_when_the_file_released_it_first():
    def ringing(after_releases: bool) -> float:
        with Synth(sample_rate=SR) as synth:
            scheduler = Scheduler(synth)
            scheduler.set_events(events_for(_chord_let_go_as_the_pedal_goes_down(after_releases), SR))
            audio = scheduler.pull(2 * SR)
        return float(np.sum(audio[int(1.2 * SR) :].astype(np.float64) ** 2))  # 0.7 s after the release

    held = ringing(False)
    assert held > 0  # the pedal caught the chord: it rings on
    assert ringing(True) < held / 20


def test_a_count_in_keeps_the_note_offs_before_a_pedal_sent_after_them():
    project = _chord_let_go_as_the_pedal_goes_down(True)
    shifted, offset = with_count_in(events_for(project, SR), project, start_tick=0, sample_rate=SR)
    assert [e.kind for e in shifted if e.sample == SR // 2 + offset] == ["off", "off", "off", "cc"]


def _chord_with_a_sostenuto(after_strikes: bool, shift: int = 0) -> Project:
    """A chord at beat 2 (half a second at 120 BPM, ``shift`` ticks later) and the sostenuto pressed at
    beat 2, before or after the note-ons of its tick; a melody note over it."""
    chord = tuple(Note(p, TPB + shift, TPB, 90) for p in (48, 55, 64))
    pedal = (ControlEvent(TPB, 66, 127, after_strikes=after_strikes), ControlEvent(4 * TPB, 66, 0))
    return project_of(Track(notes=(*chord, Note(72, 2 * TPB, TPB)), controllers=pedal))


def _strikes_and_pedal(events, sample: int) -> list[str]:
    return [e.kind for e in events if e.sample == sample and (e.kind == "on" or e.a == 66)]


@pytest.mark.parametrize("after", [True, False], ids=["pedal after the chord", "pedal before the chord"])
def test_a_controller_sent_after_the_notes_of_its_tick_plays_after_them(after):
    """The synth gets the sostenuto after the chord's note-ons where the file sent it so (it holds the
    chord), before them where it came first; a play from the chord's beat and a count-in keep the order
    too."""
    project = _chord_with_a_sostenuto(after)
    at_beat_2 = _strikes_and_pedal(events_for(project, SR), SR // 2)
    assert at_beat_2 == (["on"] * 3 + ["cc"] if after else ["cc"] + ["on"] * 3)
    assert _strikes_and_pedal(events_for(project, SR, start_tick=TPB), SR // 2) == at_beat_2
    shifted, offset = with_count_in(events_for(project, SR), project, start_tick=0, sample_rate=SR)
    assert _strikes_and_pedal(shifted, SR // 2 + offset) == at_beat_2
    sent = []
    synth = FrameStampedSynth()
    synth.control_change = lambda channel, cc, value: sent.append("cc" if cc == 66 else "other")
    synth.note_on = lambda channel, pitch, velocity: sent.append("on")
    scheduler = Scheduler(synth)
    scheduler.set_events(events_for(project, SR))
    scheduler.seek(SR // 2)  # a jump onto the chord (after its reset of the pedals): a pedal sent after
    scheduler.pull(64)  # the chord there is not chased ahead of it
    assert [kind for kind in sent if kind != "other"][-4:] == at_beat_2


def test_a_flag_on_a_tick_where_nothing_is_struck_changes_nothing():
    """Where the chord was moved off the pedal's tick, the pedal goes with the other controllers; where a
    note is let go there, after its note-off, as it went while the chord was there."""

    def sent(after_strikes: bool, let_go: tuple[Note, ...] = ()) -> list[tuple]:
        project = _chord_with_a_sostenuto(after_strikes, shift=10)
        track = project.tracks[0]
        project = project.with_(tracks=(track.with_notes((*track.notes, *let_go)),))
        return [(e.sample, e.kind, e.a, e.b) for e in events_for(project, SR)]

    assert sent(True) == sent(False)
    let_go = (Note(40, 0, TPB),)
    at_beat_2 = [kind for sample, kind, _, _ in sent(True, let_go) if sample == SR // 2]
    assert at_beat_2 == ["off", "cc"]


def test_a_sostenuto_pressed_after_the_chord_holds_it_in_the_synth():
    """Rendered: the chord (let go at beat 3, one second in) rings on under the sostenuto pressed after
    its note-ons, to the pedal's lift at beat 5; pressed before them, the pedal holds nothing and the
    chord stops with its keys (the melody note over it ends at beat 4 either way)."""

    def ringing(after: bool) -> float:
        with Synth(sample_rate=SR) as synth:
            scheduler = Scheduler(synth)
            scheduler.set_events(events_for(_chord_with_a_sostenuto(after), SR))
            audio = scheduler.pull(2 * SR)
        return float(np.sum(audio[int(1.8 * SR) :].astype(np.float64) ** 2))  # 0.3 s after the melody ends

    held = ringing(True)
    assert held > 0
    assert ringing(False) < held / 20
