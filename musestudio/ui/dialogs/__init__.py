"""Dialogs: preferences, WAV export progress, crash recovery."""
