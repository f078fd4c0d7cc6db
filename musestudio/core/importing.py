"""Importing one piece into another (File > Import MIDI): what the open piece becomes, and what it did not take.

Into a piece with no notes yet, the file comes in whole, exactly as File > Open would give it: its
resolution, tempo map, meter, keys, markers, text and kept-verbatim events (SysEx) and title. The tracks the
user set up there first (an instrument picked, a track added for the import) stay, before the file's; only
a blank track (``is_blank``: the untouched one File > New gives) makes way.

Into a piece with notes, those notes are placed by the piece's own tempo map, meter and keys, so these stay;
the file's tracks come in at the piece's resolution, and its markers, text and kept events join the piece's
(nothing of the piece is replaced), but for kept events stating a tempo, meter or key: the piece's own hold. What the file held that the piece did not take comes back in
``Imported.left_out``, for the app to tell the user.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from musestudio.core.events import RawEvent
from musestudio.core.ops import rescale
from musestudio.core.project import Project
from musestudio.core.track import Track

# what an import into a piece with notes can leave out of the file
TEMPO, METER, KEY, TITLE, ROUNDED = "tempo", "meter", "key", "title", "rounded"
MAX_TPB = 32767


@dataclass(frozen=True)
class Imported:
    project: Project
    left_out: tuple[str, ...] = ()  # TEMPO, METER, KEY, TITLE (the piece kept its own), ROUNDED (timing)
    replaced: tuple[str, ...] = ()  # TEMPO, METER, KEY, TITLE the user had set, the file's in their place


def import_piece(piece: Project, other: Project, is_blank: Callable[[Track], bool]) -> Imported:
    """``piece`` with ``other``'s tracks added (after the piece's), and what of ``other`` it left out (or,
    into a piece with no notes, what of the piece's own it replaced)."""
    if piece.note_count == 0:
        project = _into_empty(piece, other, is_blank)
        return Imported(project, replaced=_replaced(piece, project))
    return _into_piece(piece, other)


def _replaced(piece: Project, result: Project) -> tuple[str, ...]:
    """What the user had set in a piece with no notes yet (not a new piece's own value) that the file's
    took the place of: said, as the file comes in whole."""
    fresh = Project()
    facts = {
        TEMPO: lambda p: p.tempos,
        METER: lambda p: p.time_signatures,
        KEY: lambda p: (p.key, p.key_changes),
        TITLE: lambda p: p.metadata.get("title"),
    }
    return tuple(name for name, of in facts.items() if of(piece) != of(fresh) and of(result) != of(piece))


def _into_empty(piece: Project, other: Project, is_blank: Callable[[Track], bool]) -> Project:
    own = replace(piece, tracks=tuple(t for t in piece.tracks if not is_blank(t)))
    tpb = _shared_resolution(_own_ticks(own), piece.ticks_per_beat, other.ticks_per_beat)
    own, other = rescale(own, tpb), rescale(other, tpb)
    return replace(
        other,
        tracks=(*own.tracks, *other.tracks),
        markers=_joined(own.markers, other.markers, lambda m: (m.tick, m.text)),
        texts=_joined(own.texts, other.texts),
        extra_events=_joined(own.extra_events, other.extra_events),
        metadata={**own.metadata, **other.metadata},
        end_of_track=max(own.end_of_track, other.end_of_track),
        shared_channels=_joined(own.shared_channels, other.shared_channels),
    )


def _into_piece(piece: Project, other: Project) -> Imported:
    tpb = piece.ticks_per_beat
    rounded = any(tick * tpb % other.ticks_per_beat for tick in _all_ticks(other))
    other = rescale(other, tpb)
    title = other.metadata.get("title")
    left_out = (
        *((TEMPO,) if other.tempos != piece.tempos else ()),
        *((METER,) if other.time_signatures != piece.time_signatures else ()),
        *((KEY,) if _has_key(other) and _keys(other) != _keys(piece) else ()),
        *((TITLE,) if title and title != piece.metadata.get("title") else ()),
        *((ROUNDED,) if rounded else ()),
    )
    project = replace(
        piece,
        tracks=(*piece.tracks, *other.tracks),
        markers=_joined(piece.markers, other.markers, lambda m: (m.tick, m.text)),
        texts=_joined(piece.texts, other.texts),
        extra_events=_joined(piece.extra_events, _without_timing(other.extra_events)),
        end_of_track=max(piece.end_of_track, other.end_of_track),
        shared_channels=_joined(piece.shared_channels, other.shared_channels),
    )
    return Imported(project, left_out)


#: Kept meta events that state a tempo, meter or key (FF 51, 58, 59): where a file states two of a kind at one
#: tick, the reader keeps the one overridden as such an event, written back just before the one in force.
_TIMING_META = (0x51, 0x58, 0x59)


def _without_timing(events: tuple[RawEvent, ...]) -> tuple[RawEvent, ...]:
    """A file's kept events without those stating its tempo, meter or key: the piece keeps its own, and
    one of the file's written among them would change the piece's timing in every export."""
    return tuple(e for e in events if not (e.data[0] == 0xFF and e.data[1] in _TIMING_META))


def _joined(own: tuple, incoming: tuple, key=lambda e: e) -> tuple:
    """The piece's events plus the file's that it does not hold already (importing a file twice does not
    give every marker twice)."""
    have = {key(e) for e in own}
    return (*own, *(e for e in incoming if key(e) not in have))


def _has_key(project: Project) -> bool:
    return project.key is not None or bool(project.key_changes)


def _keys(project: Project) -> tuple:
    return project.key, tuple((k.tick, k.key) for k in project.key_changes)


def _own_ticks(project: Project) -> Iterable[int]:
    """The ticks of what an empty piece brings to the import: its tracks' events and its markers and texts
    (its tempo map, meter and keys give way to the file's)."""
    for track in project.tracks:
        yield from (e.tick for e in (*track.controllers, *track.texts, *track.extra_events))
    yield from (e.tick for e in (*project.markers, *project.texts, *project.extra_events))


def _all_ticks(project: Project) -> Iterable[int]:
    for track in project.tracks:
        yield from (t for n in track.notes for t in (n.start, n.end))
    yield from _own_ticks(project)
    for items in (project.tempos, project.time_signatures, project.key_changes):
        yield from (e.tick for e in items)


def _shared_resolution(ticks: Iterable[int], own_tpb: int, file_tpb: int) -> int:
    """The file's resolution when every tick of the piece lands on it exactly, else one both land on
    (the least common multiple), if MIDI can hold it."""
    if all(tick * file_tpb % own_tpb == 0 for tick in ticks):
        return file_tpb
    both = math.lcm(own_tpb, file_tpb)
    return both if both <= MAX_TPB else file_tpb
