"""How a user's file is read for a learned style: played parts on the beat, a 1/4 beat grid as bars of 4/4."""

import random

from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.track import Track
from musestudio.io.midi import read_midi, write_midi
from musestudio.ml.data import learn as data
from tests.ml.learn_fixtures import as_rmid, make_files

TPB = 480


def tune(bars: int, lead_in: int) -> list[Note]:
    """Quarter and eighth notes after ``lead_in`` beats of silence; each bar's first beat the strongest
    (three notes struck together) so the downbeat can be heard."""
    out = []
    for b in range(bars):
        bar = (lead_in + 4 * b) * TPB
        out += [Note(p, bar, TPB, 90) for p in (48, 55, 64)]
        out += [Note(67, bar + k * TPB // 2, TPB // 2, 80) for k in range(2, 8)]
    return out


def write(path, notes, meter=(4, 4)):
    project = Project(
        tracks=(Track(name="Piano", program=0, channel=0, notes=tuple(notes)),),
        ticks_per_beat=TPB,
        time_signatures=(TimeSignature(0, *meter),),
    )
    write_midi(project, path)
    return path


def test_a_played_file_is_learnt_on_the_beat_and_the_file_itself_is_left_as_it_is(tmp_path):
    written = tune(8, 0)
    rnd = random.Random(4)
    played = [
        Note(n.pitch, n.start + rnd.randint(0, 25), n.duration - rnd.randint(0, 30), n.velocity)
        for n in written
    ]
    path = write(tmp_path / "played.mid", played)
    seg = data.read_file(path)
    assert seg.played_in
    heard = sorted((n.pitch, n.start, n.duration) for t in seg.tracks for n in t.notes)
    assert heard == sorted((n.pitch, n.start, n.duration) for n in written)
    on_disk = read_midi(path).tracks[0].notes
    assert sorted((n.start, n.duration) for n in on_disk) == sorted((n.start, n.duration) for n in played)
    assert not data.read_file(write(tmp_path / "drawn.mid", written)).played_in


def test_a_file_in_1_4_throughout_is_read_in_bars_of_4_4_from_its_downbeat(tmp_path):
    seg = data.read_file(write(tmp_path / "grid.mid", tune(6, 1), meter=(1, 4)))
    assert [(s.numerator, s.denominator) for s in seg.time_signatures] == [(4, 4)]
    assert seg.bars == 7  # six bars moved by three beats so that the struck chords fall on bar lines
    chords = {n.start for t in seg.tracks for n in t.notes if n.pitch == 48}
    assert all(tick % (4 * TPB) == 0 for tick in chords)
    # 2/4 is a meter musicians write (marches, polkas): it stays
    seg = data.read_file(write(tmp_path / "march.mid", tune(6, 0), meter=(2, 4)))
    assert [(s.numerator, s.denominator) for s in seg.time_signatures] == [(2, 4)]


def test_a_folder_gives_every_midi_file_the_app_opens_an_rmid_file_and_a_kar_file_too(tmp_path):
    """Learn reads what Open reads: an RMID file (.rmi) and a karaoke file (.kar) in the folder are learnt
    from, not passed over (before: only .mid and .midi were looked for)."""
    first, second, third = make_files(tmp_path / "songs", 3, bars=4)
    karaoke = second.rename(second.with_suffix(".kar"))
    rmid = as_rmid(third)
    (tmp_path / "songs" / "notes.txt").write_text("not music")
    segments, skipped = data.read_files([tmp_path / "songs"])
    assert sorted(s.source for s in segments) == sorted(p.name for p in (first, karaoke, rmid))
    assert all(s.bars == 4 for s in segments) and skipped == []
