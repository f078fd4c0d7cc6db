"""The keyboard in the app, with no MIDI server and no sound card: messages fed straight to the window's
input handler, stamped with the moments the silent transport's clock says each tick is heard."""

from __future__ import annotations

import time

import mido
import pytest

from musestudio.core.events import SUSTAIN
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ml.engines import CONTINUE, PARTS, installed


def time_of(window, tick: float) -> float:
    """The perf_counter moment the running transport plays ``tick`` (it runs at the project's tempo)."""
    project = window.document.project
    t0 = time.perf_counter()
    seconds_per_tick = 60.0 / (project.tempo_at(0).bpm * project.ticks_per_beat)
    return t0 + (tick - window.transport.tick_at(t0)) * seconds_per_tick


def send(window, kind: str, tick: float, **fields) -> None:
    window.on_midi_message(mido.Message(kind, time=time_of(window, tick), **fields))


def play_note(window, pitch: int, start: float, end: float, velocity: int = 100) -> None:
    send(window, "note_on", start, note=pitch, velocity=velocity)
    send(window, "note_off", end, note=pitch)


@pytest.fixture
def live(window):
    """The window with its (silent) player open, the first track active and the playhead at bar 2."""
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(1920)
    yield window
    window.jam.stop()
    window.recording.stop()


def melody(window) -> list[tuple[int, int, int, int]]:
    return [(n.pitch, n.start, n.duration, n.velocity) for n in window.document.project.tracks[0].notes]


def test_without_a_sound_card_the_transport_runs_silently_and_loops(live, qtbot):
    assert live.player.player.silent
    text = live.status.audio.text()
    assert "silent" in text and "no audio device" in text
    live.state.set_playhead(0)
    live.actions.play.trigger()
    assert live.transport.playing
    qtbot.waitUntil(lambda: live.state.playhead > 240, timeout=30_000)  # the playhead moves on its clock
    live.transport.stop()
    live.state.set_loop(0, 480)
    live.state.set_playhead(0)
    live.transport.play()
    seen = []

    def came_round() -> bool:  # a loop of 480 ticks is 0.25 s: the playhead jumps back to its start
        seen.append(live.state.playhead)
        return any(b < a for a, b in zip(seen, seen[1:], strict=False))

    qtbot.waitUntil(came_round, timeout=30_000)
    qtbot.waitUntil(lambda: seen.append(live.state.playhead) or len(seen) > 80, timeout=30_000)  # more looks
    assert max(seen) < 480
    live.transport.stop()


def test_record_counts_in_a_bar_then_records_notes_velocity_and_pedal_as_one_undo_step(live):
    before = live.document.project
    live.actions.record.trigger()
    assert live.recording.recording and live.transport.playing and live.actions.record.isChecked()
    # the playhead was at bar 2: the count-in is bar 1, the take starts at tick 1920
    assert live.transport.tick_at(time.perf_counter()) < 1920
    play_note(live, 40, 500, 700)  # in the count-in: not recorded
    send(live, "control_change", 1800, control=SUSTAIN, value=127)  # pedal down in the count-in
    play_note(live, 72, 1920 + 240, 1920 + 720, velocity=77)
    send(live, "control_change", 1920 + 800, control=SUSTAIN, value=0)
    send(live, "control_change", 1920 + 900, control=1, value=64)
    live.actions.record.trigger()  # stop
    assert not live.recording.recording and not live.transport.playing
    added = [n for n in melody(live) if n[0] == 72]
    assert len(added) == 1
    pitch, start, duration, velocity = added[0]
    assert (pitch, velocity) == (72, 77)
    assert abs(start - 2160) <= 3 and abs(duration - 480) <= 3  # within a few ticks of the clock
    assert 40 not in [n[0] for n in melody(live)]
    lanes = [(c.lane, c.value, c.tick) for c in live.document.project.tracks[0].controllers]
    assert [(lane, value) for lane, value, _ in lanes] == [(SUSTAIN, 127), (SUSTAIN, 0), (1, 64), (1, 0)]
    assert lanes[0][2] == 1920  # the pedal pressed in the count-in is down from the first beat
    assert lanes[3][2] >= 1920 + 900  # the mod wheel left up: back at rest where the take ends
    assert len([n for n in melody(live) if n[0] != 72]) == 3  # overdub: the old notes stay
    live.undo_stack.undo()
    assert live.document.project == before  # the whole take was one step


@pytest.mark.parametrize(
    ("language", "notes", "moves", "said"),
    [
        ("en", 1, 1, "Recorded 1 note and 1 controller event"),
        ("en", 2, 2, "Recorded 2 notes and 2 controller events"),
        ("en", 1, 0, "Recorded 1 note"),
        ("zh_CN", 2, 1, "已录入 2 个音符和 1 个控制器事件"),
    ],
    indirect=["language"],
)
def test_after_recording_the_status_bar_counts_notes_and_controller_events_each_in_its_own_number(
    language, live, notes, moves, said
):
    live.recording.start()
    for i in range(notes):
        play_note(live, 72 + i, 1920 + 240 * i, 1920 + 240 * i + 120)
    for i in range(moves):  # expression: a wheel left off rest would be set back, an event more
        send(live, "control_change", 1920 + 600 + 60 * i, control=11, value=64 + i)
    live.recording.stop()
    assert live.statusBar().currentMessage() == said


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Recorded 2 notes (1 in place of the same note already there)"),
        ("zh_CN", "已录入 2 个音符（其中 1 个替换了原有的相同音符）"),
    ],
    indirect=["language"],
)
def test_overdub_puts_a_note_played_again_on_the_track_s_note_in_its_place_and_says_so(language, live, said):
    """Quantized, a key played along with the track lands right on its note (same key, same start): the
    take's note goes in its place, not stacked on it, the status bar says so, and Undo gives the old back."""
    live.state.set_playhead(0)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/8")
    before = live.document.project
    live.recording.start()
    play_note(live, 62, 490, 800, velocity=110)  # -> 480, where the track's 62 (velocity 80) starts
    play_note(live, 66, 250, 400)  # -> 240
    live.recording.stop()
    assert [(p, s, v) for p, s, _, v in melody(live)] == [
        (60, 0, 90),
        (66, 240, 100),
        (62, 480, 110),
        (64, 960, 100),
    ]
    assert live.statusBar().currentMessage() == said
    live.undo_stack.undo()
    assert live.document.project == before


def test_quantize_lays_a_key_struck_just_before_the_loop_comes_round_on_its_downbeat(live):
    """Loop bar 2, 1/8 grid: a key struck 30 ticks before the loop's end is meant for its downbeat, where
    it goes (snapped where it was played, it lay in bar 3 and was never heard in the loop)."""
    live.state.set_loop(1920, 3840)
    live.state.set_playhead(1920)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/8")
    live.recording.start()
    play_note(live, 79, 3810, 4200)
    live.recording.stop()
    assert [(p, s) for p, s, *_ in melody(live) if p == 79] == [(79, 1920)]


def test_replace_keeps_the_bars_before_the_record_point_when_only_the_next_downbeat_was_struck(live):
    """Loop bar 1, recording from its middle in replace mode: a key struck 19 ticks before the loop comes
    round goes on its downbeat, but the take stopped before the loop came round clears only the bars played
    over (from 960), not the first half of the loop the user never played in this take."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(960)
    live.actions.record_replace.setChecked(True)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/16")
    live.recording.start()
    play_note(live, 67, 1901, 1910)
    take = live.recording.stop()
    assert (take.start, take.end) == (960, 1910)
    assert [(p, s) for p, s, *_ in melody(live)] == [(60, 0), (67, 0), (62, 480)]  # 64 (at 960) replaced


def test_replace_keeps_the_bars_the_take_stopped_short_of_after_the_loop_came_round(live):
    """Loop bar 1, recording from its middle in replace mode: the loop comes round and the user stops at
    300 of the second pass, before reaching the record point. The take played over 960-1920 and 0-300:
    the track's 60 (at 0) and 64 (at 960) go, its 62 (at 480), never played over in this take, stays."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(960)
    live.actions.record_replace.setChecked(True)
    before = live.document.project
    live.recording.start()
    play_note(live, 70, 1200, 1440)
    play_note(live, 72, 1920 + 100, 1920 + 300)
    take = live.recording.stop()
    assert take.spans == ((0, 300), (960, 1920))
    assert [(p, s) for p, s, *_ in melody(live)] == [(72, 100), (62, 480), (70, 1200)]
    live.undo_stack.undo()  # one step takes the whole take back
    assert live.document.project == before


def test_quantize_keeps_a_key_struck_for_an_off_grid_record_point_on_it(live):
    """Recording from 1260 with a quarter-note grid: a key struck in the count-in's last moment, for the
    record point where the music comes in, goes on it, not on the grid line after it (1440)."""
    live.state.set_playhead(1260)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/4")
    live.recording.start()
    play_note(live, 67, 1220, 1500)
    live.recording.stop()
    assert [(p, s) for p, s, *_ in melody(live) if p == 67] == [(67, 1260)]


def test_quantize_snaps_to_the_grid_lines_the_roll_draws_after_a_meter_change(live):
    """Bars 3 and 4 in 3/4 after two of 4/4, half-note grid: its lines are each 3/4 bar's beats 1 and 3. A
    key struck just after bar 4's downbeat goes on it, not on 5760 (a grid counted from tick 0, beat 2)."""
    meter = (TimeSignature(0), TimeSignature(3840, 3, 4), TimeSignature(6720))
    live.document.set_project(live.document.project.with_time_signatures(meter))
    live.state.set_playhead(3840)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/2")
    live.recording.start()
    play_note(live, 70, 5300, 5500)
    play_note(live, 72, 6250, 6400)  # -> beat 3 of bar 4, not bar 5's downbeat (6720)
    live.recording.stop()
    assert [(p, s) for p, s, *_ in melody(live) if p >= 70] == [(70, 5280), (72, 6240)]


def test_replace_clears_the_recorded_bars_and_quantize_snaps_to_the_grid(live):
    live.state.set_playhead(0)
    live.actions.record_replace.setChecked(True)
    live.actions.record_quantize.setChecked(True)
    live.state.set_snap("1/8")
    live.recording.start()
    play_note(live, 70, 250, 500)  # 250 -> 240 on the 1/8 grid
    play_note(live, 71, 1190, 1400)  # -> 1200
    live.recording.stop()
    assert [(p, s) for p, s, *_ in melody(live)] == [(70, 240), (71, 1200)]  # 60, 62, 64 replaced
    assert live.settings.get("record_replace") and live.settings.get("record_quantize")


def test_recording_with_the_playhead_outside_the_loop_records_from_the_loop_where_the_music_plays(live):
    """Play starts at the loop when the playhead is outside it; the take must start there too, or every
    note played would count as played before the take."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(3 * 1920)
    live.recording.start()
    assert live.recording.recorder.start == 0
    play_note(live, 74, 240, 720)
    live.recording.stop()
    assert any(p == 74 and abs(s - 240) <= 3 for p, s, *_ in melody(live))


def test_recording_over_a_loop_lays_every_pass_into_the_loop(live):
    """Loop bar 1, recording from its middle: the second pass's note before the record point counts and a
    note held over the loop's end keeps its length up to there (the transport counts the laps)."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(960)
    live.recording.start()
    play_note(live, 70, 1200, 1440)
    play_note(live, 76, 1800, 2160)  # held over the loop's end
    play_note(live, 72, 1920 + 240, 1920 + 480)  # the second pass, before the record point
    live.recording.stop()
    got = {p: (s, d) for p, s, d, _ in melody(live) if p in (70, 72, 76)}
    for pitch, (start, duration) in {70: (1200, 240), 76: (1800, 120), 72: (240, 240)}.items():
        assert abs(got[pitch][0] - start) <= 3 and abs(got[pitch][1] - duration) <= 3, (pitch, got)


def test_turning_the_loop_off_mid_take_plays_on_and_a_moved_loop_waits_for_the_take_s_end(live):
    """The take counts its passes by the loop it started with: turned off, the music plays on past its end
    (and the take with it); moved, the new loop plays once the take is over, and the window says so."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(0)
    live.recording.start()
    live.state.set_loop(3840, 5760)  # moved mid-take
    assert live.transport.loop() == (0, 1920)
    assert "once recording stops" in live.statusBar().currentMessage()
    live.actions.loop.trigger()  # off
    assert not live.state.loop_enabled and live.transport.loop() is None
    play_note(live, 79, 1920 + 240, 1920 + 480)  # heard in bar 2 now: it goes there, not into bar 1
    live.recording.stop()
    assert any(p == 79 and abs(s - 2160) <= 3 for p, s, *_ in melody(live)), melody(live)
    live.state.set_loop_enabled(True)
    assert live.transport.loop() == (3840, 5760)  # the next run plays the loop the user set


def test_a_loop_turned_off_and_on_again_mid_take_waits_for_the_take_s_end(live):
    """Once the take counts straight on past the loop, the music does too until the take ends: the loop
    turned on again plays once recording stops, and the window says so."""
    live.state.set_loop(0, 1920)
    live.state.set_playhead(0)
    live.recording.start()
    live.actions.loop.trigger()  # off: the take and the music play on
    live.actions.loop.trigger()  # on again, same take
    assert live.state.loop_enabled and live.transport.loop() is None
    assert "once recording stops" in live.statusBar().currentMessage()
    play_note(live, 79, 1920 + 240, 1920 + 480)
    live.recording.stop()
    assert any(p == 79 and abs(s - 2160) <= 3 for p, s, *_ in melody(live)), melody(live)
    assert live.transport.loop() == (0, 1920)  # the next run loops


def test_a_take_being_recorded_when_the_window_is_made_anew_goes_with_the_piece(live):
    """Preferences > another language while recording: the window is made anew, and the take goes into
    the piece it carries (as closing would put it there)."""
    live.recording.start()
    play_note(live, 77, 1920 + 240, 1920 + 720)
    live.restart()
    assert any(n.pitch == 77 for n in live.reopen[0].tracks[0].notes)


def test_recording_nothing_leaves_no_undo_step(live):
    count = live.undo_stack.count()
    live.recording.start()
    live.recording.stop()
    assert live.undo_stack.count() == count


def test_step_input_enters_chords_at_the_cursor_and_moves_on_by_the_snap(live):
    live.state.set_snap("1/4")
    live.actions.step_input.setChecked(True)
    count = live.undo_stack.count()
    for pitch in (60, 64, 67):
        live.on_midi_message(mido.Message("note_on", note=pitch, velocity=90))
    for pitch in (60, 64, 67):
        live.on_midi_message(mido.Message("note_off", note=pitch))
    live.on_midi_message(mido.Message("note_on", note=72, velocity=50))
    live.on_midi_message(mido.Message("note_off", note=72))
    assert live.state.playhead == 1920 + 2 * 480
    new = [n for n in melody(live) if n[1] >= 1920]
    assert new == [(60, 1920, 480, 90), (64, 1920, 480, 90), (67, 1920, 480, 90), (72, 2400, 480, 50)]
    assert live.undo_stack.count() == count + 2  # one step per chord
    live.actions.step_input.setChecked(False)
    live.on_midi_message(mido.Message("note_on", note=50, velocity=90))
    live.on_midi_message(mido.Message("note_off", note=50))
    assert live.undo_stack.count() == count + 2


def test_step_input_enters_the_next_chord_after_a_key_let_go_while_the_music_played(live, qtbot):
    """A key pressed in step input and let go while the music played (or a take was recorded): step input
    never saw it go up, and waited for it before entering any chord again."""
    live.state.set_snap("1/4")
    live.actions.step_input.setChecked(True)
    live.on_midi_message(mido.Message("note_on", note=60, velocity=90))
    live.transport.play()
    qtbot.waitUntil(lambda: live.transport.playing, timeout=5000)
    live.on_midi_message(mido.Message("note_off", note=60))
    live.transport.stop()
    qtbot.waitUntil(lambda: not live.transport.playing, timeout=5000)
    at = live.state.playhead
    live.on_midi_message(mido.Message("note_on", note=64, velocity=90))
    live.on_midi_message(mido.Message("note_off", note=64))
    assert (64, at, 480, 90) in melody(live) and live.state.playhead == at + 480


def test_step_input_at_an_odd_resolution_moves_on_by_grid_lines(make_window):
    """At 100 ticks a beat a 32nd is 12.5 ticks: eight steps make a beat, not 8 x 12 = 96 ticks."""
    window = make_window(Project(tracks=(Track(name="T"),), ticks_per_beat=100))
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_snap("1/32")
    window.actions.step_input.setChecked(True)
    for pitch in range(60, 68):
        window.on_midi_message(mido.Message("note_on", note=pitch, velocity=90))
        window.on_midi_message(mido.Message("note_off", note=pitch))
    notes = window.document.project.tracks[0].notes
    assert [n.start for n in notes] == [0, 13, 25, 38, 50, 63, 75, 88]
    assert [n.end for n in notes] == [13, 25, 38, 50, 63, 75, 88, 100] and window.state.playhead == 100


def test_jam_answers_after_a_bar_of_silence_in_time_and_the_answer_is_a_take_you_can_keep(live, qtbot):
    panel = live.generate.panel  # Continue's default engine answers, as a user meets it
    if panel.engine.currentData() not in installed(CONTINUE):
        pytest.skip("no Continue model installed")
    engine = panel.engine.currentData()
    live.state.set_playhead(3840)
    assert live.jam.start()
    assert live.transport.playing and live.actions.jam.isChecked()
    phrase = [(67, 3840, 4080), (69, 4080, 4320), (71, 4320, 4800), (72, 4800, 5600)]
    for pitch, a, b in phrase:
        play_note(live, pitch, a, b)
    steps = live.undo_stack.count()
    assert not live.jam.poll(time_of(live, 5600 + 1919))  # not yet a bar of silence
    assert live.jam.poll(time_of(live, 5600 + 1920))
    assert live.undo_stack.count() == steps + 1  # the phrase went in as one step
    got = [(p, s) for p, s, *_ in melody(live) if s >= 3840]
    assert all(abs(s - a) <= 3 for (_, s), (_, a, _) in zip(got, phrase, strict=True))
    request = live.jam.request
    assert request is not None and request.mode == CONTINUE
    assert request.after == 5760  # right after the phrase: what the model continues
    assert request.bars == 1 and request.engine == engine
    assert {n.pitch for n in request.notes} >= {67, 69, 71, 72}
    melody_id, bass_id = (t.id for t in live.document.project.tracks)
    if engine == PARTS:  # the answer is in the track played into; the bass is heard, not written
        assert {s.track_id: s.write for s in request.parts} == {melody_id: True, bass_id: False}
    # until the answer, or another message (an error): "not busy" alone comes a moment before the result
    qtbot.waitUntil(
        lambda: live.jam.answer is not None or not live.statusBar().currentMessage().startswith("Answering"),
        timeout=180_000,
    )
    assert live.jam.answer is not None, live.statusBar().currentMessage()
    answer = live.jam.answer
    now = live.transport.tick_at(time.perf_counter())
    assert answer.start % 1920 == 0 and answer.notes
    assert live.generate.takes and live.generate.takes[0] is answer
    assert live.transport.preview is not None
    playing = live.player.player.events
    assert any(e.kind == "on" and e.a == answer.notes[0].pitch for e in playing)
    assert answer.start >= now - 1920  # placed on a bar line that was ahead when it came
    assert answer.start >= request.after
    if answer.parts:  # the parts moved with the take: Keep writes them where it was played
        assert [tid for tid, _ in answer.parts] == [melody_id]
        assert sorted(answer.parts[0][1], key=Note.sort_key) == sorted(answer.notes, key=Note.sort_key)
    kept_before = len(live.document.project.tracks[0].notes)
    bass_before = live.document.project.tracks[1].notes
    assert live.generate.keep()
    assert len(live.document.project.tracks[0].notes) == kept_before + len(answer.notes)
    assert live.document.project.tracks[1].notes == bass_before
    kept = [n for n in live.document.project.tracks[0].notes if n.start >= answer.start]
    assert sorted(n.start for n in kept) == sorted(n.start for n in answer.notes)  # in time, where played
    live.jam.stop()
    assert not live.transport.playing and live.transport.preview is None
