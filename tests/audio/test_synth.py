import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from audio_checks import FLUTE, TIMGM, with_samples_out_of_range

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


def test_unloadable_soundfont_is_bad_input_said_once_in_our_words(tmp_path, capfd):
    """FluidSynth's own lines about it (naming the file /proc/self/fd/3) are not printed: the error says it."""
    fake = tmp_path / "broken.sf2"
    fake.write_bytes(b"RIFF\x00\x00\x00\x00sfbk" + bytes(64))
    with pytest.raises(BadInputError, match="could not load"):
        Synth(fake)
    assert "fluidsynth: error" not in capfd.readouterr().err


def test_random_bytes_named_like_a_soundfont_are_refused_without_fluidsynth_s_glib_noise(tmp_path, capfd):
    """A file of random bytes chosen as a soundfont: FluidSynth handed it to libinstpatch, which printed a
    GLib CRITICAL on stderr before refusing it. It is refused in our words alone."""
    noise = tmp_path / "noise.sf2"
    noise.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(BadInputError, match="could not load"):
        Synth(noise)
    assert capfd.readouterr().err == ""


def test_a_partly_damaged_soundfont_warns_once_not_once_per_sample(tmp_path, capfd):
    """20 samples point outside the data: FluidSynth warned 20 lines on stderr (hundreds for a larger
    soundfont). One line says the kind of warning and how many more came; the synth still plays and
    ``damaged`` counts the samples, for the window and the command line to say in their words."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=500)
    with Synth(damaged) as synth:
        synth.program_change(0, 0)
        synth.note_on(0, 60, 100)
        assert np.abs(synth.render(4410)).max() > 0.01 and synth.damaged == (20, 520)
    said = capfd.readouterr().err.splitlines()
    assert len(said) == 1
    assert said[0].startswith("fluidsynth: warning: Sample '")
    assert said[0].endswith("invalid start/end file positions (and 19 more like it)")


def test_find_soundfont_prefers_the_given_file(tmp_path):
    sf = tmp_path / "mine.sf2"
    sf.write_bytes(b"x")
    assert find_soundfont(sf) == sf
    assert find_soundfont().suffix in (".sf2", ".sf3")
    text = tmp_path / "a.txt"
    text.write_text("x")
    with pytest.raises(BadInputError, match="not a soundfont"):
        find_soundfont(text)


def _run_child(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter: a FluidSynth crash must fail the test, not end the test run."""
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


SOUNDFONT_CHANGED_WHILE_IN_USE = """
    import shutil, sys
    import numpy as np
    from musestudio.audio.synth import Synth
    mine = shutil.copy({timgm!r}, {copy!r})
    synth = Synth(mine)
    synth.render(1024)  # the piano on every channel is loaded; the bass (program 33) is not yet
    {change}
    synth.program_change(1, 33)  # FluidSynth reads the bass's samples from the file now
    synth.note_on(1, 40, 110)
    print("peak", float(np.abs(synth.render(22050)).max()), "unreadable", synth.unreadable)
"""


def test_a_soundfont_deleted_while_in_use_still_plays_its_instruments(tmp_path):
    """The user tidies the downloads folder while the app runs: the instruments not heard yet still load."""
    copy = tmp_path / "MySounds.sf2"
    change = f"import os; os.unlink({str(copy)!r})"
    done = _run_child(SOUNDFONT_CHANGED_WHILE_IN_USE.format(timgm=str(TIMGM), copy=str(copy), change=change))
    assert done.returncode == 0, done.stderr[-2000:]
    peak = float(done.stdout.split()[1])
    assert peak > 0.01 and done.stdout.strip().endswith("unreadable None")


def test_a_soundfont_damaged_while_in_use_silences_the_instrument_instead_of_crashing(tmp_path):
    """The file cut short in place (a sync tool, a failing disk): its instruments cannot be read. The
    channel stays silent and the synth says why; FluidSynth would crash on the half-loaded preset."""
    copy = tmp_path / "MySounds.sf2"
    change = f"open({str(copy)!r}, 'r+b').truncate(300_000)"
    done = _run_child(SOUNDFONT_CHANGED_WHILE_IN_USE.format(timgm=str(TIMGM), copy=str(copy), change=change))
    assert done.returncode == 0, done.stderr[-2000:]
    peak = float(done.stdout.split()[1])
    assert peak < 1e-6 and f"the soundfont {copy} could not be read" in done.stdout


def test_bank_select_picks_the_variation_and_falls_back_to_bank_0(flute_in_bank_8):
    def note(bank: int | None, program: int, soundfont=flute_in_bank_8) -> np.ndarray:
        with Synth(soundfont) as synth:
            if bank is not None:
                synth.control_change(0, 0, bank)
            synth.program_change(0, program)
            synth.note_on(0, 72, 100)
            return synth.render(22050)

    flute = note(None, FLUTE, TIMGM)
    np.testing.assert_array_equal(note(8, 0), flute)  # bank 8's program 0: the flute moved there
    assert not np.array_equal(note(None, 0), flute)  # bank 0's program 0: still the piano
    np.testing.assert_array_equal(note(8, 5), note(None, 5))  # not in bank 8: bank 0's program 5


def test_a_folder_or_a_pipe_named_like_a_soundfont_is_called_what_it_is(tmp_path):
    folder = tmp_path / "folder.sf2"
    folder.mkdir()
    with pytest.raises(BadInputError, match="is a folder, not a soundfont file"):
        Synth(folder)
    pipe = tmp_path / "pipe.sf2"
    os.mkfifo(pipe)
    with pytest.raises(BadInputError, match="not a regular file"):
        Synth(pipe)
