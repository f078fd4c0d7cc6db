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
``rows``). The pool does not depend on how many takes are asked for (up to ``DRAFTS``), so one take (the
CLI, ``evaluate restyle``) is the first of the app's takes for the same seed.

Every draft is the same arrangement rule at the same strength (as many ornaments, the same chords, as
much of the tune kept): choosing among them changes where the ornaments fall and how the band plays
under the tune, not how much the tune moves.
Textures the parts model writes (Bach, Palestrina, Classical, pop) draw ``TAKES`` in one batch (the
app's default number of takes, which the app always drew and ranked), or their texture's ``drafts``
where more rows are worth their time (Palestrina's 8), and each row is heard under ``TUNES_PER_ROW``
moves of the tune (the rows are written against the tune as heard, not its ornaments, so the extra
drafts cost no model time): one take asked for is the first of those drafts, as the app lists it; the
batch of four costs 2-3 times one row (the speed figures in models/README.md). More takes than that are
one batch of their own, whose first may differ.
"""

from __future__ import annotations

from collections.abc import Sequence

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature

# arrangements drawn for a texture all by rule; the critic keeps the best (session 18: with the five-judge
# critic, 24 drafts were heard as their target 1.3-1.5 points more often than 8 by six judges that had no
# say, on two samples of valid windows; a draft costs about 12 ms)
DRAFTS = 24
# where the model writes parts, each row it writes is heard under this many moves of the tune (the
# ornaments, and a chorale's voicing, drawn again): more drafts for the critic at no cost in the model
# (session 19: Bach, Palestrina, Classical and pop heard as their target 1.4-3.6 points more often by
# the shipped judge on three samples, and by the two held-out judges on the valid ones; about 0.15 s)
TUNES_PER_ROW = 3
TAKES = 4  # the app's takes by default (``request.Options.variations``): the model's batch at least this big
# seed S draws its pool from seeds S * POOL, S * POOL + 1, ...: pools of different seeds never share a draft
# (the app asks for 8 takes at most, fewer than DRAFTS)
POOL = DRAFTS


def draft_seeds(seed: int, wanted: int, drafts: int) -> list[int]:
    """The seeds the takes are drawn from: ``wanted`` in a row from ``seed`` without drafts (as before);
    with them a pool of ``max(wanted, drafts)`` in a row from ``seed * POOL``, the same pool for any
    ``wanted`` up to ``drafts``, and apart from the next seed's (a pool in a row from ``seed`` would share
    all but one draft with the next seed's, and often its best: another seed, the same arrangement)."""
    if drafts <= 1:
        return [seed + i for i in range(wanted)]
    return [seed * POOL + d for d in range(max(wanted, drafts))]


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
