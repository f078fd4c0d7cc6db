"""Training data with parts kept apart: each source's voices or tracks as parts with roles, cached in shards.

Roles by rule (the same rule for every piece of a source):
- Bach chorales (the four SATB voices): soprano melody, alto and tenor harmony, bass bass; choir program 52.
- Palestrina: the highest voice (by mean pitch) melody, the lowest bass, the others harmony; program 52.
- String quartets (Haydn, Mozart, Beethoven in music21's corpus): first part (violin I) melody, the middle
  parts harmony, the last (cello) bass; programs 40/40/41/42. Scores that are not four parts: top melody,
  bottom bass, the rest harmony, program 48 (strings).
- POP909: MELODY melody, BRIDGE counter-melody, PIANO split by hand at middle G (notes below MIDI 55 are the
  left hand: role bass; the rest the right hand: accompaniment); all program 0.
- Nottingham and OpenEWLD lead sheets: the tune is the melody (program 0); the chord symbols are *realized*
  (the parts carry REALIZED): an accompaniment (program 0) striking the chord's tones in close position
  between F3 and G4 on every beat (dotted quarters in 6/8, 9/8, 12/8), and a bass (program 32) playing the
  root (or the slash bass) between C2 and B2 at each chord change and each bar line, held to the next one.

Pieces are read with data.py's own parsers (imports, not copies): the same quantization for POP909 and the
same music21 conversion (pickups moved, ties merged) for scores, so notes land on the same grid as the
single-stream cache. Splits follow SPLITS.md through ``data.split_of`` with the same piece keys.

CLI: ``python -m musestudio.ml.data.parts build|stats [--sources ...] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from musestudio.core.keys import KeySignature, key_scores
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import downbeat_offset
from musestudio.ml.data import cache, corpus
from musestudio.ml.parts_grammar import Part

CACHE_VERSION = 1
#: fastest first, so training can start on what is cached early
SOURCES = ("pop909", "bach", "nottingham", "palestrina", "jazz", "classical")
LEFT_HAND_BELOW = 55  # POP909 piano split: notes below G3 are the left hand


@dataclass(frozen=True)
class PartsPiece(cache.PieceFacts):
    parts: tuple[Part, ...]

    def all_notes(self) -> Iterable[Note]:
        return (n for p in self.parts for n in p.notes)

    def as_stream(self) -> cache.Piece | None:
        """This piece as the single-stream cache holds its source: every part merged into one stream, but a
        lead sheet's realized chords dropped (that cache has the Nottingham and OpenEWLD tunes bare). What
        the Restyle data stands in with for a style whose single-stream source is not built. None when no
        played note is left."""
        notes = tuple(sorted((n for p in self.parts if not p.realized for n in p.notes), key=Note.sort_key))
        if not notes:
            return None
        return cache.Piece(
            self.key,
            self.style,
            self.split,
            self.tpb,
            time_signatures=self.time_signatures,
            tempo_bpm=self.tempo_bpm,
            key_signature=self.key_signature,
            notes=notes,
        )


def cache_dir(root: Path | None = None) -> Path:
    """Our own folder beside the single-stream cache (never inside it, so the two never clash). Each source's
    shards sit in its reader-versioned folder (``corpus.source_dir``), as in the single-stream cache."""
    return (root or cache.default_cache_dir()) / f"parts-v{CACHE_VERSION}"


# -- sources -------------------------------------------------------------------------------------------


def _pop909(path: Path) -> dict:
    """MELODY, BRIDGE and PIANO as parts. data.py quantizes onto a bar phase estimated from the tracks it is
    given, so the phase comes from all three together and each track's notes are found in that result."""
    names = ("MELODY", "BRIDGE", "PIANO")
    together = corpus._midi_quantized(path, names)
    pool = Counter((n.pitch, n.start, n.duration, n.velocity) for n in together["notes"])
    step = corpus.TPB // 4
    parts = []
    for name in names:
        own = corpus._midi_quantized(path, (name,))["notes"]
        if not own:
            continue
        base = Counter((n.pitch, n.start, n.duration, n.velocity) for n in own)
        for shift in sorted(range(-32, 33), key=abs):  # the other phase, in 16ths: find where it fits
            moved = Counter({(p, s + shift * step, d, v): c for (p, s, d, v), c in base.items()})
            if not moved - pool:
                break
        else:
            raise ValueError(f"{name} does not align with the other tracks")
        notes = sorted(
            (Note(p, s, d, v) for (p, s, d, v), c in moved.items() for _ in range(c)), key=Note.sort_key
        )
        if name == "MELODY":
            parts.append(Part("melody", 0, tuple(notes)))
        elif name == "BRIDGE":
            parts.append(Part("counter-melody", 0, tuple(notes)))
        else:
            left = tuple(n for n in notes if n.pitch < LEFT_HAND_BELOW)
            right = tuple(n for n in notes if n.pitch >= LEFT_HAND_BELOW)
            if right:
                parts.append(Part("accompaniment", 0, right))
            if left:
                parts.append(Part("bass", 0, left))
    return {**together, "parts": parts}


def _score_parts(score, source: str) -> dict:
    """Each part of a music21 score converted by data.py's converter (same pickup shift for all)."""
    from music21 import stream

    whole = corpus.score_to_piece_fields(score)
    notes = [tuple(corpus.score_to_piece_fields(stream.Score([p]))["notes"]) for p in score.parts]
    notes = [n for n in notes if n]
    n = len(notes)
    if source == "classical" and n == 4:
        roles = ["melody", "harmony", "harmony", "bass"]
        programs = [40, 40, 41, 42]
    else:
        order = sorted(range(n), key=lambda i: -sum(x.pitch for x in notes[i]) / len(notes[i]))
        roles = ["harmony"] * n
        if n >= 1:
            roles[order[0]] = "melody"
        if n >= 2:
            roles[order[-1]] = "bass"
        programs = [52 if source in ("bach", "palestrina") else 48] * n
    parts = [Part(r, p, ns) for r, p, ns in zip(roles, programs, notes, strict=True)]
    return {**whole, "parts": parts}


def _beat_ticks(num: int, den: int) -> int:
    unit = corpus.TPB * 4 // den
    return unit * 3 if den == 8 and num % 3 == 0 and num > 3 else unit


def realize_chords(
    symbols: Sequence[tuple[int, list[int], int]], end: int, time_signatures: Sequence[TimeSignature]
) -> tuple[Part, Part]:
    """Accompaniment and bass from chord symbols (start tick, pitch classes root first, bass pitch class),
    as the module docstring says; both parts marked realized."""
    from musestudio.core.timing import bar_lines, signature_at

    lines = bar_lines(list(time_signatures), corpus.TPB, end)
    acc: list[Note] = []
    bass: list[Note] = []
    for i, (start, pcs, bass_pc) in enumerate(symbols):
        stop = symbols[i + 1][0] if i + 1 < len(symbols) else end
        if stop <= start or not pcs:
            continue
        voicing = sorted({53 + (pc - 53) % 12 for pc in pcs[:4]})
        sig = signature_at(list(time_signatures), start)
        beat = _beat_ticks(sig.numerator, sig.denominator)
        t = start
        while t < stop:
            line = max((ln for ln in lines if ln <= t), default=0)
            nxt = line + ((t - line) // beat + 1) * beat
            d = min(nxt, stop) - t
            acc += [Note(p, t, d, 64) for p in voicing]
            t = min(nxt, stop)
        cuts = sorted({start, *(ln for ln in lines if start < ln < stop)})
        for j, c in enumerate(cuts):
            e = cuts[j + 1] if j + 1 < len(cuts) else stop
            bass.append(Note(36 + bass_pc % 12, c, e - c, 72))
    return (
        Part("accompaniment", 0, tuple(sorted(acc, key=Note.sort_key)), realized=True),
        Part("bass", 32, tuple(sorted(bass, key=Note.sort_key)), realized=True),
    )


def _lead_sheet(score) -> dict:
    """The melody plus realized chord symbols; the symbols' offsets get the melody's pickup shift, found by
    comparing data.py's converted first note with music21's own offset."""
    from music21 import harmony

    fields = corpus.score_to_piece_fields(score, melody_only=True)
    melody = fields["notes"]
    if not melody:
        return {**fields, "parts": []}
    flat = (score.parts[0] if hasattr(score, "parts") and score.parts else score).flatten()
    first = next(
        (
            n
            for n in flat.notes
            if not isinstance(n, harmony.ChordSymbol) and not n.duration.isGrace and n.quarterLength > 0
        ),
        None,
    )
    shift = melody[0].start - round(float(first.offset) * corpus.TPB) if first is not None else 0
    symbols = []
    for cs in flat.getElementsByClass(harmony.ChordSymbol):
        try:
            pitches = [p.pitchClass for p in cs.pitches]
            if not pitches:
                continue
            root = cs.root().pitchClass
            pcs = [root] + [pc for pc in dict.fromkeys(pitches) if pc != root]
            bass_pc = cs.bass().pitchClass if cs.bass() is not None else root
        except Exception:  # noqa: BLE001 - an unreadable symbol is skipped, the tune kept
            continue
        symbols.append((max(0, round(float(cs.offset) * corpus.TPB) + shift), pcs, bass_pc))
    parts = [Part("melody", 0, tuple(melody))]
    if symbols:
        symbols.sort(key=lambda s: s[0])
        end = max(n.end for n in melody)
        parts += realize_chords(symbols, end, fields["time_signatures"])
    return {**fields, "parts": parts}


def parse_file(source: str, path: Path, key_prefix: str) -> tuple[list[dict], list[str]]:
    style = corpus.SOURCES[source]
    pieces, errors = [], []
    try:
        if source == "pop909":
            pieces.append(_encode(key_prefix, style, _pop909(path)))
            return pieces, errors
        import warnings

        from music21 import converter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if path.suffix == ".abc":
                tunes = corpus._abc_tunes(path.read_text(encoding="latin-1"))
                for number, text in tunes:
                    key = f"{key_prefix}#{number}"
                    try:
                        fields = _lead_sheet(converter.parse(text, format="abc"))
                        if fields["parts"]:
                            pieces.append(_encode(key, style, fields))
                    except Exception as e:  # noqa: BLE001 - one bad tune costs only itself
                        errors.append(f"{key}: {type(e).__name__}: {e}")
                return pieces, errors
            score = converter.parse(path)
            if source == "jazz":
                fields = _lead_sheet(score)
            else:
                if source == "bach":
                    score = corpus._satb(score)
                    if len(score.parts) != 4:
                        return [], [f"{key_prefix}: skipped, {len(score.parts)} parts (not a 4-part chorale)"]
                fields = _score_parts(score, source)
            if fields["parts"]:
                pieces.append(_encode(key_prefix, style, fields))
    except Exception as e:  # noqa: BLE001 - one unreadable file must not stop the build
        errors.append(f"{key_prefix}: {type(e).__name__}: {e}")
    return pieces, errors


# -- shards --------------------------------------------------------------------------------------------


def _encode(key: str, style: str, fields: dict) -> dict:
    ks = fields["key_signature"]
    everything = [n for p in fields["parts"] for n in p.notes]
    if ks is None and everything:
        ks = key_scores(everything)[0][1]
    return {
        "key": key,
        "style": style,
        "tpb": corpus.TPB,
        "ts": [[t.tick, t.numerator, t.denominator] for t in fields["time_signatures"]],
        "tempo": fields["tempo_bpm"] or 100.0,
        "ksig": [ks.tonic, ks.mode] if ks else None,
        "parts": [
            {
                "role": p.role,
                "program": p.program,
                "realized": p.realized,
                "notes": [v for n in p.notes for v in (n.pitch, n.start, n.duration, n.velocity)],
            }
            for p in fields["parts"]
        ],
    }


def _common_time(parts: list[Part], tpb: int) -> tuple[list[Part], tuple[TimeSignature, ...]]:
    """POP909 files state 1/4 or 2/4 for most songs (a beat grid, not the meter): take them as 4/4 from
    beat one as the corpus finds it (``core.timing.beat_one``)."""
    offset = downbeat_offset((n.start for p in parts for n in p.notes), tpb)
    moved = [
        Part(
            p.role,
            p.program,
            tuple(Note(n.pitch, n.start + offset, n.duration, n.velocity) for n in p.notes),
            p.realized,
        )
        for p in parts
    ]
    return moved, (TimeSignature(0, 4, 4),)


def _decode(d: dict) -> PartsPiece:
    parts = []
    for p in d["parts"]:
        f = p["notes"]
        notes = tuple(Note(f[i], f[i + 1], f[i + 2], f[i + 3]) for i in range(0, len(f), 4))
        parts.append(Part(p["role"], p["program"], notes, p["realized"]))
    sigs = tuple(TimeSignature(*t) for t in d["ts"])
    if d["key"].startswith("pop909/") and [(s.numerator, s.denominator) for s in sigs] in (
        [(1, 4)],
        [(2, 4)],
    ):
        parts, sigs = _common_time(parts, d["tpb"])
    return PartsPiece(
        key=d["key"],
        style=d["style"],
        split=cache.split_of(d["key"]),
        tpb=d["tpb"],
        parts=tuple(parts),
        time_signatures=sigs,
        tempo_bpm=float(d["tempo"]),
        key_signature=KeySignature(*d["ksig"]) if d["ksig"] else None,
    )


def _build_one(job: tuple[str, str, str, str]) -> tuple[str, int, int]:
    source, path, key_prefix, root = job
    pieces, errors = parse_file(source, Path(path), key_prefix)
    cache.write_shard(cache.shard_file(Path(root), source, key_prefix), source, key_prefix, pieces, errors)
    return source, len(pieces), len(errors)


def build(root: Path | None = None, sources: Sequence[str] = SOURCES, workers: int = 2) -> None:
    """Parse pending files into shards, one source after the other (fastest first); resumable."""
    from tqdm import tqdm

    root = cache_dir(root)
    for source in sources:
        jobs = [
            (source, str(p), k, str(root))
            for p, k in corpus.source_files(source)
            if not cache.shard_file(root, source, k).exists()
        ]
        if not jobs:
            continue
        counts: Counter[str] = Counter()
        with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=50) as pool:
            for _, n, n_err in tqdm(
                pool.imap_unordered(_build_one, jobs), total=len(jobs), desc=source, file=sys.stderr
            ):
                counts["pieces"] += n
                counts["errors"] += n_err
        print(f"{source}: {dict(counts)}", flush=True)


def load(
    root: Path | None = None, split: str | None = None, sources: Sequence[str] | None = None
) -> list[PartsPiece]:
    """Cached pieces (one split, some sources), sorted by key."""
    base = cache_dir(root)
    out = []
    for source in sources or SOURCES:
        for shard in sorted((base / corpus.source_dir(source)).glob("*.json.gz")):
            with gzip.open(shard, "rt", encoding="utf-8") as f:
                for d in json.load(f)["pieces"]:
                    if split is None or cache.split_of(d["key"]) == split:
                        out.append(_decode(d))
    out.sort(key=lambda p: p.key)
    return out


def cached_sources(root: Path | None = None) -> dict[str, int]:
    base = cache_dir(root)
    dirs = {s: base / corpus.source_dir(s) for s in SOURCES}
    return {s: len(list(d.glob("*.json.gz"))) for s, d in dirs.items() if d.is_dir()}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.data.parts", description=__doc__.splitlines()[0]
    )
    ap.add_argument("command", choices=("build", "stats"))
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--sources", nargs="*", choices=SOURCES, default=list(SOURCES))
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    if args.command == "build":
        build(args.cache_dir, args.sources, args.workers)
        return 0
    pieces = load(args.cache_dir, sources=args.sources)
    table: Counter[tuple[str, str, str]] = Counter()
    for p in pieces:
        for part in p.parts:
            table[(p.style, p.split, part.role + ("*" if part.realized else ""))] += len(part.notes)
        table[(p.style, p.split, "pieces")] += 1
    for (style, split, what), n in sorted(table.items()):
        print(f"{style:<11}{split:<7}{what:<16}{n:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
