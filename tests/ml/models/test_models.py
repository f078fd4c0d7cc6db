"""The three model families on tiny configs: they learn, sample deterministically, obey masks and cancel."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
import torch

from musestudio.core.errors import Cancelled
from musestudio.ml import sampling
from musestudio.ml.models import markov, seq2seq, transformer

V = 24


def toy_sequences(n: int = 16, length: int = 40, seed: int = 0) -> list[list[int]]:
    """Sequences with structure a model can learn: a repeating 4-token motif in a random transposition."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        base = int(rng.integers(2, 8))
        motif = [base, base + 4, base + 7, base + 12]
        out.append([1] + [motif[i % 4] for i in range(length)])
    return out


def tiny_transformer(**kw) -> transformer.MusicTransformer:
    cfg = transformer.Config(vocab_size=V, block_size=64, n_layer=2, n_head=2, n_embd=32, dropout=0.0, **kw)
    return transformer.MusicTransformer(cfg)


def tiny_seq2seq() -> seq2seq.Seq2Seq:
    return seq2seq.Seq2Seq(
        seq2seq.Config(vocab_size=V, n_styles=3, n_embd=16, style_dim=4, hidden=32, dropout=0.0)
    )


def test_skew_gives_q_dot_relative_embedding():
    t, d = 7, 5
    q, e = torch.randn(t, d), torch.randn(t, d)  # e[r] embeds distance r - (t - 1)
    s = transformer.skew(q @ e.T)
    for i in range(t):
        for j in range(i + 1):
            assert torch.allclose(s[i, j], q[i] @ e[j - i + t - 1], atol=1e-6)


def test_transformer_loss_goes_down():
    torch.manual_seed(0)
    model = tiny_transformer()
    data = torch.tensor(toy_sequences())
    opt = model.configure_optimizer(3e-3)
    losses = []
    for _ in range(30):
        _, loss, _ = model(data[:, :-1], data[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_kv_cache_logits_equal_full_forward():
    torch.manual_seed(1)
    model = tiny_transformer().eval()
    ids = torch.randint(0, V, (1, 30))
    with torch.no_grad():
        full, _, _ = model(ids)
        logits, cache = model.start(ids[:, :12], batch=3)
        stepped = [logits[0]]
        for t in range(12, 29):
            logits, cache = model.step(cache, ids[0, t].repeat(3))
            assert torch.allclose(
                logits[0], logits[2], atol=1e-6
            )  # rows of one batch: equal up to BLAS order
            stepped.append(logits[0])
        # a multi-token chunk after a cache (the skew on a non-square block) agrees too
        cache = model.new_cache(1)
        model(ids[:, :20], cache=cache)
        chunk, _, _ = model(ids[:, 20:], cache=cache)
    assert torch.allclose(torch.stack(stepped), full[0, 11:29], atol=1e-5)
    assert torch.allclose(chunk, full[:, 20:], atol=1e-5)


def test_the_one_token_step_matches_the_layers_for_diverging_rows_and_past_a_cropped_cache():
    """``step`` (the functional decode path, the shared prompt read once) against ``forward`` with a cache
    of its own: rows that drew different tokens, and the cache cropped when full (block_size 64)."""
    torch.manual_seed(2)
    model = tiny_transformer().eval()
    prompt = torch.randint(0, V, (1, 40))
    with torch.no_grad():
        _, fast = model.start(prompt, batch=3)
        _, slow = model.start(prompt, batch=3)
        assert fast.shared == 40
        for _ in range(60):  # 40 + 60 > 64: the oldest quarter is dropped at least once
            tokens = torch.randint(0, V, (3,))
            logits, fast = model.step(fast, tokens)
            slow.make_room(1)
            reference, _, _ = model(tokens[:, None], cache=slow)
            assert torch.allclose(logits, reference[:, -1], atol=1e-5)
            assert fast.length == slow.length and fast.shared <= 40
    assert fast.shared < 40  # the crop reached into the prompt


def test_transformer_samples_past_block_size_with_a_cropped_cache():
    model = tiny_transformer().eval()
    out = model.sample(
        torch.tensor([[1, 2, 3]]), 2, max_new_tokens=100, generator=torch.Generator().manual_seed(0)
    )
    assert out.shape == (2, 100)


def test_seq2seq_loss_goes_down_and_stepping_matches_teacher_forcing():
    torch.manual_seed(0)
    model = tiny_seq2seq()
    seqs = torch.tensor(toy_sequences())
    src, tgt = seqs[:, :20], seqs[:, 19:]
    style = torch.zeros(len(seqs), dtype=torch.long)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        _, loss = model(src, tgt[:, :-1], style, tgt[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]

    model.eval()
    with torch.no_grad():
        full, _ = model(src[:1], tgt[:1, :-1], style[:1])
        stepper = model.stepper(0, tgt[0, :3].tolist())
        logits, state = stepper.start(src[:1], batch=2)
        stepped = [logits[1]]
        for t in range(3, 12):
            logits, state = stepper.step(state, tgt[0, t].repeat(2))
            stepped.append(logits[1])
    assert torch.allclose(torch.stack(stepped), full[0, 2:12], atol=1e-5)


def test_style_guidance_is_the_target_pushed_away_from_the_style_mixture():
    torch.manual_seed(3)
    model = tiny_seq2seq().eval()
    src = torch.tensor([[5, 6, 7, 8, 9]])
    prefixes = {s: [1, 10 + s] for s in range(3)}
    tokens = [torch.tensor([4, 9]), torch.tensor([7, 7])]

    def run(stepper):
        logits, state = stepper.start(src, batch=2)
        out = [logits]
        for t in tokens:
            logits, state = stepper.step(state, t)
            out.append(logits)
        return torch.stack(out)

    with torch.no_grad():
        alone = torch.stack([torch.log_softmax(run(model.stepper(s, prefixes[s])), -1) for s in range(3)])
        guided = run(model.guided_stepper(prefixes, target=1, guidance=2.0))
        unguided = run(model.guided_stepper(prefixes, target=1, guidance=0.0))
    mixture = torch.logsumexp(alone, dim=0) - math.log(3)
    assert torch.allclose(guided, alone[1] + 2.0 * (alone[1] - mixture), atol=1e-5)
    assert torch.allclose(unguided, alone[1], atol=1e-5)  # guidance 0 draws from the target style alone
    # the implicit style classifier log p(target|x) is higher under the guided distribution
    score = alone[1] - mixture
    assert ((guided.softmax(-1) * score).sum(-1) >= (alone[1].exp() * score).sum(-1) - 1e-6).all()


def test_guidance_boosts_only_the_tokens_the_target_finds_plausible():
    torch.manual_seed(3)
    model = tiny_seq2seq().eval()
    src = torch.tensor([[5, 6, 7, 8, 9]])
    prefixes = {s: [1, 10 + s] for s in range(3)}
    with torch.no_grad():
        own = torch.log_softmax(model.stepper(1, prefixes[1]).start(src, batch=1)[0], -1)[0]
        by_cut = {
            cut: model.guided_stepper(prefixes, target=1, guidance=2.0, plausible=cut).start(src, batch=1)[0][
                0
            ]
            for cut in (1.0, 0.8, 1e-30)
        }
    best = own.max()
    for cut, logits in by_cut.items():
        kept = own >= best + math.log(cut)
        assert (logits[kept] > -1e3).all() and (logits[~kept] < -1e3).all(), cut
    assert by_cut[1.0].argmax() == own.argmax()  # a cut of 1 leaves only the target's own best
    assert (by_cut[1e-30] > -1e3).sum() > (by_cut[0.8] > -1e3).sum() > 1


def test_seq2seq_handles_padded_seeds():
    model = tiny_seq2seq().eval()
    src = torch.tensor([[5, 6, 7, 8], [5, 6, 0, 0]])
    with torch.no_grad():
        padded, _ = model(src, torch.tensor([[1, 2], [1, 2]]), torch.tensor([1, 1]))
        alone, _ = model(src[1:, :2], torch.tensor([[1, 2]]), torch.tensor([1]))
    assert torch.allclose(padded[1], alone[0], atol=1e-5)


def test_markov_distributions_are_normalised_and_match_nll():
    seqs = toy_sequences(8) + [[1, 3, 9, 2, 17, 5]]
    model = markov.MarkovModel(markov.Config(vocab_size=V, order=3)).fit(seqs)
    for ctx in ([], [1], [3, 7], [23, 23]):
        assert model.distribution(ctx).sum() == pytest.approx(1.0)
    total, n = model.nll(seqs)
    by_hand = sum(
        -math.log(model.distribution(s[max(0, i - 2) : i])[s[i]]) for s in seqs for i in range(1, len(s))
    )
    assert n == sum(len(s) - 1 for s in seqs)
    assert total == pytest.approx(by_hand)
    assert total / n < math.log(V) / 2  # learned the motifs
    unseen_total, _ = model.nll([[1, 23, 22, 21]])
    assert math.isfinite(unseen_total)
    model.prune(min_count=2)
    assert model.distribution([3, 9]).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("family", ["transformer", "seq2seq", "markov"])
def test_sampling_is_deterministic_masked_and_cancellable(family):
    torch.manual_seed(0)
    if family == "transformer":
        model, extra = tiny_transformer(), {}
    elif family == "seq2seq":
        model, extra = tiny_seq2seq(), {"style": 1, "decoder_prefix": [1]}
    else:
        noise = np.random.default_rng(0).integers(0, V, size=(8, 50)).tolist()  # many plausible next tokens
        model, extra = markov.MarkovModel(markov.Config(vocab_size=V, order=3)).fit(noise), {}
    prompt = torch.tensor([[1, 4, 8, 11]])

    def run(seed, **kw):
        return model.sample(
            prompt, 4, max_new_tokens=30, generator=torch.Generator().manual_seed(seed), **extra, **kw
        )

    first, again, other = run(7), run(7), run(8)
    assert first.shape == (4, 30)
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    assert not all(torch.equal(first[0], row) for row in first[1:])  # variations differ

    allowed = torch.zeros(V, dtype=torch.bool)
    allowed[[3, 5, 9]] = True
    masked = run(7, logits_mask_fn=lambda step, ids: allowed.expand(ids.size(0), -1))
    assert set(masked.unique().tolist()) <= {3, 5, 9}

    stop = threading.Event()
    seen = []

    def progress(done, total):
        seen.append(done)
        if done == 5:
            stop.set()

    with pytest.raises(Cancelled):
        run(7, progress=progress, cancel=stop)
    assert seen == [1, 2, 3, 4, 5]


def test_eos_and_stop_fn_end_rows_with_padding():
    model = tiny_transformer().eval()
    prompt = torch.tensor([[1, 2]])
    # stop a row once it has written three tokens equal to 5; allow only 5 and 6 so it happens quickly
    allowed = torch.zeros(V, dtype=torch.bool)
    allowed[[5, 6]] = True
    out = model.sample(
        prompt,
        3,
        max_new_tokens=200,
        pad_id=0,
        generator=torch.Generator().manual_seed(0),
        logits_mask_fn=lambda step, ids: allowed.expand(ids.size(0), -1),
        stop_fn=lambda ids: (ids[:, 2:] == 5).sum(1) >= 3,
    )
    assert out.size(1) < 200
    for row in out.tolist():
        body = [t for t in row if t != 0]
        assert body.count(5) == 3 and body[-1] == 5
        assert row[len(body) :] == [0] * (len(row) - len(body))


def test_top_p_draws_only_from_the_smallest_set_reaching_p():
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]])).expand(2000, -1)
    gen = torch.Generator().manual_seed(0)
    assert set(sampling.draw(logits, 1.0, 0.7, None, gen).tolist()) == {0, 1}
    assert set(sampling.draw(logits, 1.0, 0.1, None, gen).tolist()) == {0}
    assert set(sampling.draw(logits, 1.0, 1.0, None, gen).tolist()) == {0, 1, 2, 3}
    assert set(sampling.draw(logits, 0.0, 1.0, None, gen).tolist()) == {0}  # temperature 0: greedy
