"""The Generate panel offers the engines a musician can use: Markov is the evaluation's floor, not a choice."""

from __future__ import annotations

from musestudio.ml.engines import CONTINUE, ENGINES, PARTS, REGENERATE, default_temperature


def test_continue_lists_its_engines_without_the_markov_floor(qtbot, make_window):
    panel = make_window().generate.panel
    panel.set_mode(CONTINUE)
    listed = [panel.engine.itemData(i) for i in range(panel.engine.count())]
    assert listed == list(ENGINES[CONTINUE]) and "markov" not in listed


def test_continue_defaults_to_the_parts_engine_at_its_own_temperature(qtbot, make_window):
    """Issue 13: parts is Continue's default, for one track as for many; the temperature starts at each
    engine's own (the parts model's figures were measured at 0.9) until the user sets one."""
    panel = make_window().generate.panel
    panel.set_mode(CONTINUE)
    assert ENGINES[CONTINUE][0] == PARTS
    assert panel.engine.currentData() == PARTS and panel.choices()["engine"] == PARTS
    assert panel.choices()["tracks"] == "all"  # a multi-track seed continues in every track
    assert panel.temperature.value() == default_temperature(PARTS) == 0.9
    panel.engine.setCurrentIndex(panel.engine.findData("transformer"))
    assert panel.temperature.value() == default_temperature("transformer") == 1.0
    panel.temperature.setValue(1.3)  # the user's own value stays whatever the engine
    panel.engine.setCurrentIndex(panel.engine.findData(PARTS))
    assert panel.temperature.value() == 1.3


def test_regenerate_selection_defaults_to_the_parts_engine_as_continue_does(qtbot, make_window):
    """Regenerate fills the selected bars hearing the other tracks when the engine is parts, so it is the
    default there too, whichever engine Continue was left on; the transformer stays offered."""
    panel = make_window().generate.panel
    assert ENGINES[REGENERATE] == (PARTS, "transformer")
    panel.set_mode(CONTINUE)
    panel.engine.setCurrentIndex(panel.engine.findData("seq2seq"))  # an engine Regenerate has not
    panel.set_mode(REGENERATE)
    listed = [panel.engine.itemData(i) for i in range(panel.engine.count())]
    assert listed == [PARTS, "transformer"]
    assert panel.choices()["engine"] == PARTS and panel.temperature.value() == default_temperature(PARTS)
