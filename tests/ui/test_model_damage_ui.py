"""Damaged model files met through the real window: the worker's CheckpointError is shown in the panel,
in words, and the project, the takes and the undo stack stay as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save
from test_generate_ui import BAR, choose, melody_project, needs, press_generate

from musestudio.ml import engines
from musestudio.ml.engines import CONTINUE, RESTYLE

MODELS = Path(__file__).resolve().parents[2] / "models"


def assert_refused_and_untouched(qtbot, window, *words: str) -> None:
    before, steps = window.document.project, window.undo_stack.count()
    press_generate(qtbot, window, expect="error")
    message = window.generate.panel.message.text()
    assert all(w in message for w in words), message
    assert window.document.project is before and window.undo_stack.count() == steps
    assert not window.generate.takes and not window.generate.busy


@needs(CONTINUE, "transformer")
def test_continue_with_nan_weights_says_the_file_is_damaged(qtbot, make_window, models_home):
    meta = json.loads((MODELS / "continue_transformer.json").read_text(encoding="utf-8"))
    (models_home / "continue_transformer.json").write_text(json.dumps(meta), encoding="utf-8")
    tensors = load_file(str(MODELS / "continue_transformer.safetensors"))
    tensors["ln_f.weight"] = torch.full_like(tensors["ln_f.weight"], float("nan"))
    (models_home / "continue_transformer.safetensors").write_bytes(save(tensors))
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    assert_refused_and_untouched(qtbot, window, "continue_transformer.safetensors is damaged", "not numbers")


@pytest.mark.skipif(
    not (MODELS / "style_classifier.json").is_file() or not (MODELS / "restyle_gan.json").is_file(),
    reason="no committed Restyle GAN or style classifier",
)
def test_restyle_with_another_models_file_in_place_says_so(qtbot, make_window, models_home):
    for suffix in (".json", ".safetensors"):  # the classifier's files where the Restyle GAN's belong
        (models_home / f"restyle_gan{suffix}").symlink_to(MODELS / f"style_classifier{suffix}")
    window = make_window(melody_project())
    melody = window.document.project.tracks[0]
    window.state.set_selection(n.id for n in melody.notes if BAR <= n.start < 3 * BAR)
    window.generate.panel.set_mode(RESTYLE)
    window.generate.panel.set_restyle_as(RESTYLE)  # Rewrite: the GAN (Arrange is the default)
    choose(window, RESTYLE, "gan", "selection", variations=1)
    assert_refused_and_untouched(qtbot, window, "restyle_gan.json holds a style classifier")


def test_arrange_without_the_parts_model_says_which_file_is_missing(qtbot, make_window, models_home):
    window = make_window(melody_project())
    window.generate.panel.set_mode(RESTYLE)  # Arrange, the default, runs on models/parts: not installed here
    assert_refused_and_untouched(qtbot, window, "parts.safetensors is missing")


def continue_with_a_damaged_judge(qtbot, make_window, models_home, stem: str, tensor: str, value: float):
    """Two Continue takes with the shipped transformer while ``stem``'s ``tensor`` holds ``value`` only:
    (the takes, the message under the button)."""
    for suffix in (".json", ".safetensors"):
        (models_home / f"continue_transformer{suffix}").symlink_to(MODELS / f"continue_transformer{suffix}")
    (models_home / f"{stem}.json").symlink_to(MODELS / f"{stem}.json")
    tensors = load_file(str(MODELS / f"{stem}.safetensors"))
    tensors[tensor] = torch.full_like(tensors[tensor], value)
    (models_home / f"{stem}.safetensors").write_bytes(save(tensors))
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=2)
    press_generate(qtbot, window)
    return window.generate.takes, window.generate.panel.message.text()


@needs(CONTINUE, "transformer")
@pytest.mark.skipif(not (MODELS / "restyle_gan_critic.json").is_file(), reason="no committed critic")
def test_a_damaged_critic_is_left_out_of_the_ranking_and_said(qtbot, make_window, models_home):
    takes, message = continue_with_a_damaged_judge(
        qtbot, make_window, models_home, "restyle_gan_critic", "cls.bias", float("inf")
    )
    assert len(takes) == 2 and all(t.realness is None for t in takes)
    assert "restyle_gan_critic.safetensors is damaged" in message and "ranked without it" in message


@needs(CONTINUE, "transformer")
@pytest.mark.skipif(not (MODELS / "continue_seq2seq.json").is_file(), reason="no committed seq2seq")
def test_a_damaged_phrase_embedding_model_leaves_taste_to_the_statistics(qtbot, make_window, models_home):
    """The Continue seq2seq's encoder only helps taste; a damaged file must not stop a transformer take."""
    takes, message = continue_with_a_damaged_judge(
        qtbot, make_window, models_home, "continue_seq2seq", "out.bias", float("nan")
    )
    assert len(takes) == 2 and all(t.features.embedding == () for t in takes)
    assert "continue_seq2seq.safetensors is damaged" in message and "statistics alone" in message


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2]",
        '{"tokenizer": "x", "config": 3}',
        '{"config": {"styles": [1, {}]}}',
        '{"tokenizer": {"styles": 5}}',
    ],
)
def test_the_panel_reads_no_styles_from_a_damaged_model_file(models_home, content):
    (models_home / "restyle_gan.json").write_text(content)
    assert engines.trained_styles(RESTYLE, "gan") is None
