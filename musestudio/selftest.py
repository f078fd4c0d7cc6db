"""``musestudio --selftest``: the whole app end to end, headless, as a user would drive it.

It starts the real main window offscreen, opens the bundled demo seed, presses Generate in Continue mode
through the real button, waits for the takes, presses Keep on the best one, renders the piece to a WAV and
prints how long each stage took. It also loads python-rtmidi and looks for MIDI ports: a machine with no
MIDI system at all (no ALSA sequencer, no JACK server) is fine and says so, a broken MIDI library is not. Exit status 0 means every stage worked; anything else prints the reason.
The installable bundle's test runs exactly this, so it checks what a user gets: models, Qt plugins,
FluidSynth and the soundfont all found from inside the bundle.

It never touches the user's settings, taste or recovery files: those go to a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from musestudio.core.errors import BadInputError

EXIT_OK, EXIT_FAILED = 0, 1
GENERATION_TIMEOUT_S = 300
MIN_PEAK = 500  # int16: the rendered piece must be clearly audible, not silence


class SelftestError(Exception):
    """A stage failed; the message says which and why."""


def _wait_for(app, predicate, timeout_s: float) -> bool:
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.002)
    return True


def run_selftest(out_dir: Path | None = None) -> int:
    t0 = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="musestudio-selftest-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")  # taste and recovery files stay out of the user's
    try:
        rows, wav = _run(t0, scratch, out_dir)
    except (SelftestError, BadInputError) as e:  # a reason in words (a user's error is one too): no traceback
        print(f"selftest FAILED: {' '.join(str(e).split())}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:  # noqa: BLE001 - any crash is a failed self-test with its reason
        import traceback

        traceback.print_exc()
        print(f"selftest FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    width = max(len(name) for name, _ in rows)
    print("stage".ljust(width), "seconds")
    for name, seconds in rows:
        print(name.ljust(width), f"{seconds:7.2f}")
    print(f"WAV: {wav}")
    print("selftest OK")
    return EXIT_OK


def _run(t0: float, scratch: Path, out_dir: Path | None) -> tuple[list[tuple[str, float]], Path]:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from musestudio import paths
    from musestudio.app import create_window
    from musestudio.ml.engines import CONTINUE, ENGINES, missing_model
    from musestudio.settings import APPLICATION, ORGANIZATION, Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = create_window(settings)
    window.resize(1400, 860)
    window.show()
    demo = paths.resource("seeds", "demo.mid")
    window.files.open_file(demo)
    if not _wait_for(app, window.isVisible, 10):
        raise SelftestError("the main window did not show")
    app.processEvents()
    started = time.perf_counter() - t0
    print(f"window shown with {demo.name} ({window.document.project.note_count} notes)")

    gen = window.generate
    panel = gen.panel
    panel.set_mode(CONTINUE)
    melody = next((t for t in window.document.project.tracks if t.notes and not t.is_drum), None)
    if melody is None:
        raise SelftestError(f"{demo} has no pitched track to continue")
    window.state.set_active_track(melody.id)
    engine = panel.engine.currentData() or ENGINES[CONTINUE][0]  # the default engine, as a user meets it
    missing = missing_model(CONTINUE, engine)
    if missing:
        raise SelftestError(missing)
    panel.seed.setValue(1)
    outcomes: list[str] = []
    gen.generation_finished.connect(outcomes.append)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    before = window.document.project
    QTest.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    if not _wait_for(app, lambda: outcomes, GENERATION_TIMEOUT_S):
        gen.cancel()
        raise SelftestError(f"no takes after {GENERATION_TIMEOUT_S} s")
    if outcomes[0] != "result":
        raise SelftestError(f"generation ended with {outcomes[0]}: {gen.error}")
    if not gen.takes or not any(t.notes for t in gen.takes):
        raise SelftestError("the generation gave no notes")
    if not any(text.startswith("Loading model") for text in said):  # the first run loads lazily, and says so
        raise SelftestError(f"the status bar never said the model was loading (it said: {said})")
    best = gen.takes[0]
    print(
        f"{len(gen.takes)} takes from the {engine} engine; best is take {best.number} "
        f"({len(best.notes)} notes, critic {best.critic:.2f})"
    )
    gen.takes_panel.set_current_row(0)
    QTest.mouseClick(gen.takes_panel.keep, Qt.MouseButton.LeftButton)
    after = window.document.project
    if after.note_count != before.note_count + len(best.notes) or best in gen.takes:
        raise SelftestError("keeping the best take did not put its notes into the score")

    t_midi = time.perf_counter()
    print(f"MIDI: {_midi_summary()}")
    midi = time.perf_counter() - t_midi

    t_render = time.perf_counter()
    from musestudio.audio.render import render_or_advise, write_wav

    audio = render_or_advise(after)
    peak = int(abs(audio).max()) if len(audio) else 0
    if peak < MIN_PEAK:
        raise SelftestError(f"the rendered WAV is silent (peak {peak})")
    out_dir = out_dir or paths.default_output_dir() / "selftest"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SelftestError(f"cannot create the output folder {out_dir}: {e.strerror or e}") from None
    wav = out_dir / "selftest.wav"
    write_wav(wav, audio)
    render = time.perf_counter() - t_render

    window.close_unasked()
    timing = gen.timing
    rows = [
        ("start (window shown)", started),
        ("model load", timing.get("load", 0.0)),
        ("generation", timing.get("generate", 0.0)),
        ("scoring", timing.get("score", 0.0)),
        ("click -> first take", timing.get("first_take", timing.get("click_to_takes", 0.0))),
        ("click -> takes", timing.get("click_to_takes", 0.0)),
        ("MIDI ports", midi),
        ("render WAV", render),
        ("total", time.perf_counter() - t0),
    ]
    return rows, wav


def _midi_summary() -> str:
    """The MIDI backend and its ports, or why there is none; a library that cannot load fails the test."""
    from musestudio.midi.ports import MidiSystem, MidiUnavailable, _rtmidi

    try:
        _rtmidi()
    except MidiUnavailable as e:
        raise SelftestError(str(e)) from None
    try:
        with MidiSystem() as system:
            found = system.describe()
    except MidiUnavailable as e:  # no sequencer and no server: playback and editing work without MIDI
        return f"none ({e})"
    return f"{found['backend']}, {len(found['inputs'])} inputs, {len(found['outputs'])} outputs"
