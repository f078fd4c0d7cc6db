"""The generation service runs parts requests (the app's door): takes per track, through the one cache.

A tiny randomly initialised parts model in a temporary models folder; what is checked holds whatever the
weights: which tracks each mode writes, where the takes start and end, that a take's notes are its parts'
notes together, that roles left empty are guessed, and cancel.
"""

import random
import threading

import pytest
from parts_fixtures import save_tiny_parts_model

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import engines
from musestudio.ml.generate import process as process_module
from musestudio.ml.generate import service
from musestudio.ml.generate.request import NEW_TRACK, Options, PartSpec, Request
from musestudio.ml.generate.taste import Taste

TPB, BAR = 480, 1920
SIGS = (TimeSignature(0, 4, 4),)
MELODY = tuple(Note([72, 74, 76, 77][i % 4], i * TPB, TPB, 90) for i in range(8))
CHORDS = tuple(Note(p, b * BAR, BAR, 70) for b in range(2) for p in (60, 64, 67))


@pytest.fixture(scope="module")
def home(tmp_path_factory, one_thread):
    root = tmp_path_factory.mktemp("home")
    save_tiny_parts_model(root / "models" / "parts")
    return root


@pytest.fixture(autouse=True)
def parts_only(home, monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    yield
    engines.unload()


def request(mode: str, parts, **fields) -> Request:
    options = Options(style="pop", variations=2, seed=3, device="cpu")
    notes = tuple(n for p in parts for n in p.notes)
    return Request(mode, engines.PARTS, notes, TPB, SIGS, options, parts=tuple(parts), **fields)


def test_continue_writes_each_marked_track_and_the_take_is_their_notes_together():
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords", write=True)]
    progress = []
    outcome = service.run(request(engines.CONTINUE, parts, bars=2), Taste(), lambda d, t: progress.append(d))
    assert len(outcome.takes) == 2 and progress[-1] == service.TOTAL
    for take in outcome.takes:
        assert [tid for tid, _ in take.parts] == [1, 2]
        assert (take.start, take.end, take.engine) == (2 * BAR, 4 * BAR, "parts")
        together = sorted((n for _, notes in take.parts for n in notes), key=Note.sort_key)
        assert list(take.notes) == together and all(2 * BAR <= n.start < 4 * BAR for n in together)
    again = service.run(request(engines.CONTINUE, parts, bars=2), Taste())
    assert {t.parts for t in again.takes} == {t.parts for t in outcome.takes}  # the seed repeats the takes


def test_continue_the_active_track_only_writes_that_track():
    parts = [PartSpec(1, MELODY, "Melody"), PartSpec(2, CHORDS, "Chords", write=True)]
    outcome = service.run(request(engines.CONTINUE, parts, bars=1), Taste())
    assert all([tid for tid, _ in t.parts] == [2] for t in outcome.takes)


def test_add_a_part_writes_a_new_part_over_the_whole_piece():
    parts = [PartSpec(1, MELODY, "Melody"), PartSpec(NEW_TRACK, (), role="bass", program=33, write=True)]
    outcome = service.run(request(engines.ADD_PART, parts), Taste())
    for take in outcome.takes:
        assert [tid for tid, _ in take.parts] == [NEW_TRACK]
        assert (take.start, take.end) == (0, 2 * BAR) and take.notes


def test_regenerate_rewrites_only_the_asked_bars_of_the_marked_track():
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords")]
    outcome = service.run(request(engines.REGENERATE, parts, start=BAR, end=2 * BAR), Taste())
    for take in outcome.takes:
        assert [tid for tid, _ in take.parts] == [1]
        assert (take.start, take.end) == (BAR, 2 * BAR)
        assert all(BAR <= n.start < 2 * BAR for n in take.notes)


def test_no_pitched_part_is_a_plain_error_and_cancel_stops_the_run():
    with pytest.raises(BadInputError):
        service.run(request(engines.CONTINUE, []), Taste())
    cancel = threading.Event()
    cancel.set()
    parts = [PartSpec(1, MELODY, "Melody", write=True)]
    with pytest.raises(Cancelled):
        service.run(request(engines.CONTINUE, parts, bars=8), Taste(), cancel=cancel)


def test_the_generation_process_gives_the_takes_run_gives_and_reports_errors_and_its_own_end():
    """``service.generation_process``: the same Outcome as ``run`` here (the seed repeats the takes), a
    user's error raised here as itself, and a child that ends is said, not waited for."""
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords", write=True)]
    process = service.generation_process()
    process.start(engines.CONTINUE, engines.PARTS, "cpu", "pop")
    try:
        assert process.wait_warm(120) is not None and process.alive
        stages, progress = [], []
        there = process.run(
            request(engines.CONTINUE, parts, bars=1), Taste(), lambda d, t: progress.append(d), stages.append
        )
        here = service.run(request(engines.CONTINUE, parts, bars=1), Taste())
        assert [t.parts for t in there.takes] == [t.parts for t in here.takes]
        assert (
            service.LOADING not in stages and service.GENERATING in stages and progress[-1] == service.TOTAL
        )
        with pytest.raises(BadInputError, match="unknown style"):
            bad = request(engines.CONTINUE, parts, bars=1)
            process.run(Request(**{**bad.__dict__, "options": Options(style="polka", device="cpu")}), Taste())
        process._proc.kill()  # killed from outside (out of memory, say)
        with pytest.raises(process_module.ProcessDied):
            process.run(request(engines.CONTINUE, parts, bars=1), Taste())
    finally:
        process.stop()
    assert not process.alive


def test_a_streamed_run_hands_over_its_first_take_early_and_draws_the_takes_a_batch_would(monkeypatch):
    """``partial``: the parts engine's first take comes alone, scored, before the others are drawn; the
    Outcome then holds every take, the first included, and they are the takes one batch draws (take i from
    seed + i), so streaming changes when they come, not which. A request of one take is not split."""
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")  # the tiny model is quick: stream it all the same
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords", write=True)]
    asked = request(engines.CONTINUE, parts, bars=1)
    asked = Request(
        **{**asked.__dict__, "options": Options(style="pop", variations=3, seed=11, device="cpu")}
    )
    early, progress = [], []
    streamed = service.run(asked, Taste(), lambda d, t: progress.append(d), None, None, early.append)
    batch = service.run(asked, Taste())
    assert len(early) == 1 and len(early[0].takes) == 1 and early[0].takes[0].number == 1
    assert early[0].takes[0].seed == 11 and early[0].takes[0].parts  # scored, with its parts per track
    by_number = {t.number: t for t in streamed.takes}
    assert by_number[1].parts == early[0].takes[0].parts
    assert sorted(by_number) == [1, 2, 3] and [by_number[n].seed for n in (1, 2, 3)] == [11, 12, 13]
    assert {t.parts for t in streamed.takes} == {t.parts for t in batch.takes}
    assert progress == sorted(progress) and progress[-1] == service.TOTAL
    one = Request(**{**asked.__dict__, "options": Options(style="pop", variations=1, seed=11, device="cpu")})
    service.run(one, Taste(), partial=early.append)
    assert len(early) == 1  # nothing to stream ahead of


def test_the_generation_process_streams_the_first_take_too(monkeypatch):
    """Over the pipe as here (the child inherits the environment, so it streams whatever its pace)."""
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords", write=True)]
    process = service.generation_process()
    process.start(engines.CONTINUE, engines.PARTS, "cpu", "pop")
    try:
        early, again = [], []
        there = process.run(request(engines.CONTINUE, parts, bars=1), Taste(), partial=early.append)
        here = service.run(request(engines.CONTINUE, parts, bars=1), Taste(), partial=again.append)
        assert len(early) == 1 and [t.parts for t in early[0].takes] == [t.parts for t in again[0].takes]
        assert [t.parts for t in there.takes] == [t.parts for t in here.takes]
    finally:
        process.stop()


def test_the_warm_up_runs_a_whole_parts_continue_when_parts_is_the_default():
    """The start-up warm-up runs the default engine's real path (every part written, scored, ranked), so
    its lazy set-ups are paid before the first click; a request without parts would be refused there."""
    warm = service.warm_request(engines.PARTS, "pop", "cpu")
    assert warm.engine == engines.PARTS and len(warm.parts) == 2 and all(s.write for s in warm.parts)
    outcome = service.run(warm, Taste())
    assert len(outcome.takes) == 1 and [tid for tid, _ in outcome.takes[0].parts] == [0, 1]
    service.warm(engines.CONTINUE, engines.PARTS, "cpu", "pop")  # raises nothing: it all ran
    assert engines.is_loaded("parts", "cpu")


def test_streaming_goes_by_the_pace_of_the_last_batch(monkeypatch):
    """A batch expected to meet the goal comes whole (streaming would only delay the rest); one expected
    to miss it, or on a device not timed yet, streams its first take."""
    monkeypatch.setattr(service, "_pace", {})
    monkeypatch.delenv("MUSESTUDIO_STREAM_AFTER_S", raising=False)
    parts = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords")]
    four = request(engines.CONTINUE, parts, bars=4)  # one written part: 4 cells a take
    assert service.cells(four) == 4
    assert service.streams(four, "cpu")  # nothing timed yet
    service._note_pace(four, "cpu", 2.4, 2)  # two rows in 2.4 s: one row 0.5 s a cell, the batch 2.4 s
    assert service.streams(four, "cpu") and service.streams(four, "cuda")  # cuda: not timed yet
    service._note_pace(four, "cpu", 0.48, 2)  # the batch of two in 0.48 s
    assert not service.streams(four, "cpu")
    service._note_pace(four, "cpu", 0.6, 1)  # one row in 0.6 s: two would take 0.96 s, under the goal
    assert not service.streams(four, "cpu")
    service._note_pace(four, "cpu", 0.7, 1)  # ... 1.12 s: over it
    assert service.streams(four, "cpu")
    service._note_pace(four, "cpu", 0.1, 2)
    monkeypatch.setenv("MUSESTUDIO_STREAM_AFTER_S", "0")  # the benchmarks' switch: always
    assert service.streams(four, "cpu")
    one = Request(**{**four.__dict__, "options": Options(style="pop", variations=1, seed=3, device="cpu")})
    assert not service.streams(one, "cuda")  # a single take has nothing to come before
    add = request(
        engines.ADD_PART, [PartSpec(1, MELODY, "Melody"), PartSpec(NEW_TRACK, (), role="bass", write=True)]
    )
    assert service.cells(add) == 2  # the new part over the piece's two bars


def test_a_seed_played_in_off_the_beat_is_heard_on_it_and_draws_the_takes_the_written_seed_draws():
    """The engine hears a played seed as the music played (core.played_in), not as its jitter."""
    rnd = random.Random(5)

    def played(notes):
        return tuple(
            Note(
                n.pitch, max(0, n.start + rnd.randint(-20, 20)), n.duration + rnd.randint(-40, 10), n.velocity
            )
            for n in notes
        )

    written = [PartSpec(1, MELODY, "Melody", write=True), PartSpec(2, CHORDS, "Chords", write=True)]
    live = [
        PartSpec(1, played(MELODY), "Melody", write=True),
        PartSpec(2, played(CHORDS), "Chords", write=True),
    ]
    assert live[0].notes != MELODY
    a = service.run(request(engines.CONTINUE, written, bars=1), Taste())
    b = service.run(request(engines.CONTINUE, live, bars=1), Taste())
    assert [t.parts for t in b.takes] == [t.parts for t in a.takes]


@pytest.mark.parametrize("mode", [engines.ADD_PART, engines.CONTINUE, engines.REGENERATE])
def test_what_is_written_plays_along_with_music_that_leans_steadily_off_the_beat(mode):
    """Tracks a steady 43 ticks late (a POP909 song, a keyboard recorded through a latency) get the takes
    written for them on the beat, 43 ticks late with them, not a flam ahead."""
    late = 43
    fields = {engines.CONTINUE: dict(bars=1), engines.REGENERATE: dict(start=BAR, end=2 * BAR)}.get(mode, {})

    def takes(shift):
        melody = PartSpec(1, tuple(n.moved(shift) for n in MELODY), "Melody", write=mode != engines.ADD_PART)
        new = (
            [PartSpec(NEW_TRACK, (), role="bass", program=33, write=True)] if mode == engines.ADD_PART else []
        )
        outcome = service.run(request(mode, [melody, *new], **fields), Taste())
        return [[(n.pitch, n.start - shift, n.duration) for n in t.notes] for t in outcome.takes]

    assert takes(0) and takes(late) == takes(0)


def test_add_a_part_plays_with_the_drums_through_their_intro_and_their_bars_after_the_tune():
    """The app's Add a part on a tune over drums that play a bar before it and a bar after it: the take
    covered the tune's bars only and rested in the drums' intro. It covers every bar the band plays in,
    and the new part plays with the drums there."""
    tune = tuple(n.moved(BAR) for n in MELODY)  # bars 2-3
    drums = tuple(Note(36, b * BAR + k * TPB, 120, 100) for b in range(4) for k in range(4))  # bars 1-4
    parts = [PartSpec(1, tune, "Melody"), PartSpec(NEW_TRACK, (), role="bass", program=33, write=True)]
    add = request(engines.ADD_PART, parts, drums=drums)
    assert service.cells(add) == 4
    outcome = service.run(add, Taste())
    assert {(take.start, take.end) for take in outcome.takes} == {(0, 4 * BAR)}
    assert any(n.start < BAR for take in outcome.takes for n in take.notes)  # the drums' intro
    assert any(n.start >= 3 * BAR for take in outcome.takes for n in take.notes)  # their bar after the tune


def test_add_a_part_plays_under_a_chord_the_sustain_pedal_holds():
    """The app's Add a part under a tune that rests in bar 3 while the piano's pedal holds the chord struck
    on bar 2's last beat through it (``Request.held``): the new part rested there as if the band did."""
    tune = (*MELODY, *(n.moved(3 * BAR) for n in MELODY))  # bars 1-2 and 4-5
    chord = tuple(Note(p, BAR + 3 * TPB, TPB, 70) for p in (48, 52, 55))
    parts = [
        PartSpec(1, tune, "Melody"),
        PartSpec(2, chord, "Piano"),
        PartSpec(NEW_TRACK, (), role="bass", program=33, write=True),
    ]
    outcome = service.run(request(engines.ADD_PART, parts, held=((2 * BAR, 3 * BAR),)), Taste())
    assert any(2 * BAR <= n.start < 3 * BAR for take in outcome.takes for n in take.notes)
