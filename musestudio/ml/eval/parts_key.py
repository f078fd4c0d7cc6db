"""How often the parts engine's takes leave the key, and on which scale degrees, against the style's own files.

A musician hears a raised fourth or a flat seventh the style never writes as a wrong note, so the share of
notes outside the key, and the share of each scale degree (semitones above the tonic), are measured for
the takes of Continue and Add a part beside the real music of the same windows, with the same key reading
for both (``detect_key`` of the whole window: seed and real continuation). The windows are a split's
pieces from the parts cache (test for the figures; train or valid to choose a setting), a fixed number per
style with a fixed seed, so a before and an after draw the same requests.

``teacher_forced`` asks the model itself, without sampling: at every pitch the real music writes, the
probability the model gives each degree (relative to the key token it reads), against the degrees written.
That tells a miscalibrated network from a sampler that leaves the key.

    python -m musestudio.ml.eval.parts_key --split test --per-style 6 [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.train.key_prior import distance, key_counts, key_shares, update  # shared with learn

TPB = 480
SEED_BARS = 4
NEW_BARS = 4
ADD_BARS = 8
DEGREE_NAMES = ("1", "b2", "2", "b3", "3", "4", "#4", "5", "b6", "6", "b7", "7")


def degree_counts(notes: Iterable[Note], key: KeySignature | None) -> Counter:
    """Per note: "in"/"out" of ``key`` and its degree (0..11, semitones above the tonic); nothing without
    a key (a window with no key reading is not measured)."""
    return key_counts([notes], key) if key is not None else Counter()


def summary(c: Counter) -> dict:
    """A counter of ``degree_counts`` as shares: ``in_key`` and the 12 ``degrees``; ``notes`` counted."""
    in_key, degrees = key_shares(c)
    return {"notes": c["in"] + c["out"], "in_key": in_key, "degrees": degrees}


@dataclass
class Window:
    style: str
    parts: list  # ml.data.parts Part values, notes from tick 0 at the window's first bar
    roles: list[str]
    programs: list[int]
    sigs: tuple[TimeSignature, ...]
    key: KeySignature | None  # detect_key of the whole window: the reading both sides are measured with
    written_key: KeySignature | None  # the piece's own key (the key token it was trained with)
    mid: int  # tick of the first continued bar (SEED_BARS in)
    end: int  # tick after the window's last bar


def _cut(notes, lo: int, hi: int, clip: bool = False) -> list[Note]:
    return [
        Note(n.pitch, n.start - lo, (min(n.end, hi) - n.start) if clip else n.duration, n.velocity)
        for n in notes
        if lo <= n.start < hi
    ]


def windows(split: str, per_style: int, seed: int = 11, sources: Sequence[str] | None = None) -> list[Window]:
    """``per_style`` windows of SEED_BARS + NEW_BARS bars per style from the split's cached pieces (their
    own time signature from the window's start), chosen with ``seed``."""
    from musestudio.ml.data import parts as parts_data
    from musestudio.ml.data.parts_windows import index

    items = index(parts_data.load(split=split, sources=sources))
    rng = random.Random(seed)
    by_style: dict[str, list] = defaultdict(list)
    for it in items:
        if it.n_bars >= SEED_BARS + NEW_BARS and len(it.piece.time_signatures) == 1:
            by_style[it.piece.style].append(it)
    out = []
    for style in sorted(by_style):
        its = sorted(by_style[style], key=lambda it: it.piece.key)
        rng.shuffle(its)
        for it in its:
            if sum(w.style == style for w in out) >= per_style:
                break
            a = rng.randint(0, it.n_bars - SEED_BARS - NEW_BARS)
            lo, mid, hi = it.lines[a], it.lines[a + SEED_BARS], it.lines[a + SEED_BARS + NEW_BARS]
            kept = [(p, _cut(p.notes, lo, hi)) for p in it.parts]
            kept = [(p, ns) for p, ns in kept if any(n.start < mid - lo for n in ns)]
            if not kept:
                continue
            every = [n for _, ns in kept for n in ns]
            out.append(
                Window(
                    style,
                    [ns for _, ns in kept],
                    [p.role for p, _ in kept],
                    [p.program for p, _ in kept],
                    tuple(it.piece.time_signatures),
                    detect_key(every),
                    it.piece.key_signature,
                    mid - lo,
                    hi - lo,
                )
            )
    return out


def _options(style: str, seed: int, variations: int, model: Path | None, **kw):
    from musestudio.ml.generate.parts import Options

    return Options(style=style, variations=variations, seed=seed, model=model, **kw)


def continue_window(w: Window, seed: int, variations: int, model=None, **kw) -> dict:
    """Continue every part of the window's seed bars by NEW_BARS. Degree counts of the takes and of the
    real continuation, read in the window's key (``takes``, ``files``) and in the key the engine was given
    (``detect_key`` of the seed: ``takes_engine``, ``files_engine``, with its ``mode``); ``new``: each
    take's new notes from tick 0 (all parts), ``real``: the real continuation's."""
    from musestudio.ml.generate.parts import PartIn, continue_parts

    seeds = [_cut(ns, 0, w.mid, clip=True) for ns in w.parts]
    ins = [PartIn(tuple(s), r, p) for s, r, p in zip(seeds, w.roles, w.programs, strict=True) if s]
    res = continue_parts(
        ins,
        tpb=TPB,
        time_signatures=w.sigs,
        bars=NEW_BARS,
        options=_options(w.style, seed, variations, model, **kw),
    )
    engine_key = detect_key(n for s in seeds for n in s)
    made = [n for t in res.takes for p in t.parts for n in p]
    real = [n for ns in w.parts for n in ns if n.start >= w.mid]
    return {
        "takes": degree_counts(made, w.key),
        "files": degree_counts(real, w.key),
        "takes_engine": degree_counts(made, engine_key),
        "files_engine": degree_counts(real, engine_key),
        "mode": engine_key.mode if engine_key else None,
        "new": [[n.moved(-w.mid) for p in t.parts for n in p] for t in res.takes],
        "real": [n.moved(-w.mid) for n in real],
    }


def add_window(w: Window, seed: int, variations: int, model=None, **kw) -> dict | None:
    """Add a part over the window's bars: the lowest non-melody part (the bass where there is one) is taken
    away and written again with its role. Degree counts as ``continue_window``'s (the engine's key:
    ``detect_key`` of the given parts); None for a window with a single part."""
    from musestudio.ml.generate.parts import PartIn, add_part

    if len(w.parts) < 2:
        return None
    cand = [k for k, r in enumerate(w.roles) if r != "melody"] or list(range(1, len(w.parts)))
    k = max(cand, key=lambda j: (w.roles[j] == "bass", -min(n.pitch for n in w.parts[j])))
    given = [
        PartIn(tuple(ns), r, p)
        for j, (ns, r, p) in enumerate(zip(w.parts, w.roles, w.programs, strict=True))
        if j != k
    ]
    res = add_part(
        given,
        PartIn((), w.roles[k], w.programs[k]),
        tpb=TPB,
        time_signatures=w.sigs,
        options=_options(w.style, seed, variations, model, **kw),
    )
    engine_key = detect_key(n for p in given for n in p.notes)
    made = [n for t in res.takes for n in t.parts[-1]]
    return {
        "takes": degree_counts(made, w.key),
        "files": degree_counts(w.parts[k], w.key),
        "takes_engine": degree_counts(made, engine_key),
        "files_engine": degree_counts(w.parts[k], engine_key),
        "mode": engine_key.mode if engine_key else None,
    }


def measure(
    ws: Sequence[Window],
    variations: int = 2,
    seed: int = 5,
    model=None,
    tasks=("continue", "add"),
    judge=None,
    per_mode: dict | None = None,
    **kw,
) -> dict:
    """Per style and task: the takes' and the real music's in-key share and degree shares, and their
    distance. ``kw`` goes to the parts engine's Options (develop, key_prior, key_lock...). ``judge`` (the
    style classifier) adds the share of Continue takes' new bars it names the window's style, beside the
    real continuation's. ``per_mode`` (a dict) collects the engine-key counts per (style, mode): what the
    key prior is calibrated on."""
    acc: dict = defaultdict(lambda: defaultdict(lambda: [Counter(), Counter()]))
    key_agree: dict = defaultdict(lambda: [0, 0])
    judged: dict = defaultdict(lambda: [0, 0, 0, 0])  # takes named, takes, real named, real
    for i, w in enumerate(ws):
        if w.key is None:
            continue
        seed_key = detect_key(n for ns in w.parts for n in ns if n.start < w.mid)
        key_agree[w.style][0] += seed_key == w.key
        key_agree[w.style][1] += 1
        got = []
        if "continue" in tasks:
            c = continue_window(w, seed + i, variations, model, **kw)
            got.append(("continue", c))
            if judge is not None:
                row = judged[w.style]
                for notes in c["new"]:
                    row[0] += _named(judge, notes, w)
                    row[1] += 1
                if c["real"]:
                    row[2] += _named(judge, c["real"], w)
                    row[3] += 1
        if "add" in tasks:
            a = add_window(w, seed + i, variations, model, **kw)
            if a is not None:
                got.append(("add", a))
        for task, r in got:
            acc[w.style][task][0].update(r["takes"])
            acc[w.style][task][1].update(r["files"])
            if per_mode is not None and r["mode"]:
                pair = per_mode.setdefault((w.style, r["mode"]), [Counter(), Counter()])
                pair[0].update(r["takes_engine"])
                pair[1].update(r["files_engine"])
    out: dict = {}
    for style, per_task in sorted(acc.items()):
        out[style] = {"seed_key_is_window_key": key_agree[style][0] / max(1, key_agree[style][1])}
        for task, (takes, real) in per_task.items():
            st, sr = summary(takes), summary(real)
            out[style][task] = {"takes": st, "files": sr, "distance": distance(st["degrees"], sr["degrees"])}
        if judge is not None and judged[style][1]:
            j = judged[style]
            out[style]["judge"] = {
                "takes_named": round(j[0] / j[1], 4),
                "takes": j[1],
                "real_named": round(j[2] / max(1, j[3]), 4),
                "real": j[3],
            }
    return out


def _named(judge, notes: Sequence[Note], w: Window) -> bool:
    """Does the style classifier name the window's style for ``notes`` (NEW_BARS bars from tick 0)?"""
    from musestudio.ml.eval.restyle import Window as JudgeWindow
    from musestudio.ml.eval.restyle import judge_probs
    from musestudio.ml.pianoroll import DEFAULT_SPEC

    styles = list(judge.config.styles)
    if w.style not in styles or not notes:
        return False
    sig = w.sigs[0]
    bar = TPB * 4 * sig.numerator // sig.denominator
    steps = NEW_BARS * bar // DEFAULT_SPEC.step_ticks(TPB)
    jw = JudgeWindow(
        w.style, "", tuple(notes), TPB, (TimeSignature(0, sig.numerator, sig.denominator),), steps
    )
    return int(judge_probs(judge, notes, jw).argmax()) == styles.index(w.style)


def bundled_seeds(styles: Sequence[str], variations: int = 2, seed: int = 5, model=None, **kw) -> dict:
    """Continue each bundled seed (resources/seeds, drums aside) in each style: in-key share and degrees of
    the takes in the seed's own key (``detect_key`` of the seed)."""
    from musestudio.io.midi import read_midi
    from musestudio.ml.generate.parts import PartIn, continue_parts
    from musestudio.ml.generate.parts_roles import guess_roles

    root = Path(__file__).resolve().parents[3] / "resources" / "seeds"
    out = {}
    for style in styles:
        c: Counter = Counter()
        for j, path in enumerate(sorted(root.glob("*.mid"))):
            song = read_midi(path)
            tracks = [t for t in song.tracks if not t.is_drum and t.notes]
            if not tracks:
                continue
            roles = guess_roles(tracks)
            ins = [PartIn(tuple(t.notes), r, t.program) for t, r in zip(tracks, roles, strict=True)]
            key = detect_key(n for t in tracks for n in t.notes)
            res = continue_parts(
                ins,
                tpb=song.ticks_per_beat,
                time_signatures=song.time_signatures,
                bars=NEW_BARS,
                options=_options(style, seed + j, variations, model, **kw),
            )
            c.update(degree_counts((n for t in res.takes for p in t.parts for n in p), key))
        out[style] = summary(c)
    return out


def teacher_forced(ws: Sequence[Window], model=None) -> dict:
    """Per style: the probability the model gives each degree (relative to the key token it reads, the
    piece's own key) at the pitches of the real music, among pitch tokens, against the degrees written;
    every part continued (nothing masked), as the Continue task reads it."""
    import torch

    from musestudio.ml.generate.parts import load

    loaded = load(model, torch.device("cpu"))
    g, net = loaded.tokenizer, loaded.model
    net.eval()
    acc: dict = defaultdict(lambda: [[0.0] * 12, Counter()])
    for w in ws:
        key = w.written_key or w.key
        if key is None:
            continue
        from musestudio.ml.parts_grammar import Part

        parts = [Part(r, p, tuple(ns)) for ns, r, p in zip(w.parts, w.roles, w.programs, strict=True)]
        seq = g.encode(
            parts, masked=[], tpb=TPB, time_signatures=w.sigs, start=0, end=w.end, key=key, style=w.style
        )
        seq = seq[: net.config.block_size]
        with torch.inference_mode():
            logits, _, _ = net(torch.tensor([seq]))
        pitch = logits[0, :-1, g.pitch0 : g.pitch0 + 128].float()
        probs = torch.softmax(pitch, -1)
        deg = torch.tensor([(p - key.tonic) % 12 for p in range(128)])
        for j in range(1, len(seq)):
            t = seq[j]
            if g.pitch0 <= t < g.pitch0 + 128:
                row = probs[j - 1]
                mass = torch.zeros(12).index_add_(0, deg, row)
                for d in range(12):
                    acc[w.style][0][d] += float(mass[d])
                acc[w.style][1][(t - g.pitch0 - key.tonic) % 12] += 1
    out = {}
    for style, (mass, real) in sorted(acc.items()):
        n = sum(real.values())
        scale = (key_scale := None) or None  # noqa: F841 - degrees in key differ by mode; shares say it
        model_shares = [round(m / max(1, n), 4) for m in mass]
        real_shares = [round(real[d] / max(1, n), 4) for d in range(12)]
        out[style] = {
            "notes": n,
            "model": model_shares,
            "files": real_shares,
            "distance": distance(model_shares, real_shares),
        }
    return out


def _stem_with(stem: Path, degrees: dict, where: Path) -> Path:
    """A copy of the model's JSON with ``inference.degrees`` set, beside a link to its weights: the
    sampler reads the prior from the file, as the app does."""
    from musestudio.ml import checkpoint

    meta = checkpoint.read_meta(stem)
    meta.setdefault("inference", {})["degrees"] = degrees
    where.mkdir(parents=True, exist_ok=True)
    out = where / stem.name
    out.with_suffix(".json").write_text(json.dumps(meta))
    link = out.with_suffix(".safetensors")
    if not link.exists():
        link.symlink_to(stem.with_suffix(".safetensors").resolve())
    return out


def calibrate(
    split: str = "train",
    per_style: int = 30,
    rounds: int = 3,
    variations: int = 2,
    seed: int = 5,
    model: Path | None = None,
    work: Path | None = None,
    log=print,
) -> tuple[dict, list]:
    """The key prior (``inference.degrees``) chosen on ``split`` (train or valid, never test): rounds of
    takes with the same requests and seeds, each moving the biases toward the files' degree shares. Returns
    the table and, per round, each style's distance and in-key share (both tasks, the engine's key)."""
    import tempfile

    from musestudio.ml.generate.parts import model_stem

    stem = model or model_stem()
    work = work or Path(tempfile.mkdtemp(prefix="parts-key-"))
    ws = windows(split, per_style)
    table: dict = {}
    base: dict = {}
    history = []
    for r in range(rounds + 1):
        per_mode: dict = {}
        measure(ws, variations, seed, _stem_with(stem, table, work / f"round{r}"), per_mode=per_mode)
        row = {}
        for (style, mode), (takes, files) in sorted(per_mode.items()):
            st, sf = summary(takes), summary(files)
            row[f"{style}/{mode}"] = {
                "takes_in_key": st["in_key"],
                "files_in_key": sf["in_key"],
                "distance": distance(st["degrees"], sf["degrees"]),
                "notes": sf["notes"],
            }
        history.append({"round": r, "table": table, "figures": row})
        log(json.dumps({"round": r, "figures": row}))
        if r < rounds:
            table = update(table, per_mode, base)
    return table, history


def _fmt(d: Sequence[float]) -> str:
    return " ".join(f"{DEGREE_NAMES[i]}:{100 * x:.1f}" for i, x in enumerate(d))


def render(rep: dict) -> str:
    lines = []
    for style, per in rep.get("windows", {}).items():
        lines.append(f"{style}  (seed key = window key in {100 * per['seed_key_is_window_key']:.0f}%)")
        for task in ("continue", "add"):
            if task in per:
                r = per[task]
                lines.append(
                    f"  {task:8s} in key: takes {100 * r['takes']['in_key']:.1f}% ({r['takes']['notes']})"
                    f"  files {100 * r['files']['in_key']:.1f}% ({r['files']['notes']})  distance {r['distance']:.3f}"
                )
                lines.append(f"           takes {_fmt(r['takes']['degrees'])}")
                lines.append(f"           files {_fmt(r['files']['degrees'])}")
        if "judge" in per:
            j = per["judge"]
            lines.append(
                f"  judge: continue takes named {per['judge']['takes_named'] * 100:.1f}% of {j['takes']}"
                f" (real continuations {j['real_named'] * 100:.1f}% of {j['real']})"
            )
    for style, r in rep.get("seeds", {}).items():
        lines.append(
            f"bundled seeds in {style}: in key {100 * r['in_key']:.1f}% ({r['notes']})  {_fmt(r['degrees'])}"
        )
    for style, r in rep.get("teacher_forced", {}).items():
        lines.append(f"teacher-forced {style} ({r['notes']} notes) distance {r['distance']:.3f}")
        lines.append(f"           model {_fmt(r['model'])}")
        lines.append(f"           files {_fmt(r['files'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("train", "valid", "test"))
    ap.add_argument("--per-style", type=int, default=6)
    ap.add_argument("--variations", type=int, default=2)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--model", type=Path, default=None, help="a parts checkpoint stem (default: models/parts)"
    )
    ap.add_argument("--develop", type=float, default=None)
    ap.add_argument("--no-prior", action="store_true", help="draw without the model file's key prior")
    ap.add_argument("--tasks", default="continue,add")
    ap.add_argument("--no-seeds", action="store_true", help="skip the bundled seeds")
    ap.add_argument("--teacher-forced", action="store_true")
    ap.add_argument("--judge", action="store_true", help="the style classifier on the Continue takes")
    ap.add_argument(
        "--calibrate", type=int, default=0, metavar="ROUNDS", help="choose the key prior on --split"
    )
    ap.add_argument("--write", action="store_true", help="with --calibrate: store it in the model's JSON")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    t0 = time.time()
    if a.calibrate:
        if a.split == "test":
            ap.error("the key prior is chosen on the train or valid split, never test")
        from musestudio.ml import checkpoint
        from musestudio.ml.generate.parts import model_stem

        table, history = calibrate(a.split, a.per_style, a.calibrate, a.variations, a.seed, a.model)
        rep = {"split": a.split, "per_style": a.per_style, "degrees": table, "history": history}
        if a.write:
            stem = a.model or model_stem()
            meta = checkpoint.read_meta(stem)
            meta.setdefault("inference", {})["degrees"] = table
            meta["inference"]["degrees_chosen"] = (
                f"python -m musestudio.ml.eval.parts_key --calibrate {a.calibrate} --split {a.split} "
                f"--per-style {a.per_style} --variations {a.variations} --seed {a.seed}"
            )
            print(f"wrote {checkpoint.write_meta(stem, meta)}")
    else:
        kw: dict = {} if a.develop is None else {"develop": a.develop}
        if a.no_prior:
            kw["key_prior"] = False
        judge = None
        if a.judge:
            from musestudio.ml.generate.critic import load_classifier

            judge = load_classifier()
        ws = windows(a.split, a.per_style)
        rep = {"split": a.split, "per_style": a.per_style, "variations": a.variations, "settings": kw}
        if a.teacher_forced:
            rep["teacher_forced"] = teacher_forced(ws, a.model)
        rep["windows"] = measure(ws, a.variations, a.seed, a.model, tuple(a.tasks.split(",")), judge, **kw)
        if not a.no_seeds:
            rep["seeds"] = bundled_seeds(sorted(rep["windows"]), a.variations, a.seed, a.model, **kw)
        print(render(rep))
    rep["seconds"] = round(time.time() - t0, 1)
    if a.json:
        a.json.write_text(json.dumps(rep, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
