"""Hypothesis strategies for whole projects, shared by the file-format tests."""

from __future__ import annotations

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
from musestudio.core.events import CHANNEL_PRESSURE, PITCH_BEND, PROGRAM, lane_range, poly_pressure_lane
from musestudio.core.track import TRACK_COLOURS

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
    """Any CC, pitch bend, pressure and program changes, at any ticks (several at one tick allowed)."""
    lanes = st.integers(0, 127) | st.sampled_from(
        [PITCH_BEND, CHANNEL_PRESSURE, PROGRAM, poly_pressure_lane(60)]
    )
    out = []
    for tick, lane in draw(st.lists(st.tuples(st.integers(0, max_tick), lanes), max_size=12)):
        lo, hi = lane_range(lane)
        out.append(ControlEvent(tick, lane, draw(st.integers(lo, hi))))
    return tuple(out)


texts = st.builds(
    TextEvent, st.integers(0, 20000), st.sampled_from(["lyrics", "text", "copyright", "cue_marker"]), names
)
raw_events = st.builds(
    RawEvent,
    st.integers(0, 20000),
    st.sampled_from([b"\xf0\x7e\x7f\x09\x01\xf7", b"\xff\x7f\x03\x00\x20\x24", b"\xff\x60\x01\x05"]),
)


@st.composite
def tracks(draw, name: str) -> Track:
    return Track(
        name=name,
        program=draw(st.integers(0, 127)),
        is_drum=draw(st.booleans()),
        channel=draw(st.integers(0, 15)),
        volume=draw(st.integers(0, 127)),
        colour=draw(st.sampled_from(TRACK_COLOURS)),
        mute=draw(st.booleans()),
        solo=draw(st.booleans()),
        notes=draw(note_lists()),
        controllers=draw(controller_lists()),
        texts=tuple(draw(st.lists(texts, max_size=3))),
        extra_events=tuple(draw(st.lists(raw_events, max_size=2))),
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
    return Project(
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
