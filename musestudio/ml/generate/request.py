"""What the user asked for (a Request with its Options) and what came back (an Outcome of Takes).

Plain values, torch-free and numpy-free, so the window can build a request at start-up cost and hand it to
the generation service (``service.run``) on the worker thread. ``Options`` is the one set of knobs every
mode shares: ``continue_phrase``, ``infill`` and ``restyle`` all take it, so a knob added to the panel is
added here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature

#: seeds the die rolls (and a run drawing its own seed): below this. Arrange's takes are places in one
#: ranking of a run's drafts, and take n's seed is its run's + RUN_SEEDS x (n - 1), so a take's own seed
#: with one variation draws it again (``take_seed``); a seed typed above it starts the
#: run's takes at that place
RUN_SEEDS = 1 << 24
#: every seed is below this: the Generate panel's seed box holds 0..SEEDS - 1, and ``musestudio-cli restyle
#: --seed`` takes the same. A run's takes past its top go round to its bottom (``seed_after``,
#: ``take_seed``), so every seed a take shows can be typed again and draws that take
SEEDS = 1 << 31


def seed_after(seed: int, k: int) -> int:
    """The seed ``k`` after ``seed``, which take k + 1 of a run from ``seed`` draws from. Past the top of the
    seeds the box holds it goes round to 0 (take 2 of seed 2^31 - 1 draws from 0, and shows it), as a seed
    over the top could not be typed again; a seed from outside them (a command line's 64-bit one) steps on
    as it always did."""
    return (seed + k) % SEEDS if 0 <= seed < SEEDS else seed + k


#: the places in an Arrange run's ranking a seed can name: seeds below SEEDS hold RUN_SEEDS runs of PLACES
PLACES = SEEDS // RUN_SEEDS


def take_seed(run: int, place: int) -> int:
    """The seed of the Arrange take at ``place`` (0 first) of run ``run``: with one variation it draws that
    take (``arrange_pick``). Places past the last go round to the first, so the seed is below ``SEEDS``, as
    the app's seed box holds."""
    return run + place % PLACES * RUN_SEEDS


@dataclass(frozen=True)
class Options:
    """How to generate: the Generate panel's knobs, the same value for Continue, Regenerate and Restyle.

    ``key`` is the key that key lock keeps pitches in (Continue and Regenerate detect it from the seed when
    it is None; Restyle snaps to it only with ``key_lock``). ``seed`` None draws one, reported back so a
    run can be repeated. ``strength`` and ``keep_rhythm`` are Restyle's alone; ``keep_register`` is
    Arrange's: the tune stays in its octave, for a phrase of a longer line whose other notes stay as they
    are (moving it alone into the idiom's register would tear it an octave off them).
    """

    style: str
    variations: int = 4
    temperature: float = 1.0
    top_p: float = 0.95
    key: KeySignature | None = None
    key_lock: bool = False
    pitch_range: tuple[int, int] | None = None
    seed: int | None = None
    device: str = "auto"
    strength: float = 1.0
    keep_rhythm: bool = False
    keep_register: bool = False


@dataclass(frozen=True)
class PartSpec:
    """A pitched track as the parts engine reads it, and whether it writes in it (issue 13).

    ``role`` "" lets the service guess it from ``name`` and the notes (``parts_roles.guess_roles``).
    ``density`` (notes per bar) and ``voices`` steer what is written in the part; None: as its own notes
    in the seed. ``track_id`` -1 is the new part of Add a part (its notes are empty).
    """

    track_id: int
    notes: tuple[Note, ...]
    name: str = ""
    role: str = ""
    program: int = 0
    write: bool = False
    pitch_range: tuple[int, int] | None = None
    density: float | None = None
    voices: int | None = None


NEW_TRACK = -1  # PartSpec.track_id and Take.parts' id of the part Add a part writes
#: the key a part added over drums alone is written in when none is given: drums have no key to hear
DRUMS_ONLY_KEY = KeySignature(0, "major")
#: ... and the style, when none is picked: drums alone are no reading of a style, and a beat is no chorale
DRUMS_ONLY_STYLE = "pop"


def drums_alone(tracks) -> bool:
    """Whether the only notes of ``tracks`` (a piece's ``Track`` values) are drums: a beat Add a part
    writes a part to, in ``DRUMS_ONLY_KEY`` and ``DRUMS_ONLY_STYLE`` unless the user gives others."""
    played = [t for t in tracks if t.notes]
    return bool(played) and all(t.is_drum for t in played)


def key_for_drums(given: KeySignature | None = None, project_key: KeySignature | None = None) -> KeySignature:
    """The key a part written over drums alone is in: ``given`` (the key the user picks: the panel's,
    ``--key``), else the piece's key signature (``project_key``), else ``DRUMS_ONLY_KEY``.

    Drums have no key to hear, so this key is a choice, not a reading, and every place that states or
    uses it asks this one rule: the command line's add-part, the Generate panel's request and its
    "Detected" line, the parts engine itself, and what keeping or dragging out the part writes. So the
    part comes out in the key the panel said, and the piece and the file say the key it is in."""
    return given or project_key or DRUMS_ONLY_KEY


def key_over_drums(tracks, project_key: KeySignature | None, given: KeySignature | None = None):
    """The key a part added over drums alone (``drums_alone(tracks)``) is written in (``key_for_drums``);
    None when ``tracks`` hold pitched notes, whose key is heard in them instead."""
    return key_for_drums(given, project_key) if drums_alone(tracks) else None


def with_key_written_in(project: Project, key: KeySignature | None) -> Project:
    """``project`` with ``key``, the key a part added over drums alone was written in, as its key
    signature when it has none of its own (no starting key, no key change): it now holds pitched music in
    that key, and the key the window shows (key box, status bar) and the file it exports read it from there.
    A piece with a key signature keeps it untouched, whatever the part's key: what the user or the file
    set is theirs. ``key`` None (the part's key was heard in the piece's notes): ``project`` as it is."""
    if key is None or project.key is not None or project.key_changes:
        return project
    return replace(project, key=key)


def new_part_id(k: int) -> int:
    """The id of the k-th new part of a take that writes several (Arrange): NEW_TRACK, NEW_TRACK - 1, ..."""
    return NEW_TRACK - k


@dataclass(frozen=True)
class Request:
    """One Generate click: the mode and engine, the notes it reads, where the takes go, and the Options."""

    mode: str  # engines.CONTINUE, RESTYLE or REGENERATE
    engine: str
    notes: tuple[Note, ...]  # the seed (Continue), the phrase (Restyle) or the whole track (Regenerate)
    tpb: int
    time_signatures: tuple[TimeSignature, ...]
    options: Options
    bars: int = 4  # Continue
    after: int = 0  # Continue: start at the first bar line at or after this tick (the playhead, a loop's end)
    start: int = 0  # Regenerate: the range to fill
    end: int = 0
    replaces: frozenset[int] = frozenset()  # ids of notes a kept take takes the place of
    track_id: int = -1
    parts: tuple[PartSpec, ...] = ()  # the parts engine: every pitched track (and a new one for Add a part)
    #: Restyle and Arrange: the stretches, in order, where a take may hold notes (none: the whole bars
    #: around ``notes``); a selection beside or around notes of its track that it leaves out (in its first or
    #: last bar, or between its own notes) is rewritten only where it is, not over them
    spans: tuple[tuple[int, int], ...] = ()
    #: the instrument of the track drawn for, as it was at the click: a take kept once that track is gone
    #: goes into a new track with it (None: not known, as in a recovery copy written before it was; the
    #: parts engine's ``parts`` say their own)
    program: int | None = None
    #: Continue in every track with the parts engine: the empty tracks it had no room to write a new part in
    #: (``engines.empty_parts_written``), left as they are and out of ``parts``: the window says which
    left_empty: tuple[int, ...] = ()
    #: Add a part with the parts engine: the drum tracks' notes, which the model does not read but which
    #: are the band too: the new part plays where they play (a bass with the drums), not only with ``parts``
    drums: tuple[Note, ...] = ()
    #: Add a part with the parts engine: where a pitched track's sustain or sostenuto pedal holds its notes
    #: on after their keys are let go (``Track.pedal_held``): the band sounds there, and the new part plays on
    held: tuple[tuple[int, int], ...] = ()

    @property
    def style(self) -> str:
        return self.options.style

    @property
    def key_written_over_drums(self) -> KeySignature | None:
        """Add a part over drums alone (the request hears drums, and no part it reads has a note): the key
        the new part is written in (``key_for_drums`` of ``options.key``, which the window set by the same
        rule), for keeping the take (``with_key_written_in``) and for the file a take dragged out carries.
        None for every other request: its key is heard in its notes (and for one read back from a recovery
        copy, which keeps neither the drums nor the key)."""
        if not self.drums or any(s.notes for s in self.parts):
            return None
        return key_for_drums(self.options.key)


@dataclass(frozen=True)
class Take:
    """One variation, scored and ranked: everything the Takes panel and the overlay show."""

    number: int  # 1.. in the order the model made them (stays with the take when sorted; keys 1-8)
    notes: tuple[Note, ...]
    start: int  # first tick of the bars the take covers
    end: int  # the bar line after them
    engine: str
    style: str
    # this take's own random seed: the same request with this seed and one variation draws it; None for a
    # take recovered from a copy an earlier app wrote that no seed draws alone now (``takes_recovery``)
    seed: int | None
    realness: float | None
    style_probability: float | None
    critic: float
    features: object = None  # taste.TakeFeatures, told to the taste when the take is kept or discarded
    harmony: float | None = None  # an Arrange take's harmony kept (``critic.harmony_kept``), else None
    taste: float | None = None
    score: float = 0.0
    why: str = "critic"
    #: the parts engine: (track id, its new notes) per part written; NEW_TRACK for Add a part's new part.
    #: ``notes`` is then all of them together (what the critic and the taste judge).
    parts: tuple[tuple[int, tuple[Note, ...]], ...] = ()
    #: the Generate the take was drawn for, given it when it is listed: Keep, audition and the recovery
    #: copy read each take's own, so takes of two Generates can be listed together (a Generate cancelled
    #: after its first take was kept lists the takes before it again, and undoing that keep lists it
    #: beside them). The takes of one Generate share one object: ``number`` tells them apart within it.
    request: Request | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Outcome:
    """What the service hands back: the takes best first, the device used and where the time went."""

    request: Request
    takes: tuple[Take, ...]
    device: str
    seconds: dict[str, float] = field(
        default_factory=dict
    )  # "load", "generate", "score"; "cpu": its CPU time
    # why a judge with damaged model files was left out of the ranking: each error's message, code and
    # params (``BadInputError.as_json``), which the window words in the user's language
    left_out: tuple[dict, ...] = ()
    redrawn: int = 0  # takes drawn again because one came back empty or opened on an empty bar
    unfit: int = 0  # takes that still came back empty after drawing again: not listed
    repeats: int = 0  # takes that still repeated a listed one after drawing again: not listed
