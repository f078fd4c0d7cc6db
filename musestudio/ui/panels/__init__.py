"""Dock panels around the piano roll: tracks, inspector, undo history."""
