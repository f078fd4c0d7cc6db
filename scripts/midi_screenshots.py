"""Screenshots of recording from a keyboard and of jam mode, at full size and at 1024x700.

Starts a JACK server of its own (dummy driver) with a "keyboard" port on it, so the MIDI toolbar shows a
real port, opens the app on a short piece with a throwaway settings file, and plays a phrase into the
window's input handler with the times the transport's clock gives (no sound card needed):

    xvfb-run -a .venv/bin/python scripts/midi_screenshots.py docs/
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYBOARD = ("Keystation 49", "MIDI 1")
SIZES = {"": (1400, 860), "-1024": (1024, 700)}
PHRASE = [(60, 0, 220), (62, 240, 460), (64, 480, 940), (67, 960, 1180), (65, 1200, 1420), (64, 1440, 1880)]


def start_jack() -> subprocess.Popen | None:
    jackd = shutil.which("jackd")
    if jackd is None:
        return None
    name = f"musestudio-shots-{os.getpid()}"
    os.environ["JACK_DEFAULT_SERVER"] = name
    os.environ["JACK_NO_START_SERVER"] = "1"
    proc = subprocess.Popen(
        [jackd, "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000", "-p", "256"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, JACK_NO_AUDIO_RESERVATION="1"),
    )
    time.sleep(1.0)
    return proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="musestudio-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    import sounddevice  # noqa: F401 - PortAudio starts before our JACK server: it must not join it (it ends first)

    jack = start_jack()
    try:
        return shoot(args.out, tmp, jack is not None)
    finally:
        if jack is not None:
            jack.terminate()
            jack.wait(5)


def shoot(out: Path, tmp: Path, with_jack: bool) -> int:
    import mido
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from musestudio.audio.player import LivePlayer, PlayerAdapter
    from musestudio.core.document import Document
    from musestudio.core.note import Note
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.settings import Settings
    from musestudio.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    keyboard = None
    if with_jack:
        import rtmidi

        keyboard = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, KEYBOARD[0])
        keyboard.open_virtual_port(KEYBOARD[1])

    def wait(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)

    def window_for(size: tuple[int, int]) -> MainWindow:
        settings = Settings(QSettings(str(tmp / f"settings-{size[0]}.ini"), QSettings.Format.IniFormat))
        settings.set("midi_input", f"{KEYBOARD[0]}:{KEYBOARD[1]}")
        settings.set("midi_output", "virtual")
        settings.set("metronome", True)
        chords = Track(
            name="Piano",
            notes=tuple(
                Note(p, bar * 1920, 1800, 70)
                for bar, root in enumerate((43, 40, 36, 38))
                for p in (root, root + 4, root + 7)
            ),
        )
        lead = Track(name="Lead", program=73, channel=1, colour="#e0864a")
        window = MainWindow(
            Document(Project(tracks=(chords, lead))), settings, PlayerAdapter(LivePlayer(device="none"))
        )
        window.resize(*size)
        window.show()
        window.player.open()
        wait(1.0)  # the MIDI system, the ports, the first paint
        window.state.set_active_track(lead.id)
        window.roll.view.center_on_pitch(58)  # the phrase and the chords under it
        return window

    def time_of(window, tick: float) -> float:
        t0 = time.perf_counter()
        return t0 + (tick - window.transport.tick_at(t0)) / 960  # 120 BPM, 480 per beat

    def play_phrase(window, start: int, upto: int | None = None) -> None:
        for pitch, a, b in PHRASE:
            window.on_midi_message(
                mido.Message("note_on", note=pitch, velocity=96, time=time_of(window, start + a))
            )
            if upto is None or b + start < upto:
                window.on_midi_message(mido.Message("note_off", note=pitch, time=time_of(window, start + b)))

    for suffix, size in SIZES.items():
        window = window_for(size)
        window.state.set_playhead(1920)
        window.recording.start()
        wait(2.05)  # the count-in bar
        play_phrase(window, 1920, upto=1920 + 1700)
        wait(1.85)  # the last note is still held: it grows on the roll
        window.grab().save(str(out / f"midi-recording{suffix}.png"))
        window.recording.stop()
        window.close_unasked()

        window = window_for(size)
        panel = window.generate.panel
        index = panel.engine.findData("markov")
        if index >= 0:
            panel.engine.setCurrentIndex(index)
        window.state.set_playhead(1920)
        window.jam.start()
        wait(2.05)
        play_phrase(window, 1920)
        deadline = time.perf_counter() + 120
        while window.jam.answer is None and time.perf_counter() < deadline:
            wait(0.1)
        if window.jam.answer is not None:
            answer = window.jam.answer
            while window.transport.tick_at(time.perf_counter()) < answer.start + 960:
                wait(0.05)
        window.roll.view.zoom_time(0.5)  # the call (bar 2) and the answer in one view
        # from bar 1: scrolled to the call, the tempo lane's "120" at the piece's start read "20"
        window.roll.view.horizontalScrollBar().setValue(0)
        wait(0.1)
        window.grab().save(str(out / f"midi-jam{suffix}.png"))
        window.jam.shutdown()
        window.close_unasked()
    if keyboard is not None:
        keyboard.delete()
    for path in sorted(out.glob("midi-*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
