"""Letting JACK MIDI clients go: the ways that crash against ``ports.release_clients``.

Starts its own JACK server (dummy driver, the options the tests use). Each round, a child process plays
the tests' "other programs" a number of times: a keyboard (an output port) and a synth (an input port)
appear, then go, one of these ways:
- ``delete``: both rtmidi clients deleted at once, their ports open;
- ``close``: the keyboard's port closed and its client deleted, then the synth's, with no wait;
- ``settle``: the same after ``SETTLE_S`` before each port (what ``release_clients`` did before it
  deactivated JACK clients, and still does where it cannot);
- ``release_clients``: ``release_clients(keyboard)``, then ``release_clients(synth)``, as the tests and
  the app let one client go at a time (each client deactivated before its port goes).
A child that segfaults or hangs counts as one crash or one hang; a hang ends after ``--timeout`` seconds.
Run it on a loaded machine (the test suite beside it) to see the races the CI hit.

    .venv/bin/python benchmarks/midi_release.py [--rounds 40] [--pairs 25] [--timeout 60] [--ways ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from midi_timing import start_jack

CHILD = """
import sys, time, rtmidi
from musestudio.midi.ports import SETTLE_S, release_clients
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
    elif way in ("close", "settle"):
        for client in (keyboard, synth):
            time.sleep(SETTLE_S if way == "settle" else 0)
            client.close_port()
            client.delete()
    else:
        release_clients(keyboard)
        release_clients(synth)
"""

WAYS = ("delete", "close", "settle", "release_clients")


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
    parser.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS))
    args = parser.parse_args()
    server = start_jack(period=256)
    try:
        print(f"| {'way':<16} | {'pairs':>6} | {'crashes':>7} | {'hangs':>5} | {'s/pair':>7} |")
        print(f"|{'-' * 18}|{'-' * 8}|{'-' * 9}|{'-' * 7}|{'-' * 9}|")
        for way in args.ways:
            crashes, hangs, seconds = one_way(way, args.rounds, args.pairs, args.timeout)
            total = args.rounds * args.pairs
            print(f"| {way:<16} | {total:>6} | {crashes:>7} | {hangs:>5} | {seconds / total:>7.3f} |")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
