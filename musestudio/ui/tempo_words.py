"""A tempo as the window writes it: in the beat the meter is counted in, as a score's metronome mark.

A MIDI file's tempo is quarter notes a minute whatever the meter, so a jig its players count at a dotted
quarter of 120 read "180 BPM". The BPM box, the status bar and the tempo lane read and take a tempo in the
meter's counted beat (``core.timing.counted_beat``) and say which, "♩. = 120.0": a number is never read in
the wrong unit, and the file's tempo stays exactly as it was until one is typed. The mark is also shorter
than "120.0 BPM (♩.)", which the narrowest window's tempo box cut short.
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


def tempo_mark(number: str, sig: TimeSignature) -> str:
    """``number`` (counted beats a minute, written as the caller rounds it) after its beat: "♩. = 120.0"."""
    before, after = mark_around_number(sig)
    return before + number + after


def mark_around_number(sig: TimeSignature) -> tuple[str, str]:
    """What the mark writes before and after the number, the BPM box's prefix and suffix: "♩. = " and ""
    in English, in whatever order a translation puts them."""
    mark = QCoreApplication.translate("Tempo", "%1 = %2").replace("%1", beat_label(sig))
    before, _, after = mark.partition("%2")
    return before, after
