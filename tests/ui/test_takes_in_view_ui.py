"""The takes a Generate lists are drawn where the musician can see them: every note of them in the roll's
rows, not only in its bars (an arranged bass under the tune, a tune moved up an octave)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from musestudio.core.note import Note
from musestudio.ml.generate.request import Outcome, Take
from musestudio.ui.files import new_project


def answers_with(pitches):
    """A Generate that answers at once with two takes of ``pitches`` in the bar after the seed."""

    def run(request, taste, report, say, cancel, early=None):
        a = request.after
        takes = tuple(
            Take(
                i,
                tuple(Note(p, a + k * 240, 240, 90) for k, p in enumerate(pitches)),
                a,
                a + 1920,
                request.engine,
                request.options.style,
                i,
                None,
                None,
                0.5,
            )
            for i in (1, 2)
        )
        return Outcome(request, takes, "cpu")

    return run


def generate(qtbot, window, monkeypatch, pitches) -> None:
    gen = window.generate
    monkeypatch.setattr(gen, "run_target", lambda: answers_with(pitches))
    with qtbot.waitSignal(gen.generation_finished, timeout=30_000):
        qtbot.mouseClick(gen.panel.button, Qt.MouseButton.LeftButton)
    assert len(gen.takes) == 2


def in_view(view, pitch: int) -> bool:
    return 0 <= view.pitch_to_y(pitch) and view.pitch_to_y(pitch) + view.row_px <= view.viewport().height()


def test_a_take_with_a_low_bass_and_a_high_tune_is_drawn_whole(qtbot, make_window, monkeypatch):
    """Before: the roll scrolled to the takes' bars only, so an Arrange take's bass (two octaves under
    the seed) was drawn out of sight and the take looked as if it had none."""
    window = make_window()
    view = window.roll.view
    assert not in_view(view, 28) or not in_view(view, 96)  # the seed's rows, as the window opens
    generate(qtbot, window, monkeypatch, [28, 40, 84, 96])
    assert all(in_view(view, p) for p in (28, 40, 84, 96))


def test_takes_already_in_view_leave_the_rows_where_the_musician_put_them(qtbot, make_window, monkeypatch):
    window = make_window()
    view = window.roll.view
    rows = view.verticalScrollBar().value(), view.row_px
    shown = [p for p in range(60, 72) if in_view(view, p)]
    assert len(shown) >= 4
    generate(qtbot, window, monkeypatch, shown[:4])
    assert (view.verticalScrollBar().value(), view.row_px) == rows


def test_the_empty_piece_hint_gives_way_to_the_takes_of_a_generate(qtbot, make_window, monkeypatch):
    """Generate on the empty piece: the hint ("... let the app write some: Generate (Ctrl+G)") was written
    across the takes' notes, telling the musician to do what they had done."""
    window = make_window(new_project())
    view = window.roll.view
    assert view.shows_hint()
    generate(qtbot, window, monkeypatch, [60, 64, 67, 72])
    assert not view.shows_hint()
    window.generate.takes_panel.discard_all.click()
    assert not window.generate.takes and view.shows_hint()
