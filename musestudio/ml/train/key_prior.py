"""The parts engine's key prior: the calibration step, and a learned style's own prior (issue 16).

The parts engine adds 12 biases per style and mode to the logits of every pitch, by its scale degree in the
key the engine was given (``parts_develop.degree_row``): the base model, trained on every key at once, is
flatter than a style's music, and the base styles' biases (``models/parts.json`` ``inference.degrees``) were
chosen so that their takes write each degree as often as the style's files do (``eval.parts_key
calibrate``). A learned style was drawn with its base style's biases, which fit the base style's music and
not the user's: a classical set learnt from Pop lost the chromatic notes its pieces have.

``update`` is that calibration's step (``eval.parts_key`` runs it on takes; it lives here so that ``learn``
can use it too). For a learned style the biases are chosen for the tuned model on the user's own held-out bars, teacher-forced: at every
pitch the files write, the probability the tuned model gives each degree at the engine's temperature and
top-p (relative to the key token it reads), against the degrees written. Rounds of ``update``
(the same step, bounds and shrinkage as the base styles' calibration: a degree outside the key is never
made likelier than the network makes it, a mode with under ``PRIOR_MIN_NOTES`` notes of files gets none)
move the biases until the model's degree mass matches the files'. The logits are computed once (one
forward pass over the held-out bars, as a held-out check costs), so the rounds take no sampling: a second
or two, not the minutes a calibration by takes would take out of the training budget.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import torch

from musestudio.core.keys import KeySignature

PRIOR_LR = 0.8  # of the log ratio files / takes added a round (the bias is divided by the temperature)
# nats: a degree outside the key may be made much rarer, never likelier (the files' chromatic notes come
# with their context, a modulation or a secondary dominant, which the network follows from the seed; a bias
# for them everywhere put flat sevenths into plain major tunes: 82% in key on the bundled seeds in the
# Bach style); a degree of the key moves both ways, a little
PRIOR_CLIP_OUT = (-4.0, 0.0)
PRIOR_CLIP_IN = (-1.5, 1.0)
PRIOR_SHRINK = 300  # notes: a (style, mode) with n notes of files moves n / (n + this) of the way
PRIOR_MIN_NOTES = 300  # fewer notes of files in a (style, mode): no prior (Celtic minor: 97 notes, mostly
# modal tunes read as minor, whose files write few minor thirds: a bias against the minor third)
EPS = 0.01  # added to both shares: a rare degree (1% of notes, a few dozen) moves little on its noise


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Total variation distance between two degree-share vectors (0: the same, 1: disjoint)."""
    return round(0.5 * sum(abs(x - y) for x, y in zip(a, b, strict=True)), 4)


def update(table: dict, per_mode: dict, base: dict, lr: float = PRIOR_LR) -> dict:
    """One calibration round: each (style, mode)'s 12 biases move by ``lr`` x the log ratio of the files'
    degree share to the takes' (shrunk toward 0 for a mode with few notes, none for one with fewer than
    ``PRIOR_MIN_NOTES``), clipped (a degree outside the
    key never gains), then shifted so that
    the takes' first-round degree shares ``base`` keep their total weight (the prior moves notes between
    degrees, not notes against rests and chord sizes)."""
    out = {s: {m: list(v) for m, v in per.items()} for s, per in table.items()}
    for (style, mode), (takes, files) in sorted(per_mode.items()):
        n_f, n_t = sum(files[d] for d in range(12)), sum(takes[d] for d in range(12))
        if n_f < PRIOR_MIN_NOTES or not n_t:
            continue
        q = base.setdefault((style, mode), [takes[d] / n_t for d in range(12)])
        b = out.setdefault(style, {}).setdefault(mode, [0.0] * 12)
        shrink = n_f / (n_f + PRIOR_SHRINK)
        scale = KeySignature(0, mode).scale
        for d in range(12):
            step = lr * shrink * math.log((files[d] / n_f + EPS) / (takes[d] / n_t + EPS))
            lo, hi = PRIOR_CLIP_IN if d in scale else PRIOR_CLIP_OUT
            b[d] = min(hi, max(lo, b[d] + step))
        norm = math.log(sum(qd * math.exp(bd) for qd, bd in zip(q, b, strict=True)) or 1.0)
        out[style][mode] = [
            round(min(x - norm, PRIOR_CLIP_OUT[1]) if d not in scale else x - norm, 3)
            for d, x in enumerate(b)
        ]
    return out


ROUNDS = 3
STYLE = "learned"  # the table's one style (parts_key.update works on {style: {mode: biases}})


def pitch_rows(model, g, windows: Iterable[tuple[Sequence[int], KeySignature | None]], device) -> list:
    """Per window with a key: (the logits of the 128 pitches at every position that writes a pitch, the
    degree written there (0..11 above the tonic), the 128 pitches' degrees, the key's mode)."""
    out = []
    model.eval()
    with torch.no_grad():
        for seq, key in windows:
            if key is None:
                continue
            x = torch.tensor([list(seq)], device=device)
            logits = model(x)[0][0, :-1, g.pitch0 : g.pitch0 + 128].float().cpu()
            nxt = torch.tensor(list(seq[1:]))
            at = ((nxt >= g.pitch0) & (nxt < g.pitch0 + 128)).nonzero().flatten()
            if not len(at):
                continue
            written = (nxt[at] - g.pitch0 - key.tonic) % 12
            degrees = (torch.arange(128) - key.tonic) % 12
            out.append((logits[at], written, degrees, key.mode))
    return out


def degree_mass(rows: list, table: dict, temperature: float, top_p: float) -> dict:
    """Per mode, [the model's probability mass on each degree summed over positions (with ``table``'s
    biases added to the logits, then the temperature and the nucleus the sampler draws with), the degrees
    written]: the two counters ``parts_key.update`` compares."""
    per_mode: dict = {}
    for logits, written, degrees, mode in rows:
        bias = torch.tensor((table.get(STYLE) or {}).get(mode) or [0.0] * 12)[degrees]
        probs = torch.softmax((logits + bias) / temperature, -1)
        if top_p < 1.0:  # the nucleus: the likeliest pitches whose mass reaches top_p, renormalised
            p, order = probs.sort(-1, descending=True)
            keep = (p.cumsum(-1) - p) < top_p
            probs = torch.zeros_like(probs).scatter_(-1, order, p * keep)
            probs = probs / probs.sum(-1, keepdim=True)
        mass = torch.zeros(12).index_add_(0, degrees, probs.sum(0))
        takes, files = per_mode.setdefault((STYLE, mode), [Counter(), Counter()])
        takes.update({d: float(mass[d]) for d in range(12)})
        files.update(Counter(int(d) for d in written))
    return per_mode


def choose(rows: list, temperature: float = 0.9, top_p: float = 0.95, rounds: int = ROUNDS) -> dict:
    """{mode: 12 biases} for the modes the held-out bars hold enough notes of (none: {}), plus per mode the
    notes counted and the model's degree distance to the files before and after
    (``{"degrees": ..., "notes": ..., "distance_before": ..., "distance_after": ...}``)."""
    table: dict = {}
    base: dict = {}
    first = degree_mass(rows, table, temperature, top_p)
    for _ in range(rounds):
        table = update(table, degree_mass(rows, table, temperature, top_p), base)
    last = degree_mass(rows, table, temperature, top_p)
    chosen = table.get(STYLE, {})
    info: dict = {"degrees": chosen, "notes": {}, "distance_before": {}, "distance_after": {}}
    for (_, mode), (mass, files) in sorted(first.items()):
        info["notes"][mode] = sum(files.values())
        info["distance_before"][mode] = _distance(mass, files)
        info["distance_after"][mode] = _distance(last[(STYLE, mode)][0], files)
    return info


def _distance(mass: Counter, files: Counter) -> float:
    m, f = sum(mass.values()) or 1.0, sum(files.values()) or 1
    return distance([mass[d] / m for d in range(12)], [files[d] / f for d in range(12)])
