"""The error types users can cause.

Every problem that comes from outside the program (a file, an argument, a setting) is raised as
``BadInputError`` with a message a musician can act on, so the CLI and the GUI only need to catch one type.
"""


class MuseError(Exception):
    """Base of MuseStudio's own errors."""


class BadInputError(MuseError):
    """A file, argument or setting we cannot use; the message says what is wrong in plain words."""


class Cancelled(MuseError):
    """Long work (a render, a generation) stopped because the user asked it to; not a failure."""
