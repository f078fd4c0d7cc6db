"""The key the Generate panel detects is the piece's: every pitched track's notes together, not the active
track's alone. A part kept into a track of its own (Add a part's bass, a Bach harmony part) was read alone
once it became the active track, and a bass line of a C major piece (A, E, C...) read as A minor: the panel
said "Detected (A minor)" and a Generate on it went by that key."""

from __future__ import annotations

from musestudio.core.keys import KeySignature, detect_key
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.ml.engines import ADD_PART, CONTINUE, PARTS
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request, Take
from musestudio.ui.generate.panel import KEY_FROM_SELECTION
from tests.ui.test_generate_ui import choose

TPB = 480
C_MAJOR, A_MINOR = KeySignature(0, "major"), KeySignature(9, "minor")
TUNE = [72, 76, 79, 77, 76, 74, 72, 71, 72, 74, 76, 79, 77, 74, 71, 72]  # C major, on C and G
BASS = [48, 45, 40, 45, 41, 43, 45, 48]  # C A E A F G A C: under the tune, alone it sounds like A minor


def tune_with_drums() -> Project:
    tune = Track(name="Tune", notes=tuple(Note(p, i * TPB, TPB, 90) for i, p in enumerate(TUNE)))
    drums = Track(
        name="Drums", channel=9, is_drum=True, notes=tuple(Note(42, i * TPB, 120, 80) for i in range(16))
    )
    return Project(tracks=(tune, drums))


def bass_take(window) -> Take:
    """Add a part's take of a bass under the tune, listed as its Generate lists it (no model needed)."""
    project = window.document.project
    tune = project.tracks[0]
    request = Request(
        ADD_PART,
        PARTS,
        tune.notes,
        TPB,
        (TimeSignature(0, 4, 4),),
        Options(style="bach", variations=1),
        track_id=tune.id,
        parts=(PartSpec(tune.id, tune.notes, "Tune"), PartSpec(NEW_TRACK, (), "", "bass", 32, True)),
    )
    bass = tuple(Note(p, i * 2 * TPB, 2 * TPB, 80) for i, p in enumerate(BASS))
    take = Take(
        1, bass, 0, 16 * TPB, PARTS, "bach", 1, None, None, 0.5, parts=((NEW_TRACK, bass),), request=request
    )
    window.generate.set_takes((take,))
    return take


def test_after_keeping_a_bass_part_the_panel_still_detects_the_pieces_key(make_window):
    window = make_window(tune_with_drums())
    gen, panel = window.generate, window.generate.panel
    assert "C major" in panel.detected_key.text()
    bass_notes = [Note(p, 0, TPB) for p in BASS]
    assert detect_key(bass_notes) == A_MINOR  # what the panel said, reading the new part alone
    bass_take(window)
    assert gen.keep(new_track=True)
    bass = window.document.project.tracks[-1]
    assert window.state.active_track().id == bass.id  # the kept part is the active track
    assert panel.detected_key.text() == "Detected: C major"
    assert panel.key.itemText(0) == "Detected (C major)"
    choose(window, CONTINUE, PARTS, "seed")
    assert gen.build_request().options.key == C_MAJOR  # a Generate on the new part goes by it too


def test_an_empty_new_track_is_given_the_pieces_key(make_window):
    """A track just added to write a part in holds nothing: the piece's key, not none, is detected."""
    window = make_window(tune_with_drums())
    window.editor.push(window.document.project.add_track(Track(name="New")), "Add track")
    window.state.set_active_track(window.document.project.tracks[-1].id)
    assert window.generate.panel.detected_key.text() == "Detected: C major"


def test_the_selection_s_key_is_still_read_alone_when_asked_for(make_window):
    """ "From the selection" reads the selected notes alone, as the user asked: a passage may modulate."""
    window = make_window(tune_with_drums())
    panel = window.generate.panel
    bass = Track(
        name="Bass", channel=1, notes=tuple(Note(p, i * 2 * TPB, 2 * TPB) for i, p in enumerate(BASS))
    )
    window.editor.push(window.document.project.add_track(bass), "Add track")
    window.state.set_active_track(window.document.project.tracks[-1].id)
    window.state.set_selection(n.id for n in window.document.project.tracks[-1].notes)
    panel.key.setCurrentIndex(panel.key.findData(KEY_FROM_SELECTION))
    assert panel.detected_key.text() == "Detected: A minor"
