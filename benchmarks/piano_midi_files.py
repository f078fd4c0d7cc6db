"""Piano-midi.de pieces as MIDI files a user could hand to ``musestudio-cli learn`` (issue 16's figures).

The shared copy of the Piano-midi.de benchmark (``shared/data/piano_midi/Piano_midi.mat``, Boulanger-Lewandowski
2012) holds piano rolls only: 87/12/25 pieces of the published split, each transposed to C major or C minor,
one frame per eighth note, no file names, so no composer can be told from another. This writes the train
split's pieces of a few minutes (``--min``..``--max`` frames) as MIDI files, in the split's order: the first
``--learn`` into one folder (the "user's files"), the next ``--held`` into another (files of the same set the
style never sees). Each frame is an eighth note at 100 bpm (0.3 s), 4/4; a pitch held over consecutive frames
is one note (a roll cannot tell a repeated key from a held one); two tracks as the site's files have, the
right hand (middle C and up) and the left.

Needs scipy (not a MuseStudio dependency), so it runs with any Python that has it:

    python3 benchmarks/piano_midi_files.py OUT_LEARN OUT_HELD [--learn 8] [--held 16]
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

TPB = 480
EIGHTH = TPB // 2
TEMPO_US = 600_000  # a quarter at 100 bpm: an eighth (one frame) is 0.3 s
SPLIT = 60  # middle C and up: the right hand


def notes_of(roll) -> list[tuple[int, int, int]]:
    """(start frame, end frame, pitch) of each run of consecutive active frames of a pitch."""
    out = []
    frames, keys = roll.shape
    for k in range(keys):
        start = None
        for f in range(frames + 1):
            on = f < frames and bool(roll[f, k])
            if on and start is None:
                start = f
            elif not on and start is not None:
                out.append((start, f, k + 21))
                start = None
    return out


def _varlen(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def _track(events: list[tuple[int, bytes]]) -> bytes:
    body, now = b"", 0
    for tick, data in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 == 0x90)):  # note-offs first
        body += _varlen(tick - now) + data
        now = tick
    body += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body


def midi_bytes(notes: list[tuple[int, int, int]]) -> bytes:
    conductor = [
        (0, b"\xff\x51\x03" + TEMPO_US.to_bytes(3, "big")),
        (0, b"\xff\x58\x04\x04\x02\x18\x08"),
    ]
    tracks = [_track(conductor)]
    for channel, (name, keep) in enumerate(
        (("Piano right", lambda p: p >= SPLIT), ("Piano left", lambda p: p < SPLIT))
    ):
        ev = [(0, b"\xff\x03" + _varlen(len(name)) + name.encode()), (0, bytes([0xC0 | channel, 0]))]
        for a, b, p in notes:
            if keep(p):
                ev.append((a * EIGHTH, bytes([0x90 | channel, p, 80])))
                ev.append((b * EIGHTH, bytes([0x80 | channel, p, 0])))
        tracks.append(_track(ev))
    return b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TPB) + b"".join(tracks)


def main() -> None:
    import scipy.io

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("learn_dir", type=Path)
    ap.add_argument("held_dir", type=Path)
    ap.add_argument("--mat", type=Path, default=None, help="Piano_midi.mat (default: the shared data folder)")
    ap.add_argument("--learn", type=int, default=8)
    ap.add_argument("--held", type=int, default=16)
    ap.add_argument("--min", type=int, default=400, help="shortest piece in frames (eighths)")
    ap.add_argument("--max", type=int, default=1600, help="longest piece in frames")
    a = ap.parse_args()
    mat = a.mat or Path(__file__).resolve().parents[2] / "shared" / "data" / "piano_midi" / "Piano_midi.mat"
    rolls = scipy.io.loadmat(str(mat))["traindata"][0]
    chosen = [i for i, r in enumerate(rolls) if a.min <= r.shape[0] <= a.max][: a.learn + a.held]
    for n, i in enumerate(chosen):
        folder = a.learn_dir if n < a.learn else a.held_dir
        folder.mkdir(parents=True, exist_ok=True)
        notes = notes_of(rolls[i])
        (folder / f"pm_train{i:02d}.mid").write_bytes(midi_bytes(notes))
        print(f"{folder.name}/pm_train{i:02d}.mid  {rolls[i].shape[0]} eighths  {len(notes)} notes")


if __name__ == "__main__":
    main()
