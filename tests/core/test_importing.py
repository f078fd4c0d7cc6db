"""Import into a piece: the resolution both pieces' events land on exactly, and what is said left out."""

from musestudio.core import ControlEvent, Note, Project, TempoChange, Track
from musestudio.core.importing import ROUNDED, TEMPO, import_piece


def blank_never(_track: Track) -> bool:
    return False


def test_an_empty_piece_whose_events_the_files_grid_cannot_hold_takes_a_grid_both_land_on():
    piece = Project(ticks_per_beat=480, tracks=(Track(controllers=(ControlEvent(1, 7, 90),)),))
    other = Project(
        ticks_per_beat=384, tempos=(TempoChange(0, 70),), tracks=(Track(notes=(Note(60, 1, 383),)),)
    )
    done = import_piece(piece, other, blank_never)
    p = done.project
    assert p.ticks_per_beat == 1920 and done.left_out == ()
    assert [e.tick for e in p.tracks[0].controllers] == [4]
    assert [(n.start, n.duration) for n in p.tracks[1].notes] == [(5, 1915)]
    assert p.tempo_bpm == 70


def test_a_piece_with_notes_keeps_its_grid_and_tempo_and_says_what_it_rounded():
    piece = Project(tracks=(Track(notes=(Note(60, 0, 480),)),))
    other = Project(
        ticks_per_beat=960, tempos=(TempoChange(0, 70),), tracks=(Track(notes=(Note(60, 1, 959),)),)
    )
    done = import_piece(piece, other, blank_never)
    assert done.project.ticks_per_beat == 480 and done.project.tempo_bpm == 120
    assert done.left_out == (TEMPO, ROUNDED)


def test_into_a_piece_with_no_notes_what_the_user_set_and_the_file_replaced_is_named():
    """The file comes in whole, as Open gives it; a tempo and meter the user set on the empty piece give
    way, and the import says so. A new piece's own 120 BPM in 4/4 is nobody's choice: nothing to say."""
    from musestudio.core import KeySignature, TimeSignature
    from musestudio.core.importing import KEY, METER

    other = Project(
        tempos=(TempoChange(0, 96),),
        time_signatures=(TimeSignature(0, 6, 8),),
        tracks=(Track(notes=(Note(60, 0, 480),)),),
    )
    set_up = Project(
        tempos=(TempoChange(0, 90),), time_signatures=(TimeSignature(0, 3, 4),), key=KeySignature(2, "major")
    )
    done = import_piece(set_up, other, blank_never)
    assert done.project.tempo_bpm == 96 and done.replaced == (TEMPO, METER, KEY) and done.left_out == ()
    assert import_piece(Project(), other, blank_never).replaced == ()
