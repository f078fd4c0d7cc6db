"""Screenshots of the editor details (docs/): key rows, note names, chord names, the drag-out grip, the
bar:beat:tick Inspector and the empty-piece hint, at 1024x700 and at full size.

    xvfb-run -a .venv/bin/python scripts/editor_screenshots.py OUTDIR [--language zh_CN]

Writes OUTDIR/editor-details-1024x700.png, OUTDIR/editor-details-full.png and OUTDIR/editor-empty-1024x700.png
(with ``--language zh_CN``: the same names with -zh_CN). Nothing is saved to the user's files.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--language", default="en", choices=("en", "zh_CN"))
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="editor-shots-")
    os.environ["XDG_DATA_HOME"] = scratch
    os.environ["XDG_CONFIG_HOME"] = scratch

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window, install_translators
    from musestudio.core.keys import detect_key
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    install_translators(app, args.language)
    args.outdir.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.language == "en" else f"-{args.language}"

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def window_at(width: int, height: int, name: str):
        window = create_window(Settings(QSettings(f"{scratch}/{name}.ini", QSettings.Format.IniFormat)))
        window.resize(width, height)
        window.show()
        settle()
        return window

    def save(window, name: str) -> None:
        settle()
        path = args.outdir / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)
        window.close_unasked()

    for width, height, name in ((1024, 700, "editor-details-1024x700"), (1500, 900, "editor-details-full")):
        window = window_at(width, height, name)
        window.files.open_file(paths.resource("seeds", "demo.mid"))
        project = window.document.project
        window.editor.set_key(detect_key([n for t in project.tracks for n in t.notes]))
        window.actions.chords_all_tracks.setChecked(True)
        view = window.roll.view
        settle()
        view.show_piece()
        while view.row_px < 15:
            view.zoom_pitch(1.25)
        track = window.state.active_track()
        view.center_on_pitch(sum(n.pitch for n in track.notes) / len(track.notes))
        chosen = [n for n in track.notes if 1920 <= n.start < 2 * 1920]
        window.state.set_selection({chosen[1].id})  # the Inspector shows its start and length
        window.state.set_playhead(1920 + 480)
        window.inspector.raise_()  # (the Generate panel shares its place)
        save(window, name)

    window = window_at(1024, 700, "editor-empty")
    save(window, "editor-empty-1024x700")
    return 0


if __name__ == "__main__":
    sys.exit(main())
