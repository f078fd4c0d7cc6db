"""Seq2seq with attention: a bidirectional LSTM reads the seed, an LSTM decoder writes the continuation.

The decoder attends over every encoder state at each step (Luong's "general" score, ``h_t . W e_s``), so a
motif anywhere in the seed can be copied or varied, which a single summary vector cannot do. A learned
style embedding joins every encoder and decoder input, so one model serves all styles and the same phrase
can be continued (or, for Restyle, rewritten) in another.

We use Luong attention *without* input feeding: the decoder LSTM does not see the previous attention
vector, so during training the whole target runs through one fused LSTM call and attention is one batched
matrix product; with input feeding the decoder would have to loop over time in Python, about ten times
slower on this CPU. Sampling is step-wise either way.

Training is teacher forcing (``forward(src, tgt_in, style, tgt_out)``); whether to add scheduled sampling
is argued in models/README.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from musestudio.ml import sampling
from musestudio.ml.tokenizer import IGNORE_INDEX

FAMILY = "seq2seq"
PLAUSIBLE = 0.1  # guidance considers tokens at least this likely relative to the target's best


@dataclass
class Config:
    vocab_size: int = 512
    n_styles: int = 8
    n_embd: int = 192  # token embedding
    style_dim: int = 32
    hidden: int = 256  # decoder state; the encoder uses hidden // 2 per direction
    enc_layers: int = 1
    dec_layers: int = 1
    dropout: float = 0.1
    max_src_len: int = 1024  # seeds longer than this keep their last tokens
    pad_id: int = 0


class Seq2Seq(nn.Module):
    family = FAMILY

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        self.config = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.n_embd, padding_idx=cfg.pad_id)
        self.style_emb = nn.Embedding(cfg.n_styles, cfg.style_dim)
        self.encoder = nn.LSTM(
            cfg.n_embd + cfg.style_dim,
            cfg.hidden // 2,
            cfg.enc_layers,
            batch_first=True,
            bidirectional=True,
            dropout=cfg.dropout if cfg.enc_layers > 1 else 0.0,
        )
        enc_out = 2 * (cfg.hidden // 2)
        self.bridge_h = nn.Linear(enc_out, cfg.dec_layers * cfg.hidden)
        self.bridge_c = nn.Linear(enc_out, cfg.dec_layers * cfg.hidden)
        self.decoder = nn.LSTM(
            cfg.n_embd + cfg.style_dim,
            cfg.hidden,
            cfg.dec_layers,
            batch_first=True,
            dropout=cfg.dropout if cfg.dec_layers > 1 else 0.0,
        )
        self.attn_key = nn.Linear(enc_out, cfg.hidden, bias=False)  # W in h . W e
        self.combine = nn.Linear(enc_out + cfg.hidden, cfg.hidden)
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(cfg.hidden, cfg.vocab_size)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def _inputs(self, ids: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        s = self.style_emb(style)[:, None, :].expand(-1, ids.size(1), -1)
        return self.drop(torch.cat([self.tok_emb(ids), s], dim=-1))

    def encode(self, src: torch.Tensor, style: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, tuple]:
        """Encoder states (B, S, H2), a padding mask (B, S) and the decoder's initial (h, c)."""
        cfg = self.config
        src = src[:, -cfg.max_src_len :]
        mask = src != cfg.pad_id
        mask[:, 0] = True  # an all-padding row would otherwise attend to nothing (NaN)
        lengths = mask.sum(1).clamp(min=1)
        packed = nn.utils.rnn.pack_padded_sequence(
            self._inputs(src, style), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        out, (h, _) = self.encoder(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.size(1))
        summary = torch.cat([h[-2], h[-1]], dim=-1)  # last layer, forward and backward
        b = src.size(0)
        h0 = (
            torch.tanh(self.bridge_h(summary))
            .view(b, cfg.dec_layers, cfg.hidden)
            .transpose(0, 1)
            .contiguous()
        )
        c0 = self.bridge_c(summary).view(b, cfg.dec_layers, cfg.hidden).transpose(0, 1).contiguous()
        return states, mask, (h0, c0)

    def _attend(self, dec: torch.Tensor, keys: torch.Tensor, states: torch.Tensor, mask: torch.Tensor):
        scores = torch.bmm(dec, keys.transpose(1, 2)).masked_fill(~mask[:, None, :], float("-inf"))
        context = torch.bmm(torch.softmax(scores, dim=-1), states)
        return self.out(self.drop(torch.tanh(self.combine(torch.cat([context, dec], dim=-1)))))

    def forward(
        self,
        src: torch.Tensor,
        tgt_in: torch.Tensor,
        style: torch.Tensor,
        tgt_out: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Teacher forcing: logits (B, T, V) for ``tgt_in`` (B, T) given ``src`` (B, S) right-padded with
        pad_id and ``style`` (B,); mean cross-entropy against ``tgt_out`` (IGNORE_INDEX skipped)."""
        states, mask, hc = self.encode(src, style)
        dec, _ = self.decoder(self._inputs(tgt_in, style), hc)
        logits = self._attend(dec, self.attn_key(states), states, mask)
        loss = None
        if tgt_out is not None:
            loss = F.cross_entropy(
                logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=IGNORE_INDEX
            )
        return logits, loss

    def stepper(self, style: int, decoder_prefix: list[int]) -> _Stepper:
        return _Stepper(self, [style], [decoder_prefix])

    def guided_stepper(
        self, prefixes: dict[int, list[int]], target: int, guidance: float, plausible: float = PLAUSIBLE
    ) -> _Stepper:
        """A stepper that draws from ``log p(x|target) + guidance * (log p(x|target) - log p(x))``, where
        p(x) is the mixture over every style in ``prefixes`` (style -> its decoder prefix).

        This is classifier-free guidance with the model as its own Bayes classifier: the extra term is
        ``log p(target|x)`` up to a constant, so tokens that mark the target style (against the others) are
        favoured and tokens every style would write are left as they are. Only tokens at least ``plausible``
        times as likely as the target's best are guided (the rest are left out).
        """
        styles = sorted(prefixes)
        return _Stepper(
            self, styles, [prefixes[s] for s in styles], guidance, styles.index(target), plausible
        )

    def sample(
        self,
        prompt: torch.Tensor,
        variations: int = 1,
        *,
        style: int = 0,
        decoder_prefix: list[int],
        **options: Any,
    ) -> torch.Tensor:
        """New decoder tokens (variations, N) continuing ``prompt`` (1, S), starting after ``decoder_prefix``
        (e.g. [BOS]); options as in sampling.SamplingOptions."""
        was_training = self.training
        self.eval()
        try:
            return sampling.generate(self.stepper(style, decoder_prefix), prompt, variations, **options)
        finally:
            self.train(was_training)


class _Stepper:
    """sampling.Stepper for Seq2Seq: encode once, expand to the batch, then one decoder step per token.

    A step calls ``torch.lstm_cell`` per layer with the decoder's own weights instead of ``nn.LSTM`` on a
    length-1 sequence: the same arithmetic without the module's per-call checks, ~0.1 ms a token here.
    With several styles each runs as its own group of rows fed the same tokens, and the drawn logits are the
    target group's, guided away from the groups' mixture (``Seq2Seq.guided_stepper``).
    """

    def __init__(
        self,
        model: Seq2Seq,
        styles: list[int],
        prefixes: list[list[int]],
        guidance: float = 0.0,
        target: int = 0,
        plausible: float = PLAUSIBLE,
    ) -> None:
        if not all(prefixes) or len({len(p) for p in prefixes}) != 1:
            raise ValueError("the decoder needs one start sequence per style, all of one length")
        self.model, self.styles, self.prefixes = model, styles, prefixes
        self.guidance, self.target = guidance, target
        self.log_plausible = math.log(plausible)
        d = model.decoder
        self.weights = [
            tuple(getattr(d, f"{name}_l{k}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            for k in range(d.num_layers)
        ]

    def _combine(self, logits: torch.Tensor, batch: int) -> torch.Tensor:
        """(groups * batch, V) -> (batch, V): the target group's logits, guided when there are several."""
        if len(self.styles) == 1:
            return logits
        logp = torch.log_softmax(logits.float().view(len(self.styles), batch, -1), dim=-1)
        own = logp[self.target]
        mixture = torch.logsumexp(logp, dim=0) - torch.log(torch.tensor(float(len(self.styles))))
        # Only tokens the target itself finds plausible are boosted (contrastive decoding's constraint, Li et
        # al. 2022): a token every style thinks unlikely can have a large ratio, and guiding it gave pitch 127
        # and 20-voice "Palestrina". The rest keep their own log-probability, far below, so a grammar that
        # allows only those still draws sensibly.
        plausible = own >= own.max(dim=-1, keepdim=True).values + self.log_plausible
        return torch.where(plausible, own + self.guidance * (own - mixture), own - 1e4)

    def start(self, prompt: torch.Tensor, batch: int):
        m, groups = self.model, len(self.styles)
        style = torch.tensor(self.styles, device=prompt.device)
        states, mask, hc = m.encode(prompt.expand(groups, -1), style)
        keys = m.attn_key(states)
        rows = (
            (lambda t: t.repeat_interleave(batch, dim=0))
            if groups > 1
            else (lambda t: t.expand(batch, *t.shape[1:]))
        )
        ctx = (rows(states), rows(keys), rows(mask), rows(m.style_emb(style)))
        prefix = torch.tensor(self.prefixes, device=prompt.device)
        dec, (h, c) = m.decoder(m._inputs(prefix, style), hc)
        logits = m._attend(dec[:, -1:], keys, states, mask)[:, 0]
        layers = [(rows(h[k]).contiguous(), rows(c[k]).contiguous()) for k in range(h.size(0))]
        return self._combine(rows(logits), batch), (ctx, layers, batch)

    def step(self, state, tokens: torch.Tensor):
        m = self.model
        (states, keys, mask, style_vec), layers, batch = state
        x = torch.cat([m.tok_emb(tokens.repeat(len(self.styles))), style_vec], dim=-1)
        new_layers = []
        for (h, c), w in zip(layers, self.weights, strict=True):
            h, c = torch.lstm_cell(x, (h, c), *w)
            new_layers.append((h, c))
            x = h
        logits = m._attend(x[:, None, :], keys, states, mask)[:, 0]
        return self._combine(logits, batch), ((states, keys, mask, style_vec), new_layers, batch)


Model = Seq2Seq
