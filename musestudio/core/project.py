"""The whole piece: tracks plus the tempo map, meter and key that give ticks a musical meaning."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from musestudio.core.keys import KeySignature
from musestudio.core.track import Track

DEFAULT_TPB = 480  # divisible by 3 and by 32 ticks-per-32nd, so every grid incl. 1/32 triplets is whole


@dataclass(frozen=True, slots=True)
class TempoChange:
    tick: int
    bpm: float

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise ValueError("tempo change before zero")
        if not 1.0 <= self.bpm <= 1000.0:
            raise ValueError(f"tempo {self.bpm:g} BPM is outside 1..1000")


@dataclass(frozen=True, slots=True)
class TimeSignature:
    tick: int
    numerator: int = 4
    denominator: int = 4

    def __post_init__(self) -> None:
        if self.tick < 0:
            raise ValueError("time signature before zero")
        if not 1 <= self.numerator <= 64:
            raise ValueError(f"time signature numerator {self.numerator} is outside 1..64")
        if self.denominator not in (1, 2, 4, 8, 16, 32, 64):
            raise ValueError(f"time signature denominator {self.denominator} is not a power of two")

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def normalise_time_signatures(time_signatures: Iterable[TimeSignature]) -> tuple[TimeSignature, ...]:
    """Sorted by tick, starting at tick 0 (the first meter is taken back to the start); 4/4 when empty."""
    sigs = tuple(sorted(time_signatures, key=lambda s: s.tick)) or (TimeSignature(0),)
    if sigs[0].tick != 0:
        sigs = (TimeSignature(0, sigs[0].numerator, sigs[0].denominator), *sigs)
    return sigs


def _frozen_mapping(m: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(m or {}))


@dataclass(frozen=True, slots=True)
class Project:
    """An immutable project. Edits return a new Project that shares unchanged tracks with the old one."""

    tracks: tuple[Track, ...] = ()
    ticks_per_beat: int = DEFAULT_TPB
    tempos: tuple[TempoChange, ...] = (TempoChange(0, 120.0),)
    time_signatures: tuple[TimeSignature, ...] = (TimeSignature(0, 4, 4),)
    key: KeySignature | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.ticks_per_beat <= 32767:
            raise ValueError(f"ticks per beat {self.ticks_per_beat} is outside 1..32767")
        tempos = tuple(sorted(self.tempos, key=lambda t: t.tick)) or (TempoChange(0, 120.0),)
        if tempos[0].tick != 0:
            tempos = (TempoChange(0, tempos[0].bpm), *tempos)
        object.__setattr__(self, "tempos", tempos)
        object.__setattr__(self, "time_signatures", normalise_time_signatures(self.time_signatures))
        object.__setattr__(self, "tracks", tuple(self.tracks))
        if not isinstance(self.metadata, MappingProxyType):
            object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))

    # -- queries ---------------------------------------------------------------------------------------
    def track_by_id(self, track_id: int) -> Track:
        for t in self.tracks:
            if t.id == track_id:
                return t
        raise KeyError(f"no track with id {track_id}")

    def track_index(self, track_id: int) -> int:
        for i, t in enumerate(self.tracks):
            if t.id == track_id:
                return i
        raise KeyError(f"no track with id {track_id}")

    @property
    def end(self) -> int:
        """Tick of the last note-off (0 for an empty project)."""
        return max((t.end for t in self.tracks), default=0)

    @property
    def note_count(self) -> int:
        return sum(len(t.notes) for t in self.tracks)

    @property
    def tempo_bpm(self) -> float:
        return self.tempos[0].bpm

    @property
    def time_signature(self) -> TimeSignature:
        return self.time_signatures[0]

    def audible_tracks(self) -> tuple[Track, ...]:
        """Tracks that sound under mute/solo: any solo wins over everything not soloed."""
        soloed = [t for t in self.tracks if t.solo]
        return tuple(soloed) if soloed else tuple(t for t in self.tracks if not t.mute)

    # -- edits (pure) ----------------------------------------------------------------------------------
    def with_(self, **changes) -> Project:
        return replace(self, **changes)

    def with_tracks(self, tracks: Iterable[Track]) -> Project:
        return replace(self, tracks=tuple(tracks))

    def replace_track(self, track: Track) -> Project:
        """The project with the track of the same id swapped for ``track``."""
        i = self.track_index(track.id)
        return replace(self, tracks=self.tracks[:i] + (track,) + self.tracks[i + 1 :])

    def add_track(self, track: Track, index: int | None = None) -> Project:
        tracks = list(self.tracks)
        tracks.insert(len(tracks) if index is None else index, track)
        return replace(self, tracks=tuple(tracks))

    def remove_track(self, track_id: int) -> Project:
        return replace(self, tracks=tuple(t for t in self.tracks if t.id != track_id))

    def with_tempo(self, bpm: float) -> Project:
        """A single constant tempo (what the transport's BPM box sets)."""
        return replace(self, tempos=(TempoChange(0, bpm),))

    def with_time_signature(self, numerator: int, denominator: int) -> Project:
        return replace(self, time_signatures=(TimeSignature(0, numerator, denominator),))
