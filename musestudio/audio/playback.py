"""Playing a project to the sound card from a script (``musestudio-cli play FILE``), without Qt.

The same synth and scheduler as the app's live player and the WAV renderer, in a sounddevice stream; the
call blocks until the music and its release tail are over. A machine with no sound device, or no PortAudio,
gets a ``BadInputError`` that says so and points at the alternatives.
"""

from __future__ import annotations

import threading
from pathlib import Path

from musestudio.audio.scheduler import Scheduler, events_for
from musestudio.core.errors import BadInputError
from musestudio.core.project import Project

TAIL_SECONDS = 1.0
NO_DEVICE_HINT = (
    "play to a MIDI port with --port NAME (see 'musestudio-cli ports'), or write a WAV with "
    "'musestudio-cli render'"
)


def output_device(device: str | int | None = None) -> dict:
    """The sound device to play on; BadInputError when there is none."""
    try:
        import sounddevice as sd
    except OSError:  # the PortAudio library is missing
        raise BadInputError(
            f"cannot play audio: PortAudio is not installed ('apt-get install libportaudio2'); {NO_DEVICE_HINT}"
        ) from None
    try:
        return sd.query_devices(device, kind="output")
    except (sd.PortAudioError, ValueError):
        raise BadInputError(f"cannot play audio: no sound output device found; {NO_DEVICE_HINT}") from None


def play_to_device(
    project: Project,
    soundfont: str | Path | None = None,
    device: str | int | None = None,
    sample_rate: int = 44100,
    stop: threading.Event | None = None,
) -> float:
    """Play ``project`` to the sound card and return when it has finished (or ``stop`` is set)."""
    import sounddevice as sd

    from musestudio.audio.synth import Synth

    output_device(device)
    stop = stop or threading.Event()
    events = events_for(project, sample_rate)
    end = max((e.sample for e in events), default=0) + round(TAIL_SECONDS * sample_rate)
    with Synth(soundfont, sample_rate) as synth:
        scheduler = Scheduler(synth)
        scheduler.set_events(events)
        done = threading.Event()

        def callback(outdata, frames, _time, _status) -> None:
            outdata[:] = scheduler.pull(frames)
            if scheduler.position >= end:
                done.set()

        try:
            with sd.OutputStream(
                samplerate=sample_rate, channels=2, dtype="float32", device=device, callback=callback
            ):
                while not (done.is_set() or stop.is_set()):
                    done.wait(0.1)
        except sd.PortAudioError as e:
            raise BadInputError(f"the sound device failed: {e}; {NO_DEVICE_HINT}") from None
    return scheduler.position / sample_rate
