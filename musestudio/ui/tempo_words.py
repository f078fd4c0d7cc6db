"""A tempo as the window writes it: in the beat the meter is counted in, naming that beat.

A MIDI file's tempo is quarter notes a minute whatever the meter, so a jig its players count at a dotted
quarter of 120 read "180 BPM". The BPM box, the status bar and the tempo lane read and take a tempo in the
meter's counted beat (``core.timing.counted_beat``) and say which, "120.0 BPM (♩.)": a number is never read
in the wrong unit, and the file's tempo stays exactly as it was until one is typed.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from musestudio.core.project import TimeSignature
from musestudio.core.timing import beat_name, counted_beat

# The notes every desktop font draws (U+2669, U+266A). The half and whole notes are only in Unicode's
# Musical Symbols block, which common fonts lack (a box stood where the note should be), so those beats,
# and the rare shorter ones, are named in words.
_GLYPHS = {Fraction(1): "♩", Fraction(3, 2): "♩.", Fraction(1, 2): "♪", Fraction(3, 4): "♪."}
_NAMES = (
    QT_TRANSLATE_NOOP("Tempo", "whole"),
    QT_TRANSLATE_NOOP("Tempo", "half"),
    QT_TRANSLATE_NOOP("Tempo", "16th"),
    QT_TRANSLATE_NOOP("Tempo", "dotted 16th"),
    QT_TRANSLATE_NOOP("Tempo", "32nd"),
    QT_TRANSLATE_NOOP("Tempo", "dotted 32nd"),
    QT_TRANSLATE_NOOP("Tempo", "64th"),
    QT_TRANSLATE_NOOP("Tempo", "dotted 64th"),
)


def beat_label(sig: TimeSignature) -> str:
    """The beat ``sig`` is counted in: "♩." in 6/8, "♩" in 4/4, "half" in 2/2."""
    glyph = _GLYPHS.get(counted_beat(sig))
    if glyph is not None:
        return glyph
    name = beat_name(sig)
    return QCoreApplication.translate("Tempo", name) if name in _NAMES else name


def bpm_with_beat(number: str, sig: TimeSignature) -> str:
    """``number`` (counted beats a minute, written as the caller rounds it) with its unit: "120.0 BPM (♩.)".
    With no number it is the BPM box's suffix, " BPM (♩.)"."""
    text = QCoreApplication.translate("Tempo", "%1 BPM (%2)")
    return text.replace("%1", number).replace("%2", beat_label(sig))
