"""MIDI out from the live transport (``LiveOutput``) on the silent transport, into a port that keeps what it
is sent: no MIDI system needed."""

from __future__ import annotations

import time

from midi_ports_helpers import wait_until

from musestudio.audio.player import LivePlayer
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.midi.live import LiveOutput

NO_DEVICE = "no such audio device"


class HeldUpPort:
    """An output port that keeps what it is sent and holds its sender up once, at the first note, for
    ``seconds``: what a loaded machine does to the MIDI thread now and then (seen: half a second)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sent = []

    def send(self, message) -> None:
        self.sent.append(message)
        if message.type == "note_on" and sum(m.type == "note_on" for m in self.sent) == 1:
            time.sleep(self.seconds)

    def close(self) -> None:
        pass


def test_a_midi_thread_held_up_mid_play_sends_the_notes_it_owes_in_order_not_a_jump():
    """Held up for 0.6 s at the first note, MIDI out sends the notes due meanwhile late, in order; it took
    the step for a click on the ruler and dropped them (a synth recording the song lost notes)."""
    sixteenths = tuple(Note(60 + i, i * 120, 60, 90) for i in range(16))  # 2 s at 120 BPM
    sent = played_out(sixteenths, LivePlayer(device=NO_DEVICE), HeldUpPort(0.6))
    assert [m.note for m in sent if m.type == "note_on"] == [n.pitch for n in sixteenths]
    assert [m.note for m in sent if m.type == "note_off"] == [n.pitch for n in sixteenths]


def played_out(notes: tuple[Note, ...], player: LivePlayer, port: HeldUpPort) -> list:
    """What MIDI out sent to ``port`` playing ``notes`` through ``player`` (no sound card) to the last
    note-off."""
    project = Project(tracks=(Track(notes=notes),))
    assert player.open() and player.silent
    out = LiveOutput(port, player)
    out.set_project(project)
    try:
        assert player.play(project, 0)
        last = notes[-1].pitch
        assert wait_until(lambda: any(m.type == "note_off" and m.note == last for m in port.sent), seconds=60)
    finally:
        out.close()
        player.close()
    return port.sent


class LateBlockPlayer(LivePlayer):
    """The player on a sound card, whose heard sample steps back a block's worth now and then: it is worked
    out from the last audio block's start, and a block that comes a moment late moves that start back."""

    STEP_BACK = 256  # samples: one block of the app's, 5.8 ms

    def heard_sample(self, now: float) -> int:
        heard = super().heard_sample(now)
        return heard - self.STEP_BACK if int(now * 1000) % 6 == 0 else heard


def test_a_late_audio_block_is_no_jump_back_midi_out_sends_each_note_once_and_whole():
    """Every late block was taken for a click on the ruler a few ms back: MIDI out released the notes it
    held (cut short) and sent again what fell in those ms (a note twice). Seen with every sound card."""
    sixteenths = tuple(Note(60 + i, i * 120, 90, 90) for i in range(16))  # 2 s at 120 BPM
    sent = played_out(sixteenths, LateBlockPlayer(device=NO_DEVICE), HeldUpPort(0))
    assert [m.note for m in sent if m.type == "note_on"] == [n.pitch for n in sixteenths]
    assert [m.note for m in sent if m.type == "note_off"] == [n.pitch for n in sixteenths]
