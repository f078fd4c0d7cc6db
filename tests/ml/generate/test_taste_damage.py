"""A damaged taste file is moved aside with a note and counts as none; a batch with an empty take ranks.

The damaged contents are those the reliability trial met (``{"decisions":[1,2]}``, stats of the wrong length)
and their neighbours; each must leave ranking working and the user's bytes kept, byte for byte, beside.
"""

from __future__ import annotations

import json
import random

import pytest

from musestudio.core.note import Note
from musestudio.io import userdata
from musestudio.ml.generate.taste import STAT_NAMES, Taste, take_features

TPB = 480
GOOD = {"kept": True, "style": "bach", "engine": "transformer", "time": 0, "stats": [0.5] * len(STAT_NAMES)}


def decision(**changes) -> dict:
    return {**GOOD, **changes}


DAMAGED = {
    "decisions of numbers, no version": b'{"decisions":[1,2]}',
    "decisions of numbers": b'{"version":1,"decisions":[1,2]}',
    "decisions not a list": b'{"version":1,"decisions":"all of them"}',
    "a list, not a table": b"[1, 2]",
    "not JSON": b"{not json",
    "empty file": b"",
    "not UTF-8": b'{"version":1,"decisions":[]}\xff\xfe',
    # (a version above ours is a newer MuseStudio's file, left where it is: tests/io/test_userdata.py)
    "a version no MuseStudio wrote": b'{"version":0,"decisions":[]}',
    "a version that is a word": b'{"version":"2","decisions":[]}',
    "kept is a word": json.dumps({"version": 1, "decisions": [decision(kept="yes")]}).encode(),
    "no style": json.dumps({"version": 1, "decisions": [decision(style=None)]}).encode(),
    "stats too short": json.dumps({"version": 1, "decisions": [GOOD, decision(stats=[0.5] * 9)]}).encode(),
    "stats too long": json.dumps({"version": 1, "decisions": [decision(stats=[0.5] * 11)]}).encode(),
    "stats of words": json.dumps({"version": 1, "decisions": [decision(stats=["a"] * 10)]}).encode(),
    "stats with NaN": json.dumps({"version": 1, "decisions": [decision(stats=[float("nan")] * 10)]}).encode(),
    "embedding not a list": json.dumps({"version": 1, "decisions": [decision(embedding="x")]}).encode(),
}


def moved_aside(folder) -> list:
    """The damaged taste files moved aside in ``folder`` (not the notes beside them)."""
    return [p for p in folder.glob("taste.json.damaged-*") if p.suffix != ".txt"]


def tune(rng: random.Random, busy: bool) -> list[Note]:
    step = TPB // 4 if busy else 2 * TPB
    base = 76 if busy else 52
    return [Note(base + rng.choice((0, 2, 4, 7)), i * step, step, 80) for i in range(16 * TPB // step)]


def embedding(rng: random.Random, width: int = 384) -> tuple[float, ...]:
    return tuple(rng.gauss(0, 1) for _ in range(width))


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_file_is_moved_aside_with_a_note_and_counts_as_none(tmp_path, content):
    path = tmp_path / "taste.json"
    path.write_bytes(content)
    taste = Taste.load(path)
    assert taste.decisions == [] and taste.path == path
    aside = moved_aside(tmp_path)
    assert len(aside) == 1 and aside[0].read_bytes() == content  # the user's decisions are kept, as they were
    assert aside[0].with_name(aside[0].name + ".txt").is_file()  # the note beside it
    assert not path.exists()
    assert "moved to" in taste.note and str(aside[0]) in taste.note
    assert taste.pop_note() and taste.pop_note() is None  # said once

    rng = random.Random(1)  # taste works again from scratch: keeps, discards, ranking, a new file
    taste.record(take_features(tune(rng, True), tpb=TPB), True, "bach")
    taste.record(take_features(tune(rng, False), tpb=TPB), False, "bach")
    ranked = taste.rank([0.5, 0.5], [take_features(tune(rng, b), tpb=TPB) for b in (True, False)])
    assert len(ranked) == 2 and ranked[0].taste is not None
    assert [d["kept"] for d in Taste.load(path).decisions] == [True, False]
    assert aside[0].read_bytes() == content  # the new file went beside it, not over it


def test_two_damaged_files_in_one_second_are_both_kept(tmp_path):
    path = tmp_path / "taste.json"
    for content in (b"[1]", b"[2]"):
        path.write_bytes(content)
        Taste.load(path)
    assert sorted(p.read_bytes() for p in moved_aside(tmp_path)) == [b"[1]", b"[2]"]


def test_a_file_that_cannot_be_moved_aside_is_never_written_over(tmp_path, monkeypatch):
    """An injected failure to rename (a read-only folder; the tests run as root, which ignores modes)."""

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "taste.json"
    path.write_bytes(b'{"version":1,"decisions":[1,2]}')
    monkeypatch.setattr(userdata.os, "replace", refuse)
    taste = Taste.load(path)
    assert taste.decisions == [] and taste.path is None and "not saved" in taste.note
    taste.record(take_features(tune(random.Random(2), True), tpb=TPB), True, "bach")
    assert path.read_bytes() == b'{"version":1,"decisions":[1,2]}'


def test_a_valid_file_loads_untouched(tmp_path):
    path = tmp_path / "taste.json"
    data = {"version": 1, "decisions": [GOOD, decision(kept=False, embedding=[0.1, 0.2])]}
    path.write_text(json.dumps(data))
    taste = Taste.load(path)
    assert taste.decisions == data["decisions"] and taste.note is None and path.is_file()
    assert not list(tmp_path.glob("taste.json.damaged-*"))


@pytest.mark.parametrize("empty_at", [0, 1, 3])
def test_a_batch_with_an_empty_take_ranks(empty_at):
    """Once kept and discarded takes carry phrase embeddings, a batch holding an empty take (no notes, so no
    embedding) failed: "operands could not be broadcast together with shapes (0,) (384,)"."""
    rng = random.Random(5)
    taste = Taste()
    for _ in range(6):
        taste.record(take_features(tune(rng, True), tpb=TPB, embedding=embedding(rng)), True, "bach")
        taste.record(take_features(tune(rng, False), tpb=TPB, embedding=embedding(rng)), False, "bach")
    batch = [take_features(tune(rng, i % 2 == 0), tpb=TPB, embedding=embedding(rng)) for i in range(3)]
    batch.insert(empty_at, take_features([], tpb=TPB, embedding=()))
    ranked = taste.rank([0.4, 0.5, 0.6, 0.7], batch)
    assert sorted(r.index for r in ranked) == [0, 1, 2, 3]
    assert all(r.taste is not None and 0.0 <= r.taste <= 1.0 for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_the_start_up_check_and_the_taste_loader_move_a_file_aside_once(tmp_path):
    """Both go through ``userdata.read_taste_file``: the start-up check (which does not know how many
    statistics a take has) moves a broken structure aside; the loader also refuses the wrong number of them.
    Neither moves a file the other already moved, and a sound file is left alone by both."""
    path = tmp_path / "taste.json"
    path.write_bytes(b'{"decisions":[1,2]}')
    moved = userdata.check_taste_file(path)
    assert moved is not None and not path.exists()
    taste = Taste.load(path)
    assert taste.decisions == [] and taste.note is None and len(moved_aside(tmp_path)) == 1

    short = json.dumps({"version": 1, "decisions": [decision(stats=[0.5] * 3)]}).encode()
    path.write_bytes(short)
    assert userdata.check_taste_file(path) is None and path.read_bytes() == short
    assert Taste.load(path).note and len(moved_aside(tmp_path)) == 2 and not path.exists()

    path.write_text(json.dumps({"version": 1, "decisions": [GOOD]}))
    assert userdata.check_taste_file(path) is None
    assert Taste.load(path).decisions == [GOOD] and len(moved_aside(tmp_path)) == 2
