"""MIDI timing on real JACK ports: MIDI out against the file's clock, and the MIDI thru path's added latency.

Starts its own JACK server (dummy driver, the options the tests use) and, on it:

* out: plays a fixture with ``PortPlayer`` to an input port of ours; each message's arrival (relative to
  the first) against the file's time as mido reads it: p50 / p95 / max error over all messages of all runs.
* out (app): the app's MIDI out following its live transport (``LiveOutput`` after a silent
  ``LivePlayer``, as on a machine with no sound card), notes against the score, relative to the median.
* thru: a "keyboard" port sends notes to ``MidiThru``, which plays them on FluidSynth while a render loop
  pulls 256-frame blocks on the wall clock as the sound card would. Per note: JACK delivery (send -> our
  callback), and send -> the first rendered block that sounds it. A sound card adds its own output
  latency on top (the app's status bar shows it, about 12 ms where the device allows).

    .venv/bin/python benchmarks/midi_timing.py [--runs 5] [--period 256]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "midi" / "lead_bend_modulation.mid"


def start_jack(period: int) -> subprocess.Popen:
    jackd = shutil.which("jackd")
    if jackd is None:
        sys.exit("jackd is not installed (scripts/setup.sh installs jackd2)")
    name = f"musestudio-bench-{os.getpid()}"
    os.environ["JACK_DEFAULT_SERVER"] = name
    os.environ["JACK_NO_START_SERVER"] = "1"
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [
            jackd,
            "-n",
            name,
            "-S",
            "-t",
            "10000",
            "--no-realtime",
            "-d",
            "dummy",
            "-r",
            "48000",
            "-p",
            str(period),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, JACK_NO_AUDIO_RESERVATION="1"),
    )
    from musestudio.midi.ports import wait_for_jack

    if not wait_for_jack(15, lambda: proc.poll() is None):
        proc.kill()
        log.seek(0)
        sys.exit(f"jackd did not start: {log.read().decode()[-400:]}")
    return proc


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def row(label: str, values_ms: list[float]) -> str:
    return (
        f"| {label:<34} | {len(values_ms):>5} | {statistics.median(values_ms):>7.2f} | "
        f"{pct(values_ms, 0.95):>7.2f} | {max(values_ms):>7.2f} |"
    )


def bench_out(system, runs: int) -> list[float]:
    import mido

    from musestudio.io import formats
    from musestudio.midi.output import PortPlayer

    expected, t = [], 0.0
    for m in mido.MidiFile(FIXTURE):
        t += m.time
        if not m.is_meta:
            expected.append(t)
    project = formats.load(FIXTURE)
    errors = []
    for _ in range(runs):
        got: list = []
        receiver = system.open_input("Bench receiver", got.append, virtual=True)
        name = next(n for n in system.outputs() if n.endswith(":Bench receiver"))
        with system.open_output(name) as port:
            PortPlayer(port, project).run()
        time.sleep(0.2)
        receiver.close()
        got = [m for m in got if not (m.type == "control_change" and m.control == 7)]
        if len(got) != len(expected):
            sys.exit(f"out: {len(got)} messages arrived, {len(expected)} sent")
        errors += [abs((m.time - got[0].time) - e) * 1000 for m, e in zip(got, expected, strict=True)]
    return errors


def bench_live_out(system, runs: int) -> list[float]:
    """The app's MIDI out (``LiveOutput``) following the live transport, here a silent one on the wall
    clock (no sound card): each note's arrival against the score, lined up on the median offset."""
    from musestudio.audio.player import LivePlayer
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.midi.live import LiveOutput

    notes = tuple(Note(60 + i % 12, 960 + i * 120, 60, 100) for i in range(32))  # sixteenths at 120 BPM
    project = Project(tracks=(Track(notes=notes),))
    expected = sorted([n.start / 960 for n in notes] + [n.end / 960 for n in notes])
    player = LivePlayer(device="none")
    player.open()
    errors = []
    try:
        for _ in range(runs):
            got: list = []
            receiver = system.open_input("Bench receiver", got.append, virtual=True)
            name = next(n for n in system.outputs() if n.endswith(":Bench receiver"))
            output = LiveOutput(system.open_output(name), player)
            output.set_project(project)
            player.play(project, 0)
            while player.scheduler.position < player.scheduler.end_sample + 4410:
                time.sleep(0.01)
            player.stop()
            time.sleep(0.2)
            output.close()
            receiver.close()
            times = [m.time for m in got if m.type in ("note_on", "note_off")]
            if len(times) != len(expected):
                sys.exit(f"live out: {len(times)} notes on/off arrived, {len(expected)} sent")
            middle = statistics.median(t - e for t, e in zip(times, expected, strict=True))
            errors += [abs(t - e - middle) * 1000 for t, e in zip(times, expected, strict=True)]
    finally:
        player.close()
    return errors


def bench_thru(system, runs: int) -> tuple[list[float], list[float]]:
    import numpy as np
    import rtmidi

    from musestudio.audio.synth import Synth
    from musestudio.midi.thru import MidiThru

    block = 256
    keyboard = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "Bench keyboard")
    keyboard.open_virtual_port("keys")
    delivery, heard = [], []
    with Synth(sample_rate=44100) as synth:
        thru = MidiThru(synth, channel=0)
        arrived: list[float] = []

        def on_message(message):
            arrived.append(message.time)
            thru(message)

        port = system.open_input("Bench keyboard:keys", on_message)
        stop = threading.Event()
        sounding_at: list[float] = []

        def render_loop():  # the sound card's callback: a block every 5.8 ms, rendered when it is due
            out = np.zeros((block, 2), dtype=np.float32)
            start = time.perf_counter()
            k = 0
            while not stop.is_set():
                k += 1
                time.sleep(max(0.0, start + k * block / 44100 - time.perf_counter()))
                synth.render_into(out)
                if np.abs(out).max() > 1e-4 and len(sounding_at) < len(sent):
                    sounding_at.append(time.perf_counter())

        sent: list[float] = []
        renderer = threading.Thread(target=render_loop, daemon=True)
        renderer.start()
        for i in range(runs * 4):
            time.sleep(0.3)
            sent.append(time.perf_counter())
            keyboard.send_message([0x90, 60 + i % 12, 100])
            time.sleep(0.15)
            keyboard.send_message([0x80, 60 + i % 12, 0])
            synth.all_notes_off()
            time.sleep(0.5)  # let the release die away so the next onset is the next note's
            while len(sounding_at) < len(sent):  # still ringing: the block after silence is its onset
                sounding_at.append(float("nan"))
        stop.set()
        renderer.join()
        port.close()
    keyboard.delete()
    note_ons = arrived[::2]
    for s, a, h in zip(sent, note_ons, sounding_at, strict=False):
        delivery.append((a - s) * 1000)
        if h == h:  # not NaN
            heard.append((h - s) * 1000)
    return delivery, heard


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", type=int, default=256, help="JACK period in frames at 48 kHz")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import sounddevice  # noqa: F401 - PortAudio starts before our server, so it never joins it (it ends first)

    server = start_jack(args.period)
    try:
        from musestudio.midi.ports import JACK, MidiSystem

        with MidiSystem(JACK) as system:
            out = bench_out(system, args.runs)
            live = bench_live_out(system, args.runs)
            delivery, heard = bench_thru(system, args.runs)
    finally:
        server.terminate()
        server.wait(5)
    print(
        f"JACK dummy driver, 48 kHz, period {args.period} frames ({args.period / 48:.1f} ms); times in ms\n"
    )
    print("| path                               | count |     p50 |     p95 |     max |")
    print("|------------------------------------|-------|---------|---------|---------|")
    print(row(f"out: error vs file ({FIXTURE.name[:12]}…)", out))
    print(row("out: app transport (LiveOutput)", live))
    print(row("thru: send -> our callback", delivery))
    print(row("thru: send -> rendered block", heard))


if __name__ == "__main__":
    main()
