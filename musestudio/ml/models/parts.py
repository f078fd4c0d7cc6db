"""The parts family: the relative-attention transformer of ``transformer.py`` with its own family name.

The multi-part skills live in the token stream (grammar.py), not in the layers: bar-wise cells and
placeholders are read by the same Music Transformer relative attention (music repeats at fixed distances:
a bar of all parts is a near-constant number of tokens) and the same KV cache used for sampling.
"""

from __future__ import annotations

from musestudio.ml.models.transformer import Config, KVCache, MusicTransformer

FAMILY = "parts"


class PartsTransformer(MusicTransformer):
    family = FAMILY


Model = PartsTransformer

__all__ = ["FAMILY", "Config", "KVCache", "Model", "PartsTransformer"]
