"""The sampling loop every model family shares: temperature, nucleus (top-p), masks, seed, progress, cancel.

A model only has to say how to start from a prompt and how to take one step (``Stepper``); everything a
user can set about *how* tokens are drawn lives here once, so the three engines behave the same way under
the same knobs. The loop checks the cancel flag and reports progress once per generated token, because a
Python thread cannot be interrupted from outside and the UI needs to stop a run within one step.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import torch

from musestudio.core.errors import Cancelled

# (step, ids so far (B, T)) -> bool (B, V), True where a token may be drawn; None allows everything.
LogitsMaskFn = Callable[[int, torch.Tensor], torch.Tensor | None]
# (ids so far (B, T)) -> bool (B,), True for rows that are complete (e.g. enough bars written).
StopFn = Callable[[torch.Tensor], torch.Tensor]
Progress = Callable[[int, int], None]  # (steps done, steps at most)
Cancel = Callable[[], bool] | threading.Event


class Stepper(Protocol):
    """What a model exposes for step-wise decoding (state is the model's own: a KV cache, LSTM state...)."""

    def start(self, prompt: torch.Tensor, batch: int) -> tuple[torch.Tensor, Any]:
        """Read ``prompt`` (1, T) once and return next-token logits (batch, V) and the state for ``batch`` rows."""

    def step(self, state: Any, tokens: torch.Tensor) -> tuple[torch.Tensor, Any]:
        """Feed one token per row (batch,) and return the next logits (batch, V) and the new state."""


@dataclass(frozen=True)
class SamplingOptions:
    max_new_tokens: int
    temperature: float = 1.0
    top_p: float = 0.95
    logits_mask_fn: LogitsMaskFn | None = None
    stop_fn: StopFn | None = None
    eos_id: int | None = None
    pad_id: int = 0
    generator: torch.Generator | Sequence[torch.Generator] | None = None  # a sequence: one per row
    progress: Progress | None = None
    cancel: Cancel | None = None


def is_cancelled(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event) or hasattr(cancel, "is_set"):  # a multiprocessing Event too
        return cancel.is_set()
    return bool(cancel())


def pick_device(device: str | torch.device = "auto") -> torch.device:
    """``auto`` means CUDA when there is one, else the CPU, without a warning either way."""
    if isinstance(device, torch.device):
        return device
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        from musestudio.core.errors import BadInputError

        raise BadInputError("CUDA was asked for, but this computer has no CUDA GPU that torch can use")
    return torch.device(device)


@contextlib.contextmanager
def fast_stepwise(device: torch.device, onednn: bool = False) -> Iterator[None]:
    """No autograd; on the CPU, no oneDNN (its per-call set-up makes one-token LSTM steps 6-7x slower) and
    one intra-op thread: a step's matrices are so small that waking a second thread costs more than it saves,
    and on a busy 2-core machine it measured 20x slower. ``onednn`` keeps oneDNN for a batch of whole
    phrases through convolutions, where its set-up is paid once for the batch (the style judge on
    Arrange's 24 drafts: 36 ms with it, 220 ms without)."""
    with torch.inference_mode():
        if device.type != "cpu":
            yield
            return
        was_enabled, threads = torch.backends.mkldnn.enabled, torch.get_num_threads()
        torch.backends.mkldnn.enabled = onednn  # (mkldnn.flags() would also touch TF32 and warn about it)
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.backends.mkldnn.enabled = was_enabled
            torch.set_num_threads(threads)


SPARSE_MASK = 128  # at most this many allowed tokens a row: ``draw`` takes the numpy path


def draw(
    logits: torch.Tensor,
    temperature: float,
    top_p: float,
    allowed: torch.Tensor | None,
    generator: torch.Generator | Sequence[torch.Generator] | None,
) -> torch.Tensor:
    """One token per row from ``logits`` (B, V). A row whose mask allows nothing falls back to no mask.

    ``generator`` may be one per row: row i then draws from its own stream, so the same seed gives the same
    row whatever the batch it is drawn in (a take's own seed reproduces it alone).

    Nucleus (top-p): keep the smallest set of tokens whose probability reaches ``top_p`` (at least the best
    one), then draw by inverse CDF over the sorted probabilities: a uniform number scaled to the nucleus'
    mass can only land inside it (cheaper than masking, renormalising and calling multinomial, and this runs
    once per generated token). On the CPU, when a mask leaves few tokens (a grammar's positions, pitches
    or durations), the same arithmetic runs in numpy over those tokens only (``_draw_numpy``): cheaper
    than a dozen torch calls over the whole vocabulary (the parts engine's draws took 25-30% less time);
    with a wide mask or none, torch's batched sort is the faster of the two.
    """
    if (
        allowed is not None
        and logits.device.type == "cpu"
        and allowed.device.type == "cpu"
        and int(np.count_nonzero(allowed.numpy(), axis=1).max()) <= SPARSE_MASK
    ):
        return _draw_numpy(logits, temperature, top_p, allowed, generator)
    logits = logits.float()
    if allowed is not None:
        allowed = allowed | ~allowed.any(dim=-1, keepdim=True)
        logits = logits.masked_fill(~allowed, float("-inf"))
    if temperature <= 0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(logits / temperature, dim=-1)
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    cdf = sorted_probs.cumsum(dim=-1)
    kept = ((cdf - sorted_probs) < min(top_p, 1.0)).sum(
        dim=-1, keepdim=True
    )  # >= 1: the best token's term is 0
    mass = cdf.gather(-1, kept - 1)
    u = _uniform(mass, generator) * mass
    pick = torch.searchsorted(cdf, u).clamp(max=kept - 1)
    return order.gather(-1, pick).squeeze(-1)


def _draw_numpy(
    logits: torch.Tensor,
    temperature: float,
    top_p: float,
    allowed: torch.Tensor,
    generator: torch.Generator | Sequence[torch.Generator] | None,
) -> torch.Tensor:
    """``draw`` on the CPU, row by row over the tokens the mask allows (a grammar usually leaves a few
    dozen of the vocabulary): the same steps and the same uniform numbers (one per row from its
    generator, drawn as before), so a seed draws what it drew before up to float rounding."""
    x = logits.detach().float().numpy()
    ok = allowed.numpy()
    b = x.shape[0]
    out = np.empty(b, dtype=np.int64)
    if temperature > 0:
        uniforms = _uniform(torch.empty((b, 1)), generator).numpy()[:, 0]
    for i in range(b):
        idx = np.flatnonzero(ok[i])
        if idx.size == 0:
            idx = None  # nothing allowed: no mask
        z = x[i] if idx is None else x[i, idx]
        out[i] = draw_one(z, idx, temperature, top_p, uniforms[i] if temperature > 0 else None)
    return torch.from_numpy(out)


def draw_one(z: np.ndarray, idx: np.ndarray | None, temperature: float, top_p: float, u) -> int:
    """One token from float32 logits ``z`` over the token ids ``idx`` (None: ``z`` is the whole vocabulary),
    given the row's uniform number ``u`` (a float32; unused when ``temperature`` <= 0): ``draw``'s nucleus
    and inverse-CDF arithmetic for one row, in numpy."""
    if temperature <= 0:
        best = int(z.argmax())
        return best if idx is None else int(idx[best])
    if z.size == 1:  # a forced token: the arithmetic below would pick it too
        return 0 if idx is None else int(idx[0])
    z = z * np.float32(1.0 / temperature)
    z -= _max(z)
    probs = np.exp(z)
    probs /= _add(probs)
    order = (-probs).argsort(kind="stable")
    sorted_probs = probs[order]
    cdf = sorted_probs.cumsum()
    kept = int(np.count_nonzero(cdf - sorted_probs < min(top_p, 1.0)))  # >= 1: the best token's is 0
    pick = order[min(int(cdf.searchsorted(u * cdf[kept - 1])), kept - 1)]
    return int(pick) if idx is None else int(idx[pick])


_add, _max = np.add.reduce, np.maximum.reduce  # the ufuncs' own reductions: no Python wrappers per call


def _uniform(like: torch.Tensor, generator) -> torch.Tensor:
    if generator is None or isinstance(generator, torch.Generator):
        return torch.rand(like.shape, generator=generator, device=like.device, dtype=like.dtype)
    rows = [
        torch.rand((1, *like.shape[1:]), generator=g, device=like.device, dtype=like.dtype) for g in generator
    ]
    return torch.cat(rows[: like.shape[0]])


def sample(model: Stepper, prompt: torch.Tensor, batch: int, opts: SamplingOptions) -> torch.Tensor:
    """Sample ``batch`` continuations of ``prompt`` (1, T) in one batched pass; returns the new ids (batch, N).

    Rows that finished (EOS or ``stop_fn``) are padded with ``pad_id`` while the others go on; the loop ends
    when every row is done or ``max_new_tokens`` is reached.
    """
    if prompt.dim() != 2 or prompt.size(0) != 1:
        raise ValueError(f"prompt must have shape (1, T), got {tuple(prompt.shape)}")
    t0 = prompt.size(1)
    # every row's ids so far, written into one buffer (a view of it is what the callbacks see), not
    # concatenated anew at every step
    buffer = prompt.new_empty((batch, t0 + opts.max_new_tokens))
    buffer[:, :t0] = prompt
    ids = buffer[:, :t0]
    logits, state = model.start(prompt, batch)
    done = torch.zeros(batch, dtype=torch.bool, device=prompt.device)
    pad = torch.full((batch,), opts.pad_id, dtype=buffer.dtype, device=prompt.device)
    for step in range(opts.max_new_tokens):
        if is_cancelled(opts.cancel):
            raise Cancelled("generation cancelled")
        allowed = opts.logits_mask_fn(step, ids) if opts.logits_mask_fn else None
        tok = draw(logits, opts.temperature, opts.top_p, allowed, opts.generator)
        tok = torch.where(done, pad, tok)
        buffer[:, t0 + step] = tok
        ids = buffer[:, : t0 + step + 1]
        if opts.eos_id is not None:
            done = done | (tok == opts.eos_id)
        if opts.stop_fn is not None:
            done = done | opts.stop_fn(ids)
        if opts.progress:
            opts.progress(step + 1, opts.max_new_tokens)
        if bool(done.all()):
            break
        logits, state = model.step(state, tok)
    return ids[:, t0:].clone()  # the new ids alone, not a view keeping the whole buffer alive


class RowRules(Protocol):
    """What ``sample_rows`` asks a grammar about each row (rows are the batch's, 0..batch-1, for good)."""

    def choices(self, row: int) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The token ids the row may draw next (None: any; never empty) and float32 logit bonuses aligned
        with them (None: none; the whole vocabulary's when the ids are None)."""

    def observe(self, row: int, token: int) -> None:
        """The row drew ``token``."""

    def finished(self, row: int) -> bool:
        """Is the row complete (it then leaves the batch)?"""


class UniformStream:
    """A row's uniform numbers from its own generator, drawn ``BLOCK`` at a time (one ``torch.rand`` call
    per block, not per token). A CPU generator gives a block the numbers single calls would, in the same
    order; ``close`` rewinds the generator to just after the numbers used, so what follows (the next chunk
    of a take) draws what it drew with one call per token."""

    BLOCK = 64

    def __init__(self, generator: torch.Generator) -> None:
        self.generator = generator
        self.block: np.ndarray | None = None
        self.used = 0
        self.state = None  # the generator's state where the block began

    def next(self) -> np.float32:
        if self.block is None or self.used == len(self.block):
            self.state = self.generator.get_state()
            g = self.generator
            self.block = torch.rand((self.BLOCK,), generator=g, device=g.device).cpu().numpy()
            self.used = 0
        self.used += 1
        return self.block[self.used - 1]

    def close(self) -> None:
        if self.block is not None and self.used < len(self.block):
            self.generator.set_state(self.state)
            g = self.generator
            torch.rand((self.used,), generator=g, device=g.device)
        self.block = None


def sample_rows(
    model: Stepper, prompt: torch.Tensor, batch: int, opts: SamplingOptions, rules: RowRules
) -> list[list[int]]:
    """``sample`` for a grammar that decides row by row (``RowRules``): the new ids of each row, ending
    where the row finished (no padding).

    The same draws as ``sample`` with that grammar's masks (``draw_one`` on each row's allowed tokens, one
    uniform number per row and step from the row's own generator), cheaper per token: no (batch x
    vocabulary) masks or biases, no tensors per step, and a row that finished leaves the batch (its keys and
    values are no longer read; the model's ``keep_rows``), instead of being fed padding to the end.
    ``opts.generator`` must be one generator per row; ``opts.progress`` is called after every step.
    """
    if prompt.dim() != 2 or prompt.size(0) != 1:
        raise ValueError(f"prompt must have shape (1, T), got {tuple(prompt.shape)}")
    generators = opts.generator
    if isinstance(generators, torch.Generator) or generators is None or len(generators) != batch:
        raise ValueError("sample_rows needs one generator per row")
    streams = [UniformStream(g) for g in generators]
    out: list[list[int]] = [[] for _ in range(batch)]
    active = list(range(batch))  # the batch rows still writing, in the model state's row order
    t, top_p = opts.temperature, opts.top_p
    try:
        logits, state = model.start(prompt, batch)
        for step in range(opts.max_new_tokens):
            if is_cancelled(opts.cancel):
                raise Cancelled("generation cancelled")
            x = logits.detach().float().cpu().numpy()
            tokens = []
            for j, row in enumerate(active):
                u = streams[row].next() if t > 0 else None
                idx, bias = rules.choices(row)
                z = x[j] if idx is None else x[j, idx]
                if bias is not None:
                    z = z + bias
                tok = draw_one(z, idx, t, top_p, u)
                rules.observe(row, tok)
                out[row].append(tok)
                tokens.append(tok)
            if opts.progress:
                opts.progress(step + 1, opts.max_new_tokens)
            keep = [j for j, row in enumerate(active) if not rules.finished(row)]
            if not keep:
                break
            if len(keep) < len(active):
                state = model.keep_rows(state, keep)
                active = [active[j] for j in keep]
                tokens = [tokens[j] for j in keep]
            logits, state = model.step(
                state, torch.from_numpy(np.array(tokens, dtype=np.int64)).to(prompt.device)
            )
    finally:
        for s in streams:
            s.close()
    return out


def generate(stepper: Stepper, prompt: torch.Tensor, variations: int = 1, **options: Any) -> torch.Tensor:
    """``sample`` under inference mode (and without oneDNN on the CPU); ``options`` are SamplingOptions fields."""
    with fast_stepwise(prompt.device):
        return sample(stepper, prompt, variations, SamplingOptions(**options))
