"""Which compute device the models will run on, found without importing torch at start-up.

Importing torch costs seconds, so the cold start never does it: on a machine with no NVIDIA driver the
answer is "CPU" straight away; only where a driver is present is torch asked (on a worker thread, after
the window is up) for the CUDA device name, because a CPU-only torch build still means CPU.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

NVIDIA_MARKERS = (Path("/proc/driver/nvidia/gpus"), Path("/dev/nvidia0"), Path("/dev/nvidiactl"))


def nvidia_driver_present() -> bool:
    return any(p.exists() for p in NVIDIA_MARKERS)


def cuda_device_name() -> str | None:
    """The first CUDA device's name, or None (imports torch: call it off the GUI thread)."""
    try:
        import torch
    except ImportError:
        return None
    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None


class DeviceProbe(QObject):
    found = Signal(str)  # "CPU" or the CUDA device's name

    def start(self) -> None:
        if not nvidia_driver_present():
            self.found.emit("CPU")
            return
        threading.Thread(target=lambda: self.found.emit(cuda_device_name() or "CPU"), daemon=True).start()
