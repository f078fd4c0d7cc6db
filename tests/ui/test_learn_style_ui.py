"""Learn a style from the app (issue 16): the dialog trains in a child process on tiny base models, the
learned style appears in the Generate panel's picker with its description, and Continue runs with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from musestudio.ml import learned
from musestudio.ml.engines import CONTINUE
from tests.ml.learn_fixtures import as_rmid, make_files

TIMEOUT_MS = 240_000  # a child process imports torch and trains on a busy shared CPU


def _dialog(window, tiny_home, name: str):
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.add_paths([make_files(tiny_home / "midi")[0].parent, tiny_home / "notes.txt"])
    dialog.name.setText(name)
    dialog.start_from.setCurrentIndex(dialog.start_from.findData("pop"))
    dialog.minutes.setValue(0.1)
    return dialog


@pytest.mark.parametrize("language", ["en"], indirect=True)  # counts read "3 files", not "3 file(s)"
def test_learn_dialog_to_a_learned_style_in_the_picker_and_in_use(language, qtbot, make_window, tiny_home):
    window = make_window()
    dialog = _dialog(window, tiny_home, "My tunes")
    assert "notes.txt" in dialog.skipped.text()
    with qtbot.waitSignal(dialog.process.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(dialog.learn_button, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled()
    assert done.args[0]["event"] == "done", done.args[0]
    assert "Using 3 files (48 bars)" in dialog.skipped.text()
    assert learned.names() == ("My tunes",) and dialog.styles.count() == 1
    panel = window.generate.panel
    assert panel.style.currentData() == "My tunes"
    assert "Learned from 3 files, 48 bars" in panel.style_description.text()
    dialog.close()
    panel.set_mode(CONTINUE)
    # an engine with the style's layers draws from all of them; in a built-in style, at its own settings
    assert (panel.temperature.value(), panel.top_p.value()) == (1.0, 1.0)
    panel.style.setCurrentIndex(panel.style.findData("pop"))
    assert (panel.temperature.value(), panel.top_p.value()) == (0.9, 0.95)  # the parts engine's own
    panel.style.setCurrentIndex(panel.style.findData("My tunes"))
    panel.engine.setCurrentIndex(panel.engine.findData("transformer"))
    assert (panel.temperature.value(), panel.top_p.value()) == (1.0, 1.0)
    panel.style.setCurrentIndex(panel.style.findData("pop"))
    assert panel.top_p.value() == 0.95
    panel.top_p.setValue(0.9)  # the user's own value stays whatever the style
    panel.style.setCurrentIndex(panel.style.findData("My tunes"))
    assert panel.top_p.value() == 0.9
    panel.top_p.setValue(1.0)
    panel.variations.setValue(1)
    panel.bars.setValue(1)
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS):  # the takes are listed
        window.generate.generate()
    assert window.generate.takes, panel.message.text()
    assert all(t.style == "My tunes" for t in window.generate.takes)


def test_cancel_in_the_dialog_stops_the_child_and_saves_nothing(qtbot, make_window, tiny_home):
    window = make_window()
    dialog = _dialog(window, tiny_home, "Halfway")
    dialog.minutes.setValue(5.0)
    with qtbot.waitSignal(
        dialog.process.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: e.get("stage") == "training"
    ):
        dialog.start()
    with qtbot.waitSignal(dialog.process.finished, timeout=TIMEOUT_MS) as done:
        dialog.cancel_button.click()
    assert done.args[0]["event"] == "cancelled"
    assert "nothing was saved" in dialog.status.text()
    assert list(learned.styles_dir().iterdir()) == []
    assert dialog.learn_button.isEnabled()


def test_the_dialog_says_which_files_were_played_in_and_learnt_on_the_beat(make_window, tiny_home):
    window = make_window()
    dialog = _dialog(window, tiny_home, "Played")
    read = {"event": "read", "files": ["a.mid", "b.mid"], "bars": 40, "skipped": []}
    dialog._on_event({**read, "played_in": ["b.mid"]})
    assert "b.mid played in off the beat: learnt on the beat." in dialog.skipped.text()
    dialog._on_event({**read, "played_in": ["a.mid", "b.mid"]})
    assert "2 played in off the beat" in dialog.skipped.text()
    dialog._on_event({**read, "played_in": []})
    assert "played in" not in dialog.skipped.text()
    dialog.close()


def test_the_dialog_says_when_the_style_s_notes_are_matched_to_the_files(make_window, tiny_home):
    """After training, rounds of takes choose the style's key prior (up to a minute or more when the layers
    stopped early): the dialog says so and how long is left, not 'Learning' at a full bar."""
    window = make_window()
    dialog = _dialog(window, tiny_home, "Rounds")
    dialog._on_event({"event": "progress", "stage": "key", "round": 3, "fraction": 1.0, "seconds_left": 70.0})
    assert (
        "Matching the new style's notes to your files (round 3)... About 1 min left." in dialog.status.text()
    )
    dialog.close()


def test_add_files_offers_and_takes_an_rmid_file_as_open_does(make_window, tiny_home, monkeypatch):
    """An RMID file (.rmi) opens in the app, so Learn takes it too: Add Files lists it among the MIDI files
    (the open dialog's names, either case), and the dialog adds it rather than leaving it out."""
    from PySide6.QtWidgets import QFileDialog, QPushButton

    rmid = as_rmid(make_files(tiny_home / "midi", 1)[0])
    asked = []

    def pick(_parent, _title, _folder, name_filter, **_k):
        asked.append(name_filter)
        return [str(rmid)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", pick)
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    add_files = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Add Files...")
    add_files.click()
    patterns = asked[0].rsplit("(", 1)[1].rstrip(")").split()
    assert {"*.rmi", "*.[rR][mM][iI]", "*.mid", "*.midi", "*.kar", "*.smf"} <= set(patterns)
    assert dialog.paths == [rmid] and dialog.files.count() == 1
    assert dialog.skipped.text() == ""
    dialog.close()


def far_end_file(path):
    """Four bars of a tune whose end-of-track a buggy writer put 78 hours after its last note."""
    from mido import Message as M
    from mido import MetaMessage as MM

    from tests.ui.ui_helpers import mido_file

    notes = [(k * 480, M("note_on", note=60 + k % 8, velocity=90)) for k in range(16)]
    offs = [(k * 480 + 400, M("note_off", note=60 + k % 8)) for k in range(16)]
    return mido_file(path, [[*notes, *offs, (16 * 480 + 0x0FFFFFFF, MM("end_of_track"))]])


def drums_only_file(path):
    from mido import Message as M

    from tests.ui.ui_helpers import mido_file

    hits = [(k * 480, M("note_on", channel=9, note=36, velocity=100)) for k in range(16)]
    return mido_file(path, [[*hits, *((t + 240, M("note_off", channel=9, note=36)) for t, _ in hits)]])


@pytest.mark.parametrize("language", ["en"], indirect=True)  # counts read "3 files", not "3 file(s)"
def test_learning_says_which_file_s_damaged_end_was_dropped_and_why_files_were_skipped_in_the_user_s_language(
    language, qtbot, make_window, tiny_home
):
    """A file whose end lay 78 hours of silence after its notes is learnt up to its last event, and the
    dialog says so as Open does (it said nothing); the files it passes over are said with their reasons in
    the user's language (they came in the trainer's English)."""
    from PySide6.QtCore import QTranslator

    from musestudio import paths

    folder = tiny_home / "midi"
    make_files(folder, 1)
    far_end_file(folder / "far.mid")
    drums_only_file(folder / "drums.mid")
    (folder / "broken.mid").write_bytes(b"MThd garbage")
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.add_paths([folder])
    dialog.name.setText("Damaged")
    with qtbot.waitSignal(
        dialog.process.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: e.get("event") == "read"
    ) as read:
        dialog.start()
    dialog.cancel()
    said = dialog.skipped.text()
    assert "Using 2 files" in said, said
    assert (
        "far.mid ended 78 hours of silence after its last event (a damaged length): it is learnt up to its "
        "last event." in said
    ), said
    assert "drums.mid: it has no pitched notes (only drums, or nothing)" in said
    assert "broken.mid: it cannot be read: broken.mid is " in said
    translator = QTranslator()
    assert translator.load("musestudio_zh_CN", str(paths.resource("i18n")))
    QCoreApplication.installTranslator(translator)
    try:
        dialog._on_event(read.args[0])  # the same report, read in Chinese
        chinese = dialog.skipped.text()
    finally:
        QCoreApplication.removeTranslator(translator)
    assert "far.mid" in chinese and "78" in chinese and "ended" not in chinese, chinese
    assert "drums.mid" in chinese and "pitched" not in chinese and "cannot be read" not in chinese, chinese
    two = [{"file": "far.mid", "hours": 78.0}, {"file": "old.mid", "hours": 30.0}]
    dialog._on_event({**read.args[0], "dropped_ends": two})
    assert (
        "2 files ended hours of silence after their last event (a damaged length): each is learnt up to its "
        "last event: far.mid, old.mid." in dialog.skipped.text()
    )
    dialog.close()


@pytest.mark.parametrize("language", ["en"], indirect=True)  # the app's English forms of a count
def test_a_style_that_learned_nothing_is_said_to_play_as_its_base_style(language, make_window, tiny_home):
    """The trainer's ``done`` for a style whose layers beat no base model (a run of seconds): the dialog
    said "Learned Quick: held-out NLL 0.72 -> 0.72" and nothing more, and the style picked in the panel
    played as Pop under the user's name. It says so, and what to do, as a warning."""
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    done = {
        "event": "done",
        "style": "Quick",
        "asked_name": "Quick",
        "from": "pop",
        "valid_nll_before": 0.72,
        "valid_nll_after": 0.72,
        "models": {"parts": {"steps": 1}, "continue_transformer": {"steps": 2}},
        "plays_as_base": True,
    }
    dialog._on_finished(done)
    said = dialog.status.text()
    assert "Learned Quick" in said and (
        "In 3 steps the models learned nothing from your files that they do not already play in the Pop style, "
        "so Quick plays as Pop. Learn it again with more time." in said
    ), said
    assert "c9a227" in dialog.status.styleSheet()
    dialog._on_finished({**done, "models": {"parts": {"steps": 1}, "continue_transformer": {"steps": 0}}})
    assert "In 1 step the models learned nothing" in dialog.status.text(), dialog.status.text()
    dialog._on_finished({**done, "plays_as_base": False})
    assert "plays as" not in dialog.status.text() and dialog.status.styleSheet() == ""
    dialog.close()


def test_a_folder_with_no_midi_files_is_said_in_the_user_s_words(make_window, tiny_home):
    """The trainer's error for a folder holding no MIDI file names it in the dialog (it said "no MIDI files
    given" to a user who had given a folder)."""
    from musestudio.ml.data import learn as data

    (tiny_home / "empty").mkdir()
    files, skipped = data.midi_paths([tiny_home / "empty"])
    error = {
        "event": "error",
        "message": "no usable MIDI files to learn from",
        "code": "no_usable_files",
        "params": {"skipped": [s.as_json() for s in skipped]},
    }
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog._on_finished(error)
    said = dialog.status.text()
    assert files == [] and "no MIDI files given" not in said, said
    assert "no usable MIDI files to learn from (empty: a folder with no MIDI files in it (.mid" in said, said
    dialog.close()


def test_the_dialog_says_on_how_many_held_out_notes_a_short_learning_scored(make_window, tiny_home):
    """A short learning of a long file scores windows spread over the held-out bars, not all of them: the
    dialog gave the figure as if it were on all of them. It says on how many it is, and nothing more when
    it is on all."""
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    done = {
        "event": "done",
        "style": "Long",
        "asked_name": "Long",
        "from": "pop",
        "valid_nll_before": 1.58,
        "valid_nll_after": 1.51,
        "models": {"parts": {"steps": 40}, "continue_transformer": {"steps": 30}},
        "plays_as_base": False,
        "valid_notes": 256,
        "held_out_notes": 15000,
    }
    dialog._on_finished(done)
    said = dialog.status.text()
    assert "Learned Long" in said and "256" in said and "15000" in said, said
    dialog._on_finished({**done, "valid_notes": 15000})
    assert "15000" not in dialog.status.text(), dialog.status.text()
    dialog.close()
