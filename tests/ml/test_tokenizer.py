"""The event tokenizer: exact round trips on the grid, compact sequences, tolerant decoding."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from musestudio.core import KeySignature, Note, TimeSignature
from musestudio.ml.tokenizer import DURATIONS, GRID, METERS, VELOCITIES, Tokenizer, tokens_per_bar

TPB = 480
STEP = TPB // GRID
TOK = Tokenizer()


def _music(notes):
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in notes)


@st.composite
def on_grid_pieces(draw):
    """Notes on the 12-per-beat grid with representable durations and velocities, in a meter with a token."""
    meter = draw(st.sampled_from([m for m in METERS if m[0] * 48 // m[1] >= 1 and m[1] <= 8]))
    bar_steps = meter[0] * 4 * GRID // meter[1]
    n_bars = draw(st.integers(1, 6))
    notes = draw(
        st.lists(
            st.builds(
                lambda p, b, pos, d, v: Note(p, (b * bar_steps + pos % bar_steps) * STEP, d * STEP, v),
                st.integers(0, 127),
                st.integers(0, n_bars - 1),
                st.integers(0, 191),
                st.sampled_from(DURATIONS),
                st.sampled_from(VELOCITIES),
            ),
            max_size=40,
        )
    )
    return notes, TimeSignature(0, *meter)


@settings(max_examples=300, deadline=None)
@given(on_grid_pieces())
def test_round_trip_is_exact_on_the_grid(piece):
    notes, sig = piece
    ids = TOK.encode(notes, tpb=TPB, time_signatures=[sig], key=KeySignature(2, "minor"), style="celtic")
    assert _music(TOK.decode(ids, tpb=TPB)) == _music(notes)


@settings(max_examples=100, deadline=None)
@given(on_grid_pieces(), st.sampled_from([(3, 4), (6, 8), (5, 4)]), st.integers(1, 3))
def test_round_trip_across_a_meter_change(piece, second, change_bar):
    notes, sig = piece
    assume((sig.numerator, sig.denominator) != second)
    first_bar = sig.numerator * 4 * TPB // sig.denominator
    change = change_bar * first_bar
    sigs = [sig, TimeSignature(change, *second)]
    notes = [n for n in notes if n.start < change]
    later = [Note(60 + i, change + i * first_bar // 2 // STEP * STEP, STEP, 80) for i in range(4)]
    ids = TOK.encode(notes + later, tpb=TPB, time_signatures=sigs)
    assert ids.count(TOK.meter_id(*second)) == 1
    assert _music(TOK.decode(ids, tpb=TPB)) == _music(notes + later)


def test_off_grid_notes_snap_to_the_nearest_step_and_duration():
    ids = TOK.encode([Note(60, 17, 455, 93)], tpb=TPB, time_signatures=[TimeSignature(0)])
    (n,) = TOK.decode(ids, tpb=TPB)
    assert (n.start, n.duration, n.velocity) == (0, 480, 90)


def test_conditioning_prefix_and_chords_share_a_position():
    chord = [Note(p, 0, 480, 80) for p in (60, 64, 67)]
    ids = TOK.encode(
        chord, tpb=TPB, time_signatures=[TimeSignature(0, 3, 4)], key=KeySignature(7), style="bach"
    )
    names = [TOK.token_str(i) for i in ids]
    assert names[:4] == ["BOS", "STYLE_bach", "KEY_G", "METER_3/4"]
    assert names[4:] == [
        "BAR",
        "METER_3/4",
        "POS_0",
        "VEL_80",
        "PITCH_60",
        "DUR_12",
        "PITCH_64",
        "DUR_12",
        "PITCH_67",
        "DUR_12",
        "EOS",
    ]


def test_a_key_spelled_as_a_file_wrote_it_conditions_as_its_key():
    spelled = KeySignature.from_signature(7, "major")  # C# major as 7 sharps, not Db major's 5 flats
    assert spelled.spelling == 7
    plain = TOK.conditioning("bach", KeySignature(1), (4, 4))
    assert TOK.conditioning("bach", spelled, (4, 4)) == plain
    assert TOK.token_str(plain[2]) == "KEY_C#"


def test_a_meter_without_a_token_is_the_users_to_change_not_an_internal_fault():
    from musestudio.core.errors import BadInputError

    with pytest.raises(BadInputError, match="cannot read 32/4 bars"):
        TOK.conditioning("bach", None, (32, 4))


def test_empty_bars_keep_their_bar_lines():
    ids = TOK.encode_events([Note(62, 3 * 4 * TPB, TPB)], tpb=TPB, time_signatures=[TimeSignature(0)])
    assert TOK.bar_count(ids) == 4
    assert TOK.decode(ids, tpb=TPB)[0].start == 3 * 4 * TPB


def test_a_window_of_bars_decodes_relative_to_its_first_bar():
    bar = 4 * TPB
    notes = [Note(60 + b, b * bar + TPB, TPB) for b in range(8)]
    body = TOK.encode_events(notes, tpb=TPB, time_signatures=[TimeSignature(0)], start=2 * bar, end=5 * bar)
    assert TOK.bar_count(body) == 3
    assert _music(TOK.decode(body, tpb=TPB, start=2 * bar)) == _music(notes[2:5])


def test_decoding_tolerates_malformed_sampler_output():
    p, d = TOK.pitch_token(60), TOK.token_id("DUR_12")
    ids = [TOK.bos_id, d, TOK.bar_id, p, p, d, TOK.token_id("POS_6"), d, TOK.fill_middle_id, TOK.eos_id, p, d]
    (n,) = TOK.decode(ids, tpb=TPB)
    assert (n.pitch, n.start, n.duration) == (60, 0, 480)


def test_melody_bars_are_compact():
    eighths = [Note(60 + i % 12, i * TPB // 2, TPB // 2, 80) for i in range(64)]
    body = TOK.encode_events(eighths, tpb=TPB, time_signatures=[TimeSignature(0)])
    assert tokens_per_bar(TOK, body) <= 26  # BAR + 8 x (POS PITCH DUR) + one VEL


def test_helpers_for_sampling_masks():
    assert TOK.is_pitch(TOK.pitch_token(64)) and TOK.pitch_of(TOK.pitch_token(64)) == 64
    assert not TOK.is_pitch(TOK.bar_id)
    assert (
        len(
            {
                TOK.bos_id,
                TOK.eos_id,
                TOK.pad_id,
                TOK.bar_id,
                TOK.fill_prefix_id,
                TOK.fill_suffix_id,
                TOK.fill_middle_id,
            }
        )
        == 7
    )
    assert TOK.fill_in_the_middle([7], [8], [9]) == [
        TOK.fill_prefix_id,
        7,
        TOK.fill_suffix_id,
        8,
        TOK.fill_middle_id,
        9,
    ]


def test_vocabulary_survives_json_and_rejects_another():
    data = TOK.to_json()
    assert Tokenizer.from_json(data).tokens == TOK.tokens
    other = dict(data, vocab=data["vocab"][:-1])
    try:
        Tokenizer.from_json(other)
    except ValueError:
        pass
    else:
        raise AssertionError("a different vocabulary must be refused")


def test_an_onset_from_the_top_down_lists_the_tune_first_and_decodes_the_same():
    """The order a learned style's layers read: the top note (the tune's) first, then the chord under it;
    the base order and the shared tokenizer stay as they were."""
    notes = [Note(p, 0, 480, 80) for p in (50, 57, 62, 74)] + [Note(72, 480, 480, 80)]
    down = TOK.with_onset_order("descending")
    ids = down.encode(notes, tpb=TPB, time_signatures=[TimeSignature(0)])
    pitches = [down.token_str(i) for i in ids if down.is_pitch(i)]
    assert pitches == ["PITCH_74", "PITCH_62", "PITCH_57", "PITCH_50", "PITCH_72"]
    assert _music(down.decode(ids, tpb=TPB)) == _music(notes)
    up = [TOK.token_str(i) for i in TOK.encode(notes, tpb=TPB, time_signatures=[TimeSignature(0)])]
    assert [p for p in up if p.startswith("PITCH")] == [
        "PITCH_50",
        "PITCH_57",
        "PITCH_62",
        "PITCH_74",
        "PITCH_72",
    ]
    assert TOK.onset_order == "ascending" and down.tokens == TOK.tokens
    # a window that starts mid-piece keeps every note of its first onset in either order
    later = down.encode_events(notes, tpb=TPB, time_signatures=[TimeSignature(0)], start=0, end=1920)
    assert sum(map(down.is_pitch, later)) == 5
    with pytest.raises(ValueError):
        TOK.with_onset_order("sideways")


@settings(max_examples=100, deadline=None)
@given(on_grid_pieces())
def test_round_trip_is_exact_from_the_top_down(piece):
    notes, sig = piece
    down = TOK.with_onset_order("descending")
    ids = down.encode(notes, tpb=TPB, time_signatures=[sig], key=KeySignature(2, "minor"), style="celtic")
    assert _music(down.decode(ids, tpb=TPB)) == _music(notes)
