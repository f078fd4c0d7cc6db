"""Every edit the user can make, each turned into one named undo command.

Views call these methods with what the gesture meant ("move these notes by 2 beats"), never with new model
values of their own; the Editor builds the new Project from the current one and pushes a ProjectCommand.
Continuous gestures pass the notes as they were when the gesture began plus the total offset so far, and a
gesture token, so the whole drag is computed from one origin and lands in history as one step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from musestudio.core.bars import (
    bar_index,
    bars_covering,
    delete_bars,
    insert_bars,
    inserted_length,
    playhead_after_insert,
    tick_after_delete,
    tick_after_insert,
    tick_before_delete,
    tick_before_insert,
)
from musestudio.core.events import ControlEvent, Marker
from musestudio.core.keys import KeySignature, detect_key, step_in_key
from musestudio.core.note import Note
from musestudio.core.project import Project, TempoChange
from musestudio.core.stacked import Apart, pasted_apart, quantized_apart
from musestudio.core.timing import (
    STRAIGHT,
    bar_line_before,
    beat_grid_rebarred,
    silent_bars,
    ticks_to_bar_beat,
)
from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
from musestudio.io.channel_plan import file_layout_through_cut
from musestudio.ui.clipboard import has_notes, notes_on_clipboard, put_notes
from musestudio.ui.commands import BarsCommand, Gesture, ProjectCommand, has_ended
from musestudio.ui.keynames import key_label
from musestudio.ui.state import EditorState
from musestudio.ui.track_labels import track_label, track_labels


def _clamp(v: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, v))


# A tick taken across a bar edit, or back (the playhead's: it stays on the same music).
Move = Callable[[int], int]


class Editor(QObject):
    said = Signal(str)  # what an edit changed beyond what it names, for the status bar

    def __init__(self, state: EditorState, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.document = state.document
        self.undo_stack = undo_stack

    # -- plumbing ----------------------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self.document.project

    def push(
        self, after: Project, text: str, gesture: Gesture | None = None, active: int | None = None
    ) -> bool:
        """One undo step from the piece as it is to ``after``; none when nothing changes (Quantize on notes
        already on the grid), as a step that does nothing would still throw away what could be redone.
        ``active``: the track the step makes active (a track it adds), again when it is redone; undoing it
        gives back the track active before. Returns whether a step was pushed, for a caller that ties
        something of its own to that step (a kept take)."""
        before = self.project
        if after == before or has_ended(gesture):  # cheap: unchanged parts are the same objects
            return False
        step = self._gesture_step(gesture)
        if step is not None and after != step.before:
            step.go_on_to(after)
            return True
        self.undo_stack.push(ProjectCommand(self.document, before, after, text, gesture, self.state, active))
        return True

    def _gesture_step(self, gesture: Gesture | None) -> ProjectCommand | None:
        """The step ``gesture`` has made so far, when it is the last in the history with nothing to redo.

        The gesture's next moves change that step in place (``go_on_to``) rather than pushing a command per
        move for Qt to merge: PySide keeps each merged-away command alive for as long as the stack (the
        stack adopts its Python object after Qt has deleted it), and with it two versions of the piece for
        every mouse move of every drag. Qt still merges a move that brings the gesture back to where it
        began (the step goes) and one made while there are steps to redo (they go).
        """
        stack, index = self.undo_stack, self.undo_stack.index()
        if gesture is None or index == 0 or index != stack.count():
            return None
        top = stack.command(index - 1)
        return top if isinstance(top, ProjectCommand) and top.gesture is gesture else None

    def _edit_notes(
        self,
        text: str,
        remove: Iterable[int] = (),
        add: Iterable[Note] = (),
        gesture: Gesture | None = None,
        track_id: int | None = None,
    ) -> None:
        """Replace notes of a track by id: drop ``remove`` and every id in ``add``, then add ``add``.

        With no active track (every track deleted) the notes come in a new track, added in the same undo
        step: drawing or pasting into an empty piece is one edit, not "Add track" and then the notes.
        """
        add = tuple(add)
        drop = set(remove) | {n.id for n in add}
        if not drop and not add:
            return
        if track_id is None and self.state.active_track() is None:
            if add:
                track = self.new_track().with_notes(add)
                self.push(self.project.add_track(track), text, gesture, active=track.id)
            return
        track = self.project.track_by_id(self.state.active_track_id if track_id is None else track_id)
        notes = [n for n in track.notes if n.id not in drop]
        notes.extend(add)
        self.push(self.project.replace_track(track.with_notes(notes)), text, gesture)

    def add_notes(self, notes: Iterable[Note], text: str) -> None:
        """Add ``notes`` to the active track (to a new one when there is none), as one undo step."""
        self._edit_notes(text, add=notes)

    # -- notes -------------------------------------------------------------------------------------------
    def add_note(
        self, pitch: int, start: int, duration: int, velocity: int = 100, gesture: Gesture | None = None
    ) -> Note:
        note = Note(_clamp(pitch, 0, 127), max(0, start), max(1, duration), velocity)
        self._edit_notes(self.tr("Draw note"), add=(note,), gesture=gesture)
        self.state.set_selection({note.id})
        return note

    def delete_notes(
        self, ids: Iterable[int], text: str | None = None, gesture: Gesture | None = None
    ) -> None:
        ids = set(ids)
        if ids:
            self._edit_notes(text or self.tr("Delete notes"), remove=ids, gesture=gesture)

    def delete_selection(self) -> None:
        self.delete_notes(self.state.selection)

    def move_notes(
        self,
        originals: Iterable[Note],
        ticks: int,
        semitones: int,
        gesture: Gesture | None = None,
        text: str | None = None,
        controllers: Iterable[ControlEvent] = (),
    ) -> None:
        """Move ``originals`` (as they were when the gesture began) and, in the same undo step, the
        ``controllers`` going with them (``controllers_moving_with``). Both stop at the start of the piece
        together: each stopping on its own would part a pedal from its notes."""
        originals, controllers = tuple(originals), tuple(controllers)
        if not originals:
            return
        ticks = max(ticks, -min([n.start for n in originals] + [e.tick for e in controllers]))
        semitones = _clamp(semitones, -min(n.pitch for n in originals), 127 - max(n.pitch for n in originals))
        moved = tuple(n.moved(ticks, semitones) for n in originals)
        if not controllers:
            self._edit_notes(text or self.tr("Move notes"), add=moved, gesture=gesture)
            return
        track = self.state.active_track()
        ids = {n.id for n in moved}
        notes = [*(n for n in track.notes if n.id not in ids), *moved]
        changed = track.with_notes(notes).move_controllers(controllers, ticks, semitones)
        self.push(self.project.replace_track(changed), text or self.tr("Move notes"), gesture)

    def controllers_moving_with(self, notes: Iterable[Note]) -> tuple[ControlEvent, ...]:
        """The active track's controllers that move with ``notes``: with Edit > Move Controllers with Notes
        on, those that belong to them (``Track.controllers_of``: their pedal, bend, ...); else none."""
        track = self.state.active_track()
        if not self.state.move_controllers_with_notes or track is None:
            return ()
        return track.controllers_of(notes)

    def resize_notes(
        self,
        originals: Iterable[Note],
        delta: int,
        min_length: int | Callable[[Note], int],
        gesture: Gesture | None = None,
        text: str | None = None,
    ) -> None:
        """Move the ends of ``originals`` (as the gesture found them) by ``delta``: a note's right edge
        dragged. None ends up shorter than ``min_length`` (a length, or each note's own, such as the
        first grid line after its start), and one already shorter is not shortened further (a grace
        note in the selection keeps its length). ``text``: the undo step's name (default "Resize notes")."""
        shortest = min_length if callable(min_length) else lambda _note: min_length
        resized = tuple(
            n.with_duration(max(min(shortest(n), n.duration), n.duration + delta)) for n in originals
        )
        self._edit_notes(text or self.tr("Resize notes"), add=resized, gesture=gesture)

    def trim_starts(
        self, originals: Iterable[Note], delta: int, min_length: int, gesture: Gesture | None = None
    ) -> None:
        """Move the starts of ``originals`` (as the gesture found them) by ``delta``, their ends staying:
        a note's left edge dragged. None goes before the piece's start or ends up shorter than
        ``min_length`` (one already shorter is not shortened further)."""
        trimmed = []
        for n in originals:
            latest = max(n.start, n.end - min_length)
            start = max(0, min(n.start + delta, latest))
            trimmed.append(n.with_start(start).with_duration(n.end - start))
        self._edit_notes(self.tr("Resize notes"), add=trimmed, gesture=gesture)

    def set_velocities(self, velocities: Mapping[int, int], gesture: Gesture | None = None) -> None:
        track = self.state.active_track()
        if track is None:
            return
        changed = tuple(
            n.with_velocity(_clamp(velocities[n.id], 1, 127)) for n in track.notes if n.id in velocities
        )
        self._edit_notes(self.tr("Change velocity"), add=changed, gesture=gesture)

    def transpose_selection(self, semitones: int) -> bool:
        """Move the selection by ``semitones``; False, and nothing moved, when a note would leave MIDI's
        0..127 (moving the selection less would be another interval than the one asked for)."""
        notes = self.state.selected_notes()
        if notes and not (
            min(n.pitch for n in notes) + semitones >= 0 and max(n.pitch for n in notes) + semitones <= 127
        ):
            return False
        text = self.tr("Transpose octave") if abs(semitones) == 12 else self.tr("Transpose")
        self.move_notes(notes, 0, semitones, text=text, controllers=self.controllers_moving_with(notes))
        return True

    def transpose_selection_in_key(self, steps: int) -> bool:
        """Move each selected note ``steps`` degrees of the key in force at it (``keys.step_in_key``), with
        the controllers going with it as a transpose takes them. With no key set, the key the piece's notes
        are in (``detect_key``), said in the status bar. False, and nothing moved, where a note would leave
        MIDI's 0..127 or no key can be found (``said`` tells which)."""
        notes = self.state.selected_notes()
        if not notes:
            return True
        project = self.project
        guessed = None
        if any(project.key_at(n.start) is None for n in notes):
            guessed = detect_key(n for t in project.tracks if not t.is_drum for n in t.notes)
            if guessed is None:
                self.said.emit(
                    self.tr("Not transposed: set a key in the key box first (no key can be heard)")
                )
                return False
        moved = {n.id: step_in_key(n.pitch, project.key_at(n.start) or guessed, steps) for n in notes}
        if not all(0 <= p <= 127 for p in moved.values()):
            self.said.emit(
                self.tr("Not transposed: a selected note would go past MIDI's range of pitches (0-127)")
            )
            return False
        track = self.state.active_track()
        changed = track.with_notes([n.with_pitch(moved.get(n.id, n.pitch)) for n in track.notes])
        for semitones in {p - n.pitch for n in notes for p in (moved[n.id],)}:  # each interval's notes
            same = [n for n in notes if moved[n.id] - n.pitch == semitones]
            changed = changed.move_controllers(self.controllers_moving_with(same), 0, semitones)
        self.push(project.replace_track(changed), self.tr("Transpose in key"))
        if guessed is not None:
            self.said.emit(
                self.tr("No key is set: moved along %1, the key the notes are in").replace(
                    "%1", key_label(guessed)
                )
            )
        return True

    def quantize_selection(self, swing: Fraction = STRAIGHT) -> None:
        """The selection onto the grid; with ``swing`` (``timing.SWING``), onto the grid swung: every
        second line of it later, as a swung eighth is played. Two notes of a key landing on one line are
        taken apart or made one (``core.stacked.quantized_apart``), and ``said`` tells how many."""
        notes = self.state.selected_notes()
        if not notes:
            return
        text = self.tr("Quantize") if swing == STRAIGHT else self.tr("Quantize with swing")
        track = self.state.active_track()
        apart = quantized_apart(track.notes, self.state.selection, self.state.grid(), swing)
        self._put_apart(track, apart, text, {n.id for n in notes})
        said = []
        if apart.merged_into:
            said.append(
                self.tr(
                    "Quantize merged %n note(s) into a note of the same pitch played just before on the "
                    "same grid line.",
                    "",
                    len(apart.merged_into),
                )
            )
        if apart.moved_on:
            said.append(
                self.tr(
                    "Quantize moved %n note(s) on to the next grid line: a note of the same pitch played "
                    "earlier took the line.",
                    "",
                    apart.moved_on,
                )
            )
        if said:
            self.said.emit(" ".join(said))

    def _put_apart(self, track: Track, apart: Apart, text: str, selected: Iterable[int]) -> None:
        """``track`` with the notes of ``apart`` as one undo step, the notes ``selected`` (or the ones they
        were merged into) selected."""
        self.push(self.project.replace_track(track.with_notes(apart.notes)), text)
        self.state.set_selection(apart.survivor(i) for i in selected)

    def select_all(self) -> None:
        track = self.state.active_track()
        if track is not None:
            self.state.set_selection(n.id for n in track.notes)

    def duplicate_selection(self) -> None:
        notes = self.state.selected_notes()
        if not notes:
            self.said.emit(self.tr("Nothing to duplicate: no notes are selected. Select notes first."))
            return
        grid = self.state.grid()
        first, last = min(n.start for n in notes), max(n.end for n in notes)
        line = grid.floor(first)
        span = grid.ceil(line + last - first) - line  # to a grid line: the copy stays on the grid
        copies = tuple(n.copy_as_new().moved(span) for n in notes)
        self._edit_notes(self.tr("Duplicate"), add=copies)
        self.state.set_selection(n.id for n in copies)
        self.said.emit(
            self._notes_words(self.tr("Duplicated %n note(s) at %1 in %2.", "", len(copies)), line + span)
        )

    def copy_notes(self, notes: Iterable[Note], gesture: Gesture | None = None) -> tuple[Note, ...]:
        """Fresh copies of ``notes`` in place (a Ctrl-drag then moves them), selected."""
        copies = tuple(n.copy_as_new() for n in notes)
        self._edit_notes(self.tr("Copy notes"), add=copies, gesture=gesture)
        self.state.set_selection(n.id for n in copies)
        return copies

    def copy_selection(self) -> None:
        """The selection onto the clipboard, ``said`` telling how many notes from which track, or that none
        is selected: a Copy that did nothing and said nothing passed for one that worked."""
        notes = self._selection_to_clipboard()
        self.said.emit(
            self._notes_words(self.tr("Copied %n note(s) from %2.", "", len(notes)))
            if notes
            else self.tr("Nothing to copy: no notes are selected. Select notes first.")
        )

    def cut_selection(self) -> None:
        """The selection onto the clipboard and out of its track as one undo step, said as Copy says it."""
        notes = self._selection_to_clipboard()
        if not notes:
            self.said.emit(self.tr("Nothing to cut: no notes are selected. Select notes first."))
            return
        said = self._notes_words(self.tr("Cut %n note(s) from %2.", "", len(notes)))
        self.delete_notes({n.id for n in notes}, self.tr("Cut"))
        self.said.emit(said)

    def _selection_to_clipboard(self) -> tuple[Note, ...]:
        """The selected notes, put on the clipboard timed from the first one's start (none: left as it is)."""
        notes = self.state.selected_notes()
        if notes:
            origin = min(n.start for n in notes)
            put_notes((n.with_start(n.start - origin) for n in notes), self.project.ticks_per_beat)
        return notes

    def paste(self) -> int | None:
        """The clipboard's notes at the playhead, selected, as one undo step; returns where the next copy
        goes, for the playhead to go on to (as ``duplicate_selection`` spaces its copy: to the grid line
        after them, counted from the line at or before the playhead), or None when nothing was pasted.
        A pasted note landing on a note of its key already there goes into it, and ``said`` tells how
        many did (``core.stacked.pasted_apart``)."""
        at = self.state.playhead
        copies = tuple(n.moved(at) for n in notes_on_clipboard(self.project.ticks_per_beat))
        if not copies:
            self.said.emit(
                self.tr("Nothing pasted: the notes on the clipboard cannot be read.")
                if has_notes()
                else self.tr("Nothing to paste: the clipboard holds no notes. Copy or cut notes first.")
            )
            return None
        grid = self.state.grid()
        line = grid.floor(at)
        after = at + grid.ceil(line + max(n.end for n in copies) - at) - line
        track = self.state.active_track()
        merged = ()
        if track is None:  # every track deleted: the copies come in a new one
            self._edit_notes(self.tr("Paste"), add=copies)
            self.state.set_selection(n.id for n in copies)
        else:
            apart = pasted_apart(track.notes, copies)
            self._put_apart(track, apart, self.tr("Paste"), (n.id for n in copies))
            merged = apart.merged_into
        said = [self._notes_words(self.tr("Pasted %n note(s) at %1 in %2.", "", len(copies)), at)]
        if merged:
            said.append(
                self.tr(
                    "Paste merged %n copied note(s) into a note of the same pitch already starting there.",
                    "",
                    len(merged),
                )
            )
        self.said.emit(" ".join(said))
        return after

    def _position_words(self, tick: int) -> str:
        """Where ``tick`` is, as the status bar's Position counts it: "bar 5", or "bar 5, beat 3"."""
        at = ticks_to_bar_beat(tick, self.project.time_signatures, self.project.ticks_per_beat)
        if at.beat == 1 and at.ticks == 0:
            return self.tr("bar %1").replace("%1", str(at.bar))
        return self.tr("bar %1, beat %2").replace("%1", str(at.bar)).replace("%2", str(at.beat))

    def _notes_words(self, words: str, at: int | None = None) -> str:
        """What Copy, Cut, Paste and Duplicate say they did: ``words`` (translated, the count filled in) with
        %2 the active track, the one every one of them takes notes from or puts them in (a Paste into a
        piece with no track made it, and it is active), and %1 the position ``at`` they were put."""
        if at is not None:
            words = words.replace("%1", self._position_words(at))
        return words.replace("%2", f"“{track_label(self.project, self.state.active_track())}”")

    # -- tracks ------------------------------------------------------------------------------------------
    def add_track(self, name: str | None = None, program: int = 0, is_drum: bool = False) -> Track:
        track = self.new_track(name, program, is_drum)
        self.push(self.project.add_track(track), self.tr("Add track"), active=track.id)
        return track

    def new_track(self, name: str | None = None, program: int = 0, is_drum: bool = False) -> Track:
        """The track Add Track would add now (its name, colour and a free channel), not added yet."""
        tracks = self.project.tracks
        used = {t.channel for t in tracks}
        channel = (
            DRUM_CHANNEL
            if is_drum
            else next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), len(tracks) % 16)
        )
        if channel == DRUM_CHANNEL and not is_drum:
            channel = 0
        return Track(
            name=name or self._unused_track_name(),
            program=program,
            channel=channel,
            is_drum=is_drum,
            colour=self._unused_colour(),
        )

    def _unused_track_name(self) -> str:
        """The name "Track N" numbered by where the track goes, or the next number no track has: after a
        delete, the count alone would give a name already there."""
        names = {t.name for t in self.project.tracks}
        number = len(self.project.tracks) + 1
        while (name := self.tr("Track %1").replace("%1", str(number))) in names:
            number += 1
        return name

    def _unused_colour(self) -> str:
        """The next colour in the palette's order that no track has, so tracks stay told apart; when every
        colour is taken, the palette goes round again."""
        count = len(self.project.tracks)
        used = {t.colour.lower() for t in self.project.tracks}
        order = [TRACK_COLOURS[(count + i) % len(TRACK_COLOURS)] for i in range(len(TRACK_COLOURS))]
        return next((c for c in order if c not in used), order[0])

    def delete_track(self, track_id: int) -> None:
        self.push(self.project.remove_track(track_id), self.tr("Delete track"))

    def rename_track(self, track_id: int, name: str) -> None:
        name = name.strip()
        if name and name != self.project.track_by_id(track_id).name:
            self.set_track(track_id, self.tr("Rename track"), name=name, name_event=True)

    def set_track(self, track_id: int, text: str, gesture: Gesture | None = None, **fields) -> None:
        track = self.project.track_by_id(track_id)
        # an instrument or volume set here is stated in the export where its file left it unsaid (the
        # piano it played, picked, is then written as the user's choice)
        fields |= {f"{k}_stated": True for k in ("program", "volume") if k in fields}
        if any(getattr(track, k) != v for k, v in fields.items()):
            if fields.get("is_drum"):
                fields["channel"] = DRUM_CHANNEL
            elif fields.get("is_drum") is False and track.channel == DRUM_CHANNEL:
                used = {t.channel for t in self.project.tracks}
                fields["channel"] = next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)
            # a track with no name of its own is shown by the instrument chosen (``track_labels``)
            self.push(self.project.replace_track(track.with_(**fields)), text, gesture)

    # -- tempo, meter, key ----------------------------------------------------------------------------
    def set_tempo(self, bpm: float, tick: int | None = None) -> None:
        """The BPM field: change the tempo in force at ``tick``, the one the field showed (by default at
        the playhead), to ``bpm`` quarter notes a minute as the piece holds it (the field reads in the
        meter's beat and turns it back: ``toolbar``); every other tempo change stays."""
        tick = self.state.playhead if tick is None else tick
        if abs(self.project.tempo_at(tick).bpm - bpm) > 1e-6:
            self.push(self.project.set_tempo_at(tick, bpm), self.tr("Set tempo"))

    def add_tempo_change(self, tick: int, bpm: float | None = None) -> TempoChange:
        """A new tempo change at ``tick`` (by default the tempo already in force there, ready to drag). On
        a change already there with that tempo nothing is pushed: the one in the piece is returned, so the
        caller selects a change that exists."""
        project, change = self.project.add_tempo_change(tick, bpm or self.project.tempo_at(tick).bpm)
        self.push(project, self.tr("Add tempo change"))
        return next(t for t in self.project.tempos if t.tick == change.tick)

    def set_tempo_change(self, change_id: int, bpm: float, gesture: Gesture | None = None) -> None:
        self.push(self.project.set_tempo_change(change_id, bpm), self.tr("Change tempo"), gesture)

    def move_tempo_change(
        self, change_id: int, tick: int, gesture: Gesture | None = None, origin: Project | None = None
    ) -> None:
        """Move a tempo change; a drag passes ``origin`` (the project when it began) so changes it
        passes over come back. Only its tempo map is taken: a take that lands mid-drag stays."""
        base = self.project if origin is None else self.project.with_(tempos=origin.tempos)
        self.push(base.move_tempo_change(change_id, tick), self.tr("Move tempo change"), gesture)

    def remove_tempo_change(self, change_id: int) -> None:
        self.push(self.project.remove_tempo_change(change_id), self.tr("Delete tempo change"))

    # -- markers --------------------------------------------------------------------------------------
    def add_marker(
        self, tick: int | None = None, text: str | None = None, gesture: Gesture | None = None
    ) -> Marker:
        """A marker at ``tick`` (default: the playhead), named "Marker N" unless ``text`` is given;
        ``gesture``: a naming that follows goes into the same step (``rename_marker``)."""
        tick = self.state.playhead if tick is None else tick
        project, marker = self.project.add_marker(tick, text or self._new_marker_name())
        self.push(project, self.tr("Add marker"), gesture)
        return marker

    def _new_marker_name(self) -> str:
        """A name "Marker N" with a number no marker's name has: counted from how many markers there are,
        on past the names taken (with "Marker 2" of three deleted, the count alone named the next one
        "Marker 3" a second time, and the marker row, the jumps and the exported file showed two). The
        names markers have, typed or read from a file, stay as they are."""
        taken = {m.text for m in self.project.markers}
        number = len(self.project.markers) + 1
        while self.tr("Marker %1").replace("%1", str(number)) in taken:
            number += 1
        return self.tr("Marker %1").replace("%1", str(number))

    def rename_marker(self, marker_id: int, text: str, gesture: Gesture | None = None) -> None:
        """Rename a marker; with the ``gesture`` of the add just made, the name goes into that step."""
        text = text.strip()
        if text:
            self.push(self.project.rename_marker(marker_id, text), self.tr("Rename marker"), gesture)

    def move_marker(self, marker_id: int, tick: int, gesture: Gesture | None = None) -> None:
        self.push(self.project.move_marker(marker_id, tick), self.tr("Move marker"), gesture)

    def remove_marker(self, marker_id: int) -> None:
        self.push(self.project.remove_marker(marker_id), self.tr("Delete marker"))

    # -- controller lanes -----------------------------------------------------------------------------
    def replace_lane_range(
        self,
        track_id: int,
        lane: int,
        start: int,
        end: int,
        events: Iterable[ControlEvent] = (),
        gesture: Gesture | None = None,
        text: str | None = None,
    ) -> None:
        """Draw (or, with no events, erase) a lane's events in [start, end) of a track."""
        track = self.project.track_by_id(track_id)
        changed = track.replace_lane_range(lane, start, end, events)
        if changed.controllers != track.controllers or [e.id for e in changed.controllers] != [
            e.id for e in track.controllers
        ]:
            self.push(self.project.replace_track(changed), text or self.tr("Draw controller"), gesture)

    def edit_controllers(
        self,
        track_id: int,
        remove: Iterable[int] = (),
        add: Iterable[ControlEvent] = (),
        gesture: Gesture | None = None,
        text: str | None = None,
    ) -> None:
        """Replace controller events by id (a value drag, a move, a delete), as ``_edit_notes`` does."""
        track = self.project.track_by_id(track_id)
        changed = track.edit_controllers(remove, add)
        if changed is not track:
            self.push(self.project.replace_track(changed), text or self.tr("Edit controllers"), gesture)

    def set_time_signature(self, numerator: int, denominator: int, tick: int | None = None) -> None:
        """The meter box: change the meter in force at ``tick``, the one the box showed (by default at the
        playhead); every other meter change stays."""
        tick = self.state.playhead if tick is None else tick
        sig = self.project.meter_at(tick)
        if (sig.numerator, sig.denominator) != (numerator, denominator):
            self.push(self.project.set_meter_at(tick, numerator, denominator), self.tr("Set time signature"))

    def bar_at_playhead(self) -> int:
        """The tick of the bar line at or before the playhead."""
        project = self.project
        return bar_line_before(self.state.playhead, project.time_signatures, project.ticks_per_beat)

    def set_meter_change_here(self, on: bool) -> None:
        """Start a meter at the playhead's bar (the one in force, for the meter box to change), or take the
        one starting there away (its bars go back to the meter before)."""
        tick = self.bar_at_playhead()
        if on:
            self.push(self.project.add_meter_change(tick), self.tr("Add meter change"))
        else:
            self.push(self.project.remove_meter_change(tick), self.tr("Remove meter change"))

    def set_key_change_here(self, on: bool) -> None:
        """Start a key at the playhead's bar (the one in force), or take the one starting there away."""
        tick = self.bar_at_playhead()
        if on:
            self.push(self.project.add_key_change(tick), self.tr("Add key change"))
        else:
            self.push(self.project.remove_key_change(tick), self.tr("Remove key change"))

    def rebar_beat_grid(self) -> None:
        """Edit > Re-bar One-Beat Bars in 4/4: a piece in 1/4 throughout gets the 4/4 bars it is heard in
        (``core.timing.beat_grid_rebarred``), one undo step; any other piece is left as it is."""
        project = beat_grid_rebarred(self.project)
        if project is not None:
            self.push(project, self.tr("Re-bar in 4/4"))

    def trim_silent_end(self) -> None:
        """Edit > Trim Silent Bars at the End: the piece ends at its last note, not after the silent bars a
        MIDI file gave it (``Project.end_of_track``), one undo step; a piece without them is left alone."""
        if silent_bars(self.project):
            self.push(self.project.with_(end_of_track=0), self.tr("Trim silent bars"))

    # -- bars -----------------------------------------------------------------------------------------
    def bar_to_insert_at(self) -> int:
        """Where Insert Bars puts new bars by default: before the bar of the first selected note, else
        before the playhead's bar."""
        notes = self.state.selected_notes()
        tick = min(n.start for n in notes) if notes else self.state.playhead
        project = self.project
        return bar_line_before(tick, project.time_signatures, project.ticks_per_beat)

    def bars_to_delete(self) -> tuple[int, int]:
        """The bars Delete Bars takes out, as ticks: those the loop region lies over (the ruler's time
        selection) while looping is on, else those the selected notes lie in, else the playhead's bar. A
        region left greyed out when looping was turned off is not what the user is pointing at now."""
        notes, loop = self.state.selected_notes(), self.state.loop
        if loop is not None and self.state.loop_enabled:
            return bars_covering(self.project, *loop)
        if notes:
            return bars_covering(self.project, min(n.start for n in notes), max(n.end for n in notes))
        return bars_covering(self.project, self.state.playhead, self.state.playhead + 1)

    def insert_bars(self, at: int, count: int) -> bool:
        """``count`` empty bars at bar line ``at`` on every track (``core.bars.insert_bars``), as one undo
        step; the loop region stays over the music it was over, and so does the playhead unless it was on bar
        line ``at`` (it stays there, at the start of the new bars). False when nothing changed."""
        project, loop = self.project, self.state.loop
        length = inserted_length(project, at, count)
        if loop is not None:  # a region ending at the bar line lies before the new bars
            loop = (tick_after_insert(loop[0], at, length), tick_after_insert(loop[1] - 1, at, length) + 1)
        text = self.tr("Insert bars before bar %1").replace("%1", str(bar_index(project, at) + 1))
        return self._push_bars(
            insert_bars(project, at, count),
            text,
            loop,
            lambda tick: playhead_after_insert(tick, at, length),
            lambda tick: tick_before_insert(tick, at, length),
        )

    def delete_bars(self, start: int, end: int) -> bool:
        """The bars from ``start`` to ``end`` taken out of every track (``core.bars.delete_bars``), as one
        undo step; the loop region shrinks with them, and goes where it lay inside them. False when
        nothing changed (empty bars after the piece's end).

        From bar 1, tracks sharing a channel as their file does start with the sound the channel has at
        the cut (``channel_plan.file_layout_through_cut``), and ``said`` names them: their instrument,
        volume, pan or pedals change with no edit of theirs (one with no name of its own is shown by the
        instrument it plays now)."""
        project, loop = self.project, self.state.loop
        if loop is not None:
            loop = (tick_after_delete(loop[0], start, end), tick_after_delete(loop[1], start, end))
        cut = delete_bars(project, start, end)
        after = file_layout_through_cut(project, cut, end) if start == 0 else cut
        done = self._push_bars(
            after,
            self.bars_text(start, end),
            loop,
            lambda tick: tick_after_delete(tick, start, end),
            lambda tick: tick_before_delete(tick, start, end),
        )
        if done:
            self._say_what_else_changed(project, cut, after, start, end)
        return done

    def _say_what_else_changed(
        self, project: Project, cut: Project, after: Project, start: int, end: int
    ) -> None:
        """Delete Bars' words for what changed beyond the bars taken out: tracks that now start with their
        shared channel's sound, and silent bars before the deleted ones that went with them (the piece ends
        as it did before they were inserted past its end: ``core.bars``)."""
        said = []
        if after.length < tick_after_delete(project.length, start, end):
            said.append(
                self.tr(
                    "The piece ends as it did before those bars were inserted: the silent bars up to them "
                    "went too."
                )
            )
        labels = track_labels(after)
        joined = [
            labels[u.id]
            for t, u in zip(cut.tracks, after.tracks, strict=True)
            if t.channel_setup() != u.channel_setup()
        ]
        if joined:
            said.append(
                self.tr(
                    "As the file plays them, these tracks now start as their shared MIDI channel sounds "
                    "after the deleted bars (its instrument, volume, pan and pedals): %1"
                ).replace("%1", ", ".join(joined))
            )
        if said:
            self.said.emit(" ".join(said))

    def bars_text(self, start: int, end: int) -> str:
        """The step's name: "Delete bar 5" or "Delete bars 3-4"."""
        first, last = self.bar_numbers(start, end)
        if first == last:
            return self.tr("Delete bar %1").replace("%1", str(first))
        return self.tr("Delete bars %1-%2").replace("%1", str(first)).replace("%2", str(last))

    def bar_numbers(self, start: int, end: int) -> tuple[int, int]:
        """The numbers of the first and last bar from ``start`` to ``end``, as the ruler counts them."""
        return bar_index(self.project, start) + 1, bar_index(self.project, end - 1) + 1

    def _push_bars(
        self, after: Project, text: str, loop: tuple[int, int] | None, moved: Move, moved_back: Move
    ) -> bool:
        """Push the bar edit as one undo step; ``moved`` and ``moved_back`` take a tick (the playhead's)
        across it and back, so the playhead stays on the same music."""
        if after == self.project:
            return False
        command = BarsCommand(self.document, self.project, after, text, self.state, loop, moved, moved_back)
        self.undo_stack.push(command)
        return True

    def set_key(self, key: KeySignature | None, tick: int | None = None) -> None:
        """The key box: change the key in force at ``tick``, the one the box showed (by default at the
        playhead); every other key change stays."""
        tick = self.state.playhead if tick is None else tick
        if key != self.project.key_at(tick):
            self.push(self.project.set_key_at(tick, key), self.tr("Set key"))
