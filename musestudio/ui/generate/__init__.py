"""Generate in the app: the Generate and Takes panels, takes over the roll, and the controller behind them."""

from musestudio.ui.generate.controller import GenerateController

__all__ = ["GenerateController"]
