"""A damaged taste file met through the real window: Generate still works, the file is moved aside, and the
panel says so once beside the result."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_generate_ui import choose, melody_project, needs, press_generate

from musestudio.ml.engines import CONTINUE
from musestudio.paths import user_data_dir


@needs(CONTINUE, "transformer")
def test_generate_works_and_says_the_damaged_taste_file_was_moved(qtbot, make_window):
    damaged = b'{"version":1,"decisions":[1,2]}'
    (user_data_dir() / "taste.json").write_bytes(damaged)  # the tests' private data folder (conftest)
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    assert len(window.generate.takes) == 2
    message = window.generate.panel.message.text()
    assert "taste file could not be used" in message and "moved to" in message
    aside = [p for p in user_data_dir().glob("taste.json.damaged-*") if p.suffix != ".txt"]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged

    qtbot.mouseClick(window.generate.takes_panel.keep, Qt.MouseButton.LeftButton)
    assert [d["kept"] for d in window.generate.taste.decisions] == [True]
    assert (user_data_dir() / "taste.json").is_file()  # a fresh file beside the damaged one
    press_generate(qtbot, window)
    assert "moved to" not in window.generate.panel.message.text()  # said once
