"""What a MIDI file written from a piece changes from the piece as the app plays it, as items to say:
Export MIDI says them in the window, and every command that writes MIDI (convert, restyle, the takes of
continue, add-part and infill) on the command line, each in its own words from these same items.

MIDI cannot hold everything a piece holds: a pitched track set to a drum channel (10, or one the piece's GS
or XG SysEx makes a drum part: ``drum_parts``) goes out on another (there it would play drums), a drum
track set to another channel on the drum channel, tracks sharing a channel while setting it differently go
out on channels of their own (``channel_plan``), text with no Latin-1 form goes out as UTF-8, a tempo under
MIDI's slowest (about 3.58 BPM) goes out at that one, two notes of one pitch where one sounds inside the
other come back with each other's ends, and mute and solo are lost.
Channels are numbered here as musicians count them, 1 to 16; tracks by the names the caller calls them
(``part_name`` by default: a part with no name of its own by its instrument).
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.timing import ticks_to_bar_beat
from musestudio.core.track import DRUM_CHANNEL, Track
from musestudio.io.channel_plan import drum_channel, export_plan
from musestudio.io.drum_parts import piece_drum_channels
from musestudio.io.midi import (
    SLOWEST_BPM,
    SLOWEST_MICROS,
    part_name,
    piece_text_encoding,
    track_text_encoding,
)

#: What a track is called in the items (the window passes its ``track_labels``).
Naming = Callable[[Track], str]


@dataclass(frozen=True)
class OffDrumChannel:
    """Pitched tracks set to the drum ``channel`` (10, or one the piece's SysEx makes a drum part): they go
    out on a melodic channel, as there a player would play their notes as drums, and the app plays them on
    their instrument. ``moves``: each track's name and its channel in the file."""

    moves: tuple[tuple[str, int], ...]
    channel: int = DRUM_CHANNEL + 1


@dataclass(frozen=True)
class OntoDrumChannel:
    """Drum tracks set to a channel that is not a drum channel: they go out on the drum ``channel`` (10, or
    the one the piece's SysEx makes a drum part where it leaves 10 none), as the app plays them as drums.
    ``tracks``: each track's name and the channel it is set to."""

    tracks: tuple[tuple[str, int], ...]
    channel: int = DRUM_CHANNEL + 1


@dataclass(frozen=True)
class OwnChannels:
    """Tracks that go out on channels of their own, as each shares its channel with a track that sets it
    otherwise (at its start or later): so each keeps its own instrument and settings. ``moves``: each
    track's name and its channel in the file."""

    moves: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SharedChannel:
    """Tracks still sharing a ``channel`` they set differently, as no channel is left free, or as it is a
    drum channel (``drums``: 10, or one the piece's SysEx makes a drum part), which drums keep: in the file
    they play one instrument at one volume."""

    tracks: tuple[str, ...]
    channel: int
    drums: bool = False


@dataclass(frozen=True)
class TextInUtf8:
    """Text that goes out as UTF-8, not the Latin-1 it came in, as some of it has no Latin-1 form: the
    piece's title and markers (``piece``), and the names and text of ``tracks``."""

    piece: bool
    tracks: tuple[str, ...]


@dataclass(frozen=True)
class SlowTempos:
    """Tempo changes slower than MIDI can hold (it stores at most 0xFFFFFF microseconds a beat): they go out
    at ``slowest`` BPM (about 3.58), so the file plays those stretches faster than the piece. ``tempos``:
    each change's bar (counted from 1) and its BPM, in time order."""

    tempos: tuple[tuple[int, float], ...]
    slowest: float = SLOWEST_BPM


@dataclass(frozen=True)
class SwappedEnds:
    """``notes`` notes sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so
    the file gives them each other's ends (``notes_midi_cannot_keep``)."""

    notes: int


@dataclass(frozen=True)
class NoMuteOrSolo:
    """``tracks`` are muted or soloed: MIDI has no mute or solo, so in the file they play as every other
    track (and open again neither muted nor soloed)."""

    tracks: tuple[str, ...]


MidiExportChange = (
    OffDrumChannel
    | OntoDrumChannel
    | OwnChannels
    | SharedChannel
    | TextInUtf8
    | SlowTempos
    | SwappedEnds
    | NoMuteOrSolo
)


def midi_export_changes(project: Project, name: Naming = part_name) -> list[MidiExportChange]:
    """What writing ``project`` as MIDI changes from it, in the order to say it: channels, text, tempo,
    notes, mute and solo; each track called ``name(track)``."""
    changes = [*_channel_changes(project, name), *_text_changes(project, name)]
    if slow := too_slow_tempos(project):
        changes.append(SlowTempos(slow))
    if swapped := notes_midi_cannot_keep(project):
        changes.append(SwappedEnds(swapped))
    if muted := tuple(name(t) for t in project.tracks if t.mute or t.solo):
        changes.append(NoMuteOrSolo(muted))
    return changes


def _channel_changes(project: Project, name: Naming) -> list[MidiExportChange]:
    """The tracks the export moves off a drum channel (one item for each, by channel) or onto the drum
    channel, then to channels of their own (``channel_plan``), then those left sharing one."""
    tracks, plan, drums = project.tracks, export_plan(project), piece_drum_channels(project)
    off: dict[int, list[tuple[str, int]]] = {}
    for i in plan.off_drums:
        off.setdefault(tracks[i].channel + 1, []).append((name(tracks[i]), plan.channels[i] + 1))
    onto = tuple((name(tracks[i]), tracks[i].channel + 1) for i in plan.onto_drums)
    moves = tuple((name(tracks[i]), plan.channels[i] + 1) for i in plan.moved)
    shared = [
        SharedChannel(
            tuple(name(tracks[i]) for i in group),
            plan.channels[group[0]] + 1,
            plan.channels[group[0]] in drums,
        )
        for group in plan.shared
    ]
    changes: list[MidiExportChange] = [OffDrumChannel(tuple(off[c]), c) for c in sorted(off)]
    changes += [OntoDrumChannel(onto, drum_channel(drums) + 1)] if onto else []
    return changes + ([OwnChannels(moves)] if moves else []) + shared


def _text_changes(project: Project, name: Naming) -> list[TextInUtf8]:
    """The text that has no form in the encoding it came in, so goes out as UTF-8."""
    piece = piece_text_encoding(project) != project.text_encoding
    tracks = tuple(name(t) for t in project.tracks if track_text_encoding(t) != t.text_encoding)
    return [TextInUtf8(piece, tracks)] if piece or tracks else []


def too_slow_tempos(project: Project) -> tuple[tuple[int, float], ...]:
    """The bar and BPM of each tempo change the export writes at MIDI's slowest, as the file cannot hold
    it (the same rounding to whole microseconds a beat the export makes)."""
    return tuple(
        (ticks_to_bar_beat(t.tick, project.time_signatures, project.ticks_per_beat).bar, t.bpm)
        for t in project.tempos
        if round(60e6 / t.bpm) > SLOWEST_MICROS
    )


def notes_midi_cannot_keep(project: Project) -> int:
    """How many notes a MIDI file would give back otherwise: a note struck again inside a longer note of
    its pitch on its track (a short note inside a held one) ends first, and MIDI pairs a note-off with
    the earliest note of that pitch still sounding, so the two come back with each other's ends. Said
    when exporting; a ``.muse`` project keeps them as they are."""
    changed = 0
    for track in project.tracks:
        by_pitch: dict[int, list[Note]] = {}
        for n in track.notes:
            by_pitch.setdefault(n.pitch, []).append(n)
        for notes in by_pitch.values():
            if len(notes) > 1:
                changed += _paired_otherwise(notes)
    return changed


def _paired_otherwise(notes: list[Note]) -> int:
    """Of one track's notes of one pitch, those read back with another end (the order ``midi``
    writes them in: at one tick note-offs before note-ons, each kind in the notes' order)."""
    events = sorted(
        [(n.end, 3, i) for i, n in enumerate(notes)] + [(n.start, 4, i) for i, n in enumerate(notes)],
        key=lambda e: (e[0], e[1]),
    )
    sounding: collections.deque[int] = collections.deque()
    read = []
    for tick, kind, i in events:
        if kind == 4:
            sounding.append(i)
        elif sounding:
            first = notes[sounding.popleft()]
            read.append((first.start, tick, first.velocity, notes[i].release))
    written = collections.Counter((n.start, n.end, n.velocity, n.release) for n in notes)
    return sum((written - collections.Counter(read)).values())
