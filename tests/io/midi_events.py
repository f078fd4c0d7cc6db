"""Every event of a MIDI file in seconds, read by mido (not by our reader), for round-trip comparisons.

``events(data)`` lists what a listener or another program sees: notes paired first in, first out per
channel and pitch as a player merging the tracks meets them (a note-off in another track on the channel
releases a note; one never released is closed at its track's end), each controller lane's values in
order, tempo, meter and key events, markers and text, SysEx and other meta events. ``assert_kept(a, b)``
checks that every event of ``a`` is in ``b`` at the same time (within a millisecond), that every note plays
with the same bank and program, and that tempo, meter or key changes, SysEx and kept meta events stated together at
one moment keep their order (the last change is in force), allowing only what the
issue allows: a zero-length note may end one tick later, and the export may state MIDI's default tempo and
meter at the start, but no program change, volume or track name: those come back as the file had them,
none added.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

import mido

MS = 1e-3


def type1_file(tracks, tpb: int = 480, charset: str = "latin1", kind: int = 1) -> bytes:
    """A type-1 file's bytes (``kind`` 0: type 0, one track) from one list of (tick, message) a track, each
    list in any order: messages at one tick keep the order given, as a test that states events together
    means them."""
    midi = mido.MidiFile(type=kind, ticks_per_beat=tpb, charset=charset)
    for timed in tracks:
        track, now = mido.MidiTrack(), 0
        for tick, msg in sorted(timed, key=lambda e: e[0]):
            track.append(msg.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def type0_file(timed) -> bytes:
    """A type-0 file's bytes from (tick, message) pairs, in any order: messages at one tick keep the order
    given."""
    return type1_file([timed], kind=0)


@dataclass
class FileEvents:
    # (channel, pitch, velocity, on_s, off_s, one_tick_later_s, release velocity): one_tick_later_s is
    # None unless zero-length; the release velocity is a note-off's (0 for a note-on at velocity 0)
    notes: list[tuple] = field(default_factory=list)
    lanes: dict[tuple, list[tuple[float, tuple]]] = field(default_factory=lambda: defaultdict(list))
    meta: list[tuple[float, str, tuple]] = field(default_factory=list)  # tempo, meter, key, text, markers
    raw: list[tuple[float, bytes]] = field(default_factory=list)  # SysEx and unknown meta
    # each SysEx (its time, bytes, and which of that at its moment), with the controller messages at its
    # moment a player merging the tracks sends before it
    sysex_after: dict[tuple, list[tuple]] = field(default_factory=dict)
    played: list[tuple] = field(default_factory=list)  # (channel, pitch, instrument at its note-on, on_s)
    track_names: list[str] = field(default_factory=list)
    smpte: bool = False  # absolute time: a metrical export states it as one tempo at the start


def _tempo_map(midi: mido.MidiFile) -> list[tuple[int, int]]:
    changes = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "set_tempo":
                changes.append((tick, msg.tempo))
    changes.sort(key=lambda c: c[0])
    return changes


def _seconds(midi: mido.MidiFile, smpte: tuple[int, int] | None):
    if smpte:
        fps, per_frame = smpte
        rate = (29.97 if fps == 29 else fps) * per_frame
        return lambda tick: tick / rate
    tpb = midi.ticks_per_beat
    points = [(0, 0.0, 500000)]
    for tick, tempo in _tempo_map(midi):
        t0, s0, old = points[-1]
        points.append((tick, s0 + (tick - t0) * old / 1e6 / tpb, tempo))

    def seconds(tick: int) -> float:
        t0, s0, tempo = next(p for p in reversed(points) if p[0] <= tick)
        return s0 + (tick - t0) * tempo / 1e6 / tpb

    return seconds


def _smpte(data: bytes) -> tuple[int, int] | None:
    division = int.from_bytes(data[12:14], "big")
    return (256 - (division >> 8), division & 0xFF) if division & 0x8000 else None


def events(data: bytes) -> FileEvents:
    midi = mido.MidiFile(file=io.BytesIO(data), charset="latin1")
    smpte = _smpte(data)
    sec = _seconds(midi, smpte)
    out = FileEvents(smpte=smpte is not None)
    out.notes = _notes(midi, sec)
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            t = sec(tick)
            if msg.type in ("note_on", "note_off"):
                continue
            elif msg.type == "control_change":
                out.lanes[(msg.channel, "cc", msg.control)].append((t, (msg.value,)))
            elif msg.type in ("pitchwheel", "program_change", "aftertouch"):
                value = {"pitchwheel": "pitch", "program_change": "program", "aftertouch": "value"}[msg.type]
                out.lanes[(msg.channel, msg.type, 0)].append((t, (getattr(msg, value),)))
            elif msg.type == "polytouch":
                out.lanes[(msg.channel, "polytouch", msg.note)].append((t, (msg.value,)))
            elif msg.type == "set_tempo":
                if not smpte:
                    out.meta.append((t, "tempo", (msg.tempo,)))
            elif msg.type == "time_signature":
                fields = (
                    msg.numerator,
                    msg.denominator,
                    msg.clocks_per_click,
                    msg.notated_32nd_notes_per_beat,
                )
                out.meta.append((t, "meter", fields))
            elif msg.type == "key_signature":
                out.meta.append((t, "key", (msg.key,)))
            elif msg.type == "track_name":
                out.track_names.append(_text(msg.name))
            elif msg.type in ("marker", "lyrics", "text", "copyright", "cue_marker"):
                out.meta.append((t, msg.type, (_text(msg.text),)))
            elif msg.type == "instrument_name":  # mido names its text ``name``
                out.meta.append((t, msg.type, (_text(msg.name),)))
            elif msg.type == "sysex":
                out.raw.append((t, bytes(msg.bin())))
            elif msg.is_meta and msg.type != "end_of_track":
                out.raw.append((t, bytes(msg.bytes())))
    for values in out.lanes.values():  # in the order a player meets them: by time, then by track
        values.sort(key=lambda v: v[0])
    out.played = played(midi, sec)
    out.sysex_after = _sysex_after(midi, sec)
    return out


def _sysex_after(midi: mido.MidiFile, sec) -> dict[tuple, list[tuple]]:
    """``FileEvents.sysex_after``: the controller messages (bytes) a player merging the tracks sends before
    each SysEx at its moment; the tracks in turn, each in its order."""
    timed = []
    for number, track in enumerate(midi.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "sysex" or (not msg.is_meta and msg.type not in ("note_on", "note_off")):
                timed.append((tick, number, len(timed), msg))
    timed.sort(key=lambda e: e[:3])
    out, seen, now, before = {}, defaultdict(int), None, []
    for tick, _, _, msg in timed:
        if tick != now:
            now, before = tick, []
        if msg.type == "sysex":
            key = (round(sec(tick), 9), bytes(msg.bin()))
            out[(*key, seen[key])] = sorted(before)
            seen[key] += 1
        else:
            before.append(tuple(msg.bytes()))
    return out


def _notes(midi: mido.MidiFile, sec) -> list[tuple]:
    """Every note (see ``FileEvents.notes``): paired first in, first out within its track; a note-off
    with no note of its track to release releases the earliest struck of those sounding on its channel and
    pitch in other tracks, as a player merging the tracks meets them (by time, then track by track). A
    note never released ends at its own track's last event (mido plays on past an early end-of-track, so
    the music after one counts)."""
    notes, strays = [], []  # notes: [channel, pitch, velocity, start, end or None, track, release]
    ends = []
    for number, track in enumerate(midi.tracks):
        tick = 0
        sounding: dict[tuple[int, int], list[list]] = defaultdict(list)
        for msg in track:
            tick += msg.time
            if msg.type not in ("note_on", "note_off"):
                continue
            queue = sounding[(msg.channel, msg.note)]
            release = msg.velocity if msg.type == "note_off" else 0
            if msg.type == "note_on" and msg.velocity:
                note = [msg.channel, msg.note, msg.velocity, tick, None, number, 0]
                queue.append(note)
                notes.append(note)
            elif queue:
                queue.pop(0)[4:7:2] = (tick, release)
            else:
                strays.append((tick, number, msg.channel, msg.note, release))
        ends.append(tick)
    for tick, number, channel, pitch, release in strays:
        sounding = [
            n
            for n in notes
            if n[:2] == [channel, pitch] and (n[3], n[5]) < (tick, number) and (n[4] is None or n[4] > tick)
        ]
        if sounding:
            min(sounding, key=lambda n: (n[3], n[5]))[4:7:2] = (tick, release)
    out = []
    for channel, pitch, vel, start, end, number, release in notes:
        end = ends[number] if end is None else end
        later = sec(end + 1) if start == end else None
        out.append((channel, pitch, vel, sec(start), sec(end), later, release))
    return out


def played(midi: mido.MidiFile, sec) -> list[tuple]:
    """(channel, pitch, instrument, seconds) of every note struck: the instrument (bank select MSB, LSB,
    program) in force at its note-on as a player merging the tracks meets them (by time, then track by
    track). A bank select takes effect at the channel's next program change, so one sent after a program
    at the same tick is for a later program.

    One allowance: within a track, a program change at a note's own tick counts as coming before it (our
    tracks hold controllers and notes apart, and write a tick's controllers first).
    """
    timed = []
    for number, track in enumerate(midi.tracks):
        tick = 0
        for msg in track:
            tick += msg.time
            bank = msg.type == "control_change" and msg.control in (0, 32)
            if bank or msg.type == "program_change" or (msg.type == "note_on" and msg.velocity):
                timed.append((tick, number, msg.type == "note_on", msg))
    timed.sort(key=lambda e: e[:3])
    banks: dict[int, dict[int, int]] = defaultdict(lambda: {0: 0, 32: 0})
    instrument, out = {}, []
    for tick, _, _, msg in timed:
        if msg.type == "control_change":
            banks[msg.channel][msg.control] = msg.value
        elif msg.type == "program_change":
            instrument[msg.channel] = (banks[msg.channel][0], banks[msg.channel][32], msg.program)
        else:
            out.append((msg.channel, msg.note, instrument.get(msg.channel, (0, 0, 0)), sec(tick)))
    return out


def _text(latin1: str) -> str:
    """Text as a reader decoding each string as UTF-8 where valid (else Latin-1) sees it."""
    raw = latin1.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return latin1


def _close(a: float, b: float, tolerance: float = MS) -> bool:
    return abs(a - b) < tolerance


def _matched(expected: list, found: list, key, same) -> list:
    """The items of ``expected`` with no partner in ``found`` (equal ``key``, and ``same(item, found)``)."""
    pool = defaultdict(list)
    for item in found:
        pool[key(item)].append(item)
    missing = []
    for item in expected:
        candidates = pool[key(item)]
        hit = next((c for c in candidates if same(item, c)), None)
        if hit is None:
            missing.append(item)
        else:
            candidates.remove(hit)
    return missing


def _same_note(a: tuple, b: tuple) -> bool:
    """Same start, and the same end, or one tick later for a zero-length note."""
    return _close(a[3], b[3]) and (_close(a[4], b[4]) or (a[5] is not None and _close(a[5], b[4])))


def _same_time(a: tuple, b: tuple) -> bool:
    return _close(a[0], b[0])


def _in_file_order(meta: list, kind: str) -> dict[float, list[tuple]]:
    """The values of one kind (tempo, meter, key) at each tick, in the order a player meets them: where a
    file states two at one tick, the last is in force."""
    return _by_tick([(t, value) for t, k, value in meta if k == kind])


def _by_tick(timed: list[tuple]) -> dict[float, list]:
    """``(time, item)`` pairs as the items at each tick (its time to the nanosecond, finer than any tick),
    in the order given: track by track, each in file order, as a player merging the tracks meets them."""
    out = defaultdict(list)
    for t, item in timed:
        out[round(t, 9)].append(item)
    return out


def assert_kept(before: FileEvents, after: FileEvents) -> None:
    """Every event of ``before`` is in ``after`` at the same time; see the module docstring."""
    lost_notes = _matched(before.notes, after.notes, key=lambda n: (*n[:3], n[6]), same=_same_note)
    assert not lost_notes, f"notes lost or changed: {lost_notes[:5]}"
    # every track name the file holds, an empty one too, and none it does not (a part it left unnamed
    # went out named for its instrument)
    assert sorted(after.track_names) == sorted(before.track_names)
    assert len(after.notes) == len(before.notes)
    for lane, values in before.lanes.items():
        # a program change and a volume (CC 7) too: a part states them only where its file did
        # (``Track.program_stated``), so none is added at the start
        got = list(after.lanes.get(lane, []))
        assert [v for _, v in got] == [v for _, v in values], f"lane {lane} changed"
        assert all(_close(a, b) for (a, _), (b, _) in zip(got, values, strict=True)), f"lane {lane} moved"
    extra_lanes = set(after.lanes) - set(before.lanes)
    assert not extra_lanes, f"lanes added: {sorted(extra_lanes)[:5]}"
    # each note plays the bank and program it played, on a channel tracks share too (a bank select one
    # track leaves waiting for a program is not taken by a program the export adds for the other)
    wrong = _matched(
        before.played,
        after.played,
        key=lambda p: p[:3],
        same=lambda a, b: _close(a[3], b[3]),
    )
    assert not wrong, f"notes play another instrument: {wrong[:5]}"
    lost_meta = _matched(before.meta, after.meta, key=lambda m: (m[1], m[2]), same=_same_time)
    assert not lost_meta, f"meta events lost or moved: {lost_meta[:5]}"
    defaults = {(0.0, "tempo", (500000,)), (0.0, "meter", (4, 4, 24, 8))}
    # MIDI's default tempo and meter stated at the start where the file leaves them unsaid; taken out before
    # matching, so a file's own 4/4 a tick later is not matched to it and then counted as added
    stated = [m for m in after.meta if not (m in defaults and m not in before.meta)]
    added = _matched(stated, before.meta, key=lambda m: (m[1], m[2]), same=_same_time)
    allowed = lambda m: before.smpte and m[:2] == (0.0, "tempo")  # noqa: E731
    assert all(allowed(m) for m in added), f"meta events added: {added[:5]}"
    for kind in ("tempo", "meter", "key"):
        changes = _in_file_order(before.meta, kind)
        got = _in_file_order(after.meta, kind)
        moved = {t: v for t, v in changes.items() if len(v) > 1 and got.get(t) != v}
        assert not moved, f"{kind} changes at one moment reordered (the last is in force): {moved}"
    lost_raw = _matched(before.raw, after.raw, key=lambda r: r[1], same=_same_time)
    assert not lost_raw, f"SysEx or meta events lost: {lost_raw[:5]}"
    raw_after = _by_tick(after.raw)
    moved = {t: r for t, r in _by_tick(before.raw).items() if len(r) > 1 and raw_after[t] != r}
    assert not moved, f"SysEx or meta events at one moment reordered: {moved}"
    for key, controls in before.sysex_after.items():
        # the controllers sent before a SysEx at its moment still are (a GS reset undoes them); at the start
        # the export states each track's settings in an order of its own, and may add MIDI's defaults
        got = after.sysex_after.get(key)
        assert got is not None, f"SysEx lost: {key}"
        same = _multiset_within(controls, got) if key[0] == 0 else controls == got
        assert same, f"controllers moved across a SysEx at {key[0]} s: {controls} became {got}"


def _multiset_within(items: list, within: list) -> bool:
    """Whether every item of ``items`` is in ``within``, each as often."""
    pool = list(within)
    for item in items:
        if item not in pool:
            return False
        pool.remove(item)
    return True
