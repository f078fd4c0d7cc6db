"""Reading a user's file into memory, with every OS failure turned into a message a musician can act on."""

from __future__ import annotations

from pathlib import Path

from musestudio.core.errors import BadInputError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # far above any real score; stops a wrong pick (a video) eating memory


def read_input_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of ``path``; ``what`` names the expected kind ("MIDI file") in error messages."""
    path = Path(path)
    try:
        if path.is_dir():
            raise BadInputError(f"{path} is a folder, not a {what}")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise BadInputError(f"{path.name} is {size // 2**20} MB, too big to be a {what}")
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"file not found: {path}") from None
    except PermissionError:
        raise BadInputError(f"no permission to read {path}") from None
    except OSError as e:
        raise BadInputError(f"cannot read {path}: {e.strerror or e}") from None
