"""Learned styles (issue 16): training on a tiny set, the file format, refusal for another base model,
cancel leaving nothing, and the CLI contract; on tiny random base models made here."""

import json
import os
import threading
import zipfile
from dataclasses import replace
from types import SimpleNamespace

import pytest
import torch

from musestudio import cli
from musestudio.core.errors import BadInputError, Cancelled
from musestudio.core.note import Note
from musestudio.ml import engines, learned
from musestudio.ml.data import learn as data
from musestudio.ml.models import lora
from musestudio.ml.train import learn as learn_module
from musestudio.ml.train.learn import LearnArgs, learn
from tests.ml.learn_fixtures import make_files, make_models


@pytest.fixture
def home(tmp_path, monkeypatch, one_thread):
    """A models folder with tiny base models and a private user data folder."""
    make_models(tmp_path / "root" / "models")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path / "root"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    yield tmp_path
    engines.unload()


def _args(files, name="mine", **kw):
    # keep_gain 0: a tiny random model's 25 steps gain little, and what is checked here is that they gain
    base = dict(minutes=5.0, max_steps=25, lr=1e-2, check_every_s=1e9, base_style="pop", keep_gain=0.0)
    return LearnArgs(files, name, **{**base, **kw})


def test_a_few_steps_lower_the_held_out_loss_and_write_a_small_style(home):
    files = make_files(home / "midi")
    result = learn(_args([home / "midi"]))
    assert result["files"] == len(files) and result["bars"] == 48
    assert result["played_in"] == []  # drawn on the grid: read as written
    for stem in learned.BASES:
        m = result["models"][stem]
        assert m["steps"] == 25
        assert m["valid_nll_after"] < m["valid_nll_before"]
    style = learned.get("mine")
    assert style.base_style == "pop" and set(style.bases) == set(learned.BASES)
    assert style.meta["held_out"] == "bars" and 0 < style.meta["held_out_bars"] < 48
    assert learned.size_on_disk(style) <= 4 * 2**20
    assert style.meta["models"]["parts"]["sha256"] == learned.file_hash(
        engines.stem_path("parts").with_suffix(".safetensors")
    )


def test_layers_that_gain_too_little_on_held_out_music_are_not_kept(home):
    """A model whose layers do not take ``keep_gain`` off the held-out NLL plays the style as its base."""
    make_files(home / "midi")
    result = learn(_args([home / "midi"], keep_gain=0.99))
    style = learned.get("mine")
    for stem in learned.BASES:
        m = result["models"][stem]
        assert m["steps"] == 25 and m["valid_nll_after"] == m["valid_nll_before"]
        assert style.meta["models"][stem]["valid_nll_after"] == m["valid_nll_before"]
    from safetensors.torch import load_file

    for name, t in load_file(style.weights).items():
        if name.endswith("lora_b"):
            assert not t.any(), name  # B = 0: the base model exactly


def test_held_out_is_bars_for_few_files_and_whole_files_for_many(home):
    segs, skipped = data.read_files([p for p in make_files(home / "few", 3)])
    train, valid = data.split(segs)
    assert len(valid) == 3 and all(v.bars == 2 for v in valid)  # a tenth of 16 bars, at least two
    assert sum(s.bars for s in train) + sum(v.bars for v in valid) == 48
    five, _ = data.read_files(make_files(home / "five", 5, bars=4))
    train, valid = data.split(five)  # a held-out file, not bars: bars of the songs learnt are a leaky check
    assert len(valid) == 1 and len(train) == 4 and valid[0].bars == 4
    many, _ = data.read_files(make_files(home / "many", 12, bars=4))
    train, valid = data.split(many)
    assert (
        len(valid) == 1 and len(train) == 11 and {v.source for v in valid}.isdisjoint(t.source for t in train)
    )


def test_unusable_files_are_skipped_with_a_reason(home):
    (home / "in").mkdir()
    (home / "in" / "notes.txt").write_text("not music")
    (home / "in" / "broken.mid").write_bytes(b"MThd garbage")
    make_files(home / "in", 1)
    segs, skipped = data.read_files([home / "in", home / "in" / "notes.txt", home / "missing.mid"])
    assert [s.source for s in segs] == ["tune0.mid"]
    reasons = {s.path.name: s.reason for s in skipped}
    assert "broken.mid" in reasons and "not a MIDI file" in reasons["notes.txt"]
    assert "no such file" in reasons["missing.mid"]
    # each reason by name too, with its particulars, for the app to say in the user's language
    why = {s.path.name: (s.why, s.detail) for s in skipped}
    assert why["missing.mid"] == (data.MISSING, "") and why["notes.txt"][0] == data.NOT_MIDI
    assert why["broken.mid"] == (data.UNREADABLE, reasons["broken.mid"])
    assert ".rmi" in why["notes.txt"][1]


def test_cli_learn_says_which_file_s_damaged_end_was_dropped(home, capsys):
    """A file whose end lay 78 hours of silence after its notes is learnt up to its last event, and
    ``musestudio-cli learn`` says so as every command reading a file does (it said nothing)."""
    from tests.test_cli import far_end_song

    make_files(home / "midi")
    far_end_song(home / "midi" / "far.mid")
    argv = ["learn", str(home / "midi"), "--name", "Far", "--from", "pop", "--minutes", "0.05", "--json"]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    said = (
        "note: far.mid ended 78 hours of silence after its last event (a damaged length): it is learnt up to"
    )
    assert err.count(said) == 1, err
    result = json.loads(out)
    assert result["files"] == 4 and [d["file"] for d in result["dropped_ends"]] == ["far.mid"]


def test_the_style_file_round_trips_through_export_import_and_rename(home):
    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=3))
    style = learned.get("mine")
    from safetensors.torch import load_file

    before = load_file(str(style.weights))
    with pytest.raises(learned.StyleError, match="cannot write"):
        learned.export("mine", home / "no-such-folder" / "mine")
    shared = learned.export("mine", home / "mine")
    assert shared.suffix == ".musestyle"
    with pytest.raises(learned.StyleError, match="already a learned style"):
        learned.import_file(shared)
    copy = learned.import_file(shared, "theirs")
    after = load_file(str(copy.weights))
    assert set(after) == set(before) and all(torch.equal(after[k], before[k]) for k in before)
    assert {k: v for k, v in copy.meta.items() if k != "name"} == {
        k: v for k, v in style.meta.items() if k != "name"
    }
    renamed = learned.rename("theirs", "Yours")
    assert learned.names() == ("mine", "Yours") and renamed.weights.is_file()
    learned.remove("Yours")
    assert learned.names() == ("mine",)
    with pytest.raises(learned.StyleError, match="built-in style"):
        learned.rename("mine", "Celtic fiddle")
    (home / "bad.musestyle").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(learned.StyleError, match="cannot be read"):
        learned.import_file(home / "bad.musestyle")
    os.mkfifo(home / "pipe.musestyle")  # read for ever, before: refused as every other command refuses it
    with pytest.raises(BadInputError, match="is a pipe"):
        learned.import_file(home / "pipe.musestyle")


def test_exporting_a_style_over_a_file_says_it_replaced_it(home, capsys):
    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=2))
    (home / "precious.musestyle").write_text("the user's")
    assert cli.main(["styles", "--export", "mine", str(home / "precious")]) == 0
    assert "(it replaces the file of that name)" in capsys.readouterr().out
    # a file picked in the dialog, which lists "*.musestyle" in any case, is that file
    (home / "Reels.MuseStyle").write_text("the user's too")
    assert cli.main(["styles", "--export", "mine", str(home / "Reels.MuseStyle")]) == 0
    assert "(it replaces the file of that name)" in capsys.readouterr().out
    assert zipfile.is_zipfile(home / "Reels.MuseStyle")
    assert not (home / "Reels.MuseStyle.musestyle").exists()
    assert learned.export("mine", home / "Set.MUSESTYLE") == home / "Set.MUSESTYLE"


def test_a_style_learned_on_another_base_model_is_refused(home):
    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=2))
    style = learned.get("mine")
    merged = engines.load_styled(engines.stem_path("parts"), "cpu", style).model
    base = engines.load("parts", "cpu").model
    assert not torch.equal(merged.blocks[0].attn.qkv.weight, base.blocks[0].attn.qkv.weight)
    make_models(home / "root" / "models", seed=1)  # the base models retrained: other weights, other hash
    with pytest.raises(learned.StyleError, match="another parts model"):
        engines.load_styled(engines.stem_path("parts"), "cpu", style)
    assert cli.main(["evaluate", "style", "mine", "--files", str(home / "midi" / "tune0.mid")]) == 2


def test_cancel_mid_training_leaves_nothing_written(home):
    make_files(home / "midi")
    cancel = threading.Event()
    seen = []

    def report(event):
        seen.append(event)
        if event.get("stage") == "training" and event["step"] == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        learn(_args([home / "midi"]), report, cancel)
    assert seen and list(learned.styles_dir().iterdir()) == []


def test_learning_refuses_a_taken_or_built_in_name_and_no_files(home):
    make_files(home / "midi")
    with pytest.raises(learned.StyleError, match="built-in"):
        learn(_args([home / "midi"], name="celtic"))
    with pytest.raises(BadInputError, match="no usable MIDI"):
        learn(_args([home / "empty"]))


def test_lora_starts_as_the_base_model_and_merges_exactly(home):
    base = engines.load("continue_transformer", "cpu").model
    wrapped = lora.wrap(base).eval()
    x = torch.randint(0, 100, (1, 20))
    assert torch.allclose(wrapped(x)[0], base(x)[0])
    for m in lora.adapters(wrapped).values():
        torch.nn.init.normal_(m.lora_b, std=0.05)
    merged = lora.merged(base, lora.state(wrapped), lora.RANK, lora.ALPHA)
    assert torch.allclose(wrapped(x)[0], merged(x)[0], atol=1e-4)
    assert not torch.allclose(base(x)[0], merged(x)[0])


def test_cli_learn_styles_evaluate_continue_and_remove(home, capsys):
    files = make_files(home / "midi")
    assert (
        cli.main(
            ["learn", str(home / "midi"), "--name", "Tunes", "--from", "pop", "--minutes", "0.1", "--json"]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert {"style", "files", "bars", "seconds", "valid_nll_before", "valid_nll_after"} <= set(out)
    assert out["style"] == "Tunes" and out["files"] == 3 and out["bars"] == 48
    assert cli.main(["styles", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows if r["learned"]] == ["Tunes"]
    assert all(r["learned"] is False for r in rows if r["name"] != "Tunes")
    assert cli.main(["evaluate", "style", "Tunes", "--files", str(files[0]), "--json"]) == 0
    ev = json.loads(capsys.readouterr().out)
    assert ev["base_nll"] > 0 and ev["tuned_nll"] > 0 and set(ev["models"]) == set(learned.BASES)
    take_dir = home / "takes"
    assert (
        cli.main(
            [
                "continue",
                str(files[0]),
                "-o",
                str(take_dir),
                "--style",
                "Tunes",
                "--bars",
                "1",
                "--variations",
                "1",
                "--seed",
                "1",
                "--json",
            ]
        )
        == 0
    )
    assert list(take_dir.glob("*.mid"))
    out = json.loads(capsys.readouterr().out)
    # an engine in a learned style draws from the layers' whole distribution (engines.default_top_p)
    assert (out["temperature"], out["top_p"]) == (1.0, 1.0)
    assert (out["style"], out["from"]) == ("Tunes", "pop")  # named as the app's Takes list names it
    args = ["continue", str(files[0]), "-o", str(take_dir), "--style", "Tunes", "--bars", "1"]
    args += ["--variations", "1", "--seed", "1", "--engine", "transformer", "--json"]
    assert cli.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["top_p"] == 1.0 and (out["style"], out["from"]) == ("Tunes", "pop")
    assert cli.main([*args, "--top-p", "0.9"]) == 0  # the user's own value wins
    assert json.loads(capsys.readouterr().out)["top_p"] == 0.9
    assert engines.default_top_p("transformer", "pop") == engines.default_top_p(engines.PARTS, "pop") == 0.95
    assert engines.default_temperature(engines.PARTS, "pop") == 0.9
    assert engines.default_top_p("markov", "Tunes") == 0.95  # an engine with no layers for it
    assert cli.main(["continue", str(files[0]), "-o", str(take_dir), "--style", "nope"]) == 2
    assert "unknown style" in capsys.readouterr().err
    assert cli.main(["styles", "--remove", "Tunes"]) == 0
    assert learned.names() == ()


def test_the_style_meter_hears_a_learned_style_in_phrases_like_the_files(home):
    import random

    from musestudio.core.note import Note
    from musestudio.core.project import TimeSignature
    from musestudio.ml.engines import CONTINUE
    from musestudio.ml.generate import critic
    from musestudio.ml.generate.request import Options, Request
    from musestudio.ml.generate.service import run
    from musestudio.ml.generate.taste import Taste

    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=40))
    style = learned.get("mine")
    sigs = (TimeSignature(0, 4, 4),)
    seg = data.read_file(files[1])
    like = [n for n in seg.notes if n.start < 4 * 1920]
    rng = random.Random(0)
    unlike = [Note(rng.randint(40, 90), i * 160, 160, 80) for i in range(48)]
    p_like = critic.learned_probability(style, like, 480, sigs, 0)
    p_unlike = critic.learned_probability(style, unlike, 480, sigs, 0)
    assert p_like > 0.5 and p_like > p_unlike
    seed = tuple(n for n in like if n.start < 1920)
    out = run(
        Request(CONTINUE, "transformer", seed, 480, sigs, Options("mine", variations=1, seed=1), bars=1),
        Taste(),
    )
    assert out.takes[0].style == "mine"


def test_the_app_entry_point_runs_the_trainer_for_the_bundle(home, capsys):
    """``musestudio --learn-style ...`` is the trainer the Learn dialog starts in a frozen bundle."""
    from musestudio.__main__ import LEARN_STYLE, main
    from musestudio.ui.generate.learn_dialog import trainer_command

    make_files(home / "midi")
    argv = [str(home / "midi"), "--name", "Entry", "--from", "pop", "--max-steps", "2", "--nice", "0"]
    assert main([LEARN_STYLE, *argv]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events[-1]["event"] == "done" and events[-1]["style"] == "Entry"
    assert learned.get("Entry").meta["models"]["parts"]["steps"] == 2
    assert trainer_command()[1] == ["-m", "musestudio.ml.train.learn"]
    import sys

    sys.frozen = True
    try:
        assert trainer_command() == (sys.executable, [LEARN_STYLE])
    finally:
        del sys.frozen


def test_arrange_in_a_learned_style_writes_its_parts_with_the_style_layers(home):
    """Arrange with a learned style: the texture of the style it started from, the parts model with the
    learned layers (its takes differ from the base style's with the same seed)."""
    from musestudio.ml.generate.arrange import arrange
    from musestudio.ml.generate.request import Options

    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=40))
    style = learned.get("mine")
    tune = [n for n in data.read_file(files[0]).tracks[0].notes if n.start < 4 * 1920]
    mine = arrange(tune, Options("mine", variations=2, seed=3), tpb=480)
    base = arrange(tune, Options("pop", variations=2, seed=3), tpb=480)
    assert mine.style == "mine" and mine.conditioned_on == "pop"
    assert [p.name for p in mine.takes[0].parts] == [p.name for p in base.takes[0].parts]
    assert any(key[2] == str(style.path.resolve()) for key in engines._styled)  # its layers were merged
    assert [t.notes for t in mine.takes] != [t.notes for t in base.takes]
    from musestudio.io.midi import read_midi

    notes = {}
    for to in ("mine", "pop"):  # the CLI's Arrange, too, writes with the learned layers
        out = home / f"arranged-{to}.mid"
        argv = ["restyle", str(files[0]), "-o", str(out), "--to", to, "--seed", "3", "--json"]
        assert cli.main(argv) == 0
        notes[to] = [t.notes for t in read_midi(out).tracks]
    assert notes["mine"] != notes["pop"]


def test_add_part_and_restyle_write_in_a_learned_style_named_by_style(home, capsys, tmp_path):
    """Issue 16's contract: ``add-part --style NAME`` and ``restyle --style NAME`` take a learned style by
    its name, say it in their JSON and write with its layers (takes differ from its base style's with the
    same seed)."""
    from musestudio.io.midi import read_midi

    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=40))
    notes = {}
    for style in ("mine", "pop"):
        out = tmp_path / f"part-{style}"
        argv = ["add-part", str(files[0]), "-o", str(out), "--role", "counter-melody", "--style", style]
        assert cli.main([*argv, "--bars", "1-4", "--variations", "1", "--seed", "5", "--json"]) == 0
        facts = json.loads(capsys.readouterr().out)
        assert facts["style"] == style and len(facts["takes"]) == 1
        assert facts.get("from") == ("pop" if style == "mine" else None)  # the style it was learned from
        notes["add-part", style] = [t.notes for t in read_midi(facts["takes"][0]["path"]).tracks]
        out = tmp_path / f"restyled-{style}.mid"
        argv = ["restyle", str(files[0]), "-o", str(out), "--style", style, "--seed", "3", "--json"]
        assert cli.main(argv) == 0
        assert json.loads(capsys.readouterr().out)["to"] == style
        notes["restyle", style] = [t.notes for t in read_midi(out).tracks]
    assert notes["add-part", "mine"] != notes["add-part", "pop"]
    assert notes["restyle", "mine"] != notes["restyle", "pop"]


def test_evaluate_style_compares_the_takes_of_both_engines(home, capsys):
    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=10))
    argv = ["evaluate", "style", "mine", "--files", str(files[0]), str(files[1]), "--continuations", "1"]
    assert cli.main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["continuations"]
    assert set(out) == {"transformer", "parts"}
    for engine in out.values():
        assert engine["files"] == 2 and engine["takes"] == 2
        for which in ("base", "learned"):
            assert set(engine[which]) == {"pitch_class", "interval", "ioi"}
            assert all(0 <= v <= 1 for v in engine[which].values())
        lo, hi = engine["gain_90"]["interval"]
        assert lo <= hi
        assert set(engine["interval_shares"]) == {"files", "base", "learned"}
        assert sum(engine["interval_shares"]["files"].values()) == pytest.approx(1.0, abs=1e-3)
        assert all(0 <= v <= 1 for v in engine["in_key_share"].values())
    assert cli.main(argv) == 0  # the words, with the kinds of step of files and takes
    text = capsys.readouterr().out
    assert "interval" in text and "repeat  semitone  tone  third  leap" in text
    assert "notes in the file's key" in text
    assert cli.main([*argv, "--engines", "nope"]) == 2


def test_the_written_out_adamw_steps_as_torch_s_does():
    """learn's AdamW (the bundle has no torch._dynamo, which torch.optim needs) matches torch.optim.AdamW."""
    from musestudio.ml.train.learn import AdamW

    torch.manual_seed(0)
    a = torch.nn.Parameter(torch.randn(4, 3))
    b = torch.nn.Parameter(a.detach().clone())
    start = a.detach().clone()
    mine = AdamW([a], lr=0.05, betas=(0.9, 0.98), weight_decay=0.01)
    theirs = torch.optim.AdamW([b], lr=0.05, betas=(0.9, 0.98), weight_decay=0.01, foreach=False)
    x = torch.randn(8, 4)
    for step in range(6):
        for opt, p in ((mine, a), (theirs, b)):
            opt.param_groups[0]["lr"] = 0.05 / (step + 1)
            opt.zero_grad()
            ((x @ p) ** 2).mean().backward()
            opt.step()
    assert torch.allclose(a, b, atol=1e-6)
    assert not torch.allclose(a, start, atol=1e-2)  # it moved


def test_continue_and_regenerate_with_the_transformer_use_the_style_layers(home):
    """The Continue transformer in a learned style samples from the merged layers, not the base model: the
    takes differ from the base style's with the same seed, and the styled model is the one the registry
    built for this style (Regenerate's fill-in-the-middle too)."""
    from musestudio.ml.generate.continuation import continue_phrase, infill
    from musestudio.ml.generate.request import Options

    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=40, bases=("continue_transformer",)))
    style = learned.get("mine")
    seg = data.read_file(files[0])
    seed = [n for n in seg.notes if n.start < 4 * 1920]
    takes = {}
    for name in ("mine", "pop"):
        gen = continue_phrase(seed, Options(name, variations=2, seed=5), tpb=480, bars=2)
        assert gen.style == "pop"  # the prompt's STYLE token: the style it started from
        takes[name] = [t.notes for t in gen.takes]
    assert any(key[2] == str(style.path.resolve()) for key in engines._styled)
    assert takes["mine"] != takes["pop"]
    fills = {
        name: [t.notes for t in infill(seed, Options(name, seed=5), tpb=480, start=1920, end=3840).takes]
        for name in ("mine", "pop")
    }
    assert fills["mine"] != fills["pop"]


def test_the_transformer_layers_read_an_onset_from_the_top_down_and_old_styles_as_before(home):
    """A new style's Continue transformer layers learn the single stream with the tune's note first in each
    onset (the order is in the style file): its styled model comes with a reader in that order, the base
    model's stays as it was, and a style file without the setting (learned before it) reads upward."""
    from musestudio.ml.eval.style import evaluate_style

    files = make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=25, bases=("continue_transformer",)))
    style = learned.get("mine")
    assert style.meta["models"]["continue_transformer"]["onset_order"] == "descending"
    # layers that never beat the base stay at zero and read as the base does: the style is the base model
    learn(_args([home / "midi"], name="untrained", max_steps=0, bases=("continue_transformer",)))
    assert learned.get("untrained").meta["models"]["continue_transformer"]["onset_order"] == "ascending"
    stem = engines.stem_path("continue_transformer")
    assert engines.load_styled(stem, "cpu", style).tokenizer.onset_order == "descending"
    assert engines.load("continue_transformer", "cpu").tokenizer.onset_order == "ascending"
    report = evaluate_style("mine", files[:1], "cpu")
    m = report["models"]["continue_transformer"]
    assert m["notes"] > 0 and m["tuned_nll"] > 0  # the same notes, each model reading its own order
    meta = json.loads(style.config.read_text())
    with pytest.raises(learned.StyleError, match="newer"):
        learned.check_meta({**meta, "format_version": 3}, "x.json")
    del meta["models"]["continue_transformer"]["onset_order"]
    meta["format_version"] = 1  # as styles were written before the setting
    style.config.write_text(json.dumps(meta))
    engines.unload()
    assert engines.load_styled(stem, "cpu", learned.get("mine")).tokenizer.onset_order == "ascending"


def test_a_key_signature_the_notes_contradict_gives_way_to_the_key_they_are_in():
    """A default C major signature over a song in D major (POP909 writes one into every file) would teach
    the layers "C major" as the token for D's notes; a signature the music keeps to stays as written."""
    from musestudio.core.keys import KeySignature
    from musestudio.core.note import Note

    d_major = [Note(p, i * 240, 240) for i, p in enumerate([62, 64, 66, 67, 69, 71, 73, 74] * 4)]
    assert data.file_key(KeySignature(0, "major"), d_major) == KeySignature(2, "major")
    # the relative key's signature holds the same notes: kept as written
    assert data.file_key(KeySignature(11, "minor"), d_major) == KeySignature(11, "minor")
    assert data.file_key(None, d_major) == KeySignature(2, "major")
    assert data.file_key(KeySignature(9, "minor"), []) == KeySignature(9, "minor")  # no notes to judge by


def test_the_piano_midi_script_writes_rolls_as_two_hand_midi_files(tmp_path):
    """``benchmarks/piano_midi_files.py`` (the classical piano set of the card): a piano roll's held pitches
    become one note each, an eighth a frame, the right hand from middle C up and the left hand as tracks."""
    import importlib.util
    from pathlib import Path

    import numpy as np

    path = Path(__file__).parents[3] / "benchmarks" / "piano_midi_files.py"
    spec = importlib.util.spec_from_file_location("piano_midi_files", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    roll = np.zeros((32, 88), dtype=np.uint8)
    roll[0:4, 60 - 21] = 1  # middle C held for 4 eighths
    roll[4:6, 60 - 21] = 0
    roll[6:8, 60 - 21] = 1  # and struck again
    roll[0:24, 36 - 21] = 1  # a low C held three bars
    roll[20:24, 62 - 21] = 1  # a D in the third bar
    notes = script.notes_of(roll)
    assert sorted(notes) == [(0, 4, 60), (0, 24, 36), (6, 8, 60), (20, 24, 62)]
    f = tmp_path / "piece.mid"
    f.write_bytes(script.midi_bytes(notes))
    seg = data.read_file(f)
    assert [t.name for t in seg.tracks] == ["Piano right", "Piano left"]
    right, left = ([(n.start, n.duration, n.pitch) for n in t.notes] for t in seg.tracks)
    eighth = seg.tpb // 2
    assert right == [(0, 4 * eighth, 60), (6 * eighth, 2 * eighth, 60), (20 * eighth, 4 * eighth, 62)]
    assert left == [(0, 24 * eighth, 36)]
    assert seg.bars == 3 and round(seg.tempo_bpm) == 100


def test_learn_chooses_the_style_s_own_key_prior_and_continue_draws_with_it(home, monkeypatch):
    """At the end of ``learn`` the parts engine's key prior is chosen on takes in the new style (the tiny set
    has too few notes for the shipped minimum, so it is lowered here); Continue in the style reads it in place
    of the base style's, and it changes what is drawn."""
    from musestudio.ml.generate.parts import Options, PartIn, continue_parts, load
    from musestudio.ml.train import key_prior

    monkeypatch.setattr(key_prior, "PRIOR_MIN_NOTES", 20)
    files = make_files(home / "midi")
    result = learn(_args([home / "midi"], max_steps=5, bases=("parts",)))
    entry = learned.get("mine").meta["models"]["parts"]
    degrees, fit = entry["degrees"], entry["degrees_fit"]
    assert degrees and set(degrees) <= {"major", "minor"}
    for mode, biases in degrees.items():
        assert len(biases) == 12 and any(b != 0 for b in biases)
        scale = key_prior.KeySignature(0, mode).scale
        assert all(b <= 0 for d, b in enumerate(biases) if d not in scale)  # never likelier out of the key
        assert (
            fit["notes"][mode] >= 20
            and key_prior.ROUNDS <= len(fit["distance"][mode]) <= key_prior.MAX_ROUNDS
        )
    assert fit["windows"] == 9 and result["models"]["parts"]["steps"] == 5
    assert load(None, "cpu", "mine").meta["inference"]["degrees"]["pop"] == degrees

    seg = data.read_file(files[0])
    ins = [
        PartIn(tuple(n for n in t.notes if n.start < 4 * 1920), "melody", t.program) for t in seg.tracks[:1]
    ]

    def pitch_classes():
        res = continue_parts(
            ins,
            tpb=480,
            time_signatures=seg.time_signatures,
            bars=2,
            options=Options(style="mine", variations=2, seed=3, workers=1),
        )
        return {n.pitch % 12 for t in res.takes for p in t.parts for n in p}

    style = learned.get("mine")
    tonic = key_prior.windows([seg])[0].key.tonic
    meta = json.loads(json.dumps(style.meta))
    meta["models"]["parts"]["degrees"] = {m: [0.0] + [-30.0] * 11 for m in ("major", "minor")}
    learned.write(style.path, meta, style.weights.read_bytes())
    assert pitch_classes() == {tonic}  # every other degree priced out: the style's own prior is used
    meta["models"]["parts"].pop("degrees")
    learned.write(style.path, meta, style.weights.read_bytes())
    assert len(pitch_classes()) > 1  # a style without one: the base style's (none in the tiny model)


def test_a_style_s_own_key_prior_replaces_its_base_style_s_mode_by_mode():
    """``learned.styled_meta``: a style learnt before the prior existed is drawn with its base style's (as
    before); one with its own has it, and a mode it has none of falls back; the base model's meta is shared,
    so it is never changed; only the parts model has a key prior."""
    base_meta = {"inference": {"degrees": {"pop": {"major": [0.1] * 12, "minor": [0.2] * 12}}, "top_p": 0.9}}
    frozen = json.dumps(base_meta, sort_keys=True)
    entry = {"sha256": "x", "rank": 8}
    old = learned.LearnedStyle("old", learned.Path("old"), {"from": "pop", "models": {"parts": entry}})
    assert learned.styled_meta(old, "parts", base_meta) is base_meta
    mine = {"major": [-0.5] * 12}
    new = learned.LearnedStyle(
        "new", learned.Path("new"), {"from": "pop", "models": {"parts": {**entry, "degrees": mine}}}
    )
    got = learned.styled_meta(new, "parts", base_meta)
    assert got["inference"]["degrees"]["pop"] == {"major": [-0.5] * 12, "minor": [0.2] * 12}
    assert got["inference"]["top_p"] == 0.9
    assert learned.styled_meta(new, "continue_transformer", base_meta) is base_meta
    assert json.dumps(base_meta, sort_keys=True) == frozen


def test_a_damaged_key_prior_is_refused_with_a_clear_message(home):
    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=2, bases=("parts",)))
    style = learned.get("mine")
    for bad in ({"major": [0.1] * 11}, {"dorian": [0.0] * 12}, {"minor": ["x"] * 12}, [0.0] * 12):
        meta = json.loads(json.dumps(style.meta))
        meta["models"]["parts"]["degrees"] = bad
        style.config.write_text(json.dumps(meta))
        with pytest.raises(learned.StyleError, match="key prior"):
            learned.read(style.path)


def test_cancel_while_choosing_the_key_prior_leaves_nothing_written(home):
    make_files(home / "midi")
    cancel = threading.Event()

    def report(event):
        if event.get("stage") == "key":  # the key prior's first round
            cancel.set()

    with pytest.raises(Cancelled):
        learn(_args([home / "midi"], max_steps=3, bases=("parts",)), report, cancel)
    assert list(learned.styles_dir().iterdir()) == []


def _clock_moved_by_steps(monkeypatch, seconds_a_step: float) -> list[float]:
    """``learn``'s clock as a machine that spends ``seconds_a_step`` on each training step and nothing on
    anything else (the tiny models' real speed then cannot matter); the list holds the time now."""
    now = [1000.0]
    monkeypatch.setattr(learn_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    for cls in (learn_module.PartsBase, learn_module.TransformerBase):

        def timed(self, *a, _step=cls.step):
            now[0] += seconds_a_step
            return _step(self, *a)

        monkeypatch.setattr(cls, "step", timed)
    return now


@pytest.mark.parametrize(
    ("seconds_a_step", "transformer_steps", "parts_steps"),
    [
        # 1 minute: 56.4 s to train (3.6 s kept for the key prior); the transformer's 20 steps take 20 s and
        # the parts model has the other 36.4 s (steps at 20, 21, ..., 56 s), not half the budget
        (1.0, 20, 37),
        # a slow machine: the transformer stops at half the 56.4 s (steps at 0, 4, ..., 28 s), the parts
        # model has the rest (32, 36, ..., 56 s)
        (4.0, 8, 7),
    ],
)
def test_the_transformer_trains_its_steps_first_and_the_parts_model_has_the_time_left(
    home, monkeypatch, seconds_a_step, transformer_steps, parts_steps
):
    from musestudio.ml.train import key_prior

    make_files(home / "midi")
    now = _clock_moved_by_steps(monkeypatch, seconds_a_step)
    calibrate, untils = key_prior.calibrate, []

    def calibrate_seen(*a, until, **kw):
        untils.append(until)
        return calibrate(*a, until=until, **kw)

    monkeypatch.setattr(key_prior, "calibrate", calibrate_seen)
    args = _args([home / "midi"], minutes=1.0, max_steps=10**9, transformer_steps=20, patience=10**6)
    result = learn(args)
    assert result["models"]["continue_transformer"]["steps"] == transformer_steps
    assert result["models"]["parts"]["steps"] == parts_steps
    assert untils == [1060.0] and now[0] <= 1060.0  # the key prior ends with the budget


def test_the_transformer_s_layers_are_the_same_whatever_the_budget(home):
    """Its schedule and checks run over steps: budgets ten times apart give the same layers (with the
    schedule over the clock they differed: the rate fell as a share of the budget went by)."""
    from safetensors.torch import load_file

    make_files(home / "midi")
    for name, minutes in (("short", 0.5), ("long", 5.0)):
        args = _args([home / "midi"], name, minutes=minutes, transformer_steps=16, max_steps=16)
        learn(args)
    short, long = (load_file(learned.get(n).weights) for n in ("short", "long"))
    layers = [k for k in short if k.startswith("continue_transformer/")]
    assert layers and all(torch.equal(short[k], long[k]) for k in layers)
    assert any(short[k].abs().sum() > 0 for k in layers if k.endswith("lora_b"))  # trained, not zero


def test_the_key_prior_stops_within_its_time_however_long_a_take_takes(monkeypatch, tmp_path):
    """Each window's takes cost 1 s of a clock that only they move: with 7 s the first round continues
    4 windows, spread over the files (by 3.5 s), the second the same windows until 7 s, and no later."""
    from musestudio.ml.generate import parts as generate
    from musestudio.ml.train import key_prior

    segments, _ = data.read_files(make_files(tmp_path / "midi"))
    ws = key_prior.windows(segments)
    now, continued = [0.0], []

    def takes(parts, **kw):
        now[0] += 1.0
        continued.append(next(i for i, w in enumerate(ws) if w.parts is parts))
        return SimpleNamespace(takes=[SimpleNamespace(parts=[list(p.notes) for p in parts])])

    monkeypatch.setattr(generate, "continue_parts", takes)
    got = key_prior.calibrate("mine", ws, lambda degrees: None, until=7.0, clock=lambda: now[0])
    assert len(ws) == 9 and now[0] == 7.0 and got["windows"] == 4
    first, second = continued[:4], continued[4:]
    assert second == first[:3] and max(first) >= 6  # the same windows again; some from the last file


@pytest.mark.parametrize(("until", "rounds"), [(100.0, 6), (30.0, 3)])
def test_the_key_prior_takes_more_rounds_while_the_budget_has_room_for_another(
    monkeypatch, tmp_path, until, rounds
):
    """Each window's takes cost 1 s: a round of the 9 windows takes 9 s. With 100 s left the prior takes
    ``MAX_ROUNDS`` (6) rounds; with 30 s, the two it always takes and a third (27 s), not a fourth (36 s).
    Each round is announced with the time a round took before it."""
    from musestudio.ml.generate import parts as generate
    from musestudio.ml.train import key_prior

    segments, _ = data.read_files(make_files(tmp_path / "midi"))
    ws = key_prior.windows(segments)
    now, told = [0.0], []

    def takes(parts, **kw):
        now[0] += 1.0
        return SimpleNamespace(takes=[SimpleNamespace(parts=[list(p.notes) for p in parts])])

    monkeypatch.setattr(generate, "continue_parts", takes)
    got = key_prior.calibrate(
        "mine",
        ws,
        lambda degrees: None,
        until=until,
        clock=lambda: now[0],
        on_round=lambda *a: told.append(a),
    )
    assert len(ws) == 9 and got["windows"] == 9 and now[0] == 9.0 * rounds
    assert told == [(0, 0.0)] + [(r, 9.0) for r in range(1, rounds)]
    assert all(len(d) == rounds for d in got["distance"].values())


def test_a_styles_folder_that_cannot_be_written_is_a_plain_error_event(home, capsys):
    """A file where the styles folder goes (or a full disk): the dialog shows the trainer's message, so
    it must be words, not a Python traceback's last line; nothing is written."""
    from musestudio import paths
    from musestudio.ml.train.learn import main

    make_files(home / "midi")
    styles = paths.user_data_dir() / "styles"
    styles.parent.mkdir(parents=True, exist_ok=True)
    styles.write_text("not a folder")
    argv = [str(home / "midi"), "--name", "Mine", "--from", "pop", "--max-steps", "2", "--nice", "0"]
    assert main(argv) == 2
    event = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert event["event"] == "error" and event["message"].startswith("cannot save the style")
    assert "Errno" not in event["message"] and styles.read_text() == "not a folder"


def test_evaluate_style_on_files_too_short_to_continue_says_so(home, capsys):
    from musestudio.core import Note, Project, Track
    from musestudio.io.midi import write_midi

    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=2))
    short = home / "short.mid"
    write_midi(
        Project(tracks=(Track(name="t", notes=tuple(Note(60 + i % 5, i * 480, 480) for i in range(16))),)),
        short,
    )
    assert (
        cli.main(["evaluate", "style", "mine", "--files", str(short), "--continuations", "1", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)["continuations"]
    assert all("no file is long enough to continue" in engine["note"] for engine in out.values())


def test_a_style_whose_listing_fields_are_damaged_is_refused_and_the_list_still_shows(home, capsys):
    """A style's "files", "bars" or "created" of the wrong type (a hand-made or damaged .musestyle) was
    imported, then crashed `styles` for good; a safetensors header of the wrong shape crashed the import.
    Both are refused with one line, and a damaged style already there is left out of the list, said."""
    make_files(home / "midi")
    learn(_args([home / "midi"], max_steps=2, bases=("parts",)))
    style = learned.get("mine")
    good = json.loads(json.dumps(style.meta))
    for field, bad in (("files", 5), ("bars", "many"), ("created", 3)):
        style.config.write_text(json.dumps({**good, field: bad}))
        with pytest.raises(learned.StyleError, match=f"its '{field}' is damaged"):
            learned.read(style.path)
    assert cli.main(["styles", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [r["name"] for r in json.loads(out) if r["learned"]] == []
    assert "left out" in err and "is damaged" in err
    for header in (b"[1, 2]", b'{"a": 5}', b'{"a": {"data_offsets": "x"}}'):
        data = len(header).to_bytes(8, "little") + header
        with pytest.raises(learned.StyleError, match="the weights are damaged"):
            learned._check_safetensors(data, "w.musestyle")


def test_styles_refuses_to_remove_or_rename_a_built_in_style_in_its_own_words(home, capsys):
    for argv in (["--remove", "bach"], ["--rename", "Jazz standard", "Mine"]):
        assert cli.main(["styles", *argv]) == 2
        assert "is a built-in style: only learned styles can be removed or renamed" in capsys.readouterr().err


def test_learn_refuses_threads_below_one_in_one_line(home, capsys):
    make_files(home / "midi")
    for threads in ("0", "-1"):
        assert cli.main(["learn", str(home / "midi"), "--name", "x", "--threads", threads]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --threads must be 1 or more") and "Traceback" not in err


def test_no_usable_files_says_what_was_wrong_with_those_read_before_those_left_out(home, monkeypatch):
    """Over the file limit and all too short: the error named only the files past the limit (five times
    "more than 500 files"), not why the files read could not be used."""
    monkeypatch.setattr(data, "MAX_FILES", 2)
    make_files(home / "midi", 4, bars=1)
    with pytest.raises(BadInputError) as caught:
        learn(_args([home / "midi"]))
    message = str(caught.value)
    assert message.index("tune0.mid") < message.index("more than 2 files")
    assert "bar" in message.split(";")[0]


def test_skipped_files_are_named_by_their_path_so_two_of_one_name_read_apart(home, capsys):
    make_files(home / "midi")
    for sub, content in (("a", b"MThd garbage"), ("b", b"not midi at all")):
        (home / "midi" / sub).mkdir()
        (home / "midi" / sub / "song.mid").write_bytes(content)
    segs, skipped = data.read_files([home / "midi"])
    assert sorted(s.as_json()["path"] for s in skipped) == [
        str(home / "midi" / "a" / "song.mid"),
        str(home / "midi" / "b" / "song.mid"),
    ]


def test_a_style_that_learned_nothing_says_it_plays_as_its_base_style(home, capsys, monkeypatch):
    """Layers that beat no base model and no key prior of its own: the style plays exactly as the built-in
    one it started from. A run of seconds ends so; it was announced as learned with nothing said, and the
    musician picking "My reels" heard Pop. The result says so, and the command line with a note."""
    make_files(home / "midi")
    only_transformer = dict(bases=("continue_transformer",), max_steps=5)
    result = learn(_args([home / "midi"], name="nothing", keep_gain=0.99, **only_transformer))
    assert result["plays_as_base"] is True
    result = learn(_args([home / "midi"], name="something", keep_gain=0.0, **only_transformer))
    assert result["plays_as_base"] is False
    real = learn_module.learn
    monkeypatch.setattr(
        learn_module, "learn", lambda a, report: real(replace(a, keep_gain=0.99, **only_transformer), report)
    )
    argv = ["learn", str(home / "midi"), "--name", "Reels", "--from", "pop", "--minutes", "0.05"]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert (
        "note: in 5 steps the models learned nothing from your files that they do not already play in the Pop "
        "style, so 'Reels' plays as Pop: learn it again with more time (--minutes)" in err
    ), err


def test_a_folder_with_no_midi_files_is_named_as_such_not_as_no_files_given(home):
    """Learning from a folder that holds no MIDI file said "no usable MIDI files to learn from (no MIDI
    files given)" to a user who had given one: the folder is named, with what was looked for."""
    (home / "empty").mkdir()
    (home / "empty" / "notes.txt").write_text("not music")
    with pytest.raises(BadInputError) as raised:
        learn(_args([home / "empty"]))
    said = str(raised.value)
    assert "no MIDI files given" not in said
    assert f"{home / 'empty'}: a folder with no MIDI files in it (.mid, .midi" in said, said
    (skipped,) = raised.value.params["skipped"]
    assert (skipped["file"], skipped["why"]) == ("empty", data.NO_MIDI_IN_FOLDER)


def test_the_key_prior_cuts_few_windows_out_of_a_long_file(monkeypatch, tmp_path):
    """A file of 1,200 bars has 100 places a key-prior window could start; all were cut (each cut reads
    the whole file), to keep 48: on a file of thousands of bars that took minutes of a one-minute learning.
    At most twice the windows kept are cut now, still spread over the whole file."""
    from musestudio.ml.train import key_prior

    (path,) = make_files(tmp_path / "long", 1, bars=1200)
    segments, _ = data.read_files([path])
    real_cut, cuts = data.cut, []
    monkeypatch.setattr(data, "cut", lambda seg, a, b: cuts.append((a, b)) or real_cut(seg, a, b))
    ws = key_prior.windows(segments)
    assert len(ws) == key_prior.MAX_WINDOWS
    starts = sorted({a for a, b in cuts if b - a == key_prior.SEED_BARS})
    assert len(cuts) <= 1 + 2 * 2 * key_prior.MAX_WINDOWS, len(cuts)
    assert starts[0] == 0 and starts[-1] > 1100  # from the file's first bar to its last


def test_a_taken_name_is_said_as_the_style_is_stored_not_as_typed(home, capsys):
    """'my jigs' typed for a new style when 'My Jigs' exists: the message names 'My Jigs', the style the
    musician has (echoing 'my jigs' back read as if a style of that spelling were there), and so do learn's
    refusal, import's and rename's."""
    make_files(home / "midi")
    learn(_args([home / "midi"], name="My Jigs", max_steps=2))
    learn(_args([home / "midi"], name="Reels", max_steps=2))
    argv = ["learn", str(home / "midi"), "--name", "my jigs", "--from", "pop", "--minutes", "0.1"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "there is already a learned style called 'My Jigs'" in err and "'my jigs'" not in err
    with pytest.raises(learned.StyleError) as refused:
        learned.rename("Reels", "MY JIGS")
    assert refused.value.params["name"] == "My Jigs" and "'My Jigs'" in str(refused.value)
    shared = learned.export("Reels", home / "reels")
    with pytest.raises(learned.StyleError, match="called 'My Jigs'"):
        learned.import_file(shared, "my JIGS")


def test_cutting_windows_out_of_a_long_file_reads_its_bar_lines_once(monkeypatch, tmp_path):
    """Every cut read the whole file again (its bar lines and every note): the key prior's windows of a
    150,000-note file took 28 s of a 12 s learning. The bar lines are read once a file now, and a cut is
    the same bars as before."""
    from musestudio.ml.train import key_prior

    (path,) = make_files(tmp_path / "long", 1, bars=300)
    (seg,), _ = data.read_files([path])
    real_lines, reads = data.bar_lines, []
    monkeypatch.setattr(data, "bar_lines", lambda *a: reads.append(a) or real_lines(*a))
    ws = key_prior.windows([seg])
    assert len(ws) == 300 // key_prior.BARS_PER_WINDOW and len(reads) == 1
    lines = real_lines(list(seg.time_signatures), seg.tpb, max(n.start for n in seg.notes) + 1)
    part = data.cut(seg, 100, 104)
    expected = [n.moved(-lines[100]) for n in seg.notes if lines[100] <= n.start < lines[104]]
    assert part.bars == 4 and part.notes == tuple(sorted(expected, key=Note.sort_key))


def test_held_out_windows_are_spread_over_all_the_held_out_bars():
    """Of held-out bars longer than the windows asked for can cover, one window from each of that many
    evenly spaced bars (none overlapping), across files; shorter ones are tiled and every k-th kept."""
    files = [SimpleNamespace(name="a", n_bars=250, span=16), SimpleNamespace(name="b", n_bars=150, span=16)]
    starts = []

    def window_at(it, a):  # a window of ``span`` bars (as many as fit the model's length)
        starts.append((it.name, a))
        return (it.name, a), min(it.n_bars, a + it.span)

    assert learn_module.spread_windows(files, window_at, 4) == [("a", 0), ("a", 100), ("a", 200), ("b", 50)]
    assert starts == [("a", 0), ("a", 100), ("a", 200), ("b", 50)]  # only the windows scored are made
    short = [SimpleNamespace(name="c", n_bars=40, span=4)]  # dense: windows of 4 bars
    assert learn_module.spread_windows(short, window_at, None) == [("c", a) for a in range(0, 40, 4)]
    assert learn_module.spread_windows(short, window_at, 5) == [("c", a) for a in range(0, 40, 8)]
    assert learn_module.spread_windows(short, window_at, 12) == [("c", a) for a in range(0, 40, 4)]


def test_a_short_learning_of_a_long_file_scores_a_few_windows_and_says_so(home, capsys):
    """A short budget scores a few held-out windows spread over the held-out bars (all of them before: a
    150,000-note file's 1,875 held-out bars took 38 s to score once, in a 12 s learning), and the figure
    says which part it is on."""
    make_files(home / "long", 1, bars=400)
    got = learn(_args([home / "long"], held_out_windows=2, max_steps=2))
    assert 0 < got["models"]["parts"]["valid_notes"] < got["held_out_notes"]
    assert 0 < got["models"]["continue_transformer"]["valid_notes"] < got["held_out_notes"]
    assert learn_module.scored_windows(LearnArgs([], "x", minutes=0.2)) == learn_module.MIN_SCORED
    assert learn_module.scored_windows(LearnArgs([], "x", minutes=8.0)) == 48
    argv = ["learn", str(home / "long"), "--name", "Long", "--from", "pop", "--minutes", "0.05"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert f"of {got['held_out_notes']} held-out notes" in out, out


class _StyleJudge:
    """A base model whose held-out NLL under each style is given (summed nats over 100 tokens)."""

    model = None

    def __init__(self, nll: dict[str, float]) -> None:
        self.nll = nll

    def windows(self, segs, style, order=None, most=None):
        return [style]

    def score(self, model, windows, dev):
        return learn_module.Scored(self.nll[windows[0]], 100, 30)


def test_the_closest_style_needs_evidence_else_the_style_meter_chooses_among_the_close_ones():
    """Three to five bars of a jig: the base transformer read them likeliest as Palestrina, by 0.4 nats in
    208 over Classical (a coin toss), so 'My Jigs' started from Palestrina. Styles within
    ``CLOSEST_MARGIN_NATS`` of the likeliest are now chosen among by the style meter; a style the bars rule
    out is not taken whatever the meter hears, and clear evidence stands without it."""
    few_bars = {"palestrina": 208.3, "classical": 208.7, "pop": 221.7, "celtic": 250.0}
    meter = {"celtic": 0.5, "classical": 0.3, "palestrina": 0.05, "pop": 0.15}
    styles = list(few_bars)
    pick = learn_module._closest_style
    assert pick(_StyleJudge(few_bars), [], styles, "cpu", 6, lambda: meter) == "classical"
    assert pick(_StyleJudge(few_bars), [], styles, "cpu", 6, lambda: None) == "palestrina"  # no meter

    def unheard():
        raise AssertionError("the meter is not asked when the bars decide")

    clear = {**few_bars, "classical": 208.3 + learn_module.CLOSEST_MARGIN_NATS}
    assert pick(_StyleJudge(clear), [], styles, "cpu", 6, unheard) == "palestrina"


def test_learning_from_a_few_bars_starts_from_the_style_the_meter_hears_among_the_close_ones(
    home, monkeypatch
):
    """Without --from, a few bars whose held-out NLL cannot tell the built-in styles apart (here any
    margin is too small) start from the one the style meter hears in the files, whichever that is."""
    from musestudio.ml.generate import critic

    make_files(home / "midi", count=1, bars=16)
    monkeypatch.setattr(learn_module, "CLOSEST_MARGIN_NATS", float("inf"), raising=False)
    for heard in ("pop", "celtic"):
        meter = {"pop": 0.1, "celtic": 0.1, "classical": 0.8, heard: 0.6}  # Classical: not a base's style
        monkeypatch.setattr(critic, "style_probabilities", lambda notes, said=meter, **kw: dict(said))
        got = learn(_args([home / "midi"], name=f"few {heard}", base_style=None, max_steps=1))
        assert got["from"] == heard
