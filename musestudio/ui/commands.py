"""The one undo command: swap the Document's Project for another value, and back.

Projects are immutable, so a command only needs the value before and after the edit; undo and redo both go
through ``Document.set_project`` and the views redraw from the resulting change event. A continuous gesture
(dragging notes, a velocity bar, a volume slider) pushes one command per mouse move with the same gesture
token; ``mergeWith`` folds them into a single history step, as in Qt's undo framework example.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from musestudio.core.document import Document
from musestudio.core.project import Project
from musestudio.ui.state import EditorState

MERGE_ID = 1000


class Gesture:
    """The token shared by every command of one continuous gesture, so they merge into one step.

    It remembers whether an undo or redo ended it: Ctrl+Z while the mouse is still down undoes the gesture
    so far, and its next move must not bring it back as a new step (throwing away the redo). A gesture
    that has changed nothing yet ends too: its moves are worked out from the piece as it was when the
    mouse went down, so the next one would bring back the edit just undone, or reach for a track the
    undo took away. The mark lives on the token, not in a list of every gesture ever ended: it goes when
    the gesture's widget and its commands let go of it.
    """

    __slots__ = ("ended", "__weakref__")

    def __init__(self) -> None:
        self.ended = False


# the gestures begun since the last undo or redo and still held by their widgets or commands
_gestures: weakref.WeakSet[Gesture] = weakref.WeakSet()


def new_gesture() -> Gesture:
    """The token of a continuous gesture just begun."""
    gesture = Gesture()
    _gestures.add(gesture)
    return gesture


def end_every_gesture() -> None:
    """An undo or redo ends every gesture in progress (``Gesture``). Ended, a gesture stays so: the set
    lets go of it, and an undo in a long history walks only the gestures begun since the last one."""
    for gesture in tuple(_gestures):
        gesture.ended = True
    _gestures.clear()


def has_ended(gesture: Gesture | None) -> bool:
    return gesture is not None and gesture.ended


class ProjectCommand(QUndoCommand):
    """``state`` and ``active``: the editor state whose active track the step changes, and the track it makes
    active (the one Add track adds; None: the one the state picks), so undo and redo give the active track
    back with the tracks (``_give_back_active``), and the selection with the notes (``_give_back_selection``).
    """

    def __init__(
        self,
        document: Document,
        before: Project,
        after: Project,
        text: str,
        gesture: Gesture | None = None,
        state: EditorState | None = None,
        active: int | None = None,
    ) -> None:
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.gesture = gesture
        self.state = state
        self.active_before = state.active_track_id if state is not None else None
        self.active_after = active
        # the notes selected before the step, and as the user left them after it (read when it is undone),
        # each with the track active then, whose notes they are
        self.selection_before = (self.active_before, state.selection if state is not None else frozenset())
        self.selection_after: tuple[int, frozenset[int]] | None = None
        self._pushed = False

    def redo(self) -> None:
        if self._pushed:  # a redo the user asked for, not the push that does the step the first time
            end_every_gesture()
        self._pushed = True
        self.document.set_project(self.after)
        if self.active_after is not None:
            self.state.set_active_track(self.active_after)
        if self.selection_after is not None:
            self._give_back_selection(*self.selection_after)

    def go_on_to(self, after: Project) -> None:
        """The gesture of this step moved on to ``after``: the step now ends there (as ``mergeWith``)."""
        self.document.set_project(after)
        self.after = after

    def undo(self) -> None:
        end_every_gesture()
        if self.state is not None:
            self.selection_after = (self.state.active_track_id, self.state.selection)
        self.document.set_project(self.before)
        self._give_back_active()
        if self.state is not None:
            self._give_back_selection(*self.selection_before)

    def _give_back_selection(self, track_id: int | None, ids: frozenset[int]) -> None:
        """Select again the notes selected on this side of the step (``ids``, of track ``track_id``), those of
        them still there: undoing a Delete selects the notes it brings back, undoing a Duplicate or a Paste
        the notes copied, and a redo the notes as the user left them. Before, the selection only lost the
        notes that went, so an undo left nothing selected. In another track than the one active now (the
        user went on in another), the selection there is left as it is."""
        track = self.state.active_track()
        if track is not None and track.id == track_id:
            self.state.set_selection(ids & {n.id for n in track.notes})

    def _give_back_active(self) -> None:
        """Undoing a step that adds or removes tracks makes the track active that was active before it (the
        one deleted, or the one the user was in before Add), not whichever the state falls back on: Paste,
        step input, recording and Generate go where they went before the step."""
        ids = {t.id for t in self.before.tracks}
        if self.active_before in ids and ids != {t.id for t in self.after.tracks}:
            self.state.set_active_track(self.active_before)

    def id(self) -> int:
        return MERGE_ID if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ProjectCommand) or other.gesture != self.gesture:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)  # a drag that ends where it began leaves no step
        return True


class BarsCommand(ProjectCommand):
    """Insert or Delete Bars: the piece, and with it the loop region and the playhead over the bars that
    moved. Both are the editor's, not the piece's, so the step carries them both ways: the playhead in bar 5
    is in bar 7 after two bars go in before bar 3, and undo puts the region and the playhead back over the
    same music. ``moved`` and ``moved_back`` map a tick across the step and back (``core.bars``): a playhead
    moved since the step still lands on the music it was on."""

    def __init__(
        self,
        document: Document,
        before: Project,
        after: Project,
        text: str,
        state: EditorState,
        loop_after: tuple[int, int] | None,
        moved: Callable[[int], int],
        moved_back: Callable[[int], int],
    ) -> None:
        super().__init__(document, before, after, text, state=state)
        self.loops = (state.loop, loop_after)
        self.moved, self.moved_back = moved, moved_back
        self.playheads: tuple[int, int] | None = None  # before and after the step, as it last went

    def redo(self) -> None:
        playhead = self._playhead_across(self.moved, 0)
        super().redo()
        self.state.move_loop(self.loops[1])
        self.state.set_playhead(playhead)

    def undo(self) -> None:
        playhead = self._playhead_across(self.moved_back, 1)
        super().undo()
        self.state.move_loop(self.loops[0])
        self.state.set_playhead(playhead)

    def _playhead_across(self, move: Callable[[int], int], side: int) -> int:
        """Where the playhead goes as the step is done (``side`` 0) or undone (1): where it was on the other
        side, if it has not moved since (a playhead cut to the start of deleted bars goes back inside
        them), else ``move`` of where it is now."""
        here = self.state.playhead
        if self.playheads is not None and self.playheads[side] == here:
            there = self.playheads[1 - side]
        else:
            there = move(here)
        self.playheads = (here, there) if side == 0 else (there, here)
        return there
