"""The numpy decode step (``models.cpu_decode``) against the layers: same logits up to float rounding."""

from __future__ import annotations

import torch

from musestudio.ml.models import transformer
from musestudio.ml.models.cpu_decode import CpuDecoder

V = 40


def _model(seed: int = 0) -> transformer.MusicTransformer:
    torch.manual_seed(seed)
    cfg = transformer.Config(vocab_size=V, block_size=64, n_layer=2, n_head=4, n_embd=32, dropout=0.0)
    model = transformer.MusicTransformer(cfg).eval()
    with torch.no_grad():  # trained-looking norms, biases and relative tables, not the init's ones and zeros
        for name, p in model.named_parameters():
            if name.endswith(("ln1.weight", "ln2.weight", "ln_f.weight")):
                p.uniform_(0.5, 1.5)
            elif name.endswith("bias") or name.endswith(".rel"):
                p.normal_(0, 0.3)
    return model


def test_the_cpu_step_matches_forward_for_diverging_rows_a_shared_prompt_and_a_cropped_cache():
    model = _model()
    prompt = torch.randint(0, V, (1, 30))
    with torch.inference_mode():
        _, fast = model.start(prompt, batch=3)
        _, slow = model.start(prompt, batch=3)
        for _ in range(50):  # 30 + 50 > 64: the oldest quarter is dropped, into the shared prompt
            tokens = torch.randint(0, V, (3,))
            logits, fast = model.step(fast, tokens)
            slow.make_room(1)
            reference, _, _ = model(tokens[:, None], cache=slow)
            assert torch.allclose(logits, reference[:, -1], atol=1e-4)
            assert fast.length == slow.length
        assert isinstance(fast.decoder, CpuDecoder)
        assert fast.shared < 30


def test_the_cpu_step_equals_the_torch_step_for_one_row():
    model = _model(1)
    prompt = torch.randint(0, V, (1, 12))
    with torch.inference_mode():
        _, a = model.start(prompt, batch=1)
        _, b = model.start(prompt, batch=1)
        for t in torch.randint(0, V, (20,)):
            fast, a = model.step(a, t[None])
            b.make_room(1)
            ref = model._decode_one(t[None], b)
            assert torch.allclose(fast, ref, atol=1e-4)


def test_changed_weights_are_laid_out_again():
    model = _model(2)
    prompt = torch.randint(0, V, (1, 10))
    with torch.inference_mode():
        _, cache = model.start(prompt, batch=2)
        model.step(cache, torch.tensor([3, 4]))
    first = model._cpu
    with torch.no_grad():
        model.blocks[0].mlp[0].weight.mul_(1.5)  # as an optimizer step would, in place
    with torch.inference_mode():
        _, cache = model.start(prompt, batch=2)
        _, slow = model.start(prompt, batch=2)
        logits, _ = model.step(cache, torch.tensor([3, 4]))
        reference, _, _ = model(torch.tensor([[3], [4]]), cache=slow)
    assert model._cpu is not first
    assert torch.allclose(logits, reference[:, -1], atol=1e-4)


def test_a_model_loaded_in_inference_mode_decodes_on_the_cpu_step():
    """``evaluate parts`` loads its models inside ``fast_stepwise``: their weights are inference tensors,
    which have no version counter to key the decoder's layout by (it raised, and the command failed)."""
    with torch.inference_mode():
        model = _model(3)
        prompt = torch.randint(0, V, (1, 10))
        _, cache = model.start(prompt, batch=2)
        _, slow = model.start(prompt, batch=2)
        logits, _ = model.step(cache, torch.tensor([3, 4]))
        reference, _, _ = model(torch.tensor([[3], [4]]), cache=slow)
    assert next(model.parameters()).is_inference()
    assert torch.allclose(logits, reference[:, -1], atol=1e-4)
