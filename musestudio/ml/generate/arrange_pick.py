"""Which arrangement comes first: a few drawn, ranked as the app ranks its takes.

The app lists Restyle's takes best first by the critic (``critic.score_takes``: the style meter's
probability of the target style beside the realness judge's score and the harmony kept), and the first take is what the user
hears first; the CLI writes one arrangement. Where every part of a texture is by rule (Celtic, Chinese,
German, jazz: a few milliseconds an arrangement, no model) the drafts differ in which of the tune's
notes take the idiom's ornaments and in which of the texture's settings plays it (``Setting``: a bass on
every strong beat or on each change of chord, a song sung evenly or lilted; the drafts take them in
turn), and the meter hears some of those choices as the target more than others. So such an arrangement
draws ``DRAFTS`` of them and keeps the ones the critic ranks first, the same ranking the app applies to
the takes it lists, the takes after the first from settings not heard yet (``best_distinct``'s
``rows``). The pool and its ranking do not depend on how many takes are asked for, so one take (the
CLI, ``evaluate restyle``) is the first of the app's takes for the same seed, and each take has a seed of
its own that draws it alone: its run's seed plus ``RUN_SEEDS`` times its place in the ranking
(``request.take_seed``). The places go round after ``PLACES`` of them, so every take's seed is one the app's seed
box holds (below ``SEEDS``): a seed typed near its top with eight variations lists the run's last places
and then its first ones, each showing the seed that draws it. A pool per take would cost a pool's time a take and, where the critic has a clear
favourite, give the same arrangement from every pool (a German song's takes all in one setting,
Palestrina's two takes of a tune note for note the same).

Every draft is the same arrangement rule at the same strength (as many ornaments, the same chords, as
much of the tune kept): choosing among them changes where the ornaments fall and how the band plays
under the tune, not how much the tune moves.
Textures the parts model writes (Bach, Palestrina, Classical, pop) draw ``TAKES`` in one batch (the
app's default number of takes, which the app always drew and ranked), or their texture's ``drafts``
where more rows are worth their time (Palestrina's 8), and each row is heard under ``TUNES_PER_ROW``
moves of the tune (the rows are written against the tune as heard, not its ornaments, so the extra
drafts cost no model time): one take asked for is the first of those drafts, as the app lists it; the
batch of four costs 2-3 times one row (the speed figures in models/README.md). More takes than the
drafts are the ranking again from its start.
"""

from __future__ import annotations

from collections.abc import Sequence

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.generate.request import PLACES, RUN_SEEDS

# arrangements drawn for a texture all by rule; the critic keeps the best (session 18: with the five-judge
# critic, 24 drafts were heard as their target 1.3-1.5 points more often than 8 by six judges that had no
# say, on two samples of valid windows; a draft costs about 12 ms)
DRAFTS = 24
# where the model writes parts, each row it writes is heard under this many moves of the tune (the
# ornaments, and a chorale's voicing, drawn again): more drafts for the critic at no cost in the model
# (session 19: Bach, Palestrina, Classical and pop heard as their target 1.4-3.6 points more often by
# the shipped judge on three samples, and by the two held-out judges on the valid ones; about 0.15 s)
TUNES_PER_ROW = 3
# the app's takes by default (``request.Options.variations``): the rows the model writes for a run, however
# many takes are asked for (the ranking a take's seed points into is the same for any number)
TAKES = 4
# run S draws its pool from seeds S * POOL, S * POOL + 1, ...: pools of different runs never share a draft
POOL = DRAFTS


def run_and_place(seed: int) -> tuple[int, int]:
    """(the run's seed, the place of the take it draws first): a seed below ``RUN_SEEDS`` is a run's own
    and draws its first take. Any seed names one of the ``PLACES`` (a command line's seed past the app's
    too), so the take it draws is the one whose seed ``request.take_seed`` gives."""
    return seed % RUN_SEEDS, seed // RUN_SEEDS % PLACES


def places_from(first: int, count: int) -> list[int]:
    """The places of a run's ``count`` takes from place ``first``: past the last, round to the first."""
    return [(first + i) % PLACES for i in range(count)]


def draft_seeds(run: int, places: Sequence[int], drafts: int) -> list[int]:
    """The seeds the drafts are drawn from: without drafts, a take a seed (``run`` + its place, as before);
    with them a pool of ``drafts`` in a row from ``run * POOL``, the same pool for every place, and apart
    from the next run's (a pool in a row from ``run`` would share all but one draft with the next run's,
    and often its best: another seed, the same arrangement)."""
    if drafts <= 1:
        return [run + p for p in places]
    return [run * POOL + d for d in range(drafts)]


def ranked(
    takes: Sequence[Sequence[Note]],
    start: int,
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    style: str,
    arranged: Sequence[Note],
    device: str = "cpu",
) -> list[int] | None:
    """The takes' indices best first by the app's critic (``critic.score_takes``, with the harmony of
    ``arranged`` each keeps; ties keep the order drawn), or None when the style meter cannot hear
    ``style`` (no classifier installed, or a style it does not know): then there is nothing to choose by
    and the order drawn stands."""
    from musestudio.ml.generate import critic

    scores = critic.score_takes(
        takes,
        [start] * len(takes),
        tpb=tpb,
        time_signatures=time_signatures,
        style=style,
        device=device,
        arranged=arranged,
    )
    if any(s.style_probability is None for s in scores):
        return None
    return sorted(range(len(takes)), key=lambda i: -scores[i].total)


def at_places(ranking: Sequence[int], places: Sequence[int]) -> list[int]:
    """The drafts of ``ranking`` (every draft, best first) at ``places``: past its end, from its start."""
    return [ranking[p % len(ranking)] for p in places]


def best_distinct(
    order: Sequence[int], takes: Sequence[Sequence[Note]], wanted: int, rows: Sequence[int] | None = None
) -> list[int]:
    """The first ``wanted`` of ``order`` whose notes differ from every one before (a tune with no place
    for an ornament draws the same arrangement each time), then repeats only if too few differ. With
    ``rows`` (the model's row each take's parts come from, or the texture's setting that plays it), the
    takes after the first come from rows not heard yet while there are any: the app's takes differ in
    their parts, not only in the tune's ornaments; the first take is the critic's best either way."""
    seen: set[tuple[Note, ...]] = set()
    distinct, repeats = [], []
    for k in order:
        notes = tuple(takes[k])
        (repeats if notes in seen else distinct).append(k)
        seen.add(notes)
    if rows is not None:
        heard: set[int] = set()
        fresh, again = [], []
        for k in distinct:
            (again if rows[k] in heard else fresh).append(k)
            heard.add(rows[k])
        distinct = [*fresh, *again]
    return [*distinct, *repeats][:wanted]
