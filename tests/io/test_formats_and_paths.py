import sys
from pathlib import Path

import pytest

from musestudio import paths
from musestudio.core import BadInputError
from musestudio.io import formats


def test_convert_midi_to_project_and_back_keeps_the_music(tmp_path):
    seed = paths.resource("seeds", "melody_chords.mid")
    original = formats.load(seed)
    formats.save(original, tmp_path / "song.muse")
    formats.save(formats.load(tmp_path / "song.muse"), tmp_path / "again.MID")
    again = formats.load(tmp_path / "again.MID")
    assert [(t.name, t.program, t.notes) for t in again.tracks] == [
        (t.name, t.program, t.notes) for t in original.tracks
    ]
    assert (again.tempos, again.time_signatures, again.key) == (
        original.tempos,
        original.time_signatures,
        original.key,
    )


@pytest.mark.parametrize("name", ["song.txt", "song", "song.wav"])
def test_unknown_extensions_are_bad_input(tmp_path, name):
    with pytest.raises(BadInputError, match="unknown file type"):
        formats.load(tmp_path / name)


def test_resources_and_models_are_found_in_a_checkout():
    assert (paths.resources_dir() / "seeds" / "demo.mid").is_file()
    assert paths.models_dir().name == "models"
    assert paths.resources_dir().parent == Path(paths.__file__).resolve().parent.parent


def test_frozen_bundle_root_wins_over_the_checkout(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    (tmp_path / "models").mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.models_dir() == tmp_path / "models"


def test_musestudio_home_overrides_everything(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "_MEIPASS", "/nonexistent", raising=False)
    assert paths.resource("seeds") == tmp_path / "resources" / "seeds"


def test_user_folders_follow_the_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.user_data_dir().is_relative_to(tmp_path / "data") and paths.user_data_dir().is_dir()
    assert paths.recovery_dir().parent == paths.user_data_dir()
