"""Controllers reach FluidSynth: a pedalled passage rings, a bend bends, and a seek chases the pedal."""

import numpy as np

from musestudio.audio.render import render_project
from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.audio.synth import Synth
from musestudio.core import ControlEvent, Note, Project, TempoChange, Track
from musestudio.core.events import PITCH_BEND, PROGRAM, SUSTAIN

SR = 44100
TPB = 480  # at 120 BPM a beat is half a second


def _staccato_piano(pedal: bool) -> Project:
    notes = tuple(Note(p, i * TPB, TPB // 8, 100) for i, p in enumerate((60, 64, 67, 72, 67, 64, 60, 55)))
    lanes = (ControlEvent(0, SUSTAIN, 127), ControlEvent(8 * TPB, SUSTAIN, 0)) if pedal else ()
    return Project(tracks=(Track(notes=notes, controllers=lanes),), tempos=(TempoChange(0, 120),))


def _gap_energy(audio: np.ndarray) -> float:
    """Energy in the gaps after each staccato note (from 0.15 s to 0.5 s of every beat)."""
    x = audio.astype(np.float64).mean(axis=1)
    gaps = [x[int((i * 0.5 + 0.15) * SR) : int((i + 1) * 0.5 * SR)] for i in range(7)]
    return float(sum(np.sum(g**2) for g in gaps))


def test_the_same_passage_rings_with_the_pedal():
    with_pedal = render_project(_staccato_piano(True), sample_rate=SR)
    without = render_project(_staccato_piano(False), sample_rate=SR)
    # both are normalised to the same peak; held by the pedal the notes fill the gaps between them
    assert _gap_energy(with_pedal) > 4 * _gap_energy(without)


def _pitch_hz(audio: np.ndarray, start_s: float, end_s: float, band: tuple[int, int] = (300, 700)) -> float:
    """The strongest frequency in ``band`` (by default around A4, below its octave harmonic)."""
    x = audio[int(start_s * SR) : int(end_s * SR)].astype(np.float64).mean(axis=1)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), n=1 << 18))
    freqs = np.fft.rfftfreq(1 << 18, 1 / SR)
    band = (freqs > band[0]) & (freqs < band[1])
    return float(freqs[band][np.argmax(spectrum[band])])


def test_a_bend_moves_the_rendered_pitch_by_two_semitones():
    organ = Track(
        program=19,  # church organ: a steady pitch to measure
        notes=(Note(69, 0, 4 * TPB, 100),),
        controllers=(ControlEvent(2 * TPB, PITCH_BEND, 8191),),
    )
    audio = render_project(Project(tracks=(organ,), tempos=(TempoChange(0, 120),)), sample_rate=SR)
    before, after = _pitch_hz(audio, 0.3, 0.95), _pitch_hz(audio, 1.3, 1.95)
    assert abs(before - 440) < 4
    assert abs(after / before - 2 ** (2 / 12)) < 0.01  # the full bend is the default 2 semitones


def test_a_program_change_inside_a_track_changes_the_sound_at_its_tick():
    events = events_for(
        Project(
            tracks=(Track(program=0, controllers=(ControlEvent(TPB, PROGRAM, 40),), notes=(Note(60, 0, 1),)),)
        ),
        SR,
    )
    programs = [(e.sample, e.a) for e in events if e.kind == "program"]
    assert programs == [(0, 0), (SR // 2, 40)]


class _Log(Synth):
    def __init__(self):
        super().__init__(sample_rate=SR)
        self.ccs: list[tuple[int, int, int]] = []

    def control_change(self, channel, cc, value):
        self.ccs.append((channel, cc, value))
        super().control_change(channel, cc, value)


def test_seeking_into_a_pedalled_bar_puts_the_pedal_down_and_out_of_it_up():
    track = Track(
        notes=(Note(60, 0, TPB),),
        controllers=(ControlEvent(TPB, SUSTAIN, 127), ControlEvent(3 * TPB, SUSTAIN, 0)),
    )
    synth = _Log()
    try:
        sched = Scheduler(synth)
        sched.set_events(events_for(Project(tracks=(track,)), SR))
        synth.ccs.clear()
        sched.seek(SR)  # beat 2: the pedal is down there
        assert synth.ccs[-1] == (0, SUSTAIN, 127)
        synth.ccs.clear()
        sched.seek(0)  # before the pedal: reset, and nothing presses it again
        assert (0, SUSTAIN, 0) in synth.ccs and (0, SUSTAIN, 127) not in synth.ccs
    finally:
        synth.close()


def _bend_range(semitones: int) -> tuple[ControlEvent, ...]:
    """RPN 0 set to ``semitones``, then the RPN deselected (null), as sequencers write it."""
    ccs = ((101, 0), (100, 0), (6, semitones), (38, 0), (101, 127), (100, 127))
    return tuple(ControlEvent(0, cc, value) for cc, value in ccs)


def _organ_bent_at_beat_2(lanes: tuple[ControlEvent, ...] = ()) -> Project:
    """A4 held, bent fully up at beat 2 and struck again at beat 3 (a note to start playing from)."""
    notes = (Note(69, 0, 4 * TPB, 100), Note(69, 3 * TPB, 2 * TPB, 100))
    bend = ControlEvent(2 * TPB, PITCH_BEND, 8191)
    return Project(tracks=(Track(program=19, notes=notes, controllers=(*lanes, bend)),))


def _heard_from(scheduler: Scheduler, project: Project, tick: int) -> np.ndarray:
    """Half a second played from ``tick``, after a quarter of a second to settle."""
    scheduler.set_events(events_for(project, SR))
    scheduler.seek(round(tick / TPB * 0.5 * SR))
    scheduler.pull(SR // 4)
    return scheduler.pull(SR // 2)


def test_playing_from_after_a_bend_range_bends_by_that_range():
    """A part setting its bend range to an octave (RPN 0): played from beat 3 the bend is an octave, as
    played from the start, not the default 2 semitones (the chase sent the range's data entry after the
    RPN had been deselected)."""
    with Synth(sample_rate=SR) as synth:
        audio = _heard_from(Scheduler(synth), _organ_bent_at_beat_2(_bend_range(12)), 3 * TPB)
    assert abs(_pitch_hz(audio, 0, 0.5, band=(600, 1200)) / 880 - 1) < 0.01


def test_a_bend_range_set_by_one_piece_is_not_kept_by_the_next():
    """The synth outlives a piece: the next one played on it (no RPN of its own) bends by the default 2
    semitones, not by the octave the last one set; so does the same piece played from before its RPN."""
    with Synth(sample_rate=SR) as synth:
        scheduler = Scheduler(synth)
        _heard_from(scheduler, _organ_bent_at_beat_2(_bend_range(12)), 0)
        audio = _heard_from(scheduler, _organ_bent_at_beat_2(), 3 * TPB)
    assert abs(_pitch_hz(audio, 0, 0.5) / 440 - 2 ** (2 / 12)) < 0.01


def _band_energy(audio: np.ndarray, start_s: float, end_s: float, band: tuple[int, int]) -> float:
    x = audio[int(start_s * SR) : int(end_s * SR)].astype(np.float64).mean(axis=1)
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / SR)
    return float(spectrum[(freqs > band[0]) & (freqs < band[1])].sum())


def test_the_sostenuto_pedal_holds_the_note_down_as_it_is_pressed_and_not_those_after():
    """A bass C2 (65 Hz) struck for an eighth, the sostenuto pedal (CC 66) pressed while its key is down
    and held for four beats, staccato A6s (1760 Hz) after: the bass rings on through the beats, as a
    pianist holds a bass under a melody; the A6s struck after the pedal went down stay short."""

    def piano(pedal: bool) -> Project:
        notes = (Note(36, 0, TPB // 2, 100), *(Note(93, i * TPB, TPB // 8, 100) for i in range(1, 4)))
        lanes = (ControlEvent(TPB // 4, 66, 127), ControlEvent(4 * TPB, 66, 0)) if pedal else ()
        return Project(tracks=(Track(notes=notes, controllers=lanes),), tempos=(TempoChange(0, 120),))

    held, free = (render_project(piano(p), sample_rate=SR) for p in (True, False))
    bass = (50, 80)
    assert _band_energy(held, 0.75, 1.75, bass) > 10 * _band_energy(free, 0.75, 1.75, bass)
    top = (1740, 1780)  # the gaps after the A6s: no longer with the pedal than without it
    gaps = [(i * 0.5 + 0.2, (i + 1) * 0.5) for i in range(1, 4)]
    ringing = sum(_band_energy(held, a, b, top) for a, b in gaps)
    assert ringing < 2 * sum(_band_energy(free, a, b, top) for a, b in gaps)
