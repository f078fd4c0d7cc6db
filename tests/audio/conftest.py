import pytest

from musestudio.audio.synth import Synth


@pytest.fixture
def synth():
    s = Synth(sample_rate=44100)
    yield s
    s.close()
