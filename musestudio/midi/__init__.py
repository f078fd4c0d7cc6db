"""MIDI ports: the keyboards, synths and DAWs outside the app (Qt-free, torch-free).

``ports`` finds a MIDI system (the ALSA sequencer on a desktop, else a running JACK server), lists its
ports by the names the system shows, and opens outputs, inputs (with a callback) and the virtual port
"MuseStudio" that other programs connect to. ``output`` plays the audio scheduler's events (notes, program
changes, controllers, pitch bend) to an output port on a real-time clock, with MIDI clock as an option.

This is a package of its own rather than part of ``audio``: nothing here makes sound, and both the audio
side (MIDI thru into FluidSynth) and the editor (recording) sit on top of it. It imports ``audio`` for the
scheduler's event list; ``audio`` never imports it.
"""
