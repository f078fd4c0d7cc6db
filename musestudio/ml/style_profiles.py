"""Each style's typical register and dynamics, and the naive Restyle baseline built on them.

The baseline answers "how much of the transfer score could a trivial edit earn?": it moves the phrase by
whole octaves toward the target style's median pitch and sets velocities to the style's mean, keeping
every pitch class and onset. Profiles come from the train split and ship as ``models/style_profiles.json``.

CLI: ``python -m musestudio.ml.style_profiles build [--out models/style_profiles.json]``.
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from musestudio.core.errors import BadInputError
from musestudio.core.note import Note


def build(cache_dir: Path | None = None) -> dict[str, dict[str, float]]:
    from musestudio.ml.data import load_cache
    from musestudio.ml.styles import STYLES

    profiles = {}
    for name in STYLES:
        pieces = load_cache(cache_dir, split="train", styles=[name])
        pitches = np.array([n.pitch for p in pieces for n in p.notes])
        velocities = np.array([n.velocity for p in pieces for n in p.notes])
        if pitches.size:
            profiles[name] = {
                "median_pitch": float(np.median(pitches)),
                "pitch_p10": float(np.percentile(pitches, 10)),
                "pitch_p90": float(np.percentile(pitches, 90)),
                "mean_velocity": float(velocities.mean()),
                "pieces": len(pieces),
            }
    return profiles


@functools.lru_cache(maxsize=1)
def profiles(path: str | None = None) -> dict[str, dict[str, float]]:
    from musestudio.paths import models_dir

    p = Path(path) if path else models_dir() / "style_profiles.json"
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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m musestudio.ml.style_profiles", description=__doc__.splitlines()[0]
    )
    ap.add_argument("command", choices=("build",))
    ap.add_argument("--out", type=Path, default=Path("models/style_profiles.json"))
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    table = build(args.cache_dir)
    args.out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
