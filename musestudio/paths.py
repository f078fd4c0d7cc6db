"""Where MuseStudio's files live, worked out in one place for every way the app can be run.

Read-only files ship in ``resources/`` (seeds, icons, a fallback soundfont) and ``models/`` (trained
checkpoints). They sit next to the package in a checkout or editable install, inside ``sys._MEIPASS`` in a
PyInstaller bundle, and under ``<prefix>/share/musestudio`` in a plain install; ``MUSESTUDIO_HOME`` overrides
all of them. What the user makes (recovery copies, demo output) goes to the per-user folders platformdirs
gives for this OS, never next to the program.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "MuseStudio"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidate_roots() -> list[Path]:
    roots = []
    if home := os.environ.get("MUSESTUDIO_HOME"):
        roots.append(Path(home))
    if frozen := getattr(sys, "_MEIPASS", None):
        roots.append(Path(frozen))
    roots.append(_PACKAGE_DIR.parent)  # a checkout or an editable install
    roots.append(Path(sys.prefix) / "share" / "musestudio")
    return roots


def _find_dir(name: str) -> Path:
    """The first root holding ``name``; if none does, the checkout's path (so messages name a real place)."""
    for root in _candidate_roots():
        if (root / name).is_dir():
            return root / name
    return _PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return _find_dir("resources")


def models_dir() -> Path:
    return _find_dir("models")


def shared_data_dir() -> Path:
    """Training data: ``../shared/data`` beside the checkout (``MUSESTUDIO_DATA`` points elsewhere).

    Only the training and evaluation tools read it, never the app."""
    if env := os.environ.get("MUSESTUDIO_DATA"):
        return Path(env)
    return _PACKAGE_DIR.parent.parent / "shared" / "data"


def resource(*parts: str) -> Path:
    """A file under ``resources/``, e.g. ``resource("seeds", "demo.mid")``."""
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """Per-user writable data (recovery copies, settings); created on first use."""
    return _made(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def recovery_dir() -> Path:
    return _made(user_data_dir() / "recovery")


def _made(path: Path) -> Path:
    """``path``, created if it can be. One that cannot (a read-only parent, a file in its place) is still
    given: what writes there fails and says why (autosave warns and retries), while the app starts and
    works on; raising here stopped the app from starting at all."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return path


def default_output_dir() -> Path:
    """Where the headless demo and other unattended runs write: Documents/MuseStudio (not created here)."""
    return Path(platformdirs.user_documents_dir()) / APP_NAME
