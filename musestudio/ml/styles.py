"""The styles the models know, with the words the UI shows for them.

A style id is what the data cache stores, what the tokenizer turns into a conditioning token and what the
CLI accepts, so the ids are short, lower-case and stable; labels and descriptions are free to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    label: str
    description: str
    tempo_bpm: float  # a typical tempo, used when a source gives none and as the default for new seeds


STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style(
            "bach",
            "Bach chorale",
            "Four-part chorale harmonisations by J.S. Bach: hymn melody over three moving voices, "
            "phrase-end fermatas, dense functional harmony.",
            72.0,
        ),
        Style(
            "palestrina",
            "Renaissance polyphony",
            "Palestrina's masses: smooth stepwise lines in long notes, imitation between voices, "
            "modal harmony with few leaps.",
            80.0,
        ),
        Style(
            "celtic",
            "Celtic fiddle",
            "Irish and Scottish dance tunes (jigs, reels, hornpipes) from O'Neill's 1850, Ryan's Mammoth "
            "and the Nottingham collection: running eighths, repeated four-bar phrases.",
            112.0,
        ),
        Style(
            "chinese",
            "Chinese folk",
            "Han Chinese folk songs from the Essen collection: pentatonic melodies, flexible phrasing.",
            84.0,
        ),
        Style(
            "german",
            "German folk",
            "German folk songs and ballads from the Essen collection: diatonic, singable, regular phrases.",
            96.0,
        ),
        Style(
            "classical",
            "Classical quartet",
            "String quartets by Haydn, Mozart and Beethoven: melody over accompaniment, clear cadences, "
            "contrasting textures.",
            100.0,
        ),
        Style(
            "pop",
            "Pop",
            "Chinese pop songs arranged for piano (POP909): a sung melody over chordal accompaniment.",
            96.0,
        ),
        Style(
            "jazz",
            "Jazz standard",
            "Lead-sheet melodies of jazz standards from OpenEWLD: syncopation, chromatic approach notes.",
            120.0,
        ),
    )
}


def style(name: str) -> Style:
    """The style called ``name``; a KeyError names the known ones."""
    try:
        return STYLES[name]
    except KeyError:
        raise KeyError(f"unknown style {name!r}; known: {', '.join(STYLES)}") from None
