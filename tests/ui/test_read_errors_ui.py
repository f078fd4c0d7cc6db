"""In a Chinese window, why a file cannot be read and why a learned style cannot be used are said in Chinese,
naming the file (or the style): Open of a ``.muse``, Restore of a recovery copy, Import of a style file and a
Generate in a learned style showed the Qt-free layers' English as it came (``io.files``,
``io.project_file`` and ``ml.learned`` raise it with a code and its particulars, which the window words).
Without a translation the words are the command line's English, unchanged."""

from __future__ import annotations

import errno
import io
import json
import os
import pathlib
import re
import time
import zipfile

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.core.errors import BadInputError
from musestudio.io import files
from musestudio.io.project_file import load_project, project_to_bytes
from musestudio.io.recovery import find_recoveries
from musestudio.ml import learned
from musestudio.ml.engines import CONTINUE
from musestudio.ui.dialogs.recovery import RecoveryDialog
from musestudio.ui.error_words import ErrorWords
from tests.ui.test_recovery_dialog import crashed_with_a_copy
from tests.ui.ui_helpers import two_track_project

TIMEOUT_MS = 240_000  # a Generate loads torch and the tiny models on a busy shared CPU
ENGLISH_WORDS = re.compile(r"\b(?!muse\b|musestyle\b|parts\b)[a-z]{3,}\b")  # any English word but names'


def warnings_said(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: said.append(a[2]) or QMessageBox.StandardButton.Ok
    )
    return said


def damaged_projects(folder) -> dict[str, bytes]:
    """File name: bytes of a ``.muse`` file that cannot be read, one for each of the commonest reasons."""
    whole = project_to_bytes(two_track_project())
    newer = json.loads(whole)
    newer["version"] = 99
    return {
        "截断.muse": whole.rstrip()[:-1],  # a failing disk cut it short, before its last brace
        "乱码.muse": whole.replace(b'"tracks":', b'"tracks" ', 1),
        "新版.muse": json.dumps(newer).encode(),
        "非项目.muse": b'{"format": "something else"}',
    }


CHINESE_PROJECT_ERRORS = {
    "截断.muse": "截断.muse 不是可读的 MuseStudio 项目（文件过早结束）",
    "乱码.muse": re.compile(r"乱码\.muse 不是可读的 MuseStudio 项目（第 \d+ 行第 \d+ 列已损坏）"),
    "新版.muse": "新版.muse 由更新版本的 MuseStudio 保存（格式 99）；请更新 MuseStudio 后再打开",
    "非项目.muse": "非项目.muse 不是 MuseStudio 项目",
}


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_muse_file_that_cannot_be_read_is_said_in_the_user_s_language_naming_it(
    language, make_window, tmp_path, monkeypatch
):
    said = warnings_said(monkeypatch)
    window = make_window()
    for name, data in damaged_projects(tmp_path).items():
        (tmp_path / name).write_bytes(data)
        assert not window.files.open_path(tmp_path / name, ask=False)
        expected = CHINESE_PROJECT_ERRORS[name]
        if isinstance(expected, str):
            assert said[-1] == expected
        else:
            assert expected.fullmatch(said[-1]), said[-1]
    gone, folder = tmp_path / "不在.muse", tmp_path / "文件夹.muse"
    folder.mkdir()
    assert not window.files.open_path(gone, ask=False)
    assert said[-1] == f"找不到文件：{gone}"
    assert not window.files.open_path(folder, ask=False)
    assert said[-1] == f"{folder} 是一个文件夹，不是 MuseStudio 项目"  # a Latin word set apart, as elsewhere
    assert not window.files.open_path(tmp_path / "笔记.txt", ask=False)
    assert said[-1] == "笔记.txt 既不是 MuseStudio 项目（.muse），也不是 MIDI 文件"
    assert len(said) == 7


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_recovery_copy_that_cannot_be_read_is_said_in_the_user_s_language_naming_it(
    language, make_window, monkeypatch
):
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    copy.path.write_bytes(copy.path.read_bytes().rstrip()[:-1])  # a failing disk cut it short
    an_hour_ago = time.time() - 3600
    os.utime(copy.path, (an_hour_ago, an_hour_ago))
    (damaged,) = find_recoveries()
    said = warnings_said(monkeypatch)
    dialog = RecoveryDialog([damaged], make_window())
    assert not dialog.restore() and copy.path.exists()
    assert said == [f"{copy.path.name} 不是可读的 MuseStudio 项目（文件过早结束）"]


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_style_file_that_cannot_be_read_is_said_in_the_user_s_language_naming_it(
    language, make_window, tiny_home, monkeypatch
):
    """A folder picked as a style file raised out of Import (only the styles' own errors were caught)."""
    folder = tiny_home / "风格.musestyle"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(folder), ""))
    said = warnings_said(monkeypatch)
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog._import()
    assert said == [f"{folder} 是一个文件夹，不是风格文件"]
    assert learned.names() == ()
    dialog.close()


def style_files_that_cannot_be_read(folder) -> dict:
    """A file picked for Import: (why it cannot be read as a style file in Chinese, in zipfile's English)."""

    def zipped(method: int) -> bytearray:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as z:
            z.writestr("style.json", b'{"name": "reels"}')
            z.writestr("style.safetensors", bytes(64))
        return bytearray(buf.getvalue())

    flipped, garbled = zipped(zipfile.ZIP_STORED), zipped(zipfile.ZIP_DEFLATED)
    flipped[flipped.index(b"reels")] ^= 0xFF  # a bit gone bad on a disk: the checksum does not match
    garbled[30 + len("style.json")] = 0xFF  # its data does not inflate (zlib: "invalid block type")
    files = {
        "笔记.musestyle": (b"a text file, not a style", "不是 MuseStudio 风格文件", "File is not a zip file"),
        "位翻转.musestyle": (flipped, "文件已损坏", "Bad CRC-32 for file 'style.json'"),
        "截断.musestyle": (flipped[: len(flipped) // 2], "文件已损坏", "File is not a zip file"),
        "乱码.musestyle": (garbled, "文件已损坏", "Error -3 while decompressing data: invalid block type"),
    }
    for name, (data, *_why) in files.items():
        (folder / name).write_bytes(data)
    return {folder / name: why for name, (_data, *why) in files.items()}


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_style_file_that_is_no_zip_or_a_damaged_one_is_said_in_the_user_s_language(
    language, make_window, tiny_home, monkeypatch
):
    """zipfile's English ("File is not a zip file", "Bad CRC-32 for file 'style.json'") came inside the
    Chinese sentence; data that does not inflate raised zlib's error out of Import."""
    said = warnings_said(monkeypatch)
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    for path, (why, _english) in style_files_that_cannot_be_read(tiny_home).items():
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, p=path, **k: (str(p), ""))
        dialog._import()
        assert said[-1] == f"无法将 {path} 作为风格文件读取：{why}"
    assert len(said) == 4 and learned.names() == ()
    dialog.close()


def test_without_a_translation_a_style_file_that_cannot_be_read_is_said_as_the_command_line_says_it(
    qapp, tmp_path
):
    for path, (_chinese, english) in style_files_that_cannot_be_read(tmp_path).items():
        with pytest.raises(learned.StyleError) as raised:
            learned.import_file(path)
        assert str(raised.value) == f"{path} cannot be read as a style file: {english}"
        assert ErrorWords().say(raised.value) == str(raised.value)


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_file_the_os_cannot_open_is_said_in_the_user_s_language(
    language, make_window, tmp_path, monkeypatch
):
    """A link that points to itself gave the OS's English ("too many levels of symbolic links"); an OS
    reason without words of the app's is said to be the system's refusal, in its own words after."""
    looping = tmp_path / "环.muse"
    looping.symlink_to(looping)
    said = warnings_said(monkeypatch)
    window = make_window()
    assert not window.files.open_path(looping, ask=False)
    assert said[-1] == f"无法读取 {looping}：路径中的符号链接太多（可能有链接指向它自己）"

    busy, real_open = tmp_path / "忙.muse", os.open

    def refuse(path, *args, **kw):
        if path == busy:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return real_open(path, *args, **kw)

    busy.write_bytes(b"{}")
    monkeypatch.setattr(os, "open", refuse)
    assert not window.files.open_path(busy, ask=False)
    assert said[-1] == f"无法读取 {busy}：系统拒绝了此操作（resource temporarily unavailable）"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_learned_style_whose_settings_cannot_be_read_is_said_in_the_user_s_language(
    language, make_window, monkeypatch
):
    """The Learn dialog lists the styles it cannot use with why: a settings file that could not be read gave
    the OS's English ("Permission denied", "Too many levels of symbolic links")."""
    style = a_style_for_other_models("我的曲子")
    looping = style.config.with_name("环.json")
    looping.symlink_to(looping)
    real_read_text = pathlib.Path.read_text

    def refuse(path, *args, **kw):
        if path == style.config:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_read_text(path, *args, **kw)

    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    why = {
        style.config: f"无法读取 {style.config}：你没有读取它的权限",
        looping: f"无法读取 {looping}：路径中的符号链接太多（可能有链接指向它自己）",
    }
    assert dialog.damaged.text() == "无法使用：" + "\n".join(why[path] for path in sorted(why))
    dialog.close()


def a_style_for_other_models(name: str) -> learned.LearnedStyle:
    """A learned style whose base models were replaced since it was learned (their hashes differ): every
    engine that takes its layers refuses it before reading them."""
    meta = {
        "format": learned.FORMAT,
        "format_version": learned.FORMAT_VERSION,
        "name": name,
        "from": "pop",
        "models": {base: {"sha256": "0" * 64, "rank": 4} for base in learned.BASES},
        "files": ["tune.mid"],
        "bars": 16,
        "created": "2026-01-01T00:00:00",
    }
    return learned.write(learned.new_stem(name), meta, b"weights never read")


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_generate_in_a_learned_style_it_cannot_use_says_why_in_the_user_s_language(
    qtbot, language, make_window, tiny_home
):
    """The Generate's error came through the worker as the style's English."""
    a_style_for_other_models("我的曲子")
    window = make_window()
    panel = window.generate.panel
    panel.refresh_learned_styles()
    panel.set_mode(CONTINUE)
    panel.style.setCurrentIndex(panel.style.findData("我的曲子"))
    panel.variations.setValue(1)
    panel.bars.setValue(1)
    with qtbot.waitSignal(window.generate.generation_finished, timeout=TIMEOUT_MS):
        window.generate.generate()
    said = panel.message.text()
    assert said.startswith("学习风格“我的曲子”是为另一个"), said
    assert "000000000000" in said and not ENGLISH_WORDS.search(said), said
    assert not window.generate.takes


def test_without_a_translation_the_window_says_the_command_line_s_english(qapp, tmp_path):
    """The words the window builds from a code and its particulars are the English the error was raised
    with, for every read error of a project file and of the file readers."""
    folder, fifo = tmp_path / "folder.muse", tmp_path / "pipe.muse"
    folder.mkdir()
    os.mkfifo(fifo)
    paths = [tmp_path / "gone.muse", folder, fifo]
    for name, data in damaged_projects(tmp_path).items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    (tmp_path / "empty.muse").write_bytes(b"  ")
    (tmp_path / "binary.muse").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "nan.muse").write_bytes(b'{"format": NaN}')
    (tmp_path / "deep.muse").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (tmp_path / "field.muse").write_bytes(
        project_to_bytes(two_track_project()).replace(b'"ticks_per_beat":480', b'"ticks_per_beat":"x"')
    )
    paths += [tmp_path / n for n in ("empty.muse", "binary.muse", "nan.muse", "deep.muse", "field.muse")]
    words = ErrorWords()
    codes = set()
    for path in paths:
        with pytest.raises(BadInputError) as raised:
            load_project(path)
        assert raised.value.code, str(raised.value)
        assert words.say(raised.value) == str(raised.value)
        codes.add(raised.value.code)
    assert len(codes) == len(paths)  # each file cannot be read for a reason of its own
    big = tmp_path / "big.mid"
    with open(big, "wb") as f:
        f.truncate(files.MAX_INPUT_BYTES + 1)
    with pytest.raises(BadInputError) as raised:
        files.read_input_bytes(big, "midi_file")
    assert words.say(raised.value) == str(raised.value) == "big.mid is 64 MB, too big to be a MIDI file"
