"""How much faster than real time the offline renderer runs (the target is at least 100x).

Each row renders one piece with ``render_project`` and reports seconds of audio per second of wall time,
twice: end to end (as the CLI does it), and in steady state, without the fixed start-up (soundfont and
instrument samples loading, ~0.1-0.4 s whatever the length). Start-up is measured by rendering the same
piece cut to its first beat, which loads the same instruments.

    .venv/bin/python benchmarks/render_speed.py
"""

from __future__ import annotations

import time

from musestudio.audio.render import render_project
from musestudio.audio.soundfont import find_soundfont
from musestudio.core import Note, Project, Track
from musestudio.io.formats import load
from musestudio.paths import resource

TPB = 480


def piano_line(minutes: float) -> Project:
    """Eighth notes at 120 BPM, one voice: the 'single piano line' case."""
    count = int(minutes * 60 * 4)
    notes = tuple(Note(60 + (i * 5) % 17, i * TPB // 2, TPB // 2, 80 + i % 30) for i in range(count))
    return Project(tracks=(Track(name="Piano", notes=notes),))


def band(minutes: float) -> Project:
    """Four tracks (melody, chords, bass, drums) at 120 BPM: a dense, typical arrangement."""
    beats = int(minutes * 120)
    melody = tuple(Note(72 + (i * 3) % 12, i * TPB // 2, TPB // 2, 90) for i in range(beats * 2))
    chords = tuple(Note(p + (b // 4 % 4) * 2, b * TPB, TPB, 70) for b in range(beats) for p in (48, 52, 55))
    bass = tuple(Note(36 + (b // 4 % 4) * 2, b * TPB, TPB, 90) for b in range(beats))
    drums = tuple(
        Note(p, i * TPB // 2, TPB // 4, 100)
        for i in range(beats * 2)
        for p in ((36, 42) if i % 4 == 0 else (38, 42) if i % 4 == 2 else (42,))
    )
    return Project(
        tracks=(
            Track(name="Lead", program=73, notes=melody),
            Track(name="Keys", program=4, notes=chords),
            Track(name="Bass", program=33, notes=bass),
            Track(name="Drums", is_drum=True, channel=9, notes=drums),
        )
    )


def measure(project: Project) -> tuple[float, float, float]:
    """(audio seconds, wall seconds, CPU seconds): on a shared machine CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    audio = render_project(project)
    return len(audio) / 44100, time.perf_counter() - wall, time.process_time() - cpu


def first_beat(project: Project) -> Project:
    return project.with_tracks(
        t.with_notes(n for n in t.notes if n.start < project.ticks_per_beat) for t in project.tracks
    )


def main() -> None:
    pieces = [
        ("seed demo.mid (4 tracks)", load(resource("seeds", "demo.mid"))),
        ("seed melody_chords.mid", load(resource("seeds", "melody_chords.mid"))),
        ("piano line, 1 min", piano_line(1)),
        ("piano line, 5 min", piano_line(5)),
        ("4-track band, 3 min", band(3)),
    ]
    print(f"soundfont: {find_soundfont()}")
    print(
        f"{'piece':<26} {'notes':>6} {'audio s':>8} {'wall s':>7} {'start-up s':>10} {'x end-to-end':>13} "
        f"{'x steady':>9} {'x steady (CPU)':>15}"
    )
    for name, project in pieces:
        seconds, wall, cpu = measure(project)
        short_seconds, startup, startup_cpu = measure(first_beat(project))
        steady = (seconds - short_seconds) / max(wall - startup, 1e-9)
        steady_cpu = (seconds - short_seconds) / max(cpu - startup_cpu, 1e-9)
        print(
            f"{name:<26} {project.note_count:>6} {seconds:>8.1f} {wall:>7.3f} {startup:>10.3f} "
            f"{seconds / wall:>12.0f}x {steady:>8.0f}x {steady_cpu:>14.0f}x"
        )


if __name__ == "__main__":
    main()
