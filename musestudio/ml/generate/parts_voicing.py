"""Voice-leading rules for single-line harmony and bass parts, applied while sampling (issue 13, point 6).

A chorale harmonizer's textbook rules, as a logits mask on top of the stream's grammar (``parts_stream``), for
the harmony and bass lines of an all-single-line texture (SATB, a string quartet, melody and bass), each
giving way when it would leave nothing to write (a note is better than none):

- **No parallel fifths or octaves.** A new note of a harmony or bass line may not make a perfect fifth or
  octave (or unison) with another single line by similar motion from the same interval, neither against
  that line's note at the new note's previous onset nor at the previous beat. Checked against every part
  already known (given, or written earlier by the same take), so each pair is checked once, by the part
  written second.
- **Chord tones on the beat.** A note struck on a beat makes, with what sounds there, a triad or seventh
  chord that the parts still to be written there can complete (the last one written completes it), else
  at least a subset of one; a pitch of the key (harmonic minor's leading tone included) where the chord
  allows one.
- **Non-chord tones are short and the voices do not drop out**: a note struck between beats ends by the
  next beat (passing and neighbour notes), a held note is a chord tone at the beats it sounds over, and a
  line goes on without a rest while the given parts sound (a chorale voice rests only where the tune does).

Parts in any other texture (an accompaniment's chords with a bass under them) are left to the network:
there a bass doubling the tune in octaves for a while is a style, and the rules cost the pop
accompaniment's fit to the melody 2 points in the evaluation.

One more rule holds for every single line, of any role: **long notes on the beat, as in the seed**. Where
the seed strikes every note of a beat or longer on a beat, a note struck between beats is shorter than a
beat (a tune's rhythmic habit, in 3/4 and 6/8 above all; a syncopating seed keeps its syncopations).

``Options.voice_leading=False`` (the CLI's ``--free-voices``) turns them all off.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from musestudio.core.timing import felt_beat_ticks, signature_at
from musestudio.ml.tokenizer import DURATIONS, GRID, MAX_BAR_STEPS

RULED_ROLES = ("harmony", "bass")
TRIADS = ((0, 4, 7), (0, 3, 7), (0, 3, 6), (0, 4, 8))
SEVENTHS = ((0, 4, 7, 10), (0, 4, 7, 11), (0, 3, 7, 10), (0, 3, 6, 10), (0, 3, 6, 9))
_PITCHES = np.arange(128)
CHORDS = frozenset(frozenset((r + i) % 12 for i in iv) for r in range(12) for iv in (*TRIADS, *SEVENTHS))


def missing(pcs: set[int]) -> int:
    """How many pitch classes, at the fewest, make these a triad or seventh chord (99: none contains them)."""
    return _missing(frozenset(pcs))


@functools.lru_cache(maxsize=4096)
def _missing(pcs: frozenset[int]) -> int:  # asked 12 times a beat while sampling: remembered
    return min((len(c) - len(pcs) for c in CHORDS if pcs <= c), default=99)


@dataclass
class _Line:
    """A part's notes in grid steps from the piece's start: (start, end, pitch), sorted by start."""

    notes: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, start: int, end: int, pitch: int) -> None:
        bisect.insort(self.notes, (start, end, pitch))

    def at(self, t: int) -> int | None:
        """The pitch sounding at step t: the last note struck at or before t, while it lasts (a single line,
        written to MIDI legato: a later onset ends the note before it; of two struck at once, the higher)."""
        i = bisect.bisect_right(self.notes, (t, 1 << 30, 1 << 30))
        if not i:
            return None
        s, e, p = self.notes[i - 1]
        return p if e > t else None

    def before(self, t: int) -> tuple[int, int, int] | None:
        """The last note struck before step t."""
        i = bisect.bisect_left(self.notes, (t, -1, -1))
        return self.notes[i - 1] if i else None

    def last_end(self, t: int) -> int | None:
        """Where the last note struck before t ends (a single line: a later onset cuts an earlier note, so
        only the last one counts; None: nothing struck before t)."""
        i = bisect.bisect_left(self.notes, (t, -1, -1))
        if not i:
            return None
        last = self.notes[i - 1][0]
        return max(e for s, e, _ in self.notes[max(0, i - 8) : i] if s == last)


class VoiceLeading:
    """The rules for one sampling pass: the given parts (model order), which parts this pass writes, and
    per row the notes it has written. Called by ``StreamGrammar`` (``rules``)."""

    def __init__(self, job, parts_now, starts: Sequence[int], plan: Sequence, rows: int) -> None:
        tpb = job.tpb
        self.roles = [p.role for p in job.parts]
        self.mono = list(job.mono)
        self.step = lambda tick: round(tick * GRID / tpb)
        cells = [c for c in plan if hasattr(c, "bar_steps")]
        self.written_parts = {c.part for c in cells}
        self.chorale = all(self.mono) and len(self.mono) >= 2
        self.ruled = {k for k in self.written_parts if self.chorale and self.roles[k] in RULED_ROLES}
        self.origin = {c.bar: self.step(starts[c.bar]) for c in cells}
        self.beat = {}
        for c in cells:
            sig = signature_at(job.sigs, starts[c.bar])
            self.beat[c.bar] = felt_beat_ticks(sig.numerator, sig.denominator, GRID)
            if self.chorale and c.part in self.ruled:  # room for a passing note a beat: no forced rests
                c.max_notes = max(c.max_notes, 2 * c.bar_steps // self.beat[c.bar])
        # per plan index of a cell: the parts whose cell in the same bar comes later (unknown there)
        self.pending: dict[int, set[int]] = {}
        for i, c in enumerate(plan):
            if hasattr(c, "bar_steps"):
                later = plan[i + 1 :]
                self.pending[id(c)] = {x.part for x in later if hasattr(x, "bar_steps") and x.bar == c.bar}
        base = []
        for p in parts_now:
            line = _Line()
            for n in p.notes:
                line.add(self.step(n.start), max(self.step(n.start) + 1, self.step(n.end)), n.pitch)
            base.append(line)
        self.lines = [[_Line(list(x.notes)) for x in base] for _ in range(rows)]
        key = job.key
        scale = set(range(12)) if key is None else {pc for pc in range(12) if key.contains(pc)}
        if key is not None and key.mode == "minor":
            scale.add((key.tonic + 11) % 12)  # the leading tone of harmonic minor
        self.in_key = np.array([p % 12 in scale for p in range(128)])
        # single lines whose seed strikes every note of a beat or longer on a beat (at least two of them)
        self.long_on_beat = set()
        for k, p in enumerate(parts_now):
            if not self.mono[k] or k not in self.written_parts:
                continue
            longs = []
            for n in p.notes:
                s0 = self.step(n.start)
                beat = felt_beat_ticks(*_meter(job.sigs, n.start), GRID)
                if self.step(n.end) - s0 >= beat:
                    longs.append((s0 - self.step(_bar_start(starts, n.start))) % beat == 0)
            if len(longs) >= 2 and all(longs):
                self.long_on_beat.add(k)
        self.short_durs = {b: np.array([d < beat for d in DURATIONS]) for b, beat in self.beat.items()}
        self.given_only = [k for k in range(len(parts_now)) if k not in self.written_parts]

    def applies(self, cell) -> bool:
        return cell is not None and cell.part in self.ruled and cell.bar in self.origin

    def observe(self, row: int, cell, pos: int, dur_steps: int, pitch: int) -> None:
        if cell is not None and cell.bar in self.origin:
            a = self.origin[cell.bar] + pos
            self.lines[row][cell.part].add(a, a + dur_steps, pitch)

    # -- pitches ----------------------------------------------------------------------------------------

    def pitch_mask(self, row: int, cell, pos: int, ok: np.ndarray, pitch0: int) -> np.ndarray:
        """``ok`` (a vocabulary mask of the pitches the grammar allows) narrowed by the rules."""
        if not self.applies(cell):
            return ok
        lines = self.lines[row]
        t = self.origin[cell.bar] + pos
        known = [j for j in range(len(lines)) if j != cell.part and j not in self.pending.get(id(cell), ())]
        no_par = self._no_parallels(lines, cell.part, t, known, self.beat[cell.bar]) & self._band(
            lines, cell.part, t, known
        )
        allowed = [no_par]
        on_beat = pos % self.beat[cell.bar] == 0
        if self.chorale and on_beat:
            sounding = {lines[j].at(t) for j in known} - {None}
            pcs = {p % 12 for p in sounding}
            later = len(self.pending.get(id(cell), ()))  # parts still to be written at this beat
            gaps = [missing(pcs | {c}) for c in range(12)]
            whole = np.tile(np.array([x <= later for x in gaps]), 11)[:128]
            fit = np.tile(np.array([x < 99 for x in gaps]), 11)[:128]
            allowed[:0] = [no_par & whole & self.in_key, no_par & whole, no_par & fit]
        for a in allowed:
            narrowed = np.zeros_like(ok)
            narrowed[pitch0 : pitch0 + 128] = ok[pitch0 : pitch0 + 128] & a
            if narrowed.any():
                return narrowed
        return ok

    def _band(self, lines, k: int, t: int, known) -> np.ndarray:
        """The part order against what sounds at t, held notes of earlier bars included: a harmony voice
        under the melody and the harmony voices before it, above the bass; a bass under every part."""
        lo, hi = 0, 127
        for j in known:
            q = lines[j].at(t) if self.mono[j] else None  # chords: the stream grammar's band holds
            if q is None:
                continue
            rj, rk = self.roles[j], self.roles[k]
            if rk == "bass" and rj != "bass" or rj == "melody" or rj == rk == "harmony" and j < k:
                hi = min(hi, q)
            elif rj == "bass" or rj == rk == "harmony" and j > k:
                lo = max(lo, q)
        band = np.zeros(128, dtype=bool)
        band[lo : hi + 1] = True
        return band

    def _no_parallels(self, lines, k: int, t: int, known, beat: int) -> np.ndarray:
        """Pitches for part k at step t that make no parallel fifth/octave with a known single line, from
        k's previous onset and from the previous beat."""
        ok = np.ones(128, dtype=bool)
        pitches = _PITCHES
        prev = lines[k].before(t)
        refs = []
        if prev is not None:
            refs.append((prev[0], prev[2]))
        p_beat = lines[k].at(t - beat) if t - beat >= 0 else None
        if p_beat is not None:
            refs.append((t - beat, p_beat))
        for j in known:
            if not self.mono[j]:
                continue
            q1 = lines[j].at(t)
            if q1 is None:
                continue
            for t0, p0 in refs:
                q0 = lines[j].at(t0)
                if q0 is None or q0 == q1:
                    continue
                iv = (p0 - q0) % 12  # the interval from the upper part (model order) to the lower
                if (iv if k < j else (-iv) % 12) not in (0, 7):
                    continue
                up = q1 > q0
                same_dir = pitches > p0 if up else pitches < p0
                ok &= ~(((pitches - q1) % 12 == iv) & same_dir)
        return ok

    # -- positions and durations (the all-single-line texture) ------------------------------------------

    def cell_mask(self, row: int, r, cell, m: np.ndarray, g, ends: Sequence[int]) -> np.ndarray:
        """The cell's next-token mask ``m`` narrowed: no rest while the given parts sound; a note struck
        between beats ends by the next beat."""
        if (
            r.kind == "pitch"
            and cell is not None
            and cell.part in self.long_on_beat
            and cell.bar in self.beat
        ):
            if r.pos % self.beat[cell.bar]:  # the seed strikes its long notes on beats: so does the take
                out = m.copy()
                out[g.dur0 : g.dur0 + len(DURATIONS)] &= self.short_durs[cell.bar]
                m = out if out.any() else m
        if not (self.chorale and self.applies(cell)):
            return m
        out = m.copy()
        origin = self.origin[cell.bar]
        if r.kind == "pitch":
            self._durations(row, r, cell, out, g)
        elif r.kind in ("start", "dur"):
            t = origin + max(0, r.pos)
            end = self.lines[row][cell.part].last_end(t + (1 if r.kind == "dur" else 0))
            gap_from = end - origin if end is not None else 0
            gap_from = max(gap_from, r.pos + 1)
            if gap_from < cell.bar_steps and self._given_sound(origin + gap_from):
                out[g.pos0 + gap_from + 1 : g.pos0 + min(cell.bar_steps, MAX_BAR_STEPS)] = False
                for e in ends:
                    out[e] = False
                left = cell.max_notes - r.notes
                if left <= _beats_in(gap_from, cell.bar_steps, self.beat[cell.bar]):
                    out[g.pos0 : g.pos0 + gap_from] = False  # few notes left: one a beat from here
        return out if out.any() else m

    def _durations(self, row: int, r, cell, out: np.ndarray, g) -> None:
        """Narrow the durations of the note just pitched (at ``r.pos``, pitch ``r.last_pitch``): it leaves
        enough notes to fill the bar without a rest (the bar's last note holds to the bar line; the one
        before it ends on a beat), a note struck between beats ends by the next beat, and a note held over
        a beat is a chord tone there too. Each rule gives way to the ones before it."""
        origin, beat, bar = self.origin[cell.bar], self.beat[cell.bar], cell.bar_steps
        pos, pitch = r.pos, r.last_pitch
        left = cell.max_notes - r.notes - 1  # notes the bar may still take after this one
        next_beat = (pos // beat + 1) * beat
        pending = self.pending.get(id(cell), set())
        lines = self.lines[row]
        known = [j for j in range(len(lines)) if j != cell.part and j not in pending]
        chord_at: dict[int, bool] = {}
        for b in range(next_beat, bar, beat):
            pcs = {lines[j].at(origin + b) for j in known} - {None}
            chord_at[b] = missing({p % 12 for p in pcs} | {pitch % 12}) <= len(pending)
        cover, short, chord = [], [], []
        for d in DURATIONS:
            e = pos + d
            cover.append(left >= _beats_in(e, bar, beat))
            short.append(pos % beat == 0 or e <= next_beat)
            chord.append(all(ok for b, ok in chord_at.items() if b < e))
        n = len(DURATIONS)
        weak = [e >= bar or left >= 1 + (e % beat > 0) for e in (pos + d for d in DURATIONS)]
        for keep in (
            [a and b and c for a, b, c in zip(cover, short, chord, strict=True)],
            [a and b for a, b in zip(cover, short, strict=True)],
            cover,
            weak,
        ):
            if any(keep):
                out[g.dur0 : g.dur0 + n] &= np.array(keep)
                return

    def _given_sound(self, t: int) -> bool:
        lines = self.lines[0]
        return any(lines[j].at(t) is not None for j in self.given_only)


def rules_for(job, parts_now, starts, plan, rows: int, options) -> VoiceLeading | None:
    """The rules for a sampling pass, or None when ``options.voice_leading`` is off or no part they
    govern is written."""
    if not getattr(options, "voice_leading", True):
        return None
    rules = VoiceLeading(job, parts_now, starts, plan, rows)
    return rules if rules.ruled or rules.long_on_beat else None


def _meter(sigs, tick: int) -> tuple[int, int]:
    sig = signature_at(sigs, tick)
    return sig.numerator, sig.denominator


def _bar_start(starts: Sequence[int], tick: int) -> int:
    i = bisect.bisect_right(starts, tick) - 1
    return starts[max(0, i)]


def _beats_in(e: int, bar: int, beat: int) -> int:
    """Notes it takes at least to sound from step e to the bar line with a note struck on every beat (one
    more when e is between beats: a note to reach the next beat)."""
    if e >= bar:
        return 0
    first = -(-e // beat) * beat
    return len(range(first, bar, beat)) + (e % beat > 0)
