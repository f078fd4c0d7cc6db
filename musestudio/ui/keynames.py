"""Key names as the user's language writes them ("C major" is "C 大调" in Chinese).

``KeySignature.name`` is the English name files and the command line use; everything the window shows
goes through ``key_label`` so a detected or chosen key reads the same in every place.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from musestudio.core.keys import KeySignature


def mode_label(mode: str) -> str:
    if mode == "major":
        return QCoreApplication.translate("Keys", "major")
    return QCoreApplication.translate("Keys", "minor")


def key_label(key: KeySignature) -> str:
    """The tonic as the key's signature spells it, and the mode in the user's language."""
    return f"{key.name.split()[0]} {mode_label(key.mode)}"
