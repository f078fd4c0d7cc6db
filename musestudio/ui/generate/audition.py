"""Auditioning takes: the score with a take in place, played from a little before it.

Switching takes while one plays swaps the scheduler's events (``LivePlayer.update``), with no restart, so
a musician can flick through takes in time with the music. The player and the transport are the window's;
this class only asks them to play, swap and stop. While a take is being recorded or jammed, the music the
musician plays along to is that take's: an audition waits, and says why (``busy``).
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
        transport.playing_changed.connect(self._on_playing)

    def play(self, take: Take) -> None:
        """Play ``take`` in the score, or switch to it when a take is playing already; nothing (but a word)
        while the music is a recording's or jam's: it would jump to the take's lead-in under the musician,
        and what they play next would land in bars they never heard it in."""
        why = self.busy()
        if why:
            self.say(why)
            return
        project = self.preview(take)
        if self.playing:
            self.player.player.update(project, self.transport.metronome)  # a swap, no restart
            return
        sig = signature_at(project.time_signatures, take.start)
        start = max(0, take.start - PREVIEW_LEAD_BARS * bar_ticks(sig, project.ticks_per_beat))
        if self.player.play(project, start, None, self.transport.metronome):
            self.playing = True
            self.on_auditioning(True)
        else:
            self.say(
                QCoreApplication.translate("GenerateController", "Cannot audition: %1").replace(
                    "%1", self.player.status
                )
            )

    def stop(self) -> None:
        if self.playing:
            self.player.stop()

    def _on_playing(self, playing: bool) -> None:
        if not playing and self.playing:
            self.playing = False
            self.on_auditioning(False)
