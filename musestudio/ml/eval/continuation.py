"""``evaluate continue``: the three Continue engines side by side on one data split.

1. Likelihood. Each test window is a 4-bar seed and the 4 bars that follow. Every engine scores the same
   continuation bars given the same seed: the transformer and the n-gram as one stream (seed, then
   continuation), the seq2seq as encoder input and decoder target. Their token streams differ by a token or
   two (the seq2seq target restates the meter and the first velocity), so besides nats per token we report
   nats per note (a continuation's total NLL over its notes), which compares engines whatever their tokens.
   The end-of-piece token is not scored. Figures are per style; the headline is the mean over styles.
2. Samples. From test seeds, each engine writes a 4-bar continuation (temperature 1, top-p 0.95, no key
   lock); the notes are compared with the real continuations through mgeval-style features (Yang & Lerch
   2018): pitch-class histogram, pitch range per take, inter-onset intervals and note lengths in beats. Each
   feature is pooled over the set and compared as histogram overlap (the intersection area, 1 = the same
   distribution). The in-key share is the fraction of notes in the piece's annotated key, for the real
   continuations and for each engine.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.ml.engines import STREAM_ENGINES
from musestudio.ml.generate import continuation as generate
from musestudio.ml.generate.request import Options
from musestudio.ml.train import nll

SEED_BARS = CONT_BARS = 4
IOI_BINS = np.array([0, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4, 1, 1.5, 2, 3, 4, 1e9])  # beats
LENGTH_BINS = IOI_BINS
RANGE_BINS = np.array([0, 3, 5, 7, 10, 12, 15, 19, 24, 36, 128])


# --- likelihood -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Window:
    """One scored window. ``streams[k]`` is the LM stream whose seed starts k bars late, conditioning restated
    (the way the app's ``continuation._seed_tokens`` drops seed bars that do not fit a model's context), with the
    index where the continuation starts; ``streams[0]`` holds the whole seed."""

    style: str
    streams: list[tuple[list[int], int]]
    src: list[int]
    tgt: list[int]
    style_index: int
    notes: int


def _windows(pieces, tok, per_style: int) -> list[_Window]:
    from musestudio.ml.data.windows import Examples, index_pieces

    ex = Examples(tok, max_len=10**6)
    per: dict[str, list] = defaultdict(list)
    for ix in index_pieces(pieces):
        for a in range(0, ix.n_bars - SEED_BARS - CONT_BARS + 1, SEED_BARS + CONT_BARS):
            m, b = a + SEED_BARS, a + SEED_BARS + CONT_BARS
            notes = len(ix.notes_in(m, b))
            if notes == 0:
                continue
            streams = []
            for late in range(a, m):
                stream = ex.conditioning(ix, late) + ex.body(ix, late, b)
                bar_starts = [i for i, t in enumerate(stream) if t == tok.bar_id]
                streams.append((stream, bar_starts[m - late]))
            src = ex.conditioning(ix, a) + ex.body(ix, a, m)
            style = ix.piece.style
            per[style].append(_Window(style, streams, src, ex.body(ix, m, b), tok.styles.index(style), notes))
    out = []
    for _style, rows in sorted(per.items()):
        step = max(1.0, len(rows) / per_style)
        out.extend(rows[int(i * step)] for i in range(min(per_style, len(rows))))
    return out


def _lm_rows(rows: Sequence[_Window], block_size: int) -> list[tuple[list[int], int]]:
    """A window longer than the context keeps the latest seed bars that fit (1 at least), conditioning first;
    only when even that is too long is the stream cut at the front."""
    room = block_size + 1
    out = []
    for row in rows:
        stream, cut = next((s for s in row.streams if len(s[0]) <= room), row.streams[-1])
        out.append((stream[-room:], cut - max(0, len(stream) - room)))
    return out


def _scores(engine: str, model, rows: Sequence[_Window], tok, device) -> list[tuple[float, int]]:
    if engine == "transformer":
        return nll.lm_nll(model, _lm_rows(rows, model.config.block_size), tok.pad_id, device)
    if engine == "seq2seq":
        pairs = [(row.src, row.tgt, row.style_index) for row in rows]
        return nll.pairs_nll(model, pairs, tok.pad_id, tok.bos_id, device)
    return nll.markov_nll(model, [row.streams[0] for row in rows])


def likelihood(engines: Sequence[str], pieces, per_style: int, device: torch.device) -> dict:
    """{engine: {"nats_per_token", "nats_per_note", "per_style": {style: {...}}}}."""
    loaded = {e: generate.load_engine(e, device) for e in engines}
    tok = next(iter(loaded.values())).tokenizer
    rows = _windows(pieces, tok, per_style)
    result = {}
    for engine, lo in loaded.items():
        scores = _scores(engine, lo.model, rows, tok, device)
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0])
        for row, (nats, n) in zip(rows, scores, strict=True):
            s = sums[row.style]
            s[0] += nats
            s[1] += n
            s[2] += row.notes
        per = {
            st: {"nats_per_token": v[0] / v[1], "nats_per_note": v[0] / v[2], "windows": 0}
            for st, v in sums.items()
        }
        for row in rows:
            per[row.style]["windows"] += 1
        result[engine] = {
            "nats_per_token": float(np.mean([p["nats_per_token"] for p in per.values()])),
            "nats_per_note": float(np.mean([p["nats_per_note"] for p in per.values()])),
            "per_style": dict(sorted(per.items())),
        }
    return result


# --- sample statistics ------------------------------------------------------------------------------------
def _features(takes: Sequence[tuple[Sequence[Note], int]]) -> dict[str, np.ndarray]:
    """Pooled histograms of a set of (notes, ticks per beat) takes."""
    pcs, ranges, iois, lengths = np.zeros(12), [], [], []
    for notes, tpb in takes:
        if not notes:
            continue
        for n in notes:
            pcs[n.pitch % 12] += 1
            lengths.append(n.duration / tpb)
        ranges.append(max(n.pitch for n in notes) - min(n.pitch for n in notes))
        onsets = sorted({n.start for n in notes})
        iois.extend((b - a) / tpb for a, b in zip(onsets, onsets[1:], strict=False))

    def hist(values, bins):
        h = np.histogram(values, bins=bins)[0].astype(float)
        return h / h.sum() if h.sum() else h

    return {
        "pitch_class": pcs / pcs.sum() if pcs.sum() else pcs,
        "pitch_range": hist(ranges, RANGE_BINS),
        "ioi": hist(iois, IOI_BINS),
        "note_length": hist(lengths, LENGTH_BINS),
    }


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.minimum(a, b).sum())


def _in_key(takes: Sequence[tuple[Sequence[Note], KeySignature | None]]) -> float:
    hits = total = 0
    for notes, key in takes:
        if key is None:
            continue
        hits += sum(key.contains(n.pitch) for n in notes)
        total += len(notes)
    return hits / total if total else math.nan


def sample_statistics(
    engines: Sequence[str], pieces, per_style: int, device: torch.device, seed: int = 0
) -> dict:
    """Continuations of test seeds by each engine against the real continuations of the same seeds."""
    from musestudio.ml.data.windows import index_pieces

    chosen: dict[str, list] = defaultdict(list)
    for ix in index_pieces(pieces):
        if ix.n_bars >= SEED_BARS + CONT_BARS and len(chosen[ix.piece.style]) < per_style:
            chosen[ix.piece.style].append(ix)
    real, real_keys = [], []
    made: dict[str, list] = {e: [] for e in engines}
    made_keys: dict[str, list] = {e: [] for e in engines}
    for style, ixs in sorted(chosen.items()):
        for i, ix in enumerate(ixs):
            p = ix.piece
            seed_notes = list(ix.notes_in(0, SEED_BARS))
            cont = [n for n in ix.notes_in(SEED_BARS, SEED_BARS + CONT_BARS)]
            real.append((cont, p.tpb))
            real_keys.append((cont, p.key_signature))
            for engine in engines:
                options = Options(
                    style=style, variations=1, key=p.key_signature, seed=seed + i, device=str(device)
                )
                g = generate.continue_phrase(
                    seed_notes,
                    options,
                    tpb=p.tpb,
                    time_signatures=p.time_signatures,
                    bars=CONT_BARS,
                    engine=engine,
                )
                # a short seed may end before bar 4; the take starts at the next bar line all the same
                notes = list(g.takes[0].notes)
                made[engine].append((notes, p.tpb))
                made_keys[engine].append((notes, p.key_signature))
    ref = _features(real)
    out = {"takes_per_engine": len(real), "real": {"in_key": _in_key(real_keys)}}
    for engine in engines:
        feats = _features(made[engine])
        out[engine] = {name: overlap(feats[name], ref[name]) for name in ref}
        out[engine]["in_key"] = _in_key(made_keys[engine])
        out[engine]["notes_per_take"] = float(np.mean([len(n) for n, _ in made[engine]]))
    out["real"]["notes_per_take"] = float(np.mean([len(n) for n, _ in real]))
    return out


def evaluate_continue(
    split: str = "test",
    per_style: int = 200,
    samples_per_style: int = 8,
    device: str = "auto",
    engines: Sequence[str] = STREAM_ENGINES,
) -> dict:
    from musestudio.ml.data.cache import load_cache
    from musestudio.ml.sampling import pick_device

    dev = pick_device(device)
    pieces = load_cache(split=split)
    if not pieces:
        from musestudio.core.errors import BadInputError

        raise BadInputError(
            f"no {split} pieces in the data cache; build it with 'python -m musestudio.ml.data build'"
        )
    return {
        "split": split,
        "pieces": len(pieces),
        "likelihood": likelihood(engines, pieces, per_style, dev),
        "samples": sample_statistics(engines, pieces, samples_per_style, dev),
    }
