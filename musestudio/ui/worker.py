"""Long work off the GUI thread: a QRunnable with a separate QObject of signals, and a one-at-a-time runner.

The shape is superqt's worker: the runnable does the work, a QObject that lives in the GUI thread carries
its signals (queued across threads, so slots always run on the GUI thread). A Python thread cannot be
killed, so cancelling sets a flag that the work checks between steps (the generate API checks it every
token) and the work ends by raising ``Cancelled``.

``Runner`` keeps at most one job in the model at a time: its pool has a single thread, and starting a new
job cancels the running one, so the new one begins as soon as the old one has seen its flag.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.ui.error_words import ErrorWords

# What a job's function gets: ``report(done, total)``, ``say(status text)`` and the cancel event.
JobFn = Callable[[Callable[[int, int], None], Callable[[str], None], threading.Event], Any]


class WorkerSignals(QObject):
    started = Signal()
    progress = Signal(int, int)  # done, total
    status = Signal(str)  # e.g. "Loading model…"
    result = Signal(object)
    error = Signal(str)  # a message a musician can act on
    cancelled = Signal()
    finished = Signal()  # always last, after result, error or cancelled
    done = Signal(object)  # the job itself, for the Runner's bookkeeping (before result, error or cancelled)


def describe_error(e: BaseException) -> str:
    """A plain message for what went wrong in a job (the cause is named, not a traceback), in the user's
    language: an error of the Qt-free layers that names its problem (a learned style's, a file's) is worded
    by ``ErrorWords``, one that does not comes in the English it was raised with."""
    if isinstance(e, BadInputError):
        return ErrorWords().say(e)
    if type(e).__name__ == "OutOfMemoryError" or "out of memory" in str(e).lower():
        return QCoreApplication.translate(
            "Worker",
            "The graphics card ran out of memory. Choose CPU as the compute device, or ask for fewer "
            "variations or bars.",
        )
    return (
        QCoreApplication.translate("Worker", "Generation failed: %1: %2")
        .replace("%1", type(e).__name__)
        .replace("%2", str(e))
    )


class Job(QRunnable):
    def __init__(self, fn: JobFn) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Runner holds it until ``finished``
        self.fn = fn
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        self._last_progress: tuple[int, int] | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def _report(self, done: int, total: int) -> None:
        # the model reports every token; only a change is worth a trip to the GUI thread
        if (done, total) != self._last_progress:
            self._last_progress = (done, total)
            self.signals.progress.emit(done, total)

    def run(self) -> None:
        s = self.signals
        s.started.emit()
        value = error = None
        cancelled = False
        try:
            value = self.fn(self._report, s.status.emit, self.cancel_event)
        except Cancelled:
            cancelled = True
        except Exception as e:  # noqa: BLE001 - every failure must reach the user as a message
            if not isinstance(e, BadInputError):
                traceback.print_exc()
            error = describe_error(e)
        # The Runner hears first (signals arrive in the order sent): by the time the result is shown, the
        # job no longer counts as running, so a click on Generate right then starts a new one.
        s.done.emit(self)
        if cancelled or self.is_cancelled:
            s.cancelled.emit()
        elif error is not None:
            s.error.emit(error)
        else:
            s.result.emit(value)
        s.finished.emit()


class Runner(QObject):
    """Runs one job at a time on its own thread; a new job cancels the one running."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs: list[Job] = []  # running first, then the queued one

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def current(self) -> Job | None:
        return self._jobs[-1] if self._jobs else None

    def start(self, fn: JobFn, **slots) -> Job:
        """Run ``fn`` once the running job (if any) has stopped; ``slots`` maps signal names to slots,
        connected before the job can emit anything (a fast job could otherwise finish unheard)."""
        for job in self._jobs:
            job.cancel()
        job = Job(fn)
        for name, slot in slots.items():
            getattr(job.signals, name).connect(slot)
        job.signals.done.connect(self._done)  # a bound slot of a GUI-thread object: queued, runs here
        was_busy = self.busy
        self._jobs.append(job)
        self.pool.start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def cancel(self) -> None:
        for job in self._jobs:
            job.cancel()

    def _done(self, job: Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        if not self._jobs:
            self.busy_changed.emit(False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (for closing the window)."""
        return self.pool.waitForDone(msecs)
