"""A take listed again from a recovery copy shows the seed that draws it, or none, and says why.

A copy written before Arrange's takes had seeds of their own gave each Arrange take its run's seed, which now
draws the run's first take: restored, take 3 showed a seed that drew take 1. Where its place in the run draws
it (a run's seed below 2^24 and a style whose parts are all by rule) it shows that place's seed; elsewhere it
shows none, and the Seed cell's tooltip says why."""

from __future__ import annotations

import json
from dataclasses import replace

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import ARRANGE, CONTINUE, PARTS
from musestudio.ml.generate.request import RUN_SEEDS, SEEDS, Options, Request, Take
from musestudio.ui.generate.takes_panel import SEED
from musestudio.ui.generate.takes_recovery import takes_from_dict, takes_to_dict

TPB = 480


def piece() -> Project:
    return Project(
        tracks=(Track(name="Tune", notes=tuple(Note(60 + i, i * TPB, TPB, 90) for i in range(8))),)
    )


def takes_of(
    project: Project, mode: str, style: str, seeds: list[int], numbers: list[int]
) -> tuple[Take, ...]:
    tune = project.tracks[0]
    request = Request(
        mode, PARTS, tune.notes, TPB, project.time_signatures, Options(style=style), track_id=tune.id
    )
    notes = (Note(72, 0, TPB, 80),)
    return tuple(
        Take(n, notes, 0, 4 * TPB, PARTS, style, seed, None, None, 0.5, request=request)
        for n, seed in zip(numbers, seeds, strict=True)
    )


def written_before(project: Project, takes: tuple[Take, ...]) -> dict:
    """The block a MuseStudio before takes had seeds of their own wrote: without ``own_seeds``."""
    block = json.loads(json.dumps(takes_to_dict(project, takes, list(range(len(takes))))))
    del block["own_seeds"]
    return block


def seeds_read(project: Project, block: dict) -> list[int | None]:
    return [t.seed for t in takes_from_dict(project, block)]


def test_an_arrange_take_of_an_older_copy_shows_the_seed_of_its_place_in_the_run():
    """Jazz's parts are all by rule: take n of run 42 is place n - 1, and its seed 42 + 2^24 x (n - 1)."""
    project = piece()
    block = written_before(project, takes_of(project, ARRANGE, "jazz", [42, 42], [1, 3]))
    assert seeds_read(project, block) == [42, 42 + 2 * RUN_SEEDS]


def test_an_arrange_take_of_an_older_copy_no_seed_is_sure_to_draw_shows_none():
    """Bach's parts are the model's, whose rows grew with the takes asked for then (not in the copy); a run's
    seed over 2^24 now names another run's place; a learned style drew as many rows as takes."""
    project = piece()
    for style, seed in (("bach", 42), ("jazz", 123_456_789), ("my jigs", 42)):
        block = written_before(project, takes_of(project, ARRANGE, style, [seed, seed], [1, 2]))
        assert seeds_read(project, block) == [None, None], style


def test_takes_of_other_modes_and_of_newer_copies_keep_their_seeds():
    project = piece()
    block = written_before(project, takes_of(project, CONTINUE, "jazz", [42, 43], [1, 2]))
    assert seeds_read(project, block) == [42, 43]  # each always had its own
    own = takes_of(project, ARRANGE, "bach", [42 + RUN_SEEDS, 42], [2, 1])
    assert seeds_read(project, takes_to_dict(project, own, [0, 1])) == [42 + RUN_SEEDS, 42]


def test_a_take_drawn_past_the_seed_box_shows_none():
    """An older app's take 2 of seed 2^31 - 1 showed 2^31: seeds go round there now, so it draws another."""
    project = piece()
    block = written_before(project, takes_of(project, CONTINUE, "jazz", [SEEDS - 1, SEEDS], [1, 2]))
    assert seeds_read(project, block) == [SEEDS - 1, None]


def test_a_take_with_no_seed_is_written_as_none_in_a_format_older_apps_refuse():
    """Written again (the next autosave after the restore), a take with no seed stays one; an older app
    would stop at the null seed, so the format says it cannot read the takes instead."""
    project = piece()
    (take,) = takes_of(project, ARRANGE, "bach", [42], [2])
    block = json.loads(json.dumps(takes_to_dict(project, (replace(take, seed=None),), [0])))
    assert block["format"] == 4 and block["takes"][0]["seed"] is None
    assert seeds_read(project, block) == [None]
    assert takes_to_dict(project, (take,), [0])["format"] == 2


def test_the_takes_panel_says_why_a_recovered_take_has_no_seed(make_window):
    window = make_window(piece())
    project = window.document.project
    takes = takes_of(project, ARRANGE, "bach", [42], [3]) + takes_of(project, ARRANGE, "jazz", [42], [3])
    window.generate.restore_takes(written_before(project, takes))
    rows = [window.generate.takes_panel.list.topLevelItem(r) for r in range(2)]
    assert [row.text(SEED) for row in rows] == ["—", str(42 + 2 * RUN_SEEDS)]
    assert rows[0].toolTip(SEED).startswith("No seed: this take was recovered from a copy an earlier version")
    assert rows[1].toolTip(SEED).startswith("This take's own seed")
    assert "no seed (recovered from an earlier version)" in rows[0].toolTip(0)
