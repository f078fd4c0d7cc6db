"""After a crash every recovery copy is listed and each is restored, saved elsewhere or discarded; the
offer ends for good once the user decided (issue 12: restore, then discard and quit, offered it again)."""

from __future__ import annotations

import builtins
import dataclasses
import io
import json
import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from musestudio.audio.player import LivePlayer, PlayerAdapter
from musestudio.core.document import Document
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.io.project_file import load_project
from musestudio.io.recovery import RecoverySession, find_recoveries, write_recovery
from musestudio.ml.engines import CONTINUE, missing_model
from musestudio.ml.generate.request import Take
from musestudio.ui import autosave
from musestudio.ui import files as files_module
from musestudio.ui.dialogs import recovery as recovery_dialog_module
from musestudio.ui.dialogs.recovery import RecoveryDialog, offer_recovery
from musestudio.ui.main_window import MainWindow
from tests.ui.conftest import NO_DEVICE
from tests.ui.test_generate_ui import BAR, melody_project
from tests.ui.ui_helpers import list_takes


@pytest.fixture
def new_window(settings, qtbot):
    """What the app's open_new_window gives the dialog: another main window, shown."""
    made = []

    def make():
        window = MainWindow(Document(Project()), settings, PlayerAdapter(LivePlayer(device=NO_DEVICE)))
        window.show()
        made.append(window)
        return window

    yield make
    for w in made:
        w.close_unasked()
        w.deleteLater()


def crash() -> None:
    """What a crash does to this run's copies: the session lock is released by the dying process."""
    autosave.process_session().close()
    autosave._sessions.clear()  # windows made from now on belong to the "next start"


def crashed_with_a_copy(make_window) -> None:
    """A window with one note saved to its recovery copy, then a crash: the next start has one to offer."""
    first = make_window()
    first.editor.add_note(77, 0, 480)
    first.autosaver.save_now()
    crash()


def two_windows_with_unsaved_work(make_window, tmp_path):
    a, b = make_window(), make_window()
    assert a.files.save_as(tmp_path / "song.muse")
    assert b.files.open_path(tmp_path / "song.muse", ask=False)  # two windows on one file
    a.editor.add_note(80, 0, 480)
    b.editor.add_note(50, 960, 240)
    b.editor.add_note(52, 1200, 240)
    a.autosaver.save_now()
    b.autosaver.save_now()
    return a, b


def test_every_copy_is_listed_and_each_can_be_restored_or_saved(
    make_window, new_window, tmp_path, monkeypatch
):
    a, b = two_windows_with_unsaved_work(make_window, tmp_path)
    work_a, work_b = a.document.project, b.document.project
    crash()
    start = make_window()  # the next start's window
    found = find_recoveries()
    assert len(found) == 2 and {r.name for r in found} == {"song.muse"}
    extra = []
    dialog = RecoveryDialog(found, start, open_window=lambda: extra.append(new_window()) or extra[-1])
    rows = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    assert [r.text(0) for r in rows] == ["song.muse", "song.muse"]
    assert all(r.text(2).endswith("KB") and r.text(4) == str(tmp_path / "song.muse") for r in rows)
    by_notes = {int(r.text(3)): i for i, r in enumerate(rows)}

    dialog.select(by_notes[6])  # b's copy (3 + 1 + 2 notes): into the untouched start window
    assert dialog.restore()
    assert start.document.project == work_b and start.document.modified
    assert start.files.path == tmp_path / "song.muse" and start.isWindowModified()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a-work.muse"), ""))
    dialog.select(0)  # a's copy, saved elsewhere: then it goes
    assert dialog.save_elsewhere()
    assert load_project(tmp_path / "a-work.muse") == work_a
    assert dialog.result() == dialog.DialogCode.Accepted and extra == []
    # b's copy now belongs to the start window (and this run): nothing is offered again
    assert find_recoveries() == []
    assert [r.path for r in find_recoveries(include_live=True)] == [start.autosaver.copy_path]


def test_a_second_restore_opens_its_own_window(make_window, new_window, tmp_path):
    a, b = two_windows_with_unsaved_work(make_window, tmp_path)
    crash()
    start = make_window()
    extra = []
    dialog = RecoveryDialog(
        find_recoveries(), start, open_window=lambda: extra.append(new_window()) or extra[-1]
    )
    assert dialog.restore() and dialog.restore()
    restored = [start.document.project, extra[0].document.project]
    assert len(extra) == 1 and sorted(restored, key=lambda p: p.note_count) == sorted(
        [a.document.project, b.document.project], key=lambda p: p.note_count
    )
    assert start.autosaver.copy_path != extra[0].autosaver.copy_path


def test_a_restore_asks_nothing_and_leaves_a_window_with_takes_alone(make_window, new_window, monkeypatch):
    crashed_with_a_copy(make_window)
    start = make_window()
    takes = list_takes(start, 2)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("a restore asked"))
    extra = []
    dialog = RecoveryDialog(
        find_recoveries(), start, open_window=lambda: extra.append(new_window()) or extra[-1]
    )
    assert dialog.restore()
    assert len(extra) == 1 and extra[0].document.modified  # the copy opens in a window of its own
    assert start.generate.takes == takes and not start.document.modified


def count_reads_then_replace(monkeypatch, path, later: bytes) -> list[str]:
    """Every opening of ``path`` for reading from now on, by whatever call; after the first, ``path`` is
    replaced by a file holding ``later`` (as a copy rewritten meanwhile would be): a second read sees it."""
    reads = []
    real_os_open, real_io_open = os.open, io.open

    def seen(opened, how: str) -> None:
        if Path(opened).resolve() == path.resolve():
            reads.append(how)
            if len(reads) == 1:
                path.with_name("later.tmp").write_bytes(later)
                os.replace(path.with_name("later.tmp"), path)

    def os_open(opened, flags, *args, **kwargs):
        fd = real_os_open(opened, flags, *args, **kwargs)
        if not flags & (os.O_WRONLY | os.O_RDWR):
            seen(opened, "os.open")
        return fd

    def io_open(opened, mode="r", *args, **kwargs):
        f = real_io_open(opened, mode, *args, **kwargs)
        if isinstance(opened, str | os.PathLike) and set(mode) & set("wax+") == set():
            seen(opened, "open")
        return f

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    return reads


def test_a_restore_reads_its_copy_once_so_piece_and_takes_come_from_the_same_version(
    make_window, monkeypatch
):
    """Restore reads the copy once and takes the piece and its takes from that read: a copy rewritten
    meanwhile cannot give one version's piece with another's takes, and a big copy is read only once."""
    first = make_window()
    first.editor.add_note(77, 0, 480)
    takes = list_takes(first, 2)
    assert first.autosaver.save_now() is not None
    piece = first.document.project
    crash()
    (copy,) = find_recoveries()
    later = json.loads(copy.path.read_bytes())
    later["tracks"][0]["notes"].append([90, 0, 480, 100])
    del later["recovery"]["takes"]
    start = make_window()
    dialog = RecoveryDialog([copy], start)
    reads = count_reads_then_replace(monkeypatch, copy.path, json.dumps(later).encode())
    dialog.restore_button.click()
    monkeypatch.undo()
    assert len(reads) == 1, reads
    assert start.document.project == piece and start.document.modified
    assert [(t.number, t.notes) for t in start.generate.takes] == [(t.number, t.notes) for t in takes]


def test_a_copy_another_start_restored_meanwhile_is_not_taken_over(make_window):
    """Two starts after one crash both list the copy; one restores it (its window goes on with it). A
    restore in the other gets a copy of its own: sharing one, the first window's save or discard deleted
    the copy that protected the second's unsaved piece."""
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    other_start = RecoverySession(copy.path.parent)  # the other app, running
    piece = load_project(copy.path)
    write_recovery(piece, copy.path, source=None, name="Untitled", session=other_start)
    start = make_window()
    assert RecoveryDialog([copy], start).restore()
    assert start.document.project == piece and start.document.modified
    mine = start.autosaver.copy_path
    assert mine is not None and mine != copy.path and load_project(mine) == piece
    assert json.loads(copy.path.read_bytes())["recovery"]["session"] == other_start.id
    other_start.close()


def test_restore_then_discard_and_quit_ends_the_offer(make_window, monkeypatch):
    crashed_with_a_copy(make_window)
    second = make_window()
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: self.restore())
    assert offer_recovery(second)
    assert second.document.modified
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert second.close()  # "Discard" in the unsaved-changes prompt, then quit
    crash()
    assert find_recoveries() == []  # the next start offers nothing


def test_restore_then_save_ends_the_offer(make_window, monkeypatch, tmp_path):
    crashed_with_a_copy(make_window)
    second = make_window()
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: self.restore())
    assert offer_recovery(second)
    assert second.files.save_as(tmp_path / "kept.muse")
    crash()
    assert find_recoveries() == []


def test_decide_later_keeps_copies_and_discard_asks_first(make_window, monkeypatch):
    crashed_with_a_copy(make_window)
    second = make_window()
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], second)
    dialog.later_button.click()
    assert copy.path.exists() and find_recoveries() == [copy]  # offered again next time

    dialog = RecoveryDialog([copy], second)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog.discard_button.click()
    assert copy.path.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    dialog.discard_button.click()
    assert not copy.path.exists() and dialog.result() == dialog.DialogCode.Accepted


def test_a_failed_save_elsewhere_keeps_the_copy(make_window, monkeypatch, tmp_path):
    crashed_with_a_copy(make_window)
    second = make_window()
    (copy,) = find_recoveries()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    dialog = RecoveryDialog([copy], second)
    assert not dialog.save_elsewhere(tmp_path / "no" / "such" / "folder.muse")
    assert copy.path.exists() and "recovery copy is kept" in warned[0]
    assert dialog.list.topLevelItemCount() == 1


def test_save_as_of_a_copy_with_takes_saves_the_piece_and_lists_the_takes_again(make_window, tmp_path):
    """The takes are in no project file: Save As saves the piece and opens it with its takes listed, the
    copy going on as that window's (before, the copy was deleted with the takes in it, never discarded)."""
    first = make_window()
    first.editor.add_note(77, 0, 480)
    takes = list_takes(first, 2)
    first.autosaver.save_now()
    work = first.document.project
    crash()
    (copy,) = find_recoveries()
    start = make_window()
    dialog = RecoveryDialog([copy], start)
    assert dialog.save_elsewhere(tmp_path / "rescued.muse")
    assert load_project(tmp_path / "rescued.muse") == work
    assert start.files.path == tmp_path / "rescued.muse" and not start.document.modified
    assert [t.number for t in start.generate.takes] == [t.number for t in takes]
    assert start.autosaver.copy_path == copy.path and find_recoveries() == []
    (kept,) = find_recoveries(include_live=True)
    assert kept.takes == 2 and kept.source == tmp_path / "rescued.muse"


def test_save_as_keeps_the_recovered_piece_as_a_project_and_asks_before_replacing_one(
    make_window, monkeypatch, tmp_path
):
    """The copy is deleted once saved, so it goes to a project, which holds all it held (a track's mute);
    a name typed without the suffix is asked about when that project exists."""
    first = make_window()
    first.editor.add_note(77, 0, 480)
    first.editor.set_track(first.document.project.tracks[0].id, "Mute track", mute=True)
    work = first.document.project
    first.autosaver.save_now()
    crash()
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    (tmp_path / "rescued.muse").write_bytes(b"another piece")
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "rescued"), ""))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    assert not dialog.save_elsewhere()
    assert asked and (tmp_path / "rescued.muse").read_bytes() == b"another piece" and copy.path.exists()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "rescued.mid"), ""))
    assert dialog.save_elsewhere()
    assert load_project(tmp_path / "rescued.mid.muse") == work and not copy.path.exists()


def test_a_restored_copy_older_than_its_file_asks_before_save_replaces_the_newer_work(
    make_window, monkeypatch, tmp_path
):
    """Decide Later, then the file saved with more work, then the old copy restored: Save must not
    replace the newer file unasked."""
    song = tmp_path / "song.muse"
    first = make_window()
    assert first.files.save_as(song)
    first.editor.add_note(80, 0, 480)
    first.autosaver.save_now()
    crash()
    second = make_window()
    assert second.files.open_path(song, ask=False)
    second.editor.add_note(90, 960, 480)
    assert second.files.save()
    newer = load_project(song)
    second.close_unasked()
    crash()
    third = make_window()
    (copy,) = find_recoveries()
    asked = []
    monkeypatch.setattr(files_module, "ask_changed_on_disk", lambda *a: asked.append(a[1]) or "cancel")
    assert RecoveryDialog([copy], third).restore()
    assert third.files.path == song and not third.files.save()
    assert asked == ["song.muse"] and load_project(song) == newer


def test_a_copy_of_a_piece_opened_from_midi_names_that_file(make_window, tmp_path):
    mid = tmp_path / "tune.mid"
    first = make_window()
    assert first.files.export_midi(mid)
    assert first.files.open_path(mid, ask=False)
    first.editor.add_note(80, 0, 480)
    first.autosaver.save_now()
    crash()
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    assert copy.source == mid and dialog.list.topLevelItem(0).text(4) == str(mid)
    assert dialog.restore() and dialog.restored[0].files.path is None  # Save asks where: MIDI holds less


def test_a_damaged_copy_is_listed_says_why_it_cannot_be_restored_and_can_be_discarded(
    make_window, monkeypatch, tmp_path
):
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    copy.path.write_bytes(copy.path.read_bytes()[:50])  # a failing disk cut it short
    an_hour_ago = time.time() - 3600
    os.utime(copy.path, (an_hour_ago, an_hour_ago))
    (damaged,) = find_recoveries()
    dialog = RecoveryDialog([damaged], make_window())
    row = dialog.list.topLevelItem(0)
    assert row.text(3) == "?" and row.text(4).startswith("damaged: it cannot be read")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[1]))
    assert not dialog.restore() and warned == ["Cannot read the recovery copy"] and copy.path.exists()
    assert dialog.discard(ask=False) and not copy.path.exists()


def test_takes_not_kept_at_a_crash_are_listed_again_on_restore_and_keep_where_they_would_have(
    make_window, qtbot
):
    """The takes are in no file: autosave copies them even with nothing else unsaved, Restore lists them
    again, and Keep puts one where it would have gone (the seed's track), as one undo step."""
    from musestudio.core.note import Note
    from musestudio.core.track import Track
    from musestudio.ml.engines import CONTINUE

    tune = Track(name="Tune", notes=tuple(Note(60 + (i % 5), i * 480, 480, 90) for i in range(16)))
    first = make_window(Project(tracks=(Track(name="Bass"), tune)))
    first.state.set_active_track(first.document.project.tracks[1].id)
    panel = first.generate.panel
    panel.set_mode(CONTINUE)
    panel.engine.setCurrentIndex(panel.engine.findData("transformer"))
    panel.bars.setValue(1)
    panel.variations.setValue(3)
    with qtbot.waitSignal(first.generate.generation_finished, timeout=180_000) as done:
        first.generate.generate()
    assert done.args == ["result"], first.generate.error
    assert first.generate.discard() is None  # one discarded: two are left to lose
    listed = first.generate.takes
    assert not first.document.modified and first.autosaver.save_now() is not None
    crash()
    (copy,) = find_recoveries()
    assert copy.takes == 2
    start = make_window()
    dialog = RecoveryDialog([copy], start)
    assert (
        dialog.list.topLevelItem(0).text(3) == "16 (+ 2 take(s))"
    )  # English words for counts come with its translation
    assert dialog.restore()
    back = start.generate.takes
    assert [(t.number, t.notes, t.start, t.end, t.seed) for t in back] == [
        (t.number, t.notes, t.start, t.end, t.seed) for t in listed
    ]
    assert "listed again" in start.statusBar().currentMessage()
    assert start.generate.keep()
    piece = start.document.project
    assert len(piece.tracks) == 2 and len(piece.tracks[1].notes) == 16 + len(back[0].notes)
    start.undo_stack.undo()
    assert len(start.document.project.tracks[1].notes) == 16 and len(start.generate.takes) == 2
    start.generate.discard_all()
    start.autosaver.save_now()
    assert [c.takes for c in find_recoveries(include_live=True)] == [0]  # the piece's copy stays, no takes


def test_takes_alone_get_a_copy_that_goes_when_they_go(make_window, qtbot, monkeypatch):
    """Takes listed on a piece with nothing unsaved are copied; discarding them, or closing after the user
    let them go, removes that copy, so the next start offers nothing."""
    window = make_window()
    list_takes(window, 2)
    qtbot.waitUntil(lambda: find_recoveries(include_live=True) != [], timeout=10_000)
    assert not window.document.modified and find_recoveries(include_live=True)[0].takes == 2
    window.generate.discard_all()
    qtbot.waitUntil(lambda: find_recoveries(include_live=True) == [], timeout=10_000)
    list_takes(window, 1)
    window.autosaver.save_now()
    assert find_recoveries(include_live=True)[0].takes == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Discard)
    assert window.close()
    assert find_recoveries(include_live=True) == []


@pytest.mark.skipif(missing_model(CONTINUE, "transformer") is not None, reason="no Continue model")
def test_takes_of_two_generates_come_back_from_a_crash_each_keeping_as_its_own_generate_would(make_window):
    """Takes of two Generates listed together (Undo lists a cancelled Generate's kept take beside the
    takes before it): the recovery copy holds each with its own request, so after a crash each keeps into
    the track it was drawn for; the bass take, its track deleted before the crash, into a new track with
    the bass's instrument."""
    first = make_window(melody_project())
    gen, (melody, bass) = first.generate, first.document.project.tracks
    gen.panel.set_mode(CONTINUE)
    gen.panel.engine.setCurrentIndex(gen.panel.engine.findData("transformer"))
    melody_takes = list_takes(first, 2, gen.build_request())  # the melody is the active track
    first.state.set_active_track(bass.id)
    bass_take = Take(
        1, (Note(40, 4 * BAR, BAR, 90),), 4 * BAR, 5 * BAR, "transformer", "pop", 3, None, None, 0.5
    )
    bass_take = dataclasses.replace(bass_take, request=gen.build_request())
    gen.set_takes((*melody_takes, bass_take))
    first.editor.delete_track(bass.id)  # the bass take outlives its track
    assert first.autosaver.save_now() is not None
    crash()
    (copy,) = find_recoveries()
    start = make_window(Project())
    assert RecoveryDialog([copy], start).restore()
    back = start.generate.takes
    assert [(t.number, t.notes, t.start) for t in back] == [
        (t.number, t.notes, t.start) for t in (*melody_takes, bass_take)
    ]
    assert back[0].request is back[1].request and back[2].request is not back[0].request
    assert [(r.engine, r.program) for r, _ in start.generate.listed()] == [("transformer", 0)] * 2 + [
        ("transformer", 33)
    ]

    start.generate.takes_panel.set_current_row(2)
    assert start.generate.keep()
    tune, added = start.document.project.tracks
    assert added.program == 33 and [(n.pitch, n.start) for n in added.notes] == [(40, 4 * BAR)]
    assert len(tune.notes) == len(melody.notes)  # the melody's own takes are still to keep
    start.generate.takes_panel.set_current_row(0)
    assert start.generate.keep()
    tune = start.document.project.tracks[0]
    assert len(tune.notes) == len(melody.notes) + 1 and len(start.document.project.tracks) == 2
    assert start.undo_stack.count() == 2


#: the takes block a copy holds when written before each take named its request (format 1): one request
#: for all, a Continue of the second track (by its index)
OLD_COPYS_TAKES = {
    "format": 1,
    "request": {
        "mode": "continue",
        "engine": "transformer",
        "style": "pop",
        "notes": [[36, 0, 1920, 100]],
        "tpb": 480,
        "meters": [[0, 4, 4]],
        "track": 1,
        "replaces": [],
        "bars": [0, 0],
        "parts": [],
    },
    "takes": [
        {
            "number": n,
            "notes": [[38 + n, 1920, 480, 90]],
            "start": 1920,
            "end": 3840,
            "engine": "transformer",
            "style": "pop",
            "seed": 10 + n,
            "realness": 0.5,
            "style_probability": 0.4,
            "critic": 0.6,
            "taste": None,
            "score": 0.6,
            "why": "critic",
            "parts": [],
        }
        for n in (2, 1)
    ],
}


def test_takes_in_a_recovery_copy_written_before_takes_named_their_request_still_come_back(make_window):
    first = make_window()
    first.editor.add_note(77, 0, 480)
    first.autosaver.takes_block = lambda: OLD_COPYS_TAKES  # as an earlier MuseStudio wrote them
    assert first.autosaver.save_now() is not None
    crash()
    (copy,) = find_recoveries()
    start = make_window(Project())
    dialog = RecoveryDialog([copy], start)
    assert dialog.list.topLevelItem(0).text(3) == "5 (+ 2 take(s))"
    assert dialog.restore()
    gen = start.generate
    assert [(t.number, t.seed, [(n.pitch, n.start) for n in t.notes]) for t in gen.takes] == [
        (2, 12, [(40, 1920)]),
        (1, 11, [(39, 1920)]),
    ]
    assert "2 take(s) not kept when MuseStudio stopped are listed again" in start.statusBar().currentMessage()
    bass = start.document.project.tracks[1]
    assert gen.keep()  # take 2, into the track the copy names (the bass), as one undo step
    assert start.document.project.tracks[1].notes[:-1] == bass.notes
    assert (start.document.project.tracks[1].notes[-1].pitch, start.undo_stack.count()) == (40, 1)
    start.undo_stack.undo()
    assert start.document.project.tracks[1] == bass and [t.number for t in gen.takes] == [2, 1]


def test_discard_spares_a_copy_another_start_restored_meanwhile_and_says_so(make_window, monkeypatch):
    """Two starts after one crash list the same copy; the other one restores it, its window going on with the
    copy. Discard here must not delete what now protects that window's unsaved piece (before, it did)."""
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    other_start = RecoverySession(copy.path.parent)
    write_recovery(load_project(copy.path), copy.path, source=None, name="Untitled", session=other_start)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    assert not dialog.discard(ask=False)
    assert json.loads(copy.path.read_bytes())["recovery"]["session"] == other_start.id
    assert "restored in another MuseStudio window" in told[0]
    assert dialog.list.topLevelItemCount() == 0  # not left over any more: nothing to decide here
    other_start.close()


def test_save_elsewhere_spares_a_copy_another_start_restored_after_it_was_read(
    make_window, monkeypatch, tmp_path
):
    """The other start restores the copy while this one saves it elsewhere: the copy that window adopted is
    not deleted once the file is written."""
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    other_start = RecoverySession(copy.path.parent)
    save = recovery_dialog_module.save_project

    def restored_meanwhile(project, path):
        save(project, path)
        write_recovery(project, copy.path, source=None, name="Untitled", session=other_start)

    monkeypatch.setattr(recovery_dialog_module, "save_project", restored_meanwhile)
    assert dialog.save_elsewhere(tmp_path / "rescued.muse")
    assert json.loads(copy.path.read_bytes())["recovery"]["session"] == other_start.id
    other_start.close()


def test_discard_says_how_many_takes_not_kept_go_with_the_copy(make_window, monkeypatch):
    first = make_window()
    first.editor.add_note(77, 0, 480)
    list_takes(first, 3)
    first.autosaver.save_now()
    crash()
    (copy,) = find_recoveries()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    dialog = RecoveryDialog([copy], make_window())
    assert not dialog.discard() and copy.path.exists()
    assert "3 generated take(s)" in asked[0] and "lost for good" in asked[0]
    crash()
    first = make_window()
    first.editor.add_note(77, 0, 480)
    first.autosaver.save_now()
    crash()
    (plain,) = [c for c in find_recoveries() if c.takes == 0]
    assert not RecoveryDialog([plain], make_window()).discard()
    assert "take" not in asked[1]  # a copy with no takes speaks of none


def copy_of_song(make_window, tmp_path) -> Path:
    """A piece saved as song.muse, then edited and autosaved, then a crash: the next start offers its copy."""
    song = tmp_path / "song.muse"
    first = make_window()
    assert first.files.save_as(song)
    first.editor.add_note(80, 0, 480)
    first.autosaver.save_now()
    crash()
    return song


def test_the_list_says_when_the_file_changed_on_disk_since_the_copys_piece_was_read(
    make_window, qtbot, tmp_path
):
    """Saved elsewhere (another window, another program) after the crashed window read it: restoring and
    saving would replace that newer work, so the list says so before the user picks."""
    song = copy_of_song(make_window, tmp_path)
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    assert dialog.list.topLevelItem(0).text(4) == str(song) and dialog.source_warning.isHidden()

    other = make_window()
    assert other.files.open_path(song, ask=False)
    other.editor.add_note(90, 960, 480)
    assert other.files.save()
    (copy,) = [c for c in find_recoveries() if c.source == song]
    dialog = RecoveryDialog([copy], make_window())
    dialog.show()
    row = dialog.list.topLevelItem(0)
    assert row.text(4) == f"{song} (changed on disk since)"
    warning = dialog.source_warning.text()
    assert dialog.source_warning.isVisible() and "\u201csong.muse\u201d was changed on disk" in warning
    assert "Save As" in warning

    song.unlink()  # moved away, deleted
    dialog = RecoveryDialog([copy], make_window())
    dialog.show()
    assert dialog.list.topLevelItem(0).text(4) == f"{song} (no longer there)"
    assert "no longer there" in dialog.source_warning.text() and dialog.source_warning.isVisible()


@pytest.mark.parametrize("decision", ["restore", "save_elsewhere"])
def test_a_copy_another_start_discarded_meanwhile_is_said_so_not_unreadable(
    make_window, monkeypatch, tmp_path, decision
):
    """Two starts after one crash list the same copy; the other one discards it. Restore (or Save As) here
    warned "Cannot read the recovery copy" with a file-not-found reason, as if the disk had failed. It
    says the copy was discarded in another window, and the row goes: nothing is left to decide."""
    crashed_with_a_copy(make_window)
    (copy,) = find_recoveries()
    dialog = RecoveryDialog([copy], make_window())
    assert recovery_dialog_module.discard_left_over(copy.path)  # in the other start's dialog
    warned, told = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[1]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[1:]))
    decide = {"restore": dialog.restore, "save_elsewhere": lambda: dialog.save_elsewhere(tmp_path / "x.muse")}
    assert not decide[decision]()
    assert warned == [] and len(told) == 1
    assert told[0][0] == "Discarded in another window"
    assert "was discarded in another MuseStudio window meanwhile" in told[0][1]
    assert dialog.list.topLevelItemCount() == 0 and not (tmp_path / "x.muse").exists()
