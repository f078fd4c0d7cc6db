"""Key signatures and key detection.

Detection is Krumhansl-Schmuckler with the Albrecht-Shanahan (2013) profiles, which name the key of short
melodies more often than the original Krumhansl-Kessler ones; notes are weighted by duration so a passing
sixteenth does not outvote a held tonic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from musestudio.core.errors import InvalidValue
from musestudio.core.note import Note

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_NAME_TO_PC = {n: i for i, n in enumerate(PITCH_NAMES)} | {
    "Db": 1,
    "D#": 3,
    "Gb": 6,
    "G#": 8,
    "A#": 10,
    "Cb": 11,
    "B#": 0,
    "E#": 5,
    "Fb": 4,
}
MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
MINOR_STEPS = (0, 2, 3, 5, 7, 8, 10)  # natural minor; the raised 7th is counted in-key too (see scale)

_MAJOR_PROFILE = (0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081)
_MINOR_PROFILE = (0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052)


#: Key names by the accidentals of their signature (+sharps / -flats), for keys given with a spelling.
_MAJOR_SPELLED = ("Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#")
_MINOR_SPELLED = ("Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#")


def tonic_of_signature(accidentals: int, mode: str) -> int:
    """The tonic pitch class of the key with ``accidentals`` sharps (negative: flats) in ``mode``."""
    major = (accidentals * 7) % 12
    return major if mode == "major" else (major - 3) % 12


def _usual_accidentals(tonic: int, mode: str) -> int:
    """The signature most music uses for a tonic: at most 6 sharps, else flats (Db, not C#)."""
    major_tonic = tonic if mode == "major" else (tonic + 3) % 12
    fifths = (major_tonic * 7) % 12
    return fifths - 12 if fifths > 6 else fifths


@dataclass(frozen=True, slots=True)
class KeySignature:
    """A key: tonic pitch class 0..11 (C=0) and mode "major" or "minor".

    ``spelling``, when given, is the signature's accidentals as a file wrote them (+sharps / -flats,
    -7..7): C# major (7 sharps) and Db major (5 flats) share a tonic but are different signatures, and a
    file's choice is kept.
    """

    tonic: int
    mode: str = "major"
    spelling: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.tonic <= 11:
            raise InvalidValue(
                f"tonic {self.tonic} is not a pitch class 0..11", "key_tonic", tonic=self.tonic
            )
        if self.mode not in ("major", "minor"):
            raise InvalidValue(
                f"mode must be major or minor, not {self.mode!r}", "key_mode", mode=repr(self.mode)
            )
        if self.spelling is not None and (
            not -7 <= self.spelling <= 7 or tonic_of_signature(self.spelling, self.mode) != self.tonic
        ):
            raise InvalidValue(
                f"{self.spelling} accidentals do not spell a {self.mode} key on {self.tonic}",
                "key_spelling",
                accidentals=self.spelling,
                key_mode=self.mode,
                tonic=self.tonic,
            )
        if self.spelling is not None and self.spelling == _usual_accidentals(self.tonic, self.mode):
            object.__setattr__(self, "spelling", None)  # the usual spelling: equal to the unspelled key

    @classmethod
    def from_signature(cls, accidentals: int, mode: str) -> KeySignature:
        """The key a MIDI key-signature event names, keeping its spelling."""
        return cls(tonic_of_signature(accidentals, mode), mode, accidentals)

    @property
    def name(self) -> str:
        if self.spelling is not None:
            names = _MAJOR_SPELLED if self.mode == "major" else _MINOR_SPELLED
            return f"{names[self.spelling + 7]} {self.mode}"
        return f"{PITCH_NAMES[self.tonic]} {self.mode}"

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> frozenset[int]:
        """Pitch classes that count as in key (minor includes the harmonic minor's raised 7th)."""
        steps = MAJOR_STEPS if self.mode == "major" else (*MINOR_STEPS, 11)
        return frozenset((self.tonic + s) % 12 for s in steps)

    def contains(self, pitch: int) -> bool:
        return pitch % 12 in self.scale

    @property
    def sharps(self) -> int:
        """Accidentals as MIDI's key-signature byte counts them: +sharps / -flats (-7..7)."""
        if self.spelling is not None:
            return self.spelling
        return _usual_accidentals(self.tonic, self.mode)

    @classmethod
    def parse(cls, text: str) -> KeySignature:
        """Read "C major", "F# minor", "Bbm", "eb minor"; raise ValueError on anything else."""
        t = text.strip()
        parts = t.split()
        if len(parts) == 1 and t.endswith("m") and len(t) > 1:
            parts = [t[:-1], "minor"]
        if len(parts) == 1:
            parts.append("major")
        if len(parts) != 2:
            raise InvalidValue(f"cannot read key {text!r}", "key_unreadable", text=repr(text))
        name = parts[0][0].upper() + parts[0][1:].lower().replace("#", "#")
        mode = parts[1].lower()
        mode = {"maj": "major", "min": "minor"}.get(mode, mode)
        if name not in _NAME_TO_PC or mode not in ("major", "minor"):
            raise InvalidValue(f"cannot read key {text!r}", "key_unreadable", text=repr(text))
        return cls(_NAME_TO_PC[name], mode)


#: all 24 keys, majors then minors, each from C: the order of the tokenizer's KEY tokens and the key menu
KEYS: tuple[KeySignature, ...] = tuple(KeySignature(t, m) for m in ("major", "minor") for t in range(12))


def step_in_key(pitch: int, key: KeySignature, steps: int) -> int:
    """``pitch`` moved ``steps`` degrees along ``key``'s scale (negative: down), as Transpose in Key moves a
    melody: C-E-G in C major a step up is D-F-A, not D-F#-A. Minor steps along the natural minor, its
    raised 7th as its 7th (G# in A minor goes up to A, as a leading tone does, and an octave up to G#);
    any other pitch outside the scale (a passing C# in C major) keeps its distance above the degree below
    it, so a sequence keeps its chromatic notes (C# a step up is D#)."""
    degrees = sorted((key.tonic + s) % 12 for s in (MAJOR_STEPS if key.mode == "major" else MINOR_STEPS))
    leading_tone = key.mode == "minor" and (pitch - key.tonic) % 12 == 11
    below = pitch - 1 if leading_tone else pitch
    while below % 12 not in degrees:
        below -= 1
    octave, pitch_class = divmod(below, 12)
    octaves, degree = divmod(degrees.index(pitch_class) + steps, len(degrees))
    landed = degrees[degree]
    if leading_tone:  # raised again where it lands on the 7th (moved by octaves), else on the scale
        altered = 1 if landed == (key.tonic + 10) % 12 else 0
    else:
        altered = pitch - below
    return (octave + octaves) * 12 + landed + altered


def pitch_class_histogram(notes: Iterable[Note]) -> list[float]:
    """Duration-weighted pitch-class weights (12 values)."""
    hist = [0.0] * 12
    for n in notes:
        hist[n.pitch % 12] += n.duration
    return hist


def _correlation(xs: list[float], ys: tuple[float, ...]) -> float:
    mx, my = sum(xs) / 12, sum(ys) / 12
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    return num / den if den else 0.0


def key_scores(notes: Iterable[Note]) -> list[tuple[float, KeySignature]]:
    """All 24 keys with their profile correlation, best first."""
    hist = pitch_class_histogram(notes)
    scores = []
    for tonic in range(12):
        rotated = hist[tonic:] + hist[:tonic]
        scores.append((_correlation(rotated, _MAJOR_PROFILE), KeySignature(tonic, "major")))
        scores.append((_correlation(rotated, _MINOR_PROFILE), KeySignature(tonic, "minor")))
    scores.sort(key=lambda s: -s[0])
    return scores


def detect_key(notes: Iterable[Note]) -> KeySignature | None:
    """The most likely key, or None when there are no pitched notes to judge by."""
    notes = list(notes)
    if not notes:
        return None
    return key_scores(notes)[0][1]
