"""Generate on a piece whose beat holds no whole sixteenths (a MIDI file of 90 ticks a beat), through the window.

Before, the panel said "Generation failed: ValueError: 90 ticks per beat cannot hold 4 steps per beat" for
every mode and engine, and the seed's style could not be read. The committed models write the takes.
"""

from __future__ import annotations

import pytest
from test_generate_ui import choose, press_generate

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import CONTINUE, PARTS, missing_model
from musestudio.ui.generate.seed_style import SEED

TPB = 90
BAR = 4 * TPB

pytestmark = pytest.mark.skipif(missing_model(CONTINUE, PARTS) is not None, reason="no committed parts model")


def ninety_ticks_project() -> Project:
    melody = Track(
        name="Melody", notes=tuple(Note(72 + (0, 2, 4, 5)[i % 4], i * TPB, TPB, 90) for i in range(8))
    )
    bass = Track(name="Bass", program=33, channel=1, notes=(Note(48, 0, BAR, 70), Note(43, BAR, BAR, 70)))
    return Project(ticks_per_beat=TPB, tracks=(melody, bass))


def test_continue_on_a_piece_of_90_ticks_a_beat_lists_takes_and_keep_leaves_the_seed_as_it_was(
    qtbot, make_window
):
    window = make_window(ninety_ticks_project())
    before = window.document.project
    gen = window.generate
    choose(window, CONTINUE, bars=1, variations=2)  # the default engine, every track; the style unread
    assert gen.panel.choices()["engine"] == PARTS
    press_generate(qtbot, window)
    assert gen.seed_style.source == SEED  # the seed's style was read first
    assert len(gen.takes) == 2 and window.document.project is before
    for take in gen.takes:
        assert (take.start, take.end) == (2 * BAR, 3 * BAR)
        assert take.notes and all(2 * BAR <= n.start < 3 * BAR for n in take.notes)
    take = gen.current_take()
    assert gen.keep()
    for old, new in zip(before.tracks, window.document.project.tracks, strict=True):
        kept = {n.id: n for n in new.notes}
        assert all(kept.get(n.id) == n for n in old.notes)  # every note of the seed, id and all
        assert len(new.notes) == len(old.notes) + len(dict(take.parts).get(old.id, ()))
    window.undo_stack.undo()
    assert window.document.project.tracks == before.tracks
