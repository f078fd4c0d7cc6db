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

TASTE_FILE = "taste.json"  # the taste model (musestudio.ml.generate.taste) reads these two from here
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


def taste_problem(data: bytes, stats: int | None = None) -> str | None:
    """What is wrong with the bytes of a taste file, or None when its structure is sound; ``stats``, when
    the caller knows it (the taste model does; the start-up check does not import it), is how many
    statistics each decision must hold."""
    return _taste_read(data, stats)[1]


def _taste_read(data: bytes, stats: int | None) -> tuple[list, str | None, bool]:
    """(the decisions, None, False) for a sound taste file, else ([], what is wrong, whether a newer
    MuseStudio wrote it: not damaged, and not to be moved out of that one's way)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return [], "it is not readable JSON", False
    if not isinstance(doc, dict):
        return [], "it is not a JSON object", False
    version = doc.get("version")
    if version != TASTE_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > TASTE_VERSION:
            return [], f"it was made by a newer MuseStudio (its version {version})", True
        return [], f"unknown version {version!r}", False
    decisions = doc.get("decisions")
    if not isinstance(decisions, list):
        return [], "'decisions' is not a list", False
    for i, d in enumerate(decisions):
        why = _decision_problem(d, stats)
        if why:
            return [], f"decision {i + 1} {why}", False
    return decisions, None, False


def _decision_problem(d: object, stats: int | None) -> str | None:
    if not isinstance(d, dict):
        return "is not an object"
    if not isinstance(d.get("kept"), bool) or not isinstance(d.get("style"), str):
        return "lacks 'kept' or 'style'"
    if not isinstance(d.get("engine", ""), str):
        return "has an engine that is not a name"
    for key in ("stats", "embedding"):
        values = d.get(key, [])
        if not isinstance(values, list) or not all(_finite_number(v) for v in values):
            return f"has '{key}' that is not a list of numbers"
    if stats is not None and len(d.get("stats", ())) != stats:
        return f"does not have the {stats} statistics of a take"
    return None


def _finite_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True)
class TasteFile:
    """What reading the taste file found: its decisions (none when missing or damaged) and, for a damaged
    one, where it went (``moved``) or why it could not be moved (``stuck``: then it must never be written,
    as one a newer MuseStudio wrote, which is left where it is)."""

    decisions: list
    moved: MovedAside | None = None
    stuck: str | None = None


def read_taste_file(path: str | Path, stats: int | None = None) -> TasteFile:
    """The decisions in the taste file at ``path``; a damaged one is moved aside (the one place that does)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return TasteFile([])
    except OSError as e:
        decisions, problem, newer = [], f"it cannot be read: {e.strerror or e}", False
    else:
        decisions, problem, newer = _taste_read(data, stats)
    if problem is None:
        return TasteFile(decisions)
    if newer:  # not damaged: the newer MuseStudio still reads it where it is
        return TasteFile([], stuck=f"{problem} and is left as it is")
    try:
        moved = move_aside(path, problem, "what you kept and discarded, which ranks new takes")
    except OSError as e:
        return TasteFile([], stuck=f"{problem}; it could not be moved aside: {e.strerror or e}")
    return TasteFile([], moved=moved)


def check_taste_file(path: str | Path) -> MovedAside | None:
    """Move a damaged taste file aside (returning what was done); a sound or missing one is left alone. One
    that cannot be moved is left for the taste loader, which then counts it as none and never writes it."""
    return read_taste_file(path).moved
