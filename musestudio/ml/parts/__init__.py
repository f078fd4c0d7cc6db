"""Parts that listen to each other: a multi-part model (issue 13), self-contained so it can be re-homed.

``checkpoint`` finds a family's ``Config`` and ``Model`` on ``musestudio.ml.<family>``; they are looked up
lazily here so importing the grammar or the data code never imports torch.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name in ("Config", "Model", "FAMILY"):
        from musestudio.ml.parts import model

        return getattr(model, name)
    raise AttributeError(name)
