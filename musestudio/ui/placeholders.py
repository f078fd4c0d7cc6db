"""A translated message's %1, %2... filled in with their values, spaced as the language writes them.

The Chinese translation sets a Latin word or a number apart from the characters beside it with a space
("不是 MIDI 文件", "有 64 MB"), but where a placeholder stands it cannot know whether the value will be
Chinese ("不是风格文件") or start with a Latin word ("不是 MuseStudio 项目"). ``fill`` puts the space in
where a value meets a Chinese character with a Latin letter or a digit, and only there: English, and a
translation's own spacing, come out as they were.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"(%\d)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z0-9]")


def fill(text: str, *values: str) -> str:
    """``text`` with each %N replaced by ``values[N - 1]``; a space where a value and the text beside it
    meet as a Chinese character and a Latin letter or digit."""
    out = ""
    for i, part in enumerate(_PLACEHOLDER.split(text)):
        piece = values[int(part[1]) - 1] if i % 2 else part
        if out and piece and _apart(out[-1], piece[0]):
            out += " "
        out += piece
    return out


def _apart(left: str, right: str) -> bool:
    return bool((_HAN.match(left) and _LATIN.match(right)) or (_LATIN.match(left) and _HAN.match(right)))
