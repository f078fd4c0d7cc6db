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
   chorale's rhythm, and per-bar chroma (the content measure) survives it by construction.

Pitch classes and the bar grid survive every level, which is what the phrase's identity hangs on.

The network is the models helper's ``seq2seq.Seq2Seq`` (bidirectional LSTM encoder, Luong attention), so
checkpoints load through ``checkpoint.load``; this module adds the corruption, the training loop and the
rewrite. CLI: ``python -m musestudio.ml.restyle_seq2seq train [--minutes M] [--out models/restyle_seq2seq]``.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_lines, signature_at
from musestudio.ml.tokenizer import GRID, Tokenizer

FOLD_LOW = 60
MAX_TGT_TOKENS = 320
TOKENS_PER_BAR_MAX = 96  # a generous cap for a dense piano bar; decoding stops at the phrase's last bar
TEMPERATURE, TOP_P = (
    0.8,
    1.0,
)  # no nucleus cut: the grammar mask already keeps the stream well formed, and the
# sort top-p needs was a seventh of each step (8 bars restyle budget: 300 ms)
# Style guidance weight, chosen on the valid split (models/README.md): 0 samples the target style's own
# distribution; higher favours what sets the target apart from the other styles.
GUIDANCE = 8.0
IGNORE = -100  # seq2seq's ignore_index
LEVELS = 4  # corruption levels (module docstring)


def level_of(strength: float) -> int:
    """Corruption level 1..LEVELS for a strength in (0, 1]: equal shares of the range."""
    return min(LEVELS, max(1, math.ceil(strength * LEVELS)))


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
    notes: Sequence[Note], tpb: int, level: int, velocity: int = 80, bars: Sequence[int] = ()
) -> list[Note]:
    """The phrase stripped of style-bearing detail (see the module docstring for the levels); level 4 needs
    the bar lines (``bars``: ticks, the last one closing the phrase)."""
    if level >= 4:
        return bar_harmony(notes, tpb, bars, velocity)
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


def encode_pair(
    tok: Tokenizer, notes, tpb, sigs: Sequence[TimeSignature], origin, end, style, key, level, target=True
):
    """(source body ids, decoder prefix ids, target body ids or None) for the bars origin..end."""
    bars = [t for t in bar_lines(sigs, tpb, end) if origin <= t <= end]
    sketch = corrupt(notes, tpb, level, bars=bars if bars[-1:] == [end] else [*bars, end])
    src = tok.encode_events(sketch, tpb=tpb, time_signatures=sigs, start=origin, end=end)
    prefix = tok.conditioning(style, key, signature_at(sigs, origin))
    body = tok.encode_events(notes, tpb=tpb, time_signatures=sigs, start=origin, end=end) if target else None
    return src, prefix, body


# -- run time ------------------------------------------------------------------------------------------


def load(stem: str | Path | None = None, device: str = "cpu"):
    """The shipped model (``models/restyle_seq2seq``) with its tokenizer attached as ``model.tokenizer``."""
    from musestudio.ml import checkpoint
    from musestudio.paths import models_dir

    stem = stem or models_dir() / "restyle_seq2seq"
    model, _, meta = checkpoint.load(stem, device, family="seq2seq")
    try:
        model.tokenizer = Tokenizer.from_json(meta.get("tokenizer") or {})
    except (ValueError, KeyError, TypeError) as e:
        raise checkpoint.CheckpointError(
            f"model file {checkpoint.paths(stem)[1]} holds a model with another vocabulary, not the Restyle "
            f"seq2seq expected here ({e})"
        ) from e
    return model


def rewrite(
    model,
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
) -> list[Note]:
    """The bars origin..end rewritten under ``to_style`` (strength 0 gives the input back).

    Sampling runs under the Continue engines' token grammar (``generate.BarGrammar``), so the output is
    well formed and has exactly the input's bars; with ``key`` only that key's pitches can be drawn. Tokens
    are drawn with style guidance (``Seq2Seq.guided_stepper``, weight GUIDANCE) against all styles.
    """
    from musestudio.ml.generate import BarGrammar
    from musestudio.ml.sampling import generate

    if strength <= 0:
        return [n.copy_as_new() for n in notes]
    tok: Tokenizer = model.tokenizer
    n_bars = sum(1 for t in bar_lines(sigs, tpb, end) if origin <= t < end)
    key_sig = key or detect_key(notes)
    src, _, _ = encode_pair(
        tok, notes, tpb, sigs, origin, end, to_style, key_sig, level_of(strength), target=False
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
        model.guided_stepper(prefixes, tok.styles.index(to_style), GUIDANCE),
        torch.tensor([src], device=device),
        1,
        max_new_tokens=TOKENS_PER_BAR_MAX * n_bars + 2,
        temperature=TEMPERATURE,
        top_p=TOP_P,
        eos_id=tok.eos_id,
        pad_id=tok.pad_id,
        logits_mask_fn=(lambda step, ids: grammar.allowed()) if one_meter else None,
        stop_fn=stop,
        generator=torch.Generator(device=device).manual_seed(seed),
        cancel=cancel,
    )[0].tolist()
    decoded = tok.decode(out, tpb=tpb, start=origin, meter=(meter.numerator, meter.denominator))
    return [n.with_duration(min(n.duration, end - n.start)) for n in decoded if n.start < end]


# -- training ------------------------------------------------------------------------------------------


def _batch(
    by_style: dict[str, list],
    tok: Tokenizer,
    rng: np.random.Generator,
    batch: int,
    levels: Sequence[int] = tuple(range(1, LEVELS + 1)),
):
    """(src, tgt_in, tgt_out, style) tensors for ``batch`` random 2-8 bar windows, style-balanced."""
    styles = sorted(by_style)
    rows = []
    while len(rows) < batch:
        style = styles[rng.integers(len(styles))]
        piece = by_style[style][rng.integers(len(by_style[style]))]
        lines = bar_lines(piece.time_signatures, piece.tpb, piece.end)
        n_bars = int(rng.integers(2, 9))
        if len(lines) < 3:
            continue
        i = int(rng.integers(0, max(1, len(lines) - 1 - n_bars)))
        origin, end = lines[i], lines[min(i + n_bars, len(lines) - 1)]
        shift = int(rng.integers(-5, 6))
        notes = [
            n.moved(0, shift) for n in piece.notes if origin <= n.start < end and 0 <= n.pitch + shift <= 127
        ]
        if len(notes) < 4:
            continue
        key = piece.key_signature
        key = KeySignature((key.tonic + shift) % 12, key.mode) if key is not None else None
        try:
            src, prefix, body = encode_pair(
                tok, notes, piece.tpb, piece.time_signatures, origin, end, style, key, int(rng.choice(levels))
            )
        except ValueError:  # a meter the tokenizer has no token for
            continue
        tgt = prefix + body + [tok.eos_id]
        if len(tgt) > MAX_TGT_TOKENS or len(src) < 4:
            continue
        rows.append((src, tgt, tok.styles.index(style)))
    src = torch.full((batch, max(len(r[0]) for r in rows)), tok.pad_id)
    t_len = max(len(r[1]) for r in rows) - 1
    tgt_in = torch.full((batch, t_len), tok.pad_id)
    tgt_out = torch.full((batch, t_len), IGNORE)
    for b, (s, t, _) in enumerate(rows):
        src[b, : len(s)] = torch.tensor(s)
        tgt_in[b, : len(t) - 1] = torch.tensor(t[:-1])
        # STYLE, KEY and METER are given at run time (the decoder prefix), so they are not predicted
        tgt_out[b, 3 : len(t) - 1] = torch.tensor(t[4:])
    return src, tgt_in, tgt_out, torch.tensor([r[2] for r in rows])


def _by_style(split: str, cache_dir, styles) -> dict[str, list]:
    from musestudio.ml.data import load_cache

    out: dict[str, list] = {}
    for p in load_cache(cache_dir, split=split, styles=styles):
        if p.notes and all(s.tick % (p.tpb // 4) == 0 for s in p.time_signatures):
            out.setdefault(p.style, []).append(p)
    return out


def train(args) -> None:
    from musestudio.ml import checkpoint
    from musestudio.ml.seq2seq import Config, Seq2Seq

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tok = Tokenizer()
    train_set = _by_style("train", args.cache_dir, list(tok.styles))
    valid_set = _by_style("valid", args.cache_dir, list(tok.styles))
    vrng = np.random.default_rng(99)
    valid = [_batch(valid_set, tok, vrng, args.batch, args.levels) for _ in range(args.valid_batches)]
    if args.init:  # train on from a saved denoiser (its config, not the size flags)
        model, config, _ = checkpoint.load(args.init)
        model.train()
    else:
        config = Config(
            vocab_size=tok.vocab_size,
            n_styles=len(tok.styles),
            n_embd=args.embd,
            style_dim=32,
            hidden=args.hidden,
            dropout=0.1,
        )
        model = Seq2Seq(config)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    rng = np.random.default_rng(args.seed)
    best, started, step, losses = float("inf"), time.time(), 0, []
    while time.time() - started < args.minutes * 60:
        step += 1
        model.train()
        src, tgt_in, tgt_out, style = _batch(train_set, tok, rng, args.batch, args.levels)
        _, loss = model(src, tgt_in, style, tgt_out)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if step % args.eval_every == 0:
            model.eval()
            with torch.no_grad():
                v = float(np.mean([model(s, ti, st, to)[1].item() for s, ti, to, st in valid]))
            print(
                f"step {step} train {np.mean(losses[-args.eval_every :]):.3f} valid {v:.3f} nats/token "
                f"({time.time() - started:.0f}s)",
                flush=True,
            )
            if v < best:
                best = v
                checkpoint.save(
                    args.out,
                    model,
                    config,
                    tok.to_json(),
                    {
                        "task": "restyle denoising autoencoder",
                        "steps": step,
                        "valid_nll": v,
                        "seconds": round(time.time() - started),
                        "hardware": f"CPU, {args.threads} thread(s)",
                        "batch": args.batch,
                        "seed": args.seed,
                        "levels": list(args.levels),
                        "init": str(args.init) if args.init else None,
                    },
                )
    print(f"best valid {best:.3f} nats/token after {step} steps")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.restyle_seq2seq", description=__doc__.splitlines()[0]
    )
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", default="models/restyle_seq2seq")
    t.add_argument("--minutes", type=float, default=45)
    t.add_argument("--batch", type=int, default=24)
    t.add_argument("--embd", type=int, default=96)
    t.add_argument("--hidden", type=int, default=192)
    t.add_argument("--lr", type=float, default=2e-3)
    t.add_argument("--eval-every", type=int, default=100)
    t.add_argument("--valid-batches", type=int, default=8)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--cache-dir", type=Path, default=None)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--init", type=Path, default=None, help="train on from this saved denoiser")
    t.add_argument(
        "--levels",
        type=int,
        nargs="+",
        default=list(range(1, LEVELS + 1)),
        help="corruption levels drawn (uniformly from this list; repeat one to draw it more often)",
    )
    train(ap.parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
