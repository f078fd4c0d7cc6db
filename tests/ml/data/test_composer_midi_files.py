"""``benchmarks/composer_midi_files.py``: one composer's quartet movements as the MIDI files `learn` reads."""

import importlib.util
import sys
from pathlib import Path

import pytest

from musestudio.ml.data import learn as data

SCRIPT = Path(__file__).parents[3] / "benchmarks" / "composer_midi_files.py"


def _script():
    spec = importlib.util.spec_from_file_location("composer_midi_files", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up by name
    spec.loader.exec_module(module)
    return module


def test_each_set_holds_out_other_works_than_it_learns():
    script = _script()
    for composer, (learn, held) in script.SETS.items():
        assert len(learn) >= 8 and len(held) >= 6, composer
        assert {script.work_of(p) for p in learn}.isdisjoint({script.work_of(p) for p in held}), composer
        assert all(p.startswith(composer + "/") for p in learn + held)
        assert len({script.file_name(p) for p in learn + held}) == len(learn + held)
    assert script.file_name("beethoven/opus59no1/movement2.mxl") == "beethoven_opus59no1_2.mid"
    assert script.file_name("monteverdi/madrigal.3.1.mxl") == "monteverdi_madrigal_3_1.mid"
    assert script.work_of("mozart/k80/movement1.mxl") == script.work_of("mozart/k80/movement4.mxl")
    assert script.work_of("monteverdi/madrigal.3.1.mxl") != script.work_of("monteverdi/madrigal.3.2.mxl")


def test_part_names_keep_the_scores_and_fill_in_a_quartets():
    script = _script()
    assert script.part_names(["1st Violin", "2nd Violin", "Viola", "Cello"]) == [
        ("1st Violin", 40),
        ("2nd Violin", 40),
        ("Viola", 41),
        ("Cello", 42),
    ]
    assert script.part_names(["Violoncello."]) == [("Violoncello.", 42)]
    assert script.part_names(["Canto", "Quinto", "Alto", "Tenor", "Basso"]) == [
        (n, 52) for n in ("Canto", "Quinto", "Alto", "Tenor", "Basso")
    ]  # voices: choir
    quartet = [("Violin I", 40), ("Violin II", 40), ("Viola", 41), ("Violoncello", 42)]
    assert script.part_names(["Violin", "Violin", "Viola", "Cello"]) == quartet  # two alike: say which
    assert script.part_names(["", "", "", ""]) == quartet


def test_a_movement_becomes_a_file_with_a_track_per_part(tmp_path):
    pytest.importorskip("music21")
    from music21 import meter, note, stream

    script = _script()
    score = stream.Score()
    for name, pitch in (("Violin", 76), ("Violin", 67), ("Viola", 60), ("Violoncello", 48)):
        part = stream.Part()
        part.partName = name
        pickup = stream.Measure(number=0)
        pickup.append(meter.TimeSignature("3/4"))
        pickup.append(note.Note(pitch, quarterLength=1))  # a one-beat upbeat
        part.append(pickup)
        for _ in range(2):
            bar = stream.Measure()
            bar.append(note.Note(pitch + 2, quarterLength=3))
            part.append(bar)
        score.insert(0, part)
    m = script.movement(score)
    assert m.bars == 3 and m.notes == 12
    f = tmp_path / "movement.mid"
    script.write_midi(m.project, f)
    seg = data.read_file(f)
    assert [t.name for t in seg.tracks] == ["Violin I", "Violin II", "Viola", "Violoncello"]
    assert [t.program for t in seg.tracks] == [40, 40, 41, 42]
    beat = seg.tpb
    first = [(n.start, n.duration, n.pitch) for n in seg.tracks[0].notes]
    assert first == [
        (2 * beat, beat, 76),
        (3 * beat, 3 * beat, 78),
        (6 * beat, 3 * beat, 78),
    ]  # upbeat ends bar 0
    assert seg.bars == 3
