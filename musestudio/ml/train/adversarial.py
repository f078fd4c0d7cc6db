"""Train the ``gan`` Restyle engine: the denoiser fine-tuned against a critic (issue 14's redesign).

The generator is the ``seq2seq`` denoiser's network (``models/gan.py``'s ``AdversarialDenoiser``), started
from ``models/restyle_seq2seq``; the critic is the roll ``Discriminator`` (PatchGAN real/fake scores plus a
style head), started from ``models/restyle_gan_critic``. Each step:

1. **critic**: real phrases (their own style) against the generator's rewrites of them into another style,
   both as piano rolls: LSGAN real/fake plus the style head's cross-entropy on the real ones (StarGAN's
   discriminator, as before);
2. **generator**: its denoising loss on a fresh batch (the musical grammar it starts with stays) plus a
   policy-gradient term: each rewrite is sampled token by token under the bar grammar, read back as notes,
   scored by the critic (realness + ``style_weight`` x log-probability of the target style by its style head),
   and the log-likelihood of each sampled stream is weighted by its score less the batch mean (REINFORCE with
   a batch baseline, advantages normalised). Tokens are discrete, so this replaces the straight-through
   estimate the roll GAN used; the critic reads what the app would play, not a soft roll.

The critic is judged with the generator, so it learns the generator's blind spots; the style classifier that
scores Restyle is a separate model, used here only to pick the kept checkpoint on the valid split.

CLI: ``python -m musestudio.ml.train.adversarial train --minutes 45 --out models/restyle_gan`` (also writes
the critic to ``<out>_critic``, the take critic's realness judge).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.timing import bar_lines, signature_at
from musestudio.ml.generate.denoiser import encode_pair
from musestudio.ml.pianoroll import phrase_input
from musestudio.ml.sampling import draw
from musestudio.ml.tokenizer import CONDITIONING, GRID, Tokenizer
from musestudio.ml.train.loop import seed_run


@dataclass(frozen=True)
class Rollout:
    """One phrase to rewrite: the real window (its style, notes from tick 0) and the target style."""

    style: str
    target: str
    notes: tuple[Note, ...]
    tpb: int
    sigs: tuple
    end: int
    key: KeySignature | None
    level: int


def draw_rollouts(
    by_style: dict[str, list], rng: np.random.Generator, batch: int, bars: int, levels, transpose: int = 5
):
    """``batch`` real windows of ``bars`` bars (styles uniform, one meter each), each with another target;
    training windows are transposed by up to ``transpose`` semitones either way (valid ones by none)."""
    from musestudio.core.project import TimeSignature

    styles = sorted(by_style)
    out: list[Rollout] = []
    while len(out) < batch:
        style = styles[rng.integers(len(styles))]
        piece = by_style[style][rng.integers(len(by_style[style]))]
        lines = bar_lines(piece.time_signatures, piece.tpb, piece.end)
        if len(lines) <= bars:
            continue
        i = int(rng.integers(0, len(lines) - bars))
        origin, end = lines[i], lines[i + bars]
        if any(origin < s.tick < end for s in piece.time_signatures):
            continue
        shift = int(rng.integers(-transpose, transpose + 1))
        notes = tuple(
            n.moved(-origin, shift).with_duration(min(n.duration, end - n.start))
            for n in piece.notes
            if origin <= n.start < end and 0 <= n.pitch + shift <= 127
        )
        if len(notes) < 4:
            continue
        sig = signature_at(piece.time_signatures, origin)
        key = piece.key_signature
        key = KeySignature((key.tonic + shift) % 12, key.mode) if key is not None else None
        target = styles[(styles.index(style) + rng.integers(1, len(styles))) % len(styles)]
        sigs = (TimeSignature(0, sig.numerator, sig.denominator),)
        out.append(Rollout(style, target, notes, piece.tpb, sigs, end - origin, key, int(rng.choice(levels))))
    return out


def training_pieces(split: str, cache_dir, styles: Sequence[str], min_pieces: int = 20) -> dict[str, list]:
    """Single-stream cache pieces per style (as the denoiser trains on); a style with fewer than
    ``min_pieces`` there (its sources not built yet) takes the parts cache's pieces as that cache would
    hold them (``PartsPiece.as_stream``), as ``eval.restyle.test_windows`` does for its phrases."""
    from musestudio.ml.data import parts as parts_data
    from musestudio.ml.train.denoiser import _by_style

    out = _by_style(split, cache_dir, styles)
    short = [s for s in styles if len(out.get(s, [])) < min_pieces]
    if short:
        for p in parts_data.load(cache_dir, split=split):
            if p.style not in short or any(s.tick % (p.tpb // 4) for s in p.time_signatures):
                continue
            if (stream := p.as_stream()) is not None:
                out.setdefault(p.style, []).append(stream)
    return {s: v for s, v in out.items() if v}


def sample_rewrites(G, tok: Tokenizer, rows: Sequence[Rollout], temperature: float, generator):
    """Token bodies (lists of ids, BAR ... to the end of the last bar) for each row, sampled in one batch from ``G``
    under each row's target style and the bar grammar (so every rewrite has its window's bars)."""
    from musestudio.ml.generate.grammar import BarGrammar

    device = next(G.parameters()).device
    srcs, prefixes, grammars = [], [], []
    pitch_ok = torch.ones(tok.vocab_size, dtype=torch.bool)
    pitch_ok[: tok.pitch_token(0)] = False
    pitch_ok[tok.pitch_token(128) :] = False
    for r in rows:
        src, prefix, _ = encode_pair(tok, r.notes, r.tpb, r.sigs, 0, r.end, r.target, r.key, r.level, False)
        srcs.append(src)
        prefixes.append(prefix)
        sig = r.sigs[0]
        n_bars = sum(1 for t in bar_lines(r.sigs, r.tpb, r.end) if t < r.end)
        bar_steps = sig.numerator * 4 * GRID // sig.denominator
        meter = tok.meter_id(sig.numerator, sig.denominator)
        grammars.append(
            BarGrammar(tok, 1, n_bars, bar_steps, [tok.eos_id, tok.bar_id], meter, pitch_ok, device)
        )
    b = len(rows)
    src = torch.full((b, max(len(s) for s in srcs)), tok.pad_id, device=device)
    for i, s in enumerate(srcs):
        src[i, : len(s)] = torch.tensor(s)
    style = torch.tensor([tok.styles.index(r.target) for r in rows], device=device)
    bodies: list[list[int]] = [[] for _ in rows]
    with torch.no_grad():
        states, mask, hc = G.encode(src, style)
        keys = G.attn_key(states)
        dec, (h, c) = G.decoder(G._inputs(torch.tensor(prefixes, device=device), style), hc)
        logits = G._attend(dec[:, -1:], keys, states, mask)[:, 0]
        layers = [(h[k], c[k]) for k in range(h.size(0))]
        style_vec = G.style_emb(style)
        weights = [
            tuple(getattr(G.decoder, f"{n}_l{k}") for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            for k in range(G.decoder.num_layers)
        ]
        done = [False] * b
        for _ in range(tok_limit(rows)):
            allowed = torch.cat([g.allowed() for g in grammars])
            picked = draw(logits, temperature, 1.0, allowed, generator)
            for i, g in enumerate(grammars):
                if done[i]:
                    continue
                t = int(picked[i])
                g.observe(picked[i : i + 1])
                if t == tok.eos_id or bool(g.done()[0]):
                    done[i] = True  # the closing token (EOS, or a BAR past the last bar) is left out
                else:
                    bodies[i].append(t)
            if all(done):
                break
            x = torch.cat([G.tok_emb(picked), style_vec], dim=-1)
            new = []
            for (hh, cc), w in zip(layers, weights, strict=True):
                hh, cc = torch.lstm_cell(x, (hh, cc), *w)
                new.append((hh, cc))
                x = hh
            layers = new
            logits = G._attend(x[:, None, :], keys, states, mask)[:, 0]
    return src, style, prefixes, bodies


def tok_limit(rows: Sequence[Rollout]) -> int:
    """The longest stream a batch may run to (the grammar closes a dense bar long before)."""
    from musestudio.ml.generate.denoiser import TOKENS_PER_BAR_MAX

    return max(TOKENS_PER_BAR_MAX * -(-r.end // (4 * r.tpb)) for r in rows) + 2


def decode_rewrite(tok: Tokenizer, body: Sequence[int], r: Rollout) -> list[Note]:
    sig = r.sigs[0]
    notes = tok.decode(body, tpb=r.tpb, start=0, meter=(sig.numerator, sig.denominator))
    return [n.with_duration(min(n.duration, r.end - n.start)) for n in notes if n.start < r.end]


def critic_scores(D, notes: Sequence[Note], r: Rollout) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean realness, style logits) of the critic for ``notes`` over the window's bars."""
    spec = D.config.spec
    n_steps = r.end // spec.step_ticks(r.tpb)
    x = torch.from_numpy(phrase_input(notes, r.tpb, r.sigs, 0, n_steps, spec))[None]
    adv, cls = D(x)
    return adv.mean(), cls[0]


def sequence_logp(G, tok: Tokenizer, src, style, prefixes, bodies) -> torch.Tensor:
    """Mean log-likelihood per token of each sampled body and its closing EOS under ``G`` (teacher forcing,
    with gradients)."""
    rows = [p + body + [tok.eos_id] for p, body in zip(prefixes, bodies, strict=True)]
    length = max(len(r) for r in rows)
    tgt = torch.full((len(rows), length), tok.pad_id)
    for i, r in enumerate(rows):
        tgt[i, : len(r)] = torch.tensor(r)
    logits, _ = G(src, tgt[:, :-1], style)
    logp = torch.log_softmax(logits.float(), dim=-1).gather(-1, tgt[:, 1:, None])[..., 0]
    mask = torch.zeros_like(logp)
    for i, body in enumerate(bodies):
        mask[i, CONDITIONING - 1 : CONDITIONING + len(body)] = 1.0
    return (logp * mask).sum(1) / mask.sum(1).clamp(min=1)


@dataclass
class Weights:
    """The generator's terms: policy gradient against denoising, and the critic's style against realness."""

    pg: float = 1.0
    style: float = 0.5
    d_cls: float = 1.0  # the critic's style head on real phrases


def adversarial_step(G, D, opt_g, opt_d, tok, train_set, rng, args, w: Weights) -> dict[str, float]:
    """One step: rewrites sampled, the critic updated on real vs them, then the generator (MLE + PG)."""
    from musestudio.ml.train.denoiser import _batch

    rows = draw_rollouts(train_set, rng, args.rollouts, args.bars, args.adv_levels)
    G.eval()
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    src, style, prefixes, bodies = sample_rewrites(G, tok, rows, args.temperature, gen)
    fakes = [decode_rewrite(tok, body, r) for body, r in zip(bodies, rows, strict=True)]
    # critic: real windows (their own style) against the rewrites
    d_loss = torch.zeros(())
    for r, fake in zip(rows, fakes, strict=True):
        adv_real, cls_real = critic_scores(D, r.notes, r)
        adv_fake, _ = critic_scores(D, fake, r)
        label = torch.tensor([D.config.styles.index(r.style)])
        d_loss = d_loss + (
            (adv_real - 1) ** 2 + adv_fake**2 + w.d_cls * F.cross_entropy(cls_real[None], label)
        )
    d_loss = d_loss / len(rows)
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    # rewards from the updated critic
    with torch.no_grad():
        real, style_lp = [], []
        for r, fake in zip(rows, fakes, strict=True):
            adv, cls = critic_scores(D, fake, r)
            real.append(float(adv))
            style_lp.append(float(torch.log_softmax(cls, -1)[D.config.styles.index(r.target)]))
    reward = np.array(real) + w.style * np.array(style_lp)
    advantage = (reward - reward.mean()) / (reward.std() + 1e-6)
    G.train()
    logp = sequence_logp(G, tok, src, style, prefixes, bodies)
    pg = -(torch.tensor(advantage, dtype=torch.float32) * logp).mean()
    s, ti, to, st = _batch(train_set, tok, rng, args.batch, args.levels)
    _, mle = G(s, ti, st, to)
    loss = mle + w.pg * pg
    opt_g.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(G.parameters(), 1.0)
    opt_g.step()
    return {
        "d": d_loss.item(),
        "mle": mle.item(),
        "pg": pg.item(),
        "realness": float(np.mean(real)),
        "style_p": float(np.mean(np.exp(style_lp))),
        "notes": float(np.mean([len(f) for f in fakes])),
    }


def validate(G, tok, judge, windows: Sequence[Rollout], settings) -> dict[str, float]:
    """Share of valid rewrites (strength 1, as the app runs them) the style classifier names as the target,
    and their per-bar chroma similarity to the input."""
    from musestudio.ml import engines
    from musestudio.ml.generate.request import Options
    from musestudio.ml.generate.restyle import restyle
    from musestudio.ml.metrics import roll_chroma_similarity

    G.eval()
    loaded = engines.Loaded.in_memory(G, tok, settings)
    styles = list(judge.config.styles)
    hits, sims = [], []
    for i, w in enumerate(windows):
        out = restyle(
            w.notes,
            Options(style=w.target, strength=1.0, seed=i, device="cpu"),
            "gan",
            tpb=w.tpb,
            time_signatures=w.sigs,
            model=loaded,
        )
        n_steps = w.end // judge.config.spec.step_ticks(w.tpb)
        x = phrase_input(w.notes, w.tpb, w.sigs, 0, n_steps, judge.config.spec)
        y = phrase_input(out, w.tpb, w.sigs, 0, n_steps, judge.config.spec)
        with torch.no_grad():
            hits.append(float(judge(torch.from_numpy(y)[None]).argmax(1).item() == styles.index(w.target)))
        sims.append(roll_chroma_similarity(x, y))
    G.train()
    return {"target_share": float(np.mean(hits)), "chroma": float(np.nanmean(sims))}


def train(args) -> None:
    from musestudio.ml import checkpoint, engines
    from musestudio.ml.generate.critic import load_classifier
    from musestudio.ml.models.gan import AdversarialDenoiser
    from musestudio.ml.train.denoiser import _batch
    from musestudio.ml.train.gan import save_pair

    seed_run(args.seed, args.threads)
    base, config, base_meta = checkpoint.load(args.init, family="seq2seq")
    tok = Tokenizer.from_json(base_meta["tokenizer"])
    G = AdversarialDenoiser(config)
    G.load_state_dict(base.state_dict())
    D, d_config, _ = checkpoint.load(args.critic, family="gan_critic")
    D.train()
    train_set = training_pieces("train", args.cache_dir, list(tok.styles))
    valid_set = training_pieces("valid", args.cache_dir, list(tok.styles), min_pieces=1)
    print({s: len(v) for s, v in train_set.items()}, flush=True)
    vrng = np.random.default_rng(99)
    valid_mle = [_batch(valid_set, tok, vrng, args.batch, args.levels) for _ in range(4)]
    judge = load_classifier(args.judge)
    n_valid = args.valid_per_style * len(valid_set)
    windows = draw_rollouts(valid_set, np.random.default_rng(5), n_valid, 4, [4], transpose=0)
    settings = engines.Settings(guidance=args.guidance)
    opt_g = torch.optim.AdamW(G.parameters(), lr=args.lr, weight_decay=1e-4)
    opt_d = torch.optim.Adam(D.parameters(), lr=args.d_lr, betas=(0.5, 0.999))
    rng = np.random.default_rng(args.seed)
    w = Weights(pg=args.pg, style=args.style_weight, d_cls=args.d_cls)
    started, log, best, step = time.time(), [], -1.0, 0
    while True:
        last = time.time() - started > args.minutes * 60
        if step % args.eval_every == 0 or last:
            v = validate(G, tok, judge, windows, settings)
            with torch.no_grad():
                G.eval()
                nll = float(np.mean([G(s, ti, st, to)[1].item() for s, ti, to, st in valid_mle]))
            mean = {k: np.mean([r[k] for r in log[-args.eval_every :]]) for k in log[-1]} if log else {}
            score = v["target_share"] + min(v["chroma"], 0.8)
            print(
                f"step {step} "
                + " ".join(f"{k} {val:.3f}" for k, val in mean.items())
                + f" | valid target {v['target_share']:.3f} chroma {v['chroma']:.3f} nll {nll:.3f}"
                f" score {score:.3f} ({time.time() - started:.0f}s)",
                flush=True,
            )
            if score > best and step > 0:
                best = score
                save_pair(
                    args.out,
                    G,
                    D,
                    config,
                    {
                        "task": "restyle adversarial denoiser (policy gradient against the critic)",
                        "steps": step,
                        "valid_target_share": v["target_share"],
                        "valid_chroma": v["chroma"],
                        "valid_nll": nll,
                        "seconds": round(time.time() - started),
                        "hardware": f"CPU, {args.threads} thread(s)",
                        "batch": args.batch,
                        "rollouts": args.rollouts,
                        "seed": args.seed,
                        "levels": list(args.levels),
                        "adversarial_levels": list(args.adv_levels),
                        "weights": {"pg": w.pg, "style": w.style, "d_cls": w.d_cls},
                        "init": str(args.init),
                        "critic_init": str(args.critic),
                    },
                    tokenizer=tok.to_json(),
                    critic_config=d_config,
                )
        if last:
            break
        step += 1
        log.append(adversarial_step(G, D, opt_g, opt_d, tok, train_set, rng, args, w))
    print(f"best valid score {best:.3f} after {step} steps")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.train.adversarial", description=__doc__.splitlines()[0]
    )
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", default="models/restyle_gan")
    t.add_argument(
        "--init", type=Path, default=Path("models/restyle_seq2seq"), help="the denoiser to start from"
    )
    t.add_argument(
        "--critic", type=Path, default=Path("models/restyle_gan_critic"), help="the critic to start from"
    )
    t.add_argument("--judge", default=None, help="style classifier picking the kept step (default: shipped)")
    t.add_argument("--minutes", type=float, default=45)
    t.add_argument("--batch", type=int, default=16, help="denoising windows per step")
    t.add_argument("--rollouts", type=int, default=8, help="rewrites sampled per step")
    t.add_argument("--bars", type=int, default=4, help="bars per rewrite")
    t.add_argument("--temperature", type=float, default=0.8)
    t.add_argument("--guidance", type=float, default=8.0, help="style guidance of the valid rewrites")
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--d-lr", type=float, default=1e-4)
    t.add_argument("--pg", type=float, default=Weights.pg)
    t.add_argument("--style-weight", type=float, default=Weights.style)
    t.add_argument("--d-cls", type=float, default=Weights.d_cls)
    t.add_argument("--levels", type=int, nargs="+", default=[1, 2, 3, 4, 4, 4])
    t.add_argument("--adv-levels", type=int, nargs="+", default=[2, 3, 4, 4])
    t.add_argument("--eval-every", type=int, default=50)
    t.add_argument("--valid-per-style", type=int, default=4)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--cache-dir", type=Path, default=None)
    t.add_argument("--threads", type=int, default=1)
    train(ap.parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
