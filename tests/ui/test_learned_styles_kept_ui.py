"""A learned style is the user's own work: quitting never throws a learning away unasked, a style whose
files are damaged is said rather than dropped from the lists without a word, renaming one never changes
the style the user chose, and a learning never writes over a style of its name made while it ran."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QPushButton

from musestudio import app
from musestudio.ml import engines, learned
from musestudio.ml.train.learn import LearnArgs, learn
from tests.ml.learn_fixtures import make_files, make_models

TIMEOUT_MS = 240_000  # a child process imports torch and trains on a busy shared CPU


@pytest.fixture
def tiny_home(tmp_path, monkeypatch):
    make_models(tmp_path / "root" / "models")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path / "root"))
    make_files(tmp_path / "midi")
    yield tmp_path
    engines.unload()


def learn_here(home, name: str) -> learned.LearnedStyle:
    """A style learnt in this process in two steps (what the dialog's child process does, only shorter)."""
    args = LearnArgs([home / "midi"], name, minutes=5.0, max_steps=2, check_every_s=1e9, base_style="pop")
    learn(args)
    return learned.get(name)


def learning_dialog(qtbot, window, home, name: str, minutes: float = 5.0):
    """Learn a Style opened from the menu, learning ``name`` from the MIDI folder for ``minutes``, caught
    while training."""
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.add_paths([home / "midi"])
    dialog.name.setText(name)
    dialog.minutes.setValue(minutes)
    with qtbot.waitSignal(
        dialog.process.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: e.get("stage") == "training"
    ):
        qtbot.mouseClick(dialog.learn_button, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)
    return dialog


def button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_quitting_while_a_style_is_learned_asks_first_and_cancel_keeps_it_learning(
    qtbot, make_window, tiny_home, monkeypatch
):
    """Minutes of learning went with the window unasked (the dialog's own Close asked; Quit did not)."""
    window = make_window()
    dialog = learning_dialog(qtbot, window, tiny_home, "Long one")
    asked = []

    def answer(_parent, title, text, *_args):
        asked.append((title, text))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.close()
    assert window.isVisible() and dialog.process.running()
    ((title, text),) = asked
    assert title == "Learning a Style" and "Long one" in text and "quitting stops it" in text
    assert not window.restart()  # reopening for new Preferences would stop it too: asked, and kept
    assert dialog.process.running() and len(asked) == 2 and "reopening the window" in asked[1][1]
    with qtbot.waitSignal(dialog.process.finished, timeout=TIMEOUT_MS) as done:
        monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
        assert window.close()
    assert done.args[0]["event"] == "cancelled" and learned.names() == ()


def test_a_learned_style_whose_files_are_damaged_is_said_at_start_once_and_in_the_learn_dialog(
    make_window, settings, tiny_home, monkeypatch
):
    """It vanished from the Style picker and the dialog's list without a word."""
    kept = learn_here(tiny_home, "Reels")
    damaged = learn_here(tiny_home, "Jigs")
    damaged.weights.unlink()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    window = make_window()
    app._after_start(window, settings)
    ((title, text),) = shown
    assert title == "Learned styles that cannot be used"
    assert "'Jigs'" in text and "missing" in text and str(damaged.weights) in text
    assert "Reels" not in text
    shown.clear()
    app._after_start(window, settings)
    assert shown == []  # told once, not at every start
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    assert dialog.styles.count() == 1 and dialog.styles.item(0).data(256) == kept.name
    assert "'Jigs'" in dialog.damaged.text() and "missing" in dialog.damaged.text()
    assert dialog.damaged.isVisibleTo(dialog)
    other = learn_here(tiny_home, "Hornpipes")
    other.config.write_text("{ not json")
    app._after_start(window, settings)
    ((title, text),) = shown  # a style damaged since is told in its turn
    assert "is damaged" in text and "Jigs" not in text


@pytest.mark.parametrize("language", ["en"], indirect=True)  # counts read "3 files", not "3 file(s)"
def test_renaming_a_learned_style_moves_the_panel_only_when_it_was_the_chosen_one(
    language, make_window, settings, tiny_home, monkeypatch
):
    """Renaming a style in the list switched the Generate panel from the user's Jazz standard to it; the
    style chosen for a saved piece, renamed, is still the piece's when it opens again."""
    learn_here(tiny_home, "Reels")
    learn_here(tiny_home, "Airs")
    window = make_window()
    panel = window.generate.panel
    panel.refresh_learned_styles()
    panel.style.setCurrentIndex(panel.style.findData("jazz"))
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Slow reels", True))
    dialog.styles.setCurrentRow([dialog.styles.item(i).data(256) for i in range(2)].index("Reels"))
    button(dialog, "Rename...").click()
    assert learned.names() == ("Airs", "Slow reels")
    assert panel.style.currentData() == "jazz"
    window.files.source = tiny_home / "piece.mid"  # the piece was opened from this file
    panel.style.setCurrentIndex(panel.style.findData("Airs"))
    panel.style.activated.emit(panel.style.currentIndex())  # the user's own pick, remembered for the piece
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Slow airs", True))
    dialog.styles.setCurrentRow(0)
    button(dialog, "Rename...").click()
    assert panel.style.currentData() == "Slow airs"
    assert "Learned from 3 files" in panel.style_description.text()
    remembered = [json.loads(e) for e in settings.get("piece_styles")]
    assert remembered == [[str((tiny_home / "piece.mid").resolve()), "Slow airs"]]


def test_a_style_imported_under_the_name_being_learned_is_not_written_over(
    qtbot, make_window, tiny_home, monkeypatch
):
    """The learning, ending, wrote its style over the one imported meanwhile under the same name."""
    shared = learned.export(learn_here(tiny_home, "Reels").name, tiny_home / "from a friend.musestyle")
    learned.remove("Reels")
    window = make_window()
    dialog = learning_dialog(qtbot, window, tiny_home, "Reels", minutes=0.1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(shared), ""))
    with qtbot.waitSignal(dialog.process.finished, timeout=TIMEOUT_MS) as done:
        button(dialog, "Import...").click()
        imported = learned.get("Reels").meta
    assert done.args[0]["event"] == "done", done.args[0]
    assert learned.get("Reels").meta == imported
    assert learned.names() == ("Reels", "Reels (2)")
    assert "Reels was taken while learning" in dialog.status.text() and "Reels (2)" in dialog.status.text()
    assert window.generate.panel.style.currentData() == "Reels (2)"


def test_deleting_the_learned_style_chosen_chooses_the_style_it_was_learned_from_and_says_so(
    make_window, tiny_home, monkeypatch
):
    """The panel's learned style deleted in Learn a Style: the panel chooses the built-in style it was
    learned from (pop) and says so, not whichever style the list ends with."""
    learn_here(tiny_home, "Reels")
    window = make_window()
    panel = window.generate.panel
    panel.refresh_learned_styles()
    panel.style.setCurrentIndex(panel.style.findData("Reels"))
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog.styles.setCurrentRow(0)
    button(dialog, "Delete").click()
    assert learned.names() == ()
    assert panel.style.currentData() == "pop"
    assert "Reels is no longer a learned style" in panel.message.text()


def test_rewrite_in_a_learned_style_says_it_rewrites_toward_the_style_it_was_learned_from(
    make_window, tiny_home
):
    """Restyle's Rewrite engines have no learned layers: a learned style there rewrites toward its built-in
    one. The takes came back under the learned style's name with nothing said (the command line says it);
    the panel says it under the style while Rewrite is chosen, and not for Arrange or Continue."""
    from musestudio.ml.engines import CONTINUE, RESTYLE

    learn_here(tiny_home, "Reels")
    window = make_window()
    panel = window.generate.panel
    panel.refresh_learned_styles()
    panel.style.setCurrentIndex(panel.style.findData("Reels"))
    note = (
        "Rewrite has no layers of a learned style: it rewrites toward Pop, the style Reels was learned from."
    )
    panel.set_mode(RESTYLE)
    panel.set_restyle_as(RESTYLE)
    assert note in panel.style_description.text()
    # shown whole: the label was laid out at its size hint's height and cut at its top and bottom
    label = panel.style_description
    for _ in range(3):
        QApplication.processEvents()
    assert label.height() >= label.heightForWidth(label.width()) > 0
    panel.set_restyle_as(engines.ARRANGE)
    assert "Rewrite has no layers" not in panel.style_description.text()
    panel.set_restyle_as(RESTYLE)
    panel.set_mode(CONTINUE)
    assert "Rewrite has no layers" not in panel.style_description.text()
    panel.set_mode(RESTYLE)
    panel.style.setCurrentIndex(panel.style.findData("pop"))  # a built-in style is rewritten toward itself
    assert "Rewrite has no layers" not in panel.style_description.text()


def test_a_learned_style_s_description_is_read_whole_in_the_list_without_scrolling(make_window, tiny_home):
    """The list of learned styles showed each on one line, cut at the list's edge ("...starts from Po"):
    what the style starts from was read only by scrolling sideways. It wraps within the list."""
    learn_here(tiny_home, "Reels of the far north and the islands")
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    item = dialog.styles.item(0)
    assert "(starts from Pop)" in item.text()
    dialog.styles.scrollToItem(item)
    assert dialog.styles.horizontalScrollBar().maximum() == 0
    assert dialog.styles.visualItemRect(item).width() <= dialog.styles.viewport().width()
    dialog.close()
