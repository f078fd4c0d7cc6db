"""In a Chinese window, what Learn a Style refuses is said in Chinese: the name checks of ``ml.learned``, the
trainer's own errors and what the MIDI reader said of a file it cannot read came in the Qt-free layers'
English (they carry a code and its particulars beside it, and the dialog words the code)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_learn_style_ui import drums_only_file

TIMEOUT_MS = 240_000  # the trainer is a child process that imports torch on a busy shared CPU
ENGLISH_WORDS = re.compile(r"\b(?!mid\b)[a-z]{3,}\b")  # any English word but the files' suffix


def learn_dialog(window):
    window.generate.learn_action.trigger()
    return window.generate.learn_dialog


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_refused_style_name_is_said_in_the_user_s_language(qtbot, language, make_window, tiny_home):
    dialog = learn_dialog(make_window())
    dialog.add_paths([tiny_home])
    for name, chinese in (("Pop", "“Pop”是内置风格，请另选一个名字"), ("  ", "学习的风格需要一个名字")):
        dialog.name.setText(name)
        qtbot.mouseClick(dialog.learn_button, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == chinese
        assert not dialog.process.running()
    dialog.close()


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_no_usable_files_to_learn_from_is_said_in_the_user_s_language_with_each_file_s_reason(
    qtbot, language, make_window, tiny_home
):
    """The trainer's error line came in English, and so did the MIDI reader's reason inside it."""
    folder = tiny_home / "midi"
    folder.mkdir()
    drums_only_file(folder / "鼓.mid")
    (folder / "坏.mid").write_bytes(b"MThd garbage")
    dialog = learn_dialog(make_window())
    dialog.add_paths([folder])
    dialog.name.setText("Nothing here")
    with qtbot.waitSignal(dialog.process.finished, timeout=TIMEOUT_MS) as finished:
        qtbot.mouseClick(dialog.learn_button, Qt.MouseButton.LeftButton)
    assert finished.args[0]["event"] == "error"
    said = dialog.status.text()
    assert said.startswith("没有可用来学习的 MIDI 文件（"), said
    assert "坏.mid: 无法读取：坏.mid 已损坏或不完整（文件过早结束）" in said, said
    assert "鼓.mid: 没有有音高的音符（只有鼓，或什么都没有）" in said, said
    assert not ENGLISH_WORDS.search(said), said
    dialog.close()
