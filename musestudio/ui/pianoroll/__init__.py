"""The piano roll: a QGraphicsScene in score units, its view, and the ruler, keyboard and velocity lane
that share the view's horizontal or vertical mapping."""

from musestudio.ui.pianoroll.widget import PianoRollEditor

__all__ = ["PianoRollEditor"]
