"""The soundfont as the window meets it: deleted while the app runs, damaged or missing on a machine with
a sound card, none installed at all, a bad one chosen in Preferences, a new one not applied yet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from musestudio.audio.soundfont import _pretty_midi_soundfont
from tests.audio.audio_checks import TIMGM, with_samples_out_of_range

ROOT = Path(__file__).resolve().parents[2]


def test_play_after_the_soundfont_was_deleted_neither_crashes_nor_loses_the_piece():
    """FluidSynth reads an instrument's samples when it is first played: from a deleted file it used to
    crash in the audio callback, taking the unsaved piece with it."""
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider"]
        + [str(Path(__file__).with_name("soundfont_deleted_child.py"))],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and "PLAYED ON" in done.stdout, (done.stdout + done.stderr)[-3000:]


@pytest.mark.parametrize("kind", ["missing", "not_a_soundfont", "damaged"])
def test_a_bad_soundfont_on_a_machine_with_a_sound_card_still_runs_the_transport(
    make_window_with_card, settings, qtbot, tmp_path, kind
):
    """No synth means no sound, not no transport: the playhead, Record, Jam and MIDI out still work, as
    on a machine without a sound card, and the status bar says why it is silent."""
    soundfont = tmp_path / "mine.sf2"
    if kind == "not_a_soundfont":
        soundfont.write_text("not a soundfont")
    if kind == "damaged":  # loaded by FluidSynth, which warns and plays every sample as silence
        with_samples_out_of_range(TIMGM, soundfont)
    settings.set("soundfont", str(soundfont))
    window = make_window_with_card()
    assert window.status.audio.text().startswith("Playback is silent:")
    assert str(soundfont) in window.status.audio.text()
    qtbot.keyClick(window.roll.view, Qt.Key.Key_Space)
    assert window.transport.playing
    qtbot.waitUntil(lambda: window.state.playhead > 0, timeout=30_000)


def test_a_partly_damaged_soundfont_is_a_warning_in_the_audio_status(
    make_window_with_card, settings, tmp_path
):
    """20 of the soundfont's samples point outside its data: playback sounds without the instruments using
    them, and the status bar said only the sound card, so the missing instruments would be blamed on the
    piece (Export WAV and Preferences say it). The status says the device, then warns of the damage."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "Piano.sf2", spared=500)
    settings.set("soundfont", str(damaged))
    window = make_window_with_card()
    shown = window.status.audio.text()
    assert shown.startswith("Audio: Fake card (")
    assert shown.endswith("⚠ The soundfont Piano.sf2 is partly damaged: 20 of its 520 samples cannot sound")
    settings.set("soundfont", str(TIMGM))  # a sound one: the device alone
    assert "⚠" not in make_window_with_card().status.audio.text()


def _warnings(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: said.append(a[2]) or QMessageBox.StandardButton.Ok
    )
    return said


def test_with_no_soundfont_installed_the_window_points_at_preferences(
    make_window_with_card, tmp_path, monkeypatch
):
    """The command line's way out (--soundfont PATH) means nothing in the window: it names Preferences."""
    import musestudio.audio.soundfont as soundfont

    monkeypatch.setattr(soundfont, "candidates", lambda: [tmp_path / "none.sf2"])  # nothing installed
    window = make_window_with_card()
    said = _warnings(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "out.wav"), ""))
    window.actions.export_wav.trigger()
    assert len(said) == 1 and not (tmp_path / "out.wav").exists()
    for text in (said[0], window.status.audio.text()):
        assert "File > Preferences > Soundfont" in text and "--soundfont" not in text


def _preferences(window, soundfont: str, then) -> None:
    """Open Preferences, type ``soundfont``, press OK, and then ``then(dialog)``."""
    from musestudio.ui.dialogs.preferences import PreferencesDialog

    def fill() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, PreferencesDialog) and w.isVisible()),
            None,
        )
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        dialog.soundfont.setText(soundfont)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        then(dialog)

    QTimer.singleShot(0, fill)
    window.actions.preferences.trigger()


@pytest.mark.parametrize("kind", ["missing", "not_a_soundfont", "folder"])
def test_preferences_says_a_soundfont_cannot_be_used_and_keeps_the_dialog_open(
    make_window, settings, tmp_path, monkeypatch, kind
):
    soundfont = tmp_path / "Piano.sf2"
    if kind == "not_a_soundfont":
        soundfont.write_bytes(b"<html>404 Not Found</html>")  # what a failed download leaves
    if kind == "folder":
        soundfont.mkdir()
    window = make_window()
    said = _warnings(monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    still_open = []

    def after_ok(dialog) -> None:
        still_open.append(dialog.isVisible())
        dialog.reject()  # the user gives up editing

    _preferences(window, str(soundfont), after_ok)
    assert still_open == [True] and len(said) == 1
    assert said[0].startswith("The soundfont Piano.sf2 cannot be used:")
    assert settings.get("soundfont") == ""  # nothing stored


def test_preferences_warns_of_a_partly_damaged_soundfont_and_takes_it(
    make_window, settings, tmp_path, monkeypatch
):
    """20 of its samples point outside its data: FluidSynth loads it and most instruments sound, so it is
    the user's to choose, but the ones using those samples would be silent without a word: one says so."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "Piano.sf2", spared=500)
    window = make_window()
    said = _warnings(monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    _preferences(window, str(damaged), lambda dialog: None)
    assert said == [
        "The soundfont Piano.sf2 looks damaged: 20 of its 520 samples point outside its sample data, so the "
        "instruments using them will be silent."
    ]
    assert settings.get("soundfont") == str(damaged)  # taken: a warning, not a refusal
    said.clear()
    _preferences(window, str(TIMGM), lambda dialog: None)  # a sound one: nothing to warn of
    assert said == [] and settings.get("soundfont") == str(TIMGM)


def test_a_new_soundfont_not_applied_yet_is_said(make_window, settings, monkeypatch):
    """Declining the reopen leaves playback on the old soundfont while Export WAV takes the new one: the
    window says so rather than letting the two differ unsaid."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = make_window()
    _preferences(window, str(_pretty_midi_soundfont()), lambda dialog: None)
    assert settings.get("soundfont") == str(_pretty_midi_soundfont())
    assert window.statusBar().currentMessage().startswith("Export WAV uses the new soundfont from now on")
