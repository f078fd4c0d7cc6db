"""The parts engine's variations decoded in parallel, one worker process per group of rows (issue 13, point 8).

Why processes, and why rows: a CPU decode step is memory-bound numpy on tiny matrices, and its Python
glue holds the GIL, so two threads decoding rows ran *slower* than one (measured 733 -> 1,518 ms for the
4-variation continuation on the 2-core machine, other jobs held back). Variations are independent rows, each drawing from its
own generator (take i from seed + i), so groups of them can be decoded apart and give the same takes.
Forked processes inherit the loaded model and the prepared job as they are (nothing to pickle or load
again; the weights' pages stay shared, copy-on-write; a worker adds ~22 MB of its own) and run truly in
parallel: 733 -> 511 ms. A row costs nearly as much as a whole batch of one (its own keys, values and
grammar every step), so splitting rows pays nearly in full; but a worker re-reads the prompt and the
weights, so the CPU time grows (731 -> 914 ms): on a machine whose cores are busy anyway the split only costs (measured 1,377 -> 2,093 ms while
other jobs held both cores), which is why the automatic count leaves out the cores other work holds.

How many (``worker_count``): one per free core, at most one per row; one (no fork, the rows decoded here)
on a 1-core or busy machine, on CUDA (the GPU runs the rows together), off Linux (forking a process that
uses macOS frameworks is unsafe; ``PR_SET_PDEATHSIG`` is Linux's), and in a process with other Python
threads (the app's own, where a fork could copy a lock held by another thread). ``MUSESTUDIO_WORKERS`` or
``Options.workers`` set the count instead (1 for benchmarks and tests). A worker decodes on one thread
(``_one_core``): numpy's BLAS would otherwise start a thread per core in every worker.

What holds (``run``): the takes come in the order asked whatever the count; progress comes as cells are
written in any worker; Cancel kills every worker at once (SIGKILL: a worker never touches a lock the
caller shares, so nothing is left held) and so does any error; a worker that dies (killed, out of memory)
is a ``WorkerDied`` error for that Generate only; and a worker dies with the process that forked it
(``PR_SET_PDEATHSIG``), so none outlives the app or its generation process. Workers run at ``NICE``.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from musestudio.core.errors import Cancelled, MuseError, picklable

ENV = "MUSESTUDIO_WORKERS"
POLL_S = 0.02  # how often the waiting caller looks at Cancel
LOOKS, LOOK_S = 4, 0.003  # free_cores: how many looks at the running tasks, how far apart
REMEMBER_S = 1.0  # free_cores: how long its answer stands
#: workers yield to the app's window: with every core decoding, the window's event loop must still get a
#: core the moment it wakes (a gap over 16 ms is a visible stall)
NICE = 5
_last: list = [-REMEMBER_S, 1]  # (when, free cores) of the last looks
# decode(rows, tick, cancel) -> one result per row, in order; tick(n): n more cells written
Decode = Callable[[list[int], Callable[[int], None], Any], list]


class WorkerDied(MuseError):
    """A worker process ended without an answer."""


def worker_count(rows: int, device: Any = "cpu", setting: int | None = None) -> int:
    """How many worker processes decode ``rows`` rows on ``device``: ``setting`` (else the environment's
    ``MUSESTUDIO_WORKERS``) when given, else one per free core; never more than the rows, and 1 wherever
    forking is not safe or pays nothing (see the module's docstring)."""
    if rows <= 1 or not str(device).startswith("cpu") or not _can_fork():
        return 1
    if setting is None:
        setting = _env_setting()
    if setting is None:
        setting = free_cores()
    return max(1, min(rows, int(setting)))


def _env_setting() -> int | None:
    value = os.environ.get(ENV, "").strip()
    try:
        return max(1, int(value)) if value else None
    except ValueError:
        return None


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def free_cores() -> int:
    """Cores not taken by other work now, at least one: the cores less the tasks the kernel has running or
    ready to run (``/proc/loadavg``'s fourth field), neither this process nor its parent counted (the app's
    window, when this is its generation process, is busy for a moment after the click, then waits), the
    fewest of a few looks over ~10 ms (a task that runs for a moment is not other work). Not the load
    average: it lags by a minute and counts this process's own recent work, so a run of Generates (or a
    benchmark) would talk itself out of its workers on an idle machine."""
    import time

    now = time.monotonic()
    if now - _last[0] < REMEMBER_S:  # one Generate asks more than once (its pace, its batches)
        return _last[1]
    n = cores()
    looks = []
    for i in range(LOOKS):
        if i:
            time.sleep(LOOK_S)
        running = _running()
        if running is None:
            return n
        looks.append(running - 1 - _parent_running())
    free = max(1, min(n, n - min(looks)))
    _last[:] = [time.monotonic(), free]
    return free


def _running() -> int | None:
    """The tasks running or runnable system-wide now, this one included (Linux)."""
    try:
        with open("/proc/loadavg") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return None


def _parent_running() -> int:
    """1 if the parent process is running or runnable now, else 0."""
    try:
        with open(f"/proc/{os.getppid()}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[0] == "R")
    except (OSError, IndexError):
        return 0


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def groups(rows: int, workers: int) -> list[list[int]]:
    """``rows`` rows in ``workers`` contiguous groups, sizes as equal as can be, the larger first."""
    workers = max(1, min(rows, workers))
    size, extra = divmod(rows, workers)
    out, start = [], 0
    for w in range(workers):
        n = size + (w < extra)
        out.append(list(range(start, start + n)))
        start += n
    return out


def run(
    decode: Decode,
    rows: int,
    workers: int,
    tick: Callable[[int], None],
    cancel: Any = None,
    prepare: Callable[[], None] | None = None,
) -> list:
    """``decode``'s results for rows 0..rows-1: here when ``workers`` is 1, else split over that many forked
    workers (``prepare`` first runs here, e.g. laying out the weights once for all of them), with their
    progress relayed to ``tick`` and ``cancel`` watched here."""
    from musestudio.ml.sampling import is_cancelled

    if workers <= 1:
        return decode(list(range(rows)), tick, cancel)
    if prepare is not None:
        prepare()
    from multiprocessing.connection import wait

    parts = groups(rows, workers)
    pending: dict[Any, tuple[int, int]] = {}  # connection -> (pid, group)
    results: list[list | None] = [None] * len(parts)
    try:
        gc.freeze()  # what exists now is never collected in a worker: its pages stay shared
        try:
            for i, group in enumerate(parts):
                conn, pid = _fork(decode, group)
                pending[conn] = (pid, i)
        except OSError:  # no process to be had (memory, a process limit): decode here instead
            _stop(pending)
            return decode(list(range(rows)), tick, cancel)
        finally:
            gc.unfreeze()
        while pending:
            if is_cancelled(cancel):
                raise Cancelled("generation cancelled")
            for conn in wait(list(pending), timeout=POLL_S):
                pid, i = pending[conn]
                try:
                    kind, *rest = conn.recv()
                except (EOFError, OSError):
                    del pending[conn]
                    conn.close()
                    raise WorkerDied(_death(pid, len(parts))) from None
                if kind == "tick":
                    tick(rest[0])
                    continue
                del pending[conn]
                conn.close()
                os.waitpid(pid, 0)
                if kind == "done":
                    results[i] = rest[0]
                elif kind == "cancelled":
                    raise Cancelled("generation cancelled")
                else:
                    raise rest[0]
    finally:
        _stop(pending)  # cancelled or failed: stop the others now
    return [r for part in results for r in part]


def _stop(pending: dict) -> None:
    """Kill and reap the workers still running; close their pipes."""
    for conn, (pid, _) in list(pending.items()):
        _kill(pid)
        conn.close()
    pending.clear()


def _fork(decode: Decode, group: list[int]) -> tuple[Any, int]:
    """Start one worker on ``group``; the caller's end of its pipe and its pid."""
    from multiprocessing import Pipe

    parent_pid = os.getpid()
    receive, send = Pipe(duplex=False)
    try:
        pid = os.fork()
    except OSError:
        receive.close()
        send.close()
        raise
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            receive.close()
            _die_with(parent_pid)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle (it kills us)
            os.nice(NICE)
            _one_core()
            out = decode(group, lambda n: send.send(("tick", n)), None)  # the caller watches Cancel
            send.send(("done", out))
            code = 0
        except Cancelled:
            send.send(("cancelled",))
        except BaseException as e:  # noqa: BLE001 - any failure is the caller's to raise
            try:
                send.send(("error", picklable(e)))
            except BaseException:  # noqa: BLE001 - the caller sees the pipe close instead
                pass
        finally:
            os._exit(code)  # no atexit handlers, no finalizers of the caller's objects
    send.close()
    return receive, pid


def _one_core() -> None:
    """Keep numpy's BLAS in a worker to one thread, on the one core the worker was forked for.

    The count of workers already gives each a core of its own. OpenBLAS threads the decoder's products once
    a batch has 3 rows or more, a thread per core in every worker, and its threads wait for work by
    spinning: two workers of 4 Palestrina drafts each took 17 s where one process took 1.9 s (the decoder's
    step 52 ms instead of 1.2). Torch keeps its threads: held to one as well, Bach, Classical and pop
    arrangements took 6% longer (models/README.md, session 45)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def _die_with(parent_pid: int) -> None:
    """Be killed when the process that forked us ends (Linux's PR_SET_PDEATHSIG), and end now if it
    already has."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:
        os._exit(1)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _death(pid: int, workers: int) -> str:
    """Why a worker ended, in words (it is reaped here)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 0
    how = (
        f"was killed by signal {os.WTERMSIG(status)} ({signal.Signals(os.WTERMSIG(status)).name})"
        if os.WIFSIGNALED(status)
        else f"exited with code {os.WEXITSTATUS(status)}"
    )
    return (
        f"A generation worker process (1 of {workers}) {how} before it finished; nothing was changed. "
        f"Generate again (if memory is short, set {ENV}=1 to decode in one process)."
    )


def rows_per_worker(variations: int, device: Any = "cpu", setting: int | None = None) -> int:
    """The most rows one worker decodes for ``variations`` takes: what a batch's time goes by."""
    return len(groups(variations, worker_count(variations, device, setting))[0])
