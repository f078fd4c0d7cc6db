"""Cold start: wall time from launching the interpreter to the main window shown and painted.

CPU time is the child's own (all threads) up to that point: what the start costs when the shared machine
is busy with other work. Each run is a fresh process (offscreen Qt, private settings), so imports are cold for Python though the OS
file cache is warm, as on a second launch. The child also reports whether torch was imported (it must not
be: the compute device is probed after the window is up). Goal: <= 1 s on the 2-core dev machine.

    .venv/bin/python benchmarks/startup_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys
from PySide6.QtWidgets import QApplication
from musestudio.app import create_window, install_translators, resolve_language
from musestudio.settings import Settings
app = QApplication(sys.argv[:1])
settings = Settings()
install_translators(app, resolve_language(settings.get("language")))
window = create_window(settings)
if len(sys.argv) > 1:
    window.files.open_file(sys.argv[1])
window.show()
app.processEvents()
window.repaint()
import time
print("shown", "torch" in sys.modules, time.process_time(), flush=True)
window.files.document.mark_saved()
"""


def one_run(file: str | None, env: dict) -> tuple[float, float, bool]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *([file] if file else [])],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline().split()
    elapsed = time.perf_counter() - t0
    proc.wait()
    if not line or line[0] != "shown":
        raise SystemExit("the child did not show its window")
    return elapsed, float(line[2]), line[1] == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp)
        cases = (
            ("empty project", None),
            ("4-track MIDI file", str(ROOT / "resources" / "seeds" / "demo.mid")),
        )
        one_run(None, env)  # warm the OS file cache once, like any second launch
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'case':<20} {'wall median':>11} {'wall min':>9} {'CPU median':>11}  torch imported   (ms)")
        for name, file in cases:
            walls, cpus, torch_seen = [], [], False
            for _ in range(args.runs):
                wall, cpu, torch = one_run(file, env)
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
                torch_seen |= torch
            print(
                f"{name:<20} {statistics.median(walls):>11.0f} {min(walls):>9.0f} {statistics.median(cpus):>11.0f}  "
                f"{'YES (bad)' if torch_seen else 'no'}"
            )
        print("goal: window shown in <= 1000 ms, torch never imported at start-up")


if __name__ == "__main__":
    main()
