"""Insert Bars and Delete Bars: whole bars of time put into the piece or taken out of it, on every track.

Both are pure functions of a Project, measured in the piece's own bars (a 3/4 bar after a 4/4 one is three
beats long). Everything timed moves with the music it belongs to: notes, controllers, lyrics and other
text, kept-verbatim events, tempo, meter and key changes, markers and the piece's end. Ids are kept, so an
edited note is the same note to the views; the undo step keeps the piece as it was.

What a note crossing the cut does follows one idea for both edits: the music on either side of it sounds
as it did. A note held across the bar line where bars are inserted is held on through them (a chord or a
pedal tone going into the next bar still sounds there, and Delete Bars of the same bars gives back the
piece); a note held into bars being deleted is cut where they start, and one held right across them is
shortened by their length.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from musestudio.core.events import SOUND_CHOICE, ControlEvent, RawEvent, TextEvent, lane_default
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.core.timing import bar_ticks, ticks_to_bar_beat
from musestudio.core.track import Track, as_sent, sends_only_its_lanes, sent_controls, start_settings

#: Text that names the piece or a track rather than sounding at a moment (a copyright, an instrument's
#: name): deleting the bars it lies in moves it to the cut, as a file's set-up at bar 1 must survive
#: deleting an empty first bar. Lyrics, cues and plain text belong to the music of their bars and go, but
#: for those a file states at tick 0 before them (``_set_up_texts``).
_NAMING_TEXTS = ("copyright", "instrument_name", "program_name", "device_name")


# -- bars ------------------------------------------------------------------------------------------------


def bar_line(time_signatures: Sequence[TimeSignature], tpb: int, index: int) -> int:
    """The tick of bar line ``index`` (0: bar 1), however far after the last event it lies."""
    count = 0
    for i, sig in enumerate(time_signatures):
        length = bar_ticks(sig, tpb)
        if i + 1 == len(time_signatures):
            return sig.tick + (index - count) * length
        here = -(-(time_signatures[i + 1].tick - sig.tick) // length)  # a bar cut short counts
        if index < count + here:
            return sig.tick + (index - count) * length
        count += here
    raise AssertionError("a piece always has a time signature")


def bar_index(project: Project, tick: int) -> int:
    """The index of the bar holding ``tick`` (0: bar 1)."""
    return ticks_to_bar_beat(tick, project.time_signatures, project.ticks_per_beat).bar - 1


def bars_span(project: Project, first: int, count: int) -> tuple[int, int]:
    """The ticks from bar line ``first`` (an index) to ``count`` bars after it."""
    sigs, tpb = project.time_signatures, project.ticks_per_beat
    return bar_line(sigs, tpb, first), bar_line(sigs, tpb, first + count)


def bars_covering(project: Project, start: int, end: int) -> tuple[int, int]:
    """The whole bars that ``start``..``end`` touches, as ticks: a loop dragged a little short of a bar
    line still means that bar."""
    first, last = bar_index(project, start), bar_index(project, max(start, end - 1))
    return bars_span(project, first, last - first + 1)


def inserted_length(project: Project, at: int, count: int) -> int:
    """Ticks of ``count`` new bars at bar line ``at``: bars of the meter in force there."""
    return count * bar_ticks(project.meter_at(at), project.ticks_per_beat)


# -- where a tick goes -------------------------------------------------------------------------------------


def tick_after_insert(tick: int, at: int, length: int) -> int:
    """Where something at ``tick`` lies once ``length`` ticks are inserted at ``at``."""
    return tick + length if tick >= at else tick


def playhead_after_insert(tick: int, at: int, length: int) -> int:
    """Where the playhead goes once ``length`` ticks are inserted at ``at``: with the music it was on, unless
    it was on that bar line: bars inserted at the playhead are there to be written into, so it stays at
    their start."""
    return tick if tick == at else tick_after_insert(tick, at, length)


def tick_after_delete(tick: int, start: int, end: int) -> int:
    """Where a moment at ``tick`` lies once ``start``..``end`` is taken out (inside it: at the cut)."""
    if tick <= start:
        return tick
    return start if tick < end else tick - (end - start)


def tick_before_insert(tick: int, at: int, length: int) -> int:
    """Where a moment at ``tick`` lay before ``length`` ticks were inserted at ``at`` (in them: at ``at``),
    as undoing Insert Bars takes a playhead moved since back to the same music."""
    if tick < at:
        return tick
    return at if tick < at + length else tick - length


def tick_before_delete(tick: int, start: int, end: int) -> int:
    """Where a moment at ``tick`` lay before ``start``..``end`` was taken out (at the cut: where the bars
    begin), as undoing Delete Bars takes a playhead moved since back to the same music."""
    return tick + (end - start) if tick > start else tick


# -- Insert Bars -----------------------------------------------------------------------------------------


def insert_bars(project: Project, at: int, count: int) -> Project:
    """``count`` empty bars put in at bar line ``at``, in the meter in force there; whatever lay at or after
    ``at`` comes that much later on every track.

    The new bars take the tempo, meter and key of the bar they are put before: a change starting at ``at``
    stays there, and the bar that was there keeps it. Bars put in before bar 1 come after the set-up a file
    states at tick 0 (its controls and kept events, ``_set_up_texts``); markers and everything else there
    move with bar 1's music, as do the controls a track sends after bar 1's first notes and the SysEx it
    sends after those (``_controllers_inserted``, ``_kept_inserted``). A note sounding across ``at`` is
    held on through the new bars (module docstring), as the controllers in force at ``at`` are: a pedal
    down stays down. Bars put in at the
    piece's end or after it are silent bars of the piece (``Project.end_of_track``), so they play and
    export with it, as do the silent bars between its old end and them; the end they replace is kept
    (``_end_before``) for Delete Bars of the same bars to give back.
    """
    if count <= 0:
        return project
    length = inserted_length(project, at, count)

    def later(items, set_up: int = 0):  # events at ``at`` go with the music there, but for the set-up
        return tuple(
            replace(e, tick=e.tick + length) if e.tick >= at and (e.tick or i >= set_up) else e
            for i, e in enumerate(items)
        )

    def after(items):  # conductor changes at ``at`` stay: the new bars are in their tempo, meter and key
        return tuple(replace(e, tick=e.tick + length) if e.tick > at else e for e in items)

    def note(n: Note) -> Note:
        if n.start >= at:
            return n.moved(length)
        return n.with_duration(n.duration + length) if n.end > at else n

    def track(t: Track) -> Track:
        return t.with_(
            notes=tuple(note(n) for n in t.notes),
            controllers=_controllers_inserted(t, at, length),
            texts=later(t.texts, _texts_staying(t, at)),
            extra_events=_kept_inserted(t, at, length),
        )

    end, end_before = project.end_of_track, None
    if project.length <= at:
        end = at + length
        end_before = _end_before(project, at, end)
    elif end >= at:
        end += length
    return replace(
        project,
        tracks=tuple(track(t) for t in project.tracks),
        tempos=after(project.tempos),
        time_signatures=after(project.time_signatures),
        key_changes=after(project.key_changes),
        markers=tuple(m.with_tick(m.tick + length) if m.tick >= at else m for m in project.markers),
        texts=later(project.texts, _set_up_texts(project.texts)),
        extra_events=later(project.extra_events, len(project.extra_events)),
        end_of_track=end,
        end_before_bars=end_before,
    )


def _controllers_inserted(track: Track, at: int, length: int) -> tuple[ControlEvent, ...]:
    """``track``'s controllers with ``length`` ticks put in at ``at``: those at or after it later, but for
    the set-up at tick 0 (bars put in before bar 1 come after it); one sent there after bar 1's first notes
    (``ControlEvent.after_strikes``: a sostenuto holding the first chord, a program for the next note) is
    no set-up but goes with those notes, and stays after them."""
    late = track.after_strikes_at() if at == 0 else frozenset()
    return tuple(
        e.moved(length) if e.tick >= at and (e.tick or (e.after_strikes and 0 in late)) else e
        for e in track.controllers
    )


def _kept_inserted(track: Track, at: int, length: int) -> tuple[RawEvent, ...]:
    """``track``'s kept events with ``length`` ticks put in at ``at``: those at or after it later, but for
    the set-up at tick 0; a SysEx sent there after a controller that goes with bar 1's first notes
    (``_controllers_inserted``) goes with it, still after it and after the texts that moved with it."""
    later = tuple(
        replace(e, tick=e.tick + length) if e.tick >= at and e.tick else e for e in track.extra_events
    )
    if at or 0 not in track.after_strikes_at():
        return later
    # how many controls the track sends at tick 0 before bar 1's first notes, and texts that stay there
    early = _controls_before_strikes(track)
    set_up = _texts_staying(track, at)
    return tuple(
        replace(
            e,
            tick=length,
            after_controls=e.after_controls - early,
            after_texts=max(0, e.after_texts - set_up),
        )
        if e.tick == 0 and e.after_controls > early
        else e
        for e in later
    )


def _controls_before_strikes(track: Track) -> int:
    """How many controls ``track`` sends at tick 0 before bar 1's first notes: its set-up."""
    return sum(e.tick == 0 and not e.after_strikes for e in sent_controls(track))


def _texts_staying(track: Track, at: int) -> int:
    """How many of ``track``'s texts stay at tick 0 when bars go in at ``at``: the set-up texts
    (``_set_up_texts``), but for those sent after a SysEx that goes with bar 1's first notes
    (``_kept_inserted``): sent after the notes, they go with them too, still after it, so that deleting the
    bars gives back their order."""
    set_up = _set_up_texts(track.texts)
    if at or 0 not in track.after_strikes_at():
        return set_up
    early = _controls_before_strikes(track)
    moving = (e.after_texts for e in track.extra_events if e.tick == 0 and e.after_controls > early)
    return min([set_up, *moving])


def _end_before(project: Project, at: int, end: int) -> tuple[int, int, int]:
    """``Project.end_before_bars`` for bars from ``at`` to ``end`` put in at or after the piece's end: the
    end it had, which no rule can tell from the bars alone (a piece ending at its last note and one a
    file gave silent bars up to ``at`` look the same now). Bars put in right after bars inserted there
    before (Insert Bars twice) add to those: deleting them all gives back the end before the first."""
    kept = project.end_before_bars
    if kept is not None and kept[2] == at == project.end_of_track:
        return kept[0], kept[1], end
    return project.end_of_track, at, end


def _set_up_texts(texts: Sequence[TextEvent]) -> int:
    """How many of ``texts`` (by tick, in the order sent) set up the piece or the track rather than go with
    bar 1's music, as its controllers and kept events at tick 0 do (a GM reset, a pan, a bank): bars
    inserted at the start come after them, or a GM reset sent after a track's program would put the track
    back on a piano. Those are the texts at tick 0 before its first lyric there (a copyright, a comment):
    lyrics sing with bar 1's notes and move, and what a file sends after them moves with them, so
    deleting the bars again gives back their order."""
    return next((i for i, e in enumerate(texts) if e.tick or e.kind == "lyrics"), len(texts))


# -- Delete Bars -----------------------------------------------------------------------------------------


def delete_bars(project: Project, start: int, end: int) -> Project:
    """The bars from ``start`` to ``end`` (bar lines) taken out; what follows them comes that much earlier.

    Notes starting in them go, and those held into them are cut (module docstring). The piece's stated end
    in them moves to the cut, where that is after its last note: deleting its last bars shortens it by
    them. Bars that Insert Bars put in at or after the end, deleted again, give back the end the piece had
    before (``Project.end_before_bars``), taking the silent bars up to them too: inserting and deleting
    them leaves the piece as long as it was, ending at its last note or where its file said. Markers,
    lyrics, cues and text in them go, but for the text a file states at tick 0 before its music
    (``_set_up_texts``: a comment on the piece), which stays there, as Insert Bars before bar 1 leaves
    it. What the bars set stays set after them: the tempo, meter and key in force at ``end`` are in force
    from ``start`` on, and so is every controller a track changed in them (a program change, the volume,
    a pedal still down). Kept-verbatim events (SysEx and the like, which the
    app cannot read) and the texts that name a track or the piece move to the cut rather than vanish: they
    set things up for what follows as often as not, and go out among the texts there in the order the file
    sent them (``_texts_before``); from bar 1, they and the controllers the bars set go out after the
    track's own set-up at the start (a GS reset there would undo them).
    """
    if end <= start:
        return project

    def moved(e):
        return replace(e, tick=tick_after_delete(e.tick, start, end))

    def outside(items):
        return tuple(moved(e) for e in items if not start <= e.tick < end)

    def kept(items: Sequence[RawEvent], texts: Sequence[TextEvent]):  # moved to the cut, among its texts
        return tuple(
            replace(moved(e), after_texts=_texts_before(texts, e, start, end))
            if start <= e.tick <= end
            else moved(e)
            for e in items
        )

    def texts(items: Sequence[TextEvent]):
        set_up = _set_up_texts(items) if start == 0 else 0
        return tuple(
            moved(e)
            for i, e in enumerate(items)
            if not start <= e.tick < end or e.kind in _NAMING_TEXTS or i < set_up
        )

    def track(t: Track) -> Track:
        return _controllers_deleted(
            t.with_(
                notes=tuple(n for n in (_note_deleted(n, start, end) for n in t.notes) if n is not None),
                texts=texts(t.texts),
                extra_events=kept(t.extra_events, t.texts),
            ),
            t,
            start,
            end,
        )

    out = replace(
        project,
        tracks=tuple(track(t) for t in project.tracks),
        tempos=_changes_deleted(project.tempos, start, end),
        time_signatures=_changes_deleted(project.time_signatures, start, end),
        key_changes=_changes_deleted(project.key_changes, start, end),
        markers=outside(project.markers),
        texts=texts(project.texts),
        extra_events=kept(project.extra_events, project.texts),
        end_of_track=_end_after_delete(project, start, end),
        end_before_bars=None,
    )
    return out if out.end_of_track > out.end else replace(out, end_of_track=0)  # as a MIDI file's is read


def _end_after_delete(project: Project, start: int, end: int) -> int:
    """The piece's stated end once ``start``..``end`` is taken out: the one it had before Insert Bars put
    these very bars at or after its end, while they still end it; else its own, moved with the music."""
    kept = project.end_before_bars
    if kept is not None and kept[1:] == (start, end) and project.end_of_track == end:
        return kept[0]
    return tick_after_delete(project.end_of_track, start, end)


def _note_deleted(n: Note, start: int, end: int) -> Note | None:
    if start <= n.start < end:
        return None
    if n.start >= end:
        return n.moved(start - end)
    if n.end <= start:
        return n
    return n.with_end(tick_after_delete(n.end, start, end))


def _changes_deleted(changes, start: int, end: int):
    """Tempo, meter or key changes with ``start``..``end`` taken out: the one in force at ``end``, where it
    started in the bars taken out or at their end, starts at ``start`` instead."""
    in_force = [c for c in changes if start <= c.tick <= end]
    carried = (replace(in_force[-1], tick=start),) if in_force else ()
    later = tuple(replace(c, tick=c.tick - (end - start)) for c in changes if c.tick > end)
    return (*(c for c in changes if c.tick < start), *carried, *later)


def _controllers_deleted(track: Track, old: Track, start: int, end: int) -> Track:
    """``track`` with ``old``'s controllers from ``start`` to ``end`` taken out, each lane left where those
    bars set it: a lane's last event in them moves to ``start`` where it sets something new there and no
    event of the lane at ``end`` takes over (one sent after the notes struck there does not: they play
    with what the bars left). Each SysEx stays among the controls as it was sent
    (``_kept_among_controls``, ``_in_time_order``).

    From bar 1, what the track states at tick 0 is its set-up for the whole piece (a file's pan, bank and
    pedal, defaults too): it stays as stated where the bars deleted change that lane no further. The
    track's program and volume are its settings there, not events: what the lanes leave at tick 0 is read
    back into them (``_read_start``), and what the bars sent goes out after what was sent at tick 0 before
    (``_in_time_order``). Bars that set nothing (those Insert Bars put in before bar 1) leave the start as
    it was: read again, a part that keeps its programs at tick 0 as lane events (a set-up part without
    notes) would come back with its own program's place among them changed."""
    sent = old.settings_and_lanes()  # with the program and volume the track starts with
    events = sent if start == 0 else old.controllers
    # one sent at ``end`` after the notes struck there takes nothing over from the bars: those notes, at
    # the cut now, play with what was in force before it
    late = old.after_strikes_at()
    takes_over = {id(e) for e in events if e.tick == end and not (e.after_strikes and end in late)}
    if start == 0:
        changed = {e.lane for e in events if 0 < e.tick < end or id(e) in takes_over}
        earlier = [e for e in events if e.tick == 0 and e.lane not in changed]
    else:
        earlier = [e for e in events if e.tick < start]
    # what the file sent before the bars: a program or volume it left unsaid sets nothing there, so one the
    # bars set is carried to the cut, where the file sent it, not stated at tick 0
    before = {e.lane: e.value for e in as_sent(old, sent) if e.tick < start}
    stays = {id(e) for e in earlier}
    last = {e.lane: e for e in events if start <= e.tick < end and id(e) not in stays}
    at_end = {e.lane for e in events if id(e) in takes_over}
    carried = [
        e
        for e in events
        if last.get(e.lane) is e
        and e.lane not in at_end
        and (start == 0 or before.get(e.lane, lane_default(e.lane)) != e.value)
    ]
    later = [e for e in events if e.tick >= end]
    # a value carried to the cut is in force for the notes struck there: sent before them
    at_cut = (replace(e, tick=start, after_strikes=False, after_releases=False) for e in carried)
    kept = [*earlier, *at_cut, *(e.moved(start - end) for e in later)]
    sources = [*earlier, *carried, *later]  # the event each of ``kept`` was made from
    if start:
        made_from = {id(now): was for now, was in zip(kept, sources, strict=True)}
        return _kept_among_controls(track.with_controllers(kept), old, made_from, start)
    moments = _sent_moments(old, sent)
    sent_at = moments | {id(now): moments[id(was)] for now, was in zip(kept, sources, strict=True)}
    if changed:
        track = _read_start(track, kept, old)
    else:  # the bars set nothing: the start stays as it was, read again it could come out otherwise
        moved = {id(was): now for now, was in zip(kept, sources, strict=True)}
        track = track.with_controllers(moved.get(id(e), e) if e.tick else e for e in old.controllers)
    return _in_time_order(track, old, _Start(sent, kept, sent_at, end))


def _kept_among_controls(track: Track, old: Track, made_from: dict[int, ControlEvent], start: int) -> Track:
    """``track`` (``old`` with bars from ``start``, after bar 1, deleted; ``made_from``: the event of ``old``
    each of its controllers was made from, by id) with each SysEx sent among its controls where the file
    sent it (``RawEvent.after_controls``): one moved to the cut after those there that came before it (a
    pan the bars left set, which a GS reset sent after it undid, and those at the bars' end it came after),
    one at tick 0 after the same ones there where the track sends fewer now (its notes gone with the
    bars, a part on MIDI's defaults sends its lanes alone, ``sends_only_its_lanes``: counted among what it
    sent, a reset would go out after a bend the file sent after it, and undo it)."""
    was_sent = sent_controls(old)
    moments = _moments(was_sent)
    own = {id(e) for e in old.controllers}
    settings = {e.lane: moments[id(e)] for e in was_sent if id(e) not in own}  # its volume and program
    sent = sent_controls(track)

    def when(tick: int) -> list[tuple[int, int]]:
        return [
            moments[id(made_from[id(e)])] if id(e) in made_from else settings[e.lane]
            for e in sent
            if e.tick == tick
        ]

    recounted = {start, *((0,) if sends_only_its_lanes(track) != sends_only_its_lanes(old) else ())}
    kept = [
        replace(now, after_controls=_after_controls(when(now.tick), was))
        if now.tick in recounted and was.data[0] != 0xFF  # a SysEx, sent among the controls
        else now
        for now, was in zip(track.extra_events, old.extra_events, strict=True)
    ]
    return track.with_(extra_events=tuple(kept))


def _after_controls(when: list[tuple[int, int]], was: RawEvent) -> int:
    """``RawEvent.after_controls`` for ``was`` among controls sent when ``when`` says (each as
    ``(tick, how many went before it there)`` before the edit): after the last of them sent before it."""
    before = [p for p, w in enumerate(when) if w < _sent(was)]
    return before[-1] + 1 if before else 0


def _sent(event: RawEvent) -> tuple[int, int]:
    """When a SysEx was sent among its track's controls: its tick and how many went before it there."""
    return event.tick, event.after_controls


def _sent_moments(old: Track, sent: Sequence[ControlEvent]) -> dict[int, tuple[int, int]]:
    """When each of ``sent`` (``old.settings_and_lanes()``) was sent, by id, as Export MIDI sends it
    (``sent_controls``, what ``RawEvent.after_controls`` counts): a part that sent its lanes alone sent no
    volume or program; those, stated once it sends them, are taken as sent first (MIDI's defaults, which a
    reset sets again), and so was a volume or program its file left unsaid (``Track.program_stated``)."""
    if sends_only_its_lanes(old):
        moments = _moments(old.controllers)
    else:
        moments = _moments(as_sent(old, sent))
    return {id(e): moments.get(id(e), (0, -1)) for e in sent}


def _moments(events: Iterable[ControlEvent]) -> dict[int, tuple[int, int]]:
    """When each of ``events`` (in the order sent) is sent, by id: its tick and how many go before it
    there."""
    out, tick, n = {}, -1, 0
    for e in events:
        n = n + 1 if e.tick == tick else 0
        tick = e.tick
        out[id(e)] = (tick, n)
    return out


def _read_start(track: Track, events: list[ControlEvent], old: Track) -> Track:
    """The track whose events, in the order they are sent (``Track.settings_and_lanes``), are ``events``,
    its settings read from them as a MIDI file's are (``start_settings``), its lanes kept in ``old``'s
    order where that sends the same (``_as_kept``)."""
    at_program, at_volume, program_after = start_settings([(e.tick, e.lane, e.after_strikes) for e in events])
    settings = {i for i in (at_program, at_volume) if i is not None}
    lanes = {e.id for e in old.controllers}  # a lane event read as a setting was sent: it is stated

    def stated(at: int | None, was: bool) -> bool:
        return was or (at is not None and events[at].id in lanes)

    return track.with_(
        program=events[at_program].value if at_program is not None else track.program,
        volume=events[at_volume].value if at_volume is not None else track.volume,
        program_stated=stated(at_program, old.program_stated),
        volume_stated=stated(at_volume, old.volume_stated),
        program_after=program_after,
        controllers=_as_kept([e for i, e in enumerate(events) if i not in settings], old),
    )


def _as_kept(events: list[ControlEvent], old: Track) -> tuple[ControlEvent, ...]:
    """``events`` (lanes in the order they are sent) in the order ``old`` kept them where that sends the same.

    At tick 0 a track sends its bank selects and programs before its other lanes however the two are
    interleaved (``Track.settings_and_lanes``), so the order they are sent in does not tell the order
    they were kept in; but a part without notes sends its lanes as kept (``sends_only_its_lanes``: a
    file's set-up track, a pan then a program 0). Each of the two goes in the order sent, interleaved as
    ``old`` kept them: with bar 1 deleted, such a part still sends its pan before its program, as its
    file did."""
    at_zero = [e for e in events if e.tick == 0]
    rank = {e.id: i for i, e in enumerate(old.controllers)}

    def ranked(group: list[ControlEvent]) -> list[tuple[int, ControlEvent]]:
        out, last = [], -1
        for e in group:  # one the track held as a setting (its own program) stays after the one before it
            last = rank.get(e.id, last)
            out.append((last, e))
        return out

    sound = ranked([e for e in at_zero if e.lane in SOUND_CHOICE])
    lanes = ranked([e for e in at_zero if e.lane not in SOUND_CHOICE])
    merged = heapq.merge(sound, lanes, key=lambda r: r[0])  # each keeps its own order, whatever the ranks
    return (*(e for _, e in merged), *events[len(at_zero) :])


@dataclass(frozen=True)
class _Start:
    """What Delete Bars from bar 1 leaves at tick 0: ``sent``, the track's events as it sent them before;
    ``events``, those it sends now, in order; ``sent_at``: when each of those and of ``sent`` was sent
    before, by id, as ``(tick, how many went before it there)`` (the deleted bars' at their own tick);
    ``end``: where the deleted bars end."""

    sent: tuple[ControlEvent, ...]
    events: list[ControlEvent]
    sent_at: dict[int, tuple[int, int]]
    end: int


def _in_time_order(track: Track, old: Track, start: _Start) -> Track:
    """``track`` (``old`` with its first bars deleted, its settings read again) sending what it sends at
    tick 0 in the order it sent it: what the deleted bars sent after what ``old`` sent at tick 0; a kept
    event after the controls that went before it (``RawEvent.after_controls``: a GS part level from the
    bars after the reset at tick 0), a volume or program from the bars after the kept events that went
    before it (``Track.volume_after``, ``Track.sound_before_lanes``). Sent before a GS reset at tick 0, they
    were undone by it, and the part played at full level, or a piano, where before the edit it did not."""
    moved = {
        i
        for i, (now, was) in enumerate(zip(track.extra_events, old.extra_events, strict=True))
        if now.tick == 0 and was.tick
    }
    among = bool(moved) or any(e.tick == 0 and e.after_controls for e in old.extra_events)
    if among:  # else no SysEx lies among its controls at tick 0: their order stays as it was
        at_start = [e for i, e in enumerate(old.extra_events) if e.tick == 0 or i in moved]
        track = track.with_(sound_before_lanes=_sound_before_lanes(track, old, start, at_start))
    when = _when_sent(track, old, start)
    kept = list(track.extra_events)
    for i, was in enumerate(old.extra_events):
        if (was.tick == 0 or i in moved) and was.data[0] != 0xFF:  # a SysEx, sent among the controls
            kept[i] = replace(kept[i], after_controls=_after_controls(when, was))
    track = track.with_(extra_events=tuple(kept))
    states_volume = track.volume_stated and not sends_only_its_lanes(track)  # first sent (``when[0]``)
    if among and states_volume and when[0][0]:  # a volume the bars set: after the kept events before it
        sent_before = sum(
            e.tick == 0 or (i in moved and (e.tick, e.after_controls) <= when[0])
            for i, e in enumerate(old.extra_events)
        )
        track = track.with_(volume_after=sent_before or None)
    return track


def _sound_before_lanes(track: Track, old: Track, start: _Start, sysex: list[RawEvent]) -> int | None:
    """How many of ``track``'s bank selects and programs at tick 0 go before its other lanes once the bars
    are deleted (``Track.sound_before_lanes``): those that went so before, one the bars set after them;
    but where that sends fewer controls on the other side of a SysEx now there (``sysex``) than they were
    sent, or sends them out of their order where another count does not, the count that does best (a
    program from bar 1 goes before a bend sent after it there, and after a GM reset between them). The
    track cannot send a bank select or program between two other lanes (``Track.settings_and_lanes``):
    where the file did, one side of a reset is kept for as many as it can."""
    sound = [e for e in start.sent if e.tick == 0 and e.lane in SOUND_CHOICE]
    first = {id(e) for e in sound[: len(sound) if old.sound_before_lanes is None else old.sound_before_lanes]}
    # those sent after the notes struck at tick 0 go after all of these anyway: they count for neither
    now = [e for e in start.events if e.tick == 0 and e.lane in SOUND_CHOICE and not e.after_strikes]
    early = next((n for n, e in enumerate(now) if id(e) not in first), len(now))
    counts = [early, *(n for n in range(len(now) + 1) if n != early)]
    resets = [_sent(e) for e in sysex if e.data[0] != 0xFF]

    def misplaced(count: int) -> tuple[int, bool]:
        when = _when_sent(track.with_(sound_before_lanes=_or_none(count, now)), old, start)
        return _across_resets(when, resets), when != sorted(when)

    return _or_none(min(counts, key=misplaced), now)  # the first of the best: ``early`` where it is


def _or_none(count: int, sound: list[ControlEvent]) -> int | None:
    return count if count < len(sound) else None


def _across_resets(when: list[tuple[int, int]], resets: list[tuple[int, int]]) -> int:
    """How many controls sent when ``when`` says go out before a SysEx sent at one of ``resets`` that they
    came after (each SysEx goes after the last control sent before it, ``_after_controls``)."""
    out = 0
    for reset in resets:
        before = [p for p, w in enumerate(when) if w < reset]
        out += sum(w >= reset for w in when[: before[-1] + 1 if before else 0])  # (t, n): after n
    return out


def _when_sent(track: Track, old: Track, start: _Start) -> list[tuple[int, int]]:
    """When each control ``track`` sends at tick 0 (in order) was sent before the edit
    (``_Start.sent_at``). Its volume and program are sent as settings, new events each time: each stands
    for the one of ``start.events`` at tick 0 that is no lane event of ``track``, read into it (or, where the
    bars set nothing, the setting it had); where none was read, for the setting ``old`` had (a program
    the bars' end sent after its notes is no setting: the part starts on its program before)."""
    own = {id(e) for e in track.controllers}
    lanes = {id(e) for e in old.controllers}
    settings = {e.lane: e for e in start.sent if e.tick == 0 and id(e) not in lanes}
    settings |= {e.lane: e for e in start.events if e.tick == 0 and id(e) not in own}
    return [
        start.sent_at[id(e if id(e) in own else settings[e.lane])]
        for e in sent_controls(track)
        if e.tick == 0
    ]


def _texts_before(texts: Sequence[TextEvent], event: RawEvent, start: int, end: int) -> int:
    """How many of ``texts`` (its track's or the piece's) come before ``event`` (at ``start`` or in the bars
    deleted up to ``end``) once those bars are deleted and it is at the cut: those kept there (bar 1's set-up,
    ``_set_up_texts``; the names in the bars; everything at ``end``) that came before it. Counted among the
    texts at its own tick, a reset sent after a lyric deleted with its bar would go out after the lyric
    moved to the cut from ``end``, which it came before. An event at tick 0 after more texts than are there
    came after bar 1's lyrics before Insert Bars before bar 1 moved them (to the first text after tick 0):
    it goes after them again where they come back."""
    set_up = _set_up_texts(texts)
    tick, after = event.tick, event.after_texts
    at_zero = sum(t.tick == 0 for t in texts)
    if tick == 0 and after > at_zero:
        tick, after = next((t.tick for t in texts if t.tick), end), after - at_zero
    at_its_tick = [(i, t) for i, t in enumerate(texts) if t.tick == tick][:after]
    earlier = [(i, t) for i, t in enumerate(texts) if start <= t.tick < tick]
    return sum(
        (t.tick == 0 and i < set_up) or t.tick == end or t.kind in _NAMING_TEXTS
        for i, t in (*earlier, *at_its_tick)
    )
