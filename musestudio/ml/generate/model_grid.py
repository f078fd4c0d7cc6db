"""The models' grid: a piece whose beat holds no whole sixteenths is generated at a resolution that does.

Every model reads and writes a beat as four sixteenths (``pianoroll.RollSpec.steps_per_beat``: the
critic's and the style classifier's rolls, the Restyle models, the parts engine's steps). A MIDI file may
count a beat in any number of ticks, though: 90, 50, 100 occur (SMPTE timing is read as frames times ticks
per frame), and a sixteenth of 22.5 ticks is no tick. So a Request is taken onto the smallest resolution
that is a whole multiple of the piece's and holds whole sixteenths (``grid_tpb``: 90 -> 180, 50 -> 100),
generated there by whichever engine, and its takes brought back: once, here, for every mode and engine,
rather than each engine rounding for itself. Multiplying by a whole number is exact, so every note of the
seed an engine hands back (Arrange's tune at strength 0) comes back to the very tick it had; a note the
models wrote lands on the nearest tick of the piece. A piece whose beat holds whole sixteenths (96, 480)
is generated as it is.

The command line takes a whole piece onto the grid when it reads it and writes its takes back at the
file's own resolution (``piece_on_grid``, ``piece_at``). Torch-free and numpy-free: the service imports it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

from musestudio.core.note import Note
from musestudio.core.ops import rescale
from musestudio.core.project import Project, TimeSignature
from musestudio.ml.generate.request import Outcome, Request, Take

#: the steps a model reads in a beat (``pianoroll.RollSpec.steps_per_beat``; not imported from there, which
#: would import numpy with the service)
SIXTEENTHS = 4


def grid_tpb(tpb: int) -> int:
    """The resolution the models read a piece of ``tpb`` ticks per beat at: ``tpb`` itself when a beat
    holds whole sixteenths, else its smallest multiple that does."""
    return math.lcm(tpb, SIXTEENTHS)


def onto_grid(request: Request) -> Request:
    """``request`` at ``grid_tpb``: every tick it holds (notes, meters, where the takes go) times the same
    whole number; ``request`` itself when its resolution is the grid's already."""
    k = grid_tpb(request.tpb) // request.tpb
    if k == 1:
        return request

    return dataclasses.replace(
        request,
        notes=_scaled(request.notes, k),
        tpb=request.tpb * k,
        time_signatures=_signatures(request.time_signatures, k),
        after=request.after * k,
        start=request.start * k,
        end=request.end * k,
        parts=tuple(dataclasses.replace(s, notes=_scaled(s.notes, k)) for s in request.parts),
        drums=_scaled(request.drums, k),
        spans=tuple((a * k, b * k) for a, b in request.spans),
    )


def from_grid(outcome: Outcome, request: Request) -> Outcome:
    """``outcome`` of ``onto_grid(request)`` told at ``request``'s resolution, for ``request``: every
    take's notes and bars on the piece's ticks (``_back``). What the critic and the taste said of a take
    holds at either resolution: they read beats, not ticks."""
    k = outcome.request.tpb // request.tpb
    if k == 1:
        return dataclasses.replace(outcome, request=request)
    return dataclasses.replace(outcome, request=request, takes=tuple(_take_back(t, k) for t in outcome.takes))


def phrase_on_grid(
    notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature]
) -> tuple[tuple[Note, ...], int, tuple[TimeSignature, ...]]:
    """(notes, tpb, time signatures) of a phrase the models only read (the style of a seed), on the grid."""
    k = grid_tpb(tpb) // tpb
    return _scaled(notes, k), tpb * k, _signatures(time_signatures, k)


def piece_on_grid(project: Project) -> Project:
    """The whole piece at ``grid_tpb`` (the command line's: it reads and writes whole files)."""
    return rescale(project, grid_tpb(project.ticks_per_beat))


def piece_at(project: Project, tpb: int) -> Project:
    """A piece made on the grid (``piece_on_grid`` with a take's notes added) back at the file's ``tpb``:
    what came from the file exactly as it was, what the models wrote on the nearest tick."""
    return rescale(project, tpb)


def _scaled(notes: Iterable[Note], k: int) -> tuple[Note, ...]:
    """Notes at ``k`` times their ticks: exact, so ``_back`` returns each to the tick it had."""
    return tuple(dataclasses.replace(n, start=n.start * k, duration=n.duration * k) for n in notes)


def _signatures(sigs: Sequence[TimeSignature], k: int) -> tuple[TimeSignature, ...]:
    return tuple(dataclasses.replace(s, tick=s.tick * k) for s in sigs)


def _take_back(take: Take, k: int) -> Take:
    return dataclasses.replace(
        take,
        notes=_back(take.notes, k),
        start=_tick(take.start, k),
        end=_tick(take.end, k),
        parts=tuple((i, _back(notes, k)) for i, notes in take.parts),
    )


def _back(notes: Iterable[Note], k: int) -> tuple[Note, ...]:
    """Notes at 1/k of their ticks, each end on the nearest tick as its start is (as ``core.ops.rescale``
    rounds); a note the rounding would shrink to nothing keeps a tick. Ids are kept."""
    return tuple(
        dataclasses.replace(n, start=_tick(n.start, k), duration=max(1, _tick(n.end, k) - _tick(n.start, k)))
        for n in notes
    )


def _tick(tick: int, k: int) -> int:
    return round(tick / k)
