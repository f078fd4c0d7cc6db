"""MIDI out sends a file's SysEx (a GS reset, a part level) to the synth on the port, where Export MIDI writes
it: the app's own synth does not play them, the device on the port is what they are for. Ports here keep
what they are sent: no MIDI system needed."""

from __future__ import annotations

import io

import mido
from midi_ports_helpers import JackReceiver, wait_until

from musestudio.audio.player import LivePlayer
from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.core.events import PAN, SUSTAIN, VOLUME, ControlEvent, RawEvent
from musestudio.core.note import Note
from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.io.midi import midi_to_bytes
from musestudio.midi.live import LiveOutput
from musestudio.midi.output import PortPlayer, PortSink, midi_channels, with_sysex

GS_RESET = bytes.fromhex("f04110421240007f0041f7")
PART_LEVEL = bytes.fromhex("f04110421240111964f7")  # part 1's level: 100
REVERB = 91


class KeptPort:
    """An output port that keeps the bytes of everything it is sent."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, message: mido.Message) -> None:
        self.sent.append(bytes(message.bin()))

    def send_bytes(self, data) -> None:
        self.sent.append(bytes(data))

    def ensure_connected(self, reconnect: bool = False) -> bool:
        return True

    def close(self) -> None:
        pass


def gs_song() -> Project:
    """A GS reset in the conductor at the start; at 240 ticks (1/4 s) the piano sets its pan, then its part
    level, then its reverb, as the file sent them, and plays a note."""
    piano = Track(
        name="Piano",
        notes=(Note(60, 0, 120), Note(62, 240, 120)),
        controllers=(ControlEvent(240, PAN, 20), ControlEvent(240, REVERB, 40)),
        extra_events=(RawEvent(240, PART_LEVEL, after_controls=1),),
    )
    return Project(tracks=(piano,), extra_events=(RawEvent(0, GS_RESET),))


def cc(control: int, value: int) -> bytes:
    return bytes((0xB0, control, value))


def test_playing_to_a_port_sends_the_file_s_sysex_where_export_midi_writes_it():
    """The GS reset before the piano's set-up, its part level between its pan and its reverb."""
    port = KeptPort()
    PortPlayer(port, gs_song()).run()
    assert port.sent == [
        GS_RESET,
        cc(VOLUME, 100),
        bytes((0xC0, 0)),
        bytes((0x90, 60, 100)),
        bytes((0x80, 60, 0)),
        cc(PAN, 20),
        PART_LEVEL,
        cc(REVERB, 40),
        bytes((0x90, 62, 100)),
        bytes((0x80, 62, 0)),
    ]


def test_playing_from_the_middle_sets_the_synth_up_as_the_file_has_it_there():
    """From 300 ticks: the controllers reset, then the GS reset and everything set after it, in the order
    it was set in (a part level sent after the reset is not undone by it)."""
    port = KeptPort()
    PortPlayer(port, gs_song()).run(start_tick=300)
    assert port.sent == [
        cc(121, 0),
        GS_RESET,
        cc(VOLUME, 100),
        bytes((0xC0, 0)),
        cc(PAN, 20),
        PART_LEVEL,
        cc(REVERB, 40),
    ]


def test_the_app_s_midi_out_sends_the_sysex_as_the_transport_plays():
    """The live transport's MIDI out (the app's Play with a MIDI output chosen) sends them too."""
    project = gs_song()
    player = LivePlayer(device="no such audio device")
    assert player.open() and player.silent
    port = KeptPort()
    out = LiveOutput(port, player)
    out.set_project(project)
    try:
        assert player.play(project, 0)
        assert wait_until(lambda: bytes((0x80, 62, 0)) in port.sent, seconds=60)
    finally:
        out.close()
        player.close()
    assert port.sent[0] == GS_RESET
    at_240 = port.sent.index(cc(PAN, 20))
    assert port.sent[at_240 : at_240 + 3] == [cc(PAN, 20), PART_LEVEL, cc(REVERB, 40)]
    assert port.sent.count(GS_RESET) == port.sent.count(PART_LEVEL) == 1


def test_the_app_s_own_synth_plays_no_sysex():
    """FluidSynth gets none (see ``audio.scheduler``): the events it plays have no SysEx."""
    assert {e.kind for e in events_for(gs_song(), 44100)} == {"cc", "program", "on", "off"}


class KeptSynth:
    def __init__(self) -> None:
        self.got: list = []

    def __getattr__(self, name):
        return lambda *args: self.got.append((name, *args))


def test_an_edit_or_a_jump_while_playing_does_not_send_again_the_sysex_the_synth_holds():
    """An edit swaps in the events again: a GS reset already sent is not sent again mid-song (it would
    reset the synth). A jump back to where the synth holds what the file set there sends no SysEx either;
    a new play sets the synth up for where it starts, the SysEx before it included."""
    project = gs_song()
    events = with_sysex(events_for(project, 1000), project, 1000)
    synth = KeptSynth()
    sched = Scheduler(synth)
    sched.set_events(events)
    sched.pull(400)
    assert [g[1] for g in synth.got if g[0] == "sysex"] == [GS_RESET, PART_LEVEL]
    synth.got.clear()
    sched.set_events(list(events))
    assert not [g for g in synth.got if g[0] == "sysex"]
    sched.seek(300)
    assert not [g for g in synth.got if g[0] == "sysex"]
    sched.forget_sent()
    sched.seek(300)
    assert [g[1] for g in synth.got if g[0] == "sysex"] == [GS_RESET, PART_LEVEL]


def test_a_split_sysex_goes_whole_and_meta_events_not_at_all():
    """A SysEx in two packets (F0 ..., F7 ... F7) is sent whole, at its last packet; an escape sends the
    message it holds (a tune request); a sequencer meta event is the file's, not a message."""
    track = Track(
        name="Synth",
        notes=(Note(60, 0, 10),),
        extra_events=(
            RawEvent(0, bytes.fromhex("f0411042")),
            RawEvent(5, bytes.fromhex("f71240007f0041f7")),
            RawEvent(6, bytes.fromhex("f7f6")),
            RawEvent(7, bytes.fromhex("ff7f020001")),
        ),
    )
    events = with_sysex(events_for(Project(tracks=(track,)), 1000), Project(tracks=(track,)), 1000)
    sysex = [(e.sample, e.data) for e in events if e.kind == "sysex"]
    ms = round(0.5 / 480 * 1000 * 5)  # 5 ticks at 120 BPM
    assert sysex[0] == (ms, GS_RESET) and [d for _, d in sysex] == [GS_RESET, b"\xf6"]


def test_a_sysex_of_a_part_that_states_only_its_lanes_keeps_its_place():
    """A set-up part with no notes (Export MIDI sends its lanes alone): its SysEx sent after its reverb
    still follows that reverb, though the app states its volume and program before it."""
    setup = Track(
        name="Setup",
        controllers=(ControlEvent(0, REVERB, 40), ControlEvent(0, PAN, 10)),
        extra_events=(RawEvent(0, GS_RESET, after_controls=1),),
    )
    project = Project(tracks=(setup, Track(name="Piano", notes=(Note(60, 0, 10),))))
    events = with_sysex(events_for(project, 1000), project, 1000)
    setup_events = [(e.kind, e.a, e.data) for e in events if e.channel == 0]
    assert setup_events == [
        ("cc", VOLUME, b""),
        ("program", 0, b""),
        ("cc", REVERB, b""),
        ("sysex", 0, GS_RESET),
        ("cc", PAN, b""),
    ]


def test_a_sysex_after_the_program_of_a_part_that_sends_no_volume_stays_after_the_program():
    """A part whose file sends a program, a GS reset, then a pan at the start and no volume: Export MIDI
    sends no volume (``Track.volume_stated``), so the reset counts one control before it. The app states
    the volume as it plays, and the reset still goes after the program, which it counted, not before."""
    part = Track(
        name="Part",
        program=5,
        volume_stated=False,
        notes=(Note(60, 0, 10),),
        controllers=(ControlEvent(0, PAN, 10),),
        extra_events=(RawEvent(0, GS_RESET, after_controls=1),),
    )
    project = Project(tracks=(part,))
    events = with_sysex(events_for(project, 1000), project, 1000)
    assert [(e.kind, e.a, e.data) for e in events if e.kind != "on"] == [
        ("cc", VOLUME, b""),
        ("program", 5, b""),
        ("sysex", 0, GS_RESET),
        ("cc", PAN, b""),
        ("off", 60, b""),
    ]


def test_a_synth_on_a_jack_port_gets_the_sysex(midi):
    """Through a real port (JACK's): the synth receives the GS reset first and the part level whole."""
    receiver = JackReceiver()
    try:
        name = next(n for n in midi.outputs() if n.endswith(receiver.name_suffix))
        with midi.open_output(name) as port:
            PortPlayer(port, gs_song()).run()
        assert wait_until(lambda: len(receiver.drain()) >= 10, seconds=30)
    finally:
        receiver.close()
    got = [bytes(m.bin()) for m in receiver.messages]
    assert got[0] == GS_RESET and got[got.index(cc(PAN, 20)) + 1] == PART_LEVEL


def part_level(value: int) -> bytes:
    """A GS part level for part 1 (the first channel), its checksum included."""
    body = bytes((0x40, 0x11, 0x19, value))
    return b"\xf0\x41\x10\x42\x12" + body + bytes(((128 - sum(body) % 128) % 128, 0xF7))


BAR = 1920  # ticks of a 4/4 bar; at 120 BPM and 1000 samples a second, 2000 samples
LOOP = (4 * 2000, 8 * 2000)  # bars 5 to 8


def gs_bars(*levels: tuple[int, int], controllers: tuple = ()) -> Project:
    """A GS file (the reset in the conductor at the start) whose piano plays a note a bar for 8 bars and sets
    its part level at the (bar, value)s given."""
    piano = Track(
        name="Piano",
        notes=tuple(Note(60, b * BAR, 480) for b in range(8)),
        controllers=controllers,
        extra_events=tuple(RawEvent((bar - 1) * BAR, part_level(v)) for bar, v in levels),
    )
    return Project(tracks=(piano,), extra_events=(RawEvent(0, GS_RESET),))


def looped(
    *levels: tuple[int, int], controllers: tuple = (), loop: tuple[int, int] = LOOP
) -> tuple[Scheduler, KeptPort]:
    """``gs_bars`` looping ``loop`` (bars 5 to 8) to a port from the press of Play at its start."""
    project = gs_bars(*levels, controllers=controllers)
    port = KeptPort()
    sched = Scheduler(PortSink(port, midi_channels(project)))
    sched.set_events(with_sysex(events_for(project, 1000), project, 1000))
    sched.set_loop(*loop)
    sched.seek(loop[0])
    return sched, port


def sysex_sent(port: KeptPort) -> list[bytes]:
    return [m for m in port.sent if m[0] == 0xF0]


def test_a_loop_resets_the_synth_once_and_sends_again_only_the_part_level_it_changed():
    """Bars 5 to 8 looped three times, the part level set to 100 at bar 1 and to 60 at bar 7: the GS reset
    goes once, at Play (a reset mutes a hardware synth for a moment, every lap would drop its first notes);
    each lap sets the level back to bar 5's, 100, and nothing else."""
    sched, port = looped((1, 100), (7, 60))
    sched.pull(3 * (LOOP[1] - LOOP[0]) - 1)
    assert sched.laps == 2
    assert sysex_sent(port) == [GS_RESET, part_level(100)] + [part_level(60), part_level(100)] * 2 + [
        part_level(60)
    ]


def test_a_loop_that_sets_nothing_by_sysex_sends_none_again():
    """The part level set at bar 1 only: the laps send no SysEx, the synth holds what the file set."""
    sched, port = looped((1, 100))
    sched.pull(3 * (LOOP[1] - LOOP[0]) - 1)
    assert sysex_sent(port) == [GS_RESET, part_level(100)]


def test_a_level_the_file_sets_only_in_the_loop_is_undone_by_the_reset():
    """Before bar 7 the part plays at the level the GS reset gives it: only the reset sets that back, so
    each lap sends it (and nothing more) where the device would otherwise keep bar 7's level."""
    sched, port = looped((7, 60))
    sched.pull(2 * (LOOP[1] - LOOP[0]) - 1)
    assert sysex_sent(port) == [GS_RESET, part_level(60), GS_RESET, part_level(60)]


def test_a_jump_ahead_sends_what_changed_and_a_new_play_sets_the_synth_up_again():
    """From bar 5 a click on bar 8 sends bar 7's level, not the reset; a click back on bar 6 sets bar 5's
    level again. A new press of Play (the device may have been touched meanwhile) sends the reset again."""
    sched, port = looped((1, 100), (7, 60))
    sched.set_loop(None, None)
    sched.pull(10)
    port.sent.clear()
    sched.seek(7 * 2000 + 10)
    assert sysex_sent(port) == [part_level(60)]
    port.sent.clear()
    sched.seek(5 * 2000)
    assert sysex_sent(port) == [part_level(100)]
    port.sent.clear()
    sched.forget_sent()
    sched.seek(5 * 2000)
    assert sysex_sent(port) == [GS_RESET, part_level(100)]


def test_a_pedal_or_an_expression_in_the_loop_needs_no_reset():
    """The jump back to the loop's start resets the controllers (a pedal, an expression: CC 121 does), so
    a pedal pressed and an expression swelled in bar 6 need no GS reset at the next lap."""
    sustain = (
        ControlEvent(5 * BAR, 64, 127),
        ControlEvent(5 * BAR + 960, 64, 0),
        ControlEvent(5 * BAR, 11, 90),
    )
    sched, port = looped((1, 100), controllers=sustain)
    sched.pull(3 * (LOOP[1] - LOOP[0]) - 1)
    assert sysex_sent(port) == [GS_RESET, part_level(100)]


def test_a_pan_the_loop_changes_is_set_back_by_the_chase_or_where_the_reset_undid_it_by_the_reset():
    """A pan set at bar 1 and changed at bar 6: each lap sends bar 1's pan again, no reset. Where the file
    sent that pan before its GS reset (which undid it), bar 5 has the reset's pan: only a reset gives it
    back (the pan goes before it, as the file sent it, and the reset undoes it)."""
    pans = (ControlEvent(0, PAN, 10), ControlEvent(5 * BAR, PAN, 100))
    sched, port = looped((1, 100), controllers=pans)
    sched.pull(2 * (LOOP[1] - LOOP[0]) - 1)
    lap = port.sent[port.sent.index(cc(PAN, 100)) + 1 :]
    assert sysex_sent(port) == [GS_RESET, part_level(100)] and cc(PAN, 10) in lap

    piano = Track(
        name="Piano",
        notes=tuple(Note(60, b * BAR, 480) for b in range(8)),
        controllers=pans,
        extra_events=(RawEvent(0, GS_RESET, after_controls=3),),
    )
    project = Project(tracks=(piano,))
    port = KeptPort()
    sched = Scheduler(PortSink(port, midi_channels(project)))
    sched.set_events(with_sysex(events_for(project, 1000), project, 1000))
    sched.pull(1)
    assert port.sent[:4] == [cc(VOLUME, 100), bytes((0xC0, 0)), cc(PAN, 10), GS_RESET]
    sched.set_loop(*LOOP)
    sched.seek(LOOP[0])
    sched.pull(LOOP[1] - LOOP[0])
    port.sent.clear()
    sched.pull(1)
    assert sysex_sent(port) == [GS_RESET] and port.sent.index(cc(PAN, 10)) < port.sent.index(GS_RESET)


FIRST_BARS = (0, 4 * 2000)  # bars 1 to 4, the GS reset at their very start


def gs_device(messages: list[bytes]) -> dict:
    """What a GS synth holds after ``messages``, by setting (what a GS reset gives left out): the reset sets
    everything back, CC 121 the controllers it resets, any other controller, program or SysEx sets its own."""
    held: dict = {}
    for m in messages:
        if m == GS_RESET:
            held.clear()
        elif m[0] == 0xF0:
            held[m[5:8]] = m[8]
        elif m[0] & 0xF0 == 0xB0 and m[1] == 121:
            for control in (1, 11, 64, 65, 66, 67, 98, 99, 100, 101):
                held.pop((m[0], control), None)
        elif m[0] & 0xF0 in (0xB0, 0xC0):
            held[(m[0], m[1])] = m[-1]
    return held


def lap_states(sched: Scheduler, port: KeptPort, laps: int = 3) -> list[list[dict]]:
    """What the synth holds, lap by lap, just after the loop's start, in bar 3 and at the lap's end."""
    pulled, states = 0, []
    for lap in range(laps):
        states.append([])
        for moment in (1, 2 * 2000 + 1, FIRST_BARS[1]):
            sched.pull(lap * FIRST_BARS[1] + moment - pulled)
            pulled = lap * FIRST_BARS[1] + moment
            states[-1].append(gs_device(port.sent))
    return states


def test_a_loop_from_the_reset_does_not_reset_the_synth_every_lap():
    """Bars 1 to 4 of a GS file looped, its reset at their very start: the synth holds what the reset and
    bar 1 set when the loop comes round, so each lap sends bar 1's settings, not the reset (which mutes a
    hardware synth and drops the first notes of every lap), and plays its first note. The part level bar 3
    changes is set back. At each moment of a lap the synth holds what it holds there playing from the
    start (the first lap)."""
    sched, port = looped((1, 100), (3, 60), loop=FIRST_BARS)
    states = lap_states(sched, port)
    assert sched.laps == 2
    assert (
        sysex_sent(port)
        == [GS_RESET, part_level(100), part_level(60)] + [part_level(100), part_level(60)] * 2
    )
    assert port.sent.count(bytes((0x90, 60, 100))) == 3 * 4
    assert states[0] == states[1] == states[2]


def test_a_loop_from_the_reset_that_changes_what_only_the_reset_sets_back_resets_each_lap():
    """A pan the loop sets in bar 2, not set before it: bar 1 has the pan the GS reset gives, so only the
    reset gives it back (CC 121 does not), and each lap sends it, then bar 1's part level."""
    sched, port = looped((1, 100), controllers=(ControlEvent(BAR, PAN, 20),), loop=FIRST_BARS)
    states = lap_states(sched, port)
    assert sysex_sent(port) == [GS_RESET, part_level(100)] * 3
    assert states[0] == states[1] == states[2]


class StubTransport:
    """The player's face LiveOutput follows, moved by hand: playing or not, and the sample being heard."""

    def __init__(self, project: Project) -> None:
        self.events = events_for(project, 44100)
        self.events_version = 1
        self.offset = 0
        self.playing = False
        self.start_sample = self.sample = 0

        self.loop_samples: tuple[int, int] | None = None

    def heard_sample(self, now: float) -> int:
        return self.sample


def test_each_press_of_play_sets_the_synth_up_again():
    """Stopped and played again from the middle, the app's MIDI out sends the GS reset and the part level
    again: between two plays the synth may have been touched (its panel, another program)."""
    project = gs_song()
    transport = StubTransport(project)
    port = KeptPort()
    out = LiveOutput(port, transport)
    out._stop_following()  # its steps are taken here, by hand, at the moments given
    out.set_project(project)
    try:
        transport.playing = True
        out._step(100.0)
        transport.sample = 22050  # half a second on: the reset and the level are due
        out._step(100.5)
        transport.playing = False
        out._step(101.0)
        transport.playing, transport.start_sample, transport.sample = True, 17640, 17640  # Play at 0.4 s
        out._step(102.0)
    finally:
        out.close()
    assert sysex_sent(port) == [GS_RESET, PART_LEVEL, GS_RESET, PART_LEVEL]


def play_first_bars_thrice(clock: bool = False) -> KeptPort:
    """The app's transport looping bars 1 to 4 of ``gs_bars((1, 100))`` three times to a port, looked at
    every tenth of a second as the app's MIDI out does (so a lap is seen a moment after the loop's start)."""
    project = gs_bars((1, 100))
    transport = StubTransport(project)
    lap = 8 * 44100  # 4 bars at 120 BPM
    transport.loop_samples, transport.start_tick = (0, lap), 0
    port = KeptPort()
    out = LiveOutput(port, transport, clock=clock)
    out._stop_following()  # its steps are taken here, by hand, at the moments given
    out.set_project(project)
    try:
        transport.playing = True
        start = out._looked_at
        out._step(start)
        for step in range(1, 3 * 80):  # a look every 4410 samples, 5 after the loop's start at a lap
            transport.sample = (step * 4410 + 5) % lap
            out._step(start + step / 10)
    finally:
        out.close()
    return port


def test_the_app_s_midi_out_plays_every_lap_of_a_loop_from_its_start():
    """Each lap sends the note on the loop's first beat (a lap was taken for a click on the ruler, and the
    notes from the loop's start to the first look after it were left out) and does not reset the synth
    again."""
    port = play_first_bars_thrice()
    assert [m for m in port.sent if m[0] == 0x90] == [bytes((0x90, 60, 100))] * 12
    assert sysex_sent(port) == [GS_RESET, part_level(100)]


def test_the_app_s_midi_clock_runs_every_lap_of_a_loop_whole():
    """With MIDI clock on, each lap is a song position at the loop's start and a clock for every 24th of a
    beat of it, the first and the last included: a drum machine following keeps the loop's time."""
    port = play_first_bars_thrice(clock=True)
    clock = b"".join(m for m in port.sent if m[0] in (0xF2, 0xF8, 0xFA, 0xFB, 0xFC))
    laps = clock.split(b"\xfc\xf2\x00\x00")  # stop, song position 0
    assert [lap[:1] for lap in laps] == [b"\xfa", b"\xfb", b"\xfb"]
    assert [lap.count(0xF8) for lap in laps[:2]] == [4 * 4 * 24] * 2


def test_the_app_s_transport_tells_midi_out_its_loop():
    """MIDI out plays the laps of the loop the transport plays (``loop_samples``, read each look), and none
    once it stops."""
    project = Project(tracks=(Track(name="Piano", notes=(Note(60, 0, 240),)),))
    player = LivePlayer(device="no such audio device")
    assert player.open() and player.silent
    try:
        assert player.play(project, 0, loop=(480, 960))
        assert player.loop_samples == (22050, 44100)  # the second beat at 120 BPM
        player.stop()
        assert player.loop_samples is None
    finally:
        player.close()


def test_a_pedal_and_a_sysex_sent_after_a_chord_at_its_tick_go_out_after_it():
    """A chord at 240 ticks, then the sostenuto (``after_strikes``: it holds the chord) and a part level
    the file sent after it: MIDI out sends them after the chord's note-ons, where Export MIDI writes them,
    not before the chord."""
    piano = Track(
        name="Piano",
        notes=(Note(60, 240, 120), Note(64, 240, 120)),
        controllers=(ControlEvent(240, 66, 127, after_strikes=True),),
        extra_events=(RawEvent(240, PART_LEVEL, after_controls=1),),
    )
    project = Project(tracks=(piano,))
    port = KeptPort()
    PortPlayer(port, project).run()
    chord = [bytes((0x90, 60, 100)), bytes((0x90, 64, 100))]
    after = [cc(66, 127), PART_LEVEL]
    assert port.sent[:2] == [cc(VOLUME, 100), bytes((0xC0, 0))]
    assert sorted(port.sent[2:4]) == chord and port.sent[4:6] == after
    exported = [bytes(m.bin()) for m in mido.MidiFile(file=io.BytesIO(midi_to_bytes(project))).tracks[-1]]
    assert exported[exported.index(chord[0]) :][:4] == [*chord, *after]


def test_a_pedal_and_a_sysex_sent_after_a_note_off_at_its_tick_go_out_after_it():
    """A note let go at 240 ticks, then the sustain pedal (``after_releases``: it does not catch the note)
    and a part level the file sent after it, then the next note: MIDI out sends them between the note-off
    and the note-on, where Export MIDI writes them."""
    piano = Track(
        name="Piano",
        notes=(Note(60, 0, 240), Note(64, 240, 120)),
        controllers=(ControlEvent(240, SUSTAIN, 127, after_releases=True),),
        extra_events=(RawEvent(240, PART_LEVEL, after_controls=1),),
    )
    project = Project(tracks=(piano,))
    port = KeptPort()
    PortPlayer(port, project).run()
    at_240 = [bytes((0x80, 60, 0)), cc(SUSTAIN, 127), PART_LEVEL, bytes((0x90, 64, 100))]
    assert port.sent[3:7] == at_240
    exported = [bytes(m.bin()) for m in mido.MidiFile(file=io.BytesIO(midi_to_bytes(project))).tracks[-1]]
    assert exported[exported.index(at_240[0]) :][:4] == at_240
