"""The parts engine's key prior: the calibration step, and a learned style's own prior (issue 16).

The parts engine adds 12 biases per style and mode to the logits of every pitch, by its scale degree in the
key the engine was given (``parts_develop.degree_row``): the base model, trained on every key at once, is
flatter than a style's music, and the base styles' biases (``models/parts.json`` ``inference.degrees``) were
chosen so that their takes write each degree as often as the style's files do (``eval.parts_key
calibrate``, whose step, ``update``, lives here so that ``learn`` can use it too). A learned style was drawn
with its base style's biases, which fit the base style's music and not the user's: a classical set learnt
from Pop lost the chromatic notes its pieces have.

``calibrate`` chooses a learned style's own biases the way the base styles' were chosen, on the user's own
files: windows of them (4 bars of seed, the 4 real bars after) are continued with the style, and rounds of
``update`` move the biases until the takes write each degree (in the key the engine was given) as often as
the real bars do; same bounds and shrinkage as the base styles' (a degree outside the key is never made
likelier than the network makes it; a mode with under ``PRIOR_MIN_NOTES`` notes of real bars gets none).
Measured against choosing them teacher-forced on the held-out bars (the tuned model's own degree mass at
the engine's temperature, one forward pass): on other pieces of the piano set the takes' degree distance
to the real bars came out 0.065 against 0.074 (the base style's prior: 0.132), and the hornpipes' held-out
bars had too few notes for a teacher-forced prior at all (models/README.md, "Learned styles"). Two rounds of
2 takes on up to 48 windows take some 10-30 s on one core, which ``learn`` reserves from its budget; a
style whose layers stopped early has more of the budget left, and takes up to ``MAX_ROUNDS`` rounds in it.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note

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


SEED_BARS = 4
NEW_BARS = 4
BARS_PER_WINDOW = 12  # a window each this many bars of a file (at least MIN_PER_FILE, room allowing)...
MIN_PER_FILE = 3
MAX_WINDOWS = 48  # ...and no more in all, spread evenly over the files (the time: ~0.3 s a window a round)
TAKES = 2  # a window's takes each round
ROUNDS = 2  # rounds of takes (each followed by one update) in the time kept for the prior...
#: ...and more, up to this many, while the budget has room for another (a style whose layers stopped
#: improving early has minutes left), each moving the biases less (``PRIOR_LR`` x ROUNDS / round): a
#: round's takes are few, and at the full rate the later rounds wandered about the files' shares. Measured
#: by 4 fresh takes on the windows, summed over the modes (two rounds -> six at the full rate -> six
#: slowing): Monteverdi 0.131 -> 0.114 -> 0.115, piano 0.133 -> 0.133 -> 0.107, hornpipes 0.038 -> 0.023
#: -> 0.025 (models/README.md, "Learned styles")
MAX_ROUNDS = 6
ZERO = {"major": [0.0] * 12, "minor": [0.0] * 12}
STYLE = "learned"  # the table's one style (``update`` works on {style: {mode: biases}})


def key_counts(lines: Iterable[Iterable[Note]], key: KeySignature | None) -> Counter:
    """Notes in and out of ``key``'s scale, and (with a key) per scale degree, semitones above the tonic:
    where a pitch-class figure comes from (notes outside the key, or another weight among its degrees) in a
    musician's words. One count for every measure of degrees (``eval.style``, ``eval.parts_key``, here)."""
    out: Counter = Counter()
    for line in lines:
        for n in line:
            out["in" if key is None or key.contains(n.pitch) else "out"] += 1
            if key is not None:  # the scale degree, semitones above the tonic: which notes are heard most
                out[(n.pitch - key.tonic) % 12] += 1
    return out


def key_shares(c: Counter) -> tuple[float, list[float]]:
    """A ``key_counts`` counter as shares: of the notes in the key, and of each of the 12 degrees among the
    notes whose degree was counted (none without a key)."""
    heard = sum(c[d] for d in range(12))
    return round(c["in"] / max(1, c["in"] + c["out"]), 4), [round(c[d] / max(1, heard), 4) for d in range(12)]


@dataclass(frozen=True)
class Window:
    """SEED_BARS bars of one of the user's files to continue, and the real NEW_BARS bars after them."""

    parts: tuple  # generate.parts.PartIn per track with seed notes (roles guessed as the app guesses them)
    tpb: int
    time_signatures: tuple
    real: tuple[Note, ...]
    key: KeySignature  # detect_key of the seed: the key the engine is given, which the prior is read in


def windows(segments: Sequence, most: int = MAX_WINDOWS) -> list[Window]:
    """Windows of each file (``data.learn.Segment``), spread from its first bar with notes to its end, one
    each ``BARS_PER_WINDOW`` bars (at least ``MIN_PER_FILE``), at most ``most`` in all (every k-th). The
    user's music changes along a piece, and the prior follows the windows' real bars: chosen on 24-26
    windows of the piano pieces, two sets of windows gave biases up to 0.4 nats apart, so the windows
    cover the files rather than three places of each.

    Of more than ``CUT_AT_MOST`` x ``most`` places (a file of thousands of bars) only that many, evenly
    spread, are cut: when each cut read the whole file, cutting all of them took over two minutes of a
    one-minute learning on a long file, to keep 48."""
    from musestudio.ml.data.learn import cut

    span = SEED_BARS + NEW_BARS
    places = []
    for seg in segments:
        first = next((a for a in range(seg.bars) if cut(seg, a, a + 1).tracks), None)
        if first is None or seg.bars - first < span:
            continue
        room = seg.bars - first - span
        count = max(MIN_PER_FILE, seg.bars // BARS_PER_WINDOW)
        places += [(seg, a) for a in sorted({first + room * j // max(1, count - 1) for j in range(count)})]
    out = [w for seg, a in every_kth(places, CUT_AT_MOST * most) if (w := _window(seg, a)) is not None]
    return every_kth(out, most)


#: of the places a window could start, at most this many times the windows wanted are cut (some have no seed
#: notes or no key, and are passed over)
CUT_AT_MOST = 2


def every_kth(items: list, most: int) -> list:
    """``items`` when there are at most ``most``, else ``most`` of them evenly spread (every k-th)."""
    step = len(items) / most
    return items if len(items) <= most else [items[int(i * step)] for i in range(most)]


def _window(seg, a: int) -> Window | None:
    """The window of ``seg`` from bar ``a`` on, or None when its seed has no notes or no key."""
    from musestudio.ml.data.learn import cut
    from musestudio.ml.generate.parts import PartIn
    from musestudio.ml.generate.parts_roles import guess_roles

    seed = cut(seg, a, a + SEED_BARS)
    key = detect_key(n for t in seed.tracks for n in t.notes)
    if not seed.tracks or key is None:
        return None
    roles = guess_roles(seed.tracks)
    ins = tuple(PartIn(t.notes, r, t.program) for t, r in zip(seed.tracks, roles, strict=True))
    real = tuple(n for t in cut(seg, a + SEED_BARS, a + SEED_BARS + NEW_BARS).tracks for n in t.notes)
    return Window(ins, seg.tpb, tuple(seed.time_signatures), real, key)


def spread(items: Sequence) -> list:
    """``items`` in an order whose every beginning is spread evenly over all of them (the bit-reversed
    index: 0, 1/2, 1/4, 3/4, ... of the way), so that windows cut short by the clock cover every file."""
    width = max(1, (len(items) - 1).bit_length())
    return [items[i] for i in sorted(range(len(items)), key=lambda i: int(f"{i:0{width}b}"[::-1], 2))]


def takes_round(
    name: str,
    ws: Sequence[Window],
    seed: int,
    device: str,
    cancel=None,
    until: float | None = None,
    clock=None,
) -> tuple[dict, int]:
    """Continue the windows in turn with the (learned) style ``name``, as its JSON is now, until ``clock()``
    reaches ``until`` (checked before each window; None: all of them); (per mode [the takes' degree counts,
    the real bars'], in the engine's key: the two counters ``update`` compares; the windows continued)."""
    from musestudio.ml.engines import PARTS, default_temperature, default_top_p
    from musestudio.ml.generate.parts import Options, continue_parts

    per_mode: dict = {}
    done = 0
    # the takes drawn as the app draws them in the style: the prior is fitted to those
    drawn = {"temperature": default_temperature(PARTS, name), "top_p": default_top_p(PARTS, name)}
    for i, w in enumerate(ws):
        if until is not None and clock() >= until:
            break
        options = Options(style=name, variations=TAKES, seed=seed + i, device=device, cancel=cancel, **drawn)
        res = continue_parts(
            w.parts, tpb=w.tpb, time_signatures=w.time_signatures, bars=NEW_BARS, options=options
        )
        takes, files = per_mode.setdefault((STYLE, w.key.mode), [Counter(), Counter()])
        takes.update(key_counts(([n for p in t.parts for n in p] for t in res.takes), w.key))
        files.update(key_counts([w.real], w.key))
        done += 1
    return per_mode, done


def calibrate(
    name: str,
    ws: Sequence[Window],
    write: Callable[[dict], None],
    rounds: int = ROUNDS,
    seed: int = 5,
    device: str = "auto",
    cancel=None,
    until: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    on_round: Callable[[int, float], None] | None = None,
) -> dict:
    """The learned style ``name``'s own biases, {mode: 12}: ``rounds`` of takes (``write`` stores the biases
    so far in the style's JSON before each, starting from none), each followed by an ``update``, then (with
    ``until``) more rounds, up to ``MAX_ROUNDS`` in all, while another as long as the last still fits before
    it, each updating at ``rounds / round`` of the full rate.
    Only the modes with enough notes of real bars are in ``degrees`` (``learned.styled_meta`` draws the
    others as a style learnt before the prior existed). Returns ``{"degrees": ..., "notes": {mode: real
    notes}, "distance": {mode: [each round's degree distance]}, "in_key": {mode: [the real bars', then each
    round's takes']}, "windows": the windows continued}``. ``on_round(r, seconds)`` is told before round
    ``r`` (from 0) the seconds a round is expected to take (the first's: none yet, 0).

    With ``until`` (a time of ``clock``) the whole stays within it, whatever the machine's speed: each of
    the first ``rounds`` has an equal share of the time left and stops before a window once its share is
    spent (one window a few seconds over at most); the rounds after the first continue only the windows it
    reached, so each compares its takes with the same real bars. The windows are taken in ``spread``
    order, so the ones reached in time still come from all over the files."""
    ws = spread(ws)
    table: dict = {}
    base: dict = {}
    info: dict = {"notes": {}, "distance": {}, "in_key": {}}
    r, last = 0, 0.0
    while r < rounds or (r < MAX_ROUNDS and until is not None and clock() + last <= until):
        if on_round is not None:
            on_round(r, last)
        write({**ZERO, **table.get(STYLE, {})})  # a mode not (yet) calibrated: drawn with no prior
        began = clock()
        end = None if until is None else began + (until - began) / max(1, rounds - r)
        per_mode, done = takes_round(name, ws, seed, device, cancel, end, clock)
        ws = ws[:done] if r == 0 else ws
        for (_, mode), (takes, files) in sorted(per_mode.items()):
            (ti, td), (fi, fd) = key_shares(takes), key_shares(files)
            info["notes"][mode] = sum(files[d] for d in range(12))
            info["distance"].setdefault(mode, []).append(distance(td, fd))
            info["in_key"].setdefault(mode, [fi]).append(ti)
        table = update(table, per_mode, base, PRIOR_LR * min(1.0, rounds / (r + 1)))
        r, last = r + 1, clock() - began
    return {"degrees": table.get(STYLE, {}), **info, "windows": len(ws)}
