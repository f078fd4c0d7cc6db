"""The user's own data files (settings, taste): a damaged one is moved aside with a note, and counts as none.

A file we cannot read must not block the app (Ctrl+G doing nothing because ``taste.json`` is damaged), and
must not be lost either: it may be the only record of months of decisions, or be fixable by hand. So it is
renamed to ``<name>.damaged-<time>`` in the same folder, a ``<name>.damaged-<time>.txt`` note beside it says
what was wrong and what the app did, and the app goes on as if the file were not there. The caller tells
the user, once, with the note's path.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

TASTE_FILE = "taste.json"  # musestudio.ml.taste.FILE_NAME (not imported: that pulls in numpy at start-up)
TASTE_VERSION = 1


@dataclass(frozen=True)
class MovedAside:
    original: Path
    moved_to: Path
    note: Path
    problem: str

    def message(self) -> str:
        return (
            f"{self.original.name} was damaged ({self.problem}). It was moved aside to "
            f"{self.moved_to} and MuseStudio goes on without it; {self.note.name} beside it says more."
        )


def move_aside(path: str | Path, problem: str, what: str) -> MovedAside:
    """Rename the damaged ``path`` out of the way and leave a note; ``what`` says what the file holds."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while moved.exists():
        n += 1
        moved = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, moved)
    note = moved.with_name(moved.name + ".txt")
    note.write_text(
        f"MuseStudio could not read {path} ({what}) on {datetime.now():%Y-%m-%d %H:%M}:\n"
        f"  {problem}\n\n"
        f"It was renamed to {moved.name} so that nothing in it is lost, and MuseStudio started without it\n"
        f"(as if it had never existed). If you can repair it, rename it back to {path.name} while\n"
        f"MuseStudio is closed; otherwise you may delete it and this note.\n",
        encoding="utf-8",
    )
    return MovedAside(path, moved, note, problem)


def taste_problem(data: bytes) -> str | None:
    """What is wrong with the bytes of a taste file, or None when its structure is sound."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "it is not readable JSON"
    if not isinstance(doc, dict):
        return "it is not a JSON object"
    if doc.get("version") != TASTE_VERSION:
        return f"unknown version {doc.get('version')!r}"
    decisions = doc.get("decisions")
    if not isinstance(decisions, list):
        return "'decisions' is not a list"
    for i, d in enumerate(decisions):
        if not isinstance(d, dict):
            return f"decision {i + 1} is not an object"
        if not isinstance(d.get("kept"), bool) or not isinstance(d.get("style"), str):
            return f"decision {i + 1} lacks 'kept' or 'style'"
        for key in ("stats", "embedding"):
            values = d.get(key, [])
            if not isinstance(values, list) or not all(_finite_number(v) for v in values):
                return f"decision {i + 1}: '{key}' is not a list of numbers"
    return None


def _finite_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def check_taste_file(path: str | Path) -> MovedAside | None:
    """Move a damaged taste file aside (returning what was done); a sound or missing one is left alone."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        problem = f"it cannot be read: {e.strerror or e}"
    else:
        problem = taste_problem(data)
    if problem is None:
        return None
    try:
        return move_aside(path, problem, "what you kept and discarded, which ranks new takes")
    except OSError:
        return None  # cannot even rename it: the taste loader still counts it as none
