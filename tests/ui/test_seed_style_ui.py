"""The Generate panel's style follows the piece: the seed's own style as the classifier reads it (never
silently the first style of the list), or the style the user picked for that piece, remembered per file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_generate_ui import TIMEOUT_MS, choose, press_generate

from musestudio.core.project import Project
from musestudio.io import formats
from musestudio.ml.engines import CONTINUE, missing_model, trained_styles
from musestudio.ml.generate import service
from musestudio.ml.generate.taste import Taste
from musestudio.ml.styles import STYLES
from musestudio.ui.generate.seed_style import CHOSEN, SEED

SEEDS = Path(__file__).resolve().parents[2] / "resources" / "seeds"
MODELS = Path(__file__).resolve().parents[2] / "models"

pytestmark = pytest.mark.skipif(
    missing_model(CONTINUE, "parts") is not None or not (MODELS / "style_classifier.safetensors").is_file(),
    reason="no committed parts model or style classifier",
)


def reading(project: Project, engine: str) -> str | None:
    """What the style classifier hears in the whole piece (its pitched tracks), with no taste yet."""
    notes = [n for t in project.tracks if not t.is_drum for n in t.notes]
    return service.suggest_style(
        notes,
        tpb=project.ticks_per_beat,
        time_signatures=project.time_signatures,
        taste=Taste(),
        candidates=list(trained_styles(CONTINUE, engine) or STYLES),
    )


def opened(window, path: Path):
    assert window.files.open_path(path, ask=False)
    return window.generate


def test_generate_reads_the_seeds_style_first_and_writes_the_takes_in_it(qtbot, make_window, tmp_path):
    """A pop seed, no style picked: the first Generate reads the seed and the takes are in its style."""
    window = make_window()
    gen = opened(window, SEEDS / "demo.mid")
    panel = gen.panel
    assert gen.seed_style.source is None
    assert "reads the style from the seed" in panel.style_description.text()
    choose(window, CONTINUE, bars=1, variations=2)
    expected = reading(window.document.project, panel.choices()["engine"])
    assert expected is not None
    press_generate(qtbot, window)
    assert panel.choices()["style"] == expected and gen.seed_style.source == SEED
    assert gen.takes and {t.style for t in gen.takes} == {expected}
    assert "What the seed sounds like" in panel.style_description.text()


def test_a_style_picked_by_hand_wins_and_comes_back_with_the_piece(qtbot, make_window, tmp_path):
    song = tmp_path / "song.mid"
    shutil.copy(SEEDS / "demo.mid", song)
    window = make_window()
    gen = opened(window, song)
    panel = gen.panel
    choose(window, CONTINUE, bars=1, variations=1)
    expected = reading(window.document.project, panel.choices()["engine"])
    panel.style.setFocus()
    qtbot.keyClick(panel.style, Qt.Key.Key_Down)  # as a user picks from the list
    picked = panel.choices()["style"]
    assert picked != expected and gen.seed_style.source == CHOSEN
    assert "Your choice for this piece" in panel.style_description.text()
    press_generate(qtbot, window)
    assert {t.style for t in gen.takes} == {picked}  # no reading overrode it
    assert panel.choices()["style"] == picked

    other = make_window()
    gen2 = opened(other, SEEDS / "melody_6_8.mid")  # another piece: not the pick
    assert gen2.seed_style.source is None
    gen2 = opened(other, song)  # the same piece again, in another window
    assert gen2.panel.choices()["style"] == picked and gen2.seed_style.source == CHOSEN
    assert "Your choice for this piece" in gen2.panel.style_description.text()


def test_once_warm_the_seed_is_read_in_the_generation_process_without_a_click(qtbot, make_window):
    window = make_window(formats.load(SEEDS / "demo.mid"))
    gen = window.generate
    gen.panel.device.setCurrentIndex(gen.panel.device.findData("cpu"))
    expected = reading(window.document.project, gen.panel.choices()["engine"])
    with qtbot.waitSignal(gen.warmed, timeout=TIMEOUT_MS):
        gen.warm_up()
    qtbot.waitUntil(lambda: gen.seed_style.source == SEED, timeout=TIMEOUT_MS)
    assert gen.panel.choices()["style"] == expected and not gen.busy
    calls = []
    process = gen._process
    real_call = process.call
    process.call = lambda *a, **k: calls.append(a[0].__name__) or real_call(*a, **k)
    gen.suggest_style()  # the Suggest button reads there too
    qtbot.waitUntil(lambda: calls == ["suggest_style"] and not gen.seed_style.runner.busy, timeout=TIMEOUT_MS)
    assert gen.panel.choices()["style"] == expected


def test_a_piece_of_drums_alone_shows_pop_not_the_first_style_until_the_user_picks(qtbot, make_window):
    """A drum beat opened to write a bass to: there is no seed to read a style from, and the panel showed
    Bach chorale (the first of the list) under "Generate reads the style from the seed first", so the bass
    came back a chorale's. It shows pop and says why; a style the user picks wins."""
    window = make_window()
    gen = opened(window, SEEDS / "drums.mid")
    panel = gen.panel
    assert panel.choices()["style"] == "pop" and gen.seed_style.source is None
    assert "Drums alone have no style to read" in panel.style_description.text()
    panel.style.setFocus()
    qtbot.keyClick(panel.style, Qt.Key.Key_Up)  # as a user picks from the list
    assert panel.choices()["style"] != "pop" and gen.seed_style.source == CHOSEN
    assert "Your choice for this piece" in panel.style_description.text()
