"""The work a generation does on the worker thread: load the model, generate, score, rank.

Everything torch-related is imported inside ``run`` so that importing this module (at window start-up)
stays cheap; the first run pays for importing torch and loading the model, which is what the status bar's
"Loading model..." covers. Progress is reported in thousandths: 90% for the model's own steps (bars
written over all variations), the rest for scoring.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from musestudio.core.errors import Cancelled
from musestudio.core.timing import next_bar_line
from musestudio.ui.generate.request import CONTINUE, REGENERATE, RESTYLE, Outcome, Request, Take

TOTAL = 1000
LOADING, GENERATING, SCORING = "loading", "generating", "scoring"  # stages ``say`` names; the UI words them
GENERATE_SHARE = 900
_loaded: set[tuple] = set()  # (mode family, engine, device, models folder) loaded in this process
_restyle_models: dict[tuple, object] = {}
_lock = threading.Lock()


def bars_end(start: int, bars: int, request: Request) -> int:
    end = start
    for _ in range(bars):
        end = next_bar_line(end + 1, request.time_signatures, request.tpb)
    return end


def _load(request: Request, device: str, say: Callable[[str], None]) -> object | None:
    """Load the request's model (first time only); returns the Restyle model, which restyle() takes."""
    from musestudio.paths import models_dir

    family = "restyle" if request.mode == RESTYLE else "continue"
    key = (family, request.engine, device, str(models_dir()))
    with _lock:
        if key not in _loaded:
            say(LOADING)
        if family == "continue":
            from musestudio.ml import generate, sampling

            generate.load_engine(request.engine, sampling.pick_device(device))
            model = None
        else:
            model = _restyle_models.get(key)
            if model is None:
                if request.engine == "gan":
                    from musestudio.ml import gan

                    model = gan.load(device=device)
                else:
                    from musestudio.ml import restyle_seq2seq

                    model = restyle_seq2seq.load(device=device)
                _restyle_models[key] = model
        _loaded.add(key)
        return model


def run(
    request: Request,
    taste,
    report: Callable[[int, int], None],
    say: Callable[[str], None],
    cancel: threading.Event,
) -> Outcome:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    if "torch" not in sys.modules:
        say(LOADING)  # importing torch is most of a first run's wait
    from musestudio.ml import sampling

    device = str(sampling.pick_device(request.device))
    model = _load(request, device, say)
    seconds["load"] = time.perf_counter() - t0
    say(GENERATING)
    t1 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        report(GENERATE_SHARE * done // max(1, total), TOTAL)

    raw = _generate(request, model, device, progress, cancel)  # [(notes, start, end, seed)]
    seconds["generate"] = time.perf_counter() - t1
    if cancel.is_set():
        raise Cancelled("generation cancelled")
    say(SCORING)
    t2 = time.perf_counter()
    takes, left_out = _score(request, raw, taste, device)
    seconds["score"] = time.perf_counter() - t2
    report(TOTAL, TOTAL)
    return Outcome(request, takes, device, seconds, left_out)


def _generate(request: Request, model, device: str, progress, cancel) -> list[tuple]:
    r = request
    common = dict(
        tpb=r.tpb,
        time_signatures=r.time_signatures,
        style=r.style,
        variations=r.variations,
        temperature=r.temperature,
        top_p=r.top_p,
        key=r.key,
        key_lock=r.key_lock,
        pitch_range=r.pitch_range,
        seed=r.seed,
        device=device,
        progress=progress,
        cancel=cancel,
    )
    if r.mode == CONTINUE:
        from musestudio.ml.generate import continue_phrase

        gen = continue_phrase(r.notes, bars=r.bars, engine=r.engine, after=r.after, **common)
        return [(t.notes, t.start, bars_end(t.start, r.bars, r), gen.seed) for t in gen.takes]
    if r.mode == REGENERATE:
        from musestudio.ml.generate import infill

        gen = infill(r.notes, start=r.start, end=r.end, **common)
        return [(t.notes, t.start, bars_end(t.start, t.bars, r), gen.seed) for t in gen.takes]
    return _restyle(r, model, device, progress, cancel)


def _restyle(r: Request, model, device: str, progress, cancel) -> list[tuple]:
    """Variations of a Restyle: seeds in a row for the sampling seq2seq engine; the GAN is deterministic,
    so its variations step the strength down from the one asked for (a take per degree of change)."""
    from musestudio.ml.pianoroll import DEFAULT_SPEC
    from musestudio.ml.restyle import phrase_of, restyle

    phrase = phrase_of(
        r.notes, r.tpb, r.time_signatures, model.config.spec if r.engine == "gan" else DEFAULT_SPEC
    )
    out = []
    for i in range(r.variations):
        strength = r.strength * (1 - 0.5 * i / r.variations) if r.engine == "gan" else r.strength
        seed = r.seed + i
        notes = restyle(
            r.notes,
            r.style,
            r.engine,
            strength=strength,
            key=r.key if r.key_lock else None,
            seed=seed,
            device=device,
            cancel=cancel,
            tpb=r.tpb,
            time_signatures=r.time_signatures,
            model=model,
        )
        lo, hi = r.pitch_range
        notes = [n for n in notes if lo <= n.pitch <= hi]
        end = phrase.origin + phrase.n_steps * (
            model.config.spec if r.engine == "gan" else DEFAULT_SPEC
        ).step_ticks(r.tpb)
        out.append((tuple(notes), phrase.origin, end, seed))
        progress(i + 1, r.variations)
    return out


def _score(
    request: Request, raw: list[tuple], taste, device: str
) -> tuple[tuple[Take, ...], tuple[str, ...]]:
    """The takes ranked best first, and why any judge was left out (a damaged model file)."""
    from musestudio.ml import critic
    from musestudio.ml.checkpoint import CheckpointError
    from musestudio.ml.taste import take_features

    r = request
    scores = critic.score_takes(
        [t[0] for t in raw],
        [t[1] for t in raw],
        tpb=r.tpb,
        time_signatures=r.time_signatures,
        style=r.style,
        device=device,
    )
    left_out = critic.unusable()
    try:
        embeddings = [_embedding(notes, r, device) for notes, *_ in raw]
    except CheckpointError as e:  # the phrase embedding only helps taste: rank by the statistics alone
        embeddings = [()] * len(raw)
        left_out.append(f"{e}; taste goes by the takes' statistics alone")
    features = [
        take_features(notes, tpb=r.tpb, time_signatures=r.time_signatures, embedding=embedding)
        for (notes, *_), embedding in zip(raw, embeddings, strict=True)
    ]
    ranked = taste.rank([s.total for s in scores], features)
    takes = []
    for rk in ranked:
        notes, start, end, seed = raw[rk.index]
        s = scores[rk.index]
        takes.append(
            Take(
                rk.index + 1,
                tuple(notes),
                start,
                end,
                r.engine,
                r.style,
                seed,
                s.realness,
                s.style_probability,
                s.total,
                features[rk.index],
                rk.taste,
                rk.score,
                rk.why,
            )
        )
    return tuple(takes), tuple(left_out)


def _embedding(notes, r: Request, device: str) -> tuple[float, ...]:
    """The Continue seq2seq encoder's view of the take, when that model is installed and knows the style."""
    from musestudio.ui.generate.request import missing_model, trained_styles

    if (
        not notes
        or missing_model(CONTINUE, "seq2seq")
        or r.style not in (trained_styles(CONTINUE, "seq2seq") or ())
    ):
        return ()
    from musestudio.ml.generate import phrase_embedding

    return tuple(
        phrase_embedding(notes, tpb=r.tpb, time_signatures=r.time_signatures, style=r.style, device=device)
    )
