"""How well a restyle worked: transfer strength by the frozen style classifier, content kept by chroma and contour.

- Transfer strength, Brunner et al. 2018: with P_A the judge's probability of the source style A (renormalised
  over the pair A, B, as their judge was binary), S_{A->B} = (P_A(x) - P_A(x_AB) + P_A(x_ABA) - P_A(x_AB)) / 2:
  the source style's probability should fall on transfer and come back on transferring back. S_tot averages
  both directions of a pair. Beside it, the plain share of outputs the judge names as the target.
- Content, Groove2Groove's measure: cosine similarity of per-bar chroma (duration-weighted pitch classes)
  between input and output, averaged over bars that sound in either; plus the Pearson correlation of the
  melodic contour (the top sounding pitch at each step).

All measures here work on model inputs (2P+1, T) so they apply to any engine whose notes are rolled first.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from musestudio.core.errors import BadInputError
from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines, signature_at
from musestudio.ml.engines import ENGINES, RESTYLE
from musestudio.ml.generate.arrange_styles import top_line
from musestudio.ml.generate.restyle import BASELINES
from musestudio.ml.metrics import (
    brunner_strength,
    contour_correlation,
    pair_probability,
    roll_chroma_similarity,
)
from musestudio.ml.pianoroll import DEFAULT_SPEC, phrase_input

# -- the evaluation run --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """A test phrase: notes from tick 0, one meter, a whole number of bars."""

    style: str
    key: str
    notes: tuple[Note, ...]
    tpb: int
    time_signatures: tuple[TimeSignature, ...]
    n_steps: int


def test_windows(
    split: str, styles: Sequence[str], per_style: int, bars: int = 4, seed: int = 0, cache_dir=None
):
    """``per_style`` phrases of ``bars`` bars per style, from distinct pieces where there are enough, fixed by seed."""
    from musestudio.ml.data.cache import load_cache

    rng = np.random.default_rng(seed)
    step = DEFAULT_SPEC.step_ticks
    out = []
    fallback = None
    for style in styles:
        pieces = [p for p in load_cache(cache_dir, split=split, styles=[style]) if p.notes]
        if not pieces:  # no single-stream cache of this style: the parts cache's pieces, parts merged
            fallback = _parts_pieces(split) if fallback is None else fallback
            pieces = [p for p in fallback if p.style == style]
        order = rng.permutation(len(pieces))
        found = 0
        for i in np.concatenate([order, order]):
            if found == per_style:
                break
            p = pieces[int(i)]
            lines = bar_lines(p.time_signatures, p.tpb, p.end)
            if len(lines) <= bars or p.tpb % 4:
                continue
            j = int(rng.integers(0, len(lines) - bars))
            origin, end = lines[j], lines[j + bars]
            sig = signature_at(p.time_signatures, origin)
            if any(origin < s.tick < end for s in p.time_signatures) or (end - origin) % step(p.tpb):
                continue
            notes = tuple(
                n.moved(-origin).with_duration(min(n.duration, end - n.start))
                for n in p.notes
                if origin <= n.start < end
            )
            if len(notes) < 4:
                continue
            sigs = (TimeSignature(0, sig.numerator, sig.denominator),)
            out.append(Window(style, p.key, notes, p.tpb, sigs, (end - origin) // step(p.tpb)))
            found += 1
    return out


def _parts_pieces(split: str) -> list:
    """The parts cache's pieces of ``split`` (``ml/data/parts.py``, the same SPLITS.md keys) as the
    single-stream cache holds them (``PartsPiece.as_stream``): the test phrases where the single-stream
    cache was never built."""
    from musestudio.ml.data import parts as parts_data

    return [s for p in parts_data.load(split=split) if (s := p.as_stream()) is not None]


def judge_probs(judge, notes: Sequence[Note], w: Window) -> np.ndarray:
    """The judge's style probabilities for ``notes`` laid over the window's bars."""
    import torch

    x = phrase_input(notes, w.tpb, w.time_signatures, 0, w.n_steps, judge.config.spec)
    with torch.no_grad():
        return torch.softmax(judge(torch.from_numpy(x)[None]), dim=1)[0].numpy()


KEPT_GOAL = 0.85  # the "tune kept": at least this share of the tune's notes found in the output
ARRANGE = (
    "arrange"  # Restyle's Arrange mode (the parts model under the kept tune), beside the rewrite engines
)


def melody_kept(inputs: Sequence[Note], outputs: Sequence[Note], tpb: int) -> float:
    """Share of the input's notes found in the output: a note of the same pitch class starting within a
    sixteenth of it (the issue's "melody kept"). NaN for an empty input."""
    if not inputs:
        return math.nan
    tol = max(1, tpb // 4)
    onsets: dict[int, list[int]] = {}
    for n in outputs:
        onsets.setdefault(n.pitch % 12, []).append(n.start)
    for v in onsets.values():
        v.sort()
    found = 0
    for n in inputs:
        starts = onsets.get(n.pitch % 12, [])
        i = bisect.bisect_left(starts, n.start - tol)
        found += i < len(starts) and starts[i] <= n.start + tol
    return found / len(inputs)


def transform(engine: str, notes: Sequence[Note], options, w: Window, model=None) -> list[Note]:
    """``notes`` restyled by ``engine`` (a rewrite engine, a baseline, or ``arrange``: every note of the
    arrangement, the tune and its parts)."""
    kw = {"tpb": w.tpb, "time_signatures": w.time_signatures}
    if engine == ARRANGE:
        from musestudio.ml.generate.arrange import arrange

        one = replace(options, variations=1)
        return list(arrange(notes, one, model=model, **kw).takes[0].notes)
    from musestudio.ml.generate.restyle import restyle

    return restyle(notes, options, engine, model=model, **kw)


def evaluate_engine(
    engine: str,
    windows: Sequence[Window],
    judge,
    strength: float = 1.0,
    model=None,
    progress=None,
    others: dict | None = None,
    targets: Sequence[str] | None = None,
    real: Sequence[Window] | None = None,
) -> dict:
    """Per style pair, per target and overall: S_tot, share classified as target, chroma similarity, the top line's
    contour correlation, melody kept (the input's notes found in the output), tune kept (the same for the
    input's top line, the tune Arrange keeps) and the share both classified as the target and keeping
    ``KEPT_GOAL`` of the tune (Arrange's goal).

    ``model`` replaces the shipped weights, e.g. a checkpoint being trained (an ``engines.Loaded`` for a
    rewrite engine, a parts checkpoint stem for ``arrange``). ``others`` ({name: classifier}) are more
    judges of the same outputs: their share classified as target (and with the tune kept) is reported
    as ``target_share@name`` (``target_and_kept_share@name``), so two judges compare on one run.
    ``targets`` restyles into those styles only (default: every style the windows come from); ``real``
    holds the phrases each target's outputs are compared with (default: ``windows``), for a probe whose
    windows come from other styles than its targets."""
    from musestudio.ml.generate.request import Options

    styles = list(judge.config.styles)
    present = sorted({w.style for w in windows}, key=styles.index) if targets is None else list(targets)
    pairs: dict[tuple[str, str], dict[str, list[float]]] = {}
    takes: dict[str, list] = {t: [] for t in present}
    keyed: list = []
    done = 0
    for w in windows:
        x = phrase_input(w.notes, w.tpb, w.time_signatures, 0, w.n_steps, judge.config.spec)
        p_x = judge_probs(judge, w.notes, w)
        for target in present:
            if target == w.style:
                continue
            there = Options(style=target, strength=strength, seed=0, device="cpu")
            out = transform(engine, w.notes, there, w, model)
            back = transform(engine, out, replace(there, style=w.style), w, model) if out else []
            p_out, p_back = judge_probs(judge, out, w), judge_probs(judge, back, w)
            a, b = styles.index(w.style), styles.index(target)
            y = phrase_input(out, w.tpb, w.time_signatures, 0, w.n_steps, judge.config.spec)
            row = pairs.setdefault(
                (w.style, target),
                {
                    k: []
                    for k in ("s", "target", "chroma", "contour", "kept", "tune_kept", "target_kept", "empty")
                },
            )
            row["s"].append(
                brunner_strength(*(pair_probability(p[None], a, b) for p in (p_x, p_out, p_back)))
            )
            row["empty"].append(float(not out))
            takes[target].append((out, w.tpb))
            keyed.append((out, detect_key(w.notes)))
            row["target"].append(float(p_out.argmax() == b))
            row["chroma"].append(roll_chroma_similarity(x, y))
            row["contour"].append(contour_correlation(x, y))
            row["kept"].append(melody_kept(w.notes, out, w.tpb))
            row["tune_kept"].append(melody_kept(top_line(w.notes), out, w.tpb))
            row["target_kept"].append(float(p_out.argmax() == b and row["tune_kept"][-1] >= KEPT_GOAL))
            for name, other in (others or {}).items():
                hit = float(judge_probs(other, out, w).argmax() == list(other.config.styles).index(target))
                row.setdefault(f"target@{name}", []).append(hit)
                row.setdefault(f"target_kept@{name}", []).append(hit * (row["tune_kept"][-1] >= KEPT_GOAL))
        done += 1
        if progress is not None:
            progress(done, len(windows))
    per_pair = {
        f"{a}->{b}": {k: float(np.nanmean(v)) for k, v in row.items()} for (a, b), row in pairs.items()
    }
    s_tot = {}
    for a, b in pairs:
        if a < b and (b, a) in pairs:
            s_tot[f"{a}<->{b}"] = (per_pair[f"{a}->{b}"]["s"] + per_pair[f"{b}->{a}"]["s"]) / 2
    overall = {
        "S_tot": float(np.mean(list(s_tot.values()))) if s_tot else math.nan,
        "target_share": float(np.mean([r["target"] for r in per_pair.values()])),
        "chroma_similarity": float(np.nanmean([r["chroma"] for r in per_pair.values()])),
        "contour_correlation": float(np.nanmean([r["contour"] for r in per_pair.values()])),
        "melody_kept": float(np.nanmean([r["kept"] for r in per_pair.values()])),
        "tune_kept": float(np.nanmean([r["tune_kept"] for r in per_pair.values()])),
        "target_and_kept_share": float(np.mean([r["target_kept"] for r in per_pair.values()])),
        "empty_share": float(np.mean([r["empty"] for r in per_pair.values()])),
    }
    for name in others or {}:
        overall[f"target_share@{name}"] = float(np.mean([r[f"target@{name}"] for r in per_pair.values()]))
        overall[f"target_and_kept_share@{name}"] = float(
            np.mean([r[f"target_kept@{name}"] for r in per_pair.values()])
        )
    return {
        "engine": engine,
        "strength": strength,
        "overall": overall,
        "per_target": _per_target(pairs, list(others or {})),
        "musicality": musicality(takes, keyed, windows if real is None else real),
        "S_tot_per_pair": s_tot,
        "per_pair": per_pair,
    }


def _per_target(pairs: dict[tuple[str, str], dict[str, list[float]]], others: list[str]) -> dict:
    """Share of the arrangements into each target heard as it (by the judge, and by each of ``others``),
    over every arrangement into it: where a goal over all targets is missed, this says which."""
    into: dict[str, dict[str, list[float]]] = {}
    for (_, target), row in pairs.items():
        for key in ("target", "target_kept", *(f"target@{name}" for name in others)):
            into.setdefault(target, {}).setdefault(key, []).extend(row[key])
    names = {"target": "target_share", "target_kept": "target_and_kept_share"}
    return {
        target: {
            names.get(k, k.replace("target@", "target_share@")): float(np.mean(v)) for k, v in row.items()
        }
        for target, row in into.items()
    }


def musicality(takes: dict[str, list], keyed: list, windows: Sequence[Window]) -> dict[str, float]:
    """The Continue evaluation's statistics for restyled phrases: mgeval-style feature overlap between the
    outputs restyled into each style and that style's real test phrases (averaged over styles), and the share
    of output notes in the input's key."""
    from musestudio.ml.eval.continuation import _features, _in_key, overlap

    per_feature: dict[str, list[float]] = {}
    for style, outs in takes.items():
        real = [(w.notes, w.tpb) for w in windows if w.style == style]
        if not outs or not real:
            continue
        fo, fr = _features(outs), _features(real)
        for name in fo:
            per_feature.setdefault(name, []).append(overlap(fo[name], fr[name]))
    result = {f"{name}_overlap": float(np.mean(v)) for name, v in per_feature.items()}
    result["in_key"] = _in_key(keyed)
    return result


def evaluate_restyle(
    split: str = "test",
    engines: Sequence[str] = (*BASELINES, *ENGINES[RESTYLE], ARRANGE),
    per_style: int = 8,
    bars: int = 4,
    strength: float | None = None,
    seed: int = 0,
    cache_dir=None,
    progress=None,
    parts_model=None,
    judge_stem=None,
    also_judges: Sequence = (),
    sources: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
) -> dict:
    """Every engine on the same windows, judged by the shipped style classifier (``_windows``: those windows).

    ``strength`` None runs each at its own default (Arrange 0.5, the rewrite engines 1.0);
    ``parts_model`` is a parts checkpoint stem for Arrange (default: models/parts); ``judge_stem`` another
    style classifier to judge with, ``also_judges`` more classifiers whose verdicts are reported beside
    (named by their file's stem). ``sources`` keeps the windows of those styles only and ``targets``
    restyles into those only: a probe of one target costs a fraction of the whole run, on the very
    windows the whole run draws (they are drawn for every style first, then kept)."""
    from musestudio.ml.generate import critic
    from musestudio.ml.generate.arrange_styles import DEFAULT_STRENGTH

    judge = critic.load_classifier(judge_stem)
    others = {Path(str(stem)).name: critic.load_classifier(stem) for stem in also_judges}
    drawn = test_windows(split, judge.config.styles, per_style, bars, seed, cache_dir)
    windows = [w for w in drawn if sources is None or w.style in sources]
    if targets is None and sources is not None:  # the phrases of a few styles, arranged into every style
        targets = [t for t in judge.config.styles if any(w.style == t for w in drawn)]
    if not windows:  # said before any engine runs: averages over no phrases are warnings, not figures
        raise BadInputError(
            f"no {split} phrases found: build the data cache first (python -m musestudio.ml.data build)"
        )
    result = {
        "split": split,
        "windows": len(windows),
        "bars": bars,
        "per_style": per_style,
        "engines": {},
        "_windows": windows,
    }
    for engine in engines:
        own = strength if strength is not None else (DEFAULT_STRENGTH if engine == ARRANGE else 1.0)
        model = parts_model if engine == ARRANGE else None
        result["engines"][engine] = evaluate_engine(
            engine, windows, judge, own, model, progress=progress, others=others, targets=targets, real=drawn
        )
    return result


# -- listening through statistics ----------------------------------------------------------------------


def audio_stats(audio, sample_rate: int) -> dict[str, float]:
    """Seconds, RMS level and the share of 50 ms frames that sound (above -50 dBFS) of int16 audio."""
    mono = audio.astype(np.float32).mean(axis=1) / 32768.0
    hop = sample_rate // 20
    frames = mono[: len(mono) // hop * hop].reshape(-1, hop)
    rms = np.sqrt((frames**2).mean(axis=1) + 1e-12)
    return {
        "seconds": round(len(mono) / sample_rate, 2),
        "rms_dbfs": round(float(20 * np.log10(np.sqrt((mono**2).mean()) + 1e-12)), 1),
        "sounding_share": round(float((rms > 10 ** (-50 / 20)).mean()), 3),
    }


def note_stats(notes: Sequence[Note], w: Window) -> dict[str, float]:
    """Notes per bar, pitch range and mean polyphony of a restyled window (plausibility at a glance)."""
    bars = max(1, len(bar_lines(w.time_signatures, w.tpb, w.n_steps * DEFAULT_SPEC.step_ticks(w.tpb))) - 1)
    span = w.n_steps * DEFAULT_SPEC.step_ticks(w.tpb)
    return {
        "notes_per_bar": round(len(notes) / bars, 2),
        "lowest": min((n.pitch for n in notes), default=0),
        "highest": max((n.pitch for n in notes), default=0),
        "polyphony": round(sum(n.duration for n in notes) / span, 2),
    }


def render_examples(
    engines: Sequence[str], windows: Sequence[Window], out_dir, bpm: float = 100.0
) -> list[dict]:
    """One phrase per source style, restyled to every other style by each engine, written as MIDI and WAV,
    with the statistics that show a render is not silent, stays in range and has a plausible density."""
    from pathlib import Path

    from musestudio.audio.render import render_project, write_wav
    from musestudio.core.project import Project, TempoChange
    from musestudio.core.track import Track
    from musestudio.io import formats
    from musestudio.ml.generate.request import Options
    from musestudio.ml.generate.restyle import restyle

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    firsts = {w.style: w for w in reversed(windows)}
    rows = []
    for engine in engines:
        for w in firsts.values():
            for target in firsts:
                if target == w.style:
                    continue
                options = Options(style=target, seed=0, device="cpu")
                notes = restyle(w.notes, options, engine, tpb=w.tpb, time_signatures=w.time_signatures)
                project = Project(
                    (Track("restyled", notes=tuple(notes)),), w.tpb, (TempoChange(0, bpm),), w.time_signatures
                )
                stem = out_dir / f"{engine}_{w.style}_to_{target}"
                formats.save(project, stem.with_suffix(".mid"))
                audio = render_project(project)
                write_wav(stem.with_suffix(".wav"), audio, 44100)
                rows.append(
                    {
                        "engine": engine,
                        "from": w.style,
                        "to": target,
                        "wav": str(stem.with_suffix(".wav")),
                        **note_stats(notes, w),
                        **audio_stats(audio, 44100),
                    }
                )
    return rows
