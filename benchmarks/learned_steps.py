"""Where a learned style's Continue transformer takes its melodic steps from (issue 16).

``evaluate style --continuations`` says whether the takes' intervals move toward a set of files; this says
why they move as they do, without sampling. For the files the style learnt (``--learnt``) and other files
(``--other``), read as ``evaluate style`` reads them (the tracks merged, the top voice at each onset):

- the kinds of step in each set (repeat, semitone, tone, third, leap), and the overlap of the learnt files'
  own histograms with the other files': what takes that copied the user's files exactly would score there;
- the transformer reading the real files (teacher-forced), base and with the style's layers: the chance it
  gives each kind of step at each onset against how often the files take it, at single-note onsets and at
  the top note of a chord onset (the tune's note on a chord; where the stream lists a chord upward, as the
  base model reads it, that note comes after the chord's, and the chance is over the pitches the grammar
  still allows there; where a style's layers read an onset from the top down, it comes first).

    .venv/bin/python benchmarks/learned_steps.py NAME --learnt DIR --other DIR [--limit 40]
"""

from __future__ import annotations

import argparse
from pathlib import Path

KINDS = ("repeat", "semitone", "tone", "third", "leap")


def kind(step: int) -> str:
    s = abs(step)
    return KINDS[min(s, 2)] if s <= 2 else "third" if s <= 4 else "leap"


def onsets(tok, ids: list[int]) -> list[list[int]]:
    """The pitch tokens' indices of each onset (one POS and what follows it), in stream order."""
    out: list[list[int]] = []
    current = None
    for j, t in enumerate(ids):
        if tok.is_position(t):
            current = []
            out.append(current)
        elif t == tok.bar_id:
            current = None
        elif tok.is_pitch(t) and current is not None:
            current.append(j)
    return out


def teacher_forced(model, tok, segs, style: str) -> dict[str, dict[str, list[float]]]:
    """Per onset kind ("single", "chord"): the predicted and the actual share of each kind of step."""
    import torch

    p0 = tok.pitch_token(0)
    sums = {
        w: {"predicted": [0.0] * len(KINDS), "actual": [0.0] * len(KINDS), "n": [0]}
        for w in ("single", "chord")
    }
    steps = torch.tensor([KINDS.index(kind(d)) for d in range(-127, 128)])
    for seg in segs:
        ids = tok.conditioning(style, seg.key, seg.time_signatures[0]) + tok.encode_events(
            seg.notes, tpb=seg.tpb, time_signatures=seg.time_signatures
        )
        ids = ids[: model.config.block_size]
        with torch.inference_mode():
            logits = model(torch.tensor([ids]))[0][0, :, p0 : p0 + 128].float()
        groups = [g for g in onsets(tok, ids) if g]
        down = tok.onset_order == "descending"
        for before, now in zip(groups, groups[1:], strict=False):
            prev = max(tok.pitch_of(ids[j]) for j in before)
            j = now[0] if down else now[-1]  # the top note
            lo = tok.pitch_of(ids[now[-2]]) + 1 if len(now) > 1 and not down else 0
            probs = torch.softmax(logits[j - 1, lo:], dim=0)
            by_kind = torch.zeros(len(KINDS)).index_add_(0, steps[torch.arange(lo, 128) - prev + 127], probs)
            s = sums["chord" if len(now) > 1 else "single"]
            s["predicted"] = [a + b for a, b in zip(s["predicted"], by_kind.tolist(), strict=True)]
            s["actual"][KINDS.index(kind(tok.pitch_of(ids[j]) - prev))] += 1
            s["n"][0] += 1
    return sums


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", help="a learned style (its layers for the continue_transformer model)")
    ap.add_argument("--learnt", type=Path, required=True, help="the files (or folder) the style learnt")
    ap.add_argument("--other", type=Path, required=True, help="other files of the same kind")
    ap.add_argument("--limit", type=int, default=40, help="at most this many files of each set")
    args = ap.parse_args()

    import torch

    from musestudio.ml import engines, learned
    from musestudio.ml.data import learn as data
    from musestudio.ml.eval import style as S

    torch.set_num_threads(1)
    style = learned.get(args.name)
    sets = {
        w: data.read_files([p])[0][: args.limit] for w, p in (("learnt", args.learnt), ("other", args.other))
    }
    hist = {w: S._merge(S.histograms([s.notes], s.tpb) for s in segs) for w, segs in sets.items()}
    print(f"files (top voice of the tracks merged): {', '.join(f'{w} {len(s)}' for w, s in sets.items())}")
    print(f"{'kinds of step':22s}" + "".join(f"{k:>10s}" for k in KINDS))
    for w, h in hist.items():
        print(f"  {w:20s}" + "".join(f"{v:10.3f}" for v in S.interval_shares(h["interval"]).values()))
    ceiling = {k: round(S.overlap(hist["learnt"][k], hist["other"][k]), 3) for k in S.HISTOGRAMS}
    print(f"overlap of the learnt files with the other files (a perfect copy's score there): {ceiling}")

    stem = "continue_transformer"
    base = engines.load(stem, "cpu")
    models = {"base": base, "learned": engines.load_styled(engines.stem_path(stem), "cpu", style)}
    print("\nteacher-forced: predicted / actual share of each kind of step at an onset")
    print(f"{'':34s}" + "".join(f"{k:>14s}" for k in KINDS))
    for w, segs in sets.items():
        for label, loaded in models.items():  # each reads the files in its own onset order
            sums = teacher_forced(loaded.model.eval(), loaded.tokenizer, segs, style.base_style)
            for where, s in sums.items():
                n = max(1, s["n"][0])
                cells = "".join(
                    f"{p / n:7.3f}/{a / n:.3f}" for p, a in zip(s["predicted"], s["actual"], strict=True)
                )
                print(f"  {w:6s} {label:8s} {where:6s} n={s['n'][0]:<6d}  {cells}")


if __name__ == "__main__":
    main()
