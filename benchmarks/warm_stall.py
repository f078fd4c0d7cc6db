"""Start-up warm-up stall: the longest the window cannot react while the first Generate is being warmed.

The real window (offscreen, the bundled demo seed) ticks a 1 ms timer. First ``--idle`` seconds with nothing
running: the longest gap then is the machine's own noise (a busy shared CPU deschedules the GUI process
too). Then ``GenerateController.warm_up`` as the app runs it once the window is shown: by default torch and
the engine load in a child process (``ml.generate.process``); ``--in-process`` instead imports torch and
loads the engine on a thread of this process (the design before), for comparison. Reported: the warm-up's
seconds, the longest gap, the 99th percentile gap, gaps over 16 ms, and the process CPU time; then the
first click's seconds to the takes (goal <= 1 s) and the load average. With the parts engine the first take
is listed before the others when the batch would miss the goal (``service.streams``); both are printed, with
the generation's own CPU time (the child's and its parts workers'). ``MUSESTUDIO_STREAM_AFTER_S=0`` (always
stream) or ``=99`` (never) compares both ways. The parts engine splits its variations over worker processes
(``generate.parts_workers``, one per free core); ``--workers N`` sets their number (``MUSESTUDIO_WORKERS``,
which the generation process inherits), so the window's gaps can be compared with one and with several.

    .venv/bin/python benchmarks/warm_stall.py [--in-process] [--idle 3] [--bars 4] [--variations 4] [--workers N]
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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--in-process", action="store_true", help="warm on a thread here (the old design)")
    ap.add_argument("--idle", type=float, default=3.0, help="seconds of nothing first: the noise floor")
    ap.add_argument("--bars", type=int, default=4)
    ap.add_argument("--variations", type=int, default=4)
    ap.add_argument("--workers", type=int, default=None, help="the parts engine's worker processes")
    args = ap.parse_args()
    if args.workers is not None:
        os.environ["MUSESTUDIO_WORKERS"] = str(args.workers)
    scratch = tempfile.mkdtemp(prefix="warm-stall-")
    os.environ["XDG_DATA_HOME"] = scratch

    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window
    from musestudio.ml.generate import service
    from musestudio.settings import Settings

    app = QApplication(sys.argv[:1])
    window = create_window(Settings(QSettings(f"{scratch}/settings.ini", QSettings.Format.IniFormat)))
    window.resize(1400, 860)
    window.show()
    window.files.open_file(paths.resource("seeds", "demo.mid"))
    gen, panel = window.generate, window.generate.panel
    panel.device.setCurrentIndex(max(0, panel.device.findData("cpu")))
    panel.bars.setValue(args.bars)
    panel.variations.setValue(args.variations)
    for _ in range(30):  # the window's first paints
        app.processEvents()
        time.sleep(0.01)

    clock, gaps = QElapsedTimer(), []
    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))

    def pump(until) -> None:
        while not until():
            app.processEvents()
            time.sleep(0.0005)

    def measured(start, until) -> tuple[float, list[int], float]:
        gaps.clear()
        clock.start()
        c0, t0 = time.process_time(), time.perf_counter()
        start()
        pump(until)
        return time.perf_counter() - t0, list(gaps), time.process_time() - c0

    ticker.start()
    idle_end = time.perf_counter() + args.idle
    idle = measured(lambda: None, lambda: time.perf_counter() >= idle_end)
    if args.in_process:
        c = panel.choices()
        done: list[bool] = []

        def warm_here() -> None:
            import threading

            def work() -> None:
                service.warm(c["mode"], c["engine"], c["device"], c["style"])
                done.append(True)

            threading.Thread(target=work, daemon=True).start()

        warm = measured(warm_here, lambda: bool(done))
    else:
        warmed: list[float] = []
        gen.warmed.connect(warmed.append)
        warm = measured(gen.warm_up, lambda: bool(warmed))
    finished: list[str] = []
    gen.generation_finished.connect(finished.append)
    click = measured(
        lambda: QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton), lambda: bool(finished)
    )
    ticker.stop()
    if finished[0] != "result":
        raise SystemExit(f"generation failed: {gen.error}")
    gen.shutdown()

    design = "thread in this process" if args.in_process else "child process"
    workers = os.environ.get("MUSESTUDIO_WORKERS") or "one per free core"
    print(
        f"warm-up as a {design}, engine {panel.choices()['engine']}, parts workers {workers},"
        f" load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'phase':<12} {'seconds':>8} {'max gap ms':>10} {'p99 ms':>7} {'> 16 ms':>7} {'cpu s':>6}")
    for name, (seconds, g, cpu) in (("idle", idle), ("warm-up", warm), ("first click", click)):
        p99 = statistics.quantiles(g, n=100)[-1] if len(g) > 1 else (g[0] if g else 0)
        over = sum(1 for x in g if x > 16)
        print(f"{name:<12} {seconds:8.2f} {max(g, default=0):10d} {p99:7.0f} {over:7d} {cpu:6.2f}")
    t = gen.timing  # "cpu": the generation's own CPU time (in the child and its workers)
    if "first_take" in t:  # the parts engine lists its first take before drawing the others
        print(
            f"first click -> take 1 listed: {t['first_take']:.2f} s (goal <= 1 s), its CPU {t['first_take_cpu']:.2f} s"
        )
    print(
        f"first click -> all {args.variations} takes: {t['click_to_takes']:.2f} s, their CPU {t.get('cpu', 0):.2f} s"
    )


if __name__ == "__main__":
    main()
