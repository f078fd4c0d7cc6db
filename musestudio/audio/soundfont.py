"""Finding a General MIDI soundfont to play with.

The system's FluidR3 (Debian's fluidr3mono-gm-soundfont) sounds best and is what ``make run`` installs;
pretty_midi's wheel carries the small TimGM6mb as a fallback; a bundled build may ship its own copy under
``resources/soundfonts``. A soundfont that cannot be used is a ``BadInputError`` in the command line's English
with a code and the path as its parameter, which the window words in the user's language (``ui.error_words``).
"""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from typing import BinaryIO

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


SAMPLE_HEADER_BYTES = 46  # a 20-byte name, start, end, loop start, loop end, rate, key, tuning, link, type
ROM_SAMPLE = 0x8000  # the sample lives in a synth's ROM, not in the file's sample data
COMPRESSED_SAMPLE = 0x10  # sf3: start and end count bytes of Ogg Vorbis data, not 16-bit samples


def samples_out_of_range(path: str | Path) -> tuple[int, int]:
    """(how many of the soundfont's samples point outside its sample data, how many samples it has).

    FluidSynth loads such a soundfont without an error, only a warning per sample on stderr, and plays
    those samples as silence: a render of a piece that uses nothing else is all zeros, and would be
    blamed on the notes (too soft to sound) unless we look. It reads the file's chunk headers and its
    sample headers (46 bytes a sample: a few kB), not the sample data. A file it cannot read as a RIFF
    soundfont gives (0, 0): FluidSynth, which loaded it, says more than a guess here would."""
    try:
        with open(path, "rb") as f:
            sample_bytes, headers = _sample_chunks(f)
    except (OSError, struct.error):
        return 0, 0
    if sample_bytes is None or headers is None:
        return 0, 0
    count = len(headers) // SAMPLE_HEADER_BYTES - 1  # the last header only marks the end (EOS)
    bad = 0
    for k in range(count):
        start, end = struct.unpack_from("<II", headers, k * SAMPLE_HEADER_BYTES + 20)
        (kind,) = struct.unpack_from("<H", headers, k * SAMPLE_HEADER_BYTES + 44)
        if kind & ROM_SAMPLE:
            continue
        available = sample_bytes if kind & COMPRESSED_SAMPLE else sample_bytes // 2
        bad += end > available or start >= end
    return bad, max(count, 0)


def _sample_chunks(f: BinaryIO) -> tuple[int | None, bytes | None]:
    """The size of the ``smpl`` chunk (the sample data) and the ``shdr`` chunk's bytes, walking the RIFF
    chunks of an open soundfont (into its LIST chunks) without reading the sample data."""
    riff, _size, form = struct.unpack("<4sI4s", f.read(12))
    if riff != b"RIFF" or form != b"sfbk":
        return None, None
    sample_bytes = headers = None
    while len(header := f.read(8)) == 8:
        chunk, size = struct.unpack("<4sI", header)
        if chunk == b"LIST":
            f.read(4)  # the list's type (INFO, sdta, pdta): its chunks follow
        elif chunk == b"shdr":
            headers = f.read(size)
            return sample_bytes, headers
        else:
            if chunk == b"smpl":
                sample_bytes = size
            f.seek(size, 1)  # no pad byte after an odd size: sf3 writers leave it out, FluidSynth reads so
    return sample_bytes, headers
