"""Refresh the translation files: extract tr() strings with pyside6-lupdate, compile with pyside6-lrelease.

English is the source language. Translators edit ``musestudio_zh_CN.ts`` (Qt Linguist or a text editor);
lupdate keeps existing translations and marks new strings unfinished. Run from the repository root:

    .venv/bin/python resources/i18n/update.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh_CN",)
SOURCES = [
    "musestudio/app.py",
    "musestudio/audio/player.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "musestudio" / "ui").rglob("*.py")),
]


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def main() -> None:
    for lang in LANGUAGES:
        ts = HERE / f"musestudio_{lang}.ts"
        subprocess.run(
            [tool("pyside6-lupdate"), *SOURCES, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
            cwd=ROOT,
            check=True,
        )
        subprocess.run(
            [tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True
        )


if __name__ == "__main__":
    main()
