"""Training data: every source parsed once into a compact note cache, split by SPLITS.md's rule.

music21 is slow (minutes for the corpus), so parsing (``corpus.py``) happens once, in worker processes,
one shard per source file: an interrupted build resumes where it stopped, and a bad tune costs only itself.
Shards are gzip JSON (notes as flat int lists, ticks at 480 per quarter) in the user cache folder, never in
git: ``v{CACHE_VERSION}/{source folder}/``, where the source folder carries the source's reader version
(``corpus.source_dir``), so a change to one source's reader rebuilds that source only.

CLI: ``python -m musestudio.ml.data build|stats [--cache-dir D] [--sources ...] [--workers N]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.data import corpus
from musestudio.ml.styles import STYLES

CACHE_VERSION = 1
SPLITS = ("train", "valid", "test")


def split_of(key: str) -> str:
    """SPLITS.md's rule: sha1 of the piece key mod 20; 0 is test, 1 is valid, the rest train."""
    h = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 20
    return "test" if h == 0 else "valid" if h == 1 else "train"


@dataclass(frozen=True, slots=True)
class PieceFacts:
    """What every cached piece knows besides its music: its name, style, split and resolution, then (by
    keyword) its meters, tempo and key. ``Piece`` adds one stream of notes, ``data.parts.PartsPiece`` the
    notes per part; both say where their music ends through ``all_notes``."""

    key: str
    style: str
    split: str
    tpb: int
    time_signatures: tuple[TimeSignature, ...] = field(kw_only=True)
    tempo_bpm: float = field(kw_only=True)
    key_signature: KeySignature | None = field(kw_only=True)

    def all_notes(self) -> Iterable[Note]:
        raise NotImplementedError

    @property
    def end(self) -> int:
        return max((n.end for n in self.all_notes()), default=0)


@dataclass(frozen=True, slots=True)
class Piece(PieceFacts):
    notes: tuple[Note, ...]

    def all_notes(self) -> Iterable[Note]:
        return self.notes


def default_cache_dir() -> Path:
    if env := os.environ.get("MUSESTUDIO_CACHE"):
        return Path(env)
    return Path(platformdirs.user_cache_dir("musestudio", appauthor=False)) / "data"


def _decode_piece(d: dict) -> Piece:
    flat = d["notes"]
    notes = tuple(Note(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4))
    return Piece(
        key=d["key"],
        style=d["style"],
        split=split_of(d["key"]),
        tpb=d["tpb"],
        notes=notes,
        time_signatures=tuple(TimeSignature(*t) for t in d["ts"]),
        tempo_bpm=float(d["tempo"]),
        key_signature=KeySignature(*d["ksig"]) if d["ksig"] else None,
    )


# -- the cache -----------------------------------------------------------------------------------------


def shard_file(folder: Path, source: str, key_prefix: str) -> Path:
    """The shard one source file's pieces are cached in, under ``folder``: named by the file's key, cut to
    a length any file system takes, with a digest so that two keys cut alike never share a shard. The
    parts cache (``data/parts.py``) names its shards by the same rule."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", key_prefix)[-120:]
    digest = hashlib.sha1(key_prefix.encode()).hexdigest()[:8]
    return folder / corpus.source_dir(source) / f"{safe}-{digest}.json.gz"


def write_shard(out: Path, source: str, key_prefix: str, pieces: list, errors: list) -> None:
    """One source file's parsed pieces (and why some could not be) written to ``out`` whole or not at all:
    a build stopped half way leaves a ``.tmp``, never a shard a later build would take as done."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump({"source": source, "file": key_prefix, "pieces": pieces, "errors": errors}, f)
    tmp.replace(out)


def _shard_path(cache_dir: Path, source: str, key_prefix: str) -> Path:
    return shard_file(cache_dir / f"v{CACHE_VERSION}", source, key_prefix)


def _build_one(job: tuple[str, str, str, str]) -> tuple[str, int, int]:
    source, path, key_prefix, cache_dir = job
    pieces, errors = corpus.parse_file(source, Path(path), key_prefix)
    write_shard(_shard_path(Path(cache_dir), source, key_prefix), source, key_prefix, pieces, errors)
    return source, len(pieces), len(errors)


def build_cache(
    cache_dir: Path | None = None,
    sources: Sequence[str] | None = None,
    workers: int = 2,
    limit: int | None = None,
) -> None:
    """Parse every pending source file into its shard; files with a shard already are skipped (resume)."""
    import multiprocessing

    from tqdm import tqdm

    cache_dir = cache_dir or default_cache_dir()
    jobs = []
    for source in sources or corpus.SOURCES:
        files = corpus.source_files(source)[:limit]
        for path, key_prefix in files:
            if not _shard_path(cache_dir, source, key_prefix).exists():
                jobs.append((source, str(path), key_prefix, str(cache_dir)))
    jobs.sort(key=lambda j: -Path(j[1]).stat().st_size)  # big files first: the pool ends evenly loaded
    if not jobs:
        print("cache complete:", cache_dir)
        return
    counts: Counter[str] = Counter()
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=50) as pool:
        bar = tqdm(pool.imap_unordered(_build_one, jobs), total=len(jobs), unit="file", file=sys.stderr)
        for source, n, n_err in bar:
            counts[source] += n
            counts["errors"] += n_err
            bar.set_postfix(
                pieces=sum(v for k, v in counts.items() if k != "errors"), errors=counts["errors"]
            )
    print("built:", dict(counts), "in", cache_dir)


def load_cache(
    cache_dir: Path | None = None,
    split: str | None = None,
    styles: Iterable[str] | None = None,
) -> list[Piece]:
    """Pieces from the cache, optionally only one split and some styles, in a stable order (by key)."""
    root = (cache_dir or default_cache_dir()) / f"v{CACHE_VERSION}"
    wanted = set(styles) if styles is not None else None
    sources = [s for s, st in corpus.SOURCES.items() if wanted is None or st in wanted]
    pieces = []
    for source in sources:
        for shard in sorted((root / corpus.source_dir(source)).glob("*.json.gz")):
            with gzip.open(shard, "rt", encoding="utf-8") as f:
                for d in json.load(f)["pieces"]:
                    if split is None or split_of(d["key"]) == split:
                        pieces.append(_decode_piece(d))
    pieces.sort(key=lambda p: p.key)
    return pieces


def cache_errors(cache_dir: Path | None = None) -> dict[str, list[str]]:
    root = (cache_dir or default_cache_dir()) / f"v{CACHE_VERSION}"
    out: dict[str, list[str]] = defaultdict(list)
    shards = (
        s for source in corpus.SOURCES for s in sorted((root / corpus.source_dir(source)).glob("*.json.gz"))
    )
    for shard in shards:
        with gzip.open(shard, "rt", encoding="utf-8") as f:
            d = json.load(f)
        out[d["source"]].extend(d["errors"])
    return dict(out)


def stats(pieces: Iterable[Piece]) -> dict[str, dict[str, dict[str, float]]]:
    """Pieces, notes and quarter notes per style and split."""
    table: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(float))
    )
    for p in pieces:
        row = table[p.style][p.split]
        row["pieces"] += 1
        row["notes"] += len(p.notes)
        row["quarters"] += p.end / p.tpb
    return {s: {sp: dict(v) for sp, v in d.items()} for s, d in table.items()}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m musestudio.ml.data", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("build", "stats"))
    ap.add_argument("--cache-dir", type=Path, default=None)
    ap.add_argument("--sources", nargs="*", choices=list(corpus.SOURCES), default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--limit", type=int, default=None, help="at most this many files per source (a quick sample)"
    )
    args = ap.parse_args(argv)
    if args.command == "build":
        build_cache(args.cache_dir, args.sources, args.workers, args.limit)
        return 0
    pieces = load_cache(args.cache_dir)
    table = stats(pieces)
    print(f"{'style':<11}{'split':<7}{'pieces':>8}{'notes':>10}{'quarters':>10}")
    for style_name in STYLES:
        for sp in SPLITS:
            row = table.get(style_name, {}).get(sp)
            if row:
                print(
                    f"{style_name:<11}{sp:<7}{row['pieces']:>8.0f}{row['notes']:>10.0f}{row['quarters']:>10.0f}"
                )
    for source, errs in cache_errors(args.cache_dir).items():
        if errs:
            print(f"{source}: {len(errs)} unread, e.g. {errs[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
