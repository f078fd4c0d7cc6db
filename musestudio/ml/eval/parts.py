"""``musestudio-cli evaluate parts``: the parts model beside the single-stream transformer, a rule baseline and
the real music, on a modest number of test pieces (minutes on the CPU).

Sections (issue 13, points 6-7):
- ``nll``: nats per *note* of each role's notes given the other parts vs given none (the same windows; per
  style), and the single-stream transformer on the role alone (nats per note: the two tokenizations differ,
  a note is the unit they share).
- ``chorales``: test sopranos harmonized with alto, tenor and bass (JSB test, or music21 Bach test when the
  model was trained on music21 Bach, see ``chorale_set``), with the voice-leading rules (``parts``, as the
  app writes them) and without (``network``: the model alone); the rule
  baseline's block triads; Bach's own voices. Triad/seventh share, crossings and parallel fifths/octaves per
  100 beats, agreement with Bach's chord per beat.
- ``pop``: POP909 test melodies accompanied (right hand + left hand), fit to the melody's harmony and notes
  per bar, beside the real piano part and the rule's block triads.
- ``continue``: 4-bar seeds of test pieces continued 8 bars (all parts), and the real 8 bars: bars where each
  part has notes, part order, and the "develop the seed" measures (with the model file's own ``develop``
  weight, as the app and the CLI draw), with the single-stream transformer's
  takes of the same seeds (its one stream has no parts: part measures do not apply to it).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import torch

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines
from musestudio.ml import checkpoint
from musestudio.ml.data import parts as parts_data
from musestudio.ml.data.parts_windows import index
from musestudio.ml.eval import parts_measures as M
from musestudio.ml.eval.parts_nll import role_nll
from musestudio.ml.generate.parts import Options, PartIn, add_part, chorale_voices, continue_parts

TPB = 480


# -- chorales ------------------------------------------------------------------------------------------


def jsb_voices(split: str, limit: int) -> list[list[list[Note]]]:
    """SATB notes of the JSB chorales (16th frames; a held pitch is one note)."""
    from musestudio.ml.eval.jsb import data_dir

    with open(data_dir() / "Jsb16thSeparated.json", encoding="utf-8") as f:
        raw = json.load(f)[split][:limit]
    step = TPB // 4
    out = []
    for frames in raw:
        voices: list[list[Note]] = [[], [], [], []]
        for v in range(4):
            cur, start = None, 0
            for i, frame in enumerate([*frames, [None] * 4]):
                p = frame[v] if v < len(frame) else None
                p = int(p) if isinstance(p, (int, float)) and not math.isnan(p) else None
                if p != cur:
                    if cur is not None:
                        voices[v].append(Note(cur, start * step, (i - start) * step, 80))
                    cur, start = p, i
        out.append(voices)
    return out


def rule_harmony(melody: Sequence[Note], key: KeySignature | None, beat: int = TPB) -> list[list[Note]]:
    """The rule baseline: on every beat a block triad of the key holding the melody's pitch class (I, V, IV,
    vi, ii, iii in that preference; the tonic when none holds it), two voices below the melody and the
    root in the bass; for the pop section the same triads as one accompaniment."""
    key = key or KeySignature(0, "major")
    steps = (0, 2, 4, 5, 7, 9, 11) if key.mode == "major" else (0, 2, 3, 5, 7, 8, 10)
    degree_order = (0, 4, 3, 5, 1, 2)
    triads = [[(key.tonic + steps[(d + i) % 7]) % 12 for i in (0, 2, 4)] for d in degree_order]
    end = max((n.end for n in melody), default=0)
    alto, tenor, bass = [], [], []
    for t in range(0, end, beat):
        top = M.sounding(melody, t)
        if not top:
            continue
        pc = max(top) % 12
        tri = next((tr for tr in triads if pc in tr), triads[0])
        below = []
        p = max(top) - 1
        while len(below) < 2 and p > 30:
            if p % 12 in tri:
                below.append(p)
            p -= 1
        root = 36 + (tri[0] - 36) % 12
        if root < 40:
            root += 12
        alto.append(Note(below[0], t, beat, 70))
        tenor.append(Note(below[1], t, beat, 70))
        bass.append(Note(root, t, beat, 70))
    return [alto, tenor, bass]


def chorale_set(items, limit: int, trained_on_bach: bool) -> tuple[str, list[tuple[list[list[Note]], tuple]]]:
    """SATB test chorales never trained on: the JSB test split, unless the model was trained on music21's
    Bach, whose chorales overlap JSB's (SPLITS.md: such a model is never reported on JSB); then the test
    split of music21's chorales (SPLITS.md's hash rule) instead."""
    if not trained_on_bach:
        return "JSB Chorales test split", [(v, (TimeSignature(0, 4, 4),)) for v in jsb_voices("test", limit)]
    four = [it for it in items if it.piece.style == "bach" and len(it.parts) == 4][:limit]
    return "music21 Bach chorales, test split", [
        ([list(p.notes) for p in it.parts], it.piece.time_signatures) for it in four
    ]


def chorales(stem: Path | None, limit: int, seed: int, items=(), trained_on_bach: bool = False) -> dict:
    name, pieces = chorale_set(items, limit, trained_on_bach)
    rows = defaultdict(list)
    for i, (voices, sigs) in enumerate(pieces):
        sop = voices[0]
        key = detect_key(sop)
        for row, rules in (("parts", True), ("network", False)):
            res = add_part(
                [PartIn(tuple(sop), "melody", 52)],
                chorale_voices(),
                tpb=TPB,
                time_signatures=sigs,
                options=Options(
                    style="bach",
                    variations=1,
                    seed=seed + i,
                    model=stem,
                    temperature=0.8,
                    voice_leading=rules,
                ),
            )
            made = [sop, *[list(p) for p in res.takes[0].parts[1:]]]
            rows[row].append(M.chorale_measures(made, TPB, voices))
        rows["rule"].append(M.chorale_measures([sop, *rule_harmony(sop, key)], TPB, voices))
        rows["bach"].append(M.chorale_measures(voices, TPB, voices))
    return {k: _mean_dicts(r) for k, r in rows.items()} | {"pieces": len(pieces), "set": name}


# -- pop accompaniment ---------------------------------------------------------------------------------


def pop(stem: Path | None, items, limit: int, bars: int, seed: int) -> dict:
    pops = [it for it in items if it.piece.style == "pop" and any(p.role == "melody" for p in it.parts)][
        :limit
    ]
    rows = defaultdict(list)
    for i, it in enumerate(pops):
        a = min(8, max(0, it.n_bars - bars))
        lo, hi = it.lines[a], it.lines[min(it.n_bars, a + bars)]
        melody = _cut(next(p for p in it.parts if p.role == "melody").notes, lo, hi, lo)
        real = [n for p in it.parts if p.role in ("accompaniment", "bass") for n in _cut(p.notes, lo, hi, lo)]
        if not melody:
            continue
        lines = bar_lines(list(it.piece.time_signatures), TPB, hi - lo)[: bars + 1]
        key = it.piece.key_signature
        res = add_part(
            [PartIn(tuple(melody), "melody", 0)],
            [PartIn((), "accompaniment", 0), PartIn((), "bass", 0)],
            tpb=TPB,
            time_signatures=it.piece.time_signatures,
            options=Options(style="pop", variations=1, seed=seed + i, model=stem),
        )
        made = [n for p in res.takes[0].parts[1:] for n in p]
        rule = [n for v in rule_harmony(melody, key) for n in v]
        nb = max(1, len(lines) - 1)
        for name, acc in (("parts", made), ("rule", rule), ("real", real)):
            rows[name].append({"fit": M.harmony_fit(acc, melody, lines, key), "notes_per_bar": len(acc) / nb})
    return {name: _mean_dicts(r) for name, r in rows.items()} | {"pieces": len(pops)}


# -- continue all and musicality -----------------------------------------------------------------------


def continuation(
    stem: Path | None,
    items,
    per_style: int,
    seed: int,
    seed_bars: int = 4,
    new_bars: int = 8,
    develop: float | None = None,
    with_transformer: bool = True,
) -> dict:
    from musestudio.ml.generate.continuation import continue_phrase
    from musestudio.ml.generate.request import Options as SingleOptions

    rng = random.Random(seed)
    chosen = []
    by_style = defaultdict(list)
    for it in items:
        if it.n_bars >= seed_bars + new_bars:
            by_style[it.piece.style].append(it)
    for _style, its in sorted(by_style.items()):
        rng.shuffle(its)
        chosen += its[:per_style]
    odd = [
        it for its in by_style.values() for it in its if _meter(it) in ((3, 4), (6, 8)) and it not in chosen
    ]
    chosen += odd[: per_style // 2]
    stats: dict = defaultdict(list)
    for i, it in enumerate(chosen):
        a = rng.randint(0, it.n_bars - seed_bars - new_bars)
        lo, mid, hi = it.lines[a], it.lines[a + seed_bars], it.lines[a + seed_bars + new_bars]
        seeds = [_cut(p.notes, lo, mid, lo, clip=True) for p in it.parts]
        reals = [_cut(p.notes, mid, hi, lo) for p in it.parts]
        keep = [k for k, s in enumerate(seeds) if s]
        if not keep:
            continue
        roles = [it.parts[k].role for k in keep]
        seed_parts = [PartIn(tuple(seeds[k]), it.parts[k].role, it.parts[k].program) for k in keep]
        sigs = it.piece.time_signatures
        start = mid - lo
        res = continue_parts(
            seed_parts,
            tpb=TPB,
            time_signatures=sigs,
            bars=new_bars,
            options=Options(style=it.piece.style, variations=2, seed=seed + i, model=stem, develop=develop),
        )
        meter = _meter(it)
        bar = it.lines[a + 1] - it.lines[a]
        seed_all = [n for k in keep for n in seeds[k]]
        singles = [j for j, k in enumerate(keep) if M.max_voices(seeds[k]) <= 1]
        real_take = [[n for n in reals[k]] for k in keep]
        for name, takes in (("parts", [list(t.parts) for t in res.takes]), ("real", [real_take])):
            for parts in takes:
                flat = [n for p in parts for n in p]
                for p in parts:
                    stats[f"{name}:bars_with_notes"].append(_bars_with_notes(p, start, bar, new_bars))
                stats[f"{name}:order"].append(M.order_kept(list(zip(roles, parts, strict=True))))
                top = parts[roles.index("melody")] if "melody" in roles else flat
                seed_top = seeds[keep[roles.index("melody")]] if "melody" in roles else seed_all
                m = M.musicality(
                    seed_top, top, start, bar, meter, TPB, seed_bars, new_bars, [parts[j] for j in singles]
                )
                m["density_ok"] = M.musicality(seed_all, flat, start, bar, meter, TPB, seed_bars, new_bars)[
                    "density_ok"
                ]
                m["empty_first_bar"] = M.musicality(
                    seed_all, flat, start, bar, meter, TPB, seed_bars, new_bars
                )["empty_first_bar"]
                _add(stats, name, m)
        single = None
        try:
            single = with_transformer and continue_phrase(
                seed_all,
                SingleOptions(style=it.piece.style, variations=2, seed=seed + i, key=it.piece.key_signature),
                tpb=TPB,
                time_signatures=sigs,
                bars=new_bars,
                engine="transformer",
            )
        except Exception:  # noqa: BLE001 - no shipped transformer (or it lacks the style): the column stays empty
            single = None
        if single:
            for t in single.takes:
                notes = [Note(n.pitch, n.start, n.duration, n.velocity) for n in t.notes]
                m = M.musicality(
                    seed_all,
                    notes,
                    t.start,
                    bar,
                    meter,
                    TPB,
                    seed_bars,
                    new_bars,
                    [notes] if len(keep) == 1 and singles else [],
                )
                _add(stats, "transformer", m)
    return _summarize(stats) | {"seeds": len(chosen)}


def _cut(notes, lo: int, hi: int, origin: int, clip: bool = False) -> list[Note]:
    """Notes starting in [lo, hi), moved so that ``origin`` is tick 0; ``clip`` ends them at ``hi`` (a seed
    whose last note is held over the bar line would otherwise start the takes a bar late)."""
    return [
        Note(n.pitch, n.start - origin, min(n.end, hi) - n.start if clip else n.duration, n.velocity)
        for n in notes
        if lo <= n.start < hi
    ]


def _meter(it) -> tuple[int, int]:
    s = it.piece.time_signatures[0]
    return s.numerator, s.denominator


def _bars_with_notes(notes, start, bar, n) -> float:
    return (
        sum(1 for b in range(n) if any(start + b * bar <= x.start < start + (b + 1) * bar for x in notes)) / n
    )


def _add(stats, name: str, m: dict) -> None:
    for k, v in m.items():
        if k == "long_on_beat":
            stats[f"{name}:long_on_beat_n"].append(v[1])
            stats[f"{name}:long_on_beat_ok"].append(v[0])
        else:
            stats[f"{name}:{k}"].append(float(v))


def _summarize(stats) -> dict:
    out: dict = defaultdict(dict)
    for key, vals in stats.items():
        name, what = key.split(":", 1)
        if what.startswith("long_on_beat"):
            continue
        vals = [v for v in vals if not math.isnan(v)]
        out[name][what] = sum(vals) / len(vals) if vals else None
        out[name]["takes"] = max(out[name].get("takes", 0), len(stats.get(f"{name}:reuses_seed_figure", [])))
    for name in list(out):
        n = sum(stats.get(f"{name}:long_on_beat_n", []))
        ok = sum(stats.get(f"{name}:long_on_beat_ok", []))
        out[name]["long_on_beat"] = ok / n if n else None
    return dict(out)


def _mean_dicts(rows: Sequence[dict]) -> dict:
    keys = {k for r in rows for k in r}
    out = {}
    for k in sorted(keys):
        vals = [r[k] for r in rows if k in r and not (isinstance(r[k], float) and math.isnan(r[k]))]
        out[k] = sum(vals) / len(vals) if vals else None
    return out


# -- entry ---------------------------------------------------------------------------------------------


def report(split: str = "test", stem: Path | None = None, per_style: int = 6, seed: int = 7) -> dict:
    t0 = time.time()
    torch.manual_seed(seed)
    meta = checkpoint.read_meta(stem or _default_stem())
    # the sources the model was trained on (their styles only: others would measure an untrained style)
    sources = meta["training"].get("sources") or list(parts_data.SOURCES)
    items = index(parts_data.load(split=split, sources=sources))
    if not items:
        from musestudio.core.errors import BadInputError

        raise BadInputError("no cached pieces with parts: run python -m musestudio.ml.data.parts build")
    out = {
        "split": split,
        "model": str(stem or _default_stem()),
        "trained": {k: meta["training"].get(k) for k in ("step", "minutes", "valid_nll", "sources")},
        "nll": role_nll(stem, items, per_style),
        "chorales": chorales(stem, per_style * 2, seed, items, "bach" in sources),
        "pop": pop(stem, items, per_style, 16, seed),
        "continue": continuation(stem, items, per_style, seed),
    }
    out["seconds"] = round(time.time() - t0, 1)
    return out


def _default_stem() -> Path:
    from musestudio.ml.generate.parts import model_stem

    return model_stem()


def run(args: argparse.Namespace) -> int:
    """``evaluate parts`` (declared in parts/cli.py, so the CLI starts without torch)."""
    from musestudio.ml.sampling import fast_stepwise

    torch.set_num_threads(1)
    with fast_stepwise(torch.device("cpu")):
        rep = report(args.split, args.model, args.per_style, args.seed)
    print(json.dumps(rep, indent=1) if args.json else render(rep))
    return 0


def _f(x, pct: bool = False) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.0f}%" if pct else f"{x:.2f}"


def render(rep: dict) -> str:
    lines = [
        f"evaluate parts on {rep['split']} ({rep['model']}, {rep['seconds']} s)",
        "",
        "NLL, nats per note",
    ]
    lines.append(f"  {'style':<11}{'role':<16}{'notes':>6}{'others':>8}{'none':>8}{'gap':>7}{'single':>8}")
    for style, roles in rep["nll"].items():
        for role, r in roles.items():
            lines.append(
                f"  {style:<11}{role:<16}{r['notes']:>6}{r['given_others']:>8.2f}{r['given_none']:>8.2f}"
                f"{r['gap']:>7.2f}{_f(r['transformer']):>8}"
            )
    if rep.get("chorales"):
        c = rep["chorales"]
        lines += ["", f"{c['set']}: sopranos harmonized ({c['pieces']} chorales)"]
        lines.append(f"  {'':<8}{'triad/7th':>10}{'crossings':>10}{'par5/8':>8}{'agree':>7}  (per 100 beats)")
        for name in ("parts", "network", "rule", "bach"):
            if name not in c:
                continue
            r = c[name]
            lines.append(
                f"  {name:<8}{_f(r['triad_or_seventh'], True):>10}{_f(r['crossings_per_100']):>10}"
                f"{_f(r['parallels_per_100']):>8}{_f(r['chord_agreement'], True):>7}"
            )
    p = rep["pop"]
    lines += ["", f"POP909 test melodies accompanied ({p['pieces']} songs)"]
    for name in ("parts", "rule", "real"):
        if name in p:
            lines.append(
                f"  {name:<8} fit {_f(p[name]['fit'], True):>5}   notes/bar {_f(p[name]['notes_per_bar'])}"
            )
    c = rep["continue"]
    lines += ["", f"Continue 8 bars after 4 ({c['seeds']} seeds)"]
    keys = [
        "bars_with_notes",
        "order",
        "reuses_seed_figure",
        "repeats_own_figure",
        "density_ok",
        "single_line_ok",
        "register_drift",
        "empty_first_bar",
        "long_on_beat",
    ]
    lines.append("  " + f"{'':<12}" + "".join(f"{k[:10]:>11}" for k in keys))
    for name in ("parts", "transformer", "real"):
        if name in c:
            lines.append("  " + f"{name:<12}" + "".join(f"{_f(c[name].get(k), True):>11}" for k in keys))
    return "\n".join(lines)
