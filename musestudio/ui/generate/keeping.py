"""Keeping takes into the score, discarding them, and dragging one out as a file.

Nothing touches the project until a take is kept, and keeping is one undo step (``requests.with_take``);
the other takes stay listed until Discard All or the next Generate's takes come, and undoing the keep lists
the kept take again (``kept.KeptTakes``), after a Discard All too (it discarded the takes listed, not the
kept one). Takes outlive their track: keeping one whose track was deleted (or its adding undone) puts it in
a new track with that track's instrument. Kept in place, a take takes the place of the takes of its
Generate kept there before it, so the bars hold one take, not two stacked; in the same undo step it mutes
the tracks that would play its bars with it (``Keeping.silenced``): what it doubles, and another take of
its Generate kept as a new track (two Continue takes kept are two ways the phrase goes on over the same
bars: the latest plays; two takes of one Add a part are two ways of the same part, so the latest plays
too, where a second part is what the musician wants they ask for it with another Add a part). A part
added over drums alone is in a key the user or the default chose, not one heard: keeping it gives a piece
with no key signature that key in the same undo step (``keyed``), and a take dragged out carries it. Every
keep and discard is told to the taste, which re-ranks the next takes.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject

from musestudio.core.project import Project
from musestudio.core.track import Track
from musestudio.ml.engines import ADD_PART, ARRANGE, CONTINUE, REGENERATE, RESTYLE
from musestudio.ml.generate.request import NEW_TRACK, Take, with_key_written_in
from musestudio.ui.dragout import clip_project
from musestudio.ui.generate.kept import KeptTakes
from musestudio.ui.generate.requests import arranged_over, continued_over, muted, unmuted, with_take
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.generate.takes_panel import row_listing
from musestudio.ui.keynames import key_label


class Keeping(QObject):
    """Keep, Keep as New Track, Discard and Discard All for a ``GenerateController`` (``owner``: its takes,
    its taste and the Generate running), and Undo and Redo of keeps (``kept``)."""

    def __init__(self, owner) -> None:
        super().__init__(owner)
        self.owner = owner
        self.state = owner.state
        self.kept = KeptTakes(owner.window.undo_stack, self._on_keep_undone, self._on_keep_redone, self)

    # -- the piece with a take in it ----------------------------------------------------------------------
    def with_take(self, project: Project, take: Take, new_track: bool) -> tuple[Project, int]:
        """``with_take`` for the request ``take`` was drawn for; a take whose track is gone goes into a new
        track with that track's instrument (the active track's, when the request does not say it). Kept in
        place, it takes the place of the takes of its Generate kept there before it too, as of the notes
        they took the place of: the bars hold one take, not two stacked in one line. It mutes what would
        double it (``silenced``). An audition plays this too."""
        request, into = take.request, {}
        if not new_track:
            request = self._with_notes_put_by_others(take).request
            into = self._new_parts_kept_before(take)
            project = unmuted(project, self.sounded_again(project, take))
        project = muted(project, self.silenced(project, take, new_track))
        return with_take(project, request, take, new_track, self.state.active_track(), into)

    def silenced(self, project: Project, take: Take, new_track: bool) -> tuple[Track, ...]:
        """The tracks of ``project`` keeping ``take`` (with ``new_track``, as a new track) mutes, in the
        keep's own undo step, as they would play the same bars with it: those an Arrange take's parts take
        the place of, so the song's own bass does not play under the new one; kept as new tracks, the
        track whose notes the take stands for (an Arrange take's tune, a Rewrite's line, a Regenerate's
        bars), which its copy would double (``arranged_over``); and the tracks other takes of its Generate
        were kept in as new tracks (``kept_beside``), so the latest take kept plays, not two at once."""
        return (*self.arranged_over(project, take, new_track)[0], *self.kept_beside(project, take, new_track))

    def arranged_over(
        self, project: Project, take: Take, new_track: bool = False
    ) -> tuple[tuple[Track, ...], tuple[Track, ...]]:
        """The tracks of ``project`` an Arrange ``take`` kept in place (or with ``new_track``, as new
        tracks) mutes, and those it leaves playing along (``requests.arranged_over``; kept in place, its
        parts' own tracks, where a keep before put them, are neither). As new tracks, the notes another
        take of its Generate kept in place put in the score count as the take's to stand for: a track
        holding only them plays the same bars as the take."""
        if new_track:
            return arranged_over(project, self._with_notes_put_by_others(take), {}, True)
        return arranged_over(project, take, self._new_parts_kept_before(take), False)

    def kept_beside(self, project: Project, take: Take, new_track: bool = False) -> tuple[Track, ...]:
        """The tracks of ``project``, sounding in the bars of a Rewrite, Regenerate, Continue or Add a part
        ``take``, that keeps of other takes of its Generate as new tracks added: another take of the same
        notes (or another way the phrase goes on, over the same bars: two continuations are alternatives,
        not a duet; or another take of the same new part), which would play with it, whether it is kept in
        place or as a new track too. A parts-engine Continue take kept as new tracks added one for each
        part: each is muted. Kept as a new track (``new_track``), an Add a part take mutes the part's track
        a keep in place of another of its takes added too: kept in place it would go into that track, in
        that take's place. (An Arrange take's ``arranged_over`` weighs them with the piece's other tracks:
        every note in its bars.)"""
        if take.request is None or take.request.mode not in (RESTYLE, REGENERATE, CONTINUE, ADD_PART):
            return ()
        added = self.kept.tracks_added_as_new_by_others_of(take)
        if new_track and take.request.mode == ADD_PART:
            added |= frozenset(self.kept.tracks_added_in_place_by_others_of(take))
        return tuple(
            t
            for t in project.tracks
            if t.id in added
            and not t.mute
            and any(n.start < take.end and n.end > take.start for n in t.notes)
        )

    def continued_under(self, project: Project, take: Take) -> tuple[tuple[Track, ...], list[int]]:
        """The tracks of ``project`` holding, in the bars of a Continue ``take``, another take of its
        Generate kept in place, and those takes' numbers: keeping ``take`` as a new track plays it over
        them. They are not muted, as they hold the phrase both takes continue (muting them would silence
        it): the panel and the status bar say both play there."""
        if take.request is None or take.request.mode != CONTINUE:
            return (), []
        as_new = self.kept.tracks_added_as_new_by_others_of(take)  # muted by the keep: ``kept_beside``
        kept_in_place = self.kept.put_by_others_of(take)
        tracks, numbers = [], set()
        for track in project.tracks:
            if track.mute or track.id in as_new:
                continue
            heard = {n.id for n in track.notes if n.start < take.end and n.end > take.start}
            if found := {number for number, put in kept_in_place if put & heard}:
                tracks.append(track)
                numbers |= found
        return tuple(tracks), sorted(numbers)

    def _with_notes_put_by_others(self, take: Take) -> Take:
        """``take`` with the notes keeps in effect of other takes of its Generate put in the score among
        those its request replaces: they hold another take of its bars, in their place."""
        put = frozenset().union(*(ids for _, ids in self.kept.put_by_others_of(take)))
        return (
            replace(take, request=replace(take.request, replaces=take.request.replaces | put))
            if put
            else take
        )

    def sounded_again(self, project: Project, take: Take) -> tuple[Track, ...]:
        """The tracks keeping ``take`` in place puts its notes into that a keep of another take of its
        Generate muted: they sound again, or the take kept would be silent. The tune's own track, for an
        Arrange, Rewrite or Regenerate take (``tune_sounded_again``); the track of a new part, where a keep
        of another take put that part (``_new_parts_kept_before``), for an Add a part or Arrange take."""
        if take.request is None:
            return ()
        muted_by_keeps = self.kept.tracks_muted_by_others_of(take)
        parts = self._new_parts_kept_before(take).values()
        again = {t.id for t in self.tune_sounded_again(project, take)} | (set(parts) & muted_by_keeps)
        return tuple(t for t in project.tracks if t.id in again)

    def tune_sounded_again(self, project: Project, take: Take) -> tuple[Track, ...]:
        """The tune's own track, when keeping ``take`` (Arrange, Rewrite, Regenerate) in place puts its
        notes back there and a keep of another take of its Generate as new tracks muted it: it sounds
        again, or the take kept would be silent."""
        if take.request is None or take.request.mode not in (ARRANGE, RESTYLE, REGENERATE):
            return ()
        muted_by_keeps = self.kept.tracks_muted_by_others_of(take)
        return tuple(t for t in project.tracks if t.id == take.request.track_id and t.id in muted_by_keeps)

    def _new_parts_kept_before(self, take: Take) -> dict[int, int]:
        """{new part's id: the track an earlier keep of its Generate put that part in} for ``take``'s new
        parts (Arrange's piano and bass), so a second take kept in place replaces the first's parts in
        their tracks rather than adding a second piano and bass beside them; a part the earlier take left
        silent has no track yet (``KeptTakes.parts_added_in_place_by_others_of``)."""
        if not any(track_id <= NEW_TRACK for track_id, _ in take.parts):
            return {}
        kept = self.kept.parts_added_in_place_by_others_of(take)
        return {track_id: kept[track_id] for track_id, _ in take.parts if track_id in kept}

    def takes_in_place_of(self, take: Take) -> list[int]:
        """The numbers of the takes of ``take``'s Generate, kept before it, whose notes keeping it in place
        takes out (not one kept as a new track beside it): said before the user keeps it
        (``_takes_given_way`` after)."""
        kept_before = self.kept.put_by_others_of(take)
        if not kept_before:
            return []
        project = self.state.document.project
        now = {n.id for t in project.tracks for n in t.notes}
        left = {n.id for t in self.with_take(project, take, False)[0].tracks for n in t.notes}
        return sorted(number for number, put in kept_before if put & (now - left))

    def holding(self, project: Project, take: Take, numbers: list[int]) -> tuple[Track, ...]:
        """The sounding tracks of ``project`` holding notes the keeps of the takes ``numbers`` of ``take``'s
        Generate put in the score: where those takes play."""
        put = frozenset().union(
            *(ids for number, ids in self.kept.put_by_others_of(take) if number in numbers)
        )
        return tuple(t for t in project.tracks if not t.mute and any(n.id in put for n in t.notes))

    def _takes_given_way(self, take: Take) -> list[int]:
        """The numbers of the takes of ``take``'s Generate, kept before it, whose notes its keep took out."""
        ids = {n.id for t in self.state.document.project.tracks for n in t.notes}
        return sorted(number for number, put in self.kept.put_by_others_of(take) if put - ids)

    def _track_gone(self, take: Take) -> bool:
        """Whether a track ``take`` was drawn for is no longer in the piece (deleted, or its adding undone)."""
        ids = {t.id for t in self.state.document.project.tracks}
        wanted = [track_id for track_id, _ in take.parts] if take.parts else [take.request.track_id]
        return any(track_id >= 0 and track_id not in ids for track_id in wanted)

    # -- keep ----------------------------------------------------------------------------------------------
    def keep(self, new_track: bool = False) -> bool:
        """Put the current take into the score as one undo step; the other takes stay listed (to compare,
        or keep as well) until Discard All or the next Generate, and undoing the keep lists it again. A take
        that changes nothing (empty, or the very notes already there) leaves the list with no step, no taste
        and a message saying so: nothing else's undo may bring it back. Returns whether it was kept."""
        owner = self.owner
        take = owner.current_take()
        if take is None:
            return False
        row = owner.takes_panel.current_row()
        owner.stop_audition()
        gone = not new_track and self._track_gone(take)
        over = () if gone else continued_over(self.state.document.project, take.request, take)
        project = self.state.document.project
        silenced = self.silenced(project, take, new_track)
        sounded = () if new_track else self.sounded_again(project, take)  # what with_take unmutes
        with_it, track_id = self.with_take(project, take, new_track)
        keyed = self.keyed(project, with_it, take)
        text = (
            QCoreApplication.translate("GenerateController", "Keep take %1 as new track")
            if new_track or gone
            else QCoreApplication.translate("GenerateController", "Keep take %1")
        ).replace("%1", str(take.number))
        if not owner.editor.push(keyed, text, active=track_id):
            self._take_off_the_list(take, row)
            owner.window.statusBar().showMessage(
                QCoreApplication.translate(
                    "GenerateController", "Take %1 adds nothing to the score: nothing to keep"
                ).replace("%1", str(take.number)),
                8000,
            )
            return False
        owner.taste.record(take.features, True, take.style, take.engine)
        given_way = self._takes_given_way(take)
        # what it plays over, as the keep left the piece: a take gone to a new track (its track gone) too
        under = self.continued_under(self.state.document.project, take)
        self.kept.pushed(take, row, in_place=not (new_track or gone))
        self._take_off_the_list(take, row)
        said = self._kept_said(take, new_track, gone, given_way, over) + owner.kept_over_takes_note(*under)
        said += owner.muted_note(silenced, sounded) + self._key_set_note(project, keyed)
        owner.window.statusBar().showMessage(said, 8000)
        return True

    @staticmethod
    def keyed(before: Project, with_it: Project, take: Take) -> Project:
        """``with_it`` (the piece ``before`` with ``take`` kept, in place or as a new track: the part is in
        the piece either way) with the key a part added over drums alone was written in as its key
        signature, when the piece has none (``with_key_written_in``): in the keep's own undo step, so one
        Undo takes out the part and the key signature, and Redo brings both. A take that adds nothing sets
        no key either: there is nothing to keep."""
        if with_it == before or take.request is None:
            return with_it
        return with_key_written_in(with_it, take.request.key_written_over_drums)

    def key_to_set_note(self, take: Take) -> str:
        """What the Takes panel says, before the keep, of the key signature keeping ``take`` (in place or as
        a new track) gives the piece as it is now (``keyed``): said after only, it came as a surprise."""
        if take.request is None:
            return ""
        project = self.state.document.project
        keyed = with_key_written_in(project, take.request.key_written_over_drums)
        if keyed is project:
            return ""
        return QCoreApplication.translate(
            "GenerateController",
            "The piece has no key signature: keeping this take sets it to %1, the key the part was written in.",
        ).replace("%1", key_label(keyed.key))

    @staticmethod
    def _key_set_note(before: Project, after: Project) -> str:
        """What the status bar adds when a keep set the piece's key signature (``keyed``)."""
        if after.key is None or before.key is not None:
            return ""
        return QCoreApplication.translate(
            "GenerateController", ", and set the key signature to %1, the key the part was written in"
        ).replace("%1", key_label(after.key))

    def _kept_said(self, take: Take, new_track: bool, gone: bool, given_way: list[int], over: tuple) -> str:
        """What the status bar says of the keep of ``take``: where it went, and what gave way to it."""
        said = (
            QCoreApplication.translate("GenerateController", "Its track is gone: kept take %1 in a new track")
            if gone
            else QCoreApplication.translate("GenerateController", "Kept take %1")
        ).replace("%1", str(take.number)) + self.owner.given_way_note(given_way)
        if not (new_track or gone):
            said += self.owner.under_the_tune_kept_note(take.request)
        return said + self.owner.kept_over_note(over, take, new_track)

    def _on_keep_undone(self, take: Take, row: int) -> None:
        """The keep of ``take`` was undone: list it again where it was, current, ready to audition (beside
        the takes of another Generate, when a cancelled one showed it early). A take shown early may be
        listed again already, as a new object with the rest of its run."""
        owner = self.owner
        if row_listing(owner.takes, take) < 0:
            owner.taste.withdraw(take.features, True)  # the user did not stand by that keep
            owner.generation.back_again(take)
            row = max(0, min(row, len(owner.takes)))
            owner.set_takes((*owner.takes[:row], take, *owner.takes[row:]), row)
        owner.window.statusBar().showMessage(  # in place of "Kept take N", which no longer holds
            QCoreApplication.translate("GenerateController", "Keep undone: take %1 is listed again").replace(
                "%1", str(take.number)
            ),
            8000,
        )

    def _on_keep_redone(self, take: Take, _row: int) -> None:
        """The keep of ``take`` was redone: it is in the score again, so it leaves the list again (if listed:
        a Discard All or a new Generate since took it off), and the status bar says so in place of "Keep
        undone", which no longer holds."""
        owner = self.owner
        if (row := row_listing(owner.takes, take)) >= 0:
            owner.taste.record(take.features, True, take.style, take.engine)
            owner.generation.dealt_with(take)
            rest = owner.takes[:row] + owner.takes[row + 1 :]
            current = owner.takes_panel.current_row()
            current = current - (current > row) if current != row else min(row, len(rest) - 1)
            owner.set_takes(rest, max(0, current))
        owner.window.statusBar().showMessage(
            QCoreApplication.translate("GenerateController", "Kept take %1 again").replace(
                "%1", str(take.number)
            ),
            8000,
        )

    # -- discard -------------------------------------------------------------------------------------------
    def discard(self) -> None:
        take = self.owner.current_take()
        if take is None:
            return
        self.owner.taste.record(take.features, False, take.style, take.engine)
        self._take_off_the_list(take, self.owner.takes_panel.current_row())

    def _take_off_the_list(self, take: Take, row: int) -> None:
        """``take`` (listed at ``row``) is dealt with: it leaves the list, and a take shown early is not
        listed again when the rest of its run comes."""
        self.owner.generation.dealt_with(take)
        rest = tuple(t for t in self.owner.takes if t is not take)
        self.owner.set_takes(rest, min(row, len(rest) - 1) if rest else 0)

    def discard_all(self) -> None:
        """Every take listed goes; a take kept before is not among them, so undoing its keep still lists it
        again: the user takes back a keep, not the discard (after a later Generate too, beside its takes)."""
        for take in self.owner.takes:
            self.owner.taste.record(take.features, False, take.style, take.engine)
            self.owner.generation.dealt_with(take)
        self.owner.set_takes(())

    # -- drag out ------------------------------------------------------------------------------------------
    def drag_out(self, row: int) -> None:
        """A take dragged out of the Takes panel leaves the app as a .mid file, from its first bar. A part
        added over drums alone carries the key it was written in as the file's one key signature, whatever
        the piece's (none, or another than the key the panel gave): the file holds the part alone, and a
        DAW reads its key from it."""
        owner = self.owner
        take = owner.takes[row] if 0 <= row < len(owner.takes) else None
        if take is None or not take.notes:
            return
        project = self.state.document.project
        with_it, _track_id = self.with_take(project, take, True)  # the take in new tracks of its own
        before = {t.id for t in project.tracks}
        parts = [(t, None) for t in with_it.tracks if t.id not in before]
        clip = clip_project(with_it, parts, origin=take.start)
        if take.request is not None and (key := take.request.key_written_over_drums) is not None:
            clip = replace(clip, key=key, key_changes=())
        name = QCoreApplication.translate("GenerateController", "Take %1").replace("%1", str(take.number))
        name += " " + style_label(take.style)
        owner.window.drag_out.start(owner.takes_panel.list, clip, name, owner.take_colours.of(take).name())
