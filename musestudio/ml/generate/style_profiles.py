"""Each style's typical register and dynamics, and the naive Restyle baseline built on them.

The baseline answers "how much of the transfer score could a trivial edit earn?": it moves the phrase by
whole octaves toward the target style's median pitch and sets velocities to the style's mean, keeping
every pitch class and onset. Profiles come from the train split and ship as ``models/style_profiles.json``.

They are built by ``python -m musestudio.ml.train.style_profiles build``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note


def profiles(path: str | None = None) -> dict[str, dict[str, float]]:
    """The table at ``path`` (default: the models folder's), read once per file."""
    from musestudio.paths import models_dir

    return _read(Path(path) if path else models_dir() / "style_profiles.json")


@functools.lru_cache(maxsize=4)
def _read(p: Path) -> dict[str, dict[str, float]]:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise BadInputError(f"style profiles {p} cannot be read: {e}") from e


def naive_restyle(
    notes: Sequence[Note], to_style: str, strength: float = 1.0, table: dict | None = None
) -> list[Note]:
    """Octave shift toward the style's median pitch and velocity toward its mean, both scaled by strength.

    ``table`` defaults to the shipped profiles.
    """
    table = table if table is not None else profiles()
    if to_style not in table:
        raise BadInputError(f"unknown style {to_style!r} (known: {', '.join(table)})")
    prof = table[to_style]
    median = float(np.median([n.pitch for n in notes]))
    octaves = round(strength * (prof["median_pitch"] - median) / 12)
    lo, hi = min(n.pitch for n in notes), max(n.pitch for n in notes)
    octaves = max(-(lo // 12), min((127 - hi) // 12, octaves))
    out = []
    for n in notes:
        vel = round((1 - strength) * n.velocity + strength * prof["mean_velocity"])
        out.append(Note(n.pitch + 12 * octaves, n.start, n.duration, int(np.clip(vel, 1, 127))))
    return out
