"""Damaged user files are moved aside with a note and count as none."""

from __future__ import annotations

import json

import pytest

from musestudio.io.userdata import check_taste_file, move_aside, read_taste_file, taste_problem

GOOD = {"version": 1, "decisions": [{"kept": True, "style": "folk", "stats": [0.1, 0.2], "embedding": []}]}


@pytest.mark.parametrize(
    "content",
    [
        b'{"decisions":[1,2]}',
        b'{"version":1,"decisions":[1,2]}',
        b'{"version":1,"decisions":[{"kept":true,"style":"x","stats":["a"]}]}',
        b'{"version":1,"decisions":[{"kept":true,"style":"x","stats":[NaN]}]}',
        b"\x00\x01garbage",
        b"[]",
        b'{"version":1,"decisions":{}}',
    ],
)
def test_a_damaged_taste_file_is_moved_aside_with_a_note(tmp_path, content):
    taste = tmp_path / "taste.json"
    taste.write_bytes(content)
    moved = check_taste_file(taste)
    assert moved is not None and not taste.exists()
    assert moved.moved_to.read_bytes() == content  # nothing lost
    note = moved.note.read_text()
    assert moved.problem in note and "taste.json" in note
    assert "moved aside" in moved.message()


def test_a_sound_or_missing_taste_file_is_left_alone(tmp_path):
    taste = tmp_path / "taste.json"
    assert check_taste_file(taste) is None
    taste.write_text(json.dumps(GOOD))
    assert check_taste_file(taste) is None and taste.exists()
    assert taste_problem(json.dumps(GOOD).encode()) is None


def test_a_taste_file_of_a_newer_musestudio_is_left_where_it_is_and_never_written(tmp_path):
    """It is not damaged: moved aside, the newer MuseStudio would no longer find it. It counts as none here,
    and the taste never writes over it."""
    from musestudio.ml.generate.taste import Taste

    taste = tmp_path / "taste.json"
    newer = json.dumps({"version": 2, "decisions": [{"new": "shape"}]}).encode()
    taste.write_bytes(newer)
    assert check_taste_file(taste) is None and taste.read_bytes() == newer
    found = read_taste_file(taste)
    assert found.decisions == [] and found.moved is None and "newer MuseStudio" in found.stuck
    loaded = Taste.load(taste)
    assert loaded.path is None and "newer MuseStudio" in loaded.pop_note()
    assert list(tmp_path.iterdir()) == [taste] and taste.read_bytes() == newer


def test_moving_aside_twice_in_one_second_keeps_both(tmp_path):
    f = tmp_path / "x.conf"
    f.write_text("one")
    a = move_aside(f, "bad", "settings")
    f.write_text("two")
    b = move_aside(f, "bad", "settings")
    assert a.moved_to != b.moved_to and a.moved_to.read_text() == "one" and b.moved_to.read_text() == "two"
