"""The user's own MIDI files as training material for a learned style (issue 16).

``read_files`` takes files and folders (folders are searched for every name the app opens a MIDI file
under, ``io.midi.READ_SUFFIXES``, an RMID file's ``.rmi`` too), reads each with the app's own MIDI reader
and keeps its pitched tracks; a file it cannot use is skipped with the reason (``Skipped``: which reason,
its particulars, and in English; the app words it in the user's language), unreadable, no pitched notes, a
meter the tokenizer has no token for, under two bars; a file whose damaged end the reader dropped says so
(``Segment.dropped_end_hours``, as Open says it); a track played in off the beat is read on the beat and a
file in 1/4 throughout in 4/4, as the models hear a played seed (``core.played_in``). ``split`` keeps
material out for the held-out check: whole files from five files on (one in ten, at least one), else about
one bar in ten of each file, as one block from the middle on (openings and endings are the least typical
bars). The blocks become ``Segment`` values, each starting at tick 0 on a bar line, which ``as_piece``
(the single stream the Continue transformer reads) and ``as_parts_piece`` (one part per track, for the
parts model) turn into the corpus types the training windows are drawn from.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.played_in import heard_on_grid, is_played_in
from musestudio.core.project import TimeSignature, normalise_time_signatures
from musestudio.core.timing import bar_lines, downbeat_offset, is_beat_grid
from musestudio.io.midi import READ_SUFFIXES, FarEnd, read_midi
from musestudio.ml.data.cache import Piece
from musestudio.ml.data.parts import PartsPiece
from musestudio.ml.parts_grammar import Part
from musestudio.ml.tokenizer import METERS

MAX_FILES = 500
MIN_BARS = 2
#: with this many files or more, whole files are held out (one in ten, at least one). Bars of the files
#: learnt from are a leaky check: a song's held-out chorus is its other choruses again, so their NLL keeps
#: falling while the layers learn the songs by heart and read the user's *other* songs worse (pop, 8
#: songs heard on the beat: held-out bars -34%, other songs +4.6%; models/README.md, session 14). A whole
#: file tells the early stop when the layers stop generalizing.
HOLD_OUT_FILES_FROM = 5


@dataclass(frozen=True)
class Track:
    name: str
    program: int
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Segment:
    """Bars of one file, from tick 0 (a bar line) on."""

    source: str  # the file's name
    tpb: int
    tracks: tuple[Track, ...]
    time_signatures: tuple[TimeSignature, ...]
    key: KeySignature | None
    tempo_bpm: float
    bars: int
    #: a track was played in, off the beat: the models read it on the beat (``core.played_in``)
    played_in: bool = False
    #: the file's end-of-track lay this many hours of silence after its last event, a damaged length the
    #: reader dropped (``io.midi.FarEnd``); 0 for a file that ends where it says
    dropped_end_hours: float = 0.0

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(sorted((n for t in self.tracks for n in t.notes), key=Note.sort_key))

    @cached_property
    def _bar_index(self) -> tuple[list[int], tuple[tuple[tuple[Note, ...], list[int]], ...]]:
        """(bar lines, each track's notes in start order with their starts), made once: ``cut`` looks bars
        up in them. Without, every cut read the whole file again, and the key prior's windows of a
        150,000-note file took 28 s of a 12 s learning."""
        notes = [n for t in self.tracks for n in t.notes]
        lines = bar_lines(list(self.time_signatures), self.tpb, max(n.start for n in notes) + 1)
        tracks = []
        for t in self.tracks:
            ordered = t.notes if _in_start_order(t.notes) else tuple(sorted(t.notes, key=lambda n: n.start))
            tracks.append((ordered, [n.start for n in ordered]))
        return lines, tuple(tracks)


def _in_start_order(notes: Sequence[Note]) -> bool:
    return all(a.start <= b.start for a, b in pairwise(notes))


# Why a file is not learnt from (``Skipped.why``), each with its English; ``{}`` is the reason's particulars
# (``Skipped.detail``). The app words each reason itself, from these names, in the user's language.
MISSING = "missing"
NOT_MIDI = "not_midi"  # detail: the names a MIDI file goes by
NO_MIDI_IN_FOLDER = "no_midi_in_folder"  # detail: the names a MIDI file goes by
TOO_MANY = "too_many"  # detail: MAX_FILES
UNREADABLE = "unreadable"  # detail: what the MIDI reader said
NO_PITCHED_NOTES = "no_pitched_notes"
ODD_METER = "odd_meter"  # detail: the meter, "7/8"
TOO_SHORT = "too_short"  # detail: MIN_BARS
REASONS = {
    MISSING: "there is no such file",
    NOT_MIDI: "not a MIDI file ({})",
    NO_MIDI_IN_FOLDER: "a folder with no MIDI files in it ({})",
    TOO_MANY: "more than {} files: the rest were left out",
    UNREADABLE: "{}",
    NO_PITCHED_NOTES: "it has no pitched notes (only drums, or nothing)",
    ODD_METER: "its meter {} is one the models have no token for",
    TOO_SHORT: "it is shorter than {} bars",
}


@dataclass(frozen=True)
class Skipped:
    """A file passed over: ``why`` (one of ``REASONS``) with its particulars, ``detail``."""

    path: Path
    why: str
    detail: str | int = ""
    #: for ``UNREADABLE``: the reader's error as ``BadInputError.as_json`` gives it, so the app words it
    said: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in English (the command line's, and the error when no file is usable)."""
        return REASONS[self.why].format(self.detail)

    def as_json(self) -> dict:
        """What the trainer reports of it: the file, the reason's name and particulars for the app to word,
        the English, and what the MIDI reader said of a file it cannot read (its code and particulars)."""
        said = {"said": self.said} if self.said else {}
        return {
            "file": self.path.name,
            "path": str(self.path),  # two song.mid in two folders read apart
            "why": self.why,
            "detail": self.detail,
            "reason": self.reason,
            **said,
        }


class Unusable(BadInputError):
    """A file read that the models cannot learn from, for one of ``REASONS`` (``why``, ``detail``)."""

    def __init__(self, why: str, detail: str | int = "") -> None:
        super().__init__(REASONS[why].format(detail))
        self.why, self.detail = why, detail


def midi_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The MIDI files among ``paths`` (folders searched recursively), and what was passed over."""
    found, skipped = [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            inside = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in READ_SUFFIXES)
            if not inside:  # said, not passed over: "no MIDI files given" told a user who gave a folder
                skipped.append(Skipped(p, NO_MIDI_IN_FOLDER, ", ".join(READ_SUFFIXES)))
            found += inside
        elif not p.exists():
            skipped.append(Skipped(p, MISSING))
        elif p.suffix.lower() not in READ_SUFFIXES:
            skipped.append(Skipped(p, NOT_MIDI, ", ".join(READ_SUFFIXES)))
        else:
            found.append(p)
    unique = list(dict.fromkeys(found))
    if len(unique) > MAX_FILES:
        skipped += [Skipped(p, TOO_MANY, MAX_FILES) for p in unique[MAX_FILES:]]
        unique = unique[:MAX_FILES]
    return unique, skipped


def _bars(sigs: Sequence[TimeSignature], tpb: int, notes: Sequence[Note]) -> list[int]:
    last = max(n.start for n in notes)
    return bar_lines(list(sigs), tpb, last + 1)


def read_file(path: Path) -> Segment:
    """One file as a Segment of all its bars; a BadInputError says why it cannot be used (``Unusable``
    for a file read)."""
    said: list = []
    project = read_midi(path, said)
    tpb = project.ticks_per_beat
    pitched = [t for t in project.tracks if not t.is_drum and t.notes]
    played = [is_played_in(t.notes, tpb) for t in pitched]
    tracks = tuple(Track(t.name, t.program, heard_on_grid(t.notes, tpb)) for t in pitched)
    if not tracks:
        raise Unusable(NO_PITCHED_NOTES)
    sigs = normalise_time_signatures(project.time_signatures)
    if is_beat_grid(sigs):
        tracks, sigs = _moved_onto_bars(tracks, tpb)
    odd = sorted({(s.numerator, s.denominator) for s in sigs} - set(METERS))
    if odd:
        raise Unusable(ODD_METER, f"{odd[0][0]}/{odd[0][1]}")
    notes = [n for t in tracks for n in t.notes]
    lines = _bars(sigs, tpb, notes)
    if len(lines) - 1 < MIN_BARS:
        raise Unusable(TOO_SHORT, MIN_BARS)
    key = file_key(project.key, notes)
    tempo = project.tempos[0].bpm if project.tempos else 120.0
    dropped = sum(far.hours for far in said if isinstance(far, FarEnd))
    return Segment(path.name, tpb, tracks, sigs, key, tempo, len(lines) - 1, any(played), dropped)


def _moved_onto_bars(
    tracks: Sequence[Track], tpb: int
) -> tuple[tuple[Track, ...], tuple[TimeSignature, ...]]:
    """A file in 1/4 throughout marks beats, not bars (a sequencer's beat grid: POP909's songs): read in
    4/4, moved so that beat one (``core.timing.beat_one``) starts each bar, as the corpus reads those songs.
    Training windows want whole 4/4 bars, so the notes move; generation keeps the user's notes where they
    are and moves the bar lines instead (``core.timing.beats_as_bars``)."""
    offset = downbeat_offset((n.start for t in tracks for n in t.notes), tpb)
    moved = tuple(Track(t.name, t.program, tuple(n.moved(offset) for n in t.notes)) for t in tracks)
    return moved, (TimeSignature(0, 4, 4),)


#: a written key is kept while its scale holds at most this much less of the notes than the heard key's
WRITTEN_KEY_SLACK = 0.03


def file_key(written: KeySignature | None, notes: Sequence[Note]) -> KeySignature | None:
    """The key the models are told a file is in: its key signature, unless the notes say otherwise.

    Many sequencers write a C major signature into every file (POP909's songs in D major and Bb minor
    carry one), and a style learnt with that signature over a song in D learns "C major" as the token for
    D's notes; at Continue time the engines are told the key the seed's notes are in (``detect_key``),
    and a style that learnt the key token off by a tone writes in the wrong key. So a written key whose
    scale holds clearly fewer of the notes (``WRITTEN_KEY_SLACK``) than the key the notes are heard in
    gives way to that one; a signature the music keeps to (a mixolydian tune written in its major key's
    signature, a minor piece's relative major) stays as the file has it."""
    heard = detect_key(notes)
    if written is None or heard is None or written == heard:
        return written or heard

    def held(key: KeySignature) -> float:
        return sum(key.contains(n.pitch) for n in notes) / len(notes)

    return written if held(written) >= held(heard) - WRITTEN_KEY_SLACK else heard


def read_files(paths: Iterable[Path]) -> tuple[list[Segment], list[Skipped]]:
    """Every usable file as a Segment, and every file skipped with its reason."""
    files, skipped = midi_paths(paths)
    out = []
    for p in files:
        try:
            out.append(read_file(p))
        except Unusable as e:
            skipped.append(Skipped(p, e.why, e.detail))
        except BadInputError as e:
            skipped.append(Skipped(p, UNREADABLE, str(e), e.as_json()))
        except (OSError, ValueError) as e:
            skipped.append(Skipped(p, UNREADABLE, str(e)))
    return out, skipped


def dropped_ends(segments: Iterable[Segment]) -> list[dict]:
    """The files whose damaged end the reader dropped (``Segment.dropped_end_hours``), with the hours of
    silence it held, for the trainer's report: the app and the command line say it as Open says it."""
    return [{"file": s.source, "hours": s.dropped_end_hours} for s in segments if s.dropped_end_hours]


def cut(seg: Segment, a: int, b: int) -> Segment:
    """Bars a..b-1 of ``seg``, moved to start at tick 0; notes crossing bar ``b`` are shortened."""
    lines, indexed = seg._bar_index
    lo, hi = lines[a], lines[b]
    tracks = []
    for t, (ordered, starts) in zip(seg.tracks, indexed, strict=True):
        kept = tuple(
            Note(n.pitch, n.start - lo, min(n.duration, hi - n.start), n.velocity)
            for n in ordered[bisect_left(starts, lo) : bisect_left(starts, hi)]
        )
        if kept:
            tracks.append(Track(t.name, t.program, kept))
    before = [s for s in seg.time_signatures if s.tick <= lo]
    sigs = [TimeSignature(0, before[-1].numerator, before[-1].denominator)]
    sigs += [
        TimeSignature(s.tick - lo, s.numerator, s.denominator)
        for s in seg.time_signatures
        if lo < s.tick < hi
    ]
    return Segment(seg.source, seg.tpb, tuple(tracks), tuple(sigs), seg.key, seg.tempo_bpm, b - a)


def split(segments: Sequence[Segment]) -> tuple[list[Segment], list[Segment]]:
    """(train, held out): whole files (one in ten, at least one) from ``HOLD_OUT_FILES_FROM`` files on,
    else a block of about a tenth of each file's bars (at least two); files too short to spare a block all
    go to training."""
    if not segments:
        raise BadInputError("no usable MIDI files to learn from", "no_usable_files", skipped=[])
    if len(segments) >= HOLD_OUT_FILES_FROM:
        held = set(range(len(segments) // 2 % 10, len(segments), 10))
        return (
            [s for i, s in enumerate(segments) if i not in held],
            [s for i, s in enumerate(segments) if i in held],
        )
    train, valid = [], []
    for s in segments:
        n = max(MIN_BARS, round(s.bars / 10))
        if s.bars < 3 * n:
            train.append(s)
            continue
        a = min(s.bars - n, int(s.bars * 0.6))
        parts = [cut(s, 0, a), cut(s, a, a + n)]
        if a + n < s.bars:
            parts.append(cut(s, a + n, s.bars))
        train.append(parts[0])
        valid.append(parts[1])
        train += parts[2:]
    train = [s for s in train if s.tracks and s.bars >= MIN_BARS]
    valid = [s for s in valid if s.tracks]
    if not valid:
        raise BadInputError(
            f"the files are too short to keep any bars out for the check: give at least {3 * MIN_BARS} bars",
            "too_short_to_check",
            bars=3 * MIN_BARS,
        )
    return train, valid


def as_piece(seg: Segment, style: str, key: str = "user") -> Piece:
    """All pitched tracks as one stream: what the Continue transformer reads and writes."""
    return Piece(
        key,
        style,
        "train",
        seg.tpb,
        seg.notes,
        time_signatures=seg.time_signatures,
        tempo_bpm=seg.tempo_bpm,
        key_signature=seg.key,
    )


def as_parts_piece(seg: Segment, style: str, roles: Sequence[str], key: str = "user") -> PartsPiece:
    """One part per track with its role (``roles``, from the caller's role guess) and GM program."""
    parts = tuple(Part(r, t.program, t.notes) for t, r in zip(seg.tracks, roles, strict=True))
    return PartsPiece(
        key,
        style,
        "train",
        seg.tpb,
        parts,
        time_signatures=seg.time_signatures,
        tempo_bpm=seg.tempo_bpm,
        key_signature=seg.key,
    )
