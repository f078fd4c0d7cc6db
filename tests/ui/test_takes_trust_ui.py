"""Takes you can trust, in the real window (issue 14): Keep keeps the list and undo brings the take back,
keys 1-8 follow the take numbers, Enter keeps only in the Takes list, F1 lists every shortcut, each take
shows its own seed, and the detected key is the whole track's unless the user asks for the selection's."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import CONTINUE, RESTYLE, missing_model
from musestudio.ml.generate.request import Take
from musestudio.ui.generate.panel import KEY_FROM_SELECTION
from musestudio.ui.shortcuts import ShortcutsDialog, keys_of, label_of
from tests.ui.test_generate_ui import choose, melody_project, press_generate
from tests.ui.ui_helpers import list_takes

pytestmark = pytest.mark.skipif(missing_model(CONTINUE, "seq2seq") is not None, reason="no Continue model")


def takes_of(qtbot, window, variations: int = 4):
    choose(window, CONTINUE, "seq2seq", "seed", bars=2, variations=variations)
    press_generate(qtbot, window)
    return window.generate


def test_keep_leaves_the_other_takes_and_undo_brings_the_kept_take_back(qtbot, make_window):
    window = make_window(melody_project())
    gen = takes_of(qtbot, window)
    listed = gen.takes
    gen.takes_panel.set_current_row(2)
    kept = gen.current_take()
    assert gen.keep()
    assert gen.takes == tuple(t for t in listed if t is not kept)  # the others stay, in their order
    assert gen.takes_panel.list.topLevelItemCount() == 3 and gen.overlay.note_count(kept.number) == 0

    assert [d["kept"] for d in gen.taste.decisions] == [True]
    window.undo_stack.undo()
    assert gen.takes == listed and gen.current_take() is kept  # its row, current again
    assert window.statusBar().currentMessage() == f"Keep undone: take {kept.number} is listed again"
    assert gen.taste.decisions == []  # the taste forgets a keep the user took back
    assert gen.overlay.note_count(kept.number) == len(kept.notes)
    preview = gen.preview_project(kept).tracks[0].notes  # what auditioning it plays: the seed and the take
    assert len(preview) == 16 + len(kept.notes) and gen.audition_actions[kept.number - 1].isEnabled()

    window.undo_stack.redo()  # redo keeps it again
    assert kept not in gen.takes and len(gen.takes) == 3 and len(gen.taste.decisions) == 1
    assert window.statusBar().currentMessage() == f"Kept take {kept.number} again"
    assert sum(1 for n in window.document.project.tracks[0].notes if n.start >= 4 * 1920) == len(kept.notes)

    gen.discard_all()  # the takes listed go; the kept one was not among them
    assert gen.takes == ()
    window.undo_stack.undo()  # so undoing its keep lists it again, alone
    assert gen.takes == (kept,) and gen.current_take() is kept
    assert sum(1 for n in window.document.project.tracks[0].notes if n.start >= 4 * 1920) == 0
    window.undo_stack.redo()
    assert gen.takes == ()


def test_a_new_generate_replaces_the_list_and_undo_of_an_old_keep_lists_its_take_beside_the_new(
    qtbot, make_window
):
    """A take kept before a new Generate is in the score, not among the takes that Generate replaces: undoing
    its keep takes its notes out and lists it again, beside the new takes (before, it was gone from the
    list and the score, and lost for good with the next edit). Redo keeps it again; a number two takes
    share picks one, then the other."""
    window = make_window(melody_project())
    gen = takes_of(qtbot, window, variations=2)
    kept = gen.current_take()
    gen.keep()
    gen.panel.seed.setValue(99)
    press_generate(qtbot, window)
    fresh = gen.takes
    assert kept not in fresh
    window.undo_stack.undo()
    assert set(gen.takes) == {*fresh, kept} and gen.current_take() is kept
    assert window.statusBar().currentMessage() == f"Keep undone: take {kept.number} is listed again"
    assert sum(1 for n in window.document.project.tracks[0].notes if n.start >= 4 * 1920) == 0
    twin = next(t for t in fresh if t.number == kept.number)
    qtbot.keyClick(window, Qt.Key.Key_1 + kept.number - 1)
    assert gen.current_take() is twin  # the same number again: the other take showing it
    window.undo_stack.redo()
    assert gen.takes == fresh
    assert sum(1 for n in window.document.project.tracks[0].notes if n.start >= 4 * 1920) == len(kept.notes)


def test_digit_keys_pick_takes_by_the_number_shown_not_the_row(qtbot, make_window):
    window = make_window(melody_project())
    gen = takes_of(qtbot, window)
    gen.set_takes(tuple(sorted(gen.takes, key=lambda t: -t.number)))  # rows 4, 3, 2, 1
    for key, number in ((Qt.Key.Key_1, 1), (Qt.Key.Key_3, 3), (Qt.Key.Key_4, 4)):
        qtbot.keyClick(window, key)
        assert gen.current_take().number == number
        row = gen.takes_panel.current_row()
        assert gen.takes_panel.list.topLevelItem(row).text(0) == str(number)
    gen.takes_panel.set_current_row(0)
    gen.discard()  # take 4 discarded: key 4 has nothing to pick
    assert not gen.audition_actions[3].isEnabled() and gen.audition_actions[0].isEnabled()


def test_enter_keeps_only_while_the_takes_list_has_the_focus(qtbot, make_window):
    window = make_window(melody_project())
    gen = takes_of(qtbot, window)
    before = window.document.project
    played = []
    window.actions.play_from_start.triggered.connect(lambda: played.append(True))
    window.roll.view.setFocus()
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Return)  # in the roll, Enter plays from the start
    assert played and window.document.project is before and len(gen.takes) == 4
    window.transport.stop()

    gen.takes_panel.list.setFocus()
    best = gen.current_take()
    qtbot.keyClick(gen.takes_panel.list, Qt.Key.Key_Enter)
    assert len(played) == 1 and best not in gen.takes and window.undo_stack.count() == 1
    keys = [k.toString() for k in window.actions.play_from_start.shortcuts()]
    assert keys[0] == "Return" and "Home" not in keys  # the same keys whether takes are listed or not


def test_the_shortcut_list_shows_every_shortcut_of_the_app(qtbot, make_window):
    window = make_window(melody_project())
    late = QAction("Late Addition", window)  # an action added after start-up is listed too
    late.setShortcut(QKeySequence("Ctrl+Alt+L"))
    window.addAction(late)
    dialog = ShortcutsDialog(window)
    listed = dialog.listed()
    with_keys = [a for a in window.findChildren(QAction) if a.shortcuts() or a.property("scoped_keys")]
    assert len(with_keys) > 40
    for action in with_keys:
        assert (label_of(action), keys_of(action)) in listed, action.text()
    keep = window.generate.keep_action
    assert ("Keep Take", "Enter (in the Takes list)") == (keep.text().replace("&", ""), keys_of(keep))
    assert ("Copy the selection", "Ctrl+drag a note") in listed  # and the mouse gestures
    # the Takes list's own keys and gesture: Up and Down pick a take there (elsewhere they transpose)
    assert ("Pick the take above or below", "Up, Down (in the Takes list)") in listed
    assert ("Drag a take out as a .mid file", "Drag its row out of the Takes list") in listed
    assert ("Undo", "Ctrl+Z") in listed and ("Late Addition", "Ctrl+Alt+L") in listed
    # no key does two things (Enter's second meaning is scoped to the Takes list, not a window shortcut)
    used = Counter(k.toString() for a in with_keys for k in a.shortcuts())
    assert [k for k, n in used.items() if n > 1] == []
    dialog.close()


def test_each_take_shows_its_own_seed(qtbot, make_window):
    window = make_window(melody_project())
    gen = takes_of(qtbot, window, variations=3)
    shown = {
        int(gen.takes_panel.list.topLevelItem(r).text(0)): int(gen.takes_panel.list.topLevelItem(r).text(3))
        for r in range(3)
    }
    assert shown == {1: 7, 2: 8, 3: 9}  # the panel's seed 7, then one more per take
    tips = {gen.takes_panel.list.topLevelItem(r).toolTip(3) for r in range(3)}
    assert tips == {"This take's own seed: Generate with it and one variation to draw it again"}


def test_the_detected_key_is_the_whole_tracks_unless_asked_for_the_selections(qtbot, make_window):
    c_major = [60, 62, 64, 65, 67, 69, 71, 72] * 2
    a_flat = [68, 70, 72, 73, 75, 77, 79, 80]  # a passage in A-flat major at the end
    notes = tuple(Note(p, i * 480, 480, 90) for i, p in enumerate(c_major + a_flat))
    window = make_window(Project(tracks=(Track(name="Tune", notes=notes),)))
    gen, panel = window.generate, window.generate.panel
    passage = [n for n in window.document.project.tracks[0].notes if n.start >= 16 * 480]
    window.state.set_selection([n.id for n in passage])
    track_key, passage_key = detect_key(notes), detect_key(passage)
    assert track_key != passage_key
    assert track_key.name in panel.detected_key.text()
    choose(window, CONTINUE, "seq2seq", "seed")
    assert gen.build_request().options.key == track_key
    panel.key.setCurrentIndex(panel.key.findData(KEY_FROM_SELECTION))
    assert passage_key.name in panel.detected_key.text()
    assert gen.build_request().options.key == passage_key


@pytest.mark.skipif(missing_model(RESTYLE, "gan") is not None, reason="no Restyle GAN")
def test_takes_that_stay_empty_are_not_listed_and_the_panel_says_how_many(qtbot, make_window):
    window = make_window(melody_project())
    choose(window, RESTYLE, "gan", "track", variations=3, low=0, high=1)  # no note of the tune fits C-1..C#-1
    window.generate.panel.set_restyle_as(RESTYLE)  # Rewrite: the GAN is a rewrite engine
    press_generate(qtbot, window)
    gen = window.generate
    assert gen.takes == () and gen.takes_panel.list.topLevelItemCount() == 0
    assert "3 take(s) came back empty" in gen.panel.message.text()
    assert "3 take(s) came back empty" in window.statusBar().currentMessage()


def test_keeping_a_take_that_changes_nothing_takes_no_step_and_no_other_undo_lists_it_again(window):
    (listed,) = list_takes(window, 1)
    end = window.document.project.end + 1920
    window.generate.set_takes(
        (Take(1, (), end, end + 1920, "markov", "", 1, None, None, 0.5, request=listed.request),)
    )
    window.editor.add_note(72, 0, 240)  # an unrelated edit: the step on top
    steps = window.undo_stack.count()
    assert not window.generate.keep()
    assert window.undo_stack.count() == steps and window.generate.takes == ()
    assert window.generate.taste.decisions == []
    assert "adds nothing" in window.statusBar().currentMessage()
    window.undo_stack.undo()  # takes back the note, not a keep
    assert window.generate.takes == () and window.generate.taste.decisions == []


def test_redoing_a_keep_after_its_take_was_discarded_says_it_is_kept_again(window):
    """Undo a keep (take 1 is listed again), Discard All, Redo: take 1 is back in the score. Before, the
    status bar went on saying "Keep undone: take 1 is listed again", true of neither the list nor the score."""
    gen = window.generate
    (take,) = list_takes(window, 1)
    assert gen.keep()
    window.undo_stack.undo()
    assert window.statusBar().currentMessage() == "Keep undone: take 1 is listed again"
    gen.discard_all()
    window.undo_stack.redo()
    assert gen.takes == () and take.notes[0].pitch in {
        n.pitch for n in window.document.project.tracks[0].notes
    }
    assert window.statusBar().currentMessage() == "Kept take 1 again"
