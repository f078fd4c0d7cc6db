"""Every Generate mode on a piece whose beat holds no whole sixteenths (a MIDI file of 90 or 50 ticks a beat).

The models read sixteenths; such a piece is generated on their grid (``model_grid``) and its takes come
back on its own ticks. Before, every mode failed ("90 ticks per beat cannot hold 4 steps per beat"), most
of them only once the takes were drawn, while the critic scored them. The committed models write the
takes; what is checked holds whatever they write: the takes are there, on the bars asked for, and the
seed's notes come back as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import engines
from musestudio.ml.generate import model_grid, service
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request
from musestudio.ml.generate.taste import Taste
from musestudio.ml.pianoroll import DEFAULT_SPEC

SHIPPED = Path(__file__).resolve().parents[3] / "models"
SIGS = (TimeSignature(0, 4, 4),)
MELODY, BASS = 1, 2  # track ids


@pytest.fixture(autouse=True)
def shipped(monkeypatch, one_thread):
    if not all((SHIPPED / f"{stem}.safetensors").is_file() for stem in ("parts", "continue_transformer")):
        pytest.skip("the shipped models are not here")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(SHIPPED.parent))


def tune(tpb: int) -> tuple[Note, ...]:
    """Two bars of a tune, a note a beat."""
    return tuple(Note([72, 74, 76, 77][i % 4], i * tpb, tpb, 90) for i in range(8))


def bass(tpb: int) -> tuple[Note, ...]:
    return tuple(Note(p, b * 4 * tpb, 4 * tpb, 70) for b, p in enumerate((48, 43)))


def request(mode: str, engine: str, tpb: int, **fields) -> Request:
    """A ``mode`` request over the two-bar tune (and its bass, for the parts engine) at ``tpb``."""
    o = Options(style="pop", variations=2, seed=3, device="cpu")
    if engine != engines.PARTS or mode == engines.ARRANGE:
        return Request(mode, engine, tune(tpb), tpb, SIGS, o, track_id=MELODY, **fields)
    writes = mode != engines.ADD_PART
    parts = [
        PartSpec(MELODY, tune(tpb), "Melody", "melody", 0, writes),
        PartSpec(BASS, bass(tpb), "Bass", "bass", 33),
    ]
    if not writes:
        parts.append(PartSpec(NEW_TRACK, (), role="accompaniment", write=True))
    notes = tune(tpb) + bass(tpb)
    return Request(mode, engine, notes, tpb, SIGS, o, track_id=MELODY, parts=tuple(parts), **fields)


def bars(tpb: int, a: int, b: int) -> tuple[int, int]:
    return a * 4 * tpb, b * 4 * tpb


#: (mode, engine, the request's own fields, the bars its takes cover)
MODES = [
    pytest.param(mode, engine, fields, covers, id=f"{mode}-{engine}")
    for mode, engine, fields, covers in [
        (engines.CONTINUE, engines.PARTS, {"bars": 2}, (2, 4)),
        (engines.CONTINUE, "transformer", {"bars": 2}, (2, 4)),
        (engines.ADD_PART, engines.PARTS, {}, (0, 2)),
        (engines.REGENERATE, engines.PARTS, {"start": 4, "end": 8}, (1, 2)),  # start and end in beats
        (engines.REGENERATE, "transformer", {"start": 4, "end": 8}, (1, 2)),
        (engines.ARRANGE, engines.PARTS, {}, (0, 2)),
        (engines.RESTYLE, "gan", {}, (0, 2)),
        (engines.RESTYLE, "seq2seq", {}, (0, 2)),
    ]
]


@pytest.mark.parametrize("tpb", [90, 50])
@pytest.mark.parametrize(("mode", "engine", "fields", "covers"), MODES)
def test_every_mode_writes_takes_on_a_piece_of_an_odd_resolution(tpb, mode, engine, fields, covers):
    fields = {k: v * tpb if k in ("start", "end") else v for k, v in fields.items()}
    asked = request(mode, engine, tpb, **fields)
    outcome = service.run(asked, Taste())
    assert outcome.request is asked and len(outcome.takes) == 2
    start, end = bars(tpb, *covers)
    for take in outcome.takes:
        assert take.notes and (take.start, take.end) == (start, end)
        assert all(start <= n.start < end for n in take.notes), "the takes are in the bars asked for"
        written = [i for i, _ in take.parts]
        if mode == engines.ADD_PART:
            assert written == [NEW_TRACK], "Add a part writes the new part alone: the seed's parts stay"
        elif engine == engines.PARTS and mode != engines.ARRANGE:
            assert written == [MELODY], "the bass is only heard"


def test_arrange_keeps_the_tune_note_for_note_on_the_piece_s_ticks():
    """At strength 0 in its own register the tune is the take's tune: every note, tick for tick."""
    asked = request(engines.ARRANGE, engines.PARTS, 90)
    o = Options(style="pop", variations=1, seed=3, device="cpu", strength=0.0, keep_register=True)
    asked = Request(engines.ARRANGE, engines.PARTS, asked.notes, 90, SIGS, o, track_id=MELODY)
    (take,) = service.run(asked, Taste()).takes
    kept = dict(take.parts)[MELODY]
    assert kept == asked.notes  # pitch, start, length and velocity of each


def test_a_piece_of_90_ticks_gets_the_takes_of_its_grid_on_its_own_ticks():
    """90 ticks a beat are generated at 180 (the smallest multiple holding sixteenths); the take is the one
    a piece of 180 ticks gets, each tick halved to the nearest."""
    assert (
        model_grid.grid_tpb(90) == 180 and model_grid.grid_tpb(50) == 100 and model_grid.grid_tpb(45) == 180
    )
    assert all(model_grid.grid_tpb(t) == t for t in (96, 480, 4))
    assert all(model_grid.grid_tpb(t) % DEFAULT_SPEC.steps_per_beat == 0 for t in range(1, 200))
    odd = service.run(request(engines.CONTINUE, "transformer", 90, bars=2), Taste())
    grid = service.run(request(engines.CONTINUE, "transformer", 180, bars=2), Taste())
    halved = [sorted((n.pitch, round(n.start / 2), round(n.end / 2)) for n in t.notes) for t in grid.takes]
    assert [sorted((n.pitch, n.start, n.end) for n in t.notes) for t in odd.takes] == halved


def test_the_first_take_handed_over_early_is_on_the_piece_s_ticks(monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")  # the first take is always handed over early
    early = []
    asked = request(engines.CONTINUE, engines.PARTS, 90, bars=1)
    outcome = service.run(asked, Taste(), partial=early.append)
    (first,) = early
    assert first.request is asked and (first.takes[0].start, first.takes[0].end) == bars(90, 2, 3)
    assert first.takes[0].notes in [t.notes for t in outcome.takes]


def test_the_style_of_a_seed_of_an_odd_resolution_is_read():
    heard = service.suggest_style(
        tune(90), tpb=90, time_signatures=SIGS, taste=Taste(), candidates=["pop", "bach"]
    )
    at_grid = service.suggest_style(
        tune(180), tpb=180, time_signatures=SIGS, taste=Taste(), candidates=["pop", "bach"]
    )
    assert heard == at_grid and heard in ("pop", "bach")
