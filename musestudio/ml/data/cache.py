"""Training data: every source parsed once into a compact note cache, split by SPLITS.md's rule.

music21 is slow (minutes for the corpus) and is a training extra, not an app dependency, so parsing happens
once, in worker processes, one shard per source file: an interrupted build resumes where it stopped, and a
bad tune costs only itself. Shards are gzip JSON (notes as flat int lists, ticks at 480 per quarter) in the
user cache folder, never in git. music21's MIDI writer fails on meter changes, so scores are converted from
music21's objects straight to our ``Note`` values; POP909's performed MIDI is quantized on its own beat grid.

CLI: ``python -m musestudio.ml.data build|stats [--cache-dir D] [--sources ...] [--workers N]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sqlite3
import sys
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from musestudio.core.keys import KeySignature, key_scores
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.styles import STYLES

TPB = 480
#: ``../shared/data`` beside the checkout, as the project lays it out; MUSESTUDIO_DATA points elsewhere.
SHARED_DATA = Path(
    os.environ.get("MUSESTUDIO_DATA") or Path(__file__).resolve().parents[2].parent / "shared" / "data"
)
CACHE_VERSION = 1
SPLITS = ("train", "valid", "test")


def split_of(key: str) -> str:
    """SPLITS.md's rule: sha1 of the piece key mod 20; 0 is test, 1 is valid, the rest train."""
    h = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 20
    return "test" if h == 0 else "valid" if h == 1 else "train"


@dataclass(frozen=True, slots=True)
class Piece:
    key: str
    style: str
    split: str
    tpb: int
    notes: tuple[Note, ...]
    time_signatures: tuple[TimeSignature, ...]
    tempo_bpm: float
    key_signature: KeySignature | None

    @property
    def end(self) -> int:
        return max((n.end for n in self.notes), default=0)


def default_cache_dir() -> Path:
    if env := os.environ.get("MUSESTUDIO_CACHE"):
        return Path(env)
    return Path(platformdirs.user_cache_dir("musestudio", appauthor=False)) / "data"


# -- sources -------------------------------------------------------------------------------------------


def _corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).resolve().parent / "corpus"


_GERMAN_SETS = ("altdeu", "ballad", "boehme", "dva", "erk", "fink", "kinder", "zuccal")


def _source_files(source: str) -> list[tuple[Path, str]]:
    """(file, key prefix) pairs of one source; the key prefix is the file's SPLITS.md key."""
    if source == "pop909":
        root = SHARED_DATA / "pop909" / "POP909"
        return [(d / f"{d.name}.mid", f"pop909/{d.name}") for d in sorted(root.iterdir()) if d.is_dir()]
    if source == "nottingham":
        root = SHARED_DATA / "nottingham" / "jukedeck" / "ABC_cleaned"
        files = sorted(p for p in root.glob("*.abc") if p.stem == "jigs" or p.stem.startswith("reels"))
        return [(p, f"nottingham/{p.stem}") for p in files]
    if source == "jazz":
        db = SHARED_DATA / "openewld" / "OpenEWLD.db"
        with sqlite3.connect(db) as con:
            rows = con.execute(
                "select distinct w.path_leadsheet from works w join work_genres g on g.id = w.id "
                "where g.genre = 'Jazz' order by w.path_leadsheet"
            ).fetchall()
        return [(SHARED_DATA / "openewld" / r[0], f"openewld/{r[0]}") for r in rows]
    corpus = _corpus_dir()
    if source == "bach":
        files = sorted((corpus / "bach").glob("bwv*.mxl"))
    elif source == "palestrina":
        files = sorted((corpus / "palestrina").glob("*.krn"))
    elif source == "oneills":
        files = sorted((corpus / "oneills1850").glob("*.abc"))
    elif source == "ryans":
        files = sorted((corpus / "ryansMammoth").glob("*.abc"))
    elif source == "chinese":
        files = [corpus / "essenFolksong" / f for f in ("han1.abc", "han2.abc")]
    elif source == "german":
        files = sorted(
            p for p in (corpus / "essenFolksong").glob("*.abc") if p.stem.rstrip("0123456789") in _GERMAN_SETS
        )
    elif source == "classical":
        files = sorted(
            p
            for composer in ("beethoven", "mozart", "haydn")
            for p in (corpus / composer).rglob("*.mxl")
            if "k545" not in p.parts  # a piano sonata, not a quartet
        )
    else:
        raise ValueError(f"unknown source {source!r}")
    return [(p, p.relative_to(corpus).as_posix()) for p in files]


#: source -> style; a style may gather several sources (Celtic: three tune books).
SOURCES: dict[str, str] = {
    "bach": "bach",
    "palestrina": "palestrina",
    "oneills": "celtic",
    "ryans": "celtic",
    "nottingham": "celtic",
    "chinese": "chinese",
    "german": "german",
    "classical": "classical",
    "pop909": "pop",
    "jazz": "jazz",
}


# -- conversion ----------------------------------------------------------------------------------------


def _abc_tunes(text: str) -> list[tuple[str, str]]:
    """Split an ABC file into (X number, tune text), each tune carrying the file header before the first X:."""
    blocks = re.split(r"(?m)^(?=X:)", text)
    header = "" if blocks[0].lstrip().startswith("X:") else blocks.pop(0)
    header = "\n".join(ln for ln in header.splitlines() if ln.startswith(("%", "I:", "M:", "L:", "R:")))
    tunes = []
    for block in blocks:
        m = re.match(r"X:\s*(\d+)", block)
        if m and re.search(r"(?m)^K:", block):
            tunes.append((m.group(1), (header + "\n" + block) if header else block))
    return tunes


def _key_from_music21(k, notes: Sequence[Note]) -> KeySignature | None:
    """The key the score states; with only a signature, major vs relative minor is judged from the notes."""
    from music21 import key as m21key

    if isinstance(k, m21key.Key) and k.mode in ("major", "minor"):
        return KeySignature(k.tonic.pitchClass, k.mode)
    if k is None:
        return key_scores(notes)[0][1] if notes else None
    major = KeySignature((k.sharps * 7) % 12, "major")
    minor = KeySignature((major.tonic + 9) % 12, "minor")
    if not notes:
        return major
    ranked = [ks for _, ks in key_scores(notes) if ks in (major, minor)]
    return ranked[0]


def score_to_piece_fields(score, *, melody_only: bool = False, default_velocity: int = 80) -> dict:
    """Notes, meters, tempo and key of a music21 score, on a bar grid that starts at tick 0.

    A pickup bar is moved to the end of bar 0, so bar lines fall where the score has them; ties are merged;
    chord symbols and grace notes are dropped (harmony symbols are not played notes).
    """
    from music21 import harmony, meter, stream, tempo
    from music21 import key as m21key

    score = score.stripTies(inPlace=False)
    parts = list(score.parts) if isinstance(score, stream.Score) and score.parts else [score]
    if melody_only:
        parts = parts[:1]
    first = parts[0].flatten()
    sigs = [(float(ts.offset), ts) for ts in first.getElementsByClass(meter.TimeSignature)]
    if not sigs or sigs[0][0] > 0:
        sigs.insert(0, (0.0, sigs[0][1] if sigs else meter.TimeSignature("4/4")))
    shift = 0.0
    measures = list(parts[0].getElementsByClass(stream.Measure))
    if measures:
        bar_ql = float(sigs[0][1].barDuration.quarterLength)
        m0 = measures[0]
        m0_len = float(m0.highestTime) - float(m0.paddingLeft or 0.0)
        if m0.paddingLeft:
            shift = float(m0.paddingLeft)
        elif 0 < m0_len < bar_ql and len(measures) > 1:
            shift = bar_ql - m0_len
    notes: list[Note] = []
    for part in parts:
        for el in part.flatten().notes:
            if isinstance(el, harmony.ChordSymbol) or el.duration.isGrace or el.quarterLength <= 0:
                continue
            start = round((float(el.offset) + shift) * TPB)
            dur = max(1, round(float(el.quarterLength) * TPB))
            vel = el.volume.velocity if el.volume.velocity else default_velocity
            for p in el.pitches:
                if 0 <= p.midi <= 127:
                    notes.append(Note(int(p.midi), start, dur, int(min(127, max(1, vel)))))
    time_sigs: list[TimeSignature] = []
    for off, ts in sigs:
        tick = 0 if off == 0 else round((off + shift) * TPB)
        if ts.denominator in (1, 2, 4, 8, 16, 32, 64) and 1 <= ts.numerator <= 64:
            if time_sigs and time_sigs[-1].tick == tick:
                time_sigs.pop()
            if not time_sigs or (time_sigs[-1].numerator, time_sigs[-1].denominator) != (
                ts.numerator,
                ts.denominator,
            ):
                time_sigs.append(TimeSignature(tick, ts.numerator, ts.denominator))
    if not time_sigs or time_sigs[0].tick != 0:
        time_sigs.insert(0, TimeSignature(0, 4, 4))
    marks = list(first.getElementsByClass(tempo.MetronomeMark))
    bpm = float(marks[0].getQuarterBPM()) if marks and marks[0].number else None
    keys = list(first.getElementsByClass(m21key.KeySignature))
    ksig = _key_from_music21(keys[0] if keys else None, notes)
    notes.sort(key=Note.sort_key)
    return {"notes": notes, "time_signatures": time_sigs, "tempo_bpm": bpm, "key_signature": ksig}


def _midi_quantized(path: Path, tracks: Iterable[str]) -> dict:
    """POP909: notes of the named tracks snapped to 16ths of the file's own beat, bar phase estimated.

    The files carry one tempo and a beat grid aligned to the audio, so snapping to the 16th of that grid
    keeps the rhythm; the bar phase is the beat offset that puts most onsets' weight on bar lines.
    """
    import mido

    mid = mido.MidiFile(path)
    tpb_in = mid.ticks_per_beat
    bpm, num, den = 120.0, 4, 4
    raw: list[tuple[int, int, int, int]] = []
    wanted = set(tracks)
    for track in mid.tracks:
        t, on = 0, {}
        for msg in track:
            t += msg.time
            if msg.type == "set_tempo" and bpm == 120.0:
                bpm = mido.tempo2bpm(msg.tempo)
            elif msg.type == "time_signature":
                num, den = msg.numerator, msg.denominator
            if track.name not in wanted:
                continue
            if msg.type == "note_on" and msg.velocity > 0:
                on[msg.note] = (t, msg.velocity)
            elif msg.type in ("note_off", "note_on") and msg.note in on:
                s, v = on.pop(msg.note)
                raw.append((msg.note, s, t, v))
    step_in = tpb_in / 4
    q = []
    for pitch, s, e, v in raw:
        qs = round(s / step_in)
        qe = max(qs + 1, round(e / step_in))
        q.append((pitch, qs, qe - qs, v))
    steps_per_bar = num * 16 // den
    weight = Counter()
    for _, qs, _, _ in q:
        weight[qs % steps_per_bar] += 1
    # only beat positions are candidate downbeats; the most onsets fall on the downbeat in pop accompaniment
    beat = 4 * 4 // den
    phase = max(range(0, steps_per_bar, beat), key=lambda p: weight[p]) if q else 0
    offset = (steps_per_bar - phase) % steps_per_bar
    step = TPB // 4
    notes = sorted((Note(p, (qs + offset) * step, d * step, v) for p, qs, d, v in q), key=Note.sort_key)
    return {
        "notes": notes,
        "time_signatures": [TimeSignature(0, num, den)],
        "tempo_bpm": round(bpm, 2),
        "key_signature": key_scores(notes)[0][1] if notes else None,
    }


def _encode_piece(key: str, style: str, fields: dict) -> dict:
    flat = [v for n in fields["notes"] for v in (n.pitch, n.start, n.duration, n.velocity)]
    ks = fields["key_signature"]
    return {
        "key": key,
        "style": style,
        "tpb": TPB,
        "notes": flat,
        "ts": [[t.tick, t.numerator, t.denominator] for t in fields["time_signatures"]],
        "tempo": fields["tempo_bpm"] or STYLES[style].tempo_bpm,
        "ksig": [ks.tonic, ks.mode] if ks else None,
    }


def _decode_piece(d: dict) -> Piece:
    flat = d["notes"]
    notes = tuple(Note(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4))
    return Piece(
        key=d["key"],
        style=d["style"],
        split=split_of(d["key"]),
        tpb=d["tpb"],
        notes=notes,
        time_signatures=tuple(TimeSignature(*t) for t in d["ts"]),
        tempo_bpm=float(d["tempo"]),
        key_signature=KeySignature(*d["ksig"]) if d["ksig"] else None,
    )


def _satb(score):
    """The four voices of a chorale whose score adds instruments (horns, oboes, timpani doubling or ornamenting
    the choir): the parts named Soprano, Alto, Tenor and Bass, when there are exactly those four."""
    from music21 import stream

    if len(score.parts) <= 4:
        return score
    voices = [
        p for p in score.parts if (p.partName or "").lower().startswith(("soprano", "alto", "tenor", "bass"))
    ]
    return stream.Score(voices) if len(voices) == 4 else score


def parse_file(source: str, path: Path, key_prefix: str) -> tuple[list[dict], list[str]]:
    """All pieces in one source file, and one line per piece that could not be read."""
    style = SOURCES[source]
    pieces, errors = [], []
    warnings.filterwarnings("ignore")
    if source == "pop909":
        try:
            pieces.append(_encode_piece(key_prefix, style, _midi_quantized(path, ("MELODY", "PIANO"))))
        except Exception as e:  # noqa: BLE001 - one unreadable file must not stop the build
            errors.append(f"{key_prefix}: {type(e).__name__}: {e}")
        return pieces, errors
    from music21 import converter

    if path.suffix == ".abc":
        tunes = _abc_tunes(path.read_text(encoding="latin-1"))
        always_number = source == "nottingham"
        for number, text in tunes:
            key = f"{key_prefix}#{number}" if (always_number or len(tunes) > 1) else key_prefix
            try:
                fields = score_to_piece_fields(converter.parse(text, format="abc"), melody_only=True)
                if fields["notes"]:
                    pieces.append(_encode_piece(key, style, fields))
            except Exception as e:  # noqa: BLE001
                errors.append(f"{key}: {type(e).__name__}: {e}")
        return pieces, errors
    try:
        score = converter.parse(path)
        if source == "bach":
            score = _satb(score)
            if len(score.parts) != 4:
                return pieces, [f"{key_prefix}: skipped, {len(score.parts)} parts (not a 4-part chorale)"]
        fields = score_to_piece_fields(score, melody_only=source == "jazz")
        if fields["notes"]:
            pieces.append(_encode_piece(key_prefix, style, fields))
    except Exception as e:  # noqa: BLE001
        errors.append(f"{key_prefix}: {type(e).__name__}: {e}")
    return pieces, errors


# -- the cache -----------------------------------------------------------------------------------------


def _shard_path(cache_dir: Path, source: str, key_prefix: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", key_prefix)[-120:]
    digest = hashlib.sha1(key_prefix.encode()).hexdigest()[:8]
    return cache_dir / f"v{CACHE_VERSION}" / source / f"{safe}-{digest}.json.gz"


def _build_one(job: tuple[str, str, str, str]) -> tuple[str, int, int]:
    source, path, key_prefix, cache_dir = job
    pieces, errors = parse_file(source, Path(path), key_prefix)
    out = _shard_path(Path(cache_dir), source, key_prefix)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump({"source": source, "file": key_prefix, "pieces": pieces, "errors": errors}, f)
    tmp.replace(out)
    return source, len(pieces), len(errors)


def build_cache(
    cache_dir: Path | None = None,
    sources: Sequence[str] | None = None,
    workers: int = 2,
    limit: int | None = None,
) -> None:
    """Parse every pending source file into its shard; files with a shard already are skipped (resume)."""
    import multiprocessing

    from tqdm import tqdm

    cache_dir = cache_dir or default_cache_dir()
    jobs = []
    for source in sources or SOURCES:
        files = _source_files(source)[:limit]
        for path, key_prefix in files:
            if not _shard_path(cache_dir, source, key_prefix).exists():
                jobs.append((source, str(path), key_prefix, str(cache_dir)))
    jobs.sort(key=lambda j: -Path(j[1]).stat().st_size)  # big files first: the pool ends evenly loaded
    if not jobs:
        print("cache complete:", cache_dir)
        return
    counts: Counter[str] = Counter()
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=50) as pool:
        bar = tqdm(pool.imap_unordered(_build_one, jobs), total=len(jobs), unit="file", file=sys.stderr)
        for source, n, n_err in bar:
            counts[source] += n
            counts["errors"] += n_err
            bar.set_postfix(
                pieces=sum(v for k, v in counts.items() if k != "errors"), errors=counts["errors"]
            )
    print("built:", dict(counts), "in", cache_dir)


def load_cache(
    cache_dir: Path | None = None,
    split: str | None = None,
    styles: Iterable[str] | None = None,
) -> list[Piece]:
    """Pieces from the cache, optionally only one split and some styles, in a stable order (by key)."""
    root = (cache_dir or default_cache_dir()) / f"v{CACHE_VERSION}"
    wanted = set(styles) if styles is not None else None
    sources = [s for s, st in SOURCES.items() if wanted is None or st in wanted]
    pieces = []
    for source in sources:
        for shard in sorted((root / source).glob("*.json.gz")):
            with gzip.open(shard, "rt", encoding="utf-8") as f:
                for d in json.load(f)["pieces"]:
                    if split is None or split_of(d["key"]) == split:
                        pieces.append(_decode_piece(d))
    pieces.sort(key=lambda p: p.key)
    return pieces


def cache_errors(cache_dir: Path | None = None) -> dict[str, list[str]]:
    root = (cache_dir or default_cache_dir()) / f"v{CACHE_VERSION}"
    out: dict[str, list[str]] = defaultdict(list)
    for shard in sorted(root.glob("*/*.json.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as f:
            d = json.load(f)
        out[d["source"]].extend(d["errors"])
    return dict(out)


def stats(pieces: Iterable[Piece]) -> dict[str, dict[str, dict[str, float]]]:
    """Pieces, notes and quarter notes per style and split."""
    table: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(float))
    )
    for p in pieces:
        row = table[p.style][p.split]
        row["pieces"] += 1
        row["notes"] += len(p.notes)
        row["quarters"] += p.end / p.tpb
    return {s: {sp: dict(v) for sp, v in d.items()} for s, d in table.items()}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m musestudio.ml.data", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("build", "stats"))
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--sources", nargs="*", choices=list(SOURCES), default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--limit", type=int, default=None, help="at most this many files per source (a quick sample)"
    )
    args = ap.parse_args(argv)
    if args.command == "build":
        build_cache(args.cache_dir, args.sources, args.workers, args.limit)
        return 0
    pieces = load_cache(args.cache_dir)
    table = stats(pieces)
    print(f"{'style':<11}{'split':<7}{'pieces':>8}{'notes':>10}{'quarters':>10}")
    for style_name in STYLES:
        for sp in SPLITS:
            row = table.get(style_name, {}).get(sp)
            if row:
                print(
                    f"{style_name:<11}{sp:<7}{row['pieces']:>8.0f}{row['notes']:>10.0f}{row['quarters']:>10.0f}"
                )
    for source, errs in cache_errors(args.cache_dir).items():
        if errs:
            print(f"{source}: {len(errs)} unread, e.g. {errs[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
