"""The volume a GS or XG synth gives each channel from the SysEx at a file's start: what a listener hears
where the file sets a part's level by SysEx and never sends a volume (CC 7) of its own.

The export states every sounding track's volume at tick 0, after the file's SysEx there; stated at MIDI's
default, it undid the part level and the part played at full level. Read as the track's volume, the level
is what the app plays, what the mixer shows, and what the export states.

Only the common messages count: a GS part level (``41 dd 42 12 40 1p 19 vv``), an XG part volume (``43 1n
4C 08 pp 0B vv``), and the resets that set every part back to MIDI's default volume and channel (GM System
On, GM2, GS Reset, XG System On). A part plays the channel of its number (the synths' default) unless the
file lets it receive another (GS ``40 1p 02``, XG ``08 pp 04``: ``drum_parts``): its level is then that
channel's, heard on the notes of the track on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from musestudio.io.drum_parts import part_receives

#: What a channel plays at until told otherwise.
DEFAULT_VOLUME = 100

_GM_ON = (bytes.fromhex("f07e"), bytes.fromhex("0901"), bytes.fromhex("0903"))


def level_change(data: bytes) -> tuple[int | None, int] | None:
    """What a SysEx (``data`` from F0, as ``RawEvent`` keeps it) does to the channels' volumes: ``(channel,
    volume)`` for a part level, ``(None, DEFAULT_VOLUME)`` for a reset of every part, None for anything
    else."""
    if data[:2] == _GM_ON[0] and len(data) >= 5 and data[3:5] in _GM_ON[1:]:
        return (None, DEFAULT_VOLUME)
    if data[:2] == b"\xf0\x41" and len(data) >= 9 and data[3:5] == b"\x42\x12":
        address, value = data[5:8], data[8]
        if address == b"\x40\x00\x7f":  # GS Reset
            return (None, DEFAULT_VOLUME)
        if address[0] == 0x40 and address[1] >> 4 == 1 and address[2] == 0x19 and value < 0x80:
            return (gs_channel(address[1] & 0x0F), value)
    if data[:2] == b"\xf0\x43" and len(data) >= 8 and data[2] >> 4 == 1 and data[3] == 0x4C:
        address, value = data[4:7], data[7]
        if address == b"\x00\x00\x7e":  # XG System On
            return (None, DEFAULT_VOLUME)
        if address[0] == 0x08 and address[1] < 16 and address[2] == 0x0B and value < 0x80:
            return (address[1], value)
    return None


def channel_levels(sysex: Iterable[bytes]) -> dict[int, int]:
    """The level each channel plays at once ``sysex`` (data from F0, in the order a player sends them) is
    sent: the level of the part that receives it. A channel no part receives plays nothing and has none;
    one that parts at different levels receive (a layered sound) has none either: no one volume is right."""
    level: dict[int, int] = {}  # by part, each part named by its default channel
    receives = list(range(16))
    for data in sysex:
        if (change := level_change(data)) is not None:
            part, value = change
            if part is None:  # every part back to the default level and channel
                level.clear()
                receives = list(range(16))
            else:
                level[part] = value
        elif (moved := part_receives(data)) is not None:
            receives[moved[0]] = moved[1]
    heard: dict[int, set[int]] = {}
    for part, channel in enumerate(receives):
        if channel < 16:
            heard.setdefault(channel, set()).add(level.get(part, DEFAULT_VOLUME))
    return {channel: min(values) for channel, values in heard.items() if len(values) == 1}


def gs_channel(block: int) -> int:
    """The channel a GS part block serves by default: block 0 is part 10 (the drums), 1 to 9 are parts 1
    to 9, 10 to 15 are parts 11 to 16."""
    if block == 0:
        return 9
    return block - 1 if block <= 9 else block
