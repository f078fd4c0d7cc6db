"""Finding a General MIDI soundfont to play with.

The system's FluidR3 (Debian's fluidr3mono-gm-soundfont) sounds best and is what ``make run`` installs;
pretty_midi's wheel carries the small TimGM6mb as a fallback; a bundled build may ship its own copy under
``resources/soundfonts``. A soundfont that cannot be used is a ``BadInputError`` in the command line's English
with a code and the path as its parameter, which the window words in the user's language (``ui.error_words``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from musestudio import paths
from musestudio.core.errors import BadInputError

SYSTEM_SOUNDFONTS = (
    Path("/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"),
    Path("/usr/share/sounds/sf2/FluidR3Mono_GM.sf2"),
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/soundfonts/FluidR3_GM.sf2"),
)
SOUNDFONT_SUFFIXES = (".sf2", ".sf3")


def _pretty_midi_soundfont() -> Path | None:
    spec = importlib.util.find_spec("pretty_midi")  # locate without the slow import
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "TimGM6mb.sf2"


def candidates() -> list[Path]:
    """Every place we look, best first."""
    found = list(SYSTEM_SOUNDFONTS)
    if (pm := _pretty_midi_soundfont()) is not None:
        found.append(pm)
    bundled = paths.resource("soundfonts")
    if bundled.is_dir():
        found.extend(sorted(p for p in bundled.iterdir() if p.suffix.lower() in SOUNDFONT_SUFFIXES))
    return found


#: What installs the soundfont we sound best with; both ways out of "none installed" name it.
INSTALL_COMMAND = "apt-get install fluidr3mono-gm-soundfont"


def find_soundfont(preferred: str | Path | None = None) -> Path:
    """The soundfont to load: ``preferred`` if given, else the best one installed."""
    if preferred is not None:
        path = Path(preferred).expanduser()
        _check_is_a_file(path)
        if path.suffix.lower() not in SOUNDFONT_SUFFIXES:
            raise BadInputError(
                f"{path} is not a soundfont (expected a .sf2 or .sf3 file)",
                "soundfont_wrong_suffix",
                where=str(path),
            )
        return path
    for path in candidates():
        if path.is_file():
            return path
    # the command line's way out is --soundfont; the window words the code with its own (Preferences)
    raise BadInputError(
        f"no General MIDI soundfont found; install one with '{INSTALL_COMMAND}' or pass --soundfont PATH",
        "no_soundfont",
        command=INSTALL_COMMAND,
    )


def _check_is_a_file(path: Path) -> None:
    """BadInputError unless ``path`` is a file, saying what it is instead (a folder named like a soundfont
    is not "not found")."""
    if path.is_file():
        return
    if path.is_dir():
        raise BadInputError(f"{path} is a folder, not a soundfont file", "soundfont_folder", where=str(path))
    if path.exists():
        raise BadInputError(
            f"{path} is not a regular file (a pipe or a device), so not a soundfont",
            "soundfont_not_regular",
            where=str(path),
        )
    raise BadInputError(f"soundfont not found: {path}", "soundfont_not_found", where=str(path))
