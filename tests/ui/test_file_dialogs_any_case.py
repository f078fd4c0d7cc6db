"""The file dialogs list the files they are for whatever the case of their suffix (Song.Mid, a.MIDI, c.Muse),
as the app opens them, even where the dialog matches names case-sensitively, as GTK's and the desktop
portal's do on Linux; and they show a readable label, not the bracket patterns that do it.

Each dialog is built as the app asks for it (its name filter and options, recorded from the app's call) and
shown non-modally as Qt's own dialog told to match case (``QDir.Filter.CaseSensitive``), which lists what
the GTK dialog lists."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QComboBox, QFileDialog, QFileSystemModel, QLineEdit, QPushButton

MIXED = ("Song.Mid", "a.MIDI", "b.mid", "c.Muse", "d.txt", "e.SF2", "f.MuseStyle", "g.WAV")


def record_dialogs(monkeypatch) -> list[dict]:
    """The file dialogs the app asks for from now on, each cancelled: its arguments, by name."""
    asked = []

    def ask(kind, cancelled):
        def dialog(_parent, _title, where, name_filter, *_a, **k):
            asked.append(
                {
                    "kind": kind,
                    "where": where,
                    "filter": name_filter,
                    "options": k.get("options", QFileDialog.Option(0)),
                }
            )
            return cancelled

        return staticmethod(dialog)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", ask("open", ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", ask("open", ([], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask("save", ("", "")))
    return asked


def show(qtbot, asked: dict, folder) -> QFileDialog:
    """The dialog ``asked`` for, on ``folder``, shown as a desktop that tells cases apart shows it, once it
    has read the folder."""
    dialog = QFileDialog(None, "", str(folder), asked["filter"])
    dialog.setOptions(asked["options"] | QFileDialog.Option.DontUseNativeDialog)
    if asked["kind"] == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(asked["where"])  # the name the app suggests
    dialog.setFilter(dialog.filter() | QDir.Filter.CaseSensitive)
    model = dialog.findChild(QFileSystemModel)
    qtbot.addWidget(dialog)
    # the model reads each folder on the way down on its own thread and says so folder by folder: wait for
    # this one (the first signal can be a parent's, and a loaded machine lists the folder after it)
    with qtbot.waitSignal(model.directoryLoaded, check_params_cb=lambda path: Path(path) == Path(folder)):
        dialog.show()
    return dialog


def listed(dialog: QFileDialog, folder) -> set[str]:
    """The files the dialog lists in ``folder``; the same as QDir lists with the dialog's patterns."""
    model = dialog.findChild(QFileSystemModel)
    root = model.index(str(folder))
    names = {model.index(row, 0, root).data() for row in range(model.rowCount(root))}
    matching = QDir.Filter.Files | QDir.Filter.CaseSensitive
    assert names == set(QDir(str(folder)).entryList(model.nameFilters(), matching))
    return names


def labels(dialog: QFileDialog) -> list[str]:
    combo = dialog.findChild(QComboBox, "fileTypeCombo")
    return [combo.itemText(i) for i in range(combo.count())]


def mixed_folder(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in MIXED:
        (folder / name).write_bytes(b"")
    return folder


def test_open_import_and_add_files_list_midi_and_projects_in_any_case(qtbot, window, tmp_path, monkeypatch):
    folder = mixed_folder(tmp_path)
    asked = record_dialogs(monkeypatch)
    window.actions.open.trigger()
    window.actions.import_midi.trigger()
    window.generate.learn_action.trigger()
    learn = window.generate.learn_dialog
    next(b for b in learn.findChildren(QPushButton) if b.text() == "Add Files...").click()
    learn.close()
    open_, import_, add_files = (show(qtbot, a, folder) for a in asked)
    assert listed(open_, folder) == {"Song.Mid", "a.MIDI", "b.mid", "c.Muse"}
    assert labels(open_) == ["Projects and MIDI files (*.muse *.mid *.midi *.smf *.kar *.rmi)", "All files"]
    for dialog in (import_, add_files):
        assert listed(dialog, folder) == {"Song.Mid", "a.MIDI", "b.mid"}
        assert labels(dialog) == ["MIDI files (*.mid *.midi *.smf *.kar *.rmi)"]


def test_the_other_dialogs_list_their_files_in_any_case(qtbot, window, tmp_path, monkeypatch):
    """Preferences' soundfont, Import Style, and the save dialogs (Save As, Export MIDI, Export WAV: they
    list the folder's files of that kind, to save over one)."""
    folder = mixed_folder(tmp_path)
    asked = record_dialogs(monkeypatch)
    from musestudio.ui.dialogs.preferences import PreferencesDialog

    preferences = PreferencesDialog(window.settings, window)
    qtbot.addWidget(preferences)
    preferences._browse()
    window.generate.learn_action.trigger()
    learn = window.generate.learn_dialog
    next(b for b in learn.findChildren(QPushButton) if b.text() == "Import...").click()
    learn.close()
    for action in (window.actions.save_as, window.actions.export_midi, window.actions.export_wav):
        action.trigger()
    soundfont, style, save_as, export_midi, export_wav = (show(qtbot, a, folder) for a in asked)
    assert listed(soundfont, folder) == {"e.SF2"} and labels(soundfont) == ["Soundfonts (*.sf2 *.sf3)"]
    assert listed(style, folder) == {"f.MuseStyle"} and labels(style) == ["Styles (*.musestyle)"]
    assert listed(save_as, folder) == {"c.Muse"} and labels(save_as) == ["MuseStudio projects (*.muse)"]
    assert listed(export_midi, folder) == {"Song.Mid", "a.MIDI", "b.mid"}
    assert labels(export_midi) == ["MIDI files (*.mid *.midi *.smf *.kar)"]
    assert listed(export_wav, folder) == {"g.WAV"} and labels(export_wav) == ["WAV audio (*.wav)"]


def test_the_save_dialogs_still_name_the_file_with_its_suffix(qtbot, window, tmp_path, monkeypatch):
    """Qt's own save dialog puts the first pattern's suffix on the name when its filter is chosen: the
    plain pattern, not the bracket one ("song.[mM][iI][dD]")."""
    asked = record_dialogs(monkeypatch)
    window.settings.set("last_dir", str(tmp_path))
    window.actions.save_as.trigger()
    window.actions.export_midi.trigger()
    for each, suffix in zip(asked, (".muse", ".mid"), strict=True):
        dialog = show(qtbot, each, tmp_path)
        dialog.selectNameFilter(dialog.nameFilters()[0])
        assert dialog.findChild(QLineEdit, "fileNameEdit").text() == "Untitled" + suffix
