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

Keep also matches notes by id across the request and its takes: an Arrange request's tune notes are the
piece's notes as they were at the click (the user may have edited them since: Keep puts the tune back as the
user has it now), and each note of its take's tune carries the id of the tune note it stands for. So each note
of a request and of a take is written with a link (``ids``; ``replaced`` for the notes a request replaces):
the place of the piece's note with its id, else a number shared by the notes of the block with one id (a tune
note deleted since the click, and the take's notes standing for it), else None (a note of the take's own).
Read back, notes linked alike get one id again, those linked to a place the id of the restored piece's note
there. (Before, every note came back with an id of its own: Keep after a restore put the take's tune over the
bars as it was drawn, and the edits the user made to the tune between Generate and the crash were lost.) The
fields are new, the format is not: an older app passes over them, and a copy without them reads as before.

A note is written as a row, as a piece file writes it: pitch, start, duration, velocity, and its release
velocity where it has one (a tune read from a MIDI file often does, and a take's tune carries it). Before,
the release was not written: a take restored was not the take listed, and Keep wrote its notes without it.
An older app cannot read a row of five, so a block with a release velocity is written in a format of its
own (``RELEASE``: an older app says it cannot read the takes, rather than list them changed), and one with
none in the format before it, as the piece file does; a copy written before reads as before, its notes with
no release velocity.

Every take's seed draws it alone (``Take.seed``), and a copy says so (``own_seeds``). A copy without it was
written before Arrange's takes had seeds of their own: each showed its run's seed, which now draws the run's
first take. So an Arrange take of such a copy is given the seed of its place in the run, known from its
number (take n is place n - 1: ``take_seed``), where that seed surely draws it: a run's seed below
``RUN_SEEDS`` and a style whose parts are all by rule (their drafts do not depend on how many takes were
asked for; the model's rows grew with them then, and do not now), as the app's and the command line's
takes were then note for note. Any other take of such a copy, and one whose seed is past the seed box (no
seed draws it now), is given none (None): the Takes panel says why. A take with none is written with a null
seed, in a format of its own (``NO_SEED``), so an older app says it cannot read the takes rather than stop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from musestudio.core.note import Note, new_note_id
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import new_track_id
from musestudio.ml.engines import ARRANGE
from musestudio.ml.generate.arrange_styles import TEXTURES
from musestudio.ml.generate.request import RUN_SEEDS, SEEDS, Options, PartSpec, Request, Take, take_seed

NO_SEED = 4  # a take's seed may be null: no seed draws it alone (rows may end in a release velocity too)
RELEASE = 3  # a note's row may end in its release velocity
EACH_REQUEST = 2  # each take names its request (takes of two Generates can be listed together)
ONE_REQUEST = 1  # copies written before: one request for every take

PlaceOf = Callable[[int], int | None]  # a track id as written: its index (None: gone), a new part's id
TrackOf = Callable[[int | None], int]  # ... and read back: the track's id in the restored piece
Link = list[int] | int | None  # a note id as written: its place in the piece, a number of the block, None


class _Links:
    """A note's id as the block writes it (``Link``): the place of the piece's note with that id, else, for
    a note a request read (one deleted from the piece since), a number of its own in the block, else None:
    the take's own notes stand for no other note, and any id of theirs will do."""

    def __init__(self, project: Project, takes: tuple[Take, ...]) -> None:
        self.places = {n.id: [i, j] for i, t in enumerate(project.tracks) for j, n in enumerate(t.notes)}
        read = {n.id for take in takes if take.request is not None for n in take.request.notes}
        self.numbers = {i: k for k, i in enumerate(sorted(read - self.places.keys()))}

    def __call__(self, note_id: int) -> Link:
        return self.places.get(note_id, self.numbers.get(note_id))

    def of(self, notes) -> list[Link]:
        return [self(n.id) for n in notes]


class _Ids:
    """A ``Link`` read back: the id of the restored piece's note at its place, one id for each number, and
    a new id for None (or a place the piece no longer has: a block not written with it)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.numbers: dict[int, int] = {}

    def __call__(self, link: object) -> int:
        if isinstance(link, list) and len(link) == 2:
            i, j = (int(k) for k in link)
            tracks = self.project.tracks
            if 0 <= i < len(tracks) and 0 <= j < len(tracks[i].notes):
                return tracks[i].notes[j].id
        elif isinstance(link, int) and not isinstance(link, bool):
            return self.numbers.setdefault(link, new_note_id())
        return new_note_id()


def takes_to_dict(project: Project, takes: tuple[Take, ...], colours: Sequence[int]) -> dict:
    """The JSON-able block for ``takes``, each with its own request (written once however many takes share
    it) and its colour (``colours``, by row), their references to ``project`` as places and their notes'
    ids as links (``_Links``)."""
    tracks = {t.id: i for i, t in enumerate(project.tracks)}
    links = _Links(project, takes)

    def track(track_id: int) -> int | None:
        return track_id if track_id < 0 else tracks.get(track_id)

    requests = list({id(t.request): t.request for t in takes}.values())  # each once, by its first take
    index = {id(r): i for i, r in enumerate(requests)}
    notes = [n for r in requests for n in r.notes] + [n for t in takes for n in _notes_of(t)]
    released = RELEASE if any(n.release for n in notes) else EACH_REQUEST
    return {
        "format": NO_SEED if any(t.seed is None for t in takes) else released,
        "own_seeds": True,  # each take's seed draws it alone (not its run's, as copies written before)
        "requests": [_request_to_dict(r, track, links) for r in requests],
        "takes": [
            {**_take_to_dict(t, track, links), "request": index[id(t.request)], "colour": c}
            for t, c in zip(takes, colours, strict=True)
        ],
    }


def _request_to_dict(request: Request, track: PlaceOf, links: _Links) -> dict:
    places = links.places
    return {
        "mode": request.mode,
        "engine": request.engine,
        "style": request.options.style,
        "notes": _rows(request.notes),
        "ids": links.of(request.notes),
        "tpb": request.tpb,
        "meters": [[s.tick, s.numerator, s.denominator] for s in request.time_signatures],
        "track": track(request.track_id),
        "program": request.program,
        "replaces": [places[i] for i in sorted(request.replaces) if i in places],  # what older apps read
        # ...and with them the notes read at the click that the piece no longer has (deleted since)
        "replaced": [link for i in sorted(request.replaces) if (link := links(i)) is not None],
        "bars": [request.start, request.end],  # what Regenerate rewrites: Keep replaces only in there
        "parts": [[track(s.track_id), s.name, s.role, s.program, s.write] for s in request.parts],
    }


def _take_to_dict(take: Take, track: PlaceOf, links: _Links) -> dict:
    return {
        "number": take.number,
        "notes": _rows(take.notes),
        "ids": links.of(take.notes),
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
        "part_ids": [links.of(notes) for _, notes in take.parts],
    }


def takes_from_dict(project: Project, block: dict) -> tuple[Take, ...]:
    """The takes ``takes_to_dict`` wrote, each carrying its request, their places read in the restored
    ``project``; a copy written before takes named their request (one request for all) reads too.
    Raises ValueError, KeyError, TypeError or IndexError for a block that is not one."""
    ids = [t.id for t in project.tracks]
    gone = new_track_id()
    note_ids = _Ids(project)

    def track(ref: int | None) -> int:
        if ref is None or ref >= len(ids):
            return gone
        return ref if ref < 0 else ids[ref]

    own = bool(block.get("own_seeds"))
    if block.get("format") == ONE_REQUEST:
        request = _request_from_dict(block["request"], project, track, note_ids)
        return tuple(_take_from_dict(t, request, track, note_ids, own) for t in block["takes"])
    if block.get("format") not in (EACH_REQUEST, RELEASE, NO_SEED):
        raise ValueError(f"takes written in format {block.get('format')!r}")
    requests = [_request_from_dict(r, project, track, note_ids) for r in block["requests"]]
    return tuple(
        _take_from_dict(t, requests[int(t["request"])], track, note_ids, own) for t in block["takes"]
    )


def take_colours_from_dict(block: dict) -> list[object]:
    """The colour each take of ``block`` was listed in, as written (by row, as ``takes_from_dict`` gives
    the takes): None for a take written without one. The Takes panel judges what is a colour."""
    return [t.get("colour") for t in block["takes"]]


def _request_from_dict(r: dict, project: Project, track: TrackOf, ids: _Ids) -> Request:
    instrument = r.get("program")  # not in copies of the first format
    return Request(
        mode=str(r["mode"]),
        engine=str(r["engine"]),
        notes=_notes(r["notes"], r.get("ids"), ids),
        tpb=int(r["tpb"]),
        time_signatures=tuple(TimeSignature(int(a), int(b), int(c)) for a, b, c in r["meters"]),
        options=Options(style=str(r["style"])),
        track_id=track(r["track"]),
        program=None if instrument is None else int(instrument),
        start=int(r.get("bars", (0, 0))[0]),
        end=int(r.get("bars", (0, 0))[1]),
        replaces=_replaces(r, project, ids),
        parts=tuple(
            PartSpec(track(ref), (), str(name), str(role), int(program), bool(write))
            for ref, name, role, program, write in r["parts"]
        ),
    )


def _replaces(r: dict, project: Project, ids: _Ids) -> frozenset[int]:
    """The ids of the notes a request replaces: its links (``replaced``), or in a copy written without
    them the places of those the piece had then."""
    if "replaced" in r:
        return frozenset(ids(link) for link in r["replaced"])
    return frozenset(
        project.tracks[i].notes[j].id
        for i, j in r["replaces"]
        if i < len(project.tracks) and j < len(project.tracks[i].notes)
    )


def _take_from_dict(t: dict, request: Request, track: TrackOf, ids: _Ids, own_seeds: bool) -> Take:
    part_ids = t.get("part_ids") or [None] * len(t["parts"])
    number = int(t["number"])
    return Take(
        number=number,
        notes=_notes(t["notes"], t.get("ids"), ids),
        start=int(t["start"]),
        end=int(t["end"]),
        engine=str(t["engine"]),
        style=str(t["style"]),
        seed=_seed(t["seed"], number, request, own_seeds),
        realness=t["realness"],
        style_probability=t["style_probability"],
        harmony=t.get("harmony"),  # recovery copies written before session 31 have none
        critic=float(t["critic"]),
        taste=t["taste"],
        score=float(t["score"]),
        why=str(t["why"]),
        parts=tuple(
            (track(ref), _notes(rows, links, ids))
            for (ref, rows), links in zip(t["parts"], part_ids, strict=True)
        ),
        request=request,
    )


def _seed(written: object, number: int, request: Request, own_seeds: bool) -> int | None:
    """The seed that draws take ``number`` of ``request`` alone, from the seed ``written`` for it: as
    written in a copy of takes with seeds of their own (``own_seeds``), and for a take of another mode
    than Arrange (each always had its own); for an Arrange take of a copy written before, the seed of its
    place in its run where that surely draws it (``_place_seed``). None where no seed does."""
    if written is None:
        return None
    seed = int(written)  # a number written as a float, or a string of one, reads too (ValueError if not)
    if not 0 <= seed < SEEDS:
        return None  # drawn past the seed box: seeds go round there now, and draw another take
    if own_seeds or request.mode != ARRANGE:
        return seed
    return _place_seed(seed, number, request.options.style)


def _place_seed(run: int, number: int, style: str) -> int | None:
    """The seed of take ``number`` of an Arrange run from seed ``run`` as the app drew it before takes had
    seeds of their own (each showed ``run``): its place in the run (``take_seed``) draws it where the run's
    seed is a run's (below ``RUN_SEEDS``; above, it now names another run's place) and ``style``'s parts
    are all by rule, whose drafts were drawn alike for any number of takes. Where the model writes parts
    its rows grew with the takes asked for (eight for eight takes, four now), and a learned style's rows
    were as many as the takes: how many is not in the copy, so no seed is sure to draw the take."""
    texture = TEXTURES.get(style)
    if run >= RUN_SEEDS or texture is None or not all(v.by_rule for v in texture.voices):
        return None
    return take_seed(run, number - 1)


def _notes_of(take: Take) -> list[Note]:
    """Every note ``take`` writes: its own and its parts'."""
    return [*take.notes, *(n for _, notes in take.parts for n in notes)]


def _rows(notes) -> list[list[int]]:
    """Each note as pitch, start, duration, velocity, and its release velocity where it has one."""
    rows = ([n.pitch, n.start, n.duration, n.velocity, n.release] for n in notes)
    return [row if row[4] else row[:4] for row in rows]


def _notes(rows, links: list | None, ids: _Ids) -> tuple[Note, ...]:
    """Notes from their ``rows`` (a release velocity, where a row ends in one), each with the id its link
    gives (``_Ids``); new ids in a copy written without links."""
    links = [None] * len(rows) if links is None else links
    return tuple(_note(row, ids(link)) for row, link in zip(rows, links, strict=True))


def _note(row, note_id: int) -> Note:
    if len(row) not in (4, 5):
        raise ValueError(f"a note written as {row!r}")
    pitch, start, duration, velocity, *release = (int(v) for v in row)
    return Note(pitch, start, duration, velocity, id=note_id, release=release[0] if release else 0)
