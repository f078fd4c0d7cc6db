"""Hypothesis strategies for whole projects, shared by the file-format tests."""

from __future__ import annotations

from hypothesis import strategies as st

from musestudio.core import KeySignature, Note, Project, TempoChange, TimeSignature, Track
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
                st.integers(0, 127), st.integers(0, max_tick), st.integers(1, 4000), st.integers(1, 127)
            ),
            min_size=1,
            max_size=40,
        )
    )
    busy_until: dict[int, int] = {}
    notes = []
    for pitch, start, duration, velocity in sorted(rows, key=lambda r: (r[1], r[0])):
        if start < busy_until.get(pitch, -1) or (pitch, start) in {(n.pitch, n.start) for n in notes}:
            continue
        notes.append(Note(pitch, start, duration, velocity))
        busy_until[pitch] = start + duration
    return tuple(notes)


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
    )
