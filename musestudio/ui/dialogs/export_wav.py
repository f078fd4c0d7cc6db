"""Export WAV: render offline through the player's own synth on a worker thread, behind a progress dialog.

The render is a plain function with progress and cancel callbacks (audio/render.py). The worker thread
only emits signals; the receiving QObject lives on the GUI thread, so Qt queues every update across, and
Cancel sets the flag the renderer checks between blocks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from musestudio.audio.render import Rendering
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.project import Project
from musestudio.ui.error_words import ErrorWords

SAMPLE_RATE = 44100


class SilentRender(Exception):
    """The render has no music in it: written, the WAV would be silence reported as an export. ``damaged``:
    (samples pointing outside the soundfont's sample data, its samples), the likelier cause where any do
    (``soundfont.samples_out_of_range``)."""

    def __init__(self, soundfont: Path | None, damaged: tuple[int, int]) -> None:
        super().__init__()
        self.soundfont = soundfont
        self.damaged = damaged


@dataclass(frozen=True)
class Exported:
    """A WAV written: the soundfont it was rendered with, and that file's samples that cannot sound
    (``Rendering.damaged``): a partly damaged soundfont renders without the instruments using them."""

    soundfont: Path | None
    damaged: tuple[int, int]

    def damaged_text(self) -> str:
        """One line for a WAV missing the instruments of a damaged soundfont (``damaged``: some samples)."""
        return ExportWav().damaged_samples(self.soundfont, *self.damaged)


class ExportWav(QObject):
    """The export's counted words, in the "ExportWav" context of the rest: lupdate marks a message as
    counted (``%n``: "1 of its samples points", "20 of its samples point") only in a QObject's ``tr``."""

    def damaged_samples(self, soundfont: Path | None, bad: int, total: int) -> str:
        return (
            self.tr(
                "The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the "
                "instruments using them are missing from the WAV.",
                "",
                bad,
            )
            .replace("%1", str(soundfont))
            .replace("%2", str(total))
        )

    def silent_for_damaged_samples(self, path: Path, soundfont: Path | None, bad: int, total: int) -> str:
        return (
            self.tr(
                "%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its "
                "%3 samples point outside its sample data, so they cannot sound. Choose another under File > "
                "Preferences > Soundfont.",
                "",
                bad,
            )
            .replace("%1", path.name)
            .replace("%2", str(soundfont))
            .replace("%3", str(total))
        )


class _Worker(QObject):
    progress = Signal(float)
    finished = Signal(object)  # None on success, else the exception


class _Job(QObject):
    """GUI-thread end of the render: moves the progress bar and ends the wait."""

    def __init__(self, dialog: QProgressDialog, loop: QEventLoop) -> None:
        super().__init__()
        self.dialog = dialog
        self.loop = loop
        self.error: BaseException | None = None
        self.exported: Exported | None = None

    def on_progress(self, fraction: float) -> None:
        self.dialog.setValue(round(fraction * 1000))

    def on_finished(self, error) -> None:
        self.error = error
        self.loop.quit()


def export_wav(parent: QWidget, project: Project, path: Path, soundfont: str = "") -> Exported | None:
    """Render ``project`` into ``path``; what it was rendered with when written, None when cancelled or
    failed (user told)."""
    dialog = QProgressDialog(
        QCoreApplication.translate("ExportWav", "Rendering %1…").replace("%1", path.name),
        QCoreApplication.translate("ExportWav", "Cancel"),
        0,
        1000,
        parent,
    )
    dialog.setWindowTitle(QCoreApplication.translate("ExportWav", "Export WAV"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # short pieces finish before the dialog would even appear
    loop = QEventLoop()
    job = _Job(dialog, loop)
    worker = _Worker()
    worker.progress.connect(job.on_progress)
    worker.finished.connect(job.on_finished)
    cancel = threading.Event()
    dialog.canceled.connect(cancel.set)

    def work() -> None:
        try:
            with Rendering(
                project, soundfont or None, SAMPLE_RATE, progress=worker.progress.emit, cancel=cancel.is_set
            ) as rendering:
                if rendering.silent:
                    raise SilentRender(rendering.soundfont, rendering.damaged)
                rendering.write_wav(path)
            job.exported = Exported(rendering.soundfont, rendering.damaged)
            worker.finished.emit(None)
        except Exception as e:  # noqa: BLE001 - handed to the GUI thread, which reports it
            worker.finished.emit(e)

    threading.Thread(target=work, daemon=True).start()
    loop.exec()
    dialog.reset()
    if isinstance(job.error, Cancelled):
        return None
    if job.error is not None:
        QMessageBox.warning(
            parent, QCoreApplication.translate("ExportWav", "Cannot export"), _describe(job.error, path)
        )
        return None
    return job.exported


def _describe(error: BaseException, path: Path) -> str:
    if isinstance(error, SilentRender) and error.damaged[0]:
        return ExportWav().silent_for_damaged_samples(path, error.soundfont, *error.damaged)
    if isinstance(error, SilentRender):
        return QCoreApplication.translate(
            "ExportWav",
            "%1 was not written: the piece renders to silence (its notes are too soft for the soundfont to "
            "sound).",
        ).replace("%1", path.name)
    if isinstance(error, BadInputError):  # the synth, the soundfont and the WAV's writer name their problem
        return ErrorWords().say(error)
    return str(error) if isinstance(error, OSError) else repr(error)
