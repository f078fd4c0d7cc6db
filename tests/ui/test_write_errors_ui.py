"""In a Chinese window, why a file cannot be written is said in Chinese, naming the file: Save, Save As,
Export MIDI, the recovery dialog's Save As, autosave and Learn a Style's rename and delete showed Python's
English ("[Errno 21] it is not a regular file: ...") or the savers' English as it came (``io.files.save_error``
and ``ml.learned`` now raise it with a code and its particulars, which the window words). A failed save still
loses nothing and says so. Without a translation the words are the English they were.

The failures are real where they can be (a folder where the file goes, a file where a folder should be):
as root a read-only folder can still be written, so that one is the OS call made to refuse."""

from __future__ import annotations

import errno
import json
import os
import pathlib

import numpy as np
import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from musestudio import paths
from musestudio.core.errors import BadInputError
from musestudio.io import project_file, recovery
from musestudio.io.files import save_error
from musestudio.io.recovery import find_recoveries
from musestudio.io.wav import write_wav
from musestudio.ml import learned
from musestudio.ui.dialogs.export_wav import _describe
from musestudio.ui.dialogs.recovery import RecoveryDialog
from musestudio.ui.error_words import ErrorWords
from tests.ml.learn_fixtures import make_files
from tests.ui.test_read_errors_ui import ENGLISH_WORDS, a_style_for_other_models, warnings_said
from tests.ui.test_recovery_dialog import crashed_with_a_copy
from tests.ui.ui_helpers import read_only

KEPT = "\n\n没有丢失任何内容：乐曲保持打开，恢复副本也被保留。请用“另存为”换一个文件夹试试。"
KEPT_ENGLISH = (
    ".\n\nNothing was lost: the piece stays open as it was and its recovery copy is kept. "
    "Try Save As with another folder."
)


def places_that_cannot_be_written(tmp_path, monkeypatch):
    """A folder, a pipe or a device (a link to /dev/null) where the file goes, a file where its folder
    should be, and a folder that refuses writing (each path, and why in Chinese and in English)."""
    folder = tmp_path / "文件夹.muse"
    folder.mkdir()
    pipe = tmp_path / "管道.muse"
    os.mkfifo(pipe)
    device = tmp_path / "空.muse"
    device.symlink_to("/dev/null")
    note = tmp_path / "笔记.txt"
    note.write_text("not a folder")
    locked = tmp_path / "只读"
    locked.mkdir()
    read_only(locked, monkeypatch)
    return {
        folder: ("已有同名的文件夹", "a folder has that name"),
        pipe: ("已有同名的管道（FIFO）", "a pipe (FIFO) has that name"),  # it said "a folder" before
        device: ("已有同名的设备", "a device has that name"),
        note / "曲子.muse": ("路径中有一部分不是文件夹", "a part of the path is not a folder"),
        locked / "曲子.muse": ("你没有在那里写入的权限", "you have no permission to write there"),
    }


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_save_that_fails_is_said_in_the_user_s_language_naming_the_file_and_loses_nothing(
    language, window, tmp_path, monkeypatch
):
    first = tmp_path / "第一.muse"
    assert window.files.save_as(first)
    window.editor.add_note(90, 0, 480)
    copy = window.autosaver.save_now()
    said = warnings_said(monkeypatch)
    for path, (why, _english) in places_that_cannot_be_written(tmp_path, monkeypatch).items():
        assert window.files.save_as(path) is False
        assert said[-1] == f"无法保存 {path}：{why}。{KEPT}"
        assert window.files.path == first and window.document.modified
        assert copy.exists() and window.autosaver.copy_path == copy
    assert len(said) == 5


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_hard_linked_file_a_failed_save_may_have_half_written_is_said_with_the_complete_version(
    language, window, tmp_path, monkeypatch
):
    """The file has another name (a hard link), so it is rewritten in place; the disk fails once its bytes
    began to change: the window says it may be half-written and where the complete new version is."""
    song = tmp_path / "歌.muse"
    assert window.files.save_as(song)
    os.link(song, tmp_path / "另一个名字.muse")
    window.editor.add_note(90, 0, 480)
    said = warnings_said(monkeypatch)
    synced, real_fsync = [], os.fsync

    def fails_on_the_rewrite(fd):
        synced.append(fd)
        if len(synced) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fails_on_the_rewrite)
    assert window.files.save() is False
    monkeypatch.undo()
    (kept,) = tmp_path.glob(".歌.muse~*.msinplace")
    assert "可能只写了一半" in said[-1] and str(kept) in said[-1] and said[-1].endswith(KEPT)
    assert window.document.modified


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_an_export_or_a_recovered_piece_that_cannot_be_written_is_said_in_the_user_s_language(
    language, make_window, tmp_path, monkeypatch
):
    folder = tmp_path / "文件夹.mid"
    folder.mkdir()
    said = warnings_said(monkeypatch)
    window = make_window()
    assert window.files.export_midi(folder) is False
    assert said == [f"无法保存 {folder}：已有同名的文件夹"]
    with pytest.raises(BadInputError) as raised:
        write_wav(folder, np.zeros((4, 2), np.int16))
    assert _describe(raised.value, folder) == f"无法保存 {folder}：已有同名的文件夹"
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    project = tmp_path / "文件夹.muse"
    project.mkdir()
    assert dialog.save_elsewhere(project) is False and copy.path.exists()
    assert said[-1] == f"无法保存 {project}：已有同名的文件夹。\n\n恢复副本已保留。"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_failing_autosave_says_why_in_the_user_s_language(language, window, monkeypatch):
    def denied(*_a, **_k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(recovery, "atomic_write_bytes", denied)
    window.editor.add_note(70, 0, 480)
    assert window.autosaver.save_now() is None
    text = window.autosave_status.dialog.text()
    assert text.startswith("自动保存失败：你没有在那里写入的权限。"), text
    window.autosave_status.dialog.close()


#: the OS's reasons a save can meet beyond the ten the window had words for, and one it has none for
MORE_OS_REASONS = {
    errno.EFBIG: "文件太大，这个磁盘放不下",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "系统打开的文件太多",
    errno.ELOOP: "路径中的符号链接太多（可能有链接指向它自己）",
    errno.EBUSY: "文件或它所在的磁盘正忙",
    errno.ETXTBSY: "文件正被一个运行中的程序使用",
    errno.EXDEV: "无法一步把文件移到另一个磁盘上",
    errno.ESTALE: "网络驱动器上的文件已失效（文件句柄过期）",
    errno.EEXIST: "已有同名的文件",
    errno.EINVAL: "系统拒绝了此操作（invalid argument）",
}


def refusing(number: int):
    def refuse(*_a, **_k):
        raise OSError(number, os.strerror(number))

    return refuse


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_any_reason_the_os_gives_for_a_failed_save_is_said_in_the_user_s_language(
    language, window, tmp_path, monkeypatch
):
    """Ten reasons had Chinese words; any other came in the OS's English ("too many open files")."""
    path = tmp_path / "曲子.muse"
    said = warnings_said(monkeypatch)
    for number, why in MORE_OS_REASONS.items():
        monkeypatch.setattr(project_file, "atomic_write_bytes", refusing(number))
        assert window.files.save_as(path) is False
        assert said[-1] == f"无法保存 {path}：{why}。{KEPT}"
    assert len(said) == len(MORE_OS_REASONS) and not path.exists()


def test_without_a_translation_the_os_s_reasons_are_the_english_they_were(qapp, tmp_path):
    for number in (*MORE_OS_REASONS, errno.ENOSPC):
        error = save_error(tmp_path / "song.muse", OSError(number, os.strerror(number)))
        assert ErrorWords().say(error) == str(error)
    assert str(error) == f"cannot save {tmp_path / 'song.muse'}: the disk is full"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_style_the_trainer_cannot_save_is_said_in_the_user_s_language_naming_where(
    language, tiny_home, capsys
):
    """A file where the styles folder goes: the English named it, the Chinese left it out."""
    from musestudio.ml.train.learn import main

    make_files(tiny_home / "midi")
    styles = paths.user_data_dir() / "styles"
    styles.parent.mkdir(parents=True, exist_ok=True)
    styles.write_text("not a folder")
    argv = [str(tiny_home / "midi"), "--name", "Mine", "--from", "pop", "--max-steps", "2", "--nice", "0"]
    assert main(argv) == 2
    event = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert ErrorWords().say(event) == f"无法保存该风格（{styles}）：已有同名的文件"
    assert event["message"] == f"cannot save the style ({styles}): a file has that name"


def refuse_to_delete(kept: pathlib.Path, monkeypatch) -> None:
    """``kept`` cannot be deleted (as in a read-only folder, run as root or not); other files can."""
    real_unlink = pathlib.Path.unlink

    def deny(path, *args, **kw):
        if path == kept:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_unlink(path, *args, **kw)

    monkeypatch.setattr(pathlib.Path, "unlink", deny)


def styles_that_cannot_be_written(tiny_home, monkeypatch):
    """A learned style, a folder where its new name's weights go, and its settings file refusing to be
    deleted (as a read-only styles folder would, run as root or not): the old name and the new one."""
    style = a_style_for_other_models("旧曲")
    blocked = style.path.with_name(learned.slug("新曲") + ".safetensors")
    blocked.mkdir()
    refuse_to_delete(style.config, monkeypatch)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("新曲", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return style, blocked


def rename_and_delete(window):
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.styles.setCurrentRow(0)
    dialog._rename()
    dialog._delete()
    dialog.close()


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_learned_style_that_cannot_be_written_or_deleted_is_said_in_the_user_s_language(
    language, make_window, tiny_home, monkeypatch
):
    style, blocked = styles_that_cannot_be_written(tiny_home, monkeypatch)
    said = warnings_said(monkeypatch)
    rename_and_delete(make_window())
    assert said == [
        f"无法写入 {blocked}：已有同名的文件夹",
        f"无法删除 {style.config}：你没有在那里写入的权限",
    ]
    assert learned.names() == ("旧曲",) and style.weights.exists()
    assert not ENGLISH_WORDS.search(said[0].replace(str(blocked), ""))


def test_without_a_translation_a_write_error_is_said_in_the_english_it_had(
    make_window, tmp_path, tiny_home, monkeypatch
):
    """Save's message is the one it was before; a learned style's is the sentence ``ml.learned`` raises (it
    was Python's own words, "[Errno 21] it is not a regular file: ...")."""
    window = make_window()
    window.editor.add_note(90, 0, 480)
    said = warnings_said(monkeypatch)
    places = places_that_cannot_be_written(tmp_path, monkeypatch)
    for path in places:
        assert window.files.save_as(path) is False
    assert said == [f"cannot save {path}: {english}{KEPT_ENGLISH}" for path, (_, english) in places.items()]
    style, blocked = styles_that_cannot_be_written(tiny_home, monkeypatch)
    said.clear()
    rename_and_delete(window)
    assert said == [
        f"cannot write {blocked}: a folder has that name",
        f"cannot delete {style.config}: you have no permission to write there",
    ]
    with pytest.raises(learned.StyleError) as raised:
        learned.remove("旧曲")
    assert ErrorWords().say(raised.value) == str(raised.value) == said[1]


def test_a_rename_that_fails_half_way_lists_both_styles_it_left(make_window, tiny_home, monkeypatch):
    """The style's files under its new name were written, its old ones could not be deleted: both styles
    are on disk, and Learn a Style and the Style list say so (they listed the old name alone)."""
    style = a_style_for_other_models("旧曲")
    refuse_to_delete(style.config, monkeypatch)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("新曲", True))
    said = warnings_said(monkeypatch)
    window = make_window()
    window.generate.learn_action.trigger()
    dialog = window.generate.learn_dialog
    dialog.styles.setCurrentRow(0)
    dialog._rename()
    assert said == [f"cannot delete {style.config}: you have no permission to write there"]
    assert learned.names() == ("新曲", "旧曲")
    listed = [dialog.styles.item(i).data(256) for i in range(dialog.styles.count())]
    assert listed == ["新曲", "旧曲"]
    style_box = window.generate.panel.style
    assert {style_box.itemData(i) for i in range(style_box.count())} >= {"新曲", "旧曲"}
    dialog.close()
