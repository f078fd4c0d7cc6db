"""Recovery copies: one per document, never shared, found after a crash, left alone while their run lives."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime

from musestudio.core import Note, Project, Track
from musestudio.io import project_file as pf
from musestudio.io import recovery as rc

SAMPLE = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480, 90), Note(64, 480, 480, 80))),))


def test_two_documents_on_one_file_get_two_copies(tmp_path):
    session = rc.RecoverySession(tmp_path)
    song = tmp_path / "waltz.muse"
    a, b = session.new_copy_path("waltz.muse"), session.new_copy_path("waltz.muse")
    u1, u2 = session.new_copy_path("Untitled"), session.new_copy_path("Untitled")
    assert len({a, b, u1, u2}) == 4
    rc.write_recovery(SAMPLE, a, source=song, name="waltz.muse", session=session)
    rc.write_recovery(SAMPLE.with_tempo(70), b, source=song, name="waltz.muse", session=session)
    session.close()  # the run is over (as after a crash)
    found = rc.find_recoveries(tmp_path)
    assert {r.path for r in found} == {a, b}
    assert found[0].path == b and found[0].source == song and found[0].name == "waltz.muse"
    assert isinstance(found[0].saved_at, datetime) and found[0].size == b.stat().st_size
    assert found[0].notes == 2
    assert pf.load_project(b).tempo_bpm == 70


def test_copies_of_a_run_that_is_still_going_are_not_offered(tmp_path):
    live = rc.RecoverySession(tmp_path)
    path = rc.write_recovery(SAMPLE, live.new_copy_path("a"), source=None, name="a", session=live)
    assert rc.find_recoveries(tmp_path) == []
    assert [r.path for r in rc.find_recoveries(tmp_path, include_live=True)] == [path]
    live.close()
    assert [r.path for r in rc.find_recoveries(tmp_path)] == [path]


def test_a_run_that_could_not_lock_at_start_locks_before_its_first_copy(tmp_path):
    """The recovery folder could not be made when the run started (a file in its place, since moved away):
    the first copy written takes the run's lock, or another start would offer it as a crashed run's."""
    blocked = tmp_path / "recovery"
    blocked.write_text("not a folder")
    live = rc.RecoverySession(blocked)
    blocked.unlink()
    path = rc.write_recovery(SAMPLE, live.new_copy_path("a"), source=None, name="a", session=live)
    assert rc.find_recoveries(blocked) == []
    live.close()
    assert [r.path for r in rc.find_recoveries(blocked)] == [path]


def test_a_killed_run_releases_its_copies(tmp_path):
    child = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from musestudio.core import Project
        from musestudio.io import recovery as rc
        s = rc.RecoverySession(Path({str(tmp_path)!r}))
        rc.write_recovery(Project(), s.new_copy_path("x"), source=None, name="x", session=s)
        os.kill(os.getpid(), 9)
    """)
    subprocess.run([sys.executable, "-c", child], check=False)
    (found,) = rc.find_recoveries(tmp_path)
    assert found.name == "x"


def test_a_damaged_copy_is_listed_as_such_and_copies_of_old_versions_are_offered(tmp_path):
    cut = tmp_path / "waltz-3f9c0a1b2c4d.muse"
    cut.write_bytes(pf.project_to_bytes(SAMPLE, {"recovery": {"session": "x"}})[:40])  # cut short
    old = tmp_path / "untitled.muse"  # written by an earlier version: no session, no name
    old.write_bytes(
        pf.project_to_bytes(SAMPLE, {"recovery": {"source": None, "saved_at": "2026-01-01T10:00:00+00:00"}})
    )
    (found,) = rc.find_recoveries(tmp_path)  # a copy that fresh may be a live run's, being replaced
    assert found.path == old and found.source is None and not found.damaged
    an_hour_ago = time.time() - 3600
    os.utime(cut, (an_hour_ago, an_hour_ago))
    damaged, found = rc.find_recoveries(tmp_path)
    assert found.path == old
    assert (damaged.path, damaged.name, damaged.damaged, damaged.size) == (cut, "waltz", True, 40)
    assert abs(damaged.saved_at.timestamp() - an_hour_ago) < 0.001


def test_a_copy_whose_time_has_no_offset_is_offered_with_the_others(tmp_path):
    """A copy written by hand or another tool may give its time without an offset: it is read as local
    time and offered beside the others (comparing it with them failed, and no copy was offered at all)."""
    for name, saved_at in (("offset", "2026-01-01T10:00:00+00:00"), ("plain", "2026-01-02T10:00:00")):
        info = {"recovery": {"source": None, "name": name, "saved_at": saved_at}}
        (tmp_path / f"{name}.muse").write_bytes(pf.project_to_bytes(SAMPLE, info))
    plain, offset = rc.find_recoveries(tmp_path)
    assert (plain.name, offset.name) == ("plain", "offset") and not plain.damaged
    assert plain.saved_at.tzinfo is not None


def test_discarding_deletes_only_that_copy(tmp_path):
    s = rc.RecoverySession(tmp_path)
    a = rc.write_recovery(SAMPLE, s.new_copy_path("a"), source=None, name="a", session=s)
    b = rc.write_recovery(SAMPLE, s.new_copy_path("b"), source=None, name="b", session=s)
    rc.discard_copy(a)
    assert not a.exists() and b.exists()


def left_over_copy(folder):
    """A copy of a run that crashed, as the next start lists it."""
    crashed = rc.RecoverySession(folder)
    path = rc.write_recovery(SAMPLE, crashed.new_copy_path("a"), source=None, name="a", session=crashed)
    crashed.close()
    return path


def session_in(path) -> str:
    return json.loads(path.read_bytes())["recovery"]["session"]


def test_discarding_a_left_over_copy_spares_it_once_another_start_restored_it(tmp_path):
    """Two starts after one crash list the same copy; one restores it and its window rewrites the copy as its
    own. Discard in the other must leave it: it protects that window's unsaved piece now."""
    path = left_over_copy(tmp_path)
    other_start = rc.RecoverySession(tmp_path)
    rc.write_recovery(SAMPLE, path, source=None, name="a", session=other_start)  # restored there
    assert not rc.discard_left_over(path)
    assert session_in(path) == other_start.id and list(tmp_path.glob("*.muse")) == [path]
    other_start.close()  # that run crashed too: the copy is left over again, and can go
    assert rc.discard_left_over(path) and not path.exists()


def test_a_copy_restored_elsewhere_is_spared_on_a_file_system_without_hard_links(tmp_path, monkeypatch):
    def no_links(*_a):
        raise PermissionError(1, "Operation not permitted")

    path = left_over_copy(tmp_path)
    other_start = rc.RecoverySession(tmp_path)
    rc.write_recovery(SAMPLE, path, source=None, name="a", session=other_start)
    monkeypatch.setattr(rc.os, "link", no_links)
    assert not rc.discard_left_over(path)
    assert session_in(path) == other_start.id and list(tmp_path.glob(".*")) == []
    other_start.close()


def test_a_copy_restored_elsewhere_while_discard_decides_is_spared(tmp_path, monkeypatch):
    """The other start restores the copy between Discard's look at whose it is and the delete: the copy that
    window wrote survives (a look, then a delete, deleted it)."""
    path = left_over_copy(tmp_path)
    other_start = rc.RecoverySession(tmp_path)
    look = rc.session_alive

    def restored_meanwhile(session, folder):
        alive = look(session, folder)
        monkeypatch.setattr(rc, "session_alive", look)
        rc.write_recovery(SAMPLE, path, source=None, name="a", session=other_start)
        return alive

    monkeypatch.setattr(rc, "session_alive", restored_meanwhile)
    rc.discard_left_over(path)
    assert path.exists() and session_in(path) == other_start.id
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == [path.name]  # nothing else left
    other_start.close()


def test_an_unencodable_source_name_still_autosaves(tmp_path):
    s = rc.RecoverySession(tmp_path)
    source = tmp_path / "caf\udce9.muse"  # bytes that are not UTF-8, as os.listdir gives them
    path = rc.write_recovery(SAMPLE, s.new_copy_path(source.name), source=source, name="caf?.muse", session=s)
    s.close()
    (found,) = rc.find_recoveries(tmp_path)
    assert found.path == path and found.source == source


def test_default_folder_is_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    s = rc.RecoverySession()
    path = rc.write_recovery(SAMPLE, s.new_copy_path("a"), source=None, name="a", session=s)
    assert path.is_relative_to(tmp_path)
    s.close()
    assert [r.path for r in rc.find_recoveries()] == [path]


class Killed(BaseException):
    """The process killed: nothing after it runs (its ``finally`` blocks neither)."""


def killed_while_discarding(path, monkeypatch) -> None:
    """Discard of the copy at ``path`` killed right after moving it aside, before it looked at whose it is."""

    def kill(*_a):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(rc, "session_alive", kill)
        m.setattr(rc.Path, "unlink", lambda self, missing_ok=False: None)  # the finally never runs
        with contextlib.suppress(Killed):
            rc.discard_left_over(path)


def hidden(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_discard_killed_halfway_is_finished_at_a_later_start(tmp_path, monkeypatch):
    """A kill between Discard's move aside and its delete left the hidden copy in the recovery folder for
    good, listed by no start. A start a while later finishes the discard the user chose."""
    path = left_over_copy(tmp_path)
    killed_while_discarding(path, monkeypatch)
    assert not path.exists() and len(hidden(tmp_path)) == 1
    assert rc.find_recoveries(tmp_path) == [] and len(hidden(tmp_path)) == 1  # another run's may be under way
    later = time.time() + rc.DAMAGED_GRACE_S + 1
    monkeypatch.setattr(rc.time, "time", lambda: later)
    assert rc.find_recoveries(tmp_path) == [] and hidden(tmp_path) == [] and not path.exists()


def test_a_discard_killed_halfway_puts_back_a_copy_another_start_restored(tmp_path, monkeypatch):
    """The killed discard had moved aside a copy another start restored meanwhile (it protects that window's
    unsaved piece): finishing it puts the copy back, as the discard would have."""
    path = left_over_copy(tmp_path)
    other_start = rc.RecoverySession(tmp_path)
    rc.write_recovery(SAMPLE, path, source=None, name="a", session=other_start)  # restored there
    killed_while_discarding(path, monkeypatch)
    later = time.time() + rc.DAMAGED_GRACE_S + 1
    monkeypatch.setattr(rc.time, "time", lambda: later)
    rc.find_recoveries(tmp_path)
    assert hidden(tmp_path) == [] and session_in(path) == other_start.id
    other_start.close()
