"""How long a big MIDI file takes to open, and how much memory (goal: 1M notes in <= 10 s and <= 500 MB).

Each row writes a type-1 file of N notes (eighth notes) over 8 tracks, each track also pressing and
releasing the sustain pedal every bar as a pianist does (one controller event per four notes), then opens it in a fresh Python
process with ``musestudio.io.formats.load`` (what File > Open and the CLI call) and reports the wall time
and the process's peak resident memory, the interpreter and imports included. The last column is the
memory above a process that only imported the same modules, per 100,000 notes: it stays flat when the
memory grows in proportion to the notes.

    .venv/bin/python benchmarks/midi_import_speed.py [--notes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TRACKS = 8
TPB = 480

_CHILD = """
import json, resource, sys, time
from musestudio.io import formats
t = time.perf_counter()
project = formats.load(sys.argv[1]) if sys.argv[1] != "-" else None
seconds = time.perf_counter() - t
notes = project.note_count if project else 0
controllers = sum(len(tr.controllers) for tr in project.tracks) if project else 0
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "notes": notes, "controllers": controllers}))
"""


def _vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_file(path: Path, notes: int) -> None:
    """Eighth notes on 8 channels; on each the pedal goes up and down again at every bar line."""
    chunks = []
    per_track = notes // TRACKS
    for ch in range(TRACKS):
        body = bytearray(b"\x00\xff\x03\x05Track")
        now = 0
        for i in range(per_track):
            start = i * TPB // 2
            if i % 8 == 0:  # a bar line: pedal up, and down again just after
                body += _vlq(start - now) + bytes((0xB0 | ch, 64, 0))
                body += _vlq(10) + bytes((0xB0 | ch, 64, 127))
                now = start + 10
                start += 10
            pitch = 36 + (i * 7 + ch) % 60
            body += _vlq(start - now) + bytes((0x90 | ch, pitch, 90))
            body += _vlq(TPB // 2 - 10) + bytes((0x80 | ch, pitch, 0))
            now = start + TPB // 2 - 10
        body += b"\x00\xff\x2f\x00"
        chunks.append(b"MTrk" + struct.pack(">I", len(body)) + bytes(body))
    path.write_bytes(b"MThd" + struct.pack(">IHHH", 6, 1, TRACKS, TPB) + b"".join(chunks))


def measure(path: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    base = measure("-")["peak_mb"]
    print(f"baseline process (interpreter + imports): {base:.0f} MB peak")
    print(
        f"{'notes':>10} {'controllers':>12} {'file MB':>8} {'open s':>7} {'peak MB':>8} {'MB/100k notes':>14}  goal"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.notes:
            path = Path(tmp) / f"{n}.mid"
            write_file(path, n)
            r = measure(str(path))
            per = (r["peak_mb"] - base) / n * 100_000
            goal = ""
            if n >= 1_000_000:
                ok = r["seconds"] <= 10 and r["peak_mb"] <= 500
                goal = f"<= 10 s, <= 500 MB: {'met' if ok else 'MISSED'}"
            size = path.stat().st_size / 2**20
            print(
                f"{r['notes']:>10,} {r['controllers']:>12,} {size:>8.1f} {r['seconds']:>7.2f} "
                f"{r['peak_mb']:>8.0f} {per:>14.1f}  {goal}"
            )


if __name__ == "__main__":
    main()
