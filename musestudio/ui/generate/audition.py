"""Auditioning takes: the score with a take in place, played from a little before it.

Switching takes while one plays swaps the scheduler's events (``LivePlayer.update``), with no restart, so
a musician can flick through takes in time with the music. The take is the transport's preview while it
plays, so an edit made meanwhile (a note, a track muted) is heard with the take still in, not instead of
it. The player and the transport are the window's; this class only asks them to play, swap and stop.
While a take is being recorded or jammed, the music the musician plays along to is that take's: an
audition waits, and says why (``busy``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject

from musestudio.core.project import Project
from musestudio.core.timing import bar_ticks, signature_at
from musestudio.ml.generate.request import Take

PREVIEW_LEAD_BARS = 2  # an audition starts this many bars before the take, so the seed leads into it


def why_no_audition(recording: bool, jamming: bool) -> str:
    """Why a take cannot be auditioned now ("" when it can): the music is a take being ``recording`` or
    ``jamming``."""
    if recording:
        return QCoreApplication.translate("GenerateController", "Recording: stop it to audition a take")
    if jamming:
        return QCoreApplication.translate(
            "GenerateController", "Jam mode plays its answer: stop it to audition a take"
        )
    return ""


class Audition(QObject):
    def __init__(
        self,
        player,
        transport,
        preview: Callable[[Take], Project],
        on_auditioning: Callable[[bool], None],
        say: Callable[[str], None],
        busy: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.player, self.transport, self.preview = player, transport, preview
        self.on_auditioning, self.say, self.busy = on_auditioning, say, busy
        self.playing = False
        self._take: Take | None = None  # the take playing
        transport.playing_changed.connect(self._on_playing)

    def play(self, take: Take) -> None:
        """Play ``take`` in the score, or switch to it when a take is playing already; nothing (but a word)
        while the music is a recording's or jam's: it would jump to the take's lead-in under the musician,
        and what they play next would land in bars they never heard it in."""
        why = self.busy()
        if why:
            self.say(why)
            return
        self._take = take
        if self.playing:
            self.transport.set_preview(self._with_take)  # a swap, no restart
            return
        project = self.preview(take)
        sig = signature_at(project.time_signatures, take.start)
        start = max(0, take.start - PREVIEW_LEAD_BARS * bar_ticks(sig, project.ticks_per_beat))
        self.transport.set_preview(self._with_take)
        if self.player.play(project, start, None, self.transport.metronome):
            self.playing = True
            self.on_auditioning(True)
            self.transport.tell_if_silent()  # once, as Play says it: a take heard as nothing seems empty
        else:
            self.transport.set_preview(None)
            self.say(
                QCoreApplication.translate("GenerateController", "Cannot audition: %1").replace(
                    "%1", self.player.status
                )
            )

    def stop(self) -> None:
        if self.playing:
            self.player.stop()

    def _with_take(self, _project: Project) -> Project:
        """What the transport plays while the audition lasts: the score as it is now, the take in it."""
        return self.preview(self._take)

    def _on_playing(self, playing: bool) -> None:
        if not playing and self.playing:
            self.playing = False
            if self.transport.preview == self._with_take:
                self.transport.set_preview(None)
            self.on_auditioning(False)
