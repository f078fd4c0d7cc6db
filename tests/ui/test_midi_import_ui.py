"""File > Import MIDI rescales everything to the project's resolution; .smf and .kar open like .mid."""

from pathlib import Path

from musestudio.core import ControlEvent, Marker, Note, Project, TempoChange, TimeSignature, Track
from musestudio.core.events import SUSTAIN
from musestudio.io.midi import write_midi

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "midi"


def test_import_into_an_empty_project_rescales_tempo_meter_markers_and_lanes(make_window, tmp_path):
    src = Project(
        ticks_per_beat=960,
        tempos=(TempoChange(0, 90), TempoChange(3840, 140)),
        time_signatures=(TimeSignature(0, 4, 4), TimeSignature(3840, 3, 4)),
        markers=(Marker(7680, "B"),),
        tracks=(Track(notes=(Note(60, 960, 960),), controllers=(ControlEvent(1920, SUSTAIN, 127),)),),
    )
    write_midi(src, tmp_path / "in.mid")
    window = make_window(Project(tracks=(Track(),)))
    assert window.files.import_midi(tmp_path / "in.mid")
    p = window.document.project
    assert p.ticks_per_beat == 480
    assert [(t.tick, t.bpm) for t in p.tempos] == [(0, 90), (1920, 140)]
    assert [(s.tick, str(s)) for s in p.time_signatures] == [(0, "4/4"), (1920, "3/4")]
    assert [(m.tick, m.text) for m in p.markers] == [(3840, "B")]
    imported = p.tracks[-1]
    assert [(n.start, n.duration) for n in imported.notes] == [(480, 480)]
    assert [e.tick for e in imported.lane(SUSTAIN)] == [960]


def test_smf_and_kar_files_open(window):
    assert window.files.open_path(FIXTURES / "markers_lyrics.kar", ask=False)
    assert [m.text for m in window.document.project.markers] == ["Intro", "Verse 1", "Chorus"]
    assert window.files.open_path(FIXTURES / "edge" / "latin1_name.smf", ask=False)
    assert [t.name for t in window.document.project.tracks] == ["Flöte", "鋼琴", "Café"]
