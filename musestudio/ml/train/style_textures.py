"""The style judge's second kind of input: whole textures (a tune with its accompaniment), not just single streams.

The first judge was trained on the single-stream cache, where Celtic, Jazz, Chinese and German are bare
melodies (Nottingham/O'Neill tunes, OpenEWLD lead sheets, Essen songs) and Bach, Palestrina, Classical and
Pop are full textures: to it any accompanied phrase was Classical, Pop or Bach, whatever its tune. A musician
hears a jig with guitar chords under it as a jig. So the judge also learns from:

- **real textures**: the parts cache (``data/parts.py``) with every part merged into one stream: Bach
  chorales, Palestrina, POP909 melody + piano, and the Nottingham and OpenEWLD lead sheets with their chord
  symbols realized (close-position chords on every beat and a root bass, a rule);
- **rule textures of every style**: the top line of single-stream phrases of *each* style, harmonized per half
  bar with the diatonic triads that best hold it (``generate/arrange_harmony.choose_chords``) and realized by
  that same rule (``data.parts.realize_chords``). Without them the rule's texture would appear only under
  Celtic and Jazz tunes, and the judge could learn "block chords on the beat with a root bass = Celtic or
  Jazz": exactly the texture Arrange writes for every style, so it would grant Celtic to any tune arranged
  that way. With the same rule under every style's tunes, the texture says nothing about the style and the
  judge has to hear the tune, the harmony (the lead sheets' real chords, sevenths in jazz) and the idiom's
  own textures (chorale voices, POP909 piano figures, imitative polyphony, quartets).

``TexturedSampler`` draws style-balanced windows from the three pools: a style's phrase is a single stream
with probability ``SINGLE``, else a real texture where the style has one (else a rule texture).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from musestudio.core.keys import detect_key
from musestudio.core.note import Note
from musestudio.core.project import TimeSignature
from musestudio.ml.data.rolls import RollSampler, StepPiece, to_step_piece

SINGLE = 0.5  # share of single-stream phrases (what Restyle's rewrite engines are judged on)
REAL = 0.6  # of the textured rest: real textures where the style has them, the others rule textures
RULE_BARS = 32  # rule textures are made of the first bars of a piece (enough windows, bounded cost)
RULE_PIECES = 200  # at most this many pieces per style get a rule texture


def merged_parts_pieces(split: str, style_ids: Sequence[str], root=None) -> list[StepPiece]:
    """The parts cache's pieces of ``split``, every part merged into one stream, on the step grid."""
    from musestudio.ml.data import parts as parts_data

    out = []
    for p in parts_data.load(root, split=split):
        if p.style not in style_ids:
            continue
        notes = sorted((n for part in p.parts for n in part.notes), key=Note.sort_key)
        sp = to_step_piece(notes, p.tpb, p.time_signatures, list(style_ids).index(p.style))
        if sp is not None:
            out.append(sp)
    return out


def parts_single_streams(split: str, style_ids: Sequence[str], root=None) -> list:
    """Where the single-stream cache lacks a style (it is built source by source), its single streams as
    that cache holds them, from the parts cache (``PartsPiece.as_stream``)."""
    from musestudio.ml.data import parts as parts_data

    pieces = (p for p in parts_data.load(root, split=split) if p.style in style_ids)
    return [s for p in pieces if (s := p.as_stream()) is not None]


def rule_texture(
    notes: Sequence[Note], tpb: int, time_signatures: Sequence[TimeSignature], bars: int = RULE_BARS
) -> list[Note] | None:
    """The top line of the first ``bars`` bars of ``notes`` with chords realized under it by the lead-sheet
    rule (chords chosen from the tune per half bar); None when the tune has no key or too few notes."""
    from musestudio.core.timing import bar_lines
    from musestudio.ml.data.parts import realize_chords
    from musestudio.ml.generate import arrange_harmony as H
    from musestudio.ml.generate.arrange_styles import top_line

    if len(notes) < 8:
        return None
    lines = bar_lines(list(time_signatures), tpb, max(n.end for n in notes))
    cut = lines[min(bars, len(lines) - 1)]
    tune = top_line([n for n in notes if n.start < cut and n.duration > 0])
    if len(tune) < 8:
        return None
    tune = [n.with_duration(min(n.duration, cut - n.start)) for n in tune]
    key = detect_key(tune)
    if key is None:
        return None
    start, end = lines[0], min(cut, max(n.end for n in tune))
    stretches = [(a, b) for a, b in H.spans(time_signatures, tpb, start, cut) if a < end]
    if not stretches:
        return None
    chords = H.choose_chords(tune, [], key, stretches, tpb)
    symbols = []
    for (a, _), c in zip(stretches, chords, strict=True):
        if symbols and symbols[-1][1][0] == c.root:
            continue
        pcs = [c.root, *sorted(c.tones - {c.root}, key=lambda pc: (pc - c.root) % 12)]
        symbols.append((a, pcs, c.root))
    acc, bass = realize_chords(symbols, stretches[-1][1], time_signatures)
    scale = tpb / 480  # realize_chords works at the corpus resolution
    if scale != 1:
        acc_notes = [_rescale(n, scale) for n in (*acc.notes, *bass.notes)]
    else:
        acc_notes = [*acc.notes, *bass.notes]
    return sorted([*tune, *acc_notes], key=Note.sort_key)


def _rescale(n: Note, scale: float) -> Note:
    return Note(n.pitch, round(n.start * scale), max(1, round(n.duration * scale)), n.velocity)


def rule_pieces(pieces, style_ids: Sequence[str], seed: int = 0) -> list[StepPiece]:
    """Rule textures (``rule_texture``) of at most ``RULE_PIECES`` cached single-stream pieces per style."""
    from musestudio.ml.data import corpus

    rng = np.random.default_rng(seed)
    by_style: dict[str, list] = {}
    for p in pieces:
        by_style.setdefault(p.style, []).append(p)
    out = []
    for style, group in by_style.items():
        if style not in style_ids:
            continue
        for i in rng.permutation(len(group))[:RULE_PIECES]:
            p = group[int(i)]
            if p.tpb != corpus.TPB:
                continue
            notes = rule_texture(p.notes, p.tpb, p.time_signatures)
            sp = (
                None
                if notes is None
                else to_step_piece(notes, p.tpb, p.time_signatures, style_ids.index(style))
            )
            if sp is not None:
                out.append(sp)
    return out


MIN_PIECES = 4  # a style with fewer train pieces is not drawn (a handful would teach their quirks)


class TexturedSampler:
    """Style-balanced windows from single streams, real textures and rule textures (see the module).

    A style with fewer than ``MIN_PIECES`` single-stream pieces is left out of the draw: a handful of
    pieces would teach their own quirks, not the style (Classical while the cache is being built).
    ``last_kinds`` says which pool each row of the last draw came from (the distillation term's rows)."""

    def __init__(
        self, single: RollSampler, real: RollSampler, rule: RollSampler, single_share: float = SINGLE
    ):
        self.pools = [single, real, rule]
        self.single_share = single_share
        self.styles = [s for s in single.styles if len(single.by_style[s]) >= MIN_PIECES]

    def _kind(self, rng: np.random.Generator, style: int) -> int:
        have = [style in s.styles for s in self.pools]
        if have[0] and (rng.random() < self.single_share or not (have[1] or have[2])):
            return 0
        if have[1] and (rng.random() < REAL or not have[2]):
            return 1
        return 2 if have[2] else 0

    def sample(self, rng: np.random.Generator, batch: int, n_steps: int, transpose: int = 0, styles=None):
        chosen = styles if styles is not None else rng.choice(self.styles, size=batch)
        xs, ys, kinds = [], [], []
        for s in chosen:
            kind = self._kind(rng, int(s))
            x, y = self.pools[kind].sample(rng, 1, n_steps, transpose, styles=[int(s)])
            xs.append(x[0])
            ys.append(int(y[0]))
            kinds.append(kind)
        self.last_kinds = np.array(kinds)  # 0 single stream, 1 real texture, 2 rule texture
        return np.stack(xs), np.array(ys, dtype=np.int64)
