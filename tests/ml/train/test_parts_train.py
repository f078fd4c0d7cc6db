"""A few training steps of the parts family on a tiny config: the loss falls; the checkpoint loads back."""

import torch
from parts_fixtures import tiny_corpus

from musestudio.ml import checkpoint
from musestudio.ml.data.parts_windows import TASKS, WindowSampler
from musestudio.ml.parts_grammar import PartsGrammar
from musestudio.ml.train.parts import batch, build_model, evaluate, export


def test_a_few_steps_lower_the_loss_on_every_task(one_thread, tmp_path):
    torch.manual_seed(0)
    g = PartsGrammar()
    sampler = WindowSampler(tiny_corpus(), g, max_len=400, bars=(4, 8), seed=1)
    examples = [sampler.example(task) for task in TASKS for _ in range(2)]
    model, cfg = build_model("tiny", g, 512)
    opt = model.configure_optimizer(3e-3)
    before = evaluate(model, examples, g)
    x, y = batch(examples, g)
    for _ in range(30):
        _, loss, _ = model(x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = evaluate(model, examples, g)
    for task in ("all", *TASKS):
        assert after[task] < before[task] - 0.5, task
    checkpoint.save(tmp_path / "m", model, cfg, g.to_json(), {}, fp16=False)
    weights, _ = export(tmp_path / "m", tmp_path / "shipped")
    loaded, _, meta = checkpoint.load(tmp_path / "shipped")
    assert meta["family"] == "parts" and meta["dtype"] == "float16"
    assert loaded.config == cfg and weights.stat().st_size < 16e6
