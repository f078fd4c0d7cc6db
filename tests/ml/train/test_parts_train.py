"""A few training steps of the parts family on a tiny config: the loss falls; the checkpoint loads back."""

import math
from types import SimpleNamespace

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


def test_an_interrupted_run_resumed_ends_with_the_weights_of_an_uninterrupted_one(
    one_thread, tmp_path, monkeypatch
):
    from parts_fixtures import chorale_like
    from safetensors.torch import load_file

    from musestudio.ml.train import parts as recipe

    pieces = {
        "train": [chorale_like(16, 60, "a"), chorale_like(12, 65, "b")],
        "valid": [chorale_like(8, 62, "v")],
    }
    monkeypatch.setattr(recipe.parts_data, "load", lambda root, split, sources: pieces[split])

    def run(out, steps, resume=False):
        args = recipe.TrainArgs(
            out=out, preset="tiny", minutes=1e6, max_steps=steps, batch_size=2, max_len=400, bars=(4, 8),
            warmup=4, eval_minutes=1e6, eval_examples=1, resume=resume,
        )  # fmt: skip
        return recipe.train(args, log=lambda msg: None)

    straight = run(tmp_path / "a", 8)
    assert run(tmp_path / "b", 5)["steps"] == 5
    resumed = run(tmp_path / "b", 8, resume=True)
    assert resumed["steps"] == 8 and [h["step"] for h in resumed["history"]] == [5, 8]
    wa, wb = (load_file(str(tmp_path / run / "state" / "state.safetensors")) for run in ("a", "b"))
    assert straight["history"][-1] == {
        **resumed["history"][-1],
        "minutes": straight["history"][-1]["minutes"],
    }
    assert wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)  # weights, Adam's moments


def test_worker_processes_draw_apart_and_the_run_trains_on_their_batches(one_thread, tmp_path, monkeypatch):
    """A GPU run draws its examples in worker processes: each worker's sampler is seeded apart (the same
    seed in every worker would feed the model each batch N times), and the run trains and keeps its best."""
    from parts_fixtures import chorale_like

    from musestudio.ml.train import parts as recipe

    pieces = {
        "train": [chorale_like(16, 60, "a"), chorale_like(12, 65, "b")],
        "valid": [chorale_like(8, 62, "v")],
    }
    monkeypatch.setattr(recipe.parts_data, "load", lambda root, split, sources: pieces[split])
    args = recipe.TrainArgs(
        out=tmp_path, preset="tiny", minutes=1e6, max_steps=4, batch_size=2, max_len=400, bars=(4, 8),
        warmup=2, eval_minutes=1e6, eval_examples=1, workers=2, device="cpu",
    )  # fmt: skip
    items = recipe.index(pieces["train"])
    firsts = []
    for worker in (0, 1):
        monkeypatch.setattr(
            recipe.torch.utils.data, "get_worker_info", lambda w=worker: SimpleNamespace(id=w)
        )
        firsts.append(next(iter(recipe._Batches(items, PartsGrammar(), args)))[0])
    assert not torch.equal(firsts[0], firsts[1])
    monkeypatch.undo()
    monkeypatch.setattr(recipe.parts_data, "load", lambda root, split, sources: pieces[split])
    result = recipe.train(args, log=lambda msg: None)
    assert result["steps"] == 4 and math.isfinite(result["best"])
    assert (tmp_path / "parts_best.safetensors").is_file()


def test_export_says_the_new_weights_need_their_key_prior_chosen(one_thread, tmp_path, capsys):
    """The key prior makes up for one set of weights' calibration: export leaves it out and says how to
    choose it again, so a retrained model is never shipped with the old weights' prior or silently none."""
    from musestudio.ml.train.parts import KEY_PRIOR_COMMAND, main

    g = PartsGrammar()
    model, cfg = build_model("tiny", g, 512)
    checkpoint.save(tmp_path / "m", model, cfg, g.to_json(), {}, fp16=False)
    assert main(["export", str(tmp_path / "m"), str(tmp_path / "shipped")]) == 0
    assert f"{KEY_PRIOR_COMMAND} --model {tmp_path / 'shipped'}" in capsys.readouterr().out
    _, _, meta = checkpoint.load(tmp_path / "shipped")
    assert "degrees" not in meta["inference"]
