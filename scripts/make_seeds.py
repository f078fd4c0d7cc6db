"""Write the bundled seed songs (resources/seeds) and the test fixtures (tests/fixtures).

Seeds are short, original pieces in the meters and textures the app must handle: melodies in 4/4, 3/4 and
6/8, melody with chords, a drum groove, and the 4-bar demo the headless run continues. They are written
with pretty_midi; the fixtures that need what pretty_midi cannot write (type 0, tempo changes) use mido.
The output is deterministic, so rerunning this script changes no bytes.

    .venv/bin/python scripts/make_seeds.py
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import mido
import pretty_midi

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "resources" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
TPB = 480

# GM programs and drum keys used below
PIANO, EPIANO, NYLON_GUITAR, FINGERED_BASS, STRINGS, FLUTE, CLARINET = 0, 4, 24, 33, 48, 73, 71
KICK, SNARE, CLOSED_HAT, OPEN_HAT, CRASH, LOW_TOM, HIGH_TOM = 36, 38, 42, 46, 49, 45, 50


def song(bpm: float, meter: tuple[int, int], key: str) -> pretty_midi.PrettyMIDI:
    pm = pretty_midi.PrettyMIDI(resolution=TPB, initial_tempo=bpm)
    pm.time_signature_changes.append(pretty_midi.TimeSignature(meter[0], meter[1], 0.0))
    pm.key_signature_changes.append(pretty_midi.KeySignature(pretty_midi.key_name_to_key_number(key), 0.0))
    return pm


def part(
    pm: pretty_midi.PrettyMIDI,
    name: str,
    program: int,
    notes,
    bpm: float,
    is_drum: bool = False,
    velocity: int = 90,
) -> None:
    """Add an instrument; ``notes`` are (start_beat, length_beats, pitch) or with a 4th item, velocity."""
    inst = pretty_midi.Instrument(program=program, is_drum=is_drum, name=name)
    sec = 60.0 / bpm
    for n in notes:
        start, length, pitch = n[:3]
        vel = n[3] if len(n) > 3 else velocity
        inst.notes.append(pretty_midi.Note(vel, pitch, start * sec, (start + length) * sec))
    pm.instruments.append(inst)


def line(pitches_and_lengths, start: float = 0.0):
    """A monophonic line from (pitch, beats) pairs; pitch None is a rest."""
    out, t = [], start
    for pitch, length in pitches_and_lengths:
        if pitch is not None:
            out.append((t, length, pitch))
        t += length
    return out


def chords(progression, beats_per_chord: float, hits: list[tuple[float, float]] | None = None):
    """Block chords: each chord is a tuple of pitches; ``hits`` are (offset, length) within the chord."""
    hits = hits or [(0.0, beats_per_chord)]
    out = []
    for i, chord in enumerate(progression):
        for offset, length in hits:
            out.extend((i * beats_per_chord + offset, length, p, 70) for p in chord)
    return out


# -- the seeds ---------------------------------------------------------------------------------------


def demo() -> pretty_midi.PrettyMIDI:
    """4 bars in C major, I-vi-IV-V: a singable melody over electric piano, bass and a light groove."""
    bpm = 96
    pm = song(bpm, (4, 4), "C")
    part(
        pm,
        "Melody",
        PIANO,
        line(
            [
                (64, 1),
                (67, 1),
                (72, 1.5),
                (71, 0.5),
                (69, 1),
                (67, 1),
                (64, 2),
                (65, 1),
                (69, 1),
                (72, 1),
                (69, 1),
                (71, 1.5),
                (72, 0.5),
                (74, 1),
                (67, 1),
            ]
        ),
        bpm,
        velocity=96,
    )
    part(
        pm,
        "Keys",
        EPIANO,
        chords([(48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50)], 4, [(0, 1.5), (1.5, 0.5), (2, 2)]),
        bpm,
    )
    part(
        pm,
        "Bass",
        FINGERED_BASS,
        line(
            [
                (36, 1.5),
                (36, 0.5),
                (43, 2),
                (33, 1.5),
                (33, 0.5),
                (40, 2),
                (29, 1.5),
                (29, 0.5),
                (36, 2),
                (31, 1.5),
                (31, 0.5),
                (38, 1),
                (35, 1),
            ]
        ),
        bpm,
        velocity=84,
    )
    groove = []
    for bar in range(4):
        b = bar * 4
        groove += [
            (b, 0.5, KICK, 100),
            (b + 1, 0.5, SNARE, 88),
            (b + 2, 0.5, KICK, 96),
            (b + 2.5, 0.5, KICK, 70),
            (b + 3, 0.5, SNARE, 90),
        ]
        groove += [(b + i * 0.5, 0.25, CLOSED_HAT, 64 if i % 2 else 80) for i in range(8)]
    part(pm, "Drums", 0, groove, bpm, is_drum=True)
    return pm


def melody_4_4() -> pretty_midi.PrettyMIDI:
    """8 bars of a flute tune in D major, 4/4, with a dotted rhythm and a held cadence."""
    bpm = 108
    pm = song(bpm, (4, 4), "D")
    part(
        pm,
        "Flute",
        FLUTE,
        line(
            [
                (74, 1),
                (76, 0.5),
                (78, 0.5),
                (79, 1),
                (78, 1),
                (76, 1.5),
                (74, 0.5),
                (71, 2),
                (69, 1),
                (71, 0.5),
                (73, 0.5),
                (74, 1),
                (76, 1),
                (78, 3),
                (None, 1),
                (79, 1),
                (81, 0.5),
                (79, 0.5),
                (78, 1),
                (76, 1),
                (74, 1.5),
                (76, 0.5),
                (78, 2),
                (76, 1),
                (74, 1),
                (73, 1),
                (76, 1),
                (74, 3),
                (None, 1),
            ]
        ),
        bpm,
    )
    return pm


def melody_3_4() -> pretty_midi.PrettyMIDI:
    """A clarinet waltz in G major, 3/4: long downbeats, turning quavers."""
    bpm = 138
    pm = song(bpm, (3, 4), "G")
    part(
        pm,
        "Clarinet",
        CLARINET,
        line(
            [
                (67, 2),
                (71, 1),
                (74, 2),
                (72, 1),
                (71, 1),
                (69, 1),
                (67, 1),
                (69, 3),
                (66, 2),
                (69, 1),
                (72, 2),
                (71, 1),
                (69, 1),
                (67, 1),
                (66, 1),
                (67, 3),
                (71, 1),
                (72, 0.5),
                (74, 0.5),
                (76, 1),
                (74, 2),
                (71, 1),
                (72, 1),
                (71, 1),
                (69, 1),
                (71, 3),
                (67, 1),
                (69, 0.5),
                (71, 0.5),
                (72, 1),
                (71, 1),
                (69, 1),
                (66, 1),
                (67, 3),
            ]
        ),
        bpm,
    )
    return pm


def melody_6_8() -> pretty_midi.PrettyMIDI:
    """A jig-like guitar line in A minor, 6/8: two dotted-quarter pulses per bar, in running quavers."""
    bpm = 150  # quarter notes; the felt pulse is 100 dotted quarters
    pm = song(bpm, (6, 8), "Am")
    e = 0.5  # one quaver in beats
    part(
        pm,
        "Guitar",
        NYLON_GUITAR,
        line(
            [
                (69, e),
                (72, e),
                (76, e),
                (74, e),
                (72, e),
                (71, e),
                (69, 3 * e),
                (64, 3 * e),
                (65, e),
                (69, e),
                (72, e),
                (71, e),
                (69, e),
                (67, e),
                (64, 3 * e),
                (None, 3 * e),
                (69, e),
                (71, e),
                (72, e),
                (74, 2 * e),
                (76, e),
                (77, e),
                (76, e),
                (74, e),
                (72, 3 * e),
                (71, e),
                (72, e),
                (74, e),
                (71, e),
                (68, e),
                (64, e),
                (69, 6 * e),
            ]
        ),
        bpm,
    )
    return pm


def melody_chords() -> pretty_midi.PrettyMIDI:
    """Melody and strings in F major, 4/4: the texture a Restyle or Continue run most often starts from."""
    bpm = 84
    pm = song(bpm, (4, 4), "F")
    part(
        pm,
        "Melody",
        PIANO,
        line(
            [
                (72, 1),
                (69, 1),
                (70, 1),
                (72, 1),
                (74, 2),
                (72, 2),
                (70, 1),
                (69, 1),
                (67, 1),
                (65, 1),
                (67, 3),
                (None, 1),
                (69, 1),
                (70, 1),
                (72, 1.5),
                (74, 0.5),
                (77, 2),
                (76, 1),
                (74, 1),
                (72, 1),
                (70, 1),
                (69, 1),
                (67, 1),
                (65, 4),
            ]
        ),
        bpm,
    )
    part(
        pm,
        "Strings",
        STRINGS,
        chords(
            [
                (53, 57, 60),
                (58, 62, 65),
                (55, 58, 62),
                (48, 52, 55),
                (53, 57, 60),
                (50, 53, 57),
                (55, 58, 60),
                (53, 57, 60),
            ],
            4,
        ),
        bpm,
    )
    return pm


def drums() -> pretty_midi.PrettyMIDI:
    """Four bars of a rock groove with a tom fill into a crash (drum kit on its own track)."""
    bpm = 112
    pm = song(bpm, (4, 4), "C")
    hits = []
    for bar in range(4):
        b = bar * 4
        hits += [(b, 0.25, KICK, 110), (b + 1.5, 0.25, KICK, 90), (b + 2, 0.25, KICK, 104)]
        hits += [(b + 1, 0.25, SNARE, 100)]
        if bar < 3:
            hits += [(b + 3, 0.25, SNARE, 100)]
            hits += [
                (b + i * 0.5, 0.25, CLOSED_HAT if i != 7 else OPEN_HAT, 70 + 12 * (i % 2 == 0))
                for i in range(8)
            ]
        else:
            hits += [(b + i * 0.5, 0.25, CLOSED_HAT, 72) for i in range(5)]
            hits += [
                (b + 3, 0.25, HIGH_TOM, 96),
                (b + 3.25, 0.25, HIGH_TOM, 90),
                (b + 3.5, 0.25, LOW_TOM, 100),
                (b + 3.75, 0.25, LOW_TOM, 106),
            ]
    hits += [(16, 1, CRASH, 110), (16, 1, KICK, 110)]
    part(pm, "Drums", 0, hits, bpm, is_drum=True)
    return pm


SEED_SONGS = {
    "demo.mid": demo,
    "melody_4_4.mid": melody_4_4,
    "melody_3_4.mid": melody_3_4,
    "melody_6_8.mid": melody_6_8,
    "melody_chords.mid": melody_chords,
    "drums.mid": drums,
}


# -- fixtures ------------------------------------------------------------------------------------------


def tempo_changes_type1() -> bytes:
    """Type 1, a conductor track with a ritardando and a meter change, two instruments, a drum track."""
    mid = mido.MidiFile(type=1, ticks_per_beat=TPB)
    conductor = mido.MidiTrack(
        [
            mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0),
            mido.MetaMessage("key_signature", key="Eb", time=0),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=0),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90), time=4 * TPB),
            mido.MetaMessage("time_signature", numerator=3, denominator=4, time=4 * TPB),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60), time=2 * TPB),
            mido.MetaMessage("end_of_track", time=0),
        ]
    )
    mid.tracks.append(conductor)
    for name, channel, program, pitches in [
        ("Horn", 0, 60, [63, 67, 70, 75]),
        ("Cello", 1, 42, [39, 46, 43]),
    ]:
        msgs = [
            mido.MetaMessage("track_name", name=name, time=0),
            mido.Message("program_change", channel=channel, program=program, time=0),
        ]
        for i in range(12):
            p = pitches[i % len(pitches)]
            msgs.append(
                mido.Message("note_on", channel=channel, note=p, velocity=60 + i * 5, time=0 if i == 0 else 7)
            )
            msgs.append(mido.Message("note_off", channel=channel, note=p, velocity=0, time=TPB - 7 - i))
        mid.tracks.append(mido.MidiTrack(msgs))
    drum = [mido.MetaMessage("track_name", name="Kit", time=0)]
    for i in range(8):
        drum.append(
            mido.Message(
                "note_on",
                channel=9,
                note=KICK if i % 2 == 0 else SNARE,
                velocity=100,
                time=0 if i == 0 else TPB // 2,
            )
        )
        drum.append(
            mido.Message("note_on", channel=9, note=KICK if i % 2 == 0 else SNARE, velocity=0, time=TPB // 2)
        )
    mid.tracks.append(mido.MidiTrack(drum))
    return _bytes(mid)


def type0_multichannel() -> bytes:
    """The same music merged into one track (type 0): instruments must be split by channel on import."""
    src = mido.MidiFile(file=io.BytesIO(tempo_changes_type1()))
    mid = mido.MidiFile(type=0, ticks_per_beat=src.ticks_per_beat)
    mid.tracks.append(mido.merge_tracks(src.tracks))
    return _bytes(mid)


def _bytes(mid: mido.MidiFile) -> bytes:
    out = io.BytesIO()
    mid.save(file=out)
    return out.getvalue()


def broken_fixtures(valid_midi: bytes) -> dict[str, bytes]:
    rng = random.Random(2)
    project = {
        "format": "musestudio-project",
        "version": 1,
        "ticks_per_beat": 480,
        "tempos": [{"tick": 0, "bpm": 120}],
        "time_signatures": [{"tick": 0, "numerator": 4, "denominator": 4}],
        "key": "C major",
        "metadata": {},
        "tracks": [{"name": "Lead", "program": 0, "notes": [[60, 0, 480, 100], [62, 480, 480, 0]]}],
    }
    return {
        "empty.mid": b"",
        "random_bytes.mid": bytes(rng.randrange(256) for _ in range(2048)),
        "text_not_midi.mid": b"This is a shopping list, not a song.\n",
        "truncated.mid": valid_midi[: len(valid_midi) // 2],
        "header_only.mid": valid_midi[:14],
        "huge_tick.mid": _bytes(
            mido.MidiFile(
                type=1,
                ticks_per_beat=1,
                tracks=[
                    mido.MidiTrack(
                        [
                            mido.Message("note_on", note=60, velocity=90, time=0),
                            mido.Message("note_off", note=60, time=0x0FFFFFFF),
                        ]
                    )
                ],
            )
        ),
        "truncated.muse": json.dumps(project).encode()[:-40],
        "bad_velocity.muse": json.dumps(project).encode(),
        "wrong_format.muse": json.dumps({"format": "something-else", "version": 1}).encode(),
        "newer_version.muse": json.dumps(project | {"version": 99}).encode(),
    }


def main() -> None:
    SEEDS.mkdir(parents=True, exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, make in SEED_SONGS.items():
        make().write(str(SEEDS / name))
    fixtures = {"tempo_changes.mid": tempo_changes_type1(), "type0.mid": type0_multichannel()}
    fixtures |= broken_fixtures(fixtures["tempo_changes.mid"])
    for name, data in fixtures.items():
        (FIXTURES / name).write_bytes(data)
    print(f"wrote {len(SEED_SONGS)} seeds to {SEEDS} and {len(fixtures)} fixtures to {FIXTURES}")


if __name__ == "__main__":
    main()
