"""In a Chinese window, what is wrong inside a damaged or mismatched model file is said in Chinese: after
"已损坏：" came the checks' English ('tensor "ln_f.weight" holds values that are not numbers (NaN or
infinite)'), as ``ml.checkpoint_checks`` gave its details no codes. Now each detail has its code and
particulars, and the file's own names and numbers (a tensor's, a setting's, a shape) stay as they are. The
command line's English, and an English window's, is the same text as before, to the byte. A MIDI file with
a value core refuses is said in Chinese the same way, through core's codes for its values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.torch import load_file, save

from musestudio.core.errors import BadInputError
from musestudio.core.events import ControlEvent
from musestudio.core.note import Note
from musestudio.io import midi
from musestudio.ml import checkpoint, checkpoint_checks, engines
from musestudio.ml.checkpoint import CheckpointError
from musestudio.ml.generate import critic
from musestudio.ml.models import markov
from musestudio.ml.models.transformer import Config, MusicTransformer
from musestudio.ui.error_words import ErrorWords
from tests.ml.test_checkpoint_damage import (
    CASES,
    JSON_VALUES,
    SWAPS,
    load_as_the_app_does,
    make_damaged,
    make_swapped,
)
from tests.ui.test_read_errors_ui import ENGLISH_WORDS

MODELS = Path(__file__).resolve().parents[2] / "models"
# the file's own names a message quotes as the file writes them: its settings, "config" and "dtype"
FILE_NAMES = {f'"{name}"' for s in checkpoint_checks.SCHEMAS.values() for name in s.fields} | {
    '"config"',
    '"dtype"',
}
# the params that hold what the file itself holds (names, values as written, shapes) or a path: they stay
DATA = {"where", "tensor", "tensors", "names", "table", "setting", "value", "shape", "implied", "family"}
DATA |= {"known", "version", "expected", "stored"}


def data_in(said: dict) -> list[str]:
    """Every particular of an error and of the errors inside it that is the file's own, as shown."""
    found = []
    for name, value in said.get("params", {}).items():
        if isinstance(value, dict):
            found += data_in(value)
        elif name in DATA:
            found.append(", ".join(map(str, value)) if isinstance(value, list) else str(value))
    return found


def english_left(said: str, e: BadInputError) -> list[str]:
    """The English words in ``said`` but for the file's own names and values, and its path."""
    for part in sorted([*data_in(e.as_json()), *FILE_NAMES], key=len, reverse=True):
        said = said.replace(part, "")
    return ENGLISH_WORDS.findall(said)


# -- every check, one damage each: the English as the command line prints it, the Chinese the window says ---


def tiny_transformer(folder: Path) -> Path:
    config = Config(vocab_size=8, block_size=4, n_layer=1, n_head=1, n_embd=4)
    checkpoint.save(folder / "t", MusicTransformer(config), config)
    return folder / "t"


def tiny_markov(folder: Path) -> Path:
    data = [[1, 2, 3, 4, 2, 3, 5, 6, 2, 3, 4, 7]]
    model = markov.Model(markov.Config(vocab_size=8, order=3)).fit(data)
    checkpoint.save(folder / "m", model, model.config, fp16=False)
    return folder / "m"


def settings_of(name: str, change) -> dict:
    meta = json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8"))
    change(meta, meta["config"], meta.get("tokenizer"))
    return meta


def refused(call) -> CheckpointError:
    with pytest.raises(CheckpointError) as caught:
        call()
    return caught.value


def settings_refused(folder: Path, name: str, change, family: str | None = None) -> CheckpointError:
    """``name``'s settings changed by ``change(meta, config, tokenizer)``, read as a loader reads them."""
    (folder / "s.json").write_text(json.dumps(settings_of(name, change)), encoding="utf-8")
    return refused(lambda: checkpoint.read_meta(folder / "s", family))


def weights_refused(folder: Path, make, change=None, raw: bytes | None = None, dtype=None) -> CheckpointError:
    """A small model's weights file with its tensors changed by ``change`` (or ``raw`` in its place)."""
    stem = make(folder)
    weights = stem.with_suffix(".safetensors")
    if raw is not None:
        weights.write_bytes(raw)
    if change is not None:
        tensors = load_file(str(weights))
        change(tensors)
        weights.write_bytes(save({k: v.contiguous() for k, v in tensors.items()}))
    meta = checkpoint.read_meta(stem)
    if dtype is not None:
        meta["dtype"] = dtype
    return refused(lambda: checkpoint.read_weights(stem, meta))


def with_header(header: object, data: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return len(raw).to_bytes(8, "little") + raw + data


def setting(key: str, value: object):
    return lambda meta, config, tok: config.__setitem__(key, value)


def settings_pair(**values: object):
    return lambda meta, config, tok: config.update(values)


def without_setting(key: str):
    return lambda meta, config, tok: config.pop(key)


def vocabulary(key: str, value):
    return lambda meta, config, tok: tok.__setitem__(key, value(tok) if callable(value) else value)


def tensor(name: str, change):
    return lambda tensors: tensors.__setitem__(name, change(tensors[name].clone()))


def without(*names: str):
    return lambda tensors: [tensors.pop(n) for n in list(tensors) if n.startswith(names)]


def filled(value: float):
    return lambda t: torch.full_like(t, value)


def counts(k: int, table: str, change):
    def damage(tensors):
        t = tensors[f"k{k}.{table}"].clone()
        change(t)
        tensors[f"k{k}.{table}"] = t

    return damage


def set_at(i: int, value: int):
    return lambda t: t.__setitem__(i, value)


def add_at(i: int, value: int):
    return lambda t: t.__setitem__(i, t[i] + value)


VOCABULARY = "PAD BOS EOS BAR FILL_PREFIX FILL_SUF..."  # the vocabulary made one text, as a message shows it
DAMAGED, UNLIKE = "已损坏：", "与它的设置不符："
CHECKS = {  # how a model file is damaged: (the detail in the command line's English, the window's Chinese)
    "config missing": (
        lambda f: settings_refused(f, "continue_transformer", lambda meta, c, t: meta.pop("config")),
        'its model settings ("config") are missing',
        DAMAGED + '缺少模型设置（"config"）',
    ),
    "config not a table": (
        lambda f: settings_refused(f, "continue_transformer", lambda meta, c, t: meta.update(config=[1])),
        'its model settings ("config") are [1], not a table of values',
        DAMAGED + '它的模型设置（"config"）是 [1]，而不是一张取值表',
    ),
    "unknown setting": (
        lambda f: settings_refused(f, "continue_transformer", setting("zz", 1)),
        'it has a setting "zz" this version does not know',
        '不适用于本版本的 Transformer 模型：其中有本版本不认识的设置 "zz"',
    ),
    "setting missing": (
        lambda f: settings_refused(f, "continue_transformer", without_setting("n_head")),
        'the setting "n_head" is missing',
        '不适用于本版本的 Transformer 模型：缺少设置 "n_head"',
    ),
    "setting as text": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", "4")),
        'the setting "n_head" is "4" (text), not a whole number',
        DAMAGED + '设置 "n_head" 是 "4"（文本），不是整数',
    ),
    "setting as a list": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", [4])),
        'the setting "n_head" is [4] (a list), not a whole number',
        DAMAGED + '设置 "n_head" 是 [4]（列表），不是整数',
    ),
    "setting as a table": (
        lambda f: settings_refused(f, "continue_transformer", setting("dropout", {})),
        'the setting "dropout" is {} (a table), not a number',
        DAMAGED + '设置 "dropout" 是 {}（键值表），不是数字',
    ),
    "setting null": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", None)),
        'the setting "n_head" is null (no number), not a whole number',
        DAMAGED + '设置 "n_head" 是 null（非数字），不是整数',
    ),
    "setting a fraction": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", 4.5)),
        'the setting "n_head" is 4.5, not a whole number',
        DAMAGED + '设置 "n_head" 是 4.5，不是整数',
    ),
    "setting outside": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", 0)),
        'the setting "n_head" is 0, outside 1..64',
        DAMAGED + '设置 "n_head" 是 0，超出了范围 1..64',
    ),
    "item outside": (
        lambda f: settings_refused(f, "style_classifier", setting("dilations", [1, 0])),
        'an item of "dilations" is 0, outside 1..1024',
        DAMAGED + '"dilations" 中有一项是 0，超出了范围 1..1024',
    ),
    "not a list": (
        lambda f: settings_refused(f, "style_classifier", setting("styles", "bach")),
        'the setting "styles" is "bach", not a list of 1 to 64 items',
        DAMAGED + '设置 "styles" 是 "bach"，不是含 1 到 64 项的列表',
    ),
    "names twice": (
        lambda f: settings_refused(f, "style_classifier", setting("styles", ["bach", "bach"])),
        'the setting "styles" is ["bach", "bach"], not a list of distinct names',
        DAMAGED + '设置 "styles" 是 ["bach", "bach"]，不是一组互不相同的名称',
    ),
    "high below low": (
        lambda f: settings_refused(f, "style_classifier", settings_pair(low=30, high=30)),
        '"high" (30) must be above "low" (30)',
        DAMAGED + '"high"（30）必须大于 "low"（30）',
    ),
    "heads": (
        lambda f: settings_refused(f, "continue_transformer", setting("n_head", 7)),
        '"n_embd" (192) is not a multiple of "n_head" (7)',
        DAMAGED + '"n_embd"（192）不是 "n_head"（7）的倍数',
    ),
    "hidden": (
        lambda f: settings_refused(f, "continue_seq2seq", setting("hidden", 1)),
        '"hidden" (1) must be at least 2 (the encoder uses half of it per direction)',
        DAMAGED + '"hidden"（1）至少应为 2（编码器的每个方向用它的一半）',
    ),
    "pad": (
        lambda f: settings_refused(f, "continue_seq2seq", setting("pad_id", 482)),
        '"pad_id" (482) is not a token of a vocabulary of 482',
        DAMAGED + '"pad_id"（482）不是大小为 482 的词表中的词元',
    ),
    "order": (
        lambda f: settings_refused(f, "continue_markov", setting("order", 16)),
        '"order" 16 is too high for a vocabulary of 482',
        DAMAGED + '对大小为 482 的词表来说，"order" 16 太高了',
    ),
    "dtype": (
        lambda f: settings_refused(
            f, "continue_transformer", lambda meta, c, t: meta.update(dtype="float64")
        ),
        'its weight type "dtype" is "float64", not float16 or float32',
        DAMAGED + '它的权重类型 "dtype" 是 "float64"，不是 float16 或 float32',
    ),
    "vocabulary no table": (
        lambda f: settings_refused(f, "continue_transformer", lambda meta, c, t: meta.update(tokenizer="x")),
        "its vocabulary is not a table",
        DAMAGED + "它的词表不是一张表",
    ),
    "vocabulary no list": (
        lambda f: settings_refused(
            f, "continue_transformer", vocabulary("vocab", lambda t: " ".join(t["vocab"]))
        ),
        f'its vocabulary is "{VOCABULARY}, not a list of tokens',
        DAMAGED + f'它的词表是 "{VOCABULARY}，不是词元列表',
    ),
    "token twice": (
        lambda f: settings_refused(
            f, "continue_transformer", vocabulary("vocab", lambda t: ["PAD", *t["vocab"][:-1]])
        ),
        "its vocabulary lists a token twice",
        DAMAGED + "它的词表中有重复的词元",
    ),
    "vocabulary size": (
        lambda f: settings_refused(f, "continue_transformer", vocabulary("vocab", lambda t: t["vocab"][:-1])),
        "its vocabulary has 481 tokens, but the model's settings say 482",
        DAMAGED + "它的词表有 481 个词元，但模型设置中是 482 个",
    ),
    "styles no names": (
        lambda f: settings_refused(f, "continue_seq2seq", vocabulary("styles", [1])),
        "its list of styles is [1], not a list of names",
        DAMAGED + "它的风格列表是 [1]，不是一组名称",
    ),
    "styles count": (
        lambda f: settings_refused(f, "continue_seq2seq", vocabulary("styles", lambda t: t["styles"][:-1])),
        "it lists 7 styles, but the model's settings say 8",
        DAMAGED + "它列出了 7 种风格，但模型设置中是 8 种",
    ),
    "vocabulary size stated": (
        lambda f: settings_refused(f, "continue_transformer", vocabulary("vocab_size", 3)),
        "its vocabulary size is 3, but the model's settings say 482",
        DAMAGED + "它的词表大小是 3，但模型设置中是 482",
    ),
    "too short": (
        lambda f: weights_refused(f, tiny_transformer, raw=b"abc"),
        "it is 3 bytes long, too short to be a weights file",
        DAMAGED + "它只有 3 字节，太短，不可能是权重文件",
    ),
    "header cut": (
        lambda f: weights_refused(f, tiny_transformer, raw=(10**9).to_bytes(8, "little") + b"{}"),
        "its header is cut short or is not a weights file's header",
        DAMAGED + "它的文件头不完整，或者不是权重文件的文件头",
    ),
    "header not JSON": (
        lambda f: weights_refused(f, tiny_transformer, raw=(2).to_bytes(8, "little") + b"\xff\xfe"),
        "its header is not readable",
        DAMAGED + "它的文件头无法读取",
    ),
    "header no table": (
        lambda f: weights_refused(f, tiny_transformer, raw=with_header([])),
        "its header is not a table of tensors",
        DAMAGED + "它的文件头不是一张张量表",
    ),
    "header entry": (
        lambda f: weights_refused(f, tiny_transformer, raw=with_header({"x": 1})),
        'the header entry of tensor "x" is not valid',
        DAMAGED + '文件头中张量 "x" 的条目无效',
    ),
    "overlap": (
        lambda f: weights_refused(
            f,
            tiny_transformer,
            raw=with_header(
                {n: {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]} for n in "ab"}, bytes(4)
            ),
        ),
        "its tensors overlap or leave gaps",
        DAMAGED + "它的张量相互重叠或留有空隙",
    ),
    "header size": (
        lambda f: weights_refused(
            f,
            tiny_transformer,
            raw=with_header({"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, bytes(8)),
        ),
        "its header describes 4 bytes of weights, the file holds 8",
        DAMAGED + "它的文件头描述了 4 字节的权重，文件中却有 8 字节",
    ),
    "a tensor missing": (
        lambda f: weights_refused(f, tiny_transformer, without("tok_emb.")),
        'tensor "tok_emb.weight" is missing',
        UNLIKE + '缺少张量 "tok_emb.weight"',
    ),
    "two tensors missing": (
        lambda f: weights_refused(f, tiny_transformer, without("ln_f.")),
        'tensors "ln_f.bias", "ln_f.weight" are missing',
        UNLIKE + '缺少张量 "ln_f.bias", "ln_f.weight"',
    ),
    "many tensors missing": (
        lambda f: weights_refused(f, tiny_transformer, without("blocks.")),
        'tensors "blocks.0.attn.proj.weight", "blocks.0.attn.qkv.weight", "blocks.0.attn.rel" and 8 more are '
        "missing",
        UNLIKE
        + '缺少张量 "blocks.0.attn.proj.weight", "blocks.0.attn.qkv.weight", "blocks.0.attn.rel" 以及另外 8 个',
    ),
    "a tensor too many": (
        lambda f: weights_refused(f, tiny_transformer, lambda t: t.update(extra=torch.zeros(1))),
        'unexpected tensor "extra"',
        UNLIKE + '多出了张量 "extra"',
    ),
    "tensors too many": (
        lambda f: weights_refused(
            f, tiny_transformer, lambda t: t.update({n: torch.zeros(1) for n in "abcde"})
        ),
        'unexpected tensors "a", "b", "c" and 2 more',
        UNLIKE + '多出了张量 "a", "b", "c" 以及另外 2 个',
    ),
    "whole numbers": (
        lambda f: weights_refused(f, tiny_transformer, tensor("ln_f.bias", lambda t: t.to(torch.int64))),
        'tensor "ln_f.bias" is stored as whole numbers (I64), not as 16-bit numbers (F16)',
        UNLIKE + '张量 "ln_f.bias" 存储为整数（I64），而不是 16 位浮点数（F16）',
    ),
    "16 bits for 32": (
        lambda f: weights_refused(f, tiny_transformer, dtype="float32"),
        'tensor "tok_emb.weight" is stored as 16-bit numbers (F16), not as 32-bit numbers (F32)',
        UNLIKE + '张量 "tok_emb.weight" 存储为 16 位浮点数（F16），而不是 32 位浮点数（F32）',
    ),
    "doubles for counts": (
        lambda f: weights_refused(f, tiny_markov, tensor("k0.ctx_keys", lambda t: t.double())),
        'tensor "k0.ctx_keys" is stored as F64, not as whole numbers (I64)',
        UNLIKE + '张量 "k0.ctx_keys" 存储为 F64，而不是整数（I64）',
    ),
    "table shape": (
        lambda f: weights_refused(f, tiny_markov, tensor("k1.ctx_keys", lambda t: t.reshape(1, -1))),
        'table "k1.ctx_keys" has shape [1, 6], not a single row',
        UNLIKE + '表 "k1.ctx_keys" 的形状是 [1, 6]，而不是单独一行',
    ),
    "tensor shape": (
        lambda f: weights_refused(f, tiny_transformer, tensor("ln_f.bias", lambda t: torch.cat([t, t]))),
        'tensor "ln_f.bias" has shape [8], the settings imply [4]',
        UNLIKE + '张量 "ln_f.bias" 的形状是 [8]，而设置要求 [4]',
    ),
    "NaN": (
        lambda f: weights_refused(f, tiny_transformer, tensor("ln_f.weight", filled(float("nan")))),
        'tensor "ln_f.weight" holds values that are not numbers (NaN or infinite)',
        DAMAGED + '张量 "ln_f.weight" 中有不是数字的值（NaN 或无穷大）',
    ),
    "flipped bits": (
        lambda f: weights_refused(f, tiny_transformer, tensor("ln_f.weight", filled(5000.0))),
        'tensor "ln_f.weight" holds a weight of 5e+03, far beyond what training gives (flipped bits?)',
        DAMAGED + '张量 "ln_f.weight" 中有一个权重为 5e+03，远远超出训练能得到的值（比特翻转？）',
    ),
    "counts lengths": (
        lambda f: weights_refused(
            f, tiny_markov, lambda t: t.update({"k1.gram_counts": t["k1.gram_counts"][:-1]})
        ),
        "its counts of 2-token runs have tables of different lengths",
        DAMAGED + "它对连续 2 个词元的计数，各表长度不一",
    ),
    "counts contexts": (
        lambda f: weights_refused(f, tiny_markov, counts(1, "ctx_keys", add_at(-1, 1))),
        "its counts of 2-token runs do not match their list of contexts",
        DAMAGED + "它对连续 2 个词元的计数与其上下文列表不符",
    ),
    "counts order": (
        lambda f: weights_refused(f, tiny_markov, counts(1, "gram_keys", lambda t: t.copy_(t.flip(0)))),
        "its counts of 2-token runs are out of order",
        DAMAGED + "它对连续 2 个词元的计数顺序错乱",
    ),
    "counts outside": (
        lambda f: weights_refused(f, tiny_markov, counts(1, "gram_keys", set_at(-1, 64))),
        "its counts of 2-token runs name tokens outside the vocabulary",
        DAMAGED + "它对连续 2 个词元的计数中有词表之外的词元",
    ),
    "counts below one": (
        lambda f: weights_refused(f, tiny_markov, counts(2, "gram_counts", set_at(0, 0))),
        "its counts of 3-token runs hold counts below one",
        DAMAGED + "它对连续 3 个词元的计数中有小于 1 的计数",
    ),
    "counts totals": (
        lambda f: weights_refused(f, tiny_markov, counts(2, "gram_counts", add_at(0, 1))),
        "its counts of 3-token runs do not add up to their totals",
        DAMAGED + "它对连续 3 个词元的计数与其总数对不上",
    ),
    "counts types": (
        lambda f: weights_refused(f, tiny_markov, counts(0, "ctx_types", set_at(0, 10**6))),
        "its counts of 1-token runs have impossible numbers of different next tokens",
        DAMAGED + "它对连续 1 个词元的计数中，不同后续词元的数目不可能成立",
    ),
}


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
@pytest.mark.parametrize("check", list(CHECKS))
def test_each_check_of_a_model_file_is_said_in_the_user_s_language(language, tmp_path, check):
    damage, english, chinese = CHECKS[check]
    e = damage(tmp_path)
    where = e.params["where"]
    assert str(e).startswith(f"model file {where} ") and str(e).endswith(f": {english}")
    said = ErrorWords().say(e)
    if language == "en":
        assert said == str(e)
    else:
        assert said.startswith(f"模型文件 {where} ") and said.endswith(chinese), said
        assert not english_left(said, e), said


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_a_file_of_a_kind_this_version_does_not_know_is_said_in_the_user_s_language(language, tmp_path):
    other = settings_refused(
        tmp_path, "continue_transformer", lambda meta, c, t: meta.update(family="abc"), "transformer"
    )
    unknown = settings_refused(tmp_path, "continue_transformer", lambda meta, c, t: meta.pop("family"))
    where = other.params["where"]
    known = ", ".join(checkpoint_checks.SCHEMAS)
    assert (
        str(other)
        == f"model file {where} holds an unknown kind of model ('abc'), not the transformer expected here"
    )
    assert str(unknown) == f"model file {where} holds an unknown kind of model (None); known kinds: {known}"
    said = [ErrorWords().say(e) for e in (other, unknown)]
    if language == "en":
        assert said == [str(other), str(unknown)]
    else:
        assert said == [
            f"模型文件 {where} 中是一种未知的模型（'abc'），而不是这里需要的 Transformer 模型",
            f"模型文件 {where} 中是一种未知的模型（None）；已知的种类：{known}",
        ]


# -- every way the damage tests spoil a shipped model file, loaded as the app loads it -------------------


@pytest.fixture(scope="module")
def spoilt(tmp_path_factory):
    root, made = tmp_path_factory.mktemp("spoilt-models"), {}

    def get(name: str, damage: str) -> Path:
        if (name, damage) not in made:
            if damage.startswith("from:"):
                made[name, damage] = make_swapped(root, name, damage.removeprefix("from:"))
            else:
                made[name, damage] = make_damaged(root, name, damage)
        return made[name, damage]

    return get


def app_refusal(home: Path, name: str, monkeypatch) -> CheckpointError:
    monkeypatch.setenv("MUSESTUDIO_HOME", str(home))
    engines.unload()
    critic._unusable.clear()
    try:
        return refused(lambda: load_as_the_app_does(name))
    finally:
        engines.unload()
        critic._unusable.clear()


# the JSB benchmark model is read by the command line alone (``evaluate jsb``), whose own check of its
# vocabulary has no window to be said in
WINDOW_CASES = [(n, d) for n, d in CASES] + [(n, f"from:{o}") for n, o in SWAPS if n != "jsb_transformer"]


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
@pytest.mark.parametrize(("name", "damage"), WINDOW_CASES, ids=[f"{n}-{d}" for n, d in WINDOW_CASES])
def test_every_damaged_model_file_is_said_in_the_user_s_language(language, spoilt, monkeypatch, name, damage):
    """Whatever the damage, the window says it with no English left but the file's own names and values."""
    e = app_refusal(spoilt(name, damage), name, monkeypatch)
    said = ErrorWords().say(e)
    if language == "en":
        assert said == str(e)
    else:
        assert said != str(e) and not english_left(said, e), said


# -- any value anywhere in the settings, any weights header ---------------------------------------------


def zh_said_fully(e: CheckpointError) -> None:
    said = ErrorWords().say(e)
    assert not english_left(said, e), (str(e), said)


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
@pytest.mark.parametrize("name", ["continue_transformer", "continue_seq2seq", "style_classifier"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_the_settings_is_said_in_the_user_s_language(language, tmp_path, name, data):
    meta = json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8"))
    part = data.draw(st.sampled_from(["top", "config", "tokenizer"]))
    table = meta if part == "top" or not isinstance(meta.get(part), dict) else meta[part]
    key = data.draw(st.sampled_from(sorted(table)) | st.text(max_size=6))
    table[key] = data.draw(JSON_VALUES)
    (tmp_path / "s.json").write_text(json.dumps(meta), encoding="utf-8")
    try:
        checkpoint.read_meta(tmp_path / "s", data.draw(st.sampled_from([None, meta.get("family")])))
    except CheckpointError as e:
        zh_said_fully(e)


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4) | JSON_VALUES,
    tail=st.binary(max_size=8),
)
def test_any_weights_header_is_said_in_the_user_s_language(language, tmp_path, header, tail):
    stem = tmp_path / "t"
    if not stem.with_suffix(".json").exists():
        tiny_transformer(tmp_path)
    stem.with_suffix(".safetensors").write_bytes(with_header(header, tail))
    try:
        checkpoint.read_weights(stem, checkpoint.read_meta(stem))
    except CheckpointError as e:
        zh_said_fully(e)


# -- a MIDI file with a value core refuses ------------------------------------------------------------------


def midi_refused(monkeypatch, value) -> BadInputError:
    """No file reaches this (the reader keeps what core cannot hold as raw bytes, and SMF's own bounds are
    core's): a core refusal raised where the reader builds the piece."""

    def build(reader):
        value()

    monkeypatch.setattr(midi._Reader, "project", build)
    data = (Path(__file__).resolve().parents[2] / "resources" / "seeds" / "melody_4_4.mid").read_bytes()
    with pytest.raises(BadInputError) as caught:
        midi.midi_from_bytes(data, "歌.mid")
    return caught.value


REFUSALS = {
    lambda: Note(60, 0, 480, 0): (
        "歌.mid is damaged (velocity 0 is outside MIDI's 1..127)",
        "歌.mid 已损坏（力度 0 超出了 MIDI 的范围 1..127）",
    ),
    lambda: ControlEvent(0, 64, 300): (
        "歌.mid is damaged (sustain pedal value 300 is outside 0..127)",
        "歌.mid 已损坏（控制器 CC 64 的值 300 超出了范围 0..127）",
    ),
}


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_a_midi_file_with_a_value_core_refuses_is_said_in_the_user_s_language(language, monkeypatch):
    for value, (english, chinese) in REFUSALS.items():
        e = midi_refused(monkeypatch, value)
        assert str(e) == english
        assert ErrorWords().say(e) == (english if language == "en" else chinese)


def test_a_value_error_without_a_code_is_said_as_it_came(qapp, monkeypatch):
    def plain():
        raise ValueError("something odd")

    e = midi_refused(monkeypatch, plain)
    assert str(e) == ErrorWords().say(e) == "歌.mid is damaged (something odd)"
