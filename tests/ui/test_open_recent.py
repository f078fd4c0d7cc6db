"""Open Recent: a file that is no longer there is taken off the list when picked, and the message says so
(it stayed listed, failing again each time)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def recent_actions(window) -> dict[str, object]:
    window.recent_menu.aboutToShow.emit()  # the menu fills itself as it opens
    return {a.text(): a for a in window.recent_menu.actions()}


def test_a_recent_file_that_is_gone_is_taken_off_the_list_and_the_message_says_so(
    window, tmp_path, monkeypatch
):
    kept, gone = tmp_path / "kept.muse", tmp_path / "gone.muse"
    for path in (kept, gone):
        assert window.files.save_as(path)
    gone.unlink()
    said = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: said.append(a[2]) or QMessageBox.StandardButton.Ok
    )
    before = window.document.project
    recent_actions(window)[str(gone.resolve())].trigger()
    assert said and "no longer there" in said[0] and "taken off Open Recent" in said[0]
    assert window.settings.get("recent_files") == [str(kept.resolve())]
    assert list(recent_actions(window)) == [str(kept.resolve())]
    assert window.document.project is before  # the piece open stays


def test_a_recent_file_that_is_there_opens(window, make_window, tmp_path):
    path = tmp_path / "song.muse"
    window.editor.add_note(72, 1920, 240)
    assert window.files.save_as(path)
    other = make_window()
    recent_actions(other)[str(path.resolve())].trigger()
    assert other.document.project == window.document.project
