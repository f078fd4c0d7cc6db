"""The name filters of the app's file dialogs: each lists the files it is for whatever the case of their
suffix, as the app opens them (it compares suffixes in lower case).

The dialog a Linux desktop gives (GTK's, or the desktop portal's) matches patterns case-sensitively: "*.mid"
leaves out Song.Mid, and "*.mid *.MID" still leaves out Song.Mid and song.Midi (Qt's own dialog, used where
the desktop gives none, ignores case already). So each suffix also goes in as a glob with a bracket class
per letter ("*.[mM][iI][dD]"), which those dialogs and Qt's own read. The plain pattern comes first: Qt's own save dialog takes the suffix it puts on a name from a filter's first
pattern, and Windows' dialog, which ignores case, knows no bracket classes.

The bracket patterns read badly, so the dialogs are told to hide the patterns (``HIDE_PATTERNS``) and show
only the label before them, which names the suffixes in lower case: "MIDI files (*.mid *.midi)".
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QFileDialog

HIDE_PATTERNS = QFileDialog.Option.HideNameFilterDetails  # the options every dialog with a name filter gets


def any_case(suffix: str) -> str:
    """``suffix`` as a glob that matches it in any case: ".mid" -> "*.[mM][iI][dD]"."""
    return "*" + "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else c for c in suffix)


def name_filter(label: str, suffixes: Iterable[str]) -> str:
    """The name filter showing ``label``, its %1 replaced by the suffixes as the user reads them ("*.mid
    *.midi"), that lists the files named with ``suffixes`` in any case, for a dialog given ``HIDE_PATTERNS``
    (without it Qt's own dialog would show the patterns too)."""
    suffixes = tuple(suffixes)
    patterns = " ".join(f"*{s} {any_case(s)}" for s in suffixes)
    return f"{label.replace('%1', ' '.join(f'*{s}' for s in suffixes))} ({patterns})"
