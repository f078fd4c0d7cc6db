"""Takes you can trust (issue 14): no empty take listed, no take opening on an empty bar, sparse takes last,
a seed per take that draws the take again. The service runs the shipped models; the checks are plain."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import engines
from musestudio.ml.generate import continuation, service
from musestudio.ml.generate.grammar import BarGrammar, pitch_mask
from musestudio.ml.generate.request import SEEDS, Options, Request, seed_after
from musestudio.ml.generate.take_checks import empty_first_bar, near_empty
from musestudio.ml.generate.taste import Taste
from musestudio.ml.tokenizer import Tokenizer

SHIPPED = Path(__file__).resolve().parents[3] / "models"
TPB = 480
BAR = 4 * TPB
SIGS = (TimeSignature(0, 4, 4),)
KW = dict(tpb=TPB, time_signatures=SIGS)
MELODY = tuple(Note(60 + (i * 5) % 12, i * TPB // 2, TPB // 2, 80) for i in range(16))  # two full bars


def shipped():
    if not (SHIPPED / "continue_markov.safetensors").is_file():
        pytest.skip("the shipped models are not here")


def bar_of_quarters(bar: int, pitch: int = 64) -> tuple[Note, ...]:
    return tuple(Note(pitch, bar * BAR + i * TPB, TPB, 80) for i in range(4))


# -- the checks ------------------------------------------------------------------------------------------
def test_a_take_opening_on_an_empty_bar_is_caught_unless_the_seed_still_sounds_through_it():
    late = bar_of_quarters(3)  # the take covers bars 2-3 and starts playing in bar 3
    assert empty_first_bar(late, 2 * BAR, 4 * BAR, context=MELODY, **KW)
    assert not empty_first_bar(bar_of_quarters(2) + late, 2 * BAR, 4 * BAR, context=MELODY, **KW)
    held = (*MELODY, Note(48, BAR, 2 * BAR, 80))  # a bass held from bar 1 to the end of bar 2
    assert not empty_first_bar(late, 2 * BAR, 4 * BAR, context=held, **KW)
    assert empty_first_bar((), 2 * BAR, 4 * BAR, context=held, **KW) is False  # emptiness is near_empty's


def test_a_bar_opened_a_little_early_is_not_empty():
    """Music played early, and a new part that takes its lean, open the bar a few ticks before its line."""
    early = tuple(n.moved(-43) for n in bar_of_quarters(2))
    assert not empty_first_bar(early + bar_of_quarters(3), 2 * BAR, 4 * BAR, context=MELODY, **KW)
    assert not empty_first_bar(bar_of_quarters(2), 2 * BAR, 4 * BAR, context=MELODY, original=early, **KW)
    too_early = (Note(64, 2 * BAR - TPB, TPB, 80), *bar_of_quarters(3))  # a beat before: the bar before's
    assert empty_first_bar(too_early, 2 * BAR, 4 * BAR, context=MELODY, **KW)


def test_a_restyled_phrase_may_rest_where_the_tune_rests():
    tune = bar_of_quarters(1)  # the phrase rests in bar 0
    assert not empty_first_bar(bar_of_quarters(1, 67), 0, 2 * BAR, context=tune, original=tune, **KW)
    assert empty_first_bar(bar_of_quarters(1, 67), 0, 2 * BAR, context=MELODY, original=MELODY, **KW)


def test_nearly_empty_means_under_two_notes_or_sounding_in_under_half_the_bars():
    assert near_empty((), 0, 4 * BAR, **KW)
    assert near_empty((Note(60, 0, 4 * BAR, 80),), 0, 4 * BAR, **KW)  # one note, however long
    assert near_empty(bar_of_quarters(0), 0, 4 * BAR, **KW)  # one bar of four sounding
    assert not near_empty(bar_of_quarters(0) + bar_of_quarters(2), 0, 4 * BAR, **KW)
    assert not near_empty((Note(60, 0, 2 * BAR, 80), Note(62, 2 * BAR, 2 * BAR, 80)), 0, 4 * BAR, **KW)


def test_unfit_takes_are_drawn_again_with_new_seeds_and_the_rest_reported():
    full, empty = (bar_of_quarters(0), 0, BAR), ((), 0, BAR)
    draws = []

    def draw_more(n, seed):  # the second round still has an empty take, the third none
        draws.append((n, seed))
        return [(*(empty if len(draws) == 1 and i == 0 else full), seed + i) for i in range(n)]

    def fit(take):
        return bool(take[0])

    first = [(*full, 10), (*empty, 11), (*empty, 12)]
    unique = iter(range(60, 100))

    def distinct(n, seed):  # distinct notes: identical takes would be no new ideas
        return [((Note(next(unique), 0, BAR, 80),) if t[0] else (), *t[1:]) for t in draw_more(n, seed)]

    checked = service.check_takes(first, distinct, fit, 3)
    assert draws == [(2, 13), (1, 15)] and checked.redrawn == 3 and checked.unfit == 0
    assert [t[3] for t in checked.takes] == [10, 14, 15]  # in the order drawn, each with its own seed

    stuck = service.check_takes(first, lambda n, seed: [(*empty, seed + i) for i in range(n)], fit, 3)
    assert len(stuck.takes) == 1 and stuck.unfit == 2  # bounded: reported, not drawn forever

    same = service.check_takes(
        [(*full, 1), (*full, 2)], lambda n, seed: [(*full, seed + i) for i in range(n)], fit, 2
    )
    assert len(same.takes) == 1 and same.repeats == 1 and same.unfit == 0  # a repeat is no second idea


def test_a_take_drawn_again_at_the_top_of_the_seeds_goes_round_to_a_seed_the_box_holds():
    """A run from the top seed the app's seed box holds: a take drawn again for an unfit one took the seed
    after the highest used, 2^31, which the box cannot hold, so its seed could not be typed again."""
    full, empty = (bar_of_quarters(0), 0, BAR), ((), 0, BAR)
    draws = []

    def draw_more(n, seed):
        draws.append(seed)
        return [((Note(70, 0, BAR, 80),), 0, BAR, seed_after(seed, i)) for i in range(n)]

    first = [(*full, SEEDS - 2), (*empty, SEEDS - 1)]
    checked = service.check_takes(first, draw_more, lambda take: bool(take[0]), 2)
    assert draws == [0] and [t[3] for t in checked.takes] == [SEEDS - 2, 0]


# -- the grammar -----------------------------------------------------------------------------------------
def test_the_first_bar_cannot_close_before_it_has_a_note():
    tok = Tokenizer()
    g = BarGrammar(
        tok, 1, 2, 16, (tok.bar_id, tok.eos_id), None, pitch_mask(tok, None, False, None), "cpu", True
    )
    g.observe(torch.tensor([tok.bar_id]))
    closes = [tok.bar_id, tok.eos_id]
    assert not g.allowed()[0, closes].any() and g.allowed()[0, tok.token_id("POS_0")]
    for t in (
        tok.token_id("POS_3"),
        tok.pitch_token(60),
        next(i for i in range(tok.vocab_size) if tok.is_duration(i)),
    ):
        g.observe(torch.tensor([t]))
    assert g.allowed()[0, tok.bar_id]  # a note: the bar may close
    g.observe(torch.tensor([tok.bar_id]))
    assert g.allowed()[0, tok.bar_id]  # the second bar may rest
    free = BarGrammar(tok, 1, 2, 16, (tok.bar_id,), None, pitch_mask(tok, None, False, None), "cpu")
    free.observe(torch.tensor([tok.bar_id]))
    assert free.allowed()[0, tok.bar_id]  # without the guard (a held seed note) it may


# -- the service, with the shipped models ----------------------------------------------------------------
def request(mode: str, engine: str, notes=MELODY, **options) -> Request:
    o = Options(**{"style": "celtic", "variations": 3, "seed": 11, "device": "cpu", **options})
    return Request(mode, engine, notes, TPB, SIGS, o, bars=2, start=BAR, end=2 * BAR, replaces=frozenset())


@pytest.mark.parametrize(
    "mode, engine",
    [
        (engines.CONTINUE, "markov"),
        (engines.CONTINUE, "seq2seq"),
        (engines.CONTINUE, "transformer"),
        (engines.REGENERATE, "transformer"),
        (engines.RESTYLE, "seq2seq"),
        (engines.RESTYLE, "gan"),
    ],
)
def test_no_listed_take_is_empty_or_opens_on_an_empty_bar(mode, engine, one_thread):
    shipped()
    if engines.missing_model(mode, engine):
        pytest.skip(f"no {mode}/{engine} model")
    r = request(mode, engine, temperature=1.5)
    outcome = service.run(r, Taste())
    assert len(outcome.takes) + outcome.unfit == 3 and outcome.takes
    for take in outcome.takes:
        assert take.notes
        assert not empty_first_bar(
            take.notes,
            take.start,
            take.end,
            context=MELODY,
            original=MELODY if mode == "restyle" else None,
            **KW,
        )
    assert sorted(t.number for t in outcome.takes) == list(range(1, len(outcome.takes) + 1))


def test_takes_that_stay_empty_are_left_out_and_counted(one_thread):
    shipped()
    outcome = service.run(request(engines.RESTYLE, "gan", pitch_range=(0, 1)), Taste())  # no note fits
    assert outcome.takes == () and outcome.unfit == 3 and outcome.redrawn > 0


def test_a_nearly_empty_take_never_ranks_first(one_thread):
    shipped()
    r = request(engines.CONTINUE, "markov")
    sparse = ((Note(60, 2 * BAR, TPB, 80),), 2 * BAR, 4 * BAR, 1)
    fuller = [
        (bar_of_quarters(2, p) + bar_of_quarters(3, p + 2), 2 * BAR, 4 * BAR, 2 + i)
        for i, p in enumerate((60, 64))
    ]
    for raw in ([sparse, *fuller], [*fuller, sparse]):
        takes, _ = service._score(r, raw, Taste(), "cpu", r.options.style)
        assert takes[-1].notes == sparse[0] and takes[-1].why == service.NEARLY_EMPTY
        assert takes[0].why != service.NEARLY_EMPTY


@pytest.mark.parametrize("engine", ["markov", "seq2seq", "transformer"])
def test_each_take_has_its_own_seed_that_draws_it_again(engine, one_thread):
    shipped()
    o = Options(style="celtic", variations=3, seed=40, device="cpu")
    three = continuation.continue_phrase(MELODY, o, tpb=TPB, time_signatures=SIGS, bars=2, engine=engine)
    assert [t.seed for t in three.takes] == [40, 41, 42]
    alone = Options(style="celtic", variations=1, seed=42, device="cpu")
    again = continuation.continue_phrase(MELODY, alone, tpb=TPB, time_signatures=SIGS, bars=2, engine=engine)
    assert again.takes[0].notes == three.takes[2].notes
    assert three.takes[0].notes != three.takes[2].notes


def test_a_parts_take_has_its_own_seed_too(one_thread):
    shipped()
    if engines.missing_model(engines.CONTINUE, engines.PARTS):
        pytest.skip("no parts model")
    from musestudio.ml.generate.request import PartSpec

    def run(variations: int, seed: int):
        o = Options(style="pop", variations=variations, seed=seed, device="cpu")
        spec = PartSpec(1, MELODY, "Melody", "melody", 0, True)
        r = Request(engines.CONTINUE, engines.PARTS, MELODY, TPB, SIGS, o, bars=1, track_id=1, parts=(spec,))
        return {t.seed: t.notes for t in service.run(r, Taste()).takes}

    two = run(2, 70)
    assert set(two) == {70, 71}
    assert run(1, 71) == {71: two[71]}


@pytest.mark.parametrize("mode", [engines.CONTINUE, engines.REGENERATE])
def test_a_single_stream_take_plays_along_with_music_that_leans_steadily_off_the_beat(mode, one_thread):
    """The transformer's takes for a phrase a steady 43 ticks late are its takes for the phrase on the
    beat, 43 ticks late with it."""
    shipped()
    late = 43

    def takes(shift):
        outcome = service.run(request(mode, "transformer", tuple(n.moved(shift) for n in MELODY)), Taste())
        return sorted(tuple((n.pitch, n.start - shift, n.duration) for n in t.notes) for t in outcome.takes)

    assert takes(0) and takes(late) == takes(0)


def test_a_part_added_under_a_tunes_pickup_may_come_in_on_the_downbeat_after_it():
    """A bass added to a tune opening with an upbeat (beat 4 of a bar of rests, or a one-beat first bar)
    comes in with the band on the next downbeat: its first bar is the pickup's and stays empty, and that
    is no empty opening; a tune that opens on beat 1 still wants the bar filled."""
    bass = (Note(36, BAR, BAR, 80),)
    pickup = (Note(67, 3 * TPB, TPB, 80), *(n.moved(BAR) for n in MELODY))
    assert not empty_first_bar(bass, 0, 3 * BAR, original=pickup, added_part=True, **KW)
    short = (TimeSignature(0, 1, 4), TimeSignature(TPB, 4, 4))
    notated = (Note(67, 0, TPB, 80), *(n.moved(TPB) for n in MELODY))
    late = (Note(36, TPB, BAR, 80),)
    kw = dict(tpb=TPB, time_signatures=short, original=notated, added_part=True)
    assert not empty_first_bar(late, 0, TPB + 2 * BAR, **kw)
    on_the_beat = (Note(67, 0, TPB, 80), *(n.moved(BAR) for n in MELODY))
    assert empty_first_bar(bass, 0, 3 * BAR, original=on_the_beat, added_part=True, **KW)
    # a rewrite of the tune that dropped its upbeat lost a note of it
    assert empty_first_bar(bass, 0, 3 * BAR, original=pickup, **KW)


def test_a_part_added_from_a_break_may_rest_until_the_upbeat_out_of_it():
    """Add a part asked for bars 3-5 of a tune that breaks off in bar 3 but for an upbeat on its last beat:
    the part rests there with the band (``parts.bars_nothing_sounds_in``), and every take was refused as
    opening on an empty bar. A tune that sounds on into bar 3, or plays on its first beat, wants it filled."""
    bass = (Note(36, 3 * BAR, BAR, 80),)
    upbeat = (*MELODY, Note(67, 2 * BAR + 3 * TPB, TPB, 80), *(n.moved(3 * BAR) for n in MELODY))
    assert not empty_first_bar(bass, 2 * BAR, 5 * BAR, original=upbeat, added_part=True, **KW)
    held = (*MELODY[:-1], MELODY[-1].with_duration(TPB), *upbeat[16:])  # the last note rings into bar 3
    assert empty_first_bar(bass, 2 * BAR, 5 * BAR, original=held, added_part=True, **KW)
    on_the_beat = (*MELODY, Note(67, 2 * BAR, TPB, 80), *(n.moved(3 * BAR) for n in MELODY))
    assert empty_first_bar(bass, 2 * BAR, 5 * BAR, original=on_the_beat, added_part=True, **KW)
