"""The Generate panel's style box, while the piece's style is still to be read from its seed, says so
("From the seed", "Reading the seed…") instead of showing a style: it read "Bach chorale", the first of
the list, until the reading came back (once the models had loaded, seconds later) and then jumped to the
seed's "Pop", and a musician took "Bach chorale" for the style Generate would write in."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from musestudio.core import Note, Project, Track
from musestudio.core.errors import Cancelled
from musestudio.ml.engines import CONTINUE, RESTYLE
from musestudio.ml.styles import STYLES
from musestudio.ui.generate.seed_style import CHOSEN, SEED

FIRST = next(iter(STYLES))


def a_piece() -> Project:
    return Project(tracks=(Track(name="Tune", notes=(Note(60, 0, 480), Note(64, 480, 480))),))


def shown(panel) -> str:
    """What the style box reads: its style's name, or its placeholder when it shows none."""
    box = panel.style
    return box.currentText() if box.currentIndex() >= 0 else box.placeholderText()


def reading_by_hand(seed_style, monkeypatch):
    """The seed's reading replaced by one this test answers (no models): returns (go, answer), where the
    test puts the style to answer in ``answer[0]`` and sets ``go``."""
    go, answer = threading.Event(), [None]

    def reader(_say, _cancel):
        go.wait(30)
        return answer[0]

    monkeypatch.setattr(seed_style, "_reader", lambda process_only: reader)
    return go, answer


def test_before_the_seed_is_read_the_box_says_the_style_comes_from_it(make_window):
    window = make_window(a_piece())
    panel, seed_style = window.generate.panel, window.generate.seed_style
    assert seed_style.source is None  # no models running here: read at Generate
    assert shown(panel) == "From the seed"
    assert "reads the style from the seed" in panel.style_description.text()
    assert panel.choices()["style"] == FIRST  # what Generate falls back on is as before
    assert panel.style.toolTip() == ""  # no style's description for a style not chosen


def test_while_the_seed_is_read_the_box_says_so_then_shows_the_seed_s_style(make_window, qtbot, monkeypatch):
    window = make_window(a_piece())
    panel, seed_style = window.generate.panel, window.generate.seed_style
    go, answer = reading_by_hand(seed_style, monkeypatch)
    seed_style.read()
    assert shown(panel) == "Reading the seed…"
    answer[0] = "pop"
    go.set()
    qtbot.waitUntil(lambda: seed_style.source == SEED, timeout=10_000)
    assert shown(panel) == "Pop" and panel.choices()["style"] == "pop"
    assert "What the seed sounds like" in panel.style_description.text()


def test_a_seed_that_cannot_be_read_shows_the_style_generate_writes_in(make_window, qtbot, monkeypatch):
    window = make_window(a_piece())
    panel, seed_style = window.generate.panel, window.generate.seed_style
    go, _answer = reading_by_hand(seed_style, monkeypatch)
    seed_style.read()
    go.set()  # no style read
    qtbot.waitUntil(lambda: seed_style.unread and not seed_style.runner.busy, timeout=10_000)
    assert panel.style.currentIndex() >= 0 and shown(panel) == panel.style.itemText(0)
    assert "pick one" in panel.style_description.text()


def test_a_style_picked_while_it_is_to_come_is_shown_and_kept(make_window, qtbot):
    window = make_window(a_piece())
    panel, seed_style = window.generate.panel, window.generate.seed_style
    panel.style.setFocus()
    qtbot.keyClick(panel.style, Qt.Key.Key_Down)  # as a user picks from the list
    assert seed_style.source == CHOSEN
    assert panel.style.currentIndex() >= 0 and shown(panel) == panel.style.currentText()
    assert panel.choices()["style"] == panel.style.currentData()


def test_restyle_shows_the_style_it_goes_to_and_continue_the_seed_s_to_come(make_window):
    """Restyle's style is the target the user picks, never the seed's: the box shows one."""
    window = make_window(a_piece())
    panel = window.generate.panel
    panel.set_mode(RESTYLE)
    assert panel.style.currentIndex() >= 0 and shown(panel) == panel.style.itemText(0)
    panel.set_mode(CONTINUE)
    assert shown(panel) == "From the seed"


def test_an_empty_piece_shows_the_style_generate_writes_in_until_it_has_notes(make_window):
    """With no notes there is no seed to read: Generate writes in the style shown."""
    window = make_window(Project(tracks=(Track(name="Empty"),)))
    panel = window.generate.panel
    assert panel.style.currentIndex() >= 0
    window.editor.add_note(60, 0, 480)
    assert shown(panel) == "From the seed"


def test_an_empty_piece_says_generate_writes_in_the_style_shown(make_window):
    """Under the style an empty piece shows, the panel said Generate reads the style from the seed first:
    there is no seed, and Generate writes in the style shown."""
    window = make_window(Project(tracks=(Track(name="Empty"),)))
    panel = window.generate.panel
    assert panel.style_description.text().startswith("No notes to read a style from yet")
    window.editor.add_note(60, 0, 480)
    assert "reads the style from the seed" in panel.style_description.text()
    window.undo_stack.undo()
    assert panel.style_description.text().startswith("No notes to read a style from yet")


def generate_reading_by_hand(window, seed_style, monkeypatch, reader):
    """Generate pressed with the seed's reading done by ``reader`` and a run that only notes the style it
    was asked for (no models), then stops as a cancel does: returns that list."""
    monkeypatch.setattr(seed_style, "_reader", lambda process_only: reader)
    asked = []

    def run(request, *_args):
        asked.append(request.options.style)
        raise Cancelled

    monkeypatch.setattr(window.generate, "run_target", lambda: run)
    return asked


def test_while_a_generate_reads_the_seed_the_box_says_so(make_window, qtbot, monkeypatch):
    """A Generate pressed before the seed's style was read reads it first, in its own job: the box said
    "From the seed" all the while, as if nothing were being read."""
    window = make_window(a_piece())
    gen = window.generate
    panel, seed_style = gen.panel, gen.seed_style
    go = threading.Event()
    asked = generate_reading_by_hand(
        window, seed_style, monkeypatch, lambda _say, _cancel: go.wait(30) and "pop"
    )
    assert shown(panel) == "From the seed"
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(panel) == "Reading the seed…", timeout=10_000)
    with qtbot.waitSignal(gen.generation_finished, timeout=10_000):
        go.set()
    assert asked == ["pop"]
    assert shown(panel) == "Pop" and seed_style.source == SEED


def test_a_generate_cancelled_while_it_reads_the_seed_leaves_the_box_saying_it_is_to_come(
    make_window, qtbot, monkeypatch
):
    window = make_window(a_piece())
    gen = window.generate
    panel, seed_style = gen.panel, gen.seed_style
    go = threading.Event()

    def reader(_say, _cancel):
        go.wait(30)
        raise Cancelled

    asked = generate_reading_by_hand(window, seed_style, monkeypatch, reader)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(panel) == "Reading the seed…", timeout=10_000)
    with qtbot.waitSignal(gen.generation_finished, timeout=10_000):
        go.set()
    assert asked == [] and seed_style.source is None
    assert shown(panel) == "From the seed"
