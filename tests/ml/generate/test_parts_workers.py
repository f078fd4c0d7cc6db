"""The parts engine's variations decoded by worker processes (``parts_workers``), on a tiny random model.

What must hold whatever the weights: the same seed gives the same takes with one worker or several
(continue, continue listed tracks, add a part, infill), progress counts every worker's cells, Cancel stops
every worker at once and leaves no process behind, a worker that dies is one clear error (and the next
call works), a worker dies with the process that forked it (the app's generation process), and the count
is chosen as documented.
"""

import os
import signal
import sys
import threading
import time
from multiprocessing import connection
from pathlib import Path

import pytest
from parts_fixtures import chorale_like, save_tiny_parts_model

from musestudio.core.errors import Cancelled
from musestudio.ml import engines
from musestudio.ml.generate import parts_workers
from musestudio.ml.generate.parts import Options, PartIn, add_part, continue_parts, infill

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")


@pytest.fixture(scope="module")
def stem(tmp_path_factory, one_thread):
    yield save_tiny_parts_model(tmp_path_factory.mktemp("home") / "models" / "parts")
    engines.unload()


@pytest.fixture
def forks(monkeypatch):
    """The workers each call forked (a test that meant to use workers fails if none were started)."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left by earlier tests keep the workers off (no fork with threads): {others}"
    started: list[int] = []
    real = parts_workers._fork

    def counted(decode, group):
        conn, pid = real(decode, group)
        started.append(pid)
        return conn, pid

    monkeypatch.setattr(parts_workers, "_fork", counted)
    return started


def _parts(bars=4):
    return [PartIn(p.notes, p.role, p.program) for p in chorale_like(bars).parts]


def _opts(stem, workers, **kw):
    return Options(style="pop", variations=kw.pop("variations", 3), seed=5, model=stem, workers=workers, **kw)


def _children() -> set[int]:
    """This process's children still running or not yet reaped (Linux)."""
    out: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def test_the_same_seed_gives_the_same_takes_with_one_or_several_workers(stem, forks):
    others = _children()  # (e.g. multiprocessing's resource tracker, left by an earlier test)
    parts = _parts()
    calls = {
        "continue": lambda w: continue_parts(parts, tpb=480, bars=6, options=_opts(stem, w)),
        "listed": lambda w: continue_parts(parts, tpb=480, bars=3, listed=[0, 2], options=_opts(stem, w)),
        "add a part": lambda w: add_part(
            parts[:1], PartIn((), "bass", 33), tpb=480, bars=(0, 3), options=_opts(stem, w)
        ),
        "infill": lambda w: infill(parts, 1, tpb=480, bars=(1, 2), options=_opts(stem, w, variations=2)),
    }
    for name, call in calls.items():
        one = call(1)
        assert not forks, name  # one worker: decoded here
        for workers in (2, 3):
            before = len(forks)
            several = call(workers)
            assert len(forks) - before == min(workers, len(one.takes)), name
            assert several.takes == one.takes, (name, workers)
        assert len({t.parts for t in one.takes}) == len(one.takes)  # the takes differ from each other
        forks.clear()
    assert _children() == others


def test_progress_counts_every_workers_cells(stem, forks):
    seen = []
    opts = _opts(stem, 2, progress=lambda d, t: seen.append((d, t)))
    continue_parts(_parts(), tpb=480, bars=2, options=opts)
    assert forks and seen == sorted(seen) and seen[-1] == (18, 18)  # 3 takes x 2 bars x 3 parts


def test_cancel_stops_every_worker_at_once_and_leaves_none(stem, forks, monkeypatch):
    others = _children()
    killed: list[int] = []
    real_kill = parts_workers._kill
    monkeypatch.setattr(parts_workers, "_kill", lambda pid: killed.append(pid) or real_kill(pid))
    stop = threading.Event()
    polls_after_cancel: list[int] = []  # counted, not timed: a loaded machine can hold any step up
    real_wait = connection.wait

    def counted_wait(*args, **kwargs):
        if stop.is_set():
            polls_after_cancel.append(1)
        return real_wait(*args, **kwargs)

    monkeypatch.setattr(connection, "wait", counted_wait)
    opts = _opts(stem, 2, progress=lambda done, total: stop.set(), cancel=stop)
    with pytest.raises(Cancelled):
        continue_parts(_parts(), tpb=480, bars=32, options=opts)
    assert len(polls_after_cancel) <= 2  # within a poll or two, not at the workers' end
    assert len(forks) == 2 and killed and set(killed) <= set(forks)  # stopped, not left to finish
    assert _children() == others
    assert all(not _alive(pid) for pid in forks)


def test_a_worker_that_dies_is_one_clear_error_and_the_next_call_works(stem, forks):
    others = _children()
    killed: list[int] = []

    def progress(done, total):
        if not killed:
            pid = forks[-1]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    parts = _parts()
    with pytest.raises(parts_workers.WorkerDied, match="killed by signal 9") as err:
        continue_parts(parts, tpb=480, bars=32, options=_opts(stem, 2, progress=progress))
    assert parts_workers.ENV in str(err.value)
    assert _children() == others
    again = continue_parts(parts, tpb=480, bars=2, options=_opts(stem, 2))
    assert again.takes == continue_parts(parts, tpb=480, bars=2, options=_opts(stem, 1)).takes


def test_an_error_in_a_worker_is_raised_here(stem, forks, monkeypatch):
    from musestudio.ml.generate import parts as parts_module

    def broken(*args, **kwargs):
        raise RuntimeError("no room left in the cache")

    monkeypatch.setattr(parts_module, "_append", broken)
    others = _children()
    with pytest.raises(RuntimeError, match="no room left"):
        continue_parts(_parts(), tpb=480, bars=2, options=_opts(stem, 2))
    assert len(forks) == 2 and _children() == others


def test_no_process_to_be_had_decodes_here(stem, forks, monkeypatch):
    """A fork that fails (memory, a process limit) stops the workers already started and decodes here."""
    others = _children()
    real_fork, calls = os.fork, []

    def second_fails():
        calls.append(1)
        if len(calls) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", second_fails)
    here = continue_parts(_parts(), tpb=480, bars=2, options=_opts(stem, 2))
    monkeypatch.setattr(os, "fork", real_fork)
    assert len(calls) == 2 and len(forks) == 1 and _children() == others
    assert here.takes == continue_parts(_parts(), tpb=480, bars=2, options=_opts(stem, 1)).takes


def test_workers_die_with_the_process_that_forked_them():
    """The app's generation process is stopped (or killed) mid-Generate: its workers end with it."""
    code = (
        "import os, sys, time\n"
        "from musestudio.ml.generate import parts_workers\n"
        "def decode(rows, tick, cancel):\n"
        "    tick(1)\n"
        "    time.sleep(60)\n"
        "    return rows\n"
        "parts_workers.run(decode, 2, 2, lambda n: print('tick', flush=True))\n"
    )
    import subprocess

    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "tick"
        workers = set()
        for task in Path(f"/proc/{parent.pid}/task").iterdir():
            workers |= {int(x) for x in (task / "children").read_text().split()}
        assert len(workers) == 2
        parent.kill()
        parent.wait(5)
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.02)
        assert not any(_alive(pid) for pid in workers)
    finally:
        parent.kill()
        parent.wait(5)


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_the_count_is_one_per_free_core_at_most_one_per_take(monkeypatch):
    monkeypatch.setattr(parts_workers, "REMEMBER_S", 0.0)
    monkeypatch.setattr(parts_workers, "_parent_running", lambda: 0)
    monkeypatch.delenv(parts_workers.ENV, raising=False)
    monkeypatch.setattr(parts_workers, "cores", lambda: 8)
    monkeypatch.setattr(parts_workers, "_running", lambda: 1)  # this process alone
    assert parts_workers.worker_count(4, "cpu") == 4
    assert parts_workers.worker_count(16, "cpu") == 8
    assert parts_workers.worker_count(1, "cpu") == 1
    assert parts_workers.worker_count(4, "cuda") == 1  # the GPU runs the rows together
    assert parts_workers.worker_count(4, "cuda:0", 4) == 1
    monkeypatch.setattr(parts_workers, "_running", lambda: 9)  # eight other tasks on the cores
    assert parts_workers.worker_count(4, "cpu") == 1
    monkeypatch.setattr(parts_workers, "_running", lambda: 7)
    assert parts_workers.worker_count(4, "cpu") == 2
    assert parts_workers.worker_count(4, "cpu", 3) == 3  # a count set is used as given (rows permitting)
    monkeypatch.setenv(parts_workers.ENV, "1")
    assert parts_workers.worker_count(4, "cpu") == 1
    assert parts_workers.worker_count(4, "cpu", 2) == 2  # the option before the environment
    monkeypatch.setenv(parts_workers.ENV, "not a number")
    assert parts_workers.worker_count(4, "cpu") == 2
    monkeypatch.setattr(parts_workers, "cores", lambda: 1)
    monkeypatch.setattr(parts_workers, "_running", lambda: 1)
    monkeypatch.delenv(parts_workers.ENV)
    assert parts_workers.worker_count(4, "cpu") == 1  # a 1-core machine
    monkeypatch.setattr(parts_workers, "cores", lambda: 4)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:  # another thread alive: forking could copy a lock it holds
        assert parts_workers.worker_count(4, "cpu") == 1
    finally:
        release.set()
        other.join()
    assert parts_workers.worker_count(4, "cpu") == 4
    assert parts_workers.groups(5, 2) == [[0, 1, 2], [3, 4]]
    assert parts_workers.groups(2, 4) == [[0], [1]]


def test_a_worker_keeps_numpys_blas_to_one_thread():
    """Each worker has a core of its own (``worker_count``). Threads that numpy's BLAS starts per core in
    every worker spin on cores the other workers hold: two workers of four Palestrina drafts took 17 s
    where one process took 1.9 s."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def threads(rows, tick, cancel):
        return [
            max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas") for _ in rows
        ]

    with threadpool_limits(2, user_api="blas"):  # as on a machine of two cores or more
        assert threads([0], None, None) == [2]  # here, as the app's one process decodes
        assert parts_workers.run(threads, 2, 2, lambda n: None) == [1, 1]


def test_the_streaming_pace_goes_by_the_largest_group_of_rows(monkeypatch):
    """The service lists a parts batch's first take early only when the whole batch would miss the goal:
    with the rows split over workers, a batch takes as long as the most rows one worker decodes."""
    from musestudio.core.note import Note
    from musestudio.core.project import TimeSignature
    from musestudio.ml.generate import service
    from musestudio.ml.generate.request import Options as RequestOptions
    from musestudio.ml.generate.request import PartSpec, Request

    melody = tuple(Note(72 + i % 3, i * 480, 480, 90) for i in range(8))
    four = Request(
        engines.CONTINUE,
        engines.PARTS,
        melody,
        480,
        (TimeSignature(0, 4, 4),),
        RequestOptions(style="pop", variations=4, seed=3, device="cpu"),
        bars=4,
        parts=(PartSpec(1, melody, "Melody", write=True),),
    )
    monkeypatch.setattr(service, "_pace", {})
    monkeypatch.delenv("MUSESTUDIO_STREAM_AFTER_S", raising=False)
    monkeypatch.setattr(parts_workers, "_can_fork", lambda: True)
    monkeypatch.setenv(parts_workers.ENV, "1")
    monkeypatch.setattr(service, "ROW_COST", 0.5)
    service._note_pace(four, "cpu", 0.4, 1)  # one row, 4 cells in 0.4 s: four rows in one 1.0 s
    assert not service.streams(four, "cpu")
    service._note_pace(four, "cpu", 0.5, 1)  # ... 1.25 s: over the goal
    assert service.streams(four, "cpu")
    monkeypatch.setenv(parts_workers.ENV, "2")  # two rows a worker: 0.75 s
    assert not service.streams(four, "cpu")
    service._note_pace(four, "cpu", 1.2, 4)  # four rows over two workers in 1.2 s: the pace of two rows
    assert service._pace["cpu"] == pytest.approx(1.2 / (4 * 1.5))


def test_a_task_running_for_a_moment_is_not_other_work(monkeypatch):
    monkeypatch.setattr(parts_workers, "REMEMBER_S", 0.0)
    monkeypatch.setattr(parts_workers, "_parent_running", lambda: 0)
    looks = iter([3, 3, 1, 2])  # something running for a moment, then only this process
    monkeypatch.setattr(parts_workers, "_running", lambda: next(looks))
    monkeypatch.setattr(parts_workers, "cores", lambda: 2)
    assert parts_workers.free_cores() == 2
    monkeypatch.setattr(parts_workers, "_running", lambda: 2)  # another task all along
    assert parts_workers.free_cores() == 1
    monkeypatch.setattr(parts_workers, "_parent_running", lambda: 1)  # ... the app's window: not other work
    assert parts_workers.free_cores() == 2
    assert parts_workers._parent_running() in (0, 1)


def test_the_generation_process_uses_workers_and_survives_one_dying(stem, monkeypatch):
    """The app's generation process forks its workers; one killed mid-Generate is that Generate's clear
    error, the process goes on serving (the same takes as one process draws), and no worker outlives it."""
    from musestudio.core.note import Note
    from musestudio.core.project import TimeSignature
    from musestudio.ml.generate import service
    from musestudio.ml.generate.request import Options as RequestOptions
    from musestudio.ml.generate.request import PartSpec, Request
    from musestudio.ml.generate.taste import Taste

    monkeypatch.setenv("MUSESTUDIO_HOME", str(stem.parent.parent))
    monkeypatch.setenv(parts_workers.ENV, "2")
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "99")  # one batch: both workers at once
    melody = tuple(Note(72 + i % 3, i * 480, 480, 90) for i in range(8))
    bass = tuple(Note(36 + 7 * (i % 2), i * 1920, 1920, 70) for i in range(2))
    parts = (PartSpec(0, melody, "Melody", "melody", 0, True), PartSpec(1, bass, "Bass", "bass", 32, True))

    def request(bars):
        options = RequestOptions(style="pop", variations=2, seed=4, device="cpu")
        return Request(
            engines.CONTINUE,
            engines.PARTS,
            melody + bass,
            480,
            (TimeSignature(0, 4, 4),),
            options,
            bars=bars,
            track_id=0,
            parts=parts,
        )

    process = service.generation_process()
    process.start(engines.CONTINUE, engines.PARTS, "cpu", "pop")
    try:
        assert process.wait_warm(120) is not None
        child = process._proc.pid
        seen: set[int] = set()
        killed: list[int] = []

        def kill_one(done, total):  # progress comes back while the workers decode
            if not killed:
                workers = _children_of(child)
                seen.update(workers)
                if workers:
                    os.kill(min(workers), signal.SIGKILL)
                    killed.append(min(workers))

        with pytest.raises(parts_workers.WorkerDied, match="signal 9"):
            process.run(request(32), Taste(), report=kill_one)
        assert killed and process.alive and not _children_of(child)
        there = process.run(request(2), Taste())
        monkeypatch.setenv(parts_workers.ENV, "1")
        here = service.run(request(2), Taste())
        assert [t.parts for t in there.takes] == [t.parts for t in here.takes]
    finally:
        process.stop()
    assert not any(_alive(pid) for pid in seen)


def _children_of(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return out
