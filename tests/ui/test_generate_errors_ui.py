"""In a Chinese window, what a Generate refuses and why a model file cannot be used are said in Chinese: a
meter the models cannot read, a key lock with no key, a note range with no pitch of the locked key, more
bars than an engine writes at once, a model file missing or damaged, a judge of the takes left out. They
came through the worker (or the request) in the engines' and ``ml.checkpoint``'s English; those now raise
them with a code and its particulars, which the window words. Without a translation the words are the
command line's English, unchanged.
"""

from __future__ import annotations

import errno
import json
from dataclasses import replace
from pathlib import Path

import pytest
import safetensors.torch
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import Project, TimeSignature
from musestudio.ml import checkpoint, engines
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.engines import CONTINUE, REGENERATE
from musestudio.ml.generate import parts
from musestudio.ml.generate.continuation import continue_phrase, infill
from musestudio.ml.generate.grammar import pitch_mask
from musestudio.ml.generate.request import Options
from musestudio.ml.generate.request_errors import not_trained_on, unknown_style, unknown_style_among
from musestudio.ml.models import markov
from musestudio.ml.pianoroll import bar_steps
from musestudio.ml.tokenizer import Tokenizer
from musestudio.ui.error_words import ErrorWords
from tests.ml.test_checkpoint_damage import make_damaged, make_swapped
from tests.ui.test_generate_ui import BAR, TPB, choose, melody_project, needs, press_generate
from tests.ui.test_read_errors_ui import ENGLISH_WORDS

MODELS = Path(__file__).resolve().parents[2] / "models"
C_MAJOR = KeySignature(0, "major")
CODES = {
    "meter_unreadable",
    "meter_off_the_roll",
    "bars_out_of_range",
    "key_lock_needs_key_seed",
    "key_lock_needs_key_context",
    "no_pitch_in_key",
    "unknown_style",
    "unknown_style_among",
    "style_not_trained",
    "model_damaged",
    "model_unlike_settings",
    "model_too_large",
    "model_other_kind",
    "model_not_json",
    "model_not_text",
    "not_a_model_file",
    "model_format_version",
    "model_not_regular_file",
    "model_missing",
    "model_missing_install",
}


def refused(qtbot, window) -> str:
    """Press Generate, which is refused: the panel's message, the piece and the takes as they were."""
    before, steps = window.document.project, window.undo_stack.count()
    press_generate(qtbot, window, expect="error")
    assert window.document.project is before and window.undo_stack.count() == steps
    assert not window.generate.takes
    return window.generate.panel.message.text()


def chinese(said: str, *names: object) -> bool:
    """No English word in ``said`` but in the ``names`` it names (files, numbers)."""
    for name in names:
        said = said.replace(str(name), "")
    return not ENGLISH_WORDS.search(said)


@needs(CONTINUE, "transformer")
@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_what_a_generate_refuses_is_said_in_the_user_s_language(qtbot, language, make_window):
    """Through the real worker: each refusal came as the engines' English in a Chinese window."""
    window = make_window(replace(melody_project(8), time_signatures=(TimeSignature(0, 32, 4),)))
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    said = refused(qtbot, window)
    assert said == (
        "模型无法读取 32/4 拍的小节（它们能读 1/1–4/1、1/2–8/2，以及以四分、八分或十六分音符为一拍、"
        "最多 16 拍的拍号）：请更改这些小节的拍号后再试"
    )

    window = make_window(Project())  # File > New: Continue writes the first bars from nothing
    choose(window, CONTINUE, "transformer", variations=1)
    window.generate.panel.key_lock.setChecked(True)
    assert refused(qtbot, window) == "锁定调性需要一个调：请选择一个调，或给出可以从中识别调性的种子音符"

    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1, low=61, high=61)
    panel = window.generate.panel
    panel.key.setCurrentIndex(panel.key.findData(C_MAJOR))
    panel.key_lock.setChecked(True)
    assert refused(qtbot, window) == "音高 61..61 中没有属于 C 大调 的音：请放宽音域，或取消调性锁定"

    window = make_window(melody_project(40))
    window.state.set_selection(n.id for n in window.document.project.tracks[0].notes)
    choose(window, REGENERATE, "transformer", variations=1)
    assert refused(qtbot, window) == "小节数须在 1 到 32 之间，这里是 40"


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_missing_model_is_said_in_the_user_s_language_naming_it(qtbot, language, make_window, models_home):
    window = make_window(melody_project())
    choose(window, CONTINUE)
    panel = window.generate.panel
    parts_file = models_home / "parts.safetensors"  # the default engine's
    said = refused(qtbot, window)
    assert said == f"缺少模型文件 {parts_file}。请安装或训练它（见 models/README.md）后再使用这个引擎。"
    item = panel.engine.model().item(panel.engine.findData("parts"))
    assert item.toolTip() == said and not item.isEnabled()


def link_model(models: Path, stem: str) -> None:
    for suffix in (".json", ".safetensors"):
        (models / f"{stem}{suffix}").symlink_to(MODELS / f"{stem}{suffix}")


def nan_in(models: Path, stem: str, tensor: str) -> Path:
    """``stem``'s files with ``tensor`` all NaN: the weights file."""
    (models / f"{stem}.json").symlink_to(MODELS / f"{stem}.json")
    tensors = load_file(str(MODELS / f"{stem}.safetensors"))
    tensors[tensor] = torch.full_like(tensors[tensor], float("nan"))
    (models / f"{stem}.safetensors").write_bytes(save(tensors))
    return models / f"{stem}.safetensors"


@needs(CONTINUE, "transformer")
@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_damaged_model_is_said_in_the_user_s_language_naming_it(qtbot, language, make_window, models_home):
    weights = nan_in(models_home, "continue_transformer", "ln_f.weight")
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    said = refused(qtbot, window)
    # the tensor's name is the file's own, as it came; what is wrong with it is said in Chinese
    assert said == f'模型文件 {weights} 已损坏：张量 "ln_f.weight" 中有不是数字的值（NaN 或无穷大）'


@needs(CONTINUE, "transformer")
@pytest.mark.skipif(not (MODELS / "restyle_gan_critic.json").is_file(), reason="no committed critic")
@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_judge_left_out_for_a_damaged_file_is_said_in_the_user_s_language(
    qtbot, language, make_window, models_home
):
    link_model(models_home, "continue_transformer")
    weights = nan_in(models_home, "restyle_gan_critic", "cls.bias")
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    press_generate(qtbot, window)
    note = next(line for line in window.generate.panel.message.text().split("\n") if str(weights) in line)
    assert note.startswith(f"模型文件 {weights} 已损坏：") and note.endswith("；排列候选时不使用它"), note


def refusals() -> list[BadInputError]:
    """What the engines refuse of a request, raised by them."""
    seed = [Note(60 + i, i * TPB, TPB, 80) for i in range(8)]
    calls = [
        lambda: Tokenizer().meter_id(32, 4),
        lambda: bar_steps([TimeSignature(0, 7, 32)], TPB, 8 * BAR),
        lambda: continue_phrase(seed, Options(style="pop"), bars=40, engine="transformer", tpb=TPB),
        lambda: continue_phrase(
            (), Options(style="pop", key_lock=True), bars=1, engine="transformer", tpb=TPB
        ),
        lambda: infill((), Options(style="pop", key_lock=True), tpb=TPB, start=0, end=BAR),
        lambda: parts.continue_parts([], tpb=TPB, bars=40, options=parts.Options(style="pop")),
        lambda: pitch_mask(Tokenizer(), C_MAJOR, True, (61, 61)),
    ]
    raised = []
    for call in calls:
        with pytest.raises(BadInputError) as caught:
            call()
        raised.append(caught.value)
    # what a request the window checks first would be refused with (a style the engine does not know)
    known = ["pop", "celtic"]
    return [*raised, unknown_style("klezmer", known), unknown_style_among("klezmer", known)] + [
        not_trained_on("parts", "bach", known)
    ]


def model_file_errors(tmp_path: Path) -> list[CheckpointError]:
    """Why a model file cannot be used, raised by ``ml.checkpoint`` and the registry."""
    damages = ("nan_weights", "missing_tensor")
    homes = [make_damaged(tmp_path, "continue_transformer", d) for d in damages]
    stems = [home / "models" / "continue_transformer" for home in homes]
    stems.append(make_swapped(tmp_path, "restyle_gan", "style_classifier") / "models" / "restyle_gan")
    odd = tmp_path / "odd"
    odd.mkdir()
    huge = json.loads((MODELS / "continue_transformer.json").read_text(encoding="utf-8"))
    huge["config"].update(n_layer=64, n_embd=4096)  # each within bounds, 13 billion weights together
    for name, content in {
        "not_json": b"{",
        "not_text": b"\xff\xfe",
        "not_ours": b"{}",
        "newer": json.dumps({"format": checkpoint.FORMAT, "format_version": 99}).encode(),
        "continue_transformer": json.dumps(huge).encode(),
    }.items():
        (odd / f"{name}.json").write_bytes(content)
        stems.append(odd / name)
    (odd / "folder.json").mkdir()
    stems += [odd / "folder", odd / "gone"]
    raised = []
    for stem in stems:
        engines.unload()
        with pytest.raises(CheckpointError) as caught:
            engines.load(stem)
        raised.append(caught.value)
    return raised


def test_without_a_translation_the_window_says_the_command_line_s_english(qapp, tmp_path, monkeypatch):
    """Each refusal and each model file's problem keeps the English it had (the command line prints it as
    raised), and the window builds the same words from its code and particulars."""
    raised = refusals()
    assert [str(e) for e in raised[:4]] == [
        "the models cannot read 32/4 bars (they read 1/1-4/1, 1/2-8/2, and up to 16 beats of quarters, eighths "
        "or sixteenths): change the meter of those bars and try again",
        "the models cannot read 7/32 bars: a bar line falls between the sixteenths they read; change the meter "
        "of those bars and try again",
        "bars must be 1..32, got 40",
        "key lock needs a key: pick one, or give a seed to detect it from",
    ]
    raised += model_file_errors(tmp_path)
    (tmp_path / "empty" / "models").mkdir(parents=True)
    monkeypatch.setenv("MUSESTUDIO_HOME", str(tmp_path / "empty"))
    raised.append(engines.missing_model_error(CONTINUE, "parts"))
    words = ErrorWords()
    for e in raised:
        assert e.code, str(e)
        assert words.say(e) == str(e)
    assert {e.code for e in raised} == CODES
    engines.unload()


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_each_refusal_and_model_file_problem_has_its_chinese_words(language, tmp_path):
    """Every code the engines and the model files raise is worded (no English sentence left), with the
    file, the numbers and the file's own details (a tensor's name) where they came."""
    words = ErrorWords()
    for e in [*refusals(), *model_file_errors(tmp_path)]:
        said = words.say(e)
        assert said != str(e), str(e)
        why = e.params.get("why", "")  # a file's detail: its own names (a tensor's) where they came
        details = [e.params.get("where", ""), *(why["params"].values() if isinstance(why, dict) else [why])]
        details += [", ".join(v) for v in e.params.values() if isinstance(v, list)]  # styles, model kinds
        assert chinese(said, *details, e.params.get("style", "")), said
    engines.unload()


def unreadable_model_errors(folder: Path, monkeypatch) -> list[CheckpointError]:
    """A model file the OS will not read (its settings; its weights) and one safetensors cannot load, as
    ``ml.checkpoint`` raises them (the tests run as root, whom a file's permissions do not stop)."""
    model = markov.Model(markov.Config(vocab_size=30, order=3)).fit([[1, 2, 3, 4, 2, 3, 5]])
    stem = folder / "模型"
    weights, config = checkpoint.save(stem, model, model.config)
    real_read_text, real_open = Path.read_text, Path.open

    def refuse_settings(path, *args, **kw):
        if path == config:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_read_text(path, *args, **kw)

    def refuse_weights(path, *args, **kw):
        if path == weights:
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real_open(path, *args, **kw)

    def cut_short(*args, **kw):  # the file changed since its header was checked
        raise SafetensorError("Error while deserializing header: MetadataIncompleteBuffer")

    raised = []
    for patch in (
        (Path, "read_text", refuse_settings),
        (Path, "open", refuse_weights),
        (safetensors.torch, "load_file", cut_short),
    ):
        with monkeypatch.context() as m:
            m.setattr(*patch)
            with pytest.raises(CheckpointError) as caught:
                checkpoint.load(stem)
        raised.append(caught.value)
    return raised


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_a_model_file_that_cannot_be_read_says_why_in_the_user_s_language(language, tmp_path, monkeypatch):
    """The OS's reason ("Permission denied") and safetensors' own words for weights it cannot load came in
    English inside the Chinese sentence."""
    config, weights = checkpoint.paths(tmp_path / "模型")[::-1]
    said = [ErrorWords().say(e) for e in unreadable_model_errors(tmp_path, monkeypatch)]
    assert said == [
        f"无法读取模型文件 {config}：你没有读取它的权限",
        f"无法读取模型文件 {weights}：磁盘报告了输入/输出错误",
        f"模型文件 {weights} 已损坏：无法载入其中的权重",
    ]


def test_without_a_translation_a_model_file_that_cannot_be_read_is_said_as_the_command_line_says_it(
    qapp, tmp_path, monkeypatch
):
    config, weights = checkpoint.paths(tmp_path / "模型")[::-1]
    raised = unreadable_model_errors(tmp_path, monkeypatch)
    assert [str(e) for e in raised] == [
        f"model file {config} cannot be read: you have no permission to read it",
        f"model file {weights} cannot be read: the disk reported an input/output error",
        f"model file {weights} is damaged: Error while deserializing header: MetadataIncompleteBuffer",
    ]
    assert [ErrorWords().say(e) for e in raised] == [str(e) for e in raised]


def a_dead_generation_process(window, monkeypatch):
    """The window's generation process, ended from outside (out of memory, say) while a Generate runs in it."""
    from musestudio.ml.generate import service

    process = service.generation_process()
    process.start(CONTINUE, "transformer", "cpu", "pop")
    process._proc.kill()
    process._proc.join()
    monkeypatch.setattr(window.generate, "run_target", lambda: process.run)
    return process


@needs(CONTINUE, "transformer")
@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_a_generation_process_that_ended_is_said_in_words_with_no_traceback(
    qtbot, language, make_window, monkeypatch, capfd
):
    """Before: "Generation failed: ProcessDied: The generation process has ended; ..." (a class name, in
    English in a Chinese window) and a traceback in the log, for a child the OS ended. Generate again
    runs in the app itself."""
    window = make_window(melody_project())
    choose(window, CONTINUE, "transformer", "seed", bars=1, variations=1)
    a_dead_generation_process(window, monkeypatch)
    said = refused(qtbot, window)
    assert "Traceback" not in capfd.readouterr().err
    if language == "en":
        assert said == "The generation process has ended; Generate again to run it in the app itself."
    else:
        assert chinese(said), said
    monkeypatch.undo()
    press_generate(qtbot, window)
    assert len(window.generate.takes) == 1
