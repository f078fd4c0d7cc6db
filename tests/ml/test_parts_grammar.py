"""The token stream with parts: round trip per part, masked cells filled from the fill section."""

import pytest

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.parts_grammar import MAX_PARTS, Part, PartsGrammar

TPB = 480
SIGS = (TimeSignature(0, 4, 4), TimeSignature(4 * 1920, 3, 4))


def _parts() -> list[Part]:
    melody = [Note(72 + (i % 5), i * 240, 240, 80) for i in range(40)]
    chords = [Note(p, b * 960, 960, 60) for b in range(10) for p in (60, 64, 67)]
    bass = [Note(36 + b % 3, b * 960, 480, 100) for b in range(10)]
    return [
        Part("melody", 73, tuple(melody)),
        Part("harmony", 0, tuple(chords)),
        Part("bass", 32, tuple(bass)),
    ]


def _bars(g, end):
    return g.bar_starts(SIGS, TPB, 0, end)


@pytest.mark.parametrize(
    "masked",
    [[], [(1, b) for b in range(6)], [(0, 2), (0, 3)], [(0, 5), (2, 5), (1, 4)]],
    ids=["continue", "add", "infill", "listed"],
)
def test_round_trip_every_part(masked):
    g = PartsGrammar()
    parts = _parts()
    end = 4 * 1920 + 2 * 1440
    seq = g.encode(
        parts,
        tpb=TPB,
        time_signatures=SIGS,
        start=0,
        end=end,
        key=KeySignature(0, "major"),
        style="pop",
        masked=masked,
    )
    out = g.decode(seq, tpb=TPB, bar_starts=_bars(g, end), n_parts=3)
    for part, notes in zip(parts, out, strict=True):
        assert [n for n in part.notes if n.start < end] == notes
    # placeholders stand where the cells were, fills come after the body in placeholder order
    text = [g.token_str(t) for t in seq]
    assert text.count("FILL") == (1 if masked else 0)
    assert [t for t in text if t.startswith("MASK_")] == [f"MASK_{k}" for k in range(len(masked))]
    assert [t for t in text if t.startswith("FILL_")] == [f"FILL_{k}" for k in range(len(masked))]
    assert text[-1] == "EOS"


def test_header_states_role_program_density_polyphony():
    g = PartsGrammar()
    parts = _parts()
    seq = g.encode(parts, tpb=TPB, time_signatures=SIGS, start=0, end=4 * 1920)
    text = [g.token_str(t) for t in seq[:25]]
    assert text[4:10] == ["PART", "ROLE_melody", "PROG_73", "DENS_5", "POLY_0", "PART"]
    chords = text[9:14]
    assert chords[:3] == ["PART", "ROLE_harmony", "PROG_0"] and chords[4] == "POLY_4"  # three notes an onset
    realized = Part("bass", 32, parts[2].notes, realized=True)
    assert g.token_str(g.part_header(realized, TPB, 4)[2]) == "REALIZED"


def test_prompt_for_filling_ends_with_fill_marker_and_layout_maps_masks():
    g = PartsGrammar()
    masked = [(0, 3), (1, 1)]
    seq = g.encode(
        _parts(), tpb=TPB, time_signatures=SIGS, start=0, end=4 * 1920, masked=masked, with_fill=False
    )
    assert seq[-1] == g.fill_id
    layout = g.layout(seq, _bars(g, 4 * 1920))
    assert layout.masks == [(1, 1), (0, 3)]  # bar-major order


def test_vocab_round_trips_through_json_and_limits_are_checked():
    g = PartsGrammar()
    assert PartsGrammar.from_json(g.to_json()).tokens == g.tokens
    with pytest.raises(ValueError):
        Part("lead", 0)
    with pytest.raises(ValueError):
        g.encode([Part("free", 0)] * (MAX_PARTS + 1), tpb=TPB, time_signatures=SIGS, start=0, end=1920)
