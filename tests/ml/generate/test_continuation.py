"""generate.py over real (tiny, briefly trained) checkpoints of all three engines in a temporary models/."""

from __future__ import annotations

import threading

import pytest
import torch
from note_checks import holds_a_key_struck_again

from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint
from musestudio.ml.engines import STREAM_ENGINES
from musestudio.ml.generate import continuation as generate
from musestudio.ml.generate.request import SEEDS, Options
from musestudio.ml.models import markov, seq2seq, transformer
from musestudio.ml.tokenizer import Tokenizer

TPB = 480
BAR = 4 * TPB
C_MAJOR = KeySignature(0, "major")


def melody(bars: int, offset: int = 0, transpose: int = 0) -> list[Note]:
    """Quarter notes walking up and down a C major arpeggio, four to a 4/4 bar."""
    cycle = [60, 64, 67, 72, 67, 64, 62, 59]
    return [Note(cycle[i % 8] + transpose, offset + i * TPB, TPB, 80) for i in range(4 * bars)]


@pytest.fixture(scope="module")
def models_home(tmp_path_factory):
    """Train each engine for a few steps on arpeggios and save it where generate.py looks for models."""
    home = tmp_path_factory.mktemp("home")
    tok = Tokenizer()
    sigs = (TimeSignature(0, 4, 4),)
    seqs = [
        tok.encode(
            melody(8, transpose=t), tpb=TPB, time_signatures=sigs, key=KeySignature(t % 12), style="bach"
        )
        for t in range(-3, 4)
    ]
    torch.manual_seed(0)
    lm = transformer.Model(
        transformer.Config(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=32)
    )
    opt = lm.configure_optimizer(3e-3)
    data = torch.tensor(seqs)
    for _ in range(20):
        _, loss, _ = lm(data[:, :-1], data[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    s2s = seq2seq.Model(seq2seq.Config(vocab_size=tok.vocab_size, hidden=32, n_embd=16, style_dim=4))
    ngram = markov.Model(markov.Config(vocab_size=tok.vocab_size, order=3)).fit(seqs)
    for name, model in (("transformer", lm), ("seq2seq", s2s), ("markov", ngram)):
        checkpoint.save(home / "models" / f"continue_{name}", model, model.config, tok.to_json())
    return home


@pytest.fixture()
def models(models_home, monkeypatch):
    monkeypatch.setenv("MUSESTUDIO_HOME", str(models_home))  # another folder: other cache entries
    return models_home


def run(**kw):
    args = dict(tpb=TPB, bars=2)
    options = dict(style="bach", variations=3, seed=5, device="cpu")
    for name, value in kw.items():
        (options if name in Options.__dataclass_fields__ else args)[name] = value
    seed_notes = args.pop("notes", melody(4))
    return generate.continue_phrase(seed_notes, Options(**options), **args)


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_continuation_starts_on_the_next_bar_line_and_fills_the_bars(models, engine):
    seed_notes = melody(3)[:-1]  # ends one beat before the bar line at 3 bars
    result = run(notes=seed_notes, engine=engine, bars=3)
    assert result.engine == engine and result.device == "cpu" and result.seed == 5
    assert len(result.takes) == 3
    for take in result.takes:
        assert take.start == 3 * BAR
        assert take.bars == 3
        assert all(3 * BAR <= n.start < 6 * BAR for n in take.notes)


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_same_seed_same_takes_and_another_seed_differs(models, engine):
    first, again, other = run(engine=engine), run(engine=engine), run(engine=engine, seed=6)
    assert first.takes == again.takes
    assert first.takes != other.takes


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_takes_of_the_top_seed_go_round_to_seeds_the_box_holds_each_drawing_its_take(models, engine):
    """Take n of a run draws from its seed + n - 1: from the top seed the app's seed box holds (2^31 - 1)
    take 2 showed 2^31, which the box cannot take. It goes round to 0, and seed 0 draws it again."""
    top = run(engine=engine, seed=SEEDS - 1, variations=2)
    assert [t.seed for t in top.takes] == [SEEDS - 1, 0]
    (alone,) = run(engine=engine, seed=0, variations=1).takes
    assert alone.notes == top.takes[1].notes


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_key_lock_and_pitch_range_hold_for_every_note(models, engine):
    d_minor = KeySignature(2, "minor")
    result = run(engine=engine, key=d_minor, key_lock=True, pitch_range=(55, 70), variations=4, bars=4)
    notes = [n for t in result.takes for n in t.notes]
    assert notes
    assert all(d_minor.contains(n.pitch) and 55 <= n.pitch <= 70 for n in notes)


def test_three_four_meter_is_kept(models):
    sigs = (TimeSignature(0, 3, 4),)
    seed_notes = [Note(60 + i % 5, i * TPB, TPB) for i in range(6)]  # two bars of 3/4
    result = run(notes=seed_notes, time_signatures=sigs, bars=2)
    for take in result.takes:
        assert take.start == 2 * 3 * TPB
        assert all(take.start <= n.start < take.start + 2 * 3 * TPB for n in take.notes)


def test_an_empty_seed_composes_from_bar_one(models):
    result = run(notes=[], key=C_MAJOR, bars=1)
    assert all(t.start == 0 and t.bars == 1 for t in result.takes)


def test_progress_reaches_all_bars_and_cancel_stops(models):
    calls = []
    run(progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    stop = threading.Event()
    with pytest.raises(Cancelled):
        run(progress=lambda done, total: stop.set(), cancel=stop)


def test_infill_writes_only_inside_the_range(models):
    notes = melody(6)
    options = Options(style="bach", seed=1, device="cpu")
    result = generate.infill(notes, options, tpb=TPB, start=2 * BAR + 100, end=3 * BAR + 10)
    for take in result.takes:
        assert take.start == 2 * BAR and take.bars == 2
        assert all(2 * BAR <= n.start < 4 * BAR for n in take.notes)


def test_bad_requests_are_bad_input(models):
    with pytest.raises(BadInputError):
        run(style="nope")
    with pytest.raises(BadInputError):
        run(bars=33)
    with pytest.raises(BadInputError):
        run(engine="gpt")
    with pytest.raises(BadInputError):
        run(notes=[], key_lock=True)
    with pytest.raises(BadInputError):
        run(key=C_MAJOR, key_lock=True, pitch_range=(61, 61))


def test_a_missing_model_file_is_a_clear_error(models):
    (models / "models" / "continue_markov.safetensors").rename(models / "moved.safetensors")
    try:
        with pytest.raises(checkpoint.CheckpointError, match="continue_markov.safetensors"):
            run(engine="markov")
    finally:
        (models / "moved.safetensors").rename(models / "models" / "continue_markov.safetensors")


def test_cli_continue_writes_one_midi_per_take_with_the_seed_kept(models, tmp_path, capsys):
    import json

    from musestudio import cli
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.io import formats

    seed_file = tmp_path / "seed.mid"
    formats.save(Project(tracks=(Track(name="Lead", notes=tuple(melody(4))),), ticks_per_beat=TPB), seed_file)
    out = tmp_path / "takes"
    argv = [
        "continue",
        str(seed_file),
        "-o",
        str(out),
        "--bars",
        "2",
        "--variations",
        "2",
        "--seed",
        "3",
        "--engine",
        "markov",
        "--key-lock",
        "--json",
    ]
    assert cli.main(argv) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["engine"] == "markov" and facts["style"] == "bach" and facts["seed"] == 3
    assert len(facts["takes"]) == 2
    for take in facts["takes"]:
        project = formats.load(take["path"])
        notes = sorted(project.tracks[0].notes, key=Note.sort_key)
        assert notes[: len(melody(4))] == melody(4)  # the seed comes back unchanged
        assert len(notes) == len(melody(4)) + take["notes"] and take["bars"] == 2
        first_new_bar = [n for n in notes if 4 * 4 * TPB <= n.start < 5 * 4 * TPB]
        assert first_new_bar  # no take opens on an empty bar (the CLI gets the app's checks)


@pytest.mark.parametrize("engine", ["markov", "transformer"])
def test_cli_continue_keeps_a_single_stream_in_the_pitch_range(engine, models, tmp_path, capsys):
    """``--pitch-range`` reaches every engine (it once reached only the parts engine, and a single-stream
    take wrote wherever it liked); a parts-only control is refused, not dropped."""
    import json

    from musestudio import cli
    from musestudio.core.project import Project
    from musestudio.core.track import Track
    from musestudio.io import formats

    seed_file = tmp_path / "seed.mid"
    formats.save(Project(tracks=(Track(name="Lead", notes=tuple(melody(4))),), ticks_per_beat=TPB), seed_file)
    argv = ["continue", str(seed_file), "-o", str(tmp_path / "takes"), "--bars", "2", "--variations", "2"]
    argv += ["--seed", "3", "--engine", engine, "--style", "bach", "--json"]
    assert cli.main([*argv, "--pitch-range", "72-79"]) == 0
    for take in json.loads(capsys.readouterr().out)["takes"]:
        notes = formats.load(take["path"]).tracks[0].notes
        new = [n for n in notes if n.start >= 4 * 4 * TPB]
        assert new and all(72 <= n.pitch <= 79 for n in new)
    for control in (["--density", "4"], ["--voices", "1"], ["--free-voices"], ["--roles", "melody"]):
        assert cli.main([*argv, *control]) == 2
        err = capsys.readouterr().err
        assert err == f"error: {control[0]} needs the parts engine; --engine {engine} writes one stream\n"


def test_cli_continue_bad_input_is_one_error_line(models, tmp_path, capsys):
    from musestudio import cli

    assert cli.main(["continue", str(tmp_path / "missing.mid"), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1


def test_cli_styles_lists_every_style(capsys, tmp_path, monkeypatch):
    """Every built-in style, and nothing else for a user who has learned none (a scratch data folder: the
    machine's own learned styles are not this test's)."""
    import json

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    from musestudio import cli
    from musestudio.ml.styles import STYLES

    assert cli.main(["styles", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == list(STYLES)
    assert all(r["description"] for r in rows)


def test_after_moves_the_start_to_the_bar_line_after_it(models):
    result = run(after=5 * BAR + 1, bars=1)
    assert all(t.start == 6 * BAR and all(n.start >= 6 * BAR for n in t.notes) for t in result.takes)


def test_bar_grammar_allows_only_well_formed_bars():
    tok = Tokenizer()
    pitch_ok = torch.zeros(tok.vocab_size, dtype=torch.bool)
    pitch_ok[tok.pitch_token(0) : tok.pitch_token(128)] = True
    meter = tok.meter_id(3, 4)
    g = generate.BarGrammar(
        tok,
        1,
        bars=1,
        bar_steps=36,
        end_ids=(tok.eos_id,),
        meter_first=meter,
        pitch_ok=pitch_ok,
        device=torch.device("cpu"),
    )

    def allowed():
        return {tok.token_str(i) for i in g.allowed()[0].nonzero().flatten().tolist()}

    def feed(name):
        assert name in allowed(), name
        g.observe(torch.tensor([tok.token_id(name)]))

    assert allowed() == {"BAR"}
    feed("BAR")
    assert allowed() == {"METER_3/4"}  # a fill restates its meter, as in training
    feed("METER_3/4")
    assert "POS_35" in allowed() and "POS_36" not in allowed()  # inside a 3/4 bar of 12 steps a beat
    feed("POS_12")
    feed("PITCH_64")
    assert all(a.startswith("DUR_") for a in allowed())
    feed("DUR_12")
    now = allowed()
    assert "PITCH_65" in now and "PITCH_64" not in now  # a chord's notes ascend
    assert "POS_12" not in now and "POS_13" in now  # time moves forward
    assert "EOS" in now and "BAR" not in now  # one bar asked for: it can only end
    feed("EOS")
    assert g.done().tolist() == [True] and allowed() == {"PAD"}


def voices(notes) -> int:
    """The most notes sounding at once."""
    return max((sum(m.start <= n.start < m.end for m in notes) for n in notes), default=0)


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_a_tune_written_as_a_single_line_goes_on_as_one(models, engine):
    """A single-line seed (a flute tune) continued in a style with chords came back with block chords in
    its track: its takes are single lines too, while a seed in chords may go on in chords."""
    for take in run(engine=engine, variations=4, bars=4, temperature=1.5).takes:
        assert take.notes and voices(take.notes) == 1
    chords = [Note(p, i * TPB, TPB, 80) for i in range(8) for p in (60, 64, 67)]
    takes = run(engine="seq2seq", notes=chords, variations=4, bars=4, temperature=1.5).takes
    assert max(voices(t.notes) for t in takes) > 1


def test_bar_grammar_lets_an_onset_run_down_for_a_top_down_reader():
    """A learned style whose layers read an onset from the top down writes it so: any pitch first (the
    tune's), then only lower ones until the next position."""
    tok = Tokenizer().with_onset_order("descending")
    pitch_ok = torch.zeros(tok.vocab_size, dtype=torch.bool)
    pitch_ok[tok.pitch_token(0) : tok.pitch_token(128)] = True
    g = generate.BarGrammar(tok, 1, 2, 48, (tok.eos_id,), None, pitch_ok, torch.device("cpu"))

    def allowed():
        return {tok.token_str(i) for i in g.allowed()[0].nonzero().flatten().tolist()}

    for name in ("BAR", "POS_0", "PITCH_74", "DUR_12"):
        assert name in allowed(), name
        g.observe(torch.tensor([tok.token_id(name)]))
    now = allowed()
    assert "PITCH_73" in now and "PITCH_74" not in now and "PITCH_75" not in now
    for name in ("PITCH_62", "DUR_12", "POS_12"):
        g.observe(torch.tensor([tok.token_id(name)]))
    assert {"PITCH_0", "PITCH_127"} <= allowed()  # a new onset: any pitch again
    for name in ("PITCH_60", "DUR_12", "BAR"):
        g.observe(torch.tensor([tok.token_id(name)]))
    g.observe(torch.tensor([tok.token_id("POS_0")]))
    assert "PITCH_127" in allowed()


def test_phrase_embedding_is_fixed_size_and_tells_phrases_apart(models):
    same_a = generate.phrase_embedding(melody(2), tpb=TPB, style="bach", device="cpu")
    same_b = generate.phrase_embedding(melody(2), tpb=TPB, style="bach", device="cpu")
    other = generate.phrase_embedding(
        [Note(40 + i, i * TPB // 2, TPB // 2) for i in range(16)], tpb=TPB, style="bach", device="cpu"
    )
    assert len(same_a) == len(other) == 32  # the test model's hidden size
    assert same_a == same_b and same_a != other


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_no_take_holds_a_key_it_strikes_again(models, engine):
    """A note the model holds past the next onset of its pitch ends there (one note-off per pitch)."""
    result = run(engine=engine, bars=4, variations=4, temperature=1.5)
    assert not any(holds_a_key_struck_again(t.notes) for t in result.takes)


@pytest.mark.parametrize("engine", STREAM_ENGINES)
def test_a_take_ends_at_the_bar_line_after_its_bars(models, engine):
    """A last note held on would lengthen the piece past the bars asked for, or sound over the bar after
    the range regenerated."""
    for result in (
        run(engine=engine, bars=2, variations=4, temperature=1.5),
        *(
            [
                generate.infill(
                    melody(6),
                    Options("bach", variations=4, seed=5, temperature=1.5),
                    start=2 * BAR,
                    end=4 * BAR,
                    tpb=TPB,
                )
            ]
            if engine == "transformer"
            else []
        ),
    ):
        for take in result.takes:
            assert take.notes and all(take.start <= n.start < n.end <= take.end for n in take.notes)
