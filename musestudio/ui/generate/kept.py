"""Kept takes and the undo stack: undoing a Keep lists the take again, redoing it takes it off again.

A Keep is an ordinary project command on the window's undo stack (so Undo, the History panel and jumping
back in it all work the same); this class remembers which command kept which take, and from where in
the list, and follows the stack's index. When the stack is back before a keep, the take is listed again;
when it is past it again (redo), it leaves the list. A keep whose command the stack dropped (a new edit
after the undo) is forgotten: its take stays listed, as it is not in the score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from musestudio.ml.generate.request import NEW_TRACK, Take

Listener = Callable[[Take, int], None]  # (the take, the row it had when kept)


@dataclass
class _Kept:
    command: QUndoCommand
    take: Take
    row: int
    in_place: bool = True  # kept in its own tracks (Keep), not as a new track (Keep as New Track)
    done: bool = True  # the keep is in effect (the take is in the score and off the list)


class KeptTakes(QObject):
    def __init__(self, stack: QUndoStack, undone: Listener, redone: Listener, parent=None) -> None:
        super().__init__(parent)
        self.stack, self.undone, self.redone = stack, undone, redone
        self._kept: list[_Kept] = []
        stack.indexChanged.connect(self._follow)

    def pushed(self, take: Take, row: int, in_place: bool = True) -> None:
        """Call right after pushing the keep of ``take`` (listed at ``row``; ``in_place``: not as a new
        track) onto the stack."""
        index = self.stack.index()
        if index > 0:
            self._kept.append(_Kept(self.stack.command(index - 1), take, row, in_place))

    def clear(self) -> None:
        """Forget every keep (another piece, takes restored from a recovery copy): undoing them no longer
        lists their takes. A new Generate forgets none: undoing an earlier keep lists its take beside the
        new ones."""
        self._kept = []

    def put_by_others_of(self, take: Take) -> tuple[tuple[int, frozenset[int]], ...]:
        """(take number, ids of the notes its keep put in the score) for each keep in effect of another
        take of ``take``'s Generate: what keeping ``take`` in place takes the place of, with the notes
        the user wrote there (one line in the bars, not two takes stacked in it)."""
        return tuple(
            (k.take.number, _notes_put(k.command))
            for k in self._kept
            if k.done and k.take is not take and k.take.request is take.request
        )

    def tracks_added_in_place_by_others_of(self, take: Take) -> tuple[int, ...]:
        """The ids of the tracks the first keep in effect, in place, of another take of ``take``'s Generate
        added (an Arrange take's new parts: its piano, its bass), in their order; () when none did. Keeping
        ``take`` in place puts its own new parts into them, not into tracks beside them."""
        for k in self._kept:
            if k.done and k.in_place and k.take is not take and k.take.request is take.request:
                if added := _tracks_added(k.command):
                    return added
        return ()

    def parts_added_in_place_by_others_of(self, take: Take) -> dict[int, int]:
        """{new part's id: the track a keep in effect, in place, of another take of ``take``'s Generate added
        for that part}, the earliest keep's first. A take may leave a part silent (a Celtic session's
        guitar and bass rest) and then adds no track for it, so each keep's added tracks are matched, in
        their order, to the parts it wrote that had no track yet; a keep that added another track too (the
        tune's own, where that track was gone) names none."""
        out: dict[int, int] = {}
        for k in self._kept:
            if k.done and k.in_place and k.take is not take and k.take.request is take.request:
                added = _tracks_added(k.command)
                fresh = [i for i, notes in k.take.parts if i <= NEW_TRACK and notes and i not in out]
                if added and len(added) == len(fresh):
                    out.update(zip(fresh, added, strict=True))
        return out

    def tracks_added_as_new_by_others_of(self, take: Take) -> frozenset[int]:
        """The ids of the tracks keeps in effect, as new tracks, of other takes of ``take``'s Generate added:
        each holds another take of the bars ``take`` is drawn for."""
        return frozenset().union(
            *(
                _tracks_added(k.command)
                for k in self._kept
                if k.done and not k.in_place and k.take is not take and k.take.request is take.request
            )
        )

    def tracks_muted_by_others_of(self, take: Take) -> frozenset[int]:
        """The ids of the tracks a keep in effect of another take of ``take``'s Generate muted (an Arrange
        take kept as new tracks mutes the tune's own track, which keeping ``take`` in place fills again)."""
        return frozenset().union(
            *(
                _tracks_muted(k.command)
                for k in self._kept
                if k.done and k.take is not take and k.take.request is take.request
            )
        )

    def snapshot(self) -> tuple[_Kept, ...]:
        """The keeps followed now, for ``restore`` (a cancelled Generate gives back the takes it replaced)."""
        return tuple(self._kept)

    def restore(self, kept: tuple[_Kept, ...]) -> None:
        """Follow ``kept`` (a ``snapshot``) again, and catch up with the stack: a keep undone or redone
        since lists its take again or takes it off, as it would have."""
        self._kept = list(kept)
        self._follow(self.stack.index())

    def _position(self, command: QUndoCommand) -> int:
        return next((i for i in range(self.stack.count()) if self.stack.command(i) is command), -1)

    def _follow(self, index: int) -> None:
        if not shiboken6.isValid(self.stack):  # the window is closing: the stack is being cleared
            return
        for kept in list(self._kept):
            position = self._position(kept.command)
            if position < 0:  # the stack dropped it (a new edit after undoing it)
                self._kept.remove(kept)
                continue
            done = position < index
            if done == kept.done:
                continue
            kept.done = done
            (self.redone if done else self.undone)(kept.take, kept.row)


def _tracks_added(command: QUndoCommand) -> tuple[int, ...]:
    """The ids of the tracks a keep's command added, in their order."""
    before = {t.id for t in command.before.tracks}
    return tuple(t.id for t in command.after.tracks if t.id not in before)


def _notes_put(command: QUndoCommand) -> frozenset[int]:
    """The ids of the notes a keep's command put in the score (those in no track before it)."""
    before = {n.id for t in command.before.tracks for n in t.notes}
    return frozenset(n.id for t in command.after.tracks for n in t.notes if n.id not in before)


def _tracks_muted(command: QUndoCommand) -> frozenset[int]:
    """The ids of the tracks a keep's command muted (sounding before it, muted after)."""
    sounding = {t.id for t in command.before.tracks if not t.mute}
    return frozenset(t.id for t in command.after.tracks if t.mute and t.id in sounding)
