"""The token grammar as a logits mask: what may come next in ``BAR [METER] (POS (VEL? PITCH DUR)+)*``.

Every token-writing engine (Continue's three, Restyle's denoiser) samples under it, so positions only move
forward inside a bar, every pitch gets a duration, the meter cannot change, and with key lock or a pitch
range only allowed pitches can be drawn: "100% in key" holds by construction, not by luck.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import torch

from musestudio.core.errors import BadInputError
from musestudio.core.keys import KeySignature
from musestudio.ml.generate.request_errors import no_pitch_in_key
from musestudio.ml.tokenizer import Tokenizer

MAX_TOKENS_PER_BAR = 192  # a dense piano bar is well under this; a row that runs away is cut here


_START, _BAR, _METER, _POS, _VEL, _PITCH, _DUR, _DONE = range(8)


@functools.lru_cache(maxsize=4)
def _token_kinds(tok: Tokenizer) -> dict[str, torch.Tensor]:
    """Bool (V,) per token kind; worked out once per tokenizer (it is the slow part of a grammar's set-up)."""
    tests = {
        "position": tok.is_position,
        "pitch": tok.is_pitch,
        "duration": tok.is_duration,
        "velocity": tok.is_velocity,
    }
    return {name: torch.tensor([test(i) for i in range(tok.vocab_size)]) for name, test in tests.items()}


class BarGrammar:
    """Tracks each row's place in ``BAR [METER] (POS (VEL? PITCH DUR)+)*`` and says what may come next.

    ``bars`` bars are written; after the last one only an end token may close it (BAR or EOS for a
    continuation, EOS for a fill). ``meter_first`` is the meter token the first bar must state (fills and
    seq2seq targets restate the meter, as their training windows did), or None when no METER may appear.
    A bar that runs past MAX_TOKENS_PER_BAR is closed at its next note boundary. ``first_bar_note``: the
    first bar may not close before it has a note (a take that opens on an empty bar sounds like the model
    lost the thread; callers leave it off when the seed's last note still sounds through that bar).
    """

    def __init__(
        self,
        tok: Tokenizer,
        batch: int,
        bars: int,
        bar_steps: int,
        end_ids: Sequence[int],
        meter_first: int | None,
        pitch_ok: torch.Tensor,
        device: torch.device,
        first_bar_note: bool = False,
    ) -> None:
        v = tok.vocab_size
        self.first_bar_note = first_bar_note
        self.tok, self.bars, self.bar_steps = tok, bars, bar_steps
        ids = torch.arange(v)

        def one(*tokens: int) -> torch.Tensor:
            return torch.isin(ids, torch.tensor(tokens, dtype=torch.long))

        kinds = _token_kinds(tok)
        is_pos, is_pitch = kinds["position"], kinds["pitch"]
        pos_index = (ids - tok.token_id("POS_0"))[None, :]
        pitch_index = (ids - tok.pitch_token(0))[None, :]
        # pos_table[p]: positions p..bar_steps-1 (p = bar_steps: none); pitch_table[q]: allowed pitches >= q
        # (an onset listed upward), or < q when the tokenizer lists an onset from the top down
        steps = torch.arange(bar_steps + 1)[:, None]
        pos_table = is_pos & (pos_index >= steps) & (pos_index < bar_steps)
        self.down = tok.onset_order == "descending"
        bound = torch.arange(129)[:, None]
        in_onset = pitch_index < bound if self.down else pitch_index >= bound
        pitch_table = pitch_ok.cpu() & is_pitch & in_onset
        self.open_pitch, self.no_pitch = (128, 0) if self.down else (0, 128)
        close = torch.stack([one(tok.bar_id), one(*end_ids)])  # [full]: what closes the current bar
        base = torch.zeros(_DONE + 1, 2, v, dtype=torch.bool)  # [state, full]
        for full in (0, 1):
            base[_START, full] = one(tok.bar_id)
            base[_BAR, full] = close[full]
            base[_METER, full] = close[full]
            base[_PITCH, full] = kinds["duration"]
            base[_DUR, full] = close[full]
            base[_DONE, full] = one(tok.pad_id)
        meter = one(meter_first) if meter_first is not None else None
        self.base, self.close, self.pos_table, self.pitch_table, self.velocity = (
            t.to(device) for t in (base, close, pos_table, pitch_table, kinds["velocity"])
        )
        self.meter = meter.to(device) if meter is not None else None  # the first bar must state it
        self.pitch_left = self.pitch_table.any(dim=1).tolist()
        self._rows: dict[tuple, torch.Tensor] = {}
        self.device = device
        self.state = [_START] * batch
        self.bar_count = [0] * batch  # bars begun
        self.min_pos = [0] * batch  # the lowest position the next POS may take
        # the pitch bound of the next PITCH in this onset: the lowest it may take (a chord ascends), or one
        # above the highest (listed from the top down)
        self.min_pitch = [self.open_pitch] * batch
        self.bar_tokens = [0] * batch
        self.bar_notes = [0] * batch  # notes in the bar being written

    def _advance(self, row: int, t: int) -> None:
        tok = self.tok
        self.bar_tokens[row] += 1
        if self.state[row] == _DONE:
            return
        if t == tok.bar_id and self.bar_count[row] < self.bars:
            self.state[row], self.min_pos[row], self.min_pitch[row] = _BAR, 0, self.open_pitch
            self.bar_count[row] += 1
            self.bar_tokens[row] = 0
            self.bar_notes[row] = 0
        elif t in (tok.bar_id, tok.eos_id):
            self.state[row] = _DONE
        elif tok.is_meter(t):
            self.state[row] = _METER
        elif tok.is_position(t):
            self.state[row], self.min_pos[row] = _POS, t - tok.token_id("POS_0") + 1
            self.min_pitch[row] = self.open_pitch
        elif tok.is_velocity(t):
            self.state[row] = _VEL
        elif tok.is_pitch(t):
            self.state[row], self.min_pitch[row] = _PITCH, tok.pitch_of(t) + (0 if self.down else 1)
        elif tok.is_duration(t):
            self.state[row] = _DUR
            self.bar_notes[row] += 1

    def observe(self, last: torch.Tensor) -> None:
        """Feed the token each row drew last (B,)."""
        for row, t in enumerate(last.tolist()):
            self._advance(row, t)

    def done(self) -> torch.Tensor:
        return torch.tensor([s == _DONE for s in self.state], device=self.device)

    def bars_written(self) -> int:
        """Completed bars over all rows (a finished row counts all its bars)."""
        return sum(
            c if s == _DONE else max(c - 1, 0) for s, c in zip(self.state, self.bar_count, strict=True)
        )

    def _row(self, key: tuple[int, int, int, int, bool, bool, bool]) -> torch.Tensor:
        """The mask for one row state; rows revisit the same few states, so each is built once."""
        row = self._rows.get(key)
        if row is None:
            s, full, p, q, closing, meter, need_note = key
            if closing:
                row = self.close[full]
            elif meter:
                row = self.meter
            elif need_note:  # the first bar has no note yet: a position (then a note) must come
                row = self.pos_table[p]
            else:
                row = self.base[s, full] | self.pos_table[p] | self.pitch_table[q]
                if s in (_POS, _DUR) and self.pitch_left[q]:  # VEL must be followed by a pitch
                    row = row | self.velocity
            self._rows[key] = row
        return row

    def allowed(self) -> torch.Tensor:
        """Bool (B, V): the tokens each row may draw next."""
        rows = []
        for r, s in enumerate(self.state):
            at_boundary = s in (_BAR, _METER, _DUR)
            rows.append(
                self._row(
                    (
                        s,
                        int(self.bar_count[r] >= self.bars),
                        self.min_pos[r] if at_boundary else self.bar_steps,
                        self.min_pitch[r] if s in (_POS, _VEL, _DUR) else self.no_pitch,
                        at_boundary and self.bar_tokens[r] >= MAX_TOKENS_PER_BAR,
                        s == _BAR and self.bar_count[r] == 1 and self.meter is not None,
                        self.first_bar_note
                        and s in (_BAR, _METER)
                        and self.bar_count[r] == 1
                        and self.bar_notes[r] == 0,
                    )
                )
            )
        return torch.stack(rows)


def pitch_mask(tok: Tokenizer, key: KeySignature | None, key_lock: bool, pitch_range: tuple[int, int] | None):
    lo, hi = pitch_range or (0, 127)
    if not 0 <= lo <= hi <= 127:
        raise BadInputError(f"pitch range {lo}..{hi} is not within MIDI's 0..127")
    ok = torch.tensor([lo <= p <= hi and (not key_lock or key.contains(p)) for p in range(128)])
    if not ok.any():
        raise no_pitch_in_key(lo, hi, key)
    mask = torch.zeros(tok.vocab_size, dtype=torch.bool)
    mask[tok.pitch_token(0) : tok.pitch_token(0) + 128] = ok
    return mask
