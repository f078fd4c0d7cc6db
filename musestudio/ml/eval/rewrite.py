"""Is a Rewrite still music, and is the tune still there? Per-output checks beside ``eval/restyle``'s S_tot.

Issue 14's goals for Rewrite, measured on every output:

- ``short_share``: notes shorter than a 32nd (the goal: at most 5%); ``sixteenth_share``: a sixteenth or
  shorter, to set beside the input's own share (the GAN used to write 43-49% against the seeds' 12%);
- ``zero_length``: notes of no duration (the goal: none);
- ``voices``: the most notes sounding at once;
- ``contour``: Pearson correlation of the input's and the output's top lines (``metrics.contour_correlation``);
- ``octave_displaced``: the output's top line sits a half-octave or more away from the input's, median over
  the steps where both sound (a tune moved up or down an octave is heard as a different register, and an
  accompaniment written above the tune buries it);
- ``recognisable``: contour >= 0.7 and no octave displacement (the goal at strength 0.5: >= 80% of outputs).

``python -m musestudio.ml.eval.rewrite`` runs both Rewrite engines at the strengths asked for on the test
windows and prints S_tot (``eval.restyle.evaluate_engine``) with these figures. Windows come from the
single-stream data cache; where that is not built, from the parts cache (tracks merged), which holds five of
the eight styles (no Chinese, German or Classical).
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.metrics import contour_correlation, top_line
from musestudio.ml.pianoroll import DEFAULT_SPEC, phrase_input

RECOGNISABLE_CONTOUR = 0.7
DISPLACED = 6  # semitones: a top line this far from the input's, median, reads as another register


def max_voices(notes: Sequence[Note]) -> int:
    """The most notes sounding at any one moment (a note ending where another starts does not overlap it)."""
    events = sorted(
        [(n.start, 1) for n in notes if n.duration > 0] + [(n.end, -1) for n in notes if n.duration > 0]
    )
    most = now = 0
    for _, d in events:  # ends sort before starts at the same tick
        now += d
        most = max(most, now)
    return most


def octave_shift(x: np.ndarray, y: np.ndarray) -> float:
    """Median semitones from the input's top line to the output's where both sound (nan when they never do)."""
    a, b = top_line(x), top_line(y)
    ok = ~np.isnan(a) & ~np.isnan(b)
    return float(np.median(b[ok] - a[ok])) if ok.any() else math.nan


def measures(
    inp: Sequence[Note], out: Sequence[Note], tpb: int, sigs: Sequence[TimeSignature], n_steps: int
) -> dict[str, float]:
    """The checks above for one output (``inp`` and ``out`` from tick 0, ``n_steps`` sixteenths long)."""
    x = phrase_input(inp, tpb, sigs, 0, n_steps, DEFAULT_SPEC)
    y = phrase_input(out, tpb, sigs, 0, n_steps, DEFAULT_SPEC)
    contour, shift = contour_correlation(x, y), octave_shift(x, y)
    displaced = not math.isnan(shift) and abs(shift) >= DISPLACED
    n = max(1, len(out))
    return {
        "short_share": sum(o.duration < tpb // 8 for o in out) / n,
        "sixteenth_share": sum(o.duration <= tpb // 4 for o in out) / n,
        "input_sixteenth_share": sum(i.duration <= tpb // 4 for i in inp) / max(1, len(inp)),
        "zero_length": float(sum(o.duration <= 0 for o in out)),
        "voices": float(max_voices(out)),
        "notes_ratio": len(out) / max(1, len(inp)),
        "contour": contour,
        "octave_displaced": float(displaced),
        "recognisable": float(not math.isnan(contour) and contour >= RECOGNISABLE_CONTOUR and not displaced),
    }


def summary(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """Means over outputs (contour over those where it is defined), plus the worst voices and zero-length count."""
    if not rows:
        return {}
    out = {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]}
    out["voices_max"] = max(r["voices"] for r in rows)
    out["zero_length"] = sum(r["zero_length"] for r in rows)
    out["notes_ratio_max"] = max(r["notes_ratio"] for r in rows)
    out["outputs"] = len(rows)
    return out


def windows(split: str, styles: Sequence[str], per_style: int, bars: int = 4, seed: int = 0):
    from musestudio.ml.eval.restyle import test_windows

    return test_windows(split, styles, per_style, bars, seed)  # falls back to the parts cache per style


def evaluate(
    engines: Sequence[str],
    strengths: Sequence[float],
    split: str,
    per_style: int,
    bars: int = 4,
    on_run=None,
    windows_given=None,
    *,
    model=None,
    judge_stem=None,
    also_judges: Sequence = (),
    seed: int = 0,
) -> dict:
    """S_tot (Brunner's, as ``eval.restyle.evaluate_engine`` computes it: each output restyled back for the
    cycle term), target share, chroma similarity and the checks above for each engine at each strength, all
    from the same outputs on the same windows (``windows_given``, or ``windows(split, ..., seed)``); ``on_run``
    hears each engine-strength row as it is done: the whole run takes minutes.

    ``model`` (an ``engines.Loaded``) replaces the shipped weights of every engine run, e.g. a checkpoint
    being trained or the shipped file under other inference settings; ``judge_stem`` is another style
    classifier to judge with (default: the shipped one); ``also_judges`` more classifiers (stems) that
    judge the same outputs, their S_tot, target share and per-direction terms under ``"also"`` by stem
    name (the rewrites are the costly part, so one run reports every judge)."""
    from musestudio.ml.eval.restyle import judge_probs
    from musestudio.ml.generate import critic
    from musestudio.ml.generate.request import Options
    from musestudio.ml.generate.restyle import restyle
    from musestudio.ml.metrics import brunner_strength, pair_probability, roll_chroma_similarity

    judge = critic.load_classifier(judge_stem)
    styles = list(judge.config.styles)
    others = {Path(str(stem)).name: critic.load_classifier(stem) for stem in also_judges}
    for name, other in others.items():
        if list(other.config.styles) != styles:
            raise ValueError(f"judge {name} knows other styles than the main judge ({', '.join(styles)})")
    judges = {"": judge, **others}
    ws = list(windows_given) if windows_given is not None else windows(split, styles, per_style, bars, seed)
    present = sorted({w.style for w in ws}, key=styles.index)
    result: dict = {"split": split, "windows": len(ws), "styles": present, "runs": []}
    for engine in engines:
        for s in strengths:
            rows, pairs = [], {name: {} for name in judges}
            for w in ws:
                kw = {"tpb": w.tpb, "time_signatures": w.time_signatures}
                x = phrase_input(w.notes, w.tpb, w.time_signatures, 0, w.n_steps, judge.config.spec)
                p_xs = {name: judge_probs(j, w.notes, w) for name, j in judges.items()}  # the input, once
                for target in (t for t in present if t != w.style):
                    o = Options(style=target, strength=s, seed=0, device="cpu")
                    out = restyle(w.notes, o, engine, model=model, **kw)
                    there = Options(style=w.style, strength=s, seed=0, device="cpu")
                    back = restyle(out, there, engine, model=model, **kw) if out else []
                    a, b = styles.index(w.style), styles.index(target)
                    y = phrase_input(out, w.tpb, w.time_signatures, 0, w.n_steps, judge.config.spec)
                    chroma = roll_chroma_similarity(x, y)
                    for name, j in judges.items():
                        pair = pairs[name].setdefault(
                            (w.style, target),
                            {"s": [], "target": [], "chroma": [], "source": [], "out": [], "back": []},
                        )
                        p_out, p_back = judge_probs(j, out, w), judge_probs(j, back, w)
                        p_a = [float(pair_probability(p[None], a, b)[0]) for p in (p_xs[name], p_out, p_back)]
                        pair["s"].append(brunner_strength(*(np.array([q]) for q in p_a)))
                        for term, q in zip(("source", "out", "back"), p_a, strict=True):
                            pair[term].append(q)
                        pair["target"].append(float(p_out.argmax() == b))
                        pair["chroma"].append(chroma)
                    rows.append(measures(w.notes, out, w.tpb, w.time_signatures, w.n_steps))
            run = {"engine": engine, "strength": s, **_transfer(pairs[""]), **summary(rows)}
            if others:
                run["also"] = {name: _transfer(pairs[name]) for name in others}
            result["runs"].append(run)
            if on_run is not None:
                on_run(result["runs"][-1])
    return result


def _transfer(pairs: dict) -> dict:
    """S_tot over the style pairs run both ways, with the mean target share and chroma similarity per pair.

    ``pairs`` breaks S_tot down per direction "A->B": S, target share, chroma and the source's probability
    (renormalised over the pair) on the input (``source``), the rewrite (``out``) and the rewrite restyled
    back (``back``): S = (source - out + back - out) / 2, so a short S says which step falls short (an
    input the judge does not hear as A caps it, a rewrite still heard as A, or a way back that is not A).
    """
    mean = {k: {m: float(np.nanmean(v)) for m, v in row.items()} for k, row in pairs.items()}
    both = [(mean[a, b]["s"] + mean[b, a]["s"]) / 2 for a, b in mean if a < b and (b, a) in mean]
    return {
        "S_tot": float(np.mean(both)) if both else math.nan,
        "target_share": float(np.mean([r["target"] for r in mean.values()])),
        "chroma_similarity": float(np.nanmean([r["chroma"] for r in mean.values()])),
        "pairs": {f"{a}->{b}": {m: round(v, 4) for m, v in row.items()} for (a, b), row in mean.items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.eval.rewrite", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--engine", nargs="+", default=["seq2seq", "gan"])
    ap.add_argument("--strength", nargs="+", type=float, default=[1.0, 0.5])
    ap.add_argument("--split", default="test")
    ap.add_argument("--per-style", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0, help="draws the windows (fixed: same windows every run)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--judge", default=None, help="a style classifier stem to judge with (default: shipped)")
    ap.add_argument(
        "--also-judge",
        nargs="+",
        default=(),
        help="more style classifier stems: S_tot and target share of the same outputs under each",
    )
    ap.add_argument("--model", default=None, help="weights to run instead of the engine's shipped file")
    for name in SETTINGS:
        ap.add_argument(f"--{name}", type=SETTINGS[name], default=None)
    args = ap.parse_args(argv)
    kw = {"model": _model(args), "judge_stem": args.judge, "seed": args.seed, "also_judges": args.also_judge}
    if args.json:
        result = evaluate(args.engine, args.strength, args.split, args.per_style, **kw)
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.split} windows of 4 bars, {args.per_style} per style; every other style as target")
    print("| engine | strength | " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * (len(COLUMNS) + 2), flush=True)

    def row(r: dict) -> None:
        cells = " | ".join(f"{r.get(c, math.nan):.3f}" for c in COLUMNS)
        print(f"| {r['engine']} | {r['strength']} | {cells} |", flush=True)
        for name, also in r.get("also", {}).items():
            print(f"|   judged by {name} | | {also['S_tot']:.3f} | {also['target_share']:.3f} |", flush=True)

    result = evaluate(args.engine, args.strength, args.split, args.per_style, on_run=row, **kw)
    print(f"{result['windows']} windows; styles: {', '.join(result['styles'])}")
    return 0


def _model(args):
    """The weights (``--model``, else the one engine's shipped file) under the inference settings given on
    the command line; None when neither is given (each engine runs its shipped file as the app does)."""
    from dataclasses import replace

    from musestudio.ml import engines

    given = {k: getattr(args, k) for k in SETTINGS}
    given = {k: v for k, v in given.items() if v is not None}
    if args.model is None and not given:
        return None
    if len(args.engine) != 1:
        raise SystemExit("--model and inference settings apply to one --engine at a time")
    loaded = engines.load(args.model or engines.engine_stem(engines.RESTYLE, args.engine[0]))
    return replace(loaded, settings=replace(loaded.settings, **given))


SETTINGS = {  # inference settings the command line can override (engines.Settings), with their types
    "guidance": float,
    "temperature": float,
    "plausible": float,
    "levels": int,
}

COLUMNS = (
    "S_tot",
    "target_share",
    "chroma_similarity",
    "contour",
    "recognisable",
    "octave_displaced",
    "short_share",
    "sixteenth_share",
    "input_sixteenth_share",
    "voices",
    "voices_max",
    "notes_ratio_max",
    "zero_length",
)


if __name__ == "__main__":
    raise SystemExit(main())
