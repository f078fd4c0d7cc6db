"""Takes in a recovery copy: the takes listed and not kept are written with the piece, so a crash does not
lose them, and Restore lists them again, ready to audition and keep.

Ids do not survive a reload (notes and tracks get fresh ones), so what a take refers to in the piece is
written as a place: a track by its index, a note by (track index, note index). A new part's id (Add a
part's, Arrange's: ``NEW_TRACK`` and below) is written as it is, and a track deleted since the Generate as
None, which comes back as an id no track has (Keep then puts the take in a new track, as it would have).
Only what Keep and the Takes panel use is written: a restored take carries no taste features, so keeping
or discarding it teaches the taste nothing. Each request is written once and each take names its own (by
its index): takes of two Generates can be listed together. A copy of the first format (one request, for
every take) still reads.

Each take's colour is written too (its place in the panel's colours): which of two takes showing one
number got a spare colour depends on which was listed first, so it cannot be worked out again from the
takes, and a take would come back in the other's colour. The field is new, the format is not (older apps
pass over it); a copy without it lists its takes in free colours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import new_track_id
from musestudio.ml.generate.request import Options, PartSpec, Request, Take

FORMAT = 2  # each take names its request (takes of two Generates can be listed together)
ONE_REQUEST = 1  # copies written before: one request for every take

PlaceOf = Callable[[int], int | None]  # a track id as written: its index (None: gone), a new part's id
TrackOf = Callable[[int | None], int]  # ... and read back: the track's id in the restored piece


def takes_to_dict(project: Project, takes: tuple[Take, ...], colours: Sequence[int]) -> dict:
    """The JSON-able block for ``takes``, each with its own request (written once however many takes share
    it) and its colour (``colours``, by row), their references to ``project`` as places."""
    tracks = {t.id: i for i, t in enumerate(project.tracks)}
    places = {n.id: [i, j] for i, t in enumerate(project.tracks) for j, n in enumerate(t.notes)}

    def track(track_id: int) -> int | None:
        return track_id if track_id < 0 else tracks.get(track_id)

    requests = list({id(t.request): t.request for t in takes}.values())  # each once, by its first take
    index = {id(r): i for i, r in enumerate(requests)}
    return {
        "format": FORMAT,
        "requests": [_request_to_dict(r, track, places) for r in requests],
        "takes": [
            {**_take_to_dict(t, track), "request": index[id(t.request)], "colour": c}
            for t, c in zip(takes, colours, strict=True)
        ],
    }


def _request_to_dict(request: Request, track: PlaceOf, places: dict) -> dict:
    return {
        "mode": request.mode,
        "engine": request.engine,
        "style": request.options.style,
        "notes": _rows(request.notes),
        "tpb": request.tpb,
        "meters": [[s.tick, s.numerator, s.denominator] for s in request.time_signatures],
        "track": track(request.track_id),
        "program": request.program,
        "replaces": [places[i] for i in sorted(request.replaces) if i in places],
        "bars": [request.start, request.end],  # what Regenerate rewrites: Keep replaces only in there
        "parts": [[track(s.track_id), s.name, s.role, s.program, s.write] for s in request.parts],
    }


def _take_to_dict(take: Take, track: PlaceOf) -> dict:
    return {
        "number": take.number,
        "notes": _rows(take.notes),
        "start": take.start,
        "end": take.end,
        "engine": take.engine,
        "style": take.style,
        "seed": take.seed,
        "realness": take.realness,
        "style_probability": take.style_probability,
        "harmony": take.harmony,
        "critic": take.critic,
        "taste": take.taste,
        "score": take.score,
        "why": take.why,
        "parts": [[track(i), _rows(notes)] for i, notes in take.parts],
    }


def takes_from_dict(project: Project, block: dict) -> tuple[Take, ...]:
    """The takes ``takes_to_dict`` wrote, each carrying its request, their places read in the restored
    ``project``; a copy written before takes named their request (one request for all) reads too.
    Raises ValueError, KeyError, TypeError or IndexError for a block that is not one."""
    ids = [t.id for t in project.tracks]
    gone = new_track_id()

    def track(ref: int | None) -> int:
        if ref is None or ref >= len(ids):
            return gone
        return ref if ref < 0 else ids[ref]

    if block.get("format") == ONE_REQUEST:
        request = _request_from_dict(block["request"], project, track)
        return tuple(_take_from_dict(t, request, track) for t in block["takes"])
    if block.get("format") != FORMAT:
        raise ValueError(f"takes written in format {block.get('format')!r}")
    requests = [_request_from_dict(r, project, track) for r in block["requests"]]
    return tuple(_take_from_dict(t, requests[int(t["request"])], track) for t in block["takes"])


def take_colours_from_dict(block: dict) -> list[object]:
    """The colour each take of ``block`` was listed in, as written (by row, as ``takes_from_dict`` gives
    the takes): None for a take written without one. The Takes panel judges what is a colour."""
    return [t.get("colour") for t in block["takes"]]


def _request_from_dict(r: dict, project: Project, track: TrackOf) -> Request:
    instrument = r.get("program")  # not in copies of the first format
    return Request(
        mode=str(r["mode"]),
        engine=str(r["engine"]),
        notes=_notes(r["notes"]),
        tpb=int(r["tpb"]),
        time_signatures=tuple(TimeSignature(int(a), int(b), int(c)) for a, b, c in r["meters"]),
        options=Options(style=str(r["style"])),
        track_id=track(r["track"]),
        program=None if instrument is None else int(instrument),
        start=int(r.get("bars", (0, 0))[0]),
        end=int(r.get("bars", (0, 0))[1]),
        replaces=frozenset(
            project.tracks[i].notes[j].id
            for i, j in r["replaces"]
            if i < len(project.tracks) and j < len(project.tracks[i].notes)
        ),
        parts=tuple(
            PartSpec(track(ref), (), str(name), str(role), int(program), bool(write))
            for ref, name, role, program, write in r["parts"]
        ),
    )


def _take_from_dict(t: dict, request: Request, track: TrackOf) -> Take:
    return Take(
        number=int(t["number"]),
        notes=_notes(t["notes"]),
        start=int(t["start"]),
        end=int(t["end"]),
        engine=str(t["engine"]),
        style=str(t["style"]),
        seed=int(t["seed"]),
        realness=t["realness"],
        style_probability=t["style_probability"],
        harmony=t.get("harmony"),  # recovery copies written before session 31 have none
        critic=float(t["critic"]),
        taste=t["taste"],
        score=float(t["score"]),
        why=str(t["why"]),
        parts=tuple((track(ref), _notes(rows)) for ref, rows in t["parts"]),
        request=request,
    )


def _rows(notes) -> list[list[int]]:
    return [[n.pitch, n.start, n.duration, n.velocity] for n in notes]


def _notes(rows) -> tuple[Note, ...]:
    return tuple(Note(int(p), int(s), int(d), int(v)) for p, s, d, v in rows)
