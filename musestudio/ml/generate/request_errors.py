"""The refusals of a request the engines share, each with the code and params the window words it from.

Continue, Regenerate, Add a part and Restyle check the same things of a request (the bars asked for, the
style, the key a key lock needs, the pitches a range and a key leave); the command line says each in
these English words, and the window says it in the user's language from the ``code`` and ``params``
(``ui.generate_error_words``). One function per refusal keeps the words and the code of each in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature

#: the most bars one request writes (Continue's bars, a part's or a range's reach past the music); kept here,
#: beside its refusal and free of torch, so the command line's help can say it without loading a model
MAX_BARS = 32

#: what would have given a key lock its key, by what the engine detects it from (``key_lock_needs_key``)
KEY_SOURCES = {
    "seed": "give a seed to detect it from",
    "context": "leave some notes around the range",
    "notes": "give notes to detect it from",
}


def bars_out_of_range(bars: int, most: int) -> BadInputError:
    return BadInputError(f"bars must be 1..{most}, got {bars}", "bars_out_of_range", most=most, bars=bars)


def unknown_style(style: str, known: Iterable[str]) -> BadInputError:
    known = list(known)
    return BadInputError(
        f"unknown style {style!r}; choose one of {', '.join(known)}",
        "unknown_style",
        style=style,
        known=known,
    )


def unknown_style_among(style: str, known: Iterable[str]) -> BadInputError:
    """``unknown_style`` as Restyle says it: the styles its model (or profile table) knows."""
    known = list(known)
    return BadInputError(
        f"unknown style {style!r} (known: {', '.join(known)})",
        "unknown_style_among",
        style=style,
        known=known,
    )


def not_trained_on(engine: str, style: str, trained: Iterable[str]) -> BadInputError:
    trained = list(trained)
    return BadInputError(
        f"the {engine} model was not trained on the {style} style ({', '.join(trained)})",
        "style_not_trained",
        engine=engine,
        style=style,
        trained=trained,
    )


def key_lock_needs_key(source: str) -> BadInputError:
    """Key lock is on, no key was picked and there are no notes (``KEY_SOURCES[source]``) to detect one."""
    return BadInputError(
        f"key lock needs a key: pick one, or {KEY_SOURCES[source]}", f"key_lock_needs_key_{source}"
    )


def no_pitch_in_key(lo: int, hi: int, key: KeySignature | None) -> BadInputError:
    """The note range and the locked key leave no pitch to write (C#4-C#4 in C major)."""
    return BadInputError(
        f"no pitch in {lo}..{hi} is in {key}; widen the range or turn key lock off",
        "no_pitch_in_key",
        lo=lo,
        hi=hi,
        key=str(key),
    )
