"""Jam mode beside the Takes panel and the loop: an answer that replaces takes the user had not kept says so,
the take chosen in the Takes panel is the one the jam plays (and Keep keeps), and with the loop on jam plays
on past it, so the bar of silence that ends a phrase comes. The Continue
model is replaced by one that answers at once (what is checked is the window's side)."""

from __future__ import annotations

import mido
import pytest
from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.ml.generate.request import Outcome, Take
from tests.ui.test_midi_ui import play_note, send, time_of
from tests.ui.ui_helpers import list_takes


def answer_at_once(request, taste, report, say, cancel):
    a = request.after
    notes = (Note(72, a, 240, 90), Note(74, a + 240, 240, 90))
    return Outcome(
        request,
        (Take(1, notes, a, a + 1920, request.engine, request.options.style, 7, None, None, 0.5),),
        "cpu",
    )


@pytest.fixture
def live(make_window, monkeypatch):
    window = make_window()
    monkeypatch.setattr(window.generate, "run_target", lambda: answer_at_once)
    window.player.open()
    window.state.set_active_track(window.document.project.tracks[0].id)
    window.state.set_playhead(3840)
    yield window
    window.jam.stop()


def phrase_and_answer(live, qtbot, start: int):
    live.jam.answer = None
    play_note(live, 67, start, start + 240)
    play_note(live, 69, start + 240, start + 480)
    assert live.jam.poll(time_of(live, start + 480 + 1920))  # a bar of silence after the phrase
    qtbot.waitUntil(lambda: live.jam.answer is not None, timeout=20_000)
    return live.jam.answer


def test_an_answer_that_replaces_a_generates_takes_says_so(live, qtbot):
    list_takes(live, 3)
    assert live.jam.start()
    phrase_and_answer(live, qtbot, 3840)
    assert "It replaces the 3 take(s) listed and not kept." in live.statusBar().currentMessage()
    phrase_and_answer(live, qtbot, 7680)  # the next answer replaces only the last one: nothing to say
    assert "replaces" not in live.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Recorded 2 notes (1 in place of the same note already there) — Answer at bar 5: Enter keeps it",
        ),
        ("zh_CN", "已录入 2 个音符（其中 1 个替换了原有的相同音符）；回应在第 5 小节：按 Enter 保留"),
    ],
    indirect=["language"],
)
def test_a_phrase_note_played_again_on_the_tracks_note_goes_in_its_place_and_jam_says_so(
    live, qtbot, language, said
):
    """A key struck on a note of the track (same key, same start) goes in its place, as in Record: the
    status bar says so in Record's words, through the answer that follows; the next phrase, on no note of
    the track, says nothing of it."""
    project = live.document.project
    melody = project.tracks[0]
    live.editor.push(
        project.replace_track(melody.with_notes(melody.notes + (Note(67, 3840, 960, 80),))), "Add note"
    )
    assert live.jam.start()
    phrase_and_answer(live, qtbot, 3840)
    assert [(n.start, n.velocity) for n in live.document.project.tracks[0].notes if n.pitch == 67] == [
        (3840, 100)
    ]
    assert live.statusBar().currentMessage() == said
    phrase_and_answer(live, qtbot, 7680)
    assert not {"(", "（"} & set(live.statusBar().currentMessage())  # no note went in place of another


def test_an_answer_kept_then_listed_again_by_undo_is_the_users_to_lose(live, qtbot):
    assert live.jam.start()
    phrase_and_answer(live, qtbot, 3840)
    assert live.generate.keep()
    live.undo_stack.undo()  # the answer is listed again
    phrase_and_answer(live, qtbot, 7680)
    assert "It replaces the 1 take(s) listed and not kept." in live.statusBar().currentMessage()


def test_with_the_loop_on_jam_plays_on_past_it_and_answers(live, qtbot):
    live.state.set_loop(1920, 5760)
    live.state.set_playhead(1920)
    assert live.jam.start()
    assert "(Jam plays on past the loop.)" in live.statusBar().currentMessage()
    assert live.transport.loop() is None
    live.on_midi_message(mido.Message("note_on", note=67, velocity=100, time=time_of(live, 4800)))
    live.on_midi_message(mido.Message("note_off", note=67, time=time_of(live, 5200)))
    assert live.jam.poll(time_of(live, 5200 + 1920 + 240))  # past the loop's end: the bar of silence came
    live.jam.stop()
    assert live.transport.loop() == (1920, 5760)  # stopped: the next Play loops again


def answer_twice(request, taste, report, say, cancel):
    """Two takes for one call, pitches nowhere else in the piece: which one plays can be told apart."""
    a = request.after

    def take(number, pitch):
        notes = (Note(pitch, a, 240, 90), Note(pitch + 1, a + 240, 240, 90))
        return Take(
            number, notes, a, a + 1920, request.engine, request.options.style, number, None, None, 0.5
        )

    return Outcome(request, (take(1, 100), take(2, 110)), "cpu")


def heard(window) -> set[int]:
    """The pitches the running player plays now."""
    return {e.a for e in window.player.player.events if e.kind == "on"}


def test_the_jam_plays_the_take_chosen_in_the_takes_panel_and_keep_keeps_that_one(live, qtbot, monkeypatch):
    monkeypatch.setattr(live.generate, "run_target", lambda: answer_twice)
    gen, takes = live.generate, live.generate.takes_panel.list
    assert live.jam.start()
    phrase_and_answer(live, qtbot, 3840)
    assert heard(live) >= {100, 101} and not heard(live) & {110, 111}
    send(live, "note_on", 6500, note=62, velocity=100)  # the next phrase, played on over the switches
    qtbot.keyClick(live.roll.view, Qt.Key.Key_2)  # keys 1-8
    assert gen.current_take().number == 2
    assert live.statusBar().currentMessage() == "Jam mode plays take 2"  # not "stop it to audition"
    assert heard(live) >= {110, 111} and not heard(live) & {100, 101}
    qtbot.keyClick(takes, Qt.Key.Key_Up)  # the arrow keys in the list
    assert gen.current_take().number == 1 and heard(live) >= {100, 101} and not heard(live) & {110, 111}
    second = takes.visualItemRect(takes.topLevelItem(1)).center()
    qtbot.mouseClick(takes.viewport(), Qt.MouseButton.LeftButton, pos=second)  # a click
    assert gen.current_take().number == 2 and heard(live) >= {110, 111} and not heard(live) & {100, 101}
    assert live.jam.active and live.transport.playing  # switched in time: the jam plays on
    send(live, "note_off", 6740, note=62)
    assert gen.keep()
    track = {n.pitch for n in live.document.project.tracks[0].notes}
    assert {67, 69, 110, 111} <= track and not track & {100, 101}  # the phrase, and the take that was heard
    assert [t.number for t in gen.takes] == [1] and heard(live) >= {100, 101}  # the other one plays on
    gen.discard()
    assert not gen.takes and not heard(live) & {100, 101} and live.transport.preview is None
    assert live.jam.poll(time_of(live, 6740 + 1920))
    assert 62 in {n.pitch for n in live.document.project.tracks[0].notes}  # the phrase played meanwhile
