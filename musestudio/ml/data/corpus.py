"""The training corpus: where each source's files are, and how a file becomes pieces (music21 or MIDI).

music21 is slow and is a training extra, not an app dependency, so it is imported only here, inside the
functions that parse. Scores are converted from music21's objects straight to our ``Note`` values (its MIDI
writer fails on meter changes); POP909's performed MIDI is quantized on its own beat grid. Each parsed
piece is a plain dict (``encode_piece``), the form a cache shard stores.
"""

from __future__ import annotations

import math
import re
import sqlite3
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from musestudio.core.keys import KeySignature, key_scores
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.styles import STYLES
from musestudio.paths import shared_data_dir

TPB = 480


def _corpus_dir() -> Path:
    import music21

    return Path(music21.__file__).resolve().parent / "corpus"


_GERMAN_SETS = ("altdeu", "ballad", "boehme", "dva", "erk", "fink", "kinder", "zuccal")


def source_files(source: str) -> list[tuple[Path, str]]:
    """(file, key prefix) pairs of one source; the key prefix is the file's SPLITS.md key."""
    if source == "pop909":
        root = shared_data_dir() / "pop909" / "POP909"
        return [(d / f"{d.name}.mid", f"pop909/{d.name}") for d in sorted(root.iterdir()) if d.is_dir()]
    if source == "nottingham":
        root = shared_data_dir() / "nottingham" / "jukedeck" / "ABC_cleaned"
        files = sorted(p for p in root.glob("*.abc") if p.stem == "jigs" or p.stem.startswith("reels"))
        return [(p, f"nottingham/{p.stem}") for p in files]
    if source == "jazz":
        db = shared_data_dir() / "openewld" / "OpenEWLD.db"
        with sqlite3.connect(db) as con:
            rows = con.execute(
                "select distinct w.path_leadsheet from works w join work_genres g on g.id = w.id "
                "where g.genre = 'Jazz' order by w.path_leadsheet"
            ).fetchall()
        return [(shared_data_dir() / "openewld" / r[0], f"openewld/{r[0]}") for r in rows]
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


#: A source's reader version: bumped when its reader changes what it makes of the same files, so only that
#: source's shards are rebuilt (``source_dir``). POP909 2: the beat's sixteenth phase from the chord changes
#: and its 1/4 and 2/4 beat grids read as 4/4 (``_midi_quantized``).
READER_VERSIONS: dict[str, int] = {"pop909": 2}


def source_dir(source: str) -> str:
    """The folder of ``source``'s shards in a cache: its plain name at reader version 1 (shards built before
    versions existed stay valid), ``name-rN`` after the reader's N-th change. Older code keeps reading the
    plain folder, so a rebuild of one source disturbs nothing that reads the others."""
    version = READER_VERSIONS.get(source, 1)
    return source if version == 1 else f"{source}-r{version}"


def _tempo_map(mid) -> list[tuple[int, float, int]]:
    """(tick, seconds, tempo) at every tempo change of a MIDI file, from tick 0."""
    changes = sorted(
        (t, msg.tempo) for track in mid.tracks for t, msg in _timed(track) if msg.type == "set_tempo"
    )
    if not changes or changes[0][0] > 0:
        changes.insert(0, (0, 500000))
    out: list[tuple[int, float, int]] = []
    for tick, tempo in changes:
        if out:
            t0, s0, tempo0 = out[-1]
            out.append((tick, s0 + (tick - t0) / mid.ticks_per_beat * tempo0 / 1e6, tempo))
        else:
            out.append((tick, 0.0, tempo))
    return out


def _timed(track):
    t = 0
    for msg in track:
        t += msg.time
        yield t, msg


def _seconds_to_ticks(seconds: float, tempo_map: list[tuple[int, float, int]], tpb: int) -> float:
    tick, sec, tempo = max((seg for seg in tempo_map if seg[1] <= seconds), key=lambda g: g[1])
    return tick + (seconds - sec) * 1e6 / tempo * tpb


def chord_changes(path: Path, tempo_map: list[tuple[int, float, int]], tpb: int) -> list[float]:
    """Tick of every chord change in the file's ``chord_midi.txt`` (POP909's annotation beside the MIDI
    file: start, end in seconds, label; "N" is no chord), on the MIDI file's own tick clock; [] without one."""
    txt = path.parent / "chord_midi.txt"
    if not txt.exists():
        return []
    ticks = []
    for line in txt.read_text(encoding="utf-8", errors="replace").splitlines():
        cols = line.split()
        if len(cols) >= 3 and cols[2] != "N":
            try:
                ticks.append(_seconds_to_ticks(float(cols[0]), tempo_map, tpb))
            except ValueError:
                continue
    return ticks


MIN_CHORDS = 8  # fewer chord changes than this do not decide the beat's phase
MIN_AGREEMENT = 0.7  # resultant length of the changes' phases on the beat's circle (1: all on one phase)


def beat_phase(chords: Sequence[float], onsets: Sequence[int], tpb: int) -> float:
    """Where the file's beat starts within its own beat grid, in its ticks (0 <= phase < ``tpb``).

    Many POP909 files sit off their beat grid by whole sixteenths (and fractions of one): their annotated
    chord changes, which fall on beats, all land at one phase of the grid's beat, and the melody's onsets
    with them. The chords' phase is their circular mean on the beat; when fewer than ``MIN_CHORDS`` or
    scattered (agreement under ``MIN_AGREEMENT``), the onsets' modal sixteenth stands in (a pop melody and
    its piano put most onsets on the beat)."""
    if len(chords) >= MIN_CHORDS:
        angles = [2 * math.pi * (c % tpb) / tpb for c in chords]
        x = sum(math.cos(a) for a in angles) / len(angles)
        y = sum(math.sin(a) for a in angles) / len(angles)
        if math.hypot(x, y) >= MIN_AGREEMENT:
            return (math.atan2(y, x) / (2 * math.pi) % 1.0) * tpb % tpb
    if not onsets:
        return 0.0
    step = tpb / 4
    modal = Counter(round(t / step) % 4 for t in onsets).most_common(1)[0][0]
    return modal * step


def _midi_quantized(path: Path, tracks: Iterable[str]) -> dict:
    """POP909: notes of the named tracks snapped to 16ths of the file's own beat, beat and bar phase found.

    The files carry a beat grid aligned to the audio, but many sit off it by a sixteenth or more: first
    the beat's phase (``beat_phase``, from the annotated chord changes, the same for every track of a file)
    moves the notes onto the beat, then they are snapped to the 16th of that grid, and the bar phase is the
    beat offset that puts most onsets on bar lines. The files' 1/4 and 2/4 are a beat grid, not the songs'
    meter: they are read as 4/4 (the bar phase chosen among its four beats).
    """
    import mido

    mid = mido.MidiFile(path)
    tpb_in = mid.ticks_per_beat
    bpm, num, den = 120.0, 4, 4
    raw: list[tuple[int, int, int, int]] = []
    onsets: list[int] = []  # every note track's, for the beat phase when the chords do not say
    wanted = set(tracks)
    for track in mid.tracks:
        on = {}
        for t, msg in _timed(track):
            if msg.type == "set_tempo" and bpm == 120.0:
                bpm = mido.tempo2bpm(msg.tempo)
            elif msg.type == "time_signature":
                num, den = msg.numerator, msg.denominator
            if msg.type == "note_on" and msg.velocity > 0:
                onsets.append(t)
            if track.name not in wanted:
                continue
            if msg.type == "note_on" and msg.velocity > 0:
                on[msg.note] = (t, msg.velocity)
            elif msg.type in ("note_off", "note_on") and msg.note in on:
                s, v = on.pop(msg.note)
                raw.append((msg.note, s, t, v))
    if (num, den) in ((1, 4), (2, 4)):
        num, den = 4, 4
    phase = beat_phase(chord_changes(path, _tempo_map(mid), tpb_in), onsets, tpb_in)
    late = (tpb_in - phase) % tpb_in  # moving everything this much later puts the beat on the grid's beat
    step_in = tpb_in / 4
    q = []
    for pitch, s, e, v in raw:
        qs = round((s + late) / step_in)
        qe = max(qs + 1, round((e + late) / step_in))
        q.append((pitch, qs, qe - qs, v))
    steps_per_bar = num * 16 // den
    weight = Counter()
    for _, qs, _, _ in q:
        weight[qs % steps_per_bar] += 1
    # only beat positions are candidate downbeats; the most onsets fall on the downbeat in pop accompaniment
    beat = 4 * 4 // den
    bar_phase = max(range(0, steps_per_bar, beat), key=lambda p: weight[p]) if q else 0
    offset = (steps_per_bar - bar_phase) % steps_per_bar
    step = TPB // 4
    notes = sorted((Note(p, (qs + offset) * step, d * step, v) for p, qs, d, v in q), key=Note.sort_key)
    return {
        "notes": notes,
        "time_signatures": [TimeSignature(0, num, den)],
        "tempo_bpm": round(bpm, 2),
        "key_signature": key_scores(notes)[0][1] if notes else None,
    }


def encode_piece(key: str, style: str, fields: dict) -> dict:
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
    with warnings.catch_warnings():  # music21 warns about every odd tune; the error lines report what counts
        warnings.simplefilter("ignore")
        return _parse_file(source, path, key_prefix)


def _parse_file(source: str, path: Path, key_prefix: str) -> tuple[list[dict], list[str]]:
    style = SOURCES[source]
    pieces, errors = [], []
    if source == "pop909":
        try:
            pieces.append(encode_piece(key_prefix, style, _midi_quantized(path, ("MELODY", "PIANO"))))
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
                    pieces.append(encode_piece(key, style, fields))
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
            pieces.append(encode_piece(key_prefix, style, fields))
    except Exception as e:  # noqa: BLE001
        errors.append(f"{key_prefix}: {type(e).__name__}: {e}")
    return pieces, errors
