"""Saving over what is already there: symlinks, hard links, permissions, read-only files, long and
unencodable names, full disks and the temp files of killed saves."""

from __future__ import annotations

import errno
import os
import stat
import time

import pytest

from musestudio.core import BadInputError, Note, Project, Track
from musestudio.io import atomic
from musestudio.io import project_file as pf
from musestudio.io.files import file_stamp

SAMPLE = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480, 90), Note(67, 480, 240, 70))),))
OTHER = SAMPLE.with_tempo(90)


def test_save_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real" / "song.muse"
    real.parent.mkdir()
    pf.save_project(SAMPLE, real)
    link = tmp_path / "link.muse"
    link.symlink_to(real)
    pf.save_project(OTHER, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert pf.load_project(real) == OTHER


def test_save_keeps_permissions_and_hard_links(tmp_path):
    song = tmp_path / "song.muse"
    pf.save_project(SAMPLE, song)
    os.chmod(song, 0o640)
    twin = tmp_path / "twin.muse"
    os.link(song, twin)
    inode = song.stat().st_ino
    pf.save_project(OTHER, song)
    assert song.stat().st_ino == inode and song.stat().st_nlink == 2  # written in place: links kept
    assert pf.load_project(twin) == OTHER
    assert stat.S_IMODE(song.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_a_shorter_version_over_a_hard_linked_file_leaves_no_old_tail(tmp_path):
    song, twin = tmp_path / "song.muse", tmp_path / "twin.muse"
    big = Project(tracks=(Track(notes=tuple(Note(60, i * 10, 10) for i in range(500))),))
    pf.save_project(big, song)
    os.link(song, twin)
    pf.save_project(SAMPLE, song)
    assert pf.load_project(twin) == SAMPLE


def test_a_full_disk_while_saving_a_hard_linked_file_leaves_it_untouched(tmp_path, monkeypatch):
    song, twin = tmp_path / "song.muse", tmp_path / "twin.muse"
    pf.save_project(SAMPLE, song)
    os.link(song, twin)
    before = song.read_bytes()

    def full(*_a):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full)
    big = Project(tracks=(Track(notes=tuple(Note(60, i * 10, 10) for i in range(500))),))
    with pytest.raises(BadInputError, match="the disk is full"):
        pf.save_project(big, song)
    assert song.read_bytes() == before == twin.read_bytes()


def test_a_disk_error_in_the_middle_of_an_in_place_rewrite_says_so_and_keeps_the_complete_version(
    tmp_path, monkeypatch
):
    """Once a hard-linked file's own bytes begin to change, a failure may leave it half-written: the save
    says so and where the complete new version is, and keeps it (it was deleted, and the user was told
    only that the disk failed, as if the file were as before)."""
    song, twin = tmp_path / "song.muse", tmp_path / "twin.muse"
    pf.save_project(SAMPLE, song)
    os.link(song, twin)
    synced, real_fsync = [], os.fsync

    def fails_on_the_rewrite(fd):
        synced.append(fd)
        if len(synced) == 2:  # the first is the complete new version's, the second the rewritten file's
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fails_on_the_rewrite)
    with pytest.raises(BadInputError, match="may be half-written") as caught:
        pf.save_project(OTHER, song)
    monkeypatch.undo()
    (kept,) = tmp_path.glob(f".song.muse~*{atomic.INPLACE_SUFFIX}")
    assert caught.value.code == "save_half_written" and kept.name in str(caught.value)
    assert pf.load_project(kept) == OTHER


def test_a_read_only_file_is_replaced_only_when_the_user_agreed(tmp_path):
    song = tmp_path / "song.muse"
    pf.save_project(SAMPLE, song)
    os.chmod(song, 0o444)
    with pytest.raises(pf.ReadOnlyError, match="read-only"):
        pf.save_project(OTHER, song)
    assert pf.load_project(song) == SAMPLE
    pf.save_project(OTHER, song, replace_read_only=True)
    assert pf.load_project(song) == OTHER and stat.S_IMODE(song.stat().st_mode) == 0o444


def test_a_read_only_hard_linked_file_the_user_agreed_to_replace_keeps_its_other_names(tmp_path, monkeypatch):
    """Not writable, it was replaced by renaming a new file over it, which cut it off from its other names
    (they kept the old version). It is made writable for the rewrite in place, then read-only again. As
    root every file is writable, so ``os.access`` answers as it does for its owner."""
    real_access = os.access

    def as_its_owner(path, mode, **kw):
        if mode == os.W_OK and os.path.isfile(path):
            return bool(stat.S_IMODE(os.stat(path).st_mode) & stat.S_IWUSR)
        return real_access(path, mode, **kw)

    monkeypatch.setattr(os, "access", as_its_owner)
    song, twin = tmp_path / "song.muse", tmp_path / "twin.muse"
    pf.save_project(SAMPLE, song)
    os.link(song, twin)
    os.chmod(song, 0o444)
    inode = song.stat().st_ino
    pf.save_project(OTHER, song, replace_read_only=True)
    assert pf.load_project(twin) == OTHER and song.stat().st_ino == inode
    assert stat.S_IMODE(song.stat().st_mode) == 0o444


def test_full_disk_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    song = tmp_path / "song.muse"
    pf.save_project(SAMPLE, song)
    real_write = os.write

    def enospc(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", lambda fd: enospc(fd, b""))
    with pytest.raises(BadInputError, match="cannot save .*song.muse: the disk is full"):
        pf.save_project(OTHER, song)
    monkeypatch.setattr(os, "write", real_write)
    assert pf.load_project(song) == SAMPLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.muse"]


@pytest.mark.parametrize("length", [246, 250, 255])
def test_names_up_to_the_system_limit_save(tmp_path, length):
    name = "a" * (length - len(".muse")) + ".muse"
    assert len(name.encode()) == length
    pf.save_project(SAMPLE, tmp_path / name)
    assert pf.load_project(tmp_path / name) == SAMPLE


def test_a_long_multibyte_name_is_cut_on_a_character_boundary(tmp_path):
    name = "ü" * 125 + ".muse"  # 255 bytes
    pf.save_project(SAMPLE, tmp_path / name)
    assert pf.load_project(tmp_path / name) == SAMPLE
    tmp = atomic.temp_path_for(tmp_path / name)
    assert len(os.fsencode(tmp.name)) <= 255 and tmp.name.endswith(atomic.TEMP_SUFFIX)


@pytest.mark.parametrize("name", ["bad\ud800.muse", "latin\udce9.muse"])
def test_names_that_cannot_be_encoded_give_a_clear_error(tmp_path, name):
    with pytest.raises(BadInputError, match="not valid text"):
        pf.save_project(SAMPLE, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_in_a_track_name_saves_and_reads_back(tmp_path):
    damaged = Project(tracks=(Track(name="Piano \ud800", notes=(Note(60, 0, 480),)),))
    pf.save_project(damaged, tmp_path / "s.muse")
    assert pf.load_project(tmp_path / "s.muse") == damaged


def test_temp_files_of_killed_saves_are_cleaned_up_later(tmp_path):
    old = [
        tmp_path / f".song.muse~{'a' * 12}.mstmp",
        tmp_path / f".song.muse.{'b' * 12}.tmp",  # the shape earlier versions used
    ]
    fresh = tmp_path / f".other.muse~{'c' * 12}.mstmp"  # a save running right now elsewhere
    mine = tmp_path / ".hidden-notes.txt"
    for p in (*old, fresh, mine):
        p.write_bytes(b"{half")
    hour_ago = time.time() - 3600
    for p in (*old, mine):
        os.utime(p, (hour_ago, hour_ago))
    assert sorted(atomic.clean_stale_temps(tmp_path)) == sorted(old)
    assert fresh.exists() and mine.exists()


def test_a_killed_save_leaves_a_temp_that_the_cleanup_finds(tmp_path):
    import subprocess
    import sys

    child = (
        "import os, sys\n"
        "from musestudio.io.atomic import atomic_writer\n"
        "with atomic_writer(sys.argv[1]) as f:\n"
        "    f.write(b'half'); f.flush(); os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", child, str(tmp_path / "song.muse")], check=False)
    (left,) = list(tmp_path.iterdir())
    assert left.name.endswith(atomic.TEMP_SUFFIX)
    assert atomic.clean_stale_temps(tmp_path, older_than_s=0) == [left]
    assert list(tmp_path.iterdir()) == []


def test_file_stamp_tells_a_changed_file(tmp_path):
    song = tmp_path / "song.muse"
    pf.save_project(SAMPLE, song)
    before = file_stamp(song)
    assert file_stamp(song) == before
    pf.save_project(OTHER, song)
    assert file_stamp(song) != before
    assert file_stamp(tmp_path / "gone.muse") is None


def test_a_kill_during_an_in_place_rewrite_leaves_the_complete_version(tmp_path):
    import subprocess
    import sys

    song, twin = tmp_path / "song.muse", tmp_path / "twin.muse"
    pf.save_project(SAMPLE, song)
    os.link(song, twin)
    child = (
        "import os, sys\n"
        "from musestudio.io import atomic\n"
        "from musestudio.core import Project\n"
        "def dies(source, target):\n"
        "    with open(target, 'r+b') as f: f.write(b'half'); f.flush()\n"
        "    os._exit(9)\n"
        "atomic._rewrite_in_place = dies\n"
        "atomic.atomic_write_bytes(sys.argv[1], sys.stdin.buffer.read())\n"
    )
    new = pf.project_to_bytes(OTHER)
    subprocess.run([sys.executable, "-c", child, str(song)], input=new, check=False)
    (kept,) = tmp_path.glob(f".song.muse~*{atomic.INPLACE_SUFFIX}")
    assert kept.read_bytes() == new  # the complete new version survived the kill
    hour_ago = time.time() - 3600
    os.utime(kept, (hour_ago, hour_ago))
    assert atomic.clean_stale_temps(tmp_path) == [] and kept.exists()
