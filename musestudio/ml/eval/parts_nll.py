"""NLL of each role given the other parts vs given none, beside the single-stream transformer's (split
from ``eval.parts``): the other parts must help, and the gap is reported per style."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import torch

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint, engines
from musestudio.ml.data.parts_windows import targets
from musestudio.ml.generate.parts import load
from musestudio.ml.tokenizer import CONDITIONING, IGNORE_INDEX

TPB = 480


# -- NLL -----------------------------------------------------------------------------------------------


def _nll_sum(model, seq: list[int], scored: Sequence[bool]) -> float:
    x = torch.tensor([seq])
    with torch.inference_mode():
        logits, _, _ = model(x)
    logp = torch.log_softmax(logits[0, :-1].float(), -1)
    tgt = torch.tensor(seq[1:])
    nll = -logp.gather(1, tgt[:, None])[:, 0]
    mask = torch.tensor(list(scored[1:]))
    return float(nll[mask].sum())


def role_nll(stem: Path | None, items, per_style: int, bars: int = 8, seed: int = 0) -> dict:
    """Per style and role: nats per note given the other parts, given none, and the transformer's."""
    loaded = load(stem, torch.device("cpu"))
    g, model = loaded.tokenizer, loaded.model
    model.eval()
    single = _transformer()
    rng = random.Random(seed)
    out: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0, 0]))
    by_style = defaultdict(list)
    for it in items:
        by_style[it.piece.style].append(it)
    for style, its in sorted(by_style.items()):
        rng.shuffle(its)
        for it in its[:per_style]:
            if it.n_bars < bars or len(it.parts) < 2:
                continue
            a = rng.randint(0, it.n_bars - bars)
            lo, hi = it.lines[a], it.lines[a + bars]
            for k, part in enumerate(it.parts):
                notes = [n for n in part.notes if lo <= n.start < hi]
                if not notes:
                    continue
                kw = dict(
                    tpb=it.piece.tpb,
                    time_signatures=it.piece.time_signatures,
                    start=lo,
                    end=hi,
                    key=it.piece.key_signature,
                    style=style,
                )
                with_others = g.encode(it.parts, masked=[(k, b) for b in range(bars)], **kw)
                alone = g.encode([part], masked=[(0, b) for b in range(bars)], **kw)
                if max(len(with_others), len(alone)) > model.config.block_size:
                    continue
                row = out[style][part.role]
                row[0] += _nll_sum(model, with_others, _fill_scored(g, with_others))
                row[1] += _nll_sum(model, alone, _fill_scored(g, alone))
                if single is not None:
                    row[2] += _single_nll(single, notes, it.piece, lo, hi)
                row[3] += len(notes)
    report = {}
    for style, roles in out.items():
        report[style] = {
            role: {
                "notes": int(n),
                "given_others": s_o / n,
                "given_none": s_n / n,
                "gap": (s_n - s_o) / n,
                "transformer": s_t / n if single is not None else None,
            }
            for role, (s_o, s_n, s_t, n) in roles.items()
            if n
        }
    return report


def _fill_scored(g, seq: list[int]) -> list[bool]:
    """Score the fill section's note tokens and cell ends (what the model writes), nothing else."""
    tg = targets(g, seq)
    start = seq.index(g.fill_id)
    scored = [False] * len(seq)
    for j in range(start + 1, len(seq)):
        scored[j] = tg[j - 1] != IGNORE_INDEX and seq[j] != g.eos_id
    return scored


def _transformer():
    """The single-stream transformer and its tokenizer, through the registry's cache; None when missing."""
    try:
        loaded = engines.load_engine(engines.CONTINUE, "transformer", "cpu")
    except checkpoint.CheckpointError:
        return None
    return loaded.model, loaded.tokenizer


def _single_nll(single, notes, piece, lo, hi) -> float:
    model, tok = single
    shifted = [Note(n.pitch, n.start - lo, n.duration, n.velocity) for n in notes]
    sigs = [TimeSignature(0, piece.time_signatures[0].numerator, piece.time_signatures[0].denominator)]
    seq = tok.encode(shifted, tpb=piece.tpb, time_signatures=sigs, key=piece.key_signature, style=piece.style)
    seq = seq[: model.config.block_size]
    return _nll_sum(model, seq, [j >= CONDITIONING for j in range(len(seq))])
