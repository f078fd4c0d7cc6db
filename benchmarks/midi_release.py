"""Letting JACK MIDI clients go: deleting them straight away against ``ports.release_clients``.

Starts its own JACK server (dummy driver, the options the tests use). Each round, a child process plays
the tests' "other programs" a number of times: a keyboard (an output port) and a synth (an input port)
appear, then go, either by deleting both rtmidi clients at once ("delete") or through
``release_clients`` (every port closed, then the clients deleted). A child that segfaults or hangs
counts as one crash or one hang; a hang ends after ``--timeout`` seconds. Run it on a loaded machine (the
test suite beside it) to see the race the CI hit.

    .venv/bin/python benchmarks/midi_release.py [--rounds 40] [--pairs 25] [--timeout 60]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from midi_timing import start_jack

CHILD = """
import sys, time, rtmidi
from musestudio.midi.ports import release_clients
way, pairs = sys.argv[1], int(sys.argv[2])
for _ in range(pairs):
    keyboard = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "Test keyboard")
    keyboard.open_virtual_port("keys")
    synth = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, "Test synth")
    synth.open_virtual_port("in")
    time.sleep(0.02)
    if way == "delete":
        keyboard.delete()
        synth.delete()
    else:
        release_clients(keyboard, synth)
"""


def one_way(way: str, rounds: int, pairs: int, timeout: float) -> tuple[int, int, float]:
    """(crashes, hangs, seconds) over ``rounds`` children of ``pairs`` keyboards and synths each."""
    crashes = hangs = 0
    start = time.monotonic()
    for _ in range(rounds):
        try:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, way, str(pairs)], capture_output=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            hangs += 1
            continue
        crashes += done.returncode != 0  # a segfault, or an abort
    return crashes, hangs, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--pairs", type=int, default=25, help="keyboards and synths a child makes and lets go"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a child counts as hung")
    args = parser.parse_args()
    server = start_jack(period=256)
    try:
        print(f"| {'way':<16} | {'pairs':>6} | {'crashes':>7} | {'hangs':>5} | {'s/pair':>7} |")
        print(f"|{'-' * 18}|{'-' * 8}|{'-' * 9}|{'-' * 7}|{'-' * 9}|")
        for way in ("delete", "release_clients"):
            crashes, hangs, seconds = one_way(way, args.rounds, args.pairs, args.timeout)
            total = args.rounds * args.pairs
            print(f"| {way:<16} | {total:>6} | {crashes:>7} | {hangs:>5} | {seconds / total:>7.3f} |")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
