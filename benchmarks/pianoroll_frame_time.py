"""Piano-roll frame time for a 10,000-note piece: scroll, zoom and a note drag, each a full repaint.

One "frame" is the gesture's effect (scroll bar step or zoom) followed by ``repaint()`` of the whole editor
(roll, marker row, tempo lane, ruler, keyboard, velocity lane and a controller lane), so the time includes
everything the user would wait for. The piece has a pedal (down and up every bar), an expression lane with
an event every 60 ticks, a tempo change every 4 bars and a marker every 8 bars; the controller lane shows
the dense expression lane. Offscreen
Qt, raster painting, 1600x900. Goal: <= 16 ms (60 fps).

    .venv/bin/python benchmarks/pianoroll_frame_time.py [--notes 10000] [--frames 60]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from musestudio.core.document import Document  # noqa: E402
from musestudio.core.events import EXPRESSION, SUSTAIN, ControlEvent, Marker  # noqa: E402
from musestudio.core.note import Note  # noqa: E402
from musestudio.core.project import Project, TempoChange  # noqa: E402
from musestudio.core.track import TRACK_COLOURS, Track  # noqa: E402
from musestudio.ui.commands import new_gesture  # noqa: E402
from musestudio.ui.editor import Editor  # noqa: E402
from musestudio.ui.pianoroll import PianoRollEditor  # noqa: E402
from musestudio.ui.state import EditorState  # noqa: E402


def big_project(n_notes: int, seed: int = 1) -> Project:
    """Four tracks of 16th-note-ish lines and chords: n_notes in all, about n_notes/16 bars long."""
    rng = random.Random(seed)
    tracks = []
    per = n_notes // 4
    for t in range(4):
        base = (36, 48, 60, 72)[t]
        notes = [
            Note(
                base + rng.randint(0, 24),
                i * 120 + rng.choice((0, 0, 10)),
                rng.choice((100, 220, 460)),
                rng.randint(40, 120),
            )
            for i in range(per)
        ]
        end = per * 120
        lanes = [
            ControlEvent(b + d, SUSTAIN, v) for b in range(0, end, 1920) for d, v in ((30, 127), (1900, 0))
        ]
        lanes += [ControlEvent(tick, EXPRESSION, 80 + (tick // 60) % 40) for tick in range(0, end, 60)]
        tracks.append(
            Track(name=f"T{t}", channel=t, colour=TRACK_COLOURS[t], notes=notes, controllers=tuple(lanes))
        )
    end = per * 120
    tempos = tuple(TempoChange(tick, 90 + (tick // 7680) % 30) for tick in range(0, end, 7680))
    markers = tuple(Marker(tick, f"Section {i + 1}") for i, tick in enumerate(range(0, end, 15360)))
    return Project(tracks=tuple(tracks), tempos=tempos, markers=markers)


def measure(editor: PianoRollEditor, step, frames: int) -> tuple[list[float], list[float]]:
    """Wall and main-thread CPU milliseconds per frame (CPU time is what the frame costs when the shared
    machine is busy with other work; wall time is what a user on an idle machine would see)."""
    wall, cpu = [], []
    for i in range(frames):
        w0, c0 = time.perf_counter(), time.thread_time()
        step(i)
        editor.repaint()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    t0 = time.perf_counter()
    document = Document(big_project(args.notes))
    state = EditorState(document)
    editor = PianoRollEditor(Editor(state, QUndoStack()))
    editor.resize(1600, 900)
    editor.show()
    editor.controllers.select_lane(EXPRESSION)
    app.processEvents()
    build_ms = (time.perf_counter() - t0) * 1000
    view = editor.view
    state.set_selection(n.id for n in state.active_track().notes[:500])
    hbar, vbar = view.horizontalScrollBar(), view.verticalScrollBar()

    def scroll_h(i):
        hbar.setValue(hbar.value() + 40)

    def scroll_v(i):
        vbar.setValue(vbar.value() + (20 if (i // 10) % 2 == 0 else -20))

    def zoom_time(i):
        view.zoom_time(1.1 if (i // 15) % 2 == 0 else 1 / 1.1)

    def zoom_pitch(i):
        view.zoom_pitch(1.1 if (i // 5) % 2 == 0 else 1 / 1.1)

    dragged = state.selected_notes()[:8]
    gesture = new_gesture()

    def drag_notes(i):  # what each mouse move of a drag does: a merged undo command, the model, the items
        editor.view.editor.move_notes(dragged, (i % 8) * 120, i % 3, gesture=gesture)

    whole_track = state.active_track().notes
    track_gesture = new_gesture()

    def drag_track(i):
        editor.view.editor.move_notes(whole_track, (i % 8) * 120, i % 3, gesture=track_gesture)

    rows = [
        ("scroll right", scroll_h),
        ("scroll up/down", scroll_v),
        ("zoom time", zoom_time),
        ("zoom pitch", zoom_pitch),
        ("drag 8 notes (edit)", drag_notes),
        (f"drag {len(whole_track)} notes (edit)", drag_track),
    ]
    results = [(name, measure(editor, fn, args.frames)) for name, fn in rows]
    while view.px_per_tick > 0.006:  # everything in view: the worst case for painting
        view.zoom_time(0.5)
    results.append(("whole piece visible", measure(editor, scroll_v, args.frames)))

    print(
        f"{args.notes} notes in 4 tracks, {document.project.end // 1920} bars; editor built in {build_ms:.0f} ms"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'gesture':<22} {'wall median':>11} {'wall p95':>9} {'CPU median':>11} {'CPU p95':>8}   (ms)")
    for name, (wall, cpu) in results:
        wall.sort()
        cpu.sort()
        p95 = int(len(wall) * 0.95) - 1
        print(
            f"{name:<22} {statistics.median(wall):>11.1f} {wall[p95]:>9.1f} {statistics.median(cpu):>11.1f} "
            f"{cpu[p95]:>8.1f}"
        )
    print("goal: <= 16 ms per frame")


if __name__ == "__main__":
    main()
