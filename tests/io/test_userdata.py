"""Damaged user files are moved aside with a note and count as none."""

from __future__ import annotations

import json

import pytest

from musestudio.io.userdata import check_taste_file, move_aside, taste_problem

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


def test_moving_aside_twice_in_one_second_keeps_both(tmp_path):
    f = tmp_path / "x.conf"
    f.write_text("one")
    a = move_aside(f, "bad", "settings")
    f.write_text("two")
    b = move_aside(f, "bad", "settings")
    assert a.moved_to != b.moved_to and a.moved_to.read_text() == "one" and b.moved_to.read_text() == "two"
