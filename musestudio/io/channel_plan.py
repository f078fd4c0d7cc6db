"""Which MIDI channel each track of a piece goes out on when it is written as a MIDI file.

The app plays every track on a synth channel of its own; a MIDI file has sixteen, and tracks sharing one
play with what was stated on it last. So tracks that share a channel while setting it differently (another
instrument, volume, pan, a pedal in one hand) go out on free channels, unless that sharing is the read
file's own layout (``Project.shared_channels``, found by ``file_shared_channels`` as the file is read),
and what is moved or left sharing is said (``midi_export_changes``). ``midi`` writes the tracks on these
channels; this plan is kept apart from it, as it is a decision about the piece, not about bytes.

Channel 10 is the drum channel: a General MIDI player plays every note on it as a drum sound (the pitch picks
the drum), and drums on no other, unless the piece's own GS or XG SysEx makes another channel's part a drum
part (``drum_parts``: a second kit on channel 11); that channel is then a drum channel too. The app plays a
track as its drum flag says, whatever its channel, so a pitched track set to channel 10 (in a project written
elsewhere, or by hand: the app never sets one there) goes out on a melodic channel, where it plays its own
instrument, and a drum track set to another channel goes out on channel 10 (or on its own, where that is a
drum channel; on the piece's drum channel where its SysEx leaves channel 10 none), where it plays drums: each
as the app plays it. Both are said, as the file gives the track
another channel than the piece's.
"""

from __future__ import annotations

from dataclasses import dataclass

from musestudio.core.events import PROGRAM, VOLUME, is_poly_pressure, is_switch, same_setting
from musestudio.core.project import Project
from musestudio.core.track import DRUM_CHANNEL, Track, sends_only_its_lanes
from musestudio.io.drum_parts import GM_DRUMS, piece_drum_channels


@dataclass(frozen=True)
class ExportPlan:
    """The channels a piece's tracks go out on in a MIDI file, and what of that the app says (tracks by
    index).

    ``channels``: the channel each track goes out on (0 to 15, as MIDI numbers them). ``moved``: tracks
    given a free channel, as they share theirs with a track that sets it differently (another
    instrument, volume, pan...): on one channel, both would play with what was stated last, and the app
    plays each as it is set.
    ``shared``: tracks still sharing a channel they set differently, as no channel was left free (or it
    is the drum channel, the one drums play on): in the file they play one instrument at one volume.
    ``off_drums``: pitched tracks set to the drum channel, given a melodic one (on channel 10 a player
    would play their notes as drums). ``onto_drums``: drum tracks set to another channel, going out on the
    drum channel (the only one a player plays drums on).
    """

    channels: tuple[int, ...]
    moved: tuple[int, ...] = ()
    shared: tuple[tuple[int, ...], ...] = ()
    off_drums: tuple[int, ...] = ()
    onto_drums: tuple[int, ...] = ()


def export_plan(project: Project) -> ExportPlan:
    """The channels ``midi.midi_to_bytes`` writes the tracks on, and which tracks that moves (to a channel
    of their own, off or onto the drum channel) or leaves sharing a channel."""
    tracks, drums = project.tracks, piece_drum_channels(project)
    channels, free = _asked_channels(tracks, drums)
    moved, shared = [], []
    for channel, members in _channel_groups(tracks, channels).items():
        states = tuple(tracks[i].channel_state() for i in members)
        if len(set(states)) == 1 or _in_file_layout(project, channel, members):
            continue  # the tracks set the channel alike all along, or it is the file's own layout
        if channel not in drums:  # drums play only on a drum channel
            moved += _part(_state_classes(members, states)[1:], channels, free)  # the first keeps it
        staying = tuple(i for i in members if channels[i] == channel)
        if len({tracks[i].channel_state() for i in staying}) > 1:
            shared.append(staying)
    off_drums = tuple(i for i, t in enumerate(tracks) if not t.is_drum and t.channel in drums)
    onto_drums = tuple(i for i, t in enumerate(tracks) if t.is_drum and t.channel not in drums)
    return ExportPlan(tuple(channels), tuple(sorted(moved)), tuple(shared), off_drums, onto_drums)


def _asked_channels(
    tracks: tuple[Track, ...], drums: frozenset[int] = GM_DRUMS
) -> tuple[list[int], list[int]]:
    """The channel each track asks for, and the melodic channels no sounding track asks for (less the
    first ones, given to melodic tracks set to a drum channel); ``drums``: the drum channels."""
    channels = [_wanted_channel(t, drums) for t in tracks]
    sounding = _sounding_channels(tracks, channels)
    free = [c for c in range(16) if c != DRUM_CHANNEL and c not in drums and c not in sounding]
    for i, channel in enumerate(channels):
        if channel is None:
            channels[i] = free.pop(0) if free else _melodic_channel(i)
    return channels, free


def _part(classes: list[list[int]], channels: list[int], free: list[int]) -> list[int]:
    """Give each class of tracks (starting their channel alike) the next free channel, while there is one;
    the tracks moved."""
    moved = []
    for tracks, new in zip(classes, list(free), strict=False):
        free.remove(new)
        for i in tracks:
            channels[i] = new
        moved.extend(tracks)
    return moved


def _wanted_channel(track: Track, drums: frozenset[int] = GM_DRUMS) -> int | None:
    """The channel a track asks for: its own, where it plays drums there as the track does (``drums``:
    the drum channels), the drum channel for drums set to another; None for a melodic track set to a
    drum channel (it would play drums there)."""
    if track.is_drum:
        return track.channel if track.channel in drums else drum_channel(drums)
    return track.channel if track.channel not in drums else None


def drum_channel(drums: frozenset[int]) -> int:
    """The channel a drum track set to a melodic one goes out on: channel 10, where ``drums`` (the piece's
    drum channels) holds it; else the first that does (a GS file moving its drum part to channel 11 plays
    channel 10 as an instrument); channel 10 where none does."""
    return DRUM_CHANNEL if DRUM_CHANNEL in drums or not drums else min(drums)


def _sounding_channels(tracks: tuple[Track, ...], channels: list[int | None]) -> set[int | None]:
    return {c for t, c in zip(tracks, channels, strict=True) if not states_no_sound(t)}


def _channel_groups(tracks: tuple[Track, ...], channels: list[int]) -> dict[int, list[int]]:
    """The tracks that play on each channel (a track of only words plays nothing), in track order."""
    groups: dict[int, list[int]] = {}
    for i, (track, channel) in enumerate(zip(tracks, channels, strict=True)):
        if not states_no_sound(track):
            groups.setdefault(channel, []).append(i)
    return groups


def _state_classes(members: list[int], states: tuple) -> list[list[int]]:
    """``members`` grouped by what they do to their channel (``Track.channel_state``), in order of first
    appearance: those setting it alike all along can go on sharing one."""
    classes: dict[tuple, list[int]] = {}
    for i, state in zip(members, states, strict=True):
        classes.setdefault(state, []).append(i)
    return list(classes.values())


def _in_file_layout(project: Project, channel: int, members: list[int]) -> bool:
    """Whether the tracks on ``channel`` are a read file's own sharing of it, as they started it there."""
    return (channel, tuple(project.tracks[i].channel_setup() for i in members)) in project.shared_channels


def file_layout_through_cut(before: Project, after: Project, end: int) -> Project:
    """``after``, ``before`` with its bars up to ``end`` deleted (Delete Bars from bar 1), still sharing
    channels as the file did and sounding there as the file sounds from ``end`` on.

    On a channel the file shares, a player plays every track with what was stated on it last: a program
    change at bar 2 in one hand is heard on the other hand too, and so are its pan and its pedal. The cut
    makes the new start what ``end`` was, so each track sharing it starts with the program and volume the
    channel has at ``end``, as a file read that starts there is read (``midi._share_channel_settings``),
    and with every other control the deleted bars changed there (``_lanes_as_the_channel``); the layout
    names the tracks as they now start it. Left as they were, the layout would no longer match the tracks:
    the export gave them channels of their own, and a hand that played the new instrument after bar 2 went
    back to the old one; and a hand stating its own old pan or pedal at the start, after the other's,
    would undo on the channel what the deleted bars set."""
    tracks = list(after.tracks)
    layout, shared = [], set()
    drums = piece_drum_channels(before)
    for channel, members in _channel_groups(before.tracks, _asked_channels(before.tracks, drums)[0]).items():
        if not _in_file_layout(before, channel, members):
            continue
        shared.add(channel)
        values = _channel_values_at(before, members, end)
        changed = {e.lane for i in members for e in before.tracks[i].controllers if 0 < e.tick <= end}
        levels = {k: values[k] for k in changed - {PROGRAM, VOLUME, *_PARAMETER_LANES}}
        for i in members:
            track = tracks[i].with_(program=values[PROGRAM], volume=values[VOLUME])
            tracks[i] = _lanes_as_the_channel(track, levels)
        if len({tracks[i].channel_state() for i in members}) > 1:
            layout.append((channel, tuple(tracks[i].channel_setup() for i in members)))
    kept = tuple(e for e in after.shared_channels if e[0] not in shared)
    return after.with_(tracks=tuple(tracks), shared_channels=(*kept, *layout))


#: Controllers that set a registered or non-registered parameter (its number, then data entry or a step):
#: a value of theirs means something only after the number chosen before it (a bend range, a fine tuning),
#: so a track's statement of them is never another's value, and each track keeps its own.
_PARAMETER_LANES = (6, 38, 96, 97, 98, 99, 100, 101)


def _channel_values_at(project: Project, members: list[int], tick: int) -> dict[int, int]:
    """What the tracks ``members``, sharing a channel, leave each lane at on it at ``tick``, by lane: the
    last value any of them sets up to it (at one tick, the later track's, as a file's tracks are played).
    Polyphonic pressure presses one key of one part, and is no setting of the channel."""
    sent = sorted(
        (e.tick, order, k, e.lane, e.value)
        for order, i in enumerate(members)
        for k, e in enumerate(project.tracks[i].settings_and_lanes())
        if e.tick <= tick and not is_poly_pressure(e.lane)
    )
    return {lane: value for *_, lane, value in sent}


def _lanes_as_the_channel(track: Track, values: dict[int, int]) -> Track:
    """``track`` no longer stating at tick 0 a lane's setting other than ``values``, the channel's at the
    cut for the lanes the deleted bars changed. A level (pan, expression, a send) is where the channel is,
    so the track starts at it; a pedal is pressed and let up by the track that plays it, so another
    track's statement that it is up (or down) goes: that track's own copy of the pressed pedal would
    never be let up in the app, which plays it on a synth channel of its own."""
    kept = []
    for e in track.controllers:
        if e.tick or e.lane not in values or same_setting(e.lane, e.value, values[e.lane]):
            kept.append(e)
        elif not is_switch(e.lane):
            kept.append(e.with_value(values[e.lane]))
    return track.with_controllers(kept) if kept != list(track.controllers) else track


def file_shared_channels(
    tracks: tuple[Track, ...], drums: frozenset[int] = GM_DRUMS
) -> tuple[tuple[int, tuple], ...]:
    """The channels a file shares among tracks that set them differently (at tick 0 or later: one hand's
    pedal, a program change in one part), with how they start them: the file's own layout, which Export
    MIDI keeps (see ``Project.shared_channels``); ``drums``: the file's drum channels."""
    groups = _channel_groups(tracks, [_wanted_channel(t, drums) for t in tracks])
    out = []
    for channel, members in groups.items():
        if len({tracks[i].channel_state() for i in members}) > 1:
            out.append((channel, tuple(tracks[i].channel_setup() for i in members)))
    return tuple(out)


def states_no_sound(track: Track) -> bool:
    """A track of only words or SysEx (a karaoke file's lyrics), or of nothing but its name (a part a
    sequencer saved before it was written): no notes, no lane events, and MIDI's default program and
    volume on channel 1. Its export sets no sound: set-up events there would reset channel 1 under the
    part that plays on it."""
    return sends_only_its_lanes(track) and not track.controllers


def _melodic_channel(index: int) -> int:
    """Channels 0..15 in turn, skipping the drum channel."""
    channel = index % 15
    return channel + 1 if channel >= DRUM_CHANNEL else channel
