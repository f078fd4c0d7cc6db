"""Runtime hook: make FluidSynth and PortAudio resolve to the copies inside the bundle.

pyfluidsynth and sounddevice call ``ctypes.util.find_library`` before they load their library, and on Linux
that asks the system (``ldconfig -p``, then ``gcc``/``ld``), never the bundle's folder: on a machine without
libfluidsynth3 or libportaudio2 installed they would give up although the bundle carries both. This hook
runs before any of our code and answers those two look-ups with the bundled files' full paths, so the
bundle always uses the libraries it was tested with; every other name goes to the original look-up.
"""


def _install() -> None:
    import ctypes.util
    import os
    import sys

    bundled = {"fluidsynth": "libfluidsynth.so.3", "portaudio": "libportaudio.so.2"}
    system_find_library = ctypes.util.find_library

    def find_library(name):
        soname = bundled.get(name)
        if soname is not None:
            path = os.path.join(sys._MEIPASS, soname)
            if os.path.isfile(path):
                return path
        return system_find_library(name)

    ctypes.util.find_library = find_library


_install()
del _install
