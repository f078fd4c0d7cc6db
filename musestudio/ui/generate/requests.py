"""From what the user chose and what the editor holds to a Request, and from a kept take back to the score.

Both halves are plain functions over values (the panel's choices, the project, the selection), so the
controller only wires them to widgets. Messages are translated in the controller's context, where the
translation file has always kept them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.played_in import heard_in
from musestudio.core.project import Project
from musestudio.core.timing import bar_line_before, end_of_silent_bars, next_bar_line
from musestudio.core.track import DRUM_CHANNEL, TRACK_COLOURS, Track
from musestudio.ml import learned
from musestudio.ml.engines import (
    ADD_PART,
    ARRANGE,
    CONTINUE,
    ENGINES,
    LEARNED_ENGINES,
    PARTS,
    REGENERATE,
    RESTYLE,
    missing_model,
    missing_model_error,
    no_room_for,
    reads_as_part,
    too_many_parts,
    trained_styles,
)
from musestudio.ml.generate.request import (
    NEW_TRACK,
    Options,
    PartSpec,
    Request,
    Take,
    drums_alone,
    key_over_drums,
    new_part_id,
)
from musestudio.ml.styles import STYLES
from musestudio.ui.error_words import ErrorWords
from musestudio.ui.generate.style_words import style_label
from musestudio.ui.track_labels import track_label


class NothingToDo(Exception):
    """The request cannot be made from what is selected (the message says what to do)."""


def role_label(role: str) -> str:
    """A part's role as the panel and new track names say it."""
    return {
        "melody": QCoreApplication.translate("GenerateController", "Melody"),
        "harmony": QCoreApplication.translate("GenerateController", "Harmony"),
        "bass": QCoreApplication.translate("GenerateController", "Bass"),
        "accompaniment": QCoreApplication.translate("GenerateController", "Accompaniment"),
        "counter-melody": QCoreApplication.translate("GenerateController", "Counter-melody"),
    }.get(role, role)


def build_request(
    c: dict, project: Project, track: Track | None, selected: Sequence[Note], playhead: int
) -> Request:
    """The Request for the panel's choices ``c`` on the active ``track``; NothingToDo says what is missing."""
    if c["mode"] == CONTINUE and c["engine"] == PARTS and not _pitched_notes(project):
        c = {**c, "engine": starting_engine(c)}
    if c["engine"] is None or missing_model(c["mode"], c["engine"]):
        missing = missing_model_error(c["mode"], c["engine"] or ENGINES[c["mode"]][0])
        raise NothingToDo(
            ErrorWords().say(missing)
            if missing is not None
            else QCoreApplication.translate("GenerateController", "No engine is installed for this mode.")
        )
    mine = _learned_style(c)
    if mine is not None and c["mode"] != RESTYLE and c["engine"] not in LEARNED_ENGINES:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "A learned style works with the Transformer and Parts engines."
            )
        )
    styles = trained_styles(c["mode"], c["engine"])
    # Arrange plays every style: one the parts model never saw borrows the nearest it knows
    if c["mode"] != ARRANGE and not _knows_style(c, c["engine"], mine):
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "This engine was not trained on %1. Choose one of: %2."
            )
            .replace("%1", style_label(c["style"]))
            .replace("%2", ", ".join(style_label(s) for s in styles))
        )
    if c["engine"] != PARTS and track is not None and track.is_drum:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "The models write pitched parts: choose a track that is not drums."
            )
        )
    all_notes = track.notes if track is not None else ()
    tpb, sigs = project.ticks_per_beat, project.time_signatures
    options = Options(
        style=c["style"],
        temperature=c["temperature"],
        top_p=c["top_p"],
        variations=c["variations"],
        key_lock=c["key_lock"],
        pitch_range=c["pitch_range"],
        seed=c["seed"],
        device=c["device"],
        strength=c["strength"],
    )
    if c["mode"] == ARRANGE:
        return _arrange_request(c, project, track, selected, options)
    if c["engine"] == PARTS:
        return _parts_request(c, project, track, selected, playhead, options)
    fields = dict(
        mode=c["mode"],
        engine=c["engine"],
        tpb=tpb,
        time_signatures=sigs,
        bars=c["bars"],
        track_id=track.id if track is not None else -1,
        program=track.program if track is not None else None,
    )

    options = replace(options, key=key_for(c, project, selected) or project.key)
    if c["mode"] == CONTINUE:
        after = playhead if c["where"] == "playhead" else end_of_silent_bars(project)
        notes = tuple(n for n in all_notes if n.start < after) if c["where"] == "playhead" else all_notes
        later = _after_the_seed(all_notes, notes)
        return Request(notes=notes, options=options, after=after, replaces=later, **fields)
    if c["mode"] == RESTYLE:
        notes = _restyled_notes(c, track, selected)
        return Request(
            notes=notes,
            options=options,
            replaces=frozenset(n.id for n in notes),
            spans=_restyled_spans(all_notes, notes, sigs, tpb),
            **fields,
        )
    a, b = _selected_bars(project, selected)
    replaces = heard_in(all_notes, a, b, tpb)
    return Request(notes=tuple(all_notes), options=options, start=a, end=b, replaces=replaces, **fields)


def _learned_style(c: dict):
    """The learned style the panel's style names (issue 16), or None for a built-in one."""
    return learned.find(c["style"]) if c["style"] not in STYLES else None


def _knows_style(c: dict, engine: str, mine) -> bool:
    """Whether ``engine`` was trained on the chosen style (a learned style's own base style)."""
    styles = trained_styles(c["mode"], engine)
    return styles is None or (mine.base_style if mine else c["style"]) in styles


def _pitched_notes(project: Project) -> bool:
    return any(t.notes for t in project.tracks if not t.is_drum)


def starting_engine(c: dict) -> str:
    """The engine that writes Continue's first bars of a piece with no pitched notes.

    The parts engine continues the notes a piece has, so on an empty piece (File > New, whose hint says
    Generate) the first single-stream engine offered that is installed and knows the chosen style writes
    them instead; the controller says which (``engine_note``). NothingToDo says what to do when none can.
    """
    mine = _learned_style(c)
    for engine in ENGINES[CONTINUE]:
        usable = engine != PARTS and not missing_model(CONTINUE, engine)
        if usable and (mine is None or engine in LEARNED_ENGINES) and _knows_style(c, engine, mine):
            return engine
    raise NothingToDo(
        QCoreApplication.translate(
            "GenerateController",
            "The piece has no notes yet, and the Parts engine continues the notes a piece has: draw a few "
            "notes, or choose the Transformer engine, which writes the first bars from nothing.",
        )
    )


def key_for(c: dict, project: Project, selected: Sequence[Note]):
    """The key the panel asks for: the one picked, else the one it shows as detected (``detected_key``)."""
    return c["key"] if c.get("key") is not None else detected_key(c, project, selected)


def detected_key(c: dict, project: Project, selected: Sequence[Note]):
    """The key detected in the whole piece (every pitched track's notes together), or in the selection when
    the user chose "key from selection" (a passage may modulate).

    The piece's tracks sound together, in one key: read alone, a bass line of a C major piece (A, E, C...)
    sounds like A minor, and a new track has no notes to tell. So the track a Generate writes in, whichever
    it is (a part a keep just added, an empty one), fits the piece's key; and a short selection cannot pull
    the key astray unless the user asks for it."""
    if c.get("key_from") == "selection" and selected:
        return detect_key(selected)
    return detect_key(n for t in project.tracks if not t.is_drum for n in t.notes)


def _restyled_notes(c: dict, track: Track | None, selected: Sequence[Note]) -> tuple[Note, ...]:
    """What Restyle works on: the selection or the whole active track; NothingToDo when that is empty."""
    notes = tuple(selected if c["where"] == "selection" else (track.notes if track is not None else ()))
    if not notes:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController",
                "Nothing selected: select the notes to restyle, or restyle the whole track.",
            )
            if c["where"] == "selection"
            else QCoreApplication.translate("GenerateController", "The active track has no notes to restyle.")
        )
    return notes


def _restyled_spans(
    track_notes: Sequence[Note], phrase: Sequence[Note], sigs, tpb: int
) -> tuple[tuple[int, int], ...]:
    """Where a Restyle or Arrange take of ``phrase`` may hold notes; () for the whole bars around it, as
    the engines write them.

    Keep takes the place of ``phrase`` alone, and a musician who selects some of a track's notes expects
    new ones only where the selection is, never sounding over the notes left out. So the take starts at the
    phrase's first note where notes left out sound before it in its first bar, ends at its last note's end
    where they sound after it in its last bar, and holds nothing in a rest of the phrase that a note left
    out sounds in, begun after the phrase's last onset before the rest (the notes on beats 2-3 of a bar
    whose beats 1 and 4 are selected): the phrase on either side of such a rest is rewritten there alone.
    A rest no such note sounds in is the phrase's own, for the rewrite to fill; notes that sound from
    where a phrase note starts (chords struck under a selected tune) stay under the rewrite as they were
    under the phrase. (Each stretch opens a 32nd before its first note: a phrase played in comes early or
    late by that much, and the rewrite's note on the beat is still the phrase's.)"""
    whole = _bars_around(phrase, sigs, tpb)
    ids = {n.id for n in phrase}
    others = [n for n in track_notes if n.id not in ids]
    a, b = _restyled_edges(whole, phrase, others, tpb)
    spans, at = [], a
    for rest_start, rest_end in _rests_left_to_other_notes(phrase, others):
        spans.append((at, rest_start))
        at = max(rest_start, rest_end - tpb // 8)
    spans.append((at, b))
    return () if spans == [whole] else tuple(spans)


def _restyled_edges(
    whole: tuple[int, int], phrase: Sequence[Note], others: Sequence[Note], tpb: int
) -> tuple[int, int]:
    """The bars ``whole`` around ``phrase``, moved in to its first note (less a 32nd) where ``others``
    sound in its first bar before that note, and to its last note's end where they sound after it."""
    a, b = whole
    first, last = min(n.start for n in phrase), max(n.end for n in phrase)
    if any(n.start < first and n.end > a for n in others):
        a = max(a, first - tpb // 8)
    if any(n.start < b and n.end > last for n in others):
        b = last
    return a, b


def _rests_left_to_other_notes(phrase: Sequence[Note], others: Sequence[Note]) -> list[tuple[int, int]]:
    """The rests inside ``phrase`` (where none of its notes sounds) that one of ``others`` sounds in,
    begun after the phrase's last onset before the rest: music the selection left out there."""
    rests = []
    notes = sorted(phrase, key=lambda n: n.start)
    reach, onset = notes[0].end, notes[0].start  # where the phrase has sounded to, its latest onset
    for n in notes[1:]:
        if n.start > reach and any(onset < o.start < n.start and o.end > reach for o in others):
            rests.append((reach, n.start))
        reach, onset = max(reach, n.end), n.start
    return rests


def _arrange_request(
    c: dict, project: Project, track: Track | None, selected: Sequence[Note], options: Options
) -> Request:
    """Restyle's Arrange: the tune is the top line of the selection (or the active track), written back
    into that track in place of those notes; the style's parts (``arrange_styles.texture``) go into new
    tracks, one each, named and voiced as the style has them. Other tracks keep their notes (Keep mutes
    those the parts take the place of, and Keep as New Track the tune's track too: ``arranged_over``). A
    selection that leaves some of the track's notes out keeps its register: moved alone into the idiom's,
    it would sit an octave off the notes around it."""
    from musestudio.ml.generate.arrange_styles import texture

    if track is not None and track.is_drum:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "The models write pitched parts: choose a track that is not drums."
            )
        )
    ids = {n.id for n in track.notes} if track is not None else set()  # the tune: the active track's
    notes = _restyled_notes(c, track, [n for n in selected if n.id in ids])
    tune = PartSpec(track.id, notes, track.name, "melody", track.program, True)
    new = tuple(
        PartSpec(new_part_id(k), (), v.name, v.role, v.program, True)
        for k, v in enumerate(texture(c["style"]).voices)
    )
    key = key_for(c, project, selected) or project.key  # the piece's, as the panel shows: not a bar's
    phrase = len(notes) < len(track.notes)  # the selection leaves notes of the line out: they stay put
    return Request(
        mode=ARRANGE,
        engine=PARTS,
        notes=notes,
        tpb=project.ticks_per_beat,
        time_signatures=project.time_signatures,
        options=replace(options, key=key, keep_register=phrase),
        replaces=frozenset(n.id for n in notes),
        track_id=track.id,
        parts=(tune, *new),
        spans=_restyled_spans(track.notes, notes, project.time_signatures, project.ticks_per_beat),
    )


def _selected_bars(project: Project, selected: Sequence[Note]) -> tuple[int, int]:
    """The bar lines around the selection: what Regenerate rewrites."""
    if not selected:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "Nothing selected: select notes in the bars to regenerate."
            )
        )
    return _bars_around(selected, project.time_signatures, project.ticks_per_beat)


def _bars_around(notes: Sequence[Note], sigs, tpb: int) -> tuple[int, int]:
    """The bar line at or before the first of ``notes`` and the one at or after the end of the last."""
    first = min(n.start for n in notes)
    a = bar_line_before(first, sigs, tpb)
    return a, next_bar_line(max(n.end for n in notes), sigs, tpb)


def _after_the_seed(notes: Sequence[Note], seed: Sequence[Note]) -> frozenset[int]:
    """Continue after a playhead inside the piece: the ids of the track's notes after it (those the seed
    leaves out). A take is drawn for bars they may be in: Keep puts it in their place there, as a musician
    redoing the bars after a point expects, rather than sounding two lines at once in one track."""
    kept = {n.id for n in seed}
    return frozenset(n.id for n in notes if n.id not in kept)


def _still_replaced(track: Track, request: Request, take: Take) -> frozenset[int]:
    """The notes of ``track`` a kept take takes the place of: those it was drawn to replace (their ids
    recorded at the click) that are still in the bars it rewrites. A note the user moved out of those bars
    while the takes were drawn (or since) stays where they put it; one they added to them stays too."""
    if not request.replaces:
        return frozenset()
    if request.mode == CONTINUE:  # the notes after the playhead in the bars the take continues into
        a, b = take.start, take.end
    elif request.end > request.start:  # Regenerate: the selected bars
        a, b = request.start, request.end
    else:  # Restyle and Arrange: the bars around the notes they read, as they were at the click
        notes = [n for n in request.notes if n.id in request.replaces] or request.notes
        if not notes:
            return request.replaces
        a, b = _bars_around(notes, request.time_signatures, request.tpb)
    return request.replaces & heard_in(track.notes, a, b, request.tpb)


def _parts_request(
    c: dict, project: Project, track: Track | None, selected: Sequence[Note], playhead: int, options: Options
) -> Request:
    """The parts engine's Request: each pitched track it reads is a part; the mode says which it writes.

    Continue writes in every track (``c["tracks"]`` "all", an empty one too: a new part from the first
    bar it writes, while the engine has room: ``engines.no_room_for``) or the active one; Add a part writes a new
    part under the others; Regenerate rewrites the selected bars of the active track, the other tracks
    being context. Drum tracks are left out (the model has no drums), and so is an empty track it does not
    write (``engines.reads_as_part``: nothing in it to hear); both stay untouched.
    """
    mode = c["mode"]
    # a part added to a beat: in the key ``key_over_drums`` says (the panel's, the piece's, the default)
    over_drums = mode == ADD_PART and drums_alone(project.tracks)
    if not _pitched_notes(project) and not over_drums:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController",
                "The Parts engine needs some notes in a pitched track to work with: draw a few, or choose "
                "Continue, which writes the first bars of an empty piece.",
            )
        )
    cut = playhead if mode == CONTINUE and c["where"] == "playhead" else 0  # the seed is what comes before
    steer = dict(pitch_range=c.get("part_range"), density=c.get("density"), voices=c.get("voices"))
    all_tracks = mode == CONTINUE and (c.get("tracks", "all") == "all" or track is None)
    if mode != ADD_PART and not all_tracks and (track is None or track.is_drum):
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController", "The models write pitched parts: choose a track that is not drums."
            )
        )

    def spec(t: Track) -> PartSpec:
        notes = tuple(n for n in t.notes if n.start < cut) if cut else t.notes
        write = mode != ADD_PART and (all_tracks or t.id == track.id)
        return PartSpec(t.id, notes, t.name, "", t.program, write, **(steer if write else {}))

    pitched = (spec(t) for t in project.tracks if not t.is_drum)
    read = tuple(s for s in pitched if reads_as_part(s.notes, s.write))
    # the empty tracks Continue in all tracks has no room to write in: left as they are, and said
    left_empty = tuple(read[i].track_id for i in no_room_for([s.notes for s in read])) if all_tracks else ()
    read = tuple(s for s in read if s.track_id not in left_empty)
    fields = dict(
        mode=mode, engine=PARTS, tpb=project.ticks_per_beat, time_signatures=project.time_signatures
    )
    fields.update(bars=c["bars"], track_id=track.id if track is not None else -1)
    if mode == CONTINUE:
        specs = read
        if not any(s.notes for s in specs if s.write):
            raise NothingToDo(
                QCoreApplication.translate(
                    "GenerateController", "The active track has no notes to continue: draw a few first."
                )
            )
        tracks = {t.id: t for t in project.tracks}
        later = (_after_the_seed(tracks[s.track_id].notes, s.notes) for s in specs if s.write)
        fields.update(replaces=frozenset().union(*later), left_empty=left_empty)
    elif mode == ADD_PART:
        specs = (*read, PartSpec(NEW_TRACK, (), "", c["role"], c["program"], True, **steer))
        fields.update(drums=tuple(n for t in project.tracks if t.is_drum for n in t.notes))
        fields.update(held=tuple(s for t in project.tracks if not t.is_drum for s in t.pedal_held()))
    else:
        a, b = _selected_bars(project, selected)
        specs = read
        fields.update(start=a, end=b, replaces=heard_in(track.notes, a, b, project.ticks_per_beat))
    _check_part_count(mode, read)  # after what each mode needs: only Continue in all tracks writes empty ones
    notes = tuple(n for s in specs for n in s.notes)
    given = key_for(c, project, selected)
    key = key_over_drums(project.tracks, project.key, given) if over_drums else given or project.key
    after = cut or (end_of_silent_bars(project) if mode == CONTINUE else 0)
    return Request(notes=notes, options=replace(options, key=key), after=after, parts=specs, **fields)


def _check_part_count(mode: str, read: Sequence[PartSpec]) -> None:
    """NothingToDo, in the musician's terms and with what to do instead, when the parts engine cannot read
    the pitched tracks it would (``read``, each with notes: an empty one is read only when it is written
    in, and Continue in all tracks writes in those it has room for; Add a part's new one among them:
    ``engines.too_many_parts``)."""
    too_many = too_many_parts(len(read), new=1 if mode == ADD_PART else 0)
    if too_many is None:
        return
    if mode == ADD_PART:
        raise NothingToDo(
            QCoreApplication.translate(
                "GenerateController",
                "This piece already has %1 pitched tracks, the most the Parts engine reads with a new part "
                "among them: to add a part, delete a track or move its notes into another. Drum tracks and "
                "empty tracks do not count.",
            ).replace("%1", str(len(read)))
        )
    raise NothingToDo(
        QCoreApplication.translate(
            "GenerateController",
            "This piece has %1 pitched tracks and the Parts engine reads at most %2: choose the "
            "Transformer engine, which reads and writes the active track alone. Drum tracks and empty "
            "tracks do not count.",
        )
        .replace("%1", str(len(read)))
        .replace("%2", str(too_many.most))
    )


def with_take(
    project: Project,
    request: Request,
    take: Take,
    new_track: bool,
    fallback: Track | None,
    into: dict[int, int] | None = None,
) -> tuple[Project, int]:
    """The project with ``take`` in place of the notes it replaces, and the id of the track it is in.

    With ``new_track`` (or when the request's track is gone) the take becomes a track of its own, with the
    instrument of the request's track (as it was at the click, when it is gone; ``fallback``'s when the
    request does not say) on a free channel. ``into``: for a parts take's new parts, the tracks an earlier
    keep of its Generate put them in ({part id: track id}), where they go instead of new tracks.
    """
    if take.parts:
        return _with_parts(project, request, take, new_track, into or {})
    track = next((t for t in project.tracks if t.id == request.track_id), None)
    notes = tuple(n.copy_as_new() for n in take.notes)
    if track is None or new_track:
        used = {t.channel for t in project.tracks}
        channel = next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)
        added = Track(
            name=QCoreApplication.translate("GenerateController", "Take %1 (%2)")
            .replace("%1", str(take.number))
            .replace("%2", style_label(take.style)),
            program=_instrument(track, request, fallback),
            channel=channel,
            colour=TRACK_COLOURS[len(project.tracks) % len(TRACK_COLOURS)],
            notes=notes,
        )
        return project.add_track(added), added.id
    replaced = _still_replaced(track, request, take)
    kept = [n for n in track.notes if n.id not in replaced]
    return project.replace_track(track.with_notes(kept + list(notes))), track.id


def arranged_over(
    project: Project, take: Take, into: dict[int, int] | None = None, new_track: bool = False
) -> tuple[tuple[Track, ...], tuple[Track, ...]]:
    """The piece's other pitched tracks sounding in the bars of an Arrange ``take``, whose parts (a piano, a
    bass) would play on top of them: (those with every note in its bars, whose place the parts take, which
    Keep in place mutes; those that go on around its bars, which play along, since muting them would
    silence them there too). The tune's own track, the tracks an earlier keep of its Generate put its parts
    in (``into``), drums and muted tracks are neither. Both empty for a take of a mode that writes no
    parts (Continue, Add a part).

    With ``new_track`` (Keep as New Track: the tune and the parts each go into a new track) the tune's own
    track is weighed too, as the tune's copy would double it: muted where the take stands for every note of
    it, left playing where some of its notes are not the take's to replace; ``into`` is not used. A Rewrite
    take (Restyle's other mode) or a Regenerate take stands for its own track's notes alone: kept in place
    it takes their place and mutes nothing; as a new track, its own track is weighed so, and no other (the
    chords and the bass under a rewritten tune, or around regenerated bars, play on)."""
    request = take.request
    own_line = request is not None and request.mode in (RESTYLE, REGENERATE)
    if request is None or not (request.mode == ARRANGE or (own_line and new_track)):
        return (), ()
    own = set() if new_track else {request.track_id, *(into or {}).values()}
    replaced, along = [], []
    for track in project.tracks:
        if track.id in own or track.is_drum or track.mute or (own_line and track.id != request.track_id):
            continue
        if not any(n.start < take.end and n.end > take.start for n in track.notes):
            continue
        if track.id == request.track_id:  # the take's copy of it plays from a new track
            inside = {n.id for n in track.notes} <= _still_replaced(track, request, take)
        else:
            inside = all(take.start <= n.start and n.end <= take.end for n in track.notes)
        (replaced if inside else along).append(track)
    return tuple(replaced), tuple(along)


def muted(project: Project, tracks: Sequence[Track], mute: bool = True) -> Project:
    """``project`` with ``tracks`` muted (as they are in it now), or with ``mute`` False unmuted."""
    for track in tracks:
        project = project.replace_track(project.track_by_id(track.id).with_(mute=mute))
    return project


def unmuted(project: Project, tracks: Sequence[Track]) -> Project:
    """``project`` with ``tracks`` sounding again (as they are in it now)."""
    return muted(project, tracks, mute=False)


def _instrument(track: Track | None, request: Request, fallback: Track | None) -> int:
    """The program of a take's new track: its track's, else the one that track had at the click."""
    if track is not None:
        return track.program
    if request.program is not None:
        return request.program
    return fallback.program if fallback is not None else 0


def continued_over(project: Project, request: Request | None, take: Take) -> tuple[tuple[Track, int], ...]:
    """Continue after a playhead inside the piece: each track of ``project`` whose notes in the bars of
    ``take`` Keep puts the take in place of (Keep as New Track plays it over them), with how many. The
    panel says so before Keep, and the status bar at Keep."""
    if request is None or request.mode != CONTINUE or not request.replaces:
        return ()
    written = {track_id for track_id, _ in take.parts} if take.parts else {request.track_id}
    counted = ((t, len(_still_replaced(t, request, take))) for t in project.tracks if t.id in written)
    return tuple((t, n) for t, n in counted if n)


def _free_channel(project: Project) -> int:
    used = {t.channel for t in project.tracks}
    return next((c for c in range(16) if c != DRUM_CHANNEL and c not in used), 0)


def _with_parts(
    project: Project, request: Request, take: Take, new_track: bool, into: dict[int, int]
) -> tuple[Project, int]:
    """The project with each part of a parts take in its own track (Add a part's in a new one, or the one
    ``into`` names for it: where an earlier take of the same Generate was kept).

    With ``new_track`` every part goes into a new track of its own, beside the track it continues. The
    returned id is the first new track's, else the request's track's (what becomes active). A part the
    take leaves silent (a Celtic session's guitar and bass rest) makes no track; where an earlier keep's
    part stands in its track, it takes that part out, and the track too once nothing else is left in it (no
    note, controller, text or other event the user put there).
    """
    specs = {s.track_id: s for s in request.parts}
    out, first_new = project, None
    for track_id, part in take.parts:
        notes = tuple(n.copy_as_new() for n in part)
        track = next((t for t in out.tracks if t.id == into.get(track_id, track_id)), None)
        if (track is None or new_track) and not notes:
            continue
        if track is None or new_track:
            spec = specs.get(track_id)
            take_name = (
                QCoreApplication.translate("GenerateController", "Take %1 (%2)")
                .replace("%1", str(take.number))
                .replace("%2", style_label(take.style))
            )
            if track_id <= NEW_TRACK and spec is not None:  # Add a part's new part, Arrange's new parts
                part = spec.name or role_label(spec.role)
                name = f"{part} ({style_label(take.style)})"
                if any(t.name == name for t in out.tracks):  # another take's, kept as well: which is which
                    name = f"{take_name}: {part}"
            else:
                name = take_name + (f": {track_label(out, track)}" if track is not None else "")
            added = Track(
                name=name,
                program=spec.program if spec is not None else (track.program if track else 0),
                channel=_free_channel(out),
                colour=TRACK_COLOURS[len(out.tracks) % len(TRACK_COLOURS)],
                notes=notes,
            )
            out = out.add_track(added)
            first_new = added.id if first_new is None else first_new
        else:
            replaced = _still_replaced(track, request, take)
            if request.mode == ARRANGE and track.id == request.track_id:
                notes = tuple(n.copy_as_new() for n in _tune_as_edited(track, request, part, replaced))
            kept = [n for n in track.notes if n.id not in replaced]
            holds = kept or track.controllers or track.texts or track.extra_events  # the user's too
            if not holds and not notes and track.id in into.values():
                out = out.remove_track(track.id)
            else:
                out = out.replace_track(track.with_notes(kept + list(notes)))
    ids = {t.id for t in out.tracks}
    active = first_new if first_new is not None else request.track_id
    return out, active if active in ids else out.tracks[0].id


def _tune_as_edited(
    track: Track, request: Request, tune: Sequence[Note], replaced: frozenset[int]
) -> list[Note]:
    """An Arrange take's ``tune`` with what the user did to the tune since the click (a note fixed, deleted,
    or moved out of the take's bars while the takes were drawn or listed): Keep puts the tune back, and
    must not put back a wrong note the user fixed. Each note of the take that stands for a note read at
    the click (it carries that note's id, at strength 0 too: ``move_tune``) is that note as the user has it
    now with the arrangement's change to it (a move into the idiom's register, a held note cut where a
    higher one enters) on top; one the user deleted is left out, as is one they moved out of the bars Keep
    replaces (it stays where they put it). The idiom's ornaments are the take's. Where a keep of its
    Generate put a take's tune in the track before (``replaced`` holds notes not read at the click), a
    note read then that is gone was replaced by it, not deleted: the take's note stays. (Before, notes
    that came back with new ids were matched by their sound: a note cut short was not found, so its edit
    was lost, and of two alike one stood for both.)"""
    read = [n for n in request.notes if n.id in request.replaces]
    by_id = {n.id: n for n in read}
    now = {n.id: n for n in track.notes}
    kept_before = bool(replaced - by_id.keys())
    out = []
    for n in tune:
        then = by_id.get(n.id)
        if then is None or now.get(then.id) == then or (then.id not in now and kept_before):
            out.append(n)  # the arrangement's own, or a note the user left as it was
        elif then.id in replaced:
            out.append(_merged(now[then.id], then, n))
    return out


def _merged(user: Note, then: Note, take: Note) -> Note:
    """The ``user``'s edit of note ``then`` with the ``take``'s change of it on top."""
    return Note(
        max(0, min(127, user.pitch + take.pitch - then.pitch)),
        max(0, user.start + take.start - then.start),
        max(1, user.duration + take.duration - then.duration),
        user.velocity if user.velocity != then.velocity else take.velocity,
    )


def part_colours(project: Project, take: Take) -> list[str]:
    """The colour each part of a parts take is drawn in: its track's, or the colour a new track gets."""
    colours = {t.id: t.colour for t in project.tracks}
    out, fresh = [], len(project.tracks)
    for track_id, _ in take.parts:
        if track_id in colours:
            out.append(colours[track_id])
        else:  # new tracks take the next colours, as Keep gives them
            out.append(TRACK_COLOURS[fresh % len(TRACK_COLOURS)])
            fresh += 1
    return out


def writes_drums(project: Project, take: Take) -> bool:
    """Whether every track ``take`` goes into is a drum track of ``project``: its notes are hits, read on the
    roll's drum rows. A new part (Add a part's, Arrange's) and a take whose track is gone go into a new
    pitched track; the models write pitched parts only, so no take listed now writes drums."""
    if take.parts:
        wanted = [track_id for track_id, _ in take.parts]
    elif take.request is not None:
        wanted = [take.request.track_id]
    else:
        return False
    drums = {t.id for t in project.tracks if t.is_drum}
    return all(track_id in drums for track_id in wanted)
