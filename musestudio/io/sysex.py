"""What a SysEx message does to the synth that gets it: whether it resets the whole device, which settings
it writes, and which part it is addressed to.

MIDI out sends a file's SysEx again where the transport jumps or loops. A reset (GS Reset, GM System On)
takes a hardware synth tens of milliseconds and mutes or drops the notes right after it, so knowing what
each message sets lets the scheduler bring the device back to where the file has it by sending only the
settings that differ, resetting only where nothing else can (``audio.scheduler``). Drag-out carries the
resets and the dragged part's own messages into the dragged file, not the other parts' (``ui.dragout``).

Only the common families are read: Roland's data set (``41 dd mm 12 aa aa aa vv.. cs``, for GS and the
SC and MT models with three-byte addresses), Yamaha's parameter change (XG: ``43 1n 4C aa aa aa vv..``) and
the universal device controls (master volume, balance, tuning: ``7F dd 04 nn ..``). A part is served by the
channel of its number (the synths' default; a file that lets a part receive another, which ``part_levels``
reads, is read here as if it did not). Any other message is a setting of its own: sent again, it does
again what it did.
"""

from __future__ import annotations

from collections.abc import Hashable

from musestudio.io.part_levels import gs_channel

#: Roland models whose data set messages carry a three-byte address: GS, SC-55 display, MT-32 and D-series.
_ROLAND_3_BYTE = frozenset({0x42, 0x45, 0x16})


def is_system_reset(data: bytes) -> bool:
    """Whether ``data`` (from F0 to F7) sets the whole device back to its defaults: GM System On and Off,
    GM2 System On, GS Reset, a GS system mode set, XG System On, XG All Parameter Reset."""
    if data[:2] == b"\xf0\x7e" and len(data) == 6:
        return data[3] == 0x09 and data[4] in (0x01, 0x02, 0x03)
    if _roland(data):
        return data[5:8] in (b"\x40\x00\x7f", b"\x00\x00\x7f")
    if _yamaha(data):
        return data[4:7] in (b"\x00\x00\x7e", b"\x00\x00\x7f")
    return False


def settings(data: bytes) -> dict[Hashable, Hashable]:
    """The settings a message (not a reset) writes, each by its address with the value it gets: one per byte
    of a Roland or Yamaha parameter message, one per universal device control. Any other message is one
    setting of its own, which it keeps once sent."""
    if _roland(data):
        start = data[5] << 14 | data[6] << 7 | data[7]
        head = ("roland", data[2], data[3])
        return {(*head, start + i): v for i, v in enumerate(data[8:-2])}
    if _yamaha(data):
        a, b, c = data[4:7]
        head = ("yamaha", data[2] & 0x0F, data[3], a, b)
        return {(*head, c + i): v for i, v in enumerate(data[7:-1])}
    if data[:2] == b"\xf0\x7f" and len(data) > 6 and data[3] == 0x04:
        return {("universal", data[2], data[4]): data[5:-1]}
    return {("message", data): True}


def is_own_setting(address: Hashable) -> bool:
    """Whether ``address`` (of ``settings``) is a message read as a whole: what it writes is not known, so it
    may change anything another message set."""
    return address[0] == "message"


def part_channel(data: bytes) -> int | None:
    """The channel whose part a message sets (a GS part parameter, ``40 1p ..``, ``40 2p ..`` or
    ``40 4p ..``; an XG multi part parameter, ``08 pp ..``), None for a message of the whole device."""
    if _roland(data) and data[3] == 0x42 and data[5] == 0x40 and data[6] >> 4 in (1, 2, 4):
        return gs_channel(data[6] & 0x0F)
    if _yamaha(data) and data[4] == 0x08 and data[5] < 16:
        return data[5]
    return None


def _roland(data: bytes) -> bool:
    """A Roland data set with a three-byte address and at least one value (then its checksum and F7)."""
    return data[:2] == b"\xf0\x41" and len(data) >= 11 and data[3] in _ROLAND_3_BYTE and data[4] == 0x12


def _yamaha(data: bytes) -> bool:
    """A Yamaha XG parameter change with at least one value."""
    return data[:2] == b"\xf0\x43" and len(data) >= 9 and data[2] >> 4 == 1 and data[3] == 0x4C
