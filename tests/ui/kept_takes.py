"""Takes listed in the Generate panel without a model, as a Generate lists them, over a tune and a bass: what
the tests of keeping a take in place or as a new track (which tracks it mutes) start from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.generate.request import Request, Take

TPB = 480
BAR = 4 * TPB


def tune_and_bass(bars: int = 2) -> Project:
    """A tune in quarters over a bass of a whole note a bar, ``bars`` bars long."""
    tune = Track(name="Tune", notes=tuple(Note(60 + 2 * (i % 4), i * TPB, TPB, 90) for i in range(4 * bars)))
    bass = Track(
        name="Bass",
        program=33,
        channel=1,
        notes=tuple(Note((36, 43)[b % 2], b * BAR, BAR, 90) for b in range(bars)),
    )
    return Project(tracks=(tune, bass))


def list_takes(
    window,
    request: Request,
    start: int,
    end: int,
    notes: Sequence[Iterable[Note]],
    parts: Sequence[tuple] | None = None,
) -> tuple[Take, ...]:
    """List a take of ``request`` over ``start``..``end`` for each of ``notes`` (take i + 1 holds
    ``notes[i]``, and with ``parts``, writes ``parts[i]``), scored alike, as its engine lists them."""
    takes = tuple(
        Take(
            i + 1,
            tuple(these),
            start,
            end,
            request.engine,
            request.style,
            i + 1,
            None,
            None,
            0.5,
            parts=parts[i] if parts else (),
            request=request,
        )
        for i, these in enumerate(notes)
    )
    window.generate.set_takes(takes)
    return takes


def muted_names(window) -> list[str]:
    """The names of the tracks a keep has muted (or the user has)."""
    return [t.name for t in window.document.project.tracks if t.mute]
