"""The rules of ``request`` that the command line, the Generate panel and its key line share."""

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.track import Track
from musestudio.ml.generate.request import DRUMS_ONLY_KEY, key_over_drums

D_MINOR = KeySignature(2, "minor")
E_MAJOR = KeySignature(4, "major")
KICKS = tuple(Note(36, k * 480, 120, 100) for k in range(8))


def _drums(notes=KICKS) -> Track:
    return Track("Drums", 0, 9, is_drum=True, notes=notes)


def test_a_part_over_drums_alone_is_in_the_key_given_else_the_piece_s_else_c_major():
    """Drums have no key to hear: the key the user picks wins, then the key signature the piece states,
    then the default; an empty pitched track beside the beat is no music to hear a key in."""
    beat = (_drums(), Track("Bass", 32, 1))
    assert key_over_drums(beat, None) == DRUMS_ONLY_KEY == KeySignature(0, "major")
    assert key_over_drums(beat, E_MAJOR) == E_MAJOR
    assert key_over_drums(beat, E_MAJOR, D_MINOR) == D_MINOR
    assert key_over_drums(beat, None, D_MINOR) == D_MINOR


def test_a_piece_with_pitched_notes_or_none_at_all_has_no_key_over_drums():
    """A tune's key is heard in its notes (detected), whatever is picked: the rule is for a beat alone;
    and an empty piece, or one whose drum track is empty, is no beat to write to."""
    band = (_drums(), Track("Lead", 0, 0, notes=(Note(74, 0, 480, 90),)))
    assert key_over_drums(band, E_MAJOR, D_MINOR) is None
    assert key_over_drums((), None) is None
    assert key_over_drums((_drums(()), Track("Lead", 0, 0)), E_MAJOR) is None
