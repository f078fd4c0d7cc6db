"""The generation process gives back what each job freed once its answer has gone (``freed_memory``): the
soak saw its resident size grow with every Generate while the memory in use hardly did."""

from __future__ import annotations

import multiprocessing
import threading

from musestudio.ml.generate import process


def _serve(request, taste, report, say, cancel, partial):
    return f"takes for {request}"


def _double(x):
    return 2 * x


class _Sent:
    """The child's end of the pipe, noting what it has sent."""

    def __init__(self, conn) -> None:
        self.conn, self.kinds = conn, []

    def send(self, message) -> None:
        self.conn.send(message)
        self.kinds.append(message[0])

    def recv(self):
        return self.conn.recv()


def test_each_job_s_memory_is_given_back_after_its_answer(monkeypatch):
    here, there = multiprocessing.Pipe()
    there = _Sent(there)
    given_back: list[list[str]] = []  # what the child had sent at each give-back
    monkeypatch.setattr(process, "give_back_freed_memory", lambda: given_back.append(list(there.kinds)))
    child = threading.Thread(
        target=process._child, args=(there, threading.Event(), lambda *a: None, _serve, (None,) * 4)
    )
    child.start()
    assert here.recv()[0] == "warm"
    here.send(("run", "a request", None, False))
    assert here.recv() == ("done", "takes for a request")
    here.send(("call", _double, (21,), {}))
    assert here.recv() == ("done", 42)
    here.send(("stop",))
    child.join(5)
    assert not child.is_alive()
    # once after each job, its answer already sent
    assert given_back == [["warm", "done"], ["warm", "done", "done"]]
