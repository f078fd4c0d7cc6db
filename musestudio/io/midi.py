"""Standard MIDI files <-> Project.

Reading goes through mido (parsing) and pretty_midi (grouping notes into instruments, the tempo map, meter
and key); pretty_midi's seconds are turned back into the file's own ticks with its exact inverse, so every
note keeps its tick position. Writing builds a type-1 file with mido: a conductor track (tempo map, time and
key signatures) then one track per Track, so tempo changes survive, which pretty_midi's writer cannot do.

Anything wrong with a file becomes a ``BadInputError`` saying what is wrong in words, never a parser's
exception.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import mido

# pretty_midi imports pyfluidsynth, which prints where it found the library when CI is set: keep stdout ours
with contextlib.redirect_stdout(io.StringIO()):
    import pretty_midi

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange, TimeSignature
from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.files import plain_reason, read_input_bytes, save_error_message

MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")
_VOLUME_CC = 7
_MAJOR_BY_SHARPS = {
    0: "C",
    1: "G",
    2: "D",
    3: "A",
    4: "E",
    5: "B",
    6: "F#",
    7: "C#",
    -1: "F",
    -2: "Bb",
    -3: "Eb",
    -4: "Ab",
    -5: "Db",
    -6: "Gb",
    -7: "Cb",
}
_MINOR_BY_SHARPS = {
    0: "Am",
    1: "Em",
    2: "Bm",
    3: "F#m",
    4: "C#m",
    5: "G#m",
    6: "D#m",
    7: "A#m",
    -1: "Dm",
    -2: "Gm",
    -3: "Cm",
    -4: "Fm",
    -5: "Bbm",
    -6: "Ebm",
    -7: "Abm",
}


# -- reading -------------------------------------------------------------------------------------------


def read_midi(path: str | Path) -> Project:
    path = Path(path)
    return midi_from_bytes(read_input_bytes(path, "MIDI file"), path.name)


def midi_from_bytes(data: bytes, name: str = "the MIDI data") -> Project:
    """Parse a whole standard MIDI file (type 0 or 1) into a Project."""
    if not data:
        raise BadInputError(f"{name} is empty")
    if not data.startswith(b"MThd"):
        raise BadInputError(f"{name} is not a MIDI file (it does not start with a MIDI header)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pretty_midi warns about meta events on later tracks
            midi = _parse(data)
            if midi.type == 2:
                raise BadInputError(f"{name} is a type-2 MIDI file (separate songs); only types 0 and 1 open")
            if not any(len(t) for t in midi.tracks):
                raise BadInputError(f"{name} contains no MIDI events")
            pm = pretty_midi.PrettyMIDI(mido_object=midi)
        return _project_from(pm, name)
    except BadInputError:
        raise
    except Exception as e:  # noqa: BLE001 - any parser failure means a damaged file
        raise BadInputError(f"{name} is damaged or incomplete ({_reason(e)})") from None


def _parse(data: bytes) -> mido.MidiFile:
    """Text (track names) is read as UTF-8 where it is valid, else as Latin-1 like older tools wrote it."""
    try:
        return mido.MidiFile(file=io.BytesIO(data), charset="utf-8")
    except UnicodeDecodeError:
        return mido.MidiFile(file=io.BytesIO(data), charset="latin1")


def _reason(e: Exception) -> str:
    return plain_reason(e)  # the parser's words turned into a musician's (io.files)


def _project_from(pm: pretty_midi.PrettyMIDI, name: str) -> Project:
    tpb = pm.resolution
    if not 1 <= tpb <= 32767:
        raise BadInputError(f"{name} has an unusable time resolution ({tpb} ticks per beat)")

    def tick(seconds: float) -> int:
        return int(pm.time_to_tick(seconds))

    times, bpms = pm.get_tempo_changes()
    tempos = []
    for t, bpm in zip(times, bpms, strict=True):
        if not 1.0 <= bpm <= 1000.0:
            raise BadInputError(f"{name} asks for a tempo of {bpm:.0f} BPM, which no music uses")
        tempos.append(TempoChange(tick(t), _plain_bpm(float(bpm))))
    sigs = []
    for ts in pm.time_signature_changes:
        try:
            sigs.append(TimeSignature(tick(ts.time), ts.numerator, ts.denominator))
        except ValueError:
            raise BadInputError(
                f"{name} has an impossible time signature {ts.numerator}/{ts.denominator}"
            ) from None
    key = None
    if pm.key_signature_changes:
        k = pm.key_signature_changes[0].key_number
        key = KeySignature(k % 12, "major" if k < 12 else "minor")
    names = _track_names(pm.instruments)
    return Project(
        tracks=tuple(_track_from(inst, i, names[i], tick) for i, inst in enumerate(pm.instruments)),
        ticks_per_beat=tpb,
        tempos=_dedupe_by_tick(tempos),
        time_signatures=_dedupe_by_tick(sigs),
        key=key,
    )


def _plain_bpm(bpm: float) -> float:
    """The shortest decimal whose tempo rounds to what the file stores.

    Files keep whole microseconds per beat, so 140.5 BPM comes back as 140.500087 (and 138 written by a
    truncating tool as 138.0002); both read as the tempo the composer typed.
    """
    stored = 60e6 / bpm
    for digits in range(7):
        candidate = round(bpm, digits)
        if candidate > 0 and abs(60e6 / candidate - stored) < 1.0:
            return candidate
    return bpm


def _dedupe_by_tick(changes: list) -> tuple:
    """Keep the last change at each tick (files often repeat one at tick 0)."""
    return tuple({c.tick: c for c in changes}.values())


def _track_names(instruments: list[pretty_midi.Instrument]) -> list[str]:
    """Each instrument's track name; the instrument's GM name where the file gives none or several
    instruments share one (a type-0 file names its only track, not its parts)."""
    given = [inst.name.strip() for inst in instruments]
    return [
        name if name and given.count(name) == 1 else _gm_name(inst)
        for name, inst in zip(given, instruments, strict=True)
    ]


def _gm_name(inst: pretty_midi.Instrument) -> str:
    return "Drums" if inst.is_drum else pretty_midi.program_to_instrument_name(inst.program)


def _track_from(inst: pretty_midi.Instrument, index: int, name: str, tick) -> Track:
    notes = []
    for n in inst.notes:
        start = tick(n.start)
        notes.append(
            Note(int(n.pitch), start, max(1, tick(n.end) - start), max(1, min(127, int(n.velocity))))
        )
    volumes = sorted((cc.time, cc.value) for cc in inst.control_changes if cc.number == _VOLUME_CC)
    return Track(
        name=name,
        program=int(inst.program),
        channel=DRUM_CHANNEL if inst.is_drum else _melodic_channel(index),
        is_drum=inst.is_drum,
        colour=TRACK_COLOURS[index % len(TRACK_COLOURS)],
        volume=int(volumes[0][1]) if volumes else 100,
        notes=tuple(notes),
    )


def _melodic_channel(index: int) -> int:
    """Channels 0..15 in turn, skipping the drum channel."""
    channel = index % 15
    return channel + 1 if channel >= DRUM_CHANNEL else channel


# -- writing -------------------------------------------------------------------------------------------


def write_midi(project: Project, path: str | Path) -> None:
    try:
        atomic_write_bytes(path, midi_to_bytes(project))
    except (OSError, ValueError) as e:  # a full disk, a read-only file, a name that cannot be encoded
        raise BadInputError(save_error_message(path, e)) from None


def midi_to_bytes(project: Project) -> bytes:
    """A type-1 standard MIDI file: conductor track first, then one track per project track."""
    midi = mido.MidiFile(type=1, ticks_per_beat=project.ticks_per_beat, charset="utf-8")
    midi.tracks.append(_conductor_track(project))
    for i, track in enumerate(project.tracks):
        midi.tracks.append(_note_track(track, _export_channel(track, i)))
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _export_channel(track: Track, index: int) -> int:
    if track.is_drum:
        return DRUM_CHANNEL
    return track.channel if track.channel != DRUM_CHANNEL else _melodic_channel(index)


def _conductor_track(project: Project) -> mido.MidiTrack:
    timed: list[tuple[int, int, mido.MetaMessage]] = []
    name = project.metadata.get("title")
    if name:
        timed.append((0, 0, mido.MetaMessage("track_name", name=name)))
    for ts in project.time_signatures:
        timed.append(
            (
                ts.tick,
                1,
                mido.MetaMessage("time_signature", numerator=ts.numerator, denominator=ts.denominator),
            )
        )
    if project.key is not None:
        names = _MAJOR_BY_SHARPS if project.key.mode == "major" else _MINOR_BY_SHARPS
        timed.append((0, 2, mido.MetaMessage("key_signature", key=names[project.key.sharps])))
    for tc in project.tempos:
        # MIDI stores at most 0xFFFFFF microseconds per beat: anything under 3.58 BPM plays at 3.58
        tempo = min(mido.bpm2tempo(tc.bpm), 0xFFFFFF)
        timed.append((tc.tick, 3, mido.MetaMessage("set_tempo", tempo=tempo)))
    return _delta_track(timed)


def _note_track(track: Track, channel: int) -> mido.MidiTrack:
    timed: list[tuple[int, int, mido.Message | mido.MetaMessage]] = [
        (0, 0, mido.MetaMessage("track_name", name=track.name)),
        (0, 1, mido.Message("program_change", channel=channel, program=track.program)),
        (0, 2, mido.Message("control_change", channel=channel, control=_VOLUME_CC, value=track.volume)),
    ]
    for n in track.notes:
        # offs sort before ons at the same tick, so a repeated pitch is closed before it is struck again
        timed.append(
            (n.start, 4, mido.Message("note_on", channel=channel, note=n.pitch, velocity=n.velocity))
        )
        timed.append((n.end, 3, mido.Message("note_off", channel=channel, note=n.pitch, velocity=0)))
    return _delta_track(timed)


def _delta_track(timed: list) -> mido.MidiTrack:
    track = mido.MidiTrack()
    now = 0
    for tick, _, msg in sorted(timed, key=lambda t: (t[0], t[1])):
        track.append(msg.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track
