"""The Generate panel offers the engines a musician can use: Markov is the evaluation's floor, not a choice."""

from __future__ import annotations

from musestudio.ml.engines import CONTINUE, ENGINES


def test_continue_lists_its_engines_without_the_markov_floor(qtbot, make_window):
    panel = make_window().generate.panel
    panel.set_mode(CONTINUE)
    listed = [panel.engine.itemData(i) for i in range(panel.engine.count())]
    assert listed == list(ENGINES[CONTINUE]) and "markov" not in listed
