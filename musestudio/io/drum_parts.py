"""Which MIDI channels a GS or XG synth plays as drums, from the SysEx a file sends before their notes.

General MIDI plays drums on channel 10 alone, but a GS file may make any part a rhythm part ("use for
rhythm part", ``41 dd 42 12 40 1p 15 vv``: 0 a normal part, 1 or 2 a drum map) and an XG file any part a
drum part ("part mode", ``43 1n 4C 08 pp 07 vv``: 0 normal, else a drum set); either may also let a part
receive another channel than its own (GS ``40 1p 02``, XG ``08 pp 04``: 16 or above, none). A second kit
on channel 11 opened as a pitched instrument and played its drum notes as a scale.

Read, a track on such a channel is a drum track; written, it stays on its channel beside the SysEx, which
goes back out as it came (``channel_plan``). Parts are counted as the synths number them: a GS part block
serves its default channel (block 0 is part 10), an XG part ``pp`` channel ``pp``. GM System On, GM2, GS
Reset and XG System On set every part back to its default: only part 10 plays drums, on channel 10.
"""

from __future__ import annotations

from collections.abc import Iterable

from musestudio.core.project import Project
from musestudio.core.track import DRUM_CHANNEL

#: The drum channels where no SysEx says otherwise.
GM_DRUMS = frozenset((DRUM_CHANNEL,))

_GM_ON = (bytes.fromhex("f07e"), bytes.fromhex("0901"), bytes.fromhex("0903"))
_RESET, _RHYTHM, _RECEIVES = "reset", "rhythm", "receives"


def _change(data: bytes) -> tuple[str, int, int] | None:
    """What a SysEx (``data`` from F0, as ``RawEvent`` keeps it) does to the parts' drums and channels:
    ``(_RESET, 0, 0)``, ``(_RHYTHM, part, 1 for drums / 0)`` or ``(_RECEIVES, part, channel or 16 for
    none)``, parts by their default channel; None for anything else."""
    if data[:2] == _GM_ON[0] and len(data) >= 5 and data[3:5] in _GM_ON[1:]:
        return (_RESET, 0, 0)
    if data[:2] == b"\xf0\x41" and len(data) >= 9 and data[3:5] == b"\x42\x12":
        address, value = data[5:8], data[8]
        if address == b"\x40\x00\x7f":  # GS Reset
            return (_RESET, 0, 0)
        if address[0] == 0x40 and address[1] >> 4 == 1 and value < 0x80:
            part = _gs_part(address[1] & 0x0F)
            if address[2] == 0x15:
                return (_RHYTHM, part, int(value != 0))
            if address[2] == 0x02:
                return (_RECEIVES, part, min(value, 16))
    if data[:2] == b"\xf0\x43" and len(data) >= 8 and data[2] >> 4 == 1 and data[3] == 0x4C:
        address, value = data[4:7], data[7]
        if address == b"\x00\x00\x7e":  # XG System On
            return (_RESET, 0, 0)
        if address[0] == 0x08 and address[1] < 16 and value < 0x80:
            if address[2] == 0x07:
                return (_RHYTHM, address[1], int(value != 0))
            if address[2] == 0x04:
                return (_RECEIVES, address[1], min(value, 16))
    return None


def part_receives(data: bytes) -> tuple[int, int] | None:
    """The part (by its default channel) a GS or XG SysEx (``data`` from F0) sets to receive another
    channel, and that channel (16: none); None for any other message."""
    change = _change(data)
    return (change[1], change[2]) if change is not None and change[0] == _RECEIVES else None


def _gs_part(block: int) -> int:
    """The channel a GS part block serves by default: block 0 is part 10 (the drums), 1 to 9 are parts 1
    to 9, 10 to 15 are parts 11 to 16."""
    if block == 0:
        return DRUM_CHANNEL
    return block - 1 if block <= 9 else block


def drum_channels(sysex: Iterable[tuple[int, bytes]], first_notes: dict[int, int]) -> frozenset[int]:
    """The channels a GS or XG synth plays as drums: those a rhythm part receives once the SysEx of
    ``sysex`` ((tick, data from F0) in the order a player sends them) up to the channel's first note
    (``first_notes``: channel -> tick; a channel with none, all of them) have been sent."""
    changes = [(tick, change) for tick, data in sysex if (change := _change(data)) is not None]
    if not changes:
        return GM_DRUMS
    out = set()
    for channel in range(16):
        until = first_notes.get(channel)
        rhythm, receives = _default_parts()
        for tick, (kind, part, value) in changes:
            if until is not None and tick > until:
                break
            if kind == _RESET:
                rhythm, receives = _default_parts()
            elif kind == _RHYTHM:
                rhythm[part] = bool(value)
            else:
                receives[part] = value
        if any(rhythm[part] for part in range(16) if receives[part] == channel):
            out.add(channel)
    return frozenset(out)


def _default_parts() -> tuple[list[bool], list[int]]:
    """Each part's drums flag and the channel it receives, as a synth starts: part ``p`` on channel ``p``."""
    return [part == DRUM_CHANNEL for part in range(16)], list(range(16))


def piece_drum_channels(project: Project) -> frozenset[int]:
    """The drum channels of a piece written as a MIDI file, as its kept SysEx make them: the piece's, then
    each track's, at one tick in that order, as the export writes and a player merges them."""
    owners = (project, *project.tracks)
    sysex = sorted(
        (
            (e.tick, k, e.data)
            for k, owner in enumerate(owners)
            for e in owner.extra_events
            if e.data[0] == 0xF0
        ),
        key=lambda row: row[:2],
    )
    first: dict[int, int] = {}
    for track in project.tracks:
        if track.notes:
            first[track.channel] = min(first.get(track.channel, track.notes[0].start), track.notes[0].start)
    return drum_channels(((tick, data) for tick, _, data in sysex), first)
