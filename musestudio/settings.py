"""User preferences and window state, kept in QSettings behind one defaults table.

Every key the app may store is listed in ``DEFAULTS`` with its default value, and the default's type is
the value's type: reading converts what QSettings hands back (strings on some platforms) to that type, and
an unknown key raises ``KeyError`` at once, so a typo cannot silently create a new setting (MNELAB's idea).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from musestudio.io.userdata import MovedAside, move_aside

ORGANIZATION = "MuseStudio"
APPLICATION = "MuseStudio"

DEFAULTS: dict[str, Any] = {
    "language": "system",  # "system", "en" or "zh_CN"
    "soundfont": "",  # empty: found automatically (system FluidR3Mono, then pretty_midi's TimGM6mb)
    "audio_blocksize": 256,  # frames per audio callback: 256 at 44.1 kHz is 5.8 ms
    "autosave_seconds": 60,
    "snap": "1/16",
    "note_length": 240,  # ticks of the last drawn note, reused by the draw tool
    "metronome": False,
    "follow_playhead": True,  # the roll scrolls with the playhead while playing
    "chord_names": True,  # the chord row over the roll
    "chords_all_tracks": False,  # chord names of all tracks together (else of the active track)
    "midi_backend": "auto",  # "auto" (ALSA when the sequencer exists, else JACK), "alsa" or "jack"
    "midi_input": "",  # the keyboard's port as the system names it; "" for none
    "midi_output": "",  # a port name, "virtual" for our own port "MuseStudio", or "" for none
    "midi_clock": False,  # send MIDI clock, start and stop with the transport
    "midi_thru": True,  # hear the keyboard through the app's synth
    "record_replace": False,  # recording replaces the recorded bars (False: overdub)
    "record_quantize": False,  # snap recorded note starts to the grid
    "jam_trigger": "",  # "" (a bar's pause only), "cc:67" (a pedal) or "note:21" (a key)
    "recent_files": [],
    "piece_styles": [],  # the Generate style the user chose per piece: JSON [path, style], newest first
    "last_dir": "",
    "styles_told": [],  # why learned styles cannot be used, as the user was last told (told once each)
    "window_geometry": QByteArray(),
    "window_state": QByteArray(),
}

MAX_RECENT = 10


class Settings:
    """Typed access to the app's QSettings; ``qsettings`` can be injected (tests use an ini file)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or QSettings(ORGANIZATION, APPLICATION)
        #: set when the settings file was damaged and moved aside (the app tells the user once)
        self.moved_aside: MovedAside | None = self._set_damaged_file_aside()

    def _set_damaged_file_aside(self) -> MovedAside | None:
        """A settings file Qt cannot parse is moved aside with a note; the defaults apply from then on."""
        self._q.allKeys()  # QSettings reads lazily: make it read the file now, so status() knows
        path = Path(self._q.fileName())
        if self._q.status() != QSettings.Status.FormatError or not path.is_file():
            return None
        try:
            moved = move_aside(path, "Qt cannot parse it as a settings file", "your preferences")
        except OSError:
            return None
        self._q = QSettings(str(path), self._q.format())
        return moved

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        value = self._q.value(key, default)
        if value is None:
            return default
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        if isinstance(default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            if isinstance(value, str):
                return [value] if value else []
            if not isinstance(value, list | tuple):  # a damaged entry counts as none
                return list(default)
            return [v for v in value if isinstance(v, str) and v]
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else default
        return str(value)

    def set(self, key: str, value: Any) -> None:
        if key not in DEFAULTS:
            raise KeyError(f"unknown setting {key!r}")
        self._q.setValue(key, value)

    def add_recent_file(self, path: str) -> list[str]:
        """Put ``path`` first in the recent list (no duplicates, at most MAX_RECENT) and return the list.

        A path that is not valid text (bytes of another encoding in a file name) is not listed: Qt could
        not store it faithfully, and a recent entry that opens another file is worse than none.
        """
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            return self.get("recent_files")
        recent = [p for p in self.get("recent_files") if p != path]
        recent.insert(0, path)
        del recent[MAX_RECENT:]
        self.set("recent_files", recent)
        return recent

    def remove_recent_file(self, path: str) -> None:
        """Take ``path`` off the recent list (a file that is no longer there)."""
        self.set("recent_files", [p for p in self.get("recent_files") if p != path])

    def sync(self) -> None:
        self._q.sync()
