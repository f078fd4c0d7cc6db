"""Render icons/musestudio.svg to the PNG sizes desktops look for (icons/musestudio-<size>.png).

Run it after editing the SVG: ``.venv/bin/python packaging/render_icons.py``. Qt's own SVG renderer is used
so no extra tool is needed; the PNGs are committed, so a build does not render them.
"""

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(["render_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(ICONS / "musestudio.svg"))
    if not renderer.isValid():
        print("error: icons/musestudio.svg is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(ICONS / f"musestudio-{size}.png")):
            print(f"error: cannot write musestudio-{size}.png", file=sys.stderr)
            return 1
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
