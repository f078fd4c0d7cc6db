"""An empty pitched track (made and not written in yet, or whose notes were all deleted) is no part the parts
engine reads, unless it is a track the request writes into: then it is a new part, and counts as one.

Before, every pitched track was a part: a piece of as many parts with notes as the model reads and one empty
track was refused ("reads at most 8 pitched parts, got 9"), and an empty track heard as context put a part
that is silent throughout into the model's stream (a part the corpus never has: ``parts_windows.index``
drops them). What is checked holds whatever the weights (a tiny random model): the takes are those of the
piece without the empty track, each part's notes at the caller's index of its part, the empty one's none.
"""

import json

import pytest
from parts_fixtures import chorale_like, save_tiny_parts_model

from musestudio.cli import main
from musestudio.core.errors import BadInputError
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io import formats
from musestudio.ml import engines
from musestudio.ml.generate.parts import Options, PartIn, add_part, continue_parts, infill

EMPTY = PartIn((), "bass", 33)


@pytest.fixture(scope="module")
def stem(tmp_path_factory, one_thread):
    out = save_tiny_parts_model(tmp_path_factory.mktemp("parts") / "parts")
    yield out
    engines.unload()


def _parts(bars=4):
    return [PartIn(p.notes, p.role, p.program) for p in chorale_like(bars).parts]


def _opts(stem):
    return Options(style="pop", variations=2, seed=11, model=stem)


def _with_empty_at(k: int, takes) -> list:
    """Each take's parts with an empty part put in at index ``k``: what a run with the empty part gives."""
    return [(*t.parts[:k], (), *t.parts[k:]) for t in takes]


def test_continue_hears_no_empty_part_and_gives_each_part_its_own_notes(stem):
    melody, harmony, bass = _parts()
    result = continue_parts(
        [melody, EMPTY, harmony, bass], tpb=480, bars=2, listed=[0, 3], options=_opts(stem)
    )
    alone = continue_parts([melody, harmony, bass], tpb=480, bars=2, listed=[0, 2], options=_opts(stem))
    assert [t.parts for t in result.takes] == _with_empty_at(1, alone.takes)
    assert all(t.parts[0] and t.parts[3] for t in result.takes)


def test_add_a_part_and_infill_hear_no_empty_part(stem):
    melody, harmony, bass = _parts()
    new = PartIn((), "harmony", 52)
    added = add_part([melody, EMPTY, bass], new, tpb=480, bars=(0, 1), options=_opts(stem))
    alone = add_part([melody, bass], new, tpb=480, bars=(0, 1), options=_opts(stem))
    assert [t.parts for t in added.takes] == _with_empty_at(1, alone.takes)
    assert all(t.parts[3] for t in added.takes)  # the new part comes last, after the given ones

    filled = infill([EMPTY, melody, harmony, bass], 2, tpb=480, bars=(1, 2), options=_opts(stem))
    alone = infill([melody, harmony, bass], 1, tpb=480, bars=(1, 2), options=_opts(stem))
    assert [t.parts for t in filled.takes] == _with_empty_at(0, alone.takes)


def test_an_empty_part_counts_towards_the_most_the_model_reads_only_when_it_is_written(stem, monkeypatch):
    """Three parts with notes and an empty one, the model reading three: continuing the three is fine,
    continuing all four writes the empty one as a new part, which is one too many."""
    monkeypatch.setattr(engines, "MAX_PARTS", 3)
    parts = [*_parts(), EMPTY]
    result = continue_parts(parts, tpb=480, bars=1, listed=[0, 1, 2], options=_opts(stem))
    assert all(len(t.parts) == 4 and t.parts[3] == () for t in result.takes)
    with pytest.raises(BadInputError, match="the parts model reads at most 3 pitched parts, got 4"):
        continue_parts(parts, tpb=480, bars=1, options=_opts(stem))
    melody, _, bass = _parts()
    added = add_part([melody, EMPTY, bass], PartIn((), "harmony", 52), tpb=480, options=_opts(stem))
    assert all(len(t.parts) == 4 and t.parts[1] == () for t in added.takes)


# -- the CLI: the same rule, and the empty track is in every take's file --------------------------------


def _file(tmp_path):
    """Melody, an empty track, chords, drums and bass (tracks 1-5 as ``info`` lists them)."""
    piece = chorale_like(4)
    tracks = [
        Track(name="Melody", program=0, channel=0, notes=piece.parts[0].notes),
        Track(name="Strings", program=48, channel=3),
        Track(name="Chords", program=0, channel=1, notes=piece.parts[1].notes),
        Track(name="Drums", channel=9, is_drum=True, notes=piece.parts[2].notes[:4]),
        Track(name="Bass", program=32, channel=2, notes=piece.parts[2].notes),
    ]
    path = tmp_path / "seed.mid"
    formats.save(Project(tracks=tuple(tracks)), path)
    return path


def _run(capsys, stem, *argv):
    code = main([*map(str, argv), "--model", str(stem), "--seed", "3", "--variations", "1", "--style", "pop"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "command, most",
    [
        (["add-part", "--role", "counter-melody", "--json"], 4),
        (["infill", "--track", "5", "--bars", "2-3", "--json"], 3),
        (["continue", "--tracks", "1,3,5", "--bars", "1", "--json"], 3),
    ],
    ids=["add-part", "infill", "continue-tracks"],
)
def test_the_cli_counts_no_empty_track_it_does_not_write_and_keeps_it_in_the_takes(
    stem, tmp_path, capsys, monkeypatch, command, most
):
    monkeypatch.setattr(engines, "MAX_PARTS", most)
    path = _file(tmp_path)
    before = formats.load(path)
    code, out, err = _run(capsys, stem, command[0], path, "-o", tmp_path / "takes", *command[1:])
    assert code == 0, err
    after = formats.load(json.loads(out)["takes"][0]["path"])
    assert after.tracks[1].name == "Strings" and after.tracks[1].notes == ()
    assert after.tracks[1].program == 48
    assert [t.name for t in after.tracks[:5]] == [t.name for t in before.tracks]


def test_the_cli_continues_every_track_with_notes_and_says_which_empty_one_it_has_no_room_for(
    stem, tmp_path, capsys, monkeypatch
):
    """Continuing every track writes in an empty one too while the model has room for it. Before, when it
    had none, the whole command was refused; now the tracks with notes go on, the empty one stays as it is
    and stderr says so. Naming the empty track with --tracks is still refused: it was asked for."""
    path = _file(tmp_path)
    before = formats.load(path)
    monkeypatch.setattr(engines, "MAX_PARTS", 4)
    code, out, err = _run(capsys, stem, "continue", path, "-o", tmp_path / "all", "--bars", "1", "--json")
    assert code == 0 and "stays empty" not in err
    assert formats.load(json.loads(out)["takes"][0]["path"]).tracks[1].notes

    monkeypatch.setattr(engines, "MAX_PARTS", 3)
    code, out, err = _run(capsys, stem, "continue", path, "-o", tmp_path / "takes", "--bars", "1", "--json")
    assert code == 0, err
    assert (
        "note: track 2 ('Strings') stays empty in the takes of seed.mid: the parts model reads at most 3 "
        "tracks, and the tracks with notes come first"
    ) in err
    after = formats.load(json.loads(out)["takes"][0]["path"])
    assert after.tracks[1].name == "Strings" and after.tracks[1].notes == () and after.tracks[1].program == 48
    assert all(len(after.tracks[i].notes) > len(before.tracks[i].notes) for i in (0, 2, 4))

    code, _, err = _run(capsys, stem, "continue", path, "-o", tmp_path / "named", "--tracks", "1,2,3,5")
    assert code == 2 and err.count("\n") == 1
    assert (
        "seed.mid has 3 pitched tracks with notes and 1 empty one to write in, and the parts model reads at "
        "most 3; name fewer tracks with --tracks" in err
    )
