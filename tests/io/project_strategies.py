"""Hypothesis strategies for whole projects, shared by the file-format tests."""

from __future__ import annotations

import io

import mido
from hypothesis import strategies as st

from musestudio.core import (
    ControlEvent,
    KeyChange,
    KeySignature,
    Marker,
    Note,
    Project,
    RawEvent,
    TempoChange,
    TextEvent,
    TimeSignature,
    Track,
)
from musestudio.core.bars import bar_index, bar_line, insert_bars
from musestudio.core.events import CHANNEL_PRESSURE, PITCH_BEND, PROGRAM, lane_range, poly_pressure_lane
from musestudio.core.timing import next_bar_line
from musestudio.core.track import TRACK_COLOURS
from musestudio.io.midi import midi_from_bytes

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
)


@st.composite
def note_lists(draw, max_tick: int = 20000) -> tuple[Note, ...]:
    """Notes of one track; a pitch is never struck again while it still sounds (MIDI cannot tell apart
    two overlapping notes of one pitch on one channel)."""
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, 127),
                st.integers(0, max_tick),
                st.integers(1, 4000),
                st.integers(1, 127),
                st.sampled_from((0, 0, 64, 127)) | st.integers(0, 127),  # the release velocity
            ),
            min_size=1,
            max_size=40,
        )
    )
    busy_until: dict[int, int] = {}
    notes = []
    for pitch, start, duration, velocity, release in sorted(rows, key=lambda r: (r[1], r[0])):
        if start < busy_until.get(pitch, -1) or (pitch, start) in {(n.pitch, n.start) for n in notes}:
            continue
        notes.append(Note(pitch, start, duration, velocity, release=release))
        busy_until[pitch] = start + duration
    return tuple(notes)


@st.composite
def controller_lists(draw, max_tick: int = 20000) -> tuple[ControlEvent, ...]:
    """Any CC, pitch bend, pressure and program changes, at any ticks (several at one tick allowed), each
    after tick 0 sent before or after the note-offs and the note-ons of its tick
    (``ControlEvent.after_releases``, ``after_strikes``), or both, as a model may hold it (at tick 0 a file
    sends such an event only after a note struck there: ``file_starts``)."""
    lanes = st.integers(0, 127) | st.sampled_from(
        [PITCH_BEND, CHANNEL_PRESSURE, PROGRAM, poly_pressure_lane(60)]
    )
    out = []
    for tick, lane in draw(st.lists(st.tuples(st.integers(0, max_tick), lanes), max_size=12)):
        lo, hi = lane_range(lane)
        order = draw(st.sampled_from([(False, False)] * 4 + [(True, False), (False, True), (True, True)]))
        order = order if tick else (False, False)
        out.append(ControlEvent(tick, lane, draw(st.integers(lo, hi)), *order))
    return tuple(out)


texts = st.builds(
    TextEvent, st.integers(0, 20000), st.sampled_from(["lyrics", "text", "copyright", "cue_marker"]), names
)
raw_events = st.builds(
    RawEvent,
    st.integers(0, 20000),
    st.sampled_from([b"\xf0\x7e\x7f\x09\x01\xf7", b"\xff\x7f\x03\x00\x20\x24", b"\xff\x60\x01\x05"]),
)


#: SysEx a file sends among a part's settings at its start: GM System On and a GS reset, each undoing what
#: was set before it, so where it lies among them is heard.
START_SYSEX = (b"\x7e\x7f\x09\x01", b"\x41\x10\x42\x12\x40\x00\x7f\x00\x41")
#: The messages a file starts a part with, by mido type and fields: bank selects, programs and volume
#: often (their order against each other and a SysEx decides ``Track.program_after``, ``volume_after`` and
#: ``sound_before_lanes``), and a pan, a pedal, a reverb send, a bend.
_START_MESSAGES = st.one_of(
    st.tuples(
        st.just("control_change"), st.sampled_from([0, 32, 7, 0, 32, 7, 10, 64, 91]), st.integers(0, 127)
    ),
    st.tuples(st.just("program_change"), st.integers(0, 127), st.none()),
    st.tuples(st.just("pitchwheel"), st.integers(-8192, 8191), st.none()),
)
_FIELDS = {"control_change": ("control", "value"), "program_change": ("program",), "pitchwheel": ("pitch",)}
#: What reading a file's start gives a track (``file_starts``), taken over by ``tracks``.
_START_FIELDS = tuple(
    "program volume program_stated volume_stated program_after volume_after sound_before_lanes".split()
)


@st.composite
def start_messages(draw, channel: int) -> list[mido.Message]:
    """What a MIDI file may send a part at tick 0 before its music: bank selects, programs, volume and
    other lanes in any order, a SysEx among them."""
    sent = []
    for kind, a, b in draw(st.lists(_START_MESSAGES, max_size=8)):
        sent.append(mido.Message(kind, channel=channel, **dict(zip(_FIELDS[kind], (a, b), strict=False))))
    for data in draw(st.lists(st.sampled_from(START_SYSEX), max_size=2)):
        sent.insert(draw(st.integers(0, len(sent))), mido.Message("sysex", data=data))
    return sent


@st.composite
def file_starts(draw, channel: int) -> Track:
    """A part as a MIDI file may start it at tick 0 (``start_messages``), read as the app reads such a
    file: its program and volume (and whether the file stated them), its lanes, its kept events, and where
    its own settings go among them
    (``Track.program_after``, ``volume_after``, ``sound_before_lanes``): only combinations a file can
    give. Lanes the file sends after its first note-on at tick 0 come after it
    (``ControlEvent.after_strikes``: a pedal pressed on the first chord, a program for the next note)."""
    sent = draw(start_messages(channel))
    after = [m for m in draw(start_messages(channel)) if m.type != "sysex"]
    part = mido.MidiTrack([*sent, mido.Message("note_on", channel=channel, note=60, velocity=90), *after])
    part.append(mido.Message("note_off", channel=channel, note=60, time=480))
    out = io.BytesIO()
    mido.MidiFile(type=1, ticks_per_beat=480, tracks=[mido.MidiTrack(), part]).save(file=out)
    (track,) = midi_from_bytes(out.getvalue()).tracks
    return track


def namings(name: str):
    """A track's name fields: ``name``, or the empty name a file may give, or no name event at all (a part
    its file left unnamed)."""
    return st.sampled_from(({"name": name}, {"name": name}, {"name": ""}, {"name": "", "name_event": False}))


@st.composite
def tracks(draw, name: str) -> Track:
    """A track of any settings, lanes and words; half the time started as a MIDI file may start a part
    (``file_starts``), its settings and lanes at tick 0 in the order the file gave them, with its first
    note where it sent some of them after that note's strike."""
    channel = draw(st.integers(0, 15))
    controllers = draw(controller_lists())
    extra_events = tuple(draw(st.lists(raw_events, max_size=2)))
    notes = draw(note_lists())
    start = {"program": draw(st.integers(0, 127)), "volume": draw(st.integers(0, 127))}
    if draw(st.booleans()):
        read = draw(file_starts(channel))
        start = {field: getattr(read, field) for field in _START_FIELDS}
        controllers = (*read.controllers, *(e for e in controllers if e.tick))
        extra_events = (*read.extra_events, *(e for e in extra_events if e.tick))
        if read.after_strikes_at():
            first = read.notes[0]
            notes = (first, *(n for n in notes if n.pitch != first.pitch or n.start >= first.end))
    return Track(
        **draw(namings(name)),
        is_drum=draw(st.booleans()),
        channel=channel,
        colour=draw(st.sampled_from(TRACK_COLOURS)),
        mute=draw(st.booleans()),
        solo=draw(st.booleans()),
        notes=notes,
        controllers=controllers,
        texts=tuple(draw(st.lists(texts, max_size=3))),
        extra_events=extra_events,
        **start,
    )


@st.composite
def projects(draw) -> Project:
    track_names = draw(st.lists(names.map(str.strip).filter(bool), min_size=1, max_size=5, unique=True))
    tempo_ticks = draw(st.lists(st.integers(1, 20000), max_size=4, unique=True))
    bpms = draw(
        st.lists(
            st.integers(2000, 30000), min_size=len(tempo_ticks) + 1, max_size=len(tempo_ticks) + 1
        ).filter(lambda b: all(x != y for x, y in zip(b, b[1:], strict=False)))
    )  # a repeat is no change at all
    sig_ticks = draw(st.lists(st.integers(1, 20000), max_size=3, unique=True))
    sigs = [
        TimeSignature(t, draw(st.integers(1, 16)), draw(st.sampled_from([2, 4, 8, 16])))
        for t in [0, *sorted(sig_ticks)]
    ]
    project = Project(
        tracks=tuple(draw(tracks(n)) for n in track_names),
        ticks_per_beat=draw(st.sampled_from([96, 220, 384, 480, 960])),
        tempos=tuple(TempoChange(t, b / 100) for t, b in zip([0, *sorted(tempo_ticks)], bpms, strict=True)),
        time_signatures=tuple(sigs),
        key=draw(
            st.none() | st.builds(KeySignature, st.integers(0, 11), st.sampled_from(["major", "minor"]))
        ),
        metadata=draw(st.dictionaries(st.sampled_from(["title", "composer", "style"]), names, max_size=3)),
        key_changes=tuple(
            KeyChange(t, KeySignature.from_signature(a, m))
            for t, a, m in draw(
                st.lists(
                    st.tuples(st.integers(1, 20000), st.integers(-7, 7), st.sampled_from(["major", "minor"])),
                    max_size=3,
                    unique_by=lambda k: k[0],
                )
            )
        ),
        markers=tuple(draw(st.lists(st.builds(Marker, st.integers(0, 20000), names), max_size=3))),
        texts=tuple(draw(st.lists(texts, max_size=2))),
        extra_events=tuple(draw(st.lists(raw_events, max_size=2))),
    )
    if draw(st.booleans()):  # bars put in at or after the end: the end they replaced is kept
        end = next_bar_line(project.length, project.time_signatures, project.ticks_per_beat)
        later = draw(st.integers(0, 2))
        at = bar_line(project.time_signatures, project.ticks_per_beat, bar_index(project, end) + later)
        project = insert_bars(project, at, draw(st.integers(1, 3)))
    return project
