"""Standard MIDI file chunks <-> flat event lists, fast enough for a million notes.

mido parses a file into one Python object per message (15 s and 535 MB for a 1M-note file on our test
machine), so the hot path reads the chunks here: delta times, running status and the three kinds of
event (channel messages, SysEx, meta), nothing more. What each event means is decided in ``midi``. mido
stays the reference: the tests read every file we read or write with mido and compare.

A track comes back as plain tuples in file order (see ``RawTrack``): notes paired on the way, so a
million-note file never holds two million message objects, controller values, and meta events and
SysEx in one list, so their order at one tick stays the file's, plus the end-of-track tick.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from musestudio.core.errors import Coded
from musestudio.core.events import CHANNEL_PRESSURE as PRESSURE_LANE
from musestudio.core.events import PITCH_BEND as PITCH_BEND_LANE
from musestudio.core.events import POLY_PRESSURE_BASE as POLY_BASE
from musestudio.core.events import PROGRAM as PROGRAM_LANE


class SmfError(Coded, ValueError):
    """The bytes are not a readable standard MIDI file; the message says why in plain words, and ``code``
    with ``params`` name the problem for the window to say in the user's language (``Coded``)."""


@dataclass
class RawTrack:
    """One track chunk, its notes already paired.

    ``notes`` maps a channel to ``(start, end, pitch, velocity, release velocity)`` rows in the order the notes closed;
    ``controls`` holds ``(tick, channel, lane, value, after_strikes, after_releases)`` for every other
    channel message (lanes as in ``core.events``; ``after_strikes``: it came after a note-on of its channel
    at its tick; ``after_releases``: not so, but after a note-off of one of the track's notes on its channel
    there); ``meta`` holds ``(tick, status, type, payload)`` for meta events (status 0xFF and
    their type) and SysEx (status 0xF0 or 0xF7, type 0) in file order; ``channels`` lists every channel
    the track used, in order. ``stray_offs`` holds ``(tick, channel, pitch, release velocity)`` for each
    note-off with no note of its own track to close (a file may release a note in another track on the
    channel: ``midi`` pairs them), and ``unreleased`` ``(channel, start, pitch)`` for each note of ``notes``
    that ends at the track's end only because the track never released it. ``meta_controls`` holds, for
    each entry of ``meta``, how many entries of ``controls`` came before it in the file (a controller sent
    before a GS reset at one tick is undone by it; one sent after it is not).
    """

    notes: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    controls: list[tuple[int, int, int, int, bool, bool]] = field(default_factory=list)
    meta: list[tuple[int, int, int, bytes]] = field(default_factory=list)
    channels: list[int] = field(default_factory=list)
    end_tick: int = 0
    stray_offs: list[tuple[int, int, int, int]] = field(default_factory=list)
    unreleased: list[tuple[int, int, int]] = field(default_factory=list)
    meta_controls: list[int] = field(default_factory=list)


@dataclass
class RawFile:
    """The header, and where each track chunk lies: tracks are read one at a time with ``track(i)``, so
    only one track's raw rows are in memory at once."""

    format: int
    division: int  # ticks per beat, or the raw SMPTE word when ``smpte`` is set
    smpte: tuple[int, int] | None  # (frames per second as written: 24, 25, 29, 30; ticks per frame)
    data: bytes
    chunks: list[tuple[int, int]]

    def track(self, index: int) -> RawTrack:
        return read_track(self.data, *self.chunks[index])


def read_file(data: bytes) -> RawFile:
    if len(data) < 14:
        raise SmfError("it ends too early", "smf_ends_early")
    if data[:4] != b"MThd":
        raise SmfError("it does not start with a MIDI header", "smf_no_header")
    (length,) = struct.unpack(">I", data[4:8])
    if length < 6:
        raise SmfError("its header is too short", "smf_short_header")
    fmt, ntracks, division = struct.unpack(">HHH", data[8:14])
    smpte = None
    if division & 0x8000:
        fps = 256 - (division >> 8)
        smpte = (fps, division & 0xFF)
        if fps not in (24, 25, 29, 30) or smpte[1] == 0:
            raise SmfError(
                f"its SMPTE time division ({fps} frames per second) is not one MIDI defines",
                "smf_smpte",
                fps=fps,
            )
    elif division == 0:
        raise SmfError("its time division is zero ticks per beat", "smf_zero_division")
    pos = 8 + length
    chunks: list[tuple[int, int]] = []
    while pos < len(data) and len(chunks) < ntracks:
        if pos + 8 > len(data):
            raise SmfError("it ends too early", "smf_ends_early")
        kind = data[pos : pos + 4]
        (size,) = struct.unpack(">I", data[pos + 4 : pos + 8])
        body_start, body_end = pos + 8, pos + 8 + size
        if body_end > len(data):
            raise SmfError("it ends too early (a track is cut short)", "smf_track_cut")
        if kind == b"MTrk":
            chunks.append((body_start, body_end))
        pos = body_end  # chunks of unknown kinds are skipped, as the standard asks
    if not chunks and ntracks:
        raise SmfError("it ends too early", "smf_ends_early")
    return RawFile(fmt, division, smpte, data, chunks)


def read_track(data: bytes, pos: int, end: int) -> RawTrack:
    """One MTrk body, with notes paired first in, first out per channel and pitch.

    A note-on with velocity 0 is a note-off. A note-off closes the oldest sounding note of its pitch, so
    overlapping notes of one pitch keep their own lengths; a note-off with nothing to close is kept apart
    (``stray_offs``: it may close a note of another track); notes still sounding at the end of the track
    end there (``unreleased``). Running status carries over meta and SysEx
    events (many writers rely on that). The track ends at the end of its chunk: events after an early
    end-of-track are read as players read them, and dropped only where they are not readable MIDI.
    """
    track = RawTrack()
    meta, controls, meta_controls = track.meta, track.controls, track.meta_controls
    sounding: list[list[tuple[int, int]]] = [[] for _ in range(16 * 128)]  # channel << 7 | pitch
    by_channel: list[list[tuple[int, int, int, int]]] = [[] for _ in range(16)]
    used = [False] * 16
    # per channel: the tick of its last note-off (of a note of this track) and of its last note-on: a
    # controller sent after one of them at its tick goes back out after it
    last_off, last_on = [-1] * 16, [-1] * 16
    tick = 0
    status = 0
    early_end: _Resume | None = None
    try:
        while pos < end:
            b = data[pos]
            pos += 1
            if b < 0x80:
                tick += b
            else:
                delta = b & 0x7F
                while b & 0x80:
                    b = data[pos]
                    pos += 1
                    delta = (delta << 7) | (b & 0x7F)
                tick += delta
            b = data[pos]
            if b >= 0xF0:
                pos += 1
                if b == 0xFF:
                    kind = data[pos]
                    length, pos = _vlq(data, pos + 1)
                    if pos + length > end:
                        raise SmfError("it ends too early (an event is cut short)", "smf_event_cut")
                    payload = data[pos : pos + length]
                    pos += length
                    if kind == 0x2F:
                        if pos >= end:
                            break
                        # an end-of-track before the chunk's end: players (mido) play on, so do we,
                        # unless what follows is not MIDI (padding or garbage)
                        early_end = _Resume(tick, track, by_channel, used, sounding)
                        continue
                    meta.append((tick, 0xFF, kind, payload))
                    meta_controls.append(len(controls))
                elif b in (0xF0, 0xF7):
                    length, pos = _vlq(data, pos)
                    if pos + length > end:
                        raise SmfError("it ends too early (a SysEx message is cut short)", "smf_sysex_cut")
                    meta.append((tick, b, 0, data[pos : pos + length]))
                    meta_controls.append(len(controls))
                    pos += length
                else:
                    raise SmfError(
                        f"it holds a system message (0x{b:02X}) a file may not contain",
                        "smf_system",
                        status=f"0x{b:02X}",
                    )
                continue
            if b & 0x80:
                status = b
                pos += 1
            elif not status:
                raise SmfError("a data byte comes before any status byte", "smf_no_status")
            kind = status & 0xF0
            ch = status & 0x0F
            used[ch] = True
            d1 = data[pos]
            if kind == 0x90 or kind == 0x80:  # the bulk of any file: notes first
                d2 = data[pos + 1]
                pos += 2
                if (d1 | d2) & 0x80:
                    raise SmfError("a MIDI message holds a value above 127", "smf_value_above_127")
                queue = sounding[ch << 7 | d1]
                if kind == 0x90 and d2:
                    queue.append((tick, d2))
                    last_on[ch] = tick
                elif queue:
                    start, velocity = queue.pop(0)
                    by_channel[ch].append((start, tick, d1, velocity, d2 if kind == 0x80 else 0))
                    last_off[ch] = tick
                else:
                    track.stray_offs.append((tick, ch, d1, d2 if kind == 0x80 else 0))
                continue
            if kind == 0xC0 or kind == 0xD0:
                d2 = 0
                pos += 1
            else:
                d2 = data[pos + 1]
                pos += 2
            if (d1 | d2) & 0x80:
                raise SmfError("a MIDI message holds a value above 127", "smf_value_above_127")
            after = last_on[ch] == tick
            released = not after and last_off[ch] == tick
            if kind == 0xB0:
                controls.append((tick, ch, d1, d2, after, released))
            elif kind == 0xE0:
                controls.append((tick, ch, PITCH_BEND_LANE, ((d2 << 7) | d1) - 8192, after, released))
            elif kind == 0xC0:
                controls.append((tick, ch, PROGRAM_LANE, d1, after, released))
            elif kind == 0xD0:
                controls.append((tick, ch, PRESSURE_LANE, d1, after, released))
            else:  # 0xA0: polyphonic aftertouch
                controls.append((tick, ch, POLY_BASE + d1, d2, after, released))
        if pos > end:
            raise SmfError("it ends too early (a track is cut short)", "smf_track_cut")
    except (IndexError, SmfError) as e:
        if early_end is None:
            if isinstance(e, SmfError):
                raise
            raise SmfError("it ends too early (a track is cut short)", "smf_track_cut") from None
        tick = early_end.restore(track, by_channel, used, sounding)
    track.end_tick = tick
    for key, queue in enumerate(sounding):  # notes never released end with the track
        for start, velocity in queue:
            by_channel[key >> 7].append((start, tick, key & 0x7F, velocity, 0))
            track.unreleased.append((key >> 7, start, key & 0x7F))
    track.channels = [ch for ch in range(16) if used[ch]]
    track.notes = {ch: by_channel[ch] for ch in track.channels}
    return track


class _Resume:
    """What a track held at an early end-of-track, to go back to when what follows it is unreadable."""

    def __init__(
        self, tick: int, track: RawTrack, by_channel: list[list], used: list[bool], sounding
    ) -> None:
        self.tick = tick
        self.lengths = (len(track.meta), len(track.controls), len(track.stray_offs))
        self.notes = [len(rows) for rows in by_channel]
        self.used = list(used)
        self.sounding = {key: list(queue) for key, queue in enumerate(sounding) if queue}

    def restore(self, track: RawTrack, by_channel: list[list], used: list[bool], sounding) -> int:
        n_meta, n_controls, n_strays = self.lengths
        del track.meta[n_meta:], track.meta_controls[n_meta:]
        del track.controls[n_controls:], track.stray_offs[n_strays:]
        for rows, n in zip(by_channel, self.notes, strict=True):
            del rows[n:]
        used[:] = self.used
        for key, queue in enumerate(sounding):
            queue[:] = self.sounding.get(key, ())
        return self.tick


def _vlq(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for _ in range(4):
        b = data[pos]
        pos += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            return value, pos
    raise SmfError("a length or time is longer than MIDI allows", "smf_too_long")


# -- writing -------------------------------------------------------------------------------------------


def vlq(value: int) -> bytes:
    """MIDI's variable-length quantity (7 bits a byte, high bit set on all but the last)."""
    if value < 0 or value > 0x0FFFFFFF:
        raise ValueError(f"{value} does not fit MIDI's variable-length numbers")
    out = bytearray((value & 0x7F,))
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.reverse()
    return bytes(out)


def meta(kind: int, payload: bytes) -> bytes:
    return bytes((0xFF, kind)) + vlq(len(payload)) + payload


def track_chunk(timed: list[tuple[int, bytes]], end: int = 0) -> bytes:
    """An MTrk chunk from (absolute tick, event bytes) pairs already in order, closed by end-of-track at
    ``end``, or with its last event where that is later.

    MIDI's deltas reach 2^28 - 1 ticks; a longer gap is bridged with a no-op (an empty text event).
    """
    out = bytearray()
    now = 0
    for tick, event in (*timed, (max(end, timed[-1][0] if timed else 0), meta(0x2F, b""))):
        out += _delta(tick - now)
        out += event
        now = tick
    return b"MTrk" + struct.pack(">I", len(out)) + bytes(out)


def _delta(ticks: int) -> bytes:
    """The delta time of ``ticks``; past MIDI's 2^28 - 1, no-ops (empty text events) bridge the gap."""
    limit = 0x0FFFFFFF
    out = bytearray()
    while ticks > limit:
        out += vlq(limit) + meta(0x01, b"")
        ticks -= limit
    return bytes(out + vlq(ticks))


def file_bytes(fmt: int, tpb: int, chunks: list[bytes]) -> bytes:
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(chunks), tpb) + b"".join(chunks)
