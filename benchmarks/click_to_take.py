"""Click -> first take: wall time from pressing Generate to the takes shown in the panel, in the real window.

One process, offscreen, the bundled demo seed (its melody track). The first click pays for importing torch
and loading the model ("cold"); the next clicks are what a user waits while composing ("warm", p50 and
max). A 1 ms timer runs throughout; the longest gap between its ticks while the warm runs generate is the
longest the UI could not react ("stall"; goal <= 16 ms); "show" is the longest gap once the takes arrive
(building their items and repainting the roll and panels, on the GUI thread by nature). The split of a warm run (load / generate / score) comes
from the job itself. Where the first take is listed before the others (the parts engine streams it:
``service.run``'s ``partial``), "(take 1)" is the click -> that take; elsewhere it is the same as all takes.
"cpu s" is the generation's own CPU time (in the process that runs it): its wall time on an idle machine. Each engine and mode installed is measured; missing models are listed as such.

First, as the app does once its window is up, the start-up warm-up runs (``GenerateController.warm_up``:
torch and the default engine loaded on a background thread); the table's first line says how long it took
and the longest the UI could not react meanwhile, then "first click" is the default engine's first
Generate after it (goal <= 1 s). ``--no-warm`` skips it: the first click then pays for torch ("cold").

    .venv/bin/python benchmarks/click_to_take.py [--runs 5] [--bars 8] [--variations 4] [--device cpu] [--no-warm]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bars", type=int, default=8)
    parser.add_argument("--variations", type=int, default=4)
    parser.add_argument("--device", default="cpu", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--no-warm", action="store_true", help="no start-up warm-up before the first click")
    parser.add_argument("--only", default=None, help="measure only this engine (e.g. transformer, parts)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="click-to-take-")
    os.environ["XDG_DATA_HOME"] = scratch  # taste and recovery files stay out of the user's

    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window
    from musestudio.ml.engines import ARRANGE, ENGINES, REGENERATE, RESTYLE, missing_model
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    window = create_window(Settings(QSettings(f"{scratch}/settings.ini", QSettings.Format.IniFormat)))
    window.resize(1400, 860)
    window.show()
    window.files.open_file(paths.resource("seeds", "demo.mid"))
    melody = window.document.project.tracks[0]
    window.state.set_active_track(melody.id)
    gen, panel = window.generate, window.generate.panel

    clock, gaps = QElapsedTimer(), []
    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))

    def click() -> tuple[float, dict, int, int]:
        done, shown_at = [], []
        gen.generation_finished.connect(done.append)
        mark = lambda: shown_at.append(len(gaps))  # noqa: E731 - the takes arrived: generation is over
        gen.takes_changed.connect(mark)
        gaps.clear()
        clock.start()
        t0 = time.perf_counter()
        QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
        while not done:
            app.processEvents()
            time.sleep(0.0005)
        seconds = time.perf_counter() - t0
        gen.generation_finished.disconnect(done.append)
        gen.takes_changed.disconnect(mark)
        if done[0] != "result":
            raise SystemExit(f"generation failed: {gen.error}")
        shown = time.perf_counter()
        while time.perf_counter() - shown < 0.05:  # the first repaint with the takes on the roll
            app.processEvents()
        during = gaps[: shown_at[0]] if shown_at else gaps
        return seconds, dict(gen.timing), max(during, default=0), max(gaps[len(during) :], default=0)

    ticker.start()
    panel.device.setCurrentIndex(max(0, panel.device.findData(args.device)))
    warm_line = "no warm-up (--no-warm): the first click imports torch"
    if not args.no_warm:
        warmed: list[float] = []
        gen.warmed.connect(warmed.append)
        for _ in range(20):  # the window's first paints, as the app waits before warming
            app.processEvents()
            time.sleep(0.01)
        gaps.clear()
        clock.start()
        gen.warm_up()
        while not warmed:
            app.processEvents()
            time.sleep(0.0005)
        warm_line = (
            f"start-up warm-up ({panel.choices()['engine']}): {warmed[0]:.2f} s, "
            f"longest UI stall meanwhile {max(gaps, default=0)} ms (goal <= 16)"
        )
    rows, splits = [], []
    for mode, engines in ENGINES.items():
        for engine in engines:
            if args.only and engine != args.only:
                continue
            if missing_model(mode, engine):
                rows.append((mode, engine, None))
                continue
            if mode == ARRANGE:  # Restyle's Arrange: Restyle in the panel, "as" Arrange
                panel.set_mode(RESTYLE)
                panel.set_restyle_as(ARRANGE)
            else:
                panel.set_mode(mode)
                if mode == RESTYLE:
                    panel.set_restyle_as(RESTYLE)
            panel.engine.setCurrentIndex(panel.engine.findData(engine))
            panel.bars.setValue(args.bars)
            panel.variations.setValue(args.variations)
            panel.device.setCurrentIndex(max(0, panel.device.findData(args.device)))
            bar = 4 * window.document.project.ticks_per_beat
            if mode in (RESTYLE, ARRANGE):  # the whole melody
                window.state.set_selection(n.id for n in melody.notes)
            elif mode == REGENERATE:  # bars 2-3, with bars 1 and 4 around them
                window.state.set_selection(n.id for n in melody.notes if bar <= n.start < 3 * bar)
            cold, cold_split, *_ = click()
            warm = [click() for _ in range(args.runs)]
            rows.append((mode, engine, ((cold, cold_split), warm)))
            splits.append(
                f"{mode} {engine} first click: load {cold_split.get('load', 0):.3f} s, generate "
                f"{cold_split.get('generate', 0):.3f} s, score {cold_split.get('score', 0):.3f} s"
            )
            gen.set_takes(())
    ticker.stop()

    print(
        f"click -> takes shown, demo seed melody, {args.variations} variations, Continue {args.bars} bars, "
        f"device {args.device}, {args.runs} warm runs"
    )
    print(warm_line)
    print(
        f"{'mode':<11}{'engine':<12}{'first s':>8}{'(take 1)':>9}{'warm p50 s':>12}{'(take 1)':>9}"
        f"{'warm max s':>12}{'load s':>8}{'gen s':>8}{'score s':>9}{'cpu s':>7}{'stall ms':>10}{'show ms':>9}"
    )
    for mode, engine, result in rows:
        if result is None:
            print(f"{mode:<11}{engine:<12}  model missing")
            continue
        cold, warm = result
        secs = [w[0] for w in warm]
        mid = sorted(warm, key=lambda w: w[0])[len(warm) // 2][1]
        firsts = [w[1].get("first_take", w[0]) for w in warm]  # the first take listed (streamed) or all
        print(
            f"{mode:<11}{engine:<12}{cold[0]:8.2f}{cold[1].get('first_take', cold[0]):9.2f}"
            f"{statistics.median(secs):12.3f}{statistics.median(firsts):9.3f}{max(secs):12.3f}"
            f"{mid.get('load', 0):8.3f}{mid.get('generate', 0):8.3f}{mid.get('score', 0):9.3f}{mid.get('cpu', 0):7.2f}"
            f"{max(w[2] for w in warm):10d}{max(w[3] for w in warm):9d}"
        )
    print("\n".join(splits))
    window.close_unasked()


if __name__ == "__main__":
    main()
