"""What keeping the current take does is said in the Takes panel, under the Keep buttons, not under the
Generate button. There, at 1024x768, a long note of it squeezed the Generate settings (Mode, From, Engine,
Style ...) to a row or two behind a scroll bar, the next Generate's choices a tiny scroll away."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QScrollArea

from tests.ui.kept_takes import tune_and_bass
from tests.ui.test_add_part_kept_ui import list_added
from tests.ui.ui_helpers import keep_note


def settle(window) -> None:
    for _ in range(5):
        QApplication.processEvents()
    window.hide_stale_tab_bars()
    for _ in range(5):
        QApplication.processEvents()


def added_and_take_1_kept(make_window):
    """A 1024x768 window after an Add a part Generate of three takes, take 1 kept in place: take 2, current,
    would go in its place, and Keep as New Track would mute take 1's part (a long note)."""
    window = make_window(tune_and_bass())
    window.resize(1024, 768)
    takes = list_added(window)
    assert window.generate.keep()
    window.generate.say_of_takes((), takes[0].request, drawn=(3, 2.4, "CPU"))
    settle(window)
    return window


def test_the_keep_note_is_under_the_keep_buttons_not_in_the_generate_panels_message(make_window):
    window = added_and_take_1_kept(make_window)
    gen, takes_panel = window.generate, window.generate.takes_panel
    assert gen.panel.message.text() == "2 take(s) listed of the 3 drawn in 2.4 s on CPU"
    assert keep_note(window) == (
        "Keep puts this take in place of take 1, kept before it (Undo brings that back). Keep as New Track "
        "mutes “Harmony (Jazz standard)”, where take 1 was kept: only this take plays (Undo unmutes)."
    )
    note = takes_panel.keep_note
    assert note.isVisible() and note.wordWrap()
    assert takes_panel.keep_new_track.geometry().bottom() < note.y()
    assert takes_panel.discard.geometry().bottom() < note.y() < takes_panel.hint.y()  # under every button
    assert note.height() >= note.heightForWidth(note.width())  # every line of it shows
    gen.discard_all()
    settle(window)
    assert keep_note(window) == "" and not note.isVisible()  # no take is current: nothing to say


def test_at_1024x768_the_keep_note_leaves_the_generate_settings_their_first_rows(make_window):
    """Mode and From show whole in the settings form, neither scrolled away, with the keep note shown. (Engine
    shows whole too here since the note moved, cut in half before, but by 3 pixels: another font could take
    them, so it is not asserted.)"""
    window = added_and_take_1_kept(make_window)
    panel = window.generate.panel
    scroll = panel.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert scroll.verticalScrollBar().value() == 0
    for name, box in ("Mode", panel.mode), ("From", panel.where):
        top = box.mapTo(viewport, box.rect().topLeft()).y()
        assert 0 <= top and top + box.height() <= viewport.height(), (name, top, viewport.height())
