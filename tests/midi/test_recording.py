"""Recording logic with no MIDI server: timed messages in, notes and controller events out.

A "clock" here is what the transport gives the recorder: the tick heard at a message's arrival time.
At 120 BPM and 480 ticks per beat one second is 960 ticks; messages carry their arrival in ``time``.
"""

from __future__ import annotations

import mido
import pytest

from musestudio.audio.playback import clicks_until, endless_end, with_count_in
from musestudio.audio.scheduler import METRONOME_CHANNEL, events_for
from musestudio.core.events import (
    CHANNEL_PRESSURE,
    MODULATION,
    PITCH_BEND,
    SUSTAIN,
    ControlEvent,
    poly_pressure_lane,
)
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.midi.jam import JamTrigger, PhraseListener, answer_start, moved_to, phrase_bars
from musestudio.midi.recording import StepInput, TakeRecorder, record_into

TPB = 480


def clock(start_tick: int = 0):
    """tick_at for a transport that was at ``start_tick`` at time 0 (120 BPM)."""
    return lambda t: start_tick + t * 2 * TPB


def msg(kind: str, t: float, **fields) -> mido.Message:
    return mido.Message(kind, time=t, **fields)


def on(t, note, velocity=100):
    return msg("note_on", t, note=note, velocity=velocity)


def off(t, note, zero_velocity_on=False):
    return msg("note_on", t, note=note, velocity=0) if zero_velocity_on else msg("note_off", t, note=note)


def test_notes_keep_their_velocity_and_length_and_a_zero_velocity_on_ends_a_note():
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    for m in (on(0.0, 60, 90), on(0.25, 64, 70), off(0.5, 60), off(0.75, 64, zero_velocity_on=True)):
        rec.feed(m)
    take = rec.finish(960)
    assert take.notes == (Note(60, 0, 480, 90), Note(64, 240, 480, 70))
    assert (take.start, take.end) == (0, 960)


def test_notes_still_held_at_stop_end_there_and_a_restruck_key_ends_the_first_note():
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(on(0.0, 60))
    rec.feed(on(0.5, 60, 50))  # struck again without a note-off (some keyboards do)
    rec.feed(on(0.5, 67))
    take = rec.finish(1440)
    assert take.notes == (Note(60, 0, 480, 100), Note(60, 480, 960, 50), Note(67, 480, 960, 100))


def test_pedal_controllers_and_bend_are_recorded_as_controller_events():
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    rec.feed(on(0.2, 60))
    rec.feed(msg("pitchwheel", 0.3, pitch=-4096))
    rec.feed(msg("control_change", 0.4, control=1, value=33))
    rec.feed(off(0.6, 60))
    rec.feed(msg("control_change", 0.9, control=SUSTAIN, value=0))
    take = rec.finish(960)
    got = [(c.tick, c.lane, c.value) for c in take.controllers]
    assert got[:4] == [(96, SUSTAIN, 127), (288, PITCH_BEND, -4096), (384, 1, 33), (864, SUSTAIN, 0)]
    assert got[4:] == [(960, 1, 0), (960, PITCH_BEND, 0)]  # the wheels left off rest: set back at the end


def test_count_in_drops_early_notes_but_keeps_a_pedal_pressed_in_it_and_an_anticipated_downbeat():
    """Recording from bar 2 (tick 1920) after a bar of count-in: time 0 is the count-in's start."""
    rec = TakeRecorder(clock(0), start=1920, tpb=TPB)
    rec.feed(on(0.2, 40))  # noodling in the count-in: not in the take
    rec.feed(off(0.4, 40))
    rec.feed(msg("control_change", 1.5, control=SUSTAIN, value=127))  # pedal down before the downbeat
    rec.feed(on(1.95, 60))  # 48 ticks early: meant for the downbeat
    rec.feed(off(2.5, 60))
    take = rec.finish(2880)
    assert take.notes == (Note(60, 1920, 480, 100),)
    # still down at the stop: let up where the take ends, with the notes held then
    assert [(c.tick, c.lane, c.value) for c in take.controllers] == [(1920, SUSTAIN, 127), (2880, SUSTAIN, 0)]


def test_quantize_on_input_snaps_starts_to_the_grid_and_keeps_lengths():
    rec = TakeRecorder(clock(), start=0, tpb=TPB, quantize_step=120)  # 1/16
    rec.feed(on(0.07, 60))  # tick 67 -> 120
    rec.feed(off(0.30, 60))  # held 221 ticks
    rec.feed(on(0.52, 62))  # tick 499 -> 480
    rec.feed(off(0.60, 62))
    take = rec.finish(960)
    assert [(n.start, n.duration) for n in take.notes] == [(120, 221), (480, 77)]


def test_over_a_loop_every_pass_is_laid_into_the_loop_s_bars():
    """Loop bar 1 (0-1920), recording from its middle (960); the transport's ticks count on past the loop's
    end, a bar a lap. A note on the second pass before the record point counts, a note held over the
    loop's end ends there, and the take is the loop's bars (replace clears all of them)."""
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(on(0.25, 70))  # 1200, first pass
    rec.feed(off(0.5, 70))
    rec.feed(on(0.875, 76))  # 1800: held over the loop's end
    rec.feed(off(1.25, 76))  # 2160, that is 240 of the second pass
    rec.feed(on(1.25, 72))  # 2160 -> 240: before the record point, on the second pass
    rec.feed(off(1.5, 72))
    rec.feed(msg("control_change", 1.75, control=SUSTAIN, value=127))  # 2640 -> 720
    take = rec.finish(round(clock(960)(2.0)))  # stopped at 2880 (960 of the second pass)
    assert take.notes == (Note(70, 1200, 240, 100), Note(76, 1800, 120, 100), Note(72, 240, 240, 100))
    assert take.controllers == (ControlEvent(720, SUSTAIN, 127), ControlEvent(1920, SUSTAIN, 0))  # let up
    assert (take.start, take.end) == (0, 1920)
    old = Track(notes=(Note(50, 0, 480), Note(52, 1440, 480), Note(55, 1920, 480)))
    assert [n.pitch for n in record_into(old, take, replace=True).notes] == [72, 70, 76, 55]


def test_a_loop_that_never_came_round_records_as_without_one():
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(on(0.25, 70))
    take = rec.finish(1440)
    assert take.notes == (Note(70, 1200, 240, 100),) and (take.start, take.end) == (960, 1440)


def test_a_loop_turned_off_mid_take_lets_the_take_play_on_past_its_end():
    """Loop bar 1, recording from 960; turned off at 2400 counted on (480 of the second pass): the music
    plays on from 480 of bar 1 into bar 2, and so do the notes played from then, held ones included."""
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(on(0.25, 70))  # 1200, first pass
    rec.feed(off(0.5, 70))
    rec.feed(on(1.25, 72))  # 2160 -> 240 of the second pass
    rec.unloop(2400)  # -> 480: the laps stop; ticks from here are counted on by one loop's length
    rec.feed(off(1.75, 72))  # 2640 -> 720: held across the turn-off, its whole length
    rec.feed(on(2.5, 74))  # 3360 -> 1440
    rec.feed(off(3.0, 74))  # 3840 -> 1920: ends where the loop ended, as heard
    rec.feed(on(3.25, 76))  # 4080 -> 2160: bar 2, where it was heard, not folded into bar 1
    rec.feed(msg("control_change", 3.5, control=SUSTAIN, value=127))  # 4320 -> 2400
    take = rec.finish(round(clock(960)(4.0)))  # stopped at 4800 -> 2880
    assert take.notes == (
        Note(70, 1200, 240, 100),
        Note(72, 240, 480, 100),
        Note(74, 1440, 480, 100),
        Note(76, 2160, 720, 100),
    )
    assert take.controllers == (ControlEvent(2400, SUSTAIN, 127), ControlEvent(2880, SUSTAIN, 0))  # let up
    assert (take.start, take.end) == (0, 2880)


def test_a_loop_turned_off_before_it_came_round_records_straight_on():
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(on(0.25, 70))  # 1200
    rec.unloop(1440)
    rec.feed(off(1.25, 70))  # 2160: over the loop's end, which no longer comes
    take = rec.finish(2400)
    assert take.notes == (Note(70, 1200, 960, 100),) and (take.start, take.end) == (960, 2400)


def test_overdub_keeps_the_old_notes_and_replace_clears_the_recorded_range_and_lanes():
    old = Track(
        notes=(Note(50, 0, 480), Note(52, 960, 480), Note(55, 3000, 480)),
        controllers=(
            ControlEvent(100, SUSTAIN, 127),
            ControlEvent(200, 1, 40),
            ControlEvent(3000, SUSTAIN, 0),
        ),
    )
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.05, control=SUSTAIN, value=100))
    rec.feed(on(0.5, 60))
    rec.feed(off(1.0, 60))
    take = rec.finish(1920)
    dub = record_into(old, take, replace=False)
    assert [n.pitch for n in dub.notes] == [50, 60, 52, 55]
    assert len(dub.controllers) == 5  # the take's pedal, still down at its end, is let up there
    rep = record_into(old, take, replace=True)
    assert [(n.pitch, n.start) for n in rep.notes] == [(60, 480), (55, 3000)]  # 55 is after the take
    # the pedal was re-recorded in the range (old pedal there gone), modulation was not (it stays); the
    # old pedal was down over the take's end: the take's is let up there and the old one goes down again
    assert [(c.tick, c.lane, c.value) for c in rep.controllers] == [
        (48, SUSTAIN, 100),
        (200, 1, 40),
        (1920, SUSTAIN, 0),
        (1920, SUSTAIN, 127),
        (3000, SUSTAIN, 0),
    ]
    assert rep.id == old.id


@pytest.mark.parametrize("replace", [False, True])
def test_the_pedal_let_up_at_the_take_s_end_leaves_the_next_bar_s_pedal_down(replace):
    """The old pedal pressed on the downbeat where the take ends comes after the take's let-up there: it
    is outside the take, and holds the old notes after it as before (it was cancelled by the let-up)."""
    old = Track(controllers=(ControlEvent(1920, SUSTAIN, 127), ControlEvent(2880, SUSTAIN, 0)))
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.05, control=SUSTAIN, value=127))
    take = rec.finish(1920)
    assert take.end == 1920 and take.controllers[-1] == ControlEvent(1920, SUSTAIN, 0)
    laid = record_into(old, take, replace)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [(48, 127), (1920, 0), (1920, 127), (2880, 0)]
    assert laid.value_at(SUSTAIN, 2000) == 127


def test_replace_lets_the_old_pedal_up_where_the_bars_played_over_start_and_down_again_after_them():
    """The old piano part has the sustain pedal down from bar 1 to the middle of bar 3 and the sostenuto
    pedal down over bar 2. The musician replaces bar 2 (1920-3840) without touching a pedal: the new notes
    sound as played, not held by the old pedals (let up where the bar starts); the old pedal strokes in
    the bar go with the old notes; after it the sustain pedal is down again and holds the old notes as
    before. Overdub keeps every old pedal as it was."""
    from musestudio.core.events import SOSTENUTO

    old_pedals = (
        ControlEvent(0, SUSTAIN, 127),
        ControlEvent(2400, SUSTAIN, 0),  # a new stroke inside the bar replaced
        ControlEvent(2440, SUSTAIN, 127),
        ControlEvent(4800, SUSTAIN, 0),
        ControlEvent(1800, SOSTENUTO, 127),
        ControlEvent(3000, SOSTENUTO, 0),
    )
    old = Track(
        notes=(Note(48, 0, 480), Note(50, 1900, 480), Note(52, 2400, 480), Note(55, 3840, 240)),
        controllers=old_pedals,
    )
    rec = TakeRecorder(clock(1920), start=1920, tpb=TPB)
    rec.feed(on(0.0, 60))
    rec.feed(off(0.25, 60))  # a short note, 1920-2160
    take = rec.finish(3840)
    assert take.controllers == ()
    laid = record_into(old, take, replace=True)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [(0, 127), (1920, 0), (3840, 127), (4800, 0)]
    assert [(c.tick, c.value) for c in laid.lane(SOSTENUTO)] == [(1800, 127), (1920, 0)]
    assert laid.pedal_held() == ((480, 1920), (4080, 4800))  # nothing held over the new note
    assert laid.value_at(SUSTAIN, 2000) == 0 and laid.value_at(SOSTENUTO, 2000) == 0
    assert record_into(old, take, replace=False).controllers == old.controllers


def test_replace_keeps_the_pedal_the_take_presses_on_its_first_tick_and_adds_none_where_it_was_up():
    """A pedal pressed in the count-in is down from the record point: the old pedal is not let up under
    it. An old pedal up before the bars played over gets no let-up; nor does a take from the start."""
    old = Track(controllers=(ControlEvent(0, SUSTAIN, 127), ControlEvent(4800, SUSTAIN, 0)))
    rec = TakeRecorder(clock(1920), start=1920, tpb=TPB)
    rec.feed(msg("control_change", -0.1, control=SUSTAIN, value=127))  # in the count-in
    rec.feed(msg("control_change", 0.5, control=SUSTAIN, value=0))
    laid = record_into(old, rec.finish(3840), replace=True)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [
        (0, 127),
        (1920, 127),
        (2400, 0),
        (3840, 127),
        (4800, 0),
    ]
    lifted = Track(controllers=(ControlEvent(0, SUSTAIN, 127), ControlEvent(960, SUSTAIN, 0)))
    rec = TakeRecorder(clock(1920), start=1920, tpb=TPB)
    rec.feed(on(0.0, 60))
    laid = record_into(lifted, rec.finish(3840), replace=True)
    assert laid.lane(SUSTAIN) == lifted.lane(SUSTAIN)


def test_step_input_enters_a_chord_when_all_its_keys_are_released():
    step = StepInput()
    assert step.feed(on(0, 60, 80), cursor=960, step=240) is None
    assert step.feed(on(0, 64, 90), cursor=960, step=240) is None
    assert step.feed(off(0, 60), cursor=960, step=240) is None
    assert step.feed(on(0, 67, 100), cursor=960, step=240) is None  # still part of the chord: 64 is down
    chord = step.feed(off(0, 64), cursor=960, step=240)
    assert chord is None
    chord = step.feed(off(0, 67), cursor=960, step=240)
    assert chord == (Note(60, 960, 240, 80), Note(64, 960, 240, 90), Note(67, 960, 240, 100))
    assert step.feed(msg("control_change", 0, control=64, value=127), cursor=1200, step=240) is None


def test_phrase_is_over_after_a_bar_of_silence_not_while_a_key_is_held():
    bar = 4 * TPB
    listener = PhraseListener(lambda _tick: bar)
    assert not listener.over(10_000)  # nothing played yet
    listener.feed(on(0, 60), 0)
    listener.feed(off(0, 60), 400)
    listener.feed(on(0, 62), 500)
    assert not listener.over(500 + bar + 10)  # held
    listener.feed(off(0, 62), 900)
    assert not listener.over(900 + bar - 1)
    assert listener.over(900 + bar)
    listener.reset()
    assert not listener.over(100_000)


def test_the_trigger_pedal_ends_the_phrase_at_once_and_is_not_part_of_it():
    listener = PhraseListener(lambda _tick: 1920, JamTrigger.parse("cc:67"))
    listener.feed(msg("control_change", 0, control=67, value=127), 0)
    assert not listener.over(10)  # nothing played yet: the pedal alone does not ask for an answer
    listener.feed(on(0, 60), 20)
    listener.feed(msg("control_change", 0, control=67, value=127), 30)
    assert listener.over(31)  # a key is still held, but the trigger says the phrase is done
    assert JamTrigger.parse("note:21").pressed(on(0, 21))
    assert (
        JamTrigger.parse("") is None
        and JamTrigger.parse("cc:x") is None
        and JamTrigger.parse("foo:1") is None
    )


def test_the_answer_starts_on_a_bar_line_far_enough_ahead_and_moves_by_bars():
    lines = [0, 1920, 3840, 5760, 7680]
    assert answer_start(1900, 0, lines) == 1920
    assert answer_start(1900, 480, lines) == 3840
    notes = (Note(60, 3840, 240), Note(62, 4080, 240))
    assert moved_to(notes, 3840, 5760) == (Note(60, 5760, 240), Note(62, 6000, 240))
    assert phrase_bars(0, 1800, lines) == 1
    assert phrase_bars(100, 5000, lines) == 3
    assert phrase_bars(0, 100_000, lines + list(range(9600, 100_000, 1920))) == 4


def test_count_in_is_a_bar_of_clicks_before_the_music_in_the_meter_at_the_start():
    project = Project(
        tracks=(Track(notes=(Note(60, 0, 480), Note(64, 1440, 480))),),
        time_signatures=(TimeSignature(0, 3, 4),),
    )
    rate = 1000
    events = events_for(project, rate)
    shifted, offset = with_count_in(events, project, start_tick=1440, sample_rate=rate)
    assert offset == 1500  # a 3/4 bar at 120 BPM: 1.5 s
    start = 1500  # tick 1440 = 1.5 s
    clicks = [e for e in shifted if e.channel == METRONOME_CHANNEL and e.kind == "on"]
    assert [e.sample for e in clicks] == [start, start + 500, start + 1000]
    assert clicks[0].a != clicks[1].a  # the downbeat sounds different
    notes = [(e.sample, e.a) for e in shifted if e.kind == "on" and e.channel == 0]
    assert notes == [(start + offset, 64)]  # the note before the start is not played
    program = [e for e in shifted if e.kind == "program" and e.channel == 0]
    assert program and program[0].sample == offset  # settings still reach the synth (chased on seek)


def test_a_count_in_in_6_8_clicks_the_bar_s_two_dotted_quarter_beats():
    """A bar of count-in in 6/8 is "one, two" on its dotted quarters, as the metronome then goes on:
    it counted six eighths, three clicks to each beat the music comes in on."""
    project = Project(tracks=(Track(),), time_signatures=(TimeSignature(0, 6, 8),))
    rate = 960  # a tick a sample at 120 BPM
    shifted, offset = with_count_in(clicks_until(project, 4 * 1440, rate), project, 1440, rate)
    clicks = [(e.sample, e.b) for e in shifted if e.channel == METRONOME_CHANNEL and e.kind == "on"]
    music_starts = 1440 + offset
    assert offset == 1440
    assert [(music_starts - s, v) for s, v in clicks if s < music_starts] == [(1440, 110), (720, 80)]
    assert [s - music_starts for s, _ in clicks if s >= music_starts][:3] == [0, 720, 1440]


@pytest.mark.parametrize("start", [0, 960])
def test_recorder_notes_so_far_show_held_notes(start):
    rec = TakeRecorder(clock(start), start=start, tpb=TPB)
    rec.feed(on(0.1, 60))
    assert [(n.start, n.duration) for n in rec.notes_so_far(start + 500)] == [(start + 96, 404)]
    assert rec.held == {60}


def test_a_pedal_let_up_before_the_stop_gets_no_second_pedal_up_and_jam_phrases_keep_it_down():
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    rec.feed(msg("control_change", 0.4, control=SUSTAIN, value=0))
    assert [c.value for c in rec.finish(960).controllers] == [127, 0]
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    assert [c.value for c in rec.finish(960, release=False).controllers] == [127]


def test_a_pedal_an_earlier_jam_phrase_left_down_is_let_up_where_the_last_phrase_ends():
    """Jam mode's phrases follow each other under one pedal: the next phrase is told it is down, so the
    stop lets it up; one let up in the next phrase gets no second pedal-up."""
    first = TakeRecorder(clock(), start=0, tpb=TPB)
    first.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    first.finish(960, release=False)
    assert first.left_on == {SUSTAIN}
    held_on = TakeRecorder(clock(), start=960, tpb=TPB, left_on=first.left_on)
    held_on.feed(on(1.1, 60))
    held_on.feed(off(1.3, 60))
    assert held_on.finish(1920).controllers == (ControlEvent(1920, SUSTAIN, 0),)
    let_up = TakeRecorder(clock(), start=960, tpb=TPB, left_on=first.left_on)
    let_up.feed(msg("control_change", 1.5, control=SUSTAIN, value=0))
    assert let_up.finish(1920).controllers == (ControlEvent(1440, SUSTAIN, 0),)


def test_a_keyboard_gone_mid_take_ends_the_keys_and_pedal_it_held_where_it_went():
    """Unplugged with a key and the pedal down: their note-off and pedal-up never come. They end where the
    keyboard went, as the sound does, not bars later where the take stops; what was played stays."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    rec.feed(on(0.2, 60, 90))
    rec.feed(on(0.3, 64, 80))
    rec.feed(off(0.4, 64))
    rec.let_go(480)
    assert rec.held == frozenset() and rec.left_on == frozenset()
    take = rec.finish(3840)
    assert take.notes == (Note(64, 288, 96, 80), Note(60, 192, 288, 90))
    assert take.controllers == (ControlEvent(96, SUSTAIN, 127), ControlEvent(480, SUSTAIN, 0))
    in_count_in = TakeRecorder(clock(), start=1920, tpb=TPB)
    in_count_in.feed(msg("control_change", 0.1, control=SUSTAIN, value=127))
    in_count_in.let_go(500)
    assert in_count_in.finish(3840).controllers == (ControlEvent(1920, SUSTAIN, 0),)


def test_a_phrase_whose_keys_went_away_with_the_keyboard_is_over_a_bar_later():
    listener = PhraseListener(lambda _tick: 1920)
    listener.feed(on(0, 60), 100)
    assert not listener.over(5000)  # held: its note-off never comes
    listener.let_go(5000)
    assert not listener.over(6919)
    assert listener.over(6920)


def test_a_key_a_layering_keyboard_sends_on_two_channels_is_one_note():
    """Each key comes twice, on channels 1 and 2, a byte-time apart: one note each, not a one-tick sliver
    beside it. A key struck again by hand still ends the first note."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    for t, channel in ((0.1, 0), (0.1008, 1)):
        rec.feed(msg("note_on", t, note=60, velocity=90, channel=channel))
    for t, channel in ((0.5, 0), (0.5008, 1)):
        rec.feed(msg("note_off", t, note=60, channel=channel))
    rec.feed(on(0.6, 62))
    rec.feed(on(0.7, 62, 50))
    take = rec.finish(960)
    assert take.notes == (Note(60, 96, 384, 90), Note(62, 576, 96, 100), Note(62, 672, 288, 50))


def test_a_count_in_from_a_playhead_off_the_beat_clicks_on_the_score_s_beats():
    """Recording from where the music stopped (tick 2000, 80 ticks past bar 2's line): the clicks fall on
    the beats the music goes on with (the last, bar 2's downbeat, 80 ticks before the start), every beat
    apart, not a bar of beats from the playhead, which broke the beat where the music came in."""
    project = Project(tracks=(Track(),))
    rate = 960  # a tick a sample at 120 BPM
    as_recording_plays = clicks_until(project, endless_end(project), rate)
    shifted, offset = with_count_in(as_recording_plays, project, 2000, rate)
    clicks = [(e.sample, e.b) for e in shifted if e.channel == METRONOME_CHANNEL and e.kind == "on"]
    count_in = [(s, v) for s, v in clicks if s < 2000 + offset]
    music_starts = 2000 + offset
    assert [music_starts - s for s, _ in count_in] == [1520, 1040, 560, 80]
    assert [v for _, v in count_in] == [80, 80, 80, 110]  # the downbeat is bar 2's
    first_of_the_music = min(s for s, _ in clicks if s >= music_starts)
    assert first_of_the_music - count_in[-1][0] == 480


def bend(t, pitch):
    return msg("pitchwheel", t, pitch=pitch)


def mod_wheel(t, value):
    return msg("control_change", t, control=MODULATION, value=value)


def test_wheels_left_off_rest_when_the_take_stops_are_set_back_where_it_ends_and_kept_as_played():
    """The pitch wheel held bent and the mod wheel left up at the stop: their moves go in as played, and
    where the take ends they are centred, so the old notes after it (overdub) and a take or playback
    started from there do not start bent. A wheel back at rest before the stop gets no second event."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(on(0.1, 60))
    rec.feed(bend(0.2, 2000))
    rec.feed(bend(0.3, 4000))
    rec.feed(mod_wheel(0.4, 90))
    rec.feed(off(0.6, 60))
    take = rec.finish(960)
    assert [(c.tick, c.lane, c.value) for c in take.controllers] == [
        (192, PITCH_BEND, 2000),
        (288, PITCH_BEND, 4000),
        (384, MODULATION, 90),
        (960, MODULATION, 0),
        (960, PITCH_BEND, 0),
    ]
    old = Track(notes=(Note(64, 1920, 480),))
    for replace in (False, True):
        laid = record_into(old, take, replace)
        assert laid.value_at(PITCH_BEND, 1920) == 0 and laid.value_at(MODULATION, 1920) == 0
    centred = TakeRecorder(clock(), start=0, tpb=TPB)
    centred.feed(bend(0.2, -3000))
    centred.feed(bend(0.3, 0))
    assert [c.value for c in centred.finish(960).controllers] == [-3000, 0]


def test_overdub_sets_a_wheel_back_to_the_track_s_own_value_after_the_take():
    """The track's drawn modulation (40 from bar 1) goes on after the take as it was, not at rest."""
    old = Track(controllers=(ControlEvent(0, MODULATION, 40), ControlEvent(3840, MODULATION, 20)))
    rec = TakeRecorder(clock(), start=960, tpb=TPB)
    rec.feed(mod_wheel(1.25, 100))
    laid = record_into(old, rec.finish(1920), replace=False)
    assert [(c.tick, c.value) for c in laid.lane(MODULATION)] == [
        (0, 40),
        (1200, 100),
        (1920, 0),
        (1920, 40),
        (3840, 20),
    ]
    assert laid.value_at(MODULATION, 2000) == 40


def test_a_wheel_an_earlier_jam_phrase_left_bent_is_centred_where_the_last_phrase_ends():
    first = TakeRecorder(clock(), start=0, tpb=TPB)
    first.feed(bend(0.1, -2500))
    first.finish(960, release=False)
    assert first.left_on == {PITCH_BEND}
    last = TakeRecorder(clock(), start=960, tpb=TPB, left_on=first.left_on)
    last.feed(on(1.1, 60))
    assert last.finish(1920).controllers == (ControlEvent(1920, PITCH_BEND, 0),)


def test_a_keyboard_gone_with_its_wheel_bent_centres_it_where_it_went():
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(bend(0.1, 5000))
    rec.let_go(480)
    assert rec.finish(3840).controllers == (
        ControlEvent(96, PITCH_BEND, 5000),
        ControlEvent(480, PITCH_BEND, 0),
    )


def test_input_quantize_puts_a_quick_repeat_of_a_key_on_the_next_grid_line_not_on_the_first_note():
    """Two strikes of C a 32nd apart with a 16th grid both snap nearest to 120: the second goes on to 240,
    the other line beside where it was played, so the take has two notes, never two at one tick."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB, quantize_step=120)
    rec.feed(on(0.1, 60))  # 96 -> 120
    rec.feed(off(0.15, 60))
    rec.feed(on(0.18, 60, 70))  # 173: nearest 120 too
    rec.feed(off(0.23, 60))
    rec.feed(on(0.18, 64))  # another key at the same moment is its own note: it stays on 120
    rec.feed(off(0.3, 64))
    take = rec.finish(960)
    assert sorted((n.pitch, n.start, n.duration, n.velocity) for n in take.notes) == [
        (60, 120, 48, 100),
        (60, 240, 48, 70),
        (64, 120, 115, 100),
    ]


def test_input_quantize_moves_a_long_repeat_of_a_key_on_whole_as_it_moves_every_played_note():
    """The repeat moved on to the next line keeps the length it was played with, as every note Input
    Quantize snaps does (only its start goes to the grid); the note before it keeps its own."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB, quantize_step=120)
    rec.feed(on(0.1, 60))  # 96 -> 120
    rec.feed(on(0.18, 60, 70))  # 173: nearest 120 too, held 480 ticks
    rec.feed(off(0.68, 60))
    take = rec.finish(1920)
    assert sorted((n.pitch, n.start, n.duration) for n in take.notes) == [(60, 120, 77), (60, 240, 480)]


def test_input_quantize_makes_one_note_of_two_strikes_of_a_key_closer_than_half_a_grid_step():
    """A key bounced (struck twice 14 ticks apart), and a key played again on the next pass of a loop where
    it was played before: one strike at this grid, lasting to the later one's end; a key struck again
    ends the note before it, so no two notes of a pitch overlap."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB, quantize_step=120)
    rec.feed(on(0.12, 60, 90))  # 115 -> 120
    rec.feed(off(0.125, 60))
    rec.feed(on(0.14, 60, 60))  # 134 -> 120
    rec.feed(off(0.3, 60))  # held to 288: the note lasts to 288 - 134 + 120
    rec.feed(on(0.5, 62))  # 480, held 480 ticks
    rec.feed(off(1.0, 62))
    rec.feed(on(1.1, 62))  # 1056 -> 1080: no overlap with the first 62 either way
    rec.feed(off(1.2, 62))
    take = rec.finish(1920)
    assert sorted((n.pitch, n.start, n.duration, n.velocity) for n in take.notes) == [
        (60, 120, 154, 90),
        (62, 480, 480, 100),
        (62, 1080, 96, 100),
    ]
    looped = TakeRecorder(clock(0), start=0, tpb=TPB, quantize_step=120, loop=(0, 1920))
    for t in (0.25, 2.26):  # 240, and 2170 -> 250 on the second pass
        looped.feed(on(t, 67))
        looped.feed(off(t + 0.1, 67))
    assert [(n.start, n.duration) for n in looped.finish(2880).notes] == [(240, 96)]


def test_a_wheel_a_jam_phrase_leaves_bent_is_not_set_back_between_phrases():
    """Between jam phrases the wheel is still held where the last phrase left it: the phrase laid in keeps
    it there, even where the track set the wheel itself before (its bend at 0), until jam mode stops."""
    old = Track(controllers=(ControlEvent(0, PITCH_BEND, 0),))
    phrase = TakeRecorder(clock(), start=0, tpb=TPB)
    phrase.feed(bend(0.2, 3000))
    laid = record_into(old, phrase.finish(960, release=False), replace=False)
    assert [(c.tick, c.value) for c in laid.lane(PITCH_BEND)] == [(0, 0), (192, 3000)]


def test_input_quantize_lays_a_key_struck_just_before_a_loop_s_end_on_its_downbeat():
    """Loop bar 1 with a 16th grid: a key struck 24 ticks before the loop comes round snaps to its end, the
    next pass's downbeat it was meant for: it goes on the loop's start (as a looper lays it), held as long
    as it was, not after the loop where it would never be heard in it."""
    rec = TakeRecorder(clock(0), start=0, tpb=TPB, quantize_step=120, loop=(0, 1920))
    rec.feed(on(1.5, 64))  # 1440: stays
    rec.feed(off(1.6, 64))
    rec.feed(on(1.975, 60))  # 1896 -> 1920, the loop's end: the downbeat, 0
    rec.feed(off(2.4, 60))  # held 408 ticks
    rec.feed(on(1.9, 62))  # 1824: nearest line 1800, inside the loop: stays
    rec.feed(off(1.95, 62))
    take = rec.finish(2880)
    assert sorted((n.pitch, n.start, n.duration) for n in take.notes) == [
        (60, 0, 408),
        (62, 1800, 48),
        (64, 1440, 96),
    ]
    assert (take.start, take.end) == (0, 1920)
    laid = record_into(Track(), take, replace=True)
    assert all(0 <= n.start < 1920 for n in laid.notes)
    # without quantize, or once the loop was turned off (the music plays on into bar 2), it stays put
    plain = TakeRecorder(clock(0), start=0, tpb=TPB, loop=(0, 1920))
    plain.feed(on(1.975, 60))
    assert [(n.start, n.duration) for n in plain.finish(2880).notes] == [(1896, 24)]
    unlooped = TakeRecorder(clock(0), start=0, tpb=TPB, quantize_step=120, loop=(0, 1920))
    unlooped.unloop(1800)
    unlooped.feed(on(1.975, 60))
    unlooped.feed(off(2.4, 60))
    assert [(n.start, n.duration) for n in unlooped.finish(2880).notes] == [(1920, 408)]


def test_a_key_struck_for_the_next_downbeat_does_not_bring_the_loop_round():
    """Recording from the loop's middle, a key struck a few ms before the loop comes round and the take
    stopped before it came: the note is the next pass's downbeat's (the loop's start), but the bars before
    the record point were never played over, and replace keeps them (only the bars played over go)."""
    early = TakeRecorder(clock(960), start=960, tpb=TPB, quantize_step=120, loop=(0, 1920))
    early.feed(on(0.98, 67))  # 1901 -> 1920, the loop's end: the downbeat, 0
    early.feed(off(0.9896, 67))  # 1910
    take = early.finish(1910)
    assert [(n.pitch, n.start, n.duration) for n in take.notes] == [(67, 0, 9)]
    assert (take.start, take.end) == (960, 1910)
    old = Track(notes=(Note(50, 0, 480), Note(52, 480, 480), Note(55, 1200, 480), Note(67, 0, 240)))
    laid = record_into(old, take, replace=True)
    assert sorted((n.pitch, n.start) for n in laid.notes) == [(50, 0), (52, 480), (67, 0)]
    assert [n.id for n in laid.notes if n.pitch == 67] == [take.notes[0].id]  # played again: the new one
    # once the loop has come round the take is the bars played over: from the record point on, and the
    # second pass up to the stop, as far as the note held into it (115 ticks from where it was struck)
    came_round = TakeRecorder(clock(960), start=960, tpb=TPB, quantize_step=120, loop=(0, 1920))
    came_round.feed(on(0.98, 67))
    came_round.feed(off(1.1, 67))  # 2016: the second pass has begun (96)
    take = came_round.finish(2016)
    assert [(n.pitch, n.start, n.duration) for n in take.notes] == [(67, 0, 115)]
    assert take.spans == ((0, 115), (960, 1920))


def test_a_loop_that_came_round_and_stopped_before_the_record_point_keeps_the_bars_between():
    """Loop bar 1, recording from 960: the loop comes round and the take stops at 480 of the second pass,
    before the record point came again. The musician played over 960-1920 and then 0-480; the bars between
    (480-960) were not played over in this take, and replace keeps what is there."""
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(on(0.25, 70))  # 1200, first pass
    rec.feed(off(0.5, 70))
    rec.feed(on(1.125, 72))  # 2040 -> 120 of the second pass
    rec.feed(off(1.25, 72))  # 2160 -> 240
    take = rec.finish(2400)  # 480 of the second pass
    assert take.spans == ((0, 480), (960, 1920))
    old = Track(
        notes=(
            Note(50, 0, 480),
            Note(52, 480, 240),
            Note(53, 720, 240),
            Note(55, 1440, 480),
            Note(57, 1920, 480),
        )
    )
    laid = record_into(old, take, replace=True)
    assert sorted((n.pitch, n.start) for n in laid.notes) == [
        (52, 480),
        (53, 720),
        (57, 1920),
        (70, 1200),
        (72, 120),
    ]
    assert [n.pitch for n in record_into(old, take, replace=False).notes] == [50, 72, 52, 53, 70, 55, 57]
    # stopped once the record point came round again: every bar of the loop was played over
    whole = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    whole.feed(on(1.125, 72))
    assert whole.finish(2880).spans == ((0, 1920),)
    # turned off in the second pass, before the record point: the music plays on from 280 to 680
    unlooped = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    unlooped.feed(on(1.125, 72))  # 2040 -> 120
    unlooped.unloop(2200)  # -> 280
    unlooped.feed(off(1.5, 72))  # 2400 -> 480
    take = unlooped.finish(2600)  # -> 680
    assert take.spans == ((0, 680), (960, 1920))
    assert sorted((n.pitch, n.start) for n in record_into(old, take, replace=True).notes) == [
        (53, 720),
        (57, 1920),
        (72, 120),
    ]


def test_replace_over_a_loop_that_came_round_sets_the_old_pedal_back_where_each_played_stretch_ends():
    """The old pedal is down from 0 to 1500; the take, recorded from 960 over loop bar 1, presses the pedal
    at 60 of the second pass and is stopped at 480 with it still down. The take's pedal is let up there and
    the old pedal goes down again for the bars kept (480-960); where the first pass started (960) the old
    pedal, pressed for the old notes, is let up: the first pass was played without it. Where that pass
    ended (the loop's end) the pedal is where the old one was there (up), not left down for the rest of the
    track."""
    old = Track(controllers=(ControlEvent(0, SUSTAIN, 127), ControlEvent(1500, SUSTAIN, 0)))
    rec = TakeRecorder(clock(960), start=960, tpb=TPB, loop=(0, 1920))
    rec.feed(msg("control_change", 1.0625, control=SUSTAIN, value=127))  # 1980 -> 60
    take = rec.finish(2400)  # -> 480
    assert take.controllers == (ControlEvent(60, SUSTAIN, 127), ControlEvent(480, SUSTAIN, 0))
    laid = record_into(old, take, replace=True)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [(60, 127), (480, 0), (480, 127), (960, 0)]
    assert laid.value_at(SUSTAIN, 1920) == 0


def test_input_quantize_keeps_a_key_struck_on_an_off_grid_record_point_on_it():
    """Recording from 1260 (not on the quarter-note grid, nearer the line at 1440): the music comes in at
    the record point, a line of the take's grid. A key struck on it, or for it in the count-in's last
    moment, goes on it (it was moved there and snapped again, a grid line late). A key nearer the next line
    goes there."""
    rec = TakeRecorder(clock(0), start=1260, tpb=TPB, quantize_step=480)
    rec.feed(on(1.25, 60))  # 1200: in the count-in's last moment
    rec.feed(off(1.5, 60))  # 1440
    rec.feed(on(1.3125, 64))  # 1260: on the record point
    rec.feed(off(1.5, 64))
    rec.feed(on(1.4375, 67))  # 1380: nearer 1440
    rec.feed(off(1.6875, 67))  # 1620
    take = rec.finish(1920)
    assert sorted((n.pitch, n.start, n.duration) for n in take.notes) == [
        (60, 1260, 180),
        (64, 1260, 180),
        (67, 1440, 240),
    ]
    assert (take.start, take.end) == (1260, 1920)
    # recording from there over loop bar 1, the record point is a line on every pass: a key struck for it
    # in the count-in and on it in the next pass is one note there, not one a grid line later
    looped = TakeRecorder(clock(0), start=1260, tpb=TPB, quantize_step=480, loop=(0, 1920))
    looped.feed(on(1.25, 60))  # 1200: in the count-in's last moment
    looped.feed(off(1.5, 60))
    looped.feed(on(3.3125, 60))  # 3180 -> 1260 of the second pass
    looped.feed(off(3.5, 60))
    assert [(n.pitch, n.start) for n in looped.finish(3840).notes] == [(60, 1260)]


def test_input_quantize_lays_a_loop_s_downbeat_on_its_start_when_the_loop_starts_off_the_grid():
    """Loop from 240 (half a beat in) to bar 2, quarter-note grid: the loop's downbeat is what the musician
    hears and plays to, a little early on one pass (for the next) or a little late on another. Each lands on
    the loop's start, not on the grid line after it (480, a beat late); a key nearer that line goes there."""
    rec = TakeRecorder(clock(0), start=240, tpb=TPB, quantize_step=480, loop=(240, 1920))
    rec.feed(on(1.975, 60))  # 1896: the next pass's downbeat, struck early
    rec.feed(off(2.2, 60))
    rec.feed(on(2.025, 62))  # 1944 -> 264 of the second pass: the downbeat, struck late
    rec.feed(off(2.2, 62))
    rec.feed(on(2.25, 64))  # 2160 -> 480: on the beat
    rec.feed(off(2.4, 64))
    rec.feed(on(2.1875, 65))  # 2100 -> 420: nearer 480 than the loop's start
    rec.feed(off(2.4, 65))
    take = rec.finish(2880)
    assert sorted((n.pitch, n.start) for n in take.notes) == [(60, 240), (62, 240), (64, 480), (65, 480)]
    assert (take.start, take.end) == (240, 1920)
    # the first pass's downbeat, struck in the count-in's last moment, lands there too
    first = TakeRecorder(clock(0), start=240, tpb=TPB, quantize_step=480, loop=(240, 1920))
    first.feed(on(0.2, 67))  # 192: early for the record point (the loop's start)
    first.feed(off(0.5, 67))
    assert [(n.pitch, n.start) for n in first.finish(960).notes] == [(67, 240)]


def test_overdub_lays_a_note_played_again_on_the_same_key_and_start_in_place_of_the_old_one():
    """A quantized take lands a key played along with the track right on its note: the take's note (as just
    played) goes in its place, not a second note stacked on it; other old notes stay, one on the same
    key a step away among them."""
    old = Track(notes=(Note(60, 480, 240, 80), Note(60, 960, 240, 80), Note(64, 480, 240, 80)))
    rec = TakeRecorder(clock(), start=0, tpb=TPB, quantize_step=120)
    rec.feed(on(0.51, 60, 110))  # 490 -> 480: on the old 60
    rec.feed(off(0.8, 60))
    rec.feed(on(0.63, 67))  # 605 -> 600
    rec.feed(off(0.7, 67))
    take = rec.finish(1920)
    laid = record_into(old, take, replace=False)
    assert sorted((n.pitch, n.start, n.duration, n.velocity) for n in laid.notes) == [
        (60, 480, 278, 110),
        (60, 960, 240, 80),
        (64, 480, 240, 80),
        (67, 600, 67, 100),
    ]
    assert [n.id for n in laid.notes if n.pitch == 60 and n.start == 480] == [take.notes[0].id]


def test_pressure_left_on_the_keys_at_the_stop_is_set_back_to_none_where_the_take_ends():
    """Channel pressure (and a key's own pressure) still on when the take stops: kept as played, and back
    at 0 where the take ends, so the track's later notes (and a take or playback from there) are not
    played pressed; let off before the stop, it gets no second event."""
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(on(0.1, 60))
    rec.feed(msg("aftertouch", 0.2, value=90))
    rec.feed(msg("polytouch", 0.3, note=60, value=70))
    rec.feed(msg("polytouch", 0.35, note=64, value=50))
    rec.feed(msg("polytouch", 0.4, note=64, value=0))
    take = rec.finish(960)
    assert [(c.tick, c.lane, c.value) for c in take.controllers] == [
        (192, CHANNEL_PRESSURE, 90),
        (288, poly_pressure_lane(60), 70),
        (336, poly_pressure_lane(64), 50),
        (384, poly_pressure_lane(64), 0),
        (960, CHANNEL_PRESSURE, 0),
        (960, poly_pressure_lane(60), 0),
    ]
    old = Track(controllers=(ControlEvent(0, CHANNEL_PRESSURE, 20),))  # the track's own pressure goes on
    laid = record_into(old, take, replace=False)
    assert laid.value_at(CHANNEL_PRESSURE, 960) == 20 and laid.value_at(poly_pressure_lane(60), 960) == 0
    gone = TakeRecorder(clock(), start=0, tpb=TPB)  # the keyboard went away pressed: off where it went
    gone.feed(msg("aftertouch", 0.1, value=60))
    gone.let_go(480)
    assert gone.finish(3840).controllers[-1] == ControlEvent(480, CHANNEL_PRESSURE, 0)


def lap_take(*messages: mido.Message, stop: float, unloop: int | None = None):
    """A take recorded over loop bar 1 (0-1920) from its start: ``messages`` fed in order (``unloop``: the
    loop turned off at that tick, counted on, once the messages before it came), stopped at ``stop`` s."""
    rec = TakeRecorder(clock(0), start=0, tpb=TPB, loop=(0, 1920))
    for m in messages:
        if unloop is not None and round(clock(0)(m.time)) >= unloop:
            rec.unloop(unloop)
            unloop = None
        rec.feed(m)
    return rec.finish(round(clock(0)(stop)))


def pedal(t: float, value: int) -> mido.Message:
    return msg("control_change", t, control=SUSTAIN, value=value)


@pytest.mark.parametrize("replace", [False, True])
def test_a_pedal_and_a_wheel_held_over_the_loop_s_end_are_let_go_where_the_loop_ends(replace):
    """Overdubbing loop bar 1: the pedal pressed and the wheel bent late in the first pass are let go early
    in the second, where the take lays them into the bar before: they go back to rest where the loop
    ends, as at a take's end. Left so, the pedal held bar 2's notes and every later one, and the take's
    first notes when the loop came round (what the recording played: the pedal up at the loop's start)."""
    take = lap_take(
        on(0.0, 60),
        off(0.25, 60),
        pedal(1.875, 127),  # 1800, first pass
        msg("pitchwheel", 1.9, pitch=-4096),  # 1824
        msg("pitchwheel", 2.0, pitch=0),  # 1920 -> 0 of the second pass
        pedal(2.25, 0),  # 2160 -> 240
        stop=3.0,  # 2880 -> 960
    )
    old = Track(notes=(Note(50, 1920, 480),))  # bar 2, after the loop: no pedal of its own
    laid = record_into(old, take, replace)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [(240, 0), (1800, 127), (1920, 0)]
    assert [(c.tick, c.value) for c in laid.lane(PITCH_BEND)] == [(0, 0), (1824, -4096), (1920, 0)]
    assert laid.value_at(SUSTAIN, 1920) == 0 and laid.value_at(PITCH_BEND, 1920) == 0
    # bar 2's own pedal, pressed on its downbeat, comes after the let-up there and holds bar 2 as before
    old = Track(
        notes=old.notes, controllers=(ControlEvent(1920, SUSTAIN, 127), ControlEvent(2400, SUSTAIN, 0))
    )
    pedals = [(c.tick, c.value) for c in record_into(old, take, replace).lane(SUSTAIN)]
    assert pedals == [(240, 0), (1800, 127), (1920, 0), (1920, 127), (2400, 0)]


def test_a_pedal_over_the_loop_s_end_is_let_up_once_where_the_take_stops_there():
    """The pedal pressed in the first pass and still down at the stop (in the second): one let-up, where
    the take's bars end (the loop's end)."""
    take = lap_take(pedal(1.875, 127), stop=3.0)
    assert take.controllers == (ControlEvent(1800, SUSTAIN, 127), ControlEvent(1920, SUSTAIN, 0))


def test_a_loop_turned_off_lets_the_pedal_go_where_the_loop_ended_only_if_it_was_up_when_played_on():
    """The loop turned off in the second pass (at 480 of it): the music plays on through the loop's end
    into bar 2. The first pass's pedal, let up early in the second, is let up where the loop ends; a pedal
    the last pass holds on through the loop's end into bar 2 stays down there."""
    take = lap_take(pedal(1.875, 127), pedal(2.25, 0), stop=3.0 + 1.5, unloop=2400)  # stopped at 2880 of it
    assert sorted((c.tick, c.value) for c in take.controllers) == [(240, 0), (1800, 127), (1920, 0)]
    held_on = lap_take(
        pedal(1.875, 127),  # 1800, first pass
        pedal(2.25, 0),  # 240, second pass
        pedal(3.75, 127),  # 3600 -> 1680 after the loop was turned off
        pedal(4.5, 0),  # 4320 -> 2400, bar 2
        stop=5.0,
        unloop=2400,
    )
    assert sorted((c.tick, c.value) for c in held_on.controllers) == [
        (240, 0),
        (1680, 127),
        (1800, 127),
        (2400, 0),
    ]


def test_a_loop_turned_off_lets_the_take_s_pedal_up_at_the_loop_s_end_before_the_old_pedal_goes_down():
    """Overdubbing loop bar 1 and playing on into bar 2 (the loop turned off in the second pass): the take's
    pedal, let up where the loop ends (1920), lies inside the bars played over. The old part presses its
    own pedal on bar 2's downbeat: the let-up goes first, so bar 2's old notes are held as before (laid after
    it, the let-up cancelled the old pedal and they played unpedalled). Replace clears bar 2's old pedal
    where the take played on over it, and sets it back where the take ends."""
    take = lap_take(
        pedal(1.875, 127),  # 1800, first pass
        pedal(2.25, 0),  # 240, second pass
        on(2.75, 60),  # 2640, after the loop was turned off at 2400 -> 720
        off(3.0, 60),
        stop=4.5,  # 4320 -> 2400
        unloop=2400,
    )
    assert take.spans == ((0, 2400),) and ControlEvent(1920, SUSTAIN, 0) in take.controllers
    old = Track(
        notes=(Note(50, 1920, 480),),
        controllers=(ControlEvent(1920, SUSTAIN, 127), ControlEvent(2880, SUSTAIN, 0)),
    )
    laid = record_into(old, take, replace=False)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [
        (240, 0),
        (1800, 127),
        (1920, 0),
        (1920, 127),
        (2880, 0),
    ]
    assert laid.value_at(SUSTAIN, 1920) == 127 and laid.pedal_held() == ((2400, 2880),)
    laid = record_into(old, take, replace=True)
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)] == [
        (240, 0),
        (1800, 127),
        (1920, 0),
        (2400, 127),
        (2880, 0),
    ]


def test_overdub_keeps_a_pedal_pressed_on_the_tick_the_other_side_lets_it_up():
    """The musician presses the pedal on the tick where the old part lifts its own: pressed after the
    lift, it holds the take's notes as played (a pianist's change of pedal), and the old stroke ends there."""
    old = Track(controllers=(ControlEvent(0, SUSTAIN, 127), ControlEvent(960, SUSTAIN, 0)))
    rec = TakeRecorder(clock(), start=0, tpb=TPB)
    rec.feed(pedal(0.5, 100))  # 480
    rec.feed(pedal(1.0, 0))  # 960
    rec.feed(pedal(1.0, 127))  # changed at once: down again at 960
    laid = record_into(old, rec.finish(1920), replace=False)
    assert laid.value_at(SUSTAIN, 960) == 127
    assert [(c.tick, c.value) for c in laid.lane(SUSTAIN)][-1] == (1920, 0)


def test_input_quantize_counts_the_grid_from_each_bar_line():
    """Bars 3 and 4 in 3/4 after two of 4/4, half-note grid: its lines are each 3/4 bar's beats 1 and 3, as
    the roll draws them. Counted from tick 0 it put a key struck just after bar 4's downbeat (5280) on 5760,
    its beat 2. A key struck twice, both nearest beat 3 (6240), goes there and on to the next line the roll
    draws, bar 5's downbeat (a half note's span of beat 3 of a 3/4 bar), not to 7200, off every line."""
    meter = (TimeSignature(0), TimeSignature(3840, 3, 4), TimeSignature(6720))
    rec = TakeRecorder(clock(3840), start=3840, tpb=TPB, quantize_step=960, time_signatures=meter)
    for pitch, tick, end in ((70, 5300, 5500), (72, 5800, 5900), (72, 6470, 6550)):
        rec.feed(on((tick - 3840) / (2 * TPB), pitch))
        rec.feed(off((end - 3840) / (2 * TPB), pitch))
    take = rec.finish(7680)
    assert [(n.pitch, n.start) for n in take.notes] == [(70, 5280), (72, 6240), (72, 6720)]
