"""Soak test: thousands of random actions in the real window, offscreen; counts crashes, checks undo-all and
watches memory.

Actions (seeded, weighted): note edits through the editor and through real mouse and key events (draw,
drag, arrows, quantize, duplicate, delete, paste), track and timing edits, undo and redo, autosave,
Continue generations with the Seq2Seq engine (the fastest the app offers) and Restyle's Arrange, followed by
keeping or discarding a take (or all of them), and every so often Save As + reopen. Before each save the segment's history is checked: undoing every step
gives back the project as it was opened, redoing every step gives back the current one; after reopening, the
file gives back what was saved.

A *crash* is any Python exception escaping an action or reaching ``sys.excepthook`` from a Qt slot. The
resident memory (RSS) is sampled every 1,000 actions; the growth per 1,000 actions is the slope of a
least-squares line through the samples after the first (warm-up: imports, first generation). Generate runs
where the app runs it, in the warmed child process, whose memory is watched too; ``--in-process`` runs it
on the app's worker thread instead (the app's fallback when no child process can be started).

    nice .venv/bin/python scripts/soak.py [--actions 10000] [--seed 1] [--json out.json] [--in-process]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from musestudio.audio.player import LivePlayer, PlayerAdapter  # noqa: E402
from musestudio.core.document import Document  # noqa: E402
from musestudio.core.keys import KeySignature  # noqa: E402
from musestudio.core.note import Note  # noqa: E402
from musestudio.core.project import Project  # noqa: E402
from musestudio.core.timing import GRID_VALUES  # noqa: E402
from musestudio.core.track import Track  # noqa: E402
from musestudio.settings import Settings  # noqa: E402
from musestudio.ui.main_window import MainWindow  # noqa: E402
from musestudio.ui.state import Tool  # noqa: E402

GENERATION_TIMEOUT_S = 120


def pump() -> None:
    """Run pending events, deferred deletes included: outside ``exec()`` processEvents leaves every
    ``deleteLater`` undone, which would make the soak report Qt objects the app frees as leaked."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def rss_mb(pid: int | str = "self") -> float:
    """A process's resident memory (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except FileNotFoundError:
        return 0.0


def growth_per_1000(samples: list[tuple[int, float]]) -> float:
    """The slope of a least-squares line through the samples after the first (warm-up), per 1,000 actions."""
    fit = samples[1:] if len(samples) > 2 else samples
    n = len(fit)
    mx, my = sum(x for x, _ in fit) / n, sum(y for _, y in fit) / n
    var = sum((x - mx) ** 2 for x, _ in fit)
    return (sum((x - mx) * (y - my) for x, y in fit) / var * 1000) if var else 0.0


def start_project() -> Project:
    steps = [60, 62, 64, 65, 67, 65, 64, 62, 64, 67, 72, 71, 69, 67, 65, 64]
    melody = Track(name="Melody", notes=tuple(Note(steps[i % 16], i * 480, 480, 90) for i in range(16)))
    bass = Track(
        name="Bass", program=33, channel=1, notes=tuple(Note(36, b * 1920, 1920, 90) for b in range(4))
    )
    return Project(tracks=(melody, bass))


def mouse(widget, kind, pos: QPoint) -> None:
    button = Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    held = (
        Qt.MouseButton.NoButton if kind == QMouseEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    )
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, held, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def point(view, tick: float, pitch: int) -> QPoint:
    return QPoint(round(view.tick_to_x(tick)), round(view.pitch_to_y(pitch) + view.row_px / 2))


class Soak:
    def __init__(
        self, window: MainWindow, rng: random.Random, folder: Path, skip: set[str] = frozenset()
    ) -> None:
        self.w = window
        self.skip = skip
        self.rng = rng
        self.folder = folder
        self.crashes: list[str] = []
        self.counts: dict[str, int] = {}
        self.segment_start = window.document.project
        self.undo_checks = 0
        self.undo_failures = 0
        self.reopen_failures = 0
        self.generations = 0
        self.generation_errors = 0
        self.error_texts: dict[str, int] = {}  # what the Generate panel said when a generation failed
        self.saves = 0

    # -- the actions -------------------------------------------------------------------------------------
    def step(self) -> None:
        r = self.rng.random()
        for limit, name, action in (
            (0.42, "edit", self.edit),
            (0.50, "mouse", self.mouse_edit),
            (0.56, "key", self.key_edit),
            (0.62, "track/timing", self.track_edit),
            (0.80, "undo", lambda: self.w.undo_stack.undo()),
            (0.88, "redo", lambda: self.w.undo_stack.redo()),
            (0.90, "autosave", lambda: self.w.autosaver.save_now()),
            (0.935, "generate", self.generate),
            (0.97, "keep/discard", self.keep_or_discard),
            (0.99, "select", self.select),
            (1.00, "save/reopen", self.save_and_reopen),
        ):
            if r < limit:
                if name in self.skip:
                    return
                self.counts[name] = self.counts.get(name, 0) + 1
                try:
                    action()
                except Exception:  # noqa: BLE001 - a crash is what we count
                    self.crashes.append(f"{name}: {traceback.format_exc(limit=-3)}")
                return

    def select(self) -> None:
        track = self.w.state.active_track()
        if track and track.notes:
            k = self.rng.randint(1, min(4, len(track.notes)))
            self.w.state.set_selection(n.id for n in self.rng.sample(track.notes, k))

    def edit(self) -> None:
        rng, ed, state = self.rng, self.w.editor, self.w.state
        self.select()
        pick = rng.random()
        if pick < 0.35 or not state.selection:
            ed.add_note(
                rng.randint(40, 90),
                rng.randrange(0, 7680, 60),
                rng.choice((60, 120, 240, 480)),
                rng.randint(1, 127),
            )
        elif pick < 0.55:
            ed.move_notes(state.selected_notes(), rng.randint(-500, 500), rng.randint(-5, 5))
        elif pick < 0.70:
            ed.resize_notes(state.selected_notes(), rng.randint(-300, 300), 1)
        elif pick < 0.80:
            ed.set_velocities({i: rng.randint(1, 127) for i in state.selection})
        elif pick < 0.90:
            ed.copy_selection()
            state.set_playhead(rng.randrange(0, 7680, 120))
            ed.paste()
        else:
            ed.delete_selection()

    def mouse_edit(self) -> None:
        view, state = self.w.roll.view, self.w.state
        track = state.active_track()
        if self.rng.random() < 0.5 or not (track and track.notes):
            state.set_tool(Tool.DRAW)
            p = point(view, self.rng.randrange(0, 3800), self.rng.randint(55, 75))
            mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, p)
            mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, p)
            return
        n = self.rng.choice(track.notes)
        state.set_tool(Tool.MOVE)
        start = point(view, n.start + 10, n.pitch)
        end = start + QPoint(self.rng.randint(-80, 80), self.rng.randint(-30, 30))
        mouse(view.viewport(), QMouseEvent.Type.MouseButtonPress, start)
        for i in (1, 2, 3):
            mouse(view.viewport(), QMouseEvent.Type.MouseMove, start + (end - start) * (i / 3))
        mouse(view.viewport(), QMouseEvent.Type.MouseButtonRelease, end)

    def key_edit(self) -> None:
        view = self.w.roll.view
        self.select()
        key, mods = self.rng.choice(
            (
                (Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier),
                (Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier),
                (Qt.Key.Key_Q, Qt.KeyboardModifier.NoModifier),
                (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier),
                (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
            )
        )
        if key == Qt.Key.Key_Q:
            self.w.state.set_snap(self.rng.choice(list(GRID_VALUES)))
        QTest.keyClick(view, key, mods)

    def track_edit(self) -> None:
        rng, ed, project = self.rng, self.w.editor, self.w.document.project
        pick = rng.random()
        if pick < 0.15:
            ed.add_track(is_drum=rng.random() < 0.2)
        elif pick < 0.25 and len(project.tracks) > 1:
            ed.delete_track(rng.choice(project.tracks).id)
        elif pick < 0.55 and project.tracks:
            t = rng.choice(project.tracks)
            field = rng.choice(("mute", "solo", "volume", "program", "name"))
            value = {
                "mute": not t.mute,
                "solo": not t.solo,
                "volume": rng.randint(0, 127),
                "program": rng.randint(0, 127),
                "name": f"T{rng.randint(0, 99)}",
            }[field]
            ed.set_track(t.id, "edit", **{field: value})
        elif pick < 0.65:
            ed.set_tempo(rng.uniform(40, 200))
        elif pick < 0.75:
            ed.set_time_signature(rng.randint(2, 7), rng.choice((4, 8)))
        elif pick < 0.85:
            ed.set_key(rng.choice((None, KeySignature(rng.randint(0, 11), rng.choice(("major", "minor"))))))
        elif project.tracks:
            self.w.state.set_active_track(rng.choice(project.tracks).id)

    def generate(self) -> None:
        """Continue with the Seq2Seq engine, or (a third of the time) Restyle as Arrange into a random style
        over the active track or the selection: its takes add tracks, so keeping and undoing them is soaked
        too."""
        from musestudio.ml.engines import CONTINUE, RESTYLE
        from musestudio.ml.generate.arrange_styles import TEXTURES

        gen = self.w.generate
        panel = gen.panel
        if self.rng.random() < 1 / 3:
            panel.set_mode(RESTYLE)
            panel.where.setCurrentIndex(panel.where.findData(self.rng.choice(("track", "selection"))))
            panel.set_style(self.rng.choice(sorted(TEXTURES)))
        else:
            panel.set_mode(CONTINUE)
            panel.engine.setCurrentIndex(panel.engine.findData("seq2seq"))
            panel.bars.setValue(self.rng.randint(1, 2))
        panel.variations.setValue(self.rng.randint(1, 3))
        panel.seed.setValue(self.rng.randrange(10_000))
        done = []
        gen.generation_finished.connect(done.append)
        try:
            gen.generate()
            deadline = time.monotonic() + GENERATION_TIMEOUT_S
            while not done and time.monotonic() < deadline:
                pump()
                time.sleep(0.002)
        finally:
            gen.generation_finished.disconnect(done.append)
        self.generations += 1
        if done != ["result"]:
            self.generation_errors += 1
            reason = gen.error.split("(")[0].strip()[:90] or "(none)"
            self.error_texts[reason] = self.error_texts.get(reason, 0) + 1
            if not done:
                gen.cancel()
                raise RuntimeError(f"generation did not finish in {GENERATION_TIMEOUT_S} s")

    def keep_or_discard(self) -> None:
        gen = self.w.generate
        if not gen.takes:
            return
        r = self.rng.random()
        if r < 0.5:
            gen.keep(new_track=self.rng.random() < 0.2)
        elif r < 0.8:
            gen.discard()
        else:
            gen.discard_all()

    def save_and_reopen(self) -> None:
        self.check_undo_all()
        path = self.folder / f"soak-{self.saves % 3}.muse"
        saved = self.w.document.project
        if not self.w.files.save_as(path):
            raise RuntimeError(f"save failed: {path}")
        self.saves += 1
        if not self.w.files.open_path(path, ask=False):
            raise RuntimeError(f"reopen failed: {path}")
        if self.w.document.project != saved:
            self.reopen_failures += 1
        self.segment_start = self.w.document.project

    def check_undo_all(self) -> None:
        """Undo every step of this segment (one by one), compare, redo them all, compare."""
        stack, doc = self.w.undo_stack, self.w.document
        if self.w.generate.takes:
            self.w.generate.discard_all()
        current, index = doc.project, stack.index()
        while stack.canUndo():
            stack.undo()
        ok = doc.project == self.segment_start
        while stack.index() < index:
            stack.redo()
        ok = ok and doc.project == current
        self.undo_checks += 1
        self.undo_failures += not ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--skip", action="append", default=[], help="leave out an action kind (e.g. generate)")
    ap.add_argument(
        "--in-process",
        action="store_true",
        help="generate on the app's worker thread (its fallback) instead of the warmed child process",
    )
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="musestudio-soak-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # taste, recovery copies: never the user's
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    app = QApplication.instance() or QApplication([])
    hook_errors: list[str] = []
    sys.excepthook = lambda *exc: hook_errors.append("".join(traceback.format_exception(*exc, limit=-3)))
    # Any modal question would stall an unattended run: answer "discard" (the run saves on purpose only).
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    QMessageBox.warning = staticmethod(
        lambda _p, title, text, *a: hook_errors.append(f"warning: {title}: {text}")
    )

    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Document(start_project()), settings, PlayerAdapter(LivePlayer(device="none")))
    window.resize(1400, 860)
    window.show()
    QApplication.processEvents()
    child = None
    if not args.in_process:  # as the app does once its window is up: Generate runs in a child process
        window.generate.warm_up()
        window.generate._warming.join()
        child = window.generate._process.pid if window.generate._process is not None else None
    soak = Soak(window, random.Random(args.seed), folder, set(args.skip))

    samples = [(0, rss_mb())]
    child_samples = [(0, rss_mb(child))] if child else []
    started = time.perf_counter()
    for i in range(1, args.actions + 1):
        soak.step()
        if i % 20 == 0:
            pump()
        if i % 1000 == 0 or i == args.actions:
            samples.append((i, rss_mb()))
            if child:
                child_samples.append((i, rss_mb(child)))
            print(
                f"{i:6d} actions  {time.perf_counter() - started:7.1f} s  RSS {samples[-1][1]:7.1f} MB  "
                + (f"generation process {child_samples[-1][1]:7.1f} MB  " if child else "")
                + f"notes {window.document.project.note_count:6d}  objects {len(gc.get_objects()):8d}  "
                f"crashes {len(soak.crashes) + len([h for h in hook_errors if not h.startswith('warning')])}",
                flush=True,
            )
    soak.check_undo_all()
    elapsed = time.perf_counter() - started

    crashes = soak.crashes + [h for h in hook_errors if not h.startswith("warning")]
    warnings = [h for h in hook_errors if h.startswith("warning")]
    slope = growth_per_1000(samples)
    child_slope = growth_per_1000(child_samples) if child_samples else None

    print(
        f"\nSoak: {args.actions} random actions in the offscreen window, seed {args.seed}, {elapsed:.0f} s\n"
    )
    print("| figure | value |")
    print("|---|---|")
    print(f"| crashes (exceptions) | {len(crashes)} |")
    print(f"| undo-all / redo-all checks failed | {soak.undo_failures} of {soak.undo_checks} |")
    print(f"| save + reopen gave back a different project | {soak.reopen_failures} of {soak.saves} |")
    print(f"| generations: Continue and Arrange (errors) | {soak.generations} ({soak.generation_errors}) |")
    print(f"| RSS start -> end | {samples[0][1]:.0f} MB -> {samples[-1][1]:.0f} MB |")
    print(f"| RSS growth per 1,000 actions (after the first 1,000) | {slope:.2f} MB |")
    if child_samples:
        first, last = child_samples[0][1], child_samples[-1][1]
        print(f"| generation process RSS start -> end | {first:.0f} MB -> {last:.0f} MB |")
        print(f"| generation process RSS growth per 1,000 actions | {child_slope:.2f} MB |")
    else:
        print("| generation process | none: Generate ran in the app's process |")
    print(f"| messages shown to the user | {len(warnings)} |")
    print("\nactions:", ", ".join(f"{k} {v}" for k, v in sorted(soak.counts.items())))
    for text, n in sorted(soak.error_texts.items(), key=lambda kv: -kv[1]):
        print(f"generation message x{n}: {text}")
    for c in crashes[:5]:
        print("\n--- crash ---\n" + c)
    for wmsg in warnings[:5]:
        print(wmsg)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "actions": args.actions,
                    "seed": args.seed,
                    "seconds": round(elapsed, 1),
                    "crashes": len(crashes),
                    "undo_checks": soak.undo_checks,
                    "undo_failures": soak.undo_failures,
                    "reopen_failures": soak.reopen_failures,
                    "generations": soak.generations,
                    "generation_errors": soak.generation_errors,
                    "generation_messages": soak.error_texts,
                    "rss_samples_mb": samples,
                    "rss_growth_mb_per_1000": round(slope, 2),
                    "generation_process_rss_samples_mb": child_samples,
                    "generation_process_rss_growth_mb_per_1000": (
                        None if child_slope is None else round(child_slope, 2)
                    ),
                    "counts": soak.counts,
                },
                indent=1,
            )
        )
    window.close_unasked()
    app.processEvents()
    return 0 if not crashes and not soak.undo_failures and not soak.reopen_failures else 1


if __name__ == "__main__":
    sys.exit(main())
