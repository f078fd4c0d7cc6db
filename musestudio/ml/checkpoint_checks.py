"""Model-file checks: everything a loader relies on, checked before anything is built or allocated.

A model file comes from outside the program: a download cut short, a disk with flipped bits, a file of
another model copied into place, a hand-edited setting. Each of those used to surface as a traceback from
deep inside torch or numpy ("index -1 is out of bounds"), as a 5 GB allocation (a size x64), or worse as a
model that ran and wrote nonsense ("0 notes", "nan%"). So loading checks, in this order and each before
the next step costs anything:

1. the JSON half (``check_meta``): the family is the one the caller needs; every setting is there, has the
   right type and lies within bounds; the vocabulary is a list of tokens of the size the settings say;
2. the weights file's header (``parse_header`` + ``check_header``), the short JSON at its start: the tensor
   names, shapes and dtypes are exactly those the settings imply, and the byte ranges tile the file;
3. the values (``check_values``), once read: every float finite and of a size training gives, the Markov
   tables sorted, in range and consistent with each other.

The functions here are pure (dicts and arrays in, ``Problem`` out) and torch-free. ``Problem`` messages are
the end of a sentence that starts with the file's name; ``checkpoint.py`` adds the name and raises the one
``CheckpointError`` the CLI turns into exit 2 and the app into a message. Each detail of what is wrong (a
tensor of NaNs, a setting out of bounds) is a ``core.errors.reason``: the command line's English with a code
and the particulars the window words it from (``ui.model_error_words``), which keeps the file's own names
and numbers as they are.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from musestudio.core.errors import reason

MAX_META_BYTES = 16 * 2**20  # the JSON half: ours are under 30 kB
MAX_HEADER_BYTES = 16 * 2**20  # our headers are a few kB; safetensors itself refuses more than 100 MB
MAX_WEIGHTS = 100_000_000  # ~400 MB in float32: far above any model we ship (2-6 million), far below harm
MAX_ABS_WEIGHT = 1000.0  # trained weights here stay below 5; a flipped exponent bit multiplies by 2**16
FLOAT_DTYPES = {"float16": "F16", "float32": "F32"}
ITEM_BYTES = {"F16": 2, "BF16": 2, "F32": 4, "F64": 8, "I8": 1, "U8": 1, "I16": 2, "I32": 4, "I64": 8}
ITEM_BYTES |= {"U16": 2, "U32": 4, "U64": 8, "BOOL": 1}
_DTYPE_WORDS = {"F16": "16-bit numbers (F16)", "F32": "32-bit numbers (F32)", "I64": "whole numbers (I64)"}
# what a setting that should be a number holds instead: the words and the code the window words them by
_FOUND = {
    str: ("text", "model_found_text"),
    list: ("a list", "model_found_list"),
    dict: ("a table", "model_found_table"),
}
_NO_NUMBER = ("no number", "model_found_no_number")
MARKOV_TABLE = ("gram_keys", "gram_counts", "ctx_keys", "ctx_totals", "ctx_types")
Why = dict  # a detail of what is wrong: a ``core.errors.reason`` (its English, its code, its particulars)


class Problem(ValueError):
    """What is wrong with a model file, in words that follow its name ("... is damaged: ..."), with the
    ``code`` and ``params`` the window words it from (``checkpoint._checked`` adds the file)."""

    def __init__(self, words: str, code: str, **params: object) -> None:
        super().__init__(words)
        self.code, self.params = code, params


def damaged(why: Why) -> Problem:
    return Problem(f"is damaged: {why['message']}", "model_damaged", why=why)


def unlike_settings(why: Why) -> Problem:
    """The weights file is not the one its settings describe (a tensor missing, of another shape...)."""
    return Problem(f"does not match its settings: {why['message']}", "model_unlike_settings", why=why)


def does_not_fit(kind: str, why: Why) -> Problem:
    """The settings are of another version of the model's code (a setting it does not know, or lacks)."""
    return Problem(
        f"does not fit this version's {kind}: {why['message']}",
        "model_does_not_fit",
        model_kind=kind,
        why=why,
    )


@dataclass(frozen=True)
class Field:
    """One setting: ``kind`` is "int", "float", "names" (a list of distinct words) or "ints" (a list of
    whole numbers); numbers and list items must lie in low..high, lists hold 1..``max_items`` items."""

    kind: str
    low: float = 0
    high: float = 0
    max_items: int = 64


Shapes = dict[str, tuple[int, ...] | None]  # None: a 1-D table of any length (the Markov counts)


@dataclass(frozen=True)
class Schema:
    label: str  # how a musician's error message names the model
    fields: dict[str, Field]
    tensors: Callable[[dict], Shapes]
    relations: Callable[[dict], Why | None] = lambda c: None  # a cross-setting rule broken, in words
    integer_tensors: bool = False  # the Markov tables: int64 counts, not float weights


# -- the expected tensors of each family, from its settings ----------------------------------------------


def _transformer_tensors(c: dict) -> Shapes:
    e, v, h = c["n_embd"], c["vocab_size"], c["n_head"]
    out: Shapes = {"tok_emb.weight": (v, e), "head.weight": (v, e), "ln_f.weight": (e,), "ln_f.bias": (e,)}
    for i in range(c["n_layer"]):
        p = f"blocks.{i}."
        out |= {
            p + "attn.qkv.weight": (3 * e, e),
            p + "attn.proj.weight": (e, e),
            p + "attn.rel": (h, c["block_size"], e // h),
            p + "ln1.weight": (e,),
            p + "ln1.bias": (e,),
            p + "ln2.weight": (e,),
            p + "ln2.bias": (e,),
            p + "mlp.0.weight": (4 * e, e),
            p + "mlp.0.bias": (4 * e,),
            p + "mlp.2.weight": (e, 4 * e),
            p + "mlp.2.bias": (e,),
        }
    return out


def _lstm(prefix: str, inputs: int, hidden: int, layers: int, bidirectional: bool) -> Shapes:
    out: Shapes = {}
    for layer in range(layers):
        width = inputs if layer == 0 else hidden * (2 if bidirectional else 1)
        for suffix in ("", "_reverse") if bidirectional else ("",):
            out |= {
                f"{prefix}weight_ih_l{layer}{suffix}": (4 * hidden, width),
                f"{prefix}weight_hh_l{layer}{suffix}": (4 * hidden, hidden),
                f"{prefix}bias_ih_l{layer}{suffix}": (4 * hidden,),
                f"{prefix}bias_hh_l{layer}{suffix}": (4 * hidden,),
            }
    return out


def _seq2seq_tensors(c: dict) -> Shapes:
    h, v, inputs = c["hidden"], c["vocab_size"], c["n_embd"] + c["style_dim"]
    enc = 2 * (h // 2)
    return {
        "tok_emb.weight": (v, c["n_embd"]),
        "style_emb.weight": (c["n_styles"], c["style_dim"]),
        **_lstm("encoder.", inputs, h // 2, c["enc_layers"], True),
        **_lstm("decoder.", inputs, h, c["dec_layers"], False),
        "bridge_h.weight": (c["dec_layers"] * h, enc),
        "bridge_h.bias": (c["dec_layers"] * h,),
        "bridge_c.weight": (c["dec_layers"] * h, enc),
        "bridge_c.bias": (c["dec_layers"] * h,),
        "attn_key.weight": (h, enc),
        "combine.weight": (h, enc + h),
        "combine.bias": (h,),
        "out.weight": (v, h),
        "out.bias": (v,),
    }


def _markov_tensors(c: dict) -> Shapes:
    return {f"k{k}.{name}": None for k in range(c["order"]) for name in MARKOV_TABLE}


def _roll_inputs(c: dict) -> int:
    return 2 * (c["high"] - c["low"]) + 1  # onset and frame planes plus the bar-line row


def _gan_tensors(c: dict) -> Shapes:
    h, n, k = c["hidden"], len(c["styles"]), len(c["dilations"])
    out: Shapes = {"inp.weight": (h, _roll_inputs(c) + n, 3), "inp.bias": (h,)}
    for i in range(k):
        out |= {f"blocks.{i}.weight": (h, h, 3), f"blocks.{i}.bias": (h,)}
    notes = 2 * (c["high"] - c["low"])
    return out | {
        "film.weight": (2 * h * k, n),
        "film.bias": (2 * h * k,),
        "out.weight": (notes, h, 1),
        "out.bias": (notes,),
        "skip": (),
    }


def _spectral(prefix: str, out_ch: int, in_ch: int, kernel: int) -> Shapes:
    return {
        prefix + "weight_orig": (out_ch, in_ch, kernel),
        prefix + "weight_u": (out_ch,),
        prefix + "weight_v": (in_ch * kernel,),
        prefix + "bias": (out_ch,),
    }


def _critic_tensors(c: dict) -> Shapes:
    d = c["d_hidden"]
    return {
        **_spectral("body.0.", d, _roll_inputs(c), 4),
        **_spectral("body.2.", 2 * d, d, 4),
        **_spectral("body.4.", 2 * d, 2 * d, 3),
        **_spectral("adv.", 1, 2 * d, 3),
        "cls.weight": (len(c["styles"]), 4 * d),
        "cls.bias": (len(c["styles"]),),
    }


def _classifier_tensors(c: dict) -> Shapes:
    h, n = c["hidden"], len(c["styles"])
    one: Shapes = {"inp.weight": (h, _roll_inputs(c), 3), "inp.bias": (h,)}
    for i in range(len(c["dilations"])):
        one |= {
            f"blocks.{i}.weight": (h, h, 3),
            f"blocks.{i}.bias": (h,),
            f"norms.{i}.weight": (h,),
            f"norms.{i}.bias": (h,),
        }
    one |= {"head.weight": (n, 2 * h), "head.bias": (n,)}
    return {f"members.{k}.{name}": shape for k in range(c["members"]) for name, shape in one.items()}


# -- the settings of each family --------------------------------------------------------------------------

SIZE = Field("int", 1, 4096)
VOCAB = Field("int", 1, 65536)
DROPOUT = Field("float", 0.0, 1.0)
ROLL = {
    "styles": Field("names", max_items=64),
    "low": Field("int", 0, 127),
    "high": Field("int", 1, 128),
    "steps_per_beat": Field("int", 1, 96),
    "hidden": SIZE,
    "dilations": Field("ints", 1, 1024, max_items=32),
}


def _roll_relations(c: dict) -> Why | None:
    if c["high"] <= c["low"]:
        high, low = c["high"], c["low"]
        return reason(
            f'"high" ({high}) must be above "low" ({low})', "model_high_not_above_low", high=high, low=low
        )
    return None


def _transformer_relations(c: dict) -> Why | None:
    if c["n_embd"] % c["n_head"]:
        embd, heads = c["n_embd"], c["n_head"]
        words = f'"n_embd" ({embd}) is not a multiple of "n_head" ({heads})'
        return reason(words, "model_embd_not_multiple", n_embd=embd, n_head=heads)
    return None


def _seq2seq_relations(c: dict) -> Why | None:
    if c["hidden"] < 2:
        words = f'"hidden" ({c["hidden"]}) must be at least 2 (the encoder uses half of it per direction)'
        return reason(words, "model_hidden_too_small", hidden=c["hidden"])
    if c["pad_id"] >= c["vocab_size"]:
        pad, size = c["pad_id"], c["vocab_size"]
        words = f'"pad_id" ({pad}) is not a token of a vocabulary of {size}'
        return reason(words, "model_pad_not_token", pad_id=pad, vocab_size=size)
    return None


def _markov_relations(c: dict) -> Why | None:
    if c["vocab_size"] ** c["order"] >= 2**63:
        order, size = c["order"], c["vocab_size"]
        words = f'"order" {order} is too high for a vocabulary of {size}'
        return reason(words, "model_order_too_high", order=order, vocab_size=size)
    return None


_SEQ2SEQ = Schema(
    "seq2seq model",
    {
        "vocab_size": VOCAB,
        "n_styles": Field("int", 1, 256),
        "n_embd": SIZE,
        "style_dim": Field("int", 1, 1024),
        "hidden": SIZE,
        "enc_layers": Field("int", 1, 16),
        "dec_layers": Field("int", 1, 16),
        "dropout": DROPOUT,
        "max_src_len": Field("int", 1, 65536),
        "pad_id": Field("int", 0, 65535),
    },
    _seq2seq_tensors,
    _seq2seq_relations,
)


SCHEMAS: dict[str, Schema] = {
    "transformer": Schema(
        "transformer",
        {
            "vocab_size": VOCAB,
            "block_size": Field("int", 1, 16384),
            "n_layer": Field("int", 1, 64),
            "n_head": Field("int", 1, 64),
            "n_embd": SIZE,
            "dropout": DROPOUT,
        },
        _transformer_tensors,
        _transformer_relations,
    ),
    "seq2seq": _SEQ2SEQ,
    "markov": Schema(
        "Markov model",
        {"vocab_size": VOCAB, "order": Field("int", 1, 16)},
        _markov_tensors,
        _markov_relations,
        integer_tensors=True,
    ),
    "gan_denoiser": replace(_SEQ2SEQ, label="Restyle GAN generator (adversarial denoiser)"),
    "gan": Schema("Restyle GAN generator", ROLL | {"d_hidden": SIZE}, _gan_tensors, _roll_relations),
    "gan_critic": Schema("Restyle GAN critic", ROLL | {"d_hidden": SIZE}, _critic_tensors, _roll_relations),
    "style_classifier": Schema(
        "style classifier",
        ROLL | {"dropout": DROPOUT, "members": Field("int", 1, 16)},
        _classifier_tensors,
        _roll_relations,
    ),
}
#: The multi-part model is the relative-attention transformer reading its own token grammar.
SCHEMAS["parts"] = replace(SCHEMAS["transformer"], label="multi-part model")


def label(family: object) -> str:
    schema = SCHEMAS.get(family) if isinstance(family, str) else None
    return schema.label if schema else f"unknown kind of model ({family!r})"


def _kind_found(family: object) -> str | Why:
    """The kind of model a file holds, as its message names it ("a transformer"): a known kind is worded by
    the window as it stands, an unknown one (another program's file) is a reason with the family as found."""
    words = _article(label(family))
    if isinstance(family, str) and family in SCHEMAS:
        return words
    return reason(words, "model_kind_unknown", family=repr(family))


# -- 1. the JSON half ---------------------------------------------------------------------------------------


def _article(words: str) -> str:
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def _show(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _said(words: str | Why) -> str:
    """The English of words that are either plain or a reason."""
    return words if isinstance(words, str) else words["message"]


def _check_number(name: str, value: object, f: Field, item: bool = False) -> Why | None:
    """Why ``value`` is not a valid number for the setting ``name`` (for an item of it, with ``item``), or
    None."""
    what = f'an item of "{name}"' if item else f'the setting "{name}"'
    whole, shown = f.kind in ("int", "ints"), _show(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        found = reason(*_FOUND.get(type(value), _NO_NUMBER))
        words = f"{what} is {shown} ({found['message']}), not {'a whole number' if whole else 'a number'}"
        if item:
            code = "model_item_not_whole_number"
        else:
            code = "model_setting_not_whole_number" if whole else "model_setting_not_number"
        return reason(words, code, setting=name, value=shown, found=found)
    if whole and not isinstance(value, int):
        code = "model_item_fraction" if item else "model_setting_fraction"
        return reason(f"{what} is {shown}, not a whole number", code, setting=name, value=shown)
    if (isinstance(value, float) and not math.isfinite(value)) or not f.low <= value <= f.high:
        low, high = f"{f.low:g}", f"{f.high:g}"
        code = "model_item_outside" if item else "model_setting_outside"
        words = f"{what} is {shown}, outside {low}..{high}"
        return reason(words, code, setting=name, value=shown, low=low, high=high)
    return None


def _check_field(name: str, value: object, f: Field) -> Why | None:
    if f.kind in ("int", "float"):
        return _check_number(name, value, f)
    if not isinstance(value, list) or not 1 <= len(value) <= f.max_items:
        shown = _show(value)
        words = f'the setting "{name}" is {shown}, not a list of 1 to {f.max_items} items'
        return reason(words, "model_setting_not_list", setting=name, value=shown, most=f.max_items)
    if f.kind == "ints":
        return next((p for v in value if (p := _check_number(name, v, f, item=True))), None)
    if not all(isinstance(v, str) and v for v in value) or len(set(value)) != len(value):
        shown = _show(value)
        words = f'the setting "{name}" is {shown}, not a list of distinct names'
        return reason(words, "model_setting_not_names", setting=name, value=shown)
    return None


def _check_tokenizer(tok: object, config: dict) -> Why | None:
    """The vocabulary half of the JSON: Continue's event tokenizer or the JSB benchmark's frame one."""
    if tok is None:
        return None  # a loader that needs a tokenizer says so when it builds one
    if not isinstance(tok, dict):
        return reason("its vocabulary is not a table", "model_vocabulary_not_table")
    vocab_size = config.get("vocab_size")
    if "vocab" in tok:
        vocab = tok["vocab"]
        if not isinstance(vocab, list) or not all(isinstance(t, str) for t in vocab):
            shown = _show(vocab)
            words = f"its vocabulary is {shown}, not a list of tokens"
            return reason(words, "model_vocabulary_not_tokens", value=shown)
        if len(set(vocab)) != len(vocab):
            return reason("its vocabulary lists a token twice", "model_vocabulary_twice")
        if vocab_size is not None and len(vocab) != vocab_size:
            words = f"its vocabulary has {len(vocab)} tokens, but the model's settings say {vocab_size}"
            return reason(words, "model_vocabulary_size", tokens=len(vocab), settings_say=vocab_size)
    if "styles" in tok:
        styles = tok["styles"]
        if not isinstance(styles, list) or not all(isinstance(s, str) and s for s in styles):
            shown = _show(styles)
            words = f"its list of styles is {shown}, not a list of names"
            return reason(words, "model_styles_not_names", value=shown)
        if "n_styles" in config and len(styles) != config["n_styles"]:
            say = config["n_styles"]
            words = f"it lists {len(styles)} styles, but the model's settings say {say}"
            return reason(words, "model_styles_count", styles=len(styles), settings_say=say)
    if "vocab_size" in tok and tok["vocab_size"] != vocab_size:
        shown = _show(tok["vocab_size"])
        words = f"its vocabulary size is {shown}, but the model's settings say {vocab_size}"
        return reason(words, "model_vocabulary_size_stated", value=shown, settings_say=str(vocab_size))
    return None


def check_meta(meta: Mapping, family: str | None = None) -> dict:
    """The checked settings of a model file's parsed JSON; ``family`` is the one the caller needs (None:
    whatever known family the file says). Raises Problem on the first thing wrong."""
    found = meta.get("family")
    if family is not None and found != family:
        found_kind, expected = _kind_found(found), label(family)
        raise Problem(
            f"holds {_said(found_kind)}, not the {expected} expected here",
            "model_other_kind",
            found_kind=found_kind,
            wanted_kind=expected,
        )
    schema = SCHEMAS.get(found) if isinstance(found, str) else None
    if schema is None:
        found_kind = _kind_found(found)
        raise Problem(
            f"holds {_said(found_kind)}; known kinds: {', '.join(SCHEMAS)}",
            "model_unknown_kind",
            found_kind=found_kind,
            known=list(SCHEMAS),
        )
    config = meta.get("config")
    if not isinstance(config, dict):
        if config is None:
            raise damaged(reason('its model settings ("config") are missing', "model_config_missing"))
        shown = _show(config)
        words = f'its model settings ("config") are {shown}, not a table of values'
        raise damaged(reason(words, "model_config_not_table", value=shown))
    for name in config:
        if name not in schema.fields:
            words = f'it has a setting "{name}" this version does not know'
            raise does_not_fit(schema.label, reason(words, "model_setting_unknown", setting=name))
    for name, f in schema.fields.items():
        if name not in config:
            words = f'the setting "{name}" is missing'
            raise does_not_fit(schema.label, reason(words, "model_setting_missing", setting=name))
        if why := _check_field(name, config[name], f):
            raise damaged(why)
    if why := schema.relations(config):
        raise damaged(why)
    dtype = meta.get("dtype", "float16")
    if not isinstance(dtype, str) or dtype not in FLOAT_DTYPES:
        shown = _show(dtype)
        words = f'its weight type "dtype" is {shown}, not float16 or float32'
        raise damaged(reason(words, "model_dtype", value=shown))
    if why := _check_tokenizer(meta.get("tokenizer"), config):
        raise damaged(why)
    weights = sum(math.prod(s) for s in schema.tensors(config).values() if s is not None)
    if weights > MAX_WEIGHTS:
        millions, most = f"{weights / 1e6:,.0f}", f"{MAX_WEIGHTS / 1e6:,.0f}"
        raise Problem(
            f"describes a model of {millions} million weights, more than this version loads ({most} million)",
            "model_too_large",
            millions=millions,
            most=most,
        )
    return config


# -- 2. the weights file's header ---------------------------------------------------------------------------


def header_length(first: bytes, file_size: int) -> int:
    """The length of the JSON header from the file's first 8 bytes (little-endian u64)."""
    if len(first) < 8:
        words = f"it is {file_size} bytes long, too short to be a weights file"
        raise damaged(reason(words, "model_weights_too_short", size=file_size))
    n = int.from_bytes(first[:8], "little")
    if n < 2 or n > MAX_HEADER_BYTES or n > file_size - 8:
        raise damaged(reason("its header is cut short or is not a weights file's header", "model_header_cut"))
    return n


def parse_header(raw: bytes, file_size: int) -> dict[str, dict]:
    """Tensor name -> {"dtype", "shape", "data_offsets"}, checked to tile the file's data exactly."""
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged(reason("its header is not readable", "model_header_unreadable")) from None
    if not isinstance(header, dict):
        raise damaged(reason("its header is not a table of tensors", "model_header_not_table"))
    header.pop("__metadata__", None)
    spans = []
    for name, entry in header.items():
        ok = isinstance(entry, dict) and isinstance(entry.get("dtype"), str) and entry["dtype"] in ITEM_BYTES
        shape, offsets = (entry.get("shape"), entry.get("data_offsets")) if ok else (None, None)
        ok = ok and isinstance(shape, list) and all(type(d) is int and d >= 0 for d in shape)
        ok = ok and isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)
        if not ok or offsets[1] - offsets[0] != math.prod(shape) * ITEM_BYTES[entry["dtype"]]:
            words = f'the header entry of tensor "{name}" is not valid'
            raise damaged(reason(words, "model_header_entry", tensor=name))
        spans.append(tuple(offsets))
    spans.sort()
    end = 0
    for begin, stop in spans:
        if begin != end:
            raise damaged(reason("its tensors overlap or leave gaps", "model_tensors_overlap"))
        end = stop
    data = file_size - 8 - len(raw)
    if end != data:
        words = f"its header describes {end} bytes of weights, the file holds {data}"
        raise damaged(reason(words, "model_header_size", described=end, held=data))
    return header


def _listing(names: list[str]) -> str | Why:
    """Up to three tensor names, quoted: past three, a reason saying how many more."""
    shown = ", ".join(f'"{n}"' for n in names[:3])
    if len(names) <= 3:
        return shown
    more = len(names) - 3
    return reason(f"{shown} and {more} more", "model_tensor_listing_more", names=shown, more=more)


def _tensors_said(names: list[str], one: tuple[str, str], more: tuple[str, str]) -> Why:
    """``names`` in the words and code of ``one`` ("tensor %s is missing") or of ``more``, by their count."""
    listing = _listing(names)
    template, code = one if len(names) == 1 else more
    return reason(template % _said(listing), code, tensors=listing)


def _dtype_said(dtype: str) -> str | Why:
    """A dtype in words where it has some ("16-bit numbers (F16)"), else its name as the file has it."""
    words = _DTYPE_WORDS.get(dtype)
    return reason(words, f"model_stored_{dtype}") if words else dtype


def check_header(header: Mapping[str, Mapping], family: str, config: dict, dtype: str = "float16") -> None:
    """The tensors the header lists are exactly those ``config`` implies, with their shapes and dtype."""
    schema = SCHEMAS[family]
    expected = schema.tensors(config)
    if missing := sorted(set(expected) - set(header)):
        one, more = (
            ("tensor %s is missing", "model_tensor_missing"),
            ("tensors %s are missing", "model_tensors_missing"),
        )
        raise unlike_settings(_tensors_said(missing, one, more))
    if extra := sorted(set(header) - set(expected)):
        one, more = (
            ("unexpected tensor %s", "model_tensor_unexpected"),
            ("unexpected tensors %s", "model_tensors_unexpected"),
        )
        raise unlike_settings(_tensors_said(extra, one, more))
    want = "I64" if schema.integer_tensors else FLOAT_DTYPES.get(dtype, "F16")
    for name, shape in expected.items():
        got = header[name]
        if got["dtype"] != want:
            stored, wanted = _dtype_said(got["dtype"]), _dtype_said(want)
            words = f'tensor "{name}" is stored as {_said(stored)}, not as {_said(wanted)}'
            raise unlike_settings(
                reason(words, "model_tensor_dtype", tensor=name, stored=stored, wanted=wanted)
            )
        if shape is None:
            if len(got["shape"]) != 1:
                words = f'table "{name}" has shape {got["shape"]}, not a single row'
                raise unlike_settings(reason(words, "model_table_shape", table=name, shape=str(got["shape"])))
        elif tuple(got["shape"]) != shape:
            found, implied = str(got["shape"]), str(list(shape))
            words = f'tensor "{name}" has shape {found}, the settings imply {implied}'
            raise unlike_settings(
                reason(words, "model_tensor_shape", tensor=name, shape=found, implied=implied)
            )


# -- 3. the values -----------------------------------------------------------------------------------------


def check_values(family: str, config: dict, tensors: Mapping[str, object]) -> None:
    """Every weight finite and of a trained size; the Markov tables sorted, in range and consistent."""
    if SCHEMAS[family].integer_tensors:
        _check_markov(config, {k: np.asarray(v) for k, v in tensors.items()})
        return
    for name, t in sorted(tensors.items()):
        a = np.asarray(t)
        if a.size == 0:
            continue
        if not np.isfinite(a).all():
            words = f'tensor "{name}" holds values that are not numbers (NaN or infinite)'
            raise damaged(reason(words, "model_tensor_not_numbers", tensor=name))
        biggest = float(np.abs(a).max())
        if biggest > MAX_ABS_WEIGHT:
            weight = f"{biggest:.3g}"
            words = (
                f'tensor "{name}" holds a weight of {weight}, far beyond what training gives (flipped bits?)'
            )
            raise damaged(reason(words, "model_tensor_weight_too_big", tensor=name, weight=weight))


def _counts_damaged(run: int, what: str, code: str) -> Problem:
    """A Markov model's counts of ``run``-token runs break one of its invariants (``what``, in words)."""
    return damaged(reason(f"its counts of {run}-token runs {what}", code, run=run))


def _check_markov(config: dict, t: Mapping[str, np.ndarray]) -> None:
    """The invariants ``MarkovModel.fit`` and ``prune`` keep: each context's total is the sum of its kept
    n-gram counts, and every kept n-gram's context is listed; a flipped bit breaks one of them."""
    v = config["vocab_size"]
    grams = int(t["k0.ctx_totals"].sum()) if t["k0.ctx_totals"].size else 0  # tokens counted in training
    for k in range(config["order"]):
        g, counts, ctx, totals, types = (t[f"k{k}.{n}"] for n in MARKOV_TABLE)
        run = k + 1
        if g.size != counts.size or ctx.size != totals.size or ctx.size != types.size:
            raise _counts_damaged(run, "have tables of different lengths", "model_counts_lengths")
        if g.size == 0:
            if ctx.size:
                raise _counts_damaged(run, "do not match their list of contexts", "model_counts_contexts")
            continue
        if (np.diff(g) <= 0).any() or (np.diff(ctx) <= 0).any():
            raise _counts_damaged(run, "are out of order", "model_counts_order")
        if g[0] < 0 or g[-1] >= v**run or (ctx.size and (ctx[0] < 0 or ctx[-1] >= v**k)):
            raise _counts_damaged(run, "name tokens outside the vocabulary", "model_counts_outside")
        if (counts < 1).any() or (totals < 1).any() or (types < 1).any():
            raise _counts_damaged(run, "hold counts below one", "model_counts_below_one")
        listed, first, per = np.unique(g // v, return_index=True, return_counts=True)
        if not np.array_equal(listed, ctx):
            raise _counts_damaged(run, "do not match their list of contexts", "model_counts_contexts")
        if not np.array_equal(np.add.reduceat(counts, first), totals):
            raise _counts_damaged(run, "do not add up to their totals", "model_counts_totals")
        if (types < per).any() or (types > v + grams).any():
            raise _counts_damaged(
                run, "have impossible numbers of different next tokens", "model_counts_types"
            )
