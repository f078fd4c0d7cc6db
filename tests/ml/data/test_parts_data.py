"""Parts kept apart from a POP909-like MIDI file (written here with mido), and roles guessed from tracks."""

import mido

from musestudio.core.note import Note
from musestudio.core.track import Track
from musestudio.ml.cli.parts import guess_roles
from musestudio.ml.data import parts as data
from musestudio.ml.parts_grammar import canonical


def _pop_file(path, shift_beats=0):
    """Three named tracks on a 480-tick beat grid; everything starts ``shift_beats`` late (a pickup)."""
    mid = mido.MidiFile(ticks_per_beat=480)
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000, time=0)])
    mid.tracks.append(meta)
    lines = {
        "MELODY": [(72 + i % 3, i * 480, 480) for i in range(16)],
        "BRIDGE": [(79, 8 * 480, 960)],
        "PIANO": [(p, b * 1920, 1920) for b in range(4) for p in (48, 60, 64, 67)],
    }
    for name, notes in lines.items():
        events = []
        for p, s, d in notes:
            s += shift_beats * 480
            events += [
                (s, mido.Message("note_on", note=p, velocity=80)),
                (s + d, mido.Message("note_off", note=p)),
            ]
        events.sort(key=lambda e: (e[0], e[1].type == "note_on"))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        t = 0
        for at, msg in events:
            track.append(msg.copy(time=at - t))
            t = at
        mid.tracks.append(track)
    mid.save(path)


def test_pop909_tracks_become_parts_on_one_bar_grid(tmp_path):
    _pop_file(tmp_path / "001.mid", shift_beats=1)
    fields = data._pop909(tmp_path / "001.mid")
    roles = {p.role: p for p in fields["parts"]}
    assert set(roles) == {"melody", "counter-melody", "accompaniment", "bass"}
    assert [n.pitch for n in roles["bass"].notes] == [48] * 4  # the left hand: below G3
    assert all(n.pitch >= data.LEFT_HAND_BELOW for n in roles["accompaniment"].notes)
    # all parts moved by the same bar phase: the piano's chords stay on the melody's bar lines
    mel0 = roles["melody"].notes[0].start
    assert {n.start for n in roles["accompaniment"].notes} == {mel0 + b * 1920 for b in range(4)}
    assert roles["counter-melody"].notes[0].start == mel0 + 8 * 480
    piece = data._decode(data._encode("pop909/001", "pop", fields))
    assert piece.split in ("train", "valid", "test") and len(piece.parts) == 4


def test_roles_from_names_then_from_notes():
    line = tuple(Note(72 + i % 5, i * 240, 240) for i in range(8))
    chords = tuple(Note(p, b * 960, 960) for b in range(2) for p in (60, 64, 67))
    low = tuple(Note(40, b * 960, 960) for b in range(2))
    named = [Track(name="Bass", notes=line), Track(name="Lead", notes=low)]
    assert guess_roles(named) == ["bass", "melody"]
    unnamed = [
        Track(name="Track 1", notes=chords),
        Track(name="Track 2", notes=line),
        Track(name="T3", notes=low),
    ]
    assert guess_roles(unnamed) == ["accompaniment", "melody", "bass"]
    from musestudio.ml.parts_grammar import Part

    parts = [Part(r, 0, t.notes) for r, t in zip(guess_roles(unnamed), unnamed, strict=True)]
    assert canonical(parts) == [1, 0, 2]  # melody, accompaniment, bass


def test_a_quartet_s_violins_by_their_names_however_they_are_written():
    """The first violin leads and the second fills in, even where the second sits above the first: names as
    scores write them ("1st Violin", "Violin I.", "Violino secondo")."""
    high = tuple(Note(79 + i % 3, i * 240, 240) for i in range(8))
    mid = tuple(Note(72 + i % 3, i * 240, 240) for i in range(8))
    for first, second in (
        ("1st Violin", "2nd Violin"),
        ("Violin I.", "Violin II."),
        ("First violin", "Second violin"),
        ("Violino primo", "Violino secondo"),
    ):
        tracks = [Track(name=first, notes=mid), Track(name=second, notes=high)]
        assert guess_roles(tracks) == ["melody", "harmony"], (first, second)


def test_a_general_midi_default_name_says_nothing_about_the_role():
    """An unnamed track is named by its instrument when read ("Acoustic Grand Piano"): a tune and its
    accompaniment both on piano are still a melody and a bass, not two accompaniments."""
    line = tuple(Note(72 + i % 5, i * 240, 240) for i in range(8))
    low = tuple(Note(40 + b % 2, b * 960, 960) for b in range(2))
    default = [Track(name="Acoustic Grand Piano", notes=line), Track(name="Acoustic Grand Piano", notes=low)]
    assert guess_roles(default) == ["melody", "bass"]
    named = [Track(name="Piano", notes=line), Track(name="Acoustic Grand Piano", notes=low)]
    assert guess_roles(named) == ["accompaniment", "melody"]  # "Piano" is the user's word


def test_low_block_chords_accompany_the_tune_and_are_no_bass():
    """A Nottingham tune's second track is block triads low on the piano (C2-D3). Read as the bass, Add a
    part's bass went above it (the lowest part bounds nothing for another bass): at C3-C4 over the chords,
    or one pitch for 33 bars. Chords accompany, however low; a bass doubled in octaves is still the bass."""
    line = tuple(Note(72 + i % 5, i * 240, 240) for i in range(8))
    triads = tuple(Note(p, b * 960, 960) for b in range(2) for p in (36, 40, 43))
    octaves = tuple(Note(p, b * 960, 960) for b in range(2) for p in (36, 48))
    unnamed = [
        Track(name="Acoustic Grand Piano", notes=line),
        Track(name="Acoustic Grand Piano", notes=triads),
    ]
    assert guess_roles(unnamed) == ["melody", "accompaniment"]
    doubled = [
        Track(name="Acoustic Grand Piano", notes=line),
        Track(name="Acoustic Grand Piano", notes=octaves),
    ]
    assert guess_roles(doubled) == ["melody", "bass"]


def test_an_empty_track_never_takes_the_melody_from_a_low_tune_and_its_instrument_says_its_role():
    """An empty track (one Continue in all tracks writes a new part in) was heard as a line at middle C:
    beside a tune below it (a cello's) it took the melody and sent the tune to the bass, and an empty bass
    guitar never was the bass. A track with notes carries the melody before an empty one, whose instrument
    says its role; a lone single-line instrument over a named part is the melody."""
    tune = tuple(Note([50, 52, 53, 55, 57, 55, 53, 52][i % 8], i * 240, 240) for i in range(16))  # mean 53
    cello = Track(name="Track 1", program=42, notes=tune)
    piano, bass, flute = (Track(name=f"Track {k}", program=p) for k, p in ((2, 0), (3, 33), (4, 73)))
    assert guess_roles([cello, piano]) == ["melody", "accompaniment"]
    assert guess_roles([cello, bass]) == ["melody", "bass"]
    assert guess_roles([cello, piano, bass, flute]) == ["melody", "accompaniment", "bass", "harmony"]
    pad = Track(name="Pad 2 (warm)", program=89)  # the reader's default name: the instrument says it
    assert guess_roles([cello, pad]) == ["melody", "accompaniment"]
    named_bass = Track(name="Bass", program=32, notes=tuple(Note(40, b * 960, 960) for b in range(2)))
    assert guess_roles([named_bass, flute]) == ["bass", "melody"]


def test_a_parts_piece_as_a_single_stream_drops_only_realized_chords():
    """Restyle's stand-in for an unbuilt single-stream source: the tune and every played part merged in
    time order, a lead sheet's realized accompaniment and bass left out (that cache has the tune bare)."""
    from musestudio.core.project import TimeSignature
    from musestudio.ml.data.cache import Piece
    from musestudio.ml.parts_grammar import Part

    tune = (Note(72, 0, 240, 90), Note(74, 480, 240, 90))
    counter = (Note(60, 240, 240, 70),)
    chords = (Note(48, 0, 960, 60), Note(52, 0, 960, 60))

    def piece(*parts):
        return data.PartsPiece(
            "nottingham/x",
            "celtic",
            "train",
            480,
            time_signatures=(TimeSignature(0, 4, 4),),
            tempo_bpm=120.0,
            key_signature=None,
            parts=parts,
        )

    stream = piece(
        Part("melody", 0, tune),
        Part("counter-melody", 0, counter),
        Part("accompaniment", 0, chords, realized=True),
    ).as_stream()
    assert isinstance(stream, Piece)
    assert stream.notes == (tune[0], counter[0], tune[1])
    assert (stream.key, stream.style, stream.tpb) == ("nottingham/x", "celtic", 480)
    assert piece(Part("accompaniment", 0, chords, realized=True)).as_stream() is None
