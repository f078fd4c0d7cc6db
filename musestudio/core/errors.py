"""The error types users can cause.

Every problem that comes from outside the program (a file, an argument, a setting) is raised as
``BadInputError`` with a message a musician can act on, so the CLI and the GUI only need to catch one type.
"""


class MuseError(Exception):
    """Base of MuseStudio's own errors."""


def reason(message: str, code: str = "", /, **params: object) -> dict:
    """An error's English message with the ``code`` and ``params`` the window words it from, as plain data:
    what ``as_json`` gives, and what stands as another error's parameter (a ``why``, a ``detail``). A
    reason without a code is said as it came."""
    return {"message": message, "code": code, "params": params}


class Coded:
    """An error whose English message comes with a ``code`` naming the problem and the ``params`` its
    wording needs: the UI words the code through ``tr()`` (this layer cannot import Qt) and falls back to
    the English message for a code it does not know. Both are plain data, so they survive pickling and the
    trainer's JSON lines. Mixed into errors of different bases (a ``BadInputError``, a ``ValueError``)."""

    def __init__(self, message: str = "", code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code, self.params = code, params

    def as_json(self) -> dict:
        """The message, code and params as the trainer's ``error`` line carries them to the window."""
        return reason(str(self), self.code, **self.params)


class BadInputError(Coded, MuseError):
    """A file, argument or setting we cannot use; the message says what is wrong in plain words (English,
    the command line's), with a code and params for the window (``Coded``)."""


class InvalidValue(Coded, ValueError):
    """A value a score type cannot hold (a pitch above 127, a tempo of 0 BPM): a ValueError, as its callers
    catch it, coded as ``BadInputError`` is, so that where it reaches the user (a damaged project file names
    it) the window can say it in their language."""


def error_json(e: BaseException) -> dict:
    """``e`` as a ``reason``, to stand as another error's parameter: with its own code and params where it
    has them (a ``Coded`` error), else its message alone, which the window says as it came."""
    return e.as_json() if isinstance(e, Coded) else reason(str(e))


class Cancelled(MuseError):
    """Long work (a render, a generation) stopped because the user asked it to; not a failure."""


def picklable(e: BaseException) -> BaseException:
    """``e`` itself when it can cross a pipe to another process, else a MuseError with its message (the type
    name kept): the generation process and its workers send their errors back to be reported as raised."""
    import pickle

    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001 - whatever fails to pickle is worded instead
        return MuseError(f"{type(e).__name__}: {e}")
