"""Learned styles: the user's own styles, made by ``musestudio-cli learn`` or "Learn a style..." (issue 16).

A learned style is two files in ``<user data>/styles/``: ``<id>.safetensors`` holds small low-rank weight
changes (LoRA, ``models/lora.py``) for one or more base models, and ``<id>.json`` says what they were learned
from and on: the built-in style they start from (its conditioning token is what the tuned model is
prompted with), each base model's file hash (a style is refused for another base model: the low-rank
changes only make sense on the weights they were trained against), the method, the files and bars used,
steps, minutes and the held-out NLL before and after, and (format 2) how the Continue transformer's layers
read an onset (``onset_order``: "descending", the tune's note first; a format 1 style reads upward).
Since session 10 the parts model's entry may hold the style's own key prior (``degrees``: {mode: 12 biases},
chosen by takes on the user's files, ``train.key_prior``), which the parts engine uses in place of its
base style's (``styled_meta``); an older style has none and is drawn with its base style's, as before (``styled_meta``). The
format number stays 2: an older version ignores the new key, and both read each other's files.

This module reads, lists, renames, removes, exports and imports those files; it imports neither torch nor
numpy, so the window lists learned styles at start-up cost. Export is one ``.musestyle`` file (a zip of
the two) so a style can be shared as a single attachment.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from musestudio.core.errors import BadInputError, reason
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.files import os_reason, read_input_bytes
from musestudio.ml.styles import STYLES
from musestudio.ml.tokenizer import ONSET_ORDERS

FORMAT = "musestudio-style"
FORMAT_VERSION = 2  # 2: the Continue transformer's layers may read an onset from the top down
READS_VERSIONS = (1, 2)  # a version 1 style has no ``onset_order``: its layers read upward, as the base
MAX_WEIGHTS_BYTES = 4 * 2**20  # the bound on a style file
MAX_META_BYTES = 2**20
EXPORT_SUFFIX = ".musestyle"
#: base models a style can carry layers for: the parts model first (Continue, Add a part, Regenerate),
#: then the single-stream Continue transformer (Continue and Regenerate with the transformer engine)
BASES = ("parts", "continue_transformer")


class StyleError(BadInputError):
    """A learned style is missing, damaged, named twice, or made for another base model."""


@dataclass(frozen=True)
class LearnedStyle:
    """A learned style as its JSON describes it (the weights stay on disk until a model needs them)."""

    name: str
    path: Path  # the stem: <path>.json and <path>.safetensors
    meta: dict

    @property
    def base_style(self) -> str:
        return self.meta["from"]

    @property
    def bases(self) -> tuple[str, ...]:
        """The base models it has layers for, in ``BASES`` order (the first is the headline's)."""
        return tuple(b for b in BASES if b in self.meta.get("models", {}))

    @property
    def weights(self) -> Path:
        return self.path.with_name(self.path.name + ".safetensors")

    @property
    def config(self) -> Path:
        return self.path.with_name(self.path.name + ".json")

    def description(self) -> str:
        """What the picker shows: where it came from, how much, when."""
        m = self.meta
        files, bars = len(m.get("files", ())), m.get("bars", 0)
        date = str(m.get("created", ""))[:10]
        base = STYLES[self.base_style].label if self.base_style in STYLES else self.base_style
        return f"Learned from {files} file{'s' * (files != 1)}, {bars} bars, on {date} (starts from {base})."


def styles_dir(create: bool = True) -> Path:
    """``<user data>/styles``; listing does not create it (``create=False``), writing does."""
    from musestudio import paths

    path = paths.user_data_dir() / "styles"
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def slug(name: str) -> str:
    """A file name for ``name``: lower-case letters, digits and dashes, plus a short hash so two names that
    fold to the same letters ("Jig!" and "jig") never share a file."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "style"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def check_name(name: str) -> str:
    """``name`` stripped, or a StyleError saying why it cannot name a style."""
    name = name.strip()
    if not name:
        raise StyleError("a learned style needs a name", "no_name")
    if len(name) > 60:
        raise StyleError("a style name can be at most 60 characters", "name_too_long", most=60)
    if any(ord(c) < 32 for c in name):
        raise StyleError("a style name cannot hold control characters", "name_control_characters")
    if is_built_in(name):
        raise StyleError(f"{name!r} is a built-in style; choose another name", "name_built_in", name=name)
    return name


def is_built_in(name: str) -> bool:
    """Whether ``name`` (in any case, spaces around it or not) is a built-in style's id or label."""
    folded = name.strip().casefold()
    return any(folded in (s.name.casefold(), s.label.casefold()) for s in STYLES.values())


def check_meta(meta: object, where: str) -> dict:
    """The checked JSON half (a StyleError names ``where`` and the problem)."""
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise StyleError(f"{where} is not a MuseStudio learned style", "not_a_style", where=where)
    if meta.get("format_version") not in READS_VERSIONS:
        raise StyleError(
            f"{where} has style format {meta.get('format_version')}, this version reads"
            f" {', '.join(map(str, READS_VERSIONS))}: it was made by a newer MuseStudio",
            "newer_format",
            where=where,
            version=str(meta.get("format_version")),
            reads=", ".join(map(str, READS_VERSIONS)),
        )
    name, base, models = meta.get("name"), meta.get("from"), meta.get("models")
    if not isinstance(name, str) or not name.strip():
        raise StyleError(f"{where} has no style name", "meta_no_name", where=where)
    if base not in STYLES:
        raise StyleError(
            f"{where} starts from an unknown built-in style {base!r}",
            "unknown_base_style",
            where=where,
            style=str(base),
        )
    if not isinstance(models, dict) or not models or not set(models) <= set(BASES):
        raise StyleError(
            f"{where} names no base model this version knows ({', '.join(BASES)})",
            "no_known_base_model",
            where=where,
            known=", ".join(BASES),
        )
    for stem, m in models.items():
        if not isinstance(m, dict) or not isinstance(m.get("sha256"), str):
            raise StyleError(
                f"{where}: the entry for {stem} has no base model hash", "no_hash", where=where, model=stem
            )
        if not isinstance(m.get("rank"), int) or not 1 <= m["rank"] <= 64:
            raise StyleError(
                f"{where}: the entry for {stem} has no valid rank", "no_rank", where=where, model=stem
            )
        if m.get("onset_order", "ascending") not in ONSET_ORDERS:
            raise StyleError(
                f"{where}: the entry for {stem} reads onsets in an unknown order",
                "onset_order",
                where=where,
                model=stem,
            )
        degrees = m.get("degrees", {})
        if not isinstance(degrees, dict) or not all(
            mode in ("major", "minor")
            and isinstance(v, list)
            and len(v) == 12
            and all(isinstance(x, int | float) and abs(x) <= 100 for x in v)
            for mode, v in degrees.items()
        ):
            raise StyleError(
                f"{where}: the key prior for {stem} is damaged (12 numbers per mode expected)",
                "key_prior_damaged",
                where=where,
                model=stem,
            )
    # what the style list says of it: a damaged one broke the whole list (`styles` crashed)
    files, bars, created = meta.get("files", []), meta.get("bars", 0), meta.get("created", "")
    for field, sound in (
        ("files", isinstance(files, list) and all(isinstance(f, str) for f in files)),
        ("bars", isinstance(bars, int) and not isinstance(bars, bool) and bars >= 0),
        ("created", isinstance(created, str)),
    ):
        if not sound:
            raise StyleError(
                f"{where}: its '{field}' is damaged", "meta_field_damaged", where=where, field=field
            )
    return meta


def read(stem: Path) -> LearnedStyle:
    config = stem.with_name(stem.name + ".json")
    try:
        if config.stat().st_size > MAX_META_BYTES:
            raise StyleError(
                f"{config} is too large to be a style's settings", "meta_too_large", where=str(config)
            )
        meta = json.loads(config.read_text(encoding="utf-8"))
    except OSError as e:
        why = os_reason(e, reading=True)  # the window words the reason
        raise StyleError(
            f"{config} cannot be read: {why['message']}", "meta_unreadable", where=str(config), why=why
        ) from e
    except (ValueError, UnicodeDecodeError) as e:
        raise StyleError(f"{config} is damaged (not valid JSON)", "meta_not_json", where=str(config)) from e
    meta = check_meta(meta, str(config))
    weights = stem.with_name(stem.name + ".safetensors")
    if not weights.is_file():
        raise StyleError(
            f"the weights of learned style {meta['name']!r} ({weights}) are missing",
            "weights_missing",
            name=meta["name"],
            where=str(weights),
        )
    if weights.stat().st_size > MAX_WEIGHTS_BYTES:
        raise StyleError(
            f"{weights} is larger than a learned style can be (4 MB)", "weights_too_large", where=str(weights)
        )
    return LearnedStyle(meta["name"], stem, meta)


def all_styles(folder: Path | None = None) -> list[LearnedStyle]:
    """Every readable learned style, by name; damaged files are left out (``unusable`` says why)."""
    return sorted(_scan(folder)[0], key=lambda s: s.name.casefold())


def unusable(folder: Path | None = None) -> list[StyleError]:
    """Why each style file that cannot be used cannot: the errors, so the window can word their codes."""
    return _scan(folder)[1]


def problems(folder: Path | None = None) -> list[str]:
    """``unusable`` in English (the command line's words)."""
    return [str(e) for e in unusable(folder)]


def _scan(folder: Path | None) -> tuple[list[LearnedStyle], list[StyleError]]:
    folder = folder or styles_dir(create=False)
    found, bad = [], []
    if not folder.is_dir():
        return found, bad
    for config in sorted(folder.glob("*.json")):
        try:
            found.append(read(config.with_suffix("")))
        except StyleError as e:
            bad.append(e)
    return found, bad


def names() -> tuple[str, ...]:
    return tuple(s.name for s in all_styles())


def find(name: str) -> LearnedStyle | None:
    """The learned style called ``name`` (case as typed, or any case when that is unambiguous)."""
    styles = all_styles()
    exact = [s for s in styles if s.name == name]
    if exact:
        return exact[0]
    folded = [s for s in styles if s.name.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def get(name: str) -> LearnedStyle:
    found = find(name)
    if found is None:
        known = ", ".join(names()) or "none yet"
        raise StyleError(
            f"no learned style called {name!r} (learned styles: {known})",
            "no_such_style",
            name=name,
            known=list(names()),
        )
    return found


def is_learned(style: str) -> bool:
    return style not in STYLES and find(style) is not None


def resolve(style: str) -> tuple[str, LearnedStyle | None]:
    """(the built-in style to condition on, the learned style or None) for a style name from a request:
    a built-in id is itself; a learned style's name is the style it started from, plus its layers."""
    if style in STYLES:
        return style, None
    found = find(style)
    if found is None:
        return style, None  # left for the engine's own "unknown style" message
    return found.base_style, found


def styled_meta(style: LearnedStyle, stem: str, meta: dict) -> dict:
    """The base model's JSON ``meta`` as the model with ``style``'s layers reads it: for the parts model, the
    key prior (``inference.degrees``) of the base style the learned one started from replaced by the style's
    own, mode by mode; a mode it has none of (a style learnt before session 10, or too few notes of the
    mode in its files) keeps the base style's, which was measured closer to the user's files than none on
    three sets (models/README.md, "Learned styles"). The sampler looks the prior up
    by that base style's name, which is what a learned style's takes are prompted with. ``meta`` is not
    changed (the base model's cached copy is shared)."""
    if stem != "parts":
        return meta
    own = (style.meta["models"].get(stem) or {}).get("degrees") or {}
    inference = dict(meta.get("inference") or {})
    table = dict(inference.get("degrees") or {})
    mine = {**(table.get(style.base_style) or {}), **{m: list(v) for m, v in own.items()}}  # check_meta'd
    if mine == table.get(style.base_style, {}):
        return meta
    table[style.base_style] = mine
    inference["degrees"] = table
    return {**meta, "inference": inference}


def file_hash(path: Path) -> str:
    """The SHA-256 of a base model's weights file: what a style records and is checked against."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_base(style: LearnedStyle, stem: str, weights: Path) -> None:
    """Refuse ``style`` for the base model in ``weights`` unless it was learned on exactly that file."""
    entry = style.meta["models"].get(stem)
    if entry is None:
        have = ", ".join(style.bases)
        raise StyleError(
            f"learned style {style.name!r} has no layers for the {stem} model (it was learned for: {have})",
            "no_layers_for_model",
            name=style.name,
            model=stem,
            have=have,
        )
    if file_hash(weights) != entry["sha256"]:
        raise StyleError(
            f"learned style {style.name!r} was made for another {stem} model than the one installed "
            f"(it was learned on a file with hash {entry['sha256'][:12]}; the installed model has changed "
            "since). Learn it again from your files.",
            "other_base_model",
            name=style.name,
            model=stem,
            hash=entry["sha256"][:12],
        )


def unusable_style(style: LearnedStyle, e: Exception) -> StyleError:
    """A style whose weights a model cannot take (damaged past what ``read`` checks); why stays as the
    loader said it."""
    return StyleError(
        f"learned style {style.name!r} cannot be used: {e}", "style_unusable", name=style.name, why=str(e)
    )


def write(stem: Path, meta: dict, weights: bytes) -> LearnedStyle:
    """Write a style's two files, each atomically: the weights first, so a JSON (which is what makes a
    style listed) never points at weights that are not all there."""
    check_meta(meta, "the new style")
    if len(weights) > MAX_WEIGHTS_BYTES:
        raise StyleError(
            "the learned weights are larger than 4 MB; use a lower rank", "learned_weights_too_large"
        )
    _write_file(stem.with_name(stem.name + ".safetensors"), weights)
    data = (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode("utf-8")
    _write_file(stem.with_name(stem.name + ".json"), data)
    return LearnedStyle(meta["name"], stem, meta)


def _write_file(path: Path, data: bytes) -> None:
    """``path`` written atomically; a failure is a StyleError naming the file (not the temporary one the
    OS's error names) and the OS's reason, which the window words in the user's language."""
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise _file_failed("write", path, e) from e


def _delete_file(path: Path) -> None:
    """``path`` deleted (one gone already is as asked); a failure is a StyleError naming it and why."""
    try:
        path.unlink(missing_ok=True)
    except OSError as e:
        raise _file_failed("delete", path, e) from e


def _file_failed(doing: str, path: Path, e: OSError) -> StyleError:
    """A style's file that could not be written or deleted (``doing``: its code is ``cannot_<doing>``),
    named with the OS's reason in a form the window words in the user's language."""
    why = os_reason(e)
    return StyleError(f"cannot {doing} {path}: {why['message']}", f"cannot_{doing}", where=str(path), why=why)


def check_free(name: str) -> str:
    """``name`` stripped, or a StyleError when it cannot name a new style (``check_name``) or is taken: the
    style that has it is named as stored ("My Jigs" for "my jigs" typed), the one the musician has."""
    name = check_name(name)
    taken = find(name)
    if taken is not None:
        raise StyleError(
            f"there is already a learned style called {taken.name!r}: remove or rename it first",
            "name_taken",
            name=taken.name,
        )
    return name


def new_stem(name: str, folder: Path | None = None) -> Path:
    """Where a new style called ``name`` goes; a StyleError when the name is taken."""
    return (folder or styles_dir()) / slug(check_free(name))


def still_free(name: str, stem: Path) -> tuple[str, Path]:
    """``(name, stem)`` while no style has been called ``name`` or written at ``stem`` since ``new_stem``
    gave them (a style imported or renamed while a learning ran), else the first free "name (2)",
    "name (3)"...: a style made meanwhile is never written over."""
    if find(name) is None and not stem.with_name(stem.name + ".json").exists():
        return name, stem
    number = 2
    while True:
        suffix = f" ({number})"
        other = name[: 60 - len(suffix)] + suffix
        if find(other) is None:
            return other, new_stem(other, stem.parent)
        number += 1


def remove(name: str) -> LearnedStyle:
    style = get(name)
    _delete_file(style.config)  # the JSON first: a style without it is no longer listed
    _delete_file(style.weights)
    return style


def rename(old: str, new: str) -> LearnedStyle:
    style = get(old)
    new = check_name(new)
    other = find(new)
    if other is not None and other.path != style.path:
        taken = other.name  # as stored: "My Jigs" for "MY JIGS" typed
        raise StyleError(f"there is already a learned style called {taken!r}", "name_taken", name=taken)
    stem = style.path.with_name(slug(new))
    meta = dict(style.meta, name=new)
    renamed = write(stem, meta, style.weights.read_bytes())
    if stem != style.path:
        _delete_file(style.config)
        _delete_file(style.weights)
    return renamed


def export_path(dest: Path) -> Path:
    """Where a style exported to ``dest`` is written: ``dest`` itself when it already ends in
    ``.musestyle`` in any case (a file the user picked as "Reels.MuseStyle" is that file, not
    "Reels.MuseStyle.musestyle"), else ``dest`` with the suffix added."""
    return dest if dest.suffix.lower() == EXPORT_SUFFIX else dest.with_name(dest.name + EXPORT_SUFFIX)


def export(name: str, dest: Path) -> Path:
    """One ``.musestyle`` file holding both halves, written atomically."""
    style = get(name)
    dest = export_path(dest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("style.json", style.config.read_bytes())
        z.writestr("style.safetensors", style.weights.read_bytes())
    _write_file(dest, buf.getvalue())
    return dest


#: What zipfile, and the decompressors it calls, raise for bytes it cannot read as a zip: a file that is not
#: one, or one damaged: a bad checksum or a part cut short (BadZipFile, EOFError), data that does not
#: inflate (zlib.error, bz2's OSError), an offset out of range (ValueError), flags garbled into encryption
#: or an unknown method (RuntimeError, NotImplementedError). The bytes are in memory: none is the OS's.
_NOT_A_READABLE_ZIP = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


def import_file(src: Path, name: str | None = None) -> LearnedStyle:
    """Add the style in a ``.musestyle`` file (under ``name`` when given, else its own name)."""
    data = read_input_bytes(src, "style_file")  # a pipe or a device is refused, not read for ever
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = {i.filename: i for i in z.infolist()}
            if set(infos) != {"style.json", "style.safetensors"}:
                raise StyleError(f"{src} is not a MuseStudio style file", "not_a_style_file", where=str(src))
            if (
                infos["style.json"].file_size > MAX_META_BYTES
                or infos["style.safetensors"].file_size > MAX_WEIGHTS_BYTES
            ):
                raise StyleError(
                    f"{src} holds files larger than a learned style can be",
                    "style_file_too_large",
                    where=str(src),
                )
            raw_meta, weights = z.read("style.json"), z.read("style.safetensors")
    except _NOT_A_READABLE_ZIP as e:
        why = _zip_reason(e, data)
        raise StyleError(
            f"{src} cannot be read as a style file: {why['message']}",
            "style_file_unreadable",
            where=str(src),
            why=why,
        ) from e
    try:
        meta = json.loads(raw_meta.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise StyleError(
            f"{src} is damaged (its settings are not valid JSON)", "style_file_not_json", where=str(src)
        ) from e
    meta = check_meta(meta, str(src))
    _check_safetensors(weights, str(src))
    meta["name"] = check_name(name or meta["name"])
    return write(new_stem(meta["name"]), meta, weights)


def _zip_reason(e: Exception, data: bytes) -> dict:
    """Why ``data`` could not be read as a zip, shaped as ``BadInputError.as_json`` for the window to word:
    not a zip at all (another kind of file picked: it does not start as every zip does, "PK"), or a zip
    that is damaged. The command line keeps what zipfile said ("File is not a zip file", "Bad CRC-32 for
    file 'style.json'")."""
    code = "style_file_damaged" if data.startswith(b"PK") else "style_file_not_zip"
    return reason(str(e), code, words=str(e))


def _check_safetensors(data: bytes, where: str) -> None:
    """The header of a safetensors blob is a length and JSON: check it parses and its sizes add up."""
    if len(data) < 8:
        raise StyleError(f"{where}: the weights are damaged", "weights_damaged", where=where)
    n = int.from_bytes(data[:8], "little")
    if n <= 0 or 8 + n > len(data):
        raise StyleError(f"{where}: the weights are damaged", "weights_damaged", where=where)
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
        # each tensor's entry a JSON object with its two offsets, as safetensors writes them
        end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
        if not isinstance(end, int):
            raise TypeError(end)
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError, KeyError, IndexError) as e:
        raise StyleError(f"{where}: the weights are damaged", "weights_damaged", where=where) from e
    if 8 + n + end != len(data):
        raise StyleError(
            f"{where}: the weights are damaged (sizes do not add up)", "weights_sizes", where=where
        )


def size_on_disk(style: LearnedStyle) -> int:
    return sum(os.path.getsize(p) for p in (style.config, style.weights) if p.is_file())
