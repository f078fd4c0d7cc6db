"""Insert Bars then Delete Bars of the same bars on a piece opened from a MIDI file: the file it exports is
the one it exported before, byte for byte, and the piece is the one opened.

The files are as files come: a part's set-up at tick 0 (banks, programs, volume, a GM or GS reset among
them, ``start_messages``), then its music anywhere in the first bars, at bar lines and between them:
notes, pedals and other lanes, programs, bends, resets, lyrics and text. Bars go in before bar 1 too,
where the file's set-up stays at the start and the music moves, and Delete Bars must put each back in
the order the file sent it (a reset sent before a bend undoes it; one sent after, not).
"""

from __future__ import annotations

import io
from collections import Counter

import mido
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from midi_events import type1_file
from project_strategies import START_SYSEX, start_messages

from musestudio.core.bars import bar_line, bars_span, delete_bars, insert_bars
from musestudio.io.midi import midi_from_bytes, midi_to_bytes

TPB = 480
#: Where music goes: the start, inside bar 1, and on and between the next bar lines of a 2/4, 3/4 or 4/4.
_TICKS = st.sampled_from((0, 0, 240, 480, 960, 1440, 1920, 2400, 2880))
_TEXTS = st.sampled_from(("lyrics", "lyrics", "text", "cue_marker", "copyright", "instrument_name"))


@st.composite
def _music(draw, channel: int) -> list[tuple[int, mido.Message]]:
    """(tick, message) of a part's music after its set-up, in the order a file sends them."""
    out = []
    for kind in draw(st.lists(st.sampled_from(("note", "note", "cc", "program", "bend", "sysex", "text")))):
        tick = draw(_TICKS)
        if kind == "note":
            pitch, length = draw(st.integers(55, 67)), draw(st.sampled_from((240, 480, 1920)))
            out.append((tick, mido.Message("note_on", channel=channel, note=pitch, velocity=90)))
            out.append((tick + length, mido.Message("note_off", channel=channel, note=pitch)))
        elif kind == "cc":
            control = draw(st.sampled_from((0, 32, 1, 7, 10, 64, 66, 91)))
            value = draw(st.sampled_from((0, 5, 127)))
            out.append((tick, mido.Message("control_change", channel=channel, control=control, value=value)))
        elif kind == "program":
            program = draw(st.sampled_from((0, 5, 40)))
            out.append((tick, mido.Message("program_change", channel=channel, program=program)))
        elif kind == "bend":
            pitch = draw(st.sampled_from((0, 100, -2000)))
            out.append((tick, mido.Message("pitchwheel", channel=channel, pitch=pitch)))
        elif kind == "sysex":
            out.append((tick, mido.Message("sysex", data=draw(st.sampled_from(START_SYSEX)))))
        else:
            text = draw(_TEXTS)
            field = "name" if text == "instrument_name" else "text"
            out.append((tick, mido.MetaMessage(text, **{field: "la"})))
    return sorted(out, key=lambda e: e[0])  # stable: messages at one tick keep the order drawn


@st.composite
def part_files(draw) -> bytes:
    """A type-1 file: a conductor track with its meter, then one or two parts, each its set-up then its
    music, which may rest through bar 1 (a part coming in at bar 2 sets up its sound at the start). A part
    may leave its program and volume to the synth (a piano part often states neither): with its notes
    deleted it sends its lanes alone (``sends_only_its_lanes``)."""
    beats = draw(st.sampled_from((2, 3, 4)))
    meter = mido.MetaMessage("time_signature", numerator=beats, denominator=4)
    parts = []
    for channel in range(draw(st.integers(1, 2))):
        set_up = draw(start_messages(channel))
        if draw(st.booleans()):
            set_up = [m for m in set_up if m.type != "program_change" and m.dict().get("control") != 7]
        rest = draw(st.sampled_from((0, 0, beats * TPB)))
        music = [(tick + rest, msg) for tick, msg in draw(_music(channel))]
        parts.append([*((0, msg) for msg in set_up), *music])
    return type1_file([[(0, meter)], *parts], TPB)


#: Found by the property below: a part striking its first note, then sending a program, a GM reset and a text
#: at tick 0. Bars put in before bar 1 took the program and the reset along with the note and left the text
#: behind, so deleting them again sent the text first.
_TEXT_AFTER_A_RESET_AFTER_THE_NOTE = (
    b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x00\x0c\x00\xffX\x04\x02\x02\x18\x08\x00\xff/\x00"
    b"MTrk\x00\x00\x00\x1e\x00\x907Z\x00\xc0\x00\x00\xf0\x05~\x7f\t\x01\xf7\x00\xff\x01\x02la\x81p\x807@\x00\xff/\x00"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part_files(), st.integers(0, 3), st.integers(1, 2))
@example(_TEXT_AFTER_A_RESET_AFTER_THE_NOTE, 0, 1)
def test_bars_inserted_into_a_file_and_deleted_again_export_the_same_file(data, index, count):
    project = midi_from_bytes(data)
    at = bar_line(project.time_signatures, project.ticks_per_beat, index)
    assume(at < project.length)
    inserted = insert_bars(project, at, count)
    restored = delete_bars(inserted, *bars_span(inserted, index, count))
    assert midi_to_bytes(restored) == midi_to_bytes(project)
    assert restored == project


def _sent_at_start(data: bytes) -> list[str]:
    """The hex of each channel message and SysEx the file's last track sends at tick 0, in order."""
    sent, tick = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        tick += msg.time
        if tick:
            break
        if not msg.is_meta:
            sent.append(msg.hex())
    return sent


def test_a_bend_sent_after_a_reset_among_bank_selects_stays_after_it_when_bar_1_goes():
    """A part sending a bank select, a GM reset, a pitch bend and another bank select at tick 0, with no
    program or volume there, and a pan in bar 1. Bars inserted before bar 1 and
    deleted again give back its file; bar 1 deleted, its pan comes to the start and the bend still goes
    after the reset, which would undo it."""
    bank, gm_on, bend, fine = "B0 00 65", "F0 7E 7F 09 01 F7", "E0 76 43", "B0 00 0F"
    part = [(0, mido.Message.from_hex(m)) for m in (bank, gm_on, bend, fine)]
    part += [(0, mido.Message("note_on", note=60, velocity=90))]
    part += [(480, mido.Message("control_change", control=10, value=3))]
    part += [(1920, mido.Message("note_on", note=62, velocity=90))]  # bar 2
    piece = midi_from_bytes(type1_file([[], part], TPB))
    assert _sent_at_start(midi_to_bytes(piece)) == [bank, gm_on, bend, fine, "90 3C 5A"]
    restored = delete_bars(insert_bars(piece, 0, 1), 0, 4 * TPB)
    assert midi_to_bytes(restored) == midi_to_bytes(piece) and restored == piece
    sent = _sent_at_start(midi_to_bytes(delete_bars(piece, 0, 4 * TPB)))
    assert sent.index(gm_on) < sent.index(bend) and "B0 0A 03" in sent


_GM_ON = "F0 7E 7F 09 01 F7"


def _part_sent(data: bytes, tick: int) -> list[str]:
    """The hex of each channel message and SysEx the file's last track sends at ``tick``, in order."""
    sent, now = [], 0
    for msg in mido.MidiFile(file=io.BytesIO(data)).tracks[-1]:
        now += msg.time
        if now == tick and not msg.is_meta:
            sent.append(msg.hex())
    return sent


@pytest.mark.parametrize("bar", [0, 1])
def test_a_reset_stays_before_what_the_file_sent_after_it_when_a_parts_notes_go(bar):
    """A part on MIDI's defaults sends a pan, a GM reset and a reverb send at tick 0, and its only notes
    and a bend in bar 1 or bar 2. With that bar deleted it has no notes, so it sends its lanes alone, not
    its volume and program first: the reset still goes after the pan only, so the reverb send and the bend
    the file sent after it stay in force (counted among what it sent before, it went after both)."""
    pan, reverb, bend = "B0 0A 03", "B0 5B 28", "E0 64 40"
    part = [(0, mido.Message.from_hex(m)) for m in (pan, _GM_ON, reverb)]
    part += [(bar * 4 * TPB, mido.Message("note_on", note=60, velocity=90))]
    part += [(bar * 4 * TPB + 240, mido.Message.from_hex(bend))]
    part += [(bar * 4 * TPB + 480, mido.Message("note_off", note=60))]
    piece = midi_from_bytes(type1_file([[], part], TPB))
    after = midi_to_bytes(delete_bars(piece, *bars_span(piece, bar, 1)))
    sent = _part_sent(after, 0) + (_part_sent(after, 4 * TPB) if bar else [])
    assert sent == [pan, _GM_ON, reverb, bend]


#: Text a file's part keeps when the bars it lies in are deleted: it names the part or the piece.
_NAMING = ("copyright", "instrument_name")


def _what(msg: mido.Message) -> str | None:
    """What ``msg`` is to Delete Bars: a SysEx, a text, a control (its lane, for a control change, a program
    or a bend), or None (notes, names, the end)."""
    if msg.type == "sysex":
        return "sysex"
    if msg.type in ("lyrics", "text", "cue_marker", *_NAMING):
        return "text"
    if msg.type == "control_change":
        return f"cc{msg.control}"
    return msg.type if msg.type in ("program_change", "pitchwheel") else None


def _timed(data: bytes) -> list[list[tuple[int, mido.Message]]]:
    """Each part track's SysEx, texts and controls as (tick, message), in the order sent."""
    out = []
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks[1:]:
        tick, timed = 0, []
        for msg in track:
            tick += msg.time
            if _what(msg):
                timed.append((tick, msg))
        out.append(timed)
    return out


def _after_strikes(data: bytes) -> list[list[bool]]:
    """For each entry of ``_timed(data)``, whether its track sent it after a note-on at its tick."""
    out = []
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks[1:]:
        tick, struck, late = 0, -1, []
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity:
                struck = tick
            elif _what(msg):
                late.append(struck == tick)
        out.append(late)
    return out


def _kept_at_the_cut(
    was: list[tuple[int, mido.Message]],
    late: list[bool],
    now: list[tuple[mido.Message, bool]],
    start: int,
    end: int,
):
    """What a part sent from ``start`` to ``end`` that it sends at the cut once those bars are deleted, in
    the order sent: every SysEx, the texts at ``end``, the names in the bars and from bar 1 the set-up
    texts before its first lyric at the start, the controls at ``end`` and each lane's last in the bars
    where none at ``end`` sent before the notes struck there (``late``: which of ``was`` came after them)
    takes over (``now``, what it sends there and whether after the notes struck there, says which of those
    it still sends before the notes: one setting what was set already goes)."""
    window = [(t, m) for t, m in was if start <= t <= end]
    lyric = next((i for i, (t, m) in enumerate(window) if t == 0 and m.type == "lyrics"), len(window))
    at_end = {_what(m) for (t, m), after in zip(was, late, strict=True) if t == end and not after}
    last = {_what(m): i for i, (t, m) in enumerate(window) if t < end and _what(m) not in ("sysex", "text")}
    carried = [i for lane, i in last.items() if lane not in at_end]
    sent_controls = [m.hex() for m, after in now if _what(m) not in ("sysex", "text") and not after]
    still, k = set(), 0
    for i in sorted(carried):  # the lanes the bars left set come first, in the order kept
        if k < len(sent_controls) and window[i][1].hex() == sent_controls[k]:
            still.add(i)
            k += 1
    return [
        m
        for i, (t, m) in enumerate(window)
        if _what(m) == "sysex"
        or (_what(m) == "text" and (t == end or m.type in _NAMING or (t == 0 and i < lyric)))
        or (_what(m) != "text" and (t == end or i in still))
    ]


def _texts_with_sysex(messages: list[mido.Message]) -> list[str]:
    return [str(m.copy(time=0)) for m in messages if _what(m) in ("sysex", "text")]


def _controls_with_sysex(messages: list[mido.Message]) -> list[str]:
    return [m.hex() for m in messages if _what(m) != "text"]


def _between_sysex(messages: list[mido.Message]) -> list[Counter]:
    """The controls sent before each SysEx and after the last, each as a multiset: how they are ordered
    among themselves is heard the same (a bank select before or after a pan), which side of a reset not."""
    out = [Counter()]
    for m in messages:
        if _what(m) == "sysex":
            out += [Counter([m.hex()]), Counter()]
        elif _what(m) != "text":
            out[-1][m.hex()] += 1
    return out


#: Found by the property below: a part sending a program, a GM reset, a program, a GM reset, a bend, a bank
#: select and a pan (hard left) at tick 0, its one note in bar 2.
_TWO_RESETS = (
    b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x00\x0c\x00\xffX\x04\x02\x02\x18\x08\x00\xff/\x00"
    b"MTrk\x00\x00\x00/\x00\xc0\x00\x00\xf0\x05~\x7f\t\x01\xf7\x00\xc0\x00\x00\xf0\x05~\x7f\t\x01\xf7\x00\xe0\x00@"
    b"\x00\xb0\x00\x00\x00\n\x00\x87@\x907Z\x81p\x807@\x00\xff/\x00"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part_files(), st.integers(0, 3), st.integers(1, 2))
@example(_TWO_RESETS, 1, 1)
def test_deleted_bars_keep_each_sysex_where_the_file_sent_it(data, index, count):
    """Bars deleted from a file: what each part sends at the cut is what it sent in and at the end of the
    bars that it still sends, each SysEx among its texts and among its controls in the order the file sent
    them (a reset after a lyric, a pan or a bend still undoes it; one before it, not); at the start each
    SysEx goes after the controls it went after, less the volume and program that a part whose notes went
    with the bars no longer states. From bar 1 the cut is the start, where a part cannot always send its
    controls in the file's order (a bank select between two other lanes, ``Track.settings_and_lanes``):
    there only the texts are checked."""
    project = midi_from_bytes(data)
    start, end = bars_span(project, index, count)
    assume(start < project.length)
    exported, cut = midi_to_bytes(project), midi_to_bytes(delete_bars(project, start, end))
    was, now = _timed(exported), _timed(cut)
    for before, late, after, late_now in zip(
        was, _after_strikes(exported), now, _after_strikes(cut), strict=True
    ):
        at_cut = [m for t, m in after if t == start]
        sent_there = [(m, struck) for (t, m), struck in zip(after, late_now, strict=True) if t == start]
        expected = _kept_at_the_cut(before, late, sent_there, start, end)
        assert _texts_with_sysex(at_cut) == _texts_with_sysex(expected)
        if not start:
            continue
        assert _controls_with_sysex(at_cut) == _controls_with_sysex(expected)
        at_zero = _between_sysex([m for t, m in after if t == 0])
        was_at_zero = _between_sysex([m for t, m in before if t == 0])
        assert len(at_zero) == len(was_at_zero)
        assert all(n <= w for n, w in zip(at_zero, was_at_zero, strict=True))


def test_two_programs_with_a_reset_between_them_stay_before_the_second_reset():
    """``_TWO_RESETS``: the part's second program (its own) and second reset went out after the bend and the
    pan, so the reset undid the pan and the part played centred, not hard left; counted as sent before the
    first reset (``Track.sound_before_lanes``), the programs went after the lanes. Exported, and with bar 2
    deleted (its note gone, it sends its lanes alone), every control stays on the side of each reset the
    file sent it, less the volume the export states (the first of all, at MIDI's default)."""

    def sides(data: bytes) -> list[Counter]:
        return _between_sysex([m for t, m in _timed(data)[0] if t == 0 and m.hex() != "B0 07 64"])

    piece = midi_from_bytes(_TWO_RESETS)
    was = sides(_TWO_RESETS)
    assert was[-1] == Counter(["E0 00 40", "B0 00 00", "B0 0A 00"])  # the bend, bank select and pan
    assert sides(midi_to_bytes(piece)) == was
    cut = sides(midi_to_bytes(delete_bars(piece, *bars_span(piece, 1, 1))))
    assert len(cut) == len(was) and all(n <= w for n, w in zip(cut, was, strict=True))
    assert cut[-1] == was[-1]


def test_a_program_from_a_deleted_bar_1_goes_before_the_reset_and_bend_sent_after_it():
    """A part choosing an organ at the start, then in bar 1 an electric piano, a GM reset and a bend, its
    notes from bar 2: with bar 1 deleted its program is the electric piano, sent before the reset and the
    bend after it, as the file sent them (the bend sent first, the reset undid it)."""
    organ, piano, bend = "C0 13", "C0 05", "E0 30 30"
    part = [(0, mido.Message.from_hex(organ)), (240, mido.Message.from_hex(piano))]
    part += [(240, mido.Message.from_hex(_GM_ON)), (240, mido.Message.from_hex(bend))]
    part += [
        (4 * TPB, mido.Message("note_on", note=60, velocity=90)),
        (5 * TPB, mido.Message("note_off", note=60)),
    ]
    piece = midi_from_bytes(type1_file([[], part], TPB))
    after = delete_bars(piece, 0, 4 * TPB)
    assert after.tracks[0].program == 5
    assert _part_sent(midi_to_bytes(after), 0) == [piano, _GM_ON, bend, "90 3C 5A"]


def test_a_lane_from_a_deleted_bar_1_stays_after_the_last_reset_where_the_order_cannot_be_kept():
    """A part sending a harpsichord, a GM reset, a bank select, a bend and a second GM reset at the start,
    and a modulation in bar 1, its notes from bar 2. A part sends its bank selects and programs together
    (``Track.settings_and_lanes``), so the bank cannot go between the bend and the modulation; with bar 1
    deleted, the bank goes before the bend rather than the modulation before the second reset, which would
    undo it: every control stays on the side of each reset the file sent it."""
    harpsichord, bank, bend, modulation = "C0 06", "B0 00 01", "E0 30 30", "B0 01 40"
    start = [harpsichord, _GM_ON, bank, bend, _GM_ON]
    part = [(0, mido.Message.from_hex(m)) for m in start] + [(240, mido.Message.from_hex(modulation))]
    part += [
        (4 * TPB, mido.Message("note_on", note=60, velocity=90)),
        (5 * TPB, mido.Message("note_off", note=60)),
    ]
    piece = midi_from_bytes(type1_file([[], part], TPB))
    sent = _part_sent(midi_to_bytes(delete_bars(piece, 0, 4 * TPB)), 0)
    assert sent == [harpsichord, _GM_ON, bank, bend, _GM_ON, modulation, "90 3C 5A"]
