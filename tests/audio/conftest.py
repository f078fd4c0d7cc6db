import pytest
from audio_checks import FLUTE, TIMGM, with_variation_bank

from musestudio.audio.synth import Synth


@pytest.fixture
def synth():
    s = Synth(sample_rate=44100)
    yield s
    s.close()


@pytest.fixture
def flute_in_bank_8(tmp_path):
    """TimGM6mb with its flute moved to bank 8, program 0 (bank 0's program 0 stays the piano)."""
    return with_variation_bank(TIMGM, tmp_path / "variations.sf2", FLUTE)
