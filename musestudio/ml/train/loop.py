"""What every training recipe shares: DDP set-up through torchrun, the learning-rate schedule, the resume
state (never pickled) and logging from rank 0 only.

A recipe (``train/continuation.py``, ``train/gan.py``, ...) owns its batches, its loss and its checkpoint
card; it takes these parts rather than writing them again.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import platform
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import torch


@dataclass
class Dist:
    rank: int
    world: int
    device: torch.device

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup(device: str) -> Dist:
    """Start DDP when torchrun launched us; pick the device (CUDA when there is one, unless told cpu)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    if use_cuda:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        dev = torch.device("cuda", local)
    else:
        dev = torch.device("cpu")
    if world > 1:
        import torch.distributed as dist

        # torch.distributed.nn.functional takes ``group=group.WORLD`` as default arguments, read when it is
        # first imported (DDP's constructor imports it, through torch._dynamo). Imported after
        # init_process_group, those defaults hold the group for good: destroy_process_group then leaves
        # gloo's threads running until the interpreter tears its modules down, and a rank could abort at
        # exit ("terminate called without an active exception"). Imported first, they hold None.
        importlib.import_module("torch.distributed.nn")
        if not use_cuda and int(os.environ.get("LOCAL_WORLD_SIZE", "0")) == world:
            # every rank on this machine: gloo talks over loopback instead of the interface it would find by
            # resolving the hostname, which hangs where the hostname does not resolve
            os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return Dist(rank, world, dev)


def all_agree(flag: bool, d: Dist) -> bool:
    """True when any rank says True (a stop on one is a stop on all)."""
    if d.world == 1:
        return flag
    import torch.distributed as dist

    t = torch.tensor([1.0 if flag else 0.0], device=d.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item() > 0)


def hardware(d: Dist, threads: int) -> str:
    if d.device.type == "cuda":
        return f"{d.world} x {torch.cuda.get_device_name(d.device)}"
    return f"{d.world} process(es) x {threads} thread(s), {platform.processor() or platform.machine()} CPU ({os.cpu_count()} cores)"


def save_state(path: Path, model, opt: torch.optim.Optimizer, info: dict) -> None:
    from safetensors.torch import save_file

    path.mkdir(parents=True, exist_ok=True)
    tensors = {f"model.{k}": v.detach().cpu().clone().contiguous() for k, v in model.state_dict().items()}
    sd = opt.state_dict()
    for idx, st in sd["state"].items():
        for name, v in st.items():
            tensors[f"opt.{idx}.{name}"] = (
                (v if torch.is_tensor(v) else torch.tensor(v)).detach().cpu().contiguous()
            )
    tensors["rng.torch"] = torch.get_rng_state()
    save_file(tensors, str(path / "state.tmp"))
    (path / "state.tmp").replace(path / "state.safetensors")
    meta = dict(info, param_groups=sd["param_groups"])
    (path / "state.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


def load_state(path: Path, model, opt: torch.optim.Optimizer) -> dict:
    from safetensors.torch import load_file

    tensors = load_file(str(path / "state.safetensors"))
    info = json.loads((path / "state.json").read_text(encoding="utf-8"))
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    state: dict[int, dict] = defaultdict(dict)
    for k, v in tensors.items():
        if k.startswith("opt."):
            _, idx, name = k.split(".", 2)
            state[int(idx)][name] = v
    opt.load_state_dict({"state": dict(state), "param_groups": info.pop("param_groups")})
    torch.set_rng_state(tensors["rng.torch"])
    return info


def log(msg: str, d: Dist) -> None:
    if d.main:
        print(msg, flush=True)


def file_logger(path: Path):
    """A ``log(msg)`` for a one-process run: the line, timestamped, on stdout and appended to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def log_line(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    return log_line


def lr_at(peak: float, warmup: int, step: int, progress: float) -> float:
    """Linear warm-up over ``warmup`` steps, then cosine to a tenth of ``peak`` as ``progress`` goes 0 -> 1."""
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def seed_run(seed: int, threads: int | None = None) -> None:
    """The same command gives the same model: seed Python's and torch's generators (and fix the CPU threads,
    which change the order floating-point sums are taken in)."""
    if threads:
        torch.set_num_threads(threads)
    random.seed(seed)
    torch.manual_seed(seed)
