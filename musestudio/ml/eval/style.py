"""``musestudio-cli evaluate style NAME --files F...``: how much better a learned style predicts the user's music.

Both models (the base and the base with the style's layers) score the same tokens in the same windows
(consecutive windows of each file, as long as the model's context allows, conditioned on the style the
learned one started from), so the figures differ only by the layers: ``base_nll`` and ``tuned_nll`` are
nats per note (the summed NLL of a window's tokens over the notes that start in it), per base model too.

``continuations`` > 0 also compares what the two write: from each file's first bars, each engine (the Continue
transformer, the parts engine) writes takes in the base style and in the learned style with the same seeds,
and the pitch-class, interval and inter-onset-interval histograms of those takes are compared with the
files' own (overlap: the sum of the bin-wise minimum of two normalised histograms, 1 = the same
distribution), intervals and onsets along each line as the engine writes lines (``histograms``). The gain's
spread comes from resampling the files: a gain whose 90% interval holds 0 is noise, not a move.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.ml import engines, learned, sampling
from musestudio.ml.data import learn as data
from musestudio.ml.train.key_prior import key_counts, key_shares
from musestudio.ml.train.learn import load_base

HISTOGRAMS = ("pitch_class", "interval", "ioi")
#: melodic steps as a musician counts them (semitones, either direction): what ``interval_shares`` reports
STEP_KINDS = {"repeat": (0,), "semitone": (1,), "tone": (2,), "third": (3, 4), "leap": tuple(range(5, 13))}
ENGINES = ("transformer", "parts")
SEED_BARS = 4
TAKE_BARS = 8
RESAMPLES = 1000


def evaluate_style(
    name: str,
    files: Sequence[Path],
    device: str = "auto",
    continuations: int = 0,
    seed: int = 0,
    engines_: Sequence[str] = ENGINES,
) -> dict:
    style = learned.get(name)
    segments, skipped = data.read_files(files)
    if not segments:
        why = "; ".join(f"{s.path.name}: {s.reason}" for s in skipped[:5]) or "no MIDI files given"
        raise BadInputError(f"no usable MIDI files to evaluate on ({why})")
    dev = sampling.pick_device(device)
    models = {}
    for stem in style.bases:
        base, weights = load_base(stem, None, dev)
        learned.check_base(style, stem, weights)
        styled = engines.load_styled(engines.stem_path(stem), dev, style)
        order = getattr(styled.tokenizer, "onset_order", None)  # the single stream's, as the layers read it
        windows = base.windows(segments, style.base_style)
        b = base.score(base.model, windows, dev)
        t = base.score(styled.model, base.windows(segments, style.base_style, order), dev)
        models[stem] = {
            "base_nll": round(b.per_note, 4),
            "tuned_nll": round(t.per_note, 4),
            "base_nll_per_token": round(b.per_token, 4),
            "tuned_nll_per_token": round(t.per_token, 4),
            "notes": b.notes,
            "tokens": b.tokens,
            "windows": len(windows),
        }
    head = models[style.bases[0]]
    out = {
        "style": style.name,
        "from": style.base_style,
        "files": len(segments),
        "skipped": [s.as_json() for s in skipped],
        "base_nll": head["base_nll"],
        "tuned_nll": head["tuned_nll"],
        "improvement": round(1 - head["tuned_nll"] / head["base_nll"], 4) if head["base_nll"] else 0.0,
        "models": models,
    }
    if continuations > 0:
        out["continuations"] = compare_continuations(style, segments, continuations, str(dev), seed, engines_)
    return out


# -- what the takes sound like -------------------------------------------------------------------------


def histograms(lines: Iterable[Iterable[Note]], tpb: int) -> dict[str, Counter]:
    """Pitch classes of every note; melodic intervals (clipped to +-12) and inter-onset intervals (in 16ths,
    clipped to 16) along each line's top voice (the highest note at each onset), never across lines.

    ``lines`` are what an engine writes as one line: the Continue transformer's single stream is one line
    (so a file is read as its tracks merged), the parts engine's parts are one each (a file: one per track).
    Measured across the parts, a melody's step would be mixed with the leap down to the bass under it."""
    out: dict[str, Counter] = {k: Counter() for k in HISTOGRAMS}
    sixteenth = max(1, tpb // 4)
    for line in lines:
        tops: dict[int, int] = {}
        for n in line:
            out["pitch_class"][n.pitch % 12] += 1
            tops[n.start] = max(tops.get(n.start, 0), n.pitch)
        onsets = sorted(tops)
        for a, b in zip(onsets, onsets[1:], strict=False):
            out["interval"][max(-12, min(12, tops[b] - tops[a]))] += 1
            out["ioi"][min(16, round((b - a) / sixteenth))] += 1
    return out


def overlap(a: Counter, b: Counter) -> float:
    ta, tb = sum(a.values()), sum(b.values())
    if not ta or not tb:
        return 0.0
    return sum(min(a[k] / ta, b[k] / tb) for k in set(a) | set(b))


def interval_shares(intervals: Counter) -> dict[str, float]:
    """The share of each kind of step (``STEP_KINDS``, up or down) in an interval histogram: where an
    interval overlap comes from (a line that repeats notes, one that leaps) in words a musician reads."""
    total = sum(intervals.values())
    return {
        kind: round(sum(intervals[s] + (intervals[-s] if s else 0) for s in sizes) / total, 4)
        if total
        else 0.0
        for kind, sizes in STEP_KINDS.items()
    }


def _merge(hs: Iterable[dict[str, Counter]]) -> dict[str, Counter]:
    out: dict[str, Counter] = {k: Counter() for k in HISTOGRAMS}
    for h in hs:
        for k, c in h.items():
            out.setdefault(k, Counter()).update(c)
    return out


def _lines(seg: data.Segment, engine: str) -> list[tuple[Note, ...]]:
    return [seg.notes] if engine == "transformer" else [t.notes for t in seg.tracks]


def compare(per_file: Sequence[tuple[dict, dict, dict]], seed: int = 0) -> dict:
    """Overlap with the files of the base style's takes and of the learned style's, from per-file
    (files', base takes', learned takes') histograms; ``gain`` (learned - base) with its 90% interval over
    ``RESAMPLES`` bootstrap draws of the files (what another set of files and takes could have given);
    ``interval_shares``: the kinds of step in the files, the base style's takes and the learned style's."""
    import random

    def figures(rows) -> dict[str, dict[str, float]]:
        target, base, mine = (_merge(r[i] for r in rows) for i in range(3))
        return {
            "base": {k: overlap(base[k], target[k]) for k in HISTOGRAMS},
            "learned": {k: overlap(mine[k], target[k]) for k in HISTOGRAMS},
        }

    point = figures(per_file)
    rnd = random.Random(seed)
    gains: dict[str, list[float]] = {k: [] for k in HISTOGRAMS}
    for _ in range(RESAMPLES if len(per_file) > 1 else 0):
        f = figures([per_file[rnd.randrange(len(per_file))] for _ in per_file])
        for k in HISTOGRAMS:
            gains[k].append(f["learned"][k] - f["base"][k])
    out = {which: {k: round(v, 4) for k, v in fs.items()} for which, fs in point.items()}
    out["gain"] = {k: round(point["learned"][k] - point["base"][k], 4) for k in HISTOGRAMS}
    out["interval_shares"] = {
        which: interval_shares(_merge(r[i] for r in per_file)["interval"])
        for i, which in enumerate(("files", "base", "learned"))
    }
    if all("key" in h for r in per_file for h in r):
        out["in_key_share"], out["degree_shares"] = {}, {}
        for i, which in enumerate(("files", "base", "learned")):
            shares = key_shares(_merge(r[i] for r in per_file)["key"])
            out["in_key_share"][which], out["degree_shares"][which] = shares
    if all(gains.values()):
        out["gain_90"] = {
            k: [round(_quantile(v, 0.05), 4), round(_quantile(v, 0.95), 4)] for k, v in gains.items()
        }
        out["closer_share"] = {k: round(sum(g > 0 for g in v) / len(v), 3) for k, v in gains.items()}
    return out


def _quantile(values: Sequence[float], q: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def seed_bars(seg: data.Segment) -> data.Segment | None:
    """The file's first ``SEED_BARS`` bars from its first note on (a song may open on empty bars), or None
    when the file has no room for them and a continuation."""
    from musestudio.core.timing import bar_lines

    first = min(n.start for n in seg.notes)
    a = sum(1 for line in bar_lines(list(seg.time_signatures), seg.tpb, first + 1) if line <= first) - 1
    if a + SEED_BARS >= seg.bars:
        return None
    return data.cut(seg, a, a + SEED_BARS)


def _takes(engine: str, seg: data.Segment, style: str, per_file: int, device: str, seed: int) -> list[list]:
    """``per_file`` takes of ``TAKE_BARS`` bars after the file's first ``SEED_BARS``, each as its lines."""
    from musestudio.ml.engines import default_temperature, default_top_p

    seed_seg = seed_bars(seg)
    # the app's defaults for the engine in the style: what a user's takes are
    drawn = {"temperature": default_temperature(engine, style), "top_p": default_top_p(engine, style)}
    if engine == "transformer":
        from musestudio.ml.generate.continuation import continue_phrase
        from musestudio.ml.generate.request import Options

        options = Options(style=style, variations=per_file, seed=seed, device=device, **drawn)
        gen = continue_phrase(
            seed_seg.notes, options, tpb=seg.tpb, time_signatures=seed_seg.time_signatures, bars=TAKE_BARS
        )
        return [[t.notes] for t in gen.takes]
    from musestudio.ml.generate import parts as P
    from musestudio.ml.generate.parts_roles import guess_roles

    roles = guess_roles(seed_seg.tracks)
    ins = [P.PartIn(t.notes, r, t.program) for t, r in zip(seed_seg.tracks, roles, strict=True)]
    options = P.Options(style=style, variations=per_file, seed=seed, device=device, **drawn)
    result = P.continue_parts(
        ins, tpb=seg.tpb, time_signatures=seed_seg.time_signatures, bars=TAKE_BARS, options=options
    )
    return [list(t.parts) for t in result.takes]


def compare_continuations(
    style, segments, per_file: int, device: str, seed: int, engines_: Sequence[str] = ENGINES
) -> dict:
    """Per engine, the histogram overlap with the files of takes in the base style and in the learned one
    (same seeds, same seed bars), with the spread of the gain (``compare``)."""
    out: dict[str, dict] = {}
    for engine in engines_:
        stem = "continue_transformer" if engine == "transformer" else "parts"
        if stem not in style.bases:
            out[engine] = {"note": f"the style has no layers for the {stem} model"}
            continue
        rows = []
        for i, seg in enumerate(segments):
            if seed_bars(seg) is None:
                continue
            key = detect_key(seg.notes)
            target = {**histograms(_lines(seg, engine), seg.tpb), "key": key_counts(_lines(seg, engine), key)}
            base, mine = (
                _merge(
                    {**histograms(lines, seg.tpb), "key": key_counts(lines, key)}
                    for lines in _takes(engine, seg, name, per_file, device, seed + i)
                )
                for name in (style.base_style, style.name)
            )
            rows.append((target, base, mine))
        if not rows:  # every file too short to hold seed bars and bars to continue
            out[engine] = {"note": "no file is long enough to continue (seed bars and bars after them)"}
            continue
        out[engine] = {"files": len(rows), "takes": len(rows) * per_file, **compare(rows, seed)}
    return out
