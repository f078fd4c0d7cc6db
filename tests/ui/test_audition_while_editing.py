"""Editing the piece while a take is auditioned: the edit is heard with the take still in it. Before, any
change to the score (a track muted to hear the take alone, a note moved, an undo) swapped the plain score
into the player, so the take fell silent while the Takes panel still said it was being auditioned."""

from __future__ import annotations

import pytest

from musestudio.audio.scheduler import events_for
from tests.ui.test_generate_ui import melody_project
from tests.ui.ui_helpers import list_takes


@pytest.fixture
def heard(make_window, monkeypatch):
    """A window on ``melody_project`` with a synth and scheduler but no sound device, and the events its
    player was last given (``heard.events()``)."""
    window = make_window(melody_project())
    live = window.player.player
    assert live.load_synth()  # pull() renders offline
    live.available = True
    given = []
    set_events = live.scheduler.set_events
    monkeypatch.setattr(
        live.scheduler, "set_events", lambda events: (given.append(list(events)), set_events(events))
    )
    window.heard = lambda: given[-1]
    window.events = lambda project: events_for(project, live.sample_rate)
    return window


def test_muting_a_track_while_a_take_is_auditioned_keeps_the_take_in_what_plays(heard):
    window, gen = heard, heard.generate
    list_takes(window, 2)
    gen.audition(0)
    bass = window.document.project.tracks[1]
    window.editor.set_track(bass.id, "Mute", mute=True)
    assert gen.auditioning
    assert window.heard() == window.events(gen.preview_project(gen.current_take()))
    gen.audition(1)  # switching takes still swaps in the other one, over the edited score
    assert window.heard() == window.events(gen.preview_project(gen.takes[1]))


def test_once_the_audition_stops_an_edit_plays_the_score_alone(heard):
    window, gen = heard, heard.generate
    list_takes(window, 1)
    gen.audition(0)
    gen.stop_audition()
    assert window.transport.preview is None
    window.transport.play()
    window.editor.set_track(window.document.project.tracks[1].id, "Mute", mute=True)
    assert window.heard() == window.events(window.document.project)
