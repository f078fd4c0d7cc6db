"""MIDI in the app: the chosen input and output ports, thru, and where each incoming message goes.

``MidiPorts`` is the Qt glue over ``musestudio.midi``: it opens the ports the Preferences and the MIDI
toolbar name (remembered in the settings), looks at the system every two seconds so a keyboard plugged in
or out is noticed (a vanished port is a status message; it is opened again once it is back), plays what
comes in through FluidSynth at once (thru, on the input thread), and hands every message to the GUI thread
(``message``) with its arrival time, where recording, step input and jam mode take it.

MIDI out follows the live transport (``midi.live.LiveOutput``) to a chosen port or to our virtual port
"MuseStudio", with MIDI clock when asked. No MIDI system at all (no ALSA sequencer, no JACK server) is a
sentence in the status bar; everything else works as before. A chosen port that cannot be opened (the system
refused it, or a JACK server left a close unanswered) is said in the status bar, and kept as the picker's
tooltip (``input_problem``, ``output_problem``): the status bar cuts a long reason short in a narrow window.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from musestudio.core.errors import BadInputError
from musestudio.ui.error_words import ErrorWords

RESCAN_MS = 2000
# Every this many rescans (10 s): is the MIDI system still there, or (when there is none) is one there now?
# Asking JACK takes a client of its own, seen briefly in a patchbay, so not every rescan.
LIFE_CHECK_RESCANS = 5
SWITCH_INTERVAL = 0.001  # seconds
VIRTUAL_OUTPUT = "virtual"  # the midi_output setting for our own port "MuseStudio"


class MidiPorts(QObject):
    message = Signal(object)  # a mido.Message, .time its perf_counter arrival (queued to the GUI thread)
    ports_changed = Signal()  # the lists of inputs/outputs, or the chosen ones, changed
    status = Signal(str)
    # the input stopped being listened to (unplugged, its system gone, another chosen) at this perf_counter
    # moment: the keys and pedals it held will send no note-off or pedal-up now
    input_closed = Signal(float)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.system = None
        self.unavailable = ""  # why there is no MIDI system (shown in the picker's tooltip)
        # why the chosen input / output is not open now, in the user's words ("" when it is, or none is chosen)
        self.input_problem = ""
        self.output_problem = ""
        self.input = None
        self.output = None
        self.thru = None
        self._inputs: list[str] = []
        self._outputs: list[str] = []
        self._input_missing = False
        self._rescans = 0
        self._timer = QTimer(self)
        self._timer.setInterval(RESCAN_MS)
        self._timer.timeout.connect(self.rescan)
        window.state.active_track_changed.connect(lambda _id: self._retarget_thru())

    # -- the system -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Find the MIDI system and open the remembered ports (once the window is up)."""
        # The MIDI threads (input reader, MIDI out) need the GIL within a millisecond or so of their time;
        # Python's default hand-over interval (5 ms) would let a busy GUI thread delay them that long.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._open_system()
        if self.system is not None:
            self.set_input(self.settings.get("midi_input") or None, remember=False)
            self.set_output(self.settings.get("midi_output") or None, remember=False)
        self._timer.start()

    def _open_system(self, quiet: bool = False) -> None:
        from musestudio.midi.ports import MidiSystem, MidiUnavailable

        backend = self.settings.get("midi_backend")
        try:
            self.system = MidiSystem(None if backend == "auto" else backend)
        except (MidiUnavailable, BadInputError) as e:
            self.system = None
            # why, and what to do: too long for the status bar, it is the MIDI pickers' tooltip
            self.unavailable = ErrorWords().say(e)
            if not quiet:
                self.status.emit(self.tr("No MIDI: point at the MIDI in box for why and what to do"))
                self.ports_changed.emit()  # the pickers' tooltips say why
            return
        self.unavailable = ""
        self._inputs, self._outputs = self._list()

    def _check_system(self) -> bool:
        """Every few rescans: a system that stopped (a JACK server quit or restarted) is let go and said
        so; while there is none, one that is there now is taken up with the remembered ports. True while
        there is a system to rescan."""
        self._rescans += 1
        if self._rescans % LIFE_CHECK_RESCANS:
            return self.system is not None
        if self.system is None:
            self._open_system(quiet=True)
            if self.system is not None:
                self.set_input(self.input_name, remember=False)
                self.set_output(self.output_name, remember=False)
                self.status.emit(self.tr("MIDI system found (%1)").replace("%1", self.system.backend.upper()))
            return self.system is not None
        if self.system.alive(fresh=True):
            return True
        self._lose_system()
        return False

    def _lose_system(self) -> None:
        """The system is gone: its ports are let go, and the user is told; the remembered ports are opened
        again once a system is back."""
        backend = self.system.backend.upper()
        self._let_go()
        self._inputs, self._outputs = [], []
        self.unavailable = self.tr("the %1 MIDI system stopped").replace("%1", backend)
        self.status.emit(
            self.tr(
                "MIDI system lost: the %1 MIDI system stopped; MIDI comes back once it runs again"
            ).replace("%1", backend)
        )
        self.ports_changed.emit()

    def _list(self) -> tuple[list[str], list[str]]:
        if self.system is None:
            return [], []
        try:
            own = "MuseStudio"
            inputs = [n for n in self.system.inputs() if not n.startswith(own)]
            outputs = [n for n in self.system.outputs() if not n.startswith(own)]
        except Exception as e:  # noqa: BLE001 - the server went away: say so, keep the app going
            self.status.emit(self.tr("MIDI system lost: %1").replace("%1", str(e)))
            return [], []
        return inputs, outputs

    @property
    def backend(self) -> str:
        return self.system.backend if self.system is not None else ""

    def inputs(self) -> list[str]:
        return list(self._inputs)

    def outputs(self) -> list[str]:
        return list(self._outputs)

    @property
    def input_name(self) -> str | None:
        return self.settings.get("midi_input") or None

    @property
    def output_name(self) -> str | None:
        return self.settings.get("midi_output") or None

    def rescan(self) -> None:
        """Look at the system again: new ports appear in the pickers, a vanished input is reported once
        and opened again when it is back; the system itself is looked at every few rescans."""
        if not self._check_system():
            return
        inputs, outputs = self._list()
        changed = (inputs, outputs) != (self._inputs, self._outputs)
        self._inputs, self._outputs = inputs, outputs
        self._check_input()
        if changed:
            self.ports_changed.emit()

    def _check_input(self) -> None:
        from musestudio.midi.ports import match_port

        name = self.input_name
        if name is None:
            return
        present = match_port(name, self._inputs) is not None
        if not present and not self._input_missing:
            self._input_missing = True
            self._close_input()
            self.input_problem = ""  # the picker says it is away
            self.status.emit(
                self.tr("MIDI input '%1' went away; it is used again once it is back").replace("%1", name)
            )
        elif present and (self._input_missing or self.input is None):
            self._input_missing = False
            if self._open_input(name):
                self.status.emit(self.tr("MIDI input '%1' is back").replace("%1", name))

    # -- input ------------------------------------------------------------------------------------------
    def set_input(self, name: str | None, remember: bool = True) -> bool:
        """Listen to ``name`` (None: to nothing). A port that is not there now is remembered and used
        once it appears; True when it is open now."""
        self._close_input()
        self._input_missing = False
        self.input_problem = ""
        if remember:
            self.settings.set("midi_input", name or "")
        ok = True
        if name is not None and self.system is not None:
            ok = self._open_input(name)
            self._input_missing = not ok
        self.ports_changed.emit()
        return ok

    def _open_input(self, name: str) -> bool:
        from musestudio.midi.thru import MidiThru

        if self.system is None:
            return False
        self._close_input()
        if self.settings.get("midi_thru"):
            self.thru = self._make_thru(MidiThru)
        try:
            self.input = self.system.open_input(name, self._on_input)
        except BadInputError as e:  # not there (any more), or the system refused it
            self._keep_input_problem(ErrorWords().say(e))
            self.status.emit(self.input_problem)
            self.thru = None
            return False
        self._keep_input_problem("")
        self.status.emit(self.tr("MIDI input: %1").replace("%1", self.input.name))
        return True

    def _keep_input_problem(self, why: str) -> None:
        """Keep why the chosen input is not open; the pickers show it once it changes."""
        if why != self.input_problem:
            self.input_problem = why
            self.ports_changed.emit()

    def _make_thru(self, cls):
        player = self.window.player.player
        synth = getattr(player, "synth", None)
        if synth is None:
            return None
        track = self.window.state.active_track()
        return cls(
            synth, player.audition_channel, track.program if track else 0, bool(track and track.is_drum)
        )

    def _retarget_thru(self) -> None:
        track = self.window.state.active_track()
        if self.thru is not None and track is not None:
            self.thru.retarget(self.thru.channel, track.program, track.is_drum)

    def set_thru(self, on: bool) -> None:
        self.settings.set("midi_thru", on)
        if not on and self.thru is not None:
            self.thru.release()
            self.thru = None
        elif on and self.thru is None and self.input is not None:
            from musestudio.midi.thru import MidiThru

            self.thru = self._make_thru(MidiThru)

    def _on_input(self, message) -> None:
        """On the input thread: sound at once, then on to the GUI thread."""
        thru = self.thru
        if thru is not None:
            thru(message)
        self.message.emit(message)

    def _close_input(self) -> None:
        if self.input is not None:
            self.input.close()
            self.input = None
            self._keys_let_go()

    def _keys_let_go(self) -> None:
        """What the closed input held is let go: in the sound (a note held when the cable came out must
        not hang) and in what is being recorded (``input_closed``)."""
        if self.thru is not None:
            self.thru.release()
        self.input_closed.emit(time.perf_counter())

    # -- output -----------------------------------------------------------------------------------------
    def set_output(self, name: str | None, remember: bool = True) -> bool:
        """Send the transport to ``name``, to our virtual port (VIRTUAL_OUTPUT), or nowhere (None)."""
        from musestudio.midi.live import LiveOutput

        self._close_output()
        self.output_problem = ""
        if remember:
            self.settings.set("midi_output", name or "")
        ok = True
        if name is not None and self.system is not None:
            try:
                port = self.system.open_output(
                    None if name == VIRTUAL_OUTPUT else name, name == VIRTUAL_OUTPUT
                )
            except BadInputError as e:
                self.output_problem = ErrorWords().say(e)
                self.status.emit(self.output_problem)
                ok = False
            else:
                self.output = LiveOutput(port, self.window.player.player, self.settings.get("midi_clock"))
                self.output.set_project(self.window.document.project)
                self.status.emit(self.tr("MIDI out: %1").replace("%1", port.name))
        self.ports_changed.emit()
        return ok

    def set_clock(self, on: bool) -> None:
        self.settings.set("midi_clock", on)
        if self.output is not None:
            self.output.clock = on

    def project_changed(self, project) -> None:
        if self.output is not None:
            self.output.set_project(project)

    def _close_output(self) -> None:
        if self.output is not None:
            self.output.close()
            self.output = None

    def apply_settings(self) -> None:
        """The Preferences were accepted: use the backend, ports, thru and clock they name."""
        backend = self.settings.get("midi_backend")
        if self.system is None or (backend != "auto" and backend != self.system.backend):
            self._close_input()
            self._close_output()
            if self.system is not None:
                self.system.close()
            self._open_system()
        self.set_thru(self.settings.get("midi_thru"))
        if self.system is not None:
            if (self.input.name if self.input else None) != self.input_name:
                self.set_input(self.input_name, remember=False)
            current = None
            if self.output is not None:
                current = VIRTUAL_OUTPUT if self.output.port.virtual else self.output.port.name
            if current != self.output_name:
                self.set_output(self.output_name, remember=False)
            self.set_clock(self.settings.get("midi_clock"))
        self.ports_changed.emit()

    def _let_go(self) -> None:
        """Drop the system and its ports without a call into them (which would crash the app on a JACK
        server that stopped, or was started again since)."""
        if self.input is not None:
            self.input.abandon()
            self.input = None
            self._keys_let_go()  # a note held when the server went must not hang
        self.thru = None  # with no input open, what it held was let go when the input closed
        if self.output is not None:
            self.output.abandon()
            self.output = None
        self.input_problem = self.output_problem = ""  # the system's absence says why
        self.system.abandon()
        self.system = None

    def close(self) -> None:
        self._timer.stop()
        if self.system is not None and not self.system.alive():
            self._let_go()
        self._close_input()
        self._close_output()
        if self.system is not None:
            self.system.close()
            self.system = None

    def connect_gui(self, slot, closed) -> None:
        """``slot(message)`` on the GUI thread for every incoming message, and ``closed(when)`` once the
        input is closed, after the messages it sent before."""
        self.message.connect(slot, Qt.ConnectionType.QueuedConnection)
        self.input_closed.connect(closed, Qt.ConnectionType.QueuedConnection)
