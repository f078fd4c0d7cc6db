"""General MIDI instrument names, grouped by family as the GM spec lists them (8 programs per family).

Names are marked for translation with QT_TRANSLATE_NOOP and translated when shown, so the same table
serves the menu, the track panel and the translation files.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

FAMILIES = (
    QT_TRANSLATE_NOOP("GM", "Piano"),
    QT_TRANSLATE_NOOP("GM", "Chromatic Percussion"),
    QT_TRANSLATE_NOOP("GM", "Organ"),
    QT_TRANSLATE_NOOP("GM", "Guitar"),
    QT_TRANSLATE_NOOP("GM", "Bass"),
    QT_TRANSLATE_NOOP("GM", "Strings"),
    QT_TRANSLATE_NOOP("GM", "Ensemble"),
    QT_TRANSLATE_NOOP("GM", "Brass"),
    QT_TRANSLATE_NOOP("GM", "Reed"),
    QT_TRANSLATE_NOOP("GM", "Pipe"),
    QT_TRANSLATE_NOOP("GM", "Synth Lead"),
    QT_TRANSLATE_NOOP("GM", "Synth Pad"),
    QT_TRANSLATE_NOOP("GM", "Synth Effects"),
    QT_TRANSLATE_NOOP("GM", "Ethnic"),
    QT_TRANSLATE_NOOP("GM", "Percussive"),
    QT_TRANSLATE_NOOP("GM", "Sound Effects"),
)

PROGRAMS = (
    QT_TRANSLATE_NOOP("GM", "Acoustic Grand Piano"),
    QT_TRANSLATE_NOOP("GM", "Bright Acoustic Piano"),
    QT_TRANSLATE_NOOP("GM", "Electric Grand Piano"),
    QT_TRANSLATE_NOOP("GM", "Honky-tonk Piano"),
    QT_TRANSLATE_NOOP("GM", "Electric Piano 1"),
    QT_TRANSLATE_NOOP("GM", "Electric Piano 2"),
    QT_TRANSLATE_NOOP("GM", "Harpsichord"),
    QT_TRANSLATE_NOOP("GM", "Clavinet"),
    QT_TRANSLATE_NOOP("GM", "Celesta"),
    QT_TRANSLATE_NOOP("GM", "Glockenspiel"),
    QT_TRANSLATE_NOOP("GM", "Music Box"),
    QT_TRANSLATE_NOOP("GM", "Vibraphone"),
    QT_TRANSLATE_NOOP("GM", "Marimba"),
    QT_TRANSLATE_NOOP("GM", "Xylophone"),
    QT_TRANSLATE_NOOP("GM", "Tubular Bells"),
    QT_TRANSLATE_NOOP("GM", "Dulcimer"),
    QT_TRANSLATE_NOOP("GM", "Drawbar Organ"),
    QT_TRANSLATE_NOOP("GM", "Percussive Organ"),
    QT_TRANSLATE_NOOP("GM", "Rock Organ"),
    QT_TRANSLATE_NOOP("GM", "Church Organ"),
    QT_TRANSLATE_NOOP("GM", "Reed Organ"),
    QT_TRANSLATE_NOOP("GM", "Accordion"),
    QT_TRANSLATE_NOOP("GM", "Harmonica"),
    QT_TRANSLATE_NOOP("GM", "Tango Accordion"),
    QT_TRANSLATE_NOOP("GM", "Acoustic Guitar (nylon)"),
    QT_TRANSLATE_NOOP("GM", "Acoustic Guitar (steel)"),
    QT_TRANSLATE_NOOP("GM", "Electric Guitar (jazz)"),
    QT_TRANSLATE_NOOP("GM", "Electric Guitar (clean)"),
    QT_TRANSLATE_NOOP("GM", "Electric Guitar (muted)"),
    QT_TRANSLATE_NOOP("GM", "Overdriven Guitar"),
    QT_TRANSLATE_NOOP("GM", "Distortion Guitar"),
    QT_TRANSLATE_NOOP("GM", "Guitar Harmonics"),
    QT_TRANSLATE_NOOP("GM", "Acoustic Bass"),
    QT_TRANSLATE_NOOP("GM", "Electric Bass (finger)"),
    QT_TRANSLATE_NOOP("GM", "Electric Bass (pick)"),
    QT_TRANSLATE_NOOP("GM", "Fretless Bass"),
    QT_TRANSLATE_NOOP("GM", "Slap Bass 1"),
    QT_TRANSLATE_NOOP("GM", "Slap Bass 2"),
    QT_TRANSLATE_NOOP("GM", "Synth Bass 1"),
    QT_TRANSLATE_NOOP("GM", "Synth Bass 2"),
    QT_TRANSLATE_NOOP("GM", "Violin"),
    QT_TRANSLATE_NOOP("GM", "Viola"),
    QT_TRANSLATE_NOOP("GM", "Cello"),
    QT_TRANSLATE_NOOP("GM", "Contrabass"),
    QT_TRANSLATE_NOOP("GM", "Tremolo Strings"),
    QT_TRANSLATE_NOOP("GM", "Pizzicato Strings"),
    QT_TRANSLATE_NOOP("GM", "Orchestral Harp"),
    QT_TRANSLATE_NOOP("GM", "Timpani"),
    QT_TRANSLATE_NOOP("GM", "String Ensemble 1"),
    QT_TRANSLATE_NOOP("GM", "String Ensemble 2"),
    QT_TRANSLATE_NOOP("GM", "Synth Strings 1"),
    QT_TRANSLATE_NOOP("GM", "Synth Strings 2"),
    QT_TRANSLATE_NOOP("GM", "Choir Aahs"),
    QT_TRANSLATE_NOOP("GM", "Voice Oohs"),
    QT_TRANSLATE_NOOP("GM", "Synth Voice"),
    QT_TRANSLATE_NOOP("GM", "Orchestra Hit"),
    QT_TRANSLATE_NOOP("GM", "Trumpet"),
    QT_TRANSLATE_NOOP("GM", "Trombone"),
    QT_TRANSLATE_NOOP("GM", "Tuba"),
    QT_TRANSLATE_NOOP("GM", "Muted Trumpet"),
    QT_TRANSLATE_NOOP("GM", "French Horn"),
    QT_TRANSLATE_NOOP("GM", "Brass Section"),
    QT_TRANSLATE_NOOP("GM", "Synth Brass 1"),
    QT_TRANSLATE_NOOP("GM", "Synth Brass 2"),
    QT_TRANSLATE_NOOP("GM", "Soprano Sax"),
    QT_TRANSLATE_NOOP("GM", "Alto Sax"),
    QT_TRANSLATE_NOOP("GM", "Tenor Sax"),
    QT_TRANSLATE_NOOP("GM", "Baritone Sax"),
    QT_TRANSLATE_NOOP("GM", "Oboe"),
    QT_TRANSLATE_NOOP("GM", "English Horn"),
    QT_TRANSLATE_NOOP("GM", "Bassoon"),
    QT_TRANSLATE_NOOP("GM", "Clarinet"),
    QT_TRANSLATE_NOOP("GM", "Piccolo"),
    QT_TRANSLATE_NOOP("GM", "Flute"),
    QT_TRANSLATE_NOOP("GM", "Recorder"),
    QT_TRANSLATE_NOOP("GM", "Pan Flute"),
    QT_TRANSLATE_NOOP("GM", "Blown Bottle"),
    QT_TRANSLATE_NOOP("GM", "Shakuhachi"),
    QT_TRANSLATE_NOOP("GM", "Whistle"),
    QT_TRANSLATE_NOOP("GM", "Ocarina"),
    QT_TRANSLATE_NOOP("GM", "Lead 1 (square)"),
    QT_TRANSLATE_NOOP("GM", "Lead 2 (sawtooth)"),
    QT_TRANSLATE_NOOP("GM", "Lead 3 (calliope)"),
    QT_TRANSLATE_NOOP("GM", "Lead 4 (chiff)"),
    QT_TRANSLATE_NOOP("GM", "Lead 5 (charang)"),
    QT_TRANSLATE_NOOP("GM", "Lead 6 (voice)"),
    QT_TRANSLATE_NOOP("GM", "Lead 7 (fifths)"),
    QT_TRANSLATE_NOOP("GM", "Lead 8 (bass + lead)"),
    QT_TRANSLATE_NOOP("GM", "Pad 1 (new age)"),
    QT_TRANSLATE_NOOP("GM", "Pad 2 (warm)"),
    QT_TRANSLATE_NOOP("GM", "Pad 3 (polysynth)"),
    QT_TRANSLATE_NOOP("GM", "Pad 4 (choir)"),
    QT_TRANSLATE_NOOP("GM", "Pad 5 (bowed)"),
    QT_TRANSLATE_NOOP("GM", "Pad 6 (metallic)"),
    QT_TRANSLATE_NOOP("GM", "Pad 7 (halo)"),
    QT_TRANSLATE_NOOP("GM", "Pad 8 (sweep)"),
    QT_TRANSLATE_NOOP("GM", "FX 1 (rain)"),
    QT_TRANSLATE_NOOP("GM", "FX 2 (soundtrack)"),
    QT_TRANSLATE_NOOP("GM", "FX 3 (crystal)"),
    QT_TRANSLATE_NOOP("GM", "FX 4 (atmosphere)"),
    QT_TRANSLATE_NOOP("GM", "FX 5 (brightness)"),
    QT_TRANSLATE_NOOP("GM", "FX 6 (goblins)"),
    QT_TRANSLATE_NOOP("GM", "FX 7 (echoes)"),
    QT_TRANSLATE_NOOP("GM", "FX 8 (sci-fi)"),
    QT_TRANSLATE_NOOP("GM", "Sitar"),
    QT_TRANSLATE_NOOP("GM", "Banjo"),
    QT_TRANSLATE_NOOP("GM", "Shamisen"),
    QT_TRANSLATE_NOOP("GM", "Koto"),
    QT_TRANSLATE_NOOP("GM", "Kalimba"),
    QT_TRANSLATE_NOOP("GM", "Bagpipe"),
    QT_TRANSLATE_NOOP("GM", "Fiddle"),
    QT_TRANSLATE_NOOP("GM", "Shanai"),
    QT_TRANSLATE_NOOP("GM", "Tinkle Bell"),
    QT_TRANSLATE_NOOP("GM", "Agogo"),
    QT_TRANSLATE_NOOP("GM", "Steel Drums"),
    QT_TRANSLATE_NOOP("GM", "Woodblock"),
    QT_TRANSLATE_NOOP("GM", "Taiko Drum"),
    QT_TRANSLATE_NOOP("GM", "Melodic Tom"),
    QT_TRANSLATE_NOOP("GM", "Synth Drum"),
    QT_TRANSLATE_NOOP("GM", "Reverse Cymbal"),
    QT_TRANSLATE_NOOP("GM", "Guitar Fret Noise"),
    QT_TRANSLATE_NOOP("GM", "Breath Noise"),
    QT_TRANSLATE_NOOP("GM", "Seashore"),
    QT_TRANSLATE_NOOP("GM", "Bird Tweet"),
    QT_TRANSLATE_NOOP("GM", "Telephone Ring"),
    QT_TRANSLATE_NOOP("GM", "Helicopter"),
    QT_TRANSLATE_NOOP("GM", "Applause"),
    QT_TRANSLATE_NOOP("GM", "Gunshot"),
)

DRUMS = QT_TRANSLATE_NOOP("GM", "Drum Kit")


def family_name(family: int) -> str:
    return QCoreApplication.translate("GM", FAMILIES[family])


def program_name(program: int, is_drum: bool = False) -> str:
    """What a musician calls the instrument: the GM name, or "Drum Kit" for a drum track."""
    return QCoreApplication.translate("GM", DRUMS if is_drum else PROGRAMS[program])


# the name the MIDI reader gives a drum part its file leaves unnamed (``io.midi``)
DRUMS_PART = QT_TRANSLATE_NOOP("GM", "Drums")


# GM percussion key map (channel 10): the drum each pitch plays, shown on the keyboard of a drum track.
DRUM_NAMES = {
    35: QT_TRANSLATE_NOOP("GM", "Acoustic Bass Drum"),
    36: QT_TRANSLATE_NOOP("GM", "Bass Drum 1"),
    37: QT_TRANSLATE_NOOP("GM", "Side Stick"),
    38: QT_TRANSLATE_NOOP("GM", "Acoustic Snare"),
    39: QT_TRANSLATE_NOOP("GM", "Hand Clap"),
    40: QT_TRANSLATE_NOOP("GM", "Electric Snare"),
    41: QT_TRANSLATE_NOOP("GM", "Low Floor Tom"),
    42: QT_TRANSLATE_NOOP("GM", "Closed Hi-Hat"),
    43: QT_TRANSLATE_NOOP("GM", "High Floor Tom"),
    44: QT_TRANSLATE_NOOP("GM", "Pedal Hi-Hat"),
    45: QT_TRANSLATE_NOOP("GM", "Low Tom"),
    46: QT_TRANSLATE_NOOP("GM", "Open Hi-Hat"),
    47: QT_TRANSLATE_NOOP("GM", "Low-Mid Tom"),
    48: QT_TRANSLATE_NOOP("GM", "Hi-Mid Tom"),
    49: QT_TRANSLATE_NOOP("GM", "Crash Cymbal 1"),
    50: QT_TRANSLATE_NOOP("GM", "High Tom"),
    51: QT_TRANSLATE_NOOP("GM", "Ride Cymbal 1"),
    52: QT_TRANSLATE_NOOP("GM", "Chinese Cymbal"),
    53: QT_TRANSLATE_NOOP("GM", "Ride Bell"),
    54: QT_TRANSLATE_NOOP("GM", "Tambourine"),
    55: QT_TRANSLATE_NOOP("GM", "Splash Cymbal"),
    56: QT_TRANSLATE_NOOP("GM", "Cowbell"),
    57: QT_TRANSLATE_NOOP("GM", "Crash Cymbal 2"),
    58: QT_TRANSLATE_NOOP("GM", "Vibraslap"),
    59: QT_TRANSLATE_NOOP("GM", "Ride Cymbal 2"),
    60: QT_TRANSLATE_NOOP("GM", "Hi Bongo"),
    61: QT_TRANSLATE_NOOP("GM", "Low Bongo"),
    62: QT_TRANSLATE_NOOP("GM", "Mute Hi Conga"),
    63: QT_TRANSLATE_NOOP("GM", "Open Hi Conga"),
    64: QT_TRANSLATE_NOOP("GM", "Low Conga"),
    65: QT_TRANSLATE_NOOP("GM", "High Timbale"),
    66: QT_TRANSLATE_NOOP("GM", "Low Timbale"),
    67: QT_TRANSLATE_NOOP("GM", "High Agogo"),
    68: QT_TRANSLATE_NOOP("GM", "Low Agogo"),
    69: QT_TRANSLATE_NOOP("GM", "Cabasa"),
    70: QT_TRANSLATE_NOOP("GM", "Maracas"),
    71: QT_TRANSLATE_NOOP("GM", "Short Whistle"),
    72: QT_TRANSLATE_NOOP("GM", "Long Whistle"),
    73: QT_TRANSLATE_NOOP("GM", "Short Guiro"),
    74: QT_TRANSLATE_NOOP("GM", "Long Guiro"),
    75: QT_TRANSLATE_NOOP("GM", "Claves"),
    76: QT_TRANSLATE_NOOP("GM", "Hi Wood Block"),
    77: QT_TRANSLATE_NOOP("GM", "Low Wood Block"),
    78: QT_TRANSLATE_NOOP("GM", "Mute Cuica"),
    79: QT_TRANSLATE_NOOP("GM", "Open Cuica"),
    80: QT_TRANSLATE_NOOP("GM", "Mute Triangle"),
    81: QT_TRANSLATE_NOOP("GM", "Open Triangle"),
}


def drum_name(pitch: int) -> str | None:
    name = DRUM_NAMES.get(pitch)
    return QCoreApplication.translate("GM", name) if name else None


# GM controller names by CC number, as ``core.events.lane_name`` gives them in English (core has no Qt):
# marked here so that they reach the translators, and the lane chooser shows them in the user's language.
CONTROLLERS = {
    0: QT_TRANSLATE_NOOP("GM", "Bank select"),
    1: QT_TRANSLATE_NOOP("GM", "Modulation"),
    2: QT_TRANSLATE_NOOP("GM", "Breath"),
    4: QT_TRANSLATE_NOOP("GM", "Foot controller"),
    5: QT_TRANSLATE_NOOP("GM", "Portamento time"),
    7: QT_TRANSLATE_NOOP("GM", "Volume"),
    8: QT_TRANSLATE_NOOP("GM", "Balance"),
    10: QT_TRANSLATE_NOOP("GM", "Pan"),
    11: QT_TRANSLATE_NOOP("GM", "Expression"),
    32: QT_TRANSLATE_NOOP("GM", "Bank select (fine)"),
    64: QT_TRANSLATE_NOOP("GM", "Sustain pedal"),
    65: QT_TRANSLATE_NOOP("GM", "Portamento"),
    66: QT_TRANSLATE_NOOP("GM", "Sostenuto"),
    67: QT_TRANSLATE_NOOP("GM", "Soft pedal"),
    71: QT_TRANSLATE_NOOP("GM", "Resonance"),
    72: QT_TRANSLATE_NOOP("GM", "Release time"),
    73: QT_TRANSLATE_NOOP("GM", "Attack time"),
    74: QT_TRANSLATE_NOOP("GM", "Brightness"),
    91: QT_TRANSLATE_NOOP("GM", "Reverb"),
    93: QT_TRANSLATE_NOOP("GM", "Chorus"),
}


def controller_name(cc: int) -> str | None:
    """The GM name of controller ``cc`` in the user's language; None for a CC that GM leaves unnamed."""
    name = CONTROLLERS.get(cc)
    return QCoreApplication.translate("GM", name) if name else None
