import numpy as np
import pytest

from musestudio.audio.soundfont import find_soundfont
from musestudio.audio.synth import Synth
from musestudio.core.errors import BadInputError


def test_note_sounds_and_stops_after_release(synth):
    synth.program_change(0, 0)
    assert np.abs(synth.render(2048)).max() < 1e-6  # silent before any note
    synth.note_on(0, 60, 100)
    held = synth.render(22050)
    assert held.dtype == np.float32 and held.shape == (22050, 2)
    assert np.abs(held).max() > 0.01
    synth.all_notes_off()
    synth.render(3 * 44100)
    assert np.abs(synth.render(4096)).max() < 1e-4


def test_drum_kit_plays_on_any_channel(synth):
    synth.program_change(3, 0, is_drum=True)
    synth.note_on(3, 38, 110)  # snare: only a kit has it at this key with a sharp attack
    assert np.abs(synth.render(4410)).max() > 0.01


def test_volume_controller_scales_output(synth):
    def peak(volume: int) -> float:
        synth.control_change(0, 7, volume)
        synth.note_on(0, 64, 100)
        out = float(np.abs(synth.render(11025)).max())
        synth.all_notes_off()
        synth.render(3 * 44100)
        return out

    assert peak(30) < 0.5 * peak(127)


def test_missing_soundfont_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="soundfont not found"):
        Synth(tmp_path / "nope.sf2")


def test_unloadable_soundfont_is_bad_input(tmp_path):
    fake = tmp_path / "broken.sf2"
    fake.write_bytes(b"RIFF\x00\x00\x00\x00sfbk" + bytes(64))
    with pytest.raises(BadInputError, match="could not load"):
        Synth(fake)


def test_find_soundfont_prefers_the_given_file(tmp_path):
    sf = tmp_path / "mine.sf2"
    sf.write_bytes(b"x")
    assert find_soundfont(sf) == sf
    assert find_soundfont().suffix in (".sf2", ".sf3")
    text = tmp_path / "a.txt"
    text.write_text("x")
    with pytest.raises(BadInputError, match="not a soundfont"):
        find_soundfont(text)
