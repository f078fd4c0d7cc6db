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

import mido
from hypothesis import HealthCheck, assume, given, settings
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
    music."""
    meter = mido.MetaMessage("time_signature", numerator=draw(st.sampled_from((2, 3, 4))), denominator=4)
    parts = [
        [*((0, msg) for msg in draw(start_messages(channel))), *draw(_music(channel))]
        for channel in range(draw(st.integers(1, 2)))
    ]
    return type1_file([[(0, meter)], *parts], TPB)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part_files(), st.integers(0, 3), st.integers(1, 2))
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
    program there (the export states one before them), and a pan in bar 1. Bars inserted before bar 1 and
    deleted again give back its file; bar 1 deleted, its pan comes to the start and the bend still goes
    after the reset, which would undo it."""
    bank, gm_on, bend, fine = "B0 00 65", "F0 7E 7F 09 01 F7", "E0 76 43", "B0 00 0F"
    part = [(0, mido.Message.from_hex(m)) for m in (bank, gm_on, bend, fine)]
    part += [(0, mido.Message("note_on", note=60, velocity=90))]
    part += [(480, mido.Message("control_change", control=10, value=3))]
    part += [(1920, mido.Message("note_on", note=62, velocity=90))]  # bar 2
    piece = midi_from_bytes(type1_file([[], part], TPB))
    assert _sent_at_start(midi_to_bytes(piece)) == ["B0 07 64", "C0 00", bank, gm_on, bend, fine, "90 3C 5A"]
    restored = delete_bars(insert_bars(piece, 0, 1), 0, 4 * TPB)
    assert midi_to_bytes(restored) == midi_to_bytes(piece) and restored == piece
    sent = _sent_at_start(midi_to_bytes(delete_bars(piece, 0, 4 * TPB)))
    assert sent.index(gm_on) < sent.index(bend) and "B0 0A 03" in sent
