"""What the openers refuse before reading, and the words their errors use."""

from __future__ import annotations

import codecs
import os
import threading

import pytest

from musestudio.core import BadInputError, Note, Project, Track
from musestudio.io import files, formats
from musestudio.io import project_file as pf
from musestudio.io.midi import midi_from_bytes, read_midi, write_midi

SAMPLE = Project(tracks=(Track(name="Lead", notes=(Note(60, 0, 480, 90),)),))


@pytest.mark.parametrize("suffix", [".mid", ".muse"])
def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path, suffix):
    link = tmp_path / f"song{suffix}"
    link.symlink_to("/dev/zero")
    with pytest.raises(BadInputError, match="is a device, not a"):
        formats.load(link)


@pytest.mark.parametrize("suffix", [".mid", ".muse"])
def test_a_fifo_is_refused_without_hanging(tmp_path, suffix):
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    result = []
    worker = threading.Thread(target=lambda: result.append(_error_of(formats.load, fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "opening a FIFO hung"
    assert "is a pipe (FIFO)" in result[0]


def _error_of(fn, *args) -> str:
    try:
        fn(*args)
    except BadInputError as e:
        return str(e)
    return ""


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.mid"
    with open(big, "wb") as f:
        f.truncate(files.MAX_INPUT_BYTES + 1)  # sparse: no disk used
    read = []
    monkeypatch.setattr(os, "read", lambda *a: read.append(a))
    with pytest.raises(BadInputError, match="too big to be a MIDI file"):
        read_midi(big)
    assert read == []


def test_the_project_the_largest_midi_file_saves_as_opens_again(tmp_path, monkeypatch):
    """A project holds its notes in about 2.3 times MIDI's bytes: the app saved projects (a MIDI file of 28
    MB converted) that it then refused to open. A project may be four times MIDI's limit."""
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 4096)
    notes = tuple(Note(60 + i % 12, i * 120, 120) for i in range(400))
    project = Project(tracks=(Track(name="Long", notes=notes),))
    song, midi = tmp_path / "long.muse", tmp_path / "long.mid"
    pf.save_project(project, song)
    write_midi(project, midi)
    assert midi.stat().st_size <= files.MAX_INPUT_BYTES < song.stat().st_size
    assert pf.load_project(song).tracks[0].notes == notes
    with open(song, "ab") as f:
        f.truncate(4 * 4096 + 1)
    with pytest.raises(BadInputError, match="too big to be a MuseStudio project"):
        pf.load_project(song)


def test_a_project_with_a_byte_order_mark_opens(tmp_path):
    path = tmp_path / "bom.muse"
    path.write_bytes(codecs.BOM_UTF8 + pf.project_to_bytes(SAMPLE))
    assert pf.load_project(path) == SAMPLE


@pytest.mark.parametrize(
    "data",
    [
        # a note-on data byte with no status byte before it (mido: "running status without last_status")
        b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x08\x00\x3c\x40\x00\xff\x2f\x00\x00",
        # a data byte above 127
        b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x08\x00\x90\xff\x40\x00\xff\x2f\x00",
    ],
)
def test_midi_errors_speak_a_musicians_words(data):
    with pytest.raises(BadInputError) as info:
        midi_from_bytes(data, "x.mid")
    message = str(info.value)
    for jargon in ("last_status", "running status", "max() arg", "byte must be", "sequence"):
        assert jargon not in message
    assert message.startswith("x.mid is damaged or incomplete (")


def test_plain_reason_never_passes_python_jargon_through():
    assert (
        files.plain_reason(ValueError("max() arg is an empty sequence"))
        == "its events cannot be read as music"
    )
    assert files.plain_reason(EOFError()) == "it ends too early"
    assert "status byte" in files.plain_reason(OSError("running status without last_status"))


def test_a_damaged_project_says_where_without_parser_words(tmp_path):
    path = tmp_path / "broken.muse"
    path.write_bytes(pf.project_to_bytes(SAMPLE).replace(b'"tracks":', b'"tracks" ', 1))
    with pytest.raises(BadInputError) as info:
        pf.load_project(path)
    message = str(info.value)
    assert "is damaged at line" in message and "Expecting" not in message and "delimiter" not in message
