"""``musestudio-cli evaluate style NAME --files F...``: how much better a learned style predicts the user's music.

Both models (the base and the base with the style's layers) score the same tokens in the same windows
(consecutive windows of each file, as long as the model's context allows, conditioned on the style the
learned one started from), so the figures differ only by the layers: ``base_nll`` and ``tuned_nll`` are
nats per note (the summed NLL of a window's tokens over the notes that start in it), per base model too.

``continuations`` > 0 also compares what the two write: from each file's first bars, the Continue
transformer writes takes in the base style and in the learned style, and the pitch-class, interval and
inter-onset-interval histograms of those takes are compared with the files' own (overlap: the sum of the
bin-wise minimum of two normalised histograms, 1 = the same distribution).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note
from musestudio.ml import engines, learned, sampling
from musestudio.ml.data import learn as data
from musestudio.ml.train.learn import load_base


def evaluate_style(
    name: str, files: Sequence[Path], device: str = "auto", continuations: int = 0, seed: int = 0
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
        tuned = engines.load_styled(engines.stem_path(stem), dev, style).model
        windows = base.windows(segments, style.base_style)
        b, t = base.score(base.model, windows, dev), base.score(tuned, windows, dev)
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
        "skipped": [{"file": s.path.name, "reason": s.reason} for s in skipped],
        "base_nll": head["base_nll"],
        "tuned_nll": head["tuned_nll"],
        "improvement": round(1 - head["tuned_nll"] / head["base_nll"], 4) if head["base_nll"] else 0.0,
        "models": models,
    }
    if continuations > 0:
        out["continuations"] = compare_continuations(style, segments, continuations, str(dev), seed)
    return out


# -- what the takes sound like -------------------------------------------------------------------------


def histograms(notes: Iterable[Note], tpb: int) -> dict[str, Counter]:
    """Pitch classes, melodic intervals between successive onsets' top notes (clipped to +-12) and
    inter-onset intervals in 16ths (clipped to 16)."""
    notes = sorted(notes, key=Note.sort_key)
    pcs = Counter(n.pitch % 12 for n in notes)
    tops: dict[int, int] = {}
    for n in notes:
        tops[n.start] = max(tops.get(n.start, 0), n.pitch)
    onsets = sorted(tops)
    ints = Counter(max(-12, min(12, tops[b] - tops[a])) for a, b in zip(onsets, onsets[1:], strict=False))
    sixteenth = max(1, tpb // 4)
    iois = Counter(min(16, round((b - a) / sixteenth)) for a, b in zip(onsets, onsets[1:], strict=False))
    return {"pitch_class": pcs, "interval": ints, "ioi": iois}


def overlap(a: Counter, b: Counter) -> float:
    ta, tb = sum(a.values()), sum(b.values())
    if not ta or not tb:
        return 0.0
    return sum(min(a[k] / ta, b[k] / tb) for k in set(a) | set(b))


def _merge(hs: Iterable[dict[str, Counter]]) -> dict[str, Counter]:
    out: dict[str, Counter] = {"pitch_class": Counter(), "interval": Counter(), "ioi": Counter()}
    for h in hs:
        for k, c in h.items():
            out[k].update(c)
    return out


def compare_continuations(style, segments, per_file: int, device: str, seed: int) -> dict:
    """Histogram overlap with the files of transformer takes in the base style and in the learned one."""
    from musestudio.ml.generate.continuation import continue_phrase
    from musestudio.ml.generate.request import Options

    if "continue_transformer" not in style.bases:
        return {"note": "the style has no layers for the Continue transformer"}
    target = _merge(histograms(s.notes, s.tpb) for s in segments)
    takes: dict[str, list] = {"base": [], "learned": []}
    for i, seg in enumerate(segments):
        seed_seg = data.cut(seg, 0, min(4, seg.bars))
        for which, name in (("base", style.base_style), ("learned", style.name)):
            options = Options(
                style=name, variations=per_file, temperature=1.0, top_p=0.95, seed=seed + i, device=device
            )
            gen = continue_phrase(
                seed_seg.notes, options, tpb=seg.tpb, time_signatures=seed_seg.time_signatures, bars=8
            )
            takes[which] += [histograms(t.notes, seg.tpb) for t in gen.takes]
    out = {}
    for which, hs in takes.items():
        merged = _merge(hs)
        out[which] = {k: round(overlap(merged[k], target[k]), 4) for k in target}
    return out
