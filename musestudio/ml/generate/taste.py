"""The user's taste: what they keep and what they throw away, learned and used to re-rank new takes.

Every keep or discard in the Takes panel is a labelled example: the take's features and whether it was
kept. The features are a few statistics a musician would name (density, register, range, note lengths,
rhythm, steps against leaps, chords) plus, when the Continue seq2seq model is installed, its encoder's
phrase embedding (``generate.phrase_embedding``), which places phrases with the same motifs and feel close
together; it enters as one number, how much closer a take lies to the kept takes than to the discarded
ones. A logistic regression with a strong L2 penalty over these, refitted on every query (a few hundred
examples at most, a dozen columns: milliseconds), gives the probability the user would keep a new take.

Taste only speaks once it has heard both a keep and a discard, and its say in the ranking grows with the
number of decisions (``taste_weight``), so a first generation is ranked by the critic alone. The decisions
live in one JSON file under the user data folder; "forget my taste" deletes it. A file that cannot be used
(damaged, hand-edited, from another version) is moved aside, never overwritten, and taste starts afresh with
a note for the user (``Taste.note``). Qt-free and torch-free.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.core.timing import bar_ticks, signature_at
from musestudio.io.atomic import atomic_write_bytes
from musestudio.io.userdata import TASTE_FILE, TASTE_VERSION, read_taste_file

if TYPE_CHECKING:  # numpy is imported where it computes: loading, recording and copying a taste
    import numpy as np  # stay numpy-free, so the app's start-up warm-up has nothing to import for it

FILE_NAME = TASTE_FILE
VERSION = TASTE_VERSION
MAX_DECISIONS = 500  # the oldest are dropped: taste drifts, and refitting stays instant
FULL_WEIGHT_AFTER = 12  # decisions after which taste has its full say
MAX_WEIGHT = 0.5  # never more than half of the rank: the critic still guards against nonsense
L2 = 1.0
STAT_NAMES = (
    "notes per bar",
    "mean pitch",
    "pitch range",
    "mean length",
    "length spread",
    "on-beat onsets",
    "steps",
    "leaps",
    "notes per onset",
    "silence",
)


@dataclass(frozen=True)
class TakeFeatures:
    stats: tuple[float, ...]
    embedding: tuple[float, ...] = ()

    def unit_embedding(self) -> np.ndarray:
        import numpy as np  # here, not at the top: see TYPE_CHECKING above

        emb = np.asarray(self.embedding, dtype=np.float64)
        return emb / (np.sqrt((emb * emb).sum()) or 1.0)


def take_features(
    notes: Sequence[Note],
    *,
    tpb: int,
    time_signatures: Sequence[TimeSignature] = (TimeSignature(0),),
    embedding: Sequence[float] = (),
) -> TakeFeatures:
    """The statistics of a take (each scaled to roughly 0..1) and its phrase embedding, if given."""
    import numpy as np  # here, not at the top: see TYPE_CHECKING above

    if not notes:
        return TakeFeatures((0.0,) * len(STAT_NAMES), tuple(embedding))
    notes = sorted(notes, key=Note.sort_key)
    start, end = notes[0].start, max(n.end for n in notes)
    bar = bar_ticks(signature_at(time_signatures, start), tpb)
    bars = max(1.0, (end - start) / bar)
    pitches = np.array([n.pitch for n in notes], dtype=np.float64)
    lengths = np.log2(np.array([n.duration for n in notes], dtype=np.float64) / tpb)  # 0 = a beat
    onsets = sorted({n.start for n in notes})
    top = [max(n.pitch for n in notes if n.start == t) for t in onsets]  # the melody: highest at each onset
    intervals = np.abs(np.diff(top)) if len(top) > 1 else np.zeros(1)
    covered = _covered(notes)
    stats = (
        min(len(notes) / bars / 16.0, 2.0),
        (pitches.mean() - 60.0) / 24.0,
        (pitches.max() - pitches.min()) / 24.0,
        (lengths.mean() + 2.0) / 4.0,
        lengths.std() / 2.0,
        float(np.mean([t % tpb == 0 for t in onsets])),
        float(np.mean(intervals <= 2)),
        float(np.mean(intervals > 5)),
        len(notes) / len(onsets) / 4.0,
        1.0 - covered / max(1, end - start),
    )
    return TakeFeatures(tuple(float(s) for s in stats), tuple(float(e) for e in embedding))


def _covered(notes: Sequence[Note]) -> int:
    """Ticks during which at least one note sounds."""
    total, reach = 0, -1
    for n in notes:  # sorted by start
        if n.end > reach:
            total += n.end - max(n.start, reach)
            reach = n.end
    return total


@dataclass(frozen=True)
class Ranked:
    index: int  # position in the list given to ``rank``
    score: float  # what the list is sorted by
    critic: float
    taste: float | None  # probability of a keep, None while taste has nothing to say
    weight: float  # taste's share of ``score``

    @property
    def why(self) -> str:
        """Which judge put the take where it is, in words."""
        if self.taste is None:
            return "critic"
        lift = self.weight * (self.taste - self.critic)
        if abs(lift) < 0.03:
            return "critic and taste agree"
        return "taste ranks it higher" if lift > 0 else "taste ranks it lower"


@dataclass
class Taste:
    """The decisions so far, the preference model over them, and the file they are kept in."""

    path: Path | None = None
    decisions: list[dict] = field(default_factory=list)
    note: str | None = field(default=None, compare=False)  # what the user should hear about the file

    @classmethod
    def load(cls, path: Path | None = None) -> Taste:
        """The taste stored at ``path`` (default: the user data folder). A damaged file counts as none: it
        is moved aside (``taste.json.damaged-<time>``, the user's decisions kept there, a note beside it) by
        ``userdata.read_taste_file``, the one place that does, and ``note`` says so.
        """
        if path is None:
            from musestudio.paths import user_data_dir

            path = user_data_dir() / FILE_NAME
        taste = cls(path)
        found = read_taste_file(path, stats=len(STAT_NAMES))
        taste.decisions = found.decisions[-MAX_DECISIONS:]
        if found.moved is not None:
            taste.note = (
                f"Your taste file could not be used ({found.moved.problem}); it was moved to "
                f"{found.moved.moved_to} and your taste starts afresh."
            )
        elif found.stuck is not None:
            taste.note = (
                f"Your taste file {path} could not be used ({found.stuck}): takes are ranked by the "
                "critic and your keeps are not saved."
            )
            taste.path = None  # never write over a file we could not read
        return taste

    def pop_note(self) -> str | None:
        """The note about the taste file, once (then it is said)."""
        note, self.note = self.note, None
        return note

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"version": VERSION, "decisions": self.decisions}
            atomic_write_bytes(self.path, json.dumps(data).encode("utf-8"))

    def record(self, features: TakeFeatures | None, kept: bool, style: str, engine: str = "") -> None:
        """Remember a keep or discard; a take without features (listed again from a recovery copy) teaches
        nothing."""
        if features is None:
            return
        self.decisions.append(
            {
                "kept": bool(kept),
                "style": style,
                "engine": engine,
                "time": round(time.time()),
                "stats": list(features.stats),
                "embedding": list(features.embedding),
            }
        )
        del self.decisions[:-MAX_DECISIONS]
        self.save()

    def withdraw(self, features: TakeFeatures | None, kept: bool) -> bool:
        """Take back the latest decision about this take (its keep was undone): the taste learns only what
        the user stood by. False when there is none (e.g. the taste was forgotten since)."""
        if features is None:
            return False
        stats = list(features.stats)
        for i in range(len(self.decisions) - 1, -1, -1):
            d = self.decisions[i]
            if d["kept"] == bool(kept) and d["stats"] == stats:
                del self.decisions[i]
                self.save()
                return True
        return False

    def snapshot(self) -> Taste:
        """A copy of the decisions so far that saves nowhere (for ranking on another thread)."""
        return Taste(None, list(self.decisions))

    def forget(self) -> None:
        """Forget every decision, on disk too."""
        self.decisions = []
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    # -- the preference model ------------------------------------------------------------------------
    def taste_weight(self) -> float:
        if not self._both_kinds(self.decisions):
            return 0.0
        return MAX_WEIGHT * min(1.0, len(self.decisions) / FULL_WEIGHT_AFTER)

    @staticmethod
    def _both_kinds(decisions: Sequence[dict]) -> bool:
        kinds = {d["kept"] for d in decisions}
        return kinds == {True, False}

    def keep_probabilities(self, takes: Sequence[TakeFeatures]) -> list[float] | None:
        """For each take, the probability the user keeps it; None until there is a keep and a discard."""
        import numpy as np  # here, not at the top: see TYPE_CHECKING above

        if not takes:
            return []
        if not self._both_kinds(self.decisions):
            return None
        x = np.array([d["stats"] for d in self.decisions], dtype=np.float64)
        y = np.array([d["kept"] for d in self.decisions], dtype=np.float64)
        q = np.array([t.stats for t in takes], dtype=np.float64)
        likeness = self._likeness(takes)
        if likeness is not None:
            x, q = np.hstack([x, likeness[0][:, None]]), np.hstack([q, likeness[1][:, None]])
        mean, std = x.mean(axis=0), x.std(axis=0) + 0.1
        w, b = _fit_logistic((x - mean) / std, y)
        return [float(p) for p in _sigmoid((((q - mean) / std) * w).sum(axis=1) + b)]

    def _likeness(self, takes: Sequence[TakeFeatures]) -> tuple[np.ndarray, np.ndarray] | None:
        """How much more each decision's and each take's embedding resembles the kept takes than the
        discarded ones (cosine to each group's mean), or None without embeddings to compare.

        One number instead of the whole embedding: with a few dozen decisions a regression over hundreds of
        dimensions would learn noise, and its linear algebra is slow on a busy machine. A take or decision
        without an embedding of the usual width (an empty take has none) is neutral, 0.
        """
        import numpy as np  # here, not at the top: see TYPE_CHECKING above

        widths = [len(t.embedding) for t in takes if t.embedding]
        width = max(set(widths), key=widths.count) if widths else 0
        known = [d for d in self.decisions if width and len(d.get("embedding", ())) == width]
        if not self._both_kinds(known):
            return None
        units = np.stack([TakeFeatures((), tuple(d["embedding"])).unit_embedding() for d in known])
        kept = np.array([d["kept"] for d in known])
        liked, disliked = units[kept].mean(axis=0), units[~kept].mean(axis=0)

        def like(u: np.ndarray) -> float:
            return float((u * liked).sum() - (u * disliked).sum())

        by_id = {id(d): like(u) for d, u in zip(known, units, strict=True)}
        decisions = np.array([by_id.get(id(d), 0.0) for d in self.decisions])  # no embedding: neutral
        neutral = [like(t.unit_embedding()) if len(t.embedding) == width else 0.0 for t in takes]
        return decisions, np.array(neutral)

    def rank(self, critic: Sequence[float], takes: Sequence[TakeFeatures]) -> list[Ranked]:
        """The takes best first: the critic's score blended with the keep probability by ``taste_weight``."""
        probs = self.keep_probabilities(takes)
        weight = self.taste_weight() if probs is not None else 0.0
        ranked = []
        for i, c in enumerate(critic):
            t = probs[i] if probs is not None else None
            score = c if t is None else (1 - weight) * c + weight * t
            ranked.append(Ranked(i, score, c, t, weight))
        ranked.sort(key=lambda r: -r.score)
        return ranked

    def suggest_style(
        self, seed_probabilities: Mapping[str, float] | None, styles: Sequence[str]
    ) -> str | None:
        """A style for a new seed: what the seed sounds like (the classifier), leaning to styles whose
        takes the user keeps. None when there is nothing to go on."""
        if not styles or (not seed_probabilities and not self.decisions):
            return None
        prior = seed_probabilities or {}

        def score(style: str) -> float:
            mine = [d["kept"] for d in self.decisions if d["style"] == style]
            keep_rate = (sum(mine) + 1) / (len(mine) + 2)  # Laplace: an untried style counts as even
            return prior.get(style, 1.0 / len(styles)) * keep_rate

        return max(styles, key=score)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    import numpy as np  # here, not at the top: see TYPE_CHECKING above

    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 1000) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by plain gradient descent, in elementwise numpy only.

    No BLAS or LAPACK on purpose: this runs on the generation's worker thread beside torch, and OpenBLAS
    waking its own threads on the busy 2-core machine made a Newton fit over the raw embedding take seconds
    (9.5 s for 25 solves of 522 columns). With a dozen columns and at most MAX_DECISIONS rows, a thousand
    elementwise steps take a few milliseconds and reach the same weights.
    """
    import numpy as np  # here, not at the top: see TYPE_CHECKING above

    n, d = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, L2 / n)  # L2 on the summed loss, as a share of the mean loss
    reg[-1] = 0.0  # the bias is not shrunk
    step = 1.0 / (0.25 * (xa * xa).sum(axis=1).max() + reg.max())  # 1 / the gradient's Lipschitz bound
    for _ in range(iterations):
        p = _sigmoid((xa * w).sum(axis=1))
        w -= step * ((xa * (p - y)[:, None]).mean(axis=0) + reg * w)
    return w[:-1], float(w[-1])
