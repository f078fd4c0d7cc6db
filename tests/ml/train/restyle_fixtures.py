"""Two synthetic styles a tiny model can learn in seconds: high running sixteenths vs low held whole notes."""

import numpy as np

from musestudio.ml.data.rolls import StepPiece


def synthetic_pieces(n: int = 6, bars: int = 8, seed: int = 0) -> list[StepPiece]:
    rng = np.random.default_rng(seed)
    pieces = []
    for i in range(n):
        style = i % 2
        rows = []
        for b in range(bars):
            if style == 0:
                rows += [(int(rng.integers(72, 84)), b * 16 + t, b * 16 + t + 1) for t in range(16)]
            else:
                root = int(rng.integers(36, 48))
                rows += [(root, b * 16, b * 16 + 16), (root + 7, b * 16, b * 16 + 16)]
        pieces.append(
            StepPiece(style, np.array(rows, dtype=np.int32), np.arange(0, bars * 16 + 1, 16), bars * 16)
        )
    return pieces
