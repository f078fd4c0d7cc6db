"""MuseStudio: an offline composing app with a piano roll, FluidSynth playback and our own generative models."""

__version__ = "0.1.0"
