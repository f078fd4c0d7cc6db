from __future__ import annotations

import pytest

from musestudio.settings import DEFAULTS, MAX_RECENT


def test_defaults_and_round_trip(settings):
    assert settings.get("snap") == DEFAULTS["snap"]
    settings.set("audio_blocksize", 128)
    settings.set("metronome", True)
    settings.sync()
    assert settings.get("audio_blocksize") == 128 and settings.get("metronome") is True


def test_unknown_keys_are_rejected(settings):
    with pytest.raises(KeyError):
        settings.set("snpa", "1/8")
    with pytest.raises(KeyError):
        settings.get("snpa")


def test_recent_files_are_unique_newest_first_and_bounded(settings):
    for i in range(MAX_RECENT + 3):
        settings.add_recent_file(f"/music/{i}.muse")
    settings.add_recent_file("/music/5.muse")
    recent = settings.get("recent_files")
    assert recent[0] == "/music/5.muse" and len(recent) == MAX_RECENT and len(set(recent)) == MAX_RECENT
