import tracemalloc

import numpy as np
import pytest
from audio_checks import FLUTE, SR, TIMGM, dense_fortissimo, onsets, with_samples_out_of_range

from musestudio.audio.render import Rendering, render_project, to_int16, write_wav
from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.audio.soundfont import find_soundfont, samples_out_of_range
from musestudio.audio.synth import Synth
from musestudio.core import Note, Project, TempoChange, Track
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.events import PROGRAM, ControlEvent
from musestudio.core.timing import project_seconds
from musestudio.io.wav import read_wav

TPB = 480
WOODBLOCK = 76  # GM hi wood block: a sharp attack and a short decay make clean onsets


def rhythm_project() -> Project:
    """Irregular strikes across a tempo change, so a fixed offset or a wrong tempo map cannot pass."""
    starts = [0, 720, 1200, 2160, 2880, 3600, 4200, 5280, 6000]
    notes = tuple(Note(WOODBLOCK, s, 120, 110) for s in starts)
    return Project(
        tracks=(Track(name="blocks", is_drum=True, channel=9, notes=notes),),
        ticks_per_beat=TPB,
        tempos=(TempoChange(0, 100.0), TempoChange(2880, 150.0)),
    )


def test_onsets_land_where_the_score_puts_them():
    project = rhythm_project()
    audio = render_project(project)
    expected = [round(project_seconds(project, n.start) * SR) for n in project.tracks[0].notes]
    found = onsets(audio)
    assert len(found) == len(expected)
    errors_ms = [(f - e) * 1000 / SR for f, e in zip(found, expected, strict=True)]
    assert all(-1.0 <= err <= 5.0 for err in errors_ms), errors_ms  # FluidSynth's 64-frame grid + attack


def test_piano_line_is_clearly_audible_and_normalised():
    notes = tuple(Note(60 + step, i * TPB, TPB, 80) for i, step in enumerate([0, 2, 4, 5, 7, 5, 4, 2]))
    audio = render_project(Project(tracks=(Track(notes=notes),)))
    assert audio.dtype == np.int16 and audio.ndim == 2 and audio.shape[1] == 2
    peak_dbfs = 20 * np.log10(np.abs(audio).max() / 32768)
    assert -1.5 < peak_dbfs < -0.5
    music = audio[: 4 * SR].astype(np.float64) / 32768
    assert 20 * np.log10(np.sqrt(np.mean(music**2))) > -30  # loud throughout, not one spike
    assert 4 * SR <= len(audio) <= 4 * SR + 4 * SR  # the line plus a release tail, no endless silence


def test_a_dense_fortissimo_is_scaled_down_whole_into_the_wav_not_clipped(tmp_path):
    """FluidSynth's mix of ten fff parts peaks at +8 dB: the WAV has it at -1 dBFS with no sample at full
    scale, scaled as one (its dynamics kept, no limiter's gain riding the chords), as it is in playback's
    float output before the sound card."""
    project = dense_fortissimo(beats=2)
    with Synth(sample_rate=SR) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events_for(project, SR))
        mix = scheduler.pull(SR)
    assert np.abs(mix).max() > 2.0
    with Rendering(project, sample_rate=SR) as rendering:
        rendering.write_wav(tmp_path / "ff.wav")
    audio, _ = read_wav(tmp_path / "ff.wav")
    assert np.abs(audio.astype(np.int32)).max() < 32767
    assert 20 * np.log10(np.abs(audio).max() / 32768) == pytest.approx(-1.0, abs=0.1)
    scale = np.abs(audio[:SR]).max() / np.abs(mix).max()
    assert np.abs(audio[:SR] - mix * scale).max() <= 1  # one factor for the whole piece (rounding aside)


def test_muted_and_soloed_tracks():
    lead = Track(name="lead", notes=tuple(Note(72, i * TPB, TPB // 2) for i in range(4)))
    drums = Track(name="drums", is_drum=True, notes=tuple(Note(38, i * TPB + TPB // 2, 60) for i in range(4)))
    lead_alone = render_project(Project(tracks=(lead,)))
    np.testing.assert_array_equal(render_project(Project(tracks=(lead, drums.with_(mute=True)))), lead_alone)
    np.testing.assert_array_equal(render_project(Project(tracks=(lead.with_(solo=True), drums))), lead_alone)
    drums_alone = render_project(Project(tracks=(drums,)))
    np.testing.assert_array_equal(render_project(Project(tracks=(lead, drums.with_(solo=True)))), drums_alone)
    assert len(onsets(drums_alone)) == 4 and len(onsets(lead_alone)) == 4
    assert not np.array_equal(render_project(Project(tracks=(lead, drums)))[: len(lead_alone)], lead_alone)
    silent = render_project(Project(tracks=(lead.with_(mute=True), drums.with_(mute=True))))
    assert np.abs(silent).max() == 0


def test_progress_runs_to_one_and_cancel_stops():
    seen: list[float] = []
    render_project(rhythm_project(), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 3
    with pytest.raises(Cancelled):
        render_project(rhythm_project(), cancel=lambda: len(seen) > 0)


def test_wav_round_trip(tmp_path):
    audio = to_int16(np.sin(np.linspace(0, 100, 4410, dtype=np.float32))[:, None].repeat(2, axis=1))
    path = tmp_path / "out.wav"
    write_wav(path, audio, SR)
    back, rate = read_wav(path)
    assert rate == SR
    np.testing.assert_array_equal(back, audio)
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]  # no temp file left behind


def dbfs(audio: np.ndarray) -> float:
    return 20 * np.log10(max(float(np.abs(audio.astype(np.float64)).max()), 1e-9) / 32768)


def one_note(velocity: int, volume: int) -> Project:
    return Project(tracks=(Track(volume=volume, notes=(Note(60, 0, 960, velocity),)),))


def test_a_soft_piece_keeps_its_release_tail_as_a_loud_one_does():
    """An mp passage (velocity 40, volume 60): normalised like any other, it must fade out, not stop while
    the note still sounds; the tail ends where it has died away against the mix, not at a fixed level."""
    soft, loud = render_project(one_note(40, 60)), render_project(one_note(100, 100))
    assert dbfs(soft) > -1.5
    assert dbfs(soft[-441:]) < -55 and dbfs(loud[-441:]) < -55
    assert abs(len(soft) - len(loud)) < 0.5 * SR  # the same note rings about as long


def test_a_very_soft_piece_is_brought_up_and_a_silent_one_stays_silent():
    very_soft = render_project(one_note(5, 10))
    assert dbfs(very_soft) > -1.5
    assert not render_project(one_note(1, 1)).any()  # below what FluidSynth sounds: nothing to bring up


def test_a_pedal_still_down_at_the_end_rings_and_is_then_lifted_not_cut():
    """The last chord under the pedal, the pedal never lifted (a live take's last bar): it rings on past
    the notes' ends, then the pedal lifts and the chord releases; the WAV ends quietly."""
    pedal = ControlEvent(0, 64, 127)
    chord = tuple(Note(p, 0, 240, 100) for p in (48, 55, 60, 64))
    audio = render_project(Project(tracks=(Track(notes=chord, controllers=(pedal,)),)))
    assert len(audio) > 3 * SR  # the notes end at 0.25 s: the pedal holds them
    assert dbfs(audio[-441:]) < -55


def test_a_bank_select_at_the_start_plays_the_variation(flute_in_bank_8):
    """The piece asks for bank 8's program 0 (here the flute): the WAV plays it, not bank 0's piano."""
    notes = (Note(72, 0, 960, 100),)
    variation = Track(program=0, controllers=(ControlEvent(0, 0, 8),), notes=notes)
    flute = render_project(Project(tracks=(Track(program=FLUTE, notes=notes),)), soundfont=TIMGM)
    np.testing.assert_array_equal(render_project(Project(tracks=(variation,)), flute_in_bank_8), flute)
    piano = render_project(Project(tracks=(Track(program=0, notes=notes),)), flute_in_bank_8)
    assert not np.array_equal(piano[: len(flute)], flute[: len(piano)])


def test_seeking_back_before_a_bank_change_plays_the_bank_in_force_there(flute_in_bank_8):
    change = (ControlEvent(1920, 0, 8), ControlEvent(1920, PROGRAM, 0))
    track = Track(program=0, controllers=change, notes=(Note(72, 0, 480), Note(72, 1920, 480)))
    with Synth(flute_in_bank_8) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events_for(Project(tracks=(track,)), SR))
        scheduler.pull(3 * SR)  # past the change: bank 8
        assert synth._fs.program_info(0)[1:] == (8, 0)
        scheduler.seek(0)
        scheduler.pull(64)
        assert synth._fs.program_info(0)[1:] == (0, 0)


def test_a_bank_select_sent_after_the_program_waits_for_the_next_one(flute_in_bank_8):
    """A file's bank select after its program at tick 0 (``Track.program_after``) waits for a later
    program, as in a MIDI player: the first note plays bank 0's piano, not bank 8's flute."""
    notes = (Note(72, 0, 960, 100),)
    waiting = Track(program=0, controllers=(ControlEvent(0, 0, 8),), notes=notes, program_after=0)
    piano = render_project(Project(tracks=(Track(program=0, notes=notes),)), flute_in_bank_8)
    np.testing.assert_array_equal(render_project(Project(tracks=(waiting,)), flute_in_bank_8), piano)
    later = Track(program=0, controllers=(ControlEvent(0, 0, 8), ControlEvent(1920, PROGRAM, 0)))
    change = later.with_(notes=(Note(72, 1920, 960, 100),), program_after=0)
    flute = Track(program=FLUTE, notes=change.notes)
    np.testing.assert_array_equal(
        render_project(Project(tracks=(change,)), flute_in_bank_8),
        render_project(Project(tracks=(flute,)), soundfont=TIMGM),
    )


def test_a_piece_ending_in_silent_bars_renders_them():
    """A 4-bar loop whose only note is in bar 1 (a count-in, a drum pattern): the WAV lasts the 4 bars, so
    it loops in a DAW as the piece does."""
    project = Project(tracks=(Track(notes=(Note(60, 0, 240, 100),)),), end_of_track=4 * 4 * TPB)
    audio = render_project(project)
    assert len(audio) >= round(project_seconds(project, 4 * 4 * TPB) * SR)  # 8 s at 120 BPM
    assert len(render_project(project.with_(end_of_track=0))) < 4 * SR


def test_a_long_piece_renders_to_a_wav_without_holding_the_mix_in_memory(tmp_path):
    """A long piece streams to disk: the float mix was held whole, then copied twice (4.5 GB an hour,
    27 GB for the six hours allowed). Here three minutes, whose float mix alone is 64 MB."""
    notes = tuple(Note(60 + i % 12, i * 4 * TPB, TPB, 90) for i in range(90))
    project = Project(tracks=(Track(notes=notes),))
    path = tmp_path / "long.wav"
    tracemalloc.start()
    try:
        with Rendering(project) as rendering:
            rendering.write_wav(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16e6, f"{peak / 1e6:.0f} MB"
    audio, _rate = read_wav(path)
    assert len(audio) == rendering.frames and len(audio) > 178 * SR and not rendering.silent
    assert len(onsets(audio[: 60 * SR])) == 30
    np.testing.assert_array_equal(audio, render_project(project))


def test_a_soundfont_whose_samples_point_outside_its_data_is_told_from_a_sound_one(tmp_path):
    """FluidSynth loads it and renders silence; the sample headers say why, in a read of a few kB. With
    not one sample that can sound the synth refuses it, saying so."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=1)
    piece = Project(tracks=(Track(notes=(Note(60, 0, 480, 100),)),))
    with Rendering(piece, damaged) as rendering:
        assert rendering.silent and rendering.soundfont == damaged
    assert samples_out_of_range(damaged) == (519, 520)
    wrecked = with_samples_out_of_range(TIMGM, tmp_path / "wrecked.sf2")
    assert samples_out_of_range(wrecked) == (520, 520)
    with pytest.raises(BadInputError, match="looks damaged: none of its 520 samples") as raised:
        Synth(wrecked)
    assert raised.value.code == "soundfont_damaged" and raised.value.params["where"] == str(wrecked)
    assert samples_out_of_range(TIMGM) == (0, 520)
    bad, total = samples_out_of_range(find_soundfont())  # the installed one: an sf3 with odd-sized chunks
    assert bad == 0 and total > 100
    (tmp_path / "text.sf2").write_text("not a soundfont")
    assert samples_out_of_range(tmp_path / "text.sf2") == (0, 0)


def test_a_partly_damaged_soundfont_renders_and_the_render_says_how_many_samples_cannot_sound(tmp_path):
    """20 of its samples point outside its data: FluidSynth loads it, the piano sounds, and those 20 play as
    silence, so the render keeps the count for its caller to say (a sound soundfont: none)."""
    damaged = with_samples_out_of_range(TIMGM, tmp_path / "damaged.sf2", spared=500)
    piece = Project(tracks=(Track(notes=(Note(60, 0, 480, 100),)),))
    with Rendering(piece, damaged) as rendering:
        assert not rendering.silent and rendering.damaged == (20, 520)
    with Rendering(piece, TIMGM) as rendering:
        assert rendering.damaged == (0, 520)
