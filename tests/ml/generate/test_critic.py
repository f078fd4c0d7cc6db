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


def chords(root_pitches: list[int], origin: int = 0) -> list[Note]:
    """A held triad a bar on each root, under the phrase."""
    bar = 4 * TPB
    return [
        Note(root + step, origin + i * bar, bar, 70)
        for i, root in enumerate(root_pitches)
        for step in (0, 4, 7)
    ]


def test_an_arrangement_is_scored_on_the_harmony_it_keeps(home):
    """The music arranged under chords of its own key keeps more of its harmony than under chords a
    tritone away; a take scored without what it arranges (Continue, Rewrite) has no harmony part."""
    tune = phrase()
    in_key = [*tune, *chords([48, 43])]  # G major's C and G under a tune in G
    away = [*tune, *chords([54, 49])]
    kept, lost = critic.score_takes(
        [in_key, away], [0, 0], tpb=TPB, time_signatures=SIGS, style="celtic", arranged=tune
    )
    assert 0.0 <= lost.harmony < kept.harmony <= 1.0
    assert critic.harmony_kept([tune, []], [0, 0], tune, TPB, SIGS) == [pytest.approx(1.0), None]
    assert kept.total > lost.total  # no judge installed: the harmony alone ranks them
    [plain] = critic.score_takes([in_key], [0], tpb=TPB, time_signatures=SIGS, style="celtic")
    assert plain.harmony is None


def test_the_harmony_kept_weighs_half_a_judge():
    """It decides between drafts the judges hear alike, not over them: the style heard beats as large a
    difference in harmony kept."""
    alike = critic.CriticScore(0.6, 0.5, 0.9), critic.CriticScore(0.6, 0.5, 0.6)
    assert alike[0].total > alike[1].total
    heard, kept = critic.CriticScore(0.6, 0.8, 0.6), critic.CriticScore(0.6, 0.5, 0.9)
    assert heard.total > kept.total
    assert critic.CriticScore(0.6, 0.5, 0.9).total == pytest.approx((0.6 + 0.5 + 0.5 * 0.9) / 2.5)
    assert critic.CriticScore(0.6, 0.5).total == pytest.approx(0.55)  # no harmony part: as before
