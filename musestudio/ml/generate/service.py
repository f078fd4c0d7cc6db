"""The generation service: a Request in, an Outcome out (load -> generate -> score -> rank).

The one door the app's Generate click goes through, and the one the self-test and scripts can use without
Qt. It runs on the caller's thread (the UI calls it on its worker thread), reports progress in thousandths
(90% for the model's own steps, the rest for scoring), names its stage (``LOADING``, ``GENERATING``,
``SCORING``: the UI words them) and stops within a step when ``cancel`` is set, raising ``Cancelled``.

Importing this module is cheap (no torch, no numpy): everything heavy is imported inside ``run`` and
``suggest_style``, so the first run pays for importing torch and loading the model, which is what the
"Loading model..." stage covers.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.note import Note, within
from musestudio.core.played_in import heard_on_grid, lean, leaned
from musestudio.core.project import TimeSignature
from musestudio.ml import engines, learned
from musestudio.ml.generate import model_grid
from musestudio.ml.generate.process import GenerationProcess
from musestudio.ml.generate.request import NEW_TRACK, Options, Outcome, PartSpec, Request, Take, seed_after

TOTAL = 1000
MAX_REDRAWS = 2  # rounds of drawing again for takes that came back empty (then they are reported)
GENERATE_SHARE = 900
NEARLY_EMPTY = "nearly empty"  # Take.why of a take ranked last for having almost nothing in it
LOADING, GENERATING, SCORING, LISTENING = "loading", "generating", "scoring", "listening"

Report = Callable[[int, int], None]  # (done, total)
Say = Callable[[str], None]  # the stage now running
Partial = Callable[[Outcome], None]  # the takes ready so far, before the rest are drawn


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have ended (the parts engine's workers are
    reaped before their call returns)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def load_taste():
    """The user's taste, read from their data folder (numpy is imported here, not at start-up)."""
    from musestudio.ml.generate.taste import Taste

    return Taste.load()


def run(
    request: Request,
    taste,
    report: Report | None = None,
    say: Say | None = None,
    cancel: threading.Event | None = None,
    partial: Partial | None = None,
) -> Outcome:
    """Takes for ``request``, best first by the critic and ``taste`` (a ``Taste`` or its snapshot).

    With ``partial``, a request whose takes are slow to draw (``streams``) hands its first take over as soon
    as it is scored, as an Outcome of one take, then draws the others; the Outcome returned holds them all
    (the first included), ranked together. Every take draws from the seed it would draw from in one batch
    (take i from seed + i), so streaming changes when the takes come, not which (a continuation longer than
    the sampler's first chunk of bars can differ slightly, as a take redrawn alone from its own seed does).

    Every mode and engine is run on the models' grid (``model_grid``): a piece whose beat holds no whole
    sixteenths (90 ticks) is generated at a multiple of its resolution, and the takes come back on its own
    ticks, the seed's notes exactly as they were."""
    on_grid = model_grid.onto_grid(request)

    def back(outcome: Outcome) -> Outcome:
        return model_grid.from_grid(outcome, request)

    early = None if partial is None else (lambda outcome: partial(back(outcome)))
    return back(_run(on_grid, taste, report, say, cancel, early))


def _run(
    request: Request,
    taste,
    report: Report | None,
    say: Say | None,
    cancel: threading.Event | None,
    partial: Partial | None,
) -> Outcome:
    """``run`` of a request on the models' grid."""
    report = report or (lambda done, total: None)
    say = say or (lambda stage: None)
    cancel = cancel or threading.Event()
    seconds: dict[str, float] = {}
    # "cpu": the run's CPU time, its parts workers' included (parts_workers): with one worker, the run's
    # wall time on an idle machine
    t0, c0 = time.perf_counter(), cpu_time()
    if "torch" not in sys.modules:
        say(LOADING)  # importing torch is most of a first run's wait
    from musestudio.ml import sampling

    device = str(sampling.pick_device(request.options.device))
    stem = engines.engine_stem(request.mode, request.engine)
    if not engines.is_loaded(stem, device):
        say(LOADING)
    loaded = engines.load(stem, device)
    seconds["load"] = time.perf_counter() - t0

    say(GENERATING)
    t1 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        report(GENERATE_SHARE * done // max(1, total), TOTAL)

    options = dataclasses.replace(request.options, device=device)
    if request.mode == engines.RESTYLE:  # the Restyle engines have no learned layers: its base style
        options = dataclasses.replace(options, style=learned.resolve(request.style)[0])
    if partial is not None and streams(request, device):
        if options.seed is None:  # one seed for both halves, so the takes are the ones a batch would draw
            import secrets

            options = dataclasses.replace(options, seed=secrets.randbits(31))
        raw = _first_take(request, options, loaded, progress, cancel, taste, partial, seconds, (t1, c0))
    else:
        t_batch = time.perf_counter()
        raw = _generate(request, options, loaded, progress, cancel)  # [(notes, start, end, seed)]
        if request.engine == engines.PARTS and request.mode != engines.ARRANGE:
            _note_pace(request, device, time.perf_counter() - t_batch, options.variations)

    def draw_more(n: int, seed: int) -> list[tuple]:
        more = dataclasses.replace(options, variations=n, seed=seed)
        return _generate(request, more, loaded, lambda done, total: None, cancel)

    checked = check_takes(raw, draw_more, lambda take: take_is_fit(request, take), options.variations)
    seconds["generate"] = time.perf_counter() - t1
    if cancel.is_set():
        raise Cancelled("generation cancelled")
    say(SCORING)
    t2 = time.perf_counter()
    takes, left_out = _score(request, checked.takes, taste, device, options.style)
    seconds["score"] = time.perf_counter() - t2
    seconds["cpu"] = cpu_time() - c0
    report(TOTAL, TOTAL)
    return Outcome(request, takes, device, seconds, left_out, checked.redrawn, checked.unfit, checked.repeats)


#: a parts batch expected to take longer than this hands its first take over before drawing the others;
#: the environment's MUSESTUDIO_STREAM_AFTER_S overrides it (0: always, a large number: never), which the
#: benchmarks use to compare both ways, the generation process included
STREAM_AFTER_S = 1.0
#: what each row after the first adds to a parts batch's time, as a share of one row's. Each row costs its
#: own attention and its own grammar, biases and draw every step, so a row adds much: for the demo seed's 8
#: bars x 3 parts (one process, 7 seeds, medians) 1, 2, 3 and 4 rows took 298, 549, 707 and 776 ms of CPU
#: (0.53-0.84 a row; 0.2 before the row-by-row sampler). The rows are split over worker processes where
#: cores are free (``parts_workers``): a batch then takes as long as its largest group
ROW_COST = 0.6
_pace: dict[str, float] = {}  # device -> seconds per cell (a bar of one written part) of one row, last run


def cells(r: Request) -> int:
    """How many cells (a bar of one written part) each take of a parts request writes: what its time goes by."""
    from musestudio.core.timing import bar_ticks, signature_at

    written = [s for s in r.parts if s.write or s.track_id <= NEW_TRACK] or list(r.parts)
    bar = bar_ticks(signature_at(r.time_signatures, r.start), r.tpb)
    if r.mode == engines.CONTINUE:
        bars = r.bars
    elif r.mode == engines.REGENERATE:
        bars = -(-(r.end - r.start) // bar)
    else:  # Add a part: the whole piece, the drums' bars too
        heard = (*(n for s in r.parts for n in s.notes), *r.drums)
        bars = -(-max((n.end for n in heard), default=bar) // bar)
    return max(1, len(written)) * max(1, bars)


def streams(r: Request, device: str) -> bool:
    """Whether ``r``'s first take is worth handing over before the others: a parts request of several takes
    whose batch would take longer than ``STREAM_AFTER_S`` at the pace of the last one on ``device`` (or
    whose pace is unknown). Drawing take 1 alone costs more in all (about half as much again on a CPU: a
    step's cost hardly grows with the rows), but it is listed in about 60% of the batch's time and the
    others come while it is auditioned (four bars last 8 s at 120 bpm). A batch that meets the goal
    anyway (a GPU, a short request, an idle fast CPU) comes whole: streaming would only delay the rest."""
    if r.engine != engines.PARTS or r.mode == engines.ARRANGE or r.options.variations < 2:
        return False
    pace = _pace.get(device)
    return pace is None or pace * cells(r) * _rows(r.options.variations, device) > stream_after()


def _rows(variations: int, device: str) -> float:
    """A batch of ``variations`` rows' time in rows' time (``ROW_COST``): the largest group of rows one
    worker process decodes (``parts_workers``; all of them where there is one worker)."""
    from musestudio.ml.generate.parts_workers import rows_per_worker

    return 1 + ROW_COST * (rows_per_worker(variations, device) - 1)


def stream_after() -> float:
    try:
        return float(os.environ.get("MUSESTUDIO_STREAM_AFTER_S", STREAM_AFTER_S))
    except ValueError:
        return STREAM_AFTER_S


def _note_pace(r: Request, device: str, seconds: float, variations: int) -> None:
    """Remember how fast a parts batch of ``variations`` rows went, as one row's seconds per cell."""
    _pace[device] = seconds / (cells(r) * _rows(variations, device))


def _first_take(
    r: Request,
    options: Options,
    loaded,
    progress: Report,
    cancel,
    taste,
    partial: Partial,
    seconds: dict[str, float],
    clocks: tuple[float, float],  # (perf_counter when generating began, cpu_time when the run began)
) -> list[tuple]:
    """Every take of ``r``: the first drawn alone, checked, scored and handed to ``partial``; then the
    rest in one batch from the next seeds. A first take that comes back unfit is not shown early: it is
    drawn again with the others (``check_takes``)."""
    n = options.variations
    t1, c0 = clocks
    first = _generate(
        r, dataclasses.replace(options, variations=1), loaded, lambda d, t: progress(d, t * n), cancel
    )
    if cancel.is_set():
        raise Cancelled("generation cancelled")
    if first and take_is_fit(r, first[0]):
        t2 = time.perf_counter()
        takes, left_out = _score(r, first, taste, options.device, options.style)
        early = dict(seconds, generate=t2 - t1, score=time.perf_counter() - t2, cpu=cpu_time() - c0)
        partial(Outcome(r, takes, options.device, early, left_out))
    rest = dataclasses.replace(options, variations=n - 1, seed=seed_after(options.seed, 1))
    t3 = time.perf_counter()
    more = _generate(r, rest, loaded, lambda d, t: progress(t + (n - 1) * d, t * n), cancel)
    _note_pace(r, options.device, time.perf_counter() - t3, n - 1)
    return first + more


@dataclasses.dataclass(frozen=True)
class Checked:
    """The takes worth listing, in the order drawn, and how many were drawn again or left out."""

    takes: list[tuple]
    redrawn: int  # takes drawn again because one came back empty, opened on an empty bar or repeated one
    unfit: int  # takes still empty (or opening on an empty bar) after MAX_REDRAWS rounds: not listed
    repeats: int = 0  # takes still identical to a listed one after MAX_REDRAWS rounds: not listed


def check_takes(
    raw: list[tuple],
    draw_more: Callable[[int, int], list[tuple]],
    fit: Callable[[tuple], bool],
    wanted: int,
    rounds: int = MAX_REDRAWS,
) -> Checked:
    """Keep the fit takes of ``raw`` ((notes, start, end, seed, ...) each); for each unfit one, draw again
    (``draw_more(count, first seed)``, new seeds from the one after the last used, going round past the
    top as a run's takes do: ``seed_after``) up to ``rounds`` times.

    A take identical to one already kept is no new idea and counts as unfit (the GAN is deterministic, so
    drawing it again can repeat a take). Why draw again rather than only drop: a musician asked for
    ``wanted`` takes and a list that silently shrinks looks broken; why a bound: a model that keeps writing
    nothing for this seed should say so quickly, not spin.
    """
    kept: list[tuple] = []
    seen: set[tuple] = set()
    redrawn = 0
    batch, seeds = list(raw), [t[3] for t in raw]
    unfit = repeats = 0
    for round_ in range(rounds + 1):
        unfit = repeats = 0
        for take in batch:
            notes = tuple(take[0])
            if not fit(take):
                unfit += 1
            elif notes in seen:
                repeats += 1
            elif len(kept) < wanted:
                kept.append(take)
                seen.add(notes)
        missing = wanted - len(kept)
        if missing <= 0 or unfit + repeats == 0 or round_ == rounds:
            break
        redrawn += missing
        batch = draw_more(missing, seed_after(seeds[-1], 1) if seeds else 0)
        seeds += [t[3] for t in batch]
    left = max(0, wanted - len(kept))
    return Checked(kept, redrawn, min(unfit, left), left - min(unfit, left))


def take_is_fit(r: Request, take: tuple) -> bool:
    """Not empty, and its first bar not empty unless what it follows still sounds through that bar."""
    from musestudio.ml.generate.take_checks import empty_first_bar

    notes, start, end, *_ = take
    if not notes:
        return False
    context, original = _check_context(r, take)
    return not empty_first_bar(
        notes,
        start,
        end,
        tpb=r.tpb,
        time_signatures=r.time_signatures,
        context=context,
        original=original,
        added_part=r.mode == engines.ADD_PART,
    )


def _check_context(r: Request, take: tuple) -> tuple[tuple[Note, ...], tuple[Note, ...] | None]:
    """(what the take follows, what it goes with or stands in for) for the first-bar check of ``r``."""
    everything = tuple(n for spec in r.parts for n in spec.notes) if r.parts else tuple(r.notes)
    if r.mode == engines.ADD_PART:  # a new part may open on a rest only where the drums rest too
        return everything, (*everything, *r.drums)
    return everything, everything if r.mode == engines.RESTYLE else None


def as_heard(r: Request) -> Request:
    """``r`` with every part it reads as the models hear it: a part played in (off the beat) on the beat
    (``core.played_in``), so the takes follow the time the musician played in, not its jitter. The
    user's notes stay as they are: this is what the engine reads, ids kept."""
    return dataclasses.replace(
        r,
        notes=heard_on_grid(r.notes, r.tpb),
        parts=tuple(dataclasses.replace(s, notes=heard_on_grid(s.notes, r.tpb)) for s in r.parts),
        drums=heard_on_grid(r.drums, r.tpb),
    )


def _generate(r: Request, options: Options, loaded, progress: Report, cancel) -> list[tuple]:
    common = dict(tpb=r.tpb, time_signatures=r.time_signatures, progress=progress, cancel=cancel)
    if r.mode == engines.ARRANGE:  # Restyle's Arrange: the tune kept, the style's parts in new tracks
        # it hears a played tune on the beat itself (``arrange._heard``), to give back the tune as played
        from musestudio.ml.generate.arrange import run_request

        return [_in_spans(t, r.spans) for t in run_request(r, options, progress, cancel)]
    # what is written plays along with music that leans steadily off the beat (``core.played_in.lean``)
    by = 0 if r.mode == engines.RESTYLE else lean([s.notes for s in r.parts] if r.parts else [r.notes], r.tpb)
    if r.mode != engines.RESTYLE:  # Rewrite hears a played phrase itself, to give kept notes back as played
        r = as_heard(r)
    if r.engine == engines.PARTS:  # every track a part: takes per track (generate.parts_service)
        from musestudio.ml.generate.parts_service import run_parts

        return [_leaned_take(t, by) for t in run_parts(r, options, progress, cancel)]
    if r.mode == engines.CONTINUE:
        from musestudio.ml.generate.continuation import continue_phrase

        gen = continue_phrase(r.notes, options, bars=r.bars, engine=r.engine, after=r.after, **common)
    elif r.mode == engines.REGENERATE:
        from musestudio.ml.generate.continuation import infill

        gen = infill(r.notes, options, start=r.start, end=r.end, **common)
    else:
        return _restyle(r, options, loaded, progress, cancel)
    return [_leaned_take((t.notes, t.start, t.end, t.seed), by) for t in gen.takes]


def under_the_tune(r: Request) -> tuple[int, int]:
    """For an Arrange request: what Keep does not give back of its notes as they were (those under the
    tune, whose place the style's parts take; tune notes cut where a higher one enters:
    ``arrange.under_the_tune``), so the app can say so; (0, 0) otherwise."""
    if r.mode != engines.ARRANGE:
        return 0, 0
    from musestudio.ml.generate.arrange import under_the_tune as under

    return under(r.notes, r.tpb)


def _leaned_take(take: tuple, by: int) -> tuple:
    """A take (all notes, start, end, seed[, ((track id, notes), ...)]) with its notes moved ``by``."""
    if not by:
        return take
    notes, start, end, seed, *parts = take
    return (leaned(notes, by), start, end, seed, *(tuple((i, leaned(n, by)) for i, n in p) for p in parts))


def _restyle(r: Request, options: Options, loaded, progress: Report, cancel) -> list[tuple]:
    """Variations of a Restyle: seeds in a row for the sampling engines (seq2seq and the adversarial GAN);
    the roll GAN is deterministic, so its variations step the strength down from the one asked for (a take
    per degree of change)."""
    from musestudio.ml.generate.restyle import phrase_of, reads_rolls, restyle
    from musestudio.ml.pianoroll import DEFAULT_SPEC

    rolls = reads_rolls(loaded.model)
    spec = loaded.model.config.spec if rolls else DEFAULT_SPEC
    phrase = phrase_of(r.notes, r.tpb, r.time_signatures, spec)
    end = phrase.origin + phrase.n_steps * spec.step_ticks(r.tpb)
    lo, hi = options.pitch_range or (0, 127)
    out = []
    for i in range(options.variations):
        o = options
        strength = o.strength * (1 - 0.5 * i / o.variations) if rolls else o.strength
        seed = seed_after(o.seed or 0, i)
        one = dataclasses.replace(o, strength=strength, seed=seed)
        notes = restyle(
            r.notes,
            one,
            r.engine,
            tpb=r.tpb,
            time_signatures=r.time_signatures,
            cancel=cancel,
            model=loaded,
        )
        take = (tuple(n for n in notes if lo <= n.pitch <= hi), phrase.origin, end, seed)
        out.append(_in_spans(take, r.spans))
        progress(i + 1, o.variations)
    return out


def _in_spans(take: tuple, spans: tuple[tuple[int, int], ...]) -> tuple:
    """A Restyle or Arrange take (all notes, start, end, seed[, ((track id, notes), ...)]) with only the
    notes that start in one of ``spans`` (the Request's: none for the whole take), each cut at its span's
    end. The engines write whole bars; a selection is rewritten only where it is."""
    if not spans:
        return take
    notes, start, end, seed, *parts = take

    def kept(some: Sequence[Note]) -> tuple[Note, ...]:
        return tuple(n for a, b in spans for n in within(some, a, b))

    spanned = tuple(tuple((i, kept(p)) for i, p in every) for every in parts)
    return (kept(notes), start, end, seed, *spanned)


def _score(
    r: Request, raw: list[tuple], taste, device: str, style: str
) -> tuple[tuple[Take, ...], tuple[dict, ...]]:
    """The takes ranked best first, and why any judge was left out (a damaged model file)."""
    from musestudio.ml.checkpoint import CheckpointError
    from musestudio.ml.generate import critic
    from musestudio.ml.generate.take_checks import near_empty
    from musestudio.ml.generate.taste import take_features

    scores = critic.score_takes(
        [t[0] for t in raw],
        [t[1] for t in raw],
        tpb=r.tpb,
        time_signatures=r.time_signatures,
        style=style,
        device=device,
        arranged=r.notes if r.mode == engines.ARRANGE else None,
    )
    left_out = critic.unusable()
    try:
        embeddings = [_embedding(notes, r, device) for notes, *_ in raw]
    except CheckpointError as e:  # the phrase embedding only helps taste: rank by the statistics alone
        embeddings = [()] * len(raw)
        said = BadInputError(
            f"{e}; taste goes by the takes' statistics alone", "taste_left_out", error=e.as_json()
        )
        left_out.append(said.as_json())
    features = [
        take_features(notes, tpb=r.tpb, time_signatures=r.time_signatures, embedding=embedding)
        for (notes, *_), embedding in zip(raw, embeddings, strict=True)
    ]  # raw: (notes, start, end, seed[, parts per track])
    ranked = taste.rank([s.total for s in scores], features)
    sparse = {
        i
        for i, (notes, start, end, *_) in enumerate(raw)
        if near_empty(notes, start, end, tpb=r.tpb, time_signatures=r.time_signatures)
    }
    # a nearly empty take never ranks first: it goes below every full one, whatever critic and taste say
    ranked = [rk for rk in ranked if rk.index not in sparse] + [rk for rk in ranked if rk.index in sparse]
    takes = []
    for rk in ranked:
        notes, start, end, seed, *per_track = raw[rk.index]
        s = scores[rk.index]
        takes.append(
            Take(
                number=rk.index + 1,  # the order drawn: the number keys 1-8 and the take's colour follow it
                notes=tuple(notes),
                start=start,
                end=end,
                engine=r.engine,
                style=r.style,
                seed=seed,
                realness=s.realness,
                style_probability=s.style_probability,
                harmony=s.harmony,
                critic=s.total,
                features=features[rk.index],
                taste=rk.taste,
                score=rk.score,
                why=NEARLY_EMPTY if rk.index in sparse else rk.why,
                parts=per_track[0] if per_track else (),
            )
        )
    return tuple(takes), tuple(left_out)


def _embedding(notes, r: Request, device: str) -> tuple[float, ...]:
    """The Continue seq2seq encoder's view of the take, when that model is installed and knows the style."""
    mode, engine = engines.CONTINUE, "seq2seq"  # the model behind engines.EMBEDDING
    if (
        not notes
        or engines.missing_model(mode, engine)
        or r.style not in (engines.trained_styles(mode, engine) or ())
    ):
        return ()
    from musestudio.ml.generate.continuation import phrase_embedding

    return tuple(
        phrase_embedding(notes, tpb=r.tpb, time_signatures=r.time_signatures, style=r.style, device=device)
    )


def preload_libraries() -> None:
    """Map numpy's and torch's shared libraries through ctypes before importing them.

    An extension module's import holds the GIL while ``dlopen`` maps and relocates its libraries (about
    0.3 s for libtorch_cpu, 0.2 s for numpy's OpenBLAS on this machine), so a background import stalls the
    GUI thread that long; ctypes lets go of the GIL around ``dlopen``. The imports then find the libraries
    loaded and only run their init. Anything not found is left for the import to load itself.
    """
    import ctypes
    import importlib.util
    from pathlib import Path

    def root(package: str) -> Path | None:
        spec = importlib.util.find_spec(package)
        return Path(spec.origin).parent if spec is not None and spec.origin else None

    files: list[tuple[Path, int]] = []
    if (numpy := root("numpy")) is not None:
        files += [(p, ctypes.DEFAULT_MODE) for p in sorted((numpy.parent / "numpy.libs").glob("*.so*"))]
        files += [(p, ctypes.DEFAULT_MODE) for p in (numpy / "_core").glob("_multiarray_umath*.so")]
    if (torch := root("torch")) is not None:
        names = ("libc10.so", "libtorch_cpu.so", "libtorch.so", "libtorch_python.so")
        files += [(torch / "lib" / name, ctypes.RTLD_GLOBAL) for name in names]
        files += [(p, ctypes.RTLD_GLOBAL) for p in torch.glob("_C.*.so")]
    for path, mode in files:
        if path.is_file():
            try:
                ctypes.CDLL(str(path), mode=mode)
            except OSError:
                return


def generation_process() -> GenerationProcess:
    """A child process for the app's Generate (``process.py``): ``start`` warms it, ``run`` is ``run``."""
    return GenerationProcess(_warm_child, run, LOADING)


def _warm_child(mode: str, engine: str | None, device: str, style: str | None) -> None:
    """The child's warm-up: the panel's engine through ``warm``, or at least torch."""
    preload_libraries()
    if engine is not None:
        warm(mode, engine, device, style)
    else:
        import torch  # noqa: F401 - the one-time import is what a first Generate would wait for


def warm(mode: str, engine: str, device: str = "auto", style: str | None = None) -> None:
    """Pay a first Generate's one-time costs ahead of it, on the caller's (a background) thread: import
    torch, load ``engine``'s model and the critic's judges into the registry's cache, and run one tiny
    Continue through the whole pipeline (generate, score, rank) so lazy set-ups happen now, not on the
    click. Nothing is kept but the caches; a missing model is left for the click to report."""
    preload_libraries()
    from musestudio.ml import sampling
    from musestudio.ml.generate.taste import Taste

    dev = str(sampling.pick_device(device))
    stem = engines.engine_stem(mode, engine)
    engines.load(stem, dev)
    for judge in (engines.REALNESS, engines.STYLE_JUDGE, engines.EMBEDDING):
        if engines.stem_path(judge).with_suffix(".json").is_file():
            engines.load(judge, dev)
    if mode != engines.CONTINUE:
        return
    styles = engines.trained_styles(mode, engine) or ()
    style = style if style in styles or not styles else styles[0]
    run(warm_request(engine, style or "pop", dev), Taste())


def warm_request(engine: str, style: str, device: str) -> Request:
    """The warm-up's tiny Continue: one bar after a two-bar scale, one take. For the parts engine the scale
    is a melody over a bass line, so the warm-up runs the same path a multi-track seed's first click does
    (every part written, each hearing the others)."""
    melody = tuple(Note(60 + step, i * 480, 480, 80) for i, step in enumerate((0, 2, 4, 5, 7, 5, 4, 2)))
    options = Options(style=style, variations=1, seed=0, device=device)
    sigs = (TimeSignature(0, 4, 4),)
    if engine != engines.PARTS:
        return Request(engines.CONTINUE, engine, melody, 480, sigs, options, bars=1)
    bass = tuple(Note(pitch, i * 1920, 1920, 70) for i, pitch in enumerate((36, 43)))
    specs = (
        PartSpec(0, melody, "Melody", "melody", 0, True),
        PartSpec(1, bass, "Bass", "bass", 32, True),
    )
    return Request(
        engines.CONTINUE, engine, melody + bass, 480, sigs, options, bars=1, track_id=0, parts=specs
    )


def suggest_style(
    notes: Sequence[Note],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature],
    taste,
    candidates: Sequence[str],
    say: Say | None = None,
) -> str | None:
    """The style among ``candidates`` the notes sound like, leaning to the styles whose takes the user keeps."""
    probs = None
    if notes:
        if say is not None:
            say(LISTENING)
        from musestudio.ml.generate import critic

        notes, tpb, time_signatures = model_grid.phrase_on_grid(notes, tpb, time_signatures)
        probs = critic.style_probabilities(notes, tpb=tpb, time_signatures=time_signatures)
    return taste.suggest_style(probs, list(candidates))
