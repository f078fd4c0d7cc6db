"""The Generate panel's words and the Takes list's current row follow what is current as the musician works
through the takes: after Keep, Discard All and Undo the panel describes the take listed now (not the take
just kept), and the rest of a Generate's takes coming make the best of them current unless the user chose
the take listed early. A Generate that answers at once (or when the test lets it) stands in for the model:
the window's side is what is checked."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.ml.engines import CONTINUE
from musestudio.ml.generate.request import Outcome, Take
from tests.ui.test_generate_ui import BAR, choose, melody_project, press_generate
from tests.ui.ui_helpers import click, keep_note

ALREADY = "Already in bar 3 of “Melody”"


def answers(count: int, first_early: threading.Event | None = None, ranked=None):
    """A Generate of ``count`` one-bar takes after the request's seed. With ``first_early``: take 1 is
    shown early (as the Parts engine streams it) and the rest come once the event is set, ranked as
    ``ranked`` (take numbers, best first)."""

    def run(request, taste, report, say, cancel, early=None):
        a = request.after
        takes = tuple(
            Take(i, (Note(72 + i, a, 480, 90),), a, a + BAR, request.engine, "pop", i, None, None, 0.5)
            for i in range(1, count + 1)
        )
        if first_early is not None:
            early(Outcome(request, takes[:1], "cpu"))
            first_early.wait(30)
        if ranked:
            takes = tuple(takes[n - 1] for n in ranked)
        return Outcome(request, takes, "cpu")

    return run


def test_after_keep_discard_all_and_undo_the_panel_describes_the_takes_listed(
    qtbot, make_window, monkeypatch
):
    """Continue from the playhead in bar 3: the panel says Keep puts the take in place of the notes there.
    Once take 1 is kept those notes are gone: take 2, current now, would go in place of take 1. Undo lists
    take 1 again and the notes are back; Discard All leaves nothing to describe. (Before, the panel said
    the notes were there after each.)"""
    window = make_window(melody_project())
    gen = window.generate
    window.state.set_playhead(2 * BAR)
    choose(window, CONTINUE, "transformer", "playhead", bars=1, variations=2)
    monkeypatch.setattr(gen, "run_target", lambda: answers(2))
    press_generate(qtbot, window)
    assert ALREADY in keep_note(window)
    qtbot.mouseClick(gen.takes_panel.keep, Qt.MouseButton.LeftButton)
    assert gen.current_take().number == 2
    assert ALREADY not in keep_note(window)
    assert "Keep puts this take in place of take 1, kept before it" in keep_note(window)
    window.undo_stack.undo()
    assert gen.current_take().number == 1
    assert ALREADY in keep_note(window) and "in place of take 1" not in keep_note(window)
    qtbot.mouseClick(gen.takes_panel.discard_all, Qt.MouseButton.LeftButton)
    assert keep_note(window) == "" and gen.panel.message.text() == ""


def test_a_take_kept_as_a_new_track_is_not_said_to_give_way_to_the_next(qtbot, make_window, monkeypatch):
    """Take 1 kept as a new track plays beside the melody: keeping take 2 in place leaves it, and the panel
    says take 2 goes in place of the notes already in bar 3, not of take 1."""
    window = make_window(melody_project())
    gen = window.generate
    window.state.set_playhead(2 * BAR)
    choose(window, CONTINUE, "transformer", "playhead", bars=1, variations=2)
    monkeypatch.setattr(gen, "run_target", lambda: answers(2))
    press_generate(qtbot, window)
    qtbot.mouseClick(gen.takes_panel.keep_new_track, Qt.MouseButton.LeftButton)
    assert gen.current_take().number == 2
    assert ALREADY in keep_note(window) and "in place of take 1" not in keep_note(window)


def test_an_edit_that_takes_out_the_notes_a_take_would_replace_is_described_at_once(
    qtbot, make_window, monkeypatch
):
    window = make_window(melody_project())
    gen = window.generate
    window.state.set_playhead(2 * BAR)
    choose(window, CONTINUE, "transformer", "playhead", bars=1, variations=2)
    monkeypatch.setattr(gen, "run_target", lambda: answers(2))
    press_generate(qtbot, window)
    melody = window.document.project.tracks[0]
    window.editor.delete_notes(n.id for n in melody.notes if n.start >= 2 * BAR)
    assert ALREADY not in keep_note(window)
    window.undo_stack.undo()
    assert ALREADY in keep_note(window)


def generate_with_take_1_early(qtbot, window, monkeypatch, while_early) -> None:
    """Generate three takes, take 1 listed early; ``while_early()`` runs while the rest are drawn, which
    then come ranked 2, 1, 3."""
    gen = window.generate
    rest = threading.Event()
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=3)
    monkeypatch.setattr(gen, "run_target", lambda: answers(3, rest, ranked=(2, 1, 3)))
    with qtbot.waitSignal(gen.generation_finished, timeout=60_000):
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: [t.number for t in gen.takes] == [1], timeout=60_000)
        while_early()
        rest.set()
    assert [t.number for t in gen.takes] == [2, 1, 3]


def test_when_the_rest_come_the_best_take_is_current_if_the_user_chose_none(qtbot, make_window, monkeypatch):
    """Take 1, listed early, ranks second once the rest come: the top row (take 2) is current, as after
    any Generate. (Before, take 1 stayed current, below the best.)"""
    window = make_window(melody_project())
    generate_with_take_1_early(qtbot, window, monkeypatch, lambda: None)
    gen = window.generate
    assert gen.takes_panel.current_row() == 0 and gen.current_take().number == 2
    assert gen.overlay.current == 0


@pytest.mark.parametrize("how", ["click", "audition"])
def test_the_take_the_user_chose_while_the_rest_were_drawn_stays_current(
    qtbot, make_window, monkeypatch, how
):
    """The user clicked take 1 in the list, or is auditioning it, when the rest come: it stays current
    where it is listed now (the selection is not yanked from under them, nor the audition switched)."""
    window = make_window(melody_project())
    gen = window.generate
    listed = gen.takes_panel.list

    def choose_take_1() -> None:
        if how == "click":
            rect = listed.visualItemRect(listed.topLevelItem(0))
            click(listed.viewport(), rect.center())
        else:
            qtbot.mouseClick(gen.takes_panel.audition, Qt.MouseButton.LeftButton)

    generate_with_take_1_early(qtbot, window, monkeypatch, choose_take_1)
    assert gen.current_take().number == 1 and gen.takes_panel.current_row() == 1
    gen.stop_audition()
