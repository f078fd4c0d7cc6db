"""The generation service without Qt: a Request in, ranked takes out, with stages, progress and cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from musestudio.core.errors import Cancelled
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import engines
from musestudio.ml.generate import service
from musestudio.ml.generate.request import Options, Request
from musestudio.ml.generate.taste import Taste

SHIPPED = Path(__file__).resolve().parents[3] / "models"
TPB = 480
BAR = 4 * TPB
SIGS = (TimeSignature(0, 4, 4),)
MELODY = tuple(Note(60 + (i * 5) % 12, i * TPB // 2, TPB // 2, 80) for i in range(13))  # ends mid-bar 2


@pytest.fixture(autouse=True)
def shipped(monkeypatch):
    if not (SHIPPED / "continue_markov.safetensors").is_file():
        pytest.skip("the shipped models are not here")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(SHIPPED.parent))


def request(mode: str, engine: str, **options) -> Request:
    o = Options(**{"style": "celtic", "variations": 3, "seed": 7, "device": "cpu", **options})
    return Request(mode, engine, MELODY, TPB, SIGS, o, bars=2, replaces=frozenset(n.id for n in MELODY))


def test_a_continue_request_comes_back_ranked_with_what_the_takes_panel_shows():
    stages, progress = [], []
    outcome = service.run(
        request(engines.CONTINUE, "markov"), Taste(), lambda d, t: progress.append((d, t)), stages.append
    )
    assert stages[-2:] == [service.GENERATING, service.SCORING]
    assert progress[-1] == (service.TOTAL, service.TOTAL) and progress == sorted(progress)
    assert outcome.device == "cpu" and set(outcome.seconds) == {"load", "generate", "score", "cpu"}
    takes = outcome.takes
    assert sorted((t.number, t.seed) for t in takes) == [(1, 7), (2, 8), (3, 9)]  # a seed each
    assert [t.score for t in takes] == sorted((t.score for t in takes), reverse=True)  # best first
    for t in takes:
        assert (t.start, t.end) == (2 * BAR, 4 * BAR)  # the bars asked for, from the bar line after the seed
        assert t.engine == "markov" and t.style == "celtic" and t.features is not None
        assert all(t.start <= n.start < t.end for n in t.notes)


def test_a_restyle_request_gives_one_take_per_variation_over_the_phrase_bars():
    outcome = service.run(request(engines.RESTYLE, "gan", strength=0.8), Taste())
    assert len(outcome.takes) == 3
    assert {(t.start, t.end) for t in outcome.takes} == {(0, 2 * BAR)}
    assert {t.seed for t in outcome.takes} == {7, 8, 9}


def test_cancel_stops_the_run():
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        service.run(request(engines.CONTINUE, "markov"), Taste(), lambda d, t: cancel.set(), None, cancel)


def test_a_second_run_does_not_say_it_is_loading():
    service.run(request(engines.CONTINUE, "markov"), Taste())
    stages = []
    service.run(request(engines.CONTINUE, "markov"), Taste(), None, stages.append)
    assert service.LOADING not in stages


def test_style_suggestion_leans_on_what_the_notes_sound_like():
    candidates = ["bach", "celtic"]
    said = []
    style = service.suggest_style(
        MELODY, tpb=TPB, time_signatures=SIGS, taste=Taste(), candidates=candidates, say=said.append
    )
    assert style in candidates and said == [service.LISTENING]
    nothing = service.suggest_style((), tpb=TPB, time_signatures=SIGS, taste=Taste(), candidates=candidates)
    assert nothing is None  # no notes to hear and no decisions yet: nothing to suggest
