"""Damaged model files, every kind the reliability trial met, for every shipped model: one clear error.

Each case copies a real file from models/ into a private models folder, damages it, and loads it the way
the app and the CLI do: the family's own loader must raise one CheckpointError that names the file, and the
CLI command that reads the model must exit 2 with one ``error:`` line and write nothing.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.torch import load_file, save

from musestudio import cli
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml import checkpoint, checkpoint_checks, engines
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.eval import jsb
from musestudio.ml.generate import critic
from musestudio.ml.models import gan, markov

MODELS = Path(__file__).resolve().parents[2] / "models"
SEED = Path(__file__).resolve().parents[2] / "resources" / "seeds" / "melody_4_4.mid"
FAMILY = engines.FAMILIES  # stem -> the family its file must hold
TARGETS = [name for name in FAMILY if (MODELS / f"{name}.safetensors").is_file()]
CPU = torch.device("cpu")


def load_as_the_app_does(name: str):
    """The loader each model goes through in the app (models are found in $MUSESTUDIO_HOME/models)."""
    if name.startswith("continue_"):
        return engines.load_engine(engines.CONTINUE, FAMILY[name], CPU)
    return {
        "restyle_gan": lambda: engines.load_engine(engines.RESTYLE, "gan", CPU),
        "restyle_gan_critic": lambda: critic.load_discriminator(),
        "restyle_seq2seq": lambda: engines.load_engine(engines.RESTYLE, "seq2seq", CPU),
        "style_classifier": lambda: critic.load_classifier(),
        "jsb_transformer": lambda: jsb.load(jsb.model_stem()),
        "parts": lambda: engines.load_engine(engines.CONTINUE, "parts", CPU),
    }[name]()


def cli_args(name: str, out: Path) -> list[str] | None:
    """The command that reads the model; None for the critic, which no command reads."""
    if name.startswith("continue_") or name == "parts":
        engine = FAMILY[name]
        return [
            "continue",
            SEED,
            "-o",
            out,
            "--engine",
            engine,
            "--bars",
            "1",
            "--variations",
            "1",
            "--seed",
            "1",
        ]
    return {
        "restyle_gan": ["restyle", SEED, "-o", out / "out.mid", "--to", "bach", "--engine", "gan"],
        "restyle_seq2seq": ["restyle", SEED, "-o", out / "out.mid", "--to", "bach", "--engine", "seq2seq"],
        "style_classifier": ["classify", SEED],
        "jsb_transformer": ["evaluate", "jsb"],
        "restyle_gan_critic": None,
    }[name]


# -- the damages: each changes the settings (a dict) and/or the tensors (a dict) in place ------------------


def _sizes(meta: dict, change) -> None:
    """Apply ``change`` to every whole-number setting and every item of a list of them."""
    config = meta["config"]
    for key, value in config.items():
        if type(value) is int:
            config[key] = change(value)
        elif isinstance(value, list) and value and all(type(v) is int for v in value):
            config[key] = [change(v) for v in value]


def _first(tensors: dict, usable) -> str:
    return next(k for k in sorted(tensors) if usable(tensors[k]))


def no_config(meta, tensors):
    del meta["config"]


def sizes_as_strings(meta, tensors):
    _sizes(meta, str)


def negative_sizes(meta, tensors):
    _sizes(meta, lambda v: -v if v else -1)


def float_sizes(meta, tensors):
    _sizes(meta, float)


def sizes_x64(meta, tensors):
    _sizes(meta, lambda v: v * 64)


def vocabulary_not_a_list(meta, tensors):
    tok = meta.get("tokenizer")
    if tok and "vocab" in tok:
        tok["vocab"] = " ".join(tok["vocab"])
    elif tok:
        meta["tokenizer"] = "jsb-frames-1"  # the JSB model's vocabulary description, flattened to a word
    else:
        meta["config"]["styles"] = ",".join(meta["config"]["styles"])  # the roll models' vocabulary


def nan_weights(meta, tensors):
    name = _first(tensors, lambda t: t.numel() > 0)
    if tensors[name].is_floating_point():
        tensors[name] = torch.full_like(tensors[name], float("nan"))
    else:  # the Markov counts hold no floats: the nearest damage is a count that cannot be
        tensors[name] = tensors[name].clone()
        tensors[name][0] = -7


def missing_tensor(meta, tensors):
    del tensors[sorted(tensors)[-1]]


def extra_tensor(meta, tensors):
    tensors["extra.weight"] = torch.zeros(3, dtype=next(iter(tensors.values())).dtype)


def wrong_dtype(meta, tensors):
    name = sorted(tensors)[0]
    t = tensors[name]
    tensors[name] = t.double() if not t.is_floating_point() else t.to(torch.int64)


def wrong_shape(meta, tensors):
    name = _first(tensors, lambda t: t.dim() >= 1)
    t = tensors[name]
    tensors[name] = t.reshape(1, -1) if not t.is_floating_point() else torch.cat([t, t[:1]])


DAMAGES = {
    f.__name__: f
    for f in (
        no_config,
        sizes_as_strings,
        negative_sizes,
        float_sizes,
        sizes_x64,
        vocabulary_not_a_list,
        nan_weights,
        missing_tensor,
        extra_tensor,
        wrong_dtype,
        wrong_shape,
    )
}
SETTINGS_ONLY = {"no_config", "sizes_as_strings", "negative_sizes", "float_sizes", "sizes_x64"}
SETTINGS_ONLY.add("vocabulary_not_a_list")
WORDS = {  # what each message must say, in plain words
    "no_config": '"config"',
    "sizes_as_strings": "not a whole number",
    "negative_sizes": "outside",
    "float_sizes": "not a whole number",
    "sizes_x64": "",
    "vocabulary_not_a_list": "",
    "nan_weights": "damaged",
    "missing_tensor": "missing",
    "extra_tensor": "unexpected",
    "wrong_dtype": "stored as",
    "wrong_shape": "shape",
    "bit_flips": "damaged",
}


def flip_bits(data: bytes, flips: int = 400, seed: int = 17) -> bytes:
    """``flips`` single-bit errors at random places in the tensor data (the header stays readable)."""
    start = 8 + int.from_bytes(data[:8], "little")
    out = bytearray(data)
    rng = random.Random(seed)
    for _ in range(flips):
        out[rng.randrange(start, len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _home(root: Path, case: str) -> Path:
    home = root / case
    (home / "models").mkdir(parents=True)
    return home


def make_damaged(root: Path, name: str, damage: str) -> Path:
    """A models folder (under the returned home) holding ``name``'s files with ``damage`` done to them."""
    home = _home(root, f"{name}-{damage}")
    meta = json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8"))
    weights = (MODELS / f"{name}.safetensors").read_bytes()
    if damage == "bit_flips":
        weights = flip_bits(weights)
    elif damage in SETTINGS_ONLY:
        DAMAGES[damage](meta, {})
    else:
        tensors = load_file(str(MODELS / f"{name}.safetensors"))
        DAMAGES[damage](meta, tensors)
        weights = save(
            {k: v.contiguous() for k, v in tensors.items()}, metadata={"format": checkpoint.FORMAT}
        )
    (home / "models" / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    (home / "models" / f"{name}.safetensors").write_bytes(weights)
    return home


def make_swapped(root: Path, name: str, other: str) -> Path:
    """A models folder where ``name``'s files are ``other``'s files renamed."""
    home = _home(root, f"{name}-from-{other}")
    for suffix in (".json", ".safetensors"):
        (home / "models" / f"{name}{suffix}").symlink_to(MODELS / f"{other}{suffix}")
    return home


def interchangeable(a: str, b: str) -> bool:
    """Two files of one family with one vocabulary: either could stand in for the other (the seq2seqs)."""
    meta = [json.loads((MODELS / f"{n}.json").read_text(encoding="utf-8")) for n in (a, b)]
    return meta[0]["family"] == meta[1]["family"] and meta[0].get("tokenizer") == meta[1].get("tokenizer")


CASES = [(n, d) for n in TARGETS for d in [*DAMAGES, "bit_flips"]]
SWAPS = [(n, o) for n in TARGETS for o in TARGETS if o != n and not interchangeable(n, o)]


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    root, made = tmp_path_factory.mktemp("damaged-models"), {}

    def get(name: str, damage: str) -> Path:
        if (name, damage) not in made:
            swap = damage.startswith("from:")
            maker = make_swapped if swap else make_damaged
            made[name, damage] = maker(root, name, damage.removeprefix("from:"))
        return made[name, damage]

    return get


@pytest.fixture
def fresh_caches():
    """No model loaded by another test (from the real folder) may answer for the damaged one."""

    def clear():
        engines.unload()
        critic._unusable.clear()

    clear()
    yield
    clear()


def expect_one_error(home: Path, name: str, monkeypatch) -> str:
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    with pytest.raises(CheckpointError) as caught:
        load_as_the_app_does(name)
    message = str(caught.value)
    assert str(home / "models" / name) in message  # names the file
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(("name", "damage"), CASES, ids=[f"{n}-{d}" for n, d in CASES])
def test_each_damage_is_one_checkpoint_error_naming_the_file(
    damaged, fresh_caches, monkeypatch, name, damage
):
    message = expect_one_error(damaged(name, damage), name, monkeypatch)
    assert WORDS[damage] in message


@pytest.mark.parametrize(("name", "other"), SWAPS, ids=[f"{n}-from-{o}" for n, o in SWAPS])
def test_another_models_file_in_its_place_is_refused(damaged, fresh_caches, monkeypatch, name, other):
    message = expect_one_error(damaged(name, f"from:{other}"), name, monkeypatch)
    assert "expected here" in message or "another vocabulary" in message


CLI_CASES = [(n, d) for n, d in CASES if n != "restyle_gan_critic"]
CLI_CASES += [(n, f"from:{o}") for n, o in SWAPS if n != "restyle_gan_critic"]


@pytest.mark.parametrize(("name", "damage"), CLI_CASES, ids=[f"{n}-{d}" for n, d in CLI_CASES])
def test_the_cli_exits_2_with_one_error_line(
    damaged, fresh_caches, monkeypatch, capsys, tmp_path, name, damage
):
    home = damaged(name, damage)
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    out = tmp_path / "out"
    code = cli.main([str(a) for a in cli_args(name, out)])
    stdout, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("error: model file ") and err.count("\n") == 1 and "Traceback" not in err
    assert str(home / "models" / name) in err
    assert not out.exists() and "%" not in stdout and "notes" not in stdout  # nothing written or claimed


def test_sizes_x64_are_refused_without_allocating(damaged):
    """The x64 settings describe models of gigabytes: refused from the JSON alone, so the process stays small.

    A separate process, so its peak memory is its own. The peak is read from /proc (VmHWM, this process's own
    memory map) and not from getrusage: a child started by vfork and exec inherits its parent's maxrss, so a
    pytest process that had grown past the limit earlier in a long run failed this test for nothing."""
    homes = {name: str(damaged(name, "sizes_x64")) for name in TARGETS}
    script = f"""
import os, sys
homes = {homes!r}
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_checkpoint_damage import load_as_the_app_does
from musestudio.ml.checkpoint import CheckpointError
for name, home in homes.items():
    os.environ["MUSESTUDIO_HOME"] = home
    try:
        load_as_the_app_does(name)
    except CheckpointError as e:
        assert "damaged" in str(e), e
    else:
        raise SystemExit(name + " loaded")
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(peak.split()[1]) // 1024)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.split()[-1]) < 1200  # MB; the x64 transformer alone would take about 5 GB


@pytest.mark.parametrize("name", TARGETS)
def test_the_shipped_files_pass_every_check(fresh_caches, name):
    load_as_the_app_does(name)


@pytest.mark.parametrize("name", [n for n in TARGETS if FAMILY[n] != "markov"])
def test_the_expected_tensors_are_those_the_code_builds(name):
    """The shapes the checks derive from the settings are exactly the state_dict of the model built from them."""
    meta = checkpoint.read_meta(MODELS / name)
    family = meta["family"]
    if family == "gan_critic":
        model = gan.Discriminator(gan.Config(**meta["config"]))
    else:
        model = checkpoint.family_module(family).Model(
            checkpoint.family_module(family).Config(**meta["config"])
        )
    built = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert built == checkpoint_checks.SCHEMAS[family].tensors(meta["config"])


def test_a_pruned_markov_model_passes_and_its_counts_are_checked(tmp_path):
    """``prune`` changes totals and types: the invariants the checks hold must be the ones it keeps."""
    rng = random.Random(3)
    data = [[1] + [rng.randrange(3, 12) for _ in range(60)] for _ in range(30)]
    model = markov.Model(markov.Config(vocab_size=12, order=4)).fit(data).prune(2, from_order=2)
    checkpoint.save(tmp_path / "m", model, model.config, fp16=False)
    loaded, _, _ = checkpoint.load(tmp_path / "m", family="markov")
    assert loaded.distribution([1, 4, 5]).sum() == pytest.approx(1.0)

    tensors = load_file(str(tmp_path / "m.safetensors"))
    tensors["k2.gram_counts"][0] += 1  # one count off: the totals no longer add up
    (tmp_path / "m.safetensors").write_bytes(save(tensors))
    with pytest.raises(CheckpointError, match="do not add up"):
        checkpoint.load(tmp_path / "m", family="markov")


@pytest.mark.skipif("restyle_gan_critic" not in TARGETS, reason="no committed critic")
def test_a_damaged_judge_is_left_out_of_scoring_and_named(damaged, fresh_caches, monkeypatch):
    """The critic ranks takes with whatever judges are usable; a damaged one is left out and said."""
    home = damaged("restyle_gan_critic", "bit_flips")
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    notes = [Note(60 + i, i * 480, 480, 80) for i in range(8)]
    (score,) = critic.score_takes([notes], [0], tpb=480, time_signatures=[TimeSignature(0)], style="bach")
    assert score.realness is None
    (why,) = critic.unusable()
    message = why["message"]
    assert str(home / "models" / "restyle_gan_critic.safetensors") in message and "damaged" in message


@pytest.mark.parametrize("half", [".json", ".safetensors"])
@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "folder"])
def test_a_model_file_that_is_not_a_regular_file_is_refused_unread(tmp_path, half, kind):
    """A FIFO would hang a reader and /dev/zero never ends: refused before anything is read."""
    import os

    stem = tmp_path / "style_classifier"
    for suffix in (".json", ".safetensors"):
        (tmp_path / f"style_classifier{suffix}").symlink_to(MODELS / f"style_classifier{suffix}")
    target = tmp_path / f"style_classifier{half}"
    target.unlink()
    {"fifo": os.mkfifo, "dev_zero": lambda p: p.symlink_to("/dev/zero"), "folder": os.mkdir}[kind](target)
    with pytest.raises(CheckpointError, match="is not a regular file") as caught:
        critic.load_classifier(stem)
    assert str(target) in str(caught.value)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe not text", r"damaged \(not text\)"),
        (b'{"format": "musestudio-checkpoint",', "not valid JSON at line 1"),
        (b" " * (checkpoint_checks.MAX_META_BYTES + 1), "too large"),
    ],
    ids=["not-utf8", "cut-short", "huge"],
)
def test_an_unreadable_settings_file_is_said_in_words(tmp_path, content, words):
    (tmp_path / "m.json").write_bytes(content)
    with pytest.raises(CheckpointError, match=words):
        checkpoint.load(tmp_path / "m")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize("name", TARGETS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_the_settings_is_a_problem_or_fine(name, data):
    """Whatever one value of the JSON becomes, the checks answer with a Problem or accept it: never another
    exception, which the CLI would show as a traceback."""
    meta = json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8"))
    part = data.draw(st.sampled_from(["top", "config", "tokenizer"]))
    table = meta if part == "top" or not isinstance(meta.get(part), dict) else meta[part]
    key = data.draw(st.sampled_from(sorted(table)) | st.text(max_size=6))
    table[key] = data.draw(JSON_VALUES)
    try:
        config = checkpoint_checks.check_meta(meta, FAMILY[name])
    except checkpoint_checks.Problem:
        return
    checkpoint_checks.SCHEMAS[FAMILY[name]].tensors(config)  # a config that passes has computable shapes


@settings(max_examples=150, deadline=None)
@given(header=st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4) | JSON_VALUES)
def test_any_weights_header_is_a_problem_or_fine(header):
    raw = json.dumps(header).encode()
    try:
        checkpoint_checks.parse_header(raw, 8 + len(raw) + 64)
    except checkpoint_checks.Problem:
        pass
