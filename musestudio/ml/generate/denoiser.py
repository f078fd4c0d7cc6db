"""The ``seq2seq`` Restyle engine: a denoising autoencoder over event tokens, steered by the style token.

There is no parallel data (nobody wrote each folk tune again as a chorale), so the model learns the reverse
of a corruption instead: it reads a phrase with its style-bearing detail removed and writes the phrase back
in its own style. At run time the same sketch is written out under another style's token. The corruption,
in increasing levels (``strength`` picks the level at run time; training draws them all):

1. the melody only (the top line), velocities flattened: texture and dynamics are the target's to choose;
2. plus ornaments dropped (notes shorter than a sixteenth) and rhythm simplified (onsets on eighths,
   each note held to the next);
3. plus every pitch folded into the octave above middle C: register is the target's too;
4. each bar's harmony only: the pitch classes every voice sounds in the bar, as one chord on the bar line
   (in that octave; the commonest class held for the bar, the others for their share). Melody, rhythm and voicing are
   all the target's: this is what makes a folk tune *become* a chorale rather than a folk tune with a
   chorale's rhythm, and per-bar chroma (the content measure) survives it by construction. At run time
   each bar holds as many classes as the *target* style's sketches do (``matched_classes``): the count
   is the one trace of the source's texture left at this level, and the decoder wrote it back.

Pitch classes and the bar grid survive every level, which is what the phrase's identity hangs on.

The network is the models helper's ``seq2seq.Seq2Seq`` (bidirectional LSTM encoder, Luong attention), so
checkpoints load through ``checkpoint.load``; this module adds the corruption and the rewrite, and
``train/denoiser.py`` the training loop (``python -m musestudio.ml.train.denoiser train``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines, signature_at
from musestudio.ml.engines import Settings
from musestudio.ml.tokenizer import GRID, Tokenizer

FOLD_LOW = 60
MAX_TGT_TOKENS = 320
TOKENS_PER_BAR_MAX = 96  # a generous cap for a dense piano bar; decoding stops at the phrase's last bar
# Sampling settings (temperature, top-p, style guidance weight, corruption levels) are the model file's own:
# ``engines.Settings`` reads them from its JSON, with the values this engine was tuned with as defaults.
# Guidance 0 samples the target style's own distribution; higher favours what sets the target apart from
# the other styles (8 chosen on the valid split, models/README.md). Top-p 1: no nucleus cut, the grammar
# mask already keeps the stream well formed, and the sort top-p needs was a seventh of each step.


def level_of(strength: float, levels: int = Settings.levels) -> int:
    """Corruption level 1..levels for a strength in (0, 1]: equal shares of the range."""
    return min(levels, max(1, math.ceil(strength * levels)))


def skyline(notes: Sequence[Note]) -> list[Note]:
    """The top line: the highest note at each onset, cut where the next kept onset begins."""
    tops: dict[int, Note] = {}
    for n in notes:
        if n.start not in tops or n.pitch > tops[n.start].pitch:
            tops[n.start] = n
    line = [tops[t] for t in sorted(tops)]
    return [
        n.with_duration(min(n.duration, nxt.start - n.start)) for n, nxt in zip(line, line[1:], strict=False)
    ] + line[-1:]


def corrupt(
    notes: Sequence[Note],
    tpb: int,
    level: int,
    velocity: int = 80,
    bars: Sequence[int] = (),
    classes: float | None = None,
    key: KeySignature | None = None,
) -> list[Note]:
    """The phrase stripped of style-bearing detail (see the module docstring for the levels); level 4 needs
    the bar lines (``bars``: ticks, the last one closing the phrase) and, at run time, may be given the
    target style's pitch classes per bar (``classes``, see ``matched_classes``)."""
    if level >= 4:
        sketch = bar_harmony(notes, tpb, bars, velocity)
        return sketch if classes is None else matched_classes(sketch, notes, bars, classes, key, tpb)
    line = [n.with_velocity(velocity) for n in skyline(notes)]
    if level >= 2:
        eighth = tpb // 2
        kept = [n for n in line if n.duration >= tpb // 4] or line  # a run of only ornaments stays
        by_onset: dict[int, Note] = {}
        for n in kept:
            t = round(n.start / eighth) * eighth
            by_onset.setdefault(t, n.with_start(t))
        onsets = sorted(by_onset)
        line = []
        for t, nxt in zip(onsets, [*onsets[1:], None], strict=True):
            n = by_onset[t]
            end = max(t + eighth, round(n.end / eighth) * eighth)
            line.append(n.with_duration((min(end, nxt) if nxt is not None else end) - t))
    if level >= 3:
        line = [n.with_pitch(FOLD_LOW + (n.pitch - FOLD_LOW) % 12) for n in line]
    return line


def bar_harmony(notes: Sequence[Note], tpb: int, bars: Sequence[int], velocity: int = 80) -> list[Note]:
    """Level 4: per bar, every pitch class that sounds at least a tenth as long as the bar's commonest, as
    a chord on the bar line folded above middle C; the commonest is held for the bar, the others for their
    share of it (in eighths)."""
    eighth = tpb // 2
    out = []
    for a, b in zip(bars, bars[1:], strict=False):
        weight = np.zeros(12)
        for n in notes:
            weight[n.pitch % 12] += max(0, min(n.end, b) - max(n.start, a))
        if not weight.any():
            continue
        for pc in np.flatnonzero(weight >= weight.max() / 10):
            held = max(eighth, round((b - a) * weight[pc] / weight.max() / eighth) * eighth)
            out.append(Note(FOLD_LOW + int(pc), a, min(held, b - a), velocity))
    return out


def matched_classes(
    sketch: Sequence[Note],
    notes: Sequence[Note],
    bars: Sequence[int],
    classes: float,
    key: KeySignature | None,
    tpb: int,
) -> list[Note]:
    """The level-4 sketch with each bar holding the target style's usual number of pitch classes.

    Why: in training a sketch always comes from its own style, so how many classes a bar holds tells the
    decoder how busy the music was (a chorale bar sounds 6 to 7, a folk tune's 2 to 3) and it writes that
    density back. At run time the count is the *source's*: a pop tune sketched for Bach drew half the
    chorale's onsets and was heard as its source. So a bar with too many classes keeps its longest held
    ones (the harmony; what goes are passing colours), and one with too few gains, for one eighth, the
    classes of the key that the neighbouring bars sound longest (the passing and anticipated tones a denser
    idiom writes there). ``classes`` is the target's mean over its training sketches (the model file's
    ``"inference"``: ``"sketch_classes"``); without a key only the bar's neighbours' classes are added.
    """
    k = max(1, round(classes))
    eighth = tpb // 2
    spans = list(zip(bars, bars[1:], strict=False))
    out: list[Note] = []
    for i, (a, b) in enumerate(spans):
        held = sorted((n for n in sketch if a <= n.start < b), key=lambda n: (-n.duration, n.pitch))
        if not held:
            continue
        held = held[:k]
        have = {n.pitch % 12 for n in held}
        near = np.zeros(12)
        for c, d in spans[max(0, i - 1) : i + 2]:
            if c != a:
                for n in notes:
                    near[n.pitch % 12] += max(0, min(n.end, d) - max(n.start, c))
        scale = [pc for pc in range(12) if (key.contains(pc) if key is not None else near[pc] > 0)]
        extra = sorted((pc for pc in scale if pc not in have), key=lambda pc: (-near[pc], pc))
        held += [
            Note(FOLD_LOW + pc, a, min(eighth, b - a), held[0].velocity) for pc in extra[: k - len(held)]
        ]
        out.extend(sorted(held, key=lambda n: n.pitch))
    return out


def encode_pair(
    tok: Tokenizer,
    notes,
    tpb,
    sigs: Sequence[TimeSignature],
    origin,
    end,
    style,
    key,
    level,
    target=True,
    classes: float | None = None,
):
    """(source body ids, decoder prefix ids, target body ids or None) for the bars origin..end
    (``classes``: the level-4 sketch's pitch classes per bar, see ``matched_classes``)."""
    bars = [t for t in bar_lines(sigs, tpb, end) if origin <= t <= end]
    bars = bars if bars[-1:] == [end] else [*bars, end]
    sketch = corrupt(notes, tpb, level, bars=bars, classes=classes, key=key)
    src = tok.encode_events(sketch, tpb=tpb, time_signatures=sigs, start=origin, end=end)
    prefix = tok.conditioning(style, key, signature_at(sigs, origin))
    body = tok.encode_events(notes, tpb=tpb, time_signatures=sigs, start=origin, end=end) if target else None
    return src, prefix, body


# -- run time ------------------------------------------------------------------------------------------


def rewrite(
    model,
    tok: Tokenizer,
    notes: Sequence[Note],
    origin: int,
    end: int,
    tpb: int,
    sigs: Sequence[TimeSignature],
    to_style: str,
    strength: float,
    seed: int,
    key: KeySignature | None = None,
    cancel=None,
    settings: Settings | None = None,
) -> list[Note]:
    """The bars origin..end rewritten under ``to_style`` (strength 0 gives the input back).

    Sampling runs under the Continue engines' token grammar (``grammar.BarGrammar``), so the output is
    well formed and has exactly the input's bars; with ``key`` only that key's pitches can be drawn. Tokens
    are drawn with style guidance (``Seq2Seq.guided_stepper``, weight ``settings.guidance``) against all
    styles.
    """
    from musestudio.ml.generate.grammar import BarGrammar
    from musestudio.ml.sampling import generate

    if strength <= 0:
        return [n.copy_as_new() for n in notes]
    settings = settings or Settings()
    n_bars = sum(1 for t in bar_lines(sigs, tpb, end) if origin <= t < end)
    key_sig = key or detect_key(notes)
    src, _, _ = encode_pair(
        tok,
        notes,
        tpb,
        sigs,
        origin,
        end,
        to_style,
        key_sig,
        level_of(strength, settings.levels),
        target=False,
        classes=(settings.sketch_classes or {}).get(to_style),
    )
    meter = signature_at(sigs, origin)
    prefixes = {i: tok.conditioning(s, key_sig, meter) for i, s in enumerate(tok.styles)}
    device = next(model.parameters()).device
    pitch_ok = torch.zeros(tok.vocab_size, dtype=torch.bool)
    pitch_ok[tok.pitch_token(0) : tok.pitch_token(128)] = torch.tensor(
        [key is None or key.contains(p) for p in range(128)]
    )
    one_meter = not any(origin < s.tick < end for s in sigs)
    grammar = BarGrammar(
        tok,
        1,
        n_bars,
        meter.numerator * 4 * GRID // meter.denominator,
        [tok.eos_id, tok.bar_id],
        tok.meter_id(meter.numerator, meter.denominator),
        pitch_ok,
        device,
    )

    def stop(ids: torch.Tensor) -> torch.Tensor:
        grammar.observe(ids[:, -1])
        return grammar.done()

    out = generate(
        model.guided_stepper(prefixes, tok.styles.index(to_style), settings.guidance, settings.plausible),
        torch.tensor([src], device=device),
        1,
        max_new_tokens=TOKENS_PER_BAR_MAX * n_bars + 2,
        temperature=settings.temperature,
        top_p=settings.top_p,
        eos_id=tok.eos_id,
        pad_id=tok.pad_id,
        logits_mask_fn=(lambda step, ids: grammar.allowed()) if one_meter else None,
        stop_fn=stop,
        generator=torch.Generator(device=device).manual_seed(seed),
        cancel=cancel,
    )[0].tolist()
    decoded = tok.decode(out, tpb=tpb, start=origin, meter=(meter.numerator, meter.denominator))
    return [n.with_duration(min(n.duration, end - n.start)) for n in decoded if n.start < end]
