"""The critic: the GAN discriminator's realness and the style classifier's probability, each optional."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint, engines
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.generate import critic
from musestudio.ml.models import gan
from tests.beat_grid import BEATS, HEARD, pop_song_after_a_pickup

TPB = 480
SIGS = (TimeSignature(0, 4, 4),)
SHIPPED = Path(__file__).resolve().parents[3] / "models"


def phrase(origin: int = 0) -> list[Note]:
    return [
        Note(p, origin + i * TPB // 2, TPB // 2, 80)
        for i, p in enumerate([67, 69, 71, 72, 74, 72, 71, 69] * 2)
    ]


@pytest.fixture
def home(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path))
    return tmp_path / "models"


def save_discriminator(folder: Path) -> None:
    torch.manual_seed(0)
    config = gan.Config(hidden=16, d_hidden=8)
    d = gan.Discriminator(config)
    checkpoint.save(folder / engines.REALNESS, d, config, None)


def test_no_judges_installed_scores_zero_with_nothing_claimed(home):
    assert critic.available() == {"realness": False, "style": False}
    [score] = critic.score_takes([phrase()], [0], tpb=TPB, time_signatures=SIGS, style="celtic")
    assert score.realness is None and score.style_probability is None and score.total == 0.0
    assert critic.style_probabilities(phrase(), tpb=TPB, time_signatures=SIGS) is None


def test_discriminator_realness_is_read_from_its_own_file(home):
    save_discriminator(home)
    assert critic.available()["realness"]
    scores = critic.score_takes(
        [phrase(), phrase(4 * TPB * 4)], [0, 4 * TPB * 4], tpb=TPB, time_signatures=SIGS, style="celtic"
    )
    assert all(0.0 <= s.realness <= 1.0 and s.style_probability is None for s in scores)
    assert scores[0].realness == pytest.approx(scores[1].realness, abs=1e-6)  # judged from its own bar line
    assert scores[0].total == scores[0].realness


def test_a_damaged_discriminator_is_a_checkpoint_error_naming_the_file(home):
    save_discriminator(home)
    (home / f"{engines.REALNESS}.safetensors").write_bytes(b"garbage")
    with pytest.raises(CheckpointError, match="restyle_gan_critic.safetensors"):
        critic.load_discriminator(home / engines.REALNESS)


@pytest.mark.skipif(
    not (SHIPPED / "style_classifier.safetensors").is_file(), reason="no committed style classifier"
)
def test_style_probability_comes_from_the_shipped_classifier(home):
    for suffix in (".json", ".safetensors"):
        shutil.copy(SHIPPED / f"style_classifier{suffix}", home)
    probs = critic.style_probabilities(phrase(), tpb=TPB, time_signatures=SIGS)
    assert probs is not None and sum(probs.values()) == pytest.approx(1.0, abs=1e-4)
    [score] = critic.score_takes([phrase()], [0], tpb=TPB, time_signatures=SIGS, style="celtic")
    assert score.realness is None and score.style_probability == pytest.approx(probs["celtic"], abs=1e-6)
    [unknown] = critic.score_takes([phrase()], [0], tpb=TPB, time_signatures=SIGS, style="no-such-style")
    assert unknown.style_probability is None


@pytest.mark.skipif(
    not (SHIPPED / "style_classifier.safetensors").is_file(), reason="no committed style classifier"
)
def test_a_song_in_one_beat_bars_is_heard_in_four_four_from_its_downbeat(home):
    """A sequencer's beat grid (1/4 throughout: 617 of POP909's songs) marks beats, not bars; the style
    is read in the bars the song is heard in, as Arrange reads it."""
    for suffix in (".json", ".safetensors"):
        shutil.copy(SHIPPED / f"style_classifier{suffix}", home)
    notes = pop_song_after_a_pickup()
    heard = critic.style_probabilities(notes, tpb=TPB, time_signatures=HEARD)
    beats = critic.style_probabilities(notes, tpb=TPB, time_signatures=BEATS)
    assert beats == pytest.approx(heard, abs=1e-6)
    as_written = critic.probabilities(critic.load_classifier(), notes, TPB, BEATS)
    assert max(abs(as_written[s] - heard[s]) for s in heard) > 0.01  # the grid alone would be read otherwise
