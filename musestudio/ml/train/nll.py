"""The likelihood of held-out tokens for each Continue family: one scorer for validation and for evaluation.

Training's best-on-valid choice and ``evaluate continue`` measure the same thing (nats per scored token, the
tokens before a row's ``cut`` being context only), so they share these functions rather than each keeping
its own copy. Every function returns ``(summed NLL, scored tokens)`` per row, in the rows' order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import torch
import torch.nn.functional as F

from musestudio.ml.data.windows import pad_batch, pad_pairs
from musestudio.ml.tokenizer import CONDITIONING, IGNORE_INDEX, Tokenizer

Score = tuple[float, int]


def _by_length(n: int, length, batch: int) -> Iterable[list[int]]:
    order = sorted(range(n), key=length)  # rows of a batch alike in length: little padding
    for i in range(0, n, batch):
        yield order[i : i + batch]


@torch.no_grad()
def lm_nll(
    model, rows: Sequence[tuple[Sequence[int], int]], pad_id: int, device, batch: int = 16
) -> list[Score]:
    """A causal LM's NLL of each stream's tokens from index ``cut`` on (rows are ``(stream, cut)``)."""
    was = model.training
    model.eval()
    out: list[Score] = [(0.0, 0)] * len(rows)
    for idx in _by_length(len(rows), lambda i: len(rows[i][0]), batch):
        x, y = pad_batch([rows[j][0] for j in idx], pad_id)
        for r, j in enumerate(idx):
            y[r, : max(rows[j][1] - 1, 0)] = IGNORE_INDEX  # y[k] is token k + 1
        x, y = x.to(device), y.to(device)
        nll = F.cross_entropy(
            model(x)[0].transpose(1, 2).float(), y, ignore_index=IGNORE_INDEX, reduction="none"
        )
        for r, j in enumerate(idx):
            out[j] = (float(nll[r].sum()), int((y[r] != IGNORE_INDEX).sum()))
    model.train(was)
    return out


@torch.no_grad()
def pairs_nll(
    model,
    rows: Sequence[tuple[Sequence[int], Sequence[int], int]],
    pad_id: int,
    bos_id: int,
    device,
    batch: int = 16,
) -> list[Score]:
    """The seq2seq's NLL of each target given its source (rows are ``(src, tgt, style index)``)."""
    was = model.training
    model.eval()
    out: list[Score] = [(0.0, 0)] * len(rows)
    for idx in _by_length(len(rows), lambda i: len(rows[i][0]) + len(rows[i][1]), batch):
        src, tgt_in, style, tgt_out = pad_pairs([rows[j] for j in idx], pad_id, bos_id)
        logits, _ = model(src.to(device), tgt_in.to(device), style.to(device))
        tgt_out = tgt_out.to(device)
        nll = F.cross_entropy(
            logits.transpose(1, 2).float(), tgt_out, ignore_index=IGNORE_INDEX, reduction="none"
        )
        for r, j in enumerate(idx):
            out[j] = (float(nll[r].sum()), int((tgt_out[r] != IGNORE_INDEX).sum()))
    model.train(was)
    return out


def markov_nll(model, rows: Sequence[tuple[Sequence[int], int]]) -> list[Score]:
    """The n-gram's NLL of each stream from ``cut`` on: the whole stream's NLL less its head's."""
    out = []
    for stream, cut in rows:
        total, n = model.nll([stream])
        head, n_head = model.nll([stream[:cut]])
        out.append((total - head, n - n_head))
    return out


def per_style(styles: Sequence[str], scores: Sequence[Score]) -> dict:
    """Nats per token for each style and overall; the headline ``nll`` is the mean over styles, so a large
    style does not hide a poor small one."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for style, (nll, n) in zip(styles, scores, strict=True):
        sums[style][0] += nll
        sums[style][1] += n
    by_style = {s: v[0] / max(1, v[1]) for s, v in sorted(sums.items())}
    total = sum(v[0] for v in sums.values())
    count = sum(v[1] for v in sums.values())
    return {
        "nll": sum(by_style.values()) / max(1, len(by_style)),
        "nll_tokens": total / max(1, count),
        "per_style": by_style,
        "tokens": count,
    }


def evaluate_lm(model, windows: Sequence[tuple[str, list[int]]], tok: Tokenizer, device) -> dict:
    """The transformer's NLL per body token (the conditioning is given), overall and per style."""
    scores = lm_nll(model, [(seq, CONDITIONING) for _, seq in windows], tok.pad_id, device)
    return per_style([style for style, _ in windows], scores)


def evaluate_pairs(model, pairs, tok: Tokenizer, device) -> dict:
    """The seq2seq's NLL per continuation token given the seed, overall and per style."""
    scores = pairs_nll(model, [(src, tgt, s) for _, src, tgt, s in pairs], tok.pad_id, tok.bos_id, device)
    return per_style([p[0] for p in pairs], scores)


def evaluate_markov(model, windows: Sequence[tuple[str, list[int]]]) -> dict:
    """The n-gram's NLL per body token."""
    scores = markov_nll(model, [(seq, CONDITIONING) for _, seq in windows])
    return per_style([style for style, _ in windows], scores)
