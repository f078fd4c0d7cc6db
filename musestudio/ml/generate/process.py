"""Generation in a process of its own: torch imported, the default engine warmed and every Generate run there.

Why a process: importing torch holds Python's GIL for long stretches (the set-up of its C extension alone
measured 1-1.7 s on the busy 2-core machine, other modules 100-250 ms each), so a warm-up *thread* in the
app's process stalls the window's event loop that long however the import is sliced. A child process
imports torch with an interpreter of its own: the window never waits for it, and the app's process never
imports torch for Generate at all. ``GenerationProcess.run`` has ``service.run``'s signature, so the UI's
worker thread calls it as before: progress and stages come back over a pipe as they happen, the Outcome
(or the error, or ``Cancelled``) at the end, and Cancel sets an event the child's sampler polls every step.

The child is started with ``spawn`` (a fork of a process running Qt threads is not safe) as a daemon, so
it ends with the app; ``stop`` ends it sooner. Qt-free: ``ml`` knows nothing of the UI.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable

from musestudio.core.errors import BadInputError, Cancelled, picklable
from musestudio.freed_memory import give_back_freed_memory
from musestudio.ml.generate.request import Outcome, Request

POLL_S = 0.02  # how often the waiting thread looks at Cancel and at the child's health
ENDED = "The generation process has ended; Generate again to run it in the app itself."


class ProcessDied(BadInputError):
    """The generation process ended without an answer (killed, or out of memory): not a fault of the
    program's but of its surroundings, said in the user's words with what to do (``ended``), with no
    traceback."""


def ended() -> ProcessDied:
    return ProcessDied(ENDED, "generation_process_ended")


class GenerationProcess:
    """One child process that runs ``service.run``; ``start`` once, ``run`` (and ``call``) any number of
    times."""

    def __init__(self, warm: Callable, serve: Callable, loading: str) -> None:
        """``warm(mode, engine, device, style)`` and ``serve`` (``service.run``) run in the child; both
        module-level functions (they cross to it by name); ``loading`` is the stage word said while a
        Generate waits for the warm-up."""
        self._warm, self._serve, self._loading = warm, serve, loading
        self._proc = None
        self._conn = None
        self._cancel = None
        self._lock = threading.Lock()  # one run at a time through the pipe
        self.ready = threading.Event()  # set once the child has warmed (or failed to: it still serves)
        self.warm_seconds: float | None = None

    def start(self, mode: str, engine: str | None, device: str = "auto", style: str | None = None) -> None:
        """Start the child; it imports torch and warms ``engine`` (``service.warm``) before serving."""
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._cancel = ctx.Event()
        self._proc = ctx.Process(
            target=_child,
            args=(child, self._cancel, self._warm, self._serve, (mode, engine, device, style)),
            name="musestudio-generate",
            daemon=True,
        )
        self._proc.start()
        child.close()
        self._conn = parent

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def pid(self) -> int | None:
        """The child's process id while it lives (the soak watches its memory), else None."""
        return self._proc.pid if self.alive else None

    def wait_warm(self, timeout: float | None = None) -> float | None:
        """Block until the child has warmed; its seconds (None if it ended or ``timeout`` passed first)."""
        end = None if timeout is None else time.perf_counter() + timeout
        while True:
            with self._lock:  # a poll at a time: ``run`` may be waiting too, and watches Cancel meanwhile
                if self.ready.is_set():
                    return self.warm_seconds
                if self._conn.poll(POLL_S):
                    try:
                        _, self.warm_seconds = self._conn.recv()
                    except (EOFError, OSError):
                        return None
                    self.ready.set()
                    return self.warm_seconds
            if not self.alive or (end is not None and time.perf_counter() > end):
                return None

    def run(self, request: Request, taste, report=None, say=None, cancel=None, partial=None) -> Outcome:
        """``service.run`` in the child: the same arguments, the same Outcome, errors and ``Cancelled``
        (``partial`` hears the first takes as they come, as there)."""
        say = say or (lambda stage: None)
        self._wait_ready(say, cancel)
        return self._exchange(("run", request, taste, partial is not None), report, say, cancel, partial)

    def call(self, fn: Callable, *args, cancel=None, **kwargs):
        """``fn(*args, **kwargs)`` in the child, after its warm-up: its value, or its error raised here.
        For short work that needs torch, such as the style classifier's reading of a seed (``fn`` is a
        module-level function: it crosses to the child by name, as ``warm`` and ``serve`` do)."""
        self._wait_ready(lambda stage: None, cancel)
        return self._exchange(("call", fn, args, kwargs), None, lambda stage: None, cancel, None)

    def _wait_ready(self, say, cancel) -> None:
        if not self.ready.is_set():
            say(self._loading)
            while self.wait_warm(POLL_S) is None:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("generation cancelled")
                if not self.alive:
                    raise ended()

    def _exchange(self, message: tuple, report, say, cancel, partial):
        """Send one job to the child and relay what comes back until its answer."""
        report = report or (lambda done, total: None)
        with self._lock:
            self._cancel.clear()
            try:
                self._conn.send(message)
            except OSError:  # the child is gone (a broken pipe)
                raise ended() from None
            while True:
                if cancel is not None and cancel.is_set():
                    self._cancel.set()
                try:
                    if not self._conn.poll(POLL_S):
                        if not self.alive:
                            raise ended()
                        continue
                    kind, *rest = self._conn.recv()
                except (EOFError, OSError):  # its end of the pipe closed with it
                    raise ended() from None
                if kind == "progress":
                    report(*rest)
                elif kind == "say":
                    say(*rest)
                elif kind == "partial":
                    if partial is not None:
                        partial(rest[0])
                elif kind == "done":
                    return rest[0]
                elif kind == "cancelled":
                    raise Cancelled("generation cancelled")
                else:
                    raise rest[0]

    def stop(self, timeout: float = 2.0) -> None:
        """End the child (asked politely, then terminated)."""
        if self._proc is None:
            return
        if self._cancel is not None:
            self._cancel.set()
        try:
            self._conn.send(("stop",))
        except (OSError, ValueError):
            pass
        self._proc.join(timeout)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout)
        self._conn.close()
        self._proc = None


def _child(conn, cancel, warm: Callable, serve: Callable, warm_args: tuple) -> None:
    """The child's loop: warm, say so, then answer each ("run", request, taste, streamed) or ("call", fn,
    args, kwargs) until ("stop",) or EOF; a streamed run sends its first takes ("partial", outcome) before
    its end."""
    t0 = time.perf_counter()
    try:
        warm(*warm_args)
    except Exception:  # noqa: BLE001 - a missing or damaged model is reported when it is asked for
        pass
    conn.send(("warm", time.perf_counter() - t0))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] not in ("call", "run"):
            return
        _answer(conn, cancel, serve, message)
        del message
        give_back_freed_memory()  # what the job freed (``freed_memory``), once its answer has gone


def _answer(conn, cancel, serve: Callable, message: tuple) -> None:
    """Do one job and send its answer: its outcome and request are freed when this returns."""
    if message[0] == "call":
        _, fn, args, kwargs = message
        try:
            conn.send(("done", fn(*args, **kwargs)))
        except Exception as e:  # noqa: BLE001 - raised in the app, as a call there would raise it
            conn.send(("error", picklable(e)))
        return
    _, request, taste, streamed = message
    try:
        outcome = serve(
            request,
            taste,
            lambda done, total: conn.send(("progress", done, total)),
            lambda stage: conn.send(("say", stage)),
            cancel,
            (lambda early: conn.send(("partial", early))) if streamed else None,
        )
        conn.send(("done", outcome))
    except Cancelled:
        conn.send(("cancelled",))
    except Exception as e:  # noqa: BLE001 - handed to the app, which reports it as it would in-process
        conn.send(("error", picklable(e)))
