"""In a Chinese window, what is wrong inside a damaged project file, and where, is said in Chinese: after
"已损坏：" came the project file's English ("track 1 'Melody', note 1: velocity 0 is outside MIDI's 1..127"),
as its field checks and ``core``'s refusals had no codes. Without a translation the words are the command
line's English, unchanged; and whatever check a damaged file fails, each part of the detail has words."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musestudio.core.errors import BadInputError
from musestudio.io import project_file as pf
from musestudio.ui.error_words import ErrorWords
from tests.damaged_documents import damage
from tests.ui.test_read_errors_ui import warnings_said
from tests.ui.ui_helpers import two_track_project


def note(i: int, value: object):
    return lambda d: d["tracks"][0]["notes"][0].__setitem__(i, value)


def track(key: str, value: object):
    return lambda d: d["tracks"][0].__setitem__(key, value)


def top(key: str, value: object):
    return lambda d: d.__setitem__(key, value)


# how a file is damaged: what the window says after "<name> 已损坏："
DAMAGE = {
    note(3, 0): "音轨 1“Melody”，第 1 个音符：力度 0 超出了 MIDI 的范围 1..127",
    note(0, 200): "音轨 1“Melody”，第 1 个音符：音高 200 超出了 MIDI 的范围 0..127",
    note(
        2, 1.5
    ): "音轨 1“Melody”，第 1 个音符：音符必须是四个整数 [音高, 起点, 时值, 力度]，可再加第五个：释放力度",
    note(2, 0): "音轨 1“Melody”，第 1 个音符：音符时值必须大于零，这里却是 0 tick",
    track("program", "piano"): "音轨 1“Melody”：'program' 的类型不对（str）",
    track("channel", 16): "音轨 1“Melody”：MIDI 通道 16 超出了范围 0..15",
    track(
        "controllers", [[0, 64, 300]]
    ): "音轨 1“Melody”，第 1 个控制器事件：控制器 CC 64 的值 300 超出了范围 0..127",
    track(
        "controllers", [[0, 128, 9000]]
    ): "音轨 1“Melody”，第 1 个控制器事件：弯音的值 9000 超出了范围 -8192..8191",
    track(
        "controllers", [[0, 64]]
    ): "音轨 1“Melody”，'controllers' 的第 1 行：每一行都必须是 [int, int, int[, bool[, bool]]]",
    track("extra_events", [[0, "zz"]]): "音轨 1“Melody”，第 1 个保留事件：它的字节不是十六进制数",
    lambda d: d["tempos"][0].__setitem__("bpm", 0): "第 1 个速度变化：速度 0 BPM 超出了范围 1..60,000,000",
    lambda d: d["time_signatures"][0].__setitem__("denominator", 3): (
        "第 1 个拍号：拍号的分母 3 不是不超过 128 的 2 的幂"
    ),
    top("key", "H major"): "调性：无法识别调性 'H major'",
    top("ticks_per_beat", 0): "项目设置：每拍 tick 数 0 超出了范围 1..32767",
    lambda d: d.pop("tracks"): "缺少 'tracks'",
    top("metadata", {"title": 3}): "元数据：每一项都必须是文本",
    top("markers", [[-1, "Verse"]]): "第 1 个标记：标记位于零点之前",
    top("shared_channels", [[0, [[False, 0, 100, [[10, 999]]]]]]): (
        "第 1 个共用通道：控制器通道 10 的值 999 不是 0..127 之间的整数"
    ),
}


def damaged(change) -> bytes:
    doc = json.loads(pf.project_to_bytes(two_track_project()))
    change(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_what_is_wrong_inside_a_damaged_project_is_said_in_the_user_s_language(
    language, make_window, tmp_path, monkeypatch
):
    said = warnings_said(monkeypatch)
    window = make_window()
    for i, (change, chinese) in enumerate(DAMAGE.items()):
        path = tmp_path / f"损坏{i}.muse"
        path.write_bytes(damaged(change))
        assert not window.files.open_path(path, ask=False)
        assert said[-1] == f"{path.name} 已损坏：{chinese}"
    assert len(said) == len(DAMAGE)


def test_without_a_translation_a_damaged_project_is_said_in_the_command_line_s_english(qapp):
    words = ErrorWords()
    for change in DAMAGE:
        with pytest.raises(BadInputError) as raised:
            pf.project_from_bytes(damaged(change), "song.muse")
        assert words.say(raised.value) == str(raised.value)
    assert str(raised.value) == (
        "song.muse is damaged: shared channel 1: lane 10 value 999 is not a whole number in 0..127"
    )


def said_parts(said: dict | str):
    """The error and each error inside it (the detail, and the problem at a place in the file), as the
    window words them: an error, or an English particular said as it came."""
    yield said
    if isinstance(said, dict):
        for name, value in said["params"].items():
            if isinstance(value, dict) or name == "detail":
                yield from said_parts(value)


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_part_of_any_damaged_project_s_detail_has_words_in_the_user_s_language(language, data):
    """A check without a code (or a code without words) is said in the English it came with."""
    doc = damage(json.loads(pf.project_to_bytes(two_track_project())), data)
    try:
        pf.project_from_dict(doc, "歌.muse")
    except BadInputError as e:
        words = ErrorWords()
        for part in said_parts(e.as_json()):
            assert HAN.search(words.say(part)), part
