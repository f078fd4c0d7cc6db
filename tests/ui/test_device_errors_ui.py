"""In a Chinese window, what is wrong with the user's sound set-up is said in Chinese: a soundfont chosen in
Preferences that cannot be used (missing, a folder, not a soundfont), the soundfont playback and Export WAV
cannot use, none installed, no audio device, and a MIDI backend named that does not exist. The soundfont,
the synth and the MIDI ports (Qt-free) showed their English as it came; they now raise it with a code and
its particulars (the path; FluidSynth's and the OS's own words stay as they came), which the window words.
Without a translation the words are the English they were."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.audio.synth import Synth
from musestudio.core.errors import BadInputError
from musestudio.midi import ports
from musestudio.ui.error_words import ErrorWords
from tests.audio.audio_checks import TIMGM, with_samples_out_of_range
from tests.ui.test_read_errors_ui import warnings_said
from tests.ui.test_soundfont_ui import _preferences

CHOOSE_ANOTHER = "\n\n请选择其他文件，或清空此栏以自动选择。"
CHOOSE_ANOTHER_ENGLISH = "\n\nChoose another file, or empty the field to use the automatic one."


def soundfonts_that_cannot_be_used(folder) -> dict:
    """A path typed in Preferences: (why it cannot be used in Chinese, in English)."""
    missing, directory = folder / "钢琴.sf2", folder / "文件夹.sf2"
    download, notes = folder / "下载.sf2", folder / "说明.txt"
    damaged = with_samples_out_of_range(TIMGM, folder / "损坏.sf2")
    directory.mkdir()
    download.write_bytes(b"<html>404 Not Found</html>")  # what a failed download leaves
    notes.write_text("not a soundfont")
    return {
        missing: (f"找不到音色库：{missing}", f"soundfont not found: {missing}"),
        directory: (
            f"{directory} 是一个文件夹，不是音色库文件",
            f"{directory} is a folder, not a soundfont file",
        ),
        download: (
            f"FluidSynth 无法加载音色库 {download}",
            f"FluidSynth could not load the soundfont {download}",
        ),
        notes: (
            f"{notes} 不是音色库（应为 .sf2 或 .sf3 文件）",
            f"{notes} is not a soundfont (expected a .sf2 or .sf3 file)",
        ),
        damaged: (
            f"音色库 {damaged} 似乎已损坏：它的 520 个采样没有一个位于采样数据之内，无法发声",
            f"the soundfont {damaged} looks damaged: none of its 520 samples lies inside its sample data, so "
            "it cannot sound",
        ),
    }


def said_by_preferences(window, monkeypatch, soundfont) -> list[str]:
    """What Preferences says when ``soundfont`` is typed and OK pressed (the dialog must stay open)."""
    said = warnings_said(monkeypatch)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    still_open = []

    def after_ok(dialog) -> None:
        still_open.append(dialog.isVisible())
        dialog.reject()

    _preferences(window, str(soundfont), after_ok)
    assert still_open == [True]
    return said


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_preferences_says_why_a_soundfont_cannot_be_used_in_the_user_s_language(
    language, make_window, settings, tmp_path, monkeypatch
):
    window = make_window()
    for soundfont, (why, _english) in soundfonts_that_cannot_be_used(tmp_path).items():
        said = said_by_preferences(window, monkeypatch, soundfont)
        assert said == [f"无法使用音色库 {soundfont.name}：{why}{CHOOSE_ANOTHER}"]
    assert settings.get("soundfont") == ""  # nothing stored


def test_without_a_translation_preferences_says_it_in_the_english_it_had(
    make_window, settings, tmp_path, monkeypatch
):
    window = make_window()
    for soundfont, (_chinese, why) in soundfonts_that_cannot_be_used(tmp_path).items():
        said = said_by_preferences(window, monkeypatch, soundfont)
        assert said == [f"The soundfont {soundfont.name} cannot be used: {why}{CHOOSE_ANOTHER_ENGLISH}"]
    assert settings.get("soundfont") == ""


def a_soundfont_the_os_refuses(folder, monkeypatch, number: int = errno.EACCES) -> Path:
    """A soundfont file the OS will not open for reading (``number``: why; the tests run as root, whom a
    file's permissions do not stop)."""
    locked, real_open = folder / "钢琴.sf2", os.open
    locked.write_bytes(b"RIFF")

    def refuse(path, *args, **kw):
        if Path(path) == locked:
            raise OSError(number, os.strerror(number), str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", refuse)
    return locked


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_soundfont_the_os_will_not_open_is_said_in_the_user_s_language(
    language, make_window, settings, tmp_path, monkeypatch
):
    """The OS's reason came in its English ("Permission denied") inside the Chinese sentence; an OS reason
    without words of the app's is the system's refusal, in its own words after."""
    window = make_window()
    locked = a_soundfont_the_os_refuses(tmp_path, monkeypatch)
    said = said_by_preferences(window, monkeypatch, locked)
    assert said == [f"无法使用音色库 钢琴.sf2：无法读取音色库 {locked}：你没有读取它的权限{CHOOSE_ANOTHER}"]
    looping = a_soundfont_the_os_refuses(tmp_path, monkeypatch, errno.ELOOP)
    why = "路径中的符号链接太多（可能有链接指向它自己）"
    assert said_by_preferences(window, monkeypatch, looping) == [
        f"无法使用音色库 钢琴.sf2：无法读取音色库 {looping}：{why}{CHOOSE_ANOTHER}"
    ]
    assert settings.get("soundfont") == ""


def test_without_a_translation_a_soundfont_the_os_will_not_open_is_said_as_the_command_line_says_it(
    qapp, tmp_path, monkeypatch
):
    locked = a_soundfont_the_os_refuses(tmp_path, monkeypatch)
    with pytest.raises(BadInputError) as raised:
        Synth(locked)
    assert str(raised.value) == f"cannot read the soundfont {locked}: you have no permission to read it"
    assert ErrorWords().say(raised.value) == str(raised.value)


def export_wav_said(window, tmp_path, monkeypatch) -> list[str]:
    said = warnings_said(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "曲子.wav"), ""))
    window.actions.export_wav.trigger()
    assert not (tmp_path / "曲子.wav").exists()
    return said


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_no_audio_device_and_a_soundfont_gone_are_said_in_the_user_s_language(
    language, make_window, settings, tmp_path, monkeypatch
):
    """No sound card: the status bar says playback is silent and why; Export WAV, which needs no card, says
    the soundfont the Preferences name is gone."""
    gone = tmp_path / "钢琴.sf2"
    settings.set("soundfont", str(gone))
    window = make_window()
    window.player.open()
    assert window.status.audio.text() == "播放无声：没有音频设备"
    assert export_wav_said(window, tmp_path, monkeypatch) == [f"找不到音色库：{gone}"]


def test_without_a_translation_no_audio_device_and_a_soundfont_gone_are_said_as_before(
    make_window, settings, tmp_path, monkeypatch
):
    gone = tmp_path / "钢琴.sf2"
    settings.set("soundfont", str(gone))
    window = make_window()
    window.player.open()
    assert window.status.audio.text() == "Playback is silent: there is no audio device"
    assert export_wav_said(window, tmp_path, monkeypatch) == [f"soundfont not found: {gone}"]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_sound_card_with_a_soundfont_it_cannot_play_says_why_in_the_user_s_language(
    language, make_window_with_card, settings, tmp_path
):
    damaged = tmp_path / "损坏.sf2"
    damaged.write_text("not a soundfont")
    settings.set("soundfont", str(damaged))
    window = make_window_with_card()
    assert window.status.audio.text() == f"播放无声：FluidSynth 无法加载音色库 {damaged}"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_with_no_soundfont_installed_the_way_out_is_said_in_the_user_s_language(
    language, make_window_with_card, tmp_path, monkeypatch
):
    """The window's way out (Preferences, or the package to install) was half English: the command line's
    "install one with '...'" came after the Chinese."""
    import musestudio.audio.soundfont as soundfont

    monkeypatch.setattr(soundfont, "candidates", lambda: [tmp_path / "none.sf2"])  # nothing installed
    window = make_window_with_card()
    why = (
        "未安装 General MIDI 音色库：请在“文件 > 首选项 > 音色库”中选择一个 .sf2 或 .sf3 文件，"
        "或用 'apt-get install fluidr3mono-gm-soundfont' 安装一个"
    )
    assert window.status.audio.text() == f"播放无声：{why}"
    assert export_wav_said(window, tmp_path, monkeypatch) == [why]


def test_without_a_translation_no_soundfont_installed_is_said_as_before(
    make_window_with_card, tmp_path, monkeypatch
):
    import musestudio.audio.soundfont as soundfont

    monkeypatch.setattr(soundfont, "candidates", lambda: [tmp_path / "none.sf2"])
    window = make_window_with_card()
    assert window.status.audio.text() == (
        "Playback is silent: no General MIDI soundfont is installed: choose a .sf2 or .sf3 file under "
        "File > Preferences > Soundfont, or install one with 'apt-get install fluidr3mono-gm-soundfont'"
    )


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_midi_backend_that_does_not_exist_is_said_in_the_user_s_language(
    language, make_window, monkeypatch, qtbot
):
    """$MUSESTUDIO_MIDI_BACKEND naming no backend we have: the MIDI pickers' tooltip says so."""
    monkeypatch.setenv(ports.BACKEND_ENV, "oss")
    window = make_window()
    qtbot.waitUntil(lambda: bool(window.midi.unavailable), timeout=30_000)  # MIDI starts once it is shown
    assert window.midi.system is None
    assert window.midi.unavailable == "未知的 MIDI 后端 'oss'（可选：alsa, jack）"
    assert window.midi.unavailable in window.midi_toolbar.input.toolTip()
