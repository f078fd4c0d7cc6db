from musestudio.core import Note, Project, Track
from musestudio.core.document import Document, diff


def test_diff_reports_note_changes_by_id():
    n1, n2 = Note(60, 0, 10), Note(62, 10, 10)
    t = Track(notes=(n1, n2))
    p = Project(tracks=(t,))
    n3 = Note(64, 20, 10)
    p2 = p.replace_track(t.with_notes((n1.with_pitch(61), n3)))
    (tc,) = diff(p, p2).tracks
    assert tc.added == {n3.id} and tc.removed == {n2.id} and tc.changed == {n1.id} and not tc.settings


def test_diff_sees_settings_tracks_and_timing():
    t = Track()
    p = Project(tracks=(t,))
    c = diff(p, p.replace_track(t.with_(mute=True)).with_tempo(90))
    assert c.tracks[0].settings and c.timing and not c.key
    extra = Track(name="new")
    c2 = diff(p, p.add_track(extra, 0))
    assert c2.tracks_added == (extra.id,) and not c2.tracks_reordered
    assert diff(p, p).empty


def test_document_notifies_and_tracks_modified_state():
    doc = Document(Project(tracks=(Track(),)))
    seen, modified = [], []
    doc.changed.connect(lambda change, project: seen.append(change))
    doc.modified_changed.connect(modified.append)
    original = doc.project
    doc.set_project(original.with_tempo(100))
    assert doc.modified and len(seen) == 1 and modified == [True]
    doc.set_project(original)  # undo back to the saved value: clean again
    assert not doc.modified and modified == [True, False]
    doc.set_project(original)  # no change, no event
    assert len(seen) == 2
