"""A value filled into a Chinese message is set apart with a space where it starts or ends with a Latin word
or a number, as the translation sets apart the ones it holds ("不是 MIDI 文件"); the translation could not,
as the same placeholder holds a Chinese word too ("不是风格文件"). English comes out as it was."""

from __future__ import annotations

from musestudio.ui.placeholders import fill


def test_a_latin_word_or_a_number_meeting_chinese_is_set_apart_and_nothing_else():
    assert (
        fill("%1 是一个文件夹，不是%2", "/歌/乐.muse", "MuseStudio 项目")
        == "/歌/乐.muse 是一个文件夹，不是 MuseStudio 项目"
    )
    assert fill("%1 是一个文件夹，不是%2", "乐.muse", "风格文件") == "乐.muse 是一个文件夹，不是风格文件"
    assert fill("%1的值 %2 超出了范围", "控制器 CC 64", "300") == "控制器 CC 64 的值 300 超出了范围"
    assert fill("%1的值 %2 超出了范围", "弯音", "9000") == "弯音的值 9000 超出了范围"
    assert fill("找不到文件：%1", "a.mid") == "找不到文件：a.mid"  # a full-width colon needs no space
    assert fill("音轨 %1“%2”", "1", "Bass") == "音轨 1“Bass”"
    assert fill("%1 is a folder, not a %2", "x", "MIDI file") == "x is a folder, not a MIDI file"
    assert fill("%2%1", "b", "a") == "ab"
