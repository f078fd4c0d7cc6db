"""The CLI meets the same save and open checks as the app: one `error:` line, exit 2."""

from __future__ import annotations

import os
import stat

from musestudio import cli
from musestudio.io import formats
from musestudio.paths import resource


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    return code, capsys.readouterr().err


def test_info_on_a_dev_zero_link_and_a_fifo(capsys, tmp_path):
    link = tmp_path / "zero.mid"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.mid"
    os.mkfifo(fifo)
    for path, words in ((link, "is a device"), (fifo, "is a pipe")):
        code, err = run(capsys, "info", path)
        assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and words in err


def test_convert_onto_a_pipe_or_a_device_says_what_has_the_name(capsys, tmp_path):
    """Nothing is written, nothing hangs, and the message names what is there (it said "a folder")."""
    pipe = tmp_path / "out.muse"
    os.mkfifo(pipe)
    device = tmp_path / "null.mid"
    device.symlink_to("/dev/null")
    for target, words in ((pipe, "a pipe (FIFO) has that name"), (device, "a device has that name")):
        code, err = run(capsys, "convert", resource("seeds", "demo.mid"), target)
        assert code == 2 and err.count("\n") == 1 and err.rstrip().endswith(words), err
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and device.is_symlink()


def test_convert_onto_a_read_only_file_is_refused(capsys, tmp_path):
    target = tmp_path / "out.muse"
    assert run(capsys, "convert", resource("seeds", "demo.mid"), target)[0] == 0
    before = target.read_bytes()
    os.chmod(target, 0o444)
    code, err = run(capsys, "convert", resource("seeds", "demo.mid"), target)
    assert code == 2 and "read-only" in err and err.count("\n") == 1
    assert target.read_bytes() == before


def test_convert_through_a_symlink_writes_the_target(capsys, tmp_path):
    real = tmp_path / "real.muse"
    link = tmp_path / "link.muse"
    link.symlink_to(real)
    assert run(capsys, "convert", resource("seeds", "demo.mid"), link)[0] == 0
    assert link.is_symlink() and formats.load(real).note_count > 0
